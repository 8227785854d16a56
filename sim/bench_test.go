package sim

import (
	"context"
	"runtime"

	"github.com/cascade-sim/cascade/core"
	"testing"
)

// benchWorld is the standard run of the benchmark: 100 agents (3 prime
// brokers, 1 dealer, 77 hedge funds, 2 insurers, 6 CTAs, 2 risk-parity and
// 3 vol-control funds, 2 value investors, a bank and 3 central-bank rules),
// 10 assets and 1,000 hourly ticks, noise on, no scripted events.
func benchWorld() *Config {
	cfg := testWorld(36)
	cfg.Agents = append(cfg.Agents, AgentSpec{Kind: "hedge_fund", Count: 3, HedgeFund: testFund("extra", "pro_rata")})
	cfg.Ticks = 1000
	cfg.Assets = append(cfg.Assets,
		AssetSpec{ID: "EURUSD", Kind: "fx", Base: "EUR", Currency: "USD", Price: 1.08, Vol: 0.07, ADV: 5e11,
			Impact: Impact{Function: "sqrt", Y: 1, Permanent: 0.5, HalfLifeDays: 1, FlowHalfLifeDays: 0.5}},
		AssetSpec{ID: "UST2Y", Kind: "bond", Currency: "USD", Price: 100, Vol: 0.02, Yield: 0.044, Duration: 1.9, ADV: 3e11,
			Impact: Impact{Function: "sqrt", Y: 1, Permanent: 0.5, HalfLifeDays: 1, FlowHalfLifeDays: 0.5}})
	n := len(cfg.Assets)
	c := make([][]float64, n)
	for i := range c {
		c[i] = make([]float64, n)
		c[i][i] = 1
		if i < len(cfg.Correlation) {
			copy(c[i], cfg.Correlation[i])
		}
	}
	c[1][9], c[9][1] = 0.6, 0.6 // UST2Y with UST10Y
	c[2][9], c[9][2] = 0.6, 0.6
	cfg.Correlation = c
	cfg.Rates["EUR"] = RateSpec{Policy: 0.0375, Expected: 0.03}
	for k := range cfg.Agents {
		a := &cfg.Agents[k]
		switch {
		case a.CTA != nil:
			a.Count = 6
			a.CTA.Assets = append(a.CTA.Assets, "EURUSD", "UST2Y")
		case a.VolControl != nil && a.VolControl.ID == "vc-spx":
			a.Count = 2
		case a.Value != nil:
			a.Count = 2
		case a.RiskParity != nil:
			a.Count = 2
		}
	}
	return cfg
}

// BenchmarkStandardRun runs the standard world (100 agents, 10 assets,
// 1,000 ticks) and reports ns per agent-tick.
func BenchmarkStandardRun(b *testing.B) { benchRun(b, benchWorld()) }

// BenchmarkStandardRunCallsAtRuns is the standard run with every prime
// broker calling only at its margin runs (calls_at_runs): what margining
// costs when brokers do not follow every account's margin from the price
// moves every round (docs/performance.md).
func BenchmarkStandardRunCallsAtRuns(b *testing.B) {
	cfg := benchWorld()
	for k := range cfg.Brokers {
		cfg.Brokers[k].CallsAtRuns = true
	}
	benchRun(b, cfg)
}

// benchRun runs cfg, a world of 100 agents and 10 assets, b.N times, seeds 1
// to b.N, and reports ns per agent-tick; each build is outside the timer.
func benchRun(b *testing.B, cfg *Config) {
	m, err := Build(cfg, 1)
	if err != nil {
		b.Fatal(err)
	}
	agents := len(m.W.Holders) - 1
	if agents != 100 || len(m.W.Assets) != 10 {
		b.Fatalf("standard run has %d agents and %d assets, want 100 and 10", agents, len(m.W.Assets))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		m, err := Build(cfg, uint64(i+1))
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC() // the build's garbage is not the run's cost
		b.StartTimer()
		if err := m.Run(context.Background(), NewCollector()); err != nil {
			b.Fatal(err)
		}
		runDone()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(agents*cfg.Ticks), "ns/agent-tick")
}

// runDone marks the end of a benchmarked run for .ci/bench/instructions.sh,
// which counts the instructions from the entry of Model.Run to the entry
// of runDone. Callgrind sees a function's entry exactly but can lose track
// of its return when Go moves a goroutine's stack or switches goroutines
// (the garbage collector's workers), so counting between an entry and its
// return undercounts by chance.
//
//go:noinline
func runDone() {}

// BenchmarkEngineFloor runs the standard world with every agent passive and
// no observer: prices, noise, estimators, dealers' lay-off, funding and
// the lazy books, the cost that no agent's rule adds to. It reports ns per
// agent-tick on the same 100 agents, the floor under BenchmarkStandardRun.
func BenchmarkEngineFloor(b *testing.B) {
	cfg := benchWorld()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		m, err := Build(cfg, uint64(i+1))
		if err != nil {
			b.Fatal(err)
		}
		for _, h := range m.W.Holders[1:] {
			if h.Kind != core.Dealer {
				h.SetPassive(true)
			}
		}
		runtime.GC()
		b.StartTimer()
		if err := m.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
		runDone()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(100*cfg.Ticks), "ns/agent-tick")
}
