package sweep

import (
	"io"
	"path/filepath"
	"slices"

	"github.com/cascade-sim/cascade/output"
)

// levelStats is one metric over the runs at one level of a parameter.
type levelStats struct {
	param, level string
	runs         int // sampled runs at the level
	MetricStats      // Name is the metric's; N counts the runs with a value
}

// leveled reports whether parameter p takes a handful of set values whose
// runs levels.csv compares: a text field's levels, or a number's list or
// choice.
func leveled(p *ResolvedParam) bool {
	return p.Levels != nil || p.Dist.Kind == "list" || p.Dist.Kind == "choice"
}

// byLevel returns, for every leveled parameter, each metric's statistics
// over the sampled runs at each of its values (a text field's in the order
// of its levels, a number's in increasing order), levels no sampled run
// took included with n = 0.
func byLevel(man *Manifest, smp *sample) []levelStats {
	np := len(man.Sweep.Parameters)
	var out []levelStats
	for p := range man.Sweep.Parameters {
		q := &man.Sweep.Parameters[p]
		if !leveled(q) {
			continue
		}
		vals := slices.Compact(slices.Sorted(slices.Values(q.Dist.Values)))
		keep := make([]bool, len(smp.index))
		for _, v := range vals {
			runs := 0
			for r := range keep {
				keep[r] = smp.cols[p][r] == v
				if keep[r] {
					runs++
				}
			}
			for m, name := range man.Sweep.Metrics {
				s := stats(smp.cols[np+m], keep)
				s.Name = name
				out = append(out, levelStats{param: q.Name, level: q.Label(v), runs: runs, MetricStats: s})
			}
		}
	}
	return out
}

// writeLevels writes levels.csv: a row per parameter, level and metric,
// with the sampled runs at the level (runs) and those with a value (n).
func writeLevels(dir string, rows []levelStats) error {
	t := &output.Table{}
	ps, ls, ms := []string{}, []string{}, []string{}
	runs, n := []int64{}, []int64{}
	p5, p50, p95, mean := []float64{}, []float64{}, []float64{}, []float64{}
	for _, r := range rows {
		ps, ls, ms = append(ps, r.param), append(ls, r.level), append(ms, r.Name)
		runs, n = append(runs, int64(r.runs)), append(n, int64(r.N))
		p5, p50, p95, mean = append(p5, r.P5), append(p50, r.P50), append(p95, r.P95), append(mean, r.Mean)
	}
	t.Add(output.StringCol("parameter", ps))
	t.Add(output.StringCol("level", ls))
	t.Add(output.StringCol("metric", ms))
	t.Add(output.IntCol("runs", runs))
	t.Add(output.IntCol("n", n))
	t.Add(output.FloatCol("p5", p5))
	t.Add(output.FloatCol("median", p50))
	t.Add(output.FloatCol("p95", p95))
	t.Add(output.FloatCol("mean", mean))
	return output.WriteFileAtomic(filepath.Join(dir, "levels.csv"), func(w io.Writer) error { return output.WriteCSV(w, t) })
}
