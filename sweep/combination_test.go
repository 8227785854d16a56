package sweep

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
)

// TestCheckRunsCombination: limits that hold one parameter at a time but
// break in combination are refused before any run is made, naming the
// first failing runs with their values. eba2018's banks have min_ratio
// 0.03, buffer_ratio 0.04 (one 0.0349) and target_ratio 0.05, so each
// range below passes the range check at both ends; a run that draws
// buffer_ratio above target_ratio does not build (agents[0] is bank AT01).
// Before, the file passed --check and the sweep stopped at that run.
func TestCheckRunsCombination(t *testing.T) {
	const bank = "agents[0]: bank AT01: need min_ratio <= buffer_ratio <= target_ratio"
	file := func(design string, runs int, buffer, target string) string {
		return "name: combination\nbase: eba2018\nseed: 7\ndesign: " + design + "\nruns: " + strconv.Itoa(runs) + "\nparameters:\n" +
			"  - {path: \"agents.*.buffer_ratio\", name: buffer_ratio, dist: " + buffer + "}\n" +
			"  - {path: \"agents.*.target_ratio\", name: target_ratio, dist: " + target + "}\nmetrics: [defaults]\n"
	}
	overlap := file("random", 50, "{kind: uniform, min: 0.035, max: 0.05}", "{kind: uniform, min: 0.045, max: 0.06}")
	for _, c := range []struct {
		name  string
		src   string
		shard Shard
		want  []string // the problems, in order; nil: the check passes
	}{
		{"random", overlap, Whole, []string{
			"run 0 (buffer_ratio 0.04951, target_ratio 0.04685): " + bank,
			"run 1 (buffer_ratio 0.04684, target_ratio 0.04586): " + bank,
			"run 37 (buffer_ratio 0.04822, target_ratio 0.04509): " + bank,
			"3 of the 50 runs do not set up, so the sweep would stop at the first (run 0 alone: cascade run eba2018 --seed 3066166568541432017 " +
				"--set 'agents.*.buffer_ratio=0.0495138179629037' --set 'agents.*.target_ratio=0.04685398587397207'); " +
				"each parameter's range passed its check on its own, so their limits break in combination"}},
		// A shard checks the runs it makes: 1, 5, ..., 49 (runs 1 and 37).
		{"shard 1/4", overlap, Shard{Index: 1, Count: 4}, []string{
			"run 1 (buffer_ratio 0.04684, target_ratio 0.04586): " + bank,
			"run 37 (buffer_ratio 0.04822, target_ratio 0.04509): " + bank,
			"2 of the 13 runs of shard 1/4 do not set up"}},
		{"shard 0/4", overlap, Shard{Index: 0, Count: 4}, []string{
			"run 0 (buffer_ratio 0.04951, target_ratio 0.04685): " + bank,
			"1 of the 13 runs of shard 0/4 does not set up"}},
		// Grid point 2 of 4 (the last parameter varies fastest) is
		// buffer 0.05, target 0.045; every point repeats at run 6.
		{"grid", file("grid", 8, "{kind: list, values: [0.04, 0.05]}", "{kind: list, values: [0.045, 0.06]}"), Whole, []string{
			"run 2 (buffer_ratio 0.05, target_ratio 0.045): " + bank,
			"run 6 (buffer_ratio 0.05, target_ratio 0.045): " + bank,
			"2 of the 8 runs do not set up"}},
		{"latin hypercube", file("latin_hypercube", 20, "{kind: uniform, min: 0.035, max: 0.05}", "{kind: uniform, min: 0.045, max: 0.06}"), Whole, []string{
			"run 12 (buffer_ratio 0.04909, target_ratio 0.04587): " + bank,
			"1 of the 20 runs does not set up"}},
		{"ranges apart", file("random", 50, "{kind: uniform, min: 0.035, max: 0.045}", "{kind: uniform, min: 0.045, max: 0.06}"), Whole, nil},
		// The target tied a point above the buffer: the overlap's ranges,
		// and every run holds.
		{"tied", "name: combination\nbase: eba2018\nseed: 7\ndesign: random\nruns: 50\nparameters:\n" +
			"  - {path: \"agents.*.buffer_ratio\", name: buffer_ratio, also: [{path: \"agents.*.target_ratio\", plus: 0.01}], dist: {kind: uniform, min: 0.035, max: 0.05}}\nmetrics: [defaults]\n", Whole, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "combination.yaml")
			if err := os.WriteFile(path, []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			sw, err := Load(path)
			if err != nil {
				t.Fatalf("the range check refused it: %v", err)
			}
			_, err = sw.CheckRuns(context.Background(), c.shard, 2, nil)
			if c.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ps scenarios.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("got %v, want problems", err)
			}
			if len(ps) != len(c.want) {
				t.Fatalf("%d problems, want %d:\n%v", len(ps), len(c.want), err)
			}
			for k, w := range c.want {
				got := ps[k].Path + ": " + ps[k].Msg
				if !strings.HasPrefix(got, "parameters: "+w) || ps[k].Pos.Line != 7 {
					t.Errorf("problem %d:\n got %s (line %d)\nwant parameters: %s... (line 7)", k, got, ps[k].Pos.Line, w)
				}
			}
			// Run asked to check its runs refuses it the same way before it
			// writes anything.
			out := filepath.Join(dir, "out")
			if _, err := Run(context.Background(), sw, Options{Dir: out, Shard: c.shard, Workers: 2, CheckRuns: true}); err == nil || err.Error() != ps.Error() {
				t.Errorf("Run: %v, want the check's problems", err)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("Run left %s behind (%v)", out, err)
			}
			// Without, it stops at a failing run (one worker: the first),
			// naming its values and the check.
			_, err = Run(context.Background(), sw, Options{Dir: filepath.Join(dir, "out2"), Shard: c.shard, Workers: 1})
			first := strings.SplitN(strings.TrimPrefix(c.want[0], "run "), " (", 2)
			vals := strings.SplitN(first[1], ")", 2)[0]
			if err == nil || !strings.Contains(err.Error(), "run "+first[0]+" failed: ") || !strings.Contains(err.Error(), "its values: ") ||
				!strings.Contains(err.Error(), "cascade sweep --check") {
				t.Errorf("Run without the check: %v, want run %s's failure with its values (%s)", err, first[0], vals)
			}
		})
	}
}
