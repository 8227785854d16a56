package sim

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// failAt is an observer whose Observe fails at one tick.
type failAt struct {
	tick int
	err  error
}

func (f *failAt) Begin(*Model) error { return nil }
func (f *failAt) End(*Model) error   { return nil }
func (f *failAt) Observe(fr *Frame) error {
	if fr.Tick == f.tick {
		return f.err
	}
	return nil
}

// TestRunAndStepMisuse: Run refuses a model already stepped or run (its
// observers would summarize the rest of the run as the whole), Step refuses
// to go past the horizon, a zero Model is refused rather than panicking,
// and an observer's error comes back naming the tick and the observer.
func TestRunAndStepMisuse(t *testing.T) {
	build := func() *Model {
		cfg := testWorld(4)
		cfg.Ticks = 30
		m, err := Build(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	ctx := context.Background()

	m := build()
	if err := m.Step(); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(ctx, NewCollector()); err == nil || !strings.Contains(err.Error(), "at tick 1 of 30") {
		t.Errorf("Run after a Step: %v, want a refusal naming tick 1 of 30", err)
	}

	m = build()
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(ctx); err == nil || !strings.Contains(err.Error(), "at tick 30 of 30") {
		t.Errorf("a second Run: %v, want a refusal", err)
	}
	if err := m.Step(); err == nil || !strings.Contains(err.Error(), "the run is over (tick 30 of 30)") {
		t.Errorf("Step past the horizon: %v, want a refusal", err)
	}
	if m.W.Tick != 30 {
		t.Errorf("tick %d after the refused Step, want 30", m.W.Tick)
	}

	if m, err := Build(nil, 1); m != nil || err == nil || !strings.Contains(err.Error(), "needs a Config") {
		t.Errorf("Build(nil): %v, %v, want an error", m, err)
	}

	var zero Model
	for name, err := range map[string]error{"Run": zero.Run(ctx), "Step": zero.Step()} {
		if err == nil || !strings.Contains(err.Error(), "make it with sim.Build") {
			t.Errorf("%s on a zero Model: %v", name, err)
		}
	}

	boom := errors.New("disk full")
	err := build().Run(ctx, &failAt{tick: 7, err: boom})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "tick 7 (") || !strings.Contains(err.Error(), "observer *sim.failAt") {
		t.Errorf("an observer failing at tick 7: %v", err)
	}
}
