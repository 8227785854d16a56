package core

import (
	"math"

	"github.com/cascade-sim/cascade/core/dmath"
)

// TradingVol estimates each asset's per-tick volatility in trading time:
// an EWMA of squared returns (means taken as zero) that moves only at the
// ticks the asset trades, each with its own half-life in trading ticks.
// A return after a closure, the gap that brings the news of k ticks at
// once (the ticks shut and the tick of the open), enters as gap/√k, the
// per-tick return that would have carried the same variance: the hours a
// market was shut are not read as volatility.
//
// For a market that trades at every tick it is EWMA's diagonal, bit for
// bit, at the same half-life. The engine's square-root impact law reads it
// under conventions.impact_vol: trading (ODD N12).
type TradingVol struct {
	lambda []float64 // per asset: 0.5^(1/half-life in trading ticks)
	v      []float64 // per-tick variance
	vol    []float64 // √v, kept current
	k      []float64 // ticks since the asset last traded
}

// NewTradingVol returns an estimator of len(vol) assets started at the
// given per-tick volatilities, asset i's weights halving every
// halfLife[i] of its trading ticks.
func NewTradingVol(halfLife, vol []float64) *TradingVol {
	n := len(vol)
	t := &TradingVol{lambda: make([]float64, n), v: make([]float64, n), vol: make([]float64, n), k: make([]float64, n)}
	for i := range n {
		t.lambda[i] = dmath.Pow(0.5, 1/halfLife[i])
		t.v[i] = vol[i] * vol[i]
		t.vol[i] = vol[i]
	}
	return t
}

// Update folds one tick's returns in, given the markets that traded (nil:
// all). A market that did not trade and did not move is skipped and its
// count of ticks since its last trade goes up. It does not allocate.
func (t *TradingVol) Update(r []float64, open []bool) {
	v, k := t.v, t.k[:len(t.v)]
	r = r[:len(v)]
	for i, x := range r {
		if open != nil && !open[i] && x == 0 {
			k[i]++
			continue
		}
		if k[i] > 0 {
			x /= math.Sqrt(k[i] + 1)
			k[i] = 0
		}
		l := t.lambda[i]
		v[i] = float64(l*v[i]) + float64(float64(x*(1-l))*x)
		t.vol[i] = math.Sqrt(v[i])
	}
}

// Vol returns the per-tick volatility of asset i in trading time.
func (t *TradingVol) Vol(i int) float64 { return t.vol[i] }
