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

// TestCapitalSummary checks the summary's capital against the agents'
// balance sheets, assets less liabilities valued from scratch
// (core.Holder.Equity) before the first tick and after the last, not the
// ledger the summary reads: each row of by_agent, each kind and the total,
// with the loss capped at the capital and the rest the shortfall. Every
// unit and every unit of money in these worlds began as a claim on the
// outside sector (it sold the agents their holdings and paid in their
// capital), so what the agents lost in all it gained. eba2018 with a 30%
// shock in shallow markets leaves failed banks below zero (a shortfall),
// aug2024 has funds closed out by their brokers, and a finance ministry
// whose $200bn of reserves the total leaves out (by_kind has its row, and
// the outside sector's gain is the loss of every agent, it included). A
// world of 1,047 banks lists the 1,000 that lost most.
func TestCapitalSummary(t *testing.T) {
	for _, c := range []struct {
		name     string
		sets     []string
		shortful bool // some agent ends below zero
		defaults int  // at least
		leftOut  int
		reserves bool // a central bank starts with reserves, left out of the total
	}{
		{"eba2018", nil, false, 2, 0, false},
		{"eba2018", []string{"events.0.shocks.GOVB=-0.3", "depth_scale=1"}, true, 40, 0, false},
		{"aug2024", nil, false, 20, 0, true},
		{"mini", nil, false, 0, 0, false},
		{"eba2018", []string{"agents.AT01.count=1000"}, true, 2, 47, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenarios.Load(c.name, c.sets)
			if err != nil {
				t.Fatal(err)
			}
			m, err := sim.Build(&sc.File.Config, sc.File.Config.Seed)
			if err != nil {
				t.Fatal(err)
			}
			w := m.W
			start := make([]float64, len(w.Holders))
			for i, h := range w.Holders {
				start[i] = h.Equity(w)
			}
			col := sim.NewCollector()
			if err := m.Run(context.Background(), col); err != nil {
				t.Fatal(err)
			}
			s := col.S.Capital
			if len(col.S.Defaults) < c.defaults {
				t.Fatalf("%d defaults, want at least %d", len(col.S.Defaults), c.defaults)
			}
			w.SettleAll() // the run is over: settling changes nothing it reports
			kinds := map[string]*sim.Capital{}
			total, all := &sim.Capital{}, &sim.Capital{} // all counts central banks too
			gross, shortful, reserves := 0.0, false, 0.0
			var least, most *sim.Capital // the smallest loss listed, the largest left out
			for i, h := range w.Holders {
				a, l := h.AssetsLiabilities(w)
				gross += a + l
				if h.Kind == core.Outside {
					continue
				}
				end := a - l
				want := capitalOf(start[i], end)
				if end < 0 {
					shortful = true
				}
				got := s.ByAgent[h.ID]
				if slices.Contains(sim.CapitalKinds, h.Kind) {
					if got == nil && c.leftOut == 0 {
						t.Fatalf("by_agent has no %s (%s)", h.ID, h.Kind)
					}
					if got == nil {
						if most == nil || lostMore(want, most, 0) {
							most = want
						}
					} else {
						if least == nil || lostMore(least, want, 0) {
							least = want
						}
						if got.Kind != h.Kind.String() {
							t.Errorf("%s: kind %q, want %q", h.ID, got.Kind, h.Kind)
						}
						sameCapital(t, h.ID, got, want, math.Max(math.Abs(start[i]), a+l))
					}
				} else if got != nil {
					t.Errorf("by_agent lists %s, a %s", h.ID, h.Kind)
				}
				k := h.Kind.String()
				if kinds[k] == nil {
					kinds[k] = &sim.Capital{}
				}
				addCapital(kinds[k], want)
				addCapital(all, want)
				if h.Kind != core.CentralBank {
					addCapital(total, want)
				} else {
					reserves += start[i]
				}
			}
			if shortful != c.shortful {
				t.Fatalf("an agent ends below zero: %v, want %v", shortful, c.shortful)
			}
			if len(s.ByKind) != len(kinds) || s.LeftOut != c.leftOut {
				t.Errorf("%d kinds and %d left out, want %d and %d", len(s.ByKind), s.LeftOut, len(kinds), c.leftOut)
			}
			if c.leftOut > 0 && (len(s.ByAgent) != sim.MaxCapitalAgents || lostMore(most, least, 1e-9*float64(least.Start))) {
				t.Errorf("by_agent lists %d, the smallest loss %+v, and leaves out a loss of %+v: want %d, the largest losses", len(s.ByAgent), *least, *most, sim.MaxCapitalAgents)
			}
			for k, want := range kinds {
				want.LossPct = sim.Num(100 * want.Loss / want.Start)
				sameCapital(t, k, s.ByKind[k], want, gross)
			}
			total.LossPct = sim.Num(100 * total.Loss / total.Start)
			sameCapital(t, "total", &s.Total, total, gross)
			if (reserves > 0) != c.reserves || (len(s.NotInTotal) > 0) != (s.ByKind["central_bank"] != nil) {
				t.Errorf("central banks' equity at the start %g, not_in_total %v: want reserves %v, and not_in_total to name central_bank when it has a row", reserves, s.NotInTotal, c.reserves)
			}
			out := w.Holders[0]
			gain := out.Equity(w) - start[0]
			if d := float64(all.Loss+all.Shortfall) - gain; !(math.Abs(d) <= 1e-9*gross) {
				t.Errorf("agents lost %g (%g beyond their capital), the outside sector gained %g: off by %g", float64(all.Loss), float64(all.Shortfall), gain, d)
			}
			if c.name == "eba2018" && !(s.Total.Loss > 0) {
				t.Errorf("the banks lost %g in a fire sale", float64(s.Total.Loss))
			}
		})
	}
}

// capitalOf is one agent's Capital from its equity at the start and the
// end: its owners lose at most the capital, the rest is the shortfall.
func capitalOf(start, end float64) *sim.Capital {
	loss, short := start-end, 0.0
	if end < 0 {
		loss, short = start, -end
	}
	pct := math.NaN()
	if start > 0 {
		pct = 100 * loss / start
	}
	return &sim.Capital{Start: sim.Num(start), End: sim.Num(end), Loss: sim.Num(loss), LossPct: sim.Num(pct), Shortfall: sim.Num(short)}
}

// lostMore reports whether a comes before b in sim.CapitalOrder, beyond
// tol: a larger loss or, for equal losses, a larger shortfall.
func lostMore(a, b *sim.Capital, tol float64) bool {
	if d := float64(a.Loss - b.Loss); math.Abs(d) > tol {
		return d > 0
	}
	return float64(a.Shortfall-b.Shortfall) > tol
}

func addCapital(sum, c *sim.Capital) {
	sum.Start += c.Start
	sum.End += c.End
	sum.Loss += c.Loss
	sum.Shortfall += c.Shortfall
}

// sameCapital compares got with want, amounts to 1e-9 of scale and the
// percentage to 1e-7 points.
func sameCapital(t *testing.T, what string, got, want *sim.Capital, scale float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: missing", what)
		return
	}
	for _, f := range []struct {
		name      string
		got, want sim.Num
		tol       float64
	}{
		{"start", got.Start, want.Start, 1e-9 * scale},
		{"end", got.End, want.End, 1e-9 * scale},
		{"loss", got.Loss, want.Loss, 1e-9 * scale},
		{"shortfall", got.Shortfall, want.Shortfall, 1e-9 * scale},
		{"loss_pct", got.LossPct, want.LossPct, 1e-7},
	} {
		g, w := float64(f.got), float64(f.want)
		if math.IsNaN(g) != math.IsNaN(w) || math.Abs(g-w) > f.tol {
			t.Errorf("%s: %s %.17g, want %.17g", what, f.name, g, w)
		}
	}
}
