package sim_test

import (
	"slices"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestImpactVolAtOpens: ODD N12. Under impact_vol: tick the square-root
// law's volatility scale reads the gap at a market's open, the news of the
// hours it was shut arriving in one tick, as one tick's volatility; under
// spread it takes the gap as the news of every tick it covers. In aug2024
// with every channel off, no events and the noise at full calm volatility
// (noise.scale 1), nothing but the closures moves the scale at the
// Nikkei's opens: 1.60 on average under tick (3.10 at most, a Monday),
// 1.16 under spread (1.59 at most), which is what one draw of calm news
// gives (the scale is floored at 1: the mean of max(1, |z|) is 1.17).
// Bitcoin, which never closes, scales the same under both, bit for bit.
func TestImpactVolAtOpens(t *testing.T) {
	scale := func(conv string) (nkyOpens []float64, btc []float64) {
		sc, err := scenarios.Load("aug2024", []string{"channels.off=[all]", "events=[]", "noise.scale=1", "conventions.impact_vol=" + conv})
		if err != nil {
			t.Fatal(err)
		}
		m, err := sim.Build(sc.File.Config.Clone(), sc.File.Seed)
		if err != nil {
			t.Fatal(err)
		}
		nky, b := -1, -1
		for i, a := range m.W.Assets {
			switch a.ID {
			case "NKY":
				nky = i
			case "BTC":
				b = i
			}
		}
		was := true
		for !m.Done() {
			if err := m.Step(); err != nil {
				t.Fatal(err)
			}
			open := m.W.Trading[nky]
			if open && !was {
				nkyOpens = append(nkyOpens, m.M.VolScale[nky])
			}
			was = open
			btc = append(btc, m.M.VolScale[b])
		}
		return nkyOpens, btc
	}
	tick, tickBTC := scale("tick")
	spread, spreadBTC := scale("spread")
	mean := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	t.Logf("Nikkei's scale at %d opens: tick mean %.3f max %.3f; spread mean %.3f max %.3f",
		len(tick), mean(tick), slices.Max(tick), mean(spread), slices.Max(spread))
	if len(tick) < 10 || len(tick) != len(spread) {
		t.Fatalf("%d and %d opens, want the same ten or more", len(tick), len(spread))
	}
	if !(mean(tick) > 1.4) {
		t.Errorf("tick: mean scale at the Nikkei's opens %.3f, want above 1.4 (the bias N12 names)", mean(tick))
	}
	if !(mean(spread) < 1.2 && slices.Max(spread) < 2) {
		t.Errorf("spread: mean scale at the Nikkei's opens %.3f (max %.3f), want below 1.2 (max below 2)", mean(spread), slices.Max(spread))
	}
	if !slices.Equal(tickBTC, spreadBTC) {
		t.Error("Bitcoin, open at every tick, scales differently under the two conventions")
	}
	if slices.Max(tickBTC) <= 1 {
		t.Error("Bitcoin's scale never rose above 1: the comparison above compares nothing")
	}
}
