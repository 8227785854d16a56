package sweep

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/agents"
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

// below is the note on a bank that starts below its buffer in eba2018,
// and group what it says of several.
func below(id string) string {
	return "bank " + id + " starts below its buffer_ratio, so it deleverages (repays debt with its cash, then sells) in the first tick, before any event"
}

const group = "banks start below their buffer_ratio, so they deleverage (cash first, then sales) in the first tick, before any event"

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
			got[g.Text] = append(got[g.Text], i)
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
	// The banks' notes differ in the bank alone: one group, in every run
	// (DE21's note is), of every bank that starts below its buffer in
	// some run, in the notes' order; the report gives it one row.
	var banks, named []string
	for _, c := range man.SetupNotes {
		if c.Group != group {
			t.Errorf("%q: group %q, want %q", c.Note, c.Group, group)
		}
		if c.Note != below(c.Agent) {
			t.Errorf("%q: agent %q", c.Note, c.Agent)
		}
		banks = append(banks, c.Agent)
		if c.Runs < sw.Runs {
			named = append(named, fmt.Sprintf("%s (%d runs)", c.Agent, c.Runs))
		} else {
			named = append(named, c.Agent)
		}
	}
	if len(man.SetupNoteGroups) != 1 || !reflect.DeepEqual(man.SetupNoteGroups[0], GroupCount{Group: group, Runs: 12, First: []int{0, 1, 2, 3, 4}, Agents: banks}) {
		t.Errorf("groups %+v, want %q in all 12 runs, of %v", man.SetupNoteGroups, group, banks)
	}
	if !reflect.DeepEqual(res.Notes.Groups, man.SetupNoteGroups) {
		t.Errorf("Result.Notes' groups %+v, the manifest's %+v", res.Notes.Groups, man.SetupNoteGroups)
	}
	report, _ := os.ReadFile(filepath.Join(ref, "report.md"))
	if row := fmt.Sprintf("| %d %s: %s | 12 | 0, 1, 2, 3, 4, ... |", len(banks), group, strings.Join(named, ", ")); !strings.Contains(string(report), row) || !strings.Contains(row, "DE21, NL30, NL33, DE15 (11 runs), ") {
		t.Errorf("report.md lacks the row\n%s\n%s", row, report)
	}
	if strings.Contains(string(report), below("DE21")) {
		t.Errorf("report.md gives DE21's note a row of its own:\n%s", report)
	}

	same := func(what, dir string) {
		t.Helper()
		if m := readManifestT(t, dir); !reflect.DeepEqual(m.SetupNotes, man.SetupNotes) || !reflect.DeepEqual(m.SetupNoteGroups, man.SetupNoteGroups) || m.SetupNotesUnrecorded != 0 {
			t.Errorf("%s: notes %+v, groups %+v, want %+v, %+v", what, m.SetupNotes, m.SetupNoteGroups, man.SetupNotes, man.SetupNoteGroups)
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
	sum, groupSum := 0, 0
	for k := range 3 {
		sh := Shard{Index: k, Count: 3}
		d := filepath.Join(base, sh.Dir())
		if _, err := Run(context.Background(), sw, Options{Dir: d, Shard: sh, Workers: 2}); err != nil {
			t.Fatal(err)
		}
		m := readManifestT(t, d)
		for _, c := range m.SetupNotes {
			if c.Note == below("DE21") {
				sum += c.Runs
			}
		}
		for _, g := range m.SetupNoteGroups {
			groupSum += g.Runs
		}
		dirs = append(dirs, d)
	}
	if sum != sw.Runs || groupSum != sw.Runs {
		t.Errorf("the shards count DE21's note in %d runs and the group in %d, want %d", sum, groupSum, sw.Runs)
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
	if !reflect.DeepEqual(checked.Counts, man.SetupNotes) || !reflect.DeepEqual(checked.Groups, man.SetupNoteGroups) {
		t.Errorf("CheckRuns counts %+v, %+v, the sweep %+v, %+v", checked.Counts, checked.Groups, man.SetupNotes, man.SetupNoteGroups)
	}
}

// TestNoteTally: notes add up to the same counts whatever the order of the
// runs and however they are split, through a journal chunk's encoding or
// not; a note given twice in a run counts once; each keeps its five lowest
// runs. A group counts the runs that gave one or more of its notes (4 for
// x1's and x2's, which 5 runs of theirs share), and lists its agents in
// the notes' order. A chunk whose notes were written without groups (by an
// earlier cascade) leaves the groups unknown.
func TestNoteTally(t *testing.T) {
	type run struct {
		i     int
		gists []agents.Gist
	}
	plain := func(s string) agents.Gist { return agents.Gist{Text: s} }
	x := func(id string) agents.Gist {
		return agents.Gist{Text: "fund " + id + " is X", Agent: id, Group: "funds are X"}
	}
	a, b, c := plain("a"), plain("b"), plain("c")
	runs := []run{{7, []agents.Gist{a, b, x("x1")}}, {2, []agents.Gist{a, x("x1"), x("x2")}}, {9, []agents.Gist{b, b}}, {4, []agents.Gist{a, x("x2")}},
		{0, nil}, {11, []agents.Gist{a}}, {3, []agents.Gist{a, c, x("x2"), x("x2")}}, {8, []agents.Gist{a}}}
	want := &Notes{Counts: []NoteCount{
		{Note: "a", Runs: 6, First: []int{2, 3, 4, 7, 8}},
		{Note: "fund x2 is X", Runs: 3, First: []int{2, 3, 4}, Agent: "x2", Group: "funds are X"},
		{Note: "fund x1 is X", Runs: 2, First: []int{2, 7}, Agent: "x1", Group: "funds are X"},
		{Note: "b", Runs: 2, First: []int{7, 9}},
		{Note: "c", Runs: 1, First: []int{3}},
	}, Groups: []GroupCount{{Group: "funds are X", Runs: 4, First: []int{2, 3, 4, 7}, Agents: []string{"x2", "x1"}}}}
	for _, tc := range []struct {
		name    string
		order   []int // the runs, by position in runs
		split   int   // a second tally takes the runs from here, then is added
		encoded bool  // the second tally is added through a chunk's encoding
	}{
		{"in order", []int{0, 1, 2, 3, 4, 5, 6, 7}, 8, false},
		{"reversed", []int{7, 6, 5, 4, 3, 2, 1, 0}, 8, false},
		{"split", []int{3, 0, 6, 1, 7, 2, 5, 4}, 3, false},
		{"split after one", []int{5, 1, 2, 3, 4, 0, 6, 7}, 1, false},
		{"split, through a chunk", []int{1, 0, 6, 3, 7, 2, 5, 4}, 2, true},
	} {
		one, two := newNoteTally(), newNoteTally()
		for k, p := range tc.order {
			tally := one
			if k >= tc.split {
				tally = two
			}
			tally.add(runs[p].i, runs[p].gists)
		}
		n := two.notes()
		if tc.encoded {
			js, err := two.encode()
			if err != nil {
				t.Fatal(err)
			}
			if n, err = decodeNotes(js); err != nil {
				t.Fatal(err)
			}
		}
		one.addNotes(n)
		if got := one.notes(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, want)
		}
	}

	// A chunk an earlier cascade wrote: its notes, no groups.
	old, err := decodeNotes([]byte(`{"notes":[{"note":"fund x1 is X","runs":1,"first_runs":[12]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	tally, first := newNoteTally(), newNoteTally()
	first.addNotes(old)
	for _, r := range runs {
		tally.add(r.i, r.gists)
		first.add(r.i, r.gists)
	}
	tally.addNotes(old)
	got := tally.notes()
	if got.Groups != nil || len(got.Counts) != 5 || got.Counts[1].Runs != 3 || got.Counts[1].Agent != "x1" || got.Counts[1].Group != "funds are X" {
		t.Errorf("with a chunk of notes without groups: %+v, want x1's note in 3 runs, its group, and no groups counted", got)
	}
	if g := first.notes(); !reflect.DeepEqual(g, got) {
		t.Errorf("that chunk added first: %+v, last: %+v", g, got)
	}
	if _, err := decodeNotes([]byte(`{"notes":[],"groups":[{"group":"funds are X","runs":0,"first_runs":[]}]}`)); err == nil || !strings.Contains(err.Error(), `group "funds are X" counted in 0 runs, 0 shown`) {
		t.Errorf("a group counted in no run: error %v", err)
	}
	// One without notes, as version 1 wrote them, does not unsettle them.
	tally.reset()
	for _, r := range runs {
		tally.add(r.i, r.gists)
	}
	tally.addNotes(&Notes{Unrecorded: 4})
	if got := tally.notes(); !reflect.DeepEqual(got.Groups, want.Groups) || got.Unrecorded != 4 {
		t.Errorf("with 4 runs unrecorded: groups %+v (%d unrecorded), want %+v", got.Groups, got.Unrecorded, want.Groups)
	}
}

// TestNoteLines: a group of notes on two agents or more is one line, which
// names them, each with its own runs where they are fewer than the line's,
// and at most as many as asked (more, and the line says how many more and
// where they are); a group of one agent, or notes whose groups are
// unknown, are lines of their own, the most frequent first.
func TestNoteLines(t *testing.T) {
	note := func(id string, runs int, first ...int) NoteCount {
		return NoteCount{Note: "bank " + id + " is low", Runs: runs, First: first, Agent: id, Group: "banks are low"}
	}
	counts := []NoteCount{note("DE21", 12, 0, 1, 2, 3, 4), note("NL33", 12, 0, 1, 2, 3, 4), note("DK05", 3, 2, 5, 9),
		{Note: "leverage_scale scales nothing", Runs: 4, First: []int{1, 3, 5, 7}}, note("FR14", 1, 6)}
	group := GroupCount{Group: "banks are low", Runs: 12, First: []int{0, 1, 2, 3, 4}, Agents: []string{"DE21", "NL33", "DK05", "FR14"}}
	for _, tc := range []struct {
		name  string
		notes Notes
		most  int
		want  []NoteLine
	}{
		{"grouped", Notes{Counts: counts, Groups: []GroupCount{group}}, 0, []NoteLine{
			{"4 banks are low: DE21, NL33, DK05 (3 runs), FR14 (1 run)", 12, []int{0, 1, 2, 3, 4}, 0},
			{"leverage_scale scales nothing", 4, []int{1, 3, 5, 7}, 0},
		}},
		{"two named", Notes{Counts: counts, Groups: []GroupCount{group}}, 2, []NoteLine{
			{"4 banks are low: DE21, NL33, and 2 more", 12, []int{0, 1, 2, 3, 4}, 2},
			{"leverage_scale scales nothing", 4, []int{1, 3, 5, 7}, 0},
		}},
		{"three named: all four", Notes{Counts: counts, Groups: []GroupCount{group}}, 3, []NoteLine{
			{"4 banks are low: DE21, NL33, DK05 (3 runs), FR14 (1 run)", 12, []int{0, 1, 2, 3, 4}, 0},
			{"leverage_scale scales nothing", 4, []int{1, 3, 5, 7}, 0},
		}},
		{"a group of one", Notes{Counts: []NoteCount{counts[2], counts[3]}, Groups: []GroupCount{{Group: "banks are low", Runs: 3, First: []int{2, 5, 9}, Agents: []string{"DK05"}}}}, 0, []NoteLine{
			{"leverage_scale scales nothing", 4, []int{1, 3, 5, 7}, 0},
			{"bank DK05 is low", 3, []int{2, 5, 9}, 0},
		}},
		{"groups unknown", Notes{Counts: counts}, 0, []NoteLine{
			{"bank DE21 is low", 12, []int{0, 1, 2, 3, 4}, 0},
			{"bank NL33 is low", 12, []int{0, 1, 2, 3, 4}, 0},
			{"leverage_scale scales nothing", 4, []int{1, 3, 5, 7}, 0},
			{"bank DK05 is low", 3, []int{2, 5, 9}, 0},
			{"bank FR14 is low", 1, []int{6}, 0},
		}},
	} {
		if got := tc.notes.Lines(tc.most); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n%+v\nwant\n%+v", tc.name, got, tc.want)
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

// toUngrouped rewrites a journal chunk as cascade wrote it before it
// grouped the notes: the notes without their agents and groups.
func toUngrouped(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	nn := binary.LittleEndian.Uint64(b[headerSizeV1:])
	n, err := decodeNotes(b[len(b)-4-int(nn) : len(b)-4])
	if err != nil {
		t.Fatal(err)
	}
	type old struct {
		Note  string `json:"note"`
		Runs  int    `json:"runs"`
		First []int  `json:"first_runs"`
	}
	var notes []old
	for _, c := range n.Counts {
		notes = append(notes, old{c.Note, c.Runs, c.First})
	}
	js, err := json.Marshal(struct {
		Notes []old `json:"notes"`
	}{notes})
	if err != nil {
		t.Fatal(err)
	}
	out := slices.Concat(b[:len(b)-4-int(nn)], js)
	binary.LittleEndian.PutUint64(out[headerSizeV1:], uint64(len(js)))
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(out))
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestResumeUngroupedJournal: a sweep whose journal an earlier cascade
// wrote with notes but without their groups resumes with every note
// counted as a sweep made at once counts it, the groups left out of the
// manifest (unknown for the runs journaled then) and each note a row of
// the report, as before.
func TestResumeUngroupedJournal(t *testing.T) {
	sw, err := writeSweep(t, bufferSweep)
	if err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(t.TempDir(), "ref")
	if _, err := Run(context.Background(), sw, Options{Dir: ref, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	want := readManifestT(t, ref)
	dir := filepath.Join(t.TempDir(), "out")
	kept := interrupted(t, sw, dir, Whole).Ran
	chunks, _ := filepath.Glob(filepath.Join(dir, "journal", "chunk-*.bin"))
	if len(chunks) == 0 || kept == 0 {
		t.Fatal("no chunk journaled")
	}
	for _, c := range chunks {
		toUngrouped(t, c)
	}
	res, err := Run(context.Background(), sw, Options{Dir: dir, Resume: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	man := readManifestT(t, dir)
	if len(man.SetupNotes) != len(want.SetupNotes) {
		t.Fatalf("%d notes, want %d", len(man.SetupNotes), len(want.SetupNotes))
	}
	for k, c := range man.SetupNotes {
		w := want.SetupNotes[k]
		if c.Note != w.Note || c.Runs != w.Runs || !slices.Equal(c.First, w.First) {
			t.Errorf("note %d: %q in %d runs %v, want %q in %d %v", k, c.Note, c.Runs, c.First, w.Note, w.Runs, w.First)
		}
	}
	if man.SetupNoteGroups != nil || res.Notes.Groups != nil {
		t.Errorf("groups %+v (Result %+v), want none: unknown for the runs journaled before", man.SetupNoteGroups, res.Notes.Groups)
	}
	report, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	if row := "| " + below("DE21") + " | 12 | 0, 1, 2, 3, 4, ... |"; !strings.Contains(string(report), row) {
		t.Errorf("report.md lacks the row %q:\n%s", row, report)
	}
}
