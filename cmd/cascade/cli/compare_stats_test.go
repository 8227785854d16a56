package cli

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/sim"
)

// TestDiffStats: the statistics of a paired difference against hand
// computations. [1, 2, −1, 3, 0]: mean 1, sample variance 10/4, s.e.
// √(2.5/5) = 0.707107, 95% CI 1 ± 2.776445·s.e. (t at 4 degrees of
// freedom); sign test with the tie dropped: 3 above, 1 below of 4,
// p = 2·(1+4)/16 = 0.625 (0.375 were the tie counted as a fifth pair).
func TestDiffStats(t *testing.T) {
	nan := math.NaN()
	const t4 = 2.7764451052
	for _, c := range []struct {
		name             string
		d                []float64
		n                int
		mean, se, lo, hi float64
		p                float64
		noEffect, zeroIn bool
		verdict          string
	}{
		{"hand case", []float64{1, 2, -1, 3, 0}, 5, 1, math.Sqrt(0.5), 1 - t4*math.Sqrt(0.5), 1 + t4*math.Sqrt(0.5), 0.625, false, true,
			"not distinguishable from 0 at 5 seeds"},
		{"a seed not measured", []float64{1, 2, -1, nan, 3, 0}, 5, 1, math.Sqrt(0.5), 1 - t4*math.Sqrt(0.5), 1 + t4*math.Sqrt(0.5), 0.625, false, true,
			"not distinguishable from 0 at 5 seeds"},
		// Six seeds all 1 above: p = 2/64, and an interval of a point.
		{"always above", []float64{1, 1, 1, 1, 1, 1}, 6, 1, 0, 1, 1, 2.0 / 64, false, false, ""},
		// Nine seeds a little above and one far below: the signs tell
		// (p = 2·11/1024) but the mean's interval holds 0.
		{"one far below", []float64{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, -10}, 10, -0.91, 1.01, -0.91 - 2.2621571628*1.01, -0.91 + 2.2621571628*1.01,
			22.0 / 1024, false, true, "not distinguishable from 0 by the 95% CI"},
		// Four above and a tie, tightly: the interval excludes 0 (s.e.
		// √(0.82/4/5)), the sign test of 4 cannot reach 0.05 (p = 2/16).
		{"tight, few", []float64{1, 1.1, 0.9, 1, 0}, 5, 0.8, math.Sqrt(0.041), 0.8 - t4*math.Sqrt(0.041), 0.8 + t4*math.Sqrt(0.041), 0.125, false, false,
			"not distinguishable from 0 by the sign test"},
		{"no effect", []float64{0, 0, 0}, 3, 0, 0, 0, 0, nan, true, true, noEffect},
		{"not measured", []float64{nan, nan}, 0, nan, nan, nan, nan, nan, false, false, ""},
	} {
		d := make([]sim.Num, len(c.d))
		for k, x := range c.d {
			d[k] = sim.Num(x)
		}
		s := diffStatsOf(d)
		near := func(got sim.Num, want float64) bool {
			g := float64(got)
			return math.IsNaN(g) && math.IsNaN(want) || math.Abs(g-want) <= 1e-9
		}
		if s.N != c.n || !near(s.Mean, c.mean) || !near(s.SE, c.se) || !near(s.CI95Low, c.lo) || !near(s.CI95High, c.hi) || !near(s.SignP, c.p) {
			t.Errorf("%s: n %d, mean %v, s.e. %v, CI %v – %v, sign p %v; want %d, %v, %v, %v – %v, %v",
				c.name, s.N, s.Mean, s.SE, s.CI95Low, s.CI95High, s.SignP, c.n, c.mean, c.se, c.lo, c.hi, c.p)
		}
		if s.NoEffect != c.noEffect || s.ZeroInCI != c.zeroIn {
			t.Errorf("%s: no effect %v, zero in CI %v; want %v, %v", c.name, s.NoEffect, s.ZeroInCI, c.noEffect, c.zeroIn)
		}
		if v := diffVerdict(s); v != c.verdict {
			t.Errorf("%s: verdict %q, want %q", c.name, v, c.verdict)
		}
	}
}

// TestCompareSeedsStats: compare --seeds writes each row's mean B − A,
// s.e., 95% CI and sign-test p into compare.json, computed here again
// from the row's own per-seed differences, and prints them in a block
// with a verdict; a replay's scored quantities get the same.
func TestCompareSeedsStats(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, code := cascade(t, "compare", "aug2024", "--off", "valuation_links", "--seeds", "4", "-j", "2", "--out", filepath.Join(dir, "c"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"the table's rows: is B - A more than seed noise? Its mean over the 4 seeds",
		"the scored quantities: is B - A more than seed noise?",
		"t Student's 97.5% quantile at 3 degrees of freedom (3.182)",
		"At 4 seeds the sign test cannot reach 0.05: B above A on every seed gives p = 0.125.",
		"not distinguishable from 0 at 4 seeds",
		noEffect,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the output does not say %q:\n%s", want, stdout)
		}
	}
	type row struct {
		Name     string     `json:"name"`
		Diff     []*float64 `json:"diff"`
		A        []*float64 `json:"a"`
		B        []*float64 `json:"b"`
		Above    int        `json:"b_above"`
		Below    int        `json:"b_below"`
		N        int        `json:"n_used"`
		Mean     *float64   `json:"mean_diff"`
		SE       *float64   `json:"se_diff"`
		Lo       *float64   `json:"ci95_low_diff"`
		Hi       *float64   `json:"ci95_high_diff"`
		SignP    *float64   `json:"sign_p"`
		NoEffect bool       `json:"no_effect"`
	}
	doc := compareDoc(t, filepath.Join(dir, "c"))
	// Exact two-sided sign-test p-values at up to 4 differing seeds, by
	// the binomial's counts: min(2·Σ_{i≤k} C(n, i)/2ⁿ, 1).
	signP := map[[2]int]float64{{1, 0}: 1, {2, 0}: 0.5, {1, 1}: 1, {3, 0}: 0.25, {2, 1}: 1, {4, 0}: 0.125, {3, 1}: 0.625, {2, 2}: 1}
	const t3 = 3.1824463053
	check := func(what string, rows []row, diffs func(r row) []float64) (checked, idle int) {
		for _, r := range rows {
			var xs []float64
			for _, x := range diffs(r) {
				if !math.IsNaN(x) {
					xs = append(xs, x)
				}
			}
			if r.N != len(xs) {
				t.Errorf("%s %s: n_used %d, want %d", what, r.Name, r.N, len(xs))
				continue
			}
			if len(xs) < 4 || r.Mean == nil || r.SE == nil || r.Lo == nil || r.Hi == nil {
				continue
			}
			mean, ss := 0.0, 0.0
			for _, x := range xs {
				mean += x / 4
			}
			above, below := 0, 0
			for _, x := range xs {
				ss += (x - mean) * (x - mean)
				if x > 0 {
					above++
				} else if x < 0 {
					below++
				}
			}
			se := math.Sqrt(ss / 3 / 4)
			tol := 1e-9 * (1 + math.Abs(mean))
			if math.Abs(*r.Mean-mean) > tol || math.Abs(*r.SE-se) > tol || math.Abs(*r.Lo-(mean-t3*se)) > tol || math.Abs(*r.Hi-(mean+t3*se)) > tol {
				t.Errorf("%s %s: mean %v, s.e. %v, CI %v – %v; want %v, %v, %v – %v", what, r.Name, *r.Mean, *r.SE, *r.Lo, *r.Hi, mean, se, mean-t3*se, mean+t3*se)
			}
			if r.Above != above || r.Below != below {
				t.Errorf("%s %s: B above on %d, below on %d; want %d, %d", what, r.Name, r.Above, r.Below, above, below)
			}
			k := [2]int{max(above, below), min(above, below)}
			switch p, ok := signP[k]; {
			case above+below == 0:
				if r.SignP != nil || !r.NoEffect {
					t.Errorf("%s %s: B - A 0 on every seed: sign p %v, no_effect %v; want null, true", what, r.Name, r.SignP, r.NoEffect)
				}
				idle++
			case !ok || r.SignP == nil || math.Abs(*r.SignP-p) > 1e-12:
				t.Errorf("%s %s: %d above, %d below: sign p %v, want %v", what, r.Name, above, below, r.SignP, p)
			}
			checked++
		}
		return checked, idle
	}
	num := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	var rows, score []row
	if err := json.Unmarshal(doc["rows"], &rows); err != nil {
		t.Fatal(err)
	}
	if n, idle := check("row", rows, func(r row) []float64 {
		d := make([]float64, len(r.Diff))
		for k, x := range r.Diff {
			d[k] = num(x)
		}
		return d
	}); n < 40 || idle == 0 {
		t.Errorf("%d rows checked, %d of them without effect", n, idle)
	}
	if err := json.Unmarshal(doc["score"], &score); err != nil {
		t.Fatal(err)
	}
	if n, _ := check("scored", score, func(r row) []float64 {
		d := make([]float64, len(r.A))
		for k := range d {
			d[k] = num(r.B[k]) - num(r.A[k])
		}
		return d
	}); n < 5 {
		t.Errorf("%d scored quantities checked", n)
	}
}

// TestCompareStatsReadme: the README's numbers for compare aug2024 --off
// valuation_links --seeds 10 are what the block prints.
func TestCompareStatsReadme(t *testing.T) {
	stdout, stderr, code := cascade(t, "compare", "aug2024", "--off", "valuation_links", "--seeds", "10", "-j", "2", "--out", filepath.Join(t.TempDir(), "c"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	text := strings.Join(strings.Fields(stdout), " ")
	for _, want := range []string{
		"NKY max drawdown % -9.23 0.395 -10.12 – -8.34 0.002 ",
		"UST10Y yield change bp -0.156 0.11 -0.404 – 0.0924 0.34 not distinguishable from 0 at 10 seeds",
		"NKY max drawdown % 14.95 5.11 -9.05 -11.54 – -7.28 0 10",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the output does not say %q:\n%s", want, stdout)
		}
	}
	readmeSays(t, "drawdown (mean; s.e. 0.395, 95% interval 8.34 to 10.12, lower without them on all ten seeds, p 0.002)",
		"by -0.156bp (interval -0.404 to 0.092, p 0.34): not distinguishable from 0 at 10 seeds",
		"B above A on all five gives p 0.0625")
}
