package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scoredRow is a row of cascade score --json.
type scoredRow struct {
	Name, Quantity, Asset string
	Simulated             *float64
}

// scoreEntries writes to dir a scenario that extends base with the
// observed entries (each a YAML flow mapping) and scores it with cascade
// score --json: the file, and its rows, one per entry in order.
func scoreEntries(t *testing.T, dir, base string, entries []string) (string, []scoredRow) {
	t.Helper()
	file := filepath.Join(dir, base+"-observed.yaml")
	text := "extends: " + base + "\nobserved:\n  - " + strings.Join(entries, "\n  - ") + "\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, errOut, code := cascade(t, "score", file, "--json")
	if code != 0 {
		t.Fatalf("cascade score: exit %d: %s", code, errOut)
	}
	var score struct{ Rows []scoredRow }
	if err := json.Unmarshal([]byte(stdout), &score); err != nil {
		t.Fatal(err)
	}
	if len(score.Rows) != len(entries) {
		t.Fatalf("%d rows, want %d", len(score.Rows), len(entries))
	}
	return file, score.Rows
}
