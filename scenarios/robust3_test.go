package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loadProblem loads name with sets and returns its error text ("" if it
// loads).
func loadProblem(t *testing.T, name string, sets ...string) string {
	t.Helper()
	if _, err := Load(name, sets); err != nil {
		return err.Error()
	}
	return ""
}

// TestHugeSpansRefused: every parameter the model turns from days (or
// hours) into ticks or an estimator's horizon takes at most 100 years
// (36,500 days). Before, 1e12 days passed: a prime broker's settle_days of
// 1e12 with settle_weekdays made each margin call count 2.4e13 weekday
// ticks one by one (cascade run hung for over ten minutes, deaf to
// SIGTERM), and at short ticks the conversion to int ticks overflowed.
func TestHugeSpansRefused(t *testing.T) {
	for _, c := range []struct {
		set  []string
		want string
	}{
		{[]string{"brokers.GS.settle_days=1.0e+12"}, "brokers[0].settle_days: must be at most 36500 days (100 years) (got 1e+12)"},
		{[]string{"brokers.GS.stress_hold_days=1.0e+12"}, "brokers[0].stress_hold_days: must be at most 36500 days"},
		{[]string{"brokers.GS.half_life_days=1.0e+12"}, "brokers[0].half_life_days: must be at most 36500 days"},
		{[]string{"brokers.GS.horizon_days=1.0e+12"}, "brokers[0].horizon_days: must be at most 36500 days"},
		{[]string{"brokers.GS.dealer.layoff_days=1.0e+12"}, "brokers[0].dealer.layoff_days: must be at most 36500 days"},
		{[]string{"dealers.dealers.layoff_days=1.0e+12"}, "dealers[0].layoff_days: must be at most 36500 days"},
		{[]string{"assets.SPX.impact.half_life_days=1.0e+12"}, "assets[3].impact.half_life_days: must be at most 36500 days"},
		{[]string{"assets.SPX.impact.flow_half_life_days=1.0e+12"}, "assets[3].impact.flow_half_life_days: must be at most 36500 days"},
		{[]string{"agents.hf.review_hours=1.0e+12"}, "agents[0].review_hours: must be at most 876000 hours (100 years) (got 1e+12)"},
		{[]string{"agents.hf.reentry_days=1.0e+12"}, "agents[0].reentry_days: must be at most 36500 days"},
		{[]string{"agents.hf.half_life_days=1.0e+12"}, "agents[0].half_life_days: must be at most 36500 days"},
		{[]string{"agents.cta.lookback_days=[30, 1.0e+12]"}, "agents[2].lookback_days[1]: must be at most 36500 days"},
		{[]string{"agents.cta.rebalance_days=1.0e+12"}, "agents[2].rebalance_days: must be at most 36500 days"},
		{[]string{"agents.rp.half_life_days=1.0e+12"}, "agents[3].half_life_days: must be at most 36500 days"},
		{[]string{"agents.vc.rebalance_days=1.0e+12"}, "agents[4].rebalance_days: must be at most 36500 days"},
		{[]string{"agents.value.review_days=1.0e+12"}, "agents[5].review_days: must be at most 36500 days"},
		{[]string{"agents.value.anchor_days=1.0e+12"}, "agents[5].anchor_days: must be at most 36500 days"},
		{[]string{"agents.boj.cooldown_days=1.0e+12"}, "agents[7].cooldown_days: must be at most 36500 days"},
		{[]string{"noise.garch={alpha: 0.1, half_life_days: 1.0e+12}"}, "noise.garch.half_life_days: must be at most 36500 days"},
		{[]string{"agents.hf.vary=[{field: reentry_days, dist: {kind: uniform, min: 1, max: 1.0e+12}}]"},
			"agents[0].vary[0].dist: reentry_days must be at most 36500 days (100 years), and this distribution draws up to 1e+12 (lower its max to 36500)"},
		// Windows in ticks: no longer than the ticks the run (with its
		// warm-up) records. vix_window 2e9 made validation itself ask for
		// 16 GB (fatal error: out of memory).
		{[]string{"report.correlation_window=100"}, "report.correlation_window: a window of 100 ticks is longer than the run records (72 ticks"},
		{[]string{"report.vix_window=2000000000"}, "report.vix_window: a window of 2000000000 ticks is longer than the run records (72 ticks"},
		// A tick under a minute: at 1ns a prime broker's default
		// one-day settlement window with settle_weekdays is 8.6e13 ticks,
		// counted one by one at each call.
		{[]string{"tick=1ns", "horizon=1ms"}, "tick: tick 1ns must be at least a minute and at most a week"},
		{[]string{"tick=30s", "horizon=1d"}, "tick: tick 30s must be at least a minute and at most a week"},
		// A horizon too long is reported at the field that gives it.
		{[]string{"tick=1m", "horizon=1000d"}, "horizon: 1440000 ticks is absurdly long (at most 1,000,000)"},
	} {
		got := loadProblem(t, "mini", c.set...)
		if !strings.Contains(got, c.want) {
			t.Errorf("%v: want %q, got %q", c.set, c.want, got)
		}
	}
	// At the bounds, and a window the warm-up fills, pass.
	for _, ok := range [][]string{
		{"brokers.GS.settle_days=36500", "agents.hf.review_hours=876000", "agents.cta.lookback_days=[30, 36500]"},
		{"report.correlation_window=72", "report.vix_window=72"},
		{"warmup=10d", "report.correlation_window=300", "report.vix_window=312"},
	} {
		if got := loadProblem(t, "mini", ok...); got != "" {
			t.Errorf("%v: %s", ok, got)
		}
	}
}

// TestHugeSpanSchema: the schema states the upper bound, so that editors
// flag it as it is typed.
func TestHugeSpanSchema(t *testing.T) {
	s := Schema()
	props := s["properties"].(map[string]any)
	brokers := props["brokers"].(map[string]any)["items"].(map[string]any)["properties"].(map[string]any)
	if m := brokers["settle_days"].(map[string]any)["maximum"]; m != 36500.0 {
		t.Errorf("brokers settle_days maximum %v, want 36500", m)
	}
}

// insurerWorld is a small scenario with a home (JPY) bond; agent is the
// insurer's entry.
func insurerWorld(agent string) string {
	return `name: ins
start: 2024-07-30T00:00:00Z
tick: 1h
horizon: 2d
assets:
  - {id: USDJPY, kind: fx, base: USD, currency: JPY, price: 150, vol: 0.1, adv: 4.0e+11, impact: {function: sqrt, y: 1, permanent: 0.5}}
  - {id: UST10Y, kind: bond, currency: USD, price: 100, vol: 0.06, yield: 0.04, duration: 8, adv: 6.0e+11, impact: {function: sqrt, y: 1, permanent: 0.5}}
  - {id: JGB10Y, kind: bond, currency: JPY, price: 100, vol: 0.02, yield: 0.01, duration: 9, adv: 1.0e+11, impact: {function: sqrt, y: 1, permanent: 0.5}}
  - {id: SPX, kind: equity, currency: USD, price: 5400, vol: 0.15, adv: 2.0e+11, impact: {function: sqrt, y: 1, permanent: 0.5}}
  - {id: NKY, kind: equity, currency: JPY, price: 38000, vol: 0.2, adv: 2.0e+10, impact: {function: sqrt, y: 1, permanent: 0.5}}
rates:
  USD: {policy: 0.05, expected: 0.045}
  JPY: {policy: 0.001, expected: 0.002}
agents:
  - ` + agent + "\n"
}

// TestInsurerBonds: an insurer's foreign asset is a USD bond and its
// domestic asset a bond in its home currency. Before, domestic: SPX (a US
// equity), domestic: USDJPY (the exchange rate) and domestic: UST10Y (the
// foreign bond itself) all loaded, and the insurer held them as its "home
// bond"; foreign: SPX loaded too (the model takes any funded USD asset),
// and foreign: JGB10Y was refused only by the model, at the entry
// (agents[0]), not at the field.
func TestInsurerBonds(t *testing.T) {
	dir := t.TempDir()
	const ins = "{kind: insurer, id: lifer, equity: 3.0e+10, foreign_value: 1.0e+11, hedge_ratio: 0.44, "
	for k, c := range []struct {
		fields, want string
	}{
		{"foreign: UST10Y, domestic: SPX, domestic_value: 1.0e+10}", "insa.yaml:15:119: agents[0].domestic: SPX is not a bond (its kind is equity): domestic is the insurer's home bond, a bond in JPY (JGB10Y)"},
		{"foreign: UST10Y, domestic: USDJPY, domestic_value: 1.0e+10}", "agents[0].domestic: USDJPY is not a bond (its kind is fx)"},
		{"foreign: UST10Y, domestic: UST10Y, domestic_value: 1.0e+10}", "agents[0].domestic: UST10Y is a bond in USD: domestic is the insurer's home bond, a bond in JPY (JGB10Y)"},
		{"foreign: SPX}", "agents[0].foreign: SPX is not a bond (its kind is equity): foreign is the USD bond the insurer holds (UST10Y)"},
		{"foreign: JGB10Y}", "agents[0].foreign: JGB10Y is a bond in JPY: foreign is the USD bond the insurer holds (UST10Y)"},
		{"foreign: UST10Y, domestic: NKY, currency: JPY}", "agents[0].domestic: NKY is not a bond (its kind is equity)"},
		{"foreign: UST10Y, currency: USD}", "agents[0].currency: the home currency is the one the insurer hedges its USD bonds back into: not USD (default JPY)"},
		{"foreign: UST10Y, domestic: JGB10Y, domestic_value: 1.0e+10}", ""},
		{"foreign: UST10Y}", ""},
	} {
		p := write(t, dir, "ins"+string(rune('a'+k))+".yaml", insurerWorld(ins+c.fields))
		got := loadProblem(t, p)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: want %q, got %q", c.fields, c.want, got)
		}
	}
}

// TestExtendsPathNoFallback: extends: mini.yaml is a path, relative to
// the extending file; when there is no such file it is an error at the
// extends field, not the built-in mini (which it silently was).
func TestExtendsPathNoFallback(t *testing.T) {
	dir := t.TempDir()
	child := write(t, dir, "child.yaml", "name: child\nextends: mini.yaml\n")
	got := loadProblem(t, child)
	want := child + `:2:10: extends: no scenario file "mini.yaml" (` + filepath.Join(dir, "mini.yaml") + `); to extend the built-in scenario mini, write extends: mini`
	if !strings.Contains(got, want) {
		t.Errorf("want %q, got %q", want, got)
	}
	// The file beside it is used when it is there.
	write(t, dir, "mini.yaml", "extends: mini\nname: local\n")
	if s, err := Load(child, nil); err != nil || s.File.Name != "child" {
		t.Errorf("with mini.yaml beside it: %v", err)
	}
}

// TestBuiltinExtendsOnlyBuiltins: a built-in's extends names a built-in;
// before, a file of that name in the working directory took its place
// (boj2026-100-hawkish-facility-full extends boj2026: a file ./boj2026
// replaced the base, and the built-in failed to load).
func TestBuiltinExtendsOnlyBuiltins(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "boj2026", "name: hijack\n")
	t.Chdir(dir)
	if _, err := os.Stat("boj2026"); err != nil {
		t.Fatal(err)
	}
	s, err := Load("boj2026-100-hawkish-facility-full", nil)
	if err != nil {
		t.Fatalf("a file ./boj2026 broke the built-in: %v", err)
	}
	if len(s.File.Assets) < 3 {
		t.Errorf("%d assets: the base is not the built-in boj2026", len(s.File.Assets))
	}
}

// TestObservedAtRunEdges: an observation must be measurable on closes the
// run records. mini runs from 2024-07-30T00:00Z for 72 hourly ticks, to
// 2024-08-02T00:00Z: the last New York close it records is 1 Aug's (20:00
// UTC). Before, to: 2024-08-02 passed ("within the run": its midnight is
// the end), and the score read the row ending at 00:00 UTC on 2 Aug, the
// close of 1 Aug, as the close of 2 Aug.
func TestObservedAtRunEdges(t *testing.T) {
	obs := func(fields string) string {
		return "observed=[{name: x, observed: 0, tolerance: 1, " + fields + "}]"
	}
	for _, c := range []struct {
		fields, want string
	}{
		{"quantity: close_change, asset: SPX, to: 2024-08-02", "observed[0].to: the run does not record the New York close of 2024-08-02 (2024-08-02T20:00:00Z): it ends at 2024-08-02T00:00:00Z"},
		{"quantity: unwound, asset: carry, to: 2024-08-02", "observed[0].to: the run does not record the New York close of 2024-08-02"},
		{"quantity: peak, asset: vix, to: 2024-08-02", "observed[0].to: the run does not record the New York close of 2024-08-02"},
		// The default from, the trading day before to (Monday 29 Jul),
		// closes before the run starts.
		{"quantity: close_change, asset: SPX, to: 2024-07-30", "observed[0].to: the close to compare with, of 2024-07-29 (the trading day before to; give from to choose another), is before the run's first tick ends (2024-07-30T01:00:00Z)"},
		{"quantity: close_change, asset: SPX, from: 2024-07-29, to: 2024-07-31", "observed[0].from: the run does not record the New York close of 2024-07-29 (2024-07-29T20:00:00Z): its first tick ends at 2024-07-30T01:00:00Z"},
		{"quantity: peak_rise, asset: mean_corr, from: 2024-07-30, to: 2024-07-31", "observed[0].from: peak_rise compares with the mean before from, and the run records nothing before 2024-07-30T00:00:00Z (its first tick ends at 2024-07-30T01:00:00Z)"},
		// On the last day the run covers, the close is read.
		{"quantity: close_change, asset: SPX, to: 2024-08-01", ""},
		{"quantity: close_change, asset: SPX, from: 2024-07-30, to: 2024-08-01", ""},
		{"quantity: peak, asset: vix, from: 2024-07-29, to: 2024-08-01", ""},
		{"quantity: peak_rise, asset: mean_corr, from: 2024-07-31, to: 2024-08-01", ""},
		// A yield is a bond's: yield quantities of another asset are refused.
		{"quantity: yield_peak, asset: UST10Y, to: 2024-08-01", ""},
		{"quantity: yield_trough, asset: UST10Y, from: 2024-07-31, to: 2024-08-01", ""},
		{"quantity: yield_peak, asset: SPX, to: 2024-08-01", "observed[0].asset: SPX is not a bond (its kind is equity): yield_peak measures a bond's yield (UST10Y)"},
		{"quantity: yield_change, asset: TY, to: 2024-08-01", "observed[0].asset: TY is not a bond (its kind is future): yield_change measures a bond's yield (UST10Y)"},
		{"quantity: yield_trough, asset: UST10Y, to: 2024-08-02", "observed[0].to: the run does not record the New York close of 2024-08-02"},
	} {
		got := loadProblem(t, "mini", obs(c.fields))
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: want %q, got %q", c.fields, c.want, got)
		}
	}
}

// TestExtendsCycleAtField: a cycle of extends is reported at the extends
// field that closes it; before, at the file alone (no line or column).
func TestExtendsCycleAtField(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.yaml", "name: a\nextends: b.yaml\n")
	b := write(t, dir, "b.yaml", "# b\nextends: a.yaml\n")
	got := loadProblem(t, a)
	if want := b + ":2:10: extends: cyclic extends: " + a + " -> " + b + " -> " + a; !strings.Contains(got, want) {
		t.Errorf("want %q, got %q", want, got)
	}
}
