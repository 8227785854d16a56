package agents

import (
	"math"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/core/dmath"
)

// NoGroupIntact reports whether noGroup is as declared: an okTick no tick
// matches, never computed, nothing enrolled.
func NoGroupIntact() bool {
	g := noGroup
	return g.okTick == math.MinInt && g.noTick == -1 && g.tick == -1 && len(g.members) == 0 && !g.dirty && g.ratio == 0
}

// Grouped reports whether a signal's group test answers for the fund
// (qGroup is a signal's, not noGroup); set is false when qGroup is nil.
func (f *HedgeFund) Grouped() (grouped, set bool) { return f.qGroup != noGroup, f.qGroup != nil }

// ValueState is what a value investor's Decide reads and changes of its
// own: its anchors, the trading ticks counted since each asset's last
// review, the next review's tick and the review's currency needs.
type ValueState struct {
	Anchor []float64
	Open   []int
	Next   int
	FXNeed [core.MaxCurrencies]float64
}

// State returns a copy of the investor's state.
func (v *ValueInvestor) State() ValueState {
	return ValueState{Anchor: append([]float64(nil), v.anchor...), Open: append([]int(nil), v.open...), Next: v.next, FXNeed: v.fxNeed}
}

// SetState restores a state State returned.
func (v *ValueInvestor) SetState(s ValueState) {
	copy(v.anchor, s.Anchor)
	copy(v.open, s.Open)
	v.next, v.fxNeed = s.Next, s.FXNeed
}

// DecideWritten is Decide as it was written at commit 8949cd6, before its
// review counted the trading ticks in its own pass, read its slices
// through locals and valued the holding only for a purchase: the
// reference TestValueInvestorDecideWritten compares Decide with.
func (v *ValueInvestor) DecideWritten(w *core.World) {
	h := v.h
	if w.Round != 0 || h.Passive || h.Defaulted {
		return
	}
	for k, i := range v.assets {
		if w.Trades(i) {
			v.open[k]++
		}
	}
	if w.Tick < v.next {
		return
	}
	v.next = w.Tick + v.period
	band := orDefault(v.Spec.Band, 0.03)
	intensity := orDefault(v.Spec.Intensity, 0.5)
	half := orDefault(v.Spec.AnchorDays, 20)
	maxShare := orDefault(v.Spec.MaxShare, 0.5)
	cash := h.FreeCashUSD()
	v.fxNeed = [core.MaxCurrencies]float64{}
	for k, i := range v.assets {
		if !w.Trades(i) {
			continue // its market is closed: look again at the next review
		}
		c := w.Assets[i].Currency
		if c != core.USD && !w.Trades(w.FXPair[c]) {
			continue // so is the currency it is paid for in
		}
		// The rates are per trading day: the review covers the ticks the
		// market traded since the last one (an hourly look at a 6.5-hour
		// session is 1/7 of a day; a daily look, all of it).
		days := float64(v.open[k]) / w.TradingDay(i)
		rate := intensity * days
		lambda := v.decay1[k]
		if v.open[k] != 1 {
			lambda = dmath.Pow(0.5, days/half)
		}
		v.open[k] = 0
		p := w.Price[i]
		v.anchor[k] = float64(lambda*v.anchor[k]) + float64((1-lambda)*p)
		gap := 1 - p/v.anchor[k]
		held := h.Accounts[0].Units[i]
		hv := w.NotionalUSD(i, held)
		switch {
		case gap > band:
			buy := v.cap0 * rate * min(3, gap/band)
			buy = min(buy, min(cash, float64(maxShare*v.cap0)-hv))
			if buy <= 1e-9*v.cap0 {
				continue
			}
			cash -= buy
			v.fxNeed[c] += buy
			w.Submit(core.Order{Holder: h.Index, Asset: i, Units: toUnits(w, i, buy), Reason: core.ValueBuying})
		case gap < 0 && held > 0:
			sell := held * min(1, rate*min(3, -gap/band))
			w.Submit(core.Order{Holder: h.Index, Asset: i, Units: -sell, Reason: core.ValueBuying})
			v.fxNeed[c] -= w.NotionalUSD(i, sell)
		}
	}
	v.squareFX(w)
}

// MeetCall is the CTA's book's meetCall.
func (c *CTA) MeetCall(w *core.World) bool { return c.meetCall(w) }

// MeetCallWritten is the CTA's book's meetCall as written at commit
// 8949cd6, in one function: the reference TestMeetCallWritten compares it
// with.
func (c *CTA) MeetCallWritten(w *core.World) bool { return c.meetCallWritten(w) }

// CallAccount returns the CTA's account at its broker.
func (c *CTA) CallAccount() *core.Account { return &c.h.Accounts[c.acct] }

func (k *book) meetCallWritten(w *core.World) bool {
	acc := &k.h.Accounts[k.acct]
	if acc.Call <= 0 || acc.Seized {
		return false
	}
	need := postFreeCash(w, k.h, k.acct, float64(acc.Req*(1+callBuffer))-acc.Posted)
	if need <= 0 || acc.Req <= 0 {
		return true
	}
	s := min(1, need/(1+callBuffer)/acc.Req)
	w.Exposure(acc, k.expo)
	for i, e := range k.expo {
		if e == 0 || !w.Assets[i].Tradable() || !w.Trades(i) {
			continue // a closed market's share waits: the next round works the call out afresh
		}
		w.Submit(core.Order{Holder: k.h.Index, Acct: k.acct, Asset: i, Units: toUnits(w, i, -s*e), Reason: core.MarginCall})
	}
	return true
}
