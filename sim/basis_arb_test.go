package sim

import (
	"math"
	"testing"
)

// TestBasisArbHalfLife: a future with basis_half_life_days H (noise off,
// no agents) whose basis a shock to the future alone opened gives back a
// share s = 1 − 2^(−1/(H·24)) of its log basis each hourly tick, times
// 1 − u for u the dealers' utilization: half of it in H days with the
// dealers idle; at u = 0.5 a share s/2 a tick (71% of it left after a day
// of H 1), none at u ≥ 1 (the dealers have no balance sheet left for the
// arbitrage). Without the field the basis stays where the shock left it.
func TestBasisArbHalfLife(t *testing.T) {
	const open = 0.01 // the shock: TY 1% rich to UST10Y
	b0 := math.Log1p(open)
	for _, c := range []struct {
		name string
		hl   float64 // basis_half_life_days (0: unset)
		util float64 // dealer utilization held through the run
		days float64 // when to read the basis after the shock
		want float64 // log basis then, as a share of b0
	}{
		{"unset: the basis stays", 0, 0, 1, 1},
		{"H 0.5 days, dealers idle: half in 12 ticks", 0.5, 0, 0.5, 0.5},
		{"H 0.5 days, dealers idle: a quarter left in a day", 0.5, 0, 1, 0.25},
		{"H 1 day, dealers idle: half in a day", 1, 0, 1, 0.5},
		{"H 1 day, utilization 0.5: half the share per tick", 1, 0.5, 1, math.Pow(1-0.5*(1-math.Pow(0.5, 1.0/24)), 24)},
		{"H 1 day, utilization 0.9", 1, 0.9, 1, math.Pow(1-0.1*(1-math.Pow(0.5, 1.0/24)), 24)},
		{"H 1 day, utilization 1: no arbitrage", 1, 1, 1, 1},
		{"H 1 day, utilization 1.3: no arbitrage", 1, 1.3, 1, 1},
	} {
		cfg := smallWorld("UST10Y", "TY")
		cfg.Ticks = 60
		cfg.Assets[1].BasisHalfLifeDays = c.hl
		cfg.Events = []EventSpec{{Tick: 2, Kind: "shock", Shocks: map[string]float64{"TY": open}}}
		m, err := Build(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		read := 2 + int(math.Round(c.days*24))
		var got, atShock float64
		for m.W.Tick <= read {
			m.W.DealerUtil = c.util // what the dealers' last update would leave
			if err := m.Step(); err != nil {
				t.Fatal(err)
			}
			b := math.Log(m.W.Price[1] * 100 / (110 * m.W.Price[0]))
			switch m.W.Tick - 1 {
			case 2:
				atShock = b
			case read:
				got = b
			}
		}
		if math.Abs(atShock-b0) > 1e-12 {
			t.Errorf("%s: log basis at the shock %.12g, want %.12g", c.name, atShock, b0)
		}
		if want := c.want * b0; math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: log basis %g days after the shock %.12g (%.6g of it), want %.12g (%.6g)", c.name, c.days, got, got/b0, want, c.want)
		}
	}
}

// TestBasisArbWaitsForBothMarkets: with the cash bond in New York hours
// and the future always open, the basis a shock opens at 02:00 UTC stays
// put while the cash market is closed and closes only in the ticks both
// markets trade: after a day, b0·(1−s)^n for n those ticks.
func TestBasisArbWaitsForBothMarkets(t *testing.T) {
	const open = 0.01
	cfg := smallWorld("UST10Y", "TY")
	cfg.Ticks = 40
	cfg.Assets[0].Session = "new_york"
	cfg.Assets[1].BasisHalfLifeDays = 1
	cfg.Events = []EventSpec{{Tick: 2, Kind: "shock", Shocks: map[string]float64{"TY": open}}}
	m, err := Build(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	b0 := math.Log1p(open)
	both := 0
	for m.W.Tick <= 2+24 {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
		b := math.Log(m.W.Price[1] * 100 / (110 * m.W.Price[0]))
		tick := m.W.Tick - 1
		if tick <= 2 {
			continue
		}
		if m.W.Trading[0] && m.W.Trading[1] {
			both++
		} else if want := b0 * math.Pow(math.Pow(0.5, 1.0/24), float64(both)); math.Abs(b-want) > 1e-12 {
			t.Errorf("tick %d, cash market closed: log basis %.12g, want %.12g (as after %d ticks of both trading)", tick, b, want, both)
		}
	}
	if both == 0 || both >= 24 {
		t.Fatalf("%d ticks of both markets trading in the day after the shock: want some, not all", both)
	}
	b := math.Log(m.W.Price[1] * 100 / (110 * m.W.Price[0]))
	if want := b0 * math.Pow(0.5, float64(both)/24); math.Abs(b-want) > 1e-12 {
		t.Errorf("a day after the shock (%d ticks both trading): log basis %.12g, want %.12g", both, b, want)
	}
}

// TestBasisArbAllocs: the basis term allocates nothing in the tick loop.
func TestBasisArbAllocs(t *testing.T) {
	cfg := testWorld(2)
	cfg.Ticks = 1000
	cfg.Assets[2].BasisHalfLifeDays = 1 // TY
	m, err := Build(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.basisArbs) != 1 {
		t.Fatalf("%d futures with basis arbitrage, want 1", len(m.basisArbs))
	}
	for i := 0; i < 100; i++ {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
	}
	if allocs := testing.AllocsPerRun(200, func() {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
	}); allocs != 0 {
		t.Errorf("%.2f allocations per tick with basis_half_life_days set, want 0", allocs)
	}
}
