package sweep

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// noteExamples is how many run indexes a note keeps as examples.
const noteExamples = 5

// NoteCount is one of the notes on the runs' set-up, as sim.Model.Gists
// words it (what the build changed from the scenario, or found in it,
// without the run's numbers: "bank DE21 starts below its buffer_ratio, so
// it deleverages ... in the first tick, before any event"), and the runs
// whose set-up gave it.
type NoteCount struct {
	Note string `json:"note"`
	Runs int    `json:"runs"`
	// First holds the lowest indexes of those runs, up to five, in
	// increasing order.
	First []int `json:"first_runs"`
}

// Notes are the notes on the set-up of a sweep's runs (of a shard's, a
// chunk's), counted over them.
type Notes struct {
	// Counts holds each distinct note once: the most frequent first, then
	// by first run, then alphabetically.
	Counts []NoteCount `json:"notes"`
	// Unrecorded counts the runs whose notes are unknown: journaled by a
	// cascade that did not record them (before journal chunks of version 2).
	Unrecorded int `json:"unrecorded,omitempty"`
}

// InRuns says which of total runs gave the note: "in all 52 runs", "in 3
// of 52 runs (0, 7, 9)", "in 312 of 1000 runs (0, 3, 5, 8, 9, ...)".
func (c NoteCount) InRuns(total int) string {
	switch {
	case c.Runs == total && total == 1:
		return "in the run"
	case c.Runs == total:
		return fmt.Sprintf("in all %d runs", total)
	}
	return fmt.Sprintf("in %d of %d runs (%s%s)", c.Runs, total, joinInts(c.First), ellipsis(c.Runs > len(c.First)))
}

// noteTally adds up notes, in any order of runs, to the same Notes.
type noteTally struct {
	byNote     map[string]*NoteCount
	unrecorded int
}

func newNoteTally() *noteTally { return &noteTally{byNote: map[string]*NoteCount{}} }

// add counts run i's notes (a note given twice counts once).
func (t *noteTally) add(i int, gists []string) {
	for k, g := range gists {
		if slices.Contains(gists[:k], g) {
			continue
		}
		t.count(g, 1, []int{i})
	}
}

// count adds runs that gave note, first being the lowest of their indexes.
func (t *noteTally) count(note string, runs int, first []int) {
	c := t.byNote[note]
	if c == nil {
		c = &NoteCount{Note: note}
		t.byNote[note] = c
	}
	c.Runs += runs
	c.First = lowest(c.First, first)
}

// lowest returns the distinct lowest indexes of a and b, up to noteExamples,
// in increasing order.
func lowest(a, b []int) []int {
	out := slices.Concat(a, b)
	slices.Sort(out)
	out = slices.Compact(out)
	return out[:min(len(out), noteExamples)]
}

// addNotes adds up Notes counted elsewhere (a chunk's, a shard's).
func (t *noteTally) addNotes(n *Notes) {
	for _, c := range n.Counts {
		t.count(c.Note, c.Runs, c.First)
	}
	t.unrecorded += n.Unrecorded
}

// notes returns the tally, in its order (Notes.Counts).
func (t *noteTally) notes() *Notes {
	n := &Notes{Counts: make([]NoteCount, 0, len(t.byNote)), Unrecorded: t.unrecorded}
	for _, c := range t.byNote {
		n.Counts = append(n.Counts, *c)
	}
	slices.SortFunc(n.Counts, func(a, b NoteCount) int {
		return cmp.Or(cmp.Compare(b.Runs, a.Runs), cmp.Compare(a.First[0], b.First[0]), strings.Compare(a.Note, b.Note))
	})
	return n
}

// reset empties the tally.
func (t *noteTally) reset() {
	clear(t.byNote)
	t.unrecorded = 0
}

// encode writes the tally for a journal chunk.
func (t *noteTally) encode() ([]byte, error) { return json.Marshal(t.notes()) }

// decodeNotes reads the notes of a journal chunk.
func decodeNotes(b []byte) (*Notes, error) {
	var n Notes
	if err := json.Unmarshal(b, &n); err != nil {
		return nil, err
	}
	for _, c := range n.Counts {
		if c.Runs < 1 || len(c.First) == 0 {
			return nil, fmt.Errorf("note %q counted in %d runs, %d shown", c.Note, c.Runs, len(c.First))
		}
	}
	return &n, nil
}

// sumNotes adds up the notes of chunks.
func sumNotes(chunks []chunk) *Notes {
	t := newNoteTally()
	for _, c := range chunks {
		t.addNotes(c.notes)
	}
	return t.notes()
}

// setNotes records the notes of chunks, which hold every run of the
// shard, in the manifest, and returns them.
func (m *Manifest) setNotes(chunks []chunk) *Notes {
	n := sumNotes(chunks)
	m.SetupNotes, m.SetupNotesUnrecorded = n.Counts, n.Unrecorded
	return n
}
