package cli

import (
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCompareScored: a comparison of a replay with itself (--off) scores
// both sides against its observed: list, and each side's values are what
// cascade score gives for that side's run (A the replay, B with
// --set channels.off=[valuation_links]): at one seed the value and whether
// it is within tolerance, at several each seed's value, the median and the
// seeds within. Two scenarios with different lists are not scored, and a
// note says why.
func TestCompareScored(t *testing.T) {
	dir := t.TempDir()
	read := func(name string, v any) {
		t.Helper()
		doc := compareDoc(t, filepath.Join(dir, name))
		if v == nil {
			if _, ok := doc["score"]; ok {
				t.Errorf("%s: compare.json has scored quantities: %s", name, doc["score"])
			}
			return
		}
		if err := json.Unmarshal(doc["score"], v); err != nil {
			t.Fatalf("%s: %v in %s", name, err, doc["score"])
		}
	}
	score := func(v any, args ...string) {
		t.Helper()
		out, stderr, code := cascade(t, append([]string{"score", "aug2024", "--json"}, args...)...)
		if code > 1 {
			t.Fatalf("score %v: exit %d: %s", args, code, stderr)
		}
		if err := json.Unmarshal([]byte(out), v); err != nil {
			t.Fatalf("score %v: %v", args, err)
		}
	}
	off := []string{"--set", "channels.off=[valuation_links]"}

	stdout, stderr, code := cascade(t, "compare", "aug2024", "--off", "valuation_links", "--out", filepath.Join(dir, "one"))
	if code != 0 {
		t.Fatalf("one seed: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"\nscored against aug2024's observed: list, as cascade score scores it\n",
		"observed  tolerance  baseline  off: valuation_links   B - A  A within  B within",
		"within tolerance: baseline 10 of 10, off: valuation_links 6 of 10\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %q in:\n%s", want, stdout)
		}
	}
	var one []struct {
		Name      string   `json:"name"`
		Observed  float64  `json:"observed"`
		Tolerance string   `json:"tolerance"`
		A         *float64 `json:"a"`
		B         *float64 `json:"b"`
		AWithin   bool     `json:"a_within"`
		BWithin   bool     `json:"b_within"`
	}
	read("one", &one)
	type row struct {
		Name      string   `json:"name"`
		Observed  float64  `json:"observed"`
		Tolerance string   `json:"tolerance"`
		Simulated *float64 `json:"simulated"`
		Pass      bool     `json:"pass"`
	}
	var sa, sb struct{ Rows []row }
	score(&sa)
	score(&sb, off...)
	if len(one) != 10 || len(sa.Rows) != 10 || len(sb.Rows) != 10 {
		t.Fatalf("%d scored rows, cascade score %d and %d: want 10", len(one), len(sa.Rows), len(sb.Rows))
	}
	for i, r := range one {
		a, b := sa.Rows[i], sb.Rows[i]
		if r.Name != a.Name || r.Observed != a.Observed || r.Tolerance != a.Tolerance || *r.A != *a.Simulated || *r.B != *b.Simulated ||
			r.AWithin != a.Pass || r.BWithin != b.Pass {
			t.Errorf("row %d: %s observed %v %s: A %v (within %v), B %v (%v); cascade score: %v (%v), %v (%v)", i, r.Name, r.Observed, r.Tolerance,
				*r.A, r.AWithin, *r.B, r.BWithin, *a.Simulated, a.Pass, *b.Simulated, b.Pass)
		}
	}
	if r := one[1]; r.Name != "S&P 500 5 Aug" || math.Abs(*r.A+4.36) > 0.005 || r.BWithin != true || math.Abs(*r.B+1.68) > 0.005 {
		t.Errorf("S&P 500 5 Aug: %+v, want -4.36 against -1.68, both within <= -1.5", r)
	}

	if _, stderr, code := cascade(t, "compare", "aug2024", "--off", "valuation_links", "--seeds", "3", "--out", filepath.Join(dir, "three")); code != 0 {
		t.Fatalf("three seeds: exit %d: %s", code, stderr)
	}
	var three []struct {
		Name    string    `json:"name"`
		A       []float64 `json:"a"`
		B       []float64 `json:"b"`
		MedianA float64   `json:"median_a"`
		MedianB float64   `json:"median_b"`
		AWithin int       `json:"a_within"`
		BWithin int       `json:"b_within"`
	}
	read("three", &three)
	type quantity struct {
		Name   string    `json:"name"`
		Median float64   `json:"median"`
		Within int       `json:"within"`
		Values []float64 `json:"values"`
	}
	var qa, qb struct{ Quantities []quantity }
	score(&qa, "--seeds", "3")
	score(&qb, append(off, "--seeds", "3")...)
	if len(three) != 10 || len(qa.Quantities) != 10 || len(qb.Quantities) != 10 {
		t.Fatalf("%d scored rows, cascade score --seeds %d and %d: want 10", len(three), len(qa.Quantities), len(qb.Quantities))
	}
	for i, r := range three {
		a, b := qa.Quantities[i], qb.Quantities[i]
		if r.Name != a.Name || !slices.Equal(r.A, a.Values) || !slices.Equal(r.B, b.Values) || r.MedianA != a.Median || r.MedianB != b.Median ||
			r.AWithin != a.Within || r.BWithin != b.Within {
			t.Errorf("row %d: %+v; cascade score --seeds 3: %+v and %+v", i, r, a, b)
		}
	}

	_, stderr, code = cascade(t, "compare", "aug2024", "mini", "--out", filepath.Join(dir, "two"))
	if code != 0 || !strings.Contains(stderr, "note: only aug2024 has an observed: list: no scored quantities") {
		t.Errorf("aug2024 against mini: exit %d, stderr:\n%s", code, stderr)
	}
	read("two", nil)
}
