package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/sim"
)

// Options configure Run.
type Options struct {
	// Dir is the output directory of the sweep (of the shard, when sharded).
	Dir string
	// Workers is the number of runs made at once (0: one per core).
	Workers int
	// Shard selects the runs to make (zero value: every run).
	Shard Shard
	// Resume finishes the sweep already in Dir (a missing Dir starts one);
	// Force replaces it, unless Dir also holds files that are not the
	// sweep's (see output.SweepKind), which are named in the refusal.
	// Without either, an existing sweep is an error.
	Resume, Force bool
	// A journal chunk is written every ChunkRuns completed runs (default
	// 1000) or ChunkEvery (default 10 s), whichever comes first: an
	// interruption loses at most that much work.
	ChunkRuns  int
	ChunkEvery time.Duration
	// Plots draws the plots when the sweep completes.
	Plots bool
	// Version and Command are recorded in the manifest.
	Version string
	Command []string
	// Progress, if set, is called with the number of the shard's runs done
	// and their total: once at the start and after every run.
	Progress func(done, total int)
	// CheckRuns sets every run of the shard up before making any
	// (Sweep.CheckRuns, as cascade sweep --check does): a run whose values
	// break the scenario in combination is refused before anything is
	// written, at the cost of one model build a run (about a fifth of an
	// aug2024 sweep's time). Without it, such a run stops the sweep when
	// it comes, naming its values; the runs made before it stay journaled.
	CheckRuns bool
	// Checking, if set, is called now and then with the number of the
	// shard's runs set up and their total while Run checks them
	// (CheckRuns), before it makes any.
	Checking func(done, total int)
	// Log, if set, receives a line for every journal chunk written.
	Log io.Writer
}

// Result reports what Run or Merge did.
type Result struct {
	Name    string // the sweep's
	Dir     string
	Total   int // runs of the shard
	Resumed int // runs done before this call
	Ran     int // runs made by this call
	Workers int
	Elapsed time.Duration // in all
	RunTime time.Duration // making runs (without writing the outputs)
	Files   []string      // written, relative to Dir
	Stats   []MetricStats // per metric, when complete
	Sobol   []SobolIndex  // a complete sobol design's indices, per metric and factor
	// Paired: a complete grid with pair_seeds, each parameter's paired
	// differences, by parameter, value and metric (paired.csv).
	Paired []PairedDiff
	// Calibration: which runs reproduce the base's observed list, for a
	// complete sweep with the metric score.within (else nil).
	Calibration *Calibration
	// Notes are the notes on the runs' set-up, counted over the shard's
	// runs, when complete (manifest.json's setup_notes).
	Notes *Notes
}

// ErrRefused is matched (errors.Is) by the errors of Run and Merge that
// refuse the request as given: an existing output directory, a resume or
// a merge of a different sweep, missing or duplicate runs.
var ErrRefused = errors.New("refused")

type refusal struct{ msg string }

func (r refusal) Error() string        { return r.msg }
func (r refusal) Is(target error) bool { return target == ErrRefused }

func refuse(format string, args ...any) error { return refusal{fmt.Sprintf(format, args...)} }

// Defaults of Options.
const (
	DefaultChunkRuns  = 1000
	DefaultChunkEvery = 10 * time.Second
)

// state is an open sweep output directory.
type state struct {
	dir    string
	man    *Manifest
	shard  Shard
	done   *bitset // per run of the shard
	ndone  int
	next   int // number of the next chunk
	unlock func()
}

// Run makes the runs of the shard that are not done yet, journaling them
// as they finish, and, once every run of the shard is done, writes the
// outputs. With Options.CheckRuns it first sets up every run of the shard
// and, if one does not set up, returns its scenarios.Problems having
// written nothing. Cancelling ctx stops it after journaling the runs
// completed.
func Run(ctx context.Context, sw *Sweep, opt Options) (*Result, error) {
	if opt.Shard.Count == 0 {
		opt.Shard = Whole
	}
	opt.Shard = sw.ShardOf(opt.Shard)
	if opt.ChunkRuns <= 0 {
		opt.ChunkRuns = DefaultChunkRuns
	}
	if opt.ChunkEvery <= 0 {
		opt.ChunkEvery = DefaultChunkEvery
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	started := time.Now()
	// Every run of the shard set up before anything is written, if asked:
	// a run whose parameters break the scenario in combination is refused
	// now, not hours into the sweep.
	if opt.CheckRuns {
		if _, err := sw.CheckRuns(ctx, opt.Shard, opt.Workers, opt.Checking); err != nil {
			return nil, err
		}
	}
	st, err := open(sw, opt)
	if err != nil {
		return nil, err
	}
	defer st.unlock()
	res := &Result{Name: sw.Name, Dir: st.dir, Total: st.done.len(), Resumed: st.ndone, Workers: min(opt.Workers, max(1, st.done.len()-st.ndone))}
	if opt.Log != nil && st.ndone > 0 {
		fmt.Fprintf(opt.Log, "resuming %s: %d of %d runs already done\n", st.dir, st.ndone, st.done.len())
	}
	if opt.Progress != nil {
		opt.Progress(st.ndone, st.done.len())
	}
	if st.ndone < st.done.len() {
		t0 := time.Now()
		ran, err := st.work(ctx, sw, opt, res.Workers)
		res.Ran, res.RunTime = ran, time.Since(t0)
		if err != nil {
			res.Elapsed = time.Since(started)
			return res, err
		}
	}
	err = st.finish(opt.Plots, res)
	res.Elapsed = time.Since(started)
	return res, err
}

// open prepares the output directory: a new one, or the sweep to resume.
func open(sw *Sweep, opt Options) (*state, error) {
	dir := filepath.Clean(opt.Dir)
	st := &state{dir: dir, shard: opt.Shard, done: newBitset(opt.Shard.Size(sw.Runs)), next: 1}
	fresh := true
	made := false // open creates dir
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		made = true
	case err != nil:
		return nil, err
	case !fi.IsDir():
		return nil, refuse("%s exists and is not a directory: choose another --out", dir)
	default:
		man, merr := ReadManifest(dir)
		switch {
		case merr != nil && unstarted(dir):
			// A sweep stopped (killed, or failed) before it wrote its
			// manifest left this: no run was made, so the sweep starts
			// afresh here, with or without --resume or --force.
			if err := clearDir(dir, false); err != nil {
				return nil, err
			}
			made = true
		case merr != nil && !isEmptyDir(dir):
			if _, err := os.Lstat(filepath.Join(dir, "manifest.json")); errors.Is(err, fs.ErrNotExist) {
				return nil, refuse("%s exists and is not a sweep output directory (it holds other files and no manifest.json): choose another --out", dir)
			}
			return nil, refuse("%s exists and is not a sweep output directory (%v): choose another --out", dir, merr)
		case merr != nil:
		case opt.Force:
			// Only a directory of nothing but the sweep's files is
			// deleted: a user's notes or figures in it are refused, and
			// named, before anything is written (clearDir checks, under
			// the lock).
			if err := clearDir(dir, true); err != nil {
				return nil, err
			}
			made = true
		case !opt.Resume:
			state := "complete"
			if !man.Complete {
				state = fmt.Sprintf("%d of %d runs done", man.Completed.Count, man.ShardRuns)
			}
			return nil, refuse("%s already holds a sweep (%s): add --resume to finish it, or --force to start over", dir, state)
		// A sweep whose base differs from this one's in its wording only
		// (sameRuns) resumes under its own fingerprint, which its journal
		// carries.
		case man.Fingerprint != sw.Fingerprint && !sameRuns(man, sw.manifestHead()):
			return nil, refuse("%s holds a different sweep (fingerprint %.12s, this one is %.12s; %s): use another --out, or --force to start over",
				dir, man.Fingerprint, sw.Fingerprint, describeDiff(man, sw.manifestHead()))
		case man.Shard != opt.Shard && man.Shard.Index == opt.Shard.Index && man.Shard.Count == opt.Shard.Count:
			return nil, refuse("%s holds shard %s of a grid as an earlier cascade made it (the runs whose index is %d modulo %d, a fixed slice of the grid); this one spreads every shard over the whole grid: use --force to start over, or finish it with the cascade that started it", dir, man.Shard, man.Shard.Index, man.Shard.Count)
		case man.Shard != opt.Shard:
			return nil, refuse("%s holds shard %s, not %s", dir, man.Shard, opt.Shard)
		case !man.Plan.equal(sw.Plan):
			return nil, refuse("%s was started by a program that runs the base scenario differently (another version of cascade?): use --force to start over", dir)
		default:
			fresh = false
			st.man = man
			// The plan may differ in its labels only (Plan.equal): the
			// outputs take this version's, as a sweep begun now would.
			st.man.Plan = sw.Plan
			// The file may write the metrics otherwise (a pattern for the
			// agents' metrics written out): the report and the plots
			// group them as the file that finishes the sweep does.
			st.man.SweepFile, st.man.SweepSource = sw.Path, string(sw.Source)
			// So may which parameters are true or false, which a manifest
			// written before it was recorded leaves out (unlabeled).
			for k := range st.man.Sweep.Parameters {
				st.man.Sweep.Parameters[k].Boolean = sw.Params[k].Boolean
			}
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, journalDir), 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	st.unlock = unlock
	removeStaleTemps(dir) // a killed writer's, now that no other process works here
	if fresh {
		st.man = sw.manifestHead()
		st.man.Shard, st.man.ShardRuns = opt.Shard, st.done.len()
		st.man.Version, st.man.Command, st.man.Workers = opt.Version, opt.Command, opt.Workers
		st.man.Reproduce = ReproduceCommand(sw.Path, sw.Runs, opt.Shard, opt.Plots)
		st.man.GoVersion, st.man.Modules = output.BuildInfo()
		st.man.Target = output.Target()
		st.man.MadeBy = []MadeBy{madeBy(opt.Version, opt.Command, opt.Workers)}
		st.man.StartedAt = time.Now().UTC()
		st.man.Completed = ranges(opt.Shard, st.done)
		if err := st.man.write(dir); err != nil {
			if made { // leave no directory without a manifest behind
				os.RemoveAll(dir)
			}
			unlock()
			return nil, err
		}
		return st, nil
	}
	files, next, err := chunkFiles(dir, true)
	if err != nil {
		unlock()
		return nil, err
	}
	st.next = next
	width := len(sw.Params) + len(sw.Metrics)
	for _, f := range files {
		_, _, err := readChunk(f, st.man.Fingerprint, width, func(i int) error {
			if i >= sw.Runs || !opt.Shard.Holds(i) {
				return fmt.Errorf("%s holds run %d, which is not in shard %s", f, i, opt.Shard)
			}
			k := opt.Shard.Local(i)
			if st.done.has(k) {
				return fmt.Errorf("%s: run %d is journaled twice", f, i)
			}
			st.done.set(k)
			st.ndone++
			return nil
		})
		if err != nil {
			unlock()
			return nil, err
		}
	}
	st.man.Command, st.man.Workers = opt.Command, opt.Workers
	st.man.Reproduce = ReproduceCommand(sw.Path, sw.Runs, opt.Shard, opt.Plots)
	st.man.MadeBy = append(st.man.MadeBy, madeBy(opt.Version, opt.Command, opt.Workers))
	st.man.Version, st.man.Target = opt.Version, output.Target()
	st.man.GoVersion, st.man.Modules = output.BuildInfo()
	st.man.Completed = ranges(opt.Shard, st.done)
	return st, nil
}

// unstarted reports whether dir holds only what a sweep makes before it
// writes its manifest: the lock file, the journal directory without any
// chunk in it, and temporary files (of a manifest or a chunk being
// written, whose writer was killed).
func unstarted(dir string) bool {
	ents, err := os.ReadDir(dir)
	if err != nil || len(ents) == 0 {
		return false
	}
	for _, e := range ents {
		switch name := e.Name(); {
		case name == ".lock" && e.Type().IsRegular():
		case strings.HasPrefix(name, ".manifest.json.tmp-") && e.Type().IsRegular():
		case name == journalDir && e.IsDir():
			jents, err := os.ReadDir(filepath.Join(dir, name))
			if err != nil {
				return false
			}
			for _, j := range jents {
				if !strings.HasPrefix(j.Name(), ".") || !j.Type().IsRegular() {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// clearDir removes the sweep directory dir, unless another process is
// working there. With manifestLast (--force) it first checks, holding the
// lock, that dir holds nothing but a sweep's own files, so that nothing a
// user adds before the lock is taken is deleted; then it removes everything
// else before the manifest, so that if it is killed half-way what is left
// is still known for a sweep's directory, and --force can be given again.
func clearDir(dir string, manifestLast bool) error {
	unlock, err := lockDir(dir)
	if err != nil {
		return err
	}
	defer unlock()
	if manifestLast {
		if err := output.Replaceable(dir, output.SweepKind); err != nil {
			return refusal{err.Error()}
		}
		ents, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range ents {
			if n := e.Name(); n != "manifest.json" && n != ".lock" {
				if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
					return err
				}
			}
		}
		if err := os.Remove(filepath.Join(dir, "manifest.json")); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return os.RemoveAll(dir)
}

func isEmptyDir(dir string) bool {
	ents, err := os.ReadDir(dir)
	return err == nil && len(ents) == 0
}

// manifestHead returns the manifest fields that come from the sweep.
func (sw *Sweep) manifestHead() *Manifest {
	return &Manifest{Schema: ManifestSchema, Fingerprint: sw.Fingerprint, Sweep: sw.Resolved(), SweepFile: sw.Path,
		SweepSource: string(sw.Source), Plan: sw.Plan, Files: []string{},
		Base: BaseInfo{Name: sw.BaseName, Origin: sw.Base.Origin, Resolved: string(sw.Base.Resolved),
			Currency: sw.Base.File.Config.AccountCurrency(), Report: baseMeasures(&sw.Base.File.Config)}}
}

// baseMeasures returns how the base scenario's runs measure what they
// report (nil if it does not build, which loading the sweep refuses).
func baseMeasures(cfg *sim.Config) *sim.Measures {
	m, err := sim.Build(cfg.Clone(), cfg.Seed)
	if err != nil {
		return nil
	}
	ms := m.Measures()
	return &ms
}

// outcome is a finished run, or its failure.
type outcome struct {
	row    row
	series [][]float64
	err    error
}

// work makes the missing runs on a pool of workers and journals them. It
// returns the number of runs it journaled.
func (st *state) work(ctx context.Context, sw *Sweep, opt Options, workers int) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	outs := make(chan outcome, workers)
	before := st.done.clone() // the collector marks runs done while the feeder reads
	go func() {
		defer close(jobs)
		for k := 0; k < before.len(); k++ {
			if before.has(k) {
				continue
			}
			if ctx.Err() != nil { // a ready send would win half the time
				return
			}
			select {
			case jobs <- st.shard.Run(k):
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r, series, err := sw.runOne(ctx, i)
				outs <- outcome{row: r, series: series, err: err}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(outs)
	}()

	width := len(sw.Params) + len(sw.Metrics)
	bands := NewBands(sw.Plan.anchors())
	notes := newNoteTally()
	var pending []row
	ran := 0
	var failed error
	last := time.Now()
	flush := func() error {
		if len(pending) == 0 {
			last = time.Now() // the next chunk is due ChunkEvery from now, not at once
			return nil
		}
		enc, err := bands.MarshalBinary()
		if err != nil {
			return err
		}
		noted, err := notes.encode()
		if err != nil {
			return err
		}
		if err := writeChunk(st.dir, st.next, st.man.Fingerprint, width, pending, enc, noted); err != nil {
			return err
		}
		for _, r := range pending {
			st.done.set(st.shard.Local(r.index))
		}
		st.ndone += len(pending)
		ran += len(pending)
		st.man.Completed = ranges(st.shard, st.done)
		if err := st.man.write(st.dir); err != nil {
			return err
		}
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, "journal: %s with %d runs; %d of %d runs on disk\n", chunkName(st.next), len(pending), st.ndone, st.done.len())
		}
		st.next++
		pending = pending[:0]
		bands.Reset()
		notes.reset()
		last = time.Now()
		return nil
	}
	tick := time.NewTicker(min(opt.ChunkEvery, time.Second))
	defer tick.Stop()
	inflight := st.ndone
loop:
	for {
		select {
		case o, ok := <-outs:
			if !ok {
				break loop
			}
			if o.err != nil {
				if failed == nil && !(ctx.Err() != nil && errors.Is(o.err, context.Canceled)) {
					failed = o.err
					cancel()
				}
				continue
			}
			pending = append(pending, o.row)
			bands.Add(o.series)
			notes.add(o.row.index, o.row.gists)
			inflight++
			if opt.Progress != nil {
				opt.Progress(inflight, st.done.len())
			}
			if len(pending) >= opt.ChunkRuns {
				if err := flush(); err != nil && failed == nil {
					failed = err
					cancel()
				}
			}
		case <-tick.C:
			if time.Since(last) >= opt.ChunkEvery {
				if err := flush(); err != nil && failed == nil {
					failed = err
					cancel()
				}
			}
		}
	}
	if err := flush(); err != nil && failed == nil {
		failed = err
	}
	if failed != nil {
		return ran, failed
	}
	if st.ndone < st.done.len() {
		return ran, fmt.Errorf("interrupted with %d of %d runs done (they are journaled in %s; finish with --resume): %w",
			st.ndone, st.done.len(), st.dir, context.Cause(ctx))
	}
	return ran, nil
}

// runOne makes run i and returns its row (with the notes on its set-up)
// and series.
func (sw *Sweep) runOne(ctx context.Context, i int) (row, [][]float64, error) {
	np := len(sw.Params)
	r := row{index: i, seed: sw.RunSeed(i), values: make([]float64, np+len(sw.Metrics))}
	sw.Values(i, r.values[:np])
	cfg, err := sw.runConfig(r.values[:np])
	if err != nil {
		return r, nil, sw.runError(i, r.values, err)
	}
	obs := newSeriesObserver(sw.Series, sw.Plan.Ticks, false)
	observers := []sim.Observer{obs}
	var scored *ScoreObserver
	if len(sw.ScoreSeries) > 0 {
		scored = NewScoreObserver(sw.Base.File.Observed, sw.Plan.Ticks)
		observers = append(observers, scored)
	}
	sum, err := sim.RunSummary(ctx, cfg, r.seed, sw.Twin, observers...)
	if err != nil {
		if ctx.Err() != nil {
			return r, nil, err
		}
		return r, nil, sw.runError(i, r.values, err)
	}
	var score []output.ScoreRow
	if scored != nil {
		if score, err = scored.Score(); err != nil {
			return r, nil, sw.runError(i, r.values, err)
		}
	}
	for m := range sw.Metrics {
		v := &r.values[np+m]
		switch k := sw.Metrics[m].score; {
		case k == 0:
			*v = sw.Metrics[m].get.value(sum)
		case k < 0:
			*v = 0
			for _, row := range score {
				if row.Pass {
					*v++
				}
			}
		default:
			*v = score[k-1].Simulated
		}
	}
	r.gists = obs.gists
	return r, obs.vals, nil
}

func (sw *Sweep) runError(i int, values []float64, err error) error {
	return fmt.Errorf("run %d failed: %w\nits values: %s\nreproduce it with: %s\n(cascade sweep --check sets every run up without making any, and lists the runs that do not set up)",
		i, err, sw.valuesText(values[:len(sw.Params)]), sw.Reproduce(i, values))
}

// Reproduce returns the cascade run command that makes run i on its own,
// given its parameter values.
func (sw *Sweep) Reproduce(i int, values []float64) string {
	args := []string{"cascade", "run", output.ShellQuote(sw.BaseName), "--seed", strconv.FormatUint(sw.RunSeed(i), 10)}
	sets := sw.File.Set
	if sw.comboSets != nil { // the file's set and the run's variants' overrides
		sets = sw.comboSets[sw.combo(values)]
	}
	for _, s := range sets {
		args = append(args, "--set", output.ShellQuote(s))
	}
	cfg := &sw.Base.File.Config
	for p := range sw.Params {
		q := &sw.Params[p]
		if q.Sets != nil { // a variant: given above
			continue
		}
		if !q.ts[0].eventTick { // a parameter's fields are all event ticks or none
			sets := q.assign(values[p])
			if q.Levels != nil { // a text field's level, at every field
				v := q.setValue(values[p])
				for k, path := range q.Paths {
					sets[k] = path + "=" + v
				}
			}
			for _, s := range sets {
				args = append(args, "--set", output.ShellQuote(s))
			}
			continue
		}
		// Event ticks, one event at a time: an event the scenario dates
		// gets its time, not its tick.
		for j, t := range q.ts {
			tick := q.fx[j].of(values[p])
			if cfg.Events[t.event].At.IsZero() {
				args = append(args, "--set", output.ShellQuote(fmt.Sprintf("events.%d.tick=%s", t.event, formatValue(t.kind, tick))))
				continue
			}
			at := cfg.Start.Add(time.Duration(tick) * cfg.Tick).UTC().Format(time.RFC3339)
			args = append(args, "--set", output.ShellQuote(fmt.Sprintf("events.%d.at=%s", t.event, at)))
		}
	}
	return strings.Join(args, " ")
}

// finish writes the outputs of a complete shard and marks it complete;
// what it wrote goes into res.
func (st *state) finish(plots bool, res *Result) error {
	files, _, err := chunkFiles(st.dir, false)
	if err != nil {
		return err
	}
	chunks, err := verifyChunks(files, st.man, st.shard)
	if err != nil {
		return err
	}
	if len(chunks) != 1 || filepath.Base(chunks[0].path) != compactName {
		// One file for the journal of a complete shard: smaller (one band
		// sketch instead of one per chunk), and quicker to merge.
		c, err := compact(st.dir, st.man, chunks, st.shard)
		if err != nil {
			return err
		}
		for _, old := range chunks {
			os.Remove(old.path)
		}
		chunks = []chunk{c}
	}
	notes := st.man.setNotes(chunks)
	a, err := assemble(st.dir, st.man, chunks, st.shard, plots)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	old := st.man.Files
	st.man.Complete, st.man.FinishedAt = true, &now
	st.man.Files = append([]string{"manifest.json"}, a.files...)
	st.man.Files = append(st.man.Files, journalDir+"/")
	removeUnlisted(st.dir, old, st.man.Files)
	if st.man.Checksums, err = output.Checksums(st.dir, st.man.Files); err != nil {
		return err
	}
	if err := st.man.write(st.dir); err != nil {
		return err
	}
	res.Files, res.Stats, res.Sobol, res.Paired, res.Calibration, res.Notes = st.man.Files, a.stats, a.sobol, a.paired, a.calib, notes
	return nil
}

// verifyChunks reads chunk files of the sweep man describes and checks
// that together they hold every run of the shard exactly once.
func verifyChunks(files []string, man *Manifest, sh Shard) ([]chunk, error) {
	width := len(man.Sweep.Parameters) + len(man.Sweep.Metrics)
	seen := newBitset(sh.Size(man.Sweep.Runs))
	var chunks []chunk
	for _, f := range files {
		c, _, err := readChunk(f, man.Fingerprint, width, func(i int) error {
			if i >= man.Sweep.Runs || !sh.Holds(i) {
				return refuse("%s holds run %d, which is not in shard %s", f, i, sh)
			}
			k := sh.Local(i)
			if seen.has(k) {
				return refuse("run %d appears twice (the second time in %s)", i, f)
			}
			seen.set(k)
			return nil
		})
		if err != nil {
			return nil, err
		}
		chunks = append(chunks, c)
	}
	var missing []int
	n := 0
	for k := 0; k < seen.len(); k++ {
		if !seen.has(k) {
			n++
			if len(missing) < 10 {
				missing = append(missing, sh.Run(k))
			}
		}
	}
	if n > 0 {
		return nil, refuse("%d runs are missing (%s%s)", n, joinInts(missing), ellipsis(n > len(missing)))
	}
	return chunks, nil
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

func ellipsis(more bool) string {
	if more {
		return ", ..."
	}
	return ""
}
