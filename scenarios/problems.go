package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// Pos is a position in a scenario source.
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Problem is one thing wrong with a scenario.
type Problem struct {
	Pos  Pos
	Path string // the field, e.g. agents[3].trades[0].broker
	Msg  string
}

func (p Problem) String() string {
	if p.Path == "" {
		return fmt.Sprintf("%s: %s", p.Pos, p.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", p.Pos, p.Path, p.Msg)
}

// Problems is every problem found in a scenario; it is the error Load
// returns for invalid input.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Sorted orders problems by file, line and column (stable for equal
// positions), in place, and returns them. Files compare in natural order,
// their runs of digits as numbers: "--set #2" comes before "--set #10",
// and bank2.yaml before bank10.yaml.
func (ps Problems) Sorted() Problems {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i].Pos, ps[j].Pos
		if c := naturalCompare(a.File, b.File); c != 0 {
			return c < 0
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return ps
}

// naturalCompare compares a and b as strings, except that where both hold
// a run of digits the runs compare as numbers (of any length: leading
// zeros set aside, the longer is larger). Strings that differ only in
// leading zeros compare as strings, so the order is total.
func naturalCompare(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if isDigit(a[i]) && isDigit(b[j]) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			x := strings.TrimLeft(a[si:i], "0")
			y := strings.TrimLeft(b[sj:j], "0")
			if c := cmp.Compare(len(x), len(y)); c != 0 {
				return c
			}
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
			continue
		}
		if a[i] != b[j] {
			return cmp.Compare(a[i], b[j])
		}
		i++
		j++
	}
	if c := cmp.Compare(len(a)-i, len(b)-j); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// suggest returns the candidates s stands for: a synonym, else the
// closest by edit distance if close enough, else those whose names hold
// s's words or whose words s holds (byWords); none when there is none.
func suggest(s string, candidates []string) []string {
	// A word another tool would use for a field we name otherwise: the
	// edit distance cannot find those.
	for _, syn := range synonyms[strings.ToLower(s)] {
		if slices.Contains(candidates, syn) {
			return []string{syn}
		}
	}
	if m := core.Closest(s, candidates); m != "" {
		return []string{m}
	}
	return byWords(s, candidates)
}

// meant writes the names a refusal suggests, quoted: "x", "x" or "y",
// "x", "y" or "z".
func meant(names []string) string {
	q := make([]string, len(names))
	for k, n := range names {
		q[k] = strconv.Quote(n)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// didYouMean formats a suggestion suffix.
func didYouMean(s string, candidates []string) string { return DidYouMean(s, candidates) }

// synonyms maps names that users of other tools write to ours, nearest
// first: a sweep's scenario is its base, a distribution's type its kind.
var synonyms = map[string][]string{
	"scenario":     {"base", "extends"},
	"params":       {"parameters"},
	"param":        {"parameters"},
	"variables":    {"parameters"},
	"factors":      {"parameters"},
	"samples":      {"runs"},
	"n":            {"runs", "count"},
	"iterations":   {"runs"},
	"replications": {"runs"},
	"type":         {"kind"},
	"distribution": {"dist"},
	"low":          {"min"},
	"lower":        {"min"},
	"high":         {"max"},
	"upper":        {"max"},
	"std":          {"sd"},
	"stddev":       {"sd"},
	"duration":     {"horizon"},
	"steps":        {"ticks"},
	"dt":           {"tick"},
	"timestep":     {"tick"},
	"step":         {"tick"},
	"random_seed":  {"seed"},
	"inherits":     {"extends"},
	"base":         {"extends"},
	"name":         {"id"},
	"ticker":       {"id"},
	"symbol":       {"id"},
	"volatility":   {"vol"},
	"sigma":        {"vol"},
	"spot":         {"price"},
	"ccy":          {"currency"},
	"corr":         {"correlation"},
}

// DidYouMean returns " (did you mean "x"?)" with the candidate s stands
// for: a synonym, the closest by edit distance, or those that hold its
// words (suggest: ` (did you mean "x" or "y"?)`); "" when there is none.
// For every strict checker of user input in the project.
func DidYouMean(s string, candidates []string) string {
	if ms := suggest(s, candidates); len(ms) > 0 {
		return " (did you mean " + meant(ms) + "?)"
	}
	return ""
}

// Element returns the index of the element of a list that seg addresses,
// by index or by id: ids holds each element's id, in order ("" for one
// without). A seg that is a number and also the id of another element is
// ambiguous, and refused with the ways to say each (an asset with id
// "7203" in a list of more than 7203, or an agent with id "0" not first);
// a number past the end that is an element's id is that element. --set
// and the sweeps' field paths share it.
func Element(seg string, ids []string) (int, error) {
	byID := slices.Index(ids, seg)
	k, err := strconv.Atoi(seg)
	inRange := err == nil && k >= 0 && k < len(ids)
	switch {
	case inRange && byID >= 0 && byID != k:
		return 0, fmt.Errorf("%q is both element %d's index and element %d's id: write the index of the one you mean (%d or %d)", seg, k, byID, k, byID)
	case inRange:
		return k, nil
	case byID >= 0:
		return byID, nil
	}
	var named []string
	for _, id := range ids {
		if id != "" {
			named = append(named, id)
		}
	}
	return 0, NoElement(seg, len(ids), named)
}

// EventElements returns the indices of the events that seg addresses in
// a path (--set 'events[SEG].off=true'): an index or an id as Element
// reads them, else every event whose label is exactly seg. labels holds
// each event's label as the outputs show it (its kind when it has none).
// An index or id is taken first: a label that reads as one of the list's
// indices ("2") can only be reached by its index. A seg that matches
// nothing is refused with the labels and the nearest of them.
func EventElements(seg string, ids, labels []string) ([]int, error) {
	k, err := Element(seg, ids)
	if err == nil {
		return []int{k}, nil
	}
	var which []int
	for j, l := range labels {
		if l == seg {
			which = append(which, j)
		}
	}
	if len(which) > 0 {
		return which, nil
	}
	if _, num := strconv.Atoi(seg); num == nil || len(labels) == 0 {
		return nil, err
	}
	var uniq []string
	for _, l := range labels {
		if !slices.Contains(uniq, l) {
			uniq = append(uniq, l)
		}
	}
	hint := DidYouMean(seg, uniq)
	if hint == "" {
		// Part of a label: "BOJ hike" for "BOJ hike to 0.25%"; else a
		// label and more: "BOJ hike (edited: delta=0.01)", the label as an
		// override marked it, for "BOJ hike", which overrides address.
		for _, within := range []func(l string) bool{
			func(l string) bool { return strings.Contains(strings.ToLower(l), strings.ToLower(seg)) },
			func(l string) bool { return strings.Contains(strings.ToLower(seg), strings.ToLower(l)) },
		} {
			var holding []string
			for _, l := range uniq {
				if within(l) {
					holding = append(holding, l)
				}
			}
			if len(holding) > 0 && len(holding) <= maxMeant {
				hint = " (did you mean " + meant(holding) + "?)"
				break
			}
		}
	}
	return nil, fmt.Errorf("no event with index, id or label %q%s; the events' labels: %s", seg, hint, meant(uniq))
}

// NoElement is the error for seg, a list index or element id that
// addresses none of a list's n elements; ids are the ids of its elements,
// in order, leaving out any without one. It lists the ids and suggests the
// nearest; --set and the sweeps' field paths share it.
func NoElement(seg string, n int, ids []string) error {
	if k, err := strconv.Atoi(seg); err == nil {
		return fmt.Errorf("index %d out of range (the list has %d elements)", k, n)
	}
	if len(ids) == 0 {
		if n == 0 {
			return fmt.Errorf("no element %q: the list is empty", seg)
		}
		return fmt.Errorf("no element %q: address elements of this list by index (0 to %d)", seg, n-1)
	}
	hint := ""
	for _, id := range ids {
		if strings.HasPrefix(seg, id+"-") {
			hint = fmt.Sprintf("; the members of a population share its parameters: address the population, %q", id)
		}
	}
	return fmt.Errorf("no element with id %q (have %s)%s%s", seg, strings.Join(ids, ", "), DidYouMean(seg, ids), hint)
}

// NoEntryTakes is the error of a wildcard over the agent entries of where
// (agents.*.field) that no entry's kind takes: it names the kinds there
// and suggests the nearest field they do take.
func NoEntryTakes(where, field string, kinds []string) error {
	kinds = slices.Compact(slices.Sorted(slices.Values(kinds)))
	var fields []string
	for _, kind := range kinds {
		fields = append(fields, sim.KindFields(kind)...)
	}
	return fmt.Errorf("no entry of %s takes %q (its kinds: %s)%s", where, field, strings.Join(kinds, ", "), DidYouMean(field, fields))
}
