package agents

import (
	"fmt"

	"github.com/cascade-sim/cascade/core"
)

// VolControlSpec configures a volatility-control fund: exposure to one asset
// = equity × target vol / estimated vol, capped at MaxLeverage.
type VolControlSpec struct {
	// ID names the fund; it must be unique among all ids (a population's
	// members get ID-001, ID-002, ...).
	ID string `yaml:"id" json:"id"`
	// Equity is the fund's capital, USD, all posted as margin at its broker.
	Equity float64 `yaml:"equity" json:"equity"`
	// Broker is the ID of the prime broker that finances and margins the
	// fund's position.
	Broker string `yaml:"broker" json:"broker"`
	// Asset is the one tradable asset the fund holds.
	Asset string `yaml:"asset" json:"asset"`
	// TargetVol is the annualized volatility the fund's exposure aims at:
	// exposure = equity × target_vol / estimated vol (default 0.12; times
	// leverage_scale; 0 is refused).
	TargetVol float64 `yaml:"target_vol,omitempty" json:"target_vol,omitempty"`
	// MaxLeverage caps the exposure per unit of equity (default 1.5; times
	// leverage_scale; 0 is refused).
	MaxLeverage float64 `yaml:"max_leverage,omitempty" json:"max_leverage,omitempty"`
	// Speed is the share of the gap to the target traded at each rebalance,
	// in (0, 1] (default 1: all of it; 0 is refused).
	Speed float64 `yaml:"speed,omitempty" json:"speed,omitempty"`
	// RebalanceDays is the time between rebalances, in days, rounded to
	// whole ticks, at least one (default 1; 0 is refused).
	RebalanceDays float64 `yaml:"rebalance_days,omitempty" json:"rebalance_days,omitempty"`
	// RebalanceAt sets when the rebalances fall. "close": each asset at
	// its market's close (its last tick before each daily break; for a
	// market without one in a UTC day, that day's last tick), every
	// rebalance_days-th close. A clock time "HH:MM", with an IANA time zone
	// after a space ("15:00 America/New_York"; UTC without one): every
	// rebalance_days-th weekday in that zone, in every asset at once, a
	// market closed then trading at its open. With either, rebalance_days
	// is a whole number. Default: every rebalance_days from a tick set by
	// the fund's place among the holders, so that a population's
	// rebalances spread over the day.
	RebalanceAt string `yaml:"rebalance_at,omitempty" json:"rebalance_at,omitempty"`
	// HalfLifeDays is the half-life, in days, of the fund's volatility
	// estimate (default 5; 0 is refused).
	HalfLifeDays float64 `yaml:"half_life_days,omitempty" json:"half_life_days,omitempty"`
}

// VolControl is a volatility-control fund.
type VolControl struct {
	*book
	Spec  VolControlSpec
	asset int
	lev   float64 // max_leverage × leverage_scale
	tv    float64 // target_vol × leverage_scale
}

// Holder returns the fund's balance sheet.
func (v *VolControl) Holder() *core.Holder { return v.h }

// Applied returns, for max_leverage and target_vol, the value the fund
// holds: the field (or its default) times leverage_scale; every other
// field it holds as its spec gives it (Applier).
func (v *VolControl) Applied(field string) (float64, bool) {
	switch field {
	case "max_leverage":
		return v.lev, true
	case "target_vol":
		return v.tv, true
	}
	return 0, false
}

// Build puts the fund on the books with its equity posted at its broker.
func (s *VolControlSpec) Build(env *Env) (*VolControl, error) {
	w := env.W
	if !(s.Equity > 0) {
		return nil, fmt.Errorf("vol control %s: equity must be positive", s.ID)
	}
	v := &VolControl{Spec: *s}
	a, err := assetList(env, []string{s.Asset})
	if err != nil {
		return nil, fmt.Errorf("vol control %s: %w", s.ID, err)
	}
	v.asset = a[0]
	h := w.AddHolder(s.ID, core.VolControl)
	w.Endow(h, core.USD, s.Equity)
	if v.book, err = newBook(env, h, s.Broker, []int{v.asset}, s.RebalanceAt, s.RebalanceDays, orDefault(s.Speed, 1), orDefault(s.HalfLifeDays, 5)); err != nil {
		return nil, fmt.Errorf("vol control %s: %w", s.ID, err)
	}
	// leverage_scale scales the exposure, target_vol / vol, and its cap
	// together, so the cap stays where it was relative to the exposure.
	v.lev = orDefault(s.MaxLeverage, 1.5) * env.scale()
	v.tv = orDefault(s.TargetVol, 0.12) * env.scale()
	return v, nil
}

// Init sets the starting exposure.
func (v *VolControl) Init(w *core.World) error {
	v.targets(w)
	v.setup(w)
	return nil
}

func (v *VolControl) targets(w *core.World) {
	vol := annVol(w, v.est, v.asset)
	l := v.lev
	if vol > 0 {
		l = min(l, v.tv/vol)
	}
	v.target[v.asset] = max(w.NAV(v.h), 0) * l
}

// OrderAssets lists the assets the book may order: its own, and the
// exchange rates of their foreign currencies (Orderer).
func (v *VolControl) OrderAssets(w *core.World) []int { return bookAssets(w, []int{v.asset}) }

// Decide meets a margin call if one is open (book.meetCall), else
// rebalances to the volatility target on schedule.
func (v *VolControl) Decide(w *core.World) {
	if v.h.Passive || v.h.Defaulted || v.meetCall(w) {
		return
	}
	if ok, all := v.due(w); ok {
		v.targets(w)
		v.trade(w, core.VolTarget, all)
	}
}
