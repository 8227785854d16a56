package sweep

import (
	"fmt"
	"math/bits"

	"github.com/cascade-sim/cascade/core"
)

// Parameter values of a run depend only on the master seed, the run index
// and the design:
//
//   - random: parameter p takes the quantile u_p of its distribution, u_p
//     the p-th draw of the run's own stream (core.Stream(seed_i, "sweep"));
//   - latin_hypercube: u_p = (π_p(i) + v_p) / runs, π_p a permutation of the
//     run indices keyed by the master seed and p (so each of the runs
//     strata of every parameter holds exactly one run), v_p the p-th draw
//     of the run's stream;
//   - grid: run i takes grid point i mod G (the last parameter varying
//     fastest); runs/G replicates of each point differ by their seed only.

// initDesign prepares what the design needs besides the run index.
func (sw *Sweep) initDesign() {
	if sw.Design != LatinHypercube {
		return
	}
	sw.perms = make([]perm, len(sw.Params))
	for p := range sw.Params {
		sw.perms[p] = newPerm(sw.Runs, core.Stream(sw.File.Seed, fmt.Sprintf("latin_hypercube/%d", p)).Uint64())
	}
}

// Values fills dst (one value per parameter) with the parameters of run i.
func (sw *Sweep) Values(i int, dst []float64) {
	switch sw.Design {
	case Grid:
		point := i % sw.GridSize
		for p := len(sw.Params) - 1; p >= 0; p-- {
			lv := levels(&sw.Params[p].Dist)
			dst[p] = lv[point%len(lv)]
			point /= len(lv)
		}
	case LatinHypercube:
		r := core.Stream(core.RunSeed(sw.File.Seed, i), "sweep")
		for p := range sw.Params {
			u := (float64(sw.perms[p].at(i)) + float64(r.Float64())) / float64(sw.Runs)
			dst[p] = sw.Params[p].Dist.Quantile(u)
		}
	default:
		r := core.Stream(core.RunSeed(sw.File.Seed, i), "sweep")
		for p := range sw.Params {
			dst[p] = sw.Params[p].Dist.Quantile(r.Float64())
		}
	}
}

// perm is a pseudo-random permutation of [0, n) that needs no memory: a
// four-round balanced Feistel network on the smallest even number of bits
// covering n, with cycle walking back into [0, n). It is a bijection for
// any key, and different keys give unrelated permutations.
type perm struct {
	n    uint64
	half uint
	mask uint64
	keys [4]uint64
}

func newPerm(n int, key uint64) perm {
	p := perm{n: uint64(n)}
	b := uint(bits.Len64(uint64(max(n-1, 1))))
	p.half = (b + 1) / 2
	p.mask = 1<<p.half - 1
	for r := range p.keys {
		key = mix64(key + 0x9e3779b97f4a7c15)
		p.keys[r] = key
	}
	return p
}

// at returns the image of i.
func (p perm) at(i int) int {
	if p.n <= 1 {
		return 0
	}
	x := uint64(i)
	for {
		l, r := x>>p.half, x&p.mask
		for _, k := range p.keys {
			l, r = r, l^(mix64(r^k)&p.mask)
		}
		x = l<<p.half | r
		if x < p.n {
			return int(x)
		}
	}
}

// mix64 is the SplitMix64 finalizer.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
