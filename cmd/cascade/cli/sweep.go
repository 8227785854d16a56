package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/cascade-sim/cascade/sweep"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func init() { extra = append(extra, newSweepCmd, newMergeCmd) }

type sweepFlags struct {
	out           string
	workers       int
	shard         string
	resume, force bool
	noPlots       bool
	check         bool
	verbose       bool
	quiet         bool
	chunkRuns     int
	runs          int
	progressEvery time.Duration
}

func newSweepCmd() *cobra.Command {
	f := &sweepFlags{}
	c := &cobra.Command{
		Use:   "sweep SWEEP.yaml",
		Short: "Run a Monte Carlo sweep of a scenario (or one shard of it)",
		Long: `Run the runs of a sweep file on all cores and write, into the output
directory (default out/NAME; with --shard, its subdirectory shard-I-of-N):
runs.parquet and runs.csv (one row per run: index, seed, parameters,
metrics), bands.parquet and bands.csv (one row per series and tick: n, base,
min, p5, p25, p50, p75, p95 and max over the runs), sensitivity.csv (rank
correlations), levels.csv (each metric at each value of a parameter that
takes a few: levels, variants, list or choice), sobol.csv (a sobol design),
calibration.csv and calibration_metrics.csv (with the metric
score.within: the runs that reproduce every observed quantity of the base,
by parameter, and each metric over them), report.md, plots/ and
manifest.json. Metrics are paths into a run's summary.json
(capital.by_agent.DE21.loss_pct), or defaulted.ID, 1 in a run in which
agent ID defaulted and 0 otherwise: its mean is the agent's default
probability, which the report and the end of the command give with a
Wilson 95% interval; a * in the id stands for every agent's, in the
scenario's order (defaulted.* for each agent that can default,
capital.by_agent.*.loss for each bank, broker and dealer, banks.*.below_min
for each bank: 1 in a run it ends below its minimum ratio, failed or not).
docs/sweeps.md describes the file: parameters draw a number from a
distribution, a text field from its
levels, or a model choice from its variants (named sets of --set
overrides); with a posterior block, some take their values together from
one of an earlier scored sweep's runs that reproduced history. Runs are
journaled as they finish (journal/), so --resume after a crash or kill
makes only the missing runs. Results do not depend on
--workers or --shard: run i always has the seed derived from the sweep's
seed and i. --workers 0, the default, makes one run at a time per core the
process may use (GOMAXPROCS, which follows CPU quotas and affinity).

At the end, stderr gets the notes on the runs' set-up that cascade run
prints for one run (a bank that starts below its buffer_ratio, and so
sells before any event), without each run's numbers, each with how many
runs gave it and the first of them: the five most frequent (all of them
in manifest.json, setup_notes; the 20 most frequent in report.md), notes
that differ in the agent alone (each bank below its buffer_ratio) as one
line naming the agents.
--check prints the same.

--shard i/n makes the runs whose index is i modulo n (for a grid design,
every grid point in turn: docs/sweeps.md); --shard auto/n takes i
from SLURM_ARRAY_TASK_ID (Slurm job arrays) or JOB_COMPLETION_INDEX
(Kubernetes Indexed Jobs). Combine shards with cascade merge.

Before making any run, the sweep checks the file and each parameter's
range (its ends, and its most extreme draws). --check does that, then
sets every run of the shard up as it will be made, without simulating
it (its values applied to the base and the model built at its seed), so
that limits which hold one parameter at a time but break in combination
(a bank's buffer_ratio drawn above its target_ratio) are found, naming
the first failing runs and their values. That costs one model build a
run (about 1 ms for aug2024, a fifth of its sweep's time), so a sweep
does not repeat it: run --check before a long or cluster job. A sweep
stops at a run that does not set up, naming its values; the runs made
before it stay journaled. Not covered: the loader's checks of the file
as written, per run (they apply at the ranges' ends), the passive twin,
and errors during the simulation itself (docs/sweeps.md).`,
		Example: `  cascade sweep sweeps/aug2024.yaml
  cascade sweep sweeps/aug2024.yaml --runs 200 --out out/trial   # a quick trial of the design
  cascade sweep sweeps/eba2018-defaults.yaml   # each bank's default probability
  cascade sweep my.yaml --workers 8 --out results/my
  cascade sweep my.yaml --out results/my --shard auto/100 --resume   # in a Slurm array task
  cascade merge results/my`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error { return runSweep(c.Context(), c, a[0], f) },
	}
	fl := c.Flags()
	fl.StringVarP(&f.out, "out", "o", "", "output directory (default out/NAME)")
	fl.IntVarP(&f.workers, "workers", "j", 0, "runs made at once (0: one per core the process may use, GOMAXPROCS)")
	fl.StringVar(&f.shard, "shard", "", "make only shard i of n: i/n, or auto/n to take i from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX")
	fl.BoolVar(&f.resume, "resume", false, "finish the sweep already in the output directory (start it if there is none)")
	fl.BoolVar(&f.force, "force", false, "replace the sweep already in the output directory (refused if it holds files a sweep did not write)")
	fl.BoolVar(&f.noPlots, "no-plots", false, "skip the plots (shards never draw them: merge does)")
	fl.BoolVar(&f.check, "check", false, "validate the sweep file, set every run (of the shard) up as it will be made, and print the plan, without running")
	fl.IntVar(&f.runs, "runs", 0, "make this many runs instead of the file's (a trial: another sweep, with its own fingerprint)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "report every journal chunk written")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress and no summary")
	fl.IntVar(&f.chunkRuns, "chunk-runs", sweep.DefaultChunkRuns, "journal completed runs at least every this many runs (and every 10 s)")
	fl.DurationVar(&f.progressEvery, "progress-every", 10*time.Second, "interval of the progress line when stderr is not a terminal")
	fl.MarkHidden("progress-every")
	return c
}

func runSweep(ctx context.Context, c *cobra.Command, path string, f *sweepFlags) error {
	if f.workers < 0 {
		return inputError(usageError{fmt.Errorf("--workers must not be negative")})
	}
	if f.resume && f.force {
		return inputError(usageError{fmt.Errorf("--resume and --force exclude each other")})
	}
	shard := sweep.Whole
	if f.shard != "" {
		sh, err := sweep.ParseShard(f.shard, os.Getenv)
		if err != nil {
			return inputError(usageError{err})
		}
		shard = sh
	}
	if f.chunkRuns < 1 {
		return inputError(usageError{fmt.Errorf("--chunk-runs %d: need at least 1", f.chunkRuns)})
	}
	if p := sweep.RunsProblem(f.runs); c.Flags().Changed("runs") && p != "" {
		return inputError(usageError{fmt.Errorf("--runs: %s", p)})
	}
	sw, err := sweep.LoadRuns(path, f.runs)
	if err != nil {
		return err
	}
	shard = sw.ShardOf(shard) // a grid's shards spread over its points
	stdout, stderr := c.OutOrStdout(), c.ErrOrStderr()
	if f.check {
		t0 := time.Now()
		notes, err := sw.CheckRuns(ctx, shard, f.workers, checkMeter(stderr, sw.Name, f.quiet, f.progressEvery))
		if err != nil {
			return err
		}
		printPlan(stdout, sw, shard)
		fmt.Fprintf(stdout, "%s set up as they will be made (sim.Build at each run's seed) in %s\n", checkedRuns(sw, shard), roundSpan(time.Since(t0)))
		if !f.quiet {
			printSetupNotes(stderr, notes, shard.Size(sw.Runs), checkHint)
		}
		return nil
	}
	out := f.out
	if out == "" {
		out = filepath.Join("out", sw.Name)
	}
	dir := filepath.Join(out, shard.Dir())
	if err := checkOutDir(dir); err != nil {
		return err
	}
	opt := sweep.Options{Dir: dir, Workers: f.workers, Shard: shard, Resume: f.resume, Force: f.force, ChunkRuns: f.chunkRuns,
		Plots: !f.noPlots && shard.Count == 1, Version: version, Command: os.Args}
	if f.verbose {
		opt.Log = stderr
	}
	var prog *progress
	if !f.quiet {
		prog = newProgress(stderr, sw.Name, f.progressEvery)
		opt.Progress = prog.update
	}
	res, err := sweep.Run(ctx, sw, opt)
	if prog != nil {
		prog.finish()
	}
	if err != nil {
		if errors.Is(err, sweep.ErrRefused) {
			return inputError(err)
		}
		return err
	}
	if !f.quiet {
		printResult(stdout, res)
		printSetupNotes(stderr, res.Notes, res.Total, inManifest)
	}
	return nil
}

// shownNotes is how many notes on the runs' set-up a sweep prints, and
// shownAgents how many agents a line of a group of notes names.
const (
	shownNotes  = 5
	shownAgents = 10
)

// notesHint says where the notes and agents a sweep does not print are:
// in the manifest of the sweep made, or to be made (--check).
type notesHint struct{ notes, agents string }

var (
	inManifest = notesHint{"manifest.json lists them all: setup_notes", "manifest.json lists them all: setup_note_groups"}
	checkHint  = notesHint{"the sweep lists them all in manifest.json", "the sweep lists them all in manifest.json"}
)

// printSetupNotes prints the notes on the runs' set-up, as cascade run
// prints a run's, each with the runs that gave it: "note: in 312 of 1000
// runs (0, 3, 5, 8, 9, ...): bank DE21 starts below its buffer_ratio, ...",
// the most frequent first, at most shownNotes of them; notes that differ
// in the agent alone are one line naming the agents ("in all 200 runs: 14
// banks start below their buffer_ratio, ...: DE17, DE21, ...",
// sweep.Notes.Lines). more says where the others are.
func printSetupNotes(w io.Writer, n *sweep.Notes, total int, more notesHint) {
	if n == nil {
		return
	}
	lines := n.Lines(shownAgents)
	for k, l := range lines {
		if k == shownNotes {
			fmt.Fprintf(w, "note: and %d more notes on the runs' set-up (%s)\n", len(lines)-k, more.notes)
			break
		}
		text := l.Text
		if l.LeftOut > 0 {
			text += " (" + more.agents + ")"
		}
		fmt.Fprintf(w, "note: %s: %s\n", l.InRuns(total), text)
	}
	if n.Unrecorded > 0 {
		fmt.Fprintf(w, "note: the notes on the set-up of %d %s journaled by an earlier cascade were not recorded, and are not counted above (--force remakes every run)\n",
			n.Unrecorded, plural(n.Unrecorded, "run", "runs"))
	}
}

// checkMeter returns a progress function for the check of the runs
// (CheckRuns), which sets every run up before a sweep makes any: silent
// for the first two seconds (a check of 10,000 runs takes a few), then a
// line every interval. Nil when quiet.
func checkMeter(w io.Writer, name string, quiet bool, interval time.Duration) func(done, total int) {
	if quiet {
		return nil
	}
	start := time.Now()
	var last time.Time
	return func(done, total int) {
		now := time.Now()
		if now.Sub(start) < 2*time.Second || now.Sub(last) < interval || done == total {
			return
		}
		last = now
		fmt.Fprintf(w, "%s: checking the runs before making any: %d of %d set up\n", name, done, total)
	}
}

// checkedRuns names the runs --check set up: every run, or the shard's.
func checkedRuns(sw *sweep.Sweep, sh sweep.Shard) string {
	n := sh.Size(sw.Runs)
	if sh.Count > 1 {
		return fmt.Sprintf("the %d %s of shard %s", n, plural(n, "run", "runs"), sh)
	}
	if n == 1 {
		return "the run"
	}
	return fmt.Sprintf("all %d runs", n)
}

// printPlan describes a valid sweep without running it.
func printPlan(w io.Writer, sw *sweep.Sweep, sh sweep.Shard) {
	fmt.Fprintf(w, "%s: ok\n", sw.Path)
	fmt.Fprintf(w, "base %s, %d runs (%s design), seed %d", sw.BaseName, sw.Runs, sw.Design, sw.File.Seed)
	if sw.File.Runs != 0 && sw.Runs != sw.File.Runs {
		fmt.Fprintf(w, " (--runs; the file has %d)", sw.File.Runs)
	}
	if sh.Count > 1 {
		fmt.Fprintf(w, "; shard %s makes %d of them", sh, sh.Size(sw.Runs))
	}
	if sw.Design == sweep.Sobol {
		fmt.Fprintf(w, "\n%d base samples of %d runs each: A, B, one per parameter with it from B, one with B's seed", sw.Runs/sw.Block, sw.Block)
	}
	if sw.Design == sweep.Grid && sw.GridSize > 0 {
		reps := sw.Runs / sw.GridSize
		if sw.File.PairSeeds {
			fmt.Fprintf(w, "\n%d grid points × %d seeds, paired: replicate r runs every point at one seed", sw.GridSize, reps)
		} else if reps == 1 {
			fmt.Fprintf(w, "\n%d grid points, one run each", sw.GridSize)
		} else {
			fmt.Fprintf(w, "\n%d grid points × %d runs, each run with a seed of its own (pair_seeds: true shares them across points)", sw.GridSize, reps)
		}
	}
	fmt.Fprintf(w, "\nfingerprint %s\n", sw.Fingerprint)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tfield\tdistribution")
	r := sw.Resolved()
	for _, p := range r.Parameters {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Name, sweep.Fields(p), sweep.Describe(p, r.Posterior))
	}
	tw.Flush()
	fmt.Fprintf(w, "metrics: %s\n", strings.Join(metricNames(sw), ", "))
	fmt.Fprintf(w, "series: %s\n", strings.Join(sw.Series, ", "))
	if sw.Twin {
		fmt.Fprintln(w, "each run also runs its passive twin (for amplification)")
	}
	if sw.Runs > 0 {
		vals := make([]float64, len(sw.Params))
		sw.Values(0, vals)
		fmt.Fprintf(w, "run 0 alone: %s\n", sw.Reproduce(0, vals))
	}
}

func metricNames(sw *sweep.Sweep) []string {
	var n []string
	for _, m := range sw.Metrics {
		n = append(n, m.Name)
	}
	return n
}

// doneLine is the line that reports a sweep's time and rate. The rate is
// that of making the runs; when writing the outputs and plots took a tenth
// of the time or more, the line splits the time between the two, so that
// the rate does not seem to contradict it.
func doneLine(res *sweep.Result) string {
	done := fmt.Sprintf("%d runs", res.Total)
	if res.Resumed > 0 {
		done = fmt.Sprintf("%d runs (%d made now, %d before)", res.Total, res.Ran, res.Resumed)
	}
	line := fmt.Sprintf("%s: %s in %s", res.Name, done, roundSpan(res.Elapsed))
	if res.Ran == 0 || res.RunTime <= 0 {
		return line
	}
	rate := fmt.Sprintf("%.1f runs/s on %d %s", float64(res.Ran)/res.RunTime.Seconds(), res.Workers, plural(res.Workers, "worker", "workers"))
	if rest := res.Elapsed - res.RunTime; rest*10 >= res.Elapsed {
		return fmt.Sprintf("%s (making them %s, %s; outputs and plots %s)", line, roundSpan(res.RunTime), rate, roundSpan(rest))
	}
	return fmt.Sprintf("%s (%s)", line, rate)
}

// roundSpan rounds a duration for reading: to 100 ms from a second up,
// to the millisecond below.
func roundSpan(d time.Duration) string {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// printResult reports a completed sweep: time, rate, metric summaries.
func printResult(w io.Writer, res *sweep.Result) {
	fmt.Fprintln(w, doneLine(res))
	if len(res.Stats) > 0 {
		width := len("metric")
		for _, s := range res.Stats {
			width = max(width, len(s.Name))
		}
		quantiles, probabilities := sweep.SplitIndicators(res.Stats)
		if len(probabilities) > 0 {
			width = max(width, len("0/1 metric"))
		}
		if len(quantiles) > 0 {
			fmt.Fprintf(w, "%-*s %10s %10s %10s %10s\n", width, "metric", "p5", "median", "p95", "mean")
		}
		for _, s := range quantiles {
			fmt.Fprintf(w, "%-*s %10s %10s %10s %10s\n", width, s.Name, sweep.Short(s.P5), sweep.Short(s.P50), sweep.Short(s.P95), sweep.Short(s.Mean))
		}
		if len(probabilities) > 0 {
			fmt.Fprintf(w, "%-*s %11s %11s  %s\n", width, "0/1 metric", "runs with 1", "probability", "95% interval (Wilson)")
		}
		for _, s := range probabilities {
			share, interval := sweep.Probability(s)
			fmt.Fprintf(w, "%-*s %11s %11s  %s\n", width, s.Name, fmt.Sprintf("%d/%d", s.Ones, s.N), share, interval)
		}
		if res.Stats[0].Sampled {
			fmt.Fprintln(w, "(over a deterministic sample of about 100,000 runs)")
		}
		var same []string
		for _, s := range res.Stats {
			if s.Constant {
				same = append(same, s.Name)
			}
		}
		if len(same) > 0 {
			fmt.Fprintf(w, "note: %s %s the same in every run: nothing the sweep varied moved %s (sensitivity.csv leaves %s correlations empty)\n",
				strings.Join(same, ", "), plural(len(same), "is", "are"), plural(len(same), "it", "them"), plural(len(same), "its", "their"))
		}
	}
	printSobol(w, res.Sobol)
	printPaired(w, res.Paired)
	if res.Calibration != nil {
		fmt.Fprintf(w, "calibration: %s (calibration.csv, report.md)\n", res.Calibration.Headline())
	}
	fmt.Fprintf(w, "outputs in %s\n", res.Dir)
}

// printPaired prints a paired grid's differences: a row per parameter's
// value and metric, the mean difference from the reference with its 95%
// interval's half-width, and the pairs in which it is higher and lower.
func printPaired(w io.Writer, ds []sweep.PairedDiff) {
	if len(ds) == 0 {
		return
	}
	fmt.Fprintln(w, "paired differences, value minus reference at the same seed (paired.csv):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "parameter\tmetric\tmean\t± 95%\thigher\tlower\t")
	for _, d := range ds {
		fmt.Fprintf(tw, "%s=%s (against %s)\t%s\t%s\t%s\t%d/%d\t%d/%d\t\n", d.Parameter, d.Level, d.Reference, d.Name,
			sweep.Short(d.Mean), sweep.Short(1.96*d.SE()), d.Above, d.N, d.Below, d.N)
	}
	tw.Flush()
}

// printSobol prints a sobol design's indices: a row per metric, a column
// per factor, each cell the total-order index with the first-order one in
// brackets.
func printSobol(w io.Writer, ix []sweep.SobolIndex) {
	if len(ix) == 0 {
		return
	}
	var factors, metrics []string
	for _, x := range ix {
		if x.Metric != ix[0].Metric {
			break
		}
		factors = append(factors, x.Factor)
	}
	for k := 0; k < len(ix); k += len(factors) {
		metrics = append(metrics, ix[k].Metric)
	}
	fmt.Fprintf(w, "Sobol indices, total order (first order), over %s; 95%% intervals in sobol.csv\n", sweep.SobolBasis(ix))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "metric\t")
	for _, f := range factors {
		fmt.Fprintf(tw, "%s\t", f)
	}
	fmt.Fprintln(tw)
	for m, name := range metrics {
		fmt.Fprintf(tw, "%s\t", name)
		for f := range factors {
			fmt.Fprintf(tw, "%s\t", sweep.SobolCell(ix[m*len(factors)+f]))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// progress shows a sweep's progress on stderr: a progress bar with rate and
// ETA on a terminal, else a plain line every interval (for cluster logs).
type progress struct {
	w        io.Writer
	name     string
	bar      *progressbar.ProgressBar
	mu       sync.Mutex
	done     int
	first    int // runs done at the start
	total    int
	started  time.Time
	ended    time.Time // when the last run was done: the outputs come after
	stop     chan struct{}
	stopped  sync.WaitGroup
	interval time.Duration
}

func newProgress(w io.Writer, name string, interval time.Duration) *progress {
	return &progress{w: w, name: name, first: -1, interval: interval, started: time.Now()}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// update records progress (called by the sweep after every run).
func (p *progress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done, p.total = done, total
	if done == total && p.ended.IsZero() {
		p.ended = time.Now()
	}
	if p.first >= 0 {
		if p.bar != nil {
			p.bar.Set(done)
		}
		return
	}
	p.first, p.started = done, time.Now()
	if isTerminal(p.w) {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription(p.name),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("runs"),
			progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetWidth(30), progressbar.OptionClearOnFinish())
		p.bar.Set(done)
		return
	}
	fmt.Fprintf(p.w, "%s: %d runs to make (%d of %d already done)\n", p.name, total-done, done, total)
	if done == total || p.interval <= 0 {
		return
	}
	p.stop = make(chan struct{})
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		t := time.NewTicker(p.interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.mu.Lock()
				fmt.Fprintln(p.w, progressLine(p.name, p.done, p.total, p.first, time.Since(p.started)))
				p.mu.Unlock()
			case <-p.stop:
				return
			}
		}
	}()
}

// finish stops the periodic line and prints the last one.
func (p *progress) finish() {
	if p.stop != nil {
		close(p.stop)
		p.stopped.Wait()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
		return
	}
	if p.first >= 0 && p.done > p.first {
		end := p.ended
		if end.IsZero() {
			end = time.Now() // stopped before the last run
		}
		fmt.Fprintln(p.w, progressLine(p.name, p.done, p.total, p.first, end.Sub(p.started)))
	}
}

// progressLine is the plain progress report: runs done, rate and ETA.
func progressLine(name string, done, total, first int, elapsed time.Duration) string {
	pct := 100.0
	if total > 0 {
		pct = 100 * float64(done) / float64(total)
	}
	s := fmt.Sprintf("%s: %d/%d runs (%.1f%%)", name, done, total, pct)
	made := done - first
	if made <= 0 || elapsed <= 0 {
		return s + ", starting"
	}
	rate := float64(made) / elapsed.Seconds()
	s += fmt.Sprintf(", %.1f runs/s", rate)
	if done < total {
		eta := time.Duration(float64(total-done) / rate * float64(time.Second))
		s += ", ETA " + eta.Round(time.Second).String()
	} else {
		s += ", done in " + elapsed.Round(100*time.Millisecond).String()
	}
	return s
}

type mergeFlags struct {
	out     string
	force   bool
	noPlots bool
	quiet   bool
}

func newMergeCmd() *cobra.Command {
	f := &mergeFlags{}
	c := &cobra.Command{
		Use:   "merge DIR...",
		Short: "Combine the shards of a sweep into one sweep",
		Long: `Combine the output directories of a sweep's shards (made with cascade sweep
--shard) into one sweep, with the same outputs as the sweep run unsharded.
A DIR may be a shard's directory or the directory holding shard-I-of-N
subdirectories. The result goes to --out (default: DIR/merged, for the
parent directory of the shards). Shards of different sweeps, incomplete
shards, and sets that miss runs or hold one twice are refused, and so is an
--out that is, holds or lies inside a shard directory. An existing --out is
replaced only with --force, and only if it is empty or holds a sweep's
output (its manifest.json) and no file a sweep did not write.`,
		Example: `  cascade merge results/my                        # results/my/shard-*-of-* -> results/my/merged
  cascade merge a/shard-0-of-2 b/shard-1-of-2 --out all`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			dirs, parent, err := shardDirs(a)
			if err != nil {
				return inputError(err)
			}
			out := f.out
			if out == "" {
				if parent == "" {
					return inputError(usageError{fmt.Errorf("the shards are in different directories: give --out")})
				}
				out = filepath.Join(parent, "merged")
			}
			if err := checkOutDir(out); err != nil {
				return err
			}
			res, err := sweep.Merge(dirs, sweep.MergeOptions{Out: out, Force: f.force, Plots: !f.noPlots, Version: version,
				Command: os.Args, Log: c.ErrOrStderr()})
			if err != nil {
				if errors.Is(err, sweep.ErrRefused) {
					return inputError(err)
				}
				return err
			}
			if !f.quiet {
				fmt.Fprintf(c.OutOrStdout(), "merged %d shard directories\n", len(dirs))
				printResult(c.OutOrStdout(), res)
				printSetupNotes(c.ErrOrStderr(), res.Notes, res.Total, inManifest)
			}
			return nil
		},
	}
	c.Flags().StringVarP(&f.out, "out", "o", "", "output directory (default: PARENT/merged)")
	c.Flags().BoolVar(&f.force, "force", false, "replace an existing output directory (empty, or a sweep's output and nothing else)")
	c.Flags().BoolVar(&f.noPlots, "no-plots", false, "skip the plots")
	c.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "print nothing")
	return c
}

// shardDirs expands the arguments of merge: a directory without a
// manifest.json stands for its shard-*-of-* subdirectories. It also
// returns the common parent of the shard directories ("" if none).
func shardDirs(args []string) ([]string, string, error) {
	var dirs []string
	for _, a := range args {
		if _, err := os.Stat(filepath.Join(a, "manifest.json")); err == nil {
			dirs = append(dirs, filepath.Clean(a))
			continue
		}
		subs, _ := filepath.Glob(filepath.Join(a, "shard-*-of-*"))
		if len(subs) == 0 {
			return nil, "", fmt.Errorf("%s is not a sweep output directory and holds no shard-I-of-N directories", a)
		}
		dirs = append(dirs, subs...)
	}
	parent := filepath.Dir(dirs[0])
	for _, d := range dirs[1:] {
		if filepath.Dir(d) != parent {
			parent = ""
		}
	}
	return dirs, parent, nil
}
