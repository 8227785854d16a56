package output

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/cascade-sim/cascade/scenarios"
)

// Manifest records how a run was made: enough to reproduce it.
type Manifest struct {
	Schema   string `json:"schema"`
	Scenario string `json:"scenario"`
	Origin   string `json:"origin"` // file or builtin:NAME
	// Sources are the files the scenario was read from (its own, then
	// each it extends), with the SHA-256 of each.
	Sources []scenarios.Source `json:"sources,omitempty"`
	Seed    uint64             `json:"seed"`
	// Options are the outputs the run chose to write (cascade plot may add
	// plots later; cascade verify --rerun makes them the same way).
	Options *RunOptions `json:"options,omitempty"`
	// Reproduce is the command that makes the run again, as the report
	// prints it.
	Reproduce  string            `json:"reproduce,omitempty"`
	Command    []string          `json:"command"`
	Version    string            `json:"version"`
	GoVersion  string            `json:"go_version"`
	Target     string            `json:"target"` // Target(): the platform the program was built for
	Modules    map[string]string `json:"modules"`
	StartedAt  time.Time         `json:"started_at"`
	FinishedAt time.Time         `json:"finished_at"`
	Files      []string          `json:"files"`
	// Checksums holds the SHA-256 of each file but manifest.json
	// (Checksums), which `cascade verify` checks and compares a rerun's
	// outputs with. Absent in manifests written before it was recorded.
	Checksums map[string]string `json:"sha256,omitempty"`
	Meta      Meta              `json:"run"`
	// Notes says what set-up changed from the scenario (positions scaled
	// down to fit an agent's equity).
	Notes []string `json:"notes,omitempty"`
	// Resolved is the scenario after extends, --set and --seed, as YAML:
	// the run, run alone.
	Resolved string `json:"resolved_scenario"`
}

// RunOptions are a run's choices of outputs: the per-agent table
// (--agent-detail, or the scenario's output.agent_detail) and the plots
// (not with --no-plots or output.no_plots).
type RunOptions struct {
	AgentDetail bool `json:"agent_detail"`
	Plots       bool `json:"plots"`
}

// Version returns the program's version: set, when the build set one
// (-ldflags "-X github.com/cascade-sim/cascade/cmd/cascade/cli.version=v1.2.0"); else the main module's version as
// the go command recorded it from version control (a tag, or a
// pseudo-version with the commit, "+dirty" for uncommitted changes: Go
// 1.24 and later, unless -buildvcs=false); else "dev", with the commit
// when only that was recorded.
func Version(set string) string {
	if set != "" && set != "dev" {
		return set
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	return versionOf(bi)
}

func versionOf(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision":
			rev = s.Value
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = "+dirty"
		}
	}
	if rev == "" {
		return "dev"
	}
	return "dev-" + rev[:min(12, len(rev))] + dirty
}

// BuildInfo returns the Go version and the versions of the modules the
// binary was built with.
func BuildInfo() (goVersion string, modules map[string]string) {
	modules = map[string]string{}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			v := d.Version
			if d.Replace != nil {
				v += " => " + d.Replace.Path + " " + d.Replace.Version
			}
			modules[d.Path] = v
		}
	}
	return runtime.Version(), modules
}

// Target returns the platform the program was built for, as GOOS/GOARCH
// and the architecture level it was compiled at ("linux/amd64 GOAMD64=v1"):
// builds for one platform at another level may draw plots otherwise
// (docs/determinism.md), so an output says which made it.
func Target() string {
	t := runtime.GOOS + "/" + runtime.GOARCH
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "GOAMD64", "GOARM64", "GOARM", "GO386", "GOPPC64", "GORISCV64", "GOMIPS", "GOMIPS64", "GOEXPERIMENT":
				t += " " + s.Key + "=" + s.Value
			}
		}
	}
	return t
}

// Provenance is the program that wrote an output: its version (Version),
// Go version, target (Target) and command line. Outputs that are not a
// run's or a sweep's directory (compare.json, the --json of score, channels
// and vulnerability) carry it as made_by.
type Provenance struct {
	Version   string   `json:"version"`
	GoVersion string   `json:"go_version"`
	Target    string   `json:"target"`
	Command   []string `json:"command"`
}

// Made returns this program's provenance, of the given version and
// command line.
func Made(version string, command []string) Provenance {
	return Provenance{Version: version, GoVersion: runtime.Version(), Target: Target(), Command: command}
}

// RecordPlots brings the files list of the manifest of the run in dir up to
// date after its plots were (re)drawn into dir/plots, as `cascade plot`
// does: the list keeps the run's other files that are still there, then
// names every run plot file now present (those of drawn first, in the order
// drawn, then any others an earlier drawing left, by name), then
// manifest.json, as a run lists them. Other files in plots/ (a user's) are
// not listed: the list is what --force may delete (see [RunKind]).
// drawn are the paths of the plot files just written (as RenderRunPlots
// returns them). The manifest is replaced atomically; its other fields are
// kept.
func RecordPlots(dir string, drawn []string) error {
	path := filepath.Join(dir, "manifest.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	var man Manifest
	if err := json.Unmarshal(b, &man); err != nil {
		return fmt.Errorf("output: %s: %w", path, err)
	}
	isPlot := func(rel string) bool { return strings.HasPrefix(filepath.ToSlash(rel), "plots/") }
	files := make([]string, 0, len(man.Files)+len(drawn))
	for _, f := range man.Files {
		if f == "manifest.json" || isPlot(f) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			files = append(files, f)
		}
	}
	// The plot files present: regular files of plots/ named as
	// RenderRunPlots names them (not a killed writer's temporary files,
	// nor anyone else's files).
	ours := runPlotFiles()
	present := map[string]bool{}
	ents, err := os.ReadDir(filepath.Join(dir, "plots"))
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("output: %w", err)
	}
	var rest []string
	for _, e := range ents {
		if e.Type().IsRegular() && slices.Contains(ours, "plots/"+e.Name()) {
			rel := filepath.Join("plots", e.Name())
			present[rel] = true
			rest = append(rest, rel)
		}
	}
	for _, p := range drawn {
		rel, err := filepath.Rel(dir, p)
		if err == nil && present[rel] {
			files = append(files, rel)
			delete(present, rel)
		}
	}
	for _, rel := range rest { // by name: os.ReadDir sorts
		if present[rel] {
			files = append(files, rel)
		}
	}
	man.Files = append(slices.Clip(files), "manifest.json")
	if man.Checksums != nil {
		// The plots' sums are the new drawings'; the other files keep
		// those recorded when the run wrote them (not their content now,
		// which a redraw must not bless). A manifest written before sums
		// were recorded stays without.
		var plots []string
		sums := map[string]string{}
		for _, f := range man.Files {
			if isPlot(f) {
				plots = append(plots, f)
			} else if s, ok := man.Checksums[f]; ok {
				sums[f] = s
			}
		}
		drawnSums, err := Checksums(dir, plots)
		if err != nil {
			return err
		}
		maps.Copy(sums, drawnSums)
		man.Checksums = sums
	}
	return WriteFileAtomic(path, func(w io.Writer) error { return WriteJSON(w, &man) })
}
