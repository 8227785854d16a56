package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeEventOff: cascade compare aug2024 with the BOJ's hike switched
// off by its label gives the rows the README quotes.
func TestReadmeEventOff(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	if _, stderr, code := cascade(t, "compare", "aug2024", "--set-b", "events[BOJ hike to 0.25%].off=true", "-o", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := map[string]string{}
	for _, r := range compareRows(t, dir) {
		if r.A != nil && r.B != nil {
			got[r.Name] = fmt.Sprintf("%.2f %.2f", *r.A, *r.B)
		}
	}
	for name, want := range map[string]string{
		"defaults":               "27.00 21.00",
		"for carry_exit USD bn":  "168.65 142.56",
		"NKY max drawdown %":     "18.17 18.33",
		"JGB10Y yield change bp": "3.91 3.91",
	} {
		if got[name] != want {
			t.Errorf("%s: %q, want %q", name, got[name], want)
		}
	}
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(readme)), " ")
	for _, want := range []string{"carry exits sell $142.6bn instead of $168.7bn, and there are 21 defaults instead of 27"} {
		if !strings.Contains(text, want) {
			t.Errorf("the README does not say %q", want)
		}
	}
}
