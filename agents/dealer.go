package agents

import (
	"fmt"

	"github.com/cascade-sim/cascade/core"
)

// DealerSpec configures a dealer: a balance sheet that takes the other side
// of net flow (package market does the taking). As a PrimeBrokerSpec.Dealer
// it gives a prime broker a dealing arm on the same balance sheet; Capital
// is then ignored.
type DealerSpec struct {
	ID              string  `yaml:"id" json:"id"`
	Capital         float64 `yaml:"capital" json:"capital"`                                       // equity, USD
	LevLimit        float64 `yaml:"lev_limit" json:"lev_limit"`                                   // capacity: gross inventory per unit of equity
	Share           float64 `yaml:"share" json:"share"`                                           // share of net flow at full depth
	UStar           float64 `yaml:"u_star" json:"u_star"`                                         // utilization where depth starts to shrink
	Floor           float64 `yaml:"floor" json:"floor"`                                           // depth factor at full utilization
	LayoffDays      float64 `yaml:"layoff_days" json:"layoff_days"`                               // half-life of inventory passing to end investors
	FinancingWeight float64 `yaml:"financing_weight,omitempty" json:"financing_weight,omitempty"` // weight of client financing in its exposure
}

// DealerAgent is a dealer's balance sheet. It takes no decisions of its own:
// the market puts flow on it and lays its inventory off.
type DealerAgent struct {
	h    *core.Holder
	Spec DealerSpec
}

// Holder returns the dealer's balance sheet.
func (d *DealerAgent) Holder() *core.Holder { return d.h }

// Decide does nothing: dealers quote, the market fills them.
func (d *DealerAgent) Decide(*core.World) {}

// Build puts the dealer on the books with its capital in USD.
func (s *DealerSpec) Build(env *Env) (*DealerAgent, error) {
	if s.Capital <= 0 || s.LevLimit <= 0 {
		return nil, fmt.Errorf("dealer %s: capital and lev_limit must be positive", s.ID)
	}
	d := &DealerAgent{Spec: *s}
	d.h = env.W.AddHolder(s.ID, core.Dealer)
	env.W.Endow(d.h, core.USD, s.Capital)
	return d, nil
}
