package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunDefaultsNamed: eba2018 in markets as deep as the banks' holdings
// (depth_scale 1, the INET convention) has most of its 48 banks fail.
// cascade run prints the count with the first ten in the order they
// failed and how many more, where before it printed the count alone past
// six; summary.json lists each, and report.md names each: the first 20 in
// its table, the others under it.
func TestRunDefaultsNamed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "eba")
	stdout, stderr, code := cascade(t, "run", "eba2018", "--set", "depth_scale=1", "--out", dir, "--no-plots")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Defaults []struct {
			Agent string `json:"agent"`
		} `json:"defaults"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range sum.Defaults {
		ids = append(ids, d.Agent)
	}
	if len(ids) != 38 || ids[0] != "DE21" || ids[1] != "NL33" || ids[37] != "UK48" {
		t.Fatalf("summary.json: %d defaults %q, want 38: DE21, NL33, ..., UK48", len(ids), ids)
	}
	if want := "\ndefaults 38 (DE21, NL33, BE04, DK05, FR09, FR13, DE20, IT26, IT28, NL32 and 28 more, all in report.md and summary.json's defaults)\n"; !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	if want := strings.Join(ids[:10], ", ") + " and 28 more"; !strings.Contains(stdout, want) {
		t.Errorf("stdout does not name the first ten of summary.json, %q:\n%s", want, stdout)
	}
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for k, id := range ids {
		in := "| " + id + " | bank |"
		if k >= 20 {
			in = "And 18 more"
		}
		_, after, ok := strings.Cut(string(report), in)
		if !ok || (k >= 20 && !strings.Contains(strings.SplitN(after, "\n", 2)[0], " "+id)) {
			t.Errorf("report.md does not name %s (default %d of 38)", id, k+1)
		}
	}
}
