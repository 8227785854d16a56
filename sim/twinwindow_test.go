package sim_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// closeTape keeps one asset's closes: the start price, then each frame's.
type closeTape struct {
	id string
	i  int
	p  []float64
}

func (o *closeTape) Begin(m *sim.Model) error {
	o.i = slices.IndexFunc(m.W.Assets, func(a core.Asset) bool { return a.ID == o.id })
	o.p = append(o.p[:0], m.W.Price[o.i])
	return nil
}

func (o *closeTape) Observe(f *sim.Frame) error {
	o.p = append(o.p, f.Price[o.i])
	return nil
}

func (o *closeTape) End(*sim.Model) error { return nil }

// largestFall finds, by trying every pair of closes, the largest fall of
// p from a close to a later one, as a fraction of the first, and its
// frame ticks (−1 for the start price): on ties the earliest trough, and
// for it the earliest peak.
func largestFall(p []float64) (fall float64, from, to int) {
	from, to = -1, -1
	for b := range p {
		for a := range b {
			if d := 1 - p[b]/p[a]; d > fall {
				fall, from, to = d, a-1, b-1
			}
		}
	}
	return fall, from, to
}

// TestTwinWindow checks the passive twin's fields of the summary against
// the closes of the run and of its twin, built here as the code builds it
// (every agent passive, every feedback channel off, links as in the run):
// the twin's window is its own largest fall's, and its move over the run's
// window is read at the run's peak and trough ticks. In aug2024 the two
// windows differ (the twin's fall runs on to 7 Aug), so a fall taken over
// the wrong window fails.
func TestTwinWindow(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name          string
		seed          uint64
		twinFrom      int     // the twin's window, when checked by number (else −2)
		twinTo        int     //
		sameWindowPct float64 // the twin's fall over the run's window, when checked by number (else 0)
	}{
		{"aug2024", 2024, 48, 216, 7.6564}, // the twin's fall ends later than the run's
		{"aug2024", 4, 4, 217, 3.8153},     // and starts earlier
		{"apr2025", 1, -2, -2, 0},
		{"mini", 1, -2, -2, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenarios.Load(c.name, nil)
			if err != nil {
				t.Fatal(err)
			}
			cfg := &sc.File.Config
			run := &closeTape{}
			m, err := sim.Build(cfg, c.seed)
			if err != nil {
				t.Fatal(err)
			}
			run.id = m.Headline()
			s, err := sim.RunSummary(ctx, cfg, c.seed, true, run)
			if err != nil {
				t.Fatal(err)
			}
			tw, err := sim.Build(cfg, c.seed)
			if err != nil {
				t.Fatal(err)
			}
			tw.SetChannels(sim.TwinChannels(tw.W.Channels))
			twin := &closeTape{id: run.id}
			if err := tw.Run(ctx, twin); err != nil {
				t.Fatal(err)
			}
			rf, rFrom, rTo := largestFall(run.p)
			tf, tFrom, tTo := largestFall(twin.p)
			a := s.Attribution[s.Headline]
			if a == nil || a.PeakTick != rFrom || a.TroughTick != rTo || math.Abs(float64(s.HeadlineMove)-100*rf) > 1e-9 {
				t.Fatalf("run: %v%% over %+v, want %v%% from tick %d to %d", s.HeadlineMove, a, 100*rf, rFrom, rTo)
			}
			if s.PassivePeakTick != tFrom || s.PassiveTroughTick != tTo || math.Abs(float64(s.PassiveMove)-100*tf) > 1e-9 {
				t.Errorf("twin: %v%% from tick %d to %d, want %v%% from %d to %d", s.PassiveMove, s.PassivePeakTick, s.PassiveTroughTick, 100*tf, tFrom, tTo)
			}
			same := 100 * (1 - twin.p[rTo+1]/twin.p[rFrom+1])
			if math.Abs(float64(s.PassiveSameWindow)-same) > 1e-9 {
				t.Errorf("twin over the run's window (ticks %d-%d): %v%%, want %v%%", rFrom, rTo, s.PassiveSameWindow, same)
			}
			if want := 100 * rf / same; math.Abs(float64(s.AmplificationSameWindow)-want) > 1e-9 {
				t.Errorf("amplification over the run's window %v, want %v", s.AmplificationSameWindow, want)
			}
			if want := 100 * rf / (100 * tf); math.Abs(float64(s.Amplification)-want) > 1e-9 {
				t.Errorf("amplification %v, want %v", s.Amplification, want)
			}
			t.Logf("%s seed %d: run %.2f%% ticks %d-%d; twin %.2f%% ticks %d-%d, %.2f%% over the run's window; amplification %.3f, %.3f over the run's window",
				c.name, c.seed, s.HeadlineMove, rFrom, rTo, s.PassiveMove, tFrom, tTo, s.PassiveSameWindow, s.Amplification, s.AmplificationSameWindow)
			if c.twinFrom > -2 && (tFrom != c.twinFrom || tTo != c.twinTo) {
				t.Errorf("twin's window ticks %d-%d, want %d-%d", tFrom, tTo, c.twinFrom, c.twinTo)
			}
			if c.sameWindowPct != 0 && math.Abs(float64(s.PassiveSameWindow)-c.sameWindowPct) > 1e-3 {
				t.Errorf("twin over the run's window %v%%, want %v%%", s.PassiveSameWindow, c.sameWindowPct)
			}
		})
	}
}
