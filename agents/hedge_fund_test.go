package agents_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// TestInitialMargin: at set-up a fund posts Cushion times each account's
// requirement from its free cash; trades at one broker share one account
// when cross-margining is on and get one each when it is off.
func TestInitialMargin(t *testing.T) {
	for _, c := range []struct {
		cushion float64
		off     []string
		accts   int
	}{{0, nil, 3}, {2, nil, 3}, {1.5, []string{"cross_margin"}, 4}} {
		cfg := config("USDJPY", "UST10Y", "TY", "SPX")
		b := brokerSpec("A")
		b.Floor = 0.2
		cfg.Brokers = []agents.PrimeBrokerSpec{b, brokerSpec("B")}
		cfg.Channels.Off = c.off
		cfg.Agents = []sim.AgentSpec{{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Cushion: c.cushion,
			Trades: []agents.TradeSpec{
				{Kind: "carry", Broker: "A", Leverage: 3, Asset: "cash"},
				{Kind: "basis", Broker: "A", Leverage: 10, Asset: "UST10Y", Future: "TY"},
				{Kind: "equity", Broker: "B", Leverage: 1, Asset: "SPX"},
			}}}}
		m, a := build(t, cfg)
		w, h := m.W, holder(t, m, "fund")
		if len(h.Accounts) != c.accts {
			t.Errorf("cushion %v off %v: %d accounts, want %d", c.cushion, c.off, len(h.Accounts), c.accts)
		}
		cushion := c.cushion
		if cushion == 0 {
			cushion = 1.5
		}
		posted := 0.0
		for k := 1; k < len(h.Accounts); k++ {
			acc := &h.Accounts[k]
			var pb *agents.PrimeBroker
			for _, b := range m.Brokers {
				if b.Holder().Index == acc.Lender {
					pb = b
				}
			}
			req := pb.AccountRequirement(w, acc)
			if eq := acc.Equity(w); !rel(eq, cushion*req, 1e-9) || !(req > 0) {
				t.Errorf("cushion %v off %v: account %d at %s holds %v, want %v × %v", cushion, c.off, k, pb.ID(), eq, cushion, req)
			}
			posted += acc.Equity(w)
		}
		if !rel(h.Cash[core.USD], 1e9-posted, 1e-9) || !rel(w.NAV(h), 1e9, 1e-9) {
			t.Errorf("free cash %v, want %v; NAV %v", h.Cash[core.USD], 1e9-posted, w.NAV(h))
		}
		checkAudit(t, a, w, "initial margin")
	}
	// Too much leverage for the cushion: 1.5 × 0.15 × 5 = 1.125 of its
	// equity. The position is scaled to 1/1.125 of it, all the equity is
	// posted, and set-up says so.
	cfg := config("SPX")
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("A")}
	cfg.Agents = []sim.AgentSpec{equityFund("fund", 1e9, agents.TradeSpec{Kind: "equity", Broker: "A", Leverage: 5, Asset: "SPX"})}
	m, a := build(t, cfg)
	h := holder(t, m, "fund")
	spx := asset(t, m, "SPX")
	if got := m.W.NotionalUSD(spx, h.Accounts[1].Units[spx]); !rel(got, 5e9/1.125, 1e-6) {
		t.Errorf("position %v, want %v", got, 5e9/1.125)
	}
	if h.Cash[core.USD] > 1e3 || !rel(m.W.NAV(h), 1e9, 1e-9) {
		t.Errorf("free cash %v (want none left), NAV %v", h.Cash[core.USD], m.W.NAV(h))
	}
	if len(m.Notes) != 1 || !strings.Contains(m.Notes[0], "scaled to 88.9%") {
		t.Errorf("notes %q, want one on the scaling", m.Notes)
	}
	if want := (agents.Gist{Text: "hedge fund fund: positions scaled down so that its initial margin fits its equity", Agent: "fund",
		Group: "hedge funds: positions scaled down so that their initial margin fits their equity"}); len(m.Gists) != 1 || m.Gists[0] != want {
		t.Errorf("gists %q, want %q (the note without its numbers)", m.Gists, want)
	}
	checkAudit(t, a, m.W, "scaled")
}

// callWorld is a fund with two equity trades at one broker (SPX, the more
// liquid, and GOLD), each at leverage 2, all of its 1e9 posted as margin
// (cushion 2 on a gross requirement of 0.15·2e9 + 0.1·2e9 = 5e8), after
// one tick.
func callWorld(t *testing.T, rule string) (*sim.Model, *agents.HedgeFund) {
	cfg := oneFund(agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Cushion: 2, Liquidation: rule, Participation: 1,
		Trades: []agents.TradeSpec{
			{Kind: "equity", Broker: "PB", Leverage: 2, Asset: "GOLD"},
			{Kind: "equity", Broker: "PB", Leverage: 2, Asset: "SPX"},
		}}, "SPX", "GOLD")
	m, _ := build(t, cfg)
	step(t, m, 1)
	m.W.SettleAll() // the sizes below are on settled books
	return m, agentOf[*agents.HedgeFund](t, m, "fund")
}

// TestMarginCallSales: a call the fund cannot meet from cash is met by
// sales sized so that the margin posted ends 10% (the buffer) above what
// is left of the requirement: most_liquid_first
// sells the most liquid trade first, as far as needed, then the next;
// pro_rata sells the same share of every trade.
func TestMarginCallSales(t *testing.T) {
	for _, c := range []struct {
		rule      string
		mult      float64
		spx, gold func(need, req float64) float64 // share of each trade sold
	}{
		// ×3: requirement 1.5e9 (SPX 0.45·2e9, GOLD 0.3·2e9), posted 1e9:
		// relief (1.65e9 − 1e9)/1.1 = 5.9e8. SPX alone relieves 9e8.
		{"most_liquid_first", 3, func(n, r float64) float64 { return n / 9e8 }, func(n, r float64) float64 { return 0 }},
		// ×5: requirement 2.5e9, relief (2.75e9 − 1e9)/1.1 = 1.59e9; SPX
		// relieves 1.5e9, all of it; GOLD the rest, of its 1e9.
		{"most_liquid_first", 5, func(n, r float64) float64 { return 1 }, func(n, r float64) float64 { return (n - 1.5e9) / 1e9 }},
		{"pro_rata", 3, func(n, r float64) float64 { return n / r }, func(n, r float64) float64 { return n / r }},
		{"pro_rata", 5, func(n, r float64) float64 { return n / r }, func(n, r float64) float64 { return n / r }},
	} {
		m, f := callWorld(t, c.rule)
		w, pb := m.W, m.Brokers[0]
		h := f.Holder()
		acc := &h.Accounts[1]
		spx, gold := asset(t, m, "SPX"), asset(t, m, "GOLD")
		u0, g0 := acc.Units[spx], acc.Units[gold]
		pb.ChangeHaircuts(w, nil, c.mult)
		pb.Margin(w)
		if !rel(acc.Req, 5e8*c.mult, 1e-9) || acc.Call <= 0 {
			t.Fatalf("%s ×%v: requirement %v call %v", c.rule, c.mult, acc.Req, acc.Call)
		}
		// Relief r of the requirement such that posted = 1.1 × (Req − r).
		need := (acc.Req*1.1 - acc.Posted - h.FreeCashUSD()) / 1.1
		o := decide(m, f)
		for _, x := range o {
			if x.Reason != core.MarginCall || x.Units >= 0 || x.Acct != 1 {
				t.Errorf("%s ×%v: order %+v is not a margin-call sale from the account", c.rule, c.mult, x)
			}
		}
		if s, want := -unitsOf(o, spx)/u0, c.spx(need, acc.Req); !rel(s, want, 1e-9) {
			t.Errorf("%s ×%v: sold %.6f of the SPX trade, want %.6f", c.rule, c.mult, s, want)
		}
		if s, want := -unitsOf(o, gold)/g0, c.gold(need, acc.Req); !rel(s, want, 1e-9) {
			t.Errorf("%s ×%v: sold %.6f of the GOLD trade, want %.6f", c.rule, c.mult, s, want)
		}
		// Cleared, the sales restore the requirement plus the buffer.
		m.M.Clear(w)
		pb.Margin(w)
		if acc.Call != 0 || !rel(acc.Posted, 1.1*acc.Req, 1e-6) {
			t.Errorf("%s ×%v: after the sales posted %v req %v call %v", c.rule, c.mult, acc.Posted, acc.Req, acc.Call)
		}
	}
}

// TestMarginCallFromCash: a fund with free cash meets a call by posting
// cash (up to the requirement plus its buffer) and sells nothing.
func TestMarginCallFromCash(t *testing.T) {
	cfg := spxFund()
	m, a := build(t, cfg)
	step(t, m, 1)
	m.W.SettleAll() // the cash read below has the tick's interest booked
	w, pb := m.W, m.Brokers[0]
	f := agentOf[*agents.HedgeFund](t, m, "fund")
	h, acc := f.Holder(), &f.Holder().Accounts[1]
	pb.ChangeHaircuts(w, nil, 2) // requirement 6e8, posted 4.5e8
	pb.Margin(w)
	cash := h.Cash[core.USD]
	want := 1.1*acc.Req - acc.Posted
	if o := decide(m, f); len(o) != 0 {
		t.Errorf("orders %+v, want none", o)
	}
	if !rel(cash-h.Cash[core.USD], want, 1e-9) {
		t.Errorf("posted %v from cash, want %v", cash-h.Cash[core.USD], want)
	}
	pb.Margin(w)
	if acc.Call != 0 || h.Calls != 0 {
		t.Errorf("call %v not cleared", acc.Call)
	}
	checkAudit(t, a, w, "call from cash")
}

// TestMarginCallFromForeignCash: a fund whose free cash is in yen meets a
// call by posting yen, at its dollar value, and sells nothing; with too
// little yen it posts all of it and sells for the rest.
func TestMarginCallFromForeignCash(t *testing.T) {
	for _, c := range []struct{ share, mult float64 }{
		{1, 2},    // all free cash in yen: requirement 6e8, posted 4.5e8, 5.5e8 of yen
		{0.05, 4}, // 2.75e7 of yen, the rest posted: requirement 1.2e9, posted 9.7e8
	} {
		share := c.share
		cfg := spxFund()
		cfg.Assets = append(cfg.Assets, config("USDJPY").Assets...)
		cfg.Rates["JPY"] = sim.RateSpec{Policy: 0.001, Expected: 0.001}
		m, a := build(t, cfg)
		step(t, m, 1)
		m.W.SettleAll()
		w, pb := m.W, m.Brokers[0]
		f := agentOf[*agents.HedgeFund](t, m, "fund")
		h, acc := f.Holder(), &f.Holder().Accounts[1]
		jpy := w.Assets[asset(t, m, "USDJPY")].Currency
		// The fund sells share of its free dollars for yen in the market
		// (no impact: at the rate) and puts the rest in its margin account.
		usd := h.Cash[core.USD]
		w.Round = 0
		w.ResetOrders()
		w.Submit(core.Order{Holder: h.Index, Acct: 0, Asset: asset(t, m, "USDJPY"), Units: -share * usd, Reason: core.Discretionary})
		m.M.Clear(w)
		w.SettleAll()
		if rest := h.Cash[core.USD]; rest > 0 {
			w.Transfer(h, 0, h, 1, core.USD, rest)
		}
		yen := h.Cash[jpy]
		if !rel(yen*w.FXUSD[jpy], share*usd, 1e-9) || h.Cash[core.USD] != 0 {
			t.Fatalf("the fund holds %v of yen and %v of dollars after the exchange", yen*w.FXUSD[jpy], h.Cash[core.USD])
		}
		checkAudit(t, a, w, "exchange")
		pb.ChangeHaircuts(w, nil, c.mult)
		pb.Margin(w)
		if acc.Call <= 0 {
			t.Fatalf("no call: requirement %v posted %v", acc.Req, acc.Posted)
		}
		want := 1.1*acc.Req - acc.Posted
		o := decide(m, f)
		posted := (yen - h.Cash[jpy]) * w.FXUSD[jpy]
		if share == 1 {
			if len(o) != 0 {
				t.Errorf("orders %+v, want none: the yen covers the call", o)
			}
			if !rel(posted, want, 1e-9) || !rel(acc.Bal[jpy]*w.FXUSD[jpy], want, 1e-9) {
				t.Errorf("posted %v of yen (account holds %v), want %v", posted, acc.Bal[jpy]*w.FXUSD[jpy], want)
			}
			req := acc.Req
			pb.Margin(w)
			// The yen's exchange-rate risk is margined (6e8 → 6.17e8 with
			// brokerSpec's fx haircut), within the 10% buffer posted over
			// the requirement: the call is met.
			if !(acc.Req > req) || acc.Call != 0 || h.Calls != 0 {
				t.Errorf("requirement %v before the yen was posted, %v after; call %v: want a higher requirement and no call", req, acc.Req, acc.Call)
			}
		} else {
			if h.Cash[jpy] != 0 || !rel(posted, yen*w.FXUSD[jpy], 1e-12) {
				t.Errorf("posted $%v of the $%v of yen, ¥%v left: want all of it", posted, share*usd, h.Cash[jpy])
			}
			if sold := -unitsOf(o, asset(t, m, "SPX")); !(sold > 0) {
				t.Errorf("sold %v SPX for the rest of the call, want a sale", sold)
			}
		}
		checkAudit(t, a, w, "call from yen")
	}
}

// TestStopLossParticipation: a 10% fall of SPX takes a 1× long SPX trade
// past its 5% stop; the fund closes it, but trades at most 10% of SPX's
// daily volume a day ($5e7 an hour), so the $9e8 position goes in 18
// ticks. A 4% fall does not trigger the stop.
func TestStopLossParticipation(t *testing.T) {
	for _, shock := range []float64{-0.04, -0.10} {
		cfg := config("SPX")
		for k := range cfg.Assets {
			cfg.Assets[k].ADV = 1.2e10
		}
		b := brokerSpec("PB")
		b.Haircuts["equity"] = 0.05
		cfg.Brokers = []agents.PrimeBrokerSpec{b}
		cfg.Agents = []sim.AgentSpec{{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Participation: 0.1,
			Trades: []agents.TradeSpec{{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "SPX", StopLoss: 0.05}}}}}
		cfg.Events = []sim.EventSpec{{Tick: 2, Kind: "shock", Shocks: map[string]float64{"SPX": shock}}}
		m, _ := build(t, cfg)
		f := agentOf[*agents.HedgeFund](t, m, "fund")
		tr := f.Trades()[0]
		exits := 0
		var sold []float64
		for tick := 0; tick < 24; tick++ {
			step(t, m, 1)
			for _, e := range m.W.Events() {
				if e.Kind == core.EvTradeExit && e.Reason == core.StopLoss {
					exits++
				}
			}
			sold = append(sold, m.M.Sold[core.HedgeFund][core.StopLoss])
		}
		if shock == -0.04 {
			if exits != 0 || !tr.Active || tr.Units != tr.Units0 {
				t.Errorf("4%% fall: %d exits, active %v, units %v of %v", exits, tr.Active, tr.Units, tr.Units0)
			}
			continue
		}
		if exits != 1 || tr.Active {
			t.Fatalf("10%% fall: %d exits logged, trade active %v", exits, tr.Active)
		}
		for tick, s := range sold {
			switch {
			case tick < 2 || tick > 19:
				if s != 0 {
					t.Errorf("tick %d: sold %v by stop-loss", tick, s)
				}
			case tick < 19:
				if !rel(s, 5e7, 1e-9) {
					t.Errorf("tick %d: sold %v, want the participation limit 5e7", tick, s)
				}
			}
		}
		if tot := sum(sold); !rel(tot, 9e8, 1e-9) {
			t.Errorf("sold %v in all, want 9e8", tot)
		}
		if u := holder(t, m, "fund").Accounts[1].Units[asset(t, m, "SPX")]; u != 0 {
			t.Errorf("%v SPX left after the stop", u)
		}
	}
}

// sum adds up x.
func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// hikeAndCut is one fund, "fund", holding a 3× yen carry trade in cash at
// PB, with exit threshold 0.3, re-entry at 1.2 times it a day after the
// exit, and the given participation; the BOJ hikes to 3% at tick 2 and
// cuts back to 0.1% at tick 10.
func hikeAndCut(participation float64) *sim.Config {
	cfg := oneFund(agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Participation: participation,
		CarryExit: 0.3, Reentry: 1.2, ReentryDays: 1,
		Trades: []agents.TradeSpec{{Kind: "carry", Broker: "PB", Leverage: 3, Asset: "cash"}}}, "USDJPY")
	cfg.Events = []sim.EventSpec{
		{Tick: 2, Kind: "policy_rate", Currency: "JPY", Rate: 0.03},
		{Tick: 10, Kind: "policy_rate", Currency: "JPY", Rate: 0.001},
	}
	return cfg
}

// TestCarryExitAndReentry: carry over yen volatility is (5% − 0.1%)/10% =
// 0.49 at the start. A BOJ hike to 3% drops it to about 0.2, below the
// fund's exit threshold 0.3: the fund closes the trade (buys back the yen).
// After a cut back to 0.1% it is above 0.3 × 1.2 again, and the fund
// re-enters once a day has passed since the exit, at its leverage on its
// equity.
func TestCarryExitAndReentry(t *testing.T) {
	m, a := build(t, hikeAndCut(1))
	f := agentOf[*agents.HedgeFund](t, m, "fund")
	tr := f.Trades()[0]
	if r := f.CarryToVol(m.W, tr); !rel(r, 0.49, 1e-9) {
		t.Errorf("carry-to-vol at the start %v, want 0.49", r)
	}
	usdjpy := asset(t, m, "USDJPY")
	var exitTick, entryTick = -1, -1
	for tick := 0; tick < 30; tick++ {
		step(t, m, 1)
		for _, e := range m.W.Events() {
			switch {
			case e.Kind == core.EvTradeExit && e.Reason == core.CarryExit:
				exitTick = tick
				// The yen loan with its interest: no yen debt is left behind.
				want := 3e9 * m.W.FundingIndex(1)
				if got := m.M.Sold[core.HedgeFund][core.CarryExit]; !rel(got, want, 1e-12) || want == 3e9 {
					t.Errorf("carry exit sold $%v of USDJPY, want %v (3e9 and its interest)", got, want)
				}
				if jpy := f.Holder().Accounts[1].Bal[1]; math.Abs(jpy) > 1e-3 {
					t.Errorf("after the exit the account owes %v yen", -jpy)
				}
			case e.Kind == core.EvTradeEntry:
				entryTick = tick
				if b := m.M.Bought[core.HedgeFund][core.Reentry]; !rel(b, 3*m.W.NAV(f.Holder()), 1e-3) {
					t.Errorf("re-entered with $%v of USDJPY, want 3 × NAV %v", b, m.W.NAV(f.Holder()))
				}
			}
		}
		switch {
		case tick < 2 && !tr.Active, tick >= 2 && tick < 26 && tr.Active, tick >= 26 && !tr.Active:
			t.Errorf("tick %d: trade active %v", tick, tr.Active)
		}
	}
	if exitTick != 2 || entryTick != 26 {
		t.Errorf("exit at tick %d, re-entry at %d; want 2 and 26", exitTick, entryTick)
	}
	if r := f.CarryToVol(m.W, tr); !(r > 0.36) {
		t.Errorf("carry-to-vol after the cut %v", r)
	}
	if e := exposure(m.W, f.Holder(), 1)[usdjpy]; !rel(e, 3*m.W.NAV(f.Holder()), 1e-2) {
		t.Errorf("USDJPY exposure after re-entry %v", e)
	}
	checkAudit(t, a, m.W, "carry")
}

// TestSweep: margin in excess of the cushion goes back to free cash once a
// day, and only the excess: the account keeps Cushion times its
// requirement, measured at current prices even when the broker has not
// re-marked it since prices moved. A sweep must not leave the account
// short of margin.
func TestSweep(t *testing.T) {
	cfg := config("USDJPY")
	b := brokerSpec("PB")
	b.Floor = 0.2 // the portfolio requirement binds: 2.33·0.10·sqrtH·3e9 = 5.17e7
	cfg.Brokers = []agents.PrimeBrokerSpec{b}
	cfg.Agents = []sim.AgentSpec{equityFund("fund", 1e9, agents.TradeSpec{Kind: "carry", Broker: "PB", Leverage: 3, Asset: "cash"})}
	// The yen strengthens 1.2% at tick 1: within the broker's intraday
	// re-margining tolerance (3 daily standard deviations, 1.57%).
	cfg.Events = []sim.EventSpec{{Tick: 1, Kind: "shock", Shocks: map[string]float64{"USDJPY": -0.012}}}
	m, a := build(t, cfg)
	w := m.W
	f := agentOf[*agents.HedgeFund](t, m, "fund")
	h := f.Holder()
	acc := &h.Accounts[1]
	// Post $1e8 more than the cushion.
	w.Transfer(h, 0, h, 1, core.USD, 1e8)
	step(t, m, 2)
	cash := h.Cash[core.USD]
	calls := 0
	swept := false
	for tick := 2; tick < 30; tick++ {
		step(t, m, 1)
		for _, e := range w.Events() {
			if e.Kind == core.EvMarginCall {
				calls++
			}
		}
		if !swept && h.Cash[core.USD]-cash > 1e7 {
			swept = true
			if v := w.AccountValue(h, acc); !rel(v, 1.5*acc.Req, 1e-3) {
				t.Errorf("tick %d: account keeps %v after the sweep, want 1.5 × %v", tick, v, acc.Req)
			}
		}
	}
	if !swept {
		t.Fatal("the excess margin was never swept back")
	}
	if calls != 0 {
		t.Errorf("%d margin calls after sweeping", calls)
	}
	checkAudit(t, a, w, "sweep")
}

// TestSweepBorrows: an equity trade bought with a dollar loan holds no
// dollars in its account; after a 10% rally its excess equity is drawn as
// cash all the same (the broker lends it), down to the cushion.
func TestSweepBorrows(t *testing.T) {
	cfg := spxFund()
	cfg.Events = []sim.EventSpec{{Tick: 1, Kind: "shock", Shocks: map[string]float64{"SPX": 0.10}}}
	m, a := build(t, cfg)
	w := m.W
	h := holder(t, m, "fund")
	acc := &h.Accounts[1]
	if !(acc.Bal[core.USD] < 0) {
		t.Fatalf("the account holds %v dollars, want a dollar loan", acc.Bal[core.USD])
	}
	cash := h.Cash[core.USD]
	step(t, m, 2*int(w.PerDay)) // two daily sweeps
	if !(h.Cash[core.USD] > cash+1e8) {
		t.Errorf("free cash %v after a $2e8 gain, was %v: the excess was not swept", h.Cash[core.USD], cash)
	}
	if v := w.AccountValue(h, acc); !rel(v, 1.5*acc.Req, 1e-2) {
		t.Errorf("account keeps %v after the sweep, want 1.5 × %v", v, acc.Req)
	}
	checkAudit(t, a, w, "sweep")
}

// TestTradePnLLocalFunding: an equity trade in a foreign currency funded in
// that currency carries no FX risk: a yen move leaves its P&L at zero (its
// loan moves with the asset), while the asset's own move counts in full.
// Its stop-loss therefore does not fire on the yen.
func TestTradePnLLocalFunding(t *testing.T) {
	cfg := config("USDJPY", "NKY")
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
	cfg.Agents = []sim.AgentSpec{
		equityFund("yen-funded", 1e9, agents.TradeSpec{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "NKY", StopLoss: 0.05}),
		equityFund("usd-funded", 1e9, agents.TradeSpec{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "NKY", Funding: "USD", StopLoss: 0.05}),
	}
	m, _ := build(t, cfg)
	w := m.W
	yen := agentOf[*agents.HedgeFund](t, m, "yen-funded")
	usd := agentOf[*agents.HedgeFund](t, m, "usd-funded")
	// The yen weakens 10% (USDJPY 150 → 165): the yen-funded trade is
	// flat, the dollar-funded one loses 1e9·(1 − 150/165) = 9.09e7.
	move(t, m, map[string]float64{"USDJPY": 0.1})
	if p := yen.Trades()[0].PnL(w); math.Abs(p) > 1 {
		t.Errorf("yen-funded NKY trade: P&L %v on a pure yen move, want 0", p)
	}
	if p, want := usd.Trades()[0].PnL(w), -1e9*(1-150.0/165); !rel(p, want, 1e-9) {
		t.Errorf("dollar-funded NKY trade: P&L %v, want %v", p, want)
	}
	// The account agrees: the yen-funded account's value did not move.
	if o := decide(m, yen); len(o) != 0 {
		t.Errorf("yen-funded fund traded on a yen move: %+v", o)
	}
	// NKY −3% (in yen): the yen-funded trade loses 3% of its notional at today's rate.
	move(t, m, map[string]float64{"NKY": -0.03})
	if p, want := yen.Trades()[0].PnL(w), -0.03*1e9*150/165; !rel(p, want, 1e-9) {
		t.Errorf("yen-funded NKY trade after NKY −3%%: P&L %v, want %v", p, want)
	}
}

// TestEquityTradeFX: a yen equity bought with dollars is short USDJPY (long
// the yen) and its unwind brings the proceeds back to dollars; bought with
// yen it has no FX exposure; an SPX position funded in yen is long USDJPY.
func TestEquityTradeFX(t *testing.T) {
	cfg := config("USDJPY", "NKY", "SPX")
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
	cfg.Agents = []sim.AgentSpec{
		equityFund("usd", 1e9, agents.TradeSpec{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "NKY", Funding: "USD", StopLoss: 0.05}),
		equityFund("yen", 1e9, agents.TradeSpec{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "NKY"}),
		equityFund("spx-yen", 1e9, agents.TradeSpec{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "SPX", Funding: "JPY"}),
	}
	m, a := build(t, cfg)
	w := m.W
	usdjpy, nky, spx := asset(t, m, "USDJPY"), asset(t, m, "NKY"), asset(t, m, "SPX")
	for _, c := range []struct {
		id       string
		nky, spx float64
		fx       float64
	}{{"usd", 1e9, 0, -1e9}, {"yen", 1e9, 0, 0}, {"spx-yen", 0, 1e9, 1e9}} {
		e := exposure(w, holder(t, m, c.id), 1)
		if !rel(e[nky], c.nky, 1e-9) || !rel(e[spx], c.spx, 1e-9) || !rel(e[usdjpy], c.fx, 1e-9) {
			t.Errorf("%s: exposures NKY %v SPX %v USDJPY %v, want %v %v %v", c.id, e[nky], e[spx], e[usdjpy], c.nky, c.spx, c.fx)
		}
		tr := agentOf[*agents.HedgeFund](t, m, c.id).Trades()[0]
		if tr.Units0 == 0 || !rel(tr.Notional0, 1e9, 1e-12) {
			t.Errorf("%s: trade %+v", c.id, tr)
		}
	}
	// NKY falls 10%: the dollar-funded trade stops out and the fund ends
	// with no yen: the sale's proceeds went back into dollars.
	move(t, m, map[string]float64{"NKY": -0.1})
	o := decide(m, agentOf[*agents.HedgeFund](t, m, "usd"))
	if len(o) != 2 || unitsOf(o, nky) >= 0 || unitsOf(o, usdjpy) <= 0 {
		t.Errorf("stop-loss orders %+v, want NKY sold and the yen sold for dollars", o)
	}
	m.M.Clear(w)
	checkAudit(t, a, w, "equity fx")
	if acc := holder(t, m, "usd").Accounts[1]; acc.Units[nky] != 0 || !rel(acc.Bal[1], 0, 1e-6) {
		t.Errorf("after the stop: %v NKY, %v yen left", acc.Units[nky], acc.Bal[1])
	}
}

// TestCarryToVolBond: a carry trade into Treasuries earns their yield,
// not the dollar policy rate: (4.2% − 0.1%)/10% = 0.41.
func TestCarryToVolBond(t *testing.T) {
	cfg := config("USDJPY", "UST10Y")
	cfg.Funding.OtherSpread = 0.002 // yen funding 20bp over policy
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
	cfg.Agents = []sim.AgentSpec{
		equityFund("bond", 1e9, agents.TradeSpec{Kind: "carry", Broker: "PB", Leverage: 2, Asset: "UST10Y"}),
		equityFund("cash", 1e9, agents.TradeSpec{Kind: "carry", Broker: "PB", Leverage: 2, Asset: "cash"}),
	}
	m, _ := build(t, cfg)
	w := m.W
	b := agentOf[*agents.HedgeFund](t, m, "bond")
	c := agentOf[*agents.HedgeFund](t, m, "cash")
	if r := b.CarryToVol(w, b.Trades()[0]); !rel(r, (0.042-0.001-0.002)/0.1, 1e-9) {
		t.Errorf("bond carry-to-vol %v, want 0.39", r)
	}
	if r := c.CarryToVol(w, c.Trades()[0]); !rel(r, (0.05-0.001-0.002)/0.1, 1e-9) {
		t.Errorf("cash carry-to-vol %v, want 0.47", r)
	}
	// Expected rates count half: guidance of +1% on the yen costs 0.5%.
	w.Expected[1] += 0.01
	w.Tick++ // the signal is cached per tick
	if r := c.CarryToVol(w, c.Trades()[0]); !rel(r, (0.05-0.006-0.002)/0.1, 1e-9) {
		t.Errorf("cash carry-to-vol after guidance %v, want 0.42", r)
	}
	// The bond trade holds 2e9 of Treasuries on a 3e11 yen loan.
	acc := holder(t, m, "bond").Accounts[1]
	if !rel(acc.Units[asset(t, m, "UST10Y")], 2e7, 1e-12) || !rel(acc.Bal[1], -3e11, 1e-12) {
		t.Errorf("bond carry account: %v UST, %v yen", acc.Units[asset(t, m, "UST10Y")], acc.Bal[1])
	}
}

// TestLeverageScale: the scenario's leverage scale multiplies every
// leveraged position: a fund's trades and a CTA's leverage cap.
func TestLeverageScale(t *testing.T) {
	for _, scale := range []float64{0, 0.5, 2} {
		cfg := config("SPX")
		cfg.LeverageScale = scale
		cfg.Trends = map[string]float64{"SPX": 3}
		cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
		cfg.Agents = []sim.AgentSpec{
			equityFund("fund", 1e9, agents.TradeSpec{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "SPX"}),
			{Kind: "cta", CTA: &agents.CTASpec{ID: "cta", Equity: 1e9, Broker: "PB", Assets: []string{"SPX"}, MaxLeverage: 0.25}},
		}
		m, _ := build(t, cfg)
		s := scale
		if s == 0 {
			s = 1
		}
		if e := exposure(m.W, holder(t, m, "fund"), 1)[0]; !rel(e, s*1e9, 1e-9) {
			t.Errorf("scale %v: fund exposure %v, want %v", scale, e, s*1e9)
		}
		// The CTA's target (6.67e8) is capped at 0.25·scale of its equity.
		if e := exposure(m.W, holder(t, m, "cta"), 1)[0]; !rel(e, s*0.25e9, 1e-9) {
			t.Errorf("scale %v: CTA exposure %v, want %v", scale, e, s*0.25e9)
		}
	}
}

// TestCrossMarginOff pins the cross_margin switch: on, a fund's trades at
// one broker share one account, so one trade's loss draws on the others'
// collateral and their positions offset; off, every trade has a segregated
// account. Inside a basis trade's account the broker still nets the cash
// and futures legs (one hedged package), so its requirement stays below
// gross either way.
func TestCrossMarginOff(t *testing.T) {
	for _, on := range []bool{true, false} {
		cfg := config("UST10Y", "TY", "SPX")
		b := brokerSpec("PB")
		b.Floor = 0.2
		cfg.Brokers = []agents.PrimeBrokerSpec{b}
		if !on {
			cfg.Channels.Off = []string{"cross_margin"}
		}
		cfg.Agents = []sim.AgentSpec{equityFund("fund", 1e9,
			agents.TradeSpec{Kind: "basis", Broker: "PB", Leverage: 10, Asset: "UST10Y", Future: "TY"},
			agents.TradeSpec{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "SPX"})}
		m, _ := build(t, cfg)
		step(t, m, 1)
		h := holder(t, m, "fund")
		want := 2 // custody and one shared account
		if !on {
			want = 3 // custody and one account per trade
		}
		if len(h.Accounts) != want {
			t.Fatalf("cross_margin %v: %d accounts, want %d", on, len(h.Accounts), want)
		}
		if acc := h.Accounts[1]; !(acc.Req < 0.5*acc.Gross) {
			t.Errorf("cross_margin %v: basis account requirement %.4g is not netted below gross %.4g", on, acc.Req, acc.Gross)
		}
	}
}

// TestDerisk: after a 10% drawdown of its equity the fund cuts every trade
// by a quarter, the SPX leg it did not lose on as much as the BTC leg that
// lost; the high-water mark resets, so a further fall of less than 10%
// cuts nothing more.
func TestDerisk(t *testing.T) {
	cfg := oneFund(agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Participation: 1,
		DeriskDrawdown: 0.1, Trades: []agents.TradeSpec{
			{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "SPX"},
			{Kind: "equity", Broker: "PB", Leverage: 0.5, Asset: "BTC"}}}, "SPX", "BTC")
	m, a := build(t, cfg)
	f := agentOf[*agents.HedgeFund](t, m, "fund")
	spx, btc := f.Trades()[0], f.Trades()[1]
	u0, b0 := spx.Units, btc.Units
	step(t, m, 1)
	if spx.Units != u0 || btc.Units != b0 {
		t.Fatal("traded before any drawdown")
	}
	// BTC −25%: a loss of 12.5% of equity.
	move(t, m, map[string]float64{"BTC": -0.25})
	o := decide(m, f)
	for _, x := range o {
		if x.Reason != core.Deleveraging {
			t.Errorf("order %+v, want deleveraging", x)
		}
	}
	if !rel(unitsOf(o, asset(t, m, "SPX")), -0.25*u0, 1e-9) || !rel(unitsOf(o, asset(t, m, "BTC")), -0.25*b0, 1e-9) {
		t.Errorf("cuts %v SPX of %v and %v BTC of %v, want a quarter of each", unitsOf(o, asset(t, m, "SPX")), u0, unitsOf(o, asset(t, m, "BTC")), b0)
	}
	m.M.Clear(m.W)
	checkAudit(t, a, m.W, "derisk")
	// A further 5% loss: below the reset mark by less than 10%.
	move(t, m, map[string]float64{"BTC": -0.2})
	if o := decide(m, f); len(o) != 0 {
		t.Errorf("cut again after a drawdown under the limit: %+v", o)
	}
}

// TestDeriskNote: the trade_exit event of a drawdown cut says which
// trades it cuts: every trade when derisk_kinds spares none of the fund's,
// else the kinds it cuts and those it spares. Before, it said "cutting
// every trade" whatever derisk_kinds left alone (apr2025's funds cut only
// their equity trades, not their basis trade).
func TestDeriskNote(t *testing.T) {
	spx := agents.TradeSpec{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "SPX"}
	btc := agents.TradeSpec{Kind: "equity", Broker: "PB", Leverage: 0.5, Asset: "BTC"}
	carry := agents.TradeSpec{Kind: "carry", Broker: "PB", Leverage: 0.5, Asset: "cash"}
	for _, c := range []struct {
		name   string
		kinds  []string
		trades []agents.TradeSpec
		want   string
	}{
		{"all kinds", nil, []agents.TradeSpec{spx, btc, carry}, "drawdown 12.5%: cutting every trade 25%"},
		{"every kind it holds", []string{"carry", "equity"}, []agents.TradeSpec{spx, btc}, "drawdown 12.5%: cutting every trade 25%"},
		{"equity only", []string{"equity"}, []agents.TradeSpec{spx, btc, carry}, "drawdown 12.5%: cutting its equity trades 25% (not its carry trade)"},
		{"carry only", []string{"carry"}, []agents.TradeSpec{spx, carry, btc}, "drawdown 12.5%: cutting its carry trade 25% (not its equity trades)"},
		{"none it holds", []string{"basis"}, []agents.TradeSpec{spx, btc}, "drawdown 12.5%: a cut of 25% finds no trade to cut (derisk_kinds spares its equity trades)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := oneFund(agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Participation: 1,
				DeriskDrawdown: 0.1, DeriskKinds: c.kinds, Trades: c.trades}, "SPX", "BTC", "USDJPY")
			m, _ := build(t, cfg)
			f := agentOf[*agents.HedgeFund](t, m, "fund")
			step(t, m, 1)
			move(t, m, map[string]float64{"BTC": -0.25}) // a loss of 12.5% of equity
			decide(m, f)
			var notes []string
			for _, e := range m.W.Events() {
				if e.Kind == core.EvTradeExit && e.Reason == core.Deleveraging {
					notes = append(notes, e.Note.String())
				}
			}
			if len(notes) != 1 || notes[0] != c.want {
				t.Errorf("drawdown notes %q, want %q", notes, c.want)
			}
		})
	}
}

// TestReviewHours: a fund reviewing its risk rules once a day at 00:00 UTC
// does not act on a stop-loss breached at 05:00 until midnight; then it
// closes the trade.
func TestReviewHours(t *testing.T) {
	cfg := oneFund(agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Participation: 1,
		ReviewHours: 24, ReviewHour: 0,
		Trades: []agents.TradeSpec{{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "SPX", StopLoss: 0.05}}}, "SPX")
	cfg.Events = []sim.EventSpec{{Tick: 5, Kind: "shock", Shocks: map[string]float64{"SPX": -0.1}}}
	m, _ := build(t, cfg)
	tr := agentOf[*agents.HedgeFund](t, m, "fund").Trades()[0]
	for tick := 0; tick < 30; tick++ {
		step(t, m, 1)
		if want := tick < 24; tr.Active != want {
			t.Fatalf("after tick %d (%s): trade active %v, want %v", tick, m.W.Now().Add(-m.W.TickLen).Format("15:04"), tr.Active, want)
		}
	}
}

// TestCarryExitSquaresLoanUnderImpact: closing carry buys the yen loan back
// (MODEL.md §4). The buy-back is sized at the mark, and its own impact moves
// USDJPY, so it buys a little fewer yen than are owed (0.3% here). The
// closed trade's residual yen debt, which no trade owned, is bought back in
// the ticks that follow, until the account is square.
func TestCarryExitSquaresLoanUnderImpact(t *testing.T) {
	cfg := config("USDJPY")
	cfg.Assets[0].Impact = sim.Impact{Function: "linear", Lambda: 2e-12, Permanent: 1} // 3e9 of flow: 0.6%
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
	cfg.Agents = []sim.AgentSpec{{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Participation: 1,
		CarryExit: 0.3, Trades: []agents.TradeSpec{{Kind: "carry", Broker: "PB", Leverage: 3, Asset: "cash"}}}}}
	cfg.Events = []sim.EventSpec{{Tick: 2, Kind: "policy_rate", Currency: "JPY", Rate: 0.03}}
	m, _ := build(t, cfg)
	f := agentOf[*agents.HedgeFund](t, m, "fund")
	tr := f.Trades()[0]
	loan := tr.Loan
	step(t, m, 4)
	if tr.Active {
		t.Fatal("the carry trade did not exit")
	}
	jpy := f.Holder().Accounts[1].Bal[1]
	if math.Abs(jpy) > 1e-6*loan {
		t.Errorf("after the carry exit (trade closed, Loan %v) the account still owes %.4g yen ($%.4g), %.3f%% of the %.4g yen loan",
			tr.Loan, -jpy, -jpy*m.W.FXUSD[1], -100*jpy/loan, loan)
	}
}

// TestSweepKeepsReentryMargin: on a day whose sweep falls on the tick a
// trade re-enters, the sweep goes first. Run after the re-entry, it measured
// excess margin against the requirement from before it (0, the trade being
// closed) and drew back the margin just posted, so the next tick brought a
// margin call for the whole requirement with no price moved.
func TestSweepKeepsReentryMargin(t *testing.T) {
	cfg := oneFund(agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Participation: 1,
		CarryExit: 0.3, Reentry: 1.2, ReentryDays: 1.04, // exit at tick 2, re-entry at tick 27: the fund's sweep tick (index 3)
		Trades: []agents.TradeSpec{{Kind: "carry", Broker: "PB", Leverage: 3, Asset: "cash"}}}, "USDJPY")
	cfg.Events = []sim.EventSpec{
		{Tick: 2, Kind: "policy_rate", Currency: "JPY", Rate: 0.03},
		{Tick: 10, Kind: "policy_rate", Currency: "JPY", Rate: 0.001},
	}
	m, _ := build(t, cfg)
	w := m.W
	f := agentOf[*agents.HedgeFund](t, m, "fund")
	h := f.Holder()
	entry, calls := -1, 0
	for tick := 0; tick < 40; tick++ {
		step(t, m, 1)
		for _, e := range w.Events() {
			switch e.Kind {
			case core.EvTradeEntry:
				entry = e.Tick
				if v := w.AccountValue(h, &h.Accounts[1]); v < 1e7 {
					t.Errorf("tick %d: right after re-entering a $%.3g carry the account holds $%.4g of margin", e.Tick, e.Amount, v)
				}
			case core.EvMarginCall:
				calls++
				t.Errorf("tick %d: margin call of $%.4g on the re-entered trade (no price has moved)", e.Tick, e.Amount)
			}
		}
	}
	if entry < 0 || entry%24 != 3 {
		t.Fatalf("re-entry at tick %d, want tick 27 (a sweep tick)", entry)
	}
}

// TestStopLossCountsRealized: the stop-loss closes a trade once it has lost
// stop_loss of the NAV at entry, counting what earlier partial sales
// realized. A 1x SPX trade with a 5% stop falls 4%, its drawdown rule sells
// half (2e7 realized), and SPX falls to 93% of entry: the trade has lost
// 2e7 + 0.5·7e7 = 5.5e7, past the 5e7 stop, though its open half has lost
// only 3.5e7.
func TestStopLossCountsRealized(t *testing.T) {
	cfg := oneFund(agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Participation: 1,
		DeriskDrawdown: 0.03, DeriskCut: 0.5,
		Trades: []agents.TradeSpec{{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "SPX", StopLoss: 0.05}}}, "SPX")
	m, _ := build(t, cfg)
	w := m.W
	f := agentOf[*agents.HedgeFund](t, m, "fund")
	tr := f.Trades()[0]
	spx := asset(t, m, "SPX")
	u0 := tr.Units
	step(t, m, 1) // the high-water mark is read: 1e9
	move(t, m, map[string]float64{"SPX": -0.04})
	o := decide(m, f)
	if !rel(unitsOf(o, spx), -0.5*u0, 1e-9) {
		t.Fatalf("de-risking sold %v of %v units, want half", -unitsOf(o, spx), u0)
	}
	m.M.Clear(w)
	move(t, m, map[string]float64{"SPX": 0.93/0.96 - 1})
	realized := 0.5 * u0 * 5400 * (0.96 - 1)
	open := tr.PnL(w)
	o = decide(m, f)
	stop := false
	for _, x := range o {
		stop = stop || x.Reason == core.StopLoss
	}
	if !stop {
		t.Errorf("trade lost %.4g (realized %.4g + open %.4g) against a stop at %.4g, but no stop-loss sale: the stop reads only the open P&L %.4g",
			realized+open, realized, open, -0.05*1e9, open)
	}
}

// TestDrawdownFromStartingEquity: the de-risking high-water mark starts at
// the fund's equity and is raised at its reviews. A fund reviewing daily at
// 12:00 UTC that loses 6% of its NAV in the third hour has fallen past its
// 5% limit by its first review and cuts; with the mark starting at 0, the
// first review set it to the NAV of then, and the loss went uncounted.
func TestDrawdownFromStartingEquity(t *testing.T) {
	cfg := oneFund(agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Participation: 1,
		DeriskDrawdown: 0.05, ReviewHours: 24, ReviewHour: 12,
		Trades: []agents.TradeSpec{{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "SPX"}}}, "SPX")
	cfg.Events = []sim.EventSpec{{Tick: 3, Kind: "shock", Shocks: map[string]float64{"SPX": -0.06}}}
	m, _ := build(t, cfg)
	f := agentOf[*agents.HedgeFund](t, m, "fund")
	tr := f.Trades()[0]
	u0 := tr.Units
	step(t, m, 12) // ticks 0–11: no review yet
	if tr.Units != u0 {
		t.Fatalf("cut before the first review: %v of %v units left", tr.Units, u0)
	}
	step(t, m, 1) // the review at 12:00
	nav := m.W.NAV(f.Holder())
	if tr.Units >= u0 {
		t.Errorf("NAV %.4g is %.2f%% below the fund's starting equity 1e9 at its first review, past its 5%% limit, but no trade was cut", nav, 100*(1-nav/1e9))
	}
}

// TestCarryReentryWithoutExitThreshold: a carry trade re-opens once
// carry/vol ≥ carry_exit·reentry (ODD 7.7 step 7), which with no exit
// threshold is any carry not below zero: a fund with carry_exit 0 whose carry
// trade was stopped out re-enters after reentry_days.
func TestCarryReentryWithoutExitThreshold(t *testing.T) {
	cfg := oneFund(agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Participation: 1,
		Reentry: 1.2, ReentryDays: 1,
		Trades: []agents.TradeSpec{{Kind: "carry", Broker: "PB", Leverage: 3, Asset: "cash", StopLoss: 0.02}}}, "USDJPY")
	cfg.Events = []sim.EventSpec{{Tick: 2, Kind: "shock", Shocks: map[string]float64{"USDJPY": -0.01}}} // 3e7 lost: past the 2e7 stop
	m, _ := build(t, cfg)
	f := agentOf[*agents.HedgeFund](t, m, "fund")
	tr := f.Trades()[0]
	stopped := false
	for tick := 0; tick < 72; tick++ {
		step(t, m, 1)
		for _, e := range m.W.Events() {
			stopped = stopped || e.Kind == core.EvTradeExit && e.Reason == core.StopLoss
		}
	}
	if !stopped {
		t.Fatal("the stop did not fire")
	}
	if r := f.CarryToVol(m.W, tr); !tr.Active && r > 0 {
		t.Errorf("carry/vol %.3f ≥ carry_exit·reentry = 0 for two days after the stop, but the trade was never re-opened", r)
	}
}

// TestReentryWithinParticipation: a re-opened trade is bought within the
// fund's participation limit, as its exit was sold. At 0.24% of USDJPY's
// $10tn daily volume the fund may trade $1bn an hour; re-entering its 3×
// carry (just over $3bn: the NAV has grown) takes four hourly slices of at
// most $1bn, ending at the
// notional the entry event announced, and the trade's legs and the
// account's yen loan agree. Before, the whole $3bn was bought in one tick.
func TestReentryWithinParticipation(t *testing.T) {
	m, a := build(t, hikeAndCut(0.0024))
	w := m.W
	f := agentOf[*agents.HedgeFund](t, m, "fund")
	tr := f.Trades()[0]
	const limit = 1e9 // 0.0024 · 1e13 / 24
	var planned, total float64
	var slices []int
	for tick := 0; tick < 60; tick++ {
		step(t, m, 1)
		for _, e := range w.Events() {
			if e.Kind == core.EvTradeEntry {
				planned = e.Amount
			}
		}
		if b := m.M.Bought[core.HedgeFund][core.Reentry]; b > 0 {
			slices = append(slices, tick)
			total += b
			if b > limit*(1+1e-9) {
				t.Errorf("tick %d: re-entry bought $%.4g of USDJPY, past the $%.4g hourly limit", tick, b, limit)
			}
		}
	}
	if planned < 2.9e9 {
		t.Fatalf("re-entry announced $%.4g, want about 3 × NAV", planned)
	}
	if n := int(math.Ceil(planned / limit)); len(slices) != n || slices[n-1]-slices[0] != n-1 {
		t.Errorf("re-entry of $%.6g bought in ticks %v, want %d consecutive ticks", planned, slices, n)
	}
	if !rel(total, planned, 1e-9) {
		t.Errorf("re-entry bought $%.6g in all, announced $%.6g", total, planned)
	}
	if e := exposure(w, f.Holder(), 1)[asset(t, m, "USDJPY")]; !rel(e, planned, 1e-2) {
		t.Errorf("USDJPY exposure after the re-entry %.6g, want %.6g", e, planned)
	}
	if !tr.Active || tr.Units <= 0 {
		t.Fatalf("trade not open after the re-entry: %+v", tr)
	}
	// Re-opened a little larger than at the start, the trade counts as not
	// unwound at all: not as −0.02% unwound.
	if u := m.Unwound()[core.CarryTrade]; tr.Units <= tr.Units0 || u != 0 {
		t.Errorf("re-opened at %.6g units against %.6g at the start: unwound share %v, want 0", tr.Units, tr.Units0, u)
	}
	w.Settle(f.Holder())
	if owed, loan := -f.Holder().Accounts[1].Bal[1], tr.Loan; !rel(owed, loan, 1e-4) { // interest since the last slice: under 1e-6
		t.Errorf("account owes %.6g yen, the trade's loan is %.6g", owed, loan)
	}
	checkAudit(t, a, w, "carry")
}

// TestParticipationTradingDay: the participation limit is a share of the
// day's volume traded over the market's trading day (ODD N8). With SPX on
// New York's session (seven hourly ticks a day), 10% of a $1.2e10 daily
// volume is $1.2e9 a day, $1.714e8 an hour while the market trades, so a
// stopped-out $9e8 position goes in six ticks. Spread over the calendar
// day, as it used to be, the fund sold $5e7 an hour, 7/24 (29%) of its
// stated share a day.
func TestParticipationTradingDay(t *testing.T) {
	cfg := config("SPX")
	cfg.Assets[0].ADV = 1.2e10
	cfg.Assets[0].Session = "new_york"
	b := brokerSpec("PB")
	b.Haircuts["equity"] = 0.05
	cfg.Brokers = []agents.PrimeBrokerSpec{b}
	cfg.Agents = []sim.AgentSpec{{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "fund", Equity: 1e9, Participation: 0.1,
		Trades: []agents.TradeSpec{{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "SPX", StopLoss: 0.05}}}}}
	cfg.Events = []sim.EventSpec{{Tick: 14, Kind: "shock", Shocks: map[string]float64{"SPX": -0.10}}} // Mon 29 Jul, 14:00 UTC
	m, _ := build(t, cfg)
	tr := agentOf[*agents.HedgeFund](t, m, "fund").Trades()[0]
	pos := tr.Units0 * 5400 * 0.9
	for tick := 0; tick < 48; tick++ {
		step(t, m, 1)
		s := m.M.Sold[core.HedgeFund][core.StopLoss] // this tick's
		switch want := 1.2e9 / 7; {
		case tick < 14 || tick > 19:
			if s != 0 {
				t.Errorf("tick %d: sold %v by stop-loss", tick, s)
			}
		case tick < 19:
			if !rel(s, want, 1e-9) {
				t.Errorf("tick %d: sold %.6g, want the participation limit %.6g", tick, s, want)
			}
		default: // the rest: $9e8 less five full ticks
			if !rel(s, pos-5*want, 1e-6) {
				t.Errorf("tick %d: sold %.6g, want the rest %.6g", tick, s, pos-5*want)
			}
		}
	}
	if tr.Active || tr.Units != 0 {
		t.Errorf("trade active %v with %v units after two days", tr.Active, tr.Units)
	}
}

// TestTradeEventsNameTrade: a fund's trade_exit and trade_entry events
// name the trade (its kind, asset and funding currency), so that the
// exits of a fund's several carry trades tell apart: four exits of one
// fund once read "carry/vol 0.522 < 5.000" and nothing more.
func TestTradeEventsNameTrade(t *testing.T) {
	carry := func(asset string, stop float64) agents.TradeSpec {
		return agents.TradeSpec{Kind: "carry", Broker: "PB", Leverage: 3, Asset: asset, StopLoss: stop}
	}
	for _, c := range []struct {
		name   string
		spec   agents.HedgeFundSpec
		assets []string
		shocks map[string]float64
		want   []string // kind, reason: detail of each trade event, in order
	}{
		{"carry exits", agents.HedgeFundSpec{CarryExit: 5, Trades: []agents.TradeSpec{carry("cash", 0), carry("UST10Y", 0)}},
			[]string{"USDJPY", "UST10Y"}, nil,
			[]string{"trade_exit, carry_exit: carry cash funded in JPY: carry/vol 0.491 < 5.000", "trade_exit, carry_exit: carry UST10Y funded in JPY: carry/vol 0.411 < 5.000"}},
		{"stop and re-entry", agents.HedgeFundSpec{Reentry: 1.2, ReentryDays: 1, Trades: []agents.TradeSpec{carry("cash", 0.02)}},
			[]string{"USDJPY"}, map[string]float64{"USDJPY": -0.01},
			[]string{"trade_exit, stop_loss: carry cash funded in JPY", "trade_entry, reentry: carry cash funded in JPY"}},
		{"equity and basis", agents.HedgeFundSpec{Trades: []agents.TradeSpec{
			{Kind: "basis", Broker: "PB", Leverage: 2, Asset: "UST10Y", Future: "TY", StopLoss: 0.01},
			{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "SPX", StopLoss: 0.05}}},
			[]string{"UST10Y", "TY", "SPX"}, map[string]float64{"SPX": -0.1, "TY": 0.05},
			[]string{"trade_exit, stop_loss: basis UST10Y/TY funded in USD", "trade_exit, stop_loss: equity SPX funded in USD"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := c.spec
			s.ID, s.Equity, s.Participation = "fund", 1e9, 1
			cfg := oneFund(s, c.assets...)
			if c.shocks != nil {
				cfg.Events = []sim.EventSpec{{Tick: 2, Kind: "shock", Shocks: c.shocks}}
			}
			m, _ := build(t, cfg)
			var got []string
			for tick := 0; tick < 72; tick++ {
				step(t, m, 1)
				for _, e := range m.W.Events() {
					if e.Kind == core.EvTradeExit || e.Kind == core.EvTradeEntry {
						got = append(got, e.Kind.String()+", "+e.Reason.String()+": "+e.Text())
					}
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("events\n%q\nwant\n%q", got, c.want)
			}
		})
	}
}
