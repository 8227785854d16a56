package agents_test

import (
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/sim"
)

// TestBuildErrors: every kind of agent rejects an inconsistent spec with an
// error naming the agent, and a good spec of each kind builds.
func TestBuildErrors(t *testing.T) {
	hf := func(f func(*agents.HedgeFundSpec)) sim.AgentSpec {
		s := &agents.HedgeFundSpec{ID: "zq9", Equity: 1e9, Trades: []agents.TradeSpec{{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "SPX"}}}
		f(s)
		return sim.AgentSpec{Kind: "hedge_fund", HedgeFund: s}
	}
	trade := func(tr agents.TradeSpec) sim.AgentSpec {
		return hf(func(s *agents.HedgeFundSpec) { s.Trades = []agents.TradeSpec{tr} })
	}
	ins := func(f func(*agents.InsurerSpec)) sim.AgentSpec {
		s := &agents.InsurerSpec{ID: "zq9", Equity: 1e9, Foreign: "UST10Y", ForeignValue: 1e9, HedgeRatio: 0.5}
		f(s)
		return sim.AgentSpec{Kind: "insurer", Insurer: s}
	}
	cta := func(f func(*agents.CTASpec)) sim.AgentSpec {
		s := &agents.CTASpec{ID: "zq9", Equity: 1e9, Broker: "PB", Assets: []string{"SPX"}}
		f(s)
		return sim.AgentSpec{Kind: "cta", CTA: s}
	}
	bank := func(f func(*agents.BankSpec)) sim.AgentSpec {
		s := &agents.BankSpec{ID: "zq9", Equity: 1e9, Holdings: map[string]float64{"SPX": 1e10}, MinRatio: 0.03, BufferRatio: 0.04, TargetRatio: 0.05}
		f(s)
		return sim.AgentSpec{Kind: "bank", Bank: s}
	}
	cb := func(s agents.CentralBankSpec) sim.AgentSpec {
		s.ID = "zq9"
		return sim.AgentSpec{Kind: "central_bank", CentralBank: &s}
	}
	good := []sim.AgentSpec{
		hf(func(*agents.HedgeFundSpec) {}),
		ins(func(*agents.InsurerSpec) {}),
		cta(func(*agents.CTASpec) {}),
		{Kind: "risk_parity", RiskParity: &agents.RiskParitySpec{ID: "zq9", Equity: 1e9, Broker: "PB", Assets: []string{"SPX", "UST10Y"}}},
		{Kind: "vol_control", VolControl: &agents.VolControlSpec{ID: "zq9", Equity: 1e9, Broker: "PB", Asset: "SPX"}},
		{Kind: "value_investor", Value: &agents.ValueInvestorSpec{ID: "zq9", Equity: 1e9, Assets: []string{"SPX"}}},
		bank(func(*agents.BankSpec) {}),
		cb(agents.CentralBankSpec{Rule: "facility", Trigger: 0.01}),
	}
	bad := map[string]sim.AgentSpec{
		"fund without equity":       hf(func(s *agents.HedgeFundSpec) { s.Equity = 0 }),
		"unknown liquidation rule":  hf(func(s *agents.HedgeFundSpec) { s.Liquidation = "fifo" }),
		"unknown broker":            trade(agents.TradeSpec{Kind: "equity", Broker: "ZZ", Leverage: 1, Asset: "SPX"}),
		"unknown trade kind":        trade(agents.TradeSpec{Kind: "momentum", Broker: "PB", Leverage: 1, Asset: "SPX"}),
		"zero leverage":             trade(agents.TradeSpec{Kind: "equity", Broker: "PB", Leverage: 0, Asset: "SPX"}),
		"carry funded in dollars":   trade(agents.TradeSpec{Kind: "carry", Broker: "PB", Leverage: 1, Funding: "USD"}),
		"carry into a yen asset":    trade(agents.TradeSpec{Kind: "carry", Broker: "PB", Leverage: 1, Asset: "NKY"}),
		"basis without a future":    trade(agents.TradeSpec{Kind: "basis", Broker: "PB", Leverage: 1, Asset: "UST10Y", Future: "SPX"}),
		"equity trade in loans":     trade(agents.TradeSpec{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "LOANS"}),
		"unknown asset":             trade(agents.TradeSpec{Kind: "equity", Broker: "PB", Leverage: 1, Asset: "FTSE"}),
		"hedge ratio above 1":       ins(func(s *agents.InsurerSpec) { s.HedgeRatio = 1.2 }),
		"foreign bond in yen":       ins(func(s *agents.InsurerSpec) { s.Foreign = "JGB10Y" }),
		"insurer home currency USD": ins(func(s *agents.InsurerSpec) { s.Currency = "USD" }),
		"cta without assets":        cta(func(s *agents.CTASpec) { s.Assets = nil }),
		"cta trading loans":         cta(func(s *agents.CTASpec) { s.Assets = []string{"LOANS"} }),
		"negative lookback":         cta(func(s *agents.CTASpec) { s.LookbackDays = []float64{-1} }),
		"speed above 1":             cta(func(s *agents.CTASpec) { s.Speed = 2 }),
		"cta at no broker":          cta(func(s *agents.CTASpec) { s.Broker = "ZZ" }),
		"one sleeve":                {Kind: "risk_parity", RiskParity: &agents.RiskParitySpec{ID: "zq9", Equity: 1e9, Broker: "PB", Assets: []string{"SPX"}}},
		"vol control without money": {Kind: "vol_control", VolControl: &agents.VolControlSpec{ID: "zq9", Broker: "PB", Asset: "SPX"}},
		"value investor in FX":      {Kind: "value_investor", Value: &agents.ValueInvestorSpec{ID: "zq9", Equity: 1e9, Assets: []string{"USDJPY"}}},
		"value investor in futures": {Kind: "value_investor", Value: &agents.ValueInvestorSpec{ID: "zq9", Equity: 1e9, Assets: []string{"TY"}}},
		"minimum above buffer":      bank(func(s *agents.BankSpec) { s.MinRatio = 0.045 }),
		"target below buffer":       bank(func(s *agents.BankSpec) { s.TargetRatio = 0.035 }),
		"unknown bank mode":         bank(func(s *agents.BankSpec) { s.Mode = "panic" }),
		"unknown sales rule":        bank(func(s *agents.BankSpec) { s.Sales = "fifo" }),
		"bank holding futures":      bank(func(s *agents.BankSpec) { s.Holdings = map[string]float64{"TY": 1e9} }),
		"negative weight":           bank(func(s *agents.BankSpec) { s.Sales, s.Weights = "weights", map[string]float64{"SPX": -1} }),
		"unknown rule":              cb(agents.CentralBankSpec{Rule: "qe"}),
		"drawdown of 100%":          cb(agents.CentralBankSpec{Rule: "accommodation", Asset: "NKY", Currency: "JPY", Drawdown: 1}),
		"facility without trigger":  cb(agents.CentralBankSpec{Rule: "facility"}),
		"intervention in equities":  cb(agents.CentralBankSpec{Rule: "fx_intervention", Asset: "SPX", Trigger: 1, Amount: 1}),
		"intervention of nothing":   cb(agents.CentralBankSpec{Rule: "fx_intervention", Asset: "USDJPY", Trigger: 160}),
		"purchase of nothing":       cb(agents.CentralBankSpec{Rule: "asset_purchase", Asset: "UST10Y", Drawdown: 0.05}),
		"purchase without drawdown": cb(agents.CentralBankSpec{Rule: "asset_purchase", Asset: "UST10Y", Amount: 1e9}),
		"purchase of loans":         cb(agents.CentralBankSpec{Rule: "asset_purchase", Asset: "LOANS", Drawdown: 0.05, Amount: 1e9}),
	}
	base := func() *sim.Config {
		cfg := config("USDJPY", "UST10Y", "TY", "SPX", "NKY", "JGB10Y", "LOANS")
		cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
		return cfg
	}
	for k, a := range good {
		cfg := base()
		cfg.Agents = []sim.AgentSpec{a}
		if _, err := sim.Build(cfg, 1); err != nil {
			t.Errorf("good spec %d (%s): %v", k, a.Kind, err)
		}
	}
	for name, a := range bad {
		cfg := base()
		cfg.Agents = []sim.AgentSpec{a}
		_, err := sim.Build(cfg, 1)
		if err == nil {
			t.Errorf("%s: built", name)
		} else if !strings.Contains(err.Error(), "zq9") {
			t.Errorf("%s: error %q does not name the agent", name, err)
		}
	}
	for name, b := range map[string]func(*agents.PrimeBrokerSpec){
		"broker without capital": func(s *agents.PrimeBrokerSpec) { s.Capital = 0 },
		"haircut above 1":        func(s *agents.PrimeBrokerSpec) { s.Haircuts = map[string]float64{"equity": 1.5} },
		"negative asset haircut": func(s *agents.PrimeBrokerSpec) { s.AssetHaircuts = map[string]float64{"SPX": -0.1} },
	} {
		cfg := base()
		b(&cfg.Brokers[0])
		if _, err := sim.Build(cfg, 1); err == nil {
			t.Errorf("%s: built", name)
		}
	}
}
