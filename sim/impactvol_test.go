package sim_test

import (
	"slices"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestImpactVolAtOpens: ODD N12. Under impact_vol: calendar the square-root
// law's volatility scale reads the gap at a market's open, the news of the
// hours it was shut arriving in one tick, as volatility; under trading it
// takes the gap per tick shut. In aug2024 with every channel off, no
// events and the noise at full calm volatility (noise.scale 1), nothing
// but the calendar moves the scale at the Nikkei's opens: 1.60 on average
// on the calendar (3.10 at most, a Monday), 1.07 in trading time. Bitcoin, which never closes, scales the same under
// both, bit for bit.
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
	cal, calBTC := scale("calendar")
	trd, trdBTC := scale("trading")
	mean := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	t.Logf("Nikkei's scale at %d opens: calendar mean %.3f max %.3f; trading mean %.3f max %.3f",
		len(cal), mean(cal), slices.Max(cal), mean(trd), slices.Max(trd))
	if len(cal) < 10 || len(cal) != len(trd) {
		t.Fatalf("%d and %d opens, want the same ten or more", len(cal), len(trd))
	}
	if !(mean(cal) > 1.4) {
		t.Errorf("calendar: mean scale at the Nikkei's opens %.3f, want above 1.4 (the bias N12 names)", mean(cal))
	}
	if !(mean(trd) < 1.1 && slices.Max(trd) < 1.5) {
		t.Errorf("trading: mean scale at the Nikkei's opens %.3f (max %.3f), want below 1.1 (max below 1.5)", mean(trd), slices.Max(trd))
	}
	if !slices.Equal(calBTC, trdBTC) {
		t.Error("Bitcoin, open at every tick, scales differently under the two conventions")
	}
	if slices.Max(calBTC) <= 1 {
		t.Error("Bitcoin's scale never rose above 1: the comparison above compares nothing")
	}
}
