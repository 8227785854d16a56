package sweep

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDefaultsFitTheWorld: a sweep that names no metrics or series gets
// the defaults less what its world cannot have: no VIX proxy without an
// equity, no margin calls without prime brokers, no compression index
// without the levered sector.
func TestDefaultsFitTheWorld(t *testing.T) {
	for _, c := range []struct {
		base, metrics, series string
	}{
		{"eba2018", "headline_move_pct, correlation.peak_mean, forced_sales_usd.total, defaults", "GOVB, mean_corr"},
		{"mini", "headline_move_pct, vix.peak, correlation.peak_mean, compression_index, forced_sales_usd.total, margin_calls.count, defaults", "NKY, vix, mean_corr"},
	} {
		file := filepath.Join(t.TempDir(), "s.yaml")
		if err := os.WriteFile(file, []byte("base: "+c.base+"\nseed: 1\nruns: 2\nparameters:\n  - {path: depth_scale, dist: {kind: uniform, min: 1, max: 2}}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		sw, err := Load(file)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range sw.Metrics {
			names = append(names, m.Name)
		}
		if got := strings.Join(names, ", "); got != c.metrics {
			t.Errorf("%s: metrics %s, want %s", c.base, got, c.metrics)
		}
		if got := strings.Join(sw.Series, ", "); got != c.series {
			t.Errorf("%s: series %s, want %s", c.base, got, c.series)
		}
	}
}
