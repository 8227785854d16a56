package sim

import "github.com/cascade-sim/cascade/core"

// history gives the run a calm past (Config.Warmup): Warm ticks of
// exogenous noise at calm volatility (noise.scale applies to the run only), with closed markets gapping at their next open as in
// the run, laid out backwards so that the path ends at the starting prices.
// Every estimator and the recorder's rolling windows (correlation and the
// VIX proxy) see it; no price, balance sheet or agent changes. Trend
// z-scores the scenario sets are restored afterwards, as the CTAs read
// them at the warm-up's volatility estimates: they describe the state at
// the start.
func (m *Model) history() {
	T := m.Warm
	if T <= 0 || m.Cfg.Noise.Off {
		return // a noise-free run has a noise-free past: the estimators keep their calm seeds
	}
	w := m.W
	n := len(w.Assets)
	ret := make([]float64, T*n)
	gap := make([]float64, n)
	x := make([]float64, n)
	// The past is at each asset's calm volatility, whatever noise.scale the
	// run itself uses.
	// The scale applies to the noise, not to the drift: drift holds each
	// asset's drift per tick (a future's, its underlying's times beta),
	// which the unscaling leaves as it is.
	unscale := 1.0
	if sc := m.Cfg.Noise.Scale; sc > 0 {
		unscale = 1 / sc
	}
	nz := m.noise
	drift := make([]float64, n)
	for i := range drift {
		drift[i] = nz.drift[i]
		if u := nz.under[i]; u >= 0 {
			drift[i] = float64(nz.beta[i] * nz.drift[u])
		}
	}
	for t := 0; t < T; t++ {
		nz.draw(x)
		r := ret[t*n : t*n+n]
		for i := range x {
			x[i] = drift[i] + float64((x[i]-drift[i])*unscale)
		}
		for i := range x {
			if m.cal.open(i, t) {
				r[i], gap[i] = x[i]+gap[i], 0
			} else {
				gap[i] += x[i]
			}
		}
	}
	// Closes, backwards from the starting prices: p[t-1] = p[t]/(1 + r[t]).
	price := make([]float64, T*n)
	copy(price[(T-1)*n:], w.Price)
	for t := T - 1; t > 0; t-- {
		for i := 0; i < n; i++ {
			price[(t-1)*n+i] = price[t*n+i] / (1 + ret[t*n+i])
		}
	}
	// The recorder's ring of closes holds the starting prices, the close
	// before its first; here that is the close before the warm-up's first,
	// so that the first H-tick return is one.
	r := &m.rec
	r.seedClose(func(i int) float64 { return price[i] / (1 + ret[i]) })
	open := make([]bool, n)
	last := make([]float64, n)
	for t := 0; t < T; t++ {
		rt := ret[t*n : t*n+n]
		for i := range open {
			open[i] = m.cal.open(i, t)
		}
		est := rt
		if t == T-1 {
			// A market shut at the start has news since its last close
			// that no open of the warm-up brought. The estimators read it
			// as that market's return in the warm-up's last tick, as they
			// would at its open; the path keeps it out (the starting price
			// is the close). Dropped, it left the estimate of a market
			// that had been shut for a weekend a quarter of its variance
			// short (aug2024's S&P at 0.87 of its calm volatility in the
			// median of 40 seeds, the Nikkei at 0.80), and the
			// volatility-targeting agents that start on it levered up.
			copy(last, rt)
			for i, g := range gap {
				if g != 0 {
					last[i], open[i] = g, true
				}
			}
			est = last
		}
		w.Est.UpdateOpen(est, open)
		if m.spreadVol != nil {
			m.spreadVol.Update(est, open)
		}
		r.corr(price[t*n:t*n+n], t)
		if r.vix >= 0 {
			// The past moves at calm volatility; the proxy's realized part
			// is the run's noise, its news part the rest (vix_news).
			r.vixProxy(float64(rt[r.vix]*r.vixScale), m.cal.open(r.vix, t), 0)
		}
	}
	// The trends are the z-scores the CTAs read at the start: each is set
	// at the volatility the (first) CTA's estimator holds after the
	// warm-up, not at the calm one, which the CTAs would have read it
	// rescaled by calm over estimated volatility (in aug2024, at its seed,
	// the Nikkei's 1.2 as 1.04, the yen's 1.0 as 0.90; over the 40 seeds
	// of cascade score from 0.76 to 1.15 times the trend).
	vol := func(i int) float64 { return w.Est.Calm(i) }
	for _, a := range m.Agents {
		if c, ok := a.(interface{ VolEstimate() *core.EWMA }); ok {
			vol = c.VolEstimate().Vol
			break
		}
	}
	for i, z := range m.trend {
		if z == z {
			w.Est.SetTrendAt(i, z, vol(i))
		}
	}
}
