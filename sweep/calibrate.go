package sweep

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
)

// Calibration reads a sweep scored against its base scenario's observed
// list (a metric score.within) as a rejection sampler: a run reproduces
// what markets did when every observed quantity is within its tolerance,
// as cascade score judges one run. With the parameters drawn from their
// distributions (the prior), the reproducing runs' values are draws from
// the parameters' distribution given the observations (approximate
// Bayesian computation by rejection, its tolerance the observed list's).
type Calibration struct {
	Quantities int  // K: the base scenario's observed quantities
	Runs       int  // sampled runs with a score
	All        int  // of them, those with score.within = K
	AllButOne  int  // those with score.within ≥ K−1
	Sampled    bool // over a deterministic sample of about 100,000 runs
	// Rows: for each parameter that varies, all its runs, then its runs
	// by bin (each level of a text field or a list or choice, else each
	// fifth of the runs by the parameter's value).
	Rows []CalibrationRow
	// Pass: for each observed quantity the sweep records (score.NAME),
	// how many runs have it within its tolerance.
	Pass []QuantityPass
	// Unrecorded are the observed quantities the sweep does not record
	// (no metric score.NAME), in the observed list's order, and
	// UnrecordedOnly counts the runs that miss exactly one quantity and
	// none of the recorded ones: they miss one of Unrecorded, which the
	// sweep cannot tell apart.
	Unrecorded     []string
	UnrecordedOnly int
	// Metrics: each metric but score.within over the scored runs and over
	// those that reproduce every quantity (its distribution given the
	// observations: for a quantity nobody observed, such as the
	// amplification, what the observations say about it).
	Metrics []CalibratedMetric
}

// CalibratedMetric is a metric's distribution over the scored runs (All)
// and over the runs that reproduce every observed quantity (Reproduce).
type CalibratedMetric struct {
	Name           string
	All, Reproduce MetricStats
	// Score says the metric is an observed quantity's simulated value
	// (score.NAME), Bounds its tolerance's ends (output.Bounds): the
	// section writes it as cascade score does (output.ScoreValue).
	Score  bool
	Bounds []float64
}

// CalibrationRow is one parameter's runs, all or in one bin.
type CalibrationRow struct {
	Param string
	// Bin is "all", a level's label, or the fifth's number, "1" to "5"
	// (fewer when ties would straddle a cut: tieCuts).
	Bin    string
	Lo, Hi float64 // the parameter's least and greatest value in the bin (NaN for a text field)
	Runs   int     // sampled runs in the bin with a score
	// All and AllButOne count the bin's runs that reproduce every observed
	// quantity, and all but one at most.
	All, AllButOne int
	// P5, P50 and P95 are the parameter's quantiles over the bin's runs
	// that reproduce every quantity (NaN for a text field, or without
	// such runs).
	P5, P50, P95 float64
}

// QuantityPass is one observed quantity's record across the runs.
type QuantityPass struct {
	Name         string
	Runs, Within int // sampled runs with a value; within tolerance
	// Only counts the runs that miss this quantity and no other: of the
	// runs that miss exactly one, those it keeps from reproducing all.
	Only int
}

// calibBins is the number of bins a number parameter's runs are split
// into, by rank, when it has at least calibBins·minBinRuns runs.
const (
	calibBins  = 5
	minBinRuns = 5
)

// observedList returns the observed list of the sweep's base scenario, as
// the manifest records it.
func observedList(man *Manifest) ([]scenarios.Observation, error) {
	var f scenarios.File
	if _, err := scenarios.DecodeYAMLBytes("manifest.json base.resolved_scenario", []byte(man.Base.Resolved), &f); err != nil {
		return nil, err
	}
	return f.Observed, nil
}

// calibration returns the sweep's calibration, or nil when no metric is
// score.within.
func calibration(man *Manifest, smp *sample) (*Calibration, error) {
	np := len(man.Sweep.Parameters)
	within := slices.Index(man.Sweep.Metrics, "score.within")
	if within < 0 {
		return nil, nil
	}
	obs, err := observedList(man)
	if err != nil {
		return nil, err
	}
	k := len(obs)
	w := smp.cols[np+within]
	c := &Calibration{Quantities: k, Sampled: len(smp.index) < man.ShardRuns}
	scored := make([]bool, len(w))
	for r, x := range w {
		if scored[r] = finite(x); scored[r] {
			c.Runs++
			c.All += b2i(x >= float64(k))
			c.AllButOne += b2i(x >= float64(k-1))
		}
	}
	for p := range man.Sweep.Parameters {
		c.Rows = append(c.Rows, calibRows(&man.Sweep.Parameters[p], smp.cols[p], w, scored, k)...)
	}
	reproduce := make([]bool, len(w))
	for r, x := range w {
		reproduce[r] = x >= float64(k)
	}
	for m, path := range man.Sweep.Metrics {
		if m != within {
			cm := CalibratedMetric{Name: path, All: stats(smp.cols[np+m], scored), Reproduce: stats(smp.cols[np+m], reproduce)}
			if name, ok := strings.CutPrefix(path, "score."); ok {
				if i := slices.IndexFunc(obs, func(o scenarios.Observation) bool { return o.Name == name }); i >= 0 {
					cm.Score, cm.Bounds = true, output.Bounds(obs[i])
				}
			}
			c.Metrics = append(c.Metrics, cm)
		}
	}
	for m, path := range man.Sweep.Metrics {
		name, ok := strings.CutPrefix(path, "score.")
		if !ok || name == "within" {
			continue
		}
		for _, o := range obs {
			if o.Name != name {
				continue
			}
			q := QuantityPass{Name: name}
			for r, x := range smp.cols[np+m] {
				if finite(x) {
					q.Runs++
					_, pass := output.Within(o, x)
					q.Within += b2i(pass)
					q.Only += b2i(!pass && w[r] == float64(k-1))
				}
			}
			c.Pass = append(c.Pass, q)
		}
	}
	attributed := 0
	for _, o := range obs {
		if !slices.Contains(man.Sweep.Metrics, "score."+o.Name) {
			c.Unrecorded = append(c.Unrecorded, o.Name)
		}
	}
	for _, q := range c.Pass {
		attributed += q.Only
	}
	if len(c.Unrecorded) > 0 {
		c.UnrecordedOnly = c.AllButOne - c.All - attributed
	}
	return c, nil
}

// calibRows returns parameter q's rows: all its scored runs, then its
// bins; none when q takes one value in every run.
func calibRows(q *ResolvedParam, x, w []float64, scored []bool, k int) []CalibrationRow {
	text := q.Levels != nil
	var idx []int // the scored runs, by the parameter's value (then run)
	for r := range x {
		if scored[r] {
			idx = append(idx, r)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	if len(idx) == 0 || x[idx[0]] == x[idx[len(idx)-1]] {
		return nil
	}
	row := func(bin string, runs []int) CalibrationRow {
		r := CalibrationRow{Param: q.Name, Bin: bin, Lo: x[runs[0]], Hi: x[runs[len(runs)-1]], Runs: len(runs),
			P5: math.NaN(), P50: math.NaN(), P95: math.NaN()}
		var acc []float64
		for _, i := range runs {
			if w[i] >= float64(k) {
				r.All++
				acc = append(acc, x[i])
			}
			r.AllButOne += b2i(w[i] >= float64(k-1))
		}
		if text {
			r.Lo, r.Hi = math.NaN(), math.NaN()
		} else if len(acc) > 0 {
			s := stats(acc, nil) // acc is already in increasing order
			r.P5, r.P50, r.P95 = s.P5, s.P50, s.P95
		}
		return r
	}
	rows := []CalibrationRow{row("all", idx)}
	switch {
	case leveled(q):
		// A bin per value the parameter can take, in the order of the
		// levels or of the numbers; values no scored run took are left out.
		vals := slices.Compact(slices.Sorted(slices.Values(q.Dist.Values)))
		for _, v := range vals {
			lo, _ := slices.BinarySearchFunc(idx, v, func(r int, v float64) int { return cmp.Compare(x[r], v) })
			hi := lo
			for hi < len(idx) && x[idx[hi]] == v {
				hi++
			}
			if hi > lo {
				rows = append(rows, row(q.Label(v), idx[lo:hi]))
			}
		}
	case len(idx) >= calibBins*minBinRuns:
		cuts := tieCuts(len(idx), calibBins, func(i int) float64 { return x[idx[i]] })
		for b := range len(cuts) - 1 {
			rows = append(rows, row(strconv.Itoa(b+1), idx[cuts[b]:cuts[b+1]]))
		}
	}
	return rows
}

// tieCuts splits n values in increasing order, value(0) ≤ ... ≤ value(n−1),
// into at most bins runs of about n/bins each and returns the bounds:
// bin b is [cuts[b], cuts[b+1]). A cut that would fall inside a run of
// equal values moves to whichever end of that run is nearer (the upper on
// a tie), so equal values always share a bin; bins left empty by the moves
// are dropped. (A posterior sweep's parameters repeat the accepted runs'
// values, and a discrete distribution repeats its own.)
func tieCuts(n, bins int, value func(int) float64) []int {
	cuts := []int{0}
	for b := 1; b < bins; b++ {
		c := b * n / bins
		lo, hi := c, c
		for lo > 0 && value(lo-1) == value(c) {
			lo--
		}
		for hi < n && value(hi) == value(c) {
			hi++
		}
		if lo < c && c-lo < hi-c {
			c = lo
		} else if lo < c {
			c = hi
		}
		if c > cuts[len(cuts)-1] && c < n {
			cuts = append(cuts, c)
		}
	}
	return append(cuts, n)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// calibGroups splits the rows by parameter: each group's first row is
// the parameter's runs, all of them, and the rest its bins. Parameter
// names are unique (they are runs.parquet's columns), while a text
// field's level may itself be called "all".
func calibGroups(rows []CalibrationRow) [][]CalibrationRow {
	var out [][]CalibrationRow
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && rows[j].Param == rows[i].Param {
			j++
		}
		out = append(out, rows[i:j])
		i = j
	}
	return out
}

// calibBinLabel labels a calibration bin in the report and on its plot: a
// level, a number, or a fifth's range.
func calibBinLabel(r CalibrationRow) string {
	switch {
	case math.IsNaN(r.Lo):
		return r.Bin
	case r.Lo == r.Hi:
		return Short(r.Lo)
	}
	return Short(r.Lo) + " to " + Short(r.Hi)
}

// writeCalibration writes calibration.csv: a row per parameter and bin.
func writeCalibration(dir string, c *Calibration) error {
	t := &output.Table{}
	ps, bins := []string{}, []string{}
	lo, hi, p5, p50, p95 := []float64{}, []float64{}, []float64{}, []float64{}, []float64{}
	runs, all, but := []int64{}, []int64{}, []int64{}
	for _, r := range c.Rows {
		ps, bins = append(ps, r.Param), append(bins, r.Bin)
		lo, hi = append(lo, r.Lo), append(hi, r.Hi)
		runs, all, but = append(runs, int64(r.Runs)), append(all, int64(r.All)), append(but, int64(r.AllButOne))
		p5, p50, p95 = append(p5, r.P5), append(p50, r.P50), append(p95, r.P95)
	}
	t.Add(output.StringCol("parameter", ps))
	t.Add(output.StringCol("bin", bins))
	t.Add(output.FloatCol("lo", lo))
	t.Add(output.FloatCol("hi", hi))
	t.Add(output.IntCol("runs", runs))
	t.Add(output.IntCol("reproduce_all", all))
	t.Add(output.IntCol("miss_at_most_one", but))
	t.Add(output.FloatCol("p5", p5))
	t.Add(output.FloatCol("median", p50))
	t.Add(output.FloatCol("p95", p95))
	return output.WriteFileAtomic(filepath.Join(dir, "calibration.csv"), func(w io.Writer) error { return output.WriteCSV(w, t) })
}

// writeCalibrationMetrics writes calibration_metrics.csv: a row per
// metric, its quantiles over the scored runs and over the runs that
// reproduce every observed quantity.
func writeCalibrationMetrics(dir string, c *Calibration) error {
	t := &output.Table{}
	names := []string{}
	var n, nr []int64
	var q [6][]float64
	for _, m := range c.Metrics {
		names = append(names, m.Name)
		n, nr = append(n, int64(m.All.N)), append(nr, int64(m.Reproduce.N))
		for i, v := range [6]float64{m.All.P5, m.All.P50, m.All.P95, m.Reproduce.P5, m.Reproduce.P50, m.Reproduce.P95} {
			q[i] = append(q[i], v)
		}
	}
	t.Add(output.StringCol("metric", names))
	t.Add(output.IntCol("runs", n))
	t.Add(output.FloatCol("p5", q[0]))
	t.Add(output.FloatCol("median", q[1]))
	t.Add(output.FloatCol("p95", q[2]))
	t.Add(output.IntCol("reproduce_runs", nr))
	t.Add(output.FloatCol("reproduce_p5", q[3]))
	t.Add(output.FloatCol("reproduce_median", q[4]))
	t.Add(output.FloatCol("reproduce_p95", q[5]))
	return output.WriteFileAtomic(filepath.Join(dir, "calibration_metrics.csv"), func(w io.Writer) error { return output.WriteCSV(w, t) })
}

// share writes n of total as a percentage ("-" when total is 0).
func share(n, total int) string {
	if total == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(total))
}

// Headline is the calibration in one sentence, as cascade sweep prints it.
func (c *Calibration) Headline() string {
	s := fmt.Sprintf("%d of %d runs (%s) reproduce all %d observed quantities; %d (%s) miss at most one",
		c.All, c.Runs, share(c.All, c.Runs), c.Quantities, c.AllButOne, share(c.AllButOne, c.Runs))
	if c.Sampled {
		s += " (over a deterministic sample of about 100,000 runs)"
	}
	return s
}

// writeCalibrationSection writes the report's calibration section.
func writeCalibrationSection(p func(string, ...any), c *Calibration) {
	if c == nil {
		return
	}
	p("## Calibration\n\n")
	p("A run reproduces what markets did when each of the base scenario's %d observed quantities is within its tolerance (`score.within` = %d, as `cascade score` judges one run). %s.\n\n", c.Quantities, c.Quantities, c.Headline())
	if len(c.Rows) > 0 {
		p("Read as a rejection sampler, the runs that reproduce everything are draws of the parameters given the observations: the last three columns are each parameter's 5th percentile, median and 95th percentile over them, to compare with its range over all runs. The rows under each parameter split its runs by level, or into fifths by its value; where the share that reproduces falls off, the observations rule the values out.\n\n")
		p("| parameter | values | runs | reproduce all | miss at most one | p5 | median | p95 |\n|---|---|--:|--:|--:|--:|--:|--:|\n")
		for _, g := range calibGroups(c.Rows) {
			for i, r := range g {
				name, vals := "", output.MarkdownCell(calibBinLabel(r))
				if i == 0 {
					name, vals = output.MarkdownCell(r.Param), "all"
					if !math.IsNaN(r.Lo) {
						vals += ": " + calibBinLabel(r)
					}
				}
				p("| %s | %s | %d | %s | %s | %s | %s | %s |\n", name, vals, r.Runs, share(r.All, r.Runs), share(r.AllButOne, r.Runs), Short(r.P5), Short(r.P50), Short(r.P95))
			}
		}
		p("\n")
	}
	near := c.AllButOne - c.All
	if len(c.Pass) > 0 {
		p("Each observed quantity the sweep records: the share of runs that have it within tolerance, and of the %d runs that miss exactly one quantity, the share that miss this one (the observation that keeps them from reproducing all).", near)
		if len(c.Unrecorded) > 0 {
			p(" The column can name only the %d of %d quantities the sweep records as `score.NAME`.", len(c.Pass), c.Quantities)
		}
		p("\n\n| quantity | runs | within tolerance | the one missed |\n|---|--:|--:|--:|\n")
		for _, q := range c.Pass {
			p("| %s | %d | %s | %s |\n", output.MarkdownCell(q.Name), q.Runs, share(q.Within, q.Runs), share(q.Only, near))
		}
		if len(c.Unrecorded) > 0 {
			p("| one of the %d not recorded | | | %s |\n", len(c.Unrecorded), share(c.UnrecordedOnly, near))
		}
		p("\n")
	}
	if c.UnrecordedOnly > 0 {
		p("%d of the %d runs that miss exactly one quantity miss one the sweep does not record, so it cannot say which: %s. Add their `score.NAME` to the metrics to see them.\n\n",
			c.UnrecordedOnly, near, strings.Join(quoted(c.Unrecorded), ", "))
	}
	if len(c.Metrics) > 0 && c.All > 0 {
		p("Each metric over all %d scored runs and over the %d that reproduce everything: median (5th to 95th percentile). For a quantity nobody observed (the amplification, the forced sales, the share of a trade unwound), the second is what the observations say about it.\n\n| metric | all runs | runs that reproduce |\n|---|--:|--:|\n", c.Runs, c.All)
		for _, m := range c.Metrics {
			show := Short
			if m.Score {
				show = func(x float64) string { return output.ScoreValue(x, m.Bounds...) }
			}
			p("| %s | %s | %s |\n", output.MarkdownCell(m.Name), medianRange(m.All, show), medianRange(m.Reproduce, show))
		}
		p("\n")
	}
}

// quoted writes each name in backquotes, for a Markdown sentence.
func quoted(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "`" + n + "`"
	}
	return out
}

// medianRange writes a metric's median and 5-95% range, each as show
// writes it: "3.47 (2.1 to 5.3)".
func medianRange(s MetricStats, show func(float64) string) string {
	if s.N == 0 {
		return "-"
	}
	return fmt.Sprintf("%s (%s to %s)", show(s.P50), show(s.P5), show(s.P95))
}
