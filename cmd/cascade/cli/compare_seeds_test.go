package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestCompareSeeds: compare --seeds N runs both sides at the seeds cascade
// score uses (the scenario's own, then core.RunSeed(own, k)); its first
// seed's values are the single-seed comparison's, bit for bit, and every
// row holds a value per seed with B − A taken seed by seed.
func TestCompareSeeds(t *testing.T) {
	dir := t.TempDir()
	read := func(name string) map[string]json.RawMessage {
		t.Helper()
		return compareDoc(t, filepath.Join(dir, name))
	}
	if _, stderr, code := cascade(t, "compare", "mini", "--off", "cross_margin", "--out", filepath.Join(dir, "one")); code != 0 {
		t.Fatalf("one seed: exit %d: %s", code, stderr)
	}
	stdout, stderr, code := cascade(t, "compare", "mini", "--off", "cross_margin", "--seeds", "3", "--out", filepath.Join(dir, "three"))
	if code != 0 {
		t.Fatalf("three seeds: exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "medians over 3 seeds, both sides on each;") || !strings.Contains(stdout, "B > A  B < A") {
		t.Errorf("table:\n%s", stdout)
	}
	for _, f := range []string{"compare_prices.png", "compare_prices.svg"} {
		if _, err := os.Stat(filepath.Join(dir, "three", f)); err != nil {
			t.Error(err)
		}
	}

	var one []struct {
		Name string   `json:"name"`
		A    *float64 `json:"a"`
		B    *float64 `json:"b"`
	}
	if err := json.Unmarshal(read("one")["rows"], &one); err != nil {
		t.Fatal(err)
	}
	doc := read("three")
	var seeds []string
	if err := json.Unmarshal(doc["seeds"], &seeds); err != nil {
		t.Fatal(err)
	}
	want := []string{"1", strconv.FormatUint(core.RunSeed(1, 1), 10), strconv.FormatUint(core.RunSeed(1, 2), 10)}
	if strings.Join(seeds, " ") != strings.Join(want, " ") {
		t.Errorf("seeds %v, want %v", seeds, want)
	}
	var three []struct {
		Name string     `json:"name"`
		A    []*float64 `json:"a"`
		B    []*float64 `json:"b"`
		Diff []*float64 `json:"diff"`
	}
	if err := json.Unmarshal(doc["rows"], &three); err != nil {
		t.Fatal(err)
	}
	byName := map[string]int{}
	for i, r := range three {
		byName[r.Name] = i
		if len(r.A) != 3 || len(r.B) != 3 || len(r.Diff) != 3 {
			t.Fatalf("%s: %d, %d and %d values, want 3 each", r.Name, len(r.A), len(r.B), len(r.Diff))
		}
	}
	same := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	varies := 0
	for _, r := range one {
		j, ok := byName[r.Name]
		if !ok {
			t.Errorf("row %q of the one-seed comparison is missing at three seeds", r.Name)
			continue
		}
		if !same(r.A, three[j].A[0]) || !same(r.B, three[j].B[0]) {
			t.Errorf("%s at seed 1: %v/%v, the one-seed comparison %v/%v", r.Name, three[j].A[0], three[j].B[0], r.A, r.B)
		}
		if a := three[j].A; a[0] != nil && a[1] != nil && *a[0] != *a[1] {
			varies++
		}
	}
	if varies < 5 {
		t.Errorf("only %d quantities differ between seeds 1 and 2", varies)
	}
	if _, stderr, code := cascade(t, "compare", "mini", "--off", "cross_margin", "--seeds", "0", "--out", filepath.Join(dir, "zero")); code != 2 || !strings.Contains(stderr, "--seeds 0: need at least 1") {
		t.Errorf("--seeds 0: exit %d, %s", code, stderr)
	}
}

// compareDoc reads the compare.json a comparison wrote in dir, by key.
func compareDoc(t *testing.T, dir string) map[string]json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// compareRow is a row of compare.json: a null side reads as nil.
type compareRow struct {
	Name string   `json:"name"`
	A    *float64 `json:"a"`
	B    *float64 `json:"b"`
}

// compareRows reads the rows of the compare.json a comparison wrote in dir.
func compareRows(t *testing.T, dir string) []compareRow {
	t.Helper()
	var rows []compareRow
	if err := json.Unmarshal(compareDoc(t, dir)["rows"], &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

// compareHas checks the rows of the comparison in dir: each named row's
// two sides, written "%.2f %.2f", as want gives them.
func compareHas(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, r := range compareRows(t, dir) {
		if r.A != nil && r.B != nil {
			got[r.Name] = fmt.Sprintf("%.2f %.2f", *r.A, *r.B)
		}
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if got[name] != want[name] {
			t.Errorf("%s: %q, want %q", name, got[name], want[name])
		}
	}
}

// readmeSays checks that the README says each of wants, its runs of
// spaces and line breaks read as one space.
func readmeSays(t *testing.T, wants ...string) {
	t.Helper()
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(readme)), " ")
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("the README does not say %q", want)
		}
	}
}
