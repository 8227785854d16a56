package sweep

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/cascade-sim/cascade/output"
)

// Plot file stems (each written as .png and .svg under plots/, through
// slug): fan_SERIES, hist_METRIC, agents_PATTERN (the metrics a pattern
// of two or more stands for, in place of their histograms), sensitivity
// (a pattern as one column), sensitivity_PATTERN, compression_drawdown,
// for a grid, response_METRIC and response_PATTERN, for a sobol design,
// sobol_total and sobol_first, levels_PARAMETER_METRIC and
// levels_PARAMETER_PATTERN and, for a sweep scored with score.within,
// calibration_PARAMETER. No metric of a pattern of two or more has a plot
// of its own.

// renderPlots draws the sweep's plots into dir/plots and returns the files
// written, relative to dir.
func renderPlots(dir string, man *Manifest, b *Bands, smp *sample, sens []sensRow, sobol []SobolIndex, lv []levelStats, calib *Calibration) ([]string, error) {
	pdir := filepath.Join(dir, "plots")
	if err := os.MkdirAll(pdir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	used := map[string]bool{}
	save := func(stem string, c output.Chart) error {
		stem0 := slug(stem)
		stem = stem0
		for k := 2; used[stem]; k++ {
			stem = fmt.Sprintf("%s_%d", stem0, k)
		}
		used[stem] = true
		for _, ext := range []string{".png", ".svg"} {
			if err := c.Save(filepath.Join(pdir, stem+ext)); err != nil {
				return err
			}
			files = append(files, "plots/"+stem+ext)
		}
		return nil
	}
	p := man.Plan
	runs := fmt.Sprintf("%d runs, %s", man.ShardRuns, strings.ReplaceAll(man.Sweep.Design, "_", " "))
	if man.Shard.Count > 1 {
		runs += ", shard " + man.Shard.String()
	}
	np := len(man.Sweep.Parameters)
	note := ""
	if len(smp.index) < man.ShardRuns {
		note = fmt.Sprintf("; a sample of %d", len(smp.index))
	}

	// Fan charts: the 5–95% and 25–75% bands and the median of each series,
	// with the base run's path.
	// Each tick's value at the tick's end, as a run's plots draw it, over
	// the run's span from its start.
	x := output.TickEnds(p.Times[:p.Ticks], 0)
	var span [2]float64
	if len(x) > 0 {
		span = [2]float64{float64(p.Times[0].Unix()), x[len(x)-1]}
	}
	var marks []output.Marker
	for _, m := range p.Markers {
		marks = append(marks, output.Marker{X: float64(m.Time.Unix()), Label: m.Label})
	}
	for s, name := range p.Series {
		qs := make([][]float64, len(BandQuantiles))
		for j, q := range BandQuantiles {
			qs[j] = make([]float64, p.Ticks)
			for t := range qs[j] {
				qs[j][t] = b.Quantile(s, t, q)
			}
		}
		base := make([]float64, p.Ticks)
		for t := range base {
			base[t] = float64(p.Base[s][t])
		}
		panel := output.FanPanel("Quantiles across "+runs, seriesLabel(name, output.CurrencyCode(man.Base.Currency)), output.Fan{X: x, P5: qs[0], P25: qs[1], P50: qs[2], P75: qs[3], P95: qs[4]})
		panel.Series = append(panel.Series, output.Series{Name: "base scenario", X: x, Y: base, Color: color.Gray{Y: 90}})
		fig := &output.Figure{Title: fmt.Sprintf("%s: %s", man.Sweep.Name, name), TimeAxis: true, XRange: span, Markers: marks,
			Panels: []output.Panel{panel}}
		if err := save("fan_"+name, fig); err != nil {
			return nil, err
		}
	}

	// Histograms of the metrics; not of a 0/1 metric, two bars whose
	// heights the report's Probabilities table gives. The metrics a
	// pattern stands for (capital.by_agent.*.loss, one an agent) share one
	// chart of their ranges, in place of the first one's histogram.
	groups, of := metricGroups(man)
	for m, name := range man.Sweep.Metrics {
		if Indicator(name) {
			continue
		}
		if k := of[m]; k >= 0 {
			if g := &groups[k]; g.ms[0] == m {
				if err := save("agents_"+g.pat, agentRanges(man, smp, g, runs+note)); err != nil {
					return nil, err
				}
			}
			continue
		}
		label := name
		if isMoney(name) {
			label += ", " + output.CurrencyCode(man.Base.Currency)
		}
		h := output.Histogram(fmt.Sprintf("%s: %s", man.Sweep.Name, name), fmt.Sprintf("%s (%s%s)", label, runs, note), smp.cols[np+m], 0)
		if err := save("hist_"+name, h); err != nil {
			return nil, err
		}
	}

	// Sensitivity: the rank correlation of every parameter with every
	// metric; a pattern's metrics as one column, the median of their
	// correlations, and a heat map of their own with a row per agent.
	if np > 0 && len(man.Sweep.Metrics) > 0 {
		if err := save("sensitivity", sensitivityMap(man, sens, groups, of, runs+note)); err != nil {
			return nil, err
		}
		for k := range groups {
			if err := save("sensitivity_"+groups[k].pat, agentSensitivity(man, smp, sens, &groups[k], runs+note)); err != nil {
				return nil, err
			}
		}
	}

	// Sobol indices: the total-order and first-order index of every factor
	// (the parameters and the seed) for every metric.
	if len(sobol) > 0 {
		tot, first := sobolMaps(man, sobol, groups, of, runs)
		if err := save("sobol_total", tot); err != nil {
			return nil, err
		}
		if err := save("sobol_first", first); err != nil {
			return nil, err
		}
	}

	// A text field's levels, or a true-or-false field's: each metric's
	// median at each level, with the 5th and 95th percentiles.
	for _, c := range levelCharts(man, lv, runs+note) {
		if err := save(c.stem, c.chart); err != nil {
			return nil, err
		}
	}

	// Calibration: the share of each parameter's runs that reproduce what
	// markets did, by bin.
	if calib != nil {
		for _, g := range calibGroups(calib.Rows) {
			all, bins := g[0], g[1:]
			if len(bins) < 2 {
				continue
			}
			var cats []string
			var full, most []float64
			for _, r := range bins {
				cats = append(cats, calibBinLabel(r))
				full = append(full, float64(r.All)/float64(r.Runs))
				most = append(most, float64(r.AllButOne)/float64(r.Runs))
			}
			bc := output.GroupedBars(fmt.Sprintf("%s: share reproducing the observations, by %s", man.Sweep.Name, all.Param), cats, []output.Series{
				{Name: fmt.Sprintf("all %d (%s of all runs)", calib.Quantities, share(all.All, all.Runs)), Y: full},
				{Name: fmt.Sprintf("miss at most one (%s)", share(all.AllButOne, all.Runs)), Y: most}}, false)
			bc.Percent, bc.ValueRange = true, [2]float64{0, 1}
			bc.ValueLabel = fmt.Sprintf("share of the bin's runs (%s%s)", runs, note)
			if err := save("calibration_"+all.Param, bc); err != nil {
				return nil, err
			}
		}
	}

	// A grid's response curves: each metric against the grid's first varied
	// parameter, a line per combination of the others; a pattern's metrics
	// share one chart (agentResponse).
	var rg *responseGrid
	if man.Sweep.Design == "grid" {
		rg = newResponseGrid(man, smp)
	}
	if rg != nil {
		for m, name := range man.Sweep.Metrics {
			if k := of[m]; k >= 0 {
				if g := &groups[k]; g.ms[0] == m {
					if err := save("response_"+g.pat, agentResponse(man, smp, rg, g, runs+note)); err != nil {
						return nil, err
					}
				}
				continue
			}
			// A 0/1 metric's median is 0 or 1: it shows the share of runs
			// with a 1 instead.
			ind := Indicator(name)
			fig := rg.figure(man, smp.cols[np+m], ind)
			fig.Title = fmt.Sprintf("%s: %s", man.Sweep.Name, name)
			fig.Panels[0].YLabel = name
			fig.Panels[0].Title = fmt.Sprintf("Median over the runs at each grid point (%s%s)", runs, note)
			if ind {
				fig.Panels[0].YLabel = "share of runs with " + name + " = 1"
				fig.Panels[0].Title = fmt.Sprintf("Share of the runs at each grid point (%s%s)", runs, note)
			}
			if err := save("response_"+name, fig); err != nil {
				return nil, err
			}
		}
	}

	// Compression index (stress stored before the trigger) against the
	// headline drawdown.
	ci, dd := -1, -1
	for m, name := range man.Sweep.Metrics {
		switch name {
		case "compression_index":
			ci = np + m
		case "headline_move_pct":
			dd = np + m
		}
	}
	if ci >= 0 && dd >= 0 {
		var xs, ys []float64
		for i := range smp.cols[ci] {
			if finite(smp.cols[ci][i]) && finite(smp.cols[dd][i]) {
				xs, ys = append(xs, smp.cols[ci][i]), append(ys, smp.cols[dd][i])
			}
		}
		head := p.Headline
		if head == "" {
			head = "headline asset"
		}
		if len(xs) == 0 {
			// No run has a levered sector (the index is null): nothing to draw.
			return files, nil
		}
		sc := output.Scatter(fmt.Sprintf("%s: compression index against %s drawdown", man.Sweep.Name, head),
			fmt.Sprintf("compression index before the trigger (%s%s)", runs, note), head+" peak-to-trough drawdown, %", xs, ys)
		if err := save("compression_drawdown", sc); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// sensitivityMap draws the rank correlation of each parameter (a row
// each) with each metric (a column each), but for the metrics of a group:
// one column for the group, the median of their correlations (those that
// are not n/a). about is the runs they are over.
func sensitivityMap(man *Manifest, sens []sensRow, groups []metricGroup, of []int, about string) *output.TableHeatmapChart {
	np, nm := len(man.Sweep.Parameters), len(man.Sweep.Metrics)
	labels, cols := heatColumns(man, groups, of)
	rows := make([]string, np)
	vals := make([][]float64, np)
	for i, q := range man.Sweep.Parameters {
		rows[i] = q.Name
		vals[i] = make([]float64, len(cols))
		for c, ms := range cols {
			vals[i][c] = medianOf(ms, func(m int) float64 { return sens[i*nm+m].rho })
		}
	}
	hm := output.TableHeatmap(man.Sweep.Name+": Spearman rank correlation of each parameter with each metric", rows, labels, vals, -1, 1)
	hm.Note = about + "; n/a: a constant parameter or metric"
	if len(groups) > 0 {
		hm.Note += "; a pattern: the median of its agents' correlations"
	}
	return hm
}

// sobolMaps draws the total-order and the first-order Sobol index of each
// factor (the parameters and the seed, a row each) for each metric (a
// column each), but for the metrics of a group: one column for the
// group, the median of their indices. runs names the runs.
func sobolMaps(man *Manifest, sobol []SobolIndex, groups []metricGroup, of []int, runs string) (total, first *output.TableHeatmapChart) {
	nf := len(man.Sweep.Parameters) + 1
	labels, cols := heatColumns(man, groups, of)
	rows := make([]string, nf)
	tot, fst := make([][]float64, nf), make([][]float64, nf)
	for f := range nf {
		rows[f] = sobol[f].Factor
		tot[f], fst[f] = make([]float64, len(cols)), make([]float64, len(cols))
		for c, ms := range cols {
			tot[f][c] = medianOf(ms, func(m int) float64 { return sobol[m*nf+f].Total })
			fst[f][c] = medianOf(ms, func(m int) float64 { return sobol[m*nf+f].First })
		}
	}
	chart := func(what string, vals [][]float64) *output.TableHeatmapChart {
		hm := output.TableHeatmap(man.Sweep.Name+": "+what, rows, labels, vals, 0, 1)
		hm.Note = fmt.Sprintf("%s, %s; seed: the noise path; n/a: no variance; 95%% intervals in sobol.csv", runs, SobolBasis(sobol))
		if len(groups) > 0 {
			hm.Note += "; a pattern: the median of its agents' indices"
		}
		return hm
	}
	return chart("total-order Sobol indices", tot), chart("first-order Sobol indices", fst)
}

// levelChart is a chart of a metric, or of a pattern's metrics, by a
// parameter's levels, and the stem of its file.
type levelChart struct {
	stem  string
	chart output.Chart
}

// levelCharts returns a chart per metric for every text field and every
// true-or-false field with two levels or more, and every number's list or
// choice of two to maxChartLevels values outside a grid: the metric's 5th
// percentile, median and 95th percentile at each level (lv's rows, in
// their order: a text field's levels as the file lists them, false before
// true), and for a number's list or choice of a few values outside a
// grid (levelCharted). The metrics of a pattern of two or more
// (metricGroups) share one chart, agentLevels. about is the runs the
// charts describe.
func levelCharts(man *Manifest, lv []levelStats, about string) []levelChart {
	groups, of := metricGroups(man)
	var out []levelChart
	for p := range man.Sweep.Parameters {
		q := &man.Sweep.Parameters[p]
		if !levelCharted(man, q) {
			continue
		}
		for m, name := range man.Sweep.Metrics {
			if k := of[m]; k >= 0 {
				if g := &groups[k]; g.ms[0] == m {
					if c := agentLevels(man, lv, q, g, about); c != nil {
						out = append(out, levelChart{"levels_" + q.Name + "_" + g.pat, c})
					}
				}
				continue
			}
			// A 0/1 metric's percentiles are 0s and 1s: it shows the share
			// of runs with a 1 at each level, within its Wilson interval.
			ind := Indicator(name)
			var cats []string
			var p5, p50, p95 []float64
			for _, r := range lv {
				if r.param == q.Name && r.Name == name {
					cats = append(cats, r.level)
					a, b, c := r.P5, r.P50, r.P95
					if ind {
						b = r.Mean
						a, c = Wilson(int(math.Round(r.Mean*float64(r.N))), r.N)
					}
					p5, p50, p95 = append(p5, a), append(p50, b), append(p95, c)
				}
			}
			if len(cats) < 2 {
				continue
			}
			series := []output.Series{{Name: "5th percentile", Y: p5}, {Name: "median", Y: p50}, {Name: "95th percentile", Y: p95}}
			label := fmt.Sprintf("%s (%s)", name, about)
			if ind {
				series = []output.Series{{Name: "Wilson 95% low", Y: p5}, {Name: "share of runs", Y: p50}, {Name: "Wilson 95% high", Y: p95}}
				label = fmt.Sprintf("share of runs with %s = 1 (%s)", name, about)
			}
			bc := output.GroupedBars(fmt.Sprintf("%s: %s by %s", man.Sweep.Name, name, q.Name), cats, series, false)
			bc.ValueLabel = label
			out = append(out, levelChart{"levels_" + q.Name + "_" + name, bc})
		}
	}
	return out
}

// maxChartLevels is the most values of a number's list or choice that
// get charts by level.
const maxChartLevels = 12

// levelCharted reports whether parameter q gets charts by its levels: a
// text field, a field of true or false, and a number's list or choice of
// at most maxChartLevels values in a design other than a grid (a grid's
// response curves draw a number's values, as the x axis or a line each).
// A number drawn from a range has none: the sensitivity chart shows it.
func levelCharted(man *Manifest, q *ResolvedParam) bool {
	switch {
	case q.Levels != nil || q.Boolean:
		return true
	case man.Sweep.Design == Grid || !leveled(q):
		return false
	}
	return len(slices.Compact(slices.Sorted(slices.Values(q.Dist.Values)))) <= maxChartLevels
}

// maxResponseLines is the most lines a response plot draws.
const maxResponseLines = 8

// responseGrid lays out a grid's runs for its response curves: the x
// axis is the grid's first number parameter with more than one level (not
// one of true or false), and each line a combination of the other varied
// parameters' levels (in order of their values, a text field's in the
// order of its levels, false before true).
type responseGrid struct {
	xp    int       // the x axis's parameter
	xs    []float64 // its values, in increasing order
	names []string  // the lines' names; one line without a name when no other parameter varies
	line  []int     // by sampled run, its line
	at    []int     // by sampled run, its position in xs
}

// newResponseGrid returns the layout of smp's runs, or nil when no number
// parameter varies or the lines would be too many to read.
func newResponseGrid(man *Manifest, smp *sample) *responseGrid {
	np := len(man.Sweep.Parameters)
	var varied []int
	levels := make([][]float64, np)
	for p := range np {
		levels[p] = slices.Compact(slices.Sorted(slices.Values(smp.cols[p])))
		if len(levels[p]) > 1 {
			varied = append(varied, p)
		}
	}
	if len(varied) == 0 {
		return nil
	}
	// x is the first varied number; text fields' levels and true or false
	// are lines (the level plots show such a field alone).
	x := slices.IndexFunc(varied, func(p int) bool {
		q := &man.Sweep.Parameters[p]
		return q.Levels == nil && !q.Boolean
	})
	if x < 0 {
		return nil
	}
	xp, rest := varied[x], slices.Delete(slices.Clone(varied), x, x+1)
	lines := 1
	for _, p := range rest {
		lines *= len(levels[p])
	}
	if lines > maxResponseLines {
		return nil
	}
	// Line k's levels of the other parameters are the digits of k, the
	// last parameter varying fastest.
	g := &responseGrid{xp: xp, xs: levels[xp], names: make([]string, lines), line: make([]int, len(smp.index)), at: make([]int, len(smp.index))}
	for r := range smp.index {
		k := 0
		for _, p := range rest {
			k = k*len(levels[p]) + sort.SearchFloat64s(levels[p], smp.cols[p][r])
		}
		g.line[r], g.at[r] = k, sort.SearchFloat64s(g.xs, smp.cols[xp][r])
	}
	for k := range lines {
		var name []string
		for j, kk := len(rest)-1, k; j >= 0; j-- {
			p := rest[j]
			n := len(levels[p])
			name = append([]string{fmt.Sprintf("%s = %s", man.Sweep.Parameters[p].Name, man.Sweep.Parameters[p].Label(levels[p][kk%n]))}, name...)
			kk /= n
		}
		g.names[k] = strings.Join(name, ", ")
	}
	return g
}

// values returns the finite values of col at each line and x, sorted.
func (g *responseGrid) values(col []float64) [][][]float64 {
	vals := make([][][]float64, len(g.names))
	for k := range vals {
		vals[k] = make([][]float64, len(g.xs))
	}
	for r, v := range col {
		if finite(v) {
			vals[g.line[r]][g.at[r]] = append(vals[g.line[r]][g.at[r]], v)
		}
	}
	for k := range vals {
		for i := range vals[k] {
			slices.Sort(vals[k][i])
		}
	}
	return vals
}

// medians returns the median of col over the runs at each line and x,
// NaN where none has a value.
func (g *responseGrid) medians(col []float64) [][]float64 {
	return g.reduce(col, output.Median)
}

// means returns the mean of col over the runs at each line and x, NaN
// where none has a value.
func (g *responseGrid) means(col []float64) [][]float64 {
	return g.reduce(col, func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(len(v)) // NaN when v is empty
	})
}

// reduce returns f of col's sorted values over the runs at each line and x.
func (g *responseGrid) reduce(col []float64, f func([]float64) float64) [][]float64 {
	vals := g.values(col)
	y := make([][]float64, len(vals))
	for k := range vals {
		y[k] = make([]float64, len(g.xs))
		for i, v := range vals[k] {
			y[k][i] = f(v)
		}
	}
	return y
}

// responseFigure draws column col of the sample against the grid's x
// axis (see responseGrid), a line per combination of the other varied
// parameters' levels, each point the median over the runs at that grid
// point (NaNs left out). It returns nil when there is no grid to draw.
func responseFigure(man *Manifest, smp *sample, col int) *output.Figure {
	g := newResponseGrid(man, smp)
	if g == nil {
		return nil
	}
	return g.figure(man, smp.cols[col], false)
}

// figure draws col as responseFigure describes; with share, each point is
// instead the mean over the runs, the share with a 1 of a 0/1 metric.
func (g *responseGrid) figure(man *Manifest, col []float64, share bool) *output.Figure {
	ys := g.medians(col)
	if share {
		ys = g.means(col)
	}
	panel := output.Panel{}
	for k, y := range ys {
		panel.Series = append(panel.Series, output.Series{Name: g.names[k], X: g.xs, Y: y})
	}
	return &output.Figure{XLabel: man.Sweep.Parameters[g.xp].Name, Panels: []output.Panel{panel}}
}

// seriesLabel names a series' unit for the y axis; cur is the scenario's
// account currency (money series keep "_usd" in their names whatever it is).
func seriesLabel(name, cur string) string {
	switch {
	case name == "vix":
		return "VIX proxy, points"
	case name == "mean_corr":
		return "mean rolling correlation"
	case isMoney(name):
		return name + ", " + cur
	case strings.HasSuffix(name, "_bp"):
		return name + ", bp"
	case strings.HasSuffix(name, "_pct") || strings.HasSuffix(name, "_yield"):
		return name + ", %"
	}
	return name
}

// isMoney reports whether a series or metric is an amount of money: its
// name, or the summary field it is in, ends in _usd, or it is an amount of
// capital (capital.by_kind.bank.loss, not loss_pct), or what a bank sold
// (banks.ID.sold).
func isMoney(name string) bool {
	return strings.HasSuffix(name, "_usd") || strings.Contains(name, "_usd.") || (strings.HasPrefix(name, "capital.") && !strings.HasSuffix(name, "_pct")) ||
		(strings.HasPrefix(name, "banks.") && strings.HasSuffix(name, ".sold"))
}

// slug makes a name safe as a file name: every character other than a
// letter, a digit, '-' or '_' becomes '_', a run of '_' one, and a '_' at
// the end is dropped (capital.by_agent.*.loss_pct becomes
// capital_by_agent_loss_pct, "score.Nikkei 5 Aug (close to close)"
// score_Nikkei_5_Aug_close_to_close).
func slug(s string) string {
	var b strings.Builder
	for _, r := range s {
		if !(r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			r = '_'
		}
		if r == '_' && strings.HasSuffix(b.String(), "_") {
			continue
		}
		b.WriteRune(r)
	}
	if out := strings.TrimSuffix(b.String(), "_"); out != "" {
		return out
	}
	return "_"
}
