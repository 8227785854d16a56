package scenarios_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cascade-sim/cascade/internal/fuzzcheck"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// FuzzLoad feeds the loader arbitrary scenario files. Whatever the bytes,
// Load must not panic, and it must either refuse the file with Problems,
// each naming the file, a line and a column, or accept a scenario that
// builds and runs (its first fuzzTicks ticks) without a panic, an error or
// a break in the accounting identities.
//
// make test runs the seed corpus: the mini world and the four other
// hand-written built-ins (each must be accepted, so that the corpus runs
// the model), and any input in testdata/fuzz/FuzzLoad (where go test
// saves one that fails; none has yet). To search:
//
//	go test ./scenarios -run '^$' -fuzz FuzzLoad -fuzztime 10m -fuzzminimizetime 3s
//
// (the default minimization of a minute per new input stalls on files of
// this size).
func FuzzLoad(f *testing.F) {
	for _, n := range []string{"mini", "aug2024", "apr2025", "boj2026", "calm"} {
		data, ok := scenarios.Builtin(n)
		if !ok {
			f.Fatalf("no built-in %s", n)
		}
		if _, err := scenarios.Load(writeFile(f, data), nil); err != nil {
			f.Fatalf("seed %s refused: %v", n, err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := writeFile(t, data)
		sc, err := scenarios.Load(path, nil)
		checkLoaded(t, sc, err, path)
	})
}

// FuzzSet applies one arbitrary --set override to the mini world, with
// the same demands as FuzzLoad: a positioned refusal, or a scenario that
// builds and runs.
//
//	go test ./scenarios -run '^$' -fuzz FuzzSet -fuzztime 5m
func FuzzSet(f *testing.F) {
	for _, c := range []struct {
		set string
		ok  bool // the seed is accepted (the corpus runs both paths)
	}{
		{"seed=7", true},
		{"horizon=1d", false}, // the BOJ hike falls outside it
		{"leverage_scale=1.5", true},
		{"assets.0.vol=0", true},
		{"assets[3].impact.exponent=0.5", true},
		{"agents.0.count=3", true},
		{"agents.0.trades.1.leverage=20", true},
		{"agents.0.vary.0.dist.max=0.5", true},
		{"brokers.0.haircuts.equity=0.5", true},
		{"events.0.rate=0.01", true},
		{"noise={scale: 2, distribution: student_t, df: 3}", true},
		{"channels.cross_margin=false", false}, // channels take on/off lists
		{"agents.*.equity=2e10", true},
		{"brokers.*.haircuts.*=0.2", true},
		{"agents.*.trades.*.stop_loss=0.1", true},
		{"agents.*.target_voll=0.1", false},
		{"events.*.*=1", false},
	} {
		if _, err := scenarios.Load("mini", []string{c.set}); (err == nil) != c.ok {
			f.Fatalf("seed %q: accepted %v, want %v (%v)", c.set, err == nil, c.ok, err)
		}
		f.Add(c.set)
	}
	f.Fuzz(func(t *testing.T, set string) {
		sc, err := scenarios.Load("mini", []string{set})
		checkLoaded(t, sc, err, "--set #1")
	})
}

// checkLoaded asserts what Load promises: a refusal a user can act on
// (fuzzcheck.Refusal), or a scenario that builds and runs its first
// fuzzTicks ticks with money conserved: the accounting audit
// (sim.Audit, 1e-9 relative) after the exogenous move and after every
// clearing round.
func checkLoaded(t *testing.T, sc *scenarios.Scenario, err error, file string) {
	t.Helper()
	if err != nil {
		fuzzcheck.Refusal(t, err, file)
		return
	}
	cfg := &sc.File.Config
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		t.Fatalf("a scenario Load accepted does not build: %v", err)
	}
	sim.NewAudit(m, 1e-9)
	for k := 0; k < fuzzTicks && !m.Done(); k++ {
		if err := m.Step(); err != nil {
			t.Fatalf("tick %d: %v", m.W.Tick, err)
		}
	}
}

// writeFile writes data to a scenario file in a new temporary directory
// and returns its path.
func writeFile(t testing.TB, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// fuzzTicks bounds the run of each accepted input: enough to pass the
// built-ins' first events and clearing, short enough to fuzz quickly.
const fuzzTicks = 96
