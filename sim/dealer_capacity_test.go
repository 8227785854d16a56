package sim

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// capacityWorld is testWorld with the BOJ's hike at tick 48 (dealers'
// utilization 3.4% at tick 50) and funding spreads that widen past a
// utilization of 2%, so that a change of capacity shows in them; the Fed's
// facility rule (trigger 40bp) stays far off.
func capacityWorld(events ...EventSpec) *Model {
	cfg := testWorld(2)
	cfg.Ticks = 60
	cfg.Funding.UStar = 0.02
	cfg.Events = append(bojEvents(), events...)
	m, err := Build(cfg, 1)
	if err != nil {
		panic(err)
	}
	return m
}

// runTo steps m until its clock reads tick (the close of tick-1 done).
func runTo(t *testing.T, m *Model, tick int) {
	t.Helper()
	for m.W.Tick < tick {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDealerCapacityEvent: a dealer_capacity event at tick 50 scales the
// lev_limit of the dealers it names, and of the prime brokers it names,
// from the scenario's. Against the same run without it, nothing differs
// before the event; at the event's close the named dealers' utilization is
// their utilization without it divided by the multiplier (the exposure is
// the same: the new capacity prices the next tick's depth), the others'
// is unchanged, and the sector's utilization and the funding spreads it
// prices fall with more capacity and rise with less (MODEL.md §2-3):
// from 3.4657% and 12.9313bp without the event. A
// second event with multiplier 1 restores the scenario's limits: events
// do not compound.
func TestDealerCapacityEvent(t *testing.T) {
	const at = 50
	base := capacityWorld()
	runTo(t, base, at+1)
	bw := base.W
	for _, c := range []struct {
		name    string
		events  []EventSpec
		scaled  map[string]float64 // dealer (and broker) id: the ratio of its lev_limit to the scenario's after the event
		lower   bool               // the sector's utilization and the spreads fall
		utilPct float64            // the sector's utilization at the event's close, % (0: as without)
		repoBp  float64            // the USD repo spread then, bp (12.9313 without)
	}{
		{"every dealer, a quarter more", []EventSpec{{Tick: at, Kind: "dealer_capacity", Multiplier: 1.25}},
			map[string]float64{"GS": 1.25, "MS": 1.25, "dealers": 1.25, "JPM": 1.25}, true, 2.7725, 11.5451},
		{"every dealer, half", []EventSpec{{Tick: at, Kind: "dealer_capacity", Multiplier: 0.5}},
			map[string]float64{"GS": 0.5, "MS": 0.5, "dealers": 0.5, "JPM": 0.5}, false, 6.9313, 19.8626},
		{"the standalone dealer, twice", []EventSpec{{Tick: at, Kind: "dealer_capacity", Multiplier: 2, Dealers: []string{"dealers"}}},
			map[string]float64{"GS": 1, "MS": 1, "dealers": 2, "JPM": 1}, true, 2.7437, 11.4874},
		{"GS, arm and broker, twice", []EventSpec{{Tick: at, Kind: "dealer_capacity", Multiplier: 2, Dealers: []string{"GS"}}},
			map[string]float64{"GS": 2, "MS": 1, "dealers": 1, "JPM": 1}, true, 2.2706, 10.5412},
		{"restored at once", []EventSpec{{Tick: at - 1, Kind: "dealer_capacity", Multiplier: 3}, {Tick: at, Kind: "dealer_capacity", Multiplier: 1}},
			map[string]float64{"GS": 1, "MS": 1, "dealers": 1, "JPM": 1}, false, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := capacityWorld(c.events...)
			first := c.events[0].Tick
			runTo(t, m, first)
			before := capacityWorld()
			runTo(t, before, first)
			if w := m.W; w.DealerUtil != before.W.DealerUtil || w.Spread[core.USD] != before.W.Spread[core.USD] {
				t.Fatalf("tick %d, before the event: utilization %v, repo %v; want the run without it's, %v and %v",
					first-1, w.DealerUtil, w.Spread[core.USD], before.W.DealerUtil, before.W.Spread[core.USD])
			}
			runTo(t, m, at+1)
			w := m.W
			// Restored, the equity the limits multiply has had a tick of
			// other spreads: the same to 1e-8.
			tol := pick(len(c.events) == 1, 1e-12, 1e-8)
			for k, d := range m.M.Dealers {
				id := w.Holders[d.Holder].ID
				b := &base.M.Dealers[k]
				if want := b.LevLimit * c.scaled[id]; d.LevLimit != want {
					t.Errorf("%s: lev_limit %v, want %v", id, d.LevLimit, want)
				}
				if want := b.Util / c.scaled[id]; math.Abs(d.Util-want) > tol*want {
					t.Errorf("%s: utilization %.10f at the event's close, want %.10f (%.10f without the event, over %v)", id, d.Util, want, b.Util, c.scaled[id])
				}
			}
			for k, br := range m.Brokers {
				id := br.Spec.ID
				if want := base.Brokers[k].Spec.LevLimit * c.scaled[id]; br.Spec.LevLimit != want {
					t.Errorf("broker %s: own lev_limit %v, want %v", id, br.Spec.LevLimit, want)
				}
			}
			u, repo, other := w.DealerUtil, w.Spread[core.USD], w.Spread[1]
			t.Logf("utilization %.4f%% (%.4f%% without), repo %.4fbp (%.4fbp), other %.4fbp (%.4fbp)", 100*u, 100*bw.DealerUtil, 1e4*repo, 1e4*bw.Spread[core.USD], 1e4*other, 1e4*bw.Spread[1])
			if c.utilPct == 0 { // restored: the run without the event's numbers
				if math.Abs(u-bw.DealerUtil) > tol*u || math.Abs(repo-bw.Spread[core.USD]) > tol*repo {
					t.Errorf("restored: utilization %v, repo %v; want %v, %v as without the events", u, repo, bw.DealerUtil, bw.Spread[core.USD])
				}
				return
			}
			if math.Abs(100*u-c.utilPct) > 1e-4 || math.Abs(1e4*repo-c.repoBp) > 1e-4 {
				t.Errorf("utilization %.4f%%, repo %.4fbp; want %.4f%%, %.4fbp", 100*u, 1e4*repo, c.utilPct, c.repoBp)
			}
			f := base.Cfg.Funding
			if want := f.RepoSpread + f.RepoSlope*math.Max(0, u-f.UStar); math.Abs(repo-want) > 1e-15 {
				t.Errorf("repo spread %v is not what utilization %v prices (%v)", repo, u, want)
			}
			if lower := u < bw.DealerUtil && repo < bw.Spread[core.USD] && other < bw.Spread[1]; lower != c.lower {
				t.Errorf("utilization %v vs %v, repo %v vs %v, other %v vs %v: want lower %v", u, bw.DealerUtil, repo, bw.Spread[core.USD], other, bw.Spread[1], c.lower)
			}
			if higher := u > bw.DealerUtil && repo > bw.Spread[core.USD] && other > bw.Spread[1]; higher == c.lower {
				t.Errorf("utilization %v vs %v, repo %v vs %v: want higher %v", u, bw.DealerUtil, repo, bw.Spread[core.USD], !c.lower)
			}
		})
	}
}

func pick[T any](b bool, x, y T) T {
	if b {
		return x
	}
	return y
}

// TestDealerCapacityAllocs: applying a dealer_capacity event allocates
// nothing (the tick loop's rule, TestStepAllocs): one at every tick of the
// measured window, alternately raising and restoring the limits.
func TestDealerCapacityAllocs(t *testing.T) {
	cfg := benchWorld()
	cfg.Ticks = 1000
	for k := 200; k < 800; k++ {
		cfg.Events = append(cfg.Events, EventSpec{Tick: k, Kind: "dealer_capacity", Multiplier: float64(1 + k%2)})
	}
	m, err := Build(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	runTo(t, m, 200) // warm up: buffers reach their working size
	allocs := testing.AllocsPerRun(500, func() {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%.2f allocations per tick with a dealer_capacity event in each, want 0", allocs)
	}
	if got, want := m.M.Dealers[0].LevLimit, cfg.Brokers[0].Dealer.LevLimit*float64(1+(m.W.Tick-1)%2); got != want {
		t.Errorf("after tick %d: lev_limit %v, want %v", m.W.Tick-1, got, want)
	}
}
