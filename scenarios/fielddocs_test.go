package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios/internal/fielddocs"
	"github.com/cascade-sim/cascade/sim"
)

// TestFieldDocsCurrent: fielddocs_gen.go is what the generator writes from
// the fields' comments as they are now.
func TestFieldDocsCurrent(t *testing.T) {
	want, err := fielddocs.Generate("..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(fielddocs.Output)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		i := 0
		for i < len(gl) && i < len(wl) && gl[i] == wl[i] {
			i++
		}
		line := func(ls []string) string {
			if i < len(ls) {
				return ls[i]
			}
			return "(end of file)"
		}
		t.Errorf("scenarios/%s is out of date with the fields' comments: run go generate ./scenarios\nline %d is\n%s\nwant\n%s",
			fielddocs.Output, i+1, line(gl), line(wl))
	}
}

// TestFieldDocsPackages: the generator reads every package whose struct
// types the schema reflects over.
func TestFieldDocsPackages(t *testing.T) {
	const mod = "github.com/cascade-sim/cascade/"
	n := 0
	walkScenarioTypes(func(ty reflect.Type) {
		n++
		if !slices.Contains(fielddocs.Packages, strings.TrimPrefix(ty.PkgPath(), mod)) {
			t.Errorf("the schema reflects over %s.%s, but fielddocs.Packages %v leave out %s", ty.PkgPath(), ty.Name(), fielddocs.Packages, ty.PkgPath())
		}
	})
	if n < 10 {
		t.Fatalf("walked only %d struct types", n)
	}
}

// walkScenarioTypes calls visit once for every struct type the schema
// reflects over: File and every agent kind's spec, and the struct types
// their fields hold (through pointers, lists and maps), time.Time aside.
func walkScenarioTypes(visit func(reflect.Type)) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice || ty.Kind() == reflect.Map {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || ty == timeType || seen[ty] {
			return
		}
		seen[ty] = true
		visit(ty)
		for _, f := range fieldsOf(ty) {
			walk(ty.FieldByIndex(f.index).Type)
		}
	}
	walk(reflect.TypeOf(File{}))
	for _, k := range sim.AgentKinds {
		_, p, _ := sim.NewAgentSpec(k)
		walk(reflect.TypeOf(p))
	}
}

// prop is the schema of the property at path (property names; "[]" steps
// into an array's items or a map's values, "kind=K" into the agent kind K).
func prop(t *testing.T, s map[string]any, path ...string) map[string]any {
	t.Helper()
	for _, p := range path {
		var next any
		switch {
		case p == "[]":
			next = s["items"]
			if next == nil {
				next = s["additionalProperties"]
			}
		case strings.HasPrefix(p, "kind="):
			for _, alt := range s["oneOf"].([]any) {
				a := alt.(map[string]any)
				if a["properties"].(map[string]any)["kind"].(map[string]any)["const"] == strings.TrimPrefix(p, "kind=") {
					next = a
				}
			}
		default:
			props, _ := s["properties"].(map[string]any)
			next = props[p]
		}
		m, ok := next.(map[string]any)
		if !ok {
			t.Fatalf("schema has no %s (at %s)", strings.Join(path, "."), p)
		}
		s = m
	}
	return s
}

// TestSchemaFieldDescriptions: properties carry their field's comment
// (the trailing one, or the doc comment above joined into one line); fields
// that once shared one comment have their own; a timestamp's or a span's
// field says what it is, then how it is written; an agent entry's kind,
// count and vary carry sim.AgentSpec's comments.
func TestSchemaFieldDescriptions(t *testing.T) {
	s := Schema()
	for _, c := range []struct {
		path []string
		want string
	}{
		{[]string{"brokers", "[]", "settle_days"}, "SettleDays is the margin-call settlement window: days a client has to meet a call before the broker closes its account out (default 1; at least one tick; 0 is refused)."},
		{[]string{"brokers", "[]", "liquidation_speed"}, "LiquidationSpeed is the share of seized collateral sold per tick, in (0, 1] (default 0.25: most of it within a day at hourly ticks; 0 is refused)."},
		{[]string{"assets", "[]", "impact", "permanent"}, "share of impact that stays"},
		{[]string{"sessions", "[]", "zone"}, "IANA time zone, e.g. Asia/Tokyo"},
		{[]string{"extends"}, "Extends names the scenario this one overrides: a path relative to this file, or a built-in scenario's name. A value with a / or a .yaml or .yml ending is a path and must exist; a bare name is a file beside this one if there is one, else a built-in; a built-in extends only built-ins."},
		{[]string{"output", "no_plots"}, "skip the plots"},
		{[]string{"agents", "[]", "kind=insurer", "foreign"}, "foreign bond held (e.g. UST10Y)"},
		// Fields that shared a comment above them each have their own.
		{[]string{"assets", "[]", "duration"}, "Duration is a bond's modified duration in years (required, > 0), which turns price moves into yield moves. A future takes none: the model reads no future's duration."},
		{[]string{"assets", "[]", "impact", "flow_half_life_days"}, "FlowHalfLifeDays is the half-life, in days, of the flow memory: the cumulative net flow X the impact law is applied to (0: X restarts every tick)."},
		{[]string{"agents", "[]", "kind=hedge_fund", "derisk_cut"}, "DeriskCut is the share of every trade a derisk_drawdown cut closes, in (0, 1] (default 0.25; 0 is refused)."},
		{[]string{"observed", "[]", "tolerance"}, "Tolerance: the simulated value passes within this distance of observed, when neither min nor max is given (it must then be positive)."},
		// A timestamp or a span: what it is, then how it is written.
		{[]string{"start"}, "Start is the time of the run's first tick (UTC unless the timestamp gives a zone); event ticks and the warm-up count from it. Written as a timestamp, e.g. 2024-08-05T13:00:00Z or 2024-08-05."},
		{[]string{"tick"}, "Tick is the span of one tick (default 1h, at least a minute and at most a week; 0 is refused); spans given in days are converted to ticks with it. Written as a span, e.g. 1h, 90m, 18d, 1d12h."},
		// The keys every agent entry has.
		{[]string{"agents", "[]", "kind=cta", "count"}, "Count makes the entry a population of this many agents, with ids ID-001, ID-002, ... (default 1: one agent with the id as written; 0 is refused). A scenario file holds at most 100,000 agents in all."},
		{[]string{"agents", "[]", "kind=bank", "kind"}, "Kind is the agent's type (hedge_fund, insurer, cta, risk_parity, vol_control, value_investor, bank or central_bank, or a kind the program registered), which decides the parameters the entry takes."},
	} {
		if got, _ := prop(t, s, c.path...)["description"].(string); got != c.want {
			t.Errorf("%s: description %q, want %q", strings.Join(c.path, "."), got, c.want)
		}
	}
	for k, d := range fieldDocs {
		if d == "" || d != strings.TrimSpace(d) || strings.ContainsAny(d, "\n\t") || strings.HasPrefix(d, "//") {
			t.Errorf("fieldDocs[%q] = %q: want one trimmed line of text", k, d)
		}
	}
}

// describedShare walks a schema and counts the properties of its distinct
// object schemas (an object that occurs several times, such as a
// population's vary, counts once), and those with a description.
func describedShare(t *testing.T, s map[string]any) (described, total int) {
	t.Helper()
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if props, ok := x["properties"].(map[string]any); ok && x["type"] == "object" {
				b, err := json.Marshal(props)
				if err != nil {
					t.Fatal(err)
				}
				if !seen[string(b)] {
					seen[string(b)] = true
					for _, p := range props {
						total++
						if d, _ := p.(map[string]any)["description"].(string); d != "" {
							described++
						}
					}
				}
			}
			for k, e := range x {
				if k != "if" { // a kind rule's condition: no properties of the file
					walk(e)
				}
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(s)
	return described, total
}

// TestSchemaDescribedShare: every distinct property has a description
// (before the fields' comments were used, 16 of 284 had one: 5.6%; with the
// comments as they first were, 160: 56.3%). TestSchemaEveryPropertyDescribed
// names any that lacks one.
func TestSchemaDescribedShare(t *testing.T) {
	const floor = 1.0
	d, n := describedShare(t, Schema())
	share := float64(d) / float64(n)
	t.Logf("%d of %d properties have a description: %.1f%%", d, n, 100*share)
	if n < 200 {
		t.Fatalf("counted only %d properties", n)
	}
	if share < floor {
		t.Errorf("%d of %d properties (%.1f%%) have a description, want at least %.0f%%", d, n, 100*share, 100*floor)
	}
}

// undescribed walks schema s and returns the path of every property, in
// any object schema (the file's, a list's items, a map's values, each agent
// kind's alternative), whose description is missing, empty or only the
// generic text of its type (a timestamp's or a span's), sorted. A kind
// rule's condition ("if") holds no properties of the file and is skipped.
func undescribed(s map[string]any) []string {
	generic := map[string]bool{}
	for _, t := range []reflect.Type{timeType, durationType} {
		if d, _ := typeSchema(t)["description"].(string); d != "" {
			generic[d] = true
		}
	}
	var out []string
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			if props, ok := x["properties"].(map[string]any); ok {
				for _, k := range sortedKeys(props) {
					p, _ := props[k].(map[string]any)
					d, _ := p["description"].(string)
					if strings.TrimSpace(d) == "" || generic[strings.TrimSpace(d)] {
						out = append(out, path+"."+k)
					}
				}
			}
			for _, k := range sortedKeys(x) {
				switch k {
				case "if":
				case "properties":
					props, _ := x[k].(map[string]any)
					for _, name := range sortedKeys(props) {
						walk(props[name], path+"."+name)
					}
				case "items", "additionalProperties":
					walk(x[k], path+"[]")
				default:
					walk(x[k], path+"/"+k)
				}
			}
		case []any:
			for i, e := range x {
				label := fmt.Sprint(i)
				if m, ok := e.(map[string]any); ok {
					if t, ok := m["title"].(string); ok {
						label = t
					}
				}
				walk(e, fmt.Sprintf("%s[%s]", path, label))
			}
		}
	}
	walk(s, "")
	sort.Strings(out)
	return slices.Compact(out)
}

// TestSchemaEveryPropertyDescribed: every property anywhere in the schema
// has a description of its own: a field's Go comment, or for properties
// the schema adds itself (an agent's kind, count and vary) the text
// schema.go gives them; timestamps and spans say what they time, not only
// how they are written.
func TestSchemaEveryPropertyDescribed(t *testing.T) {
	missing := undescribed(Schema())
	for _, p := range missing {
		t.Errorf("%s: no description of its own (comment the field, then go generate ./scenarios)", p)
	}
	if len(missing) > 0 {
		t.Logf("%d properties lack a description", len(missing))
	}
}

// TestUndescribedFindsGaps: the walk finds an undescribed property at the
// top level, in a list's items, in a map's values, inside an agent kind's
// alternative, and one whose description is only its type's.
func TestUndescribedFindsGaps(t *testing.T) {
	s := map[string]any{"type": "object", "properties": map[string]any{
		"a": map[string]any{"type": "string", "description": "fine"},
		"b": map[string]any{"type": "string"},
		"c": map[string]any{"type": "array", "description": "fine", "items": map[string]any{"type": "object", "properties": map[string]any{
			"d": map[string]any{"type": "number", "description": " "},
		}}},
		"e": map[string]any{"type": "object", "description": "fine", "additionalProperties": map[string]any{"type": "object", "properties": map[string]any{
			"f": map[string]any{"type": "number"},
		}}},
		"g": map[string]any{"description": "fine", "oneOf": []any{map[string]any{"type": "object", "title": "k", "properties": map[string]any{
			"h": map[string]any{"const": "k"},
		}, "allOf": []any{map[string]any{"if": map[string]any{"properties": map[string]any{"x": map[string]any{"const": 1}}}}}}}},
		"i": typeSchema(durationType),
	}}
	got := undescribed(s)
	want := []string{".b", ".c[].d", ".e[].f", ".g/oneOf[k].h", ".i"}
	if !slices.Equal(got, want) {
		t.Errorf("undescribed = %q, want %q", got, want)
	}
}
