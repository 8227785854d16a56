package sim

import (
	"math/bits"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/core/dmath"
)

// attribution follows, per asset and online, the largest peak-to-trough
// fall of the path, and its largest trough-to-peak rise, and splits each
// between the exogenous return and the impact return carried by each
// agent kind's and each reason's flows. It keeps no per-tick history: per
// asset, the running peak and trough, the sums of the per-tick returns
// since each, and a copy of those sums for the deepest fall and the
// highest rise so far.
type attribution struct {
	m     *Model
	t     int // index of the last close observed (see attrPath)
	paths []attrPath
}

// attrSums are per-tick returns summed over a window of ticks.
type attrSums struct {
	exo, link, imp float64 // imp: the sum of every kind's impact return
	kind           [core.NumAgentKinds]float64
	reason         [core.NumReasons]float64
}

// attrPath is one asset's state. Prices are indexed as in the path of
// closes that starts with the start price (index 0): the close of the
// tick observed t-th (from 1) has index t, and the window of a fall from
// index bp to index bq sums the returns of the ticks closing at bp+1..bq.
// The path's extremes are kept too, for the summary: the highest close is
// the peak.
type attrPath struct {
	peak     int     // index of the highest close so far (the first, on ties)
	peakP    float64 // that close
	best     float64 // the largest fall so far, as a fraction of its peak (0: none)
	bp, bq   int     // its peak's and trough's indices
	bpP, bqP float64 // and closes
	run      attrSums
	bestSums attrSums // run as it was at the trough of the largest fall

	// The largest rise, as the fall: from the lowest close so far (low,
	// at index lowT+1), as a fraction of that trough.
	bestUp     float64
	ubp, ubq   int     // its trough's and peak's indices
	ubpP, ubqP float64 // and closes
	up         attrSums
	bestUpSums attrSums // up as it was at the peak of the largest rise

	last       float64 // the last close
	low        float64 // the lowest close so far (the first, on ties)
	lowT, maxT int     // the frame ticks of the lowest and highest closes (−1 for the start price)
}

func newAttribution(m *Model) *attribution {
	a := &attribution{m: m, paths: make([]attrPath, len(m.W.Assets))}
	for i := range a.paths {
		p := m.W.Price[i]
		a.paths[i].peakP, a.paths[i].low, a.paths[i].last = p, p, p
		a.paths[i].lowT, a.paths[i].maxT = -1, -1
	}
	return a
}

// observe folds in the tick of f. The returns of the tick that closes at
// index t belong to every window whose peak is before t: they are added
// to the running sums before a new peak at t resets them.
//
// Impact returns are read only for the assets, kinds and reasons that
// traded (f.Traded, f.TradedKinds, f.TradedReasons): the others are zero.
// Zero returns (most of them even there: an asset traded in a tick is
// traded by few kinds for few reasons) are skipped too. This changes no
// bit of the sums: a sum starts at +0 and so is never −0 (a sum is −0
// only when both terms are), and adding ±0 to anything but −0 leaves it
// as it is. Each sum still gains its terms in the same order, tick after
// tick; imp adds the kinds' returns in kind order, as summing the
// window's history would.
func (a *attribution) observe(f *Frame) {
	nk, nr := int(core.NumAgentKinds), int(core.NumReasons)
	a.t++
	t := a.t
	paths := a.paths
	for _, i := range f.Traded {
		s, u := &paths[i].run, &paths[i].up
		for ks := f.TradedKinds; ks != 0; ks &= ks - 1 {
			k := bits.TrailingZeros32(ks)
			if v := f.AttrKind[i*nk+k]; v != 0 {
				s.kind[k] += v
				s.imp += v
				u.kind[k] += v
				u.imp += v
			}
		}
		for rs := f.TradedReasons; rs != 0; rs &= rs - 1 {
			r := bits.TrailingZeros32(rs)
			if v := f.AttrReason[i*nr+r]; v != 0 {
				s.reason[r] += v
				u.reason[r] += v
			}
		}
	}
	exo, link, price := f.Exo[:len(paths)], f.Link[:len(paths)], f.Price[:len(paths)]
	for i := range paths {
		s := &paths[i]
		e, l := exo[i]-link[i], link[i]
		s.run.exo += e
		s.run.link += l
		s.up.exo += e
		s.up.link += l
		p := price[i]
		s.last = p
		if p > s.peakP {
			// A new peak: no fall from it yet (1 - p/p is 0, never more
			// than best), and the low (at most the start, so at most the
			// old peak) stands.
			s.peak, s.peakP, s.maxT = t, p, f.Tick
			s.run = attrSums{}
		} else if d := 1 - p/s.peakP; d > s.best {
			s.best, s.bp, s.bq = d, s.peak, t
			s.bpP, s.bqP = s.peakP, p
			s.bestSums = s.run
		}
		if p < s.low {
			// A new trough: no rise from it yet.
			s.low, s.lowT = p, f.Tick
			s.up = attrSums{}
		} else if d := p/s.low - 1; d > s.bestUp {
			s.bestUp, s.ubp, s.ubq = d, s.lowT+1, t
			s.ubpP, s.ubqP = s.low, p
			s.bestUpSums = s.up
		}
	}
}

// drawdown returns asset i's largest peak-to-trough fall so far, as a
// fraction of the peak.
func (a *attribution) drawdown(i int) float64 { return a.paths[i].best }

// rise returns asset i's largest trough-to-peak rise so far, as a
// fraction of the trough.
func (a *attribution) rise(i int) float64 { return a.paths[i].bestUp }

// summarize splits each asset's largest peak-to-trough fall (the first
// map) and its largest trough-to-peak rise (the second). Contributions
// are sums of per-tick returns over the window, as a share of the log
// move; what neither the exogenous path nor this window's flows explain
// (decay of earlier temporary impact, compounding) is Other. A share is
// positive for what moved the price the way it went: down in a fall, up
// in a rise.
func (a *attribution) summarize() (falls, rises map[string]*Attribution) {
	falls, rises = map[string]*Attribution{}, map[string]*Attribution{}
	for i := range a.paths {
		s := &a.paths[i]
		id := a.m.W.Assets[i].ID
		if s.best > 0 {
			falls[id] = split(&s.bestSums, s.bp, s.bq, s.bpP, s.bqP)
		}
		if s.bestUp > 0 {
			r := split(&s.bestUpSums, s.ubp, s.ubq, s.ubpP, s.ubqP)
			// In a rise the window runs from the trough to the peak.
			r.PeakTick, r.TroughTick = s.ubq-1, s.ubp-1
			rises[id] = r
		}
	}
	return falls, rises
}

// split splits the move from the close at index from (price pf) to the
// close at index to (price pt) by the window's sums w. Its PeakTick and
// TroughTick are the frame ticks of from and to.
func split(w *attrSums, from, to int, pf, pt float64) *Attribution {
	move := dmath.Log(pt / pf)
	r := &Attribution{PeakTick: from - 1, TroughTick: to - 1, MovePct: Num(100 * (pt/pf - 1)),
		ByKind: map[string]Num{}, ByReason: map[string]Num{}}
	share := func(x float64) float64 {
		if x == 0 {
			return 0
		}
		return 100 * x / move
	}
	r.Exogenous = Num(share(w.exo))
	r.Links = Num(share(w.link))
	r.Other = Num(share(move - w.exo - w.link - w.imp))
	for k, v := range w.kind {
		if s := share(v); s != 0 {
			r.ByKind[core.AgentKind(k).String()] = Num(s)
		}
	}
	for k, v := range w.reason {
		if s := share(v); s != 0 {
			r.ByReason[core.Reason(k).String()] = Num(s)
		}
	}
	return r
}
