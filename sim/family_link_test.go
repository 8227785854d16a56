package sim

import (
	"math"
	"testing"
)

// TestLinkBetweenBondAndFuture: a valuation link between a bond and a
// future on it carries the driver's move less the scripted shocks that
// reach both directly (a bond's shock reaches its futures in the same
// tick), so that the news arrives once; what else moves the driver (here
// a link from the S&P into the bond, as flows would) still reaches the
// linked asset an hour later. When the link carried the shocks too, a 1%
// shock to the bond moved the future by 1% at the shock and by another 1%
// an hour later: aug2024's ISM and payrolls shocks to UST10Y left TY 136bp
// rich to the cash bond with a TY <- UST10Y link.
func TestLinkBetweenBondAndFuture(t *testing.T) {
	for _, c := range []struct {
		name  string
		links []LinkSpec
		shock map[string]float64
		// want: each asset's return at ticks 1, 2 and 3.
		ust, ty [3]float64
	}{
		{"future on its bond, bond shocked", []LinkSpec{{Asset: "TY", Driver: "UST10Y", Beta: 1}},
			map[string]float64{"UST10Y": 0.01}, [3]float64{0.01, 0, 0}, [3]float64{0.01, 0, 0}},
		{"bond on its future, bond shocked", []LinkSpec{{Asset: "UST10Y", Driver: "TY", Beta: 1}},
			map[string]float64{"UST10Y": 0.01}, [3]float64{0.01, 0, 0}, [3]float64{0.01, 0, 0}},
		// The future's own shock is not the bond's: the bond reprices to it
		// (TestLinkFromFutureIntoItsBond).
		{"bond on its future, future shocked", []LinkSpec{{Asset: "UST10Y", Driver: "TY", Beta: 1}},
			map[string]float64{"TY": 0.01}, [3]float64{0, 0.01, 0}, [3]float64{0.01, 0, 0}},
		// A flight to quality: the S&P's fall lifts the bond an hour later,
		// and the future an hour after that, through its own link.
		{"future on its bond, bond moved by a link", []LinkSpec{{Asset: "UST10Y", Driver: "SPX", Beta: -0.5}, {Asset: "TY", Driver: "UST10Y", Beta: 1}},
			map[string]float64{"SPX": -0.04}, [3]float64{0, 0.02, 0}, [3]float64{0, 0, 0.02}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := smallWorld("UST10Y", "TY", "SPX")
			cfg.Ticks = 5
			cfg.Links = c.links
			cfg.Events = []EventSpec{{Tick: 1, Kind: "shock", Shocks: c.shock}}
			var ust, ty []float64
			run(t, cfg, func(m *Model, f *Frame) {
				ust = append(ust, f.Price[0])
				ty = append(ty, f.Price[1])
			})
			for k := 1; k <= 3; k++ {
				for _, a := range []struct {
					id   string
					p    []float64
					want float64
				}{{"UST10Y", ust, c.ust[k-1]}, {"TY", ty, c.ty[k-1]}} {
					if r := a.p[k]/a.p[k-1] - 1; math.Abs(r-a.want) > 1e-12 {
						t.Errorf("tick %d: %s moved %+.4f%%, want %+.4f%%", k, a.id, 100*r, 100*a.want)
					}
				}
			}
		})
	}
	// Both markets shut at the shock (New York's session, 01:00 UTC): the
	// news waits for the open and arrives there once in each.
	t.Run("shut at the shock", func(t *testing.T) {
		cfg := smallWorld("UST10Y", "TY")
		cfg.Assets[0].Session, cfg.Assets[1].Session = "new_york", "new_york"
		cfg.Ticks = 30
		cfg.Links = []LinkSpec{{Asset: "TY", Driver: "UST10Y", Beta: 1}}
		cfg.Events = []EventSpec{{Tick: 1, Kind: "shock", Shocks: map[string]float64{"UST10Y": 0.01}}}
		var ust, ty []float64
		run(t, cfg, func(m *Model, f *Frame) {
			ust = append(ust, f.Price[0])
			ty = append(ty, f.Price[1])
		})
		n := len(ty) - 1
		if r := ust[n]/ust[0] - 1; math.Abs(r-0.01) > 1e-12 {
			t.Fatalf("UST10Y moved %+.4f%% by tick %d, want the shock's +1%%", 100*r, n)
		}
		if r := ty[n]/ty[0] - 1; math.Abs(r-0.01) > 1e-12 {
			t.Errorf("TY moved %+.4f%% by tick %d, want its underlying's +1%%, once", 100*r, n)
		}
	})
}
