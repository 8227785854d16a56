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
