package cli

import (
	"path/filepath"
	"testing"
)

// TestReadmeEventOff: cascade compare aug2024 with the BOJ's hike switched
// off by its label gives the rows the README quotes.
func TestReadmeEventOff(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	if _, stderr, code := cascade(t, "compare", "aug2024", "--set-b", "events[BOJ hike to 0.25%].off=true", "-o", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	compareHas(t, dir, map[string]string{
		"defaults":               "27.00 21.00",
		"for carry_exit USD bn":  "168.65 142.56",
		"NKY max drawdown %":     "18.17 18.33",
		"JGB10Y yield change bp": "3.91 3.91",
	})
	readmeSays(t, "carry exits sell $142.6bn instead of $168.7bn, and there are 21 defaults instead of 27")
}
