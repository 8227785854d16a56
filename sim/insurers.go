package sim

import (
	"fmt"
	"strings"

	"github.com/cascade-sim/cascade/agents"
)

// InsurerSummary is one insurer's hedge and foreign holdings over the
// run, as the time series' insurer_ID_ columns show them tick by tick.
type InsurerSummary struct {
	// Foreign is the id of its foreign bond; Pair that of the exchange
	// rate of its home currency against USD.
	Foreign string `json:"foreign"`
	Pair    string `json:"pair"`
	// HedgeRatio is the share of its foreign bonds hedged: the hedge
	// notional over their market value.
	HedgeRatio PeakSummary `json:"hedge_ratio"`
	// HedgeUSD is the hedge notional, USD: the dollars it owes on the
	// hedge.
	HedgeUSD PeakSummary `json:"hedge_usd"`
	// HedgeCost is the annual cost of hedging a dollar into its home
	// currency, bp: the USD policy rate less the home policy rate less
	// the cross-currency basis.
	HedgeCost PeakSummary `json:"hedge_cost_bp"`
	// Pickup is the hedged yield pickup of its foreign bond over its home
	// bond, bp a year: lowest when hedging is dearest.
	Pickup TroughSummary `json:"pickup_bp"`
	// TriggeredTicks counts the ticks it ended triggered (hedging up and
	// repatriating), the first of them FirstTriggeredTick (−1: never).
	TriggeredTicks     int `json:"triggered_ticks"`
	FirstTriggeredTick int `json:"first_triggered_tick"`
	// ForeignSoldPct is the share of its foreign bond holding at tick 0
	// (in units) it no longer held at the end, percent (negative when it
	// bought more).
	ForeignSoldPct Num `json:"foreign_sold_pct"`
}

// insurerTrack follows one insurer for the summary.
type insurerTrack struct {
	n      *agents.Insurer
	s      InsurerSummary
	units0 float64
}

func (c *Collector) beginInsurers(m *Model) {
	c.insurers = c.insurers[:0]
	for _, n := range m.Insurers() {
		c.insurers = append(c.insurers, insurerTrack{n: n, s: InsurerSummary{Foreign: m.W.Assets[n.ForeignAsset()].ID, Pair: m.W.Assets[n.Pair()].ID, HedgeRatio: newPeak(), HedgeUSD: newPeak(), HedgeCost: newPeak(),
			Pickup: newTrough(), FirstTriggeredTick: -1, ForeignSoldPct: nan}})
	}
}

// observeInsurers follows each insurer's hedge, read from the insurer.
func (c *Collector) observeInsurers(f *Frame) {
	first := c.frames == 0
	w := c.m.W
	for k := range c.insurers {
		t := &c.insurers[k]
		n, s := t.n, &t.s
		if first {
			t.units0 = n.ForeignUnits()
		}
		s.HedgeRatio.add(n.HedgeRatio(w), f.Tick, first)
		s.HedgeUSD.add(n.HedgeNotional(), f.Tick, first)
		s.HedgeCost.add(1e4*n.HedgeCost(w), f.Tick, first)
		ph, _ := n.PickupsAt(w, f.Yield)
		s.Pickup.add(1e4*ph, f.Tick, first)
		if n.Triggered {
			if s.TriggeredTicks == 0 {
				s.FirstTriggeredTick = f.Tick
			}
			s.TriggeredTicks++
		}
	}
}

// endInsurers returns the insurers' summaries by id (nil without
// insurers).
func (c *Collector) endInsurers() map[string]*InsurerSummary {
	if len(c.insurers) == 0 {
		return nil
	}
	out := make(map[string]*InsurerSummary, len(c.insurers))
	for k := range c.insurers {
		t := &c.insurers[k]
		if t.units0 > 0 {
			t.s.ForeignSoldPct = Num(100 * (1 - t.n.ForeignUnits()/t.units0))
		}
		out[t.n.Holder().ID] = &t.s
	}
	return out
}

// insurerNotes tells the user about insurers whose max_hedge is at or
// below the hedge ratio they start at while they have a hedge_speed:
// triggered, they never hedge up (the hedge ratio stops at max_hedge), so
// hedge_speed does nothing; they still repatriate. A note, not an error:
// a population's draws of hedge_ratio or max_hedge may cross for some
// members only, and the members' hedge ratio drifts with their bonds'
// price, which may bring it below max_hedge.
func (m *Model) insurerNotes() {
	const group = "insurers start hedged at or above their max_hedge, so they never hedge up when triggered (hedge_speed does nothing)"
	var names []string
	var gists []agents.Gist
	for _, n := range m.Insurers() {
		s := &n.Spec
		mx := s.MaxHedge
		if mx == 0 {
			mx = 0.8 // the default (agents.InsurerSpec.MaxHedge)
		}
		if s.HedgeSpeed > 0 && mx <= s.HedgeRatio {
			id := n.Holder().ID
			gists = append(gists, agents.Gist{Text: id + ": " + group, Agent: id, Group: group})
			names = append(names, fmt.Sprintf("%s (hedge_ratio %g, max_hedge %g)", id, s.HedgeRatio, mx))
		}
	}
	if len(gists) == 0 {
		return
	}
	if len(names) > 10 {
		names = append(names[:10], fmt.Sprintf("and %d more", len(names)-10))
	}
	m.env.NoteOn(fmt.Sprintf("%d %s, the ratio hedging up stops at, so when triggered they never hedge up and hedge_speed does nothing (they still repatriate): %s; raise max_hedge above hedge_ratio (default 0.8), or leave hedge_speed out",
		len(gists), pluralWord(len(gists), "insurer starts hedged at or above its max_hedge", "insurers start hedged at or above their max_hedge"), strings.Join(names, ", ")), gists...)
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
