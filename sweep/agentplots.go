package sweep

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/cascade-sim/cascade/output"
	"go.yaml.in/yaml/v3"
	"gonum.org/v1/plot/vg"
)

// metricPatterns returns, for each of metrics (the sweep's metrics as the
// manifest records them, patterns expanded), the pattern of the sweep
// file's list it stands under, as expandMetrics assigned it; "" for a
// metric the file writes out or the sweep adds. src is the sweep file's
// text; when it cannot be read every metric has "".
func metricPatterns(src string, metrics []string) []string {
	out := make([]string, len(metrics))
	var f struct {
		Metrics []string `yaml:"metrics"`
	}
	if yaml.Unmarshal([]byte(src), &f) != nil {
		return out
	}
	written := writtenOut(f.Metrics)
	for _, m := range f.Metrics {
		if !isPattern(m) {
			continue
		}
		pre, pat, post, err := agentPattern(m)
		if err != nil {
			continue
		}
		for k, name := range metrics {
			if out[k] != "" || written[name] {
				continue
			}
			if id, ok := agentOf(name, pre, post); ok && matchID(pat, id) {
				out[k] = m
			}
		}
	}
	return out
}

// agentOf returns the agent id of metric name, pre+id+post.
func agentOf(name, pre, post string) (string, bool) {
	if len(name) <= len(pre)+len(post) || !strings.HasPrefix(name, pre) || !strings.HasSuffix(name, post) {
		return "", false
	}
	return name[len(pre) : len(name)-len(post)], true
}

// metricGroup is a pattern of the sweep file that stands for two metrics
// or more: the indexes in the manifest's metrics of those metrics, in the
// scenario's order of the agents, and the agents' ids.
type metricGroup struct {
	pat       string
	ms        []int
	ids       []string
	indicator bool // the metrics are 0/1 (defaulted.*)
}

// metricGroups returns the patterns of the sweep file that stand for two
// metrics or more, in the order of their first metric; and by metric, the
// index of its group (-1 for a metric in none: written out, added by the
// sweep, or the one metric of its pattern).
func metricGroups(man *Manifest) (groups []metricGroup, of []int) {
	pats := metricPatterns(man.SweepSource, man.Sweep.Metrics)
	var all []metricGroup
	at := map[string]int{} // looked up, never ranged over
	for m, pat := range pats {
		if pat == "" {
			continue
		}
		k, ok := at[pat]
		if !ok {
			k, at[pat] = len(all), len(all)
			all = append(all, metricGroup{pat: pat, indicator: Indicator(man.Sweep.Metrics[m])})
		}
		pre, _, post, _ := agentPattern(pat)
		id, _ := agentOf(man.Sweep.Metrics[m], pre, post)
		all[k].ms, all[k].ids = append(all[k].ms, m), append(all[k].ids, id)
	}
	of = slices.Repeat([]int{-1}, len(pats))
	for _, g := range all {
		if len(g.ms) < 2 {
			continue
		}
		for _, m := range g.ms {
			of[m] = len(groups)
		}
		groups = append(groups, g)
	}
	return groups, of
}

// agentOrder returns the order in which g's agents are drawn, as
// positions in g.ms: the largest median of the metric over the sampled
// runs first (of a 0/1 metric, the largest share of runs with a 1); agents
// of equal values in the scenario's order, and agents without a value
// last.
func agentOrder(man *Manifest, smp *sample, g *metricGroup) []int {
	np := len(man.Sweep.Parameters)
	keys := make([]float64, len(g.ms))
	for k, m := range g.ms {
		if g.indicator {
			keys[k] = stats(smp.cols[np+m], nil).Mean
		} else {
			keys[k] = quartiles(smp.cols[np+m]).P50
		}
	}
	return descending(keys)
}

// descending returns the positions of keys, the largest key first; equal
// keys in their order, NaN last.
func descending(keys []float64) []int {
	order := make([]int, len(keys))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int {
		an, bn := math.IsNaN(keys[a]), math.IsNaN(keys[b])
		if an || bn {
			return cmp.Compare(btoi(an), btoi(bn))
		}
		return cmp.Compare(keys[b], keys[a])
	})
	return order
}

// agentField returns the field a pattern's metrics give for each agent
// (loss_pct of capital.by_agent.*.loss_pct, defaulted of defaulted.*),
// with its unit.
func agentField(man *Manifest, pat string) string {
	pre, _, post, _ := agentPattern(pat)
	field := strings.TrimPrefix(post, ".")
	if field == "" {
		field = strings.TrimSuffix(pre, ".")
	}
	switch {
	case isMoney(pat):
		field += ", " + output.CurrencyCode(man.Base.Currency)
	case strings.HasSuffix(field, "_pct"):
		field += ", %"
	}
	return field
}

// agentRanges draws the metrics of group g in one chart: a row per agent,
// its id, with the 5th, 25th, 50th, 75th and 95th percentiles of its
// metric over the sampled runs (nearest lower rank, as the metrics' own
// table), in agentOrder. about is the runs the chart describes.
func agentRanges(man *Manifest, smp *sample, g *metricGroup, about string) *output.RangeChart {
	np := len(man.Sweep.Parameters)
	order := agentOrder(man, smp, g)
	ids := make([]string, len(order))
	rs := make([]output.Range, len(order))
	for k, i := range order {
		ids[k], rs[k] = g.ids[i], quartiles(smp.cols[np+g.ms[i]])
	}
	c := output.Ranges(fmt.Sprintf("%s: %s, by agent", man.Sweep.Name, g.pat), ids, rs)
	c.ValueLabel = fmt.Sprintf("%s (%s; largest median at the top)", agentField(man, g.pat), about)
	return c
}

// agentResponse draws group g's metrics against the grid's x axis in
// one chart (see responseGrid). For metrics that are not 0/1, a panel per
// line (a combination of the other varied parameters), each agent's
// median over the runs at a grid point spread across the agents: the 5th
// to 95th and the 25th to 75th percentile of the agents' medians as bands
// and their median as a line (nearest lower rank, agents without a value
// at the point left out). For 0/1 metrics (defaulted.*), a line per
// combination: the share of the agents' values at the grid point that are
// 1, the share of the agents that defaulted in a run there. about is the
// runs the chart describes.
func agentResponse(man *Manifest, smp *sample, rg *responseGrid, g *metricGroup, about string) *output.Figure {
	np := len(man.Sweep.Parameters)
	xname := man.Sweep.Parameters[rg.xp].Name
	fig := &output.Figure{XLabel: fmt.Sprintf("%s (%s)", xname, about)}
	if g.indicator {
		fig.Title = fmt.Sprintf("%s: %s, %d agents", man.Sweep.Name, g.pat, len(g.ms))
		ones := make([][]float64, len(rg.names))
		all := make([][]float64, len(rg.names))
		for k := range ones {
			ones[k], all[k] = make([]float64, len(rg.xs)), make([]float64, len(rg.xs))
		}
		for _, m := range g.ms {
			for r, v := range smp.cols[np+m] {
				if finite(v) {
					ones[rg.line[r]][rg.at[r]] += v
					all[rg.line[r]][rg.at[r]]++
				}
			}
		}
		panel := output.Panel{Title: "Share of the agents that defaulted, over the runs at each grid point", YLabel: "share of the agents", YPercent: true, YRange: [2]float64{0, 1}}
		for k := range ones {
			y := make([]float64, len(rg.xs))
			for i := range y {
				y[i] = ones[k][i] / all[k][i] // NaN where no value
			}
			panel.Series = append(panel.Series, output.Series{Name: rg.names[k], X: rg.xs, Y: y})
		}
		fig.Panels = []output.Panel{panel}
		return fig
	}
	fig.Title = fmt.Sprintf("%s: %s, the %d agents' medians at each grid point", man.Sweep.Name, g.pat, len(g.ms))
	// meds[a][k][i]: agent a's median at line k and x i.
	meds := make([][][]float64, len(g.ms))
	for a, m := range g.ms {
		meds[a] = rg.medians(smp.cols[np+m])
	}
	// One value axis for all the panels, so that they compare at a glance.
	lo, hi := math.Inf(1), math.Inf(-1)
	for k, name := range rg.names {
		f := output.Fan{X: rg.xs}
		for i := range rg.xs {
			across := make([]float64, len(g.ms))
			for a := range meds {
				across[a] = meds[a][k][i]
			}
			q := quartiles(across)
			if finite(q.P5) {
				lo, hi = min(lo, q.P5), max(hi, q.P95)
			}
			f.P5, f.P25, f.P50, f.P75, f.P95 = append(f.P5, q.P5), append(f.P25, q.P25), append(f.P50, q.P50), append(f.P75, q.P75), append(f.P95, q.P95)
		}
		panel := output.FanPanel(name, agentField(man, g.pat), f)
		panel.Bands[0].Name, panel.Bands[1].Name, panel.Series[0].Name = "5–95% of the agents", "25–75%", "median agent"
		panel.NoLegend = k > 0
		fig.Panels = append(fig.Panels, panel)
	}
	if pad := float64(0.04 * (hi - lo)); lo < hi {
		for k := range fig.Panels {
			fig.Panels[k].YRange = [2]float64{lo - pad, hi + pad}
		}
	}
	if len(fig.Panels) > 1 {
		fig.Columns = 2
	}
	return fig
}

// agentLevels draws group g's metrics by the levels of parameter q in
// one chart, from lv's rows (levels.csv's), the levels in their order; nil
// with fewer than two levels. For metrics that are not 0/1, a row per
// level: the 5th, 25th, 50th, 75th and 95th percentiles (nearest lower
// rank) across the agents of each agent's median over the runs at the
// level, an agent without a value there left out. For 0/1 metrics
// (defaulted.*), a bar per level: the share of the agents' values at the
// level that are 1, the share of the agents that defaulted in a run
// there. about is the runs the chart describes.
func agentLevels(man *Manifest, lv []levelStats, q *ResolvedParam, g *metricGroup, about string) output.Chart {
	in := make(map[string]bool, len(g.ms)) // looked up, never ranged over
	for _, m := range g.ms {
		in[man.Sweep.Metrics[m]] = true
	}
	var levels []string
	var meds [][]float64     // by level, the agents' medians
	var ones, vals []float64 // by level, the agents' values that are 1, and all
	for _, r := range lv {
		if r.param != q.Name || !in[r.Name] {
			continue
		}
		if len(levels) == 0 || levels[len(levels)-1] != r.level {
			levels = append(levels, r.level)
			meds, ones, vals = append(meds, nil), append(ones, 0), append(vals, 0)
		}
		l := len(levels) - 1
		meds[l] = append(meds[l], r.P50)
		if r.N > 0 {
			ones[l] += math.Round(r.Mean * float64(r.N))
			vals[l] += float64(r.N)
		}
	}
	if len(levels) < 2 {
		return nil
	}
	title := fmt.Sprintf("%s: %s by %s", man.Sweep.Name, g.pat, q.Name)
	if g.indicator {
		share := make([]float64, len(levels))
		for l := range share {
			share[l] = ones[l] / vals[l] // NaN where no run
		}
		bc := output.GroupedBars(title, levels, []output.Series{{Name: "", Y: share}}, false)
		bc.Percent, bc.ValueRange = true, [2]float64{0, 1}
		bc.ValueLabel = fmt.Sprintf("share of the %d agents that defaulted (%s)", len(g.ms), about)
		return bc
	}
	rs := make([]output.Range, len(levels))
	for l := range rs {
		rs[l] = quartiles(meds[l])
	}
	c := output.Ranges(title, levels, rs)
	c.ValueLabel = fmt.Sprintf("%s: each agent's median at the level, across the %d agents (%s)", agentField(man, g.pat), len(g.ms), about)
	return c
}

// heatColumns returns the columns of a heat map of the metrics, by
// their labels: each metric in no group, and in place of each group's
// metrics one column at its first metric's place, labelled with its
// pattern; with the metrics that each column stands for.
func heatColumns(man *Manifest, groups []metricGroup, of []int) (labels []string, cols [][]int) {
	for m, name := range man.Sweep.Metrics {
		switch k := of[m]; {
		case k < 0:
			labels, cols = append(labels, name), append(cols, []int{m})
		case groups[k].ms[0] == m:
			labels, cols = append(labels, groups[k].pat+" (median over agents)"), append(cols, groups[k].ms)
		}
	}
	return labels, cols
}

// medianOf returns the median of the finite values of value(m) over the
// metrics ms (the mean of the middle two of an even number); NaN when
// there is none.
func medianOf(ms []int, value func(m int) float64) float64 {
	var v []float64
	for _, m := range ms {
		if x := value(m); finite(x) {
			v = append(v, x)
		}
	}
	slices.Sort(v)
	return output.Median(v)
}

// agentSensitivity draws the rank correlation of each parameter (a
// column each) with each of group g's metrics (a row per agent, in
// agentOrder), as sensitivity.csv gives them. about is the runs they are
// over.
func agentSensitivity(man *Manifest, smp *sample, sens []sensRow, g *metricGroup, about string) *output.TableHeatmapChart {
	np, nm := len(man.Sweep.Parameters), len(man.Sweep.Metrics)
	cols := make([]string, np)
	for p, q := range man.Sweep.Parameters {
		cols[p] = q.Name
	}
	order := agentOrder(man, smp, g)
	rows := make([]string, len(order))
	vals := make([][]float64, len(order))
	for k, i := range order {
		rows[k], vals[k] = g.ids[i], make([]float64, np)
		for p := range np {
			vals[k][p] = sens[p*nm+g.ms[i]].rho
		}
	}
	hm := output.TableHeatmap(fmt.Sprintf("%s: rank correlation with %s", man.Sweep.Name, g.pat), rows, cols, vals, -1, 1)
	top := "the largest median at the top"
	if g.indicator {
		top = "the most defaults at the top"
	}
	hm.Note = fmt.Sprintf("Spearman; %s; %s; n/a: a constant parameter or metric", about, top)
	hm.Height = max(output.DefaultHeight, vg.Length(vg.Length(len(rows))*agentRowHeight)+2.2*vg.Inch)
	return hm
}

// agentRowHeight is the height of an agent's row in a heat map by agent.
const agentRowHeight = 16 // points

// quartiles returns the 5th, 25th, 50th, 75th and 95th percentiles of the
// finite values of xs by the nearest lower rank; NaN when there is none.
func quartiles(xs []float64) output.Range {
	var v []float64
	for _, x := range xs {
		if finite(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		nan := math.NaN()
		return output.Range{P5: nan, P25: nan, P50: nan, P75: nan, P95: nan}
	}
	slices.Sort(v)
	q := func(p float64) float64 { return v[int(p*float64(len(v)-1))] }
	return output.Range{P5: q(0.05), P25: q(0.25), P50: q(0.5), P75: q(0.75), P95: q(0.95)}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
