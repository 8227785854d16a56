package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
)

// TestElement: a path segment in a list is an index or an element's id;
// a number that is one element's index and another's id is refused rather
// than taken as the index (an agent with id "0" that is not first could
// not be addressed by its id: --set agents.0.x silently set the first
// entry).
func TestElement(t *testing.T) {
	ids := []string{"GS", "", "0", "7203"}
	for _, c := range []struct {
		seg  string
		want int
		err  string
	}{
		{"GS", 0, ""},
		{"1", 1, ""},
		{"2", 2, ""}, // its index and its id are the same element
		{"7203", 3, ""},
		{"3", 3, ""},
		{"0", 0, `"0" is both element 0's index and element 2's id: write the index of the one you mean (0 or 2)`},
		{"4", 0, "index 4 out of range (the list has 4 elements)"},
		{"MS", 0, `no element with id "MS" (have GS, 0, 7203)`},
	} {
		got, err := scenarios.Element(c.seg, ids)
		switch {
		case c.err != "" && (err == nil || !strings.HasPrefix(err.Error(), c.err)):
			t.Errorf("%s: %d, %v; want error %q", c.seg, got, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%s: %d, %v; want %d", c.seg, got, err, c.want)
		}
	}

	// The same through --set: mini with a second broker whose id is "0".
	f := filepath.Join(t.TempDir(), "two.yaml")
	src := "extends: mini\nbrokers:\n  - id: GS\n    capital: 1.0e+11\n  - id: \"0\"\n    capital: 5.0e+10\n"
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := scenarios.Load(f, []string{"brokers.0.capital=2e11"})
	if want := "--set #1:1:9: brokers.0.capital: \"0\" is both element 0's index and element 1's id"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("--set brokers.0.capital: %v; want %q", err, want)
	}
}
