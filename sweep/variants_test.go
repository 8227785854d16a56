package sweep

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/csvtest"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

const variantsSweep = `name: variants
base: mini
seed: 9
design: grid
parameters:
  - name: noise
    variants:
      - {name: normal}
      - {name: student_t, set: [noise.distribution=student_t, noise.df=4]}
      - {name: garch, set: ["noise.garch={alpha: 0.08, half_life_days: 2}"]}
  - name: impact
    variants:
      - {name: sqrt}
      - {name: linear, set: ["assets.*.impact={function: linear, lambda: 2.0e-12, permanent: 0.5, half_life_days: 1}"]}
  - {path: leverage_scale, dist: {kind: list, values: [0.5, 1]}}
metrics: [assets.NKY.max_drawdown_pct, vix.peak, forced_sales_usd.total]
`

// TestVariantsSweep: a grid over two parameters of variants (the noise
// model, whose student_t variant brings its df, and the impact law, whose
// linear variant replaces every asset's impact mapping) and a number.
// Each run starts from its combination of variants: its row is what
// cascade run makes with the --set overrides Reproduce prints, and the
// variants reach the model. runs.csv, levels.csv, the report and the
// manifest name the variants and their overrides.
func TestVariantsSweep(t *testing.T) {
	sw, dir := loadSweep(t, "variants.yaml", variantsSweep)
	if sw.Runs != 12 || len(sw.bases) != 6 || !slices.Equal(sw.vars, []int{0, 1}) {
		t.Fatalf("runs %d, %d combinations of variants in parameters %v: want 12 runs and the 3 × 2 combinations of parameters 0 and 1", sw.Runs, len(sw.bases), sw.vars)
	}
	noise, impact := []string{"normal", "student_t", "garch"}, []string{"sqrt", "linear"}
	moved := map[string]int{}
	for i := 0; i < sw.Runs; i++ {
		r, cmd, sets, seed, got := reproduced(t, sw, i, miniMetrics)
		wantNoise, wantImpact := noise[i/4], impact[i/2%2]
		if got := []string{sw.Params[0].Label(r.values[0]), sw.Params[1].Label(r.values[1])}; got[0] != wantNoise || got[1] != wantImpact {
			t.Errorf("run %d has variants %q, want %s and %s (the last parameter fastest)", i, got, wantNoise, wantImpact)
		}
		// Each variant reaches the model: without its overrides, the run
		// differs.
		for p, name := range []string{wantNoise, wantImpact} {
			own := sw.Params[p].Sets[int(r.values[p])]
			if len(own) == 0 {
				continue
			}
			rest := slices.DeleteFunc(slices.Clone(sets), func(s string) bool { return slices.Contains(own, s) })
			if len(rest) != len(sets)-len(own) {
				t.Fatalf("run %d: %s does not give variant %s's overrides %q", i, cmd, name, own)
			}
			if !reflect.DeepEqual(runMetrics(t, rest, seed), got) {
				moved[name]++
			}
		}
	}
	for _, name := range []string{"student_t", "garch", "linear"} {
		if moved[name] == 0 {
			t.Errorf("variant %s changes no run's outcome", name)
		}
	}

	out := filepath.Join(dir, "out")
	if _, err := Run(context.Background(), sw, Options{Dir: out, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	runs := csvtest.Read(t, filepath.Join(out, "runs.csv"))
	if want := []string{"index", "seed", "noise", "impact", "leverage_scale"}; !reflect.DeepEqual(runs[0][:5], want) {
		t.Fatalf("runs.csv header %q, want %q first", runs[0], want)
	}
	for i, row := range runs[1:] {
		if row[2] != noise[i/4] || row[3] != impact[i/2%2] {
			t.Errorf("runs.csv row %d: variants %q, %q, want %q, %q", i, row[2], row[3], noise[i/4], impact[i/2%2])
		}
	}
	count := map[string]int{}
	for _, row := range csvtest.Read(t, filepath.Join(out, "levels.csv"))[1:] {
		if row[2] == "vix.peak" {
			count[row[0]+"="+row[1]] = int(atof(t, row[3]))
		}
	}
	if want := map[string]int{"noise=normal": 4, "noise=student_t": 4, "noise=garch": 4, "impact=sqrt": 6, "impact=linear": 6,
		"leverage_scale=0.5": 6, "leverage_scale=1": 6}; !reflect.DeepEqual(count, want) {
		t.Errorf("levels.csv runs per value %v, want %v", count, want)
	}
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| noise | noise.distribution, noise.df, noise.garch | variants normal; student_t: noise.distribution=student_t, noise.df=4; garch: noise.garch={alpha: 0.08, half_life_days: 2} |",
		`| impact | assets.\*.impact | variants sqrt; linear: assets.\*.impact={function: linear,`, // * escaped: not emphasis
		"| student_t | 4 |",
	} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	var man Manifest
	js, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &man); err != nil {
		t.Fatal(err)
	}
	if got := man.Sweep.Parameters[0].Sets; !reflect.DeepEqual(got, [][]string{{}, {"noise.distribution=student_t", "noise.df=4"}, {"noise.garch={alpha: 0.08, half_life_days: 2}"}}) {
		t.Errorf("manifest: the noise variants' sets are %q", got)
	}
}

// TestVariantsCombination: with a random design over two parameters of
// variants, every run starts from the configuration that loading the base
// with its two variants' overrides gives, whatever the draw, and
// Reproduce gives those overrides.
func TestVariantsCombination(t *testing.T) {
	src := strings.Replace(variantsSweep, "design: grid", "design: random\nruns: 40", 1)
	sw, err := Parse(filepath.Join(t.TempDir(), "v.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	loaded := map[[2]int]*sim.Config{}
	vals := make([]float64, len(sw.Params))
	for i := 0; i < sw.Runs; i++ {
		sw.Values(i, vals)
		k := [2]int{int(vals[0]), int(vals[1])}
		sets := append(slices.Clone(sw.Params[0].Sets[k[0]]), sw.Params[1].Sets[k[1]]...)
		if loaded[k] == nil {
			sc, err := scenarios.Load("mini", sets)
			if err != nil {
				t.Fatal(err)
			}
			loaded[k] = &sc.File.Config
		}
		if !reflect.DeepEqual(sw.baseConfig(vals), loaded[k]) {
			t.Errorf("run %d (variants %d and %d) does not start from mini loaded with %q", i, k[0], k[1], sets)
		}
		got, _ := parseReproduce(t, sw.Reproduce(i, vals))
		if want := append(sets, "leverage_scale="+strconv.FormatFloat(vals[2], 'g', -1, 64)); !reflect.DeepEqual(got, want) {
			t.Errorf("run %d: Reproduce sets %q, want %q", i, got, want)
		}
	}
	if len(loaded) != 6 {
		t.Errorf("40 random runs drew %d of the 6 combinations", len(loaded))
	}
}
