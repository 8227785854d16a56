package scenarios

import (
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cascade-sim/cascade/sim"
)

// An event's label describes it as the scenario wrote it ("government
// bonds fall 10%"), and every output shows it: plot markers, report.md,
// events.jsonl. An override that changes the event (--set
// events.0.shocks.GOVB=-0.2) would leave it stale, so the loader appends
// what the overrides changed: "government bonds fall 10% (edited:
// shocks.GOVB=-0.2)". The scenario's description, which may describe the
// events too, is marked the same way, with the overrides' full paths.
// An override that sets the label (or the description) itself, or gives
// the whole event or list, is taken as saying what it should be; events
// an override appends (events+=[...]) carry their own labels, and mark
// the description only. The
// marks are written into the resolved scenario, so that a manifest run
// again shows them without the overrides.

// override is one "path=value" override as given.
type override struct{ path, value string }

// editLabels marks, in root, the labels of the events that the overrides
// changed, and the description when they changed any event; events0 is
// the events list before the overrides (nil if none).
func (l *loader) editLabels(root, events0 *yaml.Node, sets []override) {
	evs := valueOf(root, "events")
	if evs == nil || evs.Kind != yaml.SequenceNode {
		return
	}
	n := len(evs.Content)
	ids := make([]string, n)
	for j, e := range evs.Content {
		ids[j] = entryField(e, "id")
	}
	// The labels the overrides addressed events by: those before them.
	labels := eventLabels(evs)
	if events0 != nil && events0.Kind == yaml.SequenceNode && len(events0.Content) == n {
		labels = eventLabels(events0)
	}
	from := make([][]int, n)            // per event, the overrides that set it, but for its label
	fields := make([]string, len(sets)) // the event field each override sets ("" for a whole event)
	labelSet := make([]bool, n)         // the overrides gave the event's label
	described := false                  // an override set the description
	changed := make([]bool, len(sets))  // the overrides that changed an event
	for k, o := range sets {
		segs, err := SplitPath(o.path)
		if err != nil || len(segs) == 0 {
			continue
		}
		if segs[0] == "description" {
			described = true
		}
		if len(segs) == 1 && segs[0] == "events+" && strings.TrimSpace(o.value) != "[]" {
			// Events appended (events+=[...]) come with their own labels;
			// the description, which may list the events, is marked.
			changed[k] = true
			continue
		}
		if segs[0] != "events" {
			continue
		}
		if len(segs) > 2 {
			// A label or id with dots in it, written bare, as setPath reads it.
			segs = JoinDotted(segs, 1, func(k string) bool { return slices.Contains(ids, k) || slices.Contains(labels, k) })
		}
		var which []int
		switch {
		case len(segs) == 1 || segs[1] == Wildcard:
			for j := range n {
				which = append(which, j)
			}
		default:
			js, err := EventElements(segs[1], ids, labels)
			if err != nil {
				continue
			}
			which = js
		}
		field := ""
		if len(segs) > 2 {
			field = strings.Join(segs[2:], ".")
		}
		fields[k] = field
		for _, j := range which {
			if len(segs) <= 2 || segs[2] == "label" {
				labelSet[j] = true
			}
			if field == "label" {
				continue
			}
			// A later override of the same field replaces an earlier one.
			if i := slices.IndexFunc(from[j], func(i int) bool { return fields[i] == field }); i >= 0 {
				from[j] = slices.Delete(from[j], i, i+1)
			}
			from[j] = append(from[j], k)
		}
	}
	owned := false
	for j := range n {
		if len(from[j]) == 0 {
			continue
		}
		after, ok := l.event(evs.Content[j])
		if !ok {
			continue
		}
		if events0 != nil && events0.Kind == yaml.SequenceNode && j < len(events0.Content) {
			before, ok := l.event(events0.Content[j])
			before.Label, after.Label = "", ""
			if ok && reflect.DeepEqual(before, after) {
				continue // set to what it was
			}
		}
		for _, k := range from[j] {
			changed[k] = true
		}
		label := entryField(evs.Content[j], "label")
		if labelSet[j] || label == "" {
			continue // the label as given, or the kind, which stays true
		}
		var edits []string
		for _, k := range from[j] {
			edits = append(edits, fields[k]+"="+sets[k].value)
		}
		if !owned {
			evs = l.replace(root, "events", l.own(evs))
			owned = true
		}
		ev := l.own(evs.Content[j])
		evs.Content[j] = ev
		l.replace(ev, "label", l.scalar(valueOf(ev, "label"), label+" (edited: "+strings.Join(edits, ", ")+")"))
	}
	var all []string
	for k, o := range sets {
		if changed[k] {
			all = append(all, o.path+"="+o.value)
		}
	}
	if d := valueOf(root, "description"); len(all) > 0 && !described && d != nil && d.Kind == yaml.ScalarNode && strings.TrimSpace(d.Value) != "" {
		text := strings.TrimSpace(d.Value)
		if strings.HasSuffix(text, ".") {
			text += " Edited: " + strings.Join(all, ", ") + "."
		} else {
			text += " (edited: " + strings.Join(all, ", ") + ")"
		}
		l.replace(root, "description", l.scalar(d, text))
	}
}

// event decodes an event entry on its own (false if it does not decode:
// the validator reports it).
func (l *loader) event(n *yaml.Node) (sim.EventSpec, bool) {
	var e sim.EventSpec
	d := newDecoder(l.src)
	d.decode(n, reflect.ValueOf(&e).Elem(), "event")
	return e, len(d.probs) == 0
}

// scalar returns a string node holding text, placed where old was.
func (l *loader) scalar(old *yaml.Node, text string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text, Line: old.Line, Column: old.Column}
	l.src[n] = l.src[old]
	return n
}

// replace sets key's value in the mapping m to v and returns v.
func (l *loader) replace(m *yaml.Node, key string, v *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
		}
	}
	return v
}
