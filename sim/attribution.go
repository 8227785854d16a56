package sim

import (
	"math"

	"github.com/cascade-sim/cascade/core"
)

// attribution keeps, per asset and tick, the exogenous return and the
// impact return carried by each agent kind's and each reason's flows, so
// that any window of the path can be split afterwards.
type attribution struct {
	m      *Model
	n      int
	price  [][]float64 // per asset: the close of every tick, after the start price
	exo    [][]float64
	link   [][]float64
	kind   [][]float64 // per asset: ticks × kinds
	reason [][]float64 // per asset: ticks × reasons
}

func newAttribution(m *Model) *attribution {
	n := len(m.W.Assets)
	a := &attribution{m: m, n: n, price: make([][]float64, n), exo: make([][]float64, n), link: make([][]float64, n), kind: make([][]float64, n), reason: make([][]float64, n)}
	t := m.Cfg.Ticks
	for i := 0; i < n; i++ {
		a.price[i] = append(make([]float64, 0, t+1), m.W.Price[i])
		a.exo[i] = make([]float64, 0, t)
		a.link[i] = make([]float64, 0, t)
		a.kind[i] = make([]float64, 0, t*int(core.NumAgentKinds))
		a.reason[i] = make([]float64, 0, t*int(core.NumReasons))
	}
	return a
}

func (a *attribution) observe(f *Frame) {
	nk, nr := int(core.NumAgentKinds), int(core.NumReasons)
	for i := 0; i < a.n; i++ {
		a.price[i] = append(a.price[i], f.Price[i])
		a.exo[i] = append(a.exo[i], f.Exo[i]-f.Link[i])
		a.link[i] = append(a.link[i], f.Link[i])
		a.kind[i] = append(a.kind[i], f.AttrKind[i*nk:(i+1)*nk]...)
		a.reason[i] = append(a.reason[i], f.AttrReason[i*nr:(i+1)*nr]...)
	}
}

// summarize splits each asset's largest peak-to-trough fall. Contributions
// are sums of per-tick returns over the window, as a share of the log move;
// what neither the exogenous path nor this window's flows explain (decay of
// earlier temporary impact, compounding) is Other.
func (a *attribution) summarize() map[string]*Attribution {
	out := map[string]*Attribution{}
	nk, nr := int(core.NumAgentKinds), int(core.NumReasons)
	for i := 0; i < a.n; i++ {
		p := a.price[i]
		peak, best, bp, bq := 0, 0.0, 0, 0
		for t := 1; t < len(p); t++ {
			if p[t] > p[peak] {
				peak = t
			}
			if d := 1 - p[t]/p[peak]; d > best {
				best, bp, bq = d, peak, t
			}
		}
		if best <= 0 {
			continue
		}
		move := math.Log(p[bq] / p[bp])
		r := &Attribution{PeakTick: bp - 1, TroughTick: bq - 1, MovePct: Num(100 * (p[bq]/p[bp] - 1)),
			ByKind: map[string]Num{}, ByReason: map[string]Num{}}
		exo, link, imp := 0.0, 0.0, 0.0
		kinds := make([]float64, nk)
		reasons := make([]float64, nr)
		for t := bp; t < bq; t++ { // ticks bp+1..bq are stored at index t
			exo += a.exo[i][t]
			link += a.link[i][t]
			for k := 0; k < nk; k++ {
				v := a.kind[i][t*nk+k]
				kinds[k] += v
				imp += v
			}
			for k := 0; k < nr; k++ {
				reasons[k] += a.reason[i][t*nr+k]
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
			if s := share(v); math.Abs(s) >= 0.05 {
				r.ByKind[core.AgentKind(k).String()] = Num(s)
			}
		}
		for k, v := range reasons {
			if s := share(v); math.Abs(s) >= 0.05 {
				r.ByReason[core.Reason(k).String()] = Num(s)
			}
		}
		out[a.m.W.Assets[i].ID] = r
	}
	return out
}
