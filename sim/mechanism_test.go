package sim

import (
	"context"
	"maps"
	"math"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
)

// probe is an Observer that calls fn after every tick.
type probe struct {
	m  *Model
	fn func(m *Model, f *Frame)
}

func (p *probe) Begin(m *Model) error   { p.m = m; return nil }
func (p *probe) End(*Model) error       { return nil }
func (p *probe) Observe(f *Frame) error { p.fn(p.m, f); return nil }

func run(t *testing.T, cfg *Config, fn func(m *Model, f *Frame)) *Model {
	t.Helper()
	m, err := Build(cfg, core.RunSeed(cfg.Seed, 0))
	if err != nil {
		t.Fatal(err)
	}
	NewAudit(m, 1e-9)
	if err := m.Run(context.Background(), &probe{fn: fn}); err != nil {
		t.Fatal(err)
	}
	return m
}

func holder(m *Model, id string) *core.Holder {
	for _, h := range m.W.Holders {
		if h.ID == id {
			return h
		}
	}
	panic("no holder " + id)
}

// smallWorld is a noise-free world of the given built-in assets with one dealer.
func smallWorld(ids ...string) *Config {
	cfg := &Config{Name: "small", Start: time.Date(2024, 7, 29, 0, 0, 0, 0, time.UTC), Ticks: 12, Noise: NoiseSpec{Off: true},
		Rates:   map[string]RateSpec{"USD": {Policy: 0.05, Expected: 0.05}, "JPY": {Policy: 0.001, Expected: 0.001}},
		Dealers: []agents.DealerSpec{{ID: "dealer", Capital: 1e11, LevLimit: 20, Share: 1, UStar: 0.5, Floor: 0.2}}}
	all := testAssets()
	jpy := false
	for _, id := range ids {
		for _, a := range all {
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

// TestCrossMarginOffsetsDropped: a fund holding carry and basis at one broker,
// hit by a yen move, sells cash Treasuries in the same tick once the broker
// drops the cross-margin offsets; with the trades at two brokers (no shared
// collateral) it sells strictly fewer.
func TestCrossMarginOffsetsDropped(t *testing.T) {
	sold := func(carryAt string) (ust float64, stressed bool) {
		cfg := smallWorld("USDJPY", "UST10Y", "TY")
		cfg.Brokers = []agents.PrimeBrokerSpec{testBroker("A", 5e10, false), testBroker("B", 5e10, false)}
		cfg.Agents = []AgentSpec{{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "fund", Equity: 1e9,
			Trades: []agents.TradeSpec{
				{Kind: "carry", Broker: carryAt, Leverage: 3, Asset: "cash"},
				{Kind: "basis", Broker: "A", Leverage: 20, Asset: "UST10Y", Future: "TY"},
			}}}}
		cfg.Events = []EventSpec{{Tick: 5, Kind: "shock", Shocks: map[string]float64{"USDJPY": -0.03}}}
		run(t, cfg, func(m *Model, f *Frame) {
			if f.Tick == 5 {
				ust = f.SoldAsset[1]
				for _, e := range f.Events {
					if e.Kind == core.EvStress && e.Agent == "A" {
						stressed = true
					}
				}
			}
			if f.Tick < 5 && f.SoldAsset[1] != 0 {
				t.Errorf("carry at %s: Treasuries sold at tick %d before the yen move", carryAt, f.Tick)
			}
		})
		return ust, stressed
	}
	shared, stressA := sold("A")
	split, stressSplit := sold("B")
	t.Logf("cash Treasuries sold in the tick of the yen move: shared collateral $%.3gbn, separate brokers $%.3gbn", shared/1e9, split/1e9)
	if !stressA {
		t.Error("broker A did not drop its offsets on the yen move")
	}
	if stressSplit {
		t.Error("broker A (basis only) dropped its offsets though the yen is not in its book")
	}
	if !(shared > 0) {
		t.Fatal("no Treasuries sold with shared collateral")
	}
	if !(split < shared) {
		t.Errorf("separate brokers sold %.4g, not fewer than shared collateral %.4g", split, shared)
	}
}

// TestCrossMarginPerBrokerAndFund: cross-margining switched off for one
// broker (its cross_margin: false) or for one fund (the fund's) does at that
// broker what the world-wide channel does: the fund's carry and basis
// trades sit in two accounts, so the yen move calls only the carry
// account and the fund sells strictly fewer cash Treasuries in its tick
// than with shared collateral, exactly as many as with the channel off.
func TestCrossMarginPerBrokerAndFund(t *testing.T) {
	no := false
	sold := func(broker, fund *bool, off ...string) (ust float64, accounts int) {
		cfg := smallWorld("USDJPY", "UST10Y", "TY")
		a := testBroker("A", 5e10, false)
		a.CrossMargin = broker
		cfg.Brokers = []agents.PrimeBrokerSpec{a}
		cfg.Agents = []AgentSpec{{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "fund", Equity: 1e9, CrossMargin: fund,
			Trades: []agents.TradeSpec{
				{Kind: "carry", Broker: "A", Leverage: 3, Asset: "cash"},
				{Kind: "basis", Broker: "A", Leverage: 20, Asset: "UST10Y", Future: "TY"},
			}}}}
		cfg.Channels.Off = off
		cfg.Events = []EventSpec{{Tick: 5, Kind: "shock", Shocks: map[string]float64{"USDJPY": -0.03}}}
		m := run(t, cfg, func(m *Model, f *Frame) {
			if f.Tick == 5 {
				ust = f.SoldAsset[1]
			}
		})
		return ust, len(holder(m, "fund").Accounts) - 1 // less custody
	}
	shared, n := sold(nil, nil)
	if n != 1 {
		t.Fatalf("cross-margined fund holds %d accounts at A, want 1", n)
	}
	if !(shared > 0) {
		t.Fatal("no Treasuries sold with shared collateral")
	}
	world, _ := sold(nil, nil, "cross_margin")
	for _, c := range []struct {
		name         string
		broker, fund *bool
	}{
		{"broker cross_margin: false", &no, nil},
		{"fund cross_margin: false", nil, &no},
	} {
		ust, n := sold(c.broker, c.fund)
		t.Logf("%s: cash Treasuries sold in the tick of the yen move $%.4gbn, against $%.4gbn shared", c.name, ust/1e9, shared/1e9)
		if n != 2 {
			t.Errorf("%s: the fund holds %d accounts at A, want 2 (one per trade)", c.name, n)
		}
		if !(ust < shared) {
			t.Errorf("%s: sold %.6g Treasuries, not fewer than shared collateral's %.6g", c.name, ust, shared)
		}
		if ust != world {
			t.Errorf("%s: sold %.6g Treasuries, the channel off %.6g", c.name, ust, world)
		}
	}
}

// TestCrossMarginWhoIsSegregated: a broker's cross_margin: false
// segregates the trades of its own clients only (a client of another
// broker still shares one account there), a fund's segregates that fund's
// only, and the channel off segregates every trade whatever the fields say.
func TestCrossMarginWhoIsSegregated(t *testing.T) {
	yes, no := true, false
	for _, c := range []struct {
		name           string
		brokerA, fundA *bool
		off            []string
		wantA, wantB   int // accounts (less custody) of the fund at A and the fund at B
	}{
		{"default", nil, nil, nil, 1, 1},
		{"broker A off", &no, nil, nil, 2, 1},
		{"fund at A off", nil, &no, nil, 2, 1},
		{"broker A and fund at A on", &yes, &yes, nil, 1, 1},
		{"channel off wins", &yes, &yes, []string{"cross_margin"}, 2, 2},
	} {
		cfg := smallWorld("USDJPY", "UST10Y", "TY")
		a, b := testBroker("A", 5e10, false), testBroker("B", 5e10, false)
		a.CrossMargin = c.brokerA
		cfg.Brokers = []agents.PrimeBrokerSpec{a, b}
		fund := func(id, broker string, cm *bool) AgentSpec {
			return AgentSpec{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: id, Equity: 1e9, CrossMargin: cm,
				Trades: []agents.TradeSpec{
					{Kind: "carry", Broker: broker, Leverage: 3, Asset: "cash"},
					{Kind: "basis", Broker: broker, Leverage: 20, Asset: "UST10Y", Future: "TY"},
				}}}
		}
		cfg.Agents = []AgentSpec{fund("fa", "A", c.fundA), fund("fb", "B", nil)}
		cfg.Channels.Off = c.off
		m, err := Build(cfg, core.RunSeed(cfg.Seed, 0))
		if err != nil {
			t.Fatal(err)
		}
		gotA, gotB := len(holder(m, "fa").Accounts)-1, len(holder(m, "fb").Accounts)-1
		if gotA != c.wantA || gotB != c.wantB {
			t.Errorf("%s: accounts at A %d and at B %d, want %d and %d", c.name, gotA, gotB, c.wantA, c.wantB)
		}
	}
}

// TestDefaultTightensOtherClients: a client default at broker X raises the
// margin required of another client of X that holds none of the
// defaulter's assets; with the broker-capital channel off it does not. The
// broker keeps its offsets in both runs (offset_drop off), so the only link
// between the two clients is the broker's capital.
func TestDefaultTightensOtherClients(t *testing.T) {
	reqs := func(off ...string) (before, after float64, defaulted bool) {
		cfg := cryptoDefaultWorld(8)
		cfg.Channels.Off = append(cfg.Channels.Off, off...)
		m := run(t, cfg, func(m *Model, f *Frame) {
			acc := &holder(m, "equity").Accounts[1]
			switch f.Tick {
			case 2:
				before = acc.Req
			case 6:
				after = acc.Req
				defaulted = holder(m, "crypto").Defaulted
			}
		})
		if m.W.Price[0] != 5400 {
			t.Fatalf("SPX moved to %v: the comparison needs it unchanged", m.W.Price[0])
		}
		return
	}
	b, a, d := reqs()
	t.Logf("margin required of the equity client: %.4g before the default, %.4g after", b, a)
	if !d {
		t.Fatal("the crypto fund did not default")
	}
	if !(a > b*1.01) {
		t.Errorf("requirement %.4g after the default is not above %.4g before", a, b)
	}
	b, a, _ = reqs("broker_capital")
	if math.Abs(a-b) > 1e-9*b {
		t.Errorf("broker_capital off: requirement moved from %.6g to %.6g", b, a)
	}
}

// cryptoDefaultWorld: two funds at broker X, one 3× long BTC, one 1.5× long
// SPX, and a 50% fall of BTC at tick 3 that makes the first default;
// offsets are never dropped.
func cryptoDefaultWorld(ticks int) *Config {
	cfg := smallWorld("SPX", "BTC")
	cfg.Ticks = ticks
	cfg.Channels.Off = []string{"offset_drop"}
	cfg.Brokers = []agents.PrimeBrokerSpec{testBroker("X", 2e9, false)}
	cfg.Agents = []AgentSpec{
		{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "crypto", Equity: 1e9,
			Trades: []agents.TradeSpec{{Kind: "equity", Broker: "X", Leverage: 3, Asset: "BTC"}}}},
		{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "equity", Equity: 1e9,
			Trades: []agents.TradeSpec{{Kind: "equity", Broker: "X", Leverage: 1.5, Asset: "SPX"}}}},
	}
	cfg.Events = []EventSpec{{Tick: 3, Kind: "shock", Shocks: map[string]float64{"BTC": -0.5}}}
	return cfg
}

// TestSeizedTradesCountUnwound: when a broker seizes a defaulted fund's
// account, its trades count as unwound (they have left the fund) though the
// fund never traded out of them.
func TestSeizedTradesCountUnwound(t *testing.T) {
	cfg := cryptoDefaultWorld(6)
	var before, after float64
	m := run(t, cfg, func(m *Model, f *Frame) {
		switch f.Tick {
		case 2:
			before = m.Unwound()[core.EquityTrade]
		case 5:
			after = m.Unwound()[core.EquityTrade]
		}
	})
	if !holder(m, "crypto").Defaulted {
		t.Fatal("the crypto fund did not default")
	}
	// 3bn of BTC of 4.5bn of equity trades has left the funds.
	if before != 0 || math.Abs(after-2.0/3) > 1e-9 {
		t.Errorf("unwound share %v before the default and %v after, want 0 and 2/3", before, after)
	}
}

// TestUnwoundLongs: the share of directional longs (trade kind equity)
// unwound is split by the kind of asset held, from the same notionals:
// when the crypto fund's 3bn BTC long is seized, the crypto longs are all
// unwound, the 1.5bn SPX long not at all, and unwound_pct.equity, the two
// together, is 2/3; the summary carries the split by asset kind, which
// before was only the one "equity" share, Treasuries, gold and bitcoin
// included.
func TestUnwoundLongs(t *testing.T) {
	cfg := cryptoDefaultWorld(6)
	m := run(t, cfg, func(*Model, *Frame) {})
	longs, held := m.UnwoundLongs()
	for k := core.AssetKind(0); k < core.NumAssetKinds; k++ {
		want, has := 0.0, k == core.Crypto || k == core.Equity
		if k == core.Crypto {
			want = 1
		}
		if held[k] != has || math.Abs(longs[k]-want) > 1e-12 {
			t.Errorf("%s longs: held %v, unwound %v; want held %v, unwound %v", k, held[k], longs[k], has, want)
		}
	}
	if u := m.Unwound()[core.EquityTrade]; math.Abs(u-(3*longs[core.Crypto]+1.5*longs[core.Equity])/4.5) > 1e-12 {
		t.Errorf("equity trades unwound %v, not the notional-weighted mean of the split %v", u, longs)
	}
	s, err := RunSummary(context.Background(), cryptoDefaultWorld(6), 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]Num{"crypto": 100, "equity": 0}; !maps.Equal(s.UnwoundLongPct, want) || math.Abs(float64(s.UnwoundPct["equity"])-200.0/3) > 1e-9 {
		t.Errorf("summary: unwound_pct %v, unwound_long_pct %v; want equity 66.67 and %v", s.UnwoundPct, s.UnwoundLongPct, want)
	}
}

// TestBasisWidens: selling cash Treasuries while buying back futures widens
// the cash-futures basis.
func TestBasisWidens(t *testing.T) {
	cfg := smallWorld("UST10Y", "TY")
	cfg.Brokers = []agents.PrimeBrokerSpec{testBroker("X", 5e10, false)}
	cfg.Agents = []AgentSpec{{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "basis", Equity: 5e9, Cushion: 1.2,
		Trades: []agents.TradeSpec{{Kind: "basis", Broker: "X", Leverage: 20, Asset: "UST10Y", Future: "TY"}}}}}
	cfg.Events = []EventSpec{{Tick: 3, Kind: "haircut", Multiplier: 10}}
	var basis []float64
	m := run(t, cfg, func(m *Model, f *Frame) {
		basis = append(basis, 1e4*(math.Log(f.Price[1]/110)-math.Log(f.Price[0]/100)))
	})
	t.Logf("basis (futures over cash, bp): %.2f before, %.2f after the unwind", basis[2], basis[3])
	if basis[2] != 0 {
		t.Errorf("basis moved before any trade: %v bp", basis[2])
	}
	if !(basis[3] > 1) {
		t.Errorf("basis did not widen on the unwind: %.3f bp", basis[3])
	}
	if !(m.W.Price[0] < 100 && m.W.Price[1] > 110) {
		t.Errorf("cash %.4f should be below 100 and futures %.4f above 110", m.W.Price[0], m.W.Price[1])
	}
}

// TestInsurerRepatriates: a yen appreciation past its threshold makes the
// insurer sell Treasuries and USDJPY (raising its hedge, bringing money
// home). Its sales by reason add up to its sales by asset: the hedging up
// is insurer_hedge (dollars only), the Treasuries and the proceeds brought
// home insurer_repatriation.
func TestInsurerRepatriates(t *testing.T) {
	cfg := smallWorld("USDJPY", "UST10Y", "JGB10Y")
	cfg.Agents = []AgentSpec{{Kind: "insurer", Insurer: &agents.InsurerSpec{ID: "lifer", Equity: 2e10, Foreign: "UST10Y",
		ForeignValue: 1e11, Domestic: "JGB10Y", DomesticValue: 1e11, HedgeRatio: 0.44, MaxHedge: 0.8, HedgeSpeed: 0.1,
		Trigger: 145, Repatriate: 0.05}}}
	cfg.Events = []EventSpec{{Tick: 4, Kind: "shock", Shocks: map[string]float64{"USDJPY": -0.04}}}
	var ust, hedge []float64
	var usdSold, ustSold, hedgeUp, repat float64
	m := run(t, cfg, func(m *Model, f *Frame) {
		hedgeUp += f.Sold[core.Insurer][core.InsurerHedge]
		repat += f.Sold[core.Insurer][core.Repatriation]
		ustSold += f.SoldAsset[1]
		h := holder(m, "lifer")
		ust = append(ust, h.Accounts[0].Units[1])
		hedge = append(hedge, -h.Cash[core.USD])
		if f.Tick < 4 && f.SoldAsset[0]+f.SoldAsset[1] != 0 {
			t.Errorf("insurer traded at tick %d before the trigger", f.Tick)
		}
		usdSold += f.SoldAsset[0]
	})
	_ = m
	t.Logf("UST units %.4g -> %.4g; USD hedge %.4g -> %.4g; USDJPY sold $%.3gbn", ust[3], ust[len(ust)-1], hedge[3], hedge[len(hedge)-1], usdSold/1e9)
	if !(ust[len(ust)-1] < ust[3]) {
		t.Error("insurer did not sell Treasuries")
	}
	if !(usdSold > 0 && hedge[len(hedge)-1] > hedge[3]) {
		t.Error("insurer did not sell USDJPY")
	}
	t.Logf("sold for insurer_hedge $%.4gbn, insurer_repatriation $%.4gbn; Treasuries $%.4gbn", hedgeUp/1e9, repat/1e9, ustSold/1e9)
	if !(hedgeUp > 0 && repat > ustSold) {
		t.Errorf("insurer_hedge $%.4g, insurer_repatriation $%.4g with $%.4g of Treasuries: want both reasons to sell", hedgeUp, repat, ustSold)
	}
	if d := hedgeUp + repat - usdSold - ustSold; math.Abs(d) > 1e-6*(usdSold+ustSold) {
		t.Errorf("sales by reason $%.6g, by asset $%.6g", hedgeUp+repat, usdSold+ustSold)
	}
}

// trendShocks returns one shock per tick: +r for up ticks, then -r.
func trendShocks(id string, up, down int, r float64) []EventSpec {
	var ev []EventSpec
	for k := 0; k < up+down; k++ {
		x := r
		if k >= up {
			x = -r
		}
		ev = append(ev, EventSpec{Tick: k, Kind: "shock", Shocks: map[string]float64{id: x}})
	}
	return ev
}

// TestCTAReversal: after a trend reversal the CTA's position changes sign
// within its lookback.
func TestCTAReversal(t *testing.T) {
	const lookback = 10 // days
	up := 480
	cfg := smallWorld("SPX")
	cfg.Ticks = up + 24*lookback
	cfg.Brokers = []agents.PrimeBrokerSpec{testBroker("X", 5e10, false)}
	cfg.Agents = []AgentSpec{{Kind: "cta", CTA: &agents.CTASpec{ID: "cta", Equity: 1e9, Broker: "X", Assets: []string{"SPX"},
		LookbackDays: []float64{lookback}, Speed: 0.5}}}
	cfg.Events = trendShocks("SPX", up, cfg.Ticks-up, 0.001)
	var pos []float64
	run(t, cfg, func(m *Model, f *Frame) { pos = append(pos, holder(m, "cta").Accounts[1].Units[0]) })
	if !(pos[up-1] > 0) {
		t.Fatalf("CTA not long after %d ticks of uptrend: %v", up, pos[up-1])
	}
	flip := -1
	for k := up; k < len(pos); k++ {
		if pos[k] < 0 {
			flip = k - up
			break
		}
	}
	t.Logf("position %.4g units at the reversal; short %d ticks (%.1f days) later", pos[up-1], flip, float64(flip)/24)
	if flip < 0 || flip > 24*lookback {
		t.Errorf("position did not change sign within the %d-day lookback", lookback)
	}
}

// TestRiskParityCutsBothLegs: when the stock-bond correlation turns
// positive, risk parity cuts both legs.
func TestRiskParityCutsBothLegs(t *testing.T) {
	cfg := smallWorld("SPX", "UST10Y")
	cfg.Ticks = 24 * 6
	cfg.Correlation = [][]float64{{1, -0.4}, {-0.4, 1}}
	cfg.Brokers = []agents.PrimeBrokerSpec{testBroker("X", 5e10, false)}
	cfg.Agents = []AgentSpec{{Kind: "risk_parity", RiskParity: &agents.RiskParitySpec{ID: "rp", Equity: 1e9, Broker: "X",
		Assets: []string{"SPX", "UST10Y"}, Speed: 1, HalfLifeDays: 1}}}
	// Stocks and bonds move together, each by its calm hourly volatility.
	per := math.Sqrt(24 * 365)
	for k := 0; k < cfg.Ticks; k++ {
		s := 1.0
		if k%2 == 1 {
			s = -1
		}
		cfg.Events = append(cfg.Events, EventSpec{Tick: k, Kind: "shock", Shocks: map[string]float64{"SPX": s * 0.15 / per, "UST10Y": s * 0.065 / per}})
	}
	var eq0, bd0, eq1, bd1, corr float64
	var rp *agents.RiskParity
	m := run(t, cfg, func(m *Model, f *Frame) {
		h := holder(m, "rp")
		if f.Tick == 0 {
			eq0, bd0 = h.Accounts[1].Units[0], h.Accounts[1].Units[1]
		}
		eq1, bd1 = h.Accounts[1].Units[0], h.Accounts[1].Units[1]
	})
	for _, a := range m.Agents {
		if r, ok := a.(*agents.RiskParity); ok {
			rp = r
		}
	}
	corr = m.W.Est.EWMA(24).Corr(0, 1)
	t.Logf("stock-bond correlation now %.2f; leverage %.2f; SPX units %.4g -> %.4g, UST units %.4g -> %.4g", corr, rp.Leverage, eq0, eq1, bd0, bd1)
	if !(corr > 0.5) {
		t.Fatalf("estimated correlation %.2f did not turn positive", corr)
	}
	if !(eq1 < 0.9*eq0 && bd1 < 0.9*bd0) {
		t.Errorf("risk parity did not cut both legs by 10%%: SPX %.4g -> %.4g, UST %.4g -> %.4g", eq0, eq1, bd0, bd1)
	}
}
