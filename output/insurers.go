package output

import (
	"maps"
	"slices"
	"strings"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// writeInsurers writes the insurers' section of report.md: what the
// insurers sold of their foreign bonds and of dollars, and each one's
// hedge over the run (summary.json's insurers); nothing without insurers.
func writeInsurers(p func(string, ...any), s *sim.Summary, at func(int) string) {
	if len(s.Insurers) == 0 {
		return
	}
	ids := slices.Sorted(maps.Keys(s.Insurers))
	p("## Insurers\n\n")
	// The kind's sales of each foreign bond and exchange rate the
	// insurers hold, in the order of the assets' ids.
	var bonds, pairs []string
	for _, id := range ids {
		n := s.Insurers[id]
		if !slices.Contains(bonds, n.Foreign) {
			bonds = append(bonds, n.Foreign)
		}
		if !slices.Contains(pairs, n.Pair) {
			pairs = append(pairs, n.Pair)
		}
	}
	slices.Sort(bonds)
	slices.Sort(pairs)
	sold := s.ForcedSales.ByKindAsset[core.Insurer.String()]
	var parts []string
	for _, a := range bonds {
		parts = append(parts, Money(s.Currency, float64(sold[a]))+" of "+MarkdownCell(a))
	}
	for _, a := range pairs {
		parts = append(parts, Money(s.Currency, float64(sold[a]))+" of "+MarkdownCell(a)+" (dollars sold for home currency)")
	}
	p("Insurers sold %s; while triggered, %s of their sales were repatriation (foreign bonds sold and dollars brought home) and %s raised the hedge (dollars sold for home currency, no bonds sold).",
		strings.Join(parts, " and "), Money(s.Currency, float64(s.ForcedSales.ByReason[core.Repatriation.String()])),
		Money(s.Currency, float64(s.ForcedSales.ByReason[core.InsurerHedge.String()])))
	p(" The hedge ratio is the hedge notional over the foreign bonds' value; the hedge cost is the USD policy rate less the home one less the cross-currency basis, bp a year; foreign bonds sold is the share of the holding at the start no longer held at the end.\n\n")
	p("| insurer | hedge ratio at start | peak | end | hedge cost at start (bp) | peak (bp) | triggered | foreign bonds sold |\n|---|--:|--:|--:|--:|--:|---|--:|\n")
	for _, id := range ids {
		n := s.Insurers[id]
		trig := "never"
		if n.FirstTriggeredTick >= 0 {
			trig = "from " + at(n.FirstTriggeredTick)
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s |\n", MarkdownCell(id),
			pct(100*n.HedgeRatio.Start), pct(100*n.HedgeRatio.Peak), pct(100*n.HedgeRatio.End),
			fix(n.HedgeCost.Start, 0), fix(n.HedgeCost.Peak, 0), trig, pct(n.ForeignSoldPct))
	}
	p("\n")
}
