package sweep

import (
	"context"
	"math"
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
		{"name", "is text, not a number", 0, false},
		{"brokers.GS", "is a group of fields", 0, false},
		{"tick", "cannot be swept", 0, false},
		{"brokers..capital", "not a field path", 0, false},
		{"leverage_scale.x", "no field", 0, false},
	} {
		t.Run(tc.path, func(t *testing.T) {
			got, err := resolve(cfg, tc.path)
			switch {
			case tc.ok && err != nil:
				t.Fatalf("error: %v", err)
			case tc.ok && (got.String() != tc.want || got.kind != tc.kind):
				t.Errorf("resolved to %s (kind %d), want %s (kind %d)", got, got.kind, tc.want, tc.kind)
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
			tg, err := resolve(cfg, tc.path)
			if err != nil {
				t.Fatal(err)
			}
			before := tc.get(cfg)
			c := cfg.Clone()
			if err := tg.apply(c, tc.x); err != nil {
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
		{path: "compression_index", want: float64(sum.CompressionIndex)},
		{path: "amplification", want: math.NaN()},
		{path: "assets.NKY.yield.max", err: "not reported for this scenario"},
		{path: "assets.NKZ.max_drawdown_pct", err: `(did you mean "NKY"?)`},
		{path: "vix.peek", err: `(did you mean "peak"?)`},
		{path: "vix", err: "is a group"},
		{path: "headline", err: "not a number"},
		{path: "defaults.0.tick", err: "is a list, counted as a whole"},
		{path: "forced_sales_usd.by_kind", err: "add a key"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			g, err := resolveMetric(sum, tc.path, assets)
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
		{"0/4", env(), Shard{0, 4}, ""},
		{"3/4", env(), Shard{3, 4}, ""},
		{"auto/4", env("SLURM_ARRAY_TASK_ID", "2"), Shard{2, 4}, ""},
		{"auto/4", env("JOB_COMPLETION_INDEX", "1"), Shard{1, 4}, ""},
		{"auto/4", env("SLURM_ARRAY_TASK_ID", "3", "JOB_COMPLETION_INDEX", "1"), Shard{3, 4}, ""},
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
	sh := Shard{1, 4}
	if sh.Size(10) != 3 || sh.Run(2) != 9 || !sh.Holds(5) || sh.Holds(6) || (Shard{7, 8}).Size(5) != 0 {
		t.Error("shard arithmetic is wrong")
	}
}
