package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeDealerCapacity: the README's dealer_capacity example (apr2025
// with a quarter more dealer capacity from 9:00 New York on 7 April),
// compared with the replay, gives the rows the README quotes: the repo
// spread kept at its calm 10bp instead of the facility's 20bp cap, the
// dealers' peak 45.0% (before the event) against 53.8%, a 10y yield that
// rises 0.56bp less, and the same S&P fall.
func TestReadmeDealerCapacity(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var block string
	for _, part := range strings.Split(string(readme), "```yaml\n")[1:] {
		if b, _, _ := strings.Cut(part, "```"); strings.Contains(b, "kind: dealer_capacity") {
			block = b
		}
	}
	if block == "" {
		t.Fatal("the README shows no scenario with a dealer_capacity event")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "relief.yaml")
	if err := os.WriteFile(file, []byte(block), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "cmp")
	if _, stderr, code := cascade(t, "compare", "apr2025", file, "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	compareHas(t, out, map[string]string{
		"repo spread peak bp":       "20.00 10.00",
		"dealer utilization peak %": "53.77 45.04",
		"UST10Y yield change bp":    "47.38 46.82",
		"SPX max drawdown %":        "12.41 12.39",
	})
	readmeSays(t, "the repo spread stays at its calm 10bp where it rose to the facility's 20bp cap at 14:00",
		"the dealers' peak is the 45.0% they reached at 12:00, before the event, against 53.8%",
		"The 10y yield rises 0.56bp less to the end of the run (46.82bp against 47.38bp)",
		"the S&P's fall is the same (12.39% against 12.41%)")
}
