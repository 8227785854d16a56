package sweep

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/core/dmath"
	"github.com/cascade-sim/cascade/scenarios"
)

// TestTailDraws: a normal parameter whose one-in-a-million quantiles keep
// the scenario valid, but which one of the sweep's runs draws beyond, into
// values the scenario rejects, is refused at its distribution, naming the
// run and the value; the same sweep without that run, or with the
// distribution bounded, loads. In a random design a run's first draw is
// its first parameter's u. Seed 35's run 1341 draws u = 5.6e-7, the only
// one below 1e-6 of its first 1,400 runs: with mean 1 and sd 0.208 the
// checked lower end is 1 − 4.753·0.208 = 0.011 and the run's value
// 1 − 4.871·0.208 = −0.013. Seed 62's run 822 draws 1 − 1.1e-7 (z = 5.18),
// the only one above 1 − 1e-6 of its first 900: a drawdown limit of mean
// 0.5 and sd 0.1 is checked at 0.975 and drawn at 1.018. Before the
// check, each sweep passed --check and failed at that run.
func TestTailDraws(t *testing.T) {
	draw := func(seed uint64, run int, mean, sd float64) (v, end float64) {
		u := float64(core.Stream(core.RunSeed(seed, run), "sweep").Float64())
		end = 1e-6
		if u > 0.5 {
			end = 1 - 1e-6
		}
		if (u > 0.5) != (u > end) {
			t.Fatalf("run %d of seed %d draws u = %g: the test needs one beyond 1e-6 (has the run's stream changed?)", run, seed, u)
		}
		return mean + float64(sd*dmath.NormalQuantile(u)), mean + float64(sd*dmath.NormalQuantile(end))
	}
	low, end := draw(35, 1341, 1, 0.208)
	if low >= 0 || end <= 0 {
		t.Fatalf("leverage_scale %g at run 1341: the test needs it below 0 and the checked end (%g) above", low, end)
	}
	high, end := draw(62, 822, 0.5, 0.1)
	if high <= 1 || end >= 1 {
		t.Fatalf("derisk_drawdown %g at run 822: the test needs it above 1 and the checked end (%g) below", high, end)
	}
	// sweep writes a sweep file of mini with one parameter.
	sweep := func(seed, runs int, design, path, dist string) string {
		return "name: tails\nbase: mini\nruns: " + strconv.Itoa(runs) + "\nseed: " + strconv.Itoa(seed) + "\ndesign: " + design +
			"\nparameters:\n  - {path: " + path + ", dist: " + dist + "}\nmetrics: [amplification]\n"
	}
	src := func(runs int, dist string) string { return sweep(35, runs, "random", "leverage_scale", dist) }
	upper := func(runs int, dist string) string {
		return sweep(62, runs, "random", "agents.hf.derisk_drawdown", dist)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "tails.yaml")
	load := func(s string) error {
		if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(file)
		return err
	}
	for _, c := range []struct{ name, src, want string }{
		{"lower tail", src(1400, "{kind: normal, mean: 1, sd: 0.208}"),
			"tails.yaml:7:34: parameters[0].dist: at the value run 1341 draws, below its one-in-a-million quantile (leverage_scale = " +
				strconv.FormatFloat(low, 'g', -1, 64) + ") the scenario is invalid: leverage_scale: must be positive"},
		{"upper tail", upper(900, "{kind: normal, mean: 0.5, sd: 0.1}"),
			"tails.yaml:7:45: parameters[0].dist: at the value run 822 draws, above its one-in-a-million quantile (agents.hf.derisk_drawdown = " +
				strconv.FormatFloat(high, 'g', -1, 64) + ") the scenario is invalid: "},
		// A Latin hypercube of n runs has a stratum below 1/n and one
		// above 1 − 1/n: from a million runs on, it always draws beyond
		// the checked quantiles (0.524 + 4.753·0.1 = 0.9993 is checked).
		{"latin hypercube", sweep(7, 999_999, "latin_hypercube", "agents.hf.derisk_drawdown", "{kind: normal, mean: 0.524, sd: 0.1}"),
			"tails.yaml:7:45: parameters[0].dist: at the value run 245662 draws, above its one-in-a-million quantile (agents.hf.derisk_drawdown = 1.02"},
	} {
		err := load(c.src)
		var ps scenarios.Problems
		if !errors.As(err, &ps) || len(ps) != 1 {
			t.Errorf("%s: %v, want one problem", c.name, err)
			continue
		}
		got := strings.ReplaceAll(ps.Error(), file, "tails.yaml")
		if !strings.HasPrefix(got, c.want) || !strings.HasSuffix(got, "; bound the distribution with min and max") {
			t.Errorf("%s:\n got %s\nwant %s...; bound the distribution with min and max", c.name, got, c.want)
		}
	}
	for _, c := range []struct{ name, src string }{
		{"without run 1341", src(1300, "{kind: normal, mean: 1, sd: 0.208}")},
		{"bounded below", src(1400, "{kind: normal, mean: 1, sd: 0.208, min: 0.01}")},
		{"without run 822", upper(800, "{kind: normal, mean: 0.5, sd: 0.1}")},
		{"bounded above", upper(900, "{kind: normal, mean: 0.5, sd: 0.1, max: 0.99}")},
	} {
		if err := load(c.src); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
