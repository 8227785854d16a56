package cli

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/sim"
	"github.com/cascade-sim/cascade/sweep"
)

// diffStats says whether a row's paired difference B − A, taken seed by
// seed, is more than seed noise: over the N seeds with a value (NaN
// left out), its mean, the standard error of the mean and the Student-t
// 95% interval (sweep.SpreadOf, as cascade channels), and the two-sided
// exact sign test of the seeds on which B is above and below A, seeds
// with B = A set aside (sweep.SignP, as a sweep's paired.csv). Null in
// JSON where undefined: no mean without a value, no s.e. or interval
// below two, no sign test when no seed differs.
type diffStats struct {
	N        int     `json:"n_used"`
	Mean     sim.Num `json:"mean_diff"`
	SE       sim.Num `json:"se_diff"`
	CI95Low  sim.Num `json:"ci95_low_diff"`
	CI95High sim.Num `json:"ci95_high_diff"`
	SignP    sim.Num `json:"sign_p"`
	// NoEffect: B − A is exactly 0 on every seed with a value.
	NoEffect bool `json:"no_effect"`
	// ZeroInCI: the 95% interval holds 0 (false without one).
	ZeroInCI bool `json:"zero_in_ci95"`
}

// diffStatsOf returns the statistics of the differences d, one a seed.
func diffStatsOf(d []sim.Num) diffStats {
	xs := make([]float64, len(d))
	for k, x := range d {
		xs[k] = float64(x)
	}
	above, below, zero := signSplit(d)
	sp := sweep.SpreadOf(xs)
	return diffStats{N: sp.N, Mean: sp.Mean, SE: sp.SE, CI95Low: sp.CI95Low, CI95High: sp.CI95High,
		SignP: sim.Num(sweep.SignP(above, below)), NoEffect: sp.N > 0 && zero == sp.N, ZeroInCI: sp.N > 1 && sp.ZeroInCI()}
}

// signSplit counts the seeds on which the difference d is above 0, below
// 0 and 0 (NaN, not measured, in none).
func signSplit(d []sim.Num) (above, below, zero int) {
	for _, x := range d {
		switch {
		case x > 0:
			above++
		case x < 0:
			below++
		case x == 0:
			zero++
		}
	}
	return above, below, zero
}

// compareSeedsRow is a row of compare.json at several seeds: the table's
// row with the statistics of its difference.
type compareSeedsRow struct {
	output.CompareSeedsRow
	diffStats
}

// withDiffStats adds to each row the statistics of its difference.
func withDiffStats(rows []output.CompareSeedsRow) []compareSeedsRow {
	out := make([]compareSeedsRow, len(rows))
	for i, r := range rows {
		out[i] = compareSeedsRow{r, diffStatsOf(r.Diff)}
	}
	return out
}

// compareScoreSeedsRow is a scored quantity of compare.json at several
// seeds, with the seeds on which B is above and below A and the
// statistics of B − A.
type compareScoreSeedsRow struct {
	output.CompareScoreSeedsRow
	Above int `json:"b_above"`
	Below int `json:"b_below"`
	diffStats
}

// withScoreDiffStats adds to each scored quantity the statistics of B − A,
// taken seed by seed.
func withScoreDiffStats(rows []output.CompareScoreSeedsRow) []compareScoreSeedsRow {
	out := make([]compareScoreSeedsRow, len(rows))
	for i, r := range rows {
		d := make([]sim.Num, len(r.A))
		for k := range d {
			d[k] = r.B[k] - r.A[k]
		}
		o := compareScoreSeedsRow{CompareScoreSeedsRow: r, diffStats: diffStatsOf(d)}
		o.Above, o.Below, _ = signSplit(d)
		out[i] = o
	}
	return out
}

// diffVerdict says in words what a row's statistics make of B − A: "no
// effect on any seed" when it is 0 on every one; "not distinguishable
// from 0 at N seeds" when its 95% interval holds 0 and the sign test's p
// is 0.05 or more; which of the two does not tell it from 0 when only
// one does not; "" when both do (or nothing is measured). An interval
// that is not finite (an infinite difference on a seed) leaves the sign
// test alone to judge.
func diffVerdict(s diffStats) string {
	switch {
	case s.N == 0:
		return ""
	case s.NoEffect:
		return noEffect
	case s.N < 2:
		return "one seed with a value: no test"
	}
	signFails := !(float64(s.SignP) < 0.05)
	ciFails := s.ZeroInCI
	if math.IsNaN(float64(s.CI95Low)) || math.IsInf(float64(s.CI95Low), 0) || math.IsNaN(float64(s.CI95High)) || math.IsInf(float64(s.CI95High), 0) {
		ciFails = signFails
	}
	switch {
	case signFails && ciFails:
		return fmt.Sprintf("not distinguishable from 0 at %d seeds", s.N)
	case signFails:
		return "not distinguishable from 0 by the sign test"
	case ciFails:
		return "not distinguishable from 0 by the 95% CI"
	}
	return ""
}

// statsLine is a row of a block of difference statistics.
type statsLine struct {
	name   string
	indent int
	scale  float64 // the size of the row's values, for what prints as 0
	s      diffStats
}

// printDiffStats writes, under a comparison's table at several seeds, a
// block that says for each row whether B − A is more than seed noise:
// the mean difference, its s.e., 95% CI and sign-test p, and a verdict
// where it helps (diffVerdict).
func printDiffStats(w io.Writer, seeds int, what string, lines []statsLine) {
	fmt.Fprintf(w, "%s: is B - A more than seed noise? Its mean over the %d seeds, standard error (s.e.), 95%% CI and sign test (sign p)\n", what, seeds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	width := 0
	for _, l := range lines {
		width = max(width, 2*l.indent+utf8.RuneCountInString(l.name))
	}
	fmt.Fprintf(tw, "\tmean B - A\ts.e.\t95%% CI\tsign p\t\n")
	unclear, idle := 0, 0
	for _, l := range lines {
		name := strings.Repeat("  ", l.indent) + l.name
		name += strings.Repeat(" ", width-utf8.RuneCountInString(name))
		f := func(x float64) string { return diffNum(x, NoiseFraction*l.scale) }
		v := diffVerdict(l.s)
		switch {
		case l.s.NoEffect:
			idle++
			fmt.Fprintf(tw, "%s\t0\t\t\t\t  %s\n", name, v)
			continue
		case v != "" && l.s.N > 1:
			unclear++
		}
		interval := f(float64(l.s.CI95Low))
		if hi := f(float64(l.s.CI95High)); hi != interval {
			interval += " – " + hi
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t  %s\n", name, f(float64(l.s.Mean)), f(float64(l.s.SE)), interval, pValue(float64(l.s.SignP)), v)
	}
	tw.Flush()
	fmt.Fprintf(w, "95%% CI is the mean ± t·s.e., t Student's 97.5%% quantile at %d %s of freedom (%.3f); sign p is the exact two-sided sign test: the chance of a split of the seeds with B > A and B < A at least as uneven as this one, were B as likely above A as below (seeds with B = A set aside; n/a when none differs).\n",
		seeds-1, plural(seeds-1, "degree", "degrees"), sweep.TQuantile975(seeds-1))
	if unclear > 0 {
		fmt.Fprintf(w, "A difference not distinguishable from 0 (its 95%% CI holds 0, or its sign p is 0.05 or more; the note says which when only one) may change sign with more seeds (--seeds). A row with no note differs from 0 by both at %d seeds.\n", seeds)
		if seeds < 6 {
			fmt.Fprintf(w, "At %d seeds the sign test cannot reach 0.05: B above A on every seed gives p = %s.\n", seeds, strconv.FormatFloat(sweep.SignP(seeds, 0), 'g', 4, 64))
		}
	}
	if idle > 0 {
		fmt.Fprintf(w, "%s: B - A is exactly 0 on every seed.\n", noEffect)
	}
}

// diffNum writes a statistic of a difference as cascade channels writes
// its values (chNum: three significant digits or more, 0 below tiny),
// and an infinite one as the table does ("inf", "-inf").
func diffNum(x, tiny float64) string {
	switch {
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	return chNum(x, tiny)
}

// pValue writes a p-value with two significant digits, "<0.001" below
// 0.001 and "n/a" for NaN.
func pValue(p float64) string {
	switch {
	case math.IsNaN(p):
		return "n/a"
	case p < 0.001:
		return "<0.001"
	}
	return strconv.FormatFloat(p, 'g', 2, 64)
}

// seedsStatsLines returns the lines of the block of a comparison's rows.
func seedsStatsLines(rows []compareSeedsRow) []statsLine {
	out := make([]statsLine, len(rows))
	for i, r := range rows {
		out[i] = statsLine{r.Name, r.Indent, math.Max(finiteAbs(r.MedianA), finiteAbs(r.MedianB)), r.diffStats}
	}
	return out
}

// scoreStatsLines returns the lines of the block of the scored quantities.
func scoreStatsLines(rows []compareScoreSeedsRow) []statsLine {
	out := make([]statsLine, len(rows))
	for i, r := range rows {
		out[i] = statsLine{r.Name, 0, math.Max(finiteAbs(r.MedianA), finiteAbs(r.MedianB)), r.diffStats}
	}
	return out
}

// finiteAbs is |x|, 0 for NaN and ±Inf.
func finiteAbs(x sim.Num) float64 {
	if f := float64(x); !math.IsNaN(f) && !math.IsInf(f, 0) {
		return math.Abs(f)
	}
	return 0
}
