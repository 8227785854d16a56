package agents_test

import (
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
	if o := decide(m, b); len(o) != 0 {
		t.Errorf("a defaulted bank traded again: %+v", o)
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
