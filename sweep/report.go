package sweep

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/sim"
)

// DescribeDist writes a distribution whole, the clamps of normal and
// lognormal draws included: "uniform [0.5, 1]", "lognormal mu 25.3 sigma
// 0.3, at least 1e10".
func DescribeDist(d sim.Dist) string {
	num := func(x *float64) string {
		if x == nil {
			return "-"
		}
		return fmt.Sprint(*x)
	}
	switch d.Kind {
	case "fixed":
		return fmt.Sprintf("fixed %v", d.Value)
	case "list", "choice":
		return fmt.Sprintf("%s %v", d.Kind, d.Values)
	case "uniform":
		return fmt.Sprintf("uniform [%s, %s]", num(d.Min), num(d.Max))
	case "normal":
		return fmt.Sprintf("normal mean %v sd %v", d.Mean, d.SD) + clamp(d.Min, d.Max)
	case "lognormal":
		return fmt.Sprintf("lognormal mu %v sigma %v", d.Mu, d.Sigma) + clamp(d.Min, d.Max)
	case "triangular":
		return fmt.Sprintf("triangular %s, %v, %s", num(d.Min), d.Mode, num(d.Max))
	}
	return d.Kind
}

// Describe writes how a parameter takes its values: its distribution,
// levels or variants, or the posterior it is drawn from.
func Describe(p ResolvedParam, post *ResolvedPosterior) string {
	if p.Boolean {
		return describeBool(p.Dist)
	}
	if p.Posterior == "" || post == nil {
		return DescribeValues(p.Dist, p.Levels, p.Sets)
	}
	s := fmt.Sprintf("%s in the %d runs of %s that ", p.Posterior, post.Accepted, post.From)
	if post.Accept == AcceptMissAtMost {
		s += "miss at most one observed quantity"
	} else {
		s += "reproduce every observed quantity"
	}
	if p.Scale != 1 {
		s += fmt.Sprintf(", times %s", strconv.FormatFloat(p.Scale, 'g', -1, 64))
	}
	lo, hi := p.Dist.Range()
	return s + fmt.Sprintf(" (%s to %s)", Short(lo), Short(hi))
}

// DescribeValues writes what values a parameter takes: a text field's
// levels ("levels pre, mid, post"; with weights, "weights 2, 1, 1"), the
// variants with their overrides (sets non-nil: "variants normal;
// student_t: noise.distribution=student_t, noise.df=4"), or its
// distribution (DescribeDist).
func DescribeValues(d sim.Dist, levels []string, sets [][]string) string {
	if levels == nil {
		return DescribeDist(d)
	}
	q := make([]string, len(levels))
	for k, l := range levels {
		q[k] = l
		if l == "" || strings.ContainsAny(l, `,"`) || (sets != nil && strings.ContainsAny(l, ";:")) || strings.TrimSpace(l) != l {
			q[k] = strconv.Quote(l)
		}
		if sets != nil && len(sets[k]) > 0 {
			q[k] += ": " + strings.Join(sets[k], ", ")
		}
	}
	s := "levels " + strings.Join(q, ", ")
	if sets != nil {
		s = "variants " + strings.Join(q, "; ")
	}
	return s + weightsText(d.Weights)
}

// weightsText is "; weights 3, 1" for weights [3 1], "" for none.
func weightsText(ws []float64) string {
	if len(ws) == 0 {
		return ""
	}
	w := make([]string, len(ws))
	for k, x := range ws {
		w[k] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return "; weights " + strings.Join(w, ", ")
}

// describeBool writes the values of a true-or-false field, which d
// draws as 1 and 0: "fixed true", "choice true, false; weights 3, 1".
func describeBool(d sim.Dist) string {
	if d.Kind == "fixed" {
		return "fixed " + labelOf(nil, true, d.Value)
	}
	vs := make([]string, len(d.Values))
	for k, v := range d.Values {
		vs[k] = labelOf(nil, true, v)
	}
	s := d.Kind + " " + strings.Join(vs, ", ")
	return s + weightsText(d.Weights)
}

// clamp describes the optional bounds a normal or lognormal draw is
// clamped to ("" when it has none).
func clamp(lo, hi *float64) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf(", clamped to [%v, %v]", *lo, *hi)
	case lo != nil:
		return fmt.Sprintf(", at least %v", *lo)
	case hi != nil:
		return fmt.Sprintf(", at most %v", *hi)
	}
	return ""
}

// Fields writes a parameter's fields as the plan and the report list them:
// its targets (FieldList), each that an also entry with a factor or an
// offset sets followed by what it takes, in terms of the parameter's
// value: "events.0.shocks.GOVB, events.0.shocks.CORPB = 0.5 × govb_shock".
//
// With times_base every field is followed by its base value times the
// value: "brokers.0.capital = 1e+11 × capital_factor".
func Fields(p ResolvedParam) string {
	if p.Ties == nil && !p.TimesBase {
		return FieldList(p.Targets)
	}
	n := len(p.Targets)
	for _, t := range p.Ties {
		n -= len(t.Targets)
	}
	type tied struct {
		target      string
		times, plus float64
	}
	var fs []tied
	for _, f := range p.Targets[:max(n, 0)] {
		fs = append(fs, tied{f, 1, 0})
	}
	for _, t := range p.Ties {
		for _, f := range t.Targets {
			fs = append(fs, tied{f, t.Times, t.Plus})
		}
	}
	out := make([]string, len(fs))
	for j, f := range fs {
		out[j] = f.target
		switch {
		case p.TimesBase && j < len(p.BaseValues):
			formula := TieFormula(f.times, f.plus, p.Name)
			if f.plus != 0 {
				formula = "(" + formula + ")"
			}
			out[j] += " = " + strconv.FormatFloat(p.BaseValues[j], 'g', -1, 64) + " × " + formula
		case f.times != 1 || f.plus != 0:
			out[j] += " = " + TieFormula(f.times, f.plus, p.Name)
		}
	}
	return FieldList(out)
}

// TieFormula writes times·v + plus with v named name: "0.5 × govb_shock",
// "govb_shock + 2", "-1 × x - 0.5".
func TieFormula(times, plus float64, name string) string {
	num := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	s := name
	if times != 1 {
		s = num(times) + " × " + name
	}
	switch {
	case plus > 0:
		s += " + " + num(plus)
	case plus < 0:
		s += " - " + num(-plus)
	}
	return s
}

// FieldList writes a parameter's fields, the middle ones elided past four.
func FieldList(ts []string) string {
	if len(ts) <= 4 {
		return strings.Join(ts, ", ")
	}
	return fmt.Sprintf("%s, %s, ..., %s, %s (%d fields)", ts[0], ts[1], ts[len(ts)-2], ts[len(ts)-1], len(ts))
}

// SobolCell writes one index as the sweep's table shows it: the total
// order with the first order in brackets, "0.37 (0.29)"; "-" for none.
func SobolCell(x SobolIndex) string {
	f := func(v float64) string {
		switch {
		case math.IsNaN(v):
			return "-"
		case math.Abs(v) < 0.005:
			return "0.00" // not -0.00
		}
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%s (%s)", f(x.Total), f(x.First))
}

// SobolBasis says what a sobol design's indices were estimated on: "1000
// base samples", the most any metric had a value in every run of (a
// metric's own count is its n in sobol.csv), or "a sample of ..." past
// 100,000 runs.
func SobolBasis(ix []SobolIndex) string {
	n, sampled := 0, false
	for _, x := range ix {
		n, sampled = max(n, x.N), sampled || x.Sampled
	}
	if sampled {
		return fmt.Sprintf("a sample of %d base samples", n)
	}
	return fmt.Sprintf("%d base samples", n)
}

// writeReport writes report.md: the sweep on one page, with its
// parameters, each metric's quantiles, the rank correlations, the Sobol
// indices of a sobol design and the plots. Like the run's report it holds
// no clock time or version (manifest.json does).
func writeReport(dir string, man *Manifest, a *assembled, sens []sensRow) error {
	return output.WriteFileAtomic(filepath.Join(dir, "report.md"), func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
		sw := &man.Sweep
		p("# %s\n\n", sw.Name)
		// The base as the sweep file writes it and the file's base name, not
		// the paths they were read by, so that the page does not depend on
		// the directory the sweep was started from (shards and their merge
		// write the page the sweep run in one place writes).
		p("A sweep of `%s`: %d runs (%s design), master seed %d", sw.Base, sw.Runs, strings.ReplaceAll(sw.Design, "_", " "), sw.Seed)
		if man.Shard.Count > 1 {
			p("; this is shard %s, %d runs (`cascade merge` combines the shards)", man.Shard, man.ShardRuns)
		}
		if sw.Twin {
			p("; each run with its passive twin")
		}
		p(". The file: `%s` (fingerprint `%.12s`).\n\n", filepath.Base(man.SweepFile), man.Fingerprint)
		if len(sw.Parameters) > 0 {
			p("## Parameters\n\n| parameter | fields | distribution |\n|---|---|---|\n")
			for _, q := range sw.Parameters {
				p("| %s | %s | %s |\n", output.MarkdownCell(q.Name), output.MarkdownCell(Fields(q)), output.MarkdownCell(Describe(q, sw.Posterior)))
			}
			p("\n")
		}
		writeNotesSection(p, man)
		quantiles, probabilities := SplitIndicators(a.stats)
		if len(quantiles) > 0 {
			p("## Metrics\n\n| metric | runs with a value | p5 | median | p95 | mean |\n|---|--:|--:|--:|--:|--:|\n")
			for _, s := range quantiles {
				p("| %s | %d | %s | %s | %s | %s |\n", output.MarkdownCell(s.Name), s.N, Short(s.P5), Short(s.P50), Short(s.P95), Short(s.Mean))
			}
			if a.stats[0].Sampled {
				p("\nOver a deterministic sample of about 100,000 runs.\n")
			}
			p("\n")
		}
		if len(probabilities) > 0 {
			p("## Probabilities\n\nEach 0/1 metric (`defaulted.ID`: whether the agent defaulted) as the share of runs in which it is 1, an estimate of its probability over what the sweep draws, with the Wilson 95%% interval.\n\n")
			p("| metric | runs with a value | runs with 1 | probability | 95%% interval |\n|---|--:|--:|--:|--:|\n")
			for _, s := range probabilities {
				share, interval := Probability(s)
				p("| %s | %d | %d | %s | %s |\n", output.MarkdownCell(s.Name), s.N, s.Ones, share, interval)
			}
			if a.stats[0].Sampled {
				p("\nOver a deterministic sample of about 100,000 runs.\n")
			}
			p("\n")
		}
		np, nm := len(sw.Parameters), len(sw.Metrics)
		// A pattern's metrics are one column (one row of the Sobol table),
		// the median over its agents, as in the heat maps: a column per
		// agent made a table of a hundred columns.
		groups, of := metricGroups(man)
		labels, cols := heatColumns(man, groups, of)
		for k := range labels {
			if len(cols[k]) > 1 {
				labels[k] = fmt.Sprintf("%s (median over %d agents)", groups[of[cols[k][0]]].pat, len(cols[k]))
			}
		}
		perAgent := func(what string) {
			if len(groups) > 0 {
				p("%s\n\n", what)
			}
		}
		if np > 0 && nm > 0 && len(sens) == np*nm {
			p("## Rank correlations\n\nSpearman's rank correlation of each parameter (rows) with each metric (columns).\n\n| parameter |")
			for _, l := range labels {
				p(" %s |", output.MarkdownCell(l))
			}
			p("\n|---|%s\n", strings.Repeat("--:|", len(cols)))
			for i, q := range sw.Parameters {
				p("| %s |", output.MarkdownCell(q.Name))
				for _, ms := range cols {
					rho := medianOf(ms, func(m int) float64 { return sens[i*nm+m].rho })
					if math.IsNaN(rho) {
						p(" n/a |")
					} else {
						p(" %.2f |", rho)
					}
				}
				p("\n")
			}
			p("\n")
			perAgent("A pattern's column is the median of its agents' correlations (n/a ones left out); each agent's is in `sensitivity.csv`, and drawn in `plots/sensitivity_PATTERN`.")
		}
		writeLevelTables(p, man, a.levels)
		writePairedTables(p, man, a.paired)
		writeCalibrationSection(p, a.calib)
		if len(a.sobol) > 0 {
			ix := a.sobol
			p("## Sobol indices\n\nTotal order (first order) of each factor for each metric, over %s; `seed` is the noise path and the populations' draws. 95%% intervals in `sobol.csv`.\n\n| metric |", SobolBasis(ix))
			nf := np + 1
			for f := range nf {
				p(" %s |", output.MarkdownCell(ix[f].Factor))
			}
			p("\n|---|%s\n", strings.Repeat("--:|", nf))
			for k, ms := range cols {
				if (ms[len(ms)-1]+1)*nf > len(ix) {
					break
				}
				p("| %s |", output.MarkdownCell(labels[k]))
				for f := range nf {
					x := ix[ms[0]*nf+f]
					if len(ms) > 1 {
						x = SobolIndex{
							Total: medianOf(ms, func(m int) float64 { return ix[m*nf+f].Total }),
							First: medianOf(ms, func(m int) float64 { return ix[m*nf+f].First }),
						}
					}
					p(" %s |", SobolCell(x))
				}
				p("\n")
			}
			p("\n")
			perAgent("A pattern's row is the median of its agents' indices; each agent's is in `sobol.csv`.")
		}
		var pngs []string
		for _, f := range a.files {
			if strings.HasSuffix(f, ".png") {
				pngs = append(pngs, f)
			}
		}
		if len(pngs) > 0 {
			p("## Plots\n\n")
			for _, f := range pngs {
				p("![%s](%s)\n\n", strings.TrimSuffix(filepath.Base(f), ".png"), f)
			}
		}
		p("Files: `runs.parquet`/`.csv` (a row per run), `bands.parquet`/`.csv`, `sensitivity.csv`")
		if len(a.levels) > 0 {
			p(", `levels.csv`")
		}
		if len(a.paired) > 0 {
			p(", `paired.csv`")
		}
		if len(a.sobol) > 0 {
			p(", `sobol.csv`")
		}
		if a.calib != nil {
			p(", `calibration.csv`, `calibration_metrics.csv`")
		}
		p(", `manifest.json`; see docs/sweeps.md.\n")
		return bw.Flush()
	})
}

// maxNoteRows is the most notes on the runs' set-up the report lists.
const maxNoteRows = 20

// writeNotesSection lists the notes on the runs' set-up (what cascade run
// prints as "note:", without each run's numbers) with the runs that gave
// each, the most frequent first: notes that differ in the agent alone as
// one row naming the agents (Notes.Lines).
func writeNotesSection(p func(string, ...any), man *Manifest) {
	if len(man.SetupNotes) == 0 && man.SetupNotesUnrecorded == 0 {
		return
	}
	lines := man.setupNotes().Lines(0)
	p("## Notes on the runs' set-up\n\nWhat building the runs changed from the scenario, or found in it, as `cascade run` notes it, without each run's numbers")
	if len(lines) < len(man.SetupNotes) {
		p("; notes that differ in the agent alone are one row naming the agents, each with the runs that gave its note where that is fewer than the row's (`manifest.json` has each note: `setup_notes`)")
	}
	if len(lines) > maxNoteRows {
		p(" (the %d most frequent of %d; all in `manifest.json`, `setup_notes`)", maxNoteRows, len(lines))
	}
	p(".\n\n")
	if len(lines) > 0 {
		p("| note | runs | first runs |\n|---|--:|---|\n")
		for _, l := range lines[:min(len(lines), maxNoteRows)] {
			p("| %s | %d | %s%s |\n", output.MarkdownCell(l.Text), l.Runs, joinInts(l.First), ellipsis(l.Runs > len(l.First)))
		}
		p("\n")
	}
	if n := man.SetupNotesUnrecorded; n > 0 {
		p("The notes of %d of the %d runs, journaled by an earlier cascade, were not recorded.\n\n", n, man.ShardRuns)
	}
}

// SplitIndicators splits stats into the metrics the report summarizes by
// quantiles and the 0/1 metrics it gives as probabilities.
func SplitIndicators(stats []MetricStats) (quantiles, probabilities []MetricStats) {
	for _, s := range stats {
		if s.Indicator {
			probabilities = append(probabilities, s)
		} else {
			quantiles = append(quantiles, s)
		}
	}
	return quantiles, probabilities
}

// Probability writes a 0/1 metric's share of runs with a 1 and its Wilson
// interval in percent, "27.0%" and "21.3% – 33.5%" ("-" without runs).
func Probability(s MetricStats) (share, interval string) {
	if s.N == 0 {
		return "-", "-"
	}
	pct := func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
	return pct(s.Mean), pct(s.Lo) + " – " + pct(s.Hi)
}

// maxLevelRows is the most values a parameter's table in the report has.
const maxLevelRows = 12

// writeLevelTables writes, for each parameter levels.csv covers, each
// metric's median at each of its levels (the runs with a value in
// parentheses when some have none).
func writeLevelTables(p func(string, ...any), man *Manifest, lv []levelStats) {
	sw := &man.Sweep
	nm := len(sw.Metrics)
	if len(lv) == 0 || nm == 0 {
		return
	}
	p("## By level\n\nThe median of each metric over the runs at each value of a parameter that takes a few, and of a 0/1 metric the share of runs with a 1 (all quantiles and the means in `levels.csv`; a parameter of more than %d values only there).\n\n", maxLevelRows)
	for i := 0; i+nm <= len(lv); {
		param := lv[i].param
		values := 0
		for j := i; j < len(lv) && lv[j].param == param; j += nm {
			values++
		}
		if values > maxLevelRows {
			i += values * nm
			continue
		}
		p("| %s | runs |", output.MarkdownCell(param))
		for _, m := range sw.Metrics {
			p(" %s |", output.MarkdownCell(m))
		}
		p("\n|---|--:|%s\n", strings.Repeat("--:|", nm))
		for ; i+nm <= len(lv) && lv[i].param == param; i += nm {
			n := lv[i].runs
			p("| %s | %d |", output.MarkdownCell(lv[i].level), n)
			for _, r := range lv[i : i+nm] {
				v := r.P50
				if Indicator(r.Name) {
					v = r.Mean
				}
				if r.N < n {
					p(" %s (%d) |", Short(v), r.N)
				} else {
					p(" %s |", Short(v))
				}
			}
			p("\n")
		}
		p("\n")
	}
}

// Short writes a number in 4 significant digits, or 3 in exponent form
// when it is a million or more or below 0.001 ("-" for NaN).
func Short(x float64) string {
	switch {
	case math.IsNaN(x):
		return "-"
	case x != 0 && (math.Abs(x) >= 1e6 || math.Abs(x) < 1e-3):
		return fmt.Sprintf("%.3g", x)
	}
	return fmt.Sprintf("%.4g", x)
}
