package agents

import (
	"fmt"
	"math"
	"slices"

	"github.com/cascade-sim/cascade/core"
)

// book is what CTAs, risk-parity and volatility-control funds share: equity
// posted at a prime broker, target exposures per asset, and trading toward
// them at a limited speed on a schedule.
type book struct {
	h      *core.Holder
	acct   int
	broker *PrimeBroker
	target []float64 // USD exposure wanted per asset
	expo   []float64 // scratch: current exposure
	period int       // ticks between rebalances
	next   int       // next rebalancing tick
	speed  float64
	est    *core.EWMA
	minTrd float64 // smallest trade, share of equity
	// waits marks the assets whose rebalancing trade found their market
	// closed and waits for its open; nwait counts them.
	waits []bool
	nwait int
	// With rebalance_at, the schedule replaces period: at, the ticks of a
	// clock time's rebalances, in every asset at once; or closes, per
	// asset, the ticks of its market's closes at which that asset is
	// rebalanced (nil for assets outside the book). pos is the next entry
	// of at, or of each asset's closes, and next the earliest of them.
	// pairOf, with closes, is the exchange rate of each foreign asset's
	// currency (-1 for dollar assets), traded with it so that its P&L comes
	// home as on any other schedule.
	at     []int32
	closes [][]int32
	pos    []int
	pairOf []int
}

// newBook opens the agent's account at its broker and posts all its
// equity. assets are the ones the book trades; at is the spec's
// rebalance_at.
func newBook(env *Env, h *core.Holder, broker string, assets []int, at string, rebalanceDays, speed, halfLifeDays float64) (*book, error) {
	w := env.W
	b, err := env.Broker(broker)
	if err != nil {
		return nil, err
	}
	k := &book{h: h, broker: b, speed: orDefault(speed, 0.25), minTrd: 1e-4}
	if k.speed <= 0 || k.speed > 1 {
		return nil, fmt.Errorf("speed %v is out of (0, 1]", speed)
	}
	k.acct = w.OpenAccount(h, b.h.Index, true)
	w.Transfer(h, 0, h, k.acct, core.USD, h.Cash[core.USD])
	n := len(w.Assets)
	k.target, k.expo, k.waits = make([]float64, n), make([]float64, n), make([]bool, n)
	k.period = int(math.Max(1, math.Round(orDefault(rebalanceDays, 1)*w.PerDay)))
	k.next = h.Index % k.period
	k.est = w.Est.EWMA(orDefault(halfLifeDays, 20) * w.PerDay)
	if at != "" {
		if err := k.plan(env, assets, at, rebalanceDays); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// plan lays out the rebalancing schedule of rebalance_at over the run:
// every days-th weekday at a clock time, or every days-th close of each
// asset's market.
func (k *book) plan(env *Env, assets []int, at string, rebalanceDays float64) error {
	r, every, field, err := schedulePlan(at, rebalanceDays)
	if err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	w := env.W
	type key struct {
		at           string
		asset, every int
	}
	if !r.close {
		k.at = env.schedule(key{at, -1, every}, func() []int32 { return clockTicks(r, w.Start, w.TickLen, env.Ticks, every) })
		k.pos, k.next = make([]int, 1), math.MaxInt
		if len(k.at) > 0 {
			k.next = int(k.at[0])
		}
		return nil
	}
	k.closes, k.pos, k.pairOf = make([][]int32, len(w.Assets)), make([]int, len(w.Assets)), make([]int, len(w.Assets))
	for i := range k.pairOf {
		k.pairOf[i] = -1
	}
	for _, i := range assets {
		k.closes[i] = env.schedule(key{at, i, every}, func() []int32 { return closeTicks(env.Trades, w.Start, w.TickLen, env.Ticks, i, every) })
		if a := &w.Assets[i]; a.Kind != core.FX && a.Currency != core.USD {
			k.pairOf[i] = w.FXPair[a.Currency]
		}
	}
	k.closing(-1) // no close before the first tick: sets next
	return nil
}

// setup puts the target exposures on the books at once (before the first tick).
func (k *book) setup(w *core.World) {
	for i, v := range k.target {
		if v != 0 {
			w.SetupTrade(k.h, k.acct, i, toUnits(w, i, v))
		}
	}
}

// trade moves the current exposures a share speed toward the targets: in
// every asset when all is set, else only in those whose trade waits for
// their market's open. A trade in a closed market is not submitted (it
// would be refused); it waits, and the book trades that asset at the
// market's open toward the targets of then (see due).
func (k *book) trade(w *core.World, why core.Reason, all bool) {
	w.Exposure(&k.h.Accounts[k.acct], k.expo)
	nav := max(w.NAV(k.h), 0)
	for i, t := range k.target {
		if !all && !k.waits[i] {
			continue
		}
		d := k.speed * (t - k.expo[i])
		small := math.Abs(d) <= k.minTrd*nav || d == 0
		closed := !small && !w.Trades(i)
		if closed != k.waits[i] {
			k.waits[i] = closed
			if closed {
				k.nwait++
			} else {
				k.nwait--
			}
		}
		if small || closed {
			continue
		}
		w.Submit(core.Order{Holder: k.h.Index, Acct: k.acct, Asset: i, Units: toUnits(w, i, d), Reason: why})
	}
}

// callBuffer is the margin above the requirement a book restores when it
// meets a call (as a hedge fund's default MarginBuffer).
const callBuffer = 0.1

// meetCall answers an open margin call at the book's broker, in any
// clearing round: from free cash first, then by cutting every exposure pro
// rata (a requirement on gross or on a portfolio scales with the book), by
// the share that leaves margin posted callBuffer above what remains
// required. It reports whether a call was open; the book then skips its
// rebalancing for the tick.
func (k *book) meetCall(w *core.World) bool {
	return !(k.h.Accounts[k.acct].Call <= 0) && k.answerCall(w) // a NaN call is answered, as before
}

// answerCall is meetCall for an account with an open call: the test for
// one is kept apart so that it inlines into each Decide, most of whose
// rounds have none.
func (k *book) answerCall(w *core.World) bool {
	acc := &k.h.Accounts[k.acct]
	if acc.Seized {
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

// due reports whether the book trades in this round, and whether in every
// asset. On a rebalancing tick (round 0 every period ticks, from an offset
// by the holder's index, or of rebalance_at's schedule) it trades in all
// and schedules the next; at a close of rebalance_at: close, in the assets
// whose market closes. On any other tick's round 0 it trades when a market
// whose trade waited has opened, in the waiting assets only: a rebalancing
// schedule set in one time zone still reaches a market that trades in
// another.
func (k *book) due(w *core.World) (ok, all bool) {
	if w.Tick >= k.next || k.nwait > 0 { // most rounds fail this test: due inlines
		ok, all = k.dueNow(w)
	}
	return ok, all
}

// dueNow is due past its quick test: a rebalance falls due (by the
// default schedule or rebalance_at's), or trades wait for their markets.
func (k *book) dueNow(w *core.World) (ok, all bool) {
	if w.Round != 0 {
		return false, false
	}
	t := w.Tick
	if t >= k.next {
		switch {
		case k.closes != nil:
			k.closing(t)
			return true, false
		case k.at != nil:
			p := k.pos[0]
			for p < len(k.at) && int(k.at[p]) <= t {
				p++
			}
			k.pos[0] = p
			k.next = math.MaxInt
			if p < len(k.at) {
				k.next = int(k.at[p])
			}
		default:
			k.next = t + k.period
		}
		return true, true
	}
	for i, wait := range k.waits {
		if wait && w.Trading[i] {
			return true, false
		}
	}
	return false, false
}

// closing marks the assets whose close is due at tick t (or was missed
// since, while the book met a margin call) as waiting for their trade,
// with the exchange rate of a foreign asset's currency (its P&L in that
// currency goes home as the asset is rebalanced: ODD 7.9, Currency), and
// sets next to the earliest close to come.
func (k *book) closing(t int) {
	k.next = math.MaxInt
	for i, c := range k.closes {
		p := k.pos[i]
		if p < len(c) && int(c[p]) <= t {
			for p < len(c) && int(c[p]) <= t {
				p++
			}
			k.pos[i] = p
			k.wait(i)
			if fx := k.pairOf[i]; fx >= 0 {
				k.wait(fx)
			}
		}
		if p < len(c) {
			k.next = min(k.next, int(c[p]))
		}
	}
}

// wait marks asset i's trade as waiting.
func (k *book) wait(i int) {
	if !k.waits[i] {
		k.waits[i] = true
		k.nwait++
	}
}

// capGross scales the targets down so their gross sum is at most lev times equity.
func (k *book) capGross(w *core.World, lev float64) {
	nav := max(w.NAV(k.h), 0)
	g := 0.0
	for _, v := range k.target {
		g += math.Abs(v)
	}
	if lim := lev * nav; g > lim && g > 0 {
		for i := range k.target {
			k.target[i] *= lim / g
		}
	}
}

// bookAssets lists the assets a book trading assets may order (Orderer):
// those, and the exchange rate of each foreign currency they are in. Its
// account's exposure (what it rebalances toward its targets and cuts on a
// margin call) is in these alone: its positions, and its net holding of
// each foreign currency, whose slot is that currency's exchange rate.
func bookAssets(w *core.World, assets []int) []int {
	out := slices.Clone(assets)
	for _, i := range assets {
		if a := &w.Assets[i]; a.Kind != core.FX && a.Currency != core.USD {
			if p := w.FXPair[a.Currency]; p >= 0 {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// assetList resolves asset IDs.
func assetList(env *Env, ids []string) ([]int, error) {
	out := make([]int, len(ids))
	for k, id := range ids {
		i, err := env.Asset(id)
		if err != nil {
			return nil, err
		}
		if !env.W.Assets[i].Tradable() {
			return nil, fmt.Errorf("asset %s is not tradable", id)
		}
		out[k] = i
	}
	return out, nil
}
