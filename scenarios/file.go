package scenarios

import (
	"time"

	"github.com/cascade-sim/cascade/sim"
)

// File is one scenario file: a sim.Config plus what only files have.
type File struct {
	// Extends names the scenario this one overrides: a path relative to
	// this file, or a built-in scenario's name. A value with a / or a
	// .yaml or .yml ending is a path and must exist; a bare name is a file
	// beside this one if there is one, else a built-in; a built-in extends
	// only built-ins.
	Extends    string `yaml:"extends,omitempty" json:"extends,omitempty"`
	sim.Config `yaml:",inline"`
	// Horizon is how long the run lasts, as a span cut to whole ticks (e.g.
	// 18d); give ticks, horizon or end, exactly one. In a file that extends
	// another, or a --set, any of the three replaces the one inherited.
	Horizon time.Duration `yaml:"horizon,omitempty" json:"horizon,omitempty"`
	// End is when the run ends, after start: the horizon is the whole ticks
	// from start to end. Give ticks, horizon or end, exactly one.
	End time.Time `yaml:"end,omitempty" json:"end,omitempty"`
	// Output chooses what cascade run writes besides the summary, the time
	// series and the event log.
	Output OutputSpec `yaml:"output,omitempty" json:"output,omitempty"`
	// Observed lists what markets did, for scoring a replay.
	Observed []Observation `yaml:"observed,omitempty" json:"observed,omitempty"`
}

// OutputSpec chooses what a run writes.
type OutputSpec struct {
	AgentDetail bool `yaml:"agent_detail,omitempty" json:"agent_detail,omitempty"` // also write a per-agent table (as --agent-detail)
	NoPlots     bool `yaml:"no_plots,omitempty" json:"no_plots,omitempty"`         // skip the plots
}
