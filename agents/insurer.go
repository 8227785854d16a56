package agents

import (
	"fmt"
	"math"

	"github.com/cascade-sim/cascade/core"
)

// InsurerSpec configures a Japanese life insurer (MODEL.md §4): a large,
// slow holder of foreign bonds, partly hedged with rolled FX forwards
// (modelled as borrowed dollars sold for yen), with yen liabilities.
type InsurerSpec struct {
	// ID names the insurer; it must be unique among all ids (a
	// population's members get ID-001, ID-002, ...).
	ID string `yaml:"id" json:"id"`
	// Equity is the insurer's capital, USD, held in the home currency; home
	// currency liabilities fund the rest of its bonds.
	Equity   float64 `yaml:"equity" json:"equity"`
	Currency string  `yaml:"currency,omitempty" json:"currency,omitempty"` // home currency (default JPY)
	Foreign  string  `yaml:"foreign" json:"foreign"`                       // foreign bond held (e.g. UST10Y)
	// ForeignValue is the USD value of the foreign bond held at the start,
	// bought with home currency.
	ForeignValue float64 `yaml:"foreign_value" json:"foreign_value"`
	Domestic     string  `yaml:"domestic,omitempty" json:"domestic,omitempty"` // home bond (e.g. JGB10Y)
	// DomesticValue is the USD value of the home bond held at the start
	// (default 0; only with domestic, which names the bond: given without
	// it, it is refused).
	DomesticValue float64 `yaml:"domestic_value,omitempty" json:"domestic_value,omitempty"`

	HedgeRatio float64 `yaml:"hedge_ratio" json:"hedge_ratio"` // share of foreign bonds hedged at the start
	// MaxHedge is the hedge ratio hedging up stops at while triggered,
	// and that repatriation's sales trim the hedge back to when falling
	// bonds have lifted the ratio past it (default 0.8), in (0, 1]; 0 is
	// refused.
	MaxHedge   float64 `yaml:"max_hedge,omitempty" json:"max_hedge,omitempty"`
	HedgeSpeed float64 `yaml:"hedge_speed,omitempty" json:"hedge_speed,omitempty"` // hedge-ratio rise per day while triggered

	// Trigger: the insurer is triggered while the exchange rate of its home
	// currency, quoted per USD, is below this level (USDJPY below trigger:
	// a strong yen; 0: no level). The level is home currency per USD
	// whichever way the scenario quotes the pair: with EURUSD, a euro
	// insurer's trigger 0.9 means EURUSD above 1/0.9.
	Trigger float64 `yaml:"trigger,omitempty" json:"trigger,omitempty"`
	// TriggerMove: the insurer is also triggered while the home currency
	// is this fraction stronger than at its weakest since the start (0: no
	// move test).
	TriggerMove float64 `yaml:"trigger_move,omitempty" json:"trigger_move,omitempty"`
	// Repatriate: share of foreign bonds sold per day while triggered.
	Repatriate float64 `yaml:"repatriate,omitempty" json:"repatriate,omitempty"`

	// Sensitivity: in calm the insurer reviews its foreign allocation once a
	// day, buying this share of its foreign holdings per unit of change in
	// the better of its hedged and unhedged yield pickups of foreign over
	// home bonds since the start, selling when it has fallen (0: no drift).
	Sensitivity float64 `yaml:"sensitivity,omitempty" json:"sensitivity,omitempty"`
	// AllocSpeed caps that daily change of foreign holdings, as a share of
	// them (0: no drift).
	AllocSpeed float64 `yaml:"alloc_speed,omitempty" json:"alloc_speed,omitempty"`
	// FXRiskPremium is the annual return, as a decimal, the insurer asks
	// for bearing currency risk: the unhedged pickup the allocation rule
	// compares with the hedged one is the yield pickup less this, so that
	// a hedge costing less than it makes the insurer buy hedged (default 0:
	// no charge, and while the hedge costs more than nothing the unhedged
	// pickup always leads), in [0, 1].
	FXRiskPremium float64 `yaml:"fx_risk_premium,omitempty" json:"fx_risk_premium,omitempty"`

	// LiabilityDuration, in years, makes the home-currency liabilities
	// that fund the insurer's bonds long fixed-rate policy reserves owed
	// to policyholders instead of overnight debt: they are marked to the
	// domestic bond's yield with this duration, so rising yields lower
	// them (0: overnight debt at the home policy rate plus spread). Only
	// with domestic.
	LiabilityDuration float64 `yaml:"liability_duration,omitempty" json:"liability_duration,omitempty"`
	// LiabilityRate is the annual rate the reserves pay policyholders on
	// their face value (default 0; only with liability_duration).
	LiabilityRate float64 `yaml:"liability_rate,omitempty" json:"liability_rate,omitempty"`
}

// Insurer is a Japanese life insurer.
type Insurer struct {
	h       *core.Holder
	Spec    InsurerSpec
	home    int
	pair    int
	foreign int
	dom     int
	peak    float64
	pickup0 float64
	next    int
	income  int     // next daily repatriation of income
	hedge   float64 // USD owed on the hedge (dollars borrowed and sold for home currency)
	// Triggered reports whether the insurer is hedging up and repatriating.
	Triggered bool
}

// Holder returns the insurer's balance sheet.
func (n *Insurer) Holder() *core.Holder { return n.h }

// Build puts the insurer on the books.
func (s *InsurerSpec) Build(env *Env) (*Insurer, error) {
	w := env.W
	n := &Insurer{Spec: *s, dom: -1}
	code := s.Currency
	if code == "" {
		code = "JPY"
	}
	var err error
	if n.home, err = env.Currency(code); err != nil || n.home == core.USD {
		return nil, fmt.Errorf("insurer %s: home currency %q must be a non-USD currency of the scenario", s.ID, code)
	}
	n.pair = w.FXPair[n.home]
	if n.foreign, err = env.Asset(s.Foreign); err != nil {
		return nil, fmt.Errorf("insurer %s: %w", s.ID, err)
	}
	if w.Assets[n.foreign].Currency != core.USD || !w.Assets[n.foreign].Funded() {
		return nil, fmt.Errorf("insurer %s: foreign asset %s must be a funded USD asset", s.ID, s.Foreign)
	}
	if s.Domestic != "" {
		if n.dom, err = env.Asset(s.Domestic); err != nil {
			return nil, fmt.Errorf("insurer %s: %w", s.ID, err)
		}
	}
	if !(s.Equity > 0) || s.ForeignValue < 0 || s.DomesticValue < 0 || s.HedgeRatio < 0 || s.HedgeRatio > 1 {
		return nil, fmt.Errorf("insurer %s: need equity > 0, non-negative holdings and 0 <= hedge_ratio <= 1", s.ID)
	}
	n.h = w.AddHolder(s.ID, core.Insurer)
	h := n.h
	w.Endow(h, core.USD, s.Equity)
	// Equity is held in yen; yen liabilities fund the rest.
	p, q := fxBuy(w, n.home, s.Equity)
	w.SetupTrade(h, 0, p, q)
	if n.dom >= 0 && s.DomesticValue > 0 {
		w.SetupTrade(h, 0, n.dom, toUnits(w, n.dom, s.DomesticValue))
	}
	p, q = fxBuy(w, n.home, -s.ForeignValue) // yen sold for dollars
	w.SetupTrade(h, 0, p, q)
	w.SetupTrade(h, 0, n.foreign, toUnits(w, n.foreign, s.ForeignValue))
	p, q = fxBuy(w, n.home, s.HedgeRatio*s.ForeignValue) // the hedge: dollars borrowed, sold for yen
	w.SetupTrade(h, 0, p, q)
	n.setHedge(w, s.HedgeRatio*s.ForeignValue)
	if s.LiabilityDuration > 0 {
		// Policy reserves fund the bonds the equity does not.
		if n.dom < 0 {
			return nil, fmt.Errorf("insurer %s: liability_duration marks the reserves to the domestic bond's yield: name it in domestic", s.ID)
		}
		if w.Assets[n.dom].Currency != n.home {
			return nil, fmt.Errorf("insurer %s: liability_duration marks the reserves to the domestic bond's yield, which must be in %s", s.ID, code)
		}
		if l := s.ForeignValue + s.DomesticValue - s.Equity; l > 0 {
			w.AddReserve(h, core.Reserve{Face: l / w.FXUSD[n.home], Cur: n.home, Asset: n.dom,
				Duration: s.LiabilityDuration, Y0: w.Yield(n.dom), Rate: s.LiabilityRate})
		}
	}
	n.income = int(math.Max(1, math.Round(w.PerDay))) // the first day's income, a day in
	n.peak = w.FXUSD[n.home]
	n.pickup0, _ = n.pickup(w)
	return n, nil
}

// HedgeRatio returns the share of foreign bonds currently hedged: the
// hedge notional over their market value.
func (n *Insurer) HedgeRatio(w *core.World) float64 {
	f := w.NotionalUSD(n.foreign, n.h.Accounts[0].Units[n.foreign])
	if f <= 0 {
		return 0
	}
	return n.hedge / f
}

// setHedge sets the hedge notional, on which the world charges the
// cross-currency basis.
func (n *Insurer) setHedge(w *core.World, usd float64) {
	n.hedge = usd
	w.SetHedge(n.h, usd)
}

// open reports whether the markets the insurer trades are open (orders to
// a closed market are dropped, so it books nothing then).
func (n *Insurer) open(w *core.World) bool {
	return w.Trades(n.pair) && w.Trades(n.foreign)
}

// pickups returns the yield pickup of foreign over home bonds, hedged (less
// the hedge cost: the policy-rate differential less the cross-currency
// basis) and unhedged (less the price of the currency risk it carries,
// fx_risk_premium).
func (n *Insurer) pickups(w *core.World) (hedged, unhedged float64) {
	yd := math.NaN()
	if n.dom >= 0 {
		yd = w.Yield(n.dom)
	}
	return n.pickupsAt(w, w.Yield(n.foreign), yd)
}

// pickupsAt is pickups at the foreign bond's yield y and the home bond's
// yd (NaN without one).
func (n *Insurer) pickupsAt(w *core.World, y, yd float64) (hedged, unhedged float64) {
	if math.IsNaN(y) {
		y = w.Policy[core.USD]
	}
	home := w.Policy[n.home]
	if !math.IsNaN(yd) {
		home = yd
	}
	return y - home - n.HedgeCost(w), y - home - n.Spec.FXRiskPremium
}

// HedgeCost is the annual cost of the hedge the insurer decides with: the
// policy-rate differential less the cross-currency basis (a negative basis,
// dollars dear, adds to it). The hedge pays this plus the USD funding
// spread, less the home funding spread (ODD 7.4, 7.8).
func (n *Insurer) HedgeCost(w *core.World) float64 {
	return w.Policy[core.USD] - w.Policy[n.home] - w.XCCYBasis
}

// pickup is the better of the hedged and unhedged pickups, the one the
// allocation responds to, and whether the hedged one is it.
func (n *Insurer) pickup(w *core.World) (p float64, hedged bool) {
	ph, pu := n.pickups(w)
	if ph >= pu {
		return ph, true
	}
	return pu, false
}

// Decide hedges up and repatriates once the home currency has strengthened
// past its trigger; otherwise it drifts its allocation with the pickup.
func (n *Insurer) Decide(w *core.World) {
	h := n.h
	if w.Round != 0 || h.Passive || h.Defaulted {
		return
	}
	s := &n.Spec
	v := w.FXUSD[n.home] // USD value of one unit of home currency: rises as it strengthens
	n.peak = min(n.peak, v)
	perUSD := w.Price[n.pair] // home currency per USD, as Trigger is quoted
	if w.Assets[n.pair].Base != core.USD {
		perUSD = 1 / perUSD // the pair is quoted as USD per unit of home currency (EURUSD)
	}
	trig := (s.Trigger > 0 && perUSD < s.Trigger) ||
		(s.TriggerMove > 0 && v > n.peak*(1+s.TriggerMove))
	if trig && !n.Triggered {
		w.Log(core.Event{Kind: core.EvPolicy, Agent: h.ID, Detail: "home currency past trigger: hedging up and repatriating", Reason: core.Repatriation})
	}
	n.Triggered = trig
	if !n.open(w) {
		return
	}
	day := int(max(1, math.Round(w.PerDay)))
	if w.Tick >= n.income {
		// Once a day, income is brought home: dollars beyond what the hedge
		// owes (coupons) are sold for home currency, and a shortfall (the
		// hedge's interest) is bought, so the hedge stays what it was set to.
		n.income = w.Tick + day
		w.Settle(h) // the coupons and the hedge's interest posted since the last trade
		if x := h.Cash[core.USD] + n.hedge; math.Abs(x) > float64(1e-6*n.hedge)+1 {
			p, q := fxBuy(w, n.home, x)
			w.Submit(core.Order{Holder: h.Index, Asset: p, Units: q, Reason: core.Discretionary})
		}
	}
	units := h.Accounts[0].Units[n.foreign]
	f := w.NotionalUSD(n.foreign, units)
	perTick := 1 / w.PerDay
	if trig {
		hr := n.HedgeRatio(w)
		// The ratio to hold: hedged up by hedge_speed, never past the cap.
		// Above the cap (the bonds fell under the hedge), the sale below
		// trims the hedge back to it.
		target := min(orDefault(s.MaxHedge, 0.8), hr+float64(s.HedgeSpeed*perTick))
		if d := target - hr; d > 0 {
			p, q := fxBuy(w, n.home, d*f)
			w.Submit(core.Order{Holder: h.Index, Asset: p, Units: q, Reason: core.InsurerHedge})
			n.setHedge(w, n.hedge+float64(d*f))
		}
		if s.Repatriate > 0 && units > 0 {
			sell := units * min(1, s.Repatriate*perTick)
			w.Submit(core.Order{Holder: h.Index, Asset: n.foreign, Units: -sell, Reason: core.Repatriation})
			// The proceeds repay the hedge down to the target ratio on
			// what is left (the hedged share, at the target) and the rest
			// is brought home.
			proceeds := w.NotionalUSD(n.foreign, sell)
			repay := math.Min(proceeds, n.hedge-float64(target*(f-proceeds)))
			p, q := fxBuy(w, n.home, proceeds-repay)
			w.Submit(core.Order{Holder: h.Index, Asset: p, Units: q, Reason: core.Repatriation})
			n.setHedge(w, n.hedge-repay)
		}
		return
	}
	// In calm it reviews its allocation once a day, following the better of
	// the hedged and unhedged pickups.
	if s.Sensitivity > 0 && s.AllocSpeed > 0 && f > 0 && w.Tick >= n.next {
		n.next = w.Tick + day
		p, hedged := n.pickup(w)
		d := s.Sensitivity * (p - n.pickup0) * f
		lim := s.AllocSpeed * f
		d = max(-lim, min(lim, d))
		if math.Abs(d) < 1e-9*f {
			return
		}
		// A sale keeps the hedge ratio: its hedged share repays the hedge.
		// A purchase is hedged at the current ratio when the hedged pickup
		// motivated it, and left unhedged (bought with yen) otherwise.
		hr := n.HedgeRatio(w)
		if d > 0 && !hedged {
			hr = 0
		}
		w.Submit(core.Order{Holder: h.Index, Asset: n.foreign, Units: toUnits(w, n.foreign, d), Reason: core.Discretionary})
		px, q := fxBuy(w, n.home, -d*(1-hr))
		w.Submit(core.Order{Holder: h.Index, Asset: px, Units: q, Reason: core.Discretionary})
		n.setHedge(w, n.hedge+float64(d*hr)) // the hedged share is bought with borrowed dollars
	}
}
