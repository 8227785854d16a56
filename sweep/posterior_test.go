package sweep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/csvtest"
	"github.com/cascade-sim/cascade/scenarios"
)

// posteriorSource runs calibSweep (30 aug2024 runs, scored) into a
// temporary directory and returns the directory holding it and its
// output; the accepted runs' (noise_scale, leverage) pairs, in run order;
// and those that miss at most one.
func posteriorSource(t *testing.T) (dir, out string, all, most [][2]float64) {
	t.Helper()
	sw, dir := loadSweep(t, "calib.yaml", calibSweep)
	out = filepath.Join(dir, "src")
	if _, err := Run(context.Background(), sw, Options{Dir: out, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	k := len(sw.Base.File.Observed)
	runs := csvtest.Read(t, filepath.Join(out, "runs.csv"))
	cw, cx, cl := slices.Index(runs[0], "score.within"), slices.Index(runs[0], "noise_scale"), slices.Index(runs[0], "leverage")
	for _, r := range runs[1:] {
		pair := [2]float64{atof(t, r[cx]), atof(t, r[cl])}
		if w := atof(t, r[cw]); w == float64(k) {
			all = append(all, pair)
		}
		if w := atof(t, r[cw]); w >= float64(k-1) {
			most = append(most, pair)
		}
	}
	t.Logf("the source: %d of %d runs reproduce every observed quantity, %d all but one at most", len(all), len(runs)-1, len(most))
	if len(all) < 2 || len(most) == len(all) {
		t.Fatalf("the source has %d accepted runs and %d missing at most one: the test needs several, and more of the second", len(all), len(most))
	}
	return dir, out, all, most
}

// TestPosteriorSweep: a sweep drawing two parameters from a scored sweep's
// accepted runs gives every run one accepted run's pair of values (the
// second scaled), keeping them together; a Latin hypercube takes each
// accepted run about equally often; the other parameter is drawn as
// without a posterior; and accepting the runs that miss one at most draws
// from more runs, under another fingerprint.
func TestPosteriorSweep(t *testing.T) {
	dir, _, all, most := posteriorSource(t)
	const runs = 120
	src := func(accept string) string {
		return fmt.Sprintf(`name: post
base: aug2024
runs: %d
seed: 3
design: latin_hypercube
posterior: {from: src%s}
parameters:
  - {path: noise.scale, name: noise, posterior: noise_scale}
  - {path: agents.gs-fund.derisk_drawdown, name: derisk, dist: {kind: uniform, min: 0.04, max: 0.1}}
  - {path: leverage_scale, name: lev, posterior: leverage, scale: 0.5}
metrics: [vix.peak]
`, runs, accept)
	}
	load := func(name, text string) *Sweep { return loadSweepIn(t, dir, name, text) }
	sw := load("post.yaml", src(""))
	if p := sw.Resolved().Posterior; p == nil || p.Accepted != len(all) || p.Runs != 30 || p.Accept != AcceptAll || !slices.Equal(p.Columns, []string{"noise_scale", "leverage"}) {
		t.Fatalf("resolved posterior %+v, want %d of 30 runs accepted, columns noise_scale and leverage", p, len(all))
	}
	taken := make([]int, len(all))
	vals := make([]float64, 3)
	for i := range runs {
		sw.Values(i, vals)
		k := slices.Index(all, [2]float64{vals[0], vals[2] / 0.5})
		if k < 0 {
			t.Fatalf("run %d takes noise %v and leverage %v, which no accepted run has together", i, vals[0], vals[2])
		}
		taken[k]++
		if vals[1] < 0.04 || vals[1] >= 0.1 {
			t.Errorf("run %d: derisk %v outside its uniform [0.04, 0.1)", i, vals[1])
		}
	}
	lo, hi := runs/len(all)-1, (runs+len(all)-1)/len(all)+1
	for k, n := range taken {
		if n < lo || n > hi {
			t.Errorf("accepted run %d is taken %d times of %d, want %d to %d", k, n, runs, lo, hi)
		}
	}

	// The same sweep without a posterior draws derisk the same (each
	// posterior parameter still draws its number).
	plain := load("plain.yaml", strings.NewReplacer("posterior: {from: src}\n", "", "posterior: noise_scale", "dist: {kind: uniform, min: 0.2, max: 0.8}",
		"posterior: leverage, scale: 0.5", "dist: {kind: uniform, min: 0.3, max: 0.6}").Replace(src("")))
	pv := make([]float64, 3)
	for i := range runs {
		sw.Values(i, vals)
		plain.Values(i, pv)
		if vals[1] != pv[1] {
			t.Fatalf("run %d: derisk %v with the posterior, %v without", i, vals[1], pv[1])
		}
	}

	wide := load("wide.yaml", src(", accept: miss_at_most_one"))
	if p := wide.Resolved().Posterior; p.Accepted != len(most) || wide.Fingerprint == sw.Fingerprint {
		t.Errorf("miss_at_most_one: %d accepted (want %d), fingerprint %s against %s", p.Accepted, len(most), wide.Fingerprint[:12], sw.Fingerprint[:12])
	}
	for i := range runs {
		wide.Values(i, vals)
		if !slices.Contains(most, [2]float64{vals[0], vals[2] / 0.5}) {
			t.Fatalf("miss_at_most_one, run %d: noise %v and leverage %v are no accepted run's", i, vals[0], vals[2])
		}
	}

	// The runs are made with those values, and the report says where they
	// came from.
	res, err := Run(context.Background(), sw, Options{Dir: filepath.Join(dir, "out"), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	table := csvtest.Read(t, filepath.Join(res.Dir, "runs.csv"))
	cn, cl := slices.Index(table[0], "noise"), slices.Index(table[0], "lev")
	for i, r := range table[1:] {
		sw.Values(i, vals)
		if atof(t, r[cn]) != vals[0] || atof(t, r[cl]) != vals[2] {
			t.Fatalf("runs.csv row %d: noise %s, lev %s; want %v, %v", i+1, r[cn], r[cl], vals[0], vals[2])
		}
	}
	report, err := os.ReadFile(filepath.Join(res.Dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("| lev | leverage_scale | leverage in the %d runs of src that reproduce every observed quantity, times 0.5 (", len(all))
	if !strings.Contains(string(report), want) {
		t.Errorf("report.md lacks %q", want)
	}
}

// TestPosteriorInvalid: a posterior block or a posterior parameter that
// cannot work is reported at its line and column, with the field.
func TestPosteriorInvalid(t *testing.T) {
	dir, _, _, _ := posteriorSource(t)
	// A complete sweep without score.within.
	plain, _ := loadSweep(t, "plain.yaml", strings.Replace(calibSweep, "score.within, ", "", 1))
	if _, err := Run(context.Background(), plain, Options{Dir: filepath.Join(dir, "unscored"), Workers: 2}); err != nil {
		t.Fatal(err)
	}
	head := "name: p\nbase: aug2024\nruns: 10\nseed: 1\n"
	param := "parameters:\n  - {path: noise.scale, posterior: noise_scale}\n"
	for _, c := range []struct{ name, src, want string }{
		{"no block", head + param, "p.yaml:6:36: parameters[0].posterior: posterior names a column of the sweep given as posterior: {from: DIR}, and this file has none"},
		{"no directory", head + "posterior: {from: nowhere}\n" + param, "p.yaml:5:19: posterior.from: " + filepath.Join(dir, "nowhere") + " is not a sweep output directory (no manifest.json): make the scored sweep there first"},
		{"unscored", head + "posterior: {from: unscored}\n" + param, "p.yaml:5:19: posterior.from: " + filepath.Join(dir, "unscored") + " does not record score.within"},
		{"unknown rule", head + "posterior: {from: src, accept: most}\n" + param, `p.yaml:5:32: posterior.accept: unknown rule "most" (want all or miss_at_most_one)`},
		{"unknown column", head + "posterior: {from: src}\nparameters:\n  - {path: noise.scale, posterior: noise_scal}\n",
			`p.yaml:7:36: parameters[0].posterior: src has no number parameter "noise_scal" (did you mean "noise_scale"?) (it has noise_scale, leverage)`},
		{"with a dist", head + "posterior: {from: src}\nparameters:\n  - {path: noise.scale, posterior: noise_scale, dist: {kind: fixed, value: 1}}\n",
			"p.yaml:7:55: parameters[0].dist: a parameter drawn from the posterior takes no dist"},
		{"scale", head + "posterior: {from: src}\nparameters:\n  - {path: noise.scale, posterior: noise_scale, scale: -1}\n",
			"p.yaml:7:56: parameters[0].scale: scale must be positive"},
		{"grid", head + "design: grid\nposterior: {from: src}\n" + param, "p.yaml:5:9: design: a sweep with a posterior takes design random or latin_hypercube"},
		{"text field", head + "posterior: {from: src}\nparameters:\n  - {path: conventions.execution, posterior: noise_scale}\n",
			"p.yaml:7:46: parameters[0].posterior: conventions.execution is text: a posterior value goes to a number field"},
		{"whole number", head + "posterior: {from: src}\nparameters:\n  - {path: agents.gs-fund.count, posterior: noise_scale}\n",
			"p.yaml:7:45: parameters[0].posterior: agents.gs-fund.count is a whole number: a posterior value goes to a number field"},
		{"out of range", head + "posterior: {from: src}\nparameters:\n  - {path: noise.scale, posterior: noise_scale}\n  - {path: agents.gs-fund.derisk_drawdown, posterior: noise_scale, scale: 10}\n",
			"p.yaml:8:5: parameters[1].dist: at the lower end of its range (agents.gs-fund.derisk_drawdown = "},
	} {
		file := filepath.Join(dir, "p.yaml")
		if err := os.WriteFile(file, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(file)
		var ps scenarios.Problems
		if !errors.As(err, &ps) {
			t.Errorf("%s: %v, want problems", c.name, err)
			continue
		}
		got := strings.ReplaceAll(ps.Error(), dir+string(filepath.Separator)+"p.yaml", "p.yaml")
		if !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}
