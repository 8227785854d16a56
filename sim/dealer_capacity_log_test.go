package sim_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestDealerCapacityLogged: a dealer_capacity event read from a file is
// logged as the other scripted events are: a scenario line in events.jsonl
// at its tick, the event's kind as agent and its label as detail, and a
// marker on the plots (which report.md's table of scripted events lists).
func TestDealerCapacityLogged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "relief.yaml")
	src := "extends: mini\nevents+:\n  - {at: 2024-07-31T06:00:00Z, kind: dealer_capacity, multiplier: 1.25, dealers: [GS, dealers], label: leverage-ratio relief}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.File.Config.Clone()
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		t.Fatal(err)
	}
	rec := output.NewRecorder(false)
	if err := m.Run(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := output.WriteEvents(&buf, rec.Events()); err != nil {
		t.Fatal(err)
	}
	const want = `{"tick":30,"time":"2024-07-31T06:00:00Z","round":0,"kind":"scenario","agent":"dealer_capacity","detail":"leverage-ratio relief"}`
	n := 0
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.Contains(line, "dealer_capacity") {
			n++
			if line != want {
				t.Errorf("events.jsonl has\n%s\nwant\n%s", line, want)
			}
		}
	}
	if n != 1 {
		t.Errorf("events.jsonl has %d dealer_capacity lines, want 1", n)
	}
	marked := false
	for _, e := range rec.Meta().Events {
		marked = marked || e.Tick == 30 && e.Label == "leverage-ratio relief"
	}
	if !marked {
		t.Errorf("no plot marker at tick 30 for the event: %v", rec.Meta().Events)
	}
}
