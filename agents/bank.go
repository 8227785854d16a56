package agents

import (
	"fmt"
	"math"
	"sort"

	"github.com/cascade-sim/cascade/core"
)

// BankSpec configures a leverage-constrained bank, the agent of the classic
// fire-sale results. In threshold mode (Cont–Schaanning) it does nothing
// while its leverage ratio (equity over assets) stays above BufferRatio,
// sells marketable assets down to TargetRatio when it falls below, and
// defaults below MinRatio. In target mode (Greenwood–Landier–Thesmar) it
// restores TargetLeverage (assets over equity, default its initial value)
// every round, buying as well as selling.
type BankSpec struct {
	// ID names the bank; it must be unique among all ids (a population's
	// members get ID-001, ID-002, ...).
	ID string `yaml:"id" json:"id"`
	// Name is the bank's display name (optional), shown beside its id in
	// summary.json's banks and capital and in report.md; the model reads
	// nothing from it. cascade banks takes it from a table's _name column.
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// Equity is the bank's capital at the start, USD; its holdings beyond it
	// are financed by USD debt.
	Equity float64 `yaml:"equity" json:"equity"`
	// Holdings: USD value held per asset at the start (illiquid assets
	// included; no exchange rates or futures).
	Holdings map[string]float64 `yaml:"holdings" json:"holdings"`
	// Cash is USD cash held at the start besides the holdings (default 0),
	// financed like them. It counts among the assets of the leverage ratio,
	// and deleveraging repays debt with it before selling anything.
	Cash float64 `yaml:"cash,omitempty" json:"cash,omitempty"`
	// Mode is how the bank manages its leverage: threshold (default: sell
	// only below buffer_ratio) or target (restore target_leverage every
	// round, buying as well as selling).
	Mode string `yaml:"mode,omitempty" json:"mode,omitempty"`

	// MinRatio is the threshold mode's default point: the bank fails, and
	// everything marketable is sold, once its leverage ratio (equity over
	// assets) falls below it (default 0: once equity is gone).
	MinRatio float64 `yaml:"min_ratio,omitempty" json:"min_ratio,omitempty"`
	// BufferRatio is the threshold mode's trigger: below this leverage
	// ratio (equity over assets) the bank sells (required, > 0, between
	// min_ratio and target_ratio).
	BufferRatio float64 `yaml:"buffer_ratio,omitempty" json:"buffer_ratio,omitempty"`
	// TargetRatio is the leverage ratio (equity over assets) the threshold
	// mode's sales restore (at least buffer_ratio).
	TargetRatio float64 `yaml:"target_ratio,omitempty" json:"target_ratio,omitempty"`

	// TargetLeverage is the leverage (assets over equity) the target mode
	// restores every round (default: the bank's leverage at the start; 0 is
	// refused).
	TargetLeverage float64 `yaml:"target_leverage,omitempty" json:"target_leverage,omitempty"`
	// Sales: pro_rata (in proportion to current holdings, default) or
	// weights (in proportion to the initial portfolio weights, as GLT assume).
	Sales string `yaml:"sales,omitempty" json:"sales,omitempty"`
	// Weights overrides the portfolio weights of weights-mode sales (default:
	// the initial holdings of marketable assets). They are read only with
	// sales: weights, and may put weight only on marketable assets the bank
	// holds (a share elsewhere would go unsold), at least one of them.
	Weights map[string]float64 `yaml:"weights,omitempty" json:"weights,omitempty"`
	// Tolerance: no order below this share of assets (default 1e-12; 0 is
	// refused).
	Tolerance float64 `yaml:"tolerance,omitempty" json:"tolerance,omitempty"`
}

// Bank is a leverage-constrained bank.
type Bank struct {
	h      *core.Holder
	Spec   BankSpec
	target bool
	w0     []float64 // initial weights of marketable assets (sum 1)
	lev    float64
	tol    float64
	cash   float64 // gross cash on the asset side; the holder's USD balance nets it against debt
}

// Holder returns the bank's balance sheet.
func (b *Bank) Holder() *core.Holder { return b.h }

// Applied returns, for target_leverage, the leverage the bank sells down
// to (its starting leverage when target_leverage is 0); every other field
// it holds as its spec gives it (Applier).
func (b *Bank) Applied(field string) (float64, bool) {
	if field == "target_leverage" {
		return b.lev, true
	}
	return 0, false
}

// Cash is the bank's gross cash, USD: what is left of BankSpec.Cash after
// the debt it has repaid. The holder's USD balance is this cash less the
// debt.
func (b *Bank) Cash() float64 { return b.cash }

// Threshold reports whether the bank manages its leverage by thresholds
// (threshold mode) rather than by a target.
func (b *Bank) Threshold() bool { return !b.target }

// Assets returns the bank's assets as its leverage ratio (equity over
// assets) counts them: its holdings at the world's prices, its cash and
// any foreign cash. It changes nothing.
func (b *Bank) Assets(w *core.World) float64 {
	acc := &b.h.Accounts[0]
	assets := 0.0
	for _, i := range acc.Held {
		assets += w.NotionalUSD(i, acc.Units[i])
	}
	assets += b.cash
	for c := 1; c < w.NCur; c++ {
		assets += max(float64(b.h.Cash[c]*w.FXUSD[c]), 0)
	}
	return assets
}

// Build puts the bank on the books: its holdings bought from the outside
// sector, financed by USD debt owed to it.
func (s *BankSpec) Build(env *Env) (*Bank, error) {
	w := env.W
	b := &Bank{Spec: *s, tol: orDefault(s.Tolerance, 1e-12), cash: s.Cash}
	switch s.Mode {
	case "", "threshold":
		if !(s.BufferRatio > 0 && s.TargetRatio >= s.BufferRatio && s.MinRatio <= s.BufferRatio) {
			return nil, fmt.Errorf("bank %s: need min_ratio <= buffer_ratio <= target_ratio and buffer_ratio > 0", s.ID)
		}
	case "target":
		b.target = true
	default:
		return nil, fmt.Errorf("bank %s: mode %q: want threshold or target", s.ID, s.Mode)
	}
	if s.Sales != "" && s.Sales != "pro_rata" && s.Sales != "weights" {
		return nil, fmt.Errorf("bank %s: sales %q: want pro_rata or weights", s.ID, s.Sales)
	}
	if !(s.Equity > 0) {
		return nil, fmt.Errorf("bank %s: equity must be positive", s.ID)
	}
	if !(s.Cash >= 0) || math.IsInf(s.Cash, 1) {
		return nil, fmt.Errorf("bank %s: cash must be non-negative", s.ID)
	}
	b.h = w.AddHolder(s.ID, core.Bank)
	w.Endow(b.h, core.USD, s.Equity)
	ids := make([]string, 0, len(s.Holdings))
	for id := range s.Holdings {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	b.w0 = make([]float64, len(w.Assets))
	total, mkt := 0.0, 0.0
	for _, id := range ids {
		i, err := env.Asset(id)
		if err != nil {
			return nil, fmt.Errorf("bank %s: holdings: %w", s.ID, err)
		}
		v := s.Holdings[id]
		if w.Assets[i].Kind == core.FX || w.Assets[i].Kind == core.Future {
			return nil, fmt.Errorf("bank %s: holdings of %s: only funded assets can be held", s.ID, id)
		}
		w.SetupTrade(b.h, 0, i, toUnits(w, i, v))
		total += v
		if w.Assets[i].Tradable() {
			b.w0[i] = v
			mkt += v
		}
	}
	if len(s.Weights) > 0 {
		clear(b.w0)
		mkt = 0
		for id, v := range s.Weights {
			i, err := env.Asset(id)
			if err != nil {
				return nil, fmt.Errorf("bank %s: weights: %w", s.ID, err)
			}
			if !(v >= 0) {
				return nil, fmt.Errorf("bank %s: weight of %s must be non-negative", s.ID, id)
			}
			b.w0[i] = v
		}
		for _, v := range b.w0 {
			mkt += v
		}
		// Sales go to the marketable assets it holds: weights with none
		// there would never sell anything.
		sells := false
		for _, id := range ids {
			i, _ := env.Asset(id)
			sells = sells || (b.w0[i] > 0 && w.Assets[i].Tradable() && s.Holdings[id] > 0)
		}
		if !sells {
			return nil, fmt.Errorf("bank %s: weights put nothing on a marketable asset it holds, so it could never deleverage", s.ID)
		}
	}
	for i := range b.w0 {
		if mkt > 0 {
			b.w0[i] /= mkt
		}
	}
	b.lev = orDefault(s.TargetLeverage, (total+s.Cash)/s.Equity)
	// Foreign-currency purchases left negative foreign cash: borrow it in USD instead.
	for c := 1; c < w.NCur; c++ {
		if v := b.h.Cash[c]; v != 0 {
			p, q := fxBuy(w, c, -v*w.FXUSD[c])
			w.SetupTrade(b.h, 0, p, q)
		}
	}
	return b, nil
}

// Decide restores the bank's leverage as its mode says. Bank sales are
// forced: they may happen in every clearing round. A market that is closed
// is left for a later round (the shortfall is worked out afresh each
// round), and a failed bank goes on selling what is left at each market's
// open.
func (b *Bank) Decide(w *core.World) {
	h := b.h
	if h.Passive {
		return
	}
	if h.Defaulted {
		b.squareFX(w, core.DefaultLiquidation, 0)
		b.liquidate(w)
		return
	}
	acc := &h.Accounts[0]
	assets, mkt := 0.0, 0.0
	for _, i := range acc.Held {
		v := w.NotionalUSD(i, acc.Units[i])
		assets += v
		if w.Assets[i].Tradable() {
			mkt += v
		}
	}
	assets += b.cash
	// Foreign cash (the proceeds of a foreign asset's sale) is changed into
	// dollars, which repay USD debt; what stays abroad this round (its
	// market shut) is an asset still.
	assets += b.squareFX(w, core.Deleveraging, b.tol*assets)
	eq := w.NAV(h)
	var sell float64
	if b.target {
		sell = assets - float64(b.lev*eq)
	} else {
		if eq <= 0 || eq < b.Spec.MinRatio*assets {
			h.Defaulted, h.DefaultTick = true, w.Tick
			w.Log(core.Event{Kind: core.EvDefault, Agent: h.ID, Amount: -eq, Detail: "leverage ratio below minimum"})
			b.liquidate(w)
			return
		}
		if eq >= b.Spec.BufferRatio*assets {
			return
		}
		sell = assets - eq/b.Spec.TargetRatio
	}
	if sell > 0 && b.cash > 0 {
		// Cash repays debt first: the net USD balance does not change.
		c := min(sell, b.cash)
		b.cash -= c
		sell -= c
	}
	if math.Abs(sell) <= b.tol*assets {
		return
	}
	if sell > mkt {
		sell = mkt
	}
	b.distribute(w, sell, mkt, core.Deleveraging)
}

// squareFX changes the bank's foreign-currency cash into dollars, in the
// markets that are open: the proceeds of selling a foreign asset repay its
// USD debt (its funding carries no exchange-rate risk, as Build sets it
// up) rather than stay abroad. Balances under dust (USD) are left. It
// returns the USD value of the positive balances it leaves.
func (b *Bank) squareFX(w *core.World, why core.Reason, dust float64) (left float64) {
	h := b.h
	for c := 1; c < w.NCur; c++ {
		v := float64(h.Cash[c] * w.FXUSD[c])
		if v == 0 || math.Abs(v) <= dust || w.FXPair[c] < 0 || !w.Trades(w.FXPair[c]) {
			left += max(v, 0)
			continue
		}
		p, q := fxBuy(w, c, -v)
		w.Submit(core.Order{Holder: h.Index, Acct: 0, Asset: p, Units: q, Reason: why})
	}
	return left
}

// liquidate sells everything marketable a failed bank holds, whatever the
// sales rule (weights no longer match the holdings, so a weighted split of
// the total would leave some unsold), in the markets that are open.
func (b *Bank) liquidate(w *core.World) {
	acc := &b.h.Accounts[0]
	for _, i := range acc.Held {
		if u := acc.Units[i]; u != 0 && w.Assets[i].Tradable() && w.Trades(i) {
			w.Submit(core.Order{Holder: b.h.Index, Acct: 0, Asset: i, Units: -u, Reason: core.DefaultLiquidation})
		}
	}
}

// distribute sells v USD of marketable assets (buys when negative), in the
// markets that are open.
func (b *Bank) distribute(w *core.World, v, mkt float64, why core.Reason) {
	acc := &b.h.Accounts[0]
	for _, i := range acc.Held {
		u := acc.Units[i]
		if !w.Assets[i].Tradable() || !w.Trades(i) {
			continue
		}
		var vi float64
		if b.Spec.Sales == "weights" {
			vi = v * b.w0[i]
		} else if mkt > 0 {
			vi = v * w.NotionalUSD(i, u) / mkt
		}
		if vi == 0 {
			continue
		}
		q := -toUnits(w, i, vi)
		if -q > u && q < 0 {
			q = -u
		}
		w.Submit(core.Order{Holder: b.h.Index, Acct: 0, Asset: i, Units: q, Reason: why})
	}
}
