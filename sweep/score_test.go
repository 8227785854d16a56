package sweep

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestScoreMetrics: a sweep's score metrics are what cascade score gives
// for the same run: score.within counts the observed quantities within
// tolerance and score.NAME is the simulated value of the quantity NAME,
// both measured on an independent run of the scenario with the recorder
// cascade run uses.
func TestScoreMetrics(t *testing.T) {
	sw, err := Load("testdata/score.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sw.ScoreSeries, " "); got != "NKY SPX vix mean_corr USDJPY unwound_basis_pct BTC" {
		t.Errorf("score series %q", got)
	}
	np := len(sw.Params)
	for i := 0; i < sw.Runs; i++ {
		r, _, err := sw.runOne(context.Background(), i)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Load("aug2024", nil)
		if err != nil {
			t.Fatal(err)
		}
		m, err := sim.Build(&sc.File.Config, core.RunSeed(5, i))
		if err != nil {
			t.Fatal(err)
		}
		rec := output.NewRecorder(false)
		if err := m.Run(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		rows, err := output.Score(sc.File.Observed, rec.Timeseries())
		if err != nil {
			t.Fatal(err)
		}
		within := 0
		byName := map[string]float64{}
		for _, row := range rows {
			if row.Pass {
				within++
			}
			byName[row.Name] = row.Simulated
		}
		for k, mt := range sw.Metrics {
			got := r.values[np+k]
			var want float64
			switch name, _ := strings.CutPrefix(mt.Path, "score."); {
			case mt.Path == "score.within":
				want = float64(within)
			case name != mt.Path:
				want = byName[name]
			default:
				continue
			}
			if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("run %d %s = %v, want %v", i, mt.Path, got, want)
			}
		}
	}

	obs := []scenarios.Observation{{Name: "Nikkei 5 Aug"}, {Name: "S&P 500 2 Aug"}}
	for _, c := range []struct {
		path string
		obs  []scenarios.Observation
		want int
		err  string
	}{
		{"score.within", obs, -1, ""},
		{"score.Nikkei 5 Aug", obs, 1, ""},
		{"score.S&P 500 2 Aug", obs, 2, ""},
		{"score", obs, 0, "is a group: pick score.within or score.NAME"},
		{"score.", obs, 0, "is a group"},
		{"score.Nikei 5 Aug", obs, 0, `(did you mean "Nikkei 5 Aug"?) (have within; Nikkei 5 Aug; S&P 500 2 Aug)`},
		{"score.within", nil, 0, "the base scenario base has no observed: list"},
	} {
		k, err := resolveScore(c.path, c.obs, "the base scenario base", true)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one containing %q", c.path, err, c.err)
			}
			continue
		}
		if err != nil || k != c.want {
			t.Errorf("%s: %d, %v; want %d", c.path, k, err, c.want)
		}
	}
}
