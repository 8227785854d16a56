package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"text/tabwriter"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"github.com/cascade-sim/cascade/sweep"
	"github.com/spf13/cobra"
)

func init() { extra = append(extra, newScoreCmd) }

func newScoreCmd() *cobra.Command {
	var seed uint64
	var sets []string
	var seeds, workers int
	var asJSON bool
	c := &cobra.Command{
		Use:   "score SCENARIO",
		Short: "Run a replay and score it against what markets did (its observed: list)",
		Long: `Run a replay scenario and compare it, on daily closes at the New York close
as market data are quoted, with what markets did (the scenario's observed:
entries). Prints quantity, observed, simulated, tolerance and pass/fail; exits
0 when every quantity is within tolerance and 1 otherwise. SCENARIO is a
file, a built-in's name, or a run's manifest.json (the scenario that run
ran, with its seed).

An entry measures an asset's price or a bond's yield, vix, mean_corr, or
a market-state series of the run by its time-series column: a future's
basis to its cash bond (TY_basis_bp), the funding spreads
(repo_spread_bp, xccy_basis_bp, funding_JPY_bp), a currency's policy
rate and the rate expected a year ahead (policy_JPY_bp,
policy_JPY_expected_bp) or the dealers'
utilization and depth (dealer_util, depth, dealer_GS_util), with level,
level_change, peak, trough or peak_rise (docs/ODD.md, "Scoring").

One run is one draw of the noise and of the agents' parameters. With
--seeds N the replay runs at N seeds: its own (or --seed) and, for
k = 1 ... N-1, core.RunSeed(that seed, k), the seeds cascade whatif uses.
The table then shows, for each quantity, the median over the seeds, its
5-95% range (nearest rank), and on how many seeds it is within tolerance;
the last line counts the seeds on which every quantity is. The exit status
is 0 when every quantity's median is within tolerance. A replay that
draws nothing from its seed (noise: {off: true} and no population's vary)
makes the same run at every seed: it is scored at one, as without
--seeds, and the output says so ("noise is off: one seed"; seeds_asked in
--json).

--json writes the same score as JSON instead of a table, with each
observation's source: for one seed, its rows; with --seeds, for each
quantity the median, the 5-95% range, the count within tolerance and the
value at every seed (null where a run gives none), and the seeds used.
The exit status is the same as without it.`,
		Example: "  cascade score aug2024\n  cascade score apr2025 --seed 11\n  cascade score aug2024 --seeds 40\n  cascade score aug2024 --seeds 40 --json > aug2024-score.json",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			if err := checkSeeds(seeds); err != nil {
				return inputError(err)
			}
			if seeds > 1 {
				return scoreSeeds(c.Context(), c.OutOrStdout(), a[0], sets, seed, c.Flags().Changed("seed"), seeds, workers, asJSON)
			}
			return scoreOne(c.Context(), c.OutOrStdout(), a[0], sets, seed, c.Flags().Changed("seed"), asJSON, 0)
		},
	}
	c.Flags().Uint64Var(&seed, "seed", 0, "random seed (default: the scenario's)")
	c.Flags().StringArrayVar(&sets, "set", nil, "override a field: path.to.field=value (repeatable)")
	c.Flags().IntVar(&seeds, "seeds", 1, "score at this many seeds and show medians and pass rates")
	c.Flags().IntVarP(&workers, "workers", "j", runtime.GOMAXPROCS(0), "runs at once (with --seeds; unless given, one per core the process may use: GOMAXPROCS)")
	c.Flags().BoolVar(&asJSON, "json", false, "write the score as JSON (with sources and, with --seeds, every seed's value)")
	return c
}

// oneScore is a replay's score at one seed, as cascade score --json
// writes it.
type oneScore struct {
	Scenario string            `json:"scenario"`
	Seed     uint64            `json:"seed,string"` // a string, as seedsScore.Seeds
	Rows     []output.ScoreRow `json:"rows"`
	Within   int               `json:"within"` // rows within tolerance
	// SeedsAsked is --seeds when the replay draws nothing from its seed
	// (sim.Config.SeedFree), so that one seed was scored: every seed makes
	// the same run.
	SeedsAsked int `json:"seeds_asked,omitempty"`
}

// scoreOne scores a replay at one seed and prints the table or, asJSON,
// writes it; asked is the --seeds cut to one (0: one was asked for). It
// fails when a quantity is outside tolerance.
func scoreOne(ctx context.Context, w io.Writer, name string, sets []string, seed uint64, seedSet, asJSON bool, asked int) error {
	rows, scenario, used, err := scoreScenario(ctx, name, sets, seed, seedSet)
	if err != nil {
		return err
	}
	pass := output.PrintScore(io.Discard, scenario, rows)
	if asJSON {
		err = writeJSON(w, oneScore{Scenario: scenario, Seed: used, Rows: rows, Within: pass, SeedsAsked: asked})
	} else {
		if asked > 0 {
			fmt.Fprintln(w, oneSeedNote(scenario, asked, "run"))
		}
		output.PrintScore(w, scenario, rows)
	}
	if err != nil {
		return err
	}
	if pass < len(rows) {
		return fmt.Errorf("%d of %d quantities outside tolerance", len(rows)-pass, len(rows))
	}
	return nil
}

// scoreScenario runs a scenario and scores it against its observed list.
// It returns the rows, the scenario's name and the seed it ran.
func scoreScenario(ctx context.Context, name string, sets []string, seed uint64, seedSet bool) ([]output.ScoreRow, string, uint64, error) {
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		return nil, "", 0, err
	}
	if len(sc.File.Observed) == 0 {
		return nil, "", 0, inputError(fmt.Errorf("%s has no observed: entries to score against", name))
	}
	cfg := &sc.File.Config
	if seedSet {
		cfg.Seed = seed
	}
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		return nil, "", 0, err
	}
	rec := output.NewRecorder(false)
	if err := m.Run(ctx, rec); err != nil {
		return nil, "", 0, err
	}
	rows, err := output.Score(sc.File.Observed, rec.Timeseries())
	return rows, cfg.Name, cfg.Seed, err
}

// scoreSeeds scores a replay at n seeds (the k-th as whatifRun chooses it)
// and prints, for each quantity, the median, the 5-95% range and the
// number of seeds within tolerance. It fails when a median is outside.
func scoreSeeds(ctx context.Context, w io.Writer, name string, sets []string, seed uint64, seedSet bool, n, workers int, asJSON bool) error {
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		return err
	}
	if len(sc.File.Observed) == 0 {
		return inputError(fmt.Errorf("%s has no observed: entries to score against", name))
	}
	if _, asked := seedsToRun(n, &sc.File.Config); asked > 0 {
		return scoreOne(ctx, w, name, sets, seed, seedSet, asJSON, asked)
	}
	if !seedSet {
		seed = sc.File.Config.Seed
	}
	runs := make([][]output.ScoreRow, n)
	seeds := core.Seeds(seed, n)
	err = parallel(n, workers, func(k int) error {
		var err error
		if runs[k], _, _, err = scoreScenario(ctx, name, sets, seeds[k], true); err != nil {
			return fmt.Errorf("seed %d: %w", seeds[k], err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s := newSeedsScore(sc.File.Config.Name, sc.File.Observed, seeds, runs)
	if asJSON {
		if err := writeJSON(w, s); err != nil {
			return err
		}
	} else {
		s.print(w)
	}
	if bad := len(s.Quantities) - s.MediansWithin; bad > 0 {
		return fmt.Errorf("%d of %d medians outside tolerance", bad, len(sc.File.Observed))
	}
	return nil
}

// seedsScore is a replay's score at several seeds, as cascade score
// --seeds prints it and --json writes it.
type seedsScore struct {
	Scenario string `json:"scenario"`
	// Seeds are the run seeds, in order: the scenario's own (or --seed),
	// then core.RunSeed(it, k) for k = 1 ... N-1. They are written as
	// decimal strings: as JSON numbers, seeds above 2^53 would lose digits
	// in readers that hold numbers as doubles (jq 1.6, JavaScript).
	Seeds      []uint64        `json:"-"`
	SeedsJSON  []string        `json:"seeds"`
	Quantities []quantityScore `json:"quantities"`
	// MediansWithin counts the quantities whose median is within
	// tolerance; AllWithin the seeds on which every quantity is.
	MediansWithin int `json:"medians_within"`
	AllWithin     int `json:"all_within"`
}

// quantityScore is one observed quantity scored at several seeds.
type quantityScore struct {
	Name      string  `json:"name"`
	Quantity  string  `json:"quantity"`
	Asset     string  `json:"asset"`
	Observed  float64 `json:"observed"`
	Tolerance string  `json:"tolerance"`
	Source    string  `json:"source,omitempty"`
	// Median, P05 and P95 are taken over the seeds whose value exists
	// (nearest rank); null when none does.
	Median sim.Num `json:"median"`
	P05    sim.Num `json:"p05"`
	P95    sim.Num `json:"p95"`
	// Within counts the seeds on which the value is within tolerance;
	// MedianPass says whether the median is.
	Within     int  `json:"within"`
	MedianPass bool `json:"median_pass"`
	// Values are the simulated values, one per seed in Seeds' order (null
	// where the run gives none).
	Values []sim.Num `json:"values"`
	// bounds are the tolerance's ends (output.Bounds), for the median's digits.
	bounds []float64
}

// newSeedsScore gathers the scores of several seeds (runs[k] is seed k's).
func newSeedsScore(scenario string, obs []scenarios.Observation, seeds []uint64, runs [][]output.ScoreRow) *seedsScore {
	s := &seedsScore{Scenario: scenario, Seeds: seeds}
	for _, x := range seeds {
		s.SeedsJSON = append(s.SeedsJSON, strconv.FormatUint(x, 10))
	}
	for k := range runs {
		ok := true
		for _, r := range runs[k] {
			ok = ok && r.Pass
		}
		if ok {
			s.AllWithin++
		}
	}
	for q, o := range obs {
		qs := quantityScore{Name: o.Name, Quantity: o.Quantity, Asset: o.Asset, Observed: o.Observed, Source: o.Source, bounds: output.Bounds(o)}
		xs := make([]float64, 0, len(runs))
		for _, rows := range runs {
			r := rows[q]
			qs.Values = append(qs.Values, sim.Num(r.Simulated))
			if !math.IsNaN(r.Simulated) {
				xs = append(xs, r.Simulated)
			}
			if r.Pass {
				qs.Within++
			}
		}
		sort.Float64s(xs)
		med, lo, hi := math.NaN(), math.NaN(), math.NaN()
		if len(xs) > 0 {
			med, lo, hi = median(xs), rank(xs, 0.05), rank(xs, 0.95)
		}
		qs.Median, qs.P05, qs.P95 = sim.Num(med), sim.Num(lo), sim.Num(hi)
		qs.Tolerance, qs.MedianPass = output.Within(o, med)
		if qs.MedianPass {
			s.MediansWithin++
		}
		s.Quantities = append(s.Quantities, qs)
	}
	return s
}

// print writes the table of a score at several seeds and returns how many
// medians are outside tolerance.
func (s *seedsScore) print(w io.Writer) int {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "quantity\tobserved\tmedian\t5-95%\ttolerance\twithin\tmedian result\t")
	for _, q := range s.Quantities {
		res := "pass"
		if !q.MedianPass {
			res = "FAIL"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s – %s\t%s\t%d/%d\t%s\t\n", q.Name, output.ScoreValue(q.Observed),
			output.ScoreValue(float64(q.Median), q.bounds...),
			output.ScoreValue(float64(q.P05), q.bounds...), output.ScoreValue(float64(q.P95), q.bounds...), q.Tolerance, q.Within, len(s.Seeds), res)
	}
	tw.Flush()
	n := len(s.Quantities)
	fmt.Fprintf(w, "%s at %d seeds: %d of %d medians within tolerance; every quantity within tolerance on %d of %d seeds\n",
		s.Scenario, len(s.Seeds), s.MediansWithin, n, s.AllWithin, len(s.Seeds))
	return n - s.MediansWithin
}

// parallel calls job(k) for k = 0 ... n-1 on up to workers goroutines (at
// least one) and returns the error of the lowest k that failed, if any.
func parallel(n, workers int, job func(k int) error) error {
	return sweep.Each(context.Background(), n, workers, job)
}

// writeJSON writes v, a JSON object, as indented JSON followed by a
// newline, with made_by last: the program that wrote it
// (output.Provenance).
func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if n := len(b); n >= 2 && b[0] == '{' && b[n-1] == '}' {
		made, err := json.Marshal(output.Made(version, os.Args))
		if err != nil {
			return err
		}
		sep := ","
		if n == 2 {
			sep = ""
		}
		b = append(append(append(b[:n-1:n-1], sep+`"made_by":`...), made...), '}')
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}
