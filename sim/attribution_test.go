package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/core/dmath"
)

// attributionByHistory is the definition the online attribution follows:
// keep every tick, find each asset's largest peak-to-trough fall (with
// rise, its largest trough-to-peak rise) on the path of closes (start
// price first) and sum the window's returns.
func attributionByHistory(ids []string, price0 []float64, frames []*Frame, rise bool) map[string]*Attribution {
	nk, nr := int(core.NumAgentKinds), int(core.NumReasons)
	out := map[string]*Attribution{}
	for i, id := range ids {
		p := []float64{price0[i]}
		for _, f := range frames {
			p = append(p, f.Price[i])
		}
		peak, best, bp, bq := 0, 0.0, 0, 0 // with rise: peak is the trough, bp the rise's trough, bq its peak
		for t := 1; t < len(p); t++ {
			if !rise && p[t] > p[peak] || rise && p[t] < p[peak] {
				peak = t
			}
			d := 1 - p[t]/p[peak]
			if rise {
				d = p[t]/p[peak] - 1
			}
			if d > best {
				best, bp, bq = d, peak, t
			}
		}
		if best <= 0 {
			continue
		}
		move := dmath.Log(p[bq] / p[bp])
		r := &Attribution{PeakTick: bp - 1, TroughTick: bq - 1, MovePct: Num(100 * (p[bq]/p[bp] - 1)),
			ByKind: map[string]Num{}, ByReason: map[string]Num{}}
		exo, link, imp := 0.0, 0.0, 0.0
		kinds := make([]float64, nk)
		reasons := make([]float64, nr)
		for t := bp; t < bq; t++ { // ticks bp+1..bq are frame t
			f := frames[t]
			exo += f.Exo[i] - f.Link[i]
			link += f.Link[i]
			for k := 0; k < nk; k++ {
				v := f.AttrKind[i*nk+k]
				kinds[k] += v
				imp += v
			}
			for k := 0; k < nr; k++ {
				reasons[k] += f.AttrReason[i*nr+k]
			}
		}
		share := func(x float64) float64 {
			if x == 0 {
				return 0
			}
			return 100 * x / move
		}
		r.Exogenous = Num(share(exo))
		r.Links = Num(share(link))
		r.Other = Num(share(move - exo - link - imp))
		for k, v := range kinds {
			if s := share(v); s != 0 {
				r.ByKind[core.AgentKind(k).String()] = Num(s)
			}
		}
		for k, v := range reasons {
			if s := share(v); s != 0 {
				r.ByReason[core.Reason(k).String()] = Num(s)
			}
		}
		if rise {
			r.PeakTick, r.TroughTick = bq-1, bp-1
		}
		out[id] = r
	}
	return out
}

// TestAttributionOnline: the online attribution gives, bit for bit, what
// summing the stored history over the largest fall and over the largest
// rise gives (and the path's
// extremes), on random paths
// with ties, flat stretches, new peaks and sparse flows (read only for the
// assets, kinds and reasons the frame lists as traded, as the market lists
// them).
func TestAttributionOnline(t *testing.T) {
	nk, nr := int(core.NumAgentKinds), int(core.NumReasons)
	for seed := uint64(1); seed <= 50; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		n := 1 + rng.IntN(5)
		ticks := rng.IntN(300)
		ids := make([]string, n)
		price0 := make([]float64, n)
		w := &core.World{}
		for i := range ids {
			ids[i] = string(rune('A' + i))
			w.Assets = append(w.Assets, core.Asset{ID: ids[i]})
			price0[i] = 100
		}
		w.Price = append([]float64(nil), price0...)
		m := &Model{W: w}
		a := newAttribution(m)
		var frames []*Frame
		price := append([]float64(nil), price0...)
		for tick := 0; tick < ticks; tick++ {
			f := &Frame{Tick: tick, Price: make([]float64, n), Exo: make([]float64, n), Link: make([]float64, n),
				AttrKind: make([]float64, n*nk), AttrReason: make([]float64, n*nr)}
			for i := 0; i < n; i++ {
				traded := rng.IntN(4) == 0 // listed as traded, with flows or not
				switch rng.IntN(6) {
				case 0: // unchanged: ties with the peak or the trough
				case 1:
					price[i] = price0[i] // back to the start
				default:
					price[i] *= 1 + 0.02*rng.NormFloat64()
				}
				f.Price[i] = price[i]
				f.Exo[i] = 0.01 * rng.NormFloat64()
				if rng.IntN(2) == 0 {
					f.Link[i] = 0.01 * rng.NormFloat64()
				}
				for j := 0; j < 1+rng.IntN(3); j++ {
					if rng.IntN(3) == 0 {
						s := 0.01 * rng.NormFloat64()
						k, r := rng.IntN(nk), rng.IntN(nr)
						f.AttrKind[i*nk+k] += s
						f.AttrReason[i*nr+r] += s
						f.TradedKinds |= 1 << k
						f.TradedReasons |= 1 << r
						traded = true
					}
				}
				if traded {
					f.Traded = append(f.Traded, i)
				}
			}
			f.TradedKinds |= 1 << rng.IntN(nk) // listed, with flows or not
			f.TradedReasons |= 1 << rng.IntN(nr)
			frames = append(frames, f)
			a.observe(f)
		}
		for i := range ids { // the extremes, as the collector once followed them
			low, high, lowT, highT := price0[i], price0[i], -1, -1 // −1: the start price
			for _, f := range frames {
				if p := f.Price[i]; p < low {
					low, lowT = p, f.Tick
				} else if p > high {
					high, highT = p, f.Tick
				}
			}
			s := &a.paths[i]
			last := price0[i]
			if len(frames) > 0 {
				last = frames[len(frames)-1].Price[i]
			}
			if s.low != low || s.lowT != lowT || s.peakP != high || s.maxT != highT || s.last != last {
				t.Fatalf("seed %d asset %s: extremes %v@%d %v@%d last %v, want %v@%d %v@%d last %v",
					seed, ids[i], s.low, s.lowT, s.peakP, s.maxT, s.last, low, lowT, high, highT, last)
			}
		}
		falls, rises := a.summarize()
		for _, c := range []struct {
			what string
			got  map[string]*Attribution
			rise bool
		}{{"fall", falls, false}, {"rise", rises, true}} {
			want, got := attributionByHistory(ids, price0, frames, c.rise), c.got
			if len(got) != len(want) {
				t.Fatalf("seed %d: %d assets' %s attributed, want %d", seed, len(got), c.what, len(want))
			}
			compareAttribution(t, seed, c.what, got, want)
		}
	}
}

// compareAttribution fails unless got and want are the same, bit for bit.
func compareAttribution(t *testing.T, seed uint64, what string, got, want map[string]*Attribution) {
	t.Helper()
	same := func(a, b Num) bool { return math.Float64bits(float64(a)) == math.Float64bits(float64(b)) }
	for id, w := range want {
		g := got[id]
		if g == nil || g.PeakTick != w.PeakTick || g.TroughTick != w.TroughTick || !same(g.MovePct, w.MovePct) ||
			!same(g.Exogenous, w.Exogenous) || !same(g.Links, w.Links) || !same(g.Other, w.Other) ||
			len(g.ByKind) != len(w.ByKind) || len(g.ByReason) != len(w.ByReason) {
			t.Fatalf("seed %d asset %s %s: got %+v, want %+v", seed, id, what, g, w)
		}
		for k, v := range w.ByKind {
			if !same(g.ByKind[k], v) {
				t.Fatalf("seed %d asset %s %s kind %s: got %v, want %v", seed, id, what, k, g.ByKind[k], v)
			}
		}
		for k, v := range w.ByReason {
			if !same(g.ByReason[k], v) {
				t.Fatalf("seed %d asset %s %s reason %s: got %v, want %v", seed, id, what, k, g.ByReason[k], v)
			}
		}
	}
}

// TestAttributionKeepsSmallShares: every kind and reason whose orders moved
// the price in the window is in the attribution, however small its share,
// so that the shares add up to 100 and a sweep's statistics of a kind's
// share count the runs where it was small (they are not left out, to read
// as missing). A 10% fall with a CTA selling 0.001% of it.
func TestAttributionKeepsSmallShares(t *testing.T) {
	nk, nr := int(core.NumAgentKinds), int(core.NumReasons)
	w := &core.World{Assets: []core.Asset{{ID: "A"}}, Price: []float64{100}}
	a := newAttribution(&Model{W: w})
	move := dmath.Log(0.9)
	f := &Frame{Tick: 0, Price: []float64{90}, Exo: []float64{0.999 * move}, Link: []float64{0},
		AttrKind: make([]float64, nk), AttrReason: make([]float64, nr), Traded: []int{0}}
	f.AttrKind[core.CTA], f.AttrReason[core.CTASignal] = 1e-5*move, 1e-5*move
	f.TradedKinds, f.TradedReasons = 1<<core.CTA, 1<<core.CTASignal
	a.observe(f)
	falls, _ := a.summarize()
	r := falls["A"]
	if r == nil {
		t.Fatal("no attribution of a 10% fall")
	}
	cta, ok := r.ByKind["cta"]
	if !ok || !(math.Abs(float64(cta)-1e-3) < 1e-12) || r.ByReason["cta_signal"] != cta {
		t.Errorf("CTA share %v (kept %v), reason %v: want 0.001%% in both", cta, ok, r.ByReason["cta_signal"])
	}
	if sum := float64(r.Exogenous + r.Links + r.Other + cta); math.Abs(sum-100) > 1e-9 {
		t.Errorf("shares add up to %v, want 100", sum)
	}
}
