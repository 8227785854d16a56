package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestSweepSobol: a sobol design writes sobol.csv (a row per metric and
// factor, the seed a factor), its two heat maps and report.md, prints the
// indices,
// ties each block's runs to the seeds of its A and B runs, and gives the
// same indices with 1 worker as with 2, and from three shards merged.
func TestSweepSobol(t *testing.T) {
	const file = "testdata/sweep/sobol.yaml"
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole")
	stdout, _ := runSweepCmd(t, file, "--out", whole, "--workers", "2")
	if !strings.Contains(stdout, "Sobol indices, total order (first order), over 20 base samples") {
		t.Errorf("no Sobol table in the summary:\n%s", stdout)
	}
	man := readManifest(t, whole)
	for _, f := range []string{"sobol.csv", "plots/sobol_total.png", "plots/sobol_first.svg"} {
		if !contains(man.Files, f) {
			t.Errorf("%s not written", f)
		}
	}
	src, err := os.ReadFile(filepath.Join(whole, "sobol.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(src)), "\n")
	if lines[0] != "metric,factor,first_order,first_lo,first_hi,total_order,total_lo,total_hi,n" {
		t.Errorf("header %q", lines[0])
	}
	// Metrics: the file's 3, then compression_index and headline_move_pct, added for every sweep.
	var keys []string
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		keys = append(keys, f[0]+"/"+f[1])
		if f[0] == "forced_sales_usd.total" {
			st, _ := strconv.ParseFloat(f[5], 64)
			lo, _ := strconv.ParseFloat(f[6], 64)
			hi, _ := strconv.ParseFloat(f[7], 64)
			if f[8] != "20" || !(lo <= st && st <= hi) {
				t.Errorf("%s: n %s, total %v not in [%v, %v]", l, f[8], st, lo, hi)
			}
			// Forced sales grow with leverage: it takes part in most of their variance.
			if f[1] == "leverage_scale" && st < 0.5 {
				t.Errorf("leverage_scale: total-order index of forced sales %v, want above 0.5", st)
			}
		}
		if f[0] == "defaults" && f[2] != "" { // no defaults in mini: no variance
			t.Errorf("defaults have no variance, yet %s", l)
		}
	}
	want := []string{}
	for _, m := range []string{"assets.NKY.max_drawdown_pct", "forced_sales_usd.total", "defaults", "compression_index", "headline_move_pct"} {
		for _, f := range []string{"leverage_scale", "cta_vol", "seed"} {
			want = append(want, m+"/"+f)
		}
	}
	if strings.Join(keys, " ") != strings.Join(want, " ") {
		t.Errorf("rows %v, want %v", keys, want)
	}

	// report.md: the sweep on one page, with the Sobol table as printed.
	rep, err := os.ReadFile(filepath.Join(whole, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"A sweep of `mini`: 100 runs (sobol design), master seed 17",
		"| metric | leverage_scale | cta_vol | seed |", "| defaults | - (-) | - (-) | - (-) |",
		"![sobol_total](plots/sobol_total.png)", "| cta_vol | agents.2.target_vol | uniform [0.06, 0.15] |"} {
		if !strings.Contains(string(rep), want) {
			t.Errorf("report.md lacks %q:\n%s", want, rep)
		}
	}
	printed := false
	for _, line := range strings.Split(stdout, "\n") {
		if f := strings.Fields(line); len(f) == 7 && f[0] == "forced_sales_usd.total" {
			printed = true
			row := "| forced_sales_usd.total | " + f[1] + " " + f[2] + " | " + f[3] + " " + f[4] + " | " + f[5] + " " + f[6] + " |"
			if !strings.Contains(string(rep), row) {
				t.Errorf("report.md lacks the printed row %q", row)
			}
		}
	}
	if !printed {
		t.Errorf("no Sobol row for forced_sales_usd.total in the printed summary:\n%s", stdout)
	}

	// Seeds: runs 0, 2, 3 of a block share A's seed; runs 1 and 4 B's.
	runs := readParquet(t, filepath.Join(whole, "runs.parquet"))
	seed, _ := runs.Column("seed")
	for j := 0; j < 20; j++ {
		s := seed.S[5*j : 5*j+5]
		if s[0] == s[1] || s[2] != s[0] || s[3] != s[0] || s[4] != s[1] {
			t.Fatalf("block %d seeds %v", j, s)
		}
	}

	one := filepath.Join(dir, "one")
	runSweepCmd(t, file, "--out", one, "--workers", "1", "--no-plots", "--quiet")
	sharded := filepath.Join(dir, "sharded")
	for i := range 3 {
		runSweepCmd(t, file, "--out", sharded, "--shard", fmt.Sprintf("%d/3", i), "--quiet")
	}
	if _, stderr, code := cascade(t, "merge", sharded, "--no-plots"); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	for _, d := range []string{one, filepath.Join(sharded, "merged")} {
		checkSameSweep(t, whole, d)
		got, err := os.ReadFile(filepath.Join(d, "sobol.csv"))
		if err != nil || string(got) != string(src) {
			t.Errorf("%s/sobol.csv differs from the whole sweep's (%v)", d, err)
		}
	}
	if _, err := os.Stat(filepath.Join(sharded, "shard-1-of-3", "sobol.csv")); err == nil {
		t.Error("a shard wrote sobol.csv: its runs are not whole blocks")
	}
}
