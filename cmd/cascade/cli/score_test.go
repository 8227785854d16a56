package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestScoreSeeds: cascade score --seeds 3 reports, for every quantity, the
// median of the three runs' values, their range and how many pass, as
// three independent single-seed scores (own seed, core.RunSeed(own, 1)
// and core.RunSeed(own, 2)) give them; it exits 1 exactly when a median
// is outside tolerance.
func TestScoreSeeds(t *testing.T) {
	const n = 3
	sc, err := scenarios.Load("aug2024", nil)
	if err != nil {
		t.Fatal(err)
	}
	own := sc.File.Config.Seed
	runs := make([][]output.ScoreRow, n)
	for k := range n {
		sc, err := scenarios.Load("aug2024", nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg := &sc.File.Config
		seed := own
		if k > 0 {
			seed = core.RunSeed(own, k)
		}
		m, err := sim.Build(cfg, seed)
		if err != nil {
			t.Fatal(err)
		}
		rec := output.NewRecorder(false)
		if err := m.Run(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		if runs[k], err = output.Score(sc.File.Observed, rec.Timeseries()); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := cascade(t, "score", "aug2024", "--seeds", fmt.Sprint(n), "-j", "2")
	lines := strings.Split(out, "\n")
	bad, all := 0, 0
	for k := range runs { // a seed passes when the single-seed table passes every row
		if output.PrintScore(io.Discard, "", runs[k]) == len(runs[k]) {
			all++
		}
	}
	for q, o := range sc.File.Observed {
		xs := make([]float64, n)
		within := 0
		for k := range runs {
			xs[k] = runs[k][q].Simulated
			if runs[k][q].Pass {
				within++
			}
		}
		sort.Float64s(xs)
		if _, pass := output.Within(o, xs[1]); !pass {
			bad++
		}
		b := output.Bounds(o)
		want := fmt.Sprintf("%s  %s – %s", output.ScoreValue(xs[1], b...), output.ScoreValue(xs[0], b...), output.ScoreValue(xs[2], b...))
		var line string
		for _, l := range lines {
			if strings.HasPrefix(l, o.Name+" ") {
				line = l
			}
		}
		if !strings.Contains(strings.Join(strings.Fields(line), "  "), strings.Join(strings.Fields(want), "  ")) ||
			!strings.Contains(line, fmt.Sprintf(" %d/%d ", within, n)) {
			t.Errorf("%s: line %q, want median and range %q and %d/%d within", o.Name, line, want, within, n)
		}
	}
	tail := fmt.Sprintf("aug2024 at %d seeds: %d of %d medians within tolerance; every quantity within tolerance on %d of %d seeds",
		n, len(sc.File.Observed)-bad, len(sc.File.Observed), all, n)
	if !strings.Contains(out, tail) {
		t.Errorf("output lacks %q:\n%s", tail, out)
	}
	if wantCode := map[bool]int{true: 1, false: 0}[bad > 0]; code != wantCode {
		t.Errorf("exit %d with %d medians outside, want %d\n%s%s", code, bad, wantCode, out, errOut)
	}
	// --json: the same score, every seed's value and the seeds themselves.
	out, errOut, jcode := cascade(t, "score", "aug2024", "--seeds", fmt.Sprint(n), "-j", "2", "--json")
	var js struct {
		Scenario   string
		Seeds      []string
		Quantities []struct {
			Name, Source string
			Observed     float64
			Median       *float64
			Within       int
			MedianPass   bool `json:"median_pass"`
			Values       []*float64
		}
		MediansWithin int `json:"medians_within"`
		AllWithin     int `json:"all_within"`
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil {
		t.Fatalf("--json: %v\n%s%s", err, out, errOut)
	}
	if jcode != code || js.Scenario != "aug2024" || js.AllWithin != all || js.MediansWithin != len(sc.File.Observed)-bad ||
		fmt.Sprint(js.Seeds) != fmt.Sprint([]uint64{own, core.RunSeed(own, 1), core.RunSeed(own, 2)}) || len(js.Quantities) != len(sc.File.Observed) {
		t.Fatalf("--json: exit %d (table %d), header %+v; want all %d, medians within %d, seeds own, RunSeed(own, 1), RunSeed(own, 2)",
			jcode, code, js, all, len(sc.File.Observed)-bad)
	}
	for q, o := range sc.File.Observed {
		jq := js.Quantities[q]
		if jq.Name != o.Name || jq.Source != o.Source || jq.Observed != o.Observed || len(jq.Values) != n {
			t.Fatalf("--json quantity %d: %+v, want %s (source %q)", q, jq, o.Name, o.Source)
		}
		xs := make([]float64, n)
		for k := range runs {
			xs[k] = runs[k][q].Simulated
			if jq.Values[k] == nil || *jq.Values[k] != xs[k] {
				t.Errorf("--json %s seed %d: value %v, want %v", o.Name, k, jq.Values[k], xs[k])
			}
		}
		sort.Float64s(xs)
		if _, pass := output.Within(o, xs[1]); jq.Median == nil || *jq.Median != xs[1] || jq.MedianPass != pass {
			t.Errorf("--json %s: median %v (pass %v), want %v (%v)", o.Name, jq.Median, jq.MedianPass, xs[1], pass)
		}
	}
	// One seed: the rows as output.Score gives them, with their sources.
	out, errOut, jcode = cascade(t, "score", "aug2024", "--json")
	var one struct {
		Scenario string
		Seed     uint64 `json:",string"`
		Rows     []struct {
			Name, Source, Tolerance string
			Simulated               *float64
			Pass                    bool
		}
		Within int
	}
	if err := json.Unmarshal([]byte(out), &one); err != nil {
		t.Fatalf("--json: %v\n%s%s", err, out, errOut)
	}
	pass := output.PrintScore(io.Discard, "", runs[0])
	if one.Seed != own || one.Within != pass || len(one.Rows) != len(runs[0]) || (jcode == 0) != (pass == len(runs[0])) {
		t.Fatalf("one seed --json: exit %d, seed %d, within %d of %d rows; want seed %d, %d of %d", jcode, one.Seed, one.Within, len(one.Rows), own, pass, len(runs[0]))
	}
	for q, r := range runs[0] {
		if j := one.Rows[q]; j.Name != r.Name || j.Source != r.Source || j.Tolerance != r.Tolerance || j.Pass != r.Pass ||
			j.Simulated == nil || *j.Simulated != r.Simulated {
			t.Errorf("one seed --json row %d: %+v, want %+v", q, j, r)
		}
	}
	if _, errOut, code := cascade(t, "score", "aug2024", "--seeds", "0"); code != 2 || !strings.Contains(errOut, "--seeds 0") {
		t.Errorf("--seeds 0: exit %d, %q; want a usage error", code, errOut)
	}
}
