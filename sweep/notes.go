package sweep

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/cascade-sim/cascade/agents"
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
	// Agent is the agent the note is about, and Group what it says of
	// several agents (agents.Gist): notes of one group differ in the
	// agent alone. Both "" for a note on no one agent.
	Agent string `json:"agent,omitempty"`
	Group string `json:"group,omitempty"`
}

// GroupCount counts the runs whose set-up gave one or more of the notes of
// a group (NoteCount.Group).
type GroupCount struct {
	Group string `json:"group"`
	Runs  int    `json:"runs"`
	First []int  `json:"first_runs"` // as NoteCount's
	// Agents are the agents of its notes, in the notes' order (the most
	// frequent first).
	Agents []string `json:"agents"`
}

// Notes are the notes on the set-up of a sweep's runs (of a shard's, a
// chunk's), counted over them.
type Notes struct {
	// Counts holds each distinct note once: the most frequent first, then
	// by first run, then alphabetically.
	Counts []NoteCount `json:"notes"`
	// Groups counts the groups of notes, in the order of Counts. It is nil
	// (null, or absent in a journal chunk written before notes were
	// grouped) when some runs' notes were counted without their groups.
	Groups []GroupCount `json:"groups"`
	// Unrecorded counts the runs whose notes are unknown: journaled by a
	// cascade that did not record them (before journal chunks of version 2).
	Unrecorded int `json:"unrecorded,omitempty"`
}

// InRuns says which of total runs gave the note: "in all 52 runs", "in 3
// of 52 runs (0, 7, 9)", "in 312 of 1000 runs (0, 3, 5, 8, 9, ...)".
func (c NoteCount) InRuns(total int) string { return inRuns(c.Runs, c.First, total) }

func inRuns(runs int, first []int, total int) string {
	switch {
	case runs == total && total == 1:
		return "in the run"
	case runs == total:
		return fmt.Sprintf("in all %d runs", total)
	}
	return fmt.Sprintf("in %d of %d runs (%s%s)", runs, total, joinInts(first), ellipsis(runs > len(first)))
}

// NoteLine is a line of the notes on the runs' set-up as a sweep shows
// them (Notes.Lines): a note, or the notes of a group on two agents or
// more as one, and the runs that gave it.
type NoteLine struct {
	Text  string
	Runs  int
	First []int
	// LeftOut counts the agents of a group the line does not name.
	LeftOut int
}

// InRuns says which of total runs gave the line, as NoteCount.InRuns.
func (l NoteLine) InRuns(total int) string { return inRuns(l.Runs, l.First, total) }

// Lines returns the notes as a sweep shows them: the notes of a group on
// two agents or more as one line that says what the group says of them
// and names them ("7 banks start below their buffer_ratio, ...: DE21,
// NL33, DK05 (3 runs)", an agent whose note the group's runs did not all
// give with its own count), at most most of them (then "and 4 more",
// NoteLine.LeftOut; most < 1: all); every other note as it is. The most frequent first, then
// by first run, then alphabetically.
func (n *Notes) Lines(most int) []NoteLine {
	var out []NoteLine
	runs := map[string]int{} // each note's, by agent, in the group shown
	grouped := map[string]bool{}
	for _, g := range n.Groups {
		if len(g.Agents) < 2 {
			continue
		}
		grouped[g.Group] = true
		clear(runs)
		for _, c := range n.Counts {
			if c.Group == g.Group {
				runs[c.Agent] = c.Runs
			}
		}
		var ids []string
		left := 0
		for k, id := range g.Agents {
			if most > 0 && k == most && len(g.Agents) > most+1 {
				left = len(g.Agents) - most
				ids = append(ids, fmt.Sprintf("and %d more", left))
				break
			}
			if r := runs[id]; r < g.Runs {
				id += fmt.Sprintf(" (%d %s)", r, plural(r, "run", "runs"))
			}
			ids = append(ids, id)
		}
		out = append(out, NoteLine{Text: fmt.Sprintf("%d %s: %s", len(g.Agents), g.Group, strings.Join(ids, ", ")), Runs: g.Runs, First: g.First, LeftOut: left})
	}
	for _, c := range n.Counts {
		if !grouped[c.Group] || c.Group == "" {
			out = append(out, NoteLine{Text: c.Note, Runs: c.Runs, First: c.First})
		}
	}
	slices.SortStableFunc(out, func(a, b NoteLine) int {
		return cmp.Or(cmp.Compare(b.Runs, a.Runs), cmp.Compare(a.First[0], b.First[0]), strings.Compare(a.Text, b.Text))
	})
	return out
}

// noteTally adds up notes, in any order of runs, to the same Notes.
type noteTally struct {
	byNote  map[string]*NoteCount
	byGroup map[string]*GroupCount
	// ungrouped: some runs' notes were counted without their groups.
	ungrouped  bool
	unrecorded int
}

func newNoteTally() *noteTally {
	return &noteTally{byNote: map[string]*NoteCount{}, byGroup: map[string]*GroupCount{}}
}

// add counts run i's notes (a note given twice counts once, and so does a
// group).
func (t *noteTally) add(i int, gists []agents.Gist) {
	for k, g := range gists {
		if !slices.ContainsFunc(gists[:k], func(h agents.Gist) bool { return h.Text == g.Text }) {
			t.count(NoteCount{Note: g.Text, Agent: g.Agent, Group: g.Group}, 1, []int{i})
		}
		if g.Group != "" && !slices.ContainsFunc(gists[:k], func(h agents.Gist) bool { return h.Group == g.Group }) {
			t.countGroup(g.Group, 1, []int{i})
		}
	}
}

// count adds runs that gave note c (its text, agent and group), first
// being the lowest of their indexes.
func (t *noteTally) count(c NoteCount, runs int, first []int) {
	have := t.byNote[c.Note]
	if have == nil {
		have = &NoteCount{Note: c.Note}
		t.byNote[c.Note] = have
	}
	if have.Group == "" { // a note counted by an earlier cascade has none
		have.Agent, have.Group = c.Agent, c.Group
	}
	have.Runs += runs
	have.First = lowest(have.First, first)
}

// countGroup adds runs that gave one or more notes of group.
func (t *noteTally) countGroup(group string, runs int, first []int) {
	g := t.byGroup[group]
	if g == nil {
		g = &GroupCount{Group: group}
		t.byGroup[group] = g
	}
	g.Runs += runs
	g.First = lowest(g.First, first)
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
		t.count(c, c.Runs, c.First)
	}
	if n.Groups == nil && len(n.Counts) > 0 {
		t.ungrouped = true
	}
	for _, g := range n.Groups {
		t.countGroup(g.Group, g.Runs, g.First)
	}
	t.unrecorded += n.Unrecorded
}

// notes returns the tally, in its order (Notes.Counts, Notes.Groups).
func (t *noteTally) notes() *Notes {
	n := &Notes{Counts: make([]NoteCount, 0, len(t.byNote)), Unrecorded: t.unrecorded}
	for _, c := range t.byNote {
		n.Counts = append(n.Counts, *c)
	}
	slices.SortFunc(n.Counts, func(a, b NoteCount) int {
		return cmp.Or(cmp.Compare(b.Runs, a.Runs), cmp.Compare(a.First[0], b.First[0]), strings.Compare(a.Note, b.Note))
	})
	if t.ungrouped {
		return n
	}
	n.Groups = make([]GroupCount, 0, len(t.byGroup))
	for _, c := range n.Counts {
		if c.Group == "" {
			continue
		}
		k := slices.IndexFunc(n.Groups, func(g GroupCount) bool { return g.Group == c.Group })
		if k < 0 {
			g := t.byGroup[c.Group]
			n.Groups = append(n.Groups, GroupCount{Group: g.Group, Runs: g.Runs, First: g.First})
			k = len(n.Groups) - 1
		}
		n.Groups[k].Agents = append(n.Groups[k].Agents, c.Agent)
	}
	return n
}

// reset empties the tally.
func (t *noteTally) reset() {
	clear(t.byNote)
	clear(t.byGroup)
	t.ungrouped, t.unrecorded = false, 0
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
	for _, g := range n.Groups {
		if g.Runs < 1 || len(g.First) == 0 {
			return nil, fmt.Errorf("group %q counted in %d runs, %d shown", g.Group, g.Runs, len(g.First))
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
	m.SetupNotes, m.SetupNoteGroups, m.SetupNotesUnrecorded = n.Counts, n.Groups, n.Unrecorded
	return n
}

// setupNotes returns the notes the manifest records.
func (m *Manifest) setupNotes() *Notes {
	return &Notes{Counts: m.SetupNotes, Groups: m.SetupNoteGroups, Unrecorded: m.SetupNotesUnrecorded}
}
