package sim

import (
	"time"

	"github.com/cascade-sim/cascade/agents"
)

func f64(x float64) *float64 { return &x }

// testAssets are the built-in asset IDs with round calm parameters.
func testAssets() []AssetSpec {
	sq := func(y float64) Impact {
		return Impact{Function: "sqrt", Y: y, Permanent: 0.5, HalfLifeDays: 1, FlowHalfLifeDays: 0.5}
	}
	pw := func(y, d float64) Impact {
		return Impact{Function: "sqrt", Y: y, Exponent: d, Permanent: 0.5, HalfLifeDays: 1, FlowHalfLifeDays: 0.5}
	}
	return []AssetSpec{
		{ID: "USDJPY", Kind: "fx", Base: "USD", Currency: "JPY", Price: 150, Vol: 0.10, ADV: 4e11, Impact: sq(1)},
		{ID: "UST10Y", Kind: "bond", Currency: "USD", Price: 100, Vol: 0.065, Yield: 0.042, Duration: 8, ADV: 6e11, Impact: sq(1)},
		{ID: "TY", Kind: "future", Currency: "USD", Price: 110, Underlying: "UST10Y", ADV: 5e11, Impact: sq(1)},
		{ID: "SPX", Kind: "equity", Currency: "USD", Price: 5400, Vol: 0.15, ADV: 1e11, Impact: pw(1, 0.8)},
		{ID: "NKY", Kind: "equity", Currency: "JPY", Price: 38000, Vol: 0.20, ADV: 1e10, Impact: pw(1, 0.8)},
		{ID: "GOLD", Kind: "commodity", Currency: "USD", Price: 2400, Vol: 0.14, ADV: 1e11, Impact: sq(1)},
		{ID: "BTC", Kind: "crypto", Currency: "USD", Price: 65000, Vol: 0.55, ADV: 1e10, Impact: pw(1, 0.8)},
		{ID: "JGB10Y", Kind: "bond", Currency: "JPY", Price: 100, Vol: 0.03, Yield: 0.01, Duration: 9, ADV: 5e10, Impact: sq(1)},
	}
}

// testCorr is a calm correlation matrix for testAssets (TY's row is replaced
// by UST10Y's when the model is built).
func testCorr() [][]float64 {
	ids := []string{"USDJPY", "UST10Y", "TY", "SPX", "NKY", "GOLD", "BTC", "JGB10Y"}
	c := make([][]float64, len(ids))
	for i := range c {
		c[i] = make([]float64, len(ids))
		c[i][i] = 1
	}
	set := func(a, b string, v float64) {
		var i, j int
		for k, id := range ids {
			if id == a {
				i = k
			}
			if id == b {
				j = k
			}
		}
		c[i][j], c[j][i] = v, v
	}
	set("UST10Y", "TY", 0.99)
	set("USDJPY", "NKY", 0.2)
	set("SPX", "NKY", 0.25)
	set("SPX", "BTC", 0.15)
	set("UST10Y", "SPX", -0.2)
	set("TY", "SPX", -0.2)
	set("UST10Y", "GOLD", 0.2)
	set("TY", "GOLD", 0.2)
	set("USDJPY", "UST10Y", -0.2)
	set("USDJPY", "TY", -0.2)
	set("USDJPY", "SPX", 0.05)
	set("BTC", "NKY", 0.05)
	set("JGB10Y", "UST10Y", 0.3)
	set("JGB10Y", "TY", 0.3)
	return c
}

func testBroker(id string, capital float64, dealer bool) agents.PrimeBrokerSpec {
	b := agents.PrimeBrokerSpec{ID: id, Capital: capital, LevLimit: 25,
		Haircuts: map[string]float64{"fx": 0.04, "bond": 0.02, "future": 0.03, "equity": 0.15, "commodity": 0.1, "crypto": 0.5},
		Kappa:    1, VaRZ: 2.33, HorizonDays: 2, Floor: 0.2, HalfLifeDays: 10,
		FastHalfLifeDays: 0.5, StressVolRatio: 2.5, StressJump: 2, StressUtil: 0.95, StressHoldDays: 1,
		SettleDays: 1, Tighten: 3, LiquidationSpeed: 0.5}
	if dealer {
		b.Dealer = &agents.DealerSpec{LevLimit: 4, Share: 1, UStar: 0.5, Floor: 0.2, LayoffDays: 2, FinancingWeight: 0.1}
	}
	return b
}

// testFund is a hedge fund running every trade at GS, cross-margined.
func testFund(id, liquidation string) *agents.HedgeFundSpec {
	return &agents.HedgeFundSpec{ID: id, Equity: 5e9, CarryExit: 0.2, Reentry: 1.5, ReentryDays: 3, Liquidation: liquidation, Participation: 1,
		Trades: []agents.TradeSpec{
			{Kind: "carry", Broker: "GS", Leverage: 2, Asset: "cash", StopLoss: 0.06},
			{Kind: "basis", Broker: "GS", Leverage: 8, Asset: "UST10Y", Future: "TY"},
			{Kind: "equity", Broker: "GS", Leverage: 1.5, Asset: "SPX"},
			{Kind: "equity", Broker: "GS", Leverage: 0.25, Asset: "NKY"},
			{Kind: "equity", Broker: "GS", Leverage: 0.15, Asset: "BTC"},
		}}
}

// testWorld is a world holding every agent kind: prime brokers (two of them
// dealing), a dealer, two populations of cross-margined hedge funds running
// carry, basis and equity trades (one liquidating most-liquid-first, one
// pro-rata), a macro fund and a crypto fund at other brokers, Japanese
// insurers, CTAs, risk parity, vol control, value investors, a
// Cont–Schaanning bank and central-bank rules. funds is the size of each
// hedge-fund population.
func testWorld(funds int) *Config {
	vary := []Vary{
		{Field: "carry_exit", Dist: Dist{Kind: "uniform", Min: f64(0.15), Max: f64(0.35)}},
		{Field: "trades.1.leverage", Dist: Dist{Kind: "triangular", Min: f64(4), Mode: 8, Max: f64(12)}},
	}
	return &Config{
		Name: "testworld", Start: time.Date(2024, 7, 29, 0, 0, 0, 0, time.UTC), Tick: time.Hour, Ticks: 240, Seed: 7,
		Assets: testAssets(), Correlation: testCorr(),
		Trends: map[string]float64{"SPX": 1.2, "NKY": 1.0, "USDJPY": 1.0},
		Rates:  map[string]RateSpec{"USD": {Policy: 0.053, Expected: 0.048}, "JPY": {Policy: 0.001, Expected: 0.003}},
		Funding: FundingSpec{RepoSpread: 0.001, RepoSlope: 0.02, OtherSpread: 0.002, OtherSlope: 0.01, Basis: -0.003,
			BasisSlope: 0.02, UStar: 0.5, FacilityCap: 0.002, FacilityCapacity: 0.5},
		Brokers: []agents.PrimeBrokerSpec{testBroker("GS", 2.5e11, true), testBroker("MS", 1e11, true), testBroker("JPM", 1.5e11, false)},
		Dealers: []agents.DealerSpec{{ID: "dealers", Capital: 5e10, LevLimit: 10, Share: 2, UStar: 0.5, Floor: 0.2, LayoffDays: 3}},
		Agents: []AgentSpec{
			{Kind: "hedge_fund", Count: funds, Vary: vary, HedgeFund: testFund("hf", "most_liquid_first")},
			{Kind: "hedge_fund", Count: funds, Vary: vary, HedgeFund: testFund("pr", "pro_rata")},
			{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "macro-jp", Equity: 8e9, Liquidation: "pro_rata", CarryExit: 0.15,
				Trades: []agents.TradeSpec{
					{Kind: "carry", Broker: "JPM", Leverage: 2, Asset: "UST10Y"},
					{Kind: "equity", Broker: "JPM", Leverage: 0.5, Asset: "NKY"},
					{Kind: "equity", Broker: "JPM", Leverage: 0.3, Asset: "NKY", Funding: "USD"},
					{Kind: "equity", Broker: "MS", Leverage: 0.2, Asset: "BTC"},
				}}},
			{Kind: "hedge_fund", HedgeFund: &agents.HedgeFundSpec{ID: "crypto-fund", Equity: 2e9,
				Trades: []agents.TradeSpec{{Kind: "equity", Broker: "MS", Leverage: 3, Asset: "BTC"}}}},
			{Kind: "insurer", Count: 2, Vary: []Vary{{Field: "trigger", Dist: Dist{Kind: "uniform", Min: f64(143), Max: f64(147)}}},
				Insurer: &agents.InsurerSpec{ID: "lifer", Equity: 2e10, Foreign: "UST10Y", ForeignValue: 1.5e11, Domestic: "JGB10Y",
					DomesticValue: 2e11, HedgeRatio: 0.44, MaxHedge: 0.7, HedgeSpeed: 0.05, Repatriate: 0.02, Sensitivity: 2, AllocSpeed: 0.002}},
			{Kind: "cta", Count: 3, CTA: &agents.CTASpec{ID: "cta", Equity: 1e10, Broker: "MS", Assets: []string{"SPX", "NKY", "USDJPY", "UST10Y", "GOLD", "BTC"},
				LookbackDays: []float64{30, 90}, TargetVol: 0.1, MaxLeverage: 4}},
			{Kind: "risk_parity", RiskParity: &agents.RiskParitySpec{ID: "rp", Equity: 2e10, Broker: "JPM", Assets: []string{"SPX", "UST10Y", "GOLD"}}},
			{Kind: "vol_control", VolControl: &agents.VolControlSpec{ID: "vc-spx", Equity: 1.5e10, Broker: "MS", Asset: "SPX"}},
			{Kind: "vol_control", VolControl: &agents.VolControlSpec{ID: "vc-nky", Equity: 5e9, Broker: "MS", Asset: "NKY"}},
			{Kind: "value_investor", Value: &agents.ValueInvestorSpec{ID: "value", Equity: 2e10, Assets: []string{"SPX", "NKY", "BTC"}}},
			{Kind: "bank", Bank: &agents.BankSpec{ID: "bank", Equity: 4e9, Holdings: map[string]float64{"UST10Y": 5e10, "GOLD": 1e10, "SPX": 1e10},
				MinRatio: 0.03, BufferRatio: 0.04, TargetRatio: 0.05}},
			{Kind: "central_bank", CentralBank: &agents.CentralBankSpec{ID: "boj", Rule: "accommodation", Asset: "NKY", Drawdown: 0.08, Currency: "JPY", Delta: -0.0025}},
			{Kind: "central_bank", CentralBank: &agents.CentralBankSpec{ID: "fed", Rule: "facility", Trigger: 0.004}},
			{Kind: "central_bank", CentralBank: &agents.CentralBankSpec{ID: "mof", Rule: "fx_intervention", Asset: "USDJPY", Trigger: 158, Amount: 2e10, CooldownDays: 2}},
		},
		Report: ReportSpec{CorrelationAssets: []string{"USDJPY", "SPX", "NKY", "BTC"}, Headline: "NKY", CorrelationWindow: 48},
	}
}

// bojEvents is the trigger of the compression tests: a 25bp BOJ hike with
// hawkish guidance at tick 48, and the yen's announcement move.
func bojEvents() []EventSpec {
	return []EventSpec{
		{Tick: 48, Kind: "policy_rate", Currency: "JPY", Rate: 0.0035, Label: "BOJ +25bp"},
		{Tick: 48, Kind: "guidance", Currency: "JPY", Delta: 0.005, Label: "hawkish guidance", Shocks: map[string]float64{"USDJPY": -0.015}},
	}
}

// unwindEvents is a BOJ hike with hawkish guidance and a yen shock at tick
// 48, then a US shock at 60: a carry unwind.
func unwindEvents() []EventSpec {
	return []EventSpec{
		{Tick: 48, Kind: "policy_rate", Currency: "JPY", Rate: 0.0025, Label: "BOJ hike"},
		{Tick: 48, Kind: "guidance", Currency: "JPY", Delta: 0.005, Label: "hawkish guidance", Shocks: map[string]float64{"USDJPY": -0.02}},
		{Tick: 60, Kind: "shock", Label: "payrolls", Shocks: map[string]float64{"SPX": -0.015, "UST10Y": 0.004}},
		{Tick: 72, Kind: "haircut", Broker: "MS", Assets: []string{"SPX"}, Multiplier: 1.2},
		{Tick: 90, Kind: "volatility", Multiplier: 2, HalfLifeDays: 1},
		{Tick: 30, Kind: "shock", Label: "crypto crash", Shocks: map[string]float64{"BTC": -0.45}},
		{Tick: 120, Kind: "fx_intervention", Amount: 1e10},
		{Tick: 130, Kind: "facility", On: true},
		{Tick: 150, Kind: "accommodation", Currency: "JPY", Delta: -0.004},
	}
}
