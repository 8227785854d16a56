package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"sort"
	"sync"
	"text/tabwriter"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"github.com/spf13/cobra"
)

func init() { extra = append(extra, newScoreCmd) }

func newScoreCmd() *cobra.Command {
	var seed uint64
	var sets []string
	var seeds, workers int
	c := &cobra.Command{
		Use:   "score SCENARIO",
		Short: "Run a replay and score it against what markets did (its observed: list)",
		Long: `Run a replay scenario and compare it, on daily closes at the New York close
as market data are quoted, with what markets did (the scenario's observed:
entries). Prints quantity, observed, simulated, tolerance and pass/fail; exits
0 when every quantity is within tolerance and 1 otherwise.

One run is one draw of the noise and of the agents' parameters. With
--seeds N the replay runs at N seeds: its own (or --seed) and, for
k = 1 ... N-1, core.RunSeed(that seed, k), the seeds cascade whatif uses.
The table then shows, for each quantity, the median over the seeds, its
5-95% range (nearest rank), and on how many seeds it is within tolerance;
the last line counts the seeds on which every quantity is. The exit status
is 0 when every quantity's median is within tolerance.`,
		Example: "  cascade score aug2024\n  cascade score apr2025 --seed 11\n  cascade score aug2024 --seeds 40",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			if seeds < 1 {
				return inputError(fmt.Errorf("--seeds %d: need at least 1", seeds))
			}
			if seeds > 1 {
				return scoreSeeds(c.Context(), c.OutOrStdout(), a[0], sets, seed, c.Flags().Changed("seed"), seeds, workers)
			}
			rows, name, err := scoreScenario(c.Context(), a[0], sets, seed, c.Flags().Changed("seed"))
			if err != nil {
				return err
			}
			if pass := output.PrintScore(c.OutOrStdout(), name, rows); pass < len(rows) {
				return fmt.Errorf("%d of %d quantities outside tolerance", len(rows)-pass, len(rows))
			}
			return nil
		},
	}
	c.Flags().Uint64Var(&seed, "seed", 0, "random seed (default: the scenario's)")
	c.Flags().StringArrayVar(&sets, "set", nil, "override a field: path.to.field=value (repeatable)")
	c.Flags().IntVar(&seeds, "seeds", 1, "score at this many seeds and show medians and pass rates")
	c.Flags().IntVarP(&workers, "workers", "j", runtime.NumCPU(), "runs at once (with --seeds)")
	return c
}

// scoreScenario runs a scenario and scores it against its observed list.
func scoreScenario(ctx context.Context, name string, sets []string, seed uint64, seedSet bool) ([]output.ScoreRow, string, error) {
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		return nil, "", err
	}
	if len(sc.File.Observed) == 0 {
		return nil, "", inputError(fmt.Errorf("%s has no observed: entries to score against", name))
	}
	cfg := &sc.File.Config
	if seedSet {
		cfg.Seed = seed
	}
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		return nil, "", err
	}
	rec := output.NewRecorder(false)
	if err := m.Run(ctx, rec); err != nil {
		return nil, "", err
	}
	rows, err := output.Score(sc.File.Observed, rec.Timeseries())
	return rows, cfg.Name, err
}

// scoreSeeds scores a replay at n seeds (the k-th as whatifRun chooses it)
// and prints, for each quantity, the median, the 5-95% range and the
// number of seeds within tolerance. It fails when a median is outside.
func scoreSeeds(ctx context.Context, w io.Writer, name string, sets []string, seed uint64, seedSet bool, n, workers int) error {
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		return err
	}
	if len(sc.File.Observed) == 0 {
		return inputError(fmt.Errorf("%s has no observed: entries to score against", name))
	}
	if !seedSet {
		seed = sc.File.Config.Seed
	}
	runs := make([][]output.ScoreRow, n)
	errs := make([]error, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				s := seed
				if k > 0 {
					s = core.RunSeed(seed, k)
				}
				runs[k], _, errs[k] = scoreScenario(ctx, name, sets, s, true)
				if errs[k] != nil {
					errs[k] = fmt.Errorf("seed %d: %w", s, errs[k])
				}
			}
		}()
	}
	for k := range n {
		jobs <- k
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	bad := printScoreSeeds(w, sc.File.Config.Name, sc.File.Observed, runs)
	if bad > 0 {
		return fmt.Errorf("%d of %d medians outside tolerance", bad, len(sc.File.Observed))
	}
	return nil
}

// printScoreSeeds writes the table of a score at several seeds (runs[k]
// is seed k's score) and returns how many medians are outside tolerance.
func printScoreSeeds(w io.Writer, scenario string, obs []scenarios.Observation, runs [][]output.ScoreRow) int {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "quantity\tobserved\tmedian\t5-95%\ttolerance\twithin\tmedian result\t")
	bad, all := 0, 0
	for k := range runs {
		ok := true
		for _, r := range runs[k] {
			ok = ok && r.Pass
		}
		if ok {
			all++
		}
	}
	for q, o := range obs {
		xs := make([]float64, 0, len(runs))
		within := 0
		for _, rows := range runs {
			if r := rows[q]; !math.IsNaN(r.Simulated) {
				xs = append(xs, r.Simulated)
			}
			if rows[q].Pass {
				within++
			}
		}
		sort.Float64s(xs)
		med, lo, hi := math.NaN(), math.NaN(), math.NaN()
		if len(xs) > 0 {
			med, lo, hi = median(xs), rank(xs, 0.05), rank(xs, 0.95)
		}
		tol, pass := output.Within(o, med)
		res := "pass"
		if !pass {
			res = "FAIL"
			bad++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s – %s\t%s\t%d/%d\t%s\t\n", o.Name, num2(o.Observed), num2(med), num2(lo), num2(hi), tol, within, len(runs), res)
	}
	tw.Flush()
	fmt.Fprintf(w, "%s at %d seeds: %d of %d medians within tolerance; every quantity within tolerance on %d of %d seeds\n",
		scenario, len(runs), len(obs)-bad, len(obs), all, len(runs))
	return bad
}
