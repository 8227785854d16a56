package scenarios

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// validate checks value v against the subset of JSON Schema that Schema
// emits (type, properties, additionalProperties, required, items, enum,
// const, not, oneOf, allOf, if/then, propertyNames, pattern, minimum,
// exclusiveMinimum, maximum, exclusiveMaximum, minItems) and
// returns the violations.
func validate(schema map[string]any, v any, path string) []string {
	var errs []string
	fail := func(f string, a ...any) { errs = append(errs, path+": "+fmt.Sprintf(f, a...)) }
	if c, ok := schema["const"]; ok && v != c {
		fail("want %v, got %v", c, v)
	}
	if e, ok := schema["enum"]; ok {
		found := false
		for _, x := range e.([]any) {
			found = found || x == v
		}
		if !found {
			fail("%v is not one of %v", v, e)
		}
	}
	if not, ok := schema["not"]; ok && len(validate(not.(map[string]any), v, path)) == 0 {
		fail("%v is excluded (%v)", v, not)
	}
	if all, ok := schema["allOf"]; ok {
		for _, s := range all.([]any) {
			errs = append(errs, validate(s.(map[string]any), v, path)...)
		}
	}
	if cond, ok := schema["if"]; ok && len(validate(cond.(map[string]any), v, path)) == 0 {
		if then, ok := schema["then"]; ok {
			errs = append(errs, validate(then.(map[string]any), v, path)...)
		}
	}
	if names, ok := schema["propertyNames"]; ok {
		if m, ok := v.(map[string]any); ok {
			for _, k := range sortedKeys(m) {
				errs = append(errs, validate(names.(map[string]any), k, path+"."+k)...)
			}
		}
	}
	if one, ok := schema["oneOf"]; ok {
		n := 0
		for _, s := range one.([]any) {
			if len(validate(s.(map[string]any), v, path)) == 0 {
				n++
			}
		}
		if n != 1 {
			fail("matches %d of the oneOf alternatives, want exactly 1", n)
		}
	}
	switch schema["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			fail("want an object, got %T", v)
			return errs
		}
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asStrings(schema["required"]) {
			if _, ok := m[r]; !ok {
				fail("missing required %q", r)
			}
		}
		for k, x := range m {
			if ps, ok := props[k]; ok {
				errs = append(errs, validate(ps.(map[string]any), x, path+"."+k)...)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("property %q not allowed", k)
				}
			case map[string]any:
				errs = append(errs, validate(ap, x, path+"."+k)...)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			fail("want an array, got %T", v)
			return errs
		}
		if m, ok := schema["minItems"].(float64); ok && float64(len(a)) < m {
			fail("%d items, want at least %v", len(a), m)
		}
		for i, x := range a {
			errs = append(errs, validate(schema["items"].(map[string]any), x, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			fail("want a string, got %T", v)
		} else if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(s) {
			fail("%q does not match %s", s, p)
		}
	case "number", "integer":
		f, ok := v.(float64)
		switch {
		case !ok:
			fail("want a number, got %T", v)
		case schema["type"] == "integer" && f != float64(int64(f)):
			fail("want an integer, got %v", v)
		}
		if m, ok := schema["minimum"].(float64); ok && f < m {
			fail("%v below minimum %v", f, m)
		}
		if m, ok := schema["exclusiveMinimum"].(float64); ok && f <= m {
			fail("%v not above %v", f, m)
		}
		if m, ok := schema["maximum"].(float64); ok && f > m {
			fail("%v above maximum %v", f, m)
		}
		if m, ok := schema["exclusiveMaximum"].(float64); ok && f >= m {
			fail("%v not below %v", f, m)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			fail("want a boolean, got %T", v)
		}
	}
	return errs
}

func asStrings(v any) []string {
	a, _ := v.([]any)
	var out []string
	for _, x := range a {
		out = append(out, x.(string))
	}
	return out
}

// jsonish turns a YAML value into what encoding/json would produce from
// the same document (numbers as float64, timestamps as strings).
func jsonish(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonish(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = jsonish(e)
		}
		return x
	case int:
		return float64(x)
	case uint64:
		return float64(x)
	case time.Time:
		return x.Format(time.RFC3339)
	}
	return v
}

// TestSchemaValidatesBuiltins: the printed schema accepts every built-in
// scenario file and rejects files with mistakes in them.
func TestSchemaValidatesBuiltins(t *testing.T) {
	b, err := json.Marshal(Schema())
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	check := func(name string, data []byte) []string {
		var doc any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return validate(schema, jsonish(doc), "$")
	}
	names := BuiltinNames()
	if len(names) == 0 {
		t.Fatal("no built-in scenarios")
	}
	for _, n := range names {
		data, _ := Builtin(n)
		if errs := check(n, data); len(errs) > 0 {
			t.Errorf("%s does not validate:\n%s", n, strings.Join(errs, "\n"))
		}
	}
	mini, _ := Builtin("mini")
	// The schema accepts a garch alpha just below 1, a depth_scale and a bank's cash.
	for _, good := range []struct{ from, to string }{
		{"seed: 1", "seed: 1\nnoise: {garch: {alpha: 0.99, half_life_days: 10}}"},
		{"seed: 1", "seed: 1\ndepth_scale: 2"},
		{"id: bank, equity: 4.0e+9,", "id: bank, equity: 4.0e+9, cash: 1.0e+9,"},
		{"reentry: 1.5", "reentry: 1.5\n    derisk_drawdown: 0.99"},
		{"broker: GS, asset: SPX}", "broker: GS, asset: SPX, rebalance_at: close}"},
		{"broker: GS, asset: SPX}", "broker: GS, asset: SPX, rebalance_at: '15:00 America/New_York'}"},
		{"assets: [SPX, UST10Y]}", "assets: [SPX, UST10Y], rebalance_at: '9:30 Etc/GMT+5'}"},
		{"lookback_days: [30, 90]}", "lookback_days: [30, 90], rebalance_at: '23:59 America/Argentina/Buenos_Aires'}"},
	} {
		data := strings.Replace(string(mini), good.from, good.to, 1)
		if data == string(mini) {
			t.Fatalf("%q is not in mini", good.from)
		}
		if errs := check("mini+", []byte(data)); len(errs) > 0 {
			t.Errorf("schema refuses mini with %q: %v", good.to, errs)
		}
	}
	for _, bad := range []struct{ from, to string }{
		{"kind: hedge_fund", "kind: hedge_funds"},
		{"horizon: 3d", "horizon: 3d\nhorizn: 3d"},
		{"leverage: 2,", "leverge: 2,"},
		{"kind: policy_rate", "kind: policy_rates"},
		{"repatriate: 0.02", "repatriate: 2"},                                                                        // a share: at most 1
		{"hedge_speed: 0.05", "hedge_speed: -0.05"},                                                                  // not negative
		{"equity: 2.0e+10", "equity: 0"},                                                                             // positive
		{"currency: JPY, rate: 0.0025", "currency: JPY, delta: 0.0025"},                                              // policy_rate reads rate
		{"yield: 0.042, duration: 8,", "yield: 0.042, duration: 8, beta: 1,"},                                        // beta is a future's
		{"{function: sqrt, y: 1", "{function: sqrt, lambda: 1, y: 1"},                                                // lambda is linear's
		{"asset: cash", "asset: cash, future: TY"},                                                                   // a carry trade has no future
		{"floor: 0.2, layoff_days: 2", "floor: 0, layoff_days: 2"},                                                   // 0 would mean the default (zeroDefaults)
		{"participation: 1", "participation: 0"},                                                                     // likewise, with a bound
		{"count: 8", "count: 0"},                                                                                     // one agent, not none
		{"lookback_days: [30, 90]", "lookback_days: []"},                                                             // the default lookbacks
		{"share: 2", "share: 0"},                                                                                     // a dealer's share, without a bound
		{"underlying: UST10Y, adv", "underlying: UST10Y, duration: 8, adv"},                                          // a future has no duration
		{"seed: 1", "seed: 1\nnoise: {garch: {alpha: 1, half_life_days: 10}}"},                                       // alpha below 1
		{"seed: 1", "seed: 1\ndepth_scale: 0"},                                                                       // 0 would mean the default
		{"id: bank, equity: 4.0e+9,", "id: bank, equity: 4.0e+9, cash: -1,"},                                         // not negative
		{"reentry: 1.5", "reentry: 1.5\n    derisk_drawdown: 1"},                                                     // a fraction: below 1
		{"foreign_value: 1.0e+11", "foreign_value: -1.0e+11"},                                                        // not negative
		{"label: BOJ hike}", "label: BOJ hike}\n  - {tick: 3, kind: volatility, multiplier: 2, half_life_days: -1}"}, // not negative
		{"broker: GS, asset: SPX}", "broker: GS, asset: SPX, rebalance_at: at the close}"},                           // close, or a time of day
		{"broker: GS, asset: SPX}", "broker: GS, asset: SPX, rebalance_at: '24:00'}"},                                // no such hour
		{"assets: [SPX, UST10Y]}", "assets: [SPX, UST10Y], rebalance_at: '15:00 America/New York'}"},                 // a zone has no spaces
	} {
		data := strings.Replace(string(mini), bad.from, bad.to, 1)
		if errs := check("mini*", []byte(data)); len(errs) == 0 {
			t.Errorf("schema accepts mini with %q -> %q", bad.from, bad.to)
		}
	}
}
