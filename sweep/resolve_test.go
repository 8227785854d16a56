package sweep

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

func loadMini(t *testing.T) *sim.Config {
	t.Helper()
	sc, err := scenarios.Load("mini", nil)
	if err != nil {
		t.Fatal(err)
	}
	return &sc.File.Config
}

// TestResolve: parameter paths resolve to index paths, or fail naming the
// part that does not resolve.
func TestResolve(t *testing.T) {
	cfg := loadMini(t)
	for _, tc := range []struct {
		path, want string // want: the index path, or a substring of the error
		kind       int
		ok         bool
	}{
		{"leverage_scale", "leverage_scale", kindFloat, true},
		{"brokers.GS.capital", "brokers.0.capital", kindFloat, true},
		{"brokers.0.capital", "brokers.0.capital", kindFloat, true},
		{"brokers.GS.haircuts.fx", "brokers.0.haircuts.fx", kindFloat, true},
		{"brokers.GS.dealer.lev_limit", "brokers.0.dealer.lev_limit", kindFloat, true},
		{"agents.cta.target_vol", "agents.2.target_vol", kindFloat, true},
		{"agents.hf.trades.0.leverage", "agents.0.trades.0.leverage", kindFloat, true},
		{"agents.hf.count", "agents.0.count", kindInt, true},
		{"agents.hf.vary.0.dist.max", "agents.0.vary.0.dist.max", kindFloat, true},
		{"agents.bank.holdings.UST10Y", "agents.6.holdings.UST10Y", kindFloat, true},
		{"events.0.rate", "events.0.rate", kindFloat, true},
		{"events.1.shocks.USDJPY", "events.1.shocks.USDJPY", kindFloat, true},
		{"rates.JPY.policy", "rates.JPY.policy", kindFloat, true},
		{"trends.SPX", "trends.SPX", kindFloat, true},
		{"correlation.0.1", "correlation.0.1", kindFloat, true},
		{"noise.scale", "noise.scale", kindFloat, true},
		// Wildcards: every element or key; in agents, every entry whose
		// kind takes the next field.
		{"brokers.*.capital", "brokers.0.capital", kindFloat, true},
		{"trends.*", "trends.NKY, trends.SPX, trends.USDJPY", kindFloat, true},
		{"rates.*.policy", "rates.JPY.policy, rates.USD.policy", kindFloat, true},
		{"agents.*.equity", "agents.0.equity, agents.1.equity, agents.2.equity, agents.3.equity, agents.4.equity, agents.5.equity, agents.6.equity", kindFloat, true},
		{"agents.*.buffer_ratio", "agents.6.buffer_ratio", kindFloat, true},
		{"agents.*.count", "agents.0.count, agents.1.count, agents.2.count, agents.3.count, agents.4.count, agents.5.count, agents.6.count, agents.7.count", kindInt, true},
		{"agents.hf.trades.*.broker", "agents.0.trades.0.broker, agents.0.trades.1.broker, agents.0.trades.2.broker, agents.0.trades.3.broker", kindText, true},
		{"conventions.execution", "conventions.execution", kindText, true},
		{"brokers.GS.id", "names what an entry is, which cannot be swept", 0, false},
		{"assets.SPX.kind", "names what an entry is, which cannot be swept", 0, false},
		{"agents.*.carry_exit", "drawn per member by the population's vary", 0, false},
		{"agents.*.buffer_ratoi", `no entry of agents takes "buffer_ratoi"`, 0, false},
		{"agents.*.buffer_ratoi", `did you mean "buffer_ratio"?`, 0, false},
		{"agents.*", "a field must follow it", 0, false},
		{"events.*.shocks.USDJPY", `no key "USDJPY" in events.0.shocks`, 0, false},
		{"*.capital", "top-level fields cannot be a wildcard", 0, false},
		{"noise.*", "is a group of fields", 0, false},
		{"brokers.XX.capital", `no element with id "XX" (have GS)`, 0, false},
		{"brokers.GS.capitl", `unknown field "capitl" in brokers.GS (did you mean "capital"?)`, 0, false},
		{"agents.hf-003.equity", `address the population, "hf"`, 0, false},
		{"agents.cta.target_voll", `unknown field "target_voll" for the cta agents.cta (did you mean "target_vol"?)`, 0, false},
		{"agents.hf.carry_exit", "drawn per member by the population's vary", 0, false},
		{"agents.hf.trades.1.leverage", "drawn per member by the population's vary", 0, false},
		{"rates.EUR.policy", `no key "EUR" in rates (the base scenario has JPY, USD)`, 0, false},
		{"events.9.rate", "index 9 out of range", 0, false},
		{"seed", "cannot be swept", 0, false},
		{"ticks", "cannot be swept", 0, false},
		{"name", "name", kindText, true},
		{"brokers.GS", "is a group of fields", 0, false},
		{"tick", "cannot be swept", 0, false},
		{"brokers..capital", "not a field path", 0, false},
		{"leverage_scale.x", "no field", 0, false},
	} {
		t.Run(tc.path, func(t *testing.T) {
			ts, err := resolve(cfg, nil, tc.path)
			var got []string
			for _, tg := range ts {
				got = append(got, tg.String())
				if tg.kind != tc.kind {
					t.Errorf("%s is of kind %d, want %d", tg, tg.kind, tc.kind)
				}
			}
			switch {
			case tc.ok && err != nil:
				t.Fatalf("error: %v", err)
			case tc.ok && strings.Join(got, ", ") != tc.want:
				t.Errorf("resolved to %s, want %s", strings.Join(got, ", "), tc.want)
			case !tc.ok && err == nil:
				t.Errorf("resolved to %s, want an error", got)
			case !tc.ok && !strings.Contains(err.Error(), tc.want):
				t.Errorf("error %q lacks %q", err, tc.want)
			}
		})
	}
}

// TestApply: a resolved parameter changes a copy of the base only.
func TestApply(t *testing.T) {
	cfg := loadMini(t)
	for _, tc := range []struct {
		path string
		x    float64
		get  func(c *sim.Config) float64
	}{
		{"brokers.GS.capital", 7e10, func(c *sim.Config) float64 { return c.Brokers[0].Capital }},
		{"agents.cta.target_vol", 0.2, func(c *sim.Config) float64 { return c.Agents[2].CTA.TargetVol }},
		{"rates.JPY.policy", 0.01, func(c *sim.Config) float64 { return c.Rates["JPY"].Policy }},
		{"agents.hf.vary.0.dist.max", 0.5, func(c *sim.Config) float64 { return *c.Agents[0].Vary[0].Dist.Max }},
		{"correlation.0.1", -0.3, func(c *sim.Config) float64 { return c.Correlation[0][1] }},
	} {
		t.Run(tc.path, func(t *testing.T) {
			ts, err := resolve(cfg, nil, tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if len(ts) != 1 {
				t.Fatalf("%d fields, want 1", len(ts))
			}
			tg := ts[0]
			before := tc.get(cfg)
			c := cfg.Clone()
			if err := tg.apply(c, tc.x, nil); err != nil {
				t.Fatal(err)
			}
			if got := tc.get(c); got != tc.x {
				t.Errorf("set %v, read %v", tc.x, got)
			}
			if tc.get(cfg) != before {
				t.Error("the base changed")
			}
		})
	}
}

// TestMetrics: metric paths resolve against the summary and read the
// values a run reports; mistakes are named.
func TestMetrics(t *testing.T) {
	cfg := loadMini(t)
	sum, err := sim.RunSummary(context.Background(), cfg.Clone(), cfg.Seed, false)
	if err != nil {
		t.Fatal(err)
	}
	assets := []string{"USDJPY", "UST10Y", "TY", "SPX", "NKY"}
	for _, tc := range []struct {
		path string
		want float64
		err  string
	}{
		{path: "assets.NKY.max_drawdown_pct", want: float64(sum.Assets["NKY"].MaxDrawdownPct)},
		{path: "assets.UST10Y.yield.max", want: float64(sum.Assets["UST10Y"].Yield.Max)},
		{path: "assets.SPX.returns.excess_kurtosis", want: float64(sum.Assets["SPX"].Returns.ExcessKurtosis)},
		{path: "assets.SPX.returns.n", want: float64(sum.Assets["SPX"].Returns.N)},
		{path: "vix.peak", want: float64(sum.VIX.Peak)},
		{path: "correlation.peak_mean", want: float64(sum.Correlation.PeakMean)},
		{path: "margin_calls.count", want: float64(sum.MarginCalls.Count)},
		{path: "defaults", want: float64(len(sum.Defaults))},
		{path: "forced_sales_usd.total", want: float64(sum.ForcedSales.Total)},
		{path: "forced_sales_usd.by_reason.intervention", want: 0},
		{path: "unwound_pct.carry", want: float64(sum.UnwoundPct["carry"])},
		{path: "unwound_long_pct.equity", want: float64(sum.UnwoundLongPct["equity"])},
		{path: "unwound_long_pct.bond", want: math.NaN()}, // mini's longs are equities only
		{path: "unwound_long_pct.carry", err: `no "carry" in unwound_long_pct`},
		{path: "compression_index", want: float64(sum.CompressionIndex)},
		{path: "amplification", want: math.NaN()},
		{path: "assets.NKY.yield.max", err: "not reported for this scenario"},
		{path: "assets.NKZ.max_drawdown_pct", err: `(did you mean "NKY"?)`},
		{path: "vix.peek", err: `(did you mean "peak"?)`},
		{path: "vix", err: "is a group"},
		{path: "headline", err: "not a number"},
		{path: "defaults.0.tick", err: "is a list, counted as a whole"},
		{path: "forced_sales_usd.by_kind", err: "add a key"},
		// A key of the wrong sort for its map: always missing, so refused.
		{path: "assets.hedge_fund.max_drawdown_pct", err: `no "hedge_fund" in assets`},
		{path: "forced_sales_usd.by_kind.NKY", err: `no "NKY" in forced_sales_usd.by_kind`},
		{path: "forced_sales_usd.by_reason.cta", err: `no "cta" in forced_sales_usd.by_reason`},
		{path: "unwound_pct.SPX", err: `no "SPX" in unwound_pct`},
		{path: "forced_sales_usd.by_kind_asset.NKY.hedge_fund", err: `no "NKY" in forced_sales_usd.by_kind_asset`},
		{path: "forced_sales_usd.by_kind_asset.bank.NKY", want: 0},
		// Purchases, as sales: a key the run lacks (mini's bank bought no
		// Nikkei) reads as 0.
		{path: "bought_usd.total", want: float64(sum.Bought.Total)},
		{path: "bought_usd.by_kind_asset.cta.NKY", want: float64(sum.Bought.ByKindAsset["cta"]["NKY"])},
		{path: "bought_usd.by_kind_asset.bank.NKY", want: 0},
		{path: "bought_usd.by_reason.intervention", want: 0},
		{path: "bought_usd.by_kind_asset.NKY.cta", err: `no "NKY" in bought_usd.by_kind_asset`},
	} {
		t.Run(tc.path, func(t *testing.T) {
			g, err := resolveMetric(sum, tc.path, baseNames{assets: assets})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := g.value(sum)
			if got != tc.want && !(math.IsNaN(got) && math.IsNaN(tc.want)) {
				t.Errorf("read %v, want %v", got, tc.want)
			}
		})
	}
}

// TestAttributionMetricMissing: an attribution's kinds and reasons whose
// orders did not move the price are left out of a run's summary, and read
// as 0, so that a sweep's statistics of a kind's share count the runs in
// which it did nothing; an asset that did not fall has no attribution, and
// reads as missing. The same holds for the largest rise
// (attribution_rise).
func TestAttributionMetricMissing(t *testing.T) {
	cfg := loadMini(t)
	sum, err := sim.RunSummary(context.Background(), cfg.Clone(), cfg.Seed, false)
	if err != nil {
		t.Fatal(err)
	}
	at := sum.Attribution["NKY"]
	if at == nil || at.ByKind["cta"] == 0 {
		t.Fatalf("mini's NKY attribution %+v: want a CTA share", at)
	}
	if _, ok := at.ByKind["bank"]; ok {
		t.Fatal("mini has no bank, but NKY's attribution names one")
	}
	if r := sum.AttributionRise["NKY"]; r == nil || r.ByKind["cta"] == 0 || !(r.MovePct > 0) {
		t.Fatalf("mini's NKY rise attribution %+v: want a rise with a CTA share", r)
	}
	assets := []string{"USDJPY", "UST10Y", "TY", "SPX", "NKY", "GOLD"}
	for _, tc := range []struct {
		path string
		want float64
	}{
		{"attribution.NKY.by_kind.cta", float64(at.ByKind["cta"])},
		{"attribution.NKY.by_kind.bank", 0},
		{"attribution.NKY.by_reason.intervention", 0},
		{"attribution.GOLD.by_kind.hedge_fund", math.NaN()}, // mini has no GOLD: no fall, no attribution
		{"attribution.GOLD.exogenous_pct", math.NaN()},
		// The largest rise reads the same way.
		{"attribution_rise.NKY.by_kind.cta", float64(sum.AttributionRise["NKY"].ByKind["cta"])},
		{"attribution_rise.NKY.by_kind.bank", 0},
		{"attribution_rise.NKY.move_pct", float64(sum.Assets["NKY"].MaxRisePct)},
		{"assets.NKY.max_rise_pct", float64(sum.AttributionRise["NKY"].MovePct)},
		{"attribution_rise.GOLD.exogenous_pct", math.NaN()},
	} {
		g, err := resolveMetric(sum, tc.path, baseNames{assets: assets})
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if got := g.value(sum); got != tc.want && !(math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("%s read %v, want %v", tc.path, got, tc.want)
		}
	}
}

// TestParseShard: --shard values, with the index from the environment.
func TestParseShard(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		arg  string
		env  func(string) string
		want Shard
		err  string
	}{
		{"0/4", env(), Shard{Index: 0, Count: 4}, ""},
		{"3/4", env(), Shard{Index: 3, Count: 4}, ""},
		{"auto/4", env("SLURM_ARRAY_TASK_ID", "2"), Shard{Index: 2, Count: 4}, ""},
		{"auto/4", env("JOB_COMPLETION_INDEX", "1"), Shard{Index: 1, Count: 4}, ""},
		{"auto/4", env("SLURM_ARRAY_TASK_ID", "3", "JOB_COMPLETION_INDEX", "1"), Shard{Index: 3, Count: 4}, ""},
		{"auto/4", env(), Shard{}, "neither SLURM_ARRAY_TASK_ID"},
		{"auto/4", env("SLURM_ARRAY_TASK_ID", "4"), Shard{}, "submit the array as --array=0-3"},
		{"4/4", env(), Shard{}, "outside 0 to 3"},
		{"1/0", env(), Shard{}, "positive whole number"},
		{"2", env(), Shard{}, "want i/n"},
		{"x/2", env(), Shard{}, "not a whole number"},
	} {
		got, err := ParseShard(tc.arg, tc.env)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("%s: %v, %v; want %v", tc.arg, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: error %v, want one containing %q", tc.arg, err, tc.err)
		}
	}
	sh := Shard{Index: 1, Count: 4}
	if sh.Size(10) != 3 || sh.Run(2) != 9 || !sh.Holds(5) || sh.Holds(6) || (Shard{Index: 7, Count: 8}).Size(5) != 0 {
		t.Error("shard arithmetic is wrong")
	}
}

// TestWildcardAgreesWithSet: a wildcard path changes the same fields when
// a sweep applies it to a run's copy of the base as when --set loads it
// (which is how a sweep checks its ranges and how Reproduce replays a run).
func TestWildcardAgreesWithSet(t *testing.T) {
	for _, c := range []struct {
		base, path string
		x          float64
		n          int // fields the path stands for
	}{
		{"eba2018", "agents.*.buffer_ratio", 0.045, 48},
		{"eba2018", "agents.*.holdings.OTHER", 1e9, 48},
		{"aug2024", "agents.*.target_vol", 0.2, 3},
		{"aug2024", "brokers.*.capital", 2e11, 5},
		{"aug2024", "trends.*", 0.5, 4},
		{"mini", "agents.hf.trades.*.stop_loss", 0.04, 4},
		{"aug2024", "rates.*.expected", 0.01, 2},
	} {
		t.Run(c.base+" "+c.path, func(t *testing.T) {
			sc, err := scenarios.Load(c.base, nil)
			if err != nil {
				t.Fatal(err)
			}
			ts, err := resolve(&sc.File.Config, sc.EventLabels, c.path)
			if err != nil {
				t.Fatal(err)
			}
			if len(ts) != c.n {
				t.Errorf("%d fields, want %d", len(ts), c.n)
			}
			cfg := sc.File.Config.Clone()
			for _, tg := range ts {
				if err := tg.apply(cfg, c.x, nil); err != nil {
					t.Fatal(err)
				}
			}
			set, err := scenarios.Load(c.base, []string{c.path + "=" + formatValue(ts[0].kind, c.x)})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cfg, set.File.Config.Clone()) {
				t.Error("the sweep's fields and --set's differ")
			}
			if reflect.DeepEqual(cfg, sc.File.Config.Clone()) {
				t.Error("nothing changed")
			}
		})
	}
}

// TestReproduceWildcard: the command Reproduce prints for a run whose
// parameters have wildcards (every bank's failure threshold; every event's
// tick, which eba2018 dates) makes that run again.
func TestReproduceWildcard(t *testing.T) {
	file := filepath.Join(t.TempDir(), "w.yaml")
	err := os.WriteFile(file, []byte(`base: eba2018
seed: 7
design: grid
parameters:
  - {path: "agents.*.min_ratio", dist: {kind: list, values: [0.02, 0.03]}}
  - {path: "events.*.tick", dist: {kind: list, values: [1, 3]}}
metrics: [defaults, assets.GOVB.max_drawdown_pct, assets.CORPB.min_tick]
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	sw, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sw.Params[0].Targets); n != 48 {
		t.Fatalf("agents.*.min_ratio stands for %d fields, want 48", n)
	}
	seen := map[float64]bool{}
	for i := 0; i < sw.Runs; i++ {
		_, _, _, _, got := reproduced(t, sw, i, func(sum *sim.Summary) []float64 {
			return []float64{float64(len(sum.Defaults)), float64(sum.Assets["GOVB"].MaxDrawdownPct), float64(sum.Assets["CORPB"].MinTick)}
		})
		seen[got[0]] = true
	}
	if len(seen) < 2 {
		t.Errorf("every run had the same failures: %v", seen)
	}
}

// resolved resolves the metric path against the base summary sum and
// names: when errWant is set, it checks that the metric is refused with an
// error containing it and returns false; otherwise it checks that the
// metric reads want from sum, and returns its getter and true.
func resolved(t *testing.T, sum *sim.Summary, path string, names baseNames, want float64, errWant string) (getter, bool) {
	t.Helper()
	g, err := resolveMetric(sum, path, names)
	if errWant != "" {
		if err == nil || !strings.Contains(err.Error(), errWant) {
			t.Fatalf("error %v, want one containing %q", err, errWant)
		}
		return g, false
	}
	if err != nil {
		t.Fatal(err)
	}
	if got := g.value(sum); got != want {
		t.Errorf("read %v, want %v", got, want)
	}
	return g, true
}
