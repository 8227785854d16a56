package agents

import (
	"fmt"
	"math"

	"github.com/cascade-sim/cascade/core"
)

// RiskParitySpec configures a risk-parity fund (MODEL.md §4): inverse-
// volatility sleeves levered to a target portfolio volatility computed with
// the estimated covariance, rebalanced on a schedule.
type RiskParitySpec struct {
	// ID names the fund; it must be unique among all ids (a population's
	// members get ID-001, ID-002, ...).
	ID string `yaml:"id" json:"id"`
	// Equity is the fund's capital, USD, all posted as margin at its broker.
	Equity float64 `yaml:"equity" json:"equity"`
	// Broker is the ID of the prime broker that finances and margins the
	// fund's positions.
	Broker string `yaml:"broker" json:"broker"`
	// Assets are the sleeves, weighted by inverse volatility (at least two
	// tradable assets, e.g. SPX, UST10Y, GOLD).
	Assets []string `yaml:"assets" json:"assets"`
	// TargetVol is the annualized portfolio volatility the fund levers its
	// sleeves to, within max_leverage (default 0.10; times leverage_scale;
	// 0 is refused).
	TargetVol float64 `yaml:"target_vol,omitempty" json:"target_vol,omitempty"`
	// MaxLeverage caps the portfolio's leverage, exposure per unit of
	// equity (default 4; times leverage_scale; 0 is refused).
	MaxLeverage float64 `yaml:"max_leverage,omitempty" json:"max_leverage,omitempty"`
	// Speed is the share of the gap to the targets traded at each rebalance,
	// in (0, 1] (default 0.5; 0 is refused).
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
	// HalfLifeDays is the half-life, in days, of the fund's covariance
	// estimate (default 10; 0 is refused).
	HalfLifeDays float64 `yaml:"half_life_days,omitempty" json:"half_life_days,omitempty"`
}

// RiskParity is a risk-parity fund.
type RiskParity struct {
	*book
	Spec   RiskParitySpec
	assets []int
	wt     []float64
	lev    float64 // max_leverage × leverage_scale
	tv     float64 // target_vol × leverage_scale
	// corr gives the sleeves' correlations (core.Synced), the book's EWMA
	// their volatilities: hourly returns would all but lose the
	// correlation of a market with those open at other hours.
	corr *core.Synced
	// Leverage is the portfolio leverage at the last rebalance.
	Leverage float64
}

// Holder returns the fund's balance sheet.
func (r *RiskParity) Holder() *core.Holder { return r.h }

// Applied returns, for max_leverage and target_vol, the value the fund
// holds: the field (or its default) times leverage_scale; every other
// field it holds as its spec gives it (Applier).
func (r *RiskParity) Applied(field string) (float64, bool) {
	switch field {
	case "max_leverage":
		return r.lev, true
	case "target_vol":
		return r.tv, true
	}
	return 0, false
}

// Build puts the fund on the books with its equity posted at its broker.
func (s *RiskParitySpec) Build(env *Env) (*RiskParity, error) {
	w := env.W
	if !(s.Equity > 0) || len(s.Assets) < 2 {
		return nil, fmt.Errorf("risk parity %s: need equity > 0 and at least two sleeves", s.ID)
	}
	r := &RiskParity{Spec: *s}
	var err error
	if r.assets, err = assetList(env, s.Assets); err != nil {
		return nil, fmt.Errorf("risk parity %s: %w", s.ID, err)
	}
	h := w.AddHolder(s.ID, core.RiskParity)
	w.Endow(h, core.USD, s.Equity)
	if r.book, err = newBook(env, h, s.Broker, r.assets, s.RebalanceAt, s.RebalanceDays, orDefault(s.Speed, 0.5), orDefault(s.HalfLifeDays, 10)); err != nil {
		return nil, fmt.Errorf("risk parity %s: %w", s.ID, err)
	}
	r.corr = w.Est.Synced(orDefault(s.HalfLifeDays, 10)*w.PerDay, r.assets)
	r.wt = make([]float64, len(r.assets))
	// leverage_scale scales the leverage, target_vol / portfolio vol, and
	// its cap together, so the cap stays where it was relative to it.
	r.lev = orDefault(s.MaxLeverage, 4) * env.scale()
	r.tv = orDefault(s.TargetVol, 0.10) * env.scale()
	return r, nil
}

// Init sets the starting sleeves.
func (r *RiskParity) Init(w *core.World) error {
	r.targets(w)
	r.setup(w)
	return nil
}

func (r *RiskParity) targets(w *core.World) {
	sum := 0.0
	for k, i := range r.assets {
		v := r.est.Vol(i)
		if v <= 0 {
			r.wt[k] = 0
			continue
		}
		r.wt[k] = 1 / v
		sum += r.wt[k]
	}
	if sum == 0 {
		return
	}
	for a := range r.wt {
		r.wt[a] /= sum
	}
	pv := 0.0
	for a, i := range r.assets {
		for b, j := range r.assets {
			c := r.est.Var(i)
			if a != b {
				c = float64(r.corr.Corr(a, b)*r.est.Vol(i)) * r.est.Vol(j)
			}
			pv += float64(r.wt[a] * r.wt[b] * c)
		}
	}
	sigma := math.Sqrt(max(pv, 0) * w.PerYear)
	lev := r.lev
	if sigma > 0 {
		lev = min(lev, r.tv/sigma)
	}
	r.Leverage = lev
	nav := max(w.NAV(r.h), 0)
	for a, i := range r.assets {
		r.target[i] = nav * lev * r.wt[a]
	}
}

// OrderAssets lists the assets the book may order: its own, and the
// exchange rates of their foreign currencies (Orderer).
func (r *RiskParity) OrderAssets(w *core.World) []int { return bookAssets(w, r.assets) }

// Decide meets a margin call if one is open (book.meetCall), else
// rebalances toward the sleeves on schedule.
func (r *RiskParity) Decide(w *core.World) {
	if r.h.Passive || r.h.Defaulted || r.meetCall(w) {
		return
	}
	if ok, all := r.due(w); ok {
		r.targets(w)
		r.trade(w, core.RiskParityRebalance, all)
	}
}
