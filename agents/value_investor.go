package agents

import (
	"fmt"
	"math"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/core/dmath"
)

// ValueInvestorSpec configures a value investor (MODEL.md §4): it buys an
// asset trading more than Band below its anchor (a slow moving average of
// its price) with limited capital, and sells back above the anchor. It is
// what gives recoveries.
type ValueInvestorSpec struct {
	// ID names the investor; it must be unique among all ids (a
	// population's members get ID-001, ID-002, ...).
	ID string `yaml:"id" json:"id"`
	// Equity is the investor's capital, USD, all cash at the start: what it
	// can buy with, unlevered.
	Equity float64 `yaml:"equity" json:"equity"`
	// Assets are the assets it buys below their anchors (tradable and
	// funded: no exchange rates or futures; at least one).
	Assets []string `yaml:"assets" json:"assets"`
	// Band is the discount of the price to its anchor, a fraction, beyond
	// which the investor buys (default 0.03; 0 is refused); it sells what it
	// holds while the price is above the anchor.
	Band float64 `yaml:"band,omitempty" json:"band,omitempty"`
	// Intensity: share of capital deployed per day per band of discount
	// (at most three bands; default 0.5; 0 is refused).
	Intensity float64 `yaml:"intensity,omitempty" json:"intensity,omitempty"`
	// AnchorDays is the half-life, in days, of the anchor: a moving average
	// of the price, updated at each review (default 20; 0 is refused).
	AnchorDays float64 `yaml:"anchor_days,omitempty" json:"anchor_days,omitempty"`
	// MaxShare is the most the investor holds of one asset, as a share of
	// its starting equity, in (0, 1] (default 0.5; 0 is refused).
	MaxShare float64 `yaml:"max_share,omitempty" json:"max_share,omitempty"`
	// ReviewDays between looks at the market, rounded to whole ticks, at
	// least one (default one hour: it buys into a crash as it happens; 0 is
	// refused).
	ReviewDays float64 `yaml:"review_days,omitempty" json:"review_days,omitempty"`
}

// ValueInvestor buys below its anchors.
type ValueInvestor struct {
	h      *core.Holder
	Spec   ValueInvestorSpec
	assets []int
	anchor []float64
	lambda float64
	cap0   float64
	period int
	next   int
}

// Holder returns the investor's balance sheet.
func (v *ValueInvestor) Holder() *core.Holder { return v.h }

// Build puts the investor on the books with its capital in cash.
func (s *ValueInvestorSpec) Build(env *Env) (*ValueInvestor, error) {
	w := env.W
	if !(s.Equity > 0) || len(s.Assets) == 0 {
		return nil, fmt.Errorf("value investor %s: need equity > 0 and at least one asset", s.ID)
	}
	v := &ValueInvestor{Spec: *s, cap0: s.Equity}
	var err error
	if v.assets, err = assetList(env, s.Assets); err != nil {
		return nil, fmt.Errorf("value investor %s: %w", s.ID, err)
	}
	for _, i := range v.assets {
		if w.Assets[i].Kind == core.FX || w.Assets[i].Kind == core.Future {
			return nil, fmt.Errorf("value investor %s: %s: only funded assets can be bought", s.ID, w.Assets[i].ID)
		}
		v.anchor = append(v.anchor, w.Price[i])
	}
	v.period = int(math.Max(1, math.Round(orDefault(s.ReviewDays, 1.0/24)*w.PerDay)))
	v.lambda = dmath.Pow(0.5, float64(v.period)/(orDefault(s.AnchorDays, 20)*w.PerDay))
	v.h = w.AddHolder(s.ID, core.ValueInvestor)
	w.Endow(v.h, core.USD, s.Equity)
	return v, nil
}

// Decide buys below the anchors and sells above them.
func (v *ValueInvestor) Decide(w *core.World) {
	h := v.h
	if w.Round != 0 || h.Passive || h.Defaulted || w.Tick < v.next {
		return
	}
	v.next = w.Tick + v.period
	band := orDefault(v.Spec.Band, 0.03)
	rate := orDefault(v.Spec.Intensity, 0.5) * float64(v.period) / w.PerDay
	maxShare := orDefault(v.Spec.MaxShare, 0.5)
	cash := h.FreeCashUSD()
	for k, i := range v.assets {
		if !w.Trades(i) {
			continue // its market is closed: look again at the next review
		}
		if c := w.Assets[i].Currency; c != core.USD && !w.Trades(w.FXPair[c]) {
			continue // so is the currency it is paid for in
		}
		p := w.Price[i]
		v.anchor[k] = float64(v.lambda*v.anchor[k]) + float64((1-v.lambda)*p)
		gap := 1 - p/v.anchor[k]
		held := h.Accounts[0].Units[i]
		hv := w.NotionalUSD(i, held)
		switch {
		case gap > band:
			buy := v.cap0 * rate * math.Min(3, gap/band)
			buy = math.Min(buy, math.Min(cash, float64(maxShare*v.cap0)-hv))
			if buy <= 1e-9*v.cap0 {
				continue
			}
			cash -= buy
			if c := w.Assets[i].Currency; c != core.USD {
				p, q := fxBuy(w, c, buy)
				w.Submit(core.Order{Holder: h.Index, Asset: p, Units: q, Reason: core.ValueBuying})
			}
			w.Submit(core.Order{Holder: h.Index, Asset: i, Units: toUnits(w, i, buy), Reason: core.ValueBuying})
		case gap < 0 && held > 0:
			sell := held * math.Min(1, rate*math.Min(3, -gap/band))
			w.Submit(core.Order{Holder: h.Index, Asset: i, Units: -sell, Reason: core.ValueBuying})
			if c := w.Assets[i].Currency; c != core.USD {
				p, q := fxBuy(w, c, -w.NotionalUSD(i, sell))
				w.Submit(core.Order{Holder: h.Index, Asset: p, Units: q, Reason: core.ValueBuying})
			}
		}
	}
}
