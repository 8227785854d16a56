package scenarios

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/cascade-sim/cascade/sim"
	"go.yaml.in/yaml/v3"
)

// Hints for an unknown field beyond its spelling: the field whose name
// holds the word (leverage: max_leverage), the kinds that have the field
// (leverage on a CTA is a hedge fund trade's), and what a key written by
// habit from other tools means here (an asset's daily_vol: vol is annual).

// byWords returns the candidates whose names hold the words of s in a
// row (leverage: max_leverage; lookback: lookback_days; facility:
// facility_cap, facility_capacity and facility_on) or whose words s holds
// in a row (adv_usd: adv; start_date: start), words being the parts of a
// name between underscores, in the candidates' order; none when none
// does, or more than maxMeant.
func byWords(s string, candidates []string) []string {
	ws := words(s)
	var found []string
	for _, c := range candidates {
		cs := words(c)
		if slices.Equal(ws, cs) || !(inRow(ws, cs) || inRow(cs, ws)) || slices.Contains(found, c) {
			continue
		}
		found = append(found, c)
	}
	if len(found) > maxMeant {
		return nil
	}
	return found
}

// maxMeant is the most names a refusal suggests: more would not say
// which was meant.
const maxMeant = 4

// words splits a field name at its underscores, in lower case.
func words(s string) []string { return strings.Split(strings.ToLower(s), "_") }

// inRow reports whether b holds the words of a one after the other.
func inRow(a, b []string) bool {
	for i := 0; i+len(a) <= len(b); i++ {
		if slices.Equal(a, b[i:i+len(a)]) {
			return true
		}
	}
	return false
}

// habit is what to say of a key written by habit from other tools: the
// field meant ("" for none) and what to know about it.
type habit struct{ field, note string }

// habits are such keys by the struct they are written in, in lower case.
var habits = map[reflect.Type]map[string]habit{
	reflect.TypeOf(File{}): {
		"currency":      {"report.currency", usdNote},
		"base_currency": {"report.currency", usdNote},
		"ccy":           {"report.currency", usdNote},
	},
	reflect.TypeOf(sim.EventSpec{}): {
		"capacity":          {"funding.facility_capacity", facilityNote},
		"facility_capacity": {"funding.facility_capacity", facilityNote},
		"cap":               {"funding.facility_cap", facilityNote},
		"facility_cap":      {"funding.facility_cap", facilityNote},
	},
	reflect.TypeOf(sim.AssetSpec{}): {
		"daily_vol":        {"vol", dailyNote},
		"vol_daily":        {"vol", dailyNote},
		"daily_volatility": {"vol", dailyNote},
		"daily_sigma":      {"vol", dailyNote},
		"adv_usd":          {"adv", "adv is in USD already, whatever the asset's currency"},
		"volume":           {"adv", "adv is the average daily volume in USD; impact.volume, if given, is V of the square-root law instead"},
	},
}

const (
	usdNote      = "amounts are in one account currency, which the model calls USD and report.currency labels (a label only: nothing is converted); an asset's currency, assets[].currency, is the one its price is quoted in"
	facilityNote = "a facility event only switches the standing facility on or off (on: true or false); its cap on the repo spread and the room it gives dealers are the scenario's funding.facility_cap and funding.facility_capacity, one setting for the whole run"
	dailyNote    = "vol is annual, 0.2 for 20% a year: a daily volatility times √252, about 15.9"
)

// unknownHint is the suffix of the refusal of key name, unknown in the
// struct type t whose fields are candidates: a habit's note, or the field
// meant and, in a list of an agent's entry (a hedge fund's trades), that
// the field is the entry's.
func unknownHint(t reflect.Type, name string, candidates []string) string {
	if h, ok := habits[t][strings.ToLower(name)]; ok {
		if h.field == "" {
			return " (" + h.note + ")"
		}
		return fmt.Sprintf(" (did you mean %q? %s)", h.field, h.note)
	}
	note := ""
	for _, k := range sim.KindNames() {
		kt := kindStruct(k)
		for _, f := range fieldsOf(kt) {
			if elemStruct(kt.FieldByIndex(f.index).Type) == t && hasField(kt, name) {
				note = fmt.Sprintf("%s is a field of the %s, not of its %s", name, k, f.name)
			}
		}
	}
	mean := suggest(name, candidates)
	if len(mean) == 0 && note == "" {
		mean = nested(t, name, "", 2)
	}
	return hint(mean, note)
}

// nested returns the paths below struct type t, through at most depth
// structs it holds (not lists or mappings of them), of the fields called
// name: funding.facility_on for facility_on in the Config, a field
// written a level too high. It returns none when there are more than
// maxMeant.
func nested(t reflect.Type, name, prefix string, depth int) []string {
	var out []string
	for _, f := range fieldsOf(t) {
		ft := t.FieldByIndex(f.index).Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() != reflect.Struct || ft == timeType {
			continue
		}
		if hasField(ft, name) {
			out = append(out, prefix+f.name+"."+name)
		}
		if depth > 1 {
			out = append(out, nested(ft, name, prefix+f.name+".", depth-1)...)
		}
	}
	if len(out) > maxMeant {
		return nil
	}
	return out
}

// agentHint is the suffix of the refusal of field name in an agent entry
// of kind, whose fields are candidates: the field meant, and where else
// the field is one ("leverage is a field of hedge_fund trades, not of
// cta").
func agentHint(kind, name string, candidates []string) string {
	own, others := holders(kind, name)
	note := ""
	switch {
	case len(own) > 0 && len(others) > 0:
		note = fmt.Sprintf("%s is a field of its %s, and of %s, not of the %s itself", name, andList(own), andList(others), kind)
	case len(own) > 0:
		note = fmt.Sprintf("%s is a field of its %s, not of the %s itself", name, andList(own), kind)
	case len(others) > 0:
		note = fmt.Sprintf("%s is a field of %s, not of %s", name, andList(others), kind)
	}
	return hint(suggest(name, candidates), note)
}

// hint formats the suffix of a refusal: the fields meant, a note, both
// or neither.
func hint(mean []string, note string) string {
	switch {
	case len(mean) == 0 && note == "":
		return ""
	case note == "":
		return " (did you mean " + meant(mean) + "?)"
	case len(mean) == 0:
		return " (" + note + ")"
	}
	return " (did you mean " + meant(mean) + "? " + note + ")"
}

// holders lists what has a field called name besides an agent entry of
// kind: own, the lists in its own entry (a hedge fund's trades), and
// others, the other kinds, the lists in their entries ("hedge_fund
// trades"), brokers and dealers.
func holders(kind, name string) (own, others []string) {
	for _, k := range sim.KindNames() {
		t := kindStruct(k)
		if t == nil {
			continue
		}
		if k != kind && hasField(t, name) {
			others = append(others, k)
		}
		for _, f := range fieldsOf(t) {
			switch e := elemStruct(t.FieldByIndex(f.index).Type); {
			case e == nil || !hasField(e, name):
			case k == kind:
				own = append(own, f.name)
			default:
				others = append(others, k+" "+f.name)
			}
		}
	}
	cfg := reflect.TypeOf(sim.Config{})
	for _, list := range []string{"brokers", "dealers"} {
		f, _ := findField(fieldsOf(cfg), list)
		if hasField(elemStruct(cfg.FieldByIndex(f.index).Type), name) {
			others = append(others, list)
		}
	}
	return own, others
}

// kindStruct is the struct type of an agent kind's parameters, or nil.
func kindStruct(kind string) reflect.Type {
	_, p, err := sim.NewAgentSpec(kind)
	t := reflect.TypeOf(p)
	if err != nil || t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	return t.Elem()
}

// elemStruct is the struct type t holds a list of, or is; nil for any
// other.
func elemStruct(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType {
		return nil
	}
	return t
}

// hasField reports whether struct type t has a field called name in files.
func hasField(t reflect.Type, name string) bool {
	if t == nil {
		return false
	}
	_, ok := findField(fieldsOf(t), name)
	return ok
}

// andList joins items as a sentence does: "a", "a and b", "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// commaHint is the suffix of the refusal of key k, unknown in mapping n,
// when k is likely the tail of a text value cut at a comma: in a {…}
// entry a comma ends a plain value, so {label: national emergency,
// testing plan} holds label "national emergency" and a key "testing
// plan" without a value. It says so, and how the text reads quoted, when
// n is written {…}, k has no value (nothing after it but a comma or the
// closing brace), and the key before it holds plain text; "" otherwise.
func commaHint(n, k, val *yaml.Node) string {
	if n.Style&yaml.FlowStyle == 0 || k.Kind != yaml.ScalarNode || k.Style != 0 || val.Tag != "!!null" || val.Value != "" {
		return ""
	}
	for i := 2; i+1 < len(n.Content); i += 2 {
		if n.Content[i] != k {
			continue
		}
		pk, pv := n.Content[i-2], n.Content[i-1]
		if pv.Kind != yaml.ScalarNode || pv.Style != 0 || pv.Tag != "!!str" {
			return ""
		}
		text := pv.Value + ", " + k.Value
		return fmt.Sprintf(" (in a {...} entry a comma ends a value: %s is %q and %q is read as a key; a text with a comma needs quotes: %s: %q)", pk.Value, pv.Value, k.Value, pk.Value, text)
	}
	return ""
}
