package sweep

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// Metric is one collected metric: a number from the run summary, or from
// the run's score against the base scenario's observed list.
type Metric struct {
	Name string // its column in runs.parquet
	Path string // its path in the run summary, or score.within, score.NAME
	get  getter
	// score is 0 for a summary metric, -1 for score.within (how many
	// observed quantities are within tolerance) and k+1 for the simulated
	// value of observation k (score.NAME).
	score int
}

// resolveScore resolves a score metric: score.within, or score.NAME for
// the observation of the base scenario named NAME.
func resolveScore(path string, obs []scenarios.Observation, base string) (int, error) {
	if len(obs) == 0 {
		return 0, fmt.Errorf("metric %q: the base scenario %s has no observed: list to score against", path, base)
	}
	names := []string{"within"}
	for _, o := range obs {
		names = append(names, o.Name)
	}
	name, _ := strings.CutPrefix(path, "score.")
	if path == "score" || name == "" {
		return 0, fmt.Errorf("metric %q is a group: pick score.within or score.NAME, NAME one of the observed quantities (%s)", path, strings.Join(names[1:], "; "))
	}
	if name == "within" {
		return -1, nil
	}
	for k, o := range obs {
		if o.Name == name {
			return k + 1, nil
		}
	}
	return 0, fmt.Errorf("unknown metric %q: no observed quantity %q in %s%s (have %s)", path, name, base, scenarios.DidYouMean(name, names), strings.Join(names, "; "))
}

// getter reads one number from a Summary along a resolved path.
type getter struct {
	steps []mstep
	// count: the path ends at a list, read as its length. zeroMissing: a
	// missing map key reads as 0 (the summary leaves out zero sales), else
	// as NaN; zeroLast: only a missing last key does (an attribution's
	// kinds and reasons whose orders did not move the price are left out,
	// while an asset with no fall has no attribution at all). twin: the
	// metric needs the passive twin.
	count, zeroMissing, zeroLast, twin bool
}

// mstep is one step: a struct field by index, or a map key.
type mstep struct {
	field int
	key   string
	isKey bool
}

var summaryType = reflect.TypeOf(sim.Summary{})

// mapKeyNames lists the names the keys of a summary's map may take besides
// those the base run has: the map is the field named field (its json
// name), depth maps down (by_kind_asset is kinds, then assets). Asset maps
// take the scenario's assets, kind maps agent kinds, reason maps sale
// reasons and unwound_pct trade kinds, so that a key of the wrong sort
// (assets.hedge_fund.max_drawdown_pct) is refused rather than read as
// missing in every run.
func mapKeyNames(field string, depth int, assets []string) []string {
	var kinds, reasons, trades []string
	for k := core.AgentKind(0); k < core.NumAgentKinds; k++ {
		kinds = append(kinds, k.String())
	}
	for r := core.Reason(0); r < core.NumReasons; r++ {
		reasons = append(reasons, r.String())
	}
	for t := core.TradeKind(0); t < core.NumTradeKinds; t++ {
		trades = append(trades, t.String())
	}
	switch {
	case field == "assets", field == "attribution", field == "by_asset", field == "by_kind_asset" && depth == 1:
		return append([]string(nil), assets...)
	case field == "agents", field == "by_kind", field == "by_kind_asset" && depth == 0:
		return kinds
	case field == "by_reason":
		return reasons
	case field == "unwound_pct":
		return trades
	}
	return slices.Concat(assets, kinds, reasons, trades)
}

// resolveMetric resolves a metric path (json field names of summary.json,
// dotted) against the Summary type and the base run's summary base.
func resolveMetric(base *sim.Summary, path string, assets []string) (getter, error) {
	var g getter
	if path == "amplification" || path == "passive_move_pct" {
		g.twin = true
	}
	g.zeroMissing = strings.HasPrefix(path, "forced_sales_usd.")
	segs := strings.Split(path, ".")
	field, depth := "", 0 // the last struct field's json name, and the maps since
	t := summaryType
	v := reflect.ValueOf(base).Elem()
	for i := 0; i < len(segs); i++ {
		seg := segs[i]
		where := strings.Join(segs[:i], ".")
		if seg == "" {
			return g, fmt.Errorf("%q is not a metric path (want names separated by dots, e.g. assets.NKY.max_drawdown_pct)", path)
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
			if v.IsValid() {
				if v.IsNil() {
					return g, fmt.Errorf("%s is not reported for this scenario (it is null in the base run's summary)", where)
				}
				v = v.Elem()
			}
		}
		switch t.Kind() {
		case reflect.Struct:
			k, names := jsonField(t, seg)
			if k < 0 {
				in := "the summary"
				if where != "" {
					in = where
				}
				return g, fmt.Errorf("unknown metric %q: no %q in %s%s (have %s)", path, seg, in, scenarios.DidYouMean(seg, names), strings.Join(names, ", "))
			}
			g.steps = append(g.steps, mstep{field: k})
			field, depth = seg, 0
			t = t.Field(k).Type
			if v.IsValid() {
				v = v.Field(k)
			}
		case reflect.Map:
			have := []string{}
			if v.IsValid() {
				for _, k := range v.MapKeys() {
					have = append(have, k.String())
				}
				sort.Strings(have)
			}
			names := mapKeyNames(field, depth, assets)
			// A key holding dots (an asset BRK.B), written bare.
			segs = scenarios.JoinDotted(segs, i, func(k string) bool { return contains(have, k) || contains(names, k) })
			seg = segs[i]
			if !contains(have, seg) && !contains(names, seg) {
				return g, fmt.Errorf("unknown metric %q: no %q in %s%s (the base run has %s)", path, seg, where, scenarios.DidYouMean(seg, append(have, names...)), listOrNone(have))
			}
			depth++
			g.steps = append(g.steps, mstep{key: seg, isKey: true})
			t = t.Elem()
			if v.IsValid() {
				v = v.MapIndex(reflect.ValueOf(seg))
			}
		case reflect.Slice:
			return g, fmt.Errorf("unknown metric %q: %s is a list, counted as a whole (use %s)", path, where, where)
		default:
			return g, fmt.Errorf("unknown metric %q: %s is a number, with no %q in it", path, where, seg)
		}
	}
	g.zeroLast = len(segs) == 4 && segs[0] == "attribution" && (segs[2] == "by_kind" || segs[2] == "by_reason")
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Float64, reflect.Int, reflect.Int64:
	case reflect.Slice:
		g.count = true
	case reflect.Struct:
		_, names := jsonField(t, "")
		return g, fmt.Errorf("metric %q is a group: pick one of %s.{%s}", path, path, strings.Join(names, ","))
	case reflect.Map:
		return g, fmt.Errorf("metric %q is a group: add a key (e.g. %s.%s)", path, path, firstKey(v))
	default:
		return g, fmt.Errorf("metric %q is %s, not a number", path, t.Kind())
	}
	return g, nil
}

func firstKey(v reflect.Value) string {
	if !v.IsValid() || v.Kind() != reflect.Map || v.Len() == 0 {
		return "NAME"
	}
	keys := mapKeys(v)
	return keys[0]
}

// jsonField returns the index of the field of struct type t whose json
// name is name (-1 if none), and every field's json name.
func jsonField(t reflect.Type, name string) (int, []string) {
	k := -1
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")[0]
		if !f.IsExported() || tag == "-" {
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		names = append(names, tag)
		if tag == name {
			k = i
		}
	}
	return k, names
}

// value reads the metric from s.
func (g getter) value(s *sim.Summary) float64 {
	v := reflect.ValueOf(s).Elem()
	for j, st := range g.steps {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return math.NaN()
			}
			v = v.Elem()
		}
		if st.isKey {
			v = v.MapIndex(reflect.ValueOf(st.key))
			if !v.IsValid() {
				if g.zeroMissing || g.zeroLast && j == len(g.steps)-1 {
					return 0
				}
				return math.NaN()
			}
			continue
		}
		v = v.Field(st.field)
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return math.NaN()
		}
		v = v.Elem()
	}
	switch {
	case g.count:
		return float64(v.Len())
	case v.Kind() == reflect.Float64:
		return v.Float()
	default:
		return float64(v.Int())
	}
}
