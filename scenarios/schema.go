package scenarios

import (
	"fmt"
	"maps"
	"reflect"
	"sort"
	"strings"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/market"
	"github.com/cascade-sim/cascade/sim"
)

// enums lists the allowed values of string fields, by "Type.field".
var enums = map[string][]string{
	"AssetSpec.kind":              core.AssetKindNames(),
	"Impact.function":             market.ImpactKindNames(),
	"TradeSpec.kind":              core.TradeKindNames(),
	"HedgeFundSpec.liquidation":   {"most_liquid_first", "pro_rata", "none"},
	"BankSpec.mode":               {"threshold", "target"},
	"BankSpec.sales":              {"pro_rata", "weights"},
	"CentralBankSpec.rule":        agents.CentralBankRules,
	"EventSpec.kind":              sim.EventKinds,
	"NoiseSpec.distribution":      {"normal", "student_t"},
	"ConventionSpec.execution":    {"mid", "pre", "post"},
	"ConventionSpec.flow":         {"units", "value"},
	"ConventionSpec.impact_vol":   sim.ImpactVolNames,
	"ReportSpec.correlation_rows": sim.CorrelationRowsNames,
	"Dist.kind":                   sim.DistKinds,
	"Observation.quantity":        quantities,
}

// patterns are the forms of string fields written in a syntax of their
// own, by "Type.field", with examples.
var patterns = map[string]struct {
	re       string
	examples []string
}{
	"CTASpec.rebalance_at":        {agents.RebalanceAtPattern, rebalanceAtExamples},
	"RiskParitySpec.rebalance_at": {agents.RebalanceAtPattern, rebalanceAtExamples},
	"VolControlSpec.rebalance_at": {agents.RebalanceAtPattern, rebalanceAtExamples},
}

var rebalanceAtExamples = []string{"close", "15:00 America/New_York", "07:00"}

// examples suggests values of string fields that also take names the
// scenario defines itself.
var examples = map[string][]string{
	"AssetSpec.session": sim.SessionNames(),
}

// Schema returns the JSON Schema (draft 2020-12) of scenario files,
// generated from the Go types the loader decodes into.
func Schema() map[string]any {
	s := schemaOf(reflect.TypeOf(File{}))
	appends(s)
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["title"] = "cascade scenario"
	s["description"] = "A cascade scenario file: assets, rates, brokers, agents and populations, dated events, channel switches, output options."
	return s
}

// appends adds, beside every list property of s and of the objects it
// holds (not of a list's entries, which replace the base's whole), the
// property with a + that appends to it (agents+).
func appends(s map[string]any) {
	if a, ok := s["additionalProperties"].(map[string]any); ok {
		appends(a)
	}
	props, ok := s["properties"].(map[string]any)
	if !ok {
		return
	}
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	for _, k := range names {
		p := props[k].(map[string]any)
		if p["type"] != "array" {
			appends(p)
			continue
		}
		add := maps.Clone(p)
		add["description"] = fmt.Sprintf("Appends these entries to %s of the scenario extended (or starts it): give %s or %s+, not both.", k, k, k)
		props[k+"+"] = add
	}
}

// typeSchema is the schema of a type files write as a string of its own
// form (a timestamp, a span), or nil; its description says how the value
// is written, not what it is for.
func typeSchema(t reflect.Type) map[string]any {
	switch t {
	case timeType:
		return map[string]any{"type": "string", "description": "timestamp, e.g. 2024-08-05T13:00:00Z or 2024-08-05"}
	case durationType:
		return map[string]any{"type": "string", "pattern": SpanPattern, "description": "span, e.g. 1h, 90m, 18d, 1d12h"}
	}
	return nil
}

func schemaOf(t reflect.Type) map[string]any {
	if s := typeSchema(t); s != nil {
		return s
	}
	if t == agentType {
		return agentSchema()
	}
	switch t.Kind() {
	case reflect.Pointer:
		return schemaOf(t.Elem())
	case reflect.Struct:
		return structSchema(t, nil)
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Float64, reflect.Float32:
		return map[string]any{"type": "number"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Uint64, reflect.Uint32, reflect.Uint:
		return map[string]any{"type": "integer", "minimum": 0}
	}
	return map[string]any{}
}

// structSchema is an object with the struct's yaml fields; extra adds
// properties (the agent entry's kind, count and vary).
func structSchema(t reflect.Type, extra map[string]any) map[string]any {
	props := map[string]any{}
	for _, f := range fieldsOf(t) {
		ft := t.FieldByIndex(f.index)
		fs := schemaOf(ft.Type)
		owner := t
		if len(f.index) > 1 { // inline: the enum belongs to the embedded type
			owner = t.FieldByIndex(f.index[:len(f.index)-1]).Type
		}
		key := fieldKey(t, f)
		if e, ok := enums[key]; ok {
			fs["enum"] = e
		}
		if e, ok := examples[key]; ok {
			fs["examples"] = e
		}
		if p, ok := patterns[key]; ok {
			fs["pattern"], fs["examples"] = p.re, p.examples
		}
		if d, ok := fieldDocs[owner.PkgPath()+"."+owner.Name()+"."+ft.Name]; ok {
			fs["description"] = fieldDescription(d, fs["description"])
		}
		schemaBound(t, f, fs)
		props[f.name] = fs
	}
	for k, v := range extra {
		props[k] = v
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if rules := kindRules(t.Name()); rules != nil && tabled(t) {
		s["allOf"] = rules
	}
	return s
}

// fieldDescription is a property's description: its field's comment d, followed,
// where the type has a description of its own (how a timestamp or a span
// is written), by that.
func fieldDescription(d string, typ any) string {
	t, _ := typ.(string)
	if t == "" {
		return d
	}
	if !strings.HasSuffix(d, ".") {
		d += "."
	}
	return d + " Written as a " + t + "."
}

// kindRules states, for a struct whose kinds read different fields, which
// fields each kind takes: if the discriminator is k, every property name is
// one k reads (the checks of applies.go, for editors).
func kindRules(typ string) []any {
	var disc string
	var kinds []string
	var reads func(k string) []string
	table := func(k *kindFields) {
		kinds = k.order()
		reads = func(kind string) []string { return append(append([]string(nil), k.common...), k.own[kind]...) }
	}
	switch typ {
	case "EventSpec":
		disc = "kind"
		table(&eventFields)
	case "AssetSpec":
		disc = "kind"
		table(&assetFields)
	case "Impact":
		disc = "function"
		table(&impactFields)
	case "TradeSpec":
		disc = "kind"
		table(&tradeFields)
	case "Dist":
		disc, kinds, reads = "kind", sim.DistKinds, sim.DistFields
	default:
		return nil
	}
	var rules []any
	for _, k := range kinds {
		rules = append(rules, map[string]any{
			"if":   map[string]any{"type": "object", "properties": map[string]any{disc: map[string]any{"const": k}}, "required": []string{disc}},
			"then": map[string]any{"propertyNames": map[string]any{"enum": reads(k)}},
		})
	}
	return rules
}

// agentSchema is an agent entry: one alternative per kind, each with the
// kind's parameters and the keys every entry has (kind, count and vary, the
// fields of sim.AgentSpec that decodeAgent reads itself, described by their
// comments).
func agentSchema() map[string]any {
	var oneOf []any
	kinds := sim.KindNames()
	sort.Strings(kinds)
	doc := func(field string) string { return fieldDocs[agentType.PkgPath()+"."+agentType.Name()+"."+field] }
	vary := schemaOf(reflect.TypeOf([]sim.Vary{})) // the same for every kind
	vary["description"] = doc("Vary")
	for _, k := range kinds {
		_, p, _ := sim.NewAgentSpec(k)
		s := structSchema(reflect.TypeOf(p).Elem(), map[string]any{
			"kind":  map[string]any{"const": k, "description": doc("Kind")},
			"count": map[string]any{"type": "integer", "minimum": 1, "maximum": MaxAgents, "description": doc("Count")},
			"vary":  vary,
		})
		s["required"] = []string{"kind"}
		s["title"] = strings.ReplaceAll(k, "_", " ")
		oneOf = append(oneOf, s)
	}
	return map[string]any{"type": "object", "required": []string{"kind"}, "oneOf": oneOf,
		"description": "an agent, or a population of count agents with parameters drawn per member (vary)"}
}
