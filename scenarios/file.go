package scenarios

import (
	"time"

	"github.com/cascade-sim/cascade/sim"
)

// File is one scenario file: a sim.Config plus what only files have.
type File struct {
	// Extends names the scenario this one overrides: a path relative to
	// this file, or a built-in scenario's name.
	Extends    string `yaml:"extends,omitempty" json:"extends,omitempty"`
	sim.Config `yaml:",inline"`
	// The horizon is given as ticks, as a span (horizon: 18d) or as an end
	// timestamp: exactly one of them.
	Horizon time.Duration `yaml:"horizon,omitempty" json:"horizon,omitempty"`
	End     time.Time     `yaml:"end,omitempty" json:"end,omitempty"`
	Output  OutputSpec    `yaml:"output,omitempty" json:"output,omitempty"`
	// Observed lists what markets did, for scoring a replay.
	Observed []Observation `yaml:"observed,omitempty" json:"observed,omitempty"`
}

// OutputSpec chooses what a run writes.
type OutputSpec struct {
	AgentDetail bool `yaml:"agent_detail,omitempty" json:"agent_detail,omitempty"` // a per-agent table
	NoPlots     bool `yaml:"no_plots,omitempty" json:"no_plots,omitempty"`         // skip the plots
}
