package sweep

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// Kinds of swept fields.
const (
	kindFloat = iota
	kindInt
	kindBool
	kindText
)

// kindNames describe the kinds in messages.
var kindNames = [...]string{kindFloat: "a number", kindInt: "a whole number", kindBool: "true or false", kindText: "text"}

// target is a parameter's field, resolved against the base scenario.
type target struct {
	// agent is the index in Config.Agents of the agent entry whose
	// kind-specific parameters hold the field, or -1; path is the index
	// path (for sim.SetField) from the Config, or from that agent's spec.
	agent     int
	path      string
	kind      int
	eventTick bool // events.N.tick: event is N
	event     int
}

// String returns the field as an index path from the Config.
func (t target) String() string {
	if t.agent >= 0 {
		return fmt.Sprintf("agents.%d.%s", t.agent, t.path)
	}
	return t.path
}

// apply sets the field to x in cfg: a number, or for a text field the
// level with index x.
func (t target) apply(cfg *sim.Config, x float64, levels []string) error {
	var v any = cfg
	if t.agent >= 0 {
		spec, err := cfg.Agents[t.agent].Spec()
		if err != nil {
			return err
		}
		v = spec
	}
	if t.kind == kindText {
		l, ok := level(levels, x)
		if !ok {
			return fmt.Errorf("%s: %v is not the index of a level (%d levels)", t, x, len(levels))
		}
		return sim.SetText(v, t.path, l)
	}
	return sim.SetField(v, t.path, x)
}

// get reads the field's number in cfg.
func (t target) get(cfg *sim.Config) (float64, error) {
	var v any = cfg
	if t.agent >= 0 {
		spec, err := cfg.Agents[t.agent].Spec()
		if err != nil {
			return 0, err
		}
		v = spec
	}
	return sim.GetField(v, t.path)
}

var (
	durationType  = reflect.TypeOf(time.Duration(0))
	agentSpecType = reflect.TypeOf(sim.AgentSpec{})
	eventSpecType = reflect.TypeOf(sim.EventSpec{})
)

// fixedFields cannot be swept: every run shares the clock, and seeds come
// from the sweep.
var fixedFields = map[string]string{
	"seed":  "each run's seed derives from the sweep's seed and the run index",
	"ticks": "every run must cover the same ticks for the bands",
	"tick":  "every run must cover the same ticks for the bands",
	"start": "every run must cover the same ticks for the bands",
}

// resolve finds the numeric fields a parameter path names in cfg: yaml
// field names, list elements by index or by id, map keys that the base
// scenario has, events by label, and the wildcard * (see wildcard).
// Errors name the part of the path that does not resolve.
//
// labels are the events' labels as cascade run --set addresses them
// after the overrides cfg was loaded with (scenarios.Scenario's
// EventLabels, without the loader's "(edited: ...)" marks); nil takes
// each event's label in cfg, or its kind. A label stands for every event
// that has it, as in --set (eventsByLabel).
func resolve(cfg *sim.Config, labels []string, path string) ([]target, error) {
	segs, err := scenarios.SplitPath(path)
	if err != nil {
		return nil, err
	}
	for _, s := range segs {
		if s == "" {
			return nil, fmt.Errorf("%q is not a field path (want names separated by dots, e.g. brokers.GS.capital)", path)
		}
	}
	if why, ok := fixedFields[segs[0]]; ok && len(segs) == 1 {
		return nil, fmt.Errorf("%s cannot be swept: %s", path, why)
	}
	t := target{agent: -1}
	var idx []string // the index path from the Config or the agent's spec
	v := reflect.ValueOf(cfg).Elem()
	inAgent := -1 // index of the agent entry v is in, while v is that entry
	for i := 0; i < len(segs); i++ {
		where := strings.Join(segs[:i], ".")
		if where == "" {
			where = "the scenario"
		}
		var err error
		if v, err = deref(v, where); err != nil {
			return nil, err
		}
		// An id or key holding dots (an asset BRK.B), written bare.
		switch v.Kind() {
		case reflect.Slice, reflect.Array:
			segs = scenarios.JoinDotted(segs, i, func(id string) bool {
				if _, err := element(v, id); err == nil {
					return true
				}
				return isEvents(v, segs, i) && slices.Contains(eventLabels(cfg, labels), id)
			})
		case reflect.Map:
			if v.Type().Key().Kind() == reflect.String {
				segs = scenarios.JoinDotted(segs, i, func(k string) bool {
					return v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())).IsValid()
				})
			}
		}
		seg := segs[i]
		if seg == scenarios.Wildcard {
			return wildcard(cfg, labels, v, segs, i)
		}
		switch v.Kind() {
		case reflect.Struct:
			if v.Type() == agentSpecType && seg != "count" && seg != "vary" {
				a := v.Addr().Interface().(*sim.AgentSpec)
				spec, err := a.Spec()
				if err != nil {
					return nil, fmt.Errorf("%s: %v", where, err)
				}
				sv := reflect.ValueOf(spec).Elem()
				f, ok := sim.FieldByTag(sv, seg)
				if !ok {
					names := append([]string{"count", "vary"}, sim.YAMLNames(sv.Type())...)
					return nil, fmt.Errorf("unknown field %q for the %s %s%s", seg, a.Kind, where, scenarios.DidYouMean(seg, names))
				}
				for _, vr := range a.Vary {
					rest := strings.Join(segs[i:], ".")
					if vr.Field == rest || strings.HasPrefix(rest, vr.Field+".") {
						return nil, fmt.Errorf("%s is drawn per member by the population's vary; sweep its distribution instead (e.g. %s.vary.N.dist.max)", path, where)
					}
				}
				t.agent, idx = inAgent, nil
				v = f
				idx = append(idx, seg)
				continue
			}
			if v.Type() == eventSpecType && seg == "tick" && i == len(segs)-1 {
				t.eventTick = true
				t.event, _ = strconv.Atoi(idx[len(idx)-1])
			}
			f, ok := sim.FieldByTag(v, seg)
			if !ok {
				return nil, fmt.Errorf("unknown field %q in %s%s", seg, where, scenarios.DidYouMean(seg, sim.YAMLNames(v.Type())))
			}
			v = f
			idx = append(idx, seg)
		case reflect.Slice, reflect.Array:
			if isEvents(v, segs, i) {
				if ts, ok, err := eventsByLabel(cfg, labels, segs, i); ok || err != nil {
					return ts, err
				}
			}
			k, err := element(v, seg)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", where, err)
			}
			if v.Type().Elem() == agentSpecType {
				inAgent = k
			}
			v = v.Index(k)
			idx = append(idx, strconv.Itoa(k))
		case reflect.Map:
			if v.Type().Key().Kind() != reflect.String {
				return nil, fmt.Errorf("%s cannot be addressed by name", where)
			}
			key := reflect.ValueOf(seg).Convert(v.Type().Key())
			e := v.MapIndex(key)
			if !e.IsValid() {
				keys := mapKeys(v)
				hint := scenarios.DidYouMean(seg, keys)
				if hint == "" && i == len(segs)-1 {
					// A key the base lacks: the sweep file's set can add it.
					hint = fmt.Sprintf("; to sweep a key the base lacks, add it with the sweep file's set (set: [%s=0]) and sweep that", path)
				}
				return nil, fmt.Errorf("no key %q in %s (the base scenario has %s)%s", seg, where, listOrNone(keys), hint)
			}
			// Map values are not addressable: walk a copy (only its type
			// and contents matter here).
			c := reflect.New(e.Type()).Elem()
			c.Set(e)
			v = c
			idx = append(idx, seg)
		default:
			return nil, fmt.Errorf("%s is a %s: it has no field %q", where, describe(v), seg)
		}
	}
	if v.Kind() == reflect.Pointer {
		if v.Type().Elem().Kind() == reflect.Struct {
			if v.IsNil() {
				return nil, fmt.Errorf("%s is not set in the base scenario", path)
			}
		}
		if v.IsNil() {
			v = reflect.New(v.Type().Elem()).Elem()
		} else {
			v = v.Elem()
		}
	}
	if v.Type() == durationType {
		return nil, fmt.Errorf("%s is a time span, which cannot be swept", path)
	}
	switch v.Kind() {
	case reflect.Float64, reflect.Float32:
		t.kind = kindFloat
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64, reflect.Uint32:
		t.kind = kindInt
	case reflect.Bool:
		t.kind = kindBool
	case reflect.String:
		if last := segs[len(segs)-1]; last == "id" || last == "kind" {
			return nil, fmt.Errorf("%s names what an entry is, which cannot be swept", path)
		}
		t.kind = kindText
	case reflect.Struct:
		return nil, fmt.Errorf("%s is a group of fields, not a number (pick one: %s)", path, strings.Join(structFieldsOrNone(v), ", "))
	case reflect.Slice, reflect.Array:
		example := path + "=[...]"
		if path == "channels.off" {
			example = "channels.off=[cross_margin]"
		}
		return nil, fmt.Errorf("%s is a list, not a number or text: sweep it with a parameter of variants, each setting the list (name: ..., variants: [{name: base}, {name: other, set: [\"%s\"]}]; docs/sweeps.md, Model choices)", path, example)
	default:
		return nil, fmt.Errorf("%s is %s, not a number", path, describe(v))
	}
	t.path = strings.Join(idx, ".")
	return []target{t}, nil
}

// wildcard resolves a path whose segment i is the wildcard, given v, the
// list or mapping the segments before it name: every element of the list,
// or every key of the mapping. In the list of agent entries it stands for
// every entry whose kind takes the next field (scenarios.Wildcard has the
// rule, which --set shares). Each is resolved in turn, so an element that
// lacks the rest of the path is an error, not skipped.
func wildcard(cfg *sim.Config, labels []string, v reflect.Value, segs []string, i int) ([]target, error) {
	path, prefix := strings.Join(segs, "."), strings.Join(segs[:i], ".")
	if i == 0 {
		return nil, fmt.Errorf("%s: the scenario's top-level fields cannot be a wildcard", path)
	}
	var names []string
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		agents := v.Type().Elem() == agentSpecType
		if agents && i == len(segs)-1 {
			return nil, fmt.Errorf("%s: a wildcard in agents stands for entries, and a field must follow it (e.g. agents.*.buffer_ratio)", path)
		}
		var kinds []string // of the agent entries left out
		for k := 0; k < v.Len(); k++ {
			e := v.Index(k)
			if agents {
				if kind := e.Addr().Interface().(*sim.AgentSpec).Kind; !sim.KindHasField(kind, segs[i+1]) {
					kinds = append(kinds, kind)
					continue
				}
			}
			name := elementID(e)
			if name == "" {
				name = strconv.Itoa(k)
			}
			names = append(names, name)
		}
		if len(names) == 0 {
			if v.Len() == 0 {
				return nil, fmt.Errorf("%s: the wildcard matches nothing: %s is empty in the base scenario", path, prefix)
			}
			return nil, fmt.Errorf("%s: %w", path, scenarios.NoEntryTakes(prefix, segs[i+1], kinds))
		}
	case reflect.Map:
		names = mapKeys(v)
		if len(names) == 0 {
			return nil, fmt.Errorf("%s: the wildcard matches nothing: %s has no keys in the base scenario", path, prefix)
		}
	default:
		return nil, fmt.Errorf("%s: a wildcard stands for the elements of a list or the keys of a mapping, and %s is %s", path, prefix, describe(v))
	}
	rest := ""
	if i+1 < len(segs) {
		rest = "." + strings.Join(segs[i+1:], ".")
	}
	var out []target
	for _, name := range names {
		ts, err := resolve(cfg, labels, prefix+"."+name+rest)
		if err != nil {
			return nil, err
		}
		out = append(out, ts...)
	}
	return out, nil
}

// isEvents reports whether v, which segs[:i] name, is the scenario's
// events list.
func isEvents(v reflect.Value, segs []string, i int) bool {
	return i == 1 && segs[0] == "events" && v.Kind() == reflect.Slice && v.Type().Elem() == eventSpecType
}

// eventLabels returns labels, or when it is nil the label of each event
// of cfg as the outputs show it: its label, else its kind.
func eventLabels(cfg *sim.Config, labels []string) []string {
	if labels != nil {
		return labels
	}
	out := make([]string, len(cfg.Events))
	for j, e := range cfg.Events {
		out[j] = e.Label
		if out[j] == "" {
			out[j] = e.Kind
		}
	}
	return out
}

// eventsByLabel resolves a path whose segment i (1) addresses events by
// label, as --set does (scenarios.EventElements): the rest of the path in
// every event with that label, each by its index. It reports false, with
// no error, when segs[i] is an index or id, which resolve walks itself.
// An unknown label is an error listing the labels and the nearest.
func eventsByLabel(cfg *sim.Config, labels []string, segs []string, i int) ([]target, bool, error) {
	seg := segs[i]
	ids := make([]string, len(cfg.Events))
	if _, err := scenarios.Element(seg, ids); err == nil {
		return nil, false, nil
	}
	which, err := scenarios.EventElements(seg, ids, eventLabels(cfg, labels))
	if err != nil {
		return nil, false, fmt.Errorf("events: %v", err)
	}
	if strings.Contains(seg, "=") {
		// cascade run --set reads up to the first = as the path: the
		// runs' commands could not name the event.
		return nil, false, fmt.Errorf("events: the label %q holds an =, which cascade run --set (each run's command) reads as the end of the path: address the event by its index (%s)", seg, indexPaths(which, segs[i+1:]))
	}
	var out []target
	for _, k := range which {
		ts, err := resolve(cfg, labels, indexPath(k, segs[i+1:]))
		if err != nil {
			return nil, false, err
		}
		out = append(out, ts...)
	}
	return out, true, nil
}

// indexPath writes the path events.K followed by rest, each segment with
// a dot in it bracketed (events.1.shocks[BRK.B]).
func indexPath(k int, rest []string) string {
	p := "events." + strconv.Itoa(k)
	for _, s := range rest {
		if strings.ContainsAny(s, ".[") {
			p += "[" + s + "]"
		} else {
			p += "." + s
		}
	}
	return p
}

// indexPaths writes indexPath for each event of which, joined.
func indexPaths(which []int, rest []string) string {
	ps := make([]string, len(which))
	for j, k := range which {
		ps[j] = indexPath(k, rest)
	}
	return strings.Join(ps, ", ")
}

// deref follows pointers; a nil pointer to a struct cannot be walked.
func deref(v reflect.Value, where string) (reflect.Value, error) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return v, fmt.Errorf("%s is not set in the base scenario", where)
		}
		v = v.Elem()
	}
	return v, nil
}

// element finds a list element by index, or by id in lists of entries
// with one.
func element(v reflect.Value, seg string) (int, error) {
	ids := make([]string, v.Len())
	for k := range ids {
		ids[k] = elementID(v.Index(k))
	}
	return scenarios.Element(seg, ids)
}

// elementID returns the id of a list element ("" if it has none).
func elementID(e reflect.Value) string {
	for e.Kind() == reflect.Pointer {
		if e.IsNil() {
			return ""
		}
		e = e.Elem()
	}
	if e.Kind() != reflect.Struct {
		return ""
	}
	if e.Type() == agentSpecType {
		a := e.Addr().Interface().(*sim.AgentSpec)
		spec, err := a.Spec()
		if err != nil {
			return ""
		}
		return reflect.ValueOf(spec).Elem().FieldByName("ID").String()
	}
	if f, ok := sim.FieldByTag(e, "id"); ok && f.Kind() == reflect.String {
		return f.String()
	}
	return ""
}

func structFieldsOrNone(v reflect.Value) []string {
	if v.Type() == reflect.TypeOf(time.Time{}) {
		return []string{"none: it is a time"}
	}
	return sim.YAMLNames(v.Type())
}

func mapKeys(v reflect.Value) []string {
	var keys []string
	for _, k := range v.MapKeys() {
		keys = append(keys, k.String())
	}
	sort.Strings(keys)
	return keys
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

func describe(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return "text"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map:
		return "a mapping"
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			return "a time"
		}
		return "a group of fields"
	}
	return "a " + v.Kind().String()
}
