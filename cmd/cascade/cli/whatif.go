package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"github.com/spf13/cobra"
)

func init() { extra = append(extra, newWhatifCmd) }

func newWhatifCmd() *cobra.Command {
	var family, out string
	var seed uint64
	var workers, seeds int
	var force bool
	c := &cobra.Command{
		Use:   "whatif",
		Short: "Run a family of built-in what-if scenarios and write their table (docs/whatif.md)",
		Long: `Run every built-in scenario of a family (boj2026-*: BOJ hikes to 1.0%, 1.25%
and 1.5%, hawkish or accommodating guidance, with or without the Fed's repo
facility, under the stored leverage of 2026 or half of it), each with its
passive twin for the amplification, and write a Markdown table of the
outcomes: every asset's drawdown, the peak VIX proxy, forced sales, defaults,
amplification and the compression index. A second table sets the same hike
under full and half leverage side by side.

Each scenario runs at --seeds seeds: its own (or --seed) and, for k = 1 ...
seeds-1, core.RunSeed(that seed, k). An existing file is replaced only with
--force, and only if it is a what-if table. Cells are medians over the seeds; the
amplification and the full-over-half ratio also show their 5-95% range, and
the second table counts the seeds on which full leverage amplifies more
(the same seed drives the full and the half run: a paired comparison).`,
		Example: "  cascade whatif                 # writes out/whatif.md\n  cascade whatif --out /tmp/whatif.md --seed 7 --seeds 100\n  make whatif                    # the maintainers' docs/whatif.md",
		Args:    args(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkSeeds(seeds); err != nil {
				return inputError(err)
			}
			return runWhatif(c.Context(), c.OutOrStdout(), family, out, !c.Flags().Changed("out"), force, seed, c.Flags().Changed("seed"), seeds, workers)
		},
	}
	c.Flags().StringVar(&family, "family", "boj2026", "the family: built-in scenarios named FAMILY-*")
	c.Flags().StringVarP(&out, "out", "o", filepath.Join("out", "whatif.md"), "the Markdown file to write (the default's directory is made if missing)")
	c.Flags().BoolVar(&force, "force", false, "replace an existing what-if table (never another file)")
	c.Flags().Uint64Var(&seed, "seed", 0, "random seed for every run (default: each scenario's)")
	c.Flags().IntVar(&seeds, "seeds", 40, "seeds per scenario (cells are medians over them)")
	c.Flags().IntVarP(&workers, "workers", "j", runtime.GOMAXPROCS(0), "runs at once (unless given, one per core the process may use: GOMAXPROCS)")
	return c
}

// whatifRow is one scenario's outcomes, one summary per seed.
type whatifRow struct {
	name  string
	parts []string // the name's fields after the family: hike, guidance, facility, leverage
	sums  []*sim.Summary
}

// runWhatif runs the family and writes its table to out; mkdir makes out's
// directory if it is missing (the default, out/whatif.md), once the runs
// have succeeded.
func runWhatif(ctx context.Context, stdout io.Writer, family, out string, mkdir, force bool, seed uint64, seedSet bool, seeds, workers int) error {
	var names []string
	for _, n := range scenarios.BuiltinNames() {
		if strings.HasPrefix(n, family+"-") {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return inputError(fmt.Errorf("no built-in scenarios named %s-*: whatif runs a built-in family (boj2026); to compare scenarios of your own, seed by seed, use cascade compare A B --seeds N", family))
	}
	// Refuse a place the table cannot go before the family runs, not after
	// (the default's missing directory is made once they have run).
	if _, err := os.Stat(filepath.Dir(out)); !mkdir || !errors.Is(err, fs.ErrNotExist) {
		if err := checkOutFile(out); err != nil {
			return err
		}
		if err := replaceable(out, force); err != nil {
			return err
		}
	}
	rows := make([]whatifRow, len(names))
	for i, n := range names {
		rows[i] = whatifRow{name: n, parts: strings.Split(strings.TrimPrefix(n, family+"-"), "-"), sums: make([]*sim.Summary, seeds)}
	}
	err := parallel(len(names)*seeds, workers, func(j int) error {
		var err error
		i, k := j/seeds, j%seeds
		rows[i].sums[k], err = whatifRun(ctx, names[i], seed, seedSet, k)
		return err
	})
	if err != nil {
		return err
	}
	if mkdir {
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
	}
	if err := output.WriteFileAtomic(out, func(w io.Writer) error { return writeWhatif(w, family, rows) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d scenarios of %s-* at %d %s each: table in %s\n", len(rows), family, seeds, plural(seeds, "seed", "seeds"), out)
	return nil
}

// defaulters says which agents the defaults of every run were, grouped by
// name less a trailing number (crypto-lev-003: crypto-lev-*) and kind,
// the most frequent first.
func defaulters(rows []whatifRow) string {
	count := map[string]int{}
	total := 0
	for _, r := range rows {
		for _, s := range r.sums {
			for _, d := range s.Defaults {
				name := strings.TrimRight(d.Agent, "0123456789")
				if name != d.Agent {
					name += "*"
				}
				count[name+" ("+d.Kind+")"]++
				total++
			}
		}
	}
	if total == 0 {
		return ""
	}
	groups := make([]string, 0, len(count))
	for g := range count {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool {
		if count[groups[i]] != count[groups[j]] {
			return count[groups[i]] > count[groups[j]]
		}
		return groups[i] < groups[j]
	})
	var b strings.Builder
	fmt.Fprintf(&b, ". Of the %d defaults in all the runs: ", total)
	for k, g := range groups {
		if k > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "`%s` %d", g, count[g])
	}
	return b.String()
}

// seedList names the seeds S a week can be rerun with: when every
// scenario ran at the same seeds, those seeds in order; else where to
// find them.
func seedList(rows []whatifRow) string {
	first := rows[0].sums
	for _, r := range rows {
		for k, s := range r.sums {
			if s.Seed != first[k].Seed {
				return ", S one of the seeds in `summary.json` of each run (`cascade compare A B --seeds N` lists them in `compare.json`)"
			}
		}
	}
	var b strings.Builder
	b.WriteString(", S one of the seeds (every scenario ran at the same ones): ")
	for k, s := range first {
		if k > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d", s.Seed)
	}
	return b.String()
}

// whatifTitle begins every what-if table.
const whatifTitle = "# What-if: the "

// replaceable refuses an existing file at out unless force is given and it
// is a what-if table: a mistyped --out must not destroy another file.
func replaceable(out string, force bool) error {
	f, err := os.Open(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return inputError(fmt.Errorf("--out %s: %w", out, err))
	}
	defer f.Close()
	head := make([]byte, len(whatifTitle))
	n, _ := io.ReadFull(f, head)
	switch {
	case string(head[:n]) != whatifTitle:
		return inputError(fmt.Errorf("--out %s exists and is not a what-if table: give another file, or remove it", out))
	case !force:
		return inputError(fmt.Errorf("--out %s exists: give --force to replace it", out))
	}
	return nil
}

// whatifRun runs scenario name at its k-th seed: its own seed (or the
// one given) for k = 0, core.RunSeed of it for k > 0.
func whatifRun(ctx context.Context, name string, seed uint64, seedSet bool, k int) (*sim.Summary, error) {
	sc, err := scenarios.Load(name, nil)
	if err != nil {
		return nil, err
	}
	cfg := &sc.File.Config
	if !seedSet {
		seed = cfg.Seed
	}
	if k > 0 {
		seed = core.RunSeed(seed, k)
	}
	s, err := sim.RunSummary(ctx, cfg, seed, true)
	if err != nil {
		return nil, fmt.Errorf("%s (seed %d): %w", name, seed, err)
	}
	return s, nil
}

// writeWhatif writes the Markdown tables: medians over each scenario's
// seeds, with 5-95% ranges for the amplification and the full-over-half
// ratio.
func writeWhatif(w io.Writer, family string, rows []whatifRow) error {
	var assets []string
	for id := range rows[0].sums[0].Assets {
		assets = append(assets, id)
	}
	sort.Strings(assets)
	n := len(rows[0].sums)
	var b strings.Builder
	fmt.Fprintf(&b, whatifTitle+"%s family\n\n", family)
	fmt.Fprintf(&b, "Written by `cascade whatif --family %s --seeds %d`. Do not edit: run it again.\n\n", family, n)
	b.WriteString(`Every scenario starts from the same early-2026 world (the built-in ` + "`" + family + "`" + `:
BOJ at 0.75%, the Fed at about 3.6%, hedge funds' gross leverage at a record, $830bn of
Treasury basis, a rebuilt yen carry; see its file for sources) and differs only
in what the BOJ does on 23 January 2026, what it says, whether the Fed's Standing
Repo Facility is there, and whether the stored leverage is that of 2026 or half
of it.

`)
	fmt.Fprintf(&b, `Each scenario runs at %d seeds: its own and, for k = 1 ... %d, `+"`core.RunSeed(own, k)`"+`.
A seed draws the noise and the populations' parameters, so a cell is the median
over %d possible weeks under that policy, not a forecast; the ranges (5%% to 95%%
of the seeds, nearest rank) show how far the draw moves it. Rerun one week with
`+"`cascade run SCENARIO --seed S`"+`%s.

`, n, n-1, n, seedList(rows))
	b.WriteString(`- *drawdown*: the largest peak-to-trough fall of the asset in the run, percent.
- *10y yield*: the largest rise of the 10-year Treasury yield above its start, bp.
- *VIX*: the peak of the VIX proxy (realized S&P volatility plus expected news, times a premium).
- *sales*: forced and rule-driven sales by every agent, USD bn.
- *defaults*: agents that defaulted, of every kind, median over the seeds (a median
  between two seeds' counts can be a half)` + defaulters(rows) + `; ` + "`defaults`" + ` in a run's
  ` + "`summary.json`" + ` says who and when.
- Amplification and policy responses: a response scripted as an event (an
  ` + "`fx_intervention`" + ` or ` + "`asset_purchase`" + ` event) is part of the exogenous path,
  so the passive twin has it too and it lowers the twin's move; the same response
  as a ` + "`central_bank`" + ` rule is a reaction, which the twin, with every agent
  passive, lacks. Compare responses by their moves (drawdowns), not by amplification.
- *amplification*: the headline asset's (Nikkei's) fall with every feedback on,
  over its fall with every agent passive and every feedback channel off (the
  scripted news and noise, with the valuation links carrying the yen's news to
  the Nikkei); median (5-95%).
- *compression*: the stored-stress index at the trigger (0.1 x leverage x crowding /
  liquidity buffer; docs/outputs.md). The buffer counts dealers' spare capacity,
  which the facility raises, so the same positions read as less compressed with it.
- What the BOJ's decision moves: a ` + "`policy_rate`" + ` event moves the rate (` + "`policy_JPY_bp`" + ` in
  the time series), and with it the carry and the insurers' hedge cost, but no price: the
  10-year JGB yield does not follow a hike. The news of each what-if is the shocks its events
  give, to USDJPY and the Nikkei only. To move the JGB too, add it to the shocks: a 25bp rise
  of its yield is a fall of about 9 (its duration) x 0.25% = 2.25% in its price,
  ` + "`shocks: {USDJPY: -0.03, NKY: -0.015, JGB10Y: -0.0225}`" + `.
- Insurers: they hedge up and repatriate once the yen is past their trigger (USDJPY 148 to
  153). Their calm allocation rule (the foreign allocation drifting with the hedged pickup,
  MODEL.md section 4) is off in every scenario here: ` + "`sensitivity`" + ` and ` + "`alloc_speed`" + ` are 0.
  Their hedge is in each run's ` + "`insurer_{ID}_`" + ` columns and report.md's Insurers section.
- The Treasury futures basis: TY has no ` + "`basis_half_life_days`" + `, so nothing pulls its basis
  to the cash bond back and ` + "`TY_basis_bp`" + ` wanders with the legs' noise and flows: -76bp by
  7 February in boj2026 at its own seed, +191bp by the end of May in a run of it extended
  over three more hikes. For runs longer than these three weeks give TY one:
  ` + "`--set assets.TY.basis_half_life_days=5`" + ` halved the basis's typical size in that run (median
  |basis| 34bp against 72bp), though it still spikes under stress.

`)
	b.WriteString("| BOJ | guidance | facility | leverage |")
	for _, a := range assets {
		fmt.Fprintf(&b, " %s |", a)
	}
	b.WriteString(" 10y yield | VIX | sales | defaults | amplification | compression |\n|---|---|---|---|")
	for range assets {
		b.WriteString("---:|")
	}
	b.WriteString("---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		p := r.parts
		for len(p) < 4 {
			p = append(p, "")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |", hikeLabel(p[0]), p[1], facilityLabel(p[2]), p[3])
		for _, a := range assets {
			fmt.Fprintf(&b, " %s |", num1(median(over(r.sums, func(s *sim.Summary) float64 { return float64(s.Assets[a].MaxDrawdownPct) }))))
		}
		yield := median(over(r.sums, func(s *sim.Summary) float64 {
			if a := s.Assets["UST10Y"]; a != nil && a.Yield != nil {
				return 100 * (float64(a.Yield.Max) - float64(a.Yield.Start))
			}
			return math.NaN()
		}))
		vix := median(over(r.sums, func(s *sim.Summary) float64 { return float64(s.VIX.Peak) }))
		sales := median(over(r.sums, func(s *sim.Summary) float64 { return float64(s.ForcedSales.Total) / 1e9 }))
		defaults := median(over(r.sums, func(s *sim.Summary) float64 { return float64(len(s.Defaults)) }))
		amp := over(r.sums, func(s *sim.Summary) float64 { return float64(s.Amplification) })
		comp := median(over(r.sums, func(s *sim.Summary) float64 { return float64(s.CompressionIndex) }))
		fmt.Fprintf(&b, " %s | %s | %s | %s | %s | %s |\n", num1(yield), num1(vix), num1(sales),
			strconv.FormatFloat(defaults, 'f', -1, 64), spread2(amp), num2(comp))
	}
	// The same hike under full and half leverage, seed by seed.
	b.WriteString("\n## The same hike, stored leverage of 2026 against half of it\n\n")
	b.WriteString("The compression claim (docs/MODEL.md): for the same trigger, the release grows with the stress stored. Here the same hike meets the stored leverage of 2026 and half of it. ")
	b.WriteString("The full and the half run of a seed share its draws, so the ratio is taken seed by seed; the last column counts the seeds on which full leverage amplifies more.\n\n")
	b.WriteString("| BOJ | guidance | facility | Nikkei drawdown full / half | amplification full / half | ratio | full > half |\n|---|---|---|---:|---:|---:|---:|\n")
	byName := map[string]*whatifRow{}
	for i := range rows {
		byName[rows[i].name] = &rows[i]
	}
	for _, r := range rows {
		if !strings.HasSuffix(r.name, "-full") {
			continue
		}
		h := byName[strings.TrimSuffix(r.name, "-full")+"-half"]
		if h == nil {
			continue
		}
		p := r.parts
		dd := func(s *sim.Summary) float64 { return float64(s.Assets[s.Headline].MaxDrawdownPct) }
		amp := func(s *sim.Summary) float64 { return float64(s.Amplification) }
		ratio := make([]float64, 0, n)
		more := 0
		for k := range r.sums {
			fa, ha := amp(r.sums[k]), amp(h.sums[k])
			if fa > ha {
				more++
			}
			if x := fa / ha; !math.IsNaN(x) {
				ratio = append(ratio, x)
			}
		}
		sort.Float64s(ratio)
		fmt.Fprintf(&b, "| %s | %s | %s | %s / %s | %s / %s | %s | %d of %d |\n", hikeLabel(p[0]), p[1], facilityLabel(p[2]),
			num1(median(over(r.sums, dd))), num1(median(over(h.sums, dd))),
			num2(median(over(r.sums, amp))), num2(median(over(h.sums, amp))), spread2(ratio), more, n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// over returns f of each summary, NaNs left out, in increasing order.
func over(sums []*sim.Summary, f func(*sim.Summary) float64) []float64 {
	xs := make([]float64, 0, len(sums))
	for _, s := range sums {
		if x := f(s); !math.IsNaN(x) {
			xs = append(xs, x)
		}
	}
	sort.Float64s(xs)
	return xs
}

// median and rank are the sweeps' median and nearest-rank quantile.
var median, rank = output.Median, output.Rank

// spread2 writes the median of sorted xs and, with more than one value,
// its 5-95% range.
func spread2(xs []float64) string {
	if len(xs) < 2 {
		return num2(median(xs))
	}
	return num2(median(xs)) + " (" + num2(rank(xs, 0.05)) + "–" + num2(rank(xs, 0.95)) + ")"
}

func hikeLabel(s string) string {
	if len(s) == 3 {
		return s[:1] + "." + s[1:] + "%"
	}
	return s
}

func facilityLabel(s string) string {
	if s == "nofacility" {
		return "none"
	}
	return "on"
}

func num1(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", x)
}

func num2(x float64) string { return numD(x, 2) }

// numD shows x with d decimals; "n/a" for NaN or an infinity.
func numD(x float64, d int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	return strconv.FormatFloat(x, 'f', d, 64)
}
