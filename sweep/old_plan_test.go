package sweep

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
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
	sw, err := writeSweep(t, eventSweep)
	if err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(t.TempDir(), "ref")
	if _, err := Run(context.Background(), sw, Options{Dir: ref, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range planEdits {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			kept := interrupted(t, sw, dir, Whole).Ran
			oldPlan(t, dir, tc.edit)
			res, err := Run(context.Background(), sw, Options{Dir: dir, Resume: true, Workers: 2})
			if tc.edit != nil {
				if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "runs the base scenario differently") {
					t.Errorf("resume: %v, want a refusal", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("resume: %v", err)
			}
			if res.Resumed != kept || res.Ran != sw.Runs-kept {
				t.Errorf("resume kept %d runs and made %d, want %d and %d", res.Resumed, res.Ran, kept, sw.Runs-kept)
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
	sw, err := writeSweep(t, eventSweep)
	if err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(t.TempDir(), "ref")
	if _, err := Run(context.Background(), sw, Options{Dir: ref, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range planEdits {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			var dirs []string
			for k := range 2 {
				sh := Shard{Index: k, Count: 2}
				d := filepath.Join(base, sh.Dir())
				if _, err := Run(context.Background(), sw, Options{Dir: d, Shard: sh, Workers: 2}); err != nil {
					t.Fatal(err)
				}
				dirs = append(dirs, d)
			}
			oldPlan(t, dirs[1], tc.edit)
			out := filepath.Join(base, "merged")
			_, err := Merge(dirs, MergeOptions{Out: out})
			if tc.edit != nil {
				if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "ran the base scenario differently") {
					t.Errorf("merge: %v, want a refusal", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("merge: %v", err)
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
