package core

import (
	"math"
	"slices"

	"github.com/cascade-sim/cascade/core/dmath"
)

// EWMA estimates volatilities and correlations of per-tick returns with an
// exponentially weighted moving average (RiskMetrics): after each update the
// weight of a return halves every HalfLife ticks. Means are taken as zero.
type EWMA struct {
	HalfLife float64
	lambda   float64
	n        int
	cov      []float64   // n×n, per-tick units (symmetric, but see lower)
	vol      []float64   // √ of the diagonal, kept current
	rows     [][]float64 // row i of cov up to the diagonal (Update's lower triangle)
	rk       []float64   // Update's scratch: the returns times 1 − λ
	// lower is set once Update has run since Reset: Update computes only
	// the lower triangle (j ≤ i) of cov, so a covariance above the
	// diagonal is read from its mirror image below it. Before that, cov is
	// read as Reset wrote it.
	lower bool
}

// NewEWMA returns an estimator of n assets started at the given per-tick
// volatilities and correlation matrix (nil: identity).
func NewEWMA(halfLife float64, vol []float64, corr [][]float64) *EWMA {
	n := len(vol)
	e := &EWMA{HalfLife: halfLife, lambda: dmath.Pow(0.5, 1/halfLife), n: n, cov: make([]float64, n*n), vol: make([]float64, n)}
	e.rows, e.rk = make([][]float64, n), make([]float64, n)
	for i := range e.rows {
		e.rows[i] = e.cov[i*n : i*n+i+1]
	}
	e.Reset(vol, corr)
	return e
}

// Reset sets the estimate back to the given volatilities and correlations.
func (e *EWMA) Reset(vol []float64, corr [][]float64) {
	for i := 0; i < e.n; i++ {
		for j := 0; j < e.n; j++ {
			r := 0.0
			if i == j {
				r = 1
			} else if corr != nil {
				r = corr[i][j]
			}
			e.cov[i*e.n+j] = r * vol[i] * vol[j]
		}
		e.vol[i] = vol[i]
	}
	e.lower = false
}

// Update folds one vector of per-tick returns into the estimate: the lower
// triangle of the covariance only (see lower). Entry (i, j ≤ i) becomes
// λ·c + (r_j·(1 − λ))·r_i, the return of the lower index scaled: the same
// bits as the upper triangle's recursion for (j, i) (TestEWMAUpdateExact).
// A row of the lower triangle starts at the row's first entry, so it pairs
// with the scaled returns from their first on. It does not allocate.
// The sizes of TestEWMAUpdateExact, odd and even, cover the pairing of rows.
func (e *EWMA) Update(r []float64) {
	if !e.lower {
		e.mirrorUpper()
	}
	l, k := e.lambda, 1-e.lambda
	rk := e.rk
	r = r[:len(rk)]
	for j, x := range r {
		rk[j] = x * k
	}
	vol, rows := e.vol[:len(rk)], e.rows[:len(rk)]
	// Two rows at a time: row i+1 is row i's length and one more, and the
	// two read the same scaled returns, loaded once for both. Each entry
	// is the same expression of the same values as one row at a time.
	i := 0
	for ; i+1 < len(rows); i += 2 {
		n := len(rows[i])
		ra, rb, rj := rows[i][:n], rows[i+1][:n+1], rk[:n+1]
		ri, rn := r[i], r[i+1]
		for j, x := range rj[:n] {
			ra[j] = float64(l*ra[j]) + float64(x*ri)
			rb[j] = float64(l*rb[j]) + float64(x*rn)
		}
		rb[n] = float64(l*rb[n]) + float64(rj[n]*rn)
		vol[i], vol[i+1] = math.Sqrt(ra[n-1]), math.Sqrt(rb[n])
	}
	if i < len(rows) {
		row := rows[i]
		ri, rj := r[i], rk[:len(row)]
		for j, c := range row {
			row[j] = float64(l*c) + float64(rj[j]*ri)
		}
		vol[i] = math.Sqrt(row[len(row)-1])
	}
	e.lower = true
}

// mirrorUpper copies the upper triangle of cov onto the lower one: the
// first Update after Reset starts each covariance from the value Reset
// wrote above the diagonal, which its mirror below can differ from in the
// last bit (Reset multiplies the volatilities in row order).
func (e *EWMA) mirrorUpper() {
	n := e.n
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			e.cov[i*n+j] = e.cov[j*n+i]
		}
	}
}

// Var returns the per-tick variance of asset i.
func (e *EWMA) Var(i int) float64 { return e.cov[i*e.n+i] }

// Vol returns the per-tick volatility of asset i.
func (e *EWMA) Vol(i int) float64 { return e.vol[i] }

// Vols returns the per-tick volatilities of every asset, Vol(i) for each i:
// the estimator's own vector, which its updates overwrite (read it, do not
// keep or change it).
func (e *EWMA) Vols() []float64 { return e.vol }

// Cov returns the per-tick covariance of assets i and j.
func (e *EWMA) Cov(i, j int) float64 {
	if e.lower && i < j {
		i, j = j, i
	}
	return e.cov[i*e.n+j]
}

// Corr returns the correlation of assets i and j (0 when either variance is 0).
func (e *EWMA) Corr(i, j int) float64 {
	d := e.vol[i] * e.vol[j]
	if d <= 0 {
		return 0
	}
	return e.Cov(i, j) / d
}

// Momentum is an EWMA of per-tick returns, the trend signal of CTAs. Its
// z-score divides by the standard deviation such an average would have if
// returns were independent with the estimated volatility.
type Momentum struct {
	HalfLife float64
	lambda   float64
	Mean     []float64 // EWMA of returns per asset
	norm     float64   // sqrt((1-λ)/(1+λ))
}

// NewMomentum returns a momentum estimator of n assets, started flat.
func NewMomentum(halfLife float64, n int) *Momentum {
	l := dmath.Pow(0.5, 1/halfLife)
	return &Momentum{HalfLife: halfLife, lambda: l, Mean: make([]float64, n), norm: math.Sqrt((1 - l) / (1 + l))}
}

// Update folds one vector of returns in.
func (m *Momentum) Update(r []float64) {
	l, k := m.lambda, 1-m.lambda
	mean := m.Mean[:len(r)]
	for i, x := range r {
		mean[i] = float64(l*mean[i]) + float64(k*x)
	}
}

// Z returns the trend z-score of asset i given its per-tick volatility.
func (m *Momentum) Z(i int, vol float64) float64 {
	if vol <= 0 {
		return 0
	}
	return m.Mean[i] / (vol * m.norm)
}

// SetZ starts asset i with trend z-score z at per-tick volatility vol.
func (m *Momentum) SetZ(i int, z, vol float64) { m.Mean[i] = z * vol * m.norm }

// Estimators is the bank of estimators shared by all agents: one EWMA per
// distinct half-life and one Momentum per distinct lookback, so a thousand
// agents with three lookbacks cost three updates a tick, not a thousand.
type Estimators struct {
	vol0   []float64 // calm per-tick volatilities
	corr0  [][]float64
	ewma   []*EWMA
	synced []*Synced
	mom    []*Momentum
	Ret    []float64 // the returns of the last update
}

// NewEstimators returns an empty bank for assets with the given calm per-tick
// volatilities and correlations.
func NewEstimators(vol0 []float64, corr0 [][]float64) *Estimators {
	return &Estimators{vol0: vol0, corr0: corr0, Ret: make([]float64, len(vol0))}
}

// EWMA returns the shared estimator with this half-life (ticks), creating it
// at the calm values on first use. Call it while building the model, not in
// the tick loop.
func (b *Estimators) EWMA(halfLife float64) *EWMA {
	if e := b.findEWMA(halfLife); e != nil {
		return e
	}
	e := NewEWMA(halfLife, b.vol0, b.corr0)
	b.ewma = append(b.ewma, e)
	return e
}

// HasEWMA reports whether the bank has an EWMA with this half-life (ticks).
func (b *Estimators) HasEWMA(halfLife float64) bool { return b.findEWMA(halfLife) != nil }

// findEWMA returns the bank's EWMA with this half-life, or nil.
func (b *Estimators) findEWMA(halfLife float64) *EWMA {
	for _, e := range b.ewma {
		if e.HalfLife == halfLife {
			return e
		}
	}
	return nil
}

// Synced returns the shared estimator of the correlations of these assets
// (Synced) with this half-life (ticks), creating it at the calm values on
// first use. Call it while building the model.
func (b *Estimators) Synced(halfLife float64, assets []int) *Synced {
	for _, s := range b.synced {
		if s.HalfLife == halfLife && slices.Equal(s.assets, assets) {
			return s
		}
	}
	s := newSynced(halfLife, assets, b)
	b.synced = append(b.synced, s)
	return s
}

// Momentum returns the shared trend estimator with this half-life (ticks).
func (b *Estimators) Momentum(halfLife float64) *Momentum {
	for _, m := range b.mom {
		if m.HalfLife == halfLife {
			return m
		}
	}
	m := NewMomentum(halfLife, len(b.vol0))
	b.mom = append(b.mom, m)
	return m
}

// Calm returns the calm per-tick volatility of asset i.
func (b *Estimators) Calm(i int) float64 { return b.vol0[i] }

// CalmCorr returns the calm correlation of assets i and j.
func (b *Estimators) CalmCorr(i, j int) float64 {
	if i == j {
		return 1
	}
	if b.corr0 == nil {
		return 0
	}
	return b.corr0[i][j]
}

// Update folds one vector of per-tick returns into every estimator, every
// market open.
func (b *Estimators) Update(r []float64) { b.UpdateOpen(r, nil) }

// UpdateOpen folds one vector of per-tick returns into every estimator,
// given the markets that traded this tick (nil: all; only Synced reads it).
func (b *Estimators) UpdateOpen(r []float64, open []bool) {
	copy(b.Ret, r)
	for _, e := range b.ewma {
		e.Update(r)
	}
	for _, s := range b.synced {
		s.Update(r, open)
	}
	for _, m := range b.mom {
		m.Update(r)
	}
}

// SetTrend starts every momentum estimator of the bank at trend z-score z
// for asset i, at its calm volatility: the trend the price history left
// before the run.
func (b *Estimators) SetTrend(i int, z float64) { b.SetTrendAt(i, z, b.vol0[i]) }

// SetTrendAt starts every momentum estimator of the bank at trend z-score
// z for asset i as read at per-tick volatility vol: a reader whose
// volatility estimate is vol reads z.
func (b *Estimators) SetTrendAt(i int, z, vol float64) {
	for _, m := range b.mom {
		m.SetZ(i, z, vol)
	}
}

// Synced estimates the correlations of a set of assets from their returns
// between refresh ticks, the ticks by which every one of them has traded
// since the last (refresh-time sampling). Per-tick returns of markets open
// at different hours understate their correlation: a closed market's
// return is 0 until its open brings the move it missed at once, so the
// S&P's overnight move meets the Treasury future's moves of the same hours
// never, only its move of the opening hour. Between refresh ticks each
// asset's return compounds, and the EWMA of their outer products (0 at
// other ticks, so that it decays per tick as EWMA does) has the
// correlations of the assets' daily returns; being a sum of outer products
// it is a correlation matrix. Assets open at the same ticks refresh at
// each: their correlation is EWMA's, up to rounding. When two of the
// assets never trade at the same time, the one that traded earlier is
// stale at the refresh and part of the correlation is still lost (the
// share of the day between their sessions).
type Synced struct {
	HalfLife float64
	lambda   float64
	decay    float64   // λ^(ticks since the last refresh), which cov still owes
	assets   []int     // world indices
	acc      []float64 // each asset's return since the last refresh
	seen     []bool    // traded since the last refresh
	cov      []float64 // m×m, upper triangle (c ≥ a), per-tick units as of the last refresh
	corr     []float64 // m×m, upper triangle: the correlations of cov (1 on the diagonal)
	inv      []float64 // 1/√cov_aa (0 when cov_aa is 0)
	// upper holds each row of corr from the diagonal on (UpperRow), cut
	// once at construction.
	upper [][]float64
}

func newSynced(halfLife float64, assets []int, b *Estimators) *Synced {
	m := len(assets)
	s := &Synced{HalfLife: halfLife, lambda: dmath.Pow(0.5, 1/halfLife), assets: slices.Clone(assets),
		acc: make([]float64, m), seen: make([]bool, m), cov: make([]float64, m*m),
		corr: make([]float64, m*m), inv: make([]float64, m), upper: make([][]float64, m)}
	for a := range s.upper {
		s.upper[a] = s.corr[a*m+a : a*m+m]
	}
	vol, corr := make([]float64, m), make([][]float64, m)
	for a, i := range assets {
		vol[a], corr[a] = b.vol0[i], make([]float64, m)
		for c, j := range assets {
			corr[a][c] = b.CalmCorr(i, j)
		}
	}
	s.Reset(vol, corr)
	return s
}

// Reset sets the estimate back to the given volatilities and correlations
// of the set's assets, in its order (nil: identity).
func (s *Synced) Reset(vol []float64, corr [][]float64) {
	m := len(s.assets)
	for a := range m {
		for c := a; c < m; c++ {
			r := 1.0
			if a != c {
				r = 0
				if corr != nil && vol[a] > 0 && vol[c] > 0 {
					r = corr[a][c]
				}
			}
			s.cov[a*m+c] = float64(r*vol[a]) * vol[c]
			s.corr[a*m+c] = r
		}
	}
	s.decay = 1
	clear(s.acc)
	clear(s.seen)
}

// Update folds one tick's returns in, given the markets that traded
// (nil: all). Between refreshes it only compounds the returns: the decay
// every entry of the matrix owes is one factor, paid at the refresh, and
// the correlations do not change. It does not allocate.
func (s *Synced) Update(r []float64, open []bool) {
	all := true
	// Local slices of one length, so that the loops index them unchecked.
	acc, seen := s.acc, s.seen[:len(s.acc)]
	for a, i := range s.assets[:len(acc)] {
		ri := r[i]
		acc[a] += ri + float64(acc[a]*ri)
		if !seen[a] {
			seen[a] = open == nil || open[i] || ri != 0
			all = all && seen[a]
		}
	}
	d := float64(s.decay * s.lambda)
	if !all {
		s.decay = d
		return
	}
	s.decay = 1
	k := 1 - s.lambda
	m := len(acc)
	cov, corr, inv := s.cov[:m*m], s.corr[:m*m], s.inv[:m]
	// The diagonal first, for the volatilities the correlations divide by.
	for a, ra := range acc {
		x := a*m + a
		v := float64(d*cov[x]) + float64(float64(ra*k)*ra)
		cov[x], inv[a] = v, 0
		if v > 0 {
			inv[a] = 1 / math.Sqrt(v)
		}
	}
	for a, ra := range acc {
		rk, ia, x := ra*k, inv[a], a*m
		for c := a + 1; c < m; c++ {
			v := float64(d*cov[x+c]) + float64(rk*acc[c])
			cov[x+c] = v
			corr[x+c] = float64(v*ia) * inv[c]
		}
	}
	clear(acc)
	clear(seen)
}

// Corr returns the correlation of the set's a-th and c-th assets
// (positions in the set, as given to Estimators.Synced; 0 when either
// variance is 0).
func (s *Synced) Corr(a, c int) float64 {
	if a > c {
		a, c = c, a
	}
	return s.corr[a*len(s.assets)+c]
}

// UpperRow returns the correlations of the set's a-th asset with the
// set's assets from the a-th on: UpperRow(a)[c-a] is Corr(a, c) and
// Corr(c, a) for c ≥ a, and UpperRow(a)[0] is 1. The slice is the
// estimator's own storage, valid until its next refresh; callers must not
// write to it.
func (s *Synced) UpperRow(a int) []float64 { return s.upper[a] }
