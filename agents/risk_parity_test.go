package agents_test

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// rpWorld is a risk-parity fund of $1e9 at broker PB on the given sleeves
// and calm correlation matrix.
func rpWorld(t *testing.T, targetVol float64, corr [][]float64, ids ...string) (*sim.Model, *agents.RiskParity) {
	cfg := config(ids...)
	cfg.Correlation = corr
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
	cfg.Agents = []sim.AgentSpec{{Kind: "risk_parity", RiskParity: &agents.RiskParitySpec{ID: "rp", Equity: 1e9, Broker: "PB",
		Assets: ids, TargetVol: targetVol, MaxLeverage: 4}}}
	m, _ := build(t, cfg)
	return m, agentOf[*agents.RiskParity](t, m, "rp")
}

// TestRiskParityTwoSleeves: stocks (15% vol) and bonds (6.5%) at
// correlation −0.2. Inverse-volatility weights 0.3023 and 0.6977 give a
// portfolio volatility of 5.736%; levered to 10% that is 1.7433×: $5.27e8
// of SPX and $1.216e9 of Treasuries. At a 50% target the leverage cap (4)
// binds.
func TestRiskParityTwoSleeves(t *testing.T) {
	corr := [][]float64{{1, -0.2}, {-0.2, 1}}
	for _, c := range []struct {
		target, lev, spx, ust float64
	}{
		{0.10, 1.74330691522103, 527046276.69473004, 1216260638.5263},
		{0.50, 4, 4e9 * 0.3023255813953489, 4e9 * 0.6976744186046511},
	} {
		m, rp := rpWorld(t, c.target, corr, "SPX", "UST10Y")
		e := exposure(m.W, rp.Holder(), 1)
		if !rel(rp.Leverage, c.lev, 1e-9) || !rel(e[0], c.spx, 1e-9) || !rel(e[1], c.ust, 1e-9) {
			t.Errorf("target %v: leverage %v, SPX %v, UST %v; want %v, %v, %v", c.target, rp.Leverage, e[0], e[1], c.lev, c.spx, c.ust)
		}
	}
}

// TestRiskParityThreeSleeves: with three sleeves, each sleeve's exposure
// times its volatility is the same (inverse-volatility weights) and the
// portfolio's volatility at the calm covariance is the target.
func TestRiskParityThreeSleeves(t *testing.T) {
	corr := [][]float64{{1, -0.3, 0.1}, {-0.3, 1, 0.25}, {0.1, 0.25, 1}}
	m, rp := rpWorld(t, 0.08, corr, "SPX", "UST10Y", "GOLD")
	e := exposure(m.W, rp.Holder(), 1)
	vol := []float64{0.15, 0.065, 0.14}
	for i := 1; i < 3; i++ {
		if !rel(e[i]*vol[i], e[0]*vol[0], 1e-9) {
			t.Errorf("sleeve %d: exposure × vol %v, sleeve 0 %v", i, e[i]*vol[i], e[0]*vol[0])
		}
	}
	v := 0.0
	for i := range e {
		for j := range e {
			v += e[i] * e[j] * corr[i][j] * vol[i] * vol[j]
		}
	}
	if s := math.Sqrt(v) / 1e9; !rel(s, 0.08, 1e-9) {
		t.Errorf("portfolio volatility %v of equity, want the 8%% target", s)
	}
}

// TestRiskParityCuts: when the stock-bond correlation turns positive the
// same sleeves are riskier, so the fund cuts both legs by the same factor.
func TestRiskParityCuts(t *testing.T) {
	m, rp := rpWorld(t, 0.10, [][]float64{{1, -0.2}, {-0.2, 1}}, "SPX", "UST10Y")
	w := m.W
	lev0 := rp.Leverage
	// The fund's volatility and correlation estimates.
	vol, corr := []float64{w.Est.Calm(0), w.Est.Calm(1)}, [][]float64{{1, 0.6}, {0.6, 1}}
	w.Est.EWMA(10*24).Reset(vol, corr)
	w.Est.Synced(10*24, []int{0, 1}).Reset(vol, corr)
	w.Tick = 1000
	o := decide(m, rp)
	e := exposure(w, rp.Holder(), 1)
	// Portfolio vol at +0.6: √(ws²·0.0225 + wu²·0.004225 + 2·ws·wu·0.6·0.15·0.065).
	ws, wu := 0.3023255813953489, 0.6976744186046511
	lev := 0.1 / math.Sqrt(ws*ws*0.0225+wu*wu*0.004225+2*ws*wu*0.6*0.15*0.065)
	if !rel(rp.Leverage, lev, 1e-9) || !(lev < lev0) {
		t.Errorf("leverage %v, want %v (below %v)", rp.Leverage, lev, lev0)
	}
	// Speed 0.5: half the gap to the new targets on both legs.
	for i, wt := range []float64{ws, wu} {
		want := 0.5 * (1e9*lev*wt - e[i])
		if got := unitsOf(o, i) * w.Price[i]; !rel(got, want, 1e-9) || !(got < 0) {
			t.Errorf("sleeve %d: traded $%v, want %v", i, got, want)
		}
	}
}

// TestBookMeetsCall: a risk-parity fund (as a CTA or a volatility-control
// fund: they share the book) with all its equity posted meets a margin call
// by cutting every exposure pro rata, in any clearing round: with $5e8
// required and $4e8 posted it must leave $4e8 = 1.1 × (5e8 − relief), a
// relief of 1.3636e8, so it cuts 27.27% of each sleeve.
func TestBookMeetsCall(t *testing.T) {
	m, rp := rpWorld(t, 0.10, [][]float64{{1, -0.2}, {-0.2, 1}}, "SPX", "UST10Y")
	h := rp.Holder()
	acc := &h.Accounts[1]
	acc.Call, acc.Req, acc.Posted = 1e8, 5e8, 4e8
	s := (5e8*1.1 - 4e8) / 1.1 / 5e8
	for round := 0; round < 2; round++ {
		w := m.W
		w.ResetOrders()
		w.Round = round
		rp.Decide(w)
		o := w.Orders()
		if len(o) != 2 {
			t.Fatalf("round %d: %d orders, want a sale of each sleeve", round, len(o))
		}
		for _, x := range o {
			if x.Reason != core.MarginCall || !rel(x.Units, -s*acc.Units[x.Asset], 1e-12) {
				t.Errorf("round %d: order %+v, want %v units for the margin call", round, x, -s*acc.Units[x.Asset])
			}
		}
	}
	acc.Call = 0
	if o := decide(m, rp); len(o) != 0 && o[0].Reason == core.MarginCall {
		t.Errorf("no call open, but it sold for one: %+v", o)
	}
}

// TestBookMeetsCallFromYen: a book whose free cash is in yen posts the yen,
// at its dollar value, and cuts nothing: $4e8 posted against $5e8 required
// needs $1.5e8, which $2e8 of free yen covers.
func TestBookMeetsCallFromYen(t *testing.T) {
	m, rp := rpWorld(t, 0.10, [][]float64{{1, 0.2, 0}, {0.2, 1, 0}, {0, 0, 1}}, "SPX", "NKY", "USDJPY")
	w, h := m.W, rp.Holder()
	w.SettleAll()
	jpy := w.Assets[asset(t, m, "NKY")].Currency
	acc := &h.Accounts[1]
	h.Cash[core.USD], h.Cash[jpy] = 0, 2e8/w.FXUSD[jpy] // set by hand, as the call below
	acc.Call, acc.Req, acc.Posted = 1e8, 5e8, 4e8
	bal := acc.Bal[jpy]
	if o := decide(m, rp); len(o) != 0 {
		t.Errorf("orders %+v, want none: the yen covers the call", o)
	}
	if got := (acc.Bal[jpy] - bal) * w.FXUSD[jpy]; !rel(got, 1.5e8, 1e-12) {
		t.Errorf("posted $%v of yen, want $1.5e8", got)
	}
	if left := h.Cash[jpy] * w.FXUSD[jpy]; !rel(left, 0.5e8, 1e-9) {
		t.Errorf("$%v of yen left free, want $5e7", left)
	}
}

// TestRiskParitySessions: the S&P trades 7 hourly ticks a day, the
// Treasury (futures hours) 23, and their calendar-time moves correlate at
// +0.6. On hourly returns the S&P's overnight move arrives in one tick at
// its open, after the Treasury's moves of the same hours: the per-tick
// covariance sees about a fifth of the correlation, and a fund reading it
// would take the sleeves for diversifying and lever up. After 400 days of
// calm history the fund's leverage must price the +0.6 (its 60-day
// half-life leaves a sampling error of about ±0.07; on hourly
// returns it read 0.08-0.17 over twelve seeds).
func TestRiskParitySessions(t *testing.T) {
	cfg := stockBondSessions()
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
	cfg.Agents = []sim.AgentSpec{{Kind: "risk_parity", RiskParity: &agents.RiskParitySpec{ID: "rp", Equity: 1e9, Broker: "PB",
		Assets: []string{"SPX", "UST10Y"}, TargetVol: 0.10, MaxLeverage: 4, HalfLifeDays: 60}}}
	m, _ := build(t, cfg)
	rp := agentOf[*agents.RiskParity](t, m, "rp")
	w := m.W
	w.Tick = 1000
	decide(m, rp)
	// Inverse-volatility weights give a portfolio variance of
	// (2 + 2ρ)/(1/σ₁ + 1/σ₂)², whatever the volatilities.
	est := w.Est.EWMA(60 * 24)
	s := 0.0
	for i := range 2 {
		s += 1 / (est.Vol(i) * math.Sqrt(w.PerYear))
	}
	sigma := 0.10 / rp.Leverage
	rho := sigma*sigma*s*s/2 - 1
	if !(rp.Leverage < 4) || math.Abs(rho-0.6) > 0.15 {
		t.Errorf("leverage %.3f prices a stock-bond correlation of %.3f, want 0.6 ± 0.15", rp.Leverage, rho)
	}
	t.Logf("leverage %.3f prices a stock-bond correlation of %.3f", rp.Leverage, rho)
}
