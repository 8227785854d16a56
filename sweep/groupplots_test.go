package sweep

import (
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/sim"
)

// groupSweep is a sweep of two parameters and five runs with a metric
// written out and two patterns of three and four agents: the capital the
// banks lose and whether each defaulted.
//
//	run             0   1   2   3   4
//	shock           1   2   3   4   5
//	depth           2   1   4   3   5
//	A1.loss_pct    10  20  30  40  50   median 30; rank correlation 1 with shock, 0.8 with depth
//	B2.loss_pct     5   4   3   2   1   median 3; -1, -0.8
//	C3.loss_pct     7   7   7   7   7   median 7; n/a (constant)
//	D4.loss_pct     1   3   2   5   4   median 3; 0.8, 0.3
//	defaulted.A1    0   0   0   0   1   1 of 5, median 0; sqrt(2)/2 with either
//	defaulted.B2    0   0   0   1   1   2 of 5, median 0; sqrt(3)/2, 1/sqrt(3)
//	defaulted.C3    0   0   0   0   0   0 of 5; n/a
func groupSweep() (*Manifest, *sample) {
	man := &Manifest{
		Sweep: Resolved{Name: "s", Parameters: []ResolvedParam{{Name: "shock"}, {Name: "depth"}},
			Metrics: []string{"defaults", "capital.by_agent.A1.loss_pct", "capital.by_agent.B2.loss_pct", "capital.by_agent.C3.loss_pct", "capital.by_agent.D4.loss_pct",
				"defaulted.A1", "defaulted.B2", "defaulted.C3", "headline_move_pct"}},
		SweepSource: "metrics: [defaults, capital.by_agent.*.loss_pct, defaulted.*]",
	}
	smp := &sample{index: []int{0, 1, 2, 3, 4}, cols: [][]float64{
		{1, 2, 3, 4, 5}, {2, 1, 4, 3, 5},
		{0, 1, 1, 2, 3},
		{10, 20, 30, 40, 50}, {5, 4, 3, 2, 1}, {7, 7, 7, 7, 7}, {1, 3, 2, 5, 4},
		{0, 0, 0, 0, 1}, {0, 0, 0, 1, 1}, {0, 0, 0, 0, 0},
		{-1, -2, -3, -4, -5},
	}}
	return man, smp
}

// near reports whether a and b are equal to within 1e-12, or both NaN.
func near(a, b float64) bool {
	return math.Abs(a-b) < 1e-12 || (math.IsNaN(a) && math.IsNaN(b))
}

func nearAll(a, b [][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !near(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}

// TestMetricGroups: each pattern of two metrics or more is a group, in the
// order of its first metric, with its agents' ids in the scenario's
// order, and 0/1 patterns (defaulted.*) are groups too; a pattern of one
// metric, and the metrics written out or added by the sweep, are in none.
func TestMetricGroups(t *testing.T) {
	man, _ := groupSweep()
	groups, of := metricGroups(man)
	want := []metricGroup{
		{pat: "capital.by_agent.*.loss_pct", ms: []int{1, 2, 3, 4}, ids: []string{"A1", "B2", "C3", "D4"}},
		{pat: "defaulted.*", ms: []int{5, 6, 7}, ids: []string{"A1", "B2", "C3"}, indicator: true},
	}
	if !reflect.DeepEqual(groups, want) || !slices.Equal(of, []int{-1, 0, 0, 0, 0, 1, 1, 1, -1}) {
		t.Errorf("groups %+v, by metric %v", groups, of)
	}
	man.Sweep.Metrics = []string{"capital.by_agent.A1.loss_pct", "defaulted.C3", "defaults"}
	man.SweepSource = "metrics: [capital.by_agent.A*.loss_pct, defaulted.C*, defaults]"
	if groups, of := metricGroups(man); len(groups) != 0 || !slices.Equal(of, []int{-1, -1, -1}) {
		t.Errorf("patterns of one metric: groups %+v, by metric %v; want none", groups, of)
	}
}

// TestSensitivityMap: the sensitivity heat map has a column per metric
// written out and one per pattern, at its first metric's place, whose
// cells are the median of its agents' rank correlations (n/a ones left
// out; of an even number, the mean of the middle two); sensitivity.csv's
// rows still give every agent's.
func TestSensitivityMap(t *testing.T) {
	man, smp := groupSweep()
	sens := sensitivity(man, smp)
	if len(sens) != 2*9 {
		t.Fatalf("%d rank correlations, want one per parameter and metric, 18", len(sens))
	}
	groups, of := metricGroups(man)
	hm := sensitivityMap(man, sens, groups, of, "5 runs, random")
	if want := []string{"defaults", "capital.by_agent.*.loss_pct (median over agents)", "defaulted.* (median over agents)", "headline_move_pct"}; !slices.Equal(hm.ColLabels, want) {
		t.Errorf("columns %q, want %q", hm.ColLabels, want)
	}
	if !slices.Equal(hm.RowLabels, []string{"shock", "depth"}) {
		t.Errorf("rows %q", hm.RowLabels)
	}
	// defaults 0,1,1,2,3 (ranks 1, 2.5, 2.5, 4, 5) with shock: 9.5/sqrt(10·9.5);
	// with depth (ranks 2,1,4,3,5): 6.5/sqrt(95).
	// The banks' losses: the median of 1, -1 and 0.8; of 0.8, -0.8 and 0.3.
	// Defaults: the mean of sqrt(2)/2 and sqrt(3)/2; of sqrt(2)/2 and
	// 1/sqrt(3).
	want := [][]float64{
		{9.5 / math.Sqrt(95), 0.8, (math.Sqrt(2)/2 + math.Sqrt(3)/2) / 2, -1},
		{6.5 / math.Sqrt(95), 0.3, (math.Sqrt(2)/2 + 1/math.Sqrt(3)) / 2, -0.8},
	}
	if !nearAll(hm.Values, want) {
		t.Errorf("values %v, want %v", hm.Values, want)
	}
	if hm.Note != "5 runs, random; n/a: a constant parameter or metric; a pattern: the median of its agents' correlations" {
		t.Errorf("note %q", hm.Note)
	}
}

// TestAgentSensitivity: a pattern's own heat map has a row per agent,
// ordered as its range chart orders them (the largest median first, of a
// 0/1 metric the most runs with a 1; ties in the scenario's order, n/a
// last), and a column per parameter, each cell the agent's rank
// correlation as sensitivity.csv gives it.
func TestAgentSensitivity(t *testing.T) {
	man, smp := groupSweep()
	sens := sensitivity(man, smp)
	groups, _ := metricGroups(man)
	nan := math.NaN()
	r2 := math.Sqrt(2) / 2
	for k, c := range []struct {
		rows []string
		vals [][]float64
		note string
	}{
		// A1 30, C3 7, then B2 and D4 at 3 in their order.
		{[]string{"A1", "C3", "B2", "D4"}, [][]float64{{1, 0.8}, {nan, nan}, {-1, -0.8}, {0.8, 0.3}},
			"Spearman; 5 runs, random; the largest median at the top; n/a: a constant parameter or metric"},
		// B2 defaulted in 2 runs, A1 in 1: B2 first, though their medians
		// are both 0.
		{[]string{"B2", "A1", "C3"}, [][]float64{{math.Sqrt(3) / 2, 1 / math.Sqrt(3)}, {r2, r2}, {nan, nan}},
			"Spearman; 5 runs, random; the most defaults at the top; n/a: a constant parameter or metric"},
	} {
		hm := agentSensitivity(man, smp, sens, &groups[k], "5 runs, random")
		if !slices.Equal(hm.RowLabels, c.rows) || !slices.Equal(hm.ColLabels, []string{"shock", "depth"}) || !nearAll(hm.Values, c.vals) {
			t.Errorf("%s: rows %q, columns %q, values %v; want rows %q, values %v", groups[k].pat, hm.RowLabels, hm.ColLabels, hm.Values, c.rows, c.vals)
		}
		if hm.Note != c.note || hm.Title != "s: rank correlation with "+groups[k].pat {
			t.Errorf("%s: title %q, note %q", groups[k].pat, hm.Title, hm.Note)
		}
	}
}

// TestSobolMaps: the Sobol heat maps, like the sensitivity one, give a
// pattern one column, the median of its agents' indices.
func TestSobolMaps(t *testing.T) {
	man, _ := groupSweep()
	groups, of := metricGroups(man)
	nf := 3 // shock, depth, seed
	var sobol []SobolIndex
	for m, name := range man.Sweep.Metrics {
		for f, factor := range []string{"shock", "depth", "seed"} {
			// Metric m's index of factor f: m/10 + f/100, total twice first.
			first := float64(m)/10 + float64(f)/100
			sobol = append(sobol, SobolIndex{Metric: name, Factor: factor, First: first, Total: 2 * first, N: 5})
		}
	}
	sobol[nf*3+1].First, sobol[nf*3+1].Total = math.NaN(), math.NaN() // C3's, with depth: no variance
	tot, first := sobolMaps(man, sobol, groups, of, "5 runs")
	// The banks' losses are metrics 1-4, the defaults 5-7: with shock the
	// median of 0.1, 0.2, 0.3, 0.4 is 0.25; with depth, of 0.11, 0.21 and
	// 0.41 (C3's n/a left out), 0.21.
	want := [][]float64{
		{0, 0.25, 0.6, 0.8},
		{0.01, 0.21, 0.61, 0.81},
		{0.02, 0.27, 0.62, 0.82},
	}
	if !slices.Equal(first.ColLabels, []string{"defaults", "capital.by_agent.*.loss_pct (median over agents)", "defaulted.* (median over agents)", "headline_move_pct"}) ||
		!slices.Equal(first.RowLabels, []string{"shock", "depth", "seed"}) || !nearAll(first.Values, want) {
		t.Errorf("first order: columns %q, rows %q, values %v; want %v", first.ColLabels, first.RowLabels, first.Values, want)
	}
	for i := range want {
		for j := range want[i] {
			want[i][j] *= 2
		}
	}
	if !nearAll(tot.Values, want) || tot.Title != "s: total-order Sobol indices" {
		t.Errorf("total order %q: %v, want %v", tot.Title, tot.Values, want)
	}
}

// TestAgentResponse: in a grid, a pattern's metrics share one response
// chart. For metrics that are not 0/1, a panel per combination of the
// other varied parameters, with at each value of x the 5th, 25th, 50th,
// 75th and 95th percentiles (nearest lower rank) across the agents of each
// agent's median over the runs there, an agent without a value left out,
// on one value axis for all panels; for 0/1 metrics, a line per
// combination, the share of the agents' values there that are 1.
func TestAgentResponse(t *testing.T) {
	nan := math.NaN()
	man := &Manifest{
		Sweep: Resolved{Name: "s", Design: "grid", Parameters: []ResolvedParam{{Name: "shock"}, {Name: "depth"}},
			Metrics: []string{"capital.by_agent.A.loss_pct", "capital.by_agent.B.loss_pct", "capital.by_agent.C.loss_pct", "capital.by_agent.D.loss_pct", "capital.by_agent.E.loss_pct",
				"defaulted.A", "defaulted.B"}},
		SweepSource: "metrics: [capital.by_agent.*.loss_pct, defaulted.*]",
	}
	// Runs at (shock, depth) (1, 1), (2, 1), (1, 2), (2, 2), and (1, 1) again.
	smp := &sample{index: []int{0, 1, 2, 3, 4}, cols: [][]float64{
		{1, 2, 1, 2, 1}, {1, 1, 2, 2, 1},
		{10, 30, 40, 50, 20},      // A: 15 at (1, 1), the median of 10 and 20
		{1, 2, 3, 4, nan},         // B: 1 at (1, 1), its NaN left out
		{5, 5, 5, 5, 5},           // C
		{nan, nan, nan, nan, nan}, // D: no value
		{100, 0, 50, 25, 100},     // E
		{1, 0, 1, 1, 0},           // defaulted.A
		{0, 0, 1, nan, 1},         // defaulted.B
	}}
	groups, _ := metricGroups(man)
	rg := newResponseGrid(man, smp)
	if rg == nil || !slices.Equal(rg.names, []string{"depth = 1", "depth = 2"}) || !slices.Equal(rg.xs, []float64{1, 2}) {
		t.Fatalf("grid %+v", rg)
	}
	fig := agentResponse(man, smp, rg, &groups[0], "5 runs, grid")
	if len(fig.Panels) != 2 || fig.Columns != 2 || fig.XLabel != "shock (5 runs, grid)" || fig.Title != "s: capital.by_agent.*.loss_pct, the 5 agents' medians at each grid point" {
		t.Fatalf("figure %q, %q, %d panels in %d columns", fig.Title, fig.XLabel, len(fig.Panels), fig.Columns)
	}
	// depth 1, shock 1: the agents' medians 15, 1, 5, 100 (D has none):
	// sorted 1, 5, 15, 100, rank int(p·3). Then 30, 2, 5, 0; 40, 3, 5, 50;
	// 50, 4, 5, 25.
	for k, c := range []struct {
		title                  string
		p5, p25, p50, p75, p95 []float64
	}{
		{"depth = 1", []float64{1, 0}, []float64{1, 0}, []float64{5, 2}, []float64{15, 5}, []float64{15, 5}},
		{"depth = 2", []float64{3, 4}, []float64{3, 4}, []float64{5, 5}, []float64{40, 25}, []float64{40, 25}},
	} {
		p := fig.Panels[k]
		got := [][]float64{p.Bands[0].Lo, p.Bands[1].Lo, p.Series[0].Y, p.Bands[1].Hi, p.Bands[0].Hi}
		if want := [][]float64{c.p5, c.p25, c.p50, c.p75, c.p95}; p.Title != c.title || !reflect.DeepEqual(got, want) || !slices.Equal(p.Series[0].X, []float64{1, 2}) {
			t.Errorf("panel %d %q: p5, p25, p50, p75, p95 %v, want %q %v", k, p.Title, got, c.title, want)
		}
		// From 0 to 40, padded by 4%.
		if p.YRange != [2]float64{-1.6, 41.6} || p.YLabel != "loss_pct, %" || p.NoLegend != (k > 0) {
			t.Errorf("panel %d: y range %v, label %q, no legend %v", k, p.YRange, p.YLabel, p.NoLegend)
		}
	}
	fig = agentResponse(man, smp, rg, &groups[1], "5 runs, grid")
	// depth 1: shock 1, two runs, A 1 and 0, B 0 and 1; shock 2, both 0.
	// depth 2: shock 1, both 1; shock 2, A 1 (B has no value).
	if len(fig.Panels) != 1 || len(fig.Panels[0].Series) != 2 || fig.Title != "s: defaulted.*, 2 agents" {
		t.Fatalf("figure %q: %+v", fig.Title, fig.Panels)
	}
	for k, want := range [][]float64{{0.5, 0}, {1, 1}} {
		if s := fig.Panels[0].Series[k]; s.Name != rg.names[k] || !slices.Equal(s.Y, want) {
			t.Errorf("line %q: %v, want %q %v", s.Name, s.Y, rg.names[k], want)
		}
	}
	if p := fig.Panels[0]; !p.YPercent || p.YRange != [2]float64{0, 1} {
		t.Errorf("0/1 panel: percent %v, range %v", p.YPercent, p.YRange)
	}
}

// TestAgentLevels: a pattern's metrics share one chart by the levels of a
// text field or a field of true or false. For metrics that are not 0/1, a
// row per level with the 5th, 25th, 50th, 75th and 95th percentiles
// (nearest lower rank) across the agents of each agent's median at the
// level (as levels.csv gives it), an agent without a value left out; for
// 0/1 metrics, a bar per level, the share of the agents' values there
// that are 1. A metric written out keeps its chart.
func TestAgentLevels(t *testing.T) {
	nan := math.NaN()
	man := &Manifest{
		Sweep: Resolved{Name: "s", Parameters: []ResolvedParam{{Name: "facility", Boolean: true, Dist: sim.Dist{Kind: "choice", Values: []float64{1, 0}}}},
			Metrics: append(append([]string{"defaults"}, prefixed("capital.by_agent.", []string{"A", "B", "C", "D", "E", "F"}, ".loss_pct")...), "defaulted.A", "defaulted.B")},
		SweepSource: "metrics: [defaults, capital.by_agent.*.loss_pct, defaulted.*]",
	}
	// Four runs without the facility, then four with it.
	smp := &sample{index: []int{0, 1, 2, 3, 4, 5, 6, 7}, cols: [][]float64{
		{0, 0, 0, 0, 1, 1, 1, 1},
		{0, 1, 2, 3, 4, 5, 6, 7},
		{1, 2, 3, 4, 10, 20, 30, 40},     // A: medians 2 and 20 (nearest lower rank)
		{5, 6, nan, 7, 7, 8, 9, 10},      // B: 6 and 8
		slices.Repeat([]float64{nan}, 8), // C: no value
		{4, 4, 4, 4, 40, 40, 40, 40},     // D
		{0, 0, 0, 0, 1, 1, 1, 1},         // E
		{9, 9, 9, 9, 3, 3, 3, 3},         // F
		{0, 0, 1, 0, 1, 1, 1, 1},         // defaulted.A: 1 of 4, 4 of 4
		{0, nan, 0, 0, 0, 1, 1, 0},       // defaulted.B: 0 of 3, 2 of 4
	}}
	charts := levelCharts(man, byLevel(man, smp), "8 runs")
	var stems []string
	for _, c := range charts {
		stems = append(stems, c.stem)
	}
	if want := []string{"levels_facility_defaults", "levels_facility_capital.by_agent.*.loss_pct", "levels_facility_defaulted.*"}; !slices.Equal(stems, want) {
		t.Fatalf("charts %q, want %q", stems, want)
	}
	// Without the facility the agents' medians are 2, 6, 4, 0, 9: sorted
	// 0, 2, 4, 6, 9, rank int(p·4); with it 20, 8, 40, 1, 3.
	rc, ok := charts[1].chart.(*output.RangeChart)
	if !ok {
		t.Fatalf("%s: a %T", charts[1].stem, charts[1].chart)
	}
	want := []output.Range{{P5: 0, P25: 2, P50: 4, P75: 6, P95: 6}, {P5: 1, P25: 3, P50: 8, P75: 20, P95: 20}}
	if !slices.Equal(rc.Rows, []string{"false", "true"}) || !reflect.DeepEqual(rc.Ranges, want) {
		t.Errorf("rows %q, ranges %+v; want false, true, %+v", rc.Rows, rc.Ranges, want)
	}
	if rc.Title != "s: capital.by_agent.*.loss_pct by facility" || rc.ValueLabel != "loss_pct, %: each agent's median at the level, across the 6 agents (8 runs)" {
		t.Errorf("title %q, value label %q", rc.Title, rc.ValueLabel)
	}
	// Without the facility 1 of the 7 values is 1; with it 6 of 8.
	bc, ok := charts[2].chart.(*output.BarChart)
	if !ok {
		t.Fatalf("%s: a %T", charts[2].stem, charts[2].chart)
	}
	if !slices.Equal(bc.Categories, []string{"false", "true"}) || len(bc.Groups) != 1 || !slices.Equal(bc.Groups[0].Y, []float64{1.0 / 7, 0.75}) || !bc.Percent {
		t.Errorf("levels %q, groups %+v, percent %v", bc.Categories, bc.Groups, bc.Percent)
	}
	if bc.ValueLabel != "share of the 2 agents that defaulted (8 runs)" {
		t.Errorf("value label %q", bc.ValueLabel)
	}
}
