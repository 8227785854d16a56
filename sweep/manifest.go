package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/sim"
)

// ManifestSchema names the format of a sweep's manifest.json.
const ManifestSchema = "cascade.sweep/v1"

// Manifest is manifest.json of a sweep output directory: the resolved sweep
// and base scenario, the program that ran it, the shard, and which runs
// are complete. It is rewritten (atomically) whenever the journal grows.
type Manifest struct {
	Schema      string `json:"schema"`
	Fingerprint string `json:"fingerprint"`
	// Sweep is the sweep as run; SweepFile and SweepSource the file it
	// came from and its text (of a resumed sweep, the file that resumed
	// it, which has the same fingerprint or differs in wording only).
	Sweep       Resolved `json:"sweep"`
	SweepFile   string   `json:"sweep_file"`
	SweepSource string   `json:"sweep_source"`
	Base        BaseInfo `json:"base"`
	Plan        *Plan    `json:"plan"`
	Shard       Shard    `json:"shard"`
	ShardRuns   int      `json:"shard_runs"` // runs this shard holds
	Completed   Runs     `json:"completed"`
	Complete    bool     `json:"complete"` // every run of the shard is done and the outputs are written
	// SetupNotes, once the shard is complete, counts the notes on its runs'
	// set-up (what cascade run prints as "note:", without each run's
	// numbers) over its runs, the most frequent first; absent when no run
	// had one. SetupNotesUnrecorded counts the runs whose notes are unknown
	// (journaled by a cascade that did not record them).
	// SetupNoteGroups counts the groups of those notes (notes that
	// differ in the agent alone, NoteCount.Group), which the report and
	// cascade sweep show as one line each.
	SetupNotes           []NoteCount  `json:"setup_notes,omitempty"`
	SetupNoteGroups      []GroupCount `json:"setup_note_groups,omitempty"`
	SetupNotesUnrecorded int          `json:"setup_notes_unrecorded,omitempty"`
	// MergedFrom lists the directories a merged sweep was combined from.
	MergedFrom []string          `json:"merged_from,omitempty"`
	Version    string            `json:"version"`
	GoVersion  string            `json:"go_version"`
	Target     string            `json:"target,omitempty"` // output.Target()
	Modules    map[string]string `json:"modules"`
	Command    []string          `json:"command"`
	// Reproduce is the cascade sweep command that makes these outputs
	// again (ReproduceCommand): the sweep file, its runs, the shard and
	// --no-plots, as the last program that worked on the sweep chose them.
	// Absent in manifests written before it was recorded.
	Reproduce string `json:"reproduce,omitempty"`
	Workers   int    `json:"workers,omitempty"`
	// MadeBy lists every program that worked on the sweep, in order: the
	// one that started it and each that resumed it; a merged sweep lists
	// its shards' (each with its directory), then the merge. Version,
	// Command and Workers above are the last one's.
	MadeBy     []MadeBy   `json:"made_by,omitempty"`
	StartedAt  time.Time  `json:"started_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	Files      []string   `json:"files"`
	// Checksums holds the SHA-256 of each file of Files but manifest.json
	// and the journal, once the sweep is complete (output.Checksums);
	// `cascade verify` checks them.
	Checksums map[string]string `json:"sha256,omitempty"`
}

// MadeBy is one program's work on a sweep: its version, Go version and
// target, its command line and workers, when it began, and for a shard's
// work in a merged sweep the shard's directory.
type MadeBy struct {
	output.Provenance
	Workers int       `json:"workers,omitempty"`
	At      time.Time `json:"at"`
	Shard   string    `json:"shard,omitempty"`
}

// ReproduceCommand returns the cascade sweep command that makes a sweep's
// outputs again: the sweep file, its runs (given always, as a run's
// reproduce gives its seed: --runs of the file's number is the same sweep),
// the shard when it is one of several, and --no-plots when a whole sweep
// draws none (a shard never does). The output directory, workers and
// journal chunks change no output and are left out.
func ReproduceCommand(file string, runs int, sh Shard, plots bool) string {
	args := []string{"cascade", "sweep", output.ShellQuote(file), "--runs", strconv.Itoa(runs)}
	if sh.Count > 1 {
		args = append(args, "--shard", fmt.Sprintf("%d/%d", sh.Index, sh.Count))
	} else if !plots {
		args = append(args, "--no-plots")
	}
	return strings.Join(args, " ")
}

// madeBy is this program's entry.
func madeBy(version string, command []string, workers int) MadeBy {
	return MadeBy{Provenance: output.Made(version, command), Workers: workers, At: time.Now().UTC()}
}

// BaseInfo is the base scenario as run.
type BaseInfo struct {
	Name   string `json:"name"`   // as loaded (built-in name or path)
	Origin string `json:"origin"` // file or builtin:NAME
	// Resolved is the scenario after extends and the sweep's set, as YAML.
	Resolved string `json:"resolved_scenario"`
	// Currency labels the scenario's money (report.currency): the unit of
	// the *_usd series and metrics, whose names keep "usd" whatever it is.
	// Empty in manifests written before it was recorded, read as USD.
	Currency string `json:"currency,omitempty"`
	// Report is how the base scenario's runs measure what they report
	// (sim.Measures, as a run's manifest.json records it in its run
	// block): a parameter or variant that sets a report: field changes it
	// in its runs. Absent in manifests written before it was recorded.
	Report *sim.Measures `json:"report,omitempty"`
}

// Runs lists run indices compactly: Ranges holds [first, last] pairs, each
// covering first, first+Step, ..., last (Step is the shard count); with
// Step 0 (a shard of a grid), each covers the shard's runs from first to
// last.
type Runs struct {
	Count  int      `json:"count"`
	Step   int      `json:"step"`
	Ranges [][2]int `json:"ranges"`
}

// Shard is one part of a sweep. Without Grid, it holds the runs whose
// index is Index modulo Count. A shard of a grid design (Grid, the grid's
// size) holds run i, at grid point g = i mod Grid in repetition
// r = i / Grid, when (g + r) mod Count = Index: from one repetition to the
// next the grid's points move on by one shard, so over any Count
// consecutive repetitions every shard holds every point once, and each
// shard samples the whole grid (index modulo Count alone would give a
// shard a fixed slice of it whenever the grid's size is a multiple of
// Count).
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
	Grid  int `json:"grid,omitempty"`
}

// Whole is the shard of every run.
var Whole = Shard{Index: 0, Count: 1}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Dir is the subdirectory a shard's outputs go to ("" for Whole).
func (s Shard) Dir() string {
	if s.Count <= 1 {
		return ""
	}
	return fmt.Sprintf("shard-%d-of-%d", s.Index, s.Count)
}

// ShardOf returns shard sh of the sweep: for a grid design, one that
// spreads over the grid's points (Shard).
func (sw *Sweep) ShardOf(sh Shard) Shard {
	sh.Grid = 0
	if sw.Design == Grid && sh.Count > 1 {
		sh.Grid = sw.GridSize
	}
	return sh
}

// rotates reports whether the shard assigns runs by grid point and
// repetition.
func (s Shard) rotates() bool { return s.Grid > 0 && s.Count > 1 }

// before returns how many of the shard's runs lie in the first r
// repetitions (0 <= r <= Count) of a block of Count repetitions of a
// grid: in repetition j the shard holds the points g = (Index - j) mod
// Count, plus multiples of Count.
func (s Shard) before(r int) int {
	n, q, m := s.Count, s.Grid/s.Count, s.Grid%s.Count
	// the offsets (Index - j) mod n for j < r: the circular range
	// Index-r+1 ... Index; those below m hold q+1 points, the others q
	lo, extra := s.Index-r+1, 0
	if lo >= 0 {
		extra = max(0, min(s.Index, m-1)-lo+1)
	} else {
		extra = min(s.Index+1, m) + max(0, m-(n+lo))
	}
	return r*q + extra
}

// Size returns the number of runs of a sweep of n runs in the shard.
func (s Shard) Size(n int) int {
	if !s.rotates() {
		if s.Index >= n {
			return 0
		}
		return (n - s.Index + s.Count - 1) / s.Count
	}
	reps := n / s.Grid // a grid's runs are a multiple of its size
	return reps/s.Count*s.Grid + s.before(reps%s.Count)
}

// Run returns the index of the shard's k-th run (in increasing order).
func (s Shard) Run(k int) int {
	if !s.rotates() {
		return s.Index + k*s.Count
	}
	b, j := k/s.Grid, k%s.Grid // each block of Count repetitions holds Grid of the shard's runs
	r := sort.Search(s.Count, func(r int) bool { return s.before(r+1) > j })
	off := ((s.Index-r)%s.Count + s.Count) % s.Count
	g := off + (j-s.before(r))*s.Count
	return (b*s.Count+r)*s.Grid + g
}

// Local returns k such that run i, which the shard holds, is its k-th.
func (s Shard) Local(i int) int {
	if !s.rotates() {
		return (i - s.Index) / s.Count
	}
	rep, g := i/s.Grid, i%s.Grid
	b, r := rep/s.Count, rep%s.Count
	return b*s.Grid + s.before(r) + g/s.Count
}

// Holds reports whether run i belongs to the shard.
func (s Shard) Holds(i int) bool {
	if !s.rotates() {
		return i%s.Count == s.Index
	}
	return (i%s.Grid+i/s.Grid)%s.Count == s.Index
}

// ParseShard reads a --shard value: "i/n", or "auto/n" with i taken from
// SLURM_ARRAY_TASK_ID or else JOB_COMPLETION_INDEX (Kubernetes Indexed
// Jobs), looked up with getenv.
func ParseShard(s string, getenv func(string) string) (Shard, error) {
	is, ns, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("--shard %q: want i/n or auto/n (e.g. 0/4)", s)
	}
	n, err := strconv.Atoi(ns)
	if err != nil || n < 1 {
		return Shard{}, fmt.Errorf("--shard %q: the shard count must be a positive whole number", s)
	}
	src := "the index"
	if is == "auto" {
		switch {
		case getenv("SLURM_ARRAY_TASK_ID") != "":
			src = "SLURM_ARRAY_TASK_ID"
		case getenv("JOB_COMPLETION_INDEX") != "":
			src = "JOB_COMPLETION_INDEX"
		default:
			return Shard{}, fmt.Errorf("--shard %s: neither SLURM_ARRAY_TASK_ID (Slurm job arrays) nor JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) is set", s)
		}
		is = getenv(src)
	}
	i, err := strconv.Atoi(is)
	if err != nil {
		return Shard{}, fmt.Errorf("--shard %s: %s %q is not a whole number", s, src, is)
	}
	if i < 0 || i >= n {
		hint := ""
		if src == "SLURM_ARRAY_TASK_ID" {
			hint = fmt.Sprintf(" (submit the array as --array=0-%d)", n-1)
		}
		return Shard{}, fmt.Errorf("--shard %s: %s is %d, outside 0 to %d%s", s, src, i, n-1, hint)
	}
	return Shard{Index: i, Count: n}, nil
}

// ranges compacts the done runs of a shard (done holds k for its k-th run).
func ranges(sh Shard, done *bitset) Runs {
	r := Runs{Step: sh.Count, Ranges: [][2]int{}}
	if sh.rotates() {
		r.Step = 0
	}
	for k := 0; k < done.len(); k++ {
		if !done.has(k) {
			continue
		}
		j := k
		for j+1 < done.len() && done.has(j+1) {
			j++
		}
		r.Ranges = append(r.Ranges, [2]int{sh.Run(k), sh.Run(j)})
		r.Count += j - k + 1
		k = j
	}
	return r
}

// ReadManifest reads dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s is not a sweep output directory (no manifest.json)", dir)
		}
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	if m.Schema != ManifestSchema {
		return nil, fmt.Errorf("%s: not a sweep manifest (schema %q, want %q)", filepath.Join(dir, "manifest.json"), m.Schema, ManifestSchema)
	}
	if m.Plan == nil || m.Shard.Count < 1 {
		return nil, fmt.Errorf("%s: incomplete sweep manifest", filepath.Join(dir, "manifest.json"))
	}
	return &m, nil
}

// write replaces dir/manifest.json atomically.
func (m *Manifest) write(dir string) error {
	m.UpdatedAt = time.Now().UTC()
	return output.WriteFileAtomic(filepath.Join(dir, "manifest.json"), func(w io.Writer) error { return output.WriteJSON(w, m) })
}
