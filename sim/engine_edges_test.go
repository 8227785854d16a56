package sim

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/agents"
)

// TestLinkIntoBondMovesFuture: a valuation link moves a bond's
// fundamental value; a future on that bond is driven by the same
// fundamental factor (MODEL.md §1), so it must follow, as it does for a
// scripted shock to the bond. Otherwise the link alone would open a basis
// no flow made (it did before links into bonds reached their futures).
func TestLinkIntoBondMovesFuture(t *testing.T) {
	cfg := smallWorld("UST10Y", "TY", "SPX")
	cfg.Ticks = 4
	cfg.Links = []LinkSpec{{Asset: "UST10Y", Driver: "SPX", Beta: -0.5}} // flight to quality
	cfg.Events = []EventSpec{{Tick: 1, Kind: "shock", Shocks: map[string]float64{"SPX": -0.04}}}
	var ust, ty []float64
	run(t, cfg, func(m *Model, f *Frame) {
		ust = append(ust, f.Price[0])
		ty = append(ty, f.Price[1])
	})
	du := ust[2]/ust[1] - 1
	dt := ty[2]/ty[1] - 1
	if math.Abs(du-0.02) > 1e-12 {
		t.Fatalf("UST10Y moved %.6f at tick 2, want the link's +2%%", du)
	}
	if math.Abs(dt-du) > 1e-12 {
		t.Errorf("TY moved %.6f while its underlying UST10Y moved %.6f through a valuation link (one fundamental factor: want equal)", dt, du)
	}
}

// TestWrappedSessionBelongsToOpeningDay: a session whose close is
// before its open "wraps past midnight": the session opened on a listed
// day runs into the next morning. A session listed on Monday only, 22:00
// to 03:00, trades from Monday 22:00 to Tuesday 03:00, not on Monday
// 01:00 (that would be Sunday's session, which is not listed).
func TestWrappedSessionBelongsToOpeningDay(t *testing.T) {
	custom := map[string]SessionSpec{"night": {Zone: "UTC", Open: "22:00", Close: "03:00", Days: []string{"mon"}}}
	s := mustSession(t, "night", custom)
	mon := time.Date(2024, 8, 5, 0, 0, 0, 0, time.UTC) // a Monday
	for _, c := range []struct {
		at   time.Time
		want bool
	}{
		{mon.Add(23 * time.Hour), true},              // Monday 23:00: inside Monday's session
		{mon.Add(25 * time.Hour), true},              // Tuesday 01:00: Monday's session, wrapped past midnight
		{mon.Add(1 * time.Hour), false},              // Monday 01:00: Sunday's session, not listed
		{mon.Add(-2 * time.Hour), false},             // Sunday 22:00: not listed
		{mon.Add(7*24*time.Hour + time.Hour), false}, // next Monday 01:00
	} {
		if got := s.openAt(c.at); got != c.want {
			t.Errorf("%s: open %v, want %v", c.at.Format("Mon 15:04"), got, c.want)
		}
	}
}

// TestWarmupDriftNotScaled: the warm-up is drawn at each asset's
// calm volatility "whatever the run's scale" (noise.scale applies to the
// run only); its drift is the asset's drift, not drift/scale. With no
// volatility the warm-up's returns are the drift alone, so the estimators
// after a warm-up must not depend on noise.scale.
func TestWarmupDriftNotScaled(t *testing.T) {
	variance := func(scale float64) float64 {
		cfg := smallWorld("SPX")
		cfg.Noise = NoiseSpec{Scale: scale}
		cfg.Assets[0].Vol = 0
		cfg.Assets[0].Drift = 0.5
		cfg.Warmup = 10 * 24 * time.Hour
		m, err := Build(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		v := m.impactVol(0) // the square-root law's estimator (half-life half a day)
		return v * v
	}
	a, b := variance(1), variance(0.5)
	if a <= 0 || math.Abs(b/a-1) > 1e-9 {
		t.Errorf("warm-up variance of returns %.6g at noise.scale 1, %.6g at 0.5: the warm-up's drift is divided by the run's noise.scale (want equal)", a, b)
	}
}

// TestCompressionPerAgent: the compression index sums each agent's
// exposure per asset (compression.go: "Σ_assets |Σ_agents exposure| /
// Σ_assets Σ_agents |exposure|", "Σ gross exposure"): a fund whose carry
// trade is long USDJPY and whose dollar-funded Nikkei trade is short
// USDJPY holds the same book whether its trades share one account
// (cross_margin on) or not, so its leverage and crowding must not depend
// on the cross_margin switch.
func TestCompressionPerAgent(t *testing.T) {
	comp := func(cross bool) Compression {
		cfg := smallWorld("USDJPY", "UST10Y", "NKY")
		cfg.Brokers = []agents.PrimeBrokerSpec{testBroker("GS", 1e11, false)}
		cfg.Agents = []AgentSpec{{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "hf", Equity: 1e9, CarryExit: 0.01,
			Trades: []agents.TradeSpec{
				{Kind: "carry", Broker: "GS", Leverage: 1, Asset: "UST10Y"},
				{Kind: "equity", Broker: "GS", Leverage: 1, Asset: "NKY", Funding: "USD"},
			}}}}
		if !cross {
			cfg.Channels.Off = []string{"cross_margin"}
		}
		m, err := Build(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Notes) > 0 {
			t.Fatalf("set-up changed the book: %v", m.Notes)
		}
		return m.Compression()
	}
	on, off := comp(true), comp(false)
	if math.Abs(float64(on.Leverage)/float64(off.Leverage)-1) > 1e-9 || math.Abs(float64(on.Crowding)/float64(off.Crowding)-1) > 1e-9 {
		t.Errorf("same book, cross_margin on: leverage %.4f crowding %.4f; off: leverage %.4f crowding %.4f (want equal: exposures are summed per account, not per agent)",
			float64(on.Leverage), float64(on.Crowding), float64(off.Leverage), float64(off.Crowding))
	}
}

// TestBuildDepthWithoutPassiveDealers: a dealer whose kind is
// switched off "does not count in Depth" (ODD 7.3). Build computed the
// market's depth at its closing pass before it made the switched-off
// kinds passive, so the first tick traded on a depth that still counted a
// passive broker-dealer's stretched balance sheet.
func TestBuildDepthWithoutPassiveDealers(t *testing.T) {
	cfg := smallWorld("USDJPY", "UST10Y", "SPX")
	b := testBroker("GS", 2e9, true) // a thin broker-dealer financing a large book
	b.Dealer.FinancingWeight = 1
	cfg.Brokers = []agents.PrimeBrokerSpec{b}
	cfg.Agents = []AgentSpec{{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "hf", Equity: 5e9,
		Trades: []agents.TradeSpec{{Kind: "equity", Broker: "GS", Leverage: 2, Asset: "SPX"}}}}}
	cfg.Channels.Off = []string{"prime_broker"}
	m, err := Build(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	gs := m.M.Dealers[0]
	if !(gs.G < 1) {
		t.Fatalf("test set-up: the broker-dealer's depth factor is %v, want below 1", gs.G)
	}
	// The only active dealer is the standalone one, with no inventory.
	if m.M.Depth != 1 {
		t.Errorf("depth for tick 0 is %.4f with the only active dealer at g = %.4f: the passive broker-dealer (g = %.4f) is counted", m.M.Depth, m.M.Dealers[1].G, gs.G)
	}
}

// TestNegativeFutureBetaRefused: a future's beta is "its exogenous
// return per unit of its underlying's return (default 1; 0 is refused)".
// A negative beta was taken: the future's calm volatility σ0 = beta·vol
// became negative, which silently switched off what reads σ0 > 0 (the
// square-root law's VolScale, procyclical haircuts); with the square-root
// law Build failed with a market error that named no asset entry ("market:
// asset TY: daily_vol = -0.0034 is out of range"), so the CLI reported it
// at the first line of the base file of extends. Build refuses it as an
// error of assets[k] naming beta.
func TestNegativeFutureBetaRefused(t *testing.T) {
	for _, fn := range []string{"linear", "sqrt"} {
		cfg := smallWorld("UST10Y", "TY")
		cfg.Assets[1].Beta = -1
		if fn == "linear" {
			cfg.Assets[1].Impact = Impact{Function: "linear", Lambda: 1e-10, Permanent: 0.5}
		}
		m, err := Build(cfg, 1)
		switch {
		case err == nil:
			t.Errorf("%s: beta -1 accepted; the future's calm vol is %v", fn, m.W.Est.Calm(1))
		case !strings.HasPrefix(err.Error(), "assets[1] (TY)") || !strings.Contains(err.Error(), "beta"):
			t.Errorf("%s: beta -1 refused as %q, which names neither assets[1] nor beta", fn, err)
		}
	}
}

// TestDriftWithoutNoise: noise.off switches off the random draw, not an
// asset's drift. Over 48 hourly ticks with no agents, no shocks and no
// noise, a bond drifting at 50% a year gains 48·log(1 + 0.5/8760) in log
// price (a tick's return is simple: the price is multiplied by 1 + x), and
// its future (beta 1) the same; an asset with no drift stays where it was.
func TestDriftWithoutNoise(t *testing.T) {
	cfg := smallWorld("UST10Y", "TY", "SPX")
	cfg.Ticks = 48
	cfg.Assets[0].Drift = 0.5
	m, err := Build(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := 48 * math.Log1p(0.5/m.W.PerYear)
	for i, w := range []float64{want, want, 0} {
		got := math.Log(m.W.Price[i] / cfg.Assets[i].Price)
		if math.Abs(got-w) > 1e-12 {
			t.Errorf("%s: log price change %.9g after 48 ticks with noise off, want %.9g (drift 0.5 on UST10Y, which TY follows)", cfg.Assets[i].ID, got, w)
		}
	}
}
