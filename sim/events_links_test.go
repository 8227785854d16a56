package sim

import (
	"math"
	"testing"
)

// TestLinkFromFutureIntoItsBond: a valuation link into a bond is extended
// "to the bond's futures too" (ODD 5.8, 7.1), but not to the future that
// drives it: "an asset cannot drive itself" (ODD 5.8; LinkSpec.Driver "not
// Asset itself"). With the link UST10Y ← TY, a one-off −1% news shock to TY
// alone moves TY once; it once repeated every tick, TY falling with no
// flow, noise or news behind it, because the extension made TY drive
// itself.
func TestLinkFromFutureIntoItsBond(t *testing.T) {
	cfg := smallWorld("UST10Y", "TY")
	cfg.Ticks = 6
	cfg.Links = []LinkSpec{{Asset: "UST10Y", Driver: "TY", Beta: 1}}
	cfg.Events = []EventSpec{{Tick: 1, Kind: "shock", Shocks: map[string]float64{"TY": -0.01}}}
	var ty []float64
	run(t, cfg, func(m *Model, f *Frame) { ty = append(ty, f.Price[1]) })
	if d := ty[1]/ty[0] - 1; math.Abs(d+0.01) > 1e-12 {
		t.Fatalf("TY moved %.6f at the shock, want -1%%", d)
	}
	// Nothing but the link moves anything after tick 1; the link reaches
	// the bond, not the future that drives it.
	for k := 2; k < len(ty); k++ {
		if d := ty[k]/ty[k-1] - 1; math.Abs(d) > 1e-12 {
			t.Errorf("tick %d: TY moved %.4f%% with no flow, noise or news (a self-link from extending UST10Y<-TY to TY<-TY)", k, 100*d)
		}
	}
}

// TestOutrightGuidanceAfterAccommodation: ODD 6 says events of one tick
// apply in file order except policy_rate first, so that "a guidance that
// sets rate outright is then the tick's last word on Expected however the
// file orders them", and "the other kinds commute". An accommodation
// (Expected += delta) in the same tick does not commute with an outright
// guidance: the expected rate depends on the file's order.
func TestOutrightGuidanceAfterAccommodation(t *testing.T) {
	guide := EventSpec{Tick: 2, Kind: "guidance", Currency: "JPY", Rate: 0.01}
	accom := EventSpec{Tick: 2, Kind: "accommodation", Currency: "JPY", Delta: -0.0025}
	got := map[string]float64{}
	for _, order := range [][]EventSpec{{guide, accom}, {accom, guide}} {
		got[order[0].Kind+" first"] = runEvents(t, order).W.Expected[jpy]
	}
	if got["guidance first"] != got["accommodation first"] || got["guidance first"] != 0.01 {
		t.Errorf("expected JPY rate after the tick: %v; want the outright guidance's 0.01 whatever the file order", got)
	}
}

// jpy is the index of testWorld's second currency (USD, JPY).
const jpy = 1

// runEvents runs testWorld(1) for four ticks with the given events, in the
// given file order.
func runEvents(t *testing.T, events []EventSpec) *Model {
	t.Helper()
	cfg := testWorld(1)
	cfg.Ticks = 4
	cfg.Events = events
	m, err := Build(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	if m.W.Currencies[jpy] != "JPY" {
		t.Fatalf("currency %d is %s", jpy, m.W.Currencies[jpy])
	}
	for m.W.Tick < cfg.Ticks {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
	}
	return m
}
