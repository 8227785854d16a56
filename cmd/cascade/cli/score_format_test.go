package cli

import (
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestScoreOneFormat: every table that shows observed and simulated values
// (cascade score, score --seeds, compare at one seed and at several, and
// report.md) writes the same value the same way: 20 as "20", never
// "20.00", -12.4 as "-12.4", a simulated 19.5 as "19.5".
func TestScoreOneFormat(t *testing.T) {
	start := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)
	var times []time.Time
	var x, y []float64
	for h := range 72 {
		times = append(times, start.Add(time.Duration(h)*time.Hour))
		x = append(x, 19.5)
		y = append(y, -12)
	}
	ts := &output.Table{}
	ts.Add(output.TimeCol("time", times))
	ts.Add(output.FloatCol("x", x))
	ts.Add(output.FloatCol("y", y))
	day := time.Date(2024, 8, 2, 0, 0, 0, 0, time.UTC)
	obs := []scenarios.Observation{
		{Name: "qx", Quantity: "level", Asset: "x", To: day, Observed: 20, Tolerance: 1},
		{Name: "qy", Quantity: "level", Asset: "y", To: day, Observed: -12.4, Tolerance: 1},
	}
	rows, err := output.Score(obs, ts)
	if err != nil {
		t.Fatal(err)
	}
	runs := [][]output.ScoreRow{rows, rows, rows}
	one, err := output.CompareScore(rows, rows)
	if err != nil {
		t.Fatal(err)
	}
	many, err := output.CompareScoreSeeds(runs, runs)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		print func(w io.Writer)
	}{
		{"score", func(w io.Writer) { output.PrintScore(w, "s", rows) }},
		{"score --seeds", func(w io.Writer) { newSeedsScore("s", obs, []uint64{1, 2, 3}, runs).print(w) }},
		{"compare", func(w io.Writer) { output.PrintCompareScore(w, "s", "A", "B", one) }},
		{"compare --seeds", func(w io.Writer) { output.PrintCompareScoreSeeds(w, "s", "A", "B", 3, many) }},
		{"report.md", func(w io.Writer) {
			if err := output.WriteRunReport(w, &output.RunReport{Summary: &sim.Summary{}, Times: times, Score: rows}); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		var b strings.Builder
		c.print(&b)
		for _, want := range []struct{ name, observed, simulated string }{{"qx", "20", "19.5"}, {"qy", "-12.4", "-12"}} {
			var cells []string
			for _, l := range strings.Split(b.String(), "\n") {
				f := strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == '|' || r == '\t' })
				if len(f) > 0 && f[0] == want.name {
					cells = f
				}
			}
			if len(cells) < 3 || cells[1] != want.observed || !slices.Contains(cells[2:], want.simulated) {
				t.Errorf("%s: row %q, want observed %s and simulated %s\n%s", c.name, cells, want.observed, want.simulated, b.String())
			}
		}
	}
}

// TestSeedsScoreNoCapital: at several seeds, a utilization with no
// capital left (+Inf) on some of them sorts above every finite value: the
// median and the 95th percentile read inf, the 5th the finite value, and
// no NaN (n/a) reaches the table; a one-sided min passes on those seeds.
func TestSeedsScoreNoCapital(t *testing.T) {
	min := 0.5
	obs := []scenarios.Observation{{Name: "qu", Quantity: "peak", Asset: "dealer_util", Observed: 0.6, Min: &min}}
	inf := math.Inf(1)
	runs := [][]output.ScoreRow{{{Name: "qu", Simulated: 0.4}}, {{Name: "qu", Simulated: inf, Pass: true}}, {{Name: "qu", Simulated: inf, Pass: true}}, {{Name: "qu", Simulated: 0.7, Pass: true}}}
	s := newSeedsScore("s", obs, []uint64{1, 2, 3, 4}, runs)
	q := s.Quantities[0]
	if !math.IsInf(float64(q.Median), 1) || float64(q.P05) != 0.4 || !math.IsInf(float64(q.P95), 1) || !q.MedianPass || q.Within != 3 {
		t.Errorf("median %v, 5-95%% %v to %v, median pass %v, within %d: want inf, 0.4 to inf, pass, 3", q.Median, q.P05, q.P95, q.MedianPass, q.Within)
	}
	var b strings.Builder
	s.print(&b)
	if !strings.Contains(b.String(), "qu        0.6       inf     0.4 – inf  >= 0.5     3/4     pass") || strings.Contains(b.String(), "n/a") {
		t.Errorf("table:\n%s", b.String())
	}
}
