package sweep

import (
	"context"
	"fmt"
	"github.com/cascade-sim/cascade/internal/shellwords"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/csvtest"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"go.yaml.in/yaml/v3"
)

const levelsSweep = `name: levels
base: mini
seed: 5
design: grid
parameters:
  - {path: conventions.execution, name: execution, levels: [pre, mid, post]}
  - {path: "agents.*.rebalance_at", name: rebalance, levels: ["", close]}
metrics: [assets.NKY.max_drawdown_pct, vix.peak, forced_sales_usd.total]
`

// TestLevelsSweep: a grid over two text fields (the execution convention,
// and every systematic fund's rebalance_at, the default "" among its
// levels). Each run's row is what cascade run makes with the --set
// overrides Reproduce prints; runs.csv names the levels in grid order;
// levels.csv and the report's medians are the runs' own; the rank
// correlation is left out for the three unordered levels and kept for two.
func TestLevelsSweep(t *testing.T) {
	sw, dir := loadSweep(t, "levels.yaml", levelsSweep)
	if sw.Runs != 6 || !reflect.DeepEqual(sw.Params[0].Levels, []string{"pre", "mid", "post"}) {
		t.Fatalf("runs %d, levels %q: want a grid of 6 and the file's levels", sw.Runs, sw.Params[0].Levels)
	}
	if n := len(sw.Params[1].Targets); n < 2 {
		t.Fatalf("agents.*.rebalance_at stands for %d fields, want every systematic fund's", n)
	}
	execution, rebalance := []string{"pre", "mid", "post"}, []string{`""`, "close"} // as runs.csv labels them
	moved := 0
	for i := 0; i < sw.Runs; i++ {
		r, cmd, _, seed, got := reproduced(t, sw, i, miniMetrics)
		if got := []string{sw.Params[0].Label(r.values[0]), sw.Params[1].Label(r.values[1])}; got[0] != execution[i/2] || got[1] != rebalance[i%2] {
			t.Errorf("run %d has levels %q, want %q and %q (the last parameter fastest)", i, got, execution[i/2], rebalance[i%2])
		}
		if i%2 == 0 && !strings.Contains(cmd, `rebalance_at=""`) {
			t.Errorf("run %d: %s does not set rebalance_at to \"\" (quoted, so --set reads it as text)", i, cmd)
		}
		// The levels reach the model: the run without them differs
		// (mid and "" are the defaults).
		if i/2 != 1 || i%2 != 0 {
			if base := runMetrics(t, nil, seed); !reflect.DeepEqual(base, got) {
				moved++
			}
		}
	}
	if moved < 3 {
		t.Errorf("only %d of 5 runs with a level other than the defaults differ from the base scenario", moved)
	}

	out := filepath.Join(dir, "out")
	if _, err := Run(context.Background(), sw, Options{Dir: out, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	runs := csvtest.Read(t, filepath.Join(out, "runs.csv"))
	if want := []string{"index", "seed", "execution", "rebalance", "assets.NKY.max_drawdown_pct", "vix.peak", "forced_sales_usd.total"}; !reflect.DeepEqual(runs[0][:7], want) {
		t.Fatalf("runs.csv header %q, want %q", runs[0], want)
	}
	for i, row := range runs[1:] {
		if row[2] != execution[i/2] || row[3] != rebalance[i%2] {
			t.Errorf("runs.csv row %d: levels %q, %q, want %q, %q", i, row[2], row[3], execution[i/2], rebalance[i%2])
		}
	}
	if _, err := os.Stat(filepath.Join(out, "calibration.csv")); !os.IsNotExist(err) {
		t.Errorf("a sweep without score.within wrote calibration.csv (%v)", err)
	}
	// levels.csv: the median (lower of the two middle values, as the
	// metrics' own statistics) over the runs at each level.
	lv := csvtest.Read(t, filepath.Join(out, "levels.csv"))
	if want := []string{"parameter", "level", "metric", "runs", "n", "p5", "median", "p95", "mean"}; !reflect.DeepEqual(lv[0], want) {
		t.Fatalf("levels.csv header %q", lv[0])
	}
	nm := len(runs[0]) - 4 // the file's three metrics and those the plots need
	if len(lv)-1 != (3+2)*nm {
		t.Fatalf("levels.csv has %d rows, want %d (5 levels, %d metrics)", len(lv)-1, 5*nm, nm)
	}
	for _, row := range lv[1:] {
		col := map[string]int{"execution": 2, "rebalance": 3}[row[0]]
		metric := slices.Index(runs[0], row[2])
		var xs []float64
		for _, r := range runs[1:] {
			if r[col] == row[1] {
				xs = append(xs, atof(t, r[metric]))
			}
		}
		want := map[string]int{"execution": 2, "rebalance": 3}[row[0]]
		if len(xs) != want || row[3] != strconv.Itoa(want) {
			t.Errorf("%s = %q: %d runs in runs.csv, levels.csv says %s, want %d", row[0], row[1], len(xs), row[3], want)
		}
		s := stats(xs, nil)
		if got := atof(t, row[6]); got != s.P50 || atof(t, row[8]) != s.Mean {
			t.Errorf("%s = %q, %s: median %v mean %s, runs.csv gives %v and %v", row[0], row[1], row[2], got, row[8], s.P50, s.Mean)
		}
	}
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| execution | conventions.execution | levels pre, mid, post |", `levels "", close`, "## By level", "| post | 2 |", "| close | 3 |", `| "" | 3 |`, "`levels.csv`"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	sens := csvtest.Read(t, filepath.Join(out, "sensitivity.csv"))
	for _, row := range sens[1:] {
		if (row[0] == "execution") != (row[2] == "") {
			t.Errorf("sensitivity.csv: %s with %s has Spearman %q; want none for the three unordered levels only", row[0], row[1], row[2])
		}
	}
}

// TestLevelCharts: a text field with two levels or more, a field of true
// or false, and outside a grid a number's list or choice of up to 12
// values, get a chart per metric of its 5th percentile, median and 95th
// percentile at each level, the levels named as the runs table names them
// (the empty level "", true and false, not 1 and 0; numbers in increasing
// order); a number in a grid (which its response curves draw), a list of
// more values, a number drawn from a range, and a field of a single level
// get none. Before, a field of true or false had no chart, nor a number's
// list or choice.
func TestLevelCharts(t *testing.T) {
	// Six runs; the metric is the run's index times ten.
	metric := []float64{0, 10, 20, 30, 40, 50}
	lo, hi := 0.0, 1.0
	for _, c := range []struct {
		name   string
		design string
		param  ResolvedParam
		col    []float64 // the parameter's value in each run
		cats   []string  // the chart's levels; nil: no chart
		p50    []float64
	}{
		{"text", Random, ResolvedParam{Name: "rebalance", Levels: []string{"", "close", "15:00 America/New_York"}, Dist: sim.Dist{Kind: "choice", Values: []float64{0, 1, 2}}},
			[]float64{0, 1, 2, 0, 1, 2}, []string{`""`, "close", "15:00 America/New_York"}, []float64{0, 10, 20}},
		{"true or false", Random, ResolvedParam{Name: "facility", Boolean: true, Dist: sim.Dist{Kind: "choice", Values: []float64{1, 0}}},
			[]float64{1, 1, 1, 0, 0, 0}, []string{"false", "true"}, []float64{40, 10}},
		{"true or false as a list", Random, ResolvedParam{Name: "facility", Boolean: true, Dist: sim.Dist{Kind: "list", Values: []float64{0, 1}}},
			[]float64{0, 1, 0, 1, 0, 1}, []string{"false", "true"}, []float64{20, 30}},
		{"fixed true", Random, ResolvedParam{Name: "facility", Boolean: true, Dist: sim.Dist{Kind: "fixed", Value: 1}},
			[]float64{1, 1, 1, 1, 1, 1}, nil, nil},
		{"one level", Random, ResolvedParam{Name: "execution", Levels: []string{"pre"}, Dist: sim.Dist{Kind: "choice", Values: []float64{0}}},
			[]float64{0, 0, 0, 0, 0, 0}, nil, nil},
		{"number list", LatinHypercube, ResolvedParam{Name: "scale", Dist: sim.Dist{Kind: "list", Values: []float64{2, 0.5}}},
			[]float64{0.5, 2, 0.5, 2, 0.5, 2}, []string{"0.5", "2"}, []float64{20, 30}},
		{"number choice", Random, ResolvedParam{Name: "scale", Dist: sim.Dist{Kind: "choice", Values: []float64{3, 1, 2}, Weights: []float64{1, 2, 1}}},
			[]float64{1, 2, 3, 1, 2, 3}, []string{"1", "2", "3"}, []float64{0, 10, 20}},
		{"number list in a grid", Grid, ResolvedParam{Name: "scale", Dist: sim.Dist{Kind: "list", Values: []float64{0, 1}}},
			[]float64{0, 1, 0, 1, 0, 1}, nil, nil},
		{"thirteen numbers", Random, ResolvedParam{Name: "scale", Dist: sim.Dist{Kind: "list", Values: []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}},
			[]float64{0, 1, 2, 3, 4, 5}, nil, nil},
		{"a range", Random, ResolvedParam{Name: "scale", Dist: sim.Dist{Kind: "uniform", Min: &lo, Max: &hi}},
			[]float64{0, 0.2, 0.4, 0.6, 0.8, 1}, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			man := &Manifest{Sweep: Resolved{Name: "s", Design: c.design, Parameters: []ResolvedParam{c.param}, Metrics: []string{"vix.peak"}}}
			smp := &sample{index: []int{0, 1, 2, 3, 4, 5}, cols: [][]float64{c.col, metric}}
			charts := levelCharts(man, byLevel(man, smp), "6 runs")
			if c.cats == nil {
				if len(charts) != 0 {
					t.Errorf("%d charts (%s), want none", len(charts), charts[0].stem)
				}
				return
			}
			if len(charts) != 1 {
				t.Fatalf("%d charts, want 1", len(charts))
			}
			bc := charts[0].chart.(*output.BarChart)
			if want := "levels_" + c.param.Name + "_vix.peak"; charts[0].stem != want {
				t.Errorf("stem %q, want %q", charts[0].stem, want)
			}
			if !reflect.DeepEqual(bc.Categories, c.cats) || !reflect.DeepEqual(bc.Groups[1].Y, c.p50) || bc.Groups[1].Name != "median" {
				t.Errorf("levels %q, %s %v; want %q, median %v", bc.Categories, bc.Groups[1].Name, bc.Groups[1].Y, c.cats, c.p50)
			}
			if want := "s: vix.peak by " + c.param.Name; bc.Title != want {
				t.Errorf("title %q, want %q", bc.Title, want)
			}
		})
	}
}

// TestResponseBool: a grid's response curves run along a number, never
// along a field of true or false (whose runs sit at 0 and 1 of an axis of
// fractions between): that is a line per level, named true or false, and
// with no number varied there is no response figure.
func TestResponseBool(t *testing.T) {
	facility := ResolvedParam{Name: "facility", Boolean: true, Dist: sim.Dist{Kind: "choice", Values: []float64{1, 0}}}
	scale := ResolvedParam{Name: "scale", Dist: sim.Dist{Kind: "list", Values: []float64{1, 2}}}
	metric := []float64{1, 2, 3, 4}
	for _, c := range []struct {
		name   string
		params []ResolvedParam
		cols   [][]float64
		x      string   // the x axis; "": no figure
		lines  []string // the lines' names
	}{
		{"alone", []ResolvedParam{facility}, [][]float64{{1, 0, 1, 0}}, "", nil},
		{"first", []ResolvedParam{facility, scale}, [][]float64{{1, 1, 0, 0}, {1, 2, 1, 2}}, "scale", []string{"facility = false", "facility = true"}},
		{"second", []ResolvedParam{scale, facility}, [][]float64{{1, 1, 2, 2}, {1, 0, 1, 0}}, "scale", []string{"facility = false", "facility = true"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			man := &Manifest{Sweep: Resolved{Name: "s", Design: "grid", Parameters: c.params, Metrics: []string{"vix.peak"}}}
			smp := &sample{index: []int{0, 1, 2, 3}, cols: append(slices.Clone(c.cols), metric)}
			fig := responseFigure(man, smp, len(c.params))
			if c.x == "" {
				if fig != nil {
					t.Errorf("a response figure along %s, want none", fig.XLabel)
				}
				return
			}
			if fig == nil {
				t.Fatal("no response figure")
			}
			var lines []string
			for _, s := range fig.Panels[0].Series {
				lines = append(lines, s.Name)
			}
			if fig.XLabel != c.x || !reflect.DeepEqual(lines, c.lines) {
				t.Errorf("along %s, lines %q; want along %s, lines %q", fig.XLabel, lines, c.x, c.lines)
			}
		})
	}
}

// TestYAMLText: a level goes into --set as it is when YAML reads it back
// as that text, and double-quoted otherwise; either way --set's YAML
// reading gives the level back.
func TestYAMLText(t *testing.T) {
	for _, c := range []struct{ level, want string }{
		{"close", "close"},
		{"most_liquid_first", "most_liquid_first"},
		{"15:00 America/New_York", "15:00 America/New_York"},
		{"", `""`},
		{"true", `"true"`},
		{"1", `"1"`},
		{"null", `"null"`},
		{"~", `"~"`},
		{" close", `" close"`},
		{"a: b", `"a: b"`},
		{"#x", `"#x"`},
		{"[x]", `"[x]"`},
		{`say "hi"`, `say "hi"`},
	} {
		got := yamlText(c.level)
		if got != c.want {
			t.Errorf("yamlText(%q) = %s, want %s", c.level, got, c.want)
		}
		var back string
		if err := yaml.Unmarshal([]byte(got), &back); err != nil || back != c.level {
			t.Errorf("%s reads back as %q (%v), want %q", got, back, err, c.level)
		}
	}
}

// loadSweep writes a sweep file of text src, named name, into a temporary
// directory, and loads it; it returns the sweep and the directory.
func loadSweep(t *testing.T, name, src string) (*Sweep, string) {
	t.Helper()
	dir := t.TempDir()
	return loadSweepIn(t, dir, name, src), dir
}

// loadSweepIn writes src to dir/name and loads it.
func loadSweepIn(t *testing.T, dir, name, src string) *Sweep {
	t.Helper()
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	sw, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	return sw
}

// reproduced makes run i of sw and checks that the cascade run command
// Reproduce prints for it gives the same metrics, as read reads them from
// the run's summary (the sweep's first metrics). It returns the run's row,
// the command, its overrides and seed, and the metrics.
func reproduced(t *testing.T, sw *Sweep, i int, read func(*sim.Summary) []float64) (row, string, []string, uint64, []float64) {
	t.Helper()
	r, _, err := sw.runOne(context.Background(), i)
	if err != nil {
		t.Fatal(err)
	}
	np := len(sw.Params)
	cmd := sw.Reproduce(i, r.values[:np])
	sets, seed := parseReproduce(t, cmd)
	got := runScenario(t, sw.BaseName, sets, seed, read)
	if want := r.values[np : np+len(got)]; !reflect.DeepEqual(got, want) {
		t.Errorf("run %d: %s gives %v, the sweep %v", i, cmd, got, want)
	}
	return r, cmd, sets, seed, got
}

// parseReproduce reads the --set overrides and the seed of a command
// Reproduce printed.
func parseReproduce(t *testing.T, cmd string) ([]string, uint64) {
	t.Helper()
	var sets []string
	var seed uint64
	args := shellWords(t, cmd)
	for k, a := range args {
		switch a {
		case "--set":
			sets = append(sets, args[k+1])
		case "--seed":
			seed, _ = strconv.ParseUint(args[k+1], 10, 64)
		}
	}
	return sets, seed
}

// shellWords splits a printed command line into its words (shellwords.Split).
func shellWords(t *testing.T, cmd string) []string {
	t.Helper()
	words, err := shellwords.Split(cmd)
	if err != nil {
		t.Fatal(err)
	}
	return words
}

// runScenario runs scenario base with the overrides sets at seed and
// returns what read reads from its summary.
func runScenario(t *testing.T, base string, sets []string, seed uint64, read func(*sim.Summary) []float64) []float64 {
	t.Helper()
	sc, err := scenarios.Load(base, sets)
	if err != nil {
		t.Fatalf("%s with %q: %v", base, sets, err)
	}
	sum, err := sim.RunSummary(context.Background(), &sc.File.Config, seed, false)
	if err != nil {
		t.Fatal(err)
	}
	return read(sum)
}

// miniMetrics reads the metrics of levelsSweep and variantsSweep.
func miniMetrics(sum *sim.Summary) []float64 {
	return []float64{float64(sum.Assets["NKY"].MaxDrawdownPct), float64(sum.VIX.Peak), float64(sum.ForcedSales.Total)}
}

// runMetrics runs mini with sets at seed and returns miniMetrics.
func runMetrics(t *testing.T, sets []string, seed uint64) []float64 {
	t.Helper()
	return runScenario(t, "mini", sets, seed, miniMetrics)
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return x
}

// TestLevelTablesCap: the report's By level tables leave out a parameter
// of more than maxLevelRows values (levels.csv keeps it) and show the rest,
// with the runs that have a value where some at the level have none, a |
// in a level escaped so the table holds and the * of a wildcard path so
// that two do not read as emphasis.
func TestLevelTablesCap(t *testing.T) {
	man := &Manifest{}
	man.Sweep.Metrics = []string{"m"}
	var lv []levelStats
	for k := 0; k <= maxLevelRows; k++ {
		lv = append(lv, levelStats{param: "many", level: strconv.Itoa(k), runs: 1, MetricStats: MetricStats{Name: "m", N: 1, P50: float64(k)}})
	}
	few := "agents.*.a_*"
	lv = append(lv, levelStats{param: few, level: "x", runs: 4, MetricStats: MetricStats{Name: "m", N: 3, P50: 2.5}},
		levelStats{param: few, level: "y", runs: 4, MetricStats: MetricStats{Name: "m", N: 4, P50: 7}},
		levelStats{param: few, level: "a|b", runs: 1, MetricStats: MetricStats{Name: "m", N: 1, P50: 1}})
	var b strings.Builder
	writeLevelTables(func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }, man, lv)
	got := b.String()
	for _, want := range []string{`| agents.\*.a_\* | runs | m |`, "| x | 4 | 2.5 (3) |", "| y | 4 | 7 |", `| a\|b | 1 | 1 |`} {
		if !strings.Contains(got, want) {
			t.Errorf("the tables lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "| many |") {
		t.Errorf("a parameter of %d values has a table:\n%s", maxLevelRows+1, got)
	}
}

// TestLevelChartsIndicator: a 0/1 metric written out (defaulted.ID) is
// charted by level as the share of runs with a 1, between its Wilson 95%
// bounds, where its percentiles would be bars of 0 and 1.
func TestLevelChartsIndicator(t *testing.T) {
	param := ResolvedParam{Name: "facility", Boolean: true, Dist: sim.Dist{Kind: "list", Values: []float64{0, 1}}}
	man := &Manifest{Sweep: Resolved{Name: "s", Design: Random, Parameters: []ResolvedParam{param}, Metrics: []string{"defaulted.DE21"}}}
	// Off (0): defaults in 3 runs of 4; on (1): in 1 of 4.
	smp := &sample{index: []int{0, 1, 2, 3, 4, 5, 6, 7}, cols: [][]float64{{0, 0, 0, 0, 1, 1, 1, 1}, {1, 1, 0, 1, 0, 0, 1, 0}}}
	charts := levelCharts(man, byLevel(man, smp), "8 runs")
	if len(charts) != 1 {
		t.Fatalf("%d charts, want 1", len(charts))
	}
	bc := charts[0].chart.(*output.BarChart)
	lo0, hi0 := Wilson(3, 4)
	lo1, hi1 := Wilson(1, 4)
	want := [][]float64{{lo0, lo1}, {0.75, 0.25}, {hi0, hi1}}
	names := []string{"Wilson 95% low", "share of runs", "Wilson 95% high"}
	for k, g := range bc.Groups {
		if g.Name != names[k] || !reflect.DeepEqual(g.Y, want[k]) {
			t.Errorf("series %d: %s %v, want %s %v", k, g.Name, g.Y, names[k], want[k])
		}
	}
	if want := "share of runs with defaulted.DE21 = 1 (8 runs)"; bc.ValueLabel != want {
		t.Errorf("value label %q, want %q", bc.ValueLabel, want)
	}
}
