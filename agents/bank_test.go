package agents_test

import (
	"math"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// bankWorld is a bank of $4e9 equity holding $5e10 of Treasuries, $1e10
// each of gold and SPX and $1e10 of illiquid loans (leverage ratio 5%).
func bankWorld(t *testing.T, s agents.BankSpec) (*sim.Model, *agents.Bank) {
	cfg := config("UST10Y", "GOLD", "SPX", "LOANS")
	s.ID, s.Equity = "bank", 4e9
	s.Holdings = map[string]float64{"UST10Y": 5e10, "GOLD": 1e10, "SPX": 1e10, "LOANS": 1e10}
	cfg.Agents = []sim.AgentSpec{{Kind: "bank", Bank: &s}}
	m, _ := build(t, cfg)
	return m, agentOf[*agents.Bank](t, m, "bank")
}

// threshold is a Cont–Schaanning bank: minimum 3%, buffer 4%, target 5%.
var threshold = agents.BankSpec{MinRatio: 0.03, BufferRatio: 0.04, TargetRatio: 0.05}

// TestBankThreshold: nothing above the buffer; below it, marketable assets
// are sold (pro rata to current holdings, loans kept) until equity is the
// target share of assets.
func TestBankThreshold(t *testing.T) {
	m, b := bankWorld(t, threshold)
	w := m.W
	if o := decide(m, b); len(o) != 0 {
		t.Errorf("orders at a 5%% ratio: %+v", o)
	}
	// Gold −10%: equity 3e9 on 7.9e10, ratio 3.8%. Sell 7.9e10 − 3e9/0.05 = 1.9e10
	// of the 6.9e10 marketable assets, by their current value.
	move(t, m, map[string]float64{"GOLD": -0.1})
	o := decide(m, b)
	for _, c := range []struct {
		id  string
		usd float64
	}{{"UST10Y", 5e10}, {"GOLD", 9e9}, {"SPX", 1e10}, {"LOANS", 0}} {
		i := asset(t, m, c.id)
		want := -1.9e10 * c.usd / 6.9e10
		if got := unitsOf(o, i) * w.Price[i]; !rel(got, want, 1e-9) {
			t.Errorf("%s: sold $%v, want %v", c.id, -got, -want)
		}
	}
	for _, x := range o {
		if x.Reason != core.Deleveraging {
			t.Errorf("order %+v not deleveraging", x)
		}
	}
	m.M.Clear(w)
	if r := w.NAV(b.Holder()) / assetsOf(w, b.Holder()); !rel(r, 0.05, 1e-9) {
		t.Errorf("ratio after the sale %v, want the 5%% target", r)
	}
	if o := decide(m, b); len(o) != 0 {
		t.Errorf("sells again at the target: %+v", o)
	}
}

// assetsOf is the USD value of a holder's custody positions.
func assetsOf(w *core.World, h *core.Holder) float64 {
	v := 0.0
	for _, i := range h.Accounts[0].Held {
		v += w.NotionalUSD(i, h.Accounts[0].Units[i])
	}
	return v
}

// TestBankDefault: below the minimum ratio the bank defaults and sells all
// its marketable assets once.
func TestBankDefault(t *testing.T) {
	for _, sales := range []string{"pro_rata", "weights"} {
		s := threshold
		s.Sales = sales
		m, b := bankWorld(t, s)
		testBankDefault(t, m, b)
	}
}

// testBankDefault runs TestBankDefault on one bank: whatever its sales rule
// (weights-mode sales split a dollar amount by weights that no longer match
// its holdings), a defaulted bank sells every marketable unit.
func testBankDefault(t *testing.T, m *sim.Model, b *agents.Bank) {
	w := m.W
	// SPX −30%: equity 1e9 on 7.7e10, 1.3%.
	move(t, m, map[string]float64{"SPX": -0.3})
	w.ResetEvents()
	o := decide(m, b)
	h := b.Holder()
	if !h.Defaulted {
		t.Fatal("bank at 1.3% did not default")
	}
	for _, id := range []string{"UST10Y", "GOLD", "SPX"} {
		i := asset(t, m, id)
		if u := unitsOf(o, i); !rel(u, -h.Accounts[0].Units[i], 1e-12) {
			t.Errorf("%s sales: %s: sold %v of %v units", b.Spec.Sales, id, -u, h.Accounts[0].Units[i])
		}
	}
	if unitsOf(o, asset(t, m, "LOANS")) != 0 || o[0].Reason != core.DefaultLiquidation {
		t.Errorf("orders %+v", o)
	}
	if ev := w.Events(); len(ev) != 1 || ev[0].Kind != core.EvDefault || ev[0].Agent != "bank" {
		t.Errorf("events %+v", ev)
	}
	m.M.Clear(w)
	if o := decide(m, b); len(o) != 0 {
		t.Errorf("a defaulted bank traded again once sold out: %+v", o)
	}
}

// TestBankWaitsForOpen: a bank neither sends orders to a closed market nor
// loses them. Below its buffer it sells only in the open markets (the
// next round works out the rest afresh); once failed, it sells a closed
// market's holdings at that market's open.
func TestBankWaitsForOpen(t *testing.T) {
	m, b := bankWorld(t, threshold)
	w := m.W
	h := b.Holder()
	spx := asset(t, m, "SPX")
	// Gold −10% with the S&P's market closed: of the 1.9e10 to sell (see
	// TestBankThreshold), the S&P's share waits.
	move(t, m, map[string]float64{"GOLD": -0.1})
	w.Trading = make([]bool, len(w.Assets))
	for i := range w.Trading {
		w.Trading[i] = i != spx
	}
	o := decide(m, b)
	if w.Rejected != 0 || unitsOf(o, spx) != 0 {
		t.Fatalf("closed S&P: %d orders refused, %v units sent", w.Rejected, unitsOf(o, spx))
	}
	for _, id := range []string{"UST10Y", "GOLD"} {
		i := asset(t, m, id)
		held := map[string]float64{"UST10Y": 5e10, "GOLD": 9e9}[id]
		if got, want := unitsOf(o, i)*w.Price[i], -1.9e10*held/6.9e10; !rel(got, want, 1e-9) {
			t.Errorf("%s: sold $%v, want %v", id, -got, -want)
		}
	}
	m.M.Clear(w)
	// SPX −60% while still closed (its price is marked, as news would gap
	// it): equity is gone, the bank fails and sells what is open.
	move(t, m, map[string]float64{"SPX": -0.6})
	units := h.Accounts[0].Units[spx]
	o = decide(m, b)
	if !h.Defaulted || w.Rejected != 0 || unitsOf(o, spx) != 0 {
		t.Fatalf("failure with the S&P closed: defaulted %v, %d refused, %v S&P units sent", h.Defaulted, w.Rejected, unitsOf(o, spx))
	}
	m.M.Clear(w)
	for tk := 0; tk < 2; tk++ { // closed: nothing more, nothing refused
		if o := decide(m, b); len(o) != 0 || w.Rejected != 0 {
			t.Fatalf("closed, tick %d: orders %+v, %d refused", tk, o, w.Rejected)
		}
	}
	w.Trading[spx] = true
	o = decide(m, b)
	if len(o) != 1 || o[0].Asset != spx || o[0].Units != -units || o[0].Reason != core.DefaultLiquidation {
		t.Fatalf("at the S&P's open: orders %+v, want all %v units sold as a default liquidation", o, units)
	}
	m.M.Clear(w)
	if u := h.Accounts[0].Units[spx]; u != 0 {
		t.Errorf("%v S&P units left after the open", u)
	}
}

// TestBankWeights: weights-mode sales split the dollar amount by the
// initial marketable weights (5/7, 1/7, 1/7) or by the weights given.
func TestBankWeights(t *testing.T) {
	for _, c := range []struct {
		weights map[string]float64
		want    map[string]float64
	}{
		{nil, map[string]float64{"UST10Y": 5.0 / 7, "GOLD": 1.0 / 7, "SPX": 1.0 / 7}},
		{map[string]float64{"UST10Y": 2, "GOLD": 1, "SPX": 1}, map[string]float64{"UST10Y": 0.5, "GOLD": 0.25, "SPX": 0.25}},
	} {
		s := threshold
		s.Sales, s.Weights = "weights", c.weights
		m, b := bankWorld(t, s)
		move(t, m, map[string]float64{"GOLD": -0.1})
		o := decide(m, b)
		for id, wt := range c.want {
			i := asset(t, m, id)
			if got := unitsOf(o, i) * m.W.Price[i]; !rel(got, -1.9e10*wt, 1e-9) {
				t.Errorf("weights %v: %s sold $%v, want %v", c.weights, id, -got, 1.9e10*wt)
			}
		}
	}
}

// TestBankTarget: in target mode the bank restores its target leverage
// both ways: under-levered (20× against a 25× target) it buys 2e10 of
// marketable assets pro rata.
func TestBankTarget(t *testing.T) {
	m, b := bankWorld(t, agents.BankSpec{Mode: "target", TargetLeverage: 25})
	o := decide(m, b)
	for _, c := range []struct {
		id  string
		usd float64
	}{{"UST10Y", 5e10}, {"GOLD", 1e10}, {"SPX", 1e10}} {
		i := asset(t, m, c.id)
		if got := unitsOf(o, i) * m.W.Price[i]; !rel(got, 2e10*c.usd/7e10, 1e-9) {
			t.Errorf("%s: bought $%v, want %v", c.id, got, 2e10*c.usd/7e10)
		}
	}
	// At its initial leverage (the default target) it does nothing.
	m, b = bankWorld(t, agents.BankSpec{Mode: "target"})
	if o := decide(m, b); len(o) != 0 {
		t.Errorf("orders at the target: %+v", o)
	}
}

// TestBankCash: cash counts among the assets of the leverage ratio, and a
// bank below its buffer repays debt with it before selling anything; the
// net USD balance, and so every balance in the world, is untouched by the
// repayment.
func TestBankCash(t *testing.T) {
	for _, c := range []struct {
		name      string
		cash      float64
		gold      float64 // return
		sold      float64 // USD of marketable assets sold
		cashAfter float64
	}{
		// $5e9 of cash: assets 8.5e10, ratio 4.7%, nothing to do. Gold −10%:
		// equity 3e9 on 8.4e10 (3.57%); shed 8.4e10 − 3e9/0.05 = 2.4e10,
		// 5e9 of it with the cash and 1.9e10 by sales.
		{"cash, then sales", 5e9, -0.1, 1.9e10, 0},
		// $3.5e10 of cash and gold +5%: equity 4.5e9 on 1.155e11 (3.9%);
		// shed 1.155e11 − 4.5e9/0.05 = 2.55e10, all of it with cash.
		{"cash alone", 3.5e10, 0.05, 0, 9.5e9},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := threshold
			s.Cash = c.cash
			m, b := bankWorld(t, s)
			w := m.W
			h := b.Holder()
			usd := h.Cash[core.USD]
			move(t, m, map[string]float64{"GOLD": c.gold})
			o := decide(m, b)
			sold := 0.0
			for _, x := range o {
				sold -= x.Units * w.Price[x.Asset]
			}
			if !rel(sold, c.sold, 1e-9) && !(c.sold == 0 && sold == 0) {
				t.Errorf("sold $%v, want %v", sold, c.sold)
			}
			if !rel(b.Cash(), c.cashAfter, 1e-9) && !(c.cashAfter == 0 && b.Cash() == 0) {
				t.Errorf("cash left %v, want %v", b.Cash(), c.cashAfter)
			}
			if h.Cash[core.USD] != usd {
				t.Errorf("net USD balance %v changed by the repayment (was %v)", h.Cash[core.USD], usd)
			}
			m.M.Clear(w)
			if r := w.NAV(h) / (assetsOf(w, h) + b.Cash()); !rel(r, 0.05, 1e-9) {
				t.Errorf("ratio after deleveraging %v, want the 5%% target", r)
			}
			if o := decide(m, b); len(o) != 0 {
				t.Errorf("sells again at the target: %+v", o)
			}
		})
	}
}

// TestBankWeightsMustSell: sales by weights go to the marketable assets the
// bank holds. Weights with no weight there (all on its illiquid loans, or
// on an asset it does not hold) would never sell anything, so the bank
// would never deleverage: its build refuses them (before, it sold $0
// round after round below its buffer).
func TestBankWeightsMustSell(t *testing.T) {
	for _, weights := range []map[string]float64{{"LOANS": 1}, {"SPX": 0, "LOANS": 1}, {"TY": 1}} {
		cfg := config("UST10Y", "GOLD", "SPX", "LOANS", "TY")
		s := threshold
		s.ID, s.Equity, s.Sales, s.Weights = "bank", 4e9, "weights", weights
		s.Holdings = map[string]float64{"UST10Y": 5e10, "GOLD": 1e10, "SPX": 1e10, "LOANS": 1e10}
		cfg.Agents = []sim.AgentSpec{{Kind: "bank", Bank: &s}}
		_, err := sim.Build(cfg, 1)
		if err == nil || !strings.Contains(err.Error(), "weights put nothing on a marketable asset it holds") {
			t.Errorf("weights %v: got %v, want a refusal", weights, err)
		}
	}
	// One marketable weight is enough.
	cfg := config("UST10Y", "GOLD", "SPX", "LOANS")
	s := threshold
	s.ID, s.Equity, s.Sales, s.Weights = "bank", 4e9, "weights", map[string]float64{"LOANS": 1, "GOLD": 0.1}
	s.Holdings = map[string]float64{"UST10Y": 5e10, "GOLD": 1e10, "SPX": 1e10, "LOANS": 1e10}
	cfg.Agents = []sim.AgentSpec{{Kind: "bank", Bank: &s}}
	if _, err := sim.Build(cfg, 1); err != nil {
		t.Errorf("weights on gold: %v", err)
	}
}

// TestBankForeignProceedsHome: a bank that sells a foreign asset changes
// the proceeds into dollars, which repay its USD debt, and counts them
// among its assets until then. A threshold bank with $1e9 of equity holds
// $1e10 each of the Nikkei and SPX (5%); both fall 2%: $6e8 on $1.96e10,
// 3.06%, below the 4% buffer. It sells $7.6e9 pro rata; in the next round
// the yen it was paid goes home, and its ratio, counting every asset, is
// the 5% target. (The yen used to stay on its books, uncounted: its real
// ratio was 3.8%, below the buffer, and a weaker yen cost it 78% of NAV.)
func TestBankForeignProceedsHome(t *testing.T) {
	cfg := config("USDJPY", "SPX", "NKY")
	s := threshold
	s.ID, s.Equity = "bank", 1e9
	s.Holdings = map[string]float64{"NKY": 1e10, "SPX": 1e10}
	cfg.Agents = []sim.AgentSpec{{Kind: "bank", Bank: &s}}
	m, _ := build(t, cfg)
	b := agentOf[*agents.Bank](t, m, "bank")
	w, h := m.W, b.Holder()
	fx, nky := asset(t, m, "USDJPY"), asset(t, m, "NKY")
	jpy := w.Assets[nky].Currency
	move(t, m, map[string]float64{"NKY": -0.02, "SPX": -0.02})
	o := decide(m, b)
	if got := unitsOf(o, nky) * w.Price[nky] * w.FXUSD[jpy]; !rel(got, -3.8e9, 1e-9) {
		t.Fatalf("Nikkei sold $%v, want $3.8e9: %+v", -got, o)
	}
	m.M.Clear(w)
	w.Settle(h)
	yen := h.Cash[jpy] * w.FXUSD[jpy]
	if !rel(yen, 3.8e9, 1e-9) {
		t.Fatalf("yen proceeds $%v, want $3.8e9", yen)
	}
	// Once the yen repays dollar debt the bank is at its target: no more
	// sales, only the yen changed home.
	o = decide(m, b)
	if len(o) != 1 || o[0].Asset != fx || o[0].Reason != core.Deleveraging || !rel(o[0].Units, 3.8e9, 1e-9) {
		t.Fatalf("orders %+v, want $3.8e9 bought with the yen, deleveraging", o)
	}
	m.M.Clear(w)
	w.Settle(h)
	if r := h.Cash[jpy] * w.FXUSD[jpy]; math.Abs(r) > 1e-6 {
		t.Errorf("yen left $%v, want none", r)
	}
	if r := w.NAV(h) / assetsOf(w, h); !rel(r, 0.05, 1e-9) {
		t.Errorf("ratio over every asset %v, want the 5%% target", r)
	}
	if o := decide(m, b); len(o) != 0 {
		t.Errorf("trades again at the target: %+v", o)
	}
}
