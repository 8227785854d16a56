package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// summaryValues runs cascade with args, writing to an output directory of
// its own with no plots, quietly, and returns the numbers summary.json
// holds at the dotted paths (assets.NKY.max_drawdown_pct, vix.peak), with
// the output directory.
func summaryValues(t *testing.T, args []string, paths ...string) ([]float64, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "run")
	args = append(slices.Clip(args), "--out", out, "--no-plots", "--quiet")
	if _, e, code := cascade(t, args...); code != 0 {
		t.Fatalf("cascade %q: exit %d: %s", args, code, e)
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum any
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	vals := make([]float64, len(paths))
	for k, p := range paths {
		v := sum
		for _, seg := range strings.Split(p, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("summary.json has no %s (at %s)", p, seg)
			}
			v = m[seg]
		}
		f, ok := v.(float64)
		if !ok {
			t.Fatalf("summary.json's %s is %v, not a number", p, v)
		}
		vals[k] = f
	}
	return vals, out
}
