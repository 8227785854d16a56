package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cascade-sim/cascade/output"
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
	// came from and its text.
	Sweep       Resolved `json:"sweep"`
	SweepFile   string   `json:"sweep_file"`
	SweepSource string   `json:"sweep_source"`
	Base        BaseInfo `json:"base"`
	Plan        *Plan    `json:"plan"`
	Shard       Shard    `json:"shard"`
	ShardRuns   int      `json:"shard_runs"` // runs this shard holds
	Completed   Runs     `json:"completed"`
	Complete    bool     `json:"complete"` // every run of the shard is done and the outputs are written
	// MergedFrom lists the directories a merged sweep was combined from.
	MergedFrom []string          `json:"merged_from,omitempty"`
	Version    string            `json:"version"`
	GoVersion  string            `json:"go_version"`
	Modules    map[string]string `json:"modules"`
	Command    []string          `json:"command"`
	Workers    int               `json:"workers,omitempty"`
	StartedAt  time.Time         `json:"started_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
	FinishedAt *time.Time        `json:"finished_at,omitempty"`
	Files      []string          `json:"files"`
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
}

// Runs lists run indices compactly: Ranges holds [first, last] pairs, each
// covering first, first+Step, ..., last (Step is the shard count).
type Runs struct {
	Count  int      `json:"count"`
	Step   int      `json:"step"`
	Ranges [][2]int `json:"ranges"`
}

// Shard is one part of a sweep: the runs whose index is Index modulo Count.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// Whole is the shard of every run.
var Whole = Shard{0, 1}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Dir is the subdirectory a shard's outputs go to ("" for Whole).
func (s Shard) Dir() string {
	if s.Count <= 1 {
		return ""
	}
	return fmt.Sprintf("shard-%d-of-%d", s.Index, s.Count)
}

// Size returns the number of runs of a sweep of n runs in the shard.
func (s Shard) Size(n int) int {
	if s.Index >= n {
		return 0
	}
	return (n - s.Index + s.Count - 1) / s.Count
}

// Run returns the index of the shard's k-th run.
func (s Shard) Run(k int) int { return s.Index + k*s.Count }

// Holds reports whether run i belongs to the shard.
func (s Shard) Holds(i int) bool { return i%s.Count == s.Index }

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
	return Shard{i, n}, nil
}

// ranges compacts the done runs of a shard (done holds k for its k-th run).
func ranges(sh Shard, done *bitset) Runs {
	r := Runs{Step: sh.Count, Ranges: [][2]int{}}
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
