package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/market"
	"github.com/cascade-sim/cascade/sim"
	"go.yaml.in/yaml/v3"
	"gonum.org/v1/gonum/mat"
)

func reflectValue(f *File) reflect.Value { return reflect.ValueOf(f).Elem() }

// validator checks a decoded scenario's meaning, reporting at the positions
// the decoder recorded.
type validator struct {
	d      *decoder
	f      *File
	root   *yaml.Node
	origin string
	assets map[string]int
	curs   map[string]bool
	// badLength is set when the run's length is missing or refused: the
	// checks against it (an event's tick, the report's trigger) would
	// only repeat that problem in other words.
	badLength bool
}

func (v *validator) at(path string) Pos {
	for p := path; p != ""; {
		if pos, ok := v.d.at[p]; ok {
			return pos
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	if v.root != nil { // a missing field: the document itself
		return v.d.pos(v.root)
	}
	return Pos{File: v.origin, Line: 1, Col: 1}
}

func (v *validator) fail(path, format string, args ...any) {
	v.d.probs = append(v.d.probs, Problem{Pos: v.at(path), Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) has(path string) bool { _, ok := v.d.at[path]; return ok }

// resolve fills what the file leaves implicit: the tick span, the horizon
// in ticks, and event ticks from timestamps.
func (v *validator) resolve() {
	c := &v.f.Config
	if c.Tick == 0 {
		c.Tick = time.Hour
	}
	if !v.has("start") {
		v.fail("start", "missing start: the timestamp the run begins at (e.g. 2024-08-05T00:00:00Z)")
	}
	n, given := 0, "ticks"
	for _, k := range []string{"ticks", "horizon", "end"} {
		if v.has(k) {
			n, given = n+1, k
		}
	}
	switch {
	case n == 0:
		v.fail("ticks", "missing horizon: give ticks, horizon (e.g. 18d) or end (a timestamp)")
	case n > 1:
		v.fail("horizon", "give only one of ticks, horizon and end")
	case v.has("horizon"):
		c.Ticks = int(v.f.Horizon / c.Tick)
	case v.has("end"):
		if !v.f.End.After(c.Start) {
			v.fail("end", "end %s is not after start %s", v.f.End.Format(time.RFC3339), c.Start.Format(time.RFC3339))
		}
		c.Ticks = int(v.f.End.Sub(c.Start) / c.Tick)
	}
	if c.Ticks <= 0 && n == 1 {
		v.fail(given, "the horizon must be at least one tick (tick %s)", sim.FormatSpan(c.Tick))
	}
	if c.Ticks > 1_000_000 {
		v.fail(given, "%d ticks is absurdly long (at most 1,000,000)", c.Ticks)
	}
	v.badLength = n != 1 || c.Ticks <= 0 || c.Ticks > 1_000_000
	if c.Warmup < 0 {
		v.fail("warmup", "warmup %s is negative", c.Warmup)
	} else if c.Tick > 0 && c.Warmup/c.Tick > 1_000_000 {
		v.fail("warmup", "a warm-up of %d ticks is absurdly long (at most 1,000,000)", c.Warmup/c.Tick)
	}
	for k := range c.Events {
		e := &c.Events[k]
		p := fmt.Sprintf("events[%d]", k)
		hasAt, hasTick := v.has(p+".at"), v.has(p+".tick")
		switch {
		case hasAt && hasTick:
			v.fail(p+".at", "give at or tick, not both")
		case hasAt:
			d := e.At.Sub(c.Start)
			if d < 0 {
				v.fail(p+".at", "%s is before the start (%s)", e.At.Format(time.RFC3339), c.Start.Format(time.RFC3339))
				continue
			}
			e.Tick = int(d / c.Tick)
		case !hasTick:
			v.fail(p, "missing at (a timestamp) or tick")
			continue
		}
		if !v.badLength && (e.Tick < 0 || e.Tick >= c.Ticks) {
			v.fail(p+pick(hasAt, ".at", ".tick"), "event is outside the horizon (tick %d of %d; the run ends %s): end the run later or drop the event (a file's events: list replaces the whole list of the file it extends)", e.Tick, c.Ticks, c.Start.Add(time.Duration(c.Ticks)*c.Tick).Format(time.RFC3339))
		}
	}
}

// buildPath matches the entry a model-building error starts with
// ("agents[2]: ...", "assets[3] (SPX): ...", "events[0] (fx_intervention):
// ...", or a report field: "report.correlation_window must ..."), and the
// rest of it;
// buildTrade, a hedge fund's trade within an agent's error ("hedge fund
// hf-001: trade 2 (basis): ...", numbered from 1).
var (
	buildPath  = regexp.MustCompile(`(?s)^((?:assets|brokers|dealers|agents|links|events)\[\d+\]|(?:rates|trends)\.[A-Za-z0-9_]+|channels|conventions|noise\.garch\.[a-z_]+)(?: \([^)]*\))?: (.+)$|^(report\.[a-z_]+):? (.+)$`)
	buildTrade = regexp.MustCompile(`(?s)^hedge fund [^:]+: trade (\d+) \([a-z]+\): (.+)$`)
)

// buildErrPath splits an error of sim.Build into the scenario path it
// names, so that the problem is reported at that entry's line, and the
// rest of the message. An error naming no entry has the path "".
func buildErrPath(msg string) (path, rest string) {
	m := buildPath.FindStringSubmatch(msg)
	if m == nil {
		return "", msg
	}
	path, rest = m[1], m[2]
	if path == "" { // report.FIELD, with or without a colon
		path, rest = m[3], m[4]
	}
	if t := buildTrade.FindStringSubmatch(rest); t != nil && strings.HasPrefix(path, "agents[") {
		if k, err := strconv.Atoi(t[1]); err == nil && k >= 1 {
			path, rest = fmt.Sprintf("%s.trades[%d]", path, k-1), t[2]
		}
	}
	return path, rest
}

func pick(b bool, x, y string) string {
	if b {
		return x
	}
	return y
}

// NameProblem says why name, a scenario's or a sweep's, cannot name its
// output directory, out/NAME, or returns "" when it can: a name that is a
// path ("../x", "/tmp/x") would write outside out/.
func NameProblem(name string) string {
	if name == "." || name == ".." || strings.ContainsAny(name, `/\`) || strings.ContainsFunc(name, unicode.IsControl) {
		return fmt.Sprintf("%q cannot name the output directory out/NAME: give a plain name, without / or \\ (choose where the outputs go with --out)", name)
	}
	return ""
}

func (v *validator) validate() {
	c := &v.f.Config
	if c.Name == "" {
		v.fail("name", "missing name")
	} else if p := NameProblem(c.Name); p != "" {
		v.fail("name", "%s", p)
	}
	// At least a minute: the model counts periods given in days out in
	// ticks (a weekday settlement window tick by tick), and at a tick of a
	// nanosecond one day is 8.6e13 of them.
	if c.Tick < time.Minute || c.Tick > 7*24*time.Hour {
		v.fail("tick", "tick %s must be at least a minute and at most a week", sim.FormatSpan(c.Tick))
	}
	v.validateSessions()
	v.validateAssets()
	v.validateCorrelation()
	v.validateRates()
	ids := map[string]string{"outside": "the outside sector"}
	folded := map[string]string{foldID("outside"): "outside"}
	claim := func(id, path string) {
		if id == "" {
			v.fail(path, "missing id")
			return
		}
		if prev, ok := ids[id]; ok {
			v.fail(path, "duplicate id %q (also %s)", id, prev)
			return
		}
		if other, ok := folded[foldID(id)]; ok {
			v.fail(path, "id %q differs from %q (%s) only in case: a reader, or a tool that ignores case, takes them for one; choose ids that differ in more than case", id, other, ids[other])
			return
		}
		ids[id], folded[foldID(id)] = path, id
	}
	brokers := map[string]bool{}
	for k := range c.Brokers {
		b := &c.Brokers[k]
		p := fmt.Sprintf("brokers[%d]", k)
		v.idText(p+".id", b.ID)
		claim(b.ID, p+".id")
		brokers[b.ID] = true
		v.positive(p+".capital", b.Capital)
		v.positive(p+".lev_limit", b.LevLimit)
		for _, key := range sortedKeys(b.Haircuts) {
			if _, err := core.ParseAssetKind(key); err != nil {
				v.fail(p+".haircuts."+key, "unknown asset kind%s (want one of %s)", didYouMean(key, core.AssetKindNames()), strings.Join(core.AssetKindNames(), ", "))
			}
			v.unit(p+".haircuts."+key, b.Haircuts[key])
		}
		for _, key := range sortedKeys(b.AssetHaircuts) {
			v.asset(p+".asset_haircuts."+key, key)
			v.unit(p+".asset_haircuts."+key, b.AssetHaircuts[key])
		}
		for _, x := range []struct {
			f string
			x float64
		}{{"kappa", b.Kappa}, {"var_z", b.VaRZ}, {"horizon_days", b.HorizonDays}, {"half_life_days", b.HalfLifeDays},
			{"fast_half_life_days", b.FastHalfLifeDays}, {"stress_vol_ratio", b.StressVolRatio}, {"stress_jump", b.StressJump},
			{"stress_corr", b.StressCorr}, {"stress_util", b.StressUtil}, {"stress_hold_days", b.StressHoldDays},
			{"settle_days", b.SettleDays}, {"tighten", b.Tighten}, {"remargin_sigma", b.RemarginSigma}} {
			v.nonneg(p+"."+x.f, x.x)
		}
		v.unit(p+".floor", b.Floor)
		v.unit(p+".liquidation_speed", b.LiquidationSpeed)
		v.bounded(p, reflect.ValueOf(*b)) // the spans' maxima
		if b.Dealer != nil {
			v.dealer(p+".dealer", b.Dealer, true)
		}
	}
	for k := range c.Dealers {
		p := fmt.Sprintf("dealers[%d]", k)
		v.idText(p+".id", c.Dealers[k].ID)
		claim(c.Dealers[k].ID, p+".id")
		v.dealer(p, &c.Dealers[k], false)
	}
	// The agents proper (population members as the loader names them),
	// which a default event may name: not the brokers and dealers.
	agentIDs := map[string]bool{}
	claimAgent := func(id, path string) {
		claim(id, path)
		if id != "" {
			agentIDs[id] = true
		}
	}
	for k := range c.Agents {
		v.validateAgent(k, &c.Agents[k], claimAgent, brokers)
	}
	v.validateADV()
	v.validateEvents(brokers, ids, agentIDs)
	v.validateFollow(brokers, ids, agentIDs)
	v.validateRatesUsed()
	for k, name := range c.Channels.Off {
		p := fmt.Sprintf("channels.off[%d]", k)
		if name == "all" {
			continue
		}
		if name == "outside" {
			v.fail(p, "%s", sim.ErrOutsideSwitch)
			continue
		}
		ok := false
		for _, n := range sim.ChannelNames {
			ok = ok || n == name
		}
		if _, err := core.ParseAgentKind(name); err == nil {
			ok = true
		}
		if !ok {
			all := append([]string{"all"}, sim.ChannelNames...)
			for _, kind := range core.AgentKindNames() {
				if kind != "outside" {
					all = append(all, kind)
				}
			}
			v.fail(p, "unknown channel %q%s (want one of %s)", name, didYouMean(name, all), strings.Join(all, ", "))
		}
	}
	cv := c.Conventions
	if cv.Execution != "" {
		if _, err := market.ParseExecution(cv.Execution); err != nil {
			v.fail("conventions.execution", "%v", err)
		}
	}
	if cv.Flow != "" {
		if _, err := market.ParseFlowUnit(cv.Flow); err != nil {
			v.fail("conventions.flow", "%v", err)
		}
	}
	if err := sim.CheckImpactVol(cv.ImpactVol); err != nil {
		v.fail("conventions.impact_vol", "%v", err)
	}
	if cv.MaxRounds < 0 || cv.MaxRounds > 10000 {
		v.fail("conventions.max_rounds", "must be between 1 and 10000")
	}
	r := c.Report
	if err := sim.CheckCorrelationRows(r.CorrelationRows); err != nil {
		v.fail("report.correlation_rows", "%v", err)
	}
	for k, id := range r.CorrelationAssets {
		v.asset(fmt.Sprintf("report.correlation_assets[%d]", k), id)
	}
	if r.CorrelationWindow != 0 && r.CorrelationWindow < 3 {
		v.fail("report.correlation_window", "must be at least 3 ticks")
	}
	// A rolling window holds a row (a value) a tick: one longer than the
	// ticks the run and its warm-up record would never fill, and the model
	// allocates it whole (2e9 ticks: 16 GB a series).
	if c.Tick > 0 && c.Ticks > 0 {
		warm := int(c.Warmup / c.Tick)
		rows, of := c.Ticks+warm, ""
		if warm > 0 {
			of = fmt.Sprintf(": the run's %d and the warm-up's %d", c.Ticks, warm)
		}
		for _, w := range []struct {
			p string
			n int
		}{{"report.correlation_window", r.CorrelationWindow}, {"report.vix_window", r.VIXWindow}} {
			if w.n > rows {
				v.fail(w.p, "a window of %d ticks is longer than the run records (%d ticks%s): it would never fill; give at most %d", w.n, rows, of, rows)
			}
		}
	}
	// A written 0 is refused as a default's stand-in (zeros.go); 1 is one
	// tick's returns, and a longer horizon must leave the run a return.
	if h := r.CorrelationHorizon; h < 0 || (h > 1 && c.Ticks > 0 && h >= c.Ticks) {
		v.fail("report.correlation_horizon", "must be at least 1 and below the horizon, %d ticks (got %d)", c.Ticks, h)
	}
	for _, f := range []struct{ p, id string }{{"report.headline", r.Headline}, {"report.vix_asset", r.VIXAsset}} {
		if f.id != "" {
			v.asset(f.p, f.id)
		}
	}
	v.bounded("report", reflect.ValueOf(r))
	if r.Trigger != nil && !v.badLength && (*r.Trigger < 0 || *r.Trigger >= c.Ticks) {
		v.fail("report.trigger", "tick %d is outside the horizon", *r.Trigger)
	}
	if cur := r.Currency; cur != "" && !isCurrencyCode(cur) {
		v.fail("report.currency", "must be a three-letter currency code in capitals, such as EUR (got %q)", cur)
	} else if cur != "" && cur != "USD" {
		v.reportCurrency(cur)
	}
	// A 0 written out, which would mean the default, is refused by zeros.
	if c.LeverageScale < 0 {
		v.fail("leverage_scale", "must be positive (got %v)", c.LeverageScale)
	}
	if c.DepthScale < 0 {
		v.fail("depth_scale", "must be positive (got %v)", c.DepthScale)
	}
	if n := c.Noise; n.Distribution != "" && n.Distribution != "normal" && n.Distribution != "student_t" {
		v.fail("noise.distribution", "unknown distribution %q (want normal or student_t)", n.Distribution)
	} else if n.Distribution == "student_t" && !(n.DF > 2) {
		v.fail("noise.df", "student_t needs df > 2")
	} else if n.Distribution != "student_t" && v.has("noise.df") {
		v.fail("noise.df", "df does not apply to normal noise: it is the degrees of freedom of distribution: student_t")
	}
	v.nonneg("noise.scale", c.Noise.Scale)
	v.bounded("noise.garch", reflect.ValueOf(c.Noise.Garch))
	if g := c.Noise.Garch; g.Alpha == 1 {
		v.fail("noise.garch.alpha", "must be below 1: the variance would not return to its mean")
	} else if g.Alpha > 0 && g.HalfLifeDays == 0 {
		v.fail("noise.garch.half_life_days", "clustering (alpha > 0) needs half_life_days > 0: the half-life, in days, of a shock to the variance")
	} else if g.Alpha == 0 && v.has("noise.garch.half_life_days") {
		v.fail("noise.garch.alpha", "missing: without alpha > 0 the noise does not cluster, and half_life_days does nothing")
	}
	for _, key := range sortedKeys(c.Trends) {
		v.asset("trends."+key, key)
	}
	v.validateObserved()
	if len(v.d.probs) == 0 {
		// Anything the checks above missed, the model itself refuses.
		if m, err := sim.Build(c, 0); err != nil {
			path, msg := buildErrPath(err.Error())
			v.fail(path, "%s", msg)
		} else {
			v.validateColumns(m)
		}
	}
}

// reportCurrency refuses a report.currency that names a currency the
// scenario quotes against USD in one of its exchange rates (JPY with
// USDJPY): amounts are kept in one account currency, the model's USD, and
// report.currency only labels them (nothing is converted), so in such a
// world the label would print dollars as yen.
func (v *validator) reportCurrency(cur string) {
	for _, a := range v.f.Config.Assets {
		if a.Kind != "fx" {
			continue
		}
		other := ""
		switch {
		case a.Base == "USD":
			other = a.Currency
		case a.Currency == "USD":
			other = a.Base
		}
		if other == cur {
			v.fail("report.currency", "%s is a currency this scenario quotes against USD (asset %s): report.currency only labels the one account currency every amount is kept in, which the model calls USD (nothing is converted), so %s would print dollars as %s. Leave report.currency out here; it is for a scenario whose amounts are all in another currency, with no exchange rate to it (eba2018: EUR)",
				cur, a.ID, cur, cur)
			return
		}
	}
}

// validateColumns refuses asset ids that make a name of the time series
// twice (sim.SeriesColumns): an asset named vix, depth or tick, one named
// after an agent kind (hedge_fund: hedge_fund_sold_usd), or assets A and
// A_ret. The outputs could not be written, and the run would fail only
// once simulated.
func (v *validator) validateColumns(m *sim.Model) {
	w := m.W
	cols := sim.SeriesColumns(m)
	for {
		i, j, dup := sim.DuplicateSeriesColumn(cols)
		if !dup {
			return
		}
		// The asset's column, and the one it repeats: of assets A and
		// A_ret, A_ret's id is the clash.
		own, other := cols[j], cols[i]
		if own.Asset < 0 || other.Asset >= 0 && other.Name == w.Assets[other.Asset].ID {
			own, other = other, own
		}
		if own.Asset < 0 {
			v.fail("", "the time series would have two columns %q (%s, and %s)", own.Name, other.Of, own.Of)
		} else {
			id := w.Assets[own.Asset].ID
			v.fail(fmt.Sprintf("assets[%d].id", own.Asset), "asset id %q clashes with the time series: its column %q is also %s; choose another id", id, own.Name, other.Of)
		}
		cols = append(cols[:j:j], cols[j+1:]...) // on to the next clash
	}
}

func sortedKeys[T any](m map[string]T) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (v *validator) positive(path string, x float64) {
	if !(x > 0) {
		v.fail(path, "must be positive (got %v)", x)
	}
}

// required refuses a parameter the file leaves out that has no default:
// the model would run it at 0, which is seldom what was meant. what says
// what the parameter is; zero how to ask for 0 on purpose.
func (v *validator) required(path, what, zero string) {
	if v.root != nil && !v.has(path) {
		v.fail(path, "missing: %s has no default (write %s)", what, zero)
	}
}

func (v *validator) nonneg(path string, x float64) {
	if x < 0 {
		v.fail(path, "must not be negative (got %v)", x)
	}
}

// leaf is the last field name of a path.
func leaf(path string) string { return path[strings.LastIndex(path, ".")+1:] }

func (v *validator) unit(path string, x float64) {
	if x < 0 || x > 1 {
		v.fail(path, "must be between 0 and 1 (got %v)", x)
	}
}

func (v *validator) asset(path, id string) int {
	if i, ok := v.assets[id]; ok {
		return i
	}
	names := make([]string, 0, len(v.assets))
	for k := range v.assets {
		names = append(names, k)
	}
	sort.Strings(names)
	if id == "" {
		v.fail(path, "missing %s: an asset id (assets: %s)", leaf(path), strings.Join(names, ", "))
		return -1
	}
	if slices.Contains(core.AssetKindNames(), id) {
		v.fail(path, "unknown asset %q: %s is an asset kind, and %s takes asset ids (%s)", id, id, leafList(path), v.idsOfKind(id, names))
		return -1
	}
	v.fail(path, "unknown asset %q%s (assets: %s)", id, didYouMean(id, names), strings.Join(names, ", "))
	return -1
}

// idsOfKind says which of the asset ids names (sorted) are of kind: "the
// bond assets are UST10Y, JGB10Y", or that there are none and what there
// is. An event or entry that should reach every asset of a kind names
// each of them.
func (v *validator) idsOfKind(kind string, names []string) string {
	var of []string
	for _, id := range names {
		if a := v.assets[id]; a < len(v.f.Config.Assets) && v.f.Config.Assets[a].Kind == kind {
			of = append(of, id)
		}
	}
	if len(of) == 0 {
		return fmt.Sprintf("the scenario has no %s asset; assets: %s", kind, strings.Join(names, ", "))
	}
	if len(of) == 1 {
		return fmt.Sprintf("the %s asset is %s: name it", kind, of[0])
	}
	return fmt.Sprintf("the %s assets are %s: name each", kind, strings.Join(of, ", "))
}

// leafList is the field of path that holds an asset id, without an
// index: "assets" for events[31].assets[0], "asset" for agents[2].asset.
func leafList(path string) string {
	if i := strings.LastIndex(path, "["); i > 0 && strings.HasSuffix(path, "]") {
		path = path[:i]
	}
	return leaf(path)
}

// assetList checks a list of asset ids (an agent's sleeves or markets):
// each must be known, and named once.
func (v *validator) assetList(path string, ids []string) {
	first := map[string]int{}
	for j, id := range ids {
		p := fmt.Sprintf("%s[%d]", path, j)
		if v.asset(p, id) < 0 {
			continue
		}
		if k, dup := first[id]; dup {
			v.fail(p, "%s is listed twice (also %s[%d]): name each asset once", id, path, k)
			continue
		}
		first[id] = j
	}
}

// IDProblem says why id cannot be the id of an asset, a currency, a
// broker, a dealer or an agent, or returns "" when it can. Ids reach the
// outputs as column names, table cells, plot legends and --set paths, and
// any printable text is written correctly there (BRK.B, 7203, 日経225,
// S&P 500); what is refused would make one id look like another or break
// the line it is written on: control characters (a newline, a tab),
// invisible format characters (a zero-width space), and spaces at either
// end, which YAML keeps only inside quotes, so that a reference written
// without them would name no asset.
func IDProblem(id string) string {
	if i := strings.IndexFunc(id, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(id[i:])
		return fmt.Sprintf("id %q holds the invisible or control character %U: ids are written into table cells, column names and legends, where it would break the line or hide; remove it", id, r)
	}
	first, _ := utf8.DecodeRuneInString(id)
	last, _ := utf8.DecodeLastRuneInString(id)
	if id != "" && (unicode.IsSpace(first) || unicode.IsSpace(last)) {
		return fmt.Sprintf("id %q begins or ends with a space, which a reference to it must then repeat inside quotes; write %q", id, strings.TrimSpace(id))
	}
	return ""
}

// DisplayNameProblem says why s cannot be a display name (a bank's name), or
// "": it holds a control or invisible character, which would break the
// table cell or line it is written in.
func DisplayNameProblem(s string) string {
	if i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return fmt.Sprintf("name %q holds the invisible or control character %U: names are written into table cells and lines of text, where it would break the line or hide; remove it", s, r)
	}
	return ""
}

// idText fails path when the text of id is refused (IDProblem).
func (v *validator) idText(path, id string) {
	if p := IDProblem(id); p != "" {
		v.fail(path, "%s", p)
	}
}

// foldID is the form of an id that two ids differing only in case share.
func foldID(id string) string { return strings.ToLower(strings.ToUpper(id)) }

// declareCurrency notes a currency that an asset at path is quoted in or
// exchanges, refusing a code that is another's in other case (usd beside
// USD: a second currency, with its own rates and funding column, where
// the same was meant).
func (v *validator) declareCurrency(path, code string) {
	if v.curs[code] {
		return
	}
	v.idText(path, code)
	for _, other := range sortedKeys(v.curs) {
		if foldID(other) == foldID(code) {
			v.fail(path, "currency %q differs from %q only in case: it would be a second currency, with rates and a funding column of its own; write %s", code, other, other)
			return
		}
	}
	v.curs[code] = true
}

func (v *validator) currency(path, code string) {
	if v.curs[code] {
		return
	}
	names := sortedKeys(v.curs)
	if code == "" {
		v.fail(path, "missing %s: a currency code (currencies: %s)", leaf(path), strings.Join(names, ", "))
		return
	}
	v.fail(path, "unknown currency %q%s (currencies: %s)", code, didYouMean(code, names), strings.Join(names, ", "))
}

func (v *validator) validateAssets() {
	c := &v.f.Config
	v.assets = map[string]int{}
	v.curs = map[string]bool{"USD": true}
	folded := map[string]int{} // the assets by foldID of their ids
	if len(c.Assets) == 0 {
		v.fail("assets", "no assets")
	}
	for k := range c.Assets {
		a := &c.Assets[k]
		p := fmt.Sprintf("assets[%d]", k)
		v.idText(p+".id", a.ID)
		if a.ID == "" {
			v.fail(p+".id", "missing id")
		} else if j, dup := v.assets[a.ID]; dup {
			v.fail(p+".id", "duplicate asset id %q (also assets[%d].id)", a.ID, j)
		} else if j, dup := folded[foldID(a.ID)]; dup {
			v.fail(p+".id", "asset id %q differs from %q (assets[%d].id) only in case: the outputs would hold columns %s and %s, which a reader, or a tool that ignores case, takes for one; choose ids that differ in more than case", a.ID, c.Assets[j].ID, j, a.ID, c.Assets[j].ID)
			v.assets[a.ID] = k // known, so that its uses are not refused too
		} else {
			v.assets[a.ID], folded[foldID(a.ID)] = k, k
		}
		kind, err := core.ParseAssetKind(a.Kind)
		if err != nil {
			v.fail(p+".kind", "unknown asset kind %q%s (want one of %s)", a.Kind, didYouMean(a.Kind, core.AssetKindNames()), strings.Join(core.AssetKindNames(), ", "))
		}
		if a.Currency == "" {
			v.fail(p+".currency", "missing currency")
		} else {
			v.declareCurrency(p+".currency", a.Currency)
		}
		v.positive(p+".price", a.Price)
		if a.Impact.Function != "sqrt" { // the square-root law asks for a positive one
			v.nonneg(p+".adv", a.ADV)
		}
		v.nonneg(p+".vol", a.Vol)
		if a.Vol > 5 {
			v.fail(p+".vol", "an annual volatility of %v (%.0f%%) is not plausible", a.Vol, 100*a.Vol)
		}
		if err != nil {
			continue
		}
		v.applies(p, reflect.TypeOf(*a), "kind", a.Kind, &assetFields)
		switch kind {
		case core.FX:
			if a.Base == "" {
				v.fail(p+".base", "an exchange rate needs a base currency")
			} else {
				v.declareCurrency(p+".base", a.Base)
				if (a.Base == "USD") == (a.Currency == "USD") {
					v.fail(p+".base", "an exchange rate must have USD on exactly one side (base %s, currency %s)", a.Base, a.Currency)
				}
			}
		case core.Bond:
			v.positive(p+".duration", a.Duration)
		case core.Future:
			if a.Underlying == "" {
				v.fail(p+".underlying", "a future needs an underlying bond")
			}
			// A written 0 is refused as a default's stand-in (zeros.go).
			if a.Beta < 0 || math.IsInf(a.Beta, 0) || math.IsNaN(a.Beta) {
				v.fail(p+".beta", "must be positive: a future's return per unit of its underlying's (got %v)", a.Beta)
			}
			if a.BasisHalfLifeDays < 0 || math.IsInf(a.BasisHalfLifeDays, 0) || math.IsNaN(a.BasisHalfLifeDays) {
				v.fail(p+".basis_half_life_days", "must be a finite number of trading days > 0: the half-life of the future's basis to its underlying (got %v)", a.BasisHalfLifeDays)
			}
		}
		im := &a.Impact
		v.bounded(p+".impact", reflect.ValueOf(*im)) // the half-lives' maxima
		if kind != core.Illiquid || im.Function != "" {
			if im.Function == "" && !v.has(p+".impact.function") {
				what := "impact.function"
				if !v.has(p + ".impact") {
					what = "impact"
				}
				v.fail(p+"."+what, "missing: a tradable asset needs an impact law, e.g. impact: {function: sqrt, y: 1, permanent: 0.5, half_life_days: 1} (linear, sqrt or exponential; docs/ODD.md, price impact)")
				continue
			}
			fn, err := market.ParseImpactKind(im.Function)
			if err != nil {
				v.fail(p+".impact.function", "%v", err)
				continue
			}
			v.applies(p+".impact", reflect.TypeOf(*im), "function", im.Function, &impactFields)
			switch fn {
			case market.Linear:
				v.required(p+".impact.lambda", "the linear law's price move per unit of net flow", "lambda: 0 for a price no flow moves")
				v.nonneg(p+".impact.lambda", im.Lambda)
			case market.SquareRoot:
				v.positive(p+".adv", a.ADV)
				v.required(p+".impact.y", "the square-root law's Y (about 0.5 to 1 in the literature, docs/CALIBRATION.md)", "y: 0 for a price no flow moves")
				v.nonneg(p+".impact.y", im.Y)
				v.nonneg(p+".impact.volume", im.Volume)
				if im.Exponent < 0 || im.Exponent > 2 {
					v.fail(p+".impact.exponent", "must be between 0 and 2 (got %v)", im.Exponent)
				}
			case market.Exponential:
				v.positive(p+".impact.delta", im.Delta)
				if im.Floor < 0 || im.Floor >= 1 {
					v.fail(p+".impact.floor", "must be in [0, 1) (got %v)", im.Floor)
				}
			}
			v.required(p+".impact.permanent", "the share of a move that stays (the built-ins take 0.3 to 0.5)", "permanent: 0 for impact that is all temporary, gone after half_life_days")
			v.unit(p+".impact.permanent", im.Permanent)
			v.nonneg(p+".impact.half_life_days", im.HalfLifeDays)
			v.nonneg(p+".impact.flow_half_life_days", im.FlowHalfLifeDays)
		}
	}
	for k := range c.Assets {
		a := &c.Assets[k]
		if a.Kind == "future" && a.Underlying != "" {
			if i := v.asset(fmt.Sprintf("assets[%d].underlying", k), a.Underlying); i >= 0 && c.Assets[i].Kind != "bond" {
				v.fail(fmt.Sprintf("assets[%d].underlying", k), "%s is not a bond", a.Underlying)
			}
		}
	}
	for cur := range v.curs {
		if cur == "USD" {
			continue
		}
		found := false
		for k := range c.Assets {
			a := &c.Assets[k]
			if a.Kind == "fx" && ((a.Base == "USD" && a.Currency == cur) || (a.Currency == "USD" && a.Base == cur)) {
				found = true
			}
		}
		if !found {
			v.fail("assets", "currency %s has no exchange rate against USD among the assets: add an fx asset {base: USD, currency: %s} (or {base: %s, currency: USD}); books are kept in USD, so a world in one other currency writes its money as USD and labels it with report: {currency: %s}, as eba2018 does with EUR", cur, cur, cur, cur)
		}
	}
}

func (v *validator) validateSessions() {
	c := &v.f.Config
	for _, name := range sortedKeys(c.Sessions) {
		p := "sessions." + name
		ss := c.Sessions[name]
		if ss.Like != "" {
			if _, ok := sim.BuiltinSessions[ss.Like]; !ok {
				v.fail(p+".like", "unknown built-in session %q%s (built-ins: %s)", ss.Like, didYouMean(ss.Like, sim.SessionNames()), strings.Join(sim.SessionNames(), ", "))
				continue
			}
			// What like fills in comes in pairs: a half given alone is
			// replaced by the built-in's (sim.resolveSession).
			if ss.Open == "" && v.has(p+".close") {
				v.fail(p+".close", "close is not read without open: with like, the built-in's open and close apply together (give open too)")
			}
			if ss.Days == nil && v.has(p+".weekly") {
				v.fail(p+".weekly", "weekly is not read without days: with like, the built-in's days and weekly apply together (give days too)")
			}
		} else if ss.Zone == "" && ss.Open == "" {
			for _, f := range []string{"close", "days", "weekly", "changes"} {
				if v.has(p + "." + f) {
					v.fail(p+"."+f, "%s is not read by a session without zone and open, which trades at all times (give zone and open)", f)
				}
			}
		}
		if ss.Days != nil && len(ss.Days) == 0 && (ss.Like != "" || ss.Zone != "" || ss.Open != "") {
			v.fail(p+".days", "an empty list of days would keep the market closed throughout: name the days it trades, or leave days out for %s", pick(ss.Like != "", "the built-in's", "mon to fri"))
		}
		for k, d := range ss.Holidays {
			if _, err := time.Parse("2006-01-02", d); err != nil {
				v.fail(fmt.Sprintf("%s.holidays[%d]", p, k), "%q is not a date (YYYY-MM-DD)", d)
			}
		}
		if !v.validateChanges(p, ss) {
			continue
		}
		if err := sim.CheckSession(name, c.Sessions); err != nil {
			v.fail(p, "%v", err)
		}
	}
	for k := range c.Assets {
		if name := c.Assets[k].Session; name != "" {
			if _, ok := c.Sessions[name]; !ok {
				if _, ok := sim.BuiltinSessions[name]; !ok {
					all := append(sortedKeys(c.Sessions), sim.SessionNames()...)
					v.fail(fmt.Sprintf("assets[%d].session", k), "unknown session %q%s (sessions: %s)", name, didYouMean(name, all), strings.Join(all, ", "))
				}
			}
		}
	}
}

// validateChanges checks a session's changes of hours at their fields and
// reports whether they are sound (sim.CheckSession then checks the rest).
func (v *validator) validateChanges(p string, ss sim.SessionSpec) bool {
	weekly := ss.Weekly
	if ss.Like != "" && ss.Days == nil {
		weekly = sim.BuiltinSessions[ss.Like].Weekly
	}
	if len(ss.Changes) > 0 && weekly {
		v.fail(p+".changes", "a weekly session keeps its hours: changes are for daily sessions")
		return false
	}
	probs := sim.CheckChanges(ss.Changes)
	for _, pr := range probs {
		q := fmt.Sprintf("%s.changes[%d]", p, pr.Index)
		if pr.Field != "" {
			q += "." + pr.Field
		}
		v.fail(q, "%s", pr.Msg)
	}
	return len(probs) == 0
}

func (v *validator) validateCorrelation() {
	c := v.f.Config.Correlation
	if len(c) == 0 {
		// correlation: [] is the default, no correlation between any
		// assets (the identity), as leaving it out is: the way back to it
		// from a base that gives one.
		v.f.Config.Correlation = nil
		return
	}
	n := len(v.f.Config.Assets)
	if len(c) != n {
		v.correlationRows(len(c), n)
		return
	}
	ok := true
	for i := range c {
		if len(c[i]) != n {
			v.fail(fmt.Sprintf("correlation[%d]", i), "%d entries for %d assets", len(c[i]), n)
			ok = false
			continue
		}
		for j, x := range c[i] {
			p := fmt.Sprintf("correlation[%d][%d]", i, j)
			switch {
			case x < -1 || x > 1:
				v.fail(p, "%v is not a correlation (in [-1, 1])", x)
				ok = false
			case i == j && x != 1:
				v.fail(p, "the diagonal must be 1 (got %v)", x)
				ok = false
			}
		}
	}
	if !ok {
		return
	}
	for i := range c {
		for j := i + 1; j < n; j++ {
			if c[i][j] != c[j][i] {
				v.fail(fmt.Sprintf("correlation[%d][%d]", j, i), "not symmetric: %v here, %v at [%d][%d]", c[j][i], c[i][j], i, j)
				return
			}
		}
	}
	s := mat.NewSymDense(n, nil)
	for i := range c {
		for j := range c {
			s.SetSym(i, j, c[i][j])
		}
	}
	var es mat.EigenSym
	if !es.Factorize(s, false) {
		v.fail("correlation", "could not check the matrix (eigen-decomposition failed)")
		return
	}
	if ev := es.Values(nil); ev[0] < -1e-8 {
		v.fail("correlation", "not positive semi-definite (smallest eigenvalue %.4g): no set of assets can have these correlations", ev[0])
	}
}

// correlationRows refuses a correlation of rows rows for n assets. When
// some assets come from another file than the correlation (a file that
// extends a base and appends assets+ without a correlation of its own),
// the problem is at the first of them, in that file, and says what to
// give; otherwise at the correlation.
func (v *validator) correlationRows(rows, n int) {
	at := v.at("correlation")
	assets := v.f.Config.Assets
	var added []string
	first := -1
	for i := range assets {
		if v.at(fmt.Sprintf("assets[%d]", i)).File != at.File {
			if first < 0 {
				first = i
			}
			added = append(added, assets[i].ID)
		}
	}
	ids := make([]string, len(assets))
	for i := range assets {
		ids[i] = assets[i].ID
	}
	give := fmt.Sprintf("give a correlation: of %d rows of %d, in the assets' order (%s), or correlation: [] for none between any assets (the identity)", n, n, strings.Join(ids, " "))
	if first < 0 || len(added) == n {
		v.fail("correlation", "%d rows for %d assets: %s", rows, n, give)
		return
	}
	p := fmt.Sprintf("assets[%d]", first)
	v.d.probs = append(v.d.probs, Problem{Pos: v.at(p), Path: p, Msg: fmt.Sprintf("%d assets added (%s) and the correlation is %s's, %d rows for %d assets (at %s): %s",
		len(added), strings.Join(added, ", "), at.File, rows, n, at, give)})
}

// The plausible policy and expected rates, of rates.* and of the rates
// events set, and the largest change of the expected rate an event may
// make.
const minRate, maxRate, maxRateChange = -0.05, 0.5, 0.5

func (v *validator) validateRates() {
	c := &v.f.Config
	for _, code := range sortedKeys(c.Rates) {
		v.currency("rates."+code, code)
		r := c.Rates[code]
		for _, x := range []struct {
			f string
			x float64
		}{{"policy", r.Policy}, {"expected", r.Expected}} {
			if x.x < minRate || x.x > maxRate {
				v.fail("rates."+code+"."+x.f, "%v is not a plausible policy rate (want a decimal, e.g. 0.0525 for 5.25%%)", x.x)
			}
		}
	}
	f := c.Funding
	for _, x := range []struct {
		p string
		x float64
	}{{"repo_slope", f.RepoSlope}, {"other_slope", f.OtherSlope}, {"basis_slope", f.BasisSlope}, {"u_star", f.UStar}, {"facility_capacity", f.FacilityCapacity}} {
		v.nonneg("funding."+x.p, x.x)
	}
}

// validateRatesUsed refuses a currency the world uses that rates leaves
// out: a currency left out ran at 0% (deposits, borrowing, the carry
// priced on it), without a word. Used are every currency an asset is
// priced in (USD aside), each trade's funding currency, an insurer's home
// currency, a central bank's and a rate event's currency; USD is used by
// what borrows, lends or hedges in dollars (a carry trade's long leg, a
// basis trade's repo, an equity trade funded in USD, an insurer), not by
// assets priced in it: a world of banks and USD bonds (eba2018) needs no
// rates. One problem per currency, at its first use (assets, then
// agents, then events).
func (v *validator) validateRatesUsed() {
	c := &v.f.Config
	reported := map[string]bool{}
	use := func(code, path, what string) {
		if code == "" || !v.curs[code] || reported[code] {
			return // no currency, or one refused as unknown already
		}
		if _, ok := c.Rates[code]; ok {
			return
		}
		reported[code] = true
		hint := fmt.Sprintf("add rates: {%s: {policy: ...}} (expected, left out, is the policy rate: no change expected)", code)
		if len(c.Rates) > 0 {
			hint = fmt.Sprintf("add %s: {policy: ...} under rates (expected, left out, is the policy rate: no change expected)", code)
		}
		v.fail(path, "%s has no rate: %s, and rates leaves %s out (a currency left out would run at 0%% for deposits, borrowing and carry); %s", code, what, code, hint)
	}
	for k := range c.Assets {
		a := &c.Assets[k]
		p := fmt.Sprintf("assets[%d]", k)
		if a.Currency != "USD" {
			use(a.Currency, p+".currency", fmt.Sprintf("%s is priced in it", a.ID))
		}
		if a.Kind == "fx" && a.Base != "USD" {
			use(a.Base, p+".base", fmt.Sprintf("%s is its exchange rate", a.ID))
		}
	}
	for k := range c.Agents {
		a := &c.Agents[k]
		p := fmt.Sprintf("agents[%d]", k)
		switch {
		case a.HedgeFund != nil:
			for t := range a.HedgeFund.Trades {
				tr := &a.HedgeFund.Trades[t]
				tp := fmt.Sprintf("%s.trades[%d]", p, t)
				switch tr.Kind {
				case "carry":
					fund := tr.Funding
					if fund == "" {
						fund = "JPY"
					}
					use(fund, tp+".funding", "the carry trade borrows it")
					use("USD", tp+".kind", "the carry trade holds dollars")
				case "basis":
					use("USD", tp+".kind", "the basis trade borrows dollars in repo")
				case "equity":
					if tr.Funding != "" {
						use(tr.Funding, tp+".funding", "the trade borrows it")
					} else if i, ok := v.assets[tr.Asset]; ok {
						use(c.Assets[i].Currency, tp+".asset", fmt.Sprintf("the trade borrows in %s's currency", tr.Asset))
					}
				}
			}
		case a.Insurer != nil:
			home := a.Insurer.Currency
			if home == "" {
				home = "JPY"
			}
			use(home, p+".currency", "it is the insurer's home currency")
			use("USD", p+".kind", "the insurer's bonds and hedge are priced on the dollar's rate")
		case a.CentralBank != nil:
			use(a.CentralBank.Currency, p+".currency", "the central bank's rule moves its rate")
		}
	}
	for k := range c.Events {
		e := &c.Events[k]
		switch e.Kind {
		case "policy_rate", "guidance", "accommodation":
			use(e.Currency, fmt.Sprintf("events[%d].currency", k), "the event moves its rate")
		}
	}
}

// dealer checks a dealer's parameters; a prime broker's dealing arm takes
// its capital from the broker.
func (v *validator) dealer(p string, d *agents.DealerSpec, inBroker bool) {
	if !inBroker {
		v.positive(p+".capital", d.Capital)
	} else {
		// The dealing arm is the broker itself, on the broker's balance sheet.
		if v.has(p + ".id") {
			v.fail(p+".id", "id does not apply to a prime broker's dealing arm: it is the broker itself")
		}
		if v.has(p + ".capital") {
			v.fail(p+".capital", "capital does not apply to a prime broker's dealing arm: it deals on the broker's own capital")
		}
	}
	v.positive(p+".lev_limit", d.LevLimit)
	v.nonneg(p+".share", d.Share)
	if d.UStar < 0 || d.UStar >= 1 {
		v.fail(p+".u_star", "must be in [0, 1) (got %v)", d.UStar)
	}
	v.unit(p+".floor", d.Floor)
	v.nonneg(p+".layoff_days", d.LayoffDays)
	v.nonneg(p+".financing_weight", d.FinancingWeight)
	v.bounded(p, reflect.ValueOf(*d)) // layoff_days's maximum
}

func (v *validator) validateAgent(k int, a *sim.AgentSpec, claim func(id, path string), brokers map[string]bool) {
	p := fmt.Sprintf("agents[%d]", k)
	spec, err := a.Spec()
	if err != nil {
		v.fail(p, "%v", err)
		return
	}
	if a.Count < 0 {
		v.fail(p+".count", "must not be negative")
	}
	rv := reflect.ValueOf(spec).Elem()
	v.bounded(p, rv)
	if c, ok := spec.(agents.Checker); ok && a.Custom != nil {
		if field, err := c.Check(); err != nil && field == "" {
			v.fail(p, "%v", err)
		} else if err != nil {
			v.fail(p+"."+field, "%v", err)
		}
	}
	id := rv.FieldByName("ID").String()
	v.idText(p+".id", id)
	if a.Count > 1 {
		if id == "" {
			v.fail(p+".id", "missing id")
		}
		for j := 1; j <= a.Count; j++ {
			claim(fmt.Sprintf("%s-%03d", id, j), p+".id")
		}
	} else {
		claim(id, p+".id")
	}
	for j := range a.Vary {
		vp := fmt.Sprintf("%s.vary[%d]", p, j)
		x := &a.Vary[j]
		CheckDist(v.has, v.fail, vp+".dist", &x.Dist)
		if field, err := x.Dist.Validate(); err != nil {
			v.fail(vp+".dist."+field, "%v", err)
		} else {
			v.varyRange(vp, rv.Type(), x)
		}
		probe := reflect.New(rv.Type())
		probe.Elem().Set(rv)
		if err := sim.SetField(probe.Interface(), x.Field, 1); err != nil {
			first := strings.SplitN(x.Field, ".", 2)[0]
			if _, ok := findField(fieldsOf(rv.Type()), first); !ok {
				v.fail(vp+".field", "%q is not a parameter of a %s%s", first, a.Kind, didYouMean(first, fieldNames(fieldsOf(rv.Type()))))
			} else {
				v.fail(vp+".field", "%v", err)
			}
		}
	}
	broker := func(path, b string) {
		switch {
		case b == "" && len(brokers) == 0:
			v.fail(path, "missing: a %s is margined at a prime broker, and the scenario has none (add one under brokers)", a.Kind)
		case b == "":
			v.fail(path, "missing: name the prime broker that margins it (one of %s)", strings.Join(sortedKeys(brokers), ", "))
		case !brokers[b]:
			v.fail(path, "unknown prime broker %q%s", b, didYouMean(b, sortedKeys(brokers)))
		}
	}
	switch a.Kind {
	case "hedge_fund":
		s := a.HedgeFund
		if len(s.Trades) == 0 {
			v.fail(p+".trades", "a hedge fund needs at least one trade")
		}
		for t := range s.Trades {
			tp := fmt.Sprintf("%s.trades[%d]", p, t)
			tr := &s.Trades[t]
			if _, err := core.ParseTradeKind(tr.Kind); err != nil {
				v.fail(tp+".kind", "unknown trade kind %q%s (want carry, basis or equity)", tr.Kind, didYouMean(tr.Kind, core.TradeKindNames()))
			} else {
				v.applies(tp, reflect.TypeOf(*tr), "kind", tr.Kind, &tradeFields)
			}
			broker(tp+".broker", tr.Broker)
			if tr.Asset != "" && tr.Asset != "cash" {
				v.asset(tp+".asset", tr.Asset)
			} else if tr.Kind != "carry" {
				v.fail(tp+".asset", "a %s trade needs an asset", tr.Kind)
			}
			if tr.Kind == "basis" {
				if tr.Future == "" {
					v.fail(tp+".future", "a basis trade needs a future")
				} else {
					v.asset(tp+".future", tr.Future)
				}
			}
			if tr.Funding != "" {
				v.currency(tp+".funding", tr.Funding)
			}
		}
		switch s.Liquidation {
		case "", "most_liquid_first", "pro_rata", "none":
		default:
			v.fail(p+".liquidation", "unknown rule %q (want most_liquid_first, pro_rata or none)", s.Liquidation)
		}
		if s.ReviewHour < 0 || s.ReviewHour >= 24 {
			v.fail(p+".review_hour", "must be an hour of the day in [0, 24) (got %v)", s.ReviewHour)
		}
		if !(s.ReviewHours > 0) {
			// Reviewed every tick, the fund has no hour its reviews fall on.
			v.unread(p, a, "review_hour", "review_hour is not read without review_hours: the fund reviews its rules every tick (give review_hours too)")
		}
		if s.DeriskDrawdown == 1 { // bounds: a fraction, checked as a share
			v.fail(p+".derisk_drawdown", "must be below 1 (got 1): a fund that had lost all its equity from its high-water mark would have failed before it cut (0: never cut)")
		}
		for j, k := range s.DeriskKinds {
			if _, err := core.ParseTradeKind(k); err != nil {
				v.fail(fmt.Sprintf("%s.derisk_kinds[%d]", p, j), "%v", err)
			}
		}
	case "insurer":
		s := a.Insurer
		home := s.Currency
		if home == "" {
			home = "JPY"
		}
		v.insurerBond(p+".foreign", s.Foreign, "USD", "foreign is the USD bond the insurer holds")
		if s.Domestic != "" {
			v.insurerBond(p+".domestic", s.Domestic, home, "domestic is the insurer's home bond, a bond in "+home)
		} else {
			// The home bond's value buys the home bond: without one, the
			// model never reads it.
			v.unread(p, a, "domestic_value", "domestic_value is not read without domestic, the home bond it is held in: name the bond in domestic, or leave domestic_value out")
			v.unread(p, a, "liability_duration", "liability_duration marks the reserves to the home bond's yield: name the bond in domestic, or leave liability_duration out")
		}
		if !(s.LiabilityDuration > 0) && !varied(a, "liability_duration") {
			v.unread(p, a, "liability_rate", "liability_rate is paid on the reserves liability_duration makes: give liability_duration, or leave liability_rate out")
		}
		// The allocation rule reads both: sensitivity sizes the daily
		// change of foreign holdings, alloc_speed caps it, and either at 0
		// turns it off (agents.Insurer.Decide), leaving the other unread.
		if s.AllocSpeed == 0 && !varied(a, "alloc_speed") && (s.Sensitivity > 0 || varied(a, "sensitivity")) {
			v.unread(p, a, "sensitivity", "sensitivity is not read without alloc_speed: the allocation rule drifts foreign holdings with the pickup only when both are above 0 (alloc_speed caps the daily change, as a share of them; give it too, or leave sensitivity out)")
		}
		if s.Sensitivity == 0 && !varied(a, "sensitivity") && (s.AllocSpeed > 0 || varied(a, "alloc_speed")) {
			v.unread(p, a, "alloc_speed", "alloc_speed is not read without sensitivity: the allocation rule drifts foreign holdings with the pickup only when both are above 0 (sensitivity sizes the daily change; give it too, or leave alloc_speed out)")
		}
		if s.Currency == "USD" {
			v.fail(p+".currency", "the home currency is the one the insurer hedges its USD bonds back into: not USD (default JPY)")
		} else if s.Currency != "" {
			v.currency(p+".currency", s.Currency)
		}
	case "cta", "risk_parity":
		var b string
		var as []string
		if a.CTA != nil {
			b, as = a.CTA.Broker, a.CTA.Assets
			v.rebalanceAt(p, a.CTA.RebalanceAt, a.CTA.RebalanceDays)
		} else {
			b, as = a.RiskParity.Broker, a.RiskParity.Assets
			v.rebalanceAt(p, a.RiskParity.RebalanceAt, a.RiskParity.RebalanceDays)
		}
		broker(p+".broker", b)
		v.assetList(p+".assets", as)
		if a.CTA != nil && len(as) == 0 {
			v.fail(p+".assets", "missing: a CTA needs at least one asset, the markets it follows trends in")
		}
		if a.RiskParity != nil && len(as) < 2 {
			v.fail(p+".assets", "risk parity balances at least two sleeves (got %d)", len(as))
		}
	case "vol_control":
		broker(p+".broker", a.VolControl.Broker)
		v.asset(p+".asset", a.VolControl.Asset)
		v.rebalanceAt(p, a.VolControl.RebalanceAt, a.VolControl.RebalanceDays)
	case "value_investor":
		v.assetList(p+".assets", a.Value.Assets)
		if len(a.Value.Assets) == 0 {
			v.fail(p+".assets", "missing: a value investor needs at least one asset, the markets it buys dips in")
		}
	case "bank":
		if msg := DisplayNameProblem(a.Bank.Name); msg != "" {
			v.fail(p+".name", "%s", msg)
		}
		if b := a.Bank; (b.Mode == "" || b.Mode == "threshold") && !(b.MinRatio <= b.BufferRatio && b.BufferRatio <= b.TargetRatio) {
			v.fail(p+".buffer_ratio", "a threshold bank needs min_ratio <= buffer_ratio <= target_ratio (got %v, %v, %v)", b.MinRatio, b.BufferRatio, b.TargetRatio)
		}
		for _, id := range sortedKeys(a.Bank.Holdings) {
			v.asset(p+".holdings."+id, id)
			v.nonneg(p+".holdings."+id, a.Bank.Holdings[id])
		}
		if len(a.Bank.Weights) > 0 && a.Bank.Sales != "weights" {
			sales := a.Bank.Sales
			if sales == "" {
				sales = "pro_rata, the default"
			}
			v.fail(p+".weights", "weights are read only when sales is weights (this bank's sales are %s): add sales: weights, or drop weights", sales)
		}
		// quiet: no weight refused yet, so that "puts nothing" is not said twice
		sells, quiet := false, true
		for _, id := range sortedKeys(a.Bank.Weights) {
			i := v.asset(p+".weights."+id, id)
			wt := a.Bank.Weights[id]
			quiet = quiet && i >= 0 && wt >= 0
			v.nonneg(p+".weights."+id, wt)
			switch {
			case i < 0 || !(wt > 0):
			case a.Bank.Holdings[id] <= 0:
				// Its share of every sale would go unsold: the bank
				// sells (and buys) only what it holds.
				v.fail(p+".weights."+id, "the bank holds no %s, so this weight's share of every sale would go unsold (holdings: %s): put weight only on assets it holds", id, strings.Join(sortedKeys(a.Bank.Holdings), ", "))
				quiet = false // said here: not again below
			case v.f.Assets[i].Kind == "illiquid":
				v.fail(p+".weights."+id, "%s is illiquid and is never sold, so this weight's share of every sale would go unsold: put weight only on marketable assets", id)
				quiet = false
			default:
				sells = true
			}
		}
		if len(a.Bank.Weights) > 0 && quiet && !sells {
			v.fail(p+".weights", "weights put nothing on a marketable asset the bank holds (holdings: %s), so it could never deleverage", strings.Join(sortedKeys(a.Bank.Holdings), ", "))
		}
	case "central_bank":
		s := a.CentralBank
		rules := agents.CentralBankRules
		switch s.Rule {
		case "accommodation":
			if !(s.Drawdown > 0 && s.Drawdown < 1) {
				v.fail(p+".drawdown", "an accommodation rule needs a drawdown in (0, 1) (got %v)", s.Drawdown)
			}
		case "facility":
			if !(s.Trigger > 0) {
				v.fail(p+".trigger", "a facility rule needs a positive trigger, the repo spread it reacts to (got %v)", s.Trigger)
			}
		case "fx_intervention":
			if !(s.Trigger > 0) {
				v.fail(p+".trigger", "an fx_intervention rule needs a positive trigger, the exchange rate it defends (got %v)", s.Trigger)
			}
			if !(s.Amount > 0) {
				v.fail(p+".amount", "an fx_intervention rule needs a positive amount of USD to trade, sold or, with side: buy_usd, bought (got %v)", s.Amount)
			}
			if s.Side != "" && !slices.Contains(agents.FXSides, s.Side) {
				v.fail(p+".side", "unknown side %q%s (want %s: sell dollars above trigger, or buy them below it)", s.Side, didYouMean(s.Side, agents.FXSides), strings.Join(agents.FXSides, " or "))
			}
		case "asset_purchase":
			if s.Asset == "" {
				v.fail(p+".asset", "an asset_purchase rule needs an asset, the one it watches and buys")
			} else if i, ok := v.assets[s.Asset]; ok {
				v.purchasable(p+".asset", i)
			}
			if !(s.Drawdown > 0 && s.Drawdown < 1) {
				v.fail(p+".drawdown", "an asset_purchase rule needs a drawdown in (0, 1), the fall from the asset's peak at which it buys (got %v)", s.Drawdown)
			}
			if !(s.Amount > 0) {
				v.fail(p+".amount", "an asset_purchase rule needs a positive amount, the value it buys each time in the asset's currency (got %v)", s.Amount)
			}
		default:
			v.fail(p+".rule", "unknown rule %q%s (want %s)", s.Rule, didYouMean(s.Rule, rules), strings.Join(rules, ", "))
		}
		// The fields of the rule's kind it does not read are refused where
		// they are written, as an event's are, rather than silently ignored.
		if r, ok := centralBankReads[s.Rule]; ok {
			for _, f := range sim.YAMLNames(reflect.TypeFor[agents.CentralBankSpec]()) {
				if f == "id" || f == "rule" || slices.Contains(r.reads, f) {
					continue
				}
				// One message per field: a value refused already (reserves: 0)
				// is not refused again for being unread.
				if !slices.ContainsFunc(v.d.probs, func(q Problem) bool { return q.Path == p+"."+f }) {
					v.unread(p, a, f, fmt.Sprintf("%s rule does not read %s (it reads %s)", r.name, f, strings.Join(r.reads, ", ")))
				}
			}
		}
		if s.Asset != "" {
			v.asset(p+".asset", s.Asset)
		}
		if s.Currency != "" {
			v.currency(p+".currency", s.Currency)
		}
	}
}

// centralBankReads lists, by rule, the fields of a central_bank entry the
// rule reads (ODD 7.14), and how a message names the rule.
var centralBankReads = map[string]struct {
	name  string
	reads []string
}{
	"accommodation":   {"an accommodation", []string{"asset", "drawdown", "currency", "delta"}},
	"facility":        {"a facility", []string{"trigger"}},
	"fx_intervention": {"an fx_intervention", []string{"asset", "trigger", "side", "amount", "cooldown_days", "reserves"}},
	"asset_purchase":  {"an asset_purchase", []string{"asset", "drawdown", "amount", "cooldown_days", "reserves"}},
}

// purchasable refuses, at path, asset i as what an asset_purchase (rule or
// event) buys if it never trades.
func (v *validator) purchasable(path string, i int) {
	if a := v.f.Config.Assets[i]; a.Kind == "illiquid" {
		v.fail(path, "%s is illiquid and never trades: an asset_purchase buys a marketable asset", a.ID)
	}
}

// rebalanceAt checks a rebalancing fund's rebalance_at, and that with it
// rebalance_days counts whole days (agents.CheckRebalanceAt).
func (v *validator) rebalanceAt(p, at string, days float64) {
	if field, err := agents.CheckRebalanceAt(at, days); err != nil {
		v.fail(p+"."+field, "%v", err)
	}
}

// insurerBond checks an insurer's foreign or domestic asset (at path): a
// bond quoted in currency cur. The model buys it with the currency and
// reads its yield for the hedged pickup; an equity or an exchange rate has
// no yield (the pickup would silently use a policy rate), and a bond in
// the other currency turns the insurer's foreign and home legs around.
// what says what the field is for; the message names the scenario's
// bonds in cur.
func (v *validator) insurerBond(path, id, cur, what string) {
	i := v.asset(path, id)
	if i < 0 {
		return
	}
	c := &v.f.Config
	list := v.bondList(cur)
	switch a := &c.Assets[i]; {
	case a.Kind != "bond":
		v.fail(path, "%s is not a bond (its kind is %s): %s (%s)", id, a.Kind, what, list)
	case a.Currency != cur:
		v.fail(path, "%s is a bond in %s: %s (%s)", id, a.Currency, what, list)
	}
}

// validateADV refuses an adv of 0, written or left out, on an asset in
// which a hedge fund's trade has a leg: a fund trades at most participation
// × adv of an asset a day (HedgeFund.room), so it could open the trade at
// set-up but never unwind it, whatever the impact law. The legs are the
// trade's asset (not cash), a basis trade's future, and the exchange rate
// of a loan in a currency other than the asset's: a carry trade's funding
// currency (default JPY), an equity trade's funding when it differs from
// the asset's currency. Under the square-root law adv is refused 0 anyway,
// and no other agent's trading depends on adv.
func (v *validator) validateADV() {
	c := &v.f.Config
	pair := func(cur string) int { // the exchange rate of cur against USD, as sim.Build finds it
		for i := range c.Assets {
			a := &c.Assets[i]
			if a.Kind == "fx" && ((a.Base == "USD" && a.Currency == cur) || (a.Currency == "USD" && a.Base == cur)) {
				return i
			}
		}
		return -1
	}
	done := map[int]bool{}
	for k := range c.Agents {
		hf := c.Agents[k].HedgeFund
		if hf == nil {
			continue
		}
		for t := range hf.Trades {
			tr := &hf.Trades[t]
			var legs []int
			leg := func(i int, ok bool) {
				if ok && i >= 0 {
					legs = append(legs, i)
				}
			}
			main, hasMain := v.assets[tr.Asset]
			switch tr.Kind {
			case "carry":
				leg(main, hasMain)
				cur := tr.Funding
				if cur == "" {
					cur = "JPY"
				}
				if cur != "USD" {
					leg(pair(cur), true)
				}
			case "basis":
				leg(main, hasMain)
				fut, ok := v.assets[tr.Future]
				leg(fut, ok)
			case "equity":
				leg(main, hasMain)
				if hasMain && tr.Funding != "" && tr.Funding != c.Assets[main].Currency {
					cur := tr.Funding
					if cur == "USD" {
						cur = c.Assets[main].Currency
					}
					leg(pair(cur), true)
				}
			}
			for _, i := range legs {
				a := &c.Assets[i]
				if a.ADV != 0 || a.Impact.Function == "sqrt" || done[i] {
					continue
				}
				done[i] = true
				tp := fmt.Sprintf("agents[%d].trades[%d]", k, t)
				art := "a"
				if tr.Kind == "equity" {
					art = "an"
				}
				p := fmt.Sprintf("assets[%d].adv", i)
				if v.has(p) {
					v.fail(p, "an adv of 0 leaves hedge funds unable to trade %s, a leg of %s (%s %s trade): a fund trades at most participation × adv of an asset a day; give %s's average daily volume in USD", a.ID, tp, art, tr.Kind, a.ID)
				} else {
					v.fail(p, "missing adv: hedge funds trade at most participation × adv of an asset a day, and %s is a leg of %s (%s %s trade); give its average daily volume in USD", a.ID, tp, art, tr.Kind)
				}
			}
		}
	}
}

// unread refuses, with msg, a field of agent entry a (at path p) that the
// model will not read: written out in the entry, or drawn by its vary.
func (v *validator) unread(p string, a *sim.AgentSpec, field, msg string) {
	if v.has(p + "." + field) {
		v.fail(p+"."+field, "%s", msg)
	}
	for j := range a.Vary {
		if a.Vary[j].Field == field {
			v.fail(fmt.Sprintf("%s.vary[%d].field", p, j), "%s", msg)
		}
	}
}

// varied reports whether the population a draws field (vary).
func varied(a *sim.AgentSpec, field string) bool {
	for j := range a.Vary {
		if a.Vary[j].Field == field {
			return true
		}
	}
	return false
}

// validateEvents checks the events; ids are every id of the scenario (to
// name a broker or dealer for what it is), agentIDs those of the agents.
func (v *validator) validateEvents(brokers map[string]bool, ids map[string]string, agentIDs map[string]bool) {
	for k := range v.f.Config.Events {
		e := &v.f.Config.Events[k]
		p := fmt.Sprintf("events[%d]", k)
		known := false
		for _, n := range sim.EventKinds {
			known = known || n == e.Kind
		}
		if !known {
			v.fail(p+".kind", "unknown event kind %q%s (want one of %s)", e.Kind, didYouMean(e.Kind, sim.EventKinds), strings.Join(sim.EventKinds, ", "))
			continue
		}
		for _, id := range sortedKeys(e.Shocks) {
			v.asset(p+".shocks."+id, id)
			if r := e.Shocks[id]; r <= -1 || r > 10 {
				v.fail(p+".shocks."+id, "a return of %v is not possible (want a decimal above -1, e.g. -0.03)", r)
			}
		}
		v.applies(p, reflect.TypeOf(*e), "kind", e.Kind, &eventFields)
		v.bounded(p, reflect.ValueOf(*e))
		switch e.Kind {
		case "shock":
			if len(e.Shocks) == 0 {
				v.fail(p+".shocks", "a shock event needs shocks")
			}
		case "policy_rate", "guidance", "accommodation":
			if e.Currency == "" {
				v.fail(p+".currency", "missing currency")
			} else {
				v.currency(p+".currency", e.Currency)
			}
			rate, delta := v.has(p+".rate"), v.has(p+".delta")
			switch {
			case e.Kind == "policy_rate" && !rate:
				v.fail(p+".rate", "missing rate: the new policy rate as a decimal (0.0075 = 0.75%%)")
			case e.Kind == "accommodation" && !delta:
				v.fail(p+".delta", "missing delta: the change of the expected rate as a decimal (-0.0025 = 25bp lower)")
			case e.Kind == "guidance" && rate && delta:
				v.fail(p+".delta", "give rate (the new expected rate) or delta (its change), not both")
			case e.Kind == "guidance" && !rate && !delta:
				v.fail(p+".rate", "missing rate or delta: the new expected rate, or its change, as a decimal")
			case e.Kind == "guidance" && delta && e.Delta == 0:
				v.fail(p+".delta", "a delta of 0 changes nothing (to set the expected rate to zero, give rate: 0)")
			}
			if rate && (e.Rate < minRate || e.Rate > maxRate) {
				v.fail(p+".rate", "%v is not a plausible policy rate (want a decimal between %v and %v, e.g. 0.0525 for 5.25%%)", e.Rate, minRate, maxRate)
			}
			if delta && math.Abs(e.Delta) > maxRateChange {
				v.fail(p+".delta", "a change of %v is not plausible (want a decimal of at most %v either way, e.g. -0.0025 for 25bp lower)", e.Delta, maxRateChange)
			}
		case "facility":
			if !v.has(p + ".on") {
				v.fail(p+".on", "missing on: true opens the facility, false closes it")
			}
		case "haircut", "volatility":
			if !(e.Multiplier > 0) {
				v.fail(p+".multiplier", "must be positive")
			}
			if e.Broker != "" && !brokers[e.Broker] {
				v.fail(p+".broker", "unknown prime broker %q%s", e.Broker, didYouMean(e.Broker, sortedKeys(brokers)))
			}
			for j, id := range e.Assets {
				v.asset(fmt.Sprintf("%s.assets[%d]", p, j), id)
			}
		case "dealer_capacity":
			if !v.has(p + ".multiplier") {
				v.fail(p+".multiplier", "missing multiplier: what the dealers' lev_limit is multiplied by (1.25: a quarter more capacity)")
			} else if !(e.Multiplier > 0) {
				v.fail(p+".multiplier", "must be positive")
			}
			// The ids it may name: the prime brokers and the dealers.
			var known []string
			for _, id := range sortedKeys(ids) {
				if where := ids[id]; strings.HasPrefix(where, "brokers[") || strings.HasPrefix(where, "dealers[") {
					known = append(known, id)
				}
			}
			if len(known) == 0 {
				v.fail(p+".kind", "a dealer_capacity event needs a dealer or a prime broker, and the scenario has none")
			}
			seen := map[string]bool{}
			for j, id := range e.Dealers {
				q := fmt.Sprintf("%s.dealers[%d]", p, j)
				_, other := ids[id]
				switch {
				case id == "":
					v.fail(q, "missing id: a dealer or a prime broker")
				case seen[id]:
					v.fail(q, "%s is named twice", id)
				case slices.Contains(known, id):
				case other:
					v.fail(q, "%s is %s, not a dealer or a prime broker (%s)", id, pick(id == "outside", "the outside sector", "an agent"), strings.Join(known, ", "))
				default:
					v.fail(q, "unknown dealer or prime broker %q%s", id, didYouMean(id, known))
				}
				seen[id] = true
			}
		case "default":
			known := sortedKeys(agentIDs)
			switch where, other := ids[e.Agent]; {
			case e.Agent == "":
				v.fail(p+".agent", "missing agent: the id of the agent that fails")
			case agentIDs[e.Agent]:
			case other && e.Agent != "outside":
				// A broker or dealer is not a client: the broker would be
				// flagged defaulted and go on financing as before.
				what := pick(strings.HasPrefix(where, "brokers"), "a prime broker", "a dealer")
				some := ""
				if len(known) > 0 && len(known) <= 12 {
					some = " (" + strings.Join(known, ", ") + ")"
				}
				v.fail(p+".agent", "%s is %s, not an agent: a default event makes a client fail, one of the entries under agents%s", e.Agent, what, some)
			default:
				v.fail(p+".agent", "unknown agent %q%s", e.Agent, didYouMean(e.Agent, known))
			}
		case "asset_purchase":
			if e.Amount == 0 {
				v.fail(p+".amount", "missing amount: the value of asset bought, in its currency (negative: sold)")
			}
			if i := v.asset(p+".asset", e.Asset); i >= 0 {
				v.purchasable(p+".asset", i)
			}
		case "fx_intervention":
			if e.Amount == 0 {
				v.fail(p+".amount", "missing amount: USD the authority sells for the currency (negative: buys)")
			}
			if e.Pair != "" {
				if i := v.asset(p+".pair", e.Pair); i >= 0 && v.f.Config.Assets[i].Kind != "fx" {
					v.fail(p+".pair", "%s is not an exchange rate (an asset of kind fx)", e.Pair)
				}
			} else if i, ok := v.assets["USDJPY"]; !ok {
				v.fail(p+".pair", "missing pair (no USDJPY to default to)")
			} else if v.f.Config.Assets[i].Kind != "fx" {
				v.fail(p+".pair", "missing pair (USDJPY, the default, is not an exchange rate here)")
			}
		}
	}
}

func (v *validator) validateObserved() {
	c := &v.f.Config
	// The time series has a row a tick, holding the state at the tick's
	// end: the first at start + tick, the last at the run's end.
	first, end := c.Start.Add(c.Tick), c.Start.Add(time.Duration(c.Ticks)*c.Tick)
	for k := range v.f.Observed {
		o := &v.f.Observed[k]
		p := fmt.Sprintf("observed[%d]", k)
		if o.Name == "" {
			v.fail(p+".name", "missing name")
		}
		known := false
		for _, q := range quantities {
			known = known || q == o.Quantity
		}
		if !known {
			v.fail(p+".quantity", "unknown quantity %q%s (want one of %s)", o.Quantity, didYouMean(o.Quantity, quantities), strings.Join(quantities, ", "))
		}
		switch {
		case o.Quantity == "unwound":
			if _, err := core.ParseTradeKind(o.Asset); err != nil {
				v.fail(p+".asset", "want a trade kind (carry, basis, equity)")
			}
		case o.Quantity == "yield_change" || o.Quantity == "yield_peak" || o.Quantity == "yield_trough":
			v.yieldAsset(p+".asset", o.Asset, o.Quantity)
		default:
			v.observedAsset(p+".asset", o)
		}
		v.observedDates(p, o, c.Start, first, end)
		if o.Min == nil && o.Max == nil && !(o.Tolerance > 0) {
			v.fail(p+".tolerance", "give a positive tolerance or a min/max range")
		}
		if (o.Min != nil || o.Max != nil) && v.has(p+".tolerance") {
			v.fail(p+".tolerance", "tolerance is not used with min or max: give a tolerance around observed, or a min/max range, not both")
		}
		if o.Min != nil && o.Max != nil && *o.Min > *o.Max {
			v.fail(p+".min", "min %v is above max %v", *o.Min, *o.Max)
		}
	}
}

// yieldAsset checks the asset of an observation of a yield: a bond (the
// time series has a yield for bonds only).
func (v *validator) yieldAsset(path, id, quantity string) {
	i := v.asset(path, id)
	if i < 0 {
		return
	}
	if a := &v.f.Config.Assets[i]; a.Kind != "bond" {
		v.fail(path, "%s is not a bond (its kind is %s): %s measures a bond's yield (%s)", id, a.Kind, quantity, v.bondList(""))
	}
}

// bondList names the scenario's bonds in currency cur (any currency when
// cur is empty), for a message, or says there are none.
func (v *validator) bondList(cur string) string {
	var ids []string
	for _, a := range v.f.Config.Assets {
		if a.Kind == "bond" && (cur == "" || a.Currency == cur) {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) == 0 {
		return "the scenario has none"
	}
	return strings.Join(ids, ", ")
}

// observedDates checks that observation o (at path p) is measured on what
// the run records, rows from first to end (output.Score): the New York
// close of each date it compares (to, and from or its default, the trading
// day before to), and the window of a peak, trough or peak_rise. A date
// outside would be read from the run's first or last row, or not at all.
func (v *validator) observedDates(p string, o *Observation, start, first, end time.Time) {
	if o.To.IsZero() {
		v.fail(p+".to", "missing to: the date whose New York close ends the measurement")
		return
	}
	// recorded checks the close of day d, named by field f.
	recorded := func(f string, d time.Time) bool {
		c := NYClose(d)
		day := d.Format("2006-01-02")
		switch {
		case c.After(end):
			v.fail(p+f, "the run does not record the New York close of %s (%s): it ends at %s (a file's observed: list replaces the whole list of the file it extends)", day, c.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339))
		case c.Before(first):
			v.fail(p+f, "the run does not record the New York close of %s (%s): its first tick ends at %s", day, c.UTC().Format(time.RFC3339), first.UTC().Format(time.RFC3339))
		default:
			return true
		}
		return false
	}
	// From must come first: a close on a day before to's (or on it), a
	// window's opening before to's close.
	if f := o.From; !f.IsZero() && (NYClose(f).After(NYClose(o.To)) || !f.Before(NYClose(o.To))) {
		v.fail(p+".from", "%s is after to (%s)", f.Format(time.RFC3339), o.To.Format("2006-01-02"))
		return
	}
	switch o.Quantity {
	case "close_change", "yield_change", "retrace", "level_change":
		if !recorded(".to", o.To) {
			return
		}
		if !o.From.IsZero() {
			recorded(".from", o.From)
		} else if from := PrevTradingDay(o.To); NYClose(from).Before(first) {
			v.fail(p+".to", "the close to compare with, of %s (the trading day before to; give from to choose another), is before the run's first tick ends (%s)", from.Format("2006-01-02"), first.UTC().Format(time.RFC3339))
		}
	case "unwound":
		recorded(".to", o.To)
	case "level":
		if recorded(".to", o.To) && !o.From.IsZero() {
			v.fail(p+".from", "level is the value at the close of to alone, and takes no from: give level_change for a change from the close of from")
		}
	case "peak", "trough", "yield_peak", "yield_trough", "peak_rise":
		if !recorded(".to", o.To) {
			return
		}
		switch {
		case o.Quantity == "peak_rise" && o.From.IsZero():
			v.fail(p+".from", "peak_rise needs from: the peak after it is measured against the mean before it")
		case o.Quantity == "peak_rise" && !first.Before(o.From):
			v.fail(p+".from", "peak_rise compares with the mean before from, and the run records nothing before %s (its first tick ends at %s)", o.From.UTC().Format(time.RFC3339), first.UTC().Format(time.RFC3339))
		case !o.From.IsZero() && o.From.Before(start.Add(-24*time.Hour)):
			// The window may open before the run (it then starts with the
			// run), but not more than a day before: a date that far off
			// is a mistake.
			v.fail(p+".from", "%s is more than a day before the run's start", o.From.Format("2006-01-02"))
		}
	}
}

// isCurrencyCode reports whether s is three capital letters, as ISO 4217
// codes are.
func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
