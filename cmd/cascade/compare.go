package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"github.com/spf13/cobra"
)

func init() { extra = append(extra, newCompareCmd) }

func newCompareCmd() *cobra.Command {
	var off string
	var out string
	var force bool
	var seed uint64
	var sets []string
	var seeds, workers int
	c := &cobra.Command{
		Use:   "compare SCENARIO --off CHANNEL[,CHANNEL] | compare A B",
		Short: "Run two sides of a counterfactual and compare them side by side",
		Long: `Compare a scenario with itself with channels switched off (--off), or two
scenarios (A and B). Both sides run with the same seed; the command prints a
side-by-side table of their summaries and writes, into the output directory
(default out/compare-A-B for two scenarios, out/compare-A-off-CHANNEL with
--off), compare.json and an overlay plot of the price paths (A solid, B
dashed). Amplification is each side's move with all its feedback over the
move with every agent passive. An existing output directory is replaced
only with --force, and only if it is empty or holds a comparison's output
(its compare.json).

One seed is one draw of the noise and of the populations' parameters.
--seeds N runs both sides at N seeds: the scenario's own (or --seed) and,
for k = 1 ... N-1, core.RunSeed(that seed, k), as cascade score does. Each
seed runs both sides, so the difference B - A is taken seed by seed (common
random numbers): the table shows each side's median, the median of the
difference and its 5-95% range (nearest rank), and on how many seeds B is
above and below A. compare.json then holds every seed's values; the
overlay plot is of the first seed.`,
		Example: "  cascade compare aug2024 --off cross_margin\n  cascade compare aug2024 --off cross_margin,offset_drop\n  cascade compare aug2024 --off valuation_links --seeds 40\n  cascade compare boj2026-150-hawkish-facility-full boj2026-150-hawkish-facility-half",
		Args:    args(cobra.RangeArgs(1, 2)),
		RunE: func(c *cobra.Command, a []string) error {
			if (len(a) == 1) == (off == "") {
				return inputError(usageError{fmt.Errorf("give one scenario and --off, or two scenarios")})
			}
			if off != "" {
				if _, err := (sim.ChannelSpec{Off: strings.Split(off, ",")}).Channels(); err != nil {
					return inputError(usageError{fmt.Errorf("--off: %w", err)})
				}
			}
			if seeds < 1 {
				return inputError(usageError{fmt.Errorf("--seeds %d: need at least 1", seeds)})
			}
			cmp := &comparison{off: off, out: out, force: force, seed: seed, seedSet: c.Flags().Changed("seed"), sets: sets,
				seeds: seeds, workers: workers}
			return cmp.run(c.Context(), c.OutOrStdout(), a)
		},
	}
	c.Flags().StringVar(&off, "off", "", "channels to switch off on side B, comma-separated: "+strings.Join(sim.ChannelNames, ", ")+", an agent kind, or all")
	c.Flags().StringVarP(&out, "out", "o", "", "output directory (default out/compare-A-B, or out/compare-A-off-CHANNEL with --off)")
	c.Flags().BoolVar(&force, "force", false, "replace an existing output directory (empty, or a comparison's output)")
	c.Flags().Uint64Var(&seed, "seed", 0, "random seed for both sides (default: A's)")
	c.Flags().StringArrayVar(&sets, "set", nil, "override a field on both sides: path.to.field=value (repeatable)")
	c.Flags().IntVar(&seeds, "seeds", 1, "run both sides at this many seeds and show medians and the paired difference's range")
	c.Flags().IntVarP(&workers, "workers", "j", runtime.GOMAXPROCS(0), "runs at once (with --seeds; unless given, one per core the process may use: GOMAXPROCS)")
	return c
}

type comparison struct {
	off, out string
	force    bool
	seed     uint64
	seedSet  bool
	sets     []string
	seeds    int // at least 1
	workers  int
}

// side is one run of a comparison.
type side struct {
	label string
	sum   *sim.Summary
	rec   *output.Recorder
}

func (cmp *comparison) run(ctx context.Context, stdout io.Writer, names []string) error {
	a, err := scenarios.Load(names[0], cmp.sets)
	if err != nil {
		return err
	}
	var b *scenarios.Scenario
	labelA, labelB := a.File.Name, ""
	if len(names) == 2 {
		if b, err = scenarios.Load(names[1], cmp.sets); err != nil {
			return err
		}
		labelB = b.File.Name
		if labelA == labelB {
			labelA, labelB = "A", "B"
		}
		if ta, tb := a.File.Start.Add(time.Duration(a.File.Ticks)*a.File.Tick), b.File.Start.Add(time.Duration(b.File.Ticks)*b.File.Tick); !ta.Equal(tb) || !a.File.Start.Equal(b.File.Start) {
			fmt.Fprintf(os.Stderr, "note: %s runs %s to %s and %s %s to %s: changes over the run, drawdowns and sales cover different spans\n",
				a.File.Name, a.File.Start.Format(time.DateOnly), ta.Format(time.DateOnly), b.File.Name, b.File.Start.Format(time.DateOnly), tb.Format(time.DateOnly))
		}
	} else {
		if b, err = scenarios.Load(names[0], append(append([]string{}, cmp.sets...), "channels.off=["+cmp.off+"]")); err != nil {
			return err
		}
		b.File.Channels.Off = append(append([]string{}, a.File.Channels.Off...), strings.Split(cmp.off, ",")...)
		labelA, labelB = "baseline", "off: "+cmp.off
		for _, o := range strings.Split(cmp.off, ",") {
			if why := a.File.Inert(o); why != "" {
				fmt.Fprintf(os.Stderr, "note: %s can carry nothing in %s (%s): switching it off changes nothing\n", o, a.File.Name, why)
			}
		}
	}
	seed := a.File.Seed
	if cmp.seedSet {
		seed = cmp.seed
	}
	dir := cmp.out
	if dir == "" {
		dir = filepath.Join("out", "compare-"+safe(a.File.Name)+"-"+safe(strings.ReplaceAll(labelB, "off: ", "off-")))
	}
	stage, err := output.NewStageOf(dir, cmp.force, output.CompareKind)
	if err != nil {
		return stageError(err)
	}
	defer stage.Abort()
	if cmp.seeds > 1 {
		return cmp.runSeeds(ctx, stdout, stage, dir, a, b, labelA, labelB, seed)
	}
	sa, err := runSide(ctx, &a.File.Config, seed, labelA)
	if err != nil {
		return err
	}
	sb, err := runSide(ctx, &b.File.Config, seed, labelB)
	if err != nil {
		return err
	}
	rows := output.CompareRows(sa.sum, sb.sum)
	doc := map[string]any{"schema": output.CompareKind.Schema, "a": map[string]any{"label": labelA, "summary": sa.sum},
		"b": map[string]any{"label": labelB, "summary": sb.sum}, "rows": rows}
	if err := stage.WriteFile("compare.json", func(w io.Writer) error { return output.WriteJSON(w, doc) }); err != nil {
		return err
	}
	if _, err := output.RenderOverlay(stage.Dir(), labelA, labelB, sa.rec.Timeseries(), sb.rec.Timeseries(), sa.rec.Meta(), sb.rec.Meta()); err != nil {
		return err
	}
	if err := commit(ctx, stage); err != nil {
		return stageError(err)
	}
	output.PrintCompare(stdout, labelA, labelB, rows)
	fmt.Fprintf(stdout, "outputs in %s\n", dir)
	return nil
}

// runSeeds runs both sides at cmp.seeds seeds and writes the comparison
// of every seed; the overlay plot is of the first.
func (cmp *comparison) runSeeds(ctx context.Context, stdout io.Writer, stage *output.Stage, dir string, a, b *scenarios.Scenario, labelA, labelB string, seed uint64) error {
	seeds := core.Seeds(seed, cmp.seeds)
	as, bs := make([]*sim.Summary, len(seeds)), make([]*sim.Summary, len(seeds))
	var first [2]*side
	err := parallel(2*len(seeds), cmp.workers, func(j int) error {
		k, sc, label := j/2, a, labelA
		if j%2 == 1 {
			sc, label = b, labelB
		}
		label = fmt.Sprintf("%s (seed %d)", label, seeds[k])
		var sum *sim.Summary
		if k == 0 {
			sd, err := runSide(ctx, &sc.File.Config, seeds[k], label)
			if err != nil {
				return err
			}
			first[j], sum = sd, sd.sum
		} else {
			var err error
			if sum, err = sim.RunSummary(ctx, &sc.File.Config, seeds[k], true); err != nil {
				return fmt.Errorf("%s: %w", label, err)
			}
		}
		if j%2 == 0 {
			as[k] = sum
		} else {
			bs[k] = sum
		}
		return nil
	})
	if err != nil {
		return err
	}
	rows, err := output.CompareSeeds(as, bs)
	if err != nil {
		return err
	}
	seedsJSON := make([]string, len(seeds))
	for k, x := range seeds {
		seedsJSON[k] = strconv.FormatUint(x, 10)
	}
	doc := map[string]any{"schema": output.CompareKind.Schema, "seeds": seedsJSON,
		"a": map[string]any{"label": labelA}, "b": map[string]any{"label": labelB}, "rows": rows}
	if err := stage.WriteFile("compare.json", func(w io.Writer) error { return output.WriteJSON(w, doc) }); err != nil {
		return err
	}
	if _, err := output.RenderOverlay(stage.Dir(), labelA, labelB, first[0].rec.Timeseries(), first[1].rec.Timeseries(), first[0].rec.Meta(), first[1].rec.Meta()); err != nil {
		return err
	}
	if err := commit(ctx, stage); err != nil {
		return stageError(err)
	}
	output.PrintCompareSeeds(stdout, labelA, labelB, len(seeds), rows)
	fmt.Fprintf(stdout, "outputs in %s (the overlay plot is of seed %d)\n", dir, seeds[0])
	return nil
}

// runSide runs one side with its passive twin.
func runSide(ctx context.Context, cfg *sim.Config, seed uint64, label string) (*side, error) {
	m, err := sim.Build(cfg, seed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	col := sim.NewCollector()
	rec := output.NewRecorder(false)
	if err := m.Run(ctx, col, rec); err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	p, err := sim.PassiveMove(ctx, cfg, seed)
	if err != nil {
		return nil, fmt.Errorf("%s: passive twin: %w", label, err)
	}
	col.S.SetPassive(p)
	return &side{label: label, sum: col.S, rec: rec}, nil
}

func safe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ',' || r == ' ' || r == '/' || r == ':' {
			return '-'
		}
		return r
	}, s)
}
