package sim

import "math"

// ReturnStats are the stylized facts of one asset's returns over a run
// (MODEL.md §7): how fat their tails are and how much their volatility
// clusters. They are computed from the tick returns of the ticks in which
// the asset's market traded, leaving out each opening tick (whose return
// carries the news of the hours the market was shut, so that its size says
// nothing about the model's tails), in the order they happened.
type ReturnStats struct {
	// N is the number of tick returns counted.
	N int `json:"n"`
	// ExcessKurtosis is m4/m2² − 3 of the returns: 0 for normal returns,
	// positive for fat tails (null below 20 returns).
	ExcessKurtosis Num `json:"excess_kurtosis"`
	// AbsACF1 is the autocorrelation of absolute returns at lag one (the
	// return counted before, across a closed spell if there was one):
	// about 0 for independent returns, positive when large moves follow
	// large moves (null below 20 returns).
	AbsACF1 Num `json:"abs_acf_1"`
	// AbsACFMean is the autocorrelation of absolute returns averaged over
	// lags 1 to Lags (null with fewer than twice Lags returns): volatility
	// clustering that outlasts a tick.
	AbsACFMean Num `json:"abs_acf_mean"`
	// Lags is one day of ticks (24 at hourly ticks), counted in the
	// returns above: for a market open six hours a day, four trading days.
	Lags int `json:"acf_lags"`
}

// minStylized is the fewest returns the kurtosis and lag-one
// autocorrelation are reported for.
const minStylized = 20

// returnStats computes ReturnStats of the returns r; lags is one day of
// ticks, and dev a scratch slice at least as long as r. Every product that
// meets a sum is rounded on its own (docs/determinism.md).
func returnStats(r, dev []float64, lags int) ReturnStats {
	n := len(r)
	s := ReturnStats{N: n, ExcessKurtosis: Num(math.NaN()), AbsACF1: Num(math.NaN()), AbsACFMean: Num(math.NaN()), Lags: lags}
	if n < minStylized {
		return s
	}
	var sum, abs float64
	r0, a0 := r[0], math.Abs(r[0])
	varies, absVaries := false, false
	for _, x := range r {
		sum += x
		a := math.Abs(x)
		abs += a
		varies = varies || x != r0
		absVaries = absVaries || a != a0
	}
	// Returns that do not vary have no moments to report: tested on the
	// values themselves, since a mean off by one rounding would leave a
	// residue of either sign in the sums of squares below.
	if !varies {
		return s
	}
	mean, absMean := sum/float64(n), abs/float64(n)
	dev = dev[:n]
	var m2, m4, a2 float64
	for t, x := range r {
		d := x - mean
		d2 := float64(d * d)
		m2 += d2
		m4 += float64(d2 * d2)
		a := math.Abs(x) - absMean
		dev[t] = a
		a2 += float64(a * a)
	}
	m2, m4 = m2/float64(n), m4/float64(n)
	if m2 == 0 {
		return s
	}
	s.ExcessKurtosis = Num(m4/float64(m2*m2) - 3)
	if !absVaries || a2 == 0 {
		return s
	}
	var c1 float64
	for t := 1; t < n; t++ {
		c1 += float64(dev[t] * dev[t-1])
	}
	s.AbsACF1 = Num(c1 / a2)
	if lags < 1 || n < 2*lags {
		return s
	}
	// Σ over lags k of Σ_t dev[t]·dev[t−k] is Σ_t dev[t]·(the sum of the
	// lags deviations before t): one pass with a moving window.
	var c, win float64
	for t := 1; t < n; t++ {
		win += dev[t-1]
		if t > lags {
			win -= dev[t-1-lags]
		}
		c += float64(dev[t] * win)
	}
	s.AbsACFMean = Num(c / a2 / float64(lags))
	return s
}
