package sim

import (
	"context"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/agents"
)

// fundHasher hashes what the hasher of TestMarginShortcutExact does, and
// besides every event of every tick and every fund's trades: their legs,
// state and P&L.
type fundHasher struct {
	hasher
	ev uint64
}

func (h *fundHasher) Observe(f *Frame) error {
	if err := h.hasher.Observe(f); err != nil {
		return err
	}
	x := fnv.New64a()
	put := func(v ...float64) {
		for _, f := range v {
			b := math.Float64bits(f)
			x.Write([]byte{byte(b), byte(b >> 8), byte(b >> 16), byte(b >> 24), byte(b >> 32), byte(b >> 40), byte(b >> 48), byte(b >> 56)})
		}
	}
	for _, e := range f.Events {
		x.Write([]byte(e.Agent + "|" + e.Other + "|" + e.Text() + "|"))
		put(float64(e.Kind), float64(e.Reason), float64(e.Round), e.Amount)
	}
	w := f.Model.W
	for _, fund := range f.Model.Funds {
		put(w.NAV(fund.Holder()))
		for _, t := range fund.Trades() {
			active := 0.0
			if t.Active {
				active = 1
			}
			put(active, t.Units, t.FutUnit, t.Loan, t.PnL(w))
		}
	}
	h.ev = h.ev*31 + x.Sum64()
	return nil
}

// withStops gives every trade of the hedge funds a stop-loss (carry 4%,
// basis 2%, equity 3% of equity at entry), so that stops on bonds,
// futures, foreign equities funded in their own currency or in dollars
// all come into play, and lets them trade at most 2% of a day's volume,
// so that closing a trade takes many ticks.
func withStops(c *Config) *Config {
	for k := range c.Agents {
		hf := c.Agents[k].HedgeFund
		if hf == nil {
			continue
		}
		s := *hf
		s.Trades = append([]agents.TradeSpec(nil), hf.Trades...)
		s.Participation = 0.02
		for j := range s.Trades {
			switch s.Trades[j].Kind {
			case "carry":
				s.Trades[j].StopLoss = 0.04
			case "basis":
				s.Trades[j].StopLoss = 0.02
			default:
				s.Trades[j].StopLoss = 0.03
			}
		}
		c.Agents[k].HedgeFund = &s
	}
	return c
}

// exitWorld is testWorld with populations of ten funds whose carry trades a hike
// at tick 48 takes below their exit thresholds; a cut two ticks later
// takes carry-to-vol back above them while the funds, trading at most 2%
// of a day's volume and without stop-losses, are still closing their
// carry trades. reentry is the funds' re-entry multiple (0: off).
func exitWorld(reentry float64) *Config {
	c := testWorld(10)
	c.Ticks = 150
	for k := range c.Agents {
		if hf := c.Agents[k].HedgeFund; hf != nil {
			s := *hf
			s.Participation = 0.02
			if s.Reentry > 0 {
				s.Reentry = reentry
			}
			s.Trades = append([]agents.TradeSpec(nil), hf.Trades...)
			for j := range s.Trades {
				s.Trades[j].StopLoss = 0
			}
			c.Agents[k].HedgeFund = &s
		}
	}
	c.Events = []EventSpec{
		{Tick: 48, Kind: "policy_rate", Currency: "JPY", Rate: 0.03, Label: "hike"},
		{Tick: 50, Kind: "policy_rate", Currency: "JPY", Rate: 0.001, Label: "cut"},
	}
	return c
}

// TestFundShortcutExact: hedge funds skip the first round of a tick when
// it provably has nothing for them to do (by the plan their last full
// round made, with their carry signal's group test or their own, or by
// the whole quiet test), only sweep when the sweep is all there is to do,
// and skip a stop-loss's P&L while prices stay inside its box; every
// recorded series, every event and every trade's state are bit for bit
// what applying the rules in full gives, in a calm run, in a cascade, in
// carry exits with and without re-entry, with stop-losses on carry trades
// and on every kind of trade. With AlwaysFull no round is quiet or only
// sweeps, and no stop is answered by its box.
func TestFundShortcutExact(t *testing.T) {
	for _, tc := range append(shortcutWorlds(), []namedWorld{
		{"exit", func() *Config { return exitWorld(1.5) }},
		{"exit-no-reentry", func() *Config {
			// The same with re-entry off and without the funds' yen
			// equity trade: closed carry trades stay closed, and the
			// residual yen balances their loans leave, which no other
			// trade settles, are what the funds' rounds still have to
			// convert.
			c := exitWorld(0)
			for k := range c.Agents {
				if hf := c.Agents[k].HedgeFund; hf != nil && len(hf.Trades) == 5 {
					hf.Trades = slices.DeleteFunc(hf.Trades, func(t agents.TradeSpec) bool { return t.Asset == "NKY" })
				}
			}
			return c
		}},
		{"carry-stops", func() *Config {
			// Stop-losses on the carry trades, from 1% to 6% of equity
			// across each population, and the yen up 1.5% at each of
			// three ticks: the group test answers for funds whose boxes
			// differ, and the stops trigger a few funds at a time. The
			// pro-rata population has a 1% stop on its S&P trade too,
			// which the group test does not answer for, and the S&P falls
			// 1% at each of three other ticks.
			c := testWorld(10)
			c.Ticks = 200
			for k := range c.Agents {
				if a := &c.Agents[k]; a.HedgeFund != nil && a.Count > 1 {
					a.Vary = append(slices.Clone(a.Vary), Vary{Field: "trades.0.stop_loss", Dist: Dist{Kind: "uniform", Min: f64(0.01), Max: f64(0.06)}})
					if a.HedgeFund.Liquidation == "pro_rata" {
						s := *a.HedgeFund
						s.Trades = slices.Clone(s.Trades)
						s.Trades[2].StopLoss = 0.01
						a.HedgeFund = &s
					}
				}
			}
			for _, tick := range []int{40, 70, 100} {
				c.Events = append(c.Events, EventSpec{Tick: tick, Kind: "shock", Shocks: map[string]float64{"USDJPY": -0.015}},
					EventSpec{Tick: tick + 15, Kind: "shock", Shocks: map[string]float64{"SPX": -0.01}})
			}
			return c
		}},
		{"stops", func() *Config {
			c := withStops(testWorld(10))
			c.Ticks = 400
			c.Events = append(bojEvents(), EventSpec{Tick: 200, Kind: "shock", Shocks: map[string]float64{"SPX": -0.04, "NKY": -0.05, "UST10Y": 0.006}})
			return c
		}},
	}...) {
		t.Run(tc.name, func(t *testing.T) {
			var hashes, events [2]uint64
			quiet, group, sweeps, far, exits := 0, 0, 0, 0, 0
			for k, always := range []bool{false, true} {
				m, err := Build(tc.cfg(), 3)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range m.Funds {
					f.AlwaysFull = always
				}
				h := &fundHasher{}
				if err := m.Run(context.Background(), h); err != nil {
					t.Fatal(err)
				}
				hashes[k], events[k] = h.h, h.ev
				if always {
					for _, f := range m.Funds {
						if f.Quiet != 0 || f.GroupQuiet != 0 || f.SweepRounds != 0 || f.FarStops != 0 {
							t.Fatalf("%s: %d quiet rounds (%d by the group test), %d rounds of the sweep alone and %d stop checks by box with AlwaysFull", f.Holder().ID, f.Quiet+f.GroupQuiet, f.GroupQuiet, f.SweepRounds, f.FarStops)
						}
					}
				} else {
					for _, f := range m.Funds {
						quiet += f.Quiet + f.GroupQuiet
						group += f.GroupQuiet
						sweeps += f.SweepRounds
						far += f.FarStops
						for _, tr := range f.Trades() {
							if !tr.Active {
								exits++
							}
						}
					}
					t.Logf("%d quiet fund-ticks (%d by the group test), %d with the sweep alone, and %d stop checks answered by a box, of %d fund-ticks; %d trades closed at the end", quiet, group, sweeps, far, len(m.Funds)*m.Cfg.Ticks, exits)
				}
			}
			// In "stops" every fund has a stop-loss on trades other than
			// carry, which the group test does not answer for.
			if quiet == 0 || sweeps == 0 || group == 0 && tc.name != "stops" || far == 0 && !strings.HasPrefix(tc.name, "exit") {
				t.Errorf("the shortcuts were not taken: %d quiet fund-ticks (%d by the group test), %d with the sweep alone, %d stop checks by box", quiet, group, sweeps, far)
			}
			if hashes[0] != hashes[1] {
				t.Errorf("series differ with the shortcuts: %x != %x", hashes[0], hashes[1])
			}
			if events[0] != events[1] {
				t.Errorf("events or trades differ with the shortcuts: %x != %x", events[0], events[1])
			}
		})
	}
}
