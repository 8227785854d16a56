package sweep

import (
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/cascade-sim/cascade/core/dmath"
	"github.com/cascade-sim/cascade/output"
)

// A grid with pair_seeds runs replicate r of every grid point at one seed,
// core.RunSeed(master, r): the runs of a replicate differ in their
// parameters only, so a metric's difference between two grid points is
// measured seed by seed (common random numbers), without the noise path's
// share of its spread. PairedDiff holds what the sweep found for one
// value of one parameter against the parameter's first value (the
// reference), the other parameters held at the same values.

// PairedDiff is one metric's differences, value minus reference, over the
// pairs of runs of a paired grid that differ in one parameter only.
type PairedDiff struct {
	// Parameter is the parameter's name; Level its value (as the runs
	// table writes it) and Reference its first value.
	Parameter, Level, Reference string
	// Pairs counts the pairs of sampled runs; MetricStats (N, quantiles,
	// mean, standard deviation) is over the differences of those where
	// both runs have a value.
	Pairs int
	MetricStats
	// Above and Below count the pairs in which the value gives more, less
	// than the reference.
	Above, Below int
}

// SE is the standard error of the mean difference.
func (s *PairedDiff) SE() float64 {
	if s.N < 2 {
		return math.NaN()
	}
	return s.Std / math.Sqrt(float64(s.N))
}

// SignP is the two-sided p-value of the sign test: the chance, were the
// level as likely to give a higher value as a lower one, of a split of the
// pairs that differ at least as uneven as the one found (pairs with equal
// values set aside).
func (s *PairedDiff) SignP() float64 { return SignP(s.Above, s.Below) }

// SignP is the two-sided p-value of the exact sign test of above pairs
// in which one side gives more and below in which it gives less (pairs
// with equal values set aside before counting): the chance, were either
// as likely, of a split at least as uneven, 2·P(X ≤ min(above, below))
// for X binomial with above+below trials and chance ½, at most 1. NaN
// when no pair differs. paired.csv's sign_p and cascade compare --seeds
// take it from here.
func SignP(above, below int) float64 {
	n := above + below
	if n == 0 {
		return math.NaN()
	}
	return min(2*binomialHalfCDF(n, min(above, below)), 1)
}

// binomialHalfCDF is P(X ≤ k) for X binomial with n trials and chance ½,
// computed the same on every machine (docs/determinism.md): the term at k
// from a sum of core/dmath logarithms, and the terms below it by their
// ratios, each product rounded before it is added. (gonum's Binomial.CDF,
// used before, goes through code the compiler may fuse into multiply-adds
// on some targets, and its last digits differed under GOAMD64=v3.)
func binomialHalfCDF(n, k int) float64 {
	if k >= n {
		return 1
	}
	// log C(n, k) 2⁻ⁿ = Σ_{j=1..k} log((n−k+j)/j) − n log 2.
	lt := -float64(float64(n) * math.Ln2)
	for j := 1; j <= k; j++ {
		lt += dmath.Log(float64(n-k+j) / float64(j))
	}
	// Σ_{i≤k} C(n, i) = C(n, k)·(1 + r_k + r_k·r_(k−1) + …), r_i = i/(n−i+1).
	acc, rel := 1.0, 1.0
	for i := k; i >= 1; i-- {
		rel = float64(rel * (float64(i) / float64(n-i+1)))
		acc += rel
		if rel < 1e-17*acc {
			break
		}
	}
	return float64(dmath.Exp(lt) * acc)
}

// sampled reports whether run i is in the sample the statistics are taken
// over: in a paired grid whole replicates (so that no pair is split), else
// inSample's runs.
func sampled(sw *Resolved, i int) bool {
	if !sw.PairSeeds || sw.GridSize == 0 {
		return inSample(i, sw.Runs)
	}
	g := sw.GridSize
	reps := sw.Runs / g
	return sw.Runs <= sampleCap || mix64(uint64(i/g)^0x9a12ed5eed)%uint64(reps) < uint64(max(sampleCap/g, 1))
}

// pairedDiffs returns, for a paired grid whose sample holds whole
// replicates, each metric's differences between every value of every
// parameter of more than one value and the parameter's first value, by
// parameter, value and metric; nil for any other sweep.
func pairedDiffs(man *Manifest, smp *sample) []PairedDiff {
	sw := &man.Sweep
	g := sw.GridSize
	if !sw.PairSeeds || g == 0 || len(smp.index) == 0 {
		return nil
	}
	np := len(sw.Parameters)
	// The sample's runs come in index order, whole replicates: replicate
	// k's point j is row k·g + j.
	if len(smp.index)%g != 0 {
		return nil
	}
	reps := len(smp.index) / g
	// Point j of a replicate takes value (j / stride[p]) mod len(values)
	// of parameter p, the last parameter varying fastest (Values).
	stride := make([]int, np)
	for p, st := np-1, 1; p >= 0; p-- {
		stride[p] = st
		st *= len(levels(&sw.Parameters[p].Dist))
	}
	var out []PairedDiff
	for p := range sw.Parameters {
		q := &sw.Parameters[p]
		lv := levels(&q.Dist)
		for li := 1; li < len(lv); li++ {
			for m, name := range sw.Metrics {
				col := smp.cols[np+m]
				var d []float64
				s := PairedDiff{Parameter: q.Name, Level: q.Label(lv[li]), Reference: q.Label(lv[0])}
				for k := range reps {
					for j := range g {
						if (j/stride[p])%len(lv) != li {
							continue
						}
						s.Pairs++
						a, b := col[k*g+j], col[k*g+j-li*stride[p]]
						if !finite(a) || !finite(b) {
							continue
						}
						d = append(d, a-b)
						switch {
						case a > b:
							s.Above++
						case a < b:
							s.Below++
						}
					}
				}
				s.MetricStats = stats(d, nil)
				s.Name = name
				out = append(out, s)
			}
		}
	}
	return out
}

// writePaired writes paired.csv: a row per parameter, value and metric,
// with the statistics of the paired differences (value minus reference).
func writePaired(dir string, rows []PairedDiff) error {
	t := &output.Table{}
	var ps, ls, rs, ms []string
	var pairs, n, above, below []int64
	var mean, se, p5, p50, p95, sign []float64
	for i := range rows {
		r := &rows[i]
		ps, ls, rs, ms = append(ps, r.Parameter), append(ls, r.Level), append(rs, r.Reference), append(ms, r.Name)
		pairs, n = append(pairs, int64(r.Pairs)), append(n, int64(r.N))
		above, below = append(above, int64(r.Above)), append(below, int64(r.Below))
		mean, se = append(mean, r.Mean), append(se, r.SE())
		p5, p50, p95 = append(p5, r.P5), append(p50, r.P50), append(p95, r.P95)
		sign = append(sign, r.SignP())
	}
	t.Add(output.StringCol("parameter", ps))
	t.Add(output.StringCol("level", ls))
	t.Add(output.StringCol("reference", rs))
	t.Add(output.StringCol("metric", ms))
	t.Add(output.IntCol("pairs", pairs))
	t.Add(output.IntCol("n", n))
	t.Add(output.FloatCol("mean", mean))
	t.Add(output.FloatCol("se", se))
	t.Add(output.FloatCol("p5", p5))
	t.Add(output.FloatCol("median", p50))
	t.Add(output.FloatCol("p95", p95))
	t.Add(output.IntCol("above", above))
	t.Add(output.IntCol("below", below))
	t.Add(output.FloatCol("sign_p", sign))
	return output.WriteFileAtomic(filepath.Join(dir, "paired.csv"), func(w io.Writer) error { return output.WriteCSV(w, t) })
}

// writePairedTables writes, for each parameter paired.csv covers, each
// metric's mean difference from the reference at each of its other
// values, with its 95% interval and the pairs in which it is higher.
func writePairedTables(p func(string, ...any), man *Manifest, rows []PairedDiff) {
	sw := &man.Sweep
	nm := len(sw.Metrics)
	if len(rows) == 0 || nm == 0 {
		return
	}
	p("## Paired differences\n\nThe runs share their seeds across grid points (`pair_seeds`), so each difference below is measured seed by seed: a value's run minus the run at the parameter's first value, with the same seed and the other parameters at the same values. Each cell is the mean difference ± the half-width of its 95%% interval (1.96 standard errors), then the pairs in which the value gives more than the reference, of those with both values (quantiles and the sign test's p-value in `paired.csv`).\n\n")
	for i := 0; i+nm <= len(rows); {
		param := rows[i].Parameter
		p("| %s (against %s) |", output.MarkdownCell(param), output.MarkdownCell(rows[i].Reference))
		for _, m := range sw.Metrics {
			p(" %s |", output.MarkdownCell(m))
		}
		p("\n|---|%s\n", strings.Repeat("--:|", nm))
		for ; i+nm <= len(rows) && rows[i].Parameter == param; i += nm {
			p("| %s |", output.MarkdownCell(rows[i].Level))
			for k := range rows[i : i+nm] {
				r := &rows[i+k]
				if r.N == 0 {
					p(" - |")
					continue
				}
				p(" %s ± %s, %d/%d higher |", signed(r.Mean), Short(1.96*r.SE()), r.Above, r.N)
			}
			p("\n")
		}
		p("\n")
	}
}

// signed writes x as Short does, with a plus sign when it is positive.
func signed(x float64) string {
	if x > 0 {
		return "+" + Short(x)
	}
	return Short(x)
}
