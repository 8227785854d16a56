package sweep

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/cascade-sim/cascade/output"
	"go.yaml.in/yaml/v3"
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
	written := map[string]bool{}
	for _, m := range f.Metrics {
		if !isPattern(m) {
			written[m] = true
		}
	}
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

// agentGroups returns the patterns of the sweep file that stand for two
// metrics or more that are not 0/1, each with the indexes in the
// manifest's metrics of those metrics; and by metric, the pattern whose
// group it is in ("" for one in none). A pattern is in the order of its
// first metric.
func agentGroups(man *Manifest) (groups map[string][]int, of []string) {
	pats := metricPatterns(man.SweepSource, man.Sweep.Metrics)
	groups = map[string][]int{}
	for m, p := range pats {
		if p != "" && !Indicator(man.Sweep.Metrics[m]) {
			groups[p] = append(groups[p], m)
		}
	}
	of = make([]string, len(pats))
	for m, p := range pats {
		if len(groups[p]) > 1 && !Indicator(man.Sweep.Metrics[m]) {
			of[m] = p
		}
	}
	return groups, of
}

// agentRanges draws the metrics of pattern pat (the indexes ms in the
// manifest's metrics) in one chart: a row per agent, its id, with the 5th,
// 25th, 50th, 75th and 95th percentiles of its metric over the sampled
// runs (nearest lower rank, as the metrics' own table), the largest median
// at the top (ties, and agents without a value, at the bottom, in the
// scenario's order). about is the runs the chart describes.
func agentRanges(man *Manifest, smp *sample, pat string, ms []int, about string) *output.RangeChart {
	np := len(man.Sweep.Parameters)
	pre, _, post, _ := agentPattern(pat)
	type row struct {
		id string
		r  output.Range
	}
	rows := make([]row, len(ms))
	for k, m := range ms {
		id, _ := agentOf(man.Sweep.Metrics[m], pre, post)
		rows[k] = row{id, quartiles(smp.cols[np+m])}
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		an, bn := math.IsNaN(a.r.P50), math.IsNaN(b.r.P50)
		if an || bn {
			return cmp.Compare(btoi(an), btoi(bn))
		}
		return cmp.Compare(b.r.P50, a.r.P50)
	})
	ids := make([]string, len(rows))
	rs := make([]output.Range, len(rows))
	for k, r := range rows {
		ids[k], rs[k] = r.id, r.r
	}
	field := strings.TrimPrefix(post, ".")
	if field == "" {
		field = strings.TrimSuffix(pre, ".")
	}
	label := field
	switch {
	case isMoney(pat):
		label += ", " + output.CurrencyCode(man.Base.Currency)
	case strings.HasSuffix(field, "_pct"):
		label += ", %"
	}
	c := output.Ranges(fmt.Sprintf("%s: %s, by agent", man.Sweep.Name, pat), ids, rs)
	c.ValueLabel = fmt.Sprintf("%s (%s; largest median at the top)", label, about)
	return c
}

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
