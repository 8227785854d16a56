package sim

import (
	"context"
	"errors"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestRunStopsAtNextTick: a run whose context is cancelled during a tick
// stops before the next one. Run looked at its context only every 64
// ticks, so a world of 100,000 agents (seconds a tick) ran on for
// minutes after Ctrl-C.
func TestRunStopsAtNextTick(t *testing.T) {
	for _, at := range []int{0, 1, 5, 63} {
		m, err := Build(testWorld(2), core.RunSeed(1, 0))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		observed := 0
		err = m.Run(ctx, &probe{fn: func(_ *Model, f *Frame) {
			observed++
			if f.Tick == at {
				cancel()
			}
		}})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled at tick %d: error %v, want context canceled", at, err)
		}
		if observed != at+1 {
			t.Errorf("cancelled at tick %d: %d ticks observed, want %d", at, observed, at+1)
		}
	}
}
