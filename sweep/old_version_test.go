package sweep

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// varied is the suffix a plan gives the label of an event the sweep varies
// (Sweep.markVaried, since c7b7591).
const varied = " (varied by the sweep)"

// eventSweep is a sweep of mini that varies its second event's shock, so
// that its plan labels that event varied.
const eventSweep = `base: mini
seed: 5
runs: 8
parameters:
  - {path: events.1.shocks.USDJPY, name: shock, dist: {kind: uniform, min: -0.03, max: 0}}
metrics: [headline_move_pct, defaults]
series: [NKY]
`

// oldPlan rewrites dir's manifest as a cascade before c7b7591 wrote it:
// the plan's markers without the "(varied by the sweep)" label, then edit.
func oldPlan(t *testing.T, dir string, edit func(*Plan)) {
	t.Helper()
	m := readManifestT(t, dir)
	n := 0
	for k := range m.Plan.Markers {
		if l, ok := strings.CutSuffix(m.Plan.Markers[k].Label, varied); ok {
			m.Plan.Markers[k].Label = l
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the plan labels %d events varied, want 1 (markers %+v)", n, m.Plan.Markers)
	}
	if edit != nil {
		edit(m.Plan)
	}
	if err := m.write(dir); err != nil {
		t.Fatal(err)
	}
}

// planEdits are differences in the plan that are more than a label: each
// must still refuse a resume and a merge.
var planEdits = []struct {
	name string
	edit func(*Plan)
}{
	{"labels only", nil},
	{"an event a tick later", func(p *Plan) { p.Markers[1].Tick++ }},
	{"an event at another time", func(p *Plan) { p.Markers[0].Time = p.Markers[0].Time.Add(1) }},
	{"an event fewer", func(p *Plan) { p.Markers = p.Markers[:1] }},
	{"another base path", func(p *Plan) { p.Base[0][3] += 1e-9 }},
	{"another base seed", func(p *Plan) { p.Seed++ }},
	{"another headline", func(p *Plan) { p.Headline = "SPX" }},
}

// TestResumeOldPlan: a sweep begun by a cascade whose plan did not mark the
// events the sweep varies resumes, and gives the outputs of a sweep made
// at once (with this version's labels); a plan that differs in more than
// its labels is still refused. Before, the label alone refused the resume
// ("started by a program that runs the base scenario differently").
func TestResumeOldPlan(t *testing.T) {
	sw, ref := madeAtOnce(t, eventSweep)
	for _, tc := range planEdits {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			kept := interrupted(t, sw, dir, Whole).Ran
			oldPlan(t, dir, tc.edit)
			if !resumed(t, sw, dir, kept, tc.edit != nil, "runs the base scenario differently") {
				return
			}
			sameFiles(t, ref, dir, "runs.csv", "bands.csv", "report.md")
			if m := readManifestT(t, dir); !strings.HasSuffix(m.Plan.Markers[1].Label, varied) {
				t.Errorf("the resumed sweep's plan labels the varied event %q", m.Plan.Markers[1].Label)
			}
		})
	}
}

// TestMergeOldPlan: shards whose plans differ in their labels only (one
// made before c7b7591) merge into the sweep made at once; shards whose
// plans differ otherwise are refused.
func TestMergeOldPlan(t *testing.T) {
	sw, ref := madeAtOnce(t, eventSweep)
	for _, tc := range planEdits {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			dirs := twoShards(t, sw, base)
			oldPlan(t, dirs[1], tc.edit)
			out := filepath.Join(base, "merged")
			_, err := Merge(dirs, MergeOptions{Out: out})
			if !succeeded(t, "merge", err, tc.edit != nil, "ran the base scenario differently") {
				return
			}
			sameFiles(t, ref, out, "runs.csv", "bands.csv", "report.md")
		})
	}
}

// sameFiles fails unless each file has the same bytes in dirs a and b.
func sameFiles(t *testing.T, a, b string, files ...string) {
	t.Helper()
	for _, f := range files {
		x, err1 := os.ReadFile(filepath.Join(a, f))
		y, err2 := os.ReadFile(filepath.Join(b, f))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s (%v, %v)", f, a, b, err1, err2)
		}
	}
}

// setSweep is a sweep of mini whose set edits the BOJ hike, so that the
// loader marks its label "(edited: rate=0.005)" and the description
// "Edited: events.0.rate=0.005." (since c7b7591), in the resolved base the
// fingerprint hashes.
const setSweep = `base: mini
seed: 5
runs: 8
set: [events.0.rate=0.005]
parameters:
  - {path: leverage_scale, dist: {kind: uniform, min: 0.8, max: 1.2}}
metrics: [headline_move_pct, defaults]
series: [NKY]
`

// edits are the loader's marks of an edited event, in a label and in the
// description.
var edits = regexp.MustCompile(` \(edited: [^)]*\)| Edited: [^']*\.`)

// oldWording rewrites the sweep in dir as a cascade before c7b7591 wrote
// it: the resolved base, the plan's labels without the loader's marks, the
// fingerprint of that base, and the journal's chunks under it; then edit
// changes the manifest. It returns the old fingerprint.
func oldWording(t *testing.T, dir string, edit func(*Manifest)) string {
	t.Helper()
	m := readManifestT(t, dir)
	if fp, err := fingerprintOf(m.Sweep, []byte(m.Base.Resolved)); err != nil || fp != m.Fingerprint {
		t.Fatalf("the manifest's sweep and base give the fingerprint %.12s, not its %.12s (%v)", fp, m.Fingerprint, err)
	}
	if n := len(edits.FindAllString(m.Base.Resolved, -1)); n != 2 {
		t.Fatalf("the resolved base has %d marks of the edit, want the label's and the description's:\n%s", n, m.Base.Resolved)
	}
	m.Base.Resolved = edits.ReplaceAllString(m.Base.Resolved, "")
	for k := range m.Plan.Markers {
		m.Plan.Markers[k].Label = edits.ReplaceAllString(m.Plan.Markers[k].Label, "")
	}
	fp, err := fingerprintOf(m.Sweep, []byte(m.Base.Resolved))
	if err != nil {
		t.Fatal(err)
	}
	m.Fingerprint = fp
	if edit != nil {
		edit(m)
	}
	if err := m.write(dir); err != nil {
		t.Fatal(err)
	}
	chunks, _ := filepath.Glob(filepath.Join(dir, journalDir, "*.bin"))
	for _, c := range chunks {
		b, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := hex.DecodeString(fp)
		copy(b[6:38], raw)
		binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
		if err := os.WriteFile(c, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return fp
}

// wordingEdits are differences between an old sweep and this one beyond
// the wording of the base: each must still refuse a resume and a merge.
var wordingEdits = []struct {
	name string
	edit func(*Manifest)
}{
	{"the wording only", nil},
	{"another rate", func(m *Manifest) {
		m.Base.Resolved = strings.Replace(m.Base.Resolved, "rate: 0.005", "rate: 0.006", 1)
	}},
	{"another event kind", func(m *Manifest) {
		m.Base.Resolved = strings.Replace(m.Base.Resolved, "kind: guidance", "kind: policy_rate", 1)
	}},
	{"another seed", func(m *Manifest) { m.Sweep.Seed++ }},
	{"another range", func(m *Manifest) { *m.Sweep.Parameters[0].Dist.Max = 1.3 }},
}

// TestResumeOldWording: a sweep whose set edits an event, begun by a
// cascade whose loader did not mark the edit in the event's label and the
// description (so its fingerprint differs), resumes under its own
// fingerprint and gives the runs and bands of the sweep made at once; a
// sweep that differs in more than that wording is still refused. Before,
// the wording alone refused it ("holds a different sweep ... base
// scenarios differ").
func TestResumeOldWording(t *testing.T) {
	sw, ref := madeAtOnce(t, setSweep)
	for _, tc := range wordingEdits {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			kept := interrupted(t, sw, dir, Whole).Ran
			old := oldWording(t, dir, tc.edit)
			if !resumed(t, sw, dir, kept, tc.edit != nil, "holds a different sweep") {
				return
			}
			sameFiles(t, ref, dir, "runs.csv", "bands.csv", "sensitivity.csv")
			if m := readManifestT(t, dir); m.Fingerprint != old {
				t.Errorf("the resumed sweep has the fingerprint %.12s, want its own, %.12s", m.Fingerprint, old)
			}
		})
	}
}

// TestMergeOldWording: a shard begun before c7b7591 (the old wording and
// fingerprint) merges with one made now into the sweep made at once;
// shards that differ otherwise are refused.
func TestMergeOldWording(t *testing.T) {
	sw, ref := madeAtOnce(t, setSweep)
	for _, tc := range wordingEdits {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			dirs := twoShards(t, sw, base)
			oldWording(t, dirs[0], tc.edit)
			out := filepath.Join(base, "merged")
			var log bytes.Buffer
			_, err := Merge(dirs, MergeOptions{Out: out, Log: &log})
			if !succeeded(t, "merge", err, tc.edit != nil, "are shards of different sweeps") {
				return
			}
			sameFiles(t, ref, out, "runs.csv", "bands.csv", "sensitivity.csv")
			if !strings.Contains(log.String(), "differ in their description or events' labels only") {
				t.Errorf("merge said nothing of the fingerprints:\n%s", log.String())
			}
		})
	}
}

// madeAtOnce writes the sweep file src and makes the whole sweep, in one
// go, in a directory of its own: the reference an edited sweep is to
// match.
func madeAtOnce(t *testing.T, src string) (*Sweep, string) {
	t.Helper()
	sw, err := writeSweep(t, src)
	if err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(t.TempDir(), "ref")
	if _, err := Run(context.Background(), sw, Options{Dir: ref, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	return sw, ref
}

// twoShards makes the sweep's two shards in base and returns their
// directories.
func twoShards(t *testing.T, sw *Sweep, base string) []string {
	t.Helper()
	var dirs []string
	for k := range 2 {
		sh := Shard{Index: k, Count: 2}
		d := filepath.Join(base, sh.Dir())
		if _, err := Run(context.Background(), sw, Options{Dir: d, Shard: sh, Workers: 2}); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	return dirs
}

// resumed resumes the sweep in dir, of which kept runs were made. With
// refuse it wants a refusal that says refusal, and returns false;
// otherwise it wants the kept runs kept and the rest made, and returns
// true.
func resumed(t *testing.T, sw *Sweep, dir string, kept int, refuse bool, refusal string) bool {
	t.Helper()
	res, err := Run(context.Background(), sw, Options{Dir: dir, Resume: true, Workers: 2})
	if !succeeded(t, "resume", err, refuse, refusal) {
		return false
	}
	if res.Resumed != kept || res.Ran != sw.Runs-kept {
		t.Errorf("resume kept %d runs and made %d, want %d and %d", res.Resumed, res.Ran, kept, sw.Runs-kept)
	}
	return true
}

// succeeded checks the outcome err of what (a merge, a resume): with
// refuse it wants a refusal that says refusal, and returns false;
// otherwise it wants no error, and returns true.
func succeeded(t *testing.T, what string, err error, refuse bool, refusal string) bool {
	t.Helper()
	if refuse {
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), refusal) {
			t.Errorf("%s: %v, want a refusal", what, err)
		}
		return false
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return true
}
