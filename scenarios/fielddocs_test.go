package scenarios

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"slices"
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
		if !slices.Contains(fielddocs.Packages, strings.TrimPrefix(ty.PkgPath(), mod)) {
			t.Errorf("the schema reflects over %s.%s, but fielddocs.Packages %v leave out %s", ty.PkgPath(), ty.Name(), fielddocs.Packages, ty.PkgPath())
		}
		for _, f := range fieldsOf(ty) {
			walk(ty.FieldByIndex(f.index).Type)
		}
	}
	walk(reflect.TypeOf(File{}))
	for _, k := range sim.AgentKinds {
		_, p, _ := sim.NewAgentSpec(k)
		walk(reflect.TypeOf(p))
	}
	if len(seen) < 10 {
		t.Fatalf("walked only %d struct types", len(seen))
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
// (the trailing one, or the doc comment above joined into one line), and
// the hand-written descriptions stay.
func TestSchemaFieldDescriptions(t *testing.T) {
	s := Schema()
	for _, c := range []struct {
		path []string
		want string
	}{
		{[]string{"brokers", "[]", "lev_limit"}, "leverage-ratio limit: exposure per unit of capital"},
		{[]string{"brokers", "[]", "settle_days"}, "margin-call settlement window"},
		{[]string{"brokers", "[]", "liquidation_speed"}, "LiquidationSpeed is the share of seized collateral sold per tick (default 0.25: most of it within a day at hourly ticks)."},
		{[]string{"dealers", "[]", "layoff_days"}, "half-life of inventory passing to end investors"},
		{[]string{"assets", "[]", "vol"}, "calm volatility, annualized"},
		{[]string{"assets", "[]", "impact", "permanent"}, "share of impact that stays"},
		{[]string{"events", "[]", "kind"}, "shock, policy_rate, guidance, accommodation, haircut, facility, fx_intervention, volatility, default"},
		{[]string{"sessions", "[]", "zone"}, "IANA time zone, e.g. Asia/Tokyo"},
		{[]string{"leverage_scale"}, "LeverageScale multiplies every leveraged position (hedge-fund trades, CTA and risk-parity leverage) at set-up: 1 is the scenario as written."},
		{[]string{"extends"}, "Extends names the scenario this one overrides: a path relative to this file, or a built-in scenario's name."},
		{[]string{"output", "no_plots"}, "skip the plots"},
		{[]string{"agents", "[]", "kind=hedge_fund", "trades", "[]", "leverage"}, "Leverage is the USD notional of the trade's main leg per unit of fund equity (a 20× basis trade on a 10% slice of capital is leverage 2)."},
		{[]string{"agents", "[]", "kind=insurer", "foreign"}, "foreign bond held (e.g. UST10Y)"},
		// Hand-written descriptions are kept.
		{[]string{"start"}, "timestamp, e.g. 2024-08-05T13:00:00Z or 2024-08-05"},
		{[]string{"tick"}, "span, e.g. 1h, 90m, 18d"},
		{[]string{"agents", "[]", "kind=cta", "count"}, "population size (members get ids ID-001, ID-002, ...)"},
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

// TestSchemaDescribedShare: most properties have a description (before
// the fields' comments were used, 16 of 284 had one: 5.6%).
func TestSchemaDescribedShare(t *testing.T) {
	const floor = 0.50
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
