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
	// Intensity: share of capital deployed per trading day of the asset's
	// market per band of discount (at most three bands; default 0.5; 0 is
	// refused).
	Intensity float64 `yaml:"intensity,omitempty" json:"intensity,omitempty"`
	// AnchorDays is the half-life, in trading days of the asset's market, of
	// the anchor: a moving average of the price, updated at each review
	// (default 20; 0 is refused).
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
	open   []int     // per asset, the ticks its market has traded since the last review
	decay1 []float64 // per asset, the anchor's decay over one tick of trading (the hourly look's)
	cur    []int     // per asset, the currency it is quoted in
	cap0   float64
	period int
	next   int
	// The investor's net purchases of each currency this review (USD), and
	// the currencies it has touched: one exchange order per currency squares
	// what the review's trades leave, and what earlier fills left.
	fxNeed [core.MaxCurrencies]float64
	fxUsed [core.MaxCurrencies]bool
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
		v.cur = append(v.cur, w.Assets[i].Currency)
		if c := w.Assets[i].Currency; c != core.USD {
			v.fxUsed[c] = true
		}
	}
	v.open = make([]int, len(v.assets))
	for _, i := range v.assets {
		v.decay1 = append(v.decay1, dmath.Pow(0.5, float64(1)/w.TradingDay(i)/orDefault(s.AnchorDays, 20)))
	}
	v.period = int(math.Max(1, math.Round(orDefault(s.ReviewDays, 1.0/24)*w.PerDay)))
	v.h = w.AddHolder(s.ID, core.ValueInvestor)
	w.Endow(v.h, core.USD, s.Equity)
	return v, nil
}

// Decide buys below the anchors and sells above them.
func (v *ValueInvestor) Decide(w *core.World) {
	h := v.h
	if w.Round != 0 || h.Passive || h.Defaulted {
		return
	}
	if w.Tick < v.next {
		for k, i := range v.assets {
			if w.Trades(i) {
				v.open[k]++
			}
		}
		return
	}
	v.next = w.Tick + v.period
	band := orDefault(v.Spec.Band, 0.03)
	intensity := orDefault(v.Spec.Intensity, 0.5)
	half := orDefault(v.Spec.AnchorDays, 20)
	maxShare := orDefault(v.Spec.MaxShare, 0.5)
	cash := h.FreeCashUSD()
	v.fxNeed = [core.MaxCurrencies]float64{}
	// A review counts this tick's trading as the ticks between reviews do,
	// in the same pass. The slices are read through locals of one length:
	// orders queued by Submit change none of them.
	assets, open, decay1, anchor, cur := v.assets, v.open[:len(v.assets)], v.decay1[:len(v.assets)], v.anchor[:len(v.assets)], v.cur[:len(v.assets)]
	units, price := h.Accounts[0].Units, w.Price
	for k, i := range assets {
		if !w.Trades(i) {
			continue // its market is closed: look again at the next review
		}
		open[k]++
		c := cur[k]
		if c != core.USD && !w.Trades(w.FXPair[c]) {
			continue // so is the currency it is paid for in
		}
		// The rates are per trading day: the review covers the ticks the
		// market traded since the last one (an hourly look at a 6.5-hour
		// session is 1/7 of a day; a daily look, all of it).
		days := float64(open[k]) / w.TradingDay(i)
		lambda := decay1[k]
		if open[k] != 1 {
			lambda = dmath.Pow(0.5, days/half)
		}
		open[k] = 0
		p := price[i]
		anchor[k] = float64(lambda*anchor[k]) + float64((1-lambda)*p)
		gap := 1 - p/anchor[k]
		held := units[i]
		switch {
		case gap > band:
			hv := w.NotionalUSD(i, held)
			buy := v.cap0 * (intensity * days) * min(3, gap/band)
			buy = min(buy, min(cash, float64(maxShare*v.cap0)-hv))
			if buy <= 1e-9*v.cap0 {
				continue
			}
			cash -= buy
			v.fxNeed[c] += buy
			w.Submit(core.Order{Holder: h.Index, Asset: i, Units: toUnits(w, i, buy), Reason: core.ValueBuying})
		case gap < 0 && held > 0:
			sell := held * min(1, (intensity*days)*min(3, -gap/band))
			w.Submit(core.Order{Holder: h.Index, Asset: i, Units: -sell, Reason: core.ValueBuying})
			v.fxNeed[c] -= w.NotionalUSD(i, sell)
		}
	}
	v.squareFX(w)
}

// squareFX sends one exchange order per foreign currency the investor
// trades in: the currency its purchases this review need (or its sales
// bring), less what it already holds. Assets fill at their impacted price
// and the currency at its own, so each review's fills leave a balance
// (negative after buying into a falling market); the next review that can
// trade the currency squares it, so nothing stays overdrawn.
func (v *ValueInvestor) squareFX(w *core.World) {
	h := v.h
	for c := 1; c < w.NCur; c++ {
		if !v.fxUsed[c] || w.FXPair[c] < 0 || !w.Trades(w.FXPair[c]) {
			continue
		}
		usd := v.fxNeed[c] - float64(h.Cash[c]*w.FXUSD[c])
		if math.Abs(usd) <= 1e-9*v.cap0 {
			continue
		}
		p, q := fxBuy(w, c, usd)
		w.Submit(core.Order{Holder: h.Index, Asset: p, Units: q, Reason: core.ValueBuying})
	}
}
