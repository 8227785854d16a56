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
	at   int // its entry (or its pattern's) in the file's metrics; -1 for one the sweep adds
	// score is 0 for a summary metric, -1 for score.within (how many
	// observed quantities are within tolerance) and k+1 for the simulated
	// value of observation k (score.NAME).
	score int
}

// resolveScore resolves a score metric: score.within (when within
// allows it), or score.NAME for the observation of obs named NAME. where
// names the scenario obs is of, as the messages put it ("the base
// scenario aug2024").
func resolveScore(path string, obs []scenarios.Observation, where string, within bool) (int, error) {
	if len(obs) == 0 {
		return 0, fmt.Errorf("metric %q: %s has no observed: list to score against (score metrics are a replay's observed quantities: give a scenario with one, as aug2024; cascade score SCENARIO lists them)", path, where)
	}
	var names []string
	if within {
		names = append(names, "within")
	}
	for _, o := range obs {
		names = append(names, o.Name)
	}
	name, _ := strings.CutPrefix(path, "score.")
	if path == "score" || name == "" {
		pick := "score.NAME"
		if within {
			pick = "score.within or score.NAME"
		}
		return 0, fmt.Errorf("metric %q is a group: pick %s, NAME one of the observed quantities (%s)", path, pick, strings.Join(names[len(names)-len(obs):], "; "))
	}
	if name == "within" && within {
		return -1, nil
	}
	for k, o := range obs {
		if o.Name == name {
			return k + 1, nil
		}
	}
	return 0, fmt.Errorf("unknown metric %q: no observed quantity %q in %s%s (have %s)", path, name, where, scenarios.DidYouMean(name, names), strings.Join(names, "; "))
}

// getter reads one number from a Summary along a resolved path.
type getter struct {
	steps []mstep
	// count: the path ends at a list, read as its length. zeroMissing: a
	// missing map key reads as 0 (the summary leaves out zero sales and
	// purchases), else
	// as NaN; zeroLast: only a missing last key does (an attribution's
	// kinds and reasons whose orders did not move the price are left out,
	// while an asset with no fall has no attribution at all). twin: the
	// metric needs the passive twin.
	count, zeroMissing, zeroLast, twin bool
	// defaulted, when set, is the agent whose default the metric reads: 1
	// in a run whose defaults list it, else 0 (defaulted.ID).
	defaulted string
}

// mstep is one step: a struct field by index, a map key, or the entry of
// a list whose ID is key (banks.ID).
type mstep struct {
	field       int
	key         string
	isKey, isID bool
}

var summaryType = reflect.TypeOf(sim.Summary{})

// baseNames are the names of the base scenario's world that a metric's
// keys may take: its assets, and its agents (the outside sector not) with
// their kinds, in holder order.
type baseNames struct {
	assets []string
	agents []string
	kinds  []core.AgentKind
	// fails are the agents that can default, in holder order: the banks,
	// the prime brokers' clients and the agents a default event names.
	fails []string
}

// namesOf returns the given assets and the agents of m's world.
func namesOf(m *sim.Model, assets []string) baseNames {
	n := baseNames{assets: assets}
	named := map[string]bool{} // by a default event that is on
	for _, e := range m.Cfg.Events {
		if e.Kind == "default" && !e.Off {
			named[e.Agent] = true
		}
	}
	for _, h := range m.W.Holders {
		if h.Kind == core.Outside {
			continue
		}
		n.agents = append(n.agents, h.ID)
		n.kinds = append(n.kinds, h.Kind)
		client := false
		for k := 1; k < len(h.Accounts); k++ {
			client = client || h.Accounts[k].Lender != core.Custody
		}
		if h.Kind == core.Bank || client || named[h.ID] {
			n.fails = append(n.fails, h.ID)
		}
	}
	return n
}

// listed returns the agents summary.json's capital.by_agent lists: the
// banks, prime brokers and dealers.
func (n baseNames) listed() []string {
	var ids []string
	for i, id := range n.agents {
		if slices.Contains(sim.CapitalKinds, n.kinds[i]) {
			ids = append(ids, id)
		}
	}
	return ids
}

// banks returns the base world's banks, in holder order: the entries
// summary.json's banks may list.
func (n baseNames) banks() []string {
	var ids []string
	for i, id := range n.agents {
		if n.kinds[i] == core.Bank {
			ids = append(ids, id)
		}
	}
	return ids
}

// kindOf returns the kind of the agent id, and whether there is one.
func (n baseNames) kindOf(id string) (core.AgentKind, bool) {
	if i := slices.Index(n.agents, id); i >= 0 {
		return n.kinds[i], true
	}
	return 0, false
}

// Indicator reports whether the metric path reads 0 or 1 in every run
// (defaulted.ID, follow.ID.defaulted): the sweep reports its mean, the share of runs with a 1,
// as a probability with a binomial interval rather than by quantiles.
func Indicator(path string) bool {
	if strings.HasPrefix(path, "defaulted.") || strings.HasPrefix(path, "follow.") && strings.HasSuffix(path, ".defaulted") {
		return true
	}
	rest, ok := strings.CutPrefix(path, "banks.")
	k := strings.LastIndex(rest, ".")
	return ok && k > 0 && slices.Contains(bankFlags, rest[k+1:])
}

// bankFlags are the true-or-false fields of summary.json's banks entries
// (defaulted, below_min, passive): as metrics, 1 or 0.
var bankFlags = func() []string {
	var f []string
	t := reflect.TypeOf(sim.BankSummary{})
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Type.Kind() == reflect.Bool {
			f = append(f, strings.Split(t.Field(i).Tag.Get("json"), ",")[0])
		}
	}
	return f
}()

// resolveDefaulted resolves defaulted.ID, whether the agent ID defaulted,
// against the base scenario's agents (an ID may hold dots).
func resolveDefaulted(path string, names baseNames) (getter, error) {
	id, _ := strings.CutPrefix(path, "defaulted")
	id, _ = strings.CutPrefix(id, ".")
	if id == "" {
		return getter{}, fmt.Errorf("metric %q is a group: add an agent's id (defaulted.%s: 1 in a run where it defaulted, 0 where it did not)", path, firstOr(names.agents, "ID"))
	}
	if _, ok := names.kindOf(id); !ok {
		return getter{}, fmt.Errorf("unknown metric %q: no agent %q in the base scenario%s (it has %s)", path, id, scenarios.DidYouMean(id, names.agents), idList(names.agents, "agent"))
	}
	return getter{defaulted: id}, nil
}

// idList writes ids for a message: all of them up to 12, else the first
// three, the last and how many ("AT01, AT02, AT03, ..., UK48: 48 agents").
func idList(ids []string, noun string) string {
	switch {
	case len(ids) == 0:
		return "no " + noun
	case len(ids) <= 12:
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s, ..., %s: %d %ss", strings.Join(ids[:3], ", "), ids[len(ids)-1], len(ids), noun)
}

func firstOr(xs []string, def string) string {
	if len(xs) == 0 {
		return def
	}
	return xs[0]
}

// mapKeyNames lists the names the keys of a summary's map may take besides
// those the base run has: the map is the field named field (its json
// name), depth maps down (by_kind_asset is kinds, then assets). Asset maps
// take the scenario's assets, kind maps agent kinds, reason maps sale
// reasons, unwound_pct trade kinds, unwound_long_pct asset kinds and
// capital.by_agent the banks, prime brokers and dealers; brokers, dealers
// and funding.other_spread_bp only the keys the base run has (its brokers,
// dealers and currencies), so that a key of the wrong sort
// (assets.hedge_fund.max_drawdown_pct) is refused rather than read as
// missing in every run.
func mapKeyNames(field string, depth int, names baseNames) []string {
	assets := names.assets
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
	var assetKinds []string
	for k := core.AssetKind(0); k < core.NumAssetKinds; k++ {
		assetKinds = append(assetKinds, k.String())
	}
	switch {
	case field == "assets", field == "attribution", field == "attribution_rise", field == "by_asset", field == "by_kind_asset" && depth == 1:
		return append([]string(nil), assets...)
	case field == "agents", field == "by_kind", field == "by_kind_asset" && depth == 0:
		return kinds
	case field == "by_reason":
		return reasons
	case field == "unwound_pct":
		return trades
	case field == "unwound_long_pct":
		return assetKinds
	case field == "by_agent":
		return names.listed()
	case field == "brokers", field == "dealers", field == "other_spread_bp", field == "follow":
		// Fixed by the scenario: the base run has every one a run can.
		return nil
	}
	return slices.Concat(assets, kinds, reasons, trades)
}

// resolveMetric resolves a metric path (json field names of summary.json,
// dotted, or defaulted.ID) against the Summary type, the base run's
// summary base and the names of its world.
func resolveMetric(base *sim.Summary, path string, names baseNames) (getter, error) {
	if strings.Contains(path, "*") {
		return getter{}, fmt.Errorf("metric %q: a * stands for many metrics, which a sweep file's metrics may list (defaulted.*, capital.by_agent.*.loss): name one here", path)
	}
	if path == "defaulted" || strings.HasPrefix(path, "defaulted.") {
		return resolveDefaulted(path, names)
	}
	var g getter
	if slices.Contains(sim.TwinFields, path) {
		g.twin = true
	}
	g.zeroMissing = strings.HasPrefix(path, "forced_sales_usd.") || strings.HasPrefix(path, "bought_usd.")
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
			k, fields := jsonField(t, seg)
			if k < 0 {
				in := "the summary"
				if where != "" {
					in = where
				} else {
					fields = append(fields, "defaulted") // defaulted.ID, read from the defaults
				}
				return g, fmt.Errorf("unknown metric %q: no %q in %s%s (have %s)", path, seg, in, scenarios.DidYouMean(seg, fields), strings.Join(fields, ", "))
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
			keys := mapKeyNames(field, depth, names)
			// A key holding dots (an asset BRK.B), written bare.
			segs = scenarios.JoinDotted(segs, i, func(k string) bool { return contains(have, k) || contains(keys, k) })
			seg = segs[i]
			if !contains(have, seg) && !contains(keys, seg) {
				if field == "by_agent" {
					return g, unlisted(path, where, seg, names)
				}
				return g, fmt.Errorf("unknown metric %q: no %q in %s%s (the base run has %s)", path, seg, where, scenarios.DidYouMean(seg, append(have, keys...)), listOrNone(have))
			}
			depth++
			g.steps = append(g.steps, mstep{key: seg, isKey: true})
			t = t.Elem()
			if v.IsValid() {
				v = v.MapIndex(reflect.ValueOf(seg))
			}
		case reflect.Slice:
			if field != "banks" || depth != 0 {
				return g, fmt.Errorf("unknown metric %q: %s is a list, counted as a whole (use %s)", path, where, where)
			}
			// banks.ID.FIELD: the entry of bank ID (an id may hold dots).
			ids := names.banks()
			segs = scenarios.JoinDotted(segs, i, func(k string) bool { return contains(ids, k) })
			seg = segs[i]
			if !contains(ids, seg) {
				if k, ok := names.kindOf(seg); ok {
					return g, fmt.Errorf("unknown metric %q: banks lists the banks, and %s is a %s (whether it defaulted: defaulted.%s)", path, seg, k, seg)
				}
				return g, fmt.Errorf("unknown metric %q: no bank %q in the base scenario%s (it has %s)", path, seg, scenarios.DidYouMean(seg, ids), idList(ids, "bank"))
			}
			depth++
			g.steps = append(g.steps, mstep{key: seg, isID: true})
			t = t.Elem()
			if v.IsValid() {
				v = entryOf(v, seg)
			}
		default:
			return g, fmt.Errorf("unknown metric %q: %s is a number, with no %q in it", path, where, seg)
		}
	}
	g.zeroLast = len(segs) == 4 && (segs[0] == "attribution" || segs[0] == "attribution_rise") && (segs[2] == "by_kind" || segs[2] == "by_reason")
	// A followed agent's sales by reason list the reasons it traded for:
	// another reads 0 (but a run that does not follow it, nothing).
	g.zeroLast = g.zeroLast || len(segs) == 4 && segs[0] == "follow" && (segs[2] == "sold_usd" || segs[2] == "bought_usd")
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Float64, reflect.Int, reflect.Int64, reflect.Bool:
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

// unlisted is the error for capital.by_agent.ID naming an agent the
// summary does not list: one of another kind, or none.
func unlisted(path, where, id string, names baseNames) error {
	if k, ok := names.kindOf(id); ok {
		rest := strings.TrimPrefix(path, where+"."+id)
		return fmt.Errorf("unknown metric %q: %s lists banks, prime brokers and dealers, and %s is a %s: read its kind's (capital.by_kind.%s%s) or whether it defaulted (defaulted.%s), or follow it (report.follow: [%s]) and read its own P&L (follow.%s.pnl, follow.%s.pnl_pct)", path, where, id, k, k, rest, id, id, id, id)
	}
	listed := names.listed()
	return fmt.Errorf("unknown metric %q: no bank, prime broker or dealer %q in the base scenario%s (it has %s)", path, id, scenarios.DidYouMean(id, listed), idList(listed, "such agent"))
}

func firstKey(v reflect.Value) string {
	if !v.IsValid() || v.Kind() != reflect.Map || v.Len() == 0 {
		return "NAME"
	}
	keys := mapKeys(v)
	return keys[0]
}

// entryOf returns the entry of list v whose ID field is id; the zero
// Value when none is.
func entryOf(v reflect.Value, id string) reflect.Value {
	for k := 0; k < v.Len(); k++ {
		if e := v.Index(k); e.FieldByName("ID").String() == id {
			return e
		}
	}
	return reflect.Value{}
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
	if g.defaulted != "" {
		for k := range s.Defaults {
			if s.Defaults[k].Agent == g.defaulted {
				return 1
			}
		}
		return 0
	}
	v := reflect.ValueOf(s).Elem()
	for j, st := range g.steps {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return math.NaN()
			}
			v = v.Elem()
		}
		if st.isID {
			// A bank a run does not list (a population swept smaller, or
			// past summary.json's cap) has no value.
			if v = entryOf(v, st.key); !v.IsValid() {
				return math.NaN()
			}
			continue
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
	case v.Kind() == reflect.Bool:
		if v.Bool() {
			return 1
		}
		return 0
	default:
		return float64(v.Int())
	}
}

// MaxPatternMetrics is the most metrics one pattern in a sweep file's
// metrics may stand for.
const MaxPatternMetrics = 1000

// listedMetric is one metric of a sweep file's list: written out, or one
// of those a pattern stands for.
type listedMetric struct {
	path    string
	at      int    // its entry in the file's list; -1 for one the sweep adds
	pattern string // the pattern it stands under; "" for one written out
}

// isPattern reports whether a metric of a sweep file is a pattern: a path
// whose agent id holds a * (defaulted.*, capital.by_agent.DE*.loss).
func isPattern(path string) bool {
	return strings.Contains(path, "*") && path != "score" && !strings.HasPrefix(path, "score.")
}

// capitalFields are the number fields of capital.by_agent.ID.
func capitalFields() []string {
	_, fields := jsonField(reflect.TypeOf(sim.Capital{}), "")
	return slices.DeleteFunc(fields, func(f string) bool { return f == "kind" || f == "name" })
}

// bankFields are the number and true-or-false fields of summary.json's
// banks entries.
func bankFields() []string {
	_, fields := jsonField(reflect.TypeOf(sim.BankSummary{}), "")
	return slices.DeleteFunc(fields, func(f string) bool { return f == "id" || f == "name" || f == "mode" })
}

// agentPattern splits a metric pattern into the path before the agent id,
// the id's pattern and the path after it, or says why it is not one.
func agentPattern(path string) (pre, pat, post string, err error) {
	const agentsNote = "a * stands for agent ids, in defaulted.*, capital.by_agent.*.FIELD and banks.*.FIELD (defaulted.DE*, capital.by_agent.*.loss, banks.*.below_min) only"
	if rest, ok := strings.CutPrefix(path, "defaulted."); ok {
		return "defaulted.", rest, "", nil
	}
	for _, pre := range []string{"capital.by_agent.", "banks."} {
		rest, ok := strings.CutPrefix(path, pre)
		if !ok {
			continue
		}
		k := strings.LastIndex(rest, ".")
		if k < 0 {
			example, fields := ".loss", capitalFields()
			if pre == "banks." {
				example, fields = ".below_min", bankFields()
			}
			return "", "", "", fmt.Errorf("metric pattern %q is a group: add a field (%s%s; the fields are %s)", path, path, example, strings.Join(fields, ", "))
		}
		if strings.Contains(rest[k+1:], "*") {
			return "", "", "", fmt.Errorf("metric %q: %s", path, agentsNote)
		}
		return pre, rest[:k], rest[k:], nil
	}
	return "", "", "", fmt.Errorf("metric %q: %s", path, agentsNote)
}

// matchID reports whether id matches pattern, in which * stands for any
// run of characters, none included, and any other character for itself.
func matchID(pattern, id string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == id
	}
	first, last := parts[0], parts[len(parts)-1]
	if len(id) < len(first)+len(last) || !strings.HasPrefix(id, first) || !strings.HasSuffix(id, last) {
		return false
	}
	rest := id[len(first) : len(id)-len(last)]
	for _, p := range parts[1 : len(parts)-1] {
		k := strings.Index(rest, p)
		if k < 0 {
			return false
		}
		rest = rest[k+len(p):]
	}
	return true
}

// writtenOut returns the metrics of a sweep file's list that are written
// out, not patterns; a pattern never adds one of them again.
func writtenOut(metrics []string) map[string]bool {
	written := map[string]bool{} // looked up, never ranged over
	for _, m := range metrics {
		if !isPattern(m) {
			written[m] = true
		}
	}
	return written
}

// expandMetrics returns the metrics a sweep file's list stands for, in
// its order: each metric written out, and in place of each pattern the
// metric of each agent of the base world whose id it matches, in the
// world's order (the scenario's), less those the list has already or
// writes out further on, so that no metric is listed twice. A pattern of
// defaulted.ID matches the agents that can default (names.fails), one of
// capital.by_agent.ID the agents summary.json lists there. bad is given
// each pattern that is malformed, matches no agent or more than
// MaxPatternMetrics, or adds nothing.
func expandMetrics(metrics []string, names baseNames, bad func(i int, err error)) []listedMetric {
	written := writtenOut(metrics)
	var out []listedMetric
	added := map[string]bool{} // by a pattern
	for i, m := range metrics {
		if !isPattern(m) {
			out = append(out, listedMetric{path: m, at: i})
			continue
		}
		if slices.Contains(metrics[:i], m) {
			bad(i, fmt.Errorf("metric %q listed twice", m))
			continue
		}
		pre, pat, post, err := agentPattern(m)
		if err != nil {
			bad(i, err)
			continue
		}
		ids, which := names.fails, "agent that can default (a bank, a prime broker's client or an agent a default event names)"
		switch pre {
		case "capital.by_agent.":
			ids, which = names.listed(), "bank, prime broker or dealer"
		case "banks.":
			ids, which = names.banks(), "bank"
		}
		var match []string
		for _, id := range ids {
			if matchID(pat, id) {
				match = append(match, id)
			}
		}
		switch {
		case len(ids) == 0:
			bad(i, fmt.Errorf("metric pattern %q matches nothing: the base scenario has no %s", m, which))
			continue
		case len(match) == 0:
			bad(i, fmt.Errorf("metric pattern %q matches no %s in the base scenario (it has %s)", m, which, idList(ids, "such agent")))
			continue
		case len(match) > MaxPatternMetrics:
			bad(i, fmt.Errorf("metric pattern %q matches %d agents, more than the %d metrics a pattern may stand for: narrow it (DE* matches the ids that begin with DE)", m, len(match), MaxPatternMetrics))
			continue
		}
		n := len(out)
		for _, id := range match {
			p := pre + id + post
			if !written[p] && !added[p] {
				added[p] = true
				out = append(out, listedMetric{path: p, at: i, pattern: m})
			}
		}
		if len(out) == n {
			bad(i, fmt.Errorf("metric pattern %q adds nothing: the metrics it stands for (%s) are listed already", m, idList(prefixed(pre, match, post), "metric")))
		}
	}
	return out
}

// prefixed returns each id between pre and post.
func prefixed(pre string, ids []string, post string) []string {
	out := make([]string, len(ids))
	for k, id := range ids {
		out[k] = pre + id + post
	}
	return out
}
