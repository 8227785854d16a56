package sim

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
)

// Spec returns the kind-specific spec of an AgentSpec, checking that exactly
// the one matching Kind is set.
func (a *AgentSpec) Spec() (any, error) {
	var set []string
	var out any
	pick := func(kind string, p any, isNil bool) {
		if !isNil {
			set = append(set, kind)
			if kind == a.Kind {
				out = p
			}
		}
	}
	pick("hedge_fund", a.HedgeFund, a.HedgeFund == nil)
	pick("insurer", a.Insurer, a.Insurer == nil)
	pick("cta", a.CTA, a.CTA == nil)
	pick("risk_parity", a.RiskParity, a.RiskParity == nil)
	pick("vol_control", a.VolControl, a.VolControl == nil)
	pick("value_investor", a.Value, a.Value == nil)
	pick("bank", a.Bank, a.Bank == nil)
	pick("central_bank", a.CentralBank, a.CentralBank == nil)
	custom := CustomKind // the name a.Custom answers to
	if Registered(a.Kind) {
		custom = a.Kind
	}
	pick(custom, a.Custom, a.Custom == nil)
	if a.Kind == CustomKind && a.Custom == nil && len(set) == 0 {
		return nil, fmt.Errorf("agent of kind %q: set Custom to the agent's spec (an agents.Maker)", a.Kind)
	}
	if kinds := KindNames(); !slices.Contains(kinds, a.Kind) && a.Kind != CustomKind {
		return nil, fmt.Errorf("unknown agent kind %q%s (want one of %s, or a kind registered with sim.Register)", a.Kind, core.DidYouMean(a.Kind, kinds), strings.Join(kinds, ", "))
	}
	if out == nil || len(set) != 1 {
		return nil, fmt.Errorf("agent of kind %q: want exactly its %s parameters (have %v)", a.Kind, a.Kind, set)
	}
	if c, ok := out.(agents.Maker); ok {
		if err := checkMaker(c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CustomKind is the Kind of an AgentSpec whose agent a Go program defines
// (AgentSpec.Custom, an agents.Maker).
const CustomKind = "custom"

// checkMaker checks that a custom spec is what populations and ids need: a
// non-nil pointer to a struct with an exported string field ID.
func checkMaker(c agents.Maker) error {
	v := reflect.ValueOf(c)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("custom agent spec %T: want a non-nil pointer to a struct", c)
	}
	if f, ok := v.Elem().Type().FieldByName("ID"); !ok || f.Type.Kind() != reflect.String || !f.IsExported() || len(f.Index) != 1 {
		return fmt.Errorf("custom agent spec %T: want an exported string field ID (the agent's id)", c)
	}
	return nil
}

// AgentKinds lists the kinds an AgentSpec may have (brokers and dealers
// have their own lists in Config).
var AgentKinds = []string{"hedge_fund", "insurer", "cta", "risk_parity", "vol_control", "value_investor", "bank", "central_bank"}

// NewAgentSpec returns an AgentSpec of the given kind with an empty spec of
// that kind set, for a loader to fill: a registered kind's (Register) in
// Custom.
func NewAgentSpec(kind string) (*AgentSpec, any, error) {
	a := &AgentSpec{Kind: kind}
	var p any
	switch kind {
	case "hedge_fund":
		a.HedgeFund = &agents.HedgeFundSpec{}
		p = a.HedgeFund
	case "insurer":
		a.Insurer = &agents.InsurerSpec{}
		p = a.Insurer
	case "cta":
		a.CTA = &agents.CTASpec{}
		p = a.CTA
	case "risk_parity":
		a.RiskParity = &agents.RiskParitySpec{}
		p = a.RiskParity
	case "vol_control":
		a.VolControl = &agents.VolControlSpec{}
		p = a.VolControl
	case "value_investor":
		a.Value = &agents.ValueInvestorSpec{}
		p = a.Value
	case "bank":
		a.Bank = &agents.BankSpec{}
		p = a.Bank
	case "central_bank":
		a.CentralBank = &agents.CentralBankSpec{}
		p = a.CentralBank
	default:
		c := newRegistered(kind)
		if c == nil {
			return nil, nil, fmt.Errorf("unknown agent kind %q (want one of %v)", kind, KindNames())
		}
		a.Custom, p = c, c
	}
	return a, p, nil
}

// copySpec returns a deep copy of a kind's spec (Spec's result), for a
// population's member.
func copySpec(p any) any { return deepCopy(p) }

func specID(p any) string { return reflect.ValueOf(p).Elem().FieldByName("ID").String() }

func setSpecID(p any, id string) { reflect.ValueOf(p).Elem().FieldByName("ID").SetString(id) }

func buildOne(env *agents.Env, p any) (agents.Agent, error) {
	switch s := p.(type) {
	case *agents.HedgeFundSpec:
		return s.Build(env)
	case *agents.InsurerSpec:
		return s.Build(env)
	case *agents.CTASpec:
		return s.Build(env)
	case *agents.RiskParitySpec:
		return s.Build(env)
	case *agents.VolControlSpec:
		return s.Build(env)
	case *agents.ValueInvestorSpec:
		return s.Build(env)
	case *agents.BankSpec:
		return s.Build(env)
	case *agents.CentralBankSpec:
		return s.Build(env)
	case agents.Maker:
		a, err := s.Build(env)
		if err != nil {
			return nil, err
		}
		if a == nil || a.Holder() == nil || a.Holder().ID != specID(p) {
			return nil, fmt.Errorf("custom agent %s: Build must return an agent whose holder (env.W.AddHolder) has the spec's ID", specID(p))
		}
		if k := a.Holder().Kind; !slices.Contains(AgentKinds, k.String()) {
			return nil, fmt.Errorf("custom agent %s: its holder's kind is %s; want one of %v (prime brokers, dealers and the outside sector have roles of their own)", specID(p), k, AgentKinds)
		}
		return a, nil
	}
	return nil, fmt.Errorf("unknown spec %T", p)
}

// KindFields lists the fields, by their yaml names, that an agent entry of
// the given kind takes: the entry's own count and vary, then the fields of
// the kind's parameters (nil for an unknown kind).
func KindFields(kind string) []string {
	_, p, err := NewAgentSpec(kind)
	if err != nil {
		return nil
	}
	names := []string{"count", "vary"}
	t := reflect.TypeOf(p).Elem()
	for i := 0; i < t.NumField(); i++ {
		if n, ok := YAMLName(t.Field(i)); ok {
			names = append(names, n)
		}
	}
	return names
}

// KindHasField reports whether an agent entry of the given kind takes the
// field named (by its yaml name).
func KindHasField(kind, field string) bool {
	for _, n := range KindFields(kind) {
		if n == field {
			return true
		}
	}
	return false
}
