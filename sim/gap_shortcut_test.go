package sim

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/core"
)

// TestGapPassShortcutExact: Step skips its pass over the closed markets'
// held-back news while every market is open and none was closed at the
// last pass. Over four days with Tokyo's session and the futures', a weekend,
// noise and shocks while markets are closed, every price, exogenous move
// and link of every tick is bit for bit what a pass at every tick gives.
func TestGapPassShortcutExact(t *testing.T) {
	cfg := smallWorld("SPX", "NKY", "USDJPY", "UST10Y", "TY")
	cfg.Start = time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC) // Thursday
	cfg.Ticks = 110
	cfg.Noise.Off = false
	for i := range cfg.Assets {
		switch cfg.Assets[i].ID {
		case "NKY":
			cfg.Assets[i].Session = "tokyo"
		case "TY":
			cfg.Assets[i].Session = "futures"
		}
	}
	cfg.Events = []EventSpec{
		{Tick: 12, Kind: "shock", Shocks: map[string]float64{"NKY": -0.05}},
		{Tick: 40, Kind: "shock", Shocks: map[string]float64{"UST10Y": 0.01, "SPX": -0.02}},
		{Tick: 60, Kind: "shock", Shocks: map[string]float64{"NKY": 0.02, "UST10Y": -0.01}},
	}
	type tick struct {
		price, exo, link []float64
		allOpen          bool
	}
	record := func(full bool) []tick {
		m, err := Build(cfg, core.RunSeed(cfg.Seed, 0))
		if err != nil {
			t.Fatal(err)
		}
		m.fullGapPass = full
		var out []tick
		p := &probe{fn: func(m *Model, f *Frame) {
			all := true
			for _, o := range m.W.Trading {
				all = all && o
			}
			out = append(out, tick{append([]float64(nil), f.Price...), append([]float64(nil), f.Exo...), append([]float64(nil), f.Link...), all})
		}}
		if err := m.Run(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		return out
	}
	short, full := record(false), record(true)
	if len(short) != cfg.Ticks || len(full) != cfg.Ticks {
		t.Fatalf("%d and %d ticks recorded, want %d", len(short), len(full), cfg.Ticks)
	}
	reopened, skipped := 0, 0
	for k := range short {
		if k > 0 && short[k].allOpen && !short[k-1].allOpen {
			reopened++
		} else if k > 0 && short[k].allOpen {
			skipped++
		}
		for _, s := range []struct {
			name      string
			got, want []float64
		}{{"price", short[k].price, full[k].price}, {"exogenous", short[k].exo, full[k].exo}, {"link", short[k].link, full[k].link}} {
			for i := range s.want {
				if math.Float64bits(s.got[i]) != math.Float64bits(s.want[i]) {
					t.Fatalf("tick %d: %s of %s %v with the shortcut, %v with a pass every tick", k, s.name, cfg.Assets[i].ID, s.got[i], s.want[i])
				}
			}
		}
	}
	t.Logf("%d reopenings, %d ticks with every market open after one", reopened, skipped)
	if reopened == 0 || skipped == 0 {
		t.Fatalf("%d reopenings and %d skipped passes: the test exercises too little", reopened, skipped)
	}
}
