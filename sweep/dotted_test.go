package sweep

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/cascade-sim/cascade/internal/csvtest"
)

// TestDottedIDs: a sweep addresses an asset whose id holds a dot (BRK.B)
// in its parameters' paths, list entries and mapping keys alike, and in
// its metrics, as --set does. Every dot used to split the path: the
// parameter was refused with `no element with id "BRK"` and the metric
// with `no "BRK" in assets`.
func TestDottedIDs(t *testing.T) {
	mini, err := os.ReadFile(filepath.Join("..", "scenarios", "builtin", "mini.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text := regexp.MustCompile(`\bNKY\b`).ReplaceAllLiteralString(string(mini), `"BRK.B"`)
	if err := os.WriteFile(filepath.Join(dir, "brk.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `base: brk.yaml
runs: 4
seed: 1
parameters:
  - {path: assets.BRK.B.vol, name: vol, dist: {kind: list, values: [0.1, 0.3]}}
  - {path: "trends[BRK.B]", name: trend, dist: {kind: list, values: [0.5, 2]}}
metrics:
  - assets.BRK.B.max_drawdown_pct
  - attribution.BRK.B.by_kind.hedge_fund
`
	f := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	sw, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if _, err := Run(context.Background(), sw, Options{Dir: out, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	rows := csvtest.Read(t, filepath.Join(out, "runs.csv"))
	col := map[string]int{}
	for k, h := range rows[0] {
		col[h] = k
	}
	for _, h := range []string{"vol", "trend", "assets.BRK.B.max_drawdown_pct", "attribution.BRK.B.by_kind.hedge_fund"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("runs.csv has no column %s: %q", h, rows[0])
		}
	}
	for _, row := range rows[1:] {
		if x, err := strconv.ParseFloat(row[col["assets.BRK.B.max_drawdown_pct"]], 64); err != nil || !(x > 0) {
			t.Errorf("run %v: drawdown %q", row, row[col["assets.BRK.B.max_drawdown_pct"]])
		}
	}
	// Each path names BRK.B's own field, and a value set there lands on it.
	cfg := sw.Base.File.Config
	for _, c := range []struct {
		path, want string
		read       func() float64
	}{
		{"assets.BRK.B.vol", "assets.4.vol", func() float64 { return cfg.Assets[4].Vol }},
		{"assets[BRK.B].vol", "assets.4.vol", func() float64 { return cfg.Assets[4].Vol }},
		{"trends.BRK.B", "trends.BRK.B", func() float64 { return cfg.Trends["BRK.B"] }},
	} {
		ts, err := resolve(&cfg, nil, c.path)
		if err != nil || len(ts) != 1 || ts[0].String() != c.want {
			t.Fatalf("resolve(%s) = %v, %v; want %s", c.path, ts, err, c.want)
		}
		if err := ts[0].apply(&cfg, 0.77, nil); err != nil {
			t.Fatal(err)
		}
		if got := c.read(); got != 0.77 {
			t.Errorf("%s: set 0.77, read %v", c.path, got)
		}
	}
	if _, bogus := cfg.Trends["BRK"]; bogus || cfg.Assets[4].ID != "BRK.B" {
		t.Errorf("assets[4] is %s; trends %v", cfg.Assets[4].ID, cfg.Trends)
	}
}
