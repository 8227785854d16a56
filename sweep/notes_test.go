package sweep

import (
	"context"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// bufferSweep varies every eba2018 bank's buffer_ratio from 4% to 5%:
// DE21 (a leverage ratio of 3.41%) and NL33 (3.49%) start below it in
// every run, DK05 (4.41%) in the runs that draw it above 4.41%.
const bufferSweep = `base: eba2018
seed: 3
runs: 12
parameters:
  - {path: "agents.*.buffer_ratio", name: buffer_ratio, dist: {kind: uniform, min: 0.04, max: 0.05}}
metrics: [defaults]
series: [GOVB]
`

// below is the note on a bank that starts below its buffer in eba2018.
func below(id string) string {
	return "bank " + id + " starts below its buffer_ratio, so it deleverages (repays debt with its cash, then sells) in the first tick, before any event"
}

// reproducedNotes counts the notes of each run of sw as cascade run makes
// it alone: the scenario loaded with the --set overrides of the command
// the sweep prints for it, built at its seed.
func reproducedNotes(t *testing.T, sw *Sweep) map[string][]int {
	t.Helper()
	got := map[string][]int{}
	vals := make([]float64, len(sw.Params))
	for i := range sw.Runs {
		sw.Values(i, vals)
		var sets []string
		args := strings.Fields(sw.Reproduce(i, vals))
		for k := range args {
			if args[k] == "--set" {
				sets = append(sets, strings.Trim(args[k+1], "'"))
			}
		}
		sc, err := scenarios.Load(sw.BaseName, sets)
		if err != nil {
			t.Fatal(err)
		}
		m, err := sim.Build(&sc.File.Config, sw.RunSeed(i))
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range m.Gists {
			got[g] = append(got[g], i)
		}
	}
	return got
}

// TestSweepNotes: a sweep counts the notes on its runs' set-up, as cascade
// run makes them for each run alone, in its manifest and report; the
// counts are the same, bit for bit, on 1 or 2 workers, interrupted and
// resumed, sharded and merged, and from --check (CheckRuns). Before, a
// sweep threw the notes away: one that started banks below their buffers
// in every run said nothing.
func TestSweepNotes(t *testing.T) {
	sw, err := writeSweep(t, bufferSweep)
	if err != nil {
		t.Fatal(err)
	}
	want := reproducedNotes(t, sw)
	if len(want[below("DE21")]) != sw.Runs || len(want[below("NL33")]) != sw.Runs {
		t.Fatalf("DE21 and NL33 start below their buffer in %v and %v of the runs, want all", want[below("DE21")], want[below("NL33")])
	}
	if n := len(want[below("DK05")]); n == 0 || n == sw.Runs {
		t.Fatalf("DK05 starts below its buffer in runs %v, want some", want[below("DK05")])
	}

	ref := filepath.Join(t.TempDir(), "ref")
	res, err := Run(context.Background(), sw, Options{Dir: ref, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	man := readManifestT(t, ref)
	if len(man.SetupNotes) != len(want) || man.SetupNotesUnrecorded != 0 {
		t.Errorf("%d notes (%d runs unrecorded), want %d", len(man.SetupNotes), man.SetupNotesUnrecorded, len(want))
	}
	for k, c := range man.SetupNotes {
		runs := want[c.Note]
		if c.Runs != len(runs) || !slices.Equal(c.First, runs[:min(len(runs), 5)]) {
			t.Errorf("%q: in %d runs, first %v; want %d, first %v", c.Note, c.Runs, c.First, len(runs), runs[:min(len(runs), 5)])
		}
		if k > 0 && c.Runs > man.SetupNotes[k-1].Runs {
			t.Errorf("note %d in %d runs after one in %d: want the most frequent first", k, c.Runs, man.SetupNotes[k-1].Runs)
		}
	}
	if !reflect.DeepEqual(res.Notes.Counts, man.SetupNotes) {
		t.Errorf("Result.Notes %+v, the manifest's %+v", res.Notes.Counts, man.SetupNotes)
	}
	report, _ := os.ReadFile(filepath.Join(ref, "report.md"))
	if row := "| " + below("DE21") + " | 12 | 0, 1, 2, 3, 4, ... |"; !strings.Contains(string(report), row) {
		t.Errorf("report.md lacks the row %q:\n%s", row, report)
	}

	same := func(what, dir string) {
		t.Helper()
		if m := readManifestT(t, dir); !reflect.DeepEqual(m.SetupNotes, man.SetupNotes) || m.SetupNotesUnrecorded != 0 {
			t.Errorf("%s: notes %+v, want %+v", what, m.SetupNotes, man.SetupNotes)
		}
		sameFiles(t, ref, dir, "report.md")
	}
	two := filepath.Join(t.TempDir(), "two")
	if _, err := Run(context.Background(), sw, Options{Dir: two, Workers: 2, ChunkRuns: 3}); err != nil {
		t.Fatal(err)
	}
	same("2 workers", two)

	resumed := filepath.Join(t.TempDir(), "resumed")
	interrupted(t, sw, resumed, Whole)
	if _, err := Run(context.Background(), sw, Options{Dir: resumed, Resume: true, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	same("interrupted and resumed", resumed)

	base := t.TempDir()
	var dirs []string
	sum := 0
	for k := range 3 {
		sh := Shard{Index: k, Count: 3}
		d := filepath.Join(base, sh.Dir())
		if _, err := Run(context.Background(), sw, Options{Dir: d, Shard: sh, Workers: 2}); err != nil {
			t.Fatal(err)
		}
		for _, c := range readManifestT(t, d).SetupNotes {
			if c.Note == below("DE21") {
				sum += c.Runs
			}
		}
		dirs = append(dirs, d)
	}
	if sum != sw.Runs {
		t.Errorf("the shards count DE21's note in %d runs, want %d", sum, sw.Runs)
	}
	merged := filepath.Join(base, "merged")
	mres, err := Merge(dirs, MergeOptions{Out: merged})
	if err != nil {
		t.Fatal(err)
	}
	same("3 shards merged", merged)
	if !reflect.DeepEqual(mres.Notes.Counts, man.SetupNotes) {
		t.Errorf("Merge's Result.Notes %+v, want %+v", mres.Notes.Counts, man.SetupNotes)
	}

	checked, err := sw.CheckRuns(context.Background(), Whole, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(checked.Counts, man.SetupNotes) {
		t.Errorf("CheckRuns counts %+v, the sweep %+v", checked.Counts, man.SetupNotes)
	}
}

// TestNoteTally: notes add up to the same counts whatever the order of the
// runs and however they are split; a note given twice in a run counts
// once; each keeps its five lowest runs.
func TestNoteTally(t *testing.T) {
	type run struct {
		i     int
		gists []string
	}
	runs := []run{{7, []string{"a", "b"}}, {2, []string{"a"}}, {9, []string{"b", "b"}}, {4, []string{"a"}},
		{0, nil}, {11, []string{"a"}}, {3, []string{"a", "c"}}, {8, []string{"a"}}}
	want := &Notes{Counts: []NoteCount{
		{Note: "a", Runs: 6, First: []int{2, 3, 4, 7, 8}},
		{Note: "b", Runs: 2, First: []int{7, 9}},
		{Note: "c", Runs: 1, First: []int{3}},
	}}
	for _, tc := range []struct {
		name  string
		order []int // the runs, by position in runs
		split int   // a second tally takes the runs from here, then is added
	}{
		{"in order", []int{0, 1, 2, 3, 4, 5, 6, 7}, 8},
		{"reversed", []int{7, 6, 5, 4, 3, 2, 1, 0}, 8},
		{"split", []int{3, 0, 6, 1, 7, 2, 5, 4}, 3},
		{"split after one", []int{5, 1, 2, 3, 4, 0, 6, 7}, 1},
	} {
		a, b := newNoteTally(), newNoteTally()
		for k, p := range tc.order {
			tally := a
			if k >= tc.split {
				tally = b
			}
			tally.add(runs[p].i, runs[p].gists)
		}
		a.addNotes(b.notes())
		if got := a.notes(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, want)
		}
	}
}

// toV1 rewrites a journal chunk in version 1, as cascade wrote it before
// it recorded the notes: no notes length in the header, no notes.
func toV1(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	nn := binary.LittleEndian.Uint64(b[headerSizeV1:])
	v1 := slices.Concat(b[:headerSizeV1], b[headerSize:len(b)-4-int(nn)])
	binary.LittleEndian.PutUint16(v1[4:], 1)
	v1 = binary.LittleEndian.AppendUint32(v1, crc32.ChecksumIEEE(v1))
	if err := os.WriteFile(path, v1, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestResumeV1Journal: a sweep whose journal an earlier cascade wrote
// (chunks of version 1, without notes) resumes; the runs it journaled are
// counted as unrecorded, and the notes of the runs made now are counted.
func TestResumeV1Journal(t *testing.T) {
	sw, err := writeSweep(t, bufferSweep)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	kept := interrupted(t, sw, dir, Whole).Ran
	chunks, _ := filepath.Glob(filepath.Join(dir, "journal", "chunk-*.bin"))
	if len(chunks) == 0 {
		t.Fatal("no chunk journaled")
	}
	for _, c := range chunks {
		toV1(t, c)
	}
	res, err := Run(context.Background(), sw, Options{Dir: dir, Resume: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Resumed != kept {
		t.Fatalf("resumed %d runs, want %d", res.Resumed, kept)
	}
	man := readManifestT(t, dir)
	if man.SetupNotesUnrecorded != kept {
		t.Errorf("%d runs unrecorded, want the %d journaled in version 1", man.SetupNotesUnrecorded, kept)
	}
	for _, c := range man.SetupNotes {
		if c.Note == below("DE21") && (c.Runs != sw.Runs-kept || c.First[0] != kept) {
			t.Errorf("DE21's note in %d runs from run %d, want the %d made now, from run %d", c.Runs, c.First[0], sw.Runs-kept, kept)
		}
	}
	report, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	if s := "were not recorded"; !strings.Contains(string(report), s) {
		t.Errorf("report.md does not say %q:\n%s", s, report)
	}
}
