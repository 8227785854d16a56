package sweep

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestReadmeReplayRecipe: the README's recipe for making one run of a
// sweep again with cascade run gives the sweep file's own set: overrides
// first and then each parameter's fields, and that is what it takes: a
// sweep of mini with set: [noise.scale=1.5] is reproduced, metric for
// metric, by the command Reproduce prints (the set, then the parameter),
// and not by the parameter's --set alone. The recipe named the
// parameters only.
func TestReadmeReplayRecipe(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(readme)), " ")
	for _, want := range []string{
		"SEED --set PATH=VALUE ...`: first one `--set` for each of the sweep file's own `set:` overrides, in the file's order",
		"then one `--set` for each field a parameter sets",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the README's replay recipe lacks %q", want)
		}
	}

	sw, err := writeSweep(t, "base: mini\nseed: 3\nruns: 2\nset: [noise.scale=1.5]\nparameters:\n  - {path: leverage_scale, dist: {kind: uniform, min: 0.6, max: 1.4}}\nmetrics: [assets.NKY.max_drawdown_pct, vix.peak, forced_sales_usd.total]\n")
	if err != nil {
		t.Fatal(err)
	}
	for i := range sw.Runs {
		_, cmd, sets, seed, got := reproduced(t, sw, i, miniMetrics)
		if len(sets) != 2 || sets[0] != "noise.scale=1.5" || !strings.HasPrefix(sets[1], "leverage_scale=") {
			t.Fatalf("run %d: %s: want the set's override, then the parameter's", i, cmd)
		}
		if alone := runMetrics(t, sets[1:], seed); reflect.DeepEqual(alone, got) {
			t.Errorf("run %d: the parameter's --set alone gives the run's metrics %v: the set is not needed, and the test cannot tell", i, got)
		}
	}
}
