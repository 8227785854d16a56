package sim

import (
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestScriptedDefaultNeedsBrokers: a `default` event is a client failing
// at its brokers, who seize and fire-sell its collateral. With the
// prime_broker kind off there are no calls, defaults or fire sales (ODD 8),
// so the event changes nothing: the fund keeps trading. With brokers on it
// defaults at the event's tick.
func TestScriptedDefaultNeedsBrokers(t *testing.T) {
	for _, brokers := range []bool{true, false} {
		cfg := testWorld(2)
		cfg.Ticks = 40
		cfg.Events = []EventSpec{{Tick: 20, Kind: "default", Agent: "hf-001", Label: "hf-001 fails"}}
		m, err := Build(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		c := core.AllOn()
		c.Kinds[core.PrimeBroker] = brokers
		m.SetChannels(c)
		for m.W.Tick < cfg.Ticks {
			if err := m.Step(); err != nil {
				t.Fatal(err)
			}
		}
		var hf *core.Holder
		for _, h := range m.W.Holders {
			if h.ID == "hf-001" {
				hf = h
			}
		}
		if hf == nil {
			t.Fatal("no hf-001")
		}
		if brokers && (!hf.Defaulted || hf.DefaultTick != 20) {
			t.Errorf("brokers on: hf-001 defaulted %v at tick %d; want a default at tick 20", hf.Defaulted, hf.DefaultTick)
		}
		if !brokers && hf.Defaulted {
			t.Errorf("prime_broker off: hf-001 defaulted at tick %d; want no default (no brokers to seize anything)", hf.DefaultTick)
		}
	}
}

// TestPolicyRateBeforeGuidance: a policy_rate event moves Expected by the
// rate's change, while a guidance event with `rate` sets Expected outright.
// At the same tick the outright guidance must be the last word whatever
// the file's order: policy rates apply first within a tick.
func TestPolicyRateBeforeGuidance(t *testing.T) {
	policy := EventSpec{Tick: 2, Kind: "policy_rate", Currency: "JPY", Rate: 0.005}
	guide := EventSpec{Tick: 2, Kind: "guidance", Currency: "JPY", Rate: 0.01}
	for _, order := range [][]EventSpec{{policy, guide}, {guide, policy}} {
		m := runEvents(t, order)
		if got := m.W.Policy[jpy]; got != 0.005 {
			t.Errorf("%s first: policy %v, want 0.005", order[0].Kind, got)
		}
		if got := m.W.Expected[jpy]; got != 0.01 {
			t.Errorf("%s first: expected rate %v, want the guidance's 0.01", order[0].Kind, got)
		}
	}
}
