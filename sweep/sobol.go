package sweep

import (
	"io"
	"math"
	"path/filepath"
	"sort"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/output"
)

// SeedFactor is the name of the run's seed as a factor of a sobol design:
// the share of a metric's variance that comes from the noise path and the
// populations' draws rather than from the parameters.
const SeedFactor = "seed"

// SobolBootstrap is the number of bootstrap resamples behind the 95%
// intervals of the Sobol indices.
const SobolBootstrap = 1000

// SobolIndex is the variance-based sensitivity of one metric to one factor
// (a parameter, or the seed): the first-order index S (the share of the
// metric's variance the factor explains alone) and the total-order index ST
// (the share it takes part in, interactions included), each with a 95%
// bootstrap interval, estimated on N base samples where every run of the
// block has a value of the metric.
type SobolIndex struct {
	Metric, Factor   string
	First, Total     float64
	FirstLo, FirstHi float64
	TotalLo, TotalHi float64
	N                int
	Sampled          bool // estimated on a deterministic sample of the blocks
}

// sobolAcc gathers a sobol design's metric values block by block as the
// rows arrive in run index order. Blocks are kept whole: all of them up to
// sampleCap runs, else a deterministic sample of about that many runs'
// worth, chosen by hashing the block index.
type sobolAcc struct {
	block, np, nm int
	blocks        int // in the sweep
	cur           []float64
	curBlock      int
	seen          int
	vals          [][]float64 // per metric: the kept blocks' values, block after block
	kept          int
}

func newSobolAcc(man *Manifest) *sobolAcc {
	np, nm := len(man.Sweep.Parameters), len(man.Sweep.Metrics)
	b := np + 3
	return &sobolAcc{block: b, np: np, nm: nm, blocks: man.Sweep.Runs / b, cur: make([]float64, b*nm),
		curBlock: -1, vals: make([][]float64, nm)}
}

// keepBlock reports whether block j of n is in the sample.
func keepBlock(j, n, block int) bool {
	return n*block <= sampleCap || mix64(uint64(j)^0x50b01b10c)%uint64(n) < uint64(sampleCap/block)
}

// add takes one row (its parameter values first, then its metrics).
func (a *sobolAcc) add(r *row) {
	j, b := r.index/a.block, r.index%a.block
	if j != a.curBlock {
		a.curBlock, a.seen = j, 0
	}
	for m := range a.nm {
		a.cur[m*a.block+b] = r.values[a.np+m]
	}
	a.seen++
	if a.seen == a.block && keepBlock(j, a.blocks, a.block) {
		for m := range a.nm {
			a.vals[m] = append(a.vals[m], a.cur[m*a.block:(m+1)*a.block]...)
		}
		a.kept++
	}
}

// indices estimates every metric's Sobol indices for every factor.
func (a *sobolAcc) indices(man *Manifest) []SobolIndex {
	factors := make([]string, 0, a.np+1)
	for _, p := range man.Sweep.Parameters {
		factors = append(factors, p.Name)
	}
	factors = append(factors, SeedFactor)
	var out []SobolIndex
	for m, name := range man.Sweep.Metrics {
		rng := core.Stream(man.Sweep.Seed, "sobol/bootstrap/"+name)
		for i, ix := range sobolEstimate(a.vals[m], a.block, SobolBootstrap, rng.IntN) {
			ix.Metric, ix.Factor, ix.Sampled = name, factors[i], a.kept < a.blocks
			out = append(out, ix)
		}
	}
	return out
}

// sobolEstimate returns the first- and total-order indices of each of the
// block-2 factors from values laid out block after block (A, B, AB_1 ...
// AB_{block-2}), over the blocks whose values are all finite:
//
//	V  = the variance of f over the A and B runs together,
//	S  = mean(f_B·(f_ABi − f_A)) / V            (Saltelli et al. 2010),
//	ST = mean((f_A − f_ABi)²) / 2 / V           (Jansen 1999),
//
// with f_B centred on the mean of A and B (which changes nothing in
// expectation and removes a term that is noise). The 95% intervals are
// percentiles of the estimates over resamples of the blocks drawn with
// intn; NaN throughout with fewer than two blocks or no variance.
func sobolEstimate(vals []float64, block, resamples int, intn func(int) int) []SobolIndex {
	k := block - 2
	var rows [][]float64
	for s := 0; s+block <= len(vals); s += block {
		r := vals[s : s+block]
		ok := true
		for _, v := range r {
			ok = ok && finite(v)
		}
		if ok {
			rows = append(rows, r)
		}
	}
	n := len(rows)
	out := make([]SobolIndex, k)
	nan := math.NaN()
	for i := range out {
		out[i] = SobolIndex{First: nan, Total: nan, FirstLo: nan, FirstHi: nan, TotalLo: nan, TotalHi: nan, N: n}
	}
	if n < 2 {
		return out
	}
	first, total := make([]float64, k), make([]float64, k)
	if !sobolPoint(rows, nil, first, total) {
		return out
	}
	for i := range out {
		out[i].First, out[i].Total = first[i], total[i]
	}
	if resamples <= 0 {
		return out
	}
	pick := make([]int, n)
	bf, bt := make([][]float64, k), make([][]float64, k)
	for range resamples {
		for t := range pick {
			pick[t] = intn(n)
		}
		if !sobolPoint(rows, pick, first, total) {
			continue // a resample with no variance: left out
		}
		for i := range k {
			bf[i], bt[i] = append(bf[i], first[i]), append(bt[i], total[i])
		}
	}
	for i := range out {
		out[i].FirstLo, out[i].FirstHi = interval(bf[i])
		out[i].TotalLo, out[i].TotalHi = interval(bt[i])
	}
	return out
}

// sobolPoint computes the indices over rows (or over rows[pick[t]] when
// pick is not nil) into first and total; false when the variance is 0.
func sobolPoint(rows [][]float64, pick []int, first, total []float64) bool {
	n := len(rows)
	row := func(t int) []float64 {
		if pick != nil {
			return rows[pick[t]]
		}
		return rows[t]
	}
	mean := 0.0
	for t := range n {
		r := row(t)
		mean += r[0] + r[1]
	}
	mean /= float64(2 * n)
	v := 0.0
	for t := range n {
		r := row(t)
		da, db := r[0]-mean, r[1]-mean
		v += float64(da*da) + float64(db*db)
	}
	v /= float64(2*n - 1)
	if !(v > 0) {
		return false
	}
	clear(first)
	clear(total)
	for t := range n {
		r := row(t)
		fa, fb := r[0], r[1]-mean
		for i := range first {
			d := r[2+i] - fa
			first[i] += float64(fb * d)
			total[i] += float64(d * d)
		}
	}
	for i := range first {
		first[i] /= float64(n) * v
		total[i] /= float64(2*n) * v
	}
	return true
}

// interval returns the 2.5% and 97.5% percentiles of xs (NaN for fewer
// than two values). It sorts xs.
func interval(xs []float64) (lo, hi float64) {
	if len(xs) < 2 {
		return math.NaN(), math.NaN()
	}
	sort.Float64s(xs)
	q := func(p float64) float64 { return xs[int(math.Round(p*float64(len(xs)-1)))] }
	return q(0.025), q(0.975)
}

// writeSobol writes sobol.csv: one row per metric and factor.
func writeSobol(dir string, rows []SobolIndex) error {
	t := &output.Table{}
	var ms, fs []string
	cols := make([][]float64, 6)
	var n []int64
	for _, r := range rows {
		ms, fs = append(ms, r.Metric), append(fs, r.Factor)
		for c, v := range []float64{r.First, r.FirstLo, r.FirstHi, r.Total, r.TotalLo, r.TotalHi} {
			cols[c] = append(cols[c], v)
		}
		n = append(n, int64(r.N))
	}
	t.Add(output.StringCol("metric", ms))
	t.Add(output.StringCol("factor", fs))
	for c, name := range []string{"first_order", "first_lo", "first_hi", "total_order", "total_lo", "total_hi"} {
		t.Add(output.FloatCol(name, cols[c]))
	}
	t.Add(output.IntCol("n", n))
	return output.WriteFileAtomic(filepath.Join(dir, "sobol.csv"), func(w io.Writer) error { return output.WriteCSV(w, t) })
}
