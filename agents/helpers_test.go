package agents_test

import (
	"math"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// noImpact is a liquidity specification under which orders do not move
// prices, so that the rules of agents can be checked against exact numbers.
var noImpact = sim.Impact{Function: "linear", Lambda: 0, Permanent: 1}

// assetSpecs are the built-in asset IDs with round calm parameters and no
// price impact; ADVs are large so that participation limits do not bind
// unless a test asks for it.
func assetSpecs() []sim.AssetSpec {
	return []sim.AssetSpec{
		{ID: "USDJPY", Kind: "fx", Base: "USD", Currency: "JPY", Price: 150, Vol: 0.10, ADV: 1e13, Impact: noImpact},
		{ID: "UST10Y", Kind: "bond", Currency: "USD", Price: 100, Vol: 0.065, Yield: 0.042, Duration: 8, ADV: 1e13, Impact: noImpact},
		{ID: "TY", Kind: "future", Currency: "USD", Price: 110, Underlying: "UST10Y", ADV: 1e13, Impact: noImpact},
		{ID: "SPX", Kind: "equity", Currency: "USD", Price: 5400, Vol: 0.15, ADV: 2e12, Impact: noImpact},
		{ID: "NKY", Kind: "equity", Currency: "JPY", Price: 38000, Vol: 0.20, ADV: 1e12, Impact: noImpact},
		{ID: "GOLD", Kind: "commodity", Currency: "USD", Price: 2400, Vol: 0.14, ADV: 1e12, Impact: noImpact},
		{ID: "BTC", Kind: "crypto", Currency: "USD", Price: 65000, Vol: 0.55, ADV: 1e11, Impact: noImpact},
		{ID: "JGB10Y", Kind: "bond", Currency: "JPY", Price: 100, Vol: 0.03, Yield: 0.01, Duration: 9, ADV: 1e12, Impact: noImpact},
		{ID: "LOANS", Kind: "illiquid", Currency: "USD", Price: 1, Vol: 0, ADV: 1, Impact: noImpact},
	}
}

// config returns a noise-free hourly scenario of the named assets (from
// assetSpecs), with USD and JPY rates, one dealer, no brokers and no agents.
func config(ids ...string) *sim.Config {
	cfg := &sim.Config{Name: "unit", Start: time.Date(2024, 7, 29, 0, 0, 0, 0, time.UTC), Ticks: 200, Noise: sim.NoiseSpec{Off: true},
		Rates:   map[string]sim.RateSpec{"USD": {Policy: 0.05, Expected: 0.05}, "JPY": {Policy: 0.001, Expected: 0.001}},
		Dealers: []agents.DealerSpec{{ID: "dealer", Capital: 1e12, LevLimit: 20, Share: 1, UStar: 0.5, Floor: 0.2}}}
	jpy := false
	for _, id := range ids {
		for _, a := range assetSpecs() {
			if a.ID == id {
				cfg.Assets = append(cfg.Assets, a)
				jpy = jpy || a.Currency == "JPY"
			}
		}
	}
	if !jpy {
		delete(cfg.Rates, "JPY")
	}
	return cfg
}

// oneFund returns config(assets...) with one prime broker, PB
// (brokerSpec), and one hedge fund, s, whose trades are at PB.
func oneFund(s agents.HedgeFundSpec, assets ...string) *sim.Config {
	cfg := config(assets...)
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
	cfg.Agents = []sim.AgentSpec{{Kind: "hedge_fund", HedgeFund: &s}}
	return cfg
}

// stockBondSessions is config("SPX", "UST10Y") with the Treasury trading
// on the futures session and the S&P on New York's, correlated +0.6 in
// calendar time, with noise on and 400 days of warm-up: a pair whose
// hourly returns understate their correlation.
func stockBondSessions() *sim.Config {
	cfg := config("SPX", "UST10Y")
	cfg.Assets[0].Session, cfg.Assets[1].Session = "futures", "new_york" // UST10Y, SPX
	cfg.Noise = sim.NoiseSpec{}
	cfg.Warmup = 400 * 24 * time.Hour
	cfg.Correlation = [][]float64{{1, 0.6}, {0.6, 1}}
	return cfg
}

// brokerSpec is a prime broker with round haircuts whose requirement is
// the gross one (Floor 1) and whose stress triggers are off, so that
// margin numbers can be computed by hand; tests change what they need.
func brokerSpec(id string) agents.PrimeBrokerSpec {
	return agents.PrimeBrokerSpec{ID: id, Capital: 1e11, LevLimit: 25,
		Haircuts: map[string]float64{"fx": 0.04, "bond": 0.02, "future": 0.03, "equity": 0.15, "commodity": 0.1, "crypto": 0.5},
		VaRZ:     2.33, HorizonDays: 2, Floor: 1, HalfLifeDays: 10, SettleDays: 1, LiquidationSpeed: 0.5}
}

// build builds the model of cfg and installs the accounting audit (units,
// money, claims and every ledger against its balance sheet, to 1e-9),
// which then runs after every stage of every tick.
func build(t *testing.T, cfg *sim.Config) (*sim.Model, *sim.Audit) {
	t.Helper()
	m, err := sim.Build(cfg, core.RunSeed(cfg.Seed, 0))
	if err != nil {
		t.Fatal(err)
	}
	return m, sim.NewAudit(m, 1e-9)
}

// step runs n ticks of the model.
func step(t *testing.T, m *sim.Model, n int) {
	t.Helper()
	for k := 0; k < n; k++ {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
	}
}

// holder returns the holder with the given ID.
func holder(t *testing.T, m *sim.Model, id string) *core.Holder {
	t.Helper()
	for _, h := range m.W.Holders {
		if h.ID == id {
			return h
		}
	}
	t.Fatalf("no holder %q", id)
	return nil
}

// agentOf returns the agent of the given ID, as type T.
func agentOf[T agents.Agent](t *testing.T, m *sim.Model, id string) T {
	t.Helper()
	for _, a := range m.Agents {
		if a.Holder().ID == id {
			if x, ok := a.(T); ok {
				return x
			}
		}
	}
	var zero T
	t.Fatalf("no agent %q of type %T", id, zero)
	return zero
}

// asset returns the index of the asset with the given ID.
func asset(t *testing.T, m *sim.Model, id string) int {
	t.Helper()
	for i := range m.W.Assets {
		if m.W.Assets[i].ID == id {
			return i
		}
	}
	t.Fatalf("no asset %q", id)
	return -1
}

// move opens a new clearing state at the current tick and moves prices by
// the given returns, as the engine's exogenous step does, without letting
// any agent act: the state a rule is then asked to decide on.
func move(t *testing.T, m *sim.Model, returns map[string]float64) {
	t.Helper()
	w := m.W
	m.M.Open(w)
	x := make([]float64, len(w.Assets))
	for id, r := range returns {
		x[asset(t, m, id)] = r
	}
	m.M.ApplyExogenous(w, x)
	w.UpdateYields()
}

// decide runs one agent's rule in the first round of the current tick on
// an empty order queue and returns the orders it queued.
func decide(m *sim.Model, a agents.Agent) []core.Order {
	w := m.W
	w.Round = 0
	w.ResetOrders()
	a.Decide(w)
	return append([]core.Order(nil), w.Orders()...)
}

// unitsOf sums the units of asset i over orders.
func unitsOf(orders []core.Order, i int) float64 {
	u := 0.0
	for _, o := range orders {
		if o.Asset == i {
			u += o.Units
		}
	}
	return u
}

// exposure returns the USD exposure vector of account k of h.
func exposure(w *core.World, h *core.Holder, k int) []float64 {
	e := make([]float64, len(w.Assets))
	w.Exposure(&h.Accounts[k], e)
	return e
}

// rel reports whether got is within tol of want, relative to |want| (or 1).
func rel(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(math.Abs(want), 1)
}

// checkAudit fails the test unless the accounting identities hold now.
func checkAudit(t *testing.T, a *sim.Audit, w *core.World, stage string) {
	t.Helper()
	if err := a.Check(w); err != nil {
		t.Errorf("%s: %v", stage, err)
	}
}
