package output

import (
	"runtime"
	"runtime/debug"
	"time"
)

// Manifest records how a run was made: enough to reproduce it.
type Manifest struct {
	Schema     string            `json:"schema"`
	Scenario   string            `json:"scenario"`
	Origin     string            `json:"origin"` // file or builtin:NAME
	Seed       uint64            `json:"seed"`
	Command    []string          `json:"command"`
	Version    string            `json:"version"`
	GoVersion  string            `json:"go_version"`
	Modules    map[string]string `json:"modules"`
	StartedAt  time.Time         `json:"started_at"`
	FinishedAt time.Time         `json:"finished_at"`
	Files      []string          `json:"files"`
	Meta       Meta              `json:"run"`
	// Notes says what set-up changed from the scenario (positions scaled
	// down to fit an agent's equity).
	Notes []string `json:"notes,omitempty"`
	// Resolved is the scenario after extends and --set, as YAML.
	Resolved string `json:"resolved_scenario"`
}

// Version returns the program's version: set, when the build set one
// (-ldflags "-X main.version=v1.2.0"); else the main module's version as
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
