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
//     fastest); runs/G replicates of each point differ by their seed only;
//   - sobol (Saltelli 2010): runs come in blocks of k+3 for k parameters,
//     one block per base sample j = i / (k+3). Two Latin hypercubes of
//     N = runs/(k+3) rows, A and B, are built as above (keyed
//     "sobol/A/p" and "sobol/B/p", the jitter drawn from the stream of the
//     block's first and second run). In block j, run 0 takes row j of A,
//     run 1 row j of B, run 2+p row j of A with parameter p from B, and run
//     k+2 row j of A with B's seed. The seed is a factor like the others:
//     runs 0 and 2 ... k+1 have the seed of the block's first run,
//     runs 1 and k+2 that of its second.

// initDesign prepares what the design needs besides the run index.
func (sw *Sweep) initDesign() {
	switch sw.Design {
	case LatinHypercube:
		sw.perms = make([]perm, len(sw.Params))
		for p := range sw.Params {
			sw.perms[p] = newPerm(sw.Runs, core.Stream(sw.File.Seed, fmt.Sprintf("latin_hypercube/%d", p)).Uint64())
		}
	case Sobol:
		np, n := len(sw.Params), sw.Runs/sw.Block
		sw.perms = make([]perm, 2*np)
		for p := range sw.Params {
			sw.perms[p] = newPerm(n, core.Stream(sw.File.Seed, fmt.Sprintf("sobol/A/%d", p)).Uint64())
			sw.perms[np+p] = newPerm(n, core.Stream(sw.File.Seed, fmt.Sprintf("sobol/B/%d", p)).Uint64())
		}
	}
	if sw.post != nil && sw.Design == LatinHypercube {
		sw.post.perm = newPerm(sw.Runs, core.Stream(sw.File.Seed, "latin_hypercube/posterior").Uint64())
	}
}

// RunSeed returns the seed of run i: core.RunSeed(master, i), except in a
// sobol design, where each run of a block has the seed of the block's A
// run (its first) or B run (its second), and in a grid with pair_seeds,
// where run i has the seed of its replicate, core.RunSeed(master, i / G).
func (sw *Sweep) RunSeed(i int) uint64 {
	if sw.File.PairSeeds && sw.GridSize > 0 {
		return core.RunSeed(sw.File.Seed, i/sw.GridSize)
	}
	if sw.Design == Sobol {
		j, b := i/sw.Block, i%sw.Block
		from := j * sw.Block
		if b == 1 || b == sw.Block-1 {
			from++
		}
		return core.RunSeed(sw.File.Seed, from)
	}
	return core.RunSeed(sw.File.Seed, i)
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
	case Sobol:
		np, n := len(sw.Params), sw.Runs/sw.Block
		j, b := i/sw.Block, i%sw.Block
		a := core.Stream(core.RunSeed(sw.File.Seed, j*sw.Block), "sweep")
		bs := core.Stream(core.RunSeed(sw.File.Seed, j*sw.Block+1), "sweep")
		for p := range sw.Params {
			ua := (float64(sw.perms[p].at(j)) + float64(a.Float64())) / float64(n)
			ub := (float64(sw.perms[np+p].at(j)) + float64(bs.Float64())) / float64(n)
			u := ua
			if b == 1 || b == 2+p {
				u = ub
			}
			dst[p] = sw.Params[p].Dist.Quantile(u)
		}
	default:
		r := core.Stream(core.RunSeed(sw.File.Seed, i), "sweep")
		for p := range sw.Params {
			dst[p] = sw.Params[p].Dist.Quantile(r.Float64())
		}
	}
	if sw.post != nil {
		// The posterior's parameters take one accepted run's values; each
		// drew a number above all the same, so that the others' draws are
		// those they would be without a posterior.
		row := sw.postRow(i)
		for p := range sw.Params {
			if q := &sw.Params[p]; q.Posterior != "" {
				dst[p] = row[q.postCol] * q.Scale
			}
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
