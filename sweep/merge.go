package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/cascade-sim/cascade/output"
	"go.yaml.in/yaml/v3"
)

// MergeOptions configure Merge.
type MergeOptions struct {
	Out     string // the merged sweep's directory (must not exist unless Force)
	Force   bool
	Plots   bool
	Version string
	Command []string
	Log     io.Writer // notes, such as shards made by different builds
}

// Merge combines the output directories of shards of one sweep into one
// complete sweep in opt.Out, as if it had been run unsharded: the same
// runs.parquet and bands. It refuses directories of different sweeps,
// incomplete shards, and sets of shards that miss runs or hold one twice.
// Nothing is written unless the merge succeeds. With Force, opt.Out is
// replaced only if it is empty or holds a sweep's output and nothing else
// (no file of the user's: see output.SweepKind), and never if it is one
// of dirs, contains one or lies inside one.
func Merge(dirs []string, opt MergeOptions) (*Result, error) {
	started := time.Now()
	if len(dirs) == 0 {
		return nil, refuse("no shard directories to merge")
	}
	if err := checkOut(opt.Out, dirs); err != nil {
		return nil, err
	}
	mans := make([]*Manifest, len(dirs))
	for k, d := range dirs {
		m, err := ReadManifest(d)
		if err != nil {
			return nil, refusal{err.Error()}
		}
		mans[k] = m
		if k == 0 {
			continue
		}
		ref := mans[0]
		if m.Fingerprint != ref.Fingerprint {
			if !sameRuns(ref, m) {
				return nil, refuse("%s and %s are shards of different sweeps (%s): only shards of one sweep can be merged", dirs[0], d, describeDiff(ref, m))
			}
			if opt.Log != nil {
				fmt.Fprintf(opt.Log, "note: %s and %s have different fingerprints (%.12s, %.12s) because their base scenarios differ in their description or events' labels only (made by different versions of cascade?), which changes no run; the merged sweep takes %s's\n",
					dirs[0], d, ref.Fingerprint, m.Fingerprint, dirs[0])
			}
		}
		if !m.Plan.equal(ref.Plan) {
			return nil, refuse("%s and %s ran the base scenario differently (made by different versions of cascade?): their bands cannot be merged", dirs[0], d)
		}
		if (filepath.Base(m.SweepFile) != filepath.Base(ref.SweepFile) || m.SweepSource != ref.SweepSource || m.Sweep.Name != ref.Sweep.Name) && opt.Log != nil {
			fmt.Fprintf(opt.Log, "note: %s was made from sweep file %s (name %s), %s from %s (name %s): the same sweep (one fingerprint), written otherwise; the merged sweep takes %s's name and file\n",
				dirs[0], ref.SweepFile, ref.Sweep.Name, d, m.SweepFile, m.Sweep.Name, dirs[0])
		}
		if m.Version != ref.Version || m.GoVersion != ref.GoVersion {
			if opt.Log != nil {
				fmt.Fprintf(opt.Log, "note: %s was made by cascade %s (%s), %s by cascade %s (%s)\n", dirs[0], ref.Version, ref.GoVersion, d, m.Version, m.GoVersion)
			}
		}
	}
	ref := mans[0]
	runs := ref.Sweep.Runs
	width := len(ref.Sweep.Parameters) + len(ref.Sweep.Metrics)
	seen := newBitset(runs)
	var chunks []chunk
	for k, d := range dirs {
		m := mans[k]
		files, _, err := chunkFiles(d, false)
		if err != nil {
			return nil, err
		}
		have := 0
		for _, f := range files {
			c, _, err := readChunk(f, m.Fingerprint, width, func(i int) error {
				switch {
				case i >= runs || !m.Shard.Holds(i):
					return refuse("%s holds run %d, which is not in its shard %s", f, i, m.Shard)
				case seen.has(i):
					return refuse("run %d is in %s and in %s: was a shard given twice?", i, ownerOf(dirs[:k], mans[:k], width, i), d)
				}
				seen.set(i)
				have++
				return nil
			})
			if err != nil {
				return nil, err
			}
			chunks = append(chunks, c)
		}
		if have < m.ShardRuns {
			return nil, refuse("%s is incomplete: %d of the %d runs of shard %s are done; finish it with cascade sweep --resume", d, have, m.ShardRuns, m.Shard)
		}
	}
	var missing []int
	n := 0
	for i := 0; i < runs; i++ {
		if !seen.has(i) {
			n++
			if len(missing) < 10 {
				missing = append(missing, i)
			}
		}
	}
	if n > 0 {
		return nil, refuse("%d of %d runs are missing from these shards (runs %s%s)%s", n, runs, joinInts(missing), ellipsis(n > len(missing)), missingHint(mans, seen))
	}

	out := opt.Out
	stage, err := output.NewStageOf(out, opt.Force, output.SweepKind)
	if err != nil {
		switch {
		case errors.Is(err, output.ErrExists):
			return nil, refuse("%s already exists: choose another --out, or --force to replace it", out)
		case errors.Is(err, output.ErrNotOutput):
			return nil, refusal{err.Error()}
		}
		return nil, err
	}
	defer stage.Abort()
	if err := stage.MkdirAll(journalDir); err != nil {
		return nil, err
	}
	man := *ref
	man.Shard, man.ShardRuns = Whole, runs
	man.Completed = Runs{Count: runs, Step: 1, Ranges: [][2]int{{0, runs - 1}}}
	man.MergedFrom = append([]string(nil), dirs...)
	man.MadeBy = nil
	for k, m := range mans {
		made := m.MadeBy
		if len(made) == 0 { // a shard written before made_by was recorded
			made = []MadeBy{{Provenance: output.Provenance{Version: m.Version, GoVersion: m.GoVersion, Target: m.Target, Command: m.Command}, Workers: m.Workers, At: m.StartedAt}}
		}
		for _, e := range made {
			e.Shard = dirs[k]
			man.MadeBy = append(man.MadeBy, e)
		}
	}
	man.MadeBy = append(man.MadeBy, madeBy(opt.Version, opt.Command, 0))
	man.Version, man.Command, man.Workers = opt.Version, opt.Command, 0
	man.Reproduce = ReproduceCommand(man.SweepFile, runs, Whole, opt.Plots)
	man.GoVersion, man.Modules = output.BuildInfo()
	man.Target = output.Target()
	man.StartedAt = started.UTC()
	man.Complete = false
	all, err := compact(stage.Dir(), &man, chunks, Whole)
	if err != nil {
		return nil, err
	}
	notes := man.setNotes([]chunk{all})
	a, err := assemble(stage.Dir(), &man, []chunk{all}, Whole, opt.Plots)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	man.Complete, man.FinishedAt = true, &now
	man.Files = append(append([]string{"manifest.json"}, a.files...), journalDir+"/")
	if man.Checksums, err = output.Checksums(stage.Dir(), man.Files); err != nil {
		return nil, err
	}
	if err := man.write(stage.Dir()); err != nil {
		return nil, err
	}
	if err := stage.Commit(); err != nil {
		return nil, err
	}
	return &Result{Name: man.Sweep.Name, Dir: stage.Final(), Total: runs, Elapsed: time.Since(started), Files: man.Files, Stats: a.stats, Sobol: a.sobol, Paired: a.paired, Calibration: a.calib, Notes: notes}, nil
}

// checkOut refuses an output directory that is one of the shard
// directories dirs, contains one (their parent) or lies inside one: the
// merge would replace the shards it reads, or write into one. Paths are
// compared after resolving symbolic links, so that another name for a
// shard does not get past.
func checkOut(out string, dirs []string) error {
	o := realPath(out)
	for _, d := range dirs {
		r := realPath(d)
		how := ""
		switch {
		case o == r:
			how = "is"
		case inside(o, r):
			how = "contains"
		case inside(r, o):
			how = "lies inside"
		default:
			continue
		}
		return refuse("--out %s %s the shard directory %s being merged: choose another --out", out, how, d)
	}
	return nil
}

// realPath returns p absolute, with the symbolic links of its longest
// existing part resolved.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	rest := ""
	for dir := abs; ; {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest)
		}
		up := filepath.Dir(dir)
		if up == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = up
	}
}

// inside reports whether path lies strictly inside dir (both absolute
// and clean).
func inside(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// ownerOf finds which of dirs, whose manifests are mans, journals run i
// (to explain a duplicate).
func ownerOf(dirs []string, mans []*Manifest, width, i int) string {
	for k, d := range dirs {
		files, _, _ := chunkFiles(d, false)
		for _, f := range files {
			found := false
			readChunk(f, mans[k].Fingerprint, width, func(j int) error {
				found = found || j == i
				return nil
			})
			if found {
				return d
			}
		}
	}
	return "another directory"
}

// missingHint names the shards whose runs are all missing, by shard
// count, as the task IDs of a Slurm array to resubmit (3-9,11,40-99).
func missingHint(mans []*Manifest, seen *bitset) string {
	shards := map[int]Shard{} // by count, as the shards given assign runs
	for _, m := range mans {
		if _, ok := shards[m.Shard.Count]; !ok {
			shards[m.Shard.Count] = m.Shard
		}
	}
	counts := make([]int, 0, len(shards))
	for n := range shards {
		counts = append(counts, n)
	}
	sort.Ints(counts)
	var hints []string
	for _, n := range counts {
		var idle []int
		for i := 0; i < n; i++ {
			sh := shards[n]
			sh.Index = i
			size := sh.Size(seen.len())
			all := size > 0
			for k := 0; k < size && all; k++ {
				all = !seen.has(sh.Run(k))
			}
			if all {
				idle = append(idle, i)
			}
		}
		if len(idle) == 0 {
			continue
		}
		if len(idle) == 1 {
			hints = append(hints, fmt.Sprintf("shard %d/%d not given (make it with --shard %d/%d; on Slurm: sbatch --array=%d)", idle[0], n, idle[0], n, idle[0]))
			continue
		}
		hints = append(hints, fmt.Sprintf("shards %s of %d not given (%d shards; on Slurm, resubmit them: sbatch --array=%s)", idRanges(idle), n, len(idle), idRanges(idle)))
	}
	if len(hints) == 0 {
		return ""
	}
	return ": " + strings.Join(hints, "; ")
}

// idRanges writes increasing whole numbers as ranges, as sbatch --array
// takes them: 3-9,11,40-99.
func idRanges(ids []int) string {
	var b strings.Builder
	for k := 0; k < len(ids); {
		j := k
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		if j == k {
			fmt.Fprintf(&b, "%d", ids[k])
		} else {
			fmt.Fprintf(&b, "%d-%d", ids[k], ids[j])
		}
		k = j + 1
	}
	return b.String()
}

// describeDiff says how two sweeps differ, for messages.
func describeDiff(a, b *Manifest) string {
	var d []string
	x, y := a.Sweep, b.Sweep
	if x.Runs != y.Runs {
		d = append(d, fmt.Sprintf("runs %d vs %d", x.Runs, y.Runs))
	}
	if x.Seed != y.Seed {
		d = append(d, fmt.Sprintf("seed %d vs %d", x.Seed, y.Seed))
	}
	if x.Design != y.Design {
		d = append(d, fmt.Sprintf("design %s vs %s", x.Design, y.Design))
	}
	if !sameJSON(x.Parameters, y.Parameters) {
		d = append(d, "parameters differ")
	}
	if !sameJSON(x.Metrics, y.Metrics) {
		d = append(d, "metrics differ")
	}
	if !sameJSON(x.Series, y.Series) {
		d = append(d, "series differ")
	}
	if a.Base.Resolved != b.Base.Resolved {
		d = append(d, "base scenarios differ")
	}
	if len(d) == 0 {
		return "fingerprints differ"
	}
	return strings.Join(d, ", ")
}

// sameRuns reports whether two sweeps of different fingerprints make the
// same runs: the same resolved sweep, but for its name, and the same base
// scenario but for its description and its events' labels, which nothing
// a run computes reads. Versions of cascade word them otherwise (since
// c7b7591 the loader marks an event a sweep's set edits "(edited: ...)",
// and the description with it), and a sweep an earlier version began must
// still resume and merge; it keeps its fingerprint.
func sameRuns(a, b *Manifest) bool {
	if !sameJSON(unlabeled(a.Sweep), unlabeled(b.Sweep)) {
		return false
	}
	p, err1 := unworded(a.Base.Resolved)
	q, err2 := unworded(b.Base.Resolved)
	return err1 == nil && err2 == nil && reflect.DeepEqual(p, q)
}

// unworded decodes a resolved scenario without its description and its
// events' labels (and its comments).
func unworded(src string) (map[string]any, error) {
	var v map[string]any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		return nil, err
	}
	delete(v, "description")
	events, _ := v["events"].([]any)
	for _, e := range events {
		if m, ok := e.(map[string]any); ok {
			delete(m, "label")
		}
	}
	return v, nil
}

func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
