package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"github.com/spf13/cobra"
)

type runFlags struct {
	out         string
	seed        uint64
	seedSet     bool
	sets        []string
	force       bool
	agentDetail bool
	follow      []string
	noPlots     bool
	quiet       bool
	// again, when set, is the command the report prints to make the run
	// again, instead of this one's (verify --rerun makes a run from its
	// manifest and compares the report with the recorded one).
	again string
	// notes, when set, takes the notes on the set-up that a run prints
	// to standard error.
	notes io.Writer
}

func newRunCmd() *cobra.Command {
	f := &runFlags{}
	c := &cobra.Command{
		Use:   "run SCENARIO",
		Short: "Run a scenario (a file or a built-in name) and write its outputs",
		Long: `Run a scenario and write, into the output directory (default out/NAME):
summary.json, timeseries.csv and .parquet, events.jsonl, report.md (the run
on one page), manifest.json and plots/ (PNG and SVG); population.csv and
.parquet when the scenario draws agents' parameters (vary): each agent's
drawn values and the values it held. With --agent-detail also agent_detail.csv
and .parquet. With --follow ID (or the scenario's report.follow) also
follow_trades, follow_accounts and follow_positions (.csv and .parquet):
that agent's fills, accounts and positions tick by tick.
SCENARIO is a file, a built-in's name, or a run's manifest.json (the scenario
that run ran, with its seed; so wherever a command reads a scenario).
Outputs appear only when complete; an existing directory is replaced only
with --force, and only if it is empty or holds a run's output (its
manifest.json) and no file a run did not write: anything else is refused,
never deleted.`,
		Example: `  cascade run aug2024
  cascade run my.yaml --out results/my --seed 7 --set leverage_scale=2
  cascade run my.yaml --follow my-fund`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			f.seedSet = c.Flags().Changed("seed")
			return runScenario(c.Context(), c.OutOrStdout(), a[0], f)
		},
	}
	c.Flags().StringVarP(&f.out, "out", "o", "", "output directory (default out/NAME)")
	c.Flags().Uint64Var(&f.seed, "seed", 0, "random seed (default: the scenario's)")
	c.Flags().StringArrayVar(&f.sets, "set", nil, "override a field: path.to.field=value (repeatable)")
	c.Flags().BoolVar(&f.force, "force", false, "replace an existing output directory (empty, or a run's output and nothing else)")
	c.Flags().BoolVar(&f.agentDetail, "agent-detail", false, "also write a per-agent table")
	c.Flags().StringArrayVar(&f.follow, "follow", nil, "follow an agent or prime broker by id: its trades, accounts and positions (follow_*.csv) and summary.json's follow.ID (repeatable; adds to report.follow)")
	c.Flags().BoolVar(&f.noPlots, "no-plots", false, "skip the plots")
	c.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "do not print the summary")
	return c
}

// printNotes tells the user what set-up changed from the scenario.
func printNotes(w io.Writer, notes []string) {
	const most = 3
	for i, n := range notes {
		if i == most {
			fmt.Fprintf(w, "note: and %d more like it (listed in manifest.json)\n", len(notes)-most)
			break
		}
		fmt.Fprintln(w, "note:", n)
	}
}

// runScenario loads, runs and writes one scenario.
func runScenario(ctx context.Context, stdout io.Writer, name string, f *runFlags) error {
	sets := f.sets
	if f.seedSet {
		// --seed is the last word on the seed, after any --set seed=, and
		// the scenario the manifest records must carry it: run alone, it
		// is the run.
		sets = append(slices.Clip(f.sets), fmt.Sprintf("seed=%d", f.seed))
	}
	// --follow ID appends to report.follow, after any --set of it.
	follows := make([]string, len(f.follow))
	for k, id := range f.follow {
		follows[k] = "report.follow+=[" + id + "]"
	}
	sc, err := scenarios.LoadOverrides(name,
		scenarios.Overrides{Flag: "--set", Sets: sets},
		scenarios.Overrides{Flag: "--follow", Sets: follows})
	if err != nil {
		return followProblems(err, f.follow)
	}
	cfg := &sc.File.Config
	if f.seedSet {
		cfg.Seed = f.seed
	}
	out := f.out
	if out == "" {
		out = filepath.Join("out", cfg.Name)
	}
	if err := checkOutDir(out); err != nil {
		return err
	}
	stage, err := output.NewStageOf(out, f.force, output.RunKind)
	if err != nil {
		return stageError(err)
	}
	defer stage.Abort()
	started := time.Now().UTC()
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		return fmt.Errorf("building %s: %w", name, err)
	}
	notes := f.notes
	if notes == nil {
		notes = os.Stderr
	}
	printNotes(notes, m.Notes)
	col := sim.NewCollector()
	opts := output.RunOptions{AgentDetail: f.agentDetail || sc.File.Output.AgentDetail, Plots: !(f.noPlots || sc.File.Output.NoPlots)}
	rec := output.NewRecorder(opts.AgentDetail)
	if err := m.Run(ctx, col, rec); err != nil {
		return fmt.Errorf("running %s: %w", name, err)
	}
	sum := col.S
	twin, err := sim.PassiveTwin(ctx, cfg, cfg.Seed)
	if err != nil {
		return fmt.Errorf("running the passive twin of %s: %w", name, err)
	}
	sum.SetTwin(twin)
	again := reproduce(name, cfg.Seed, f)
	if f.again != "" {
		again = f.again
	}
	files, score, err := writeRun(stage, sc, rec, sum, m.Draws, opts.Plots, again)
	if err != nil {
		return err
	}
	if len(m.Draws) > 0 {
		if err := output.WriteTable(stage, "population", output.PopulationTable(m.Draws)); err != nil {
			return err
		}
		files = append(files, "population.csv", "population.parquet")
	}
	names, tables := output.FollowTables(m)
	for k, t := range tables {
		if err := output.WriteTable(stage, names[k], t); err != nil {
			return err
		}
		files = append(files, names[k]+".csv", names[k]+".parquet")
	}
	sums, err := output.Checksums(stage.Dir(), files)
	if err != nil {
		return err
	}
	goVersion, modules := output.BuildInfo()
	man := output.Manifest{Schema: output.RunKind.Schema, Scenario: cfg.Name, Origin: sc.Origin, Sources: sc.Sources, Seed: cfg.Seed,
		Options: &opts, Reproduce: again, Command: os.Args, Version: version, GoVersion: goVersion, Target: output.Target(), Modules: modules, StartedAt: started,
		FinishedAt: time.Now().UTC(), Files: append(files, "manifest.json"), Checksums: sums, Meta: rec.Meta(), Resolved: string(sc.Resolved), Notes: m.Notes}
	if err := stage.WriteFile("manifest.json", func(w io.Writer) error { return output.WriteJSON(w, &man) }); err != nil {
		return err
	}
	if err := commit(ctx, stage); err != nil {
		return stageError(err)
	}
	if !f.quiet {
		output.PrintSummary(stdout, sum)
		if score != nil {
			// A replay: report.md has the table; a miss should not wait
			// for someone to open it.
			fmt.Fprintf(stdout, "scores %d of %d observed quantities (%s for the table)\n",
				output.ScorePassed(score), len(score), scoreCommand(name, f))
		}
		fmt.Fprintf(stdout, "outputs in %s\n", out)
	}
	return nil
}

// stageError makes a refusal to replace a directory that is not the
// command's output (--force over someone else's files) a usage error:
// exit 2, as for an output directory that exists without --force.
func stageError(err error) error {
	if errors.Is(err, output.ErrNotOutput) {
		return inputError(err)
	}
	return err
}

// beforeCommit, when set (by tests), is called just before outputs are
// committed.
var beforeCommit func()

// commit moves the stage's outputs into place unless ctx is done: a
// SIGINT or SIGTERM while the outputs were being written stops the command
// there, and the deferred Abort removes them.
func commit(ctx context.Context, stage *output.Stage) error {
	if beforeCommit != nil {
		beforeCommit()
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("writing the outputs: %w", err)
	}
	return stage.Commit()
}

// scoreCommand returns the cascade score command that scores the run
// run made: its scenario, with its --seed and --set flags.
func scoreCommand(name string, f *runFlags) string {
	args := []string{"cascade", "score", output.ShellQuote(name)}
	if f.seedSet {
		args = append(args, "--seed", strconv.FormatUint(f.seed, 10))
	}
	for _, s := range f.sets {
		args = append(args, "--set", output.ShellQuote(s))
	}
	return strings.Join(args, " ")
}

// reproduce returns the cascade run command that makes a run again, with
// the same outputs.
func reproduce(name string, seed uint64, f *runFlags) string {
	args := []string{"cascade", "run", output.ShellQuote(name), "--seed", strconv.FormatUint(seed, 10)}
	for _, s := range f.sets {
		args = append(args, "--set", output.ShellQuote(s))
	}
	if f.agentDetail {
		args = append(args, "--agent-detail")
	}
	for _, id := range f.follow {
		args = append(args, "--follow", output.ShellQuote(id))
	}
	if f.noPlots {
		args = append(args, "--no-plots")
	}
	return strings.Join(args, " ")
}

// writeRun writes a run's tables, summary, events, plots and report into
// the stage and returns the files written, relative to it, and the score
// against the scenario's observed: list (nil without one).
func writeRun(stage *output.Stage, sc *scenarios.Scenario, rec *output.Recorder, sum *sim.Summary, draws []sim.Draw, plots bool, again string) ([]string, []output.ScoreRow, error) {
	files := []string{"summary.json", "timeseries.csv", "timeseries.parquet", "events.jsonl", "report.md"}
	if err := stage.WriteFile("summary.json", func(w io.Writer) error { return output.WriteJSON(w, sum) }); err != nil {
		return nil, nil, err
	}
	ts := rec.Timeseries()
	if err := output.WriteTable(stage, "timeseries", ts); err != nil {
		return nil, nil, err
	}
	if d := rec.Detail(); d != nil {
		if err := output.WriteTable(stage, "agent_detail", d); err != nil {
			return nil, nil, err
		}
		files = append(files, "agent_detail.csv", "agent_detail.parquet")
	}
	if err := stage.WriteFile("events.jsonl", func(w io.Writer) error { return output.WriteEvents(w, rec.Events()) }); err != nil {
		return nil, nil, err
	}
	if plots {
		if err := stage.MkdirAll("plots"); err != nil {
			return nil, nil, err
		}
		written, err := output.RenderRunPlots(stage.Path("plots"), ts, rec.Meta(), sum)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range written {
			rel, _ := filepath.Rel(stage.Dir(), p)
			files = append(files, filepath.ToSlash(rel))
		}
	}
	rep := &output.RunReport{Summary: sum, Meta: rec.Meta(), Description: sc.File.Config.Description, Reproduce: again, Population: draws}
	if tc, ok := ts.Column("time"); ok {
		rep.Times = tc.T
	}
	for _, f := range files {
		if strings.HasSuffix(f, ".png") {
			rep.Plots = append(rep.Plots, f)
		}
	}
	if len(sc.File.Observed) > 0 {
		score, err := output.Score(sc.File.Observed, ts)
		if err != nil {
			return nil, nil, err
		}
		rep.Score = score
	}
	if err := stage.WriteFile("report.md", func(w io.Writer) error { return output.WriteRunReport(w, rep) }); err != nil {
		return nil, nil, err
	}
	return files, rep.Score, nil
}

// followProblems names the --follow flag in err's problems with an id
// --follow added ("--follow BAD: report.follow+[0]: unknown agent ..."),
// rather than the override it is turned into, whose line and column point
// into text the user did not write.
func followProblems(err error, ids []string) error {
	ps, ok := err.(scenarios.Problems)
	if !ok {
		return err
	}
	for i, p := range ps {
		s, ok := strings.CutPrefix(p.Pos.File, "--follow #")
		if !ok {
			continue
		}
		if k, err := strconv.Atoi(s); err == nil && k >= 1 && k <= len(ids) {
			ps[i].Pos = scenarios.Pos{File: "--follow " + ids[k-1]}
		}
	}
	return ps
}
