package core

import (
	"math"

	"github.com/cascade-sim/cascade/core/dmath"
)

// SpreadVol estimates each asset's per-tick volatility as EWMA does (an
// exponentially weighted mean of squared returns, means taken as zero,
// halving every HalfLife ticks of calendar time), except at a market's
// open after ticks without trading. There the gap, the news of the k
// ticks since the market last traded (the ticks shut and the open), enters
// as k returns of gap/√k: what EWMA would read had the market traded
// through and the news come evenly. In a calm market the gap of k ticks
// has k ticks' variance and the estimate stays calm at the open; EWMA of
// per-tick returns reads it as one tick's move (ODD N12). A large gap still
// raises the estimate at once, by its variance per tick.
//
// For a market that trades at every tick it is EWMA's diagonal, bit for
// bit. The square-root impact law scales with it under
// conventions.impact_vol: spread.
type SpreadVol struct {
	HalfLife float64
	lambda   float64
	v        []float64 // per-tick variance
	vol      []float64 // √v, kept current
	k        []float64 // ticks since the asset last traded
}

// NewSpreadVol returns an estimator of len(vol) assets with this
// half-life (ticks), started at the given per-tick volatilities.
func NewSpreadVol(halfLife float64, vol []float64) *SpreadVol {
	n := len(vol)
	s := &SpreadVol{HalfLife: halfLife, lambda: dmath.Pow(0.5, 1/halfLife),
		v: make([]float64, n), vol: make([]float64, n), k: make([]float64, n)}
	for i, x := range vol {
		s.v[i], s.vol[i] = x*x, x
	}
	return s
}

// Update folds one tick's returns in, given the markets that traded (nil:
// all). A market that did not trade and did not move waits: its weights
// decay at its next open, with the gap. It does not allocate.
func (s *SpreadVol) Update(r []float64, open []bool) {
	v, k := s.v, s.k[:len(s.v)]
	r = r[:len(v)]
	for i, x := range r {
		if open != nil && !open[i] && x == 0 {
			k[i]++
			continue
		}
		l := s.lambda
		if k[i] > 0 {
			n := k[i] + 1
			x /= math.Sqrt(n)
			l = dmath.Pow(l, n)
			k[i] = 0
		}
		v[i] = float64(l*v[i]) + float64(float64(x*(1-l))*x)
		s.vol[i] = math.Sqrt(v[i])
	}
}

// Vol returns the per-tick volatility of asset i.
func (s *SpreadVol) Vol(i int) float64 { return s.vol[i] }
