package agents

import (
	"fmt"
	"math"

	"github.com/cascade-sim/cascade/core"
)

// CTASpec configures a trend follower (MODEL.md §4): time-series momentum
// per asset over several lookbacks, position = equity × target vol /
// estimated vol × signal, traded toward the target at a limited speed.
type CTASpec struct {
	// ID names the CTA; it must be unique among all ids (a population's
	// members get ID-001, ID-002, ...).
	ID string `yaml:"id" json:"id"`
	// Equity is the CTA's capital, USD, all posted as margin at its broker.
	Equity float64 `yaml:"equity" json:"equity"`
	// Broker is the ID of the prime broker that finances and margins the
	// CTA's positions.
	Broker string `yaml:"broker" json:"broker"`
	// Assets are the tradable assets the CTA follows trends in (at least
	// one).
	Assets []string `yaml:"assets" json:"assets"`
	// LookbackDays of the trend signals, each positive (default 30, 90, 365:
	// 1, 3 and 12 months; an empty list is refused).
	LookbackDays []float64 `yaml:"lookback_days,omitempty" json:"lookback_days,omitempty"`
	// TargetVol is the annualized volatility that sizes positions: equity ×
	// target_vol / (estimated vol × √n) × signal in each of n assets
	// (default 0.10; times leverage_scale; 0 is refused).
	TargetVol float64 `yaml:"target_vol,omitempty" json:"target_vol,omitempty"`
	// MaxLeverage caps gross exposure per unit of equity (default 4; times
	// leverage_scale; 0 is refused).
	MaxLeverage float64 `yaml:"max_leverage,omitempty" json:"max_leverage,omitempty"`
	// Speed is the share of the gap to the targets traded at each
	// rebalance, in (0, 1] (default 0.25; 0 is refused).
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
	// HalfLifeDays is the half-life, in days, of the CTA's volatility
	// estimate (default 20; 0 is refused).
	HalfLifeDays float64 `yaml:"half_life_days,omitempty" json:"half_life_days,omitempty"`
}

// CTA is a trend follower.
type CTA struct {
	*book
	Spec   CTASpec
	assets []int
	mom    []*core.Momentum
	lev    float64 // max_leverage × leverage_scale
	tv     float64 // target_vol × leverage_scale
}

// Holder returns the CTA's balance sheet.
func (c *CTA) Holder() *core.Holder { return c.h }

// Applied returns, for max_leverage and target_vol, the value the CTA
// holds: the field (or its default) times leverage_scale; every other
// field it holds as its spec gives it (Applier).
func (c *CTA) Applied(field string) (float64, bool) {
	switch field {
	case "max_leverage":
		return c.lev, true
	case "target_vol":
		return c.tv, true
	}
	return 0, false
}

// Build puts the CTA on the books with its equity posted at its broker; its
// positions are set by Init once the scenario's trends are known.
func (s *CTASpec) Build(env *Env) (*CTA, error) {
	w := env.W
	if !(s.Equity > 0) || len(s.Assets) == 0 {
		return nil, fmt.Errorf("cta %s: need equity > 0 and at least one asset", s.ID)
	}
	c := &CTA{Spec: *s}
	var err error
	if c.assets, err = assetList(env, s.Assets); err != nil {
		return nil, fmt.Errorf("cta %s: %w", s.ID, err)
	}
	h := w.AddHolder(s.ID, core.CTA)
	w.Endow(h, core.USD, s.Equity)
	if c.book, err = newBook(env, h, s.Broker, c.assets, s.RebalanceAt, s.RebalanceDays, s.Speed, s.HalfLifeDays); err != nil {
		return nil, fmt.Errorf("cta %s: %w", s.ID, err)
	}
	lbs := s.LookbackDays
	if len(lbs) == 0 {
		lbs = []float64{30, 90, 365}
	}
	for _, d := range lbs {
		if !(d > 0) {
			return nil, fmt.Errorf("cta %s: lookback %v days must be positive", s.ID, d)
		}
		// An EWMA whose mean age equals the lookback has half-life L·ln 2.
		c.mom = append(c.mom, w.Est.Momentum(d*w.PerDay*math.Ln2))
	}
	// leverage_scale scales the position, target_vol / vol, and its cap
	// together, so the cap stays where it was relative to the position.
	c.lev = orDefault(s.MaxLeverage, 4) * env.scale()
	c.tv = orDefault(s.TargetVol, 0.10) * env.scale()
	return c, nil
}

// Init sets the CTA's starting positions from the trend state.
func (c *CTA) Init(w *core.World) error {
	c.targets(w)
	c.setup(w)
	return nil
}

// VolEstimate returns the volatility estimator the CTA reads its trend
// z-scores and sizes its positions at.
func (c *CTA) VolEstimate() *core.EWMA { return c.est }

// Signal returns the CTA's trend signal for asset i, in [-1, 1].
func (c *CTA) Signal(w *core.World, i int) float64 {
	vol := c.est.Vol(i)
	s := 0.0
	for _, m := range c.mom {
		s += max(-1, min(1, m.Z(i, vol)/2))
	}
	return s / float64(len(c.mom))
}

func (c *CTA) targets(w *core.World) {
	nav := max(w.NAV(c.h), 0)
	tv := c.tv
	k := math.Sqrt(float64(len(c.assets)))
	for _, i := range c.assets {
		vol := annVol(w, c.est, i)
		if vol <= 0 {
			c.target[i] = 0
			continue
		}
		c.target[i] = nav * tv / (vol * k) * c.Signal(w, i)
	}
	c.capGross(w, c.lev)
}

// OrderAssets lists the assets the book may order: its own, and the
// exchange rates of their foreign currencies (Orderer).
func (c *CTA) OrderAssets(w *core.World) []int { return bookAssets(w, c.assets) }

// Decide meets a margin call if one is open (book.meetCall), else trades
// toward the trend targets on rebalancing ticks (and at the open of a
// market whose trade waited for it, book.due).
func (c *CTA) Decide(w *core.World) {
	if c.h.Passive || c.h.Defaulted || c.meetCall(w) {
		return
	}
	if ok, all := c.due(w); ok {
		c.targets(w)
		c.trade(w, core.CTASignal, all)
	}
}
