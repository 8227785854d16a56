package agents_test

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/sim"
)

// ctaWorld is a CTA with $1e9 at broker PB trading the given assets on a
// 30-day lookback at 10% target volatility, its assets starting with the
// given trend z-scores.
func ctaWorld(t *testing.T, maxLev float64, trends map[string]float64, ids ...string) (*sim.Model, *agents.CTA) {
	cfg := config(ids...)
	cfg.Trends = trends
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
	cfg.Agents = []sim.AgentSpec{{Kind: "cta", CTA: &agents.CTASpec{ID: "cta", Equity: 1e9, Broker: "PB", Assets: ids,
		LookbackDays: []float64{30}, TargetVol: 0.10, MaxLeverage: maxLev}}}
	m, _ := build(t, cfg)
	return m, agentOf[*agents.CTA](t, m, "cta")
}

// TestCTATargets: the signal is z/2 clipped to [−1, 1]; the position is
// equity × target vol / (estimated vol × √assets) × signal, capped in gross
// at MaxLeverage × equity; the CTA starts on its target.
func TestCTATargets(t *testing.T) {
	for _, c := range []struct {
		z, maxLev, signal, expo float64
	}{
		{1.2, 4, 0.6, 1e9 * 0.1 / 0.15 * 0.6}, // 4e8
		{-1, 4, -0.5, -1e9 * 0.1 / 0.15 * 0.5},
		{3, 4, 1, 1e9 * 0.1 / 0.15},
		{-7, 4, -1, -1e9 * 0.1 / 0.15},
		{3, 0.5, 1, 5e8}, // 6.67e8 capped at 0.5 × 1e9
		{0, 4, 0, 0},
	} {
		m, cta := ctaWorld(t, c.maxLev, map[string]float64{"SPX": c.z}, "SPX")
		spx := asset(t, m, "SPX")
		if s := cta.Signal(m.W, spx); !rel(s, c.signal, 1e-12) {
			t.Errorf("z %v: signal %v, want %v", c.z, s, c.signal)
		}
		if e := exposure(m.W, cta.Holder(), 1)[spx]; !rel(e, c.expo, 1e-9) {
			t.Errorf("z %v, max leverage %v: SPX exposure %v, want %v", c.z, c.maxLev, e, c.expo)
		}
	}
}

// TestCTAVolScaling: doubling the estimated volatility halves both the
// z-score (the trend is measured in volatility units) and the position per
// unit of signal: from 4e8 the target falls to 1e8, and the CTA trades a
// quarter (its speed) of the gap on its rebalancing tick.
func TestCTAVolScaling(t *testing.T) {
	m, cta := ctaWorld(t, 4, map[string]float64{"SPX": 1.2}, "SPX")
	w := m.W
	spx := asset(t, m, "SPX")
	est := w.Est.EWMA(20 * 24) // the CTA's volatility estimate
	vol := []float64{2 * w.Est.Calm(spx)}
	est.Reset(vol, nil)
	if s := cta.Signal(w, spx); !rel(s, 0.3, 1e-12) {
		t.Errorf("signal at twice calm volatility %v, want 0.3", s)
	}
	w.Tick = 1000 // a rebalancing tick whatever the CTA's phase
	o := decide(m, cta)
	if u := unitsOf(o, spx); !rel(u*5400, 0.25*(1e8-4e8), 1e-9) {
		t.Errorf("traded $%v of SPX, want a quarter of 1e8 − 4e8", u*5400)
	}
	w.Tick = 1001
	if o := decide(m, cta); len(o) != 0 {
		t.Errorf("traded again an hour later: %+v", o)
	}
	w.Tick = 1024
	if o := decide(m, cta); len(o) != 1 {
		t.Errorf("no trade a day later: %+v", o)
	}
}

// TestCTAGrossCap: several assets share the gross cap in proportion.
func TestCTAGrossCap(t *testing.T) {
	m, cta := ctaWorld(t, 0.5, map[string]float64{"SPX": 3, "GOLD": -3}, "SPX", "GOLD")
	e := exposure(m.W, cta.Holder(), 1)
	spx, gold := e[asset(t, m, "SPX")], e[asset(t, m, "GOLD")]
	// Uncapped: ±1e9·0.1/(σ·√2) with σ 0.15 and 0.14; capped to 5e8 gross.
	s0, g0 := 1e9*0.1/(0.15*math.Sqrt2), -1e9*0.1/(0.14*math.Sqrt2)
	k := 5e8 / (s0 - g0)
	if !rel(spx, k*s0, 1e-9) || !rel(gold, k*g0, 1e-9) {
		t.Errorf("exposures %v %v, want %v %v", spx, gold, k*s0, k*g0)
	}
}

// TestCTAFollowsTrend: under a steady rise the signal turns positive and
// the CTA goes long; after the trend reverses it goes short; the signal
// never leaves [−1, 1].
func TestCTAFollowsTrend(t *testing.T) {
	cfg := config("SPX")
	cfg.Ticks = 240
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
	cfg.Agents = []sim.AgentSpec{{Kind: "cta", CTA: &agents.CTASpec{ID: "cta", Equity: 1e9, Broker: "PB", Assets: []string{"SPX"},
		LookbackDays: []float64{0.5, 2}, Speed: 1, RebalanceDays: 1.0 / 24}}}
	for k := 0; k < cfg.Ticks; k++ {
		r := 0.003
		if k >= 120 {
			r = -0.003
		}
		cfg.Events = append(cfg.Events, sim.EventSpec{Tick: k, Kind: "shock", Shocks: map[string]float64{"SPX": r}})
	}
	m, a := build(t, cfg)
	cta := agentOf[*agents.CTA](t, m, "cta")
	spx := asset(t, m, "SPX")
	var long, short bool
	for k := 0; k < cfg.Ticks; k++ {
		step(t, m, 1)
		s := cta.Signal(m.W, spx)
		if s < -1 || s > 1 || math.IsNaN(s) {
			t.Fatalf("tick %d: signal %v", k, s)
		}
		u := cta.Holder().Accounts[1].Units[spx]
		if k == 100 {
			long = s > 0.5 && u > 0
		}
		if k == 239 {
			short = s < -0.5 && u < 0
		}
	}
	if !long || !short {
		t.Errorf("long in the rise %v, short after the reversal %v", long, short)
	}
	checkAudit(t, a, m.W, "cta")
}

// TestBookWaitsForOpen: a rebalancing tick that finds the market closed
// submits nothing (no refused order); the trade waits and is made, toward
// the targets of then, in the first round of the tick the market opens,
// once; the next rebalancing tick trades as usual. Before books waited, a
// CTA or volatility-control fund whose rebalancing hour fell outside a
// market's session never traded that market. The same for both agents
// that share the book: a CTA at twice calm volatility (a quarter of
// 1e8 − 4e8) and a volatility-control fund (1e9·0.12/0.3 − 8e8).
func TestBookWaitsForOpen(t *testing.T) {
	for _, c := range []struct {
		name string
		spec sim.AgentSpec
		half float64 // the half-life, days, of the volatility estimate the agent reads
		usd  float64 // the trade, USD
	}{
		{"cta", sim.AgentSpec{Kind: "cta", CTA: &agents.CTASpec{ID: "a", Equity: 1e9, Broker: "PB", Assets: []string{"SPX"},
			LookbackDays: []float64{30}, TargetVol: 0.10, MaxLeverage: 4}}, 20, 0.25 * (1e8 - 4e8)},
		{"vol_control", sim.AgentSpec{Kind: "vol_control", VolControl: &agents.VolControlSpec{ID: "a", Equity: 1e9, Broker: "PB",
			Asset: "SPX", TargetVol: 0.12}}, 5, 0.4e9 - 0.8e9},
	} {
		cfg := config("SPX")
		cfg.Trends = map[string]float64{"SPX": 1.2}
		cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
		cfg.Agents = []sim.AgentSpec{c.spec}
		m, _ := build(t, cfg)
		w := m.W
		a := agentOf[agents.Agent](t, m, "a")
		w.Est.EWMA(c.half*24).Reset([]float64{2 * w.Est.Calm(0)}, nil)
		w.Trading = []bool{false}
		rejected := w.Rejected
		for _, tk := range []int{1000, 1001} {
			w.Tick = tk
			if o := decide(m, a); len(o) != 0 || w.Rejected != rejected {
				t.Errorf("%s, tick %d, market closed: orders %+v, %d refused", c.name, tk, o, w.Rejected-rejected)
			}
		}
		w.Trading[0] = true
		w.Tick = 1002
		w.Round = 1
		w.ResetOrders()
		if a.Decide(w); len(w.Orders()) != 0 {
			t.Errorf("%s: traded in round 1 of the opening tick: %+v", c.name, w.Orders())
		}
		o := decide(m, a)
		if u := unitsOf(o, 0) * 5400; len(o) != 1 || !rel(u, c.usd, 1e-9) {
			t.Errorf("%s: at the open traded %+v ($%v), want one order of $%v", c.name, o, u, c.usd)
		}
		w.Tick = 1003
		if o := decide(m, a); len(o) != 0 {
			t.Errorf("%s: traded again an hour after the open: %+v", c.name, o)
		}
		w.Tick = 1024
		if o := decide(m, a); len(o) != 1 {
			t.Errorf("%s: no trade on the next rebalancing tick: %+v", c.name, o)
		}
	}
}

// TestBookBringsForeignPnLHome: a CTA that follows the Nikkei alone holds
// it funded in yen, so it starts with no net yen. After a 10% rally its
// yen gain is a yen holding, which its book reads in the USDJPY slot; at
// the next rebalance it trades a quarter (its speed) of that holding back
// into dollars, as docs/ODD.md §7.9 says, although USDJPY is not among its
// assets.
func TestBookBringsForeignPnLHome(t *testing.T) {
	cfg := config("USDJPY", "NKY")
	cfg.Trends = map[string]float64{"NKY": 1.2}
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
	cfg.Agents = []sim.AgentSpec{{Kind: "cta", CTA: &agents.CTASpec{ID: "cta", Equity: 1e9, Broker: "PB", Assets: []string{"NKY"},
		LookbackDays: []float64{30}, TargetVol: 0.10, MaxLeverage: 4}}}
	m, _ := build(t, cfg)
	cta := agentOf[*agents.CTA](t, m, "cta")
	w := m.W
	fx, nky := asset(t, m, "USDJPY"), asset(t, m, "NKY")
	e0 := exposure(w, cta.Holder(), 1)
	if e0[nky] <= 0 || math.Abs(e0[fx]) > 1e-6*e0[nky] {
		t.Fatalf("start: NKY exposure %v, yen exposure %v: want long the Nikkei with no net yen", e0[nky], e0[fx])
	}
	move(t, m, map[string]float64{"NKY": 0.10})
	e1 := exposure(w, cta.Holder(), 1)
	gain := 0.10 * e0[nky]
	if !rel(math.Abs(e1[fx]), gain, 1e-9) {
		t.Fatalf("after the rally the yen exposure is %v, want the gain %v in size", e1[fx], gain)
	}
	w.Tick = 1000 // a rebalancing tick whatever the CTA's phase
	o := decide(m, cta)
	u := unitsOf(o, fx)
	if u <= 0 {
		t.Fatalf("USDJPY order %v: want dollars bought with the yen gain (%+v)", u, o)
	}
	// The trade's exposure to USDJPY's return is the quarter of the gap
	// from no yen: after it, the slot holds three quarters of the gain.
	after := make([]float64, len(w.Assets))
	acc := cta.Holder().Accounts[1]
	acc.Units = append([]float64(nil), acc.Units...)
	pair := &w.Assets[fx] // an FX order exchanges u of the base for u·price of the quote
	acc.Bal[pair.Base] += u
	acc.Bal[pair.Currency] -= u * w.Price[fx]
	w.Exposure(&acc, after)
	if !rel(after[fx], 0.75*e1[fx], 1e-9) {
		t.Errorf("yen exposure after the trade %v, want three quarters of %v", after[fx], e1[fx])
	}
}

// TestCloseScheduleBringsForeignPnLHome: a book on rebalance_at: close
// brings its foreign P&L home as any other does. At the Nikkei's close the
// CTA trades the yen slot too (a quarter of the way back to no yen), not
// the Nikkei alone: the exchange rate is not among its assets, so it has
// no close of its own in the book, and the yen used to stay abroad.
func TestCloseScheduleBringsForeignPnLHome(t *testing.T) {
	cfg := config("USDJPY", "NKY")
	cfg.Trends = map[string]float64{"NKY": 1.2}
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
	cfg.Agents = []sim.AgentSpec{{Kind: "cta", CTA: &agents.CTASpec{ID: "cta", Equity: 1e9, Broker: "PB", Assets: []string{"NKY"},
		LookbackDays: []float64{30}, TargetVol: 0.10, MaxLeverage: 4, RebalanceAt: "close"}}}
	m, _ := build(t, cfg)
	cta := agentOf[*agents.CTA](t, m, "cta")
	w := m.W
	fx := asset(t, m, "USDJPY")
	move(t, m, map[string]float64{"NKY": 0.10})
	e1 := exposure(w, cta.Holder(), 1)
	if math.Abs(e1[fx]) < 1e6 {
		t.Fatalf("yen exposure %v after the rally: want the gain", e1[fx])
	}
	w.Tick = 22 // not a close: nothing is due
	if o := decide(m, cta); len(o) != 0 {
		t.Fatalf("orders before the close: %+v", o)
	}
	w.Tick = 23 // the day's last tick: the Nikkei's close (markets trade around the clock here)
	o := decide(m, cta)
	u := unitsOf(o, fx)
	// An FX order of u dollars has exposure −u·(the slot's sign): a quarter
	// of the yen slot, −e1[fx]/4 in USD, is u dollars bought.
	if !rel(u, -0.25*e1[fx], 1e-9) {
		t.Errorf("USDJPY order %v dollars at the close, want %v (a quarter of the yen gain brought home): %+v", u, -0.25*e1[fx], o)
	}
}
