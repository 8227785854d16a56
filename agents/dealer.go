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
	// ID names a standalone dealer, unique among all ids (a prime broker's
	// dealing arm is the broker itself and is refused one).
	ID string `yaml:"id" json:"id"`
	// Capital is a standalone dealer's equity at the start, USD (must be
	// positive; a prime broker's dealing arm uses the broker's capital
	// instead, and is refused one).
	Capital float64 `yaml:"capital" json:"capital"`
	// LevLimit is the dealer's capacity: gross exposure (inventory, seized
	// collateral and weighted client financing) per unit of equity; its
	// utilization is exposure over equity × lev_limit.
	LevLimit float64 `yaml:"lev_limit" json:"lev_limit"`
	// Share is the dealer's weight in taking each round's net flow at full
	// depth, relative to the other dealers' (default 1; 0 is refused).
	Share float64 `yaml:"share" json:"share"`
	// UStar is the utilization, in [0, 1), above which the dealer's depth
	// starts to shrink.
	UStar float64 `yaml:"u_star" json:"u_star"`
	// Floor is the dealer's depth factor at and beyond full utilization:
	// depth falls linearly from 1 at u_star to floor at 1, in (0, 1] (default
	// 1: depth never falls; 0 is refused).
	Floor float64 `yaml:"floor" json:"floor"`
	// LayoffDays is the half-life, in days, of inventory passing to end
	// investors, which frees capacity (0: the dealer keeps it). Inventory
	// in a closed market waits for its open, so in a session market the
	// half-life counts open hours only.
	LayoffDays float64 `yaml:"layoff_days" json:"layoff_days"`
	// FinancingWeight is the weight of client financing (a prime broker's
	// loans to its clients) in the dealer's exposure (default 0; a
	// standalone dealer has no clients).
	FinancingWeight float64 `yaml:"financing_weight,omitempty" json:"financing_weight,omitempty"`
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

// OrderAssets lists nothing: a dealer sends no orders (Orderer).
func (d *DealerAgent) OrderAssets(*core.World) []int { return nil }

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
