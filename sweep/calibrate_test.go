package sweep

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math"
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
)

// TestCalibRows: a parameter's calibration rows, worked by hand, with
// three observed quantities (K = 3): all its scored runs, then its bins,
// each with the runs that reproduce all three and those that miss at most
// one, and the quantiles of the parameter over the runs that reproduce all.
func TestCalibRows(t *testing.T) {
	nan := math.NaN()
	// x = 1..25 in a shuffled order, with one unscored run (NaN within)
	// that must count nowhere. Runs x ≤ 5 and x = 25 reproduce all three,
	// 6 ≤ x ≤ 10 miss one, the rest miss two.
	var xs, ws []float64
	for _, x := range []float64{13, 2, 25, 7, 1, 19, 4, 10, 22, 3, 16, 8, 5, 11, 24, 6, 14, 9, 20, 12, 17, 21, 15, 23, 18} {
		w := 1.0
		switch {
		case x <= 5 || x == 25:
			w = 3
		case x <= 10:
			w = 2
		}
		xs, ws = append(xs, x), append(ws, w)
	}
	xs, ws = append(xs, 3), append(ws, nan)
	// 25 runs of six values, with ties: 1 three times, 2 four, 3 six, 4
	// twice, 5 and 6 five times each, in an order that is not sorted.
	// Runs x ≤ 2 reproduce all three, x = 3 miss one, the rest miss two.
	var tieX, tieW []float64
	for i, n := range []int{3, 4, 6, 2, 5, 5} {
		for range n {
			tieX = append(tieX, float64(i+1))
		}
	}
	slices.Reverse(tieX)
	tieX[0], tieX[24] = tieX[24], tieX[0]
	for _, x := range tieX {
		w := 1.0
		switch {
		case x <= 2:
			w = 3
		case x == 3:
			w = 2
		}
		tieW = append(tieW, w)
	}
	var bigTieX, bigTieW []float64
	for i, n := range []int{2, 20, 3} {
		for range n {
			bigTieX, bigTieW = append(bigTieX, float64(i+1)), append(bigTieW, 3)
		}
	}
	slices.Reverse(bigTieX)
	num := ResolvedParam{Name: "lev", Dist: sim.Dist{Kind: "uniform"}} // the bounds are not read

	// A text field of three levels, one of which no run takes.
	text := ResolvedParam{Name: "exec", Levels: []string{"pre", "mid", "post"}, Dist: sim.Dist{Kind: "choice", Values: []float64{0, 1, 2}}}
	tx := []float64{0, 2, 0, 2, 2, 0}
	tw := []float64{3, 3, 2, 1, 3, nan}

	for _, c := range []struct {
		name string
		q    ResolvedParam
		x, w []float64
		want []CalibrationRow
	}{
		{"fifths", num, xs, ws, []CalibrationRow{
			{Param: "lev", Bin: "all", Lo: 1, Hi: 25, Runs: 25, All: 6, AllButOne: 11, P5: 1, P50: 3, P95: 5},
			{Param: "lev", Bin: "1", Lo: 1, Hi: 5, Runs: 5, All: 5, AllButOne: 5, P5: 1, P50: 3, P95: 4}, // nearest lower rank: v[⌊0.95·4⌋]
			{Param: "lev", Bin: "2", Lo: 6, Hi: 10, Runs: 5, All: 0, AllButOne: 5, P5: nan, P50: nan, P95: nan},
			{Param: "lev", Bin: "3", Lo: 11, Hi: 15, Runs: 5, P5: nan, P50: nan, P95: nan},
			{Param: "lev", Bin: "4", Lo: 16, Hi: 20, Runs: 5, P5: nan, P50: nan, P95: nan},
			{Param: "lev", Bin: "5", Lo: 21, Hi: 25, Runs: 5, All: 1, AllButOne: 1, P5: 25, P50: 25, P95: 25},
		}},
		// Below five runs a fifth, no bins (the runs less x = 18).
		{"few runs", num, xs[:24], ws[:24], []CalibrationRow{
			{Param: "lev", Bin: "all", Lo: 1, Hi: 25, Runs: 24, All: 6, AllButOne: 11, P5: 1, P50: 3, P95: 5},
		}},
		{"levels", text, tx, tw, []CalibrationRow{
			{Param: "exec", Bin: "all", Lo: nan, Hi: nan, Runs: 5, All: 3, AllButOne: 4, P5: nan, P50: nan, P95: nan},
			{Param: "exec", Bin: "pre", Lo: nan, Hi: nan, Runs: 2, All: 1, AllButOne: 2, P5: nan, P50: nan, P95: nan},
			{Param: "exec", Bin: "post", Lo: nan, Hi: nan, Runs: 3, All: 2, AllButOne: 2, P5: nan, P50: nan, P95: nan},
		}},
		{"a number's list", ResolvedParam{Name: "cap", Dist: sim.Dist{Kind: "list", Values: []float64{2, 1}}}, []float64{2, 1, 1, 2}, []float64{3, 3, 0, 2}, []CalibrationRow{
			{Param: "cap", Bin: "all", Lo: 1, Hi: 2, Runs: 4, All: 2, AllButOne: 3, P5: 1, P50: 1, P95: 1},
			{Param: "cap", Bin: "1", Lo: 1, Hi: 1, Runs: 2, All: 1, AllButOne: 1, P5: 1, P50: 1, P95: 1},
			{Param: "cap", Bin: "2", Lo: 2, Hi: 2, Runs: 2, All: 1, AllButOne: 2, P5: 2, P50: 2, P95: 2},
		}},
		// Ties: no value is split between two bins. Nominal cuts at 5, 10,
		// 15 and 20 of the 25 sorted runs; 5 falls inside the 2s (runs 3-6)
		// and 10 inside the 3s (7-12), each as far from both ends, so they
		// move up; 15 and 20 start a value's runs and stay.
		{"ties", num, tieX, tieW, []CalibrationRow{
			{Param: "lev", Bin: "all", Lo: 1, Hi: 6, Runs: 25, All: 7, AllButOne: 13, P5: 1, P50: 2, P95: 2},
			{Param: "lev", Bin: "1", Lo: 1, Hi: 2, Runs: 7, All: 7, AllButOne: 7, P5: 1, P50: 2, P95: 2},
			{Param: "lev", Bin: "2", Lo: 3, Hi: 3, Runs: 6, AllButOne: 6, P5: nan, P50: nan, P95: nan},
			{Param: "lev", Bin: "3", Lo: 4, Hi: 4, Runs: 2, P5: nan, P50: nan, P95: nan},
			{Param: "lev", Bin: "4", Lo: 5, Hi: 5, Runs: 5, P5: nan, P50: nan, P95: nan},
			{Param: "lev", Bin: "5", Lo: 6, Hi: 6, Runs: 5, P5: nan, P50: nan, P95: nan},
		}},
		// One value in 20 of 25 runs (sorted runs 2-21): the cuts at 5 and
		// 10 move down to 2, those at 15 and 20 up to 22; three bins.
		{"a tie of most runs", num, bigTieX, bigTieW, []CalibrationRow{
			{Param: "lev", Bin: "all", Lo: 1, Hi: 3, Runs: 25, All: 25, AllButOne: 25, P5: 1, P50: 2, P95: 3},
			{Param: "lev", Bin: "1", Lo: 1, Hi: 1, Runs: 2, All: 2, AllButOne: 2, P5: 1, P50: 1, P95: 1},
			{Param: "lev", Bin: "2", Lo: 2, Hi: 2, Runs: 20, All: 20, AllButOne: 20, P5: 2, P50: 2, P95: 2},
			{Param: "lev", Bin: "3", Lo: 3, Hi: 3, Runs: 3, All: 3, AllButOne: 3, P5: 3, P50: 3, P95: 3},
		}},
		{"constant", num, []float64{4, 4, 4}, []float64{3, 1, 2}, nil},
	} {
		scored := make([]bool, len(c.w))
		for i, w := range c.w {
			scored[i] = !math.IsNaN(w)
		}
		got := calibRows(&c.q, c.x, c.w, scored, 3)
		if len(got) != len(c.want) {
			t.Errorf("%s: %d rows, want %d: %+v", c.name, len(got), len(c.want), got)
			continue
		}
		for i := range got {
			if !sameRow(got[i], c.want[i]) {
				t.Errorf("%s: row %d\n got %+v\nwant %+v", c.name, i, got[i], c.want[i])
			}
		}
	}
}

// sameRow compares two rows, NaN equal to NaN.
func sameRow(a, b CalibrationRow) bool {
	same := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
	return a.Param == b.Param && a.Bin == b.Bin && a.Runs == b.Runs && a.All == b.All && a.AllButOne == b.AllButOne &&
		same(a.Lo, b.Lo) && same(a.Hi, b.Hi) && same(a.P5, b.P5) && same(a.P50, b.P50) && same(a.P95, b.P95)
}

const calibSweep = `name: calib
base: aug2024
runs: 30
seed: 11
parameters:
  - {path: noise.scale, name: noise_scale, dist: {kind: uniform, min: 0.25, max: 0.75}}
  - {path: leverage_scale, name: leverage, dist: {kind: choice, values: [0.75, 1]}}
metrics: [score.within, score.S&P 500 2 Aug, vix.peak]
series: [NKY]
`

// TestCalibrationSweep: calibration.csv, the report's section and the
// printed headline agree with the runs table, read back from runs.csv and
// counted here: a run reproduces what markets did when score.within is
// the base's number of observed quantities. A sharded sweep, merged, writes
// the same calibration.csv.
func TestCalibrationSweep(t *testing.T) {
	sw, dir := loadSweep(t, "calib.yaml", calibSweep)
	out := filepath.Join(dir, "out")
	res, err := Run(context.Background(), sw, Options{Dir: out, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load("aug2024", nil)
	if err != nil {
		t.Fatal(err)
	}
	k := len(sc.File.Observed)
	runs := csvtest.Read(t, filepath.Join(out, "runs.csv"))
	col := func(name string) int { return slices.Index(runs[0], name) }
	cw, cx, cl, cs := col("score.within"), col("noise_scale"), col("leverage"), col("score.S&P 500 2 Aug")
	if cw < 0 || cx < 0 || cl < 0 || cs < 0 {
		t.Fatalf("runs.csv header %q", runs[0])
	}
	rows := runs[1:]
	reproduces := func(r []string) bool { return atof(t, r[cw]) == float64(k) }
	missOne := func(r []string) bool { return atof(t, r[cw]) >= float64(k-1) }

	// Expected rows: the parameter over a set of runs.
	type want struct {
		bin                string
		lo, hi             float64
		runs, all, missOne int
		p5, p50, p95       float64
	}
	expect := func(bin string, c int, set [][]string) want {
		w := want{bin: bin, lo: math.Inf(1), hi: math.Inf(-1), runs: len(set)}
		var acc []float64
		for _, r := range set {
			x := atof(t, r[c])
			w.lo, w.hi = min(w.lo, x), max(w.hi, x)
			if reproduces(r) {
				w.all++
				acc = append(acc, x)
			}
			if missOne(r) {
				w.missOne++
			}
		}
		q := quantiles(acc)
		w.p5, w.p50, w.p95 = q[0], q[1], q[2]
		return w
	}
	var wants []want
	byX := slices.Clone(rows)
	slices.SortStableFunc(byX, func(a, b []string) int { return cmp.Compare(atof(t, a[cx]), atof(t, b[cx])) })
	wants = append(wants, expect("all", cx, rows))
	for b := range 5 { // 30 runs: fifths of six
		wants = append(wants, expect(strconv.Itoa(b+1), cx, byX[6*b:6*b+6]))
	}
	wants = append(wants, expect("all", cl, rows))
	for _, v := range []string{"0.75", "1"} {
		var set [][]string
		for _, r := range rows {
			if r[cl] == v {
				set = append(set, r)
			}
		}
		wants = append(wants, expect(v, cl, set))
	}
	all, most := 0, 0
	for _, r := range rows {
		all += b2i(reproduces(r))
		most += b2i(missOne(r))
	}
	if all == 0 || all == len(rows) || most == all {
		t.Fatalf("%d of %d runs reproduce all %d quantities, %d miss at most one: the test needs some of each", all, len(rows), k, most)
	}

	calib := csvtest.Read(t, filepath.Join(out, "calibration.csv"))
	if want := []string{"parameter", "bin", "lo", "hi", "runs", "reproduce_all", "miss_at_most_one", "p5", "median", "p95"}; !reflect.DeepEqual(calib[0], want) {
		t.Fatalf("calibration.csv header %q, want %q", calib[0], want)
	}
	if len(calib)-1 != len(wants) {
		t.Fatalf("calibration.csv has %d rows, want %d:\n%q", len(calib)-1, len(wants), calib)
	}
	num := func(s string) float64 {
		if s == "" {
			return math.NaN()
		}
		return atof(t, s)
	}
	for i, w := range wants {
		r := calib[i+1]
		param := "noise_scale"
		if i > 5 {
			param = "leverage"
		}
		got := want{bin: r[1], lo: num(r[2]), hi: num(r[3]), runs: int(atof(t, r[4])), all: int(atof(t, r[5])), missOne: int(atof(t, r[6])),
			p5: num(r[7]), p50: num(r[8]), p95: num(r[9])}
		if r[0] != param || fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", w) {
			t.Errorf("calibration.csv row %d: %q\nwant %s %+v", i+1, r, param, w)
		}
	}

	c := res.Calibration
	if c == nil || c.Quantities != k || c.Runs != len(rows) || c.All != all || c.AllButOne != most || len(c.Pass) != 1 {
		t.Fatalf("result's calibration %+v, want %d quantities, %d runs, %d reproducing all, %d missing at most one, one quantity's pass rate", c, k, len(rows), all, most)
	}
	var sp scenarios.Observation
	for _, o := range sc.File.Observed {
		if o.Name == "S&P 500 2 Aug" {
			sp = o
		}
	}
	within, only := 0, 0
	for _, r := range rows {
		_, pass := output.Within(sp, atof(t, r[cs]))
		within += b2i(pass)
		only += b2i(!pass && atof(t, r[cw]) == float64(k-1))
	}
	if q := c.Pass[0]; q.Name != "S&P 500 2 Aug" || q.Runs != len(rows) || q.Within != within || q.Only != only {
		t.Errorf("pass rate %+v, want %d of %d within tolerance, %d missing it alone", q, within, len(rows), only)
	}
	// The other quantities are not recorded: the near misses that do not
	// miss the S&P 500 miss one of them.
	if len(c.Unrecorded) != k-1 || slices.Contains(c.Unrecorded, "S&P 500 2 Aug") || c.UnrecordedOnly != most-all-only || most-all-only == 0 {
		t.Errorf("unrecorded %q, %d near misses in them: want the %d quantities but the S&P 500's, and %d (of %d near misses, nonzero)", c.Unrecorded, c.UnrecordedOnly, k-1, most-all-only, most-all)
	}

	// calibration_metrics.csv: every metric but score.within, over all the
	// runs and over those that reproduce everything, recounted from
	// runs.csv (quantiles by nearest lower rank).
	quant := func(c int, keep func([]string) bool) (n int, q [3]float64) {
		var v []float64
		for _, r := range rows {
			if keep(r) && r[c] != "" {
				v = append(v, atof(t, r[c]))
			}
		}
		return len(v), quantiles(v)
	}
	cm := csvtest.Read(t, filepath.Join(out, "calibration_metrics.csv"))
	if want := []string{"metric", "runs", "p5", "median", "p95", "reproduce_runs", "reproduce_p5", "reproduce_median", "reproduce_p95"}; !reflect.DeepEqual(cm[0], want) {
		t.Fatalf("calibration_metrics.csv header %q, want %q", cm[0], want)
	}
	var metrics []string
	for _, m := range runs[0][col("leverage")+1:] {
		if m != "score.within" {
			metrics = append(metrics, m)
		}
	}
	if len(cm)-1 != len(metrics) || len(metrics) < 3 || len(c.Metrics) != len(metrics) {
		t.Fatalf("calibration_metrics.csv has %d rows and the result %d metrics, want one per metric but score.within, %q", len(cm)-1, len(c.Metrics), metrics)
	}
	for i, m := range metrics {
		n, q := quant(col(m), func([]string) bool { return true })
		nr, qr := quant(col(m), reproduces)
		want := fmt.Sprintf("%s %d %v %d %v", m, n, q, nr, qr)
		r := cm[i+1]
		got := fmt.Sprintf("%s %s [%v %v %v] %s [%v %v %v]", r[0], r[1], num(r[2]), num(r[3]), num(r[4]), r[5], num(r[6]), num(r[7]), num(r[8]))
		if got != want {
			t.Errorf("calibration_metrics.csv row %d: %s\nwant %s", i+1, got, want)
		}
		if m == "vix.peak" && (nr != all || q == qr) {
			t.Errorf("vix.peak over the reproducing runs: %d runs, %v, against %v over all: want %d runs and another distribution", nr, qr, q, all)
		}
	}

	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	vix := c.Metrics[slices.IndexFunc(c.Metrics, func(m CalibratedMetric) bool { return m.Name == "vix.peak" })]
	for _, want := range []string{"## Calibration\n", c.Headline(), "| vix.peak | " + medianRange(vix.All, Short) + " | " + medianRange(vix.Reproduce, Short) + " |", "`calibration_metrics.csv`", "| S&P 500 2 Aug | 30 | " + share(within, len(rows)) + " | " + share(only, most-all) + " |", "`calibration.csv`",
		fmt.Sprintf("| one of the %d not recorded | | | %s |", k-1, share(most-all-only, most-all))} {
		if !bytes.Contains(report, []byte(want)) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	// A score.NAME metric is written as cascade score writes the quantity
	// (output.ScoreValue against its tolerance, S&P 500 2 Aug: -1.84 ± 2),
	// not with Short's four digits.
	show := func(q [3]float64) string {
		b := []float64{-1.84 - 2, -1.84 + 2}
		return fmt.Sprintf("%s (%s to %s)", output.ScoreValue(q[1], b...), output.ScoreValue(q[0], b...), output.ScoreValue(q[2], b...))
	}
	_, sq := quant(col("score.S&P 500 2 Aug"), func([]string) bool { return true })
	_, sqr := quant(col("score.S&P 500 2 Aug"), reproduces)
	if want := "| score.S&P 500 2 Aug | " + show(sq) + " | " + show(sqr) + " |"; !bytes.Contains(report, []byte(want)) {
		t.Errorf("report.md lacks %q", want)
	}
	if !strings.HasPrefix(c.Headline(), strconv.Itoa(all)+" of 30 runs (") {
		t.Errorf("headline %q", c.Headline())
	}

	// Two shards, merged: the same table (%+v prints NaN alike above).
	var shards []string
	for s := range 2 {
		d := filepath.Join(dir, "shard"+strconv.Itoa(s))
		if _, err := Run(context.Background(), sw, Options{Dir: d, Shard: Shard{Index: s, Count: 2}, Workers: 2}); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, d)
	}
	merged := filepath.Join(dir, "merged")
	if _, err := Merge(shards, MergeOptions{Out: merged}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"calibration.csv", "calibration_metrics.csv"} {
		a, _ := os.ReadFile(filepath.Join(out, f))
		b, err := os.ReadFile(filepath.Join(merged, f))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("merged shards' %s differs from the unsharded one (%v)", f, err)
		}
	}
}

// quantiles returns the 5th, 50th and 95th percentiles of v by nearest
// lower rank, as the sweep computes them (NaN for none); it sorts v.
func quantiles(v []float64) [3]float64 {
	slices.Sort(v)
	q := [3]float64{math.NaN(), math.NaN(), math.NaN()}
	for i, p := range []float64{0.05, 0.5, 0.95} {
		if len(v) > 0 {
			q[i] = v[int(p*float64(len(v)-1))]
		}
	}
	return q
}

// TestCalibrationLevelAll: a text field's level may be called "all"; the
// report still opens each parameter with its runs, all of them, once, and
// lists the level as a bin of its own.
func TestCalibrationLevelAll(t *testing.T) {
	q := ResolvedParam{Name: "scope", Levels: []string{"all", "some"}, Dist: sim.Dist{Kind: "choice", Values: []float64{0, 1}}}
	x, w := []float64{0, 1, 0, 1}, []float64{2, 2, 1, 0}
	rows := calibRows(&q, x, w, []bool{true, true, true, true}, 2)
	rows = append(rows, calibRows(&ResolvedParam{Name: "cap", Dist: sim.Dist{Kind: "list", Values: []float64{1, 2}}}, []float64{1, 2, 2, 1}, w, []bool{true, true, true, true}, 2)...)
	g := calibGroups(rows)
	if len(g) != 2 || len(g[0]) != 3 || len(g[1]) != 3 || g[0][1].Bin != "all" || g[1][0].Param != "cap" {
		t.Fatalf("groups %+v, want scope (all, level all, level some) and cap (all, 1, 2)", g)
	}
	var b strings.Builder
	writeCalibrationSection(func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }, &Calibration{Quantities: 2, Runs: 4, All: 2, AllButOne: 3, Rows: rows})
	for _, want := range []string{"| scope | all | 4 | 50.0% | 75.0% |", "|  | all | 2 | 50.0% | 100.0% |", "|  | some | 2 | 50.0% | 50.0% |", "| cap | all: 1 to 2 | 4 |", "|  | 2 | 2 | 50.0% | 100.0% | 2 | 2 | 2 |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the section lacks %q:\n%s", want, b.String())
		}
	}
}

// TestCalibrationUnrecorded: the column of the quantity missed alone can
// name only the quantities the sweep records; the near misses in the
// others get a row of their own and a sentence naming those quantities
// (mar2020's sweep: 4 of 8 recorded, and all 3 near misses in the other
// 4), and none when every quantity is recorded.
func TestCalibrationUnrecorded(t *testing.T) {
	pass := []QuantityPass{{Name: "10y yield", Runs: 40, Within: 28}, {Name: "S&P 500", Runs: 40, Within: 33}}
	for _, c := range []struct {
		name      string
		calib     Calibration
		want, not []string
	}{
		{"unrecorded", Calibration{Quantities: 4, Runs: 40, All: 0, AllButOne: 3, Pass: pass, Unrecorded: []string{"VIX proxy peak", "gold"}, UnrecordedOnly: 3},
			[]string{"The column can name only the 2 of 4 quantities the sweep records as `score.NAME`.",
				"| 10y yield | 40 | 70.0% | 0.0% |\n| S&P 500 | 40 | 82.5% | 0.0% |\n| one of the 2 not recorded | | | 100.0% |\n",
				"3 of the 3 runs that miss exactly one quantity miss one the sweep does not record, so it cannot say which: `VIX proxy peak`, `gold`."}, nil},
		{"some attributed", Calibration{Quantities: 3, Runs: 40, All: 1, AllButOne: 5, Pass: []QuantityPass{{Name: "S&P 500", Runs: 40, Within: 30, Only: 3}}, Unrecorded: []string{"gold", "VIX"}, UnrecordedOnly: 1},
			[]string{"| S&P 500 | 40 | 75.0% | 75.0% |\n| one of the 2 not recorded | | | 25.0% |\n", "1 of the 4 runs that miss exactly one"}, nil},
		{"all recorded", Calibration{Quantities: 2, Runs: 40, All: 0, AllButOne: 3, Pass: []QuantityPass{{Name: "10y yield", Runs: 40, Within: 28, Only: 1}, {Name: "S&P 500", Runs: 40, Within: 33, Only: 2}}},
			[]string{"| S&P 500 | 40 | 82.5% | 66.7% |\n\n"}, []string{"not record", "can name only"}},
	} {
		var b strings.Builder
		writeCalibrationSection(func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }, &c.calib)
		for _, w := range c.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: the section lacks %q:\n%s", c.name, w, b.String())
			}
		}
		for _, n := range c.not {
			if strings.Contains(b.String(), n) {
				t.Errorf("%s: the section has %q:\n%s", c.name, n, b.String())
			}
		}
	}
}
