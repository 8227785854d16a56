package sweep

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/output"
)

// TestMetricPatterns: the pattern each metric of the manifest stands
// under is read back from the sweep file's list as expandMetrics assigned
// it: a metric the file writes out has none, even where a pattern matches
// it, and one two patterns match is the first's.
func TestMetricPatterns(t *testing.T) {
	loss := func(ids ...string) []string { return prefixed("capital.by_agent.", ids, ".loss") }
	for _, c := range []struct {
		name    string
		file    string // the sweep file's metrics
		metrics []string
		want    []string
	}{
		{"written out", "metrics: [defaults, capital.by_agent.DE21.loss]",
			[]string{"defaults", "capital.by_agent.DE21.loss"}, []string{"", ""}},
		{"one pattern", "metrics: [defaults, capital.by_agent.*.loss]",
			append([]string{"defaults"}, loss("AT01", "DE21", "UK48")...),
			[]string{"", "capital.by_agent.*.loss", "capital.by_agent.*.loss", "capital.by_agent.*.loss"}},
		{"written beside its pattern", "metrics:\n  - capital.by_agent.*.loss   # every bank\n  - capital.by_agent.DE21.loss\n",
			loss("AT01", "UK48", "DE21"),
			[]string{"capital.by_agent.*.loss", "capital.by_agent.*.loss", ""}},
		{"two patterns", "metrics: [defaulted.UK46, capital.by_agent.UK4*.loss, defaulted.*, capital.by_agent.*.loss]",
			[]string{"defaulted.UK46", "capital.by_agent.UK45.loss", "capital.by_agent.UK46.loss", "defaulted.AT01", "defaulted.UK45", "capital.by_agent.AT01.loss"},
			[]string{"", "capital.by_agent.UK4*.loss", "capital.by_agent.UK4*.loss", "defaulted.*", "defaulted.*", "capital.by_agent.*.loss"}},
		{"other fields", "metrics: [capital.by_agent.*.loss, capital.by_agent.*.loss_pct]",
			[]string{"capital.by_agent.AT01.loss", "capital.by_agent.AT01.loss_pct", "capital.by_agent.AT02.loss", "capital.by_agent.AT02.loss_pct"},
			[]string{"capital.by_agent.*.loss", "capital.by_agent.*.loss_pct", "capital.by_agent.*.loss", "capital.by_agent.*.loss_pct"}},
		{"an id with dots", "metrics: ['defaulted.*']",
			[]string{"defaulted.hf.a", "headline_move_pct"}, []string{"defaulted.*", ""}},
		{"not a sweep file", "metrics: {x: 1}", []string{"capital.by_agent.AT01.loss"}, []string{""}},
	} {
		if got := metricPatterns("base: eba2018\n"+c.file, c.metrics); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// TestMetricPatternsAsExpanded: for a sweep of eba2018 that mixes
// patterns and metrics written out, each metric's pattern read back from
// the manifest is the entry of the file's list it was expanded from.
func TestMetricPatternsAsExpanded(t *testing.T) {
	sw := loadSweepIn(t, t.TempDir(), "m.yaml", patternSweep("defaulted.UK46", "capital.by_agent.UK4*.loss", "defaulted.*", "capital.by_agent.*.loss", "defaulted.DE21", "capital.by_agent.*.loss_pct", "capital.by_agent.FR13.loss_pct"))
	r := sw.Resolved()
	got := metricPatterns(string(sw.Source), r.Metrics)
	if len(sw.Metrics) != len(r.Metrics) {
		t.Fatalf("%d metrics, %d resolved", len(sw.Metrics), len(r.Metrics))
	}
	n := 0
	for k, m := range sw.Metrics {
		want := ""
		if m.at >= 0 && isPattern(sw.File.Metrics[m.at]) {
			want = sw.File.Metrics[m.at]
			n++
		}
		if got[k] != want {
			t.Errorf("%s: pattern %q, want %q", m.Name, got[k], want)
		}
	}
	if n != 4+46+44+47 { // UK45-UK48, the banks but UK46 and DE21, the rest, all but FR13
		t.Errorf("%d metrics from patterns, want %d", n, 4+46+44+47)
	}
}

// TestAgentRanges: the chart of a pattern's metrics has a row per agent,
// named by its id, with the 5th, 25th, 50th, 75th and 95th percentiles of
// its metric (nearest lower rank), the largest median at the top; agents
// of equal medians keep the scenario's order, and one without a value is
// at the bottom.
func TestAgentRanges(t *testing.T) {
	nan := math.NaN()
	man := &Manifest{
		Sweep: Resolved{Name: "s", Parameters: []ResolvedParam{{Name: "shock"}},
			Metrics: []string{"defaults", "capital.by_agent.A1.loss_pct", "capital.by_agent.B2.loss_pct", "capital.by_agent.C3.loss_pct", "capital.by_agent.D4.loss_pct"}},
		SweepSource: "metrics: [defaults, capital.by_agent.*.loss_pct]",
	}
	up := make([]float64, 21) // 0, 1, ..., 20
	for k := range up {
		up[k] = float64(k)
	}
	twice := make([]float64, 21)
	for k := range twice {
		twice[k] = 2 * float64(k)
	}
	smp := &sample{index: make([]int, 21), cols: [][]float64{
		up, up,
		up,                                   // A1: median 10
		append([]float64{nan}, twice[1:]...), // B2: 1..20 doubled, a NaN left out
		slices.Repeat([]float64{nan}, 21),    // C3: no value
		up,                                   // D4: median 10, as A1
	}}
	groups, of := metricGroups(man)
	if want := []int{-1, 0, 0, 0, 0}; !slices.Equal(of, want) || len(groups) != 1 {
		t.Fatalf("groups of the metrics %v (%d groups), want %v", of, len(groups), want)
	}
	if g := groups[0]; g.pat != "capital.by_agent.*.loss_pct" || !slices.Equal(g.ids, []string{"A1", "B2", "C3", "D4"}) || g.indicator {
		t.Fatalf("group %+v", g)
	}
	c := agentRanges(man, smp, &groups[0], "21 runs, random")
	if want := []string{"B2", "A1", "D4", "C3"}; !slices.Equal(c.Rows, want) {
		t.Errorf("rows %q, want %q", c.Rows, want)
	}
	// B2's 20 values 2, 4, ..., 40: rank int(p·19).
	want := []output.Range{{P5: 2, P25: 10, P50: 20, P75: 30, P95: 38}, {P5: 1, P25: 5, P50: 10, P75: 15, P95: 19}, {P5: 1, P25: 5, P50: 10, P75: 15, P95: 19}}
	if !reflect.DeepEqual(c.Ranges[:3], want) {
		t.Errorf("ranges %+v, want %+v", c.Ranges[:3], want)
	}
	if r := c.Ranges[3]; !math.IsNaN(r.P5) || !math.IsNaN(r.P50) || !math.IsNaN(r.P95) {
		t.Errorf("C3, without a value: %+v, want NaN", r)
	}
	if c.Title != "s: capital.by_agent.*.loss_pct, by agent" || !strings.HasPrefix(c.ValueLabel, "loss_pct, % (21 runs, random") {
		t.Errorf("title %q, value label %q", c.Title, c.ValueLabel)
	}
}

// plotStems runs sw with its plots into out and returns the names of the
// PNG files it drew, without the extension, in order.
func plotStems(t *testing.T, sw *Sweep, out string) []string {
	t.Helper()
	if _, err := Run(context.Background(), sw, Options{Dir: out, Workers: 2, Plots: true}); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(filepath.Join(out, "plots"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		if name, ok := strings.CutSuffix(e.Name(), ".png"); ok {
			got = append(got, name)
		}
	}
	return got
}

// TestAgentPlots: a pattern that stands for many agents' capital draws
// one chart of their ranges in place of a histogram each; a pattern of one
// agent, and a metric written out, keep their histograms; 0/1 metrics
// have none either way. Each pattern of many agents, 0/1 or not, has a
// sensitivity heat map of its own, with a row per agent.
func TestAgentPlots(t *testing.T) {
	dir := t.TempDir()
	sw := loadSweepIn(t, dir, "p.yaml", patternSweep("defaults", "capital.by_agent.*.loss_pct", "capital.by_agent.UK46*.loss", "capital.by_agent.DE21.end", "defaulted.*"))
	out := filepath.Join(dir, "out")
	got := plotStems(t, sw, out)
	want := []string{"agents_capital_by_agent_loss_pct", "fan_GOVB", "hist_capital_by_agent_DE21_end", "hist_capital_by_agent_UK46_loss", "hist_defaults", "hist_headline_move_pct",
		"sensitivity", "sensitivity_capital_by_agent_loss_pct", "sensitivity_defaulted"}
	if !slices.Equal(got, want) {
		t.Errorf("plots %q, want %q", got, want)
	}
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	// The tables still list every bank's metric.
	for _, w := range []string{"![agents_capital_by_agent_loss_pct](plots/agents_capital_by_agent_loss_pct.png)", "| capital.by_agent.AT01.loss_pct |", "| capital.by_agent.UK48.loss_pct |"} {
		if !strings.Contains(string(report), w) {
			t.Errorf("report.md lacks %q", w)
		}
	}
}

// TestAgentPlotsGrid: in a grid with a field of true or false, a
// pattern's metrics share one response chart and one levels chart, 0/1
// ones (defaulted.*) included, where each metric had its own (96 of each
// for eba2018's 48 banks); metrics written out keep theirs.
func TestAgentPlotsGrid(t *testing.T) {
	dir := t.TempDir()
	sw := loadSweepIn(t, dir, "g.yaml", `base: eba2018
seed: 11
design: grid
parameters:
  - {path: events.0.shocks.GOVB, name: govb_shock, dist: {kind: list, values: [-0.05, -0.2]}}
  - {path: noise.off, name: noise_off, levels: [true, false]}
metrics: [defaults, capital.by_agent.*.loss_pct, defaulted.*]
series: [GOVB]
`)
	out := filepath.Join(dir, "out")
	got := plotStems(t, sw, out)
	want := []string{"agents_capital_by_agent_loss_pct", "fan_GOVB", "hist_defaults", "hist_headline_move_pct",
		"levels_noise_off_capital_by_agent_loss_pct", "levels_noise_off_defaulted", "levels_noise_off_defaults", "levels_noise_off_headline_move_pct",
		"response_capital_by_agent_loss_pct", "response_defaulted", "response_defaults", "response_headline_move_pct",
		"sensitivity", "sensitivity_capital_by_agent_loss_pct", "sensitivity_defaulted"}
	if !slices.Equal(got, want) {
		t.Errorf("plots %q, want %q", got, want)
	}
	man := readManifestT(t, out)
	if n := len(man.Sweep.Metrics); n != 1+48+48+1 {
		t.Errorf("%d metrics, want defaults, 48 banks' loss_pct and defaulted, headline_move_pct", n)
	}
}
