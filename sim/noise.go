package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/core/dmath"
	"gonum.org/v1/gonum/mat"
)

// noise draws the exogenous returns of each tick: correlated normal or
// multivariate Student-t shocks with unit variance, scaled to each asset's
// calm per-tick volatility (times √h with volatility clustering, GarchSpec),
// plus drift. A future takes its underlying's
// return times its beta: one fundamental factor, separate liquidity.
type noise struct {
	off    bool
	n      int
	prim   []int       // assets with their own factor (not futures)
	chol   []float64   // len(prim)² lower-triangular factor of their correlation
	lead   []int       // per row of chol: its leading zeros (uncorrelated with the first assets)
	rows   [][]float64 // per row a of chol: its entries from lead[a] to the diagonal
	sd     []float64   // per-tick volatility per asset (scaled)
	drift  []float64   // per-tick drift per asset
	under  []int       // futures: underlying, -1 otherwise
	beta   []float64
	z      []float64
	r      *rand.Rand
	df     float64 // Student-t degrees of freedom ν, 0 for normal shocks
	tScale float64 // sqrt((ν−2)/ν): unit variance
	// Mult scales every volatility (volatility events); it decays toward 1.
	Mult, multDecay float64
	// Volatility clustering (GarchSpec): h is each own-factor asset's
	// variance multiplier, g its square root; nil without clustering.
	h, g                  []float64
	gOmega, gAlpha, gBeta float64
}

func newNoise(w *core.World, cfg *Config, corr [][]float64, r *rand.Rand) (*noise, error) {
	n := len(w.Assets)
	nz := &noise{off: cfg.Noise.Off, n: n, r: r, Mult: 1, multDecay: 1}
	nz.sd, nz.drift = make([]float64, n), make([]float64, n)
	nz.under, nz.beta = make([]int, n), make([]float64, n)
	scale := cfg.Noise.Scale
	if scale == 0 {
		scale = 1
	}
	for i := range w.Assets {
		a := &w.Assets[i]
		nz.under[i] = a.Underlying
		nz.beta[i] = a.Beta
		nz.sd[i] = scale * a.Vol / math.Sqrt(w.PerYear)
		nz.drift[i] = a.Drift / w.PerYear
		if a.Kind != core.Future {
			nz.prim = append(nz.prim, i)
		}
	}
	k := len(nz.prim)
	c := make([]float64, k*k)
	for a, i := range nz.prim {
		for b, j := range nz.prim {
			v := 0.0
			if i == j {
				v = 1
			} else if corr != nil {
				v = corr[i][j]
			}
			c[a*k+b] = v
		}
	}
	l, err := factor(c, k)
	if err != nil {
		return nil, err
	}
	nz.chol = l
	nz.lead, nz.rows = make([]int, k), make([][]float64, k)
	for a := range nz.lead {
		for nz.lead[a] < a && l[a*k+nz.lead[a]] == 0 {
			nz.lead[a]++
		}
		nz.rows[a] = l[a*k+nz.lead[a] : a*k+a+1]
	}
	nz.z = make([]float64, k)
	switch cfg.Noise.Distribution {
	case "", "normal":
	case "student_t":
		if !(cfg.Noise.DF > 2) {
			return nil, fmt.Errorf("noise: student_t needs df > 2")
		}
		nz.df = cfg.Noise.DF
		nz.tScale = math.Sqrt((cfg.Noise.DF - 2) / cfg.Noise.DF)
	default:
		return nil, fmt.Errorf("noise: unknown distribution %q (want normal or student_t)", cfg.Noise.Distribution)
	}
	if g := cfg.Noise.Garch; g != (GarchSpec{}) {
		if nz.gOmega, nz.gAlpha, nz.gBeta, err = g.Params(w.PerDay); err != nil {
			return nil, err
		}
		// Each variance starts at its mean; the warm-up (history) runs the
		// clustering before the first tick.
		nz.h, nz.g = make([]float64, k), make([]float64, k)
		for a := range nz.h {
			nz.h[a], nz.g[a] = 1, 1
		}
	}
	return nz, nil
}

// factor returns the lower-triangular L (row-major) with L·Lᵀ = c, the
// k×k row-major correlation matrix, computed the same to the bit on every
// machine (dmath.Cholesky). A matrix that is only positive semi-definite
// (perfectly correlated assets) gets added to its diagonal 1e-10 plus its
// smallest eigenvalue's shortfall below zero, rounded up to a multiple of
// 2⁻⁴⁰ so that the eigenvalue's last bits, which differ between machines,
// do not reach the factor; one with an eigenvalue below −1e-8 is an error.
func factor(c []float64, k int) ([]float64, error) {
	if l, ok := dmath.Cholesky(c, k); ok {
		return l, nil
	}
	var es mat.EigenSym
	if !es.Factorize(mat.NewSymDense(k, append([]float64(nil), c...)), false) {
		return nil, fmt.Errorf("correlation matrix: eigen-decomposition failed")
	}
	vals := es.Values(nil)
	if vals[0] < -1e-8 {
		return nil, fmt.Errorf("correlation matrix is not positive semi-definite (smallest eigenvalue %.3g)", vals[0])
	}
	shift := float64(math.Ceil((1e-10-math.Min(vals[0], 0))*0x1p40) * 0x1p-40)
	j := append([]float64(nil), c...)
	for i := 0; i < k; i++ {
		j[i*k+i] += shift
	}
	l, ok := dmath.Cholesky(j, k)
	if !ok {
		return nil, fmt.Errorf("correlation matrix: Cholesky factorization failed")
	}
	return l, nil
}

// draw writes one tick's exogenous returns into x. It does not allocate.
func (nz *noise) draw(x []float64) {
	clear(x)
	if nz.off {
		// No random draw; the drift stays (futures follow it below).
		for _, i := range nz.prim {
			x[i] = nz.drift[i]
		}
		nz.follow(x)
		return
	}
	// t scales the tick's normal shocks to Student-t ones, s adds Mult.
	s, t := nz.Mult, 1.0
	if nz.df > 0 {
		// A chi-squared draw with ν degrees of freedom is Gamma(ν/2, 1/2).
		t = nz.tScale * math.Sqrt(nz.df/dmath.Gamma(nz.r, nz.df/2, 0.5))
		s *= t
	}
	for j := range nz.z {
		nz.z[j] = dmath.Normal(nz.r)
	}
	for a, i := range nz.prim {
		// Leading zeros of the row are skipped: 0·z is ±0, and adding it
		// to the sum's +0 start leaves +0, so v is the same to the bit.
		v := 0.0
		lo, row := nz.lead[a], nz.rows[a]
		z := nz.z[lo : lo+len(row)]
		for j, l := range row {
			v += float64(l * z[j])
		}
		if nz.g != nil {
			// The shock takes this tick's √h; the next tick's variance
			// takes the shock: h ← ω + α·h·u² + β·h, u of unit variance.
			u, h := float64(t*v), nz.h[a]
			v *= nz.g[a]
			h = nz.gOmega + float64(nz.gAlpha*h*u*u) + float64(nz.gBeta*h)
			nz.h[a], nz.g[a] = h, math.Sqrt(h)
		}
		x[i] = nz.drift[i] + float64(s*nz.sd[i]*v)
	}
	nz.follow(x)
	if nz.Mult != 1 {
		nz.Mult = 1 + float64((nz.Mult-1)*nz.multDecay)
	}
}

// follow moves each future with its underlying: beta times its return.
func (nz *noise) follow(x []float64) {
	for i, u := range nz.under {
		if u >= 0 {
			x[i] = nz.beta[i] * x[u]
		}
	}
}
