// Package scentest builds scenarios for tests.
package scentest

import (
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// Build loads the scenario name (a built-in's name or a file) with the
// overrides sets and builds it at its own seed, failing t on any error.
// The model's Cfg is the loaded configuration.
func Build(t testing.TB, name string, sets ...string) *sim.Model {
	t.Helper()
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &sc.File.Config
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
