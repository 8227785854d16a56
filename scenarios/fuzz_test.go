package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cascade-sim/cascade/sim"
)

// FuzzLoad feeds the loader arbitrary scenario files. Whatever the bytes,
// Load must not panic, and it must either refuse the file with Problems,
// each naming the file, a line and a column, or accept a scenario that
// builds and runs (its first fuzzTicks ticks) without a panic, an error or
// a break in the accounting identities.
//
// make test runs the seed corpus: the mini world, the four other
// hand-written built-ins, and any input in testdata/fuzz/FuzzLoad (where
// go test saves one that fails; none has yet). To search:
//
//	go test ./scenarios -run '^$' -fuzz FuzzLoad -fuzztime 10m -fuzzminimizetime 3s
//
// (the default minimization of a minute per new input stalls on files of
// this size).
func FuzzLoad(f *testing.F) {
	for _, n := range []string{"mini", "aug2024", "apr2025", "boj2026", "calm"} {
		data, ok := Builtin(n)
		if !ok {
			f.Fatalf("no built-in %s", n)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "s.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		sc, err := Load(path, nil)
		checkLoaded(t, sc, err, path)
	})
}

// FuzzSet applies one arbitrary --set override to the mini world, with
// the same demands as FuzzLoad: a positioned refusal, or a scenario that
// builds and runs.
//
//	go test ./scenarios -run '^$' -fuzz FuzzSet -fuzztime 5m
func FuzzSet(f *testing.F) {
	for _, s := range []string{
		"seed=7",
		"horizon=1d",
		"leverage_scale=1.5",
		"assets.0.vol=0",
		"assets[3].impact.exponent=0.5",
		"agents.0.count=3",
		"agents.0.trades.1.leverage=20",
		"agents.0.vary.0.dist.max=0.5",
		"brokers.0.haircuts.equity=0.5",
		"events.0.rate=0.01",
		"noise={scale: 2, distribution: student_t, df: 3}",
		"channels.cross_margin=false",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, set string) {
		sc, err := Load("mini", []string{set})
		checkLoaded(t, sc, err, "--set #1")
	})
}

// checkLoaded asserts what Load promises: an error is Problems, each with
// a message and a position (a line and a column when it is in file), and
// a scenario it accepts builds and runs its first fuzzTicks ticks with
// money conserved: the accounting audit (sim.Audit, 1e-9 relative) after
// the exogenous move and after every clearing round.
func checkLoaded(t *testing.T, sc *Scenario, err error, file string) {
	t.Helper()
	if err != nil {
		var ps Problems
		if !errors.As(err, &ps) {
			t.Fatalf("Load returned %T, not Problems: %v", err, err)
		}
		if len(ps) == 0 {
			t.Fatal("Load failed with no problem listed")
		}
		for _, p := range ps {
			if p.Msg == "" || p.Pos.File == "" {
				t.Errorf("problem without a message or a file: %#v", p)
			}
			if p.Pos.File == file && (p.Pos.Line < 1 || p.Pos.Col < 1) {
				t.Errorf("problem in %s without a line and column: %s", file, p)
			}
		}
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

// fuzzTicks bounds the run of each accepted input: enough to pass the
// built-ins' first events and clearing, short enough to fuzz quickly.
const fuzzTicks = 96
