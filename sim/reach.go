package sim

import (
	"fmt"
	"slices"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
)

// Inert tells whether switch name (a channel of ChannelNames or an agent
// kind) cannot change a run of c, because the world holds nothing the
// switch acts on, and if so why, as a phrase that completes "it can carry
// nothing in c.Name: ..." ("it has no dealers"). It returns "" when the
// switch can act, and for names it does not know (ChannelSpec.Channels
// judges those). The rules read the world's make-up only:
//
//   - cross_margin decides whether a hedge fund's trades at one prime
//     broker share an account: it needs a prime broker and a hedge fund;
//   - offset_drop acts on the requirements of prime brokers with a stress
//     test (stress_vol_ratio, stress_jump, stress_corr or stress_util),
//     and procyclical_haircuts on those of brokers with kappa > 0;
//   - broker_capital acts on the terms of prime brokers that tighten, on
//     the utilization a broker's stress_util tests, and on dealers'
//     capacity;
//   - dealer_constraint and funding_feedback act through dealers (a
//     standalone dealer or a prime broker's dealing arm): depth, and the
//     utilization that widens funding rates;
//   - valuation_links needs links;
//   - an agent kind needs an agent of that kind.
//
// An entry of a registered or custom kind makes holders of a kind of its
// own choosing, which shows only when it is built: while the world has one,
// no agent kind and not cross_margin is called inert on the entries' kinds.
//
// TestInertChangesNothing checks every rule against runs: switching off a
// switch Inert names leaves every number of the summary the same.
func (c *Config) Inert(name string) string {
	brokers, dealers, funds, own := len(c.Brokers) > 0, len(c.Dealers) > 0, false, false
	for k := range c.Brokers {
		dealers = dealers || c.Brokers[k].Dealer != nil
	}
	for k := range c.Agents {
		funds = funds || c.Agents[k].Kind == core.HedgeFund.String()
		own = own || !slices.Contains(AgentKinds, c.Agents[k].Kind)
	}
	switch name {
	case "cross_margin":
		if !brokers || !funds && !own {
			return "it has no hedge fund with trades at a prime broker"
		}
	case "offset_drop":
		if !brokers {
			return "it has no prime brokers"
		}
		if !slices.ContainsFunc(c.Brokers, func(b agents.PrimeBrokerSpec) bool {
			return b.StressVolRatio > 0 || b.StressJump > 0 || b.StressCorr > 0 || b.StressUtil > 0
		}) {
			return "it has no prime broker with a stress test (stress_vol_ratio, stress_jump, stress_corr or stress_util), so no offset is ever dropped"
		}
	case "procyclical_haircuts":
		if !slices.ContainsFunc(c.Brokers, func(b agents.PrimeBrokerSpec) bool { return b.Kappa > 0 }) {
			return "it has no prime broker with kappa > 0"
		}
	case "broker_capital":
		if !brokers && !dealers {
			return "it has no prime brokers or dealers"
		}
		if !dealers && !slices.ContainsFunc(c.Brokers, func(b agents.PrimeBrokerSpec) bool { return b.Tighten > 0 || b.StressUtil > 0 }) {
			return "it has no dealers and no prime broker that tightens (tighten) or tests its utilization (stress_util)"
		}
	case "dealer_constraint", "funding_feedback":
		if !dealers {
			return "it has no dealers"
		}
	case "valuation_links":
		if len(c.Links) == 0 {
			return "it has no links"
		}
	default:
		k, err := core.ParseAgentKind(name)
		if err != nil {
			return ""
		}
		n := 0
		switch k {
		case core.PrimeBroker:
			n = len(c.Brokers)
		case core.Dealer:
			n = len(c.Dealers)
		default:
			for a := range c.Agents {
				if c.Agents[a].Kind == name {
					n += max(c.Agents[a].Count, 1)
				}
			}
		}
		if n == 0 && !own {
			if k == core.Dealer && dealers {
				return "it has no dealer agents: a prime broker's dealing arm is the broker, and dealer_constraint and funding_feedback switch what it does"
			}
			return fmt.Sprintf("it has no %s agents", name)
		}
	}
	return ""
}
