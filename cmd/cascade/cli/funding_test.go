package cli

import (
	"path/filepath"
	"testing"
)

// TestReadmeFundingCompare: cascade compare apr2025 --off funding_feedback
// gives the rows the README quotes: the repo spread peaking at the
// facility's 20bp cap with the channel on and at its calm 10bp with it
// off, the dealers filling to the same peak, and the same S&P drawdown.
func TestReadmeFundingCompare(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	if _, stderr, code := cascade(t, "compare", "apr2025", "--off", "funding_feedback", "-o", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	compareHas(t, dir, map[string]string{
		"repo spread peak bp":       "20.00 10.00",
		"dealer utilization peak %": "53.77 53.77",
		"headline move %":           "12.41 12.41",
	})
	readmeSays(t, "the repo spread peaks at its calm 10bp instead of 20bp, the facility's cap, which holds it there for three hours", "the dealers fill to the same 53.8%",
		"(the S&P's drawdown is 12.41% on both sides)")
}
