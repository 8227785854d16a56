package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"github.com/spf13/cobra"
)

func init() { extra = append(extra, newWhatifCmd) }

func newWhatifCmd() *cobra.Command {
	var family, out string
	var seed uint64
	var workers int
	c := &cobra.Command{
		Use:   "whatif",
		Short: "Run a family of built-in what-if scenarios and write their table (docs/whatif.md)",
		Long: `Run every built-in scenario of a family (boj2026-*: BOJ hikes to 1.0%, 1.25%
and 1.5%, hawkish or accommodating guidance, with or without the Fed's repo
facility, under the stored leverage of 2026 or half of it), each with its
passive twin for the amplification, and write a Markdown table of the
outcomes: every asset's drawdown, the peak VIX proxy, forced sales, defaults,
amplification and the compression index. A second table sets the same hike
under full and half leverage side by side.`,
		Example: "  cascade whatif\n  cascade whatif --out /tmp/whatif.md --seed 7",
		Args:    args(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			return runWhatif(c.Context(), c.OutOrStdout(), family, out, seed, c.Flags().Changed("seed"), workers)
		},
	}
	c.Flags().StringVar(&family, "family", "boj2026", "the family: built-in scenarios named FAMILY-*")
	c.Flags().StringVarP(&out, "out", "o", "docs/whatif.md", "the Markdown file to write")
	c.Flags().Uint64Var(&seed, "seed", 0, "random seed for every run (default: each scenario's)")
	c.Flags().IntVarP(&workers, "workers", "j", runtime.NumCPU(), "runs at once")
	return c
}

// whatifRow is one scenario's outcome.
type whatifRow struct {
	name  string
	parts []string // the name's fields after the family: hike, guidance, facility, leverage
	sum   *sim.Summary
}

func runWhatif(ctx context.Context, stdout io.Writer, family, out string, seed uint64, seedSet bool, workers int) error {
	var names []string
	for _, n := range scenarios.BuiltinNames() {
		if strings.HasPrefix(n, family+"-") {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return inputError(fmt.Errorf("no built-in scenarios named %s-*", family))
	}
	// Refuse a place the table cannot go before the family runs, not after.
	dir := filepath.Dir(out)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return inputError(fmt.Errorf("--out %s: no directory %s to write it in", out, dir))
	}
	rows := make([]whatifRow, len(names))
	errs := make([]error, len(names))
	if workers < 1 {
		workers = 1
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for k := 0; k < workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				rows[i], errs[i] = whatifRun(ctx, names[i], family, seed, seedSet)
			}
		}()
	}
	for i := range names {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if err := output.WriteFileAtomic(out, func(w io.Writer) error { return writeWhatif(w, family, rows) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d scenarios of %s-*: table in %s\n", len(rows), family, out)
	return nil
}

func whatifRun(ctx context.Context, name, family string, seed uint64, seedSet bool) (whatifRow, error) {
	sc, err := scenarios.Load(name, nil)
	if err != nil {
		return whatifRow{}, err
	}
	cfg := &sc.File.Config
	if !seedSet {
		seed = cfg.Seed
	}
	s, err := sim.RunSummary(ctx, cfg, seed, true)
	if err != nil {
		return whatifRow{}, fmt.Errorf("%s: %w", name, err)
	}
	return whatifRow{name: name, parts: strings.Split(strings.TrimPrefix(name, family+"-"), "-"), sum: s}, nil
}

// writeWhatif writes the Markdown tables.
func writeWhatif(w io.Writer, family string, rows []whatifRow) error {
	var assets []string
	for id := range rows[0].sum.Assets {
		assets = append(assets, id)
	}
	sort.Strings(assets)
	var b strings.Builder
	fmt.Fprintf(&b, "# What-if: the %s family\n\n", family)
	fmt.Fprintf(&b, "Written by `cascade whatif --family %s` (each scenario at its own seed). Do not edit: run it again.\n\n", family)
	b.WriteString(`Every scenario starts from the same early-2026 world (the built-in ` + "`" + family + "`" + `:
BOJ at 0.75%, the Fed at about 3.6%, hedge-fund gross leverage 298%, $830bn of
Treasury basis, a rebuilt yen carry; see its file for sources) and differs only
in what the BOJ does on 23 January 2026, what it says, whether the Fed's Standing
Repo Facility is there, and whether the stored leverage is that of 2026 or half
of it. Read a row as one possible week, not a forecast: each is a single run.

- *drawdown*: the largest peak-to-trough fall of the asset in the run, percent.
- *10y yield*: the largest rise of the 10-year Treasury yield above its start, bp.
- *VIX*: the peak of the VIX proxy (realized S&P volatility plus expected news, times a premium).
- *sales*: forced and rule-driven sales by every agent, USD bn.
- *amplification*: the headline asset's (Nikkei's) fall with every feedback on,
  over its fall with every agent passive (exogenous moves alone).
- *compression*: the stored-stress index at the trigger (leverage x crowding /
  liquidity buffer; docs/ODD.md).

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
			fmt.Fprintf(&b, " %s |", num1(float64(r.sum.Assets[a].MaxDrawdownPct)))
		}
		yield := math.NaN()
		if a := r.sum.Assets["UST10Y"]; a != nil && a.Yield != nil {
			yield = 100 * (float64(a.Yield.Max) - float64(a.Yield.Start))
		}
		fmt.Fprintf(&b, " %s | %s | %s | %d | %s | %s |\n", num1(yield), num1(float64(r.sum.VIX.Peak)), num1(float64(r.sum.ForcedSales.Total)/1e9),
			len(r.sum.Defaults), num2(float64(r.sum.Amplification)), num2(float64(r.sum.CompressionIndex)))
	}
	// The same hike under full and half leverage.
	b.WriteString("\n## The same hike, stored leverage of 2026 against half of it\n\n")
	b.WriteString("The compression claim of the seeds: the release grows with the stress stored, not with the size of the trigger.\n\n")
	b.WriteString("| BOJ | guidance | facility | Nikkei drawdown full / half | amplification full / half | ratio |\n|---|---|---|---:|---:|---:|\n")
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
		fa, ha := float64(r.sum.Amplification), float64(h.sum.Amplification)
		fmt.Fprintf(&b, "| %s | %s | %s | %s / %s | %s / %s | %s |\n", hikeLabel(p[0]), p[1], facilityLabel(p[2]),
			num1(float64(r.sum.Assets[r.sum.Headline].MaxDrawdownPct)), num1(float64(h.sum.Assets[h.sum.Headline].MaxDrawdownPct)),
			num2(fa), num2(ha), num2(fa/ha))
	}
	_, err := io.WriteString(w, b.String())
	return err
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

func num2(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", x)
}
