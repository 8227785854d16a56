package output

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cascade-sim/cascade/sim"
)

// RunReport is what report.md tells of a run: a page a researcher can read
// or share on its own, with the plots beside it. It holds no clock time or
// version (manifest.json has them), so that one run always writes the
// same page.
type RunReport struct {
	Summary     *sim.Summary
	Meta        Meta
	Description string      // the scenario's
	Times       []time.Time // each frame's time (the time series' time column)
	Score       []ScoreRow  // against the scenario's observed: list; nil without one
	Plots       []string    // PNG files written, relative to the run directory
	Reproduce   string      // the cascade run command that makes the run again
	// Population is the parameters drawn for the members of populations
	// (sim.Model.Draws, population.csv); nil when the scenario draws none.
	Population []sim.Draw
}

// reportMaxRows bounds the rows of the defaults' table (the defaults
// beyond it are named in a line under it) and of the capital table.
const reportMaxRows = 20

// reportMaxFlows bounds the rows of the table of sales and purchases by
// kind and asset; the rest are summed in one row.
const reportMaxFlows = 40

// WriteRunReport writes r as Markdown (report.md): the headline, each
// asset's path, what moved the headline asset and each other asset of the
// correlation set that fell (attribution by kind and by reason), the sales
// by kind and by reason, the sales and purchases by kind and asset, margin
// calls and defaults,
// volatility and correlation, the score against what markets did, the
// parameters drawn for populations, the scripted events, and the plots.
func WriteRunReport(w io.Writer, r *RunReport) error {
	bw := bufio.NewWriter(w)
	s := r.Summary
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	at := func(tick int) string {
		if tick < 0 {
			return "the start" // a peak at the start price
		}
		if tick >= len(r.Times) {
			return fmt.Sprintf("tick %d", tick)
		}
		return r.Times[tick].UTC().Format("2 Jan 15:04")
	}
	plot := func(stem, alt string) {
		for _, f := range r.Plots {
			if f == "plots/"+stem+".png" {
				p("![%s](%s)\n\n", alt, f)
			}
		}
	}

	p("# %s\n\n", MarkdownCell(s.Scenario))
	if r.Description != "" {
		p("%s\n\n", strings.TrimSpace(r.Description))
	}
	p("Seed %d; %d ticks of %s from %s.", s.Seed, s.Ticks, s.Tick, s.Start.UTC().Format("2006-01-02 15:04 MST"))
	if r.Reproduce != "" {
		p(" Reproduce it with %s.", MarkdownCode(r.Reproduce))
	}
	p("\n\n")

	// The headline.
	if s.Headline != "" {
		p("## Headline\n\n")
		a := s.Attribution[s.Headline]
		p("**%s fell %.1f%%** peak to trough", MarkdownCell(s.Headline), float64(s.HeadlineMove))
		if a != nil && a.TroughTick >= 0 {
			p(" (%s to %s)", at(a.PeakTick), at(a.TroughTick))
		}
		if !math.IsNaN(float64(s.Amplification)) {
			p(", against %.1f%% with every agent passive", float64(s.PassiveMove))
			switch {
			case !twinWindowShown(s):
			case s.PassivePeakTick == a.PeakTick && s.PassiveTroughTick == a.TroughTick:
				p(" over the same window")
			default:
				p(" (its own largest fall, %s to %s)", at(s.PassivePeakTick), at(s.PassiveTroughTick))
			}
			p(": **amplification %.2f**.", float64(s.Amplification))
			if twinWindowShown(s) && (s.PassivePeakTick != a.PeakTick || s.PassiveTroughTick != a.TroughTick) {
				t := sameWindowText(s)
				p(" %s%s.", strings.ToUpper(t[:1]), t[1:])
			}
		} else {
			p(".")
		}
		if s.Has(sim.Levered...) {
			ci := fix(s.CompressionIndex, 2)
			if math.IsInf(float64(s.CompressionIndex), 1) {
				ci = "∞"
			}
			p(" Compression index before the trigger %s.", ci)
		}
		if av := float64(s.VulnerabilityAV); !math.IsNaN(av) {
			p(" Greenwood–Landier–Thesmar vulnerability of the starting books %.2f%% (`cascade vulnerability`).", 100*av)
		}
		p("\n\n")
		plot("prices", "Prices")
	}

	// Assets.
	p("## Assets\n\n")
	h := assetHeader(s, "max drawdown", "max rise", "abs-return ACF(1)")
	p("| %s |\n|---|%s\n", strings.Join(h, " | "), strings.Repeat("--:|", len(h)-1))
	for _, id := range slices.Sorted(maps.Keys(s.Assets)) {
		p("| %s | %s |\n", MarkdownCell(id), strings.Join(assetCells(s, s.Assets[id]), " | "))
	}
	p("\n")

	// The price impact behind the headline asset's fall, then each other
	// asset of the correlation set that fell (summary.json attributes
	// every fall).
	moved := false
	for _, id := range attributed(s) {
		if a := s.Attribution[id]; a != nil {
			writeAttribution(p, s, id, a, at, !moved, false)
			moved = true
		}
		if riseShown(s, id) {
			writeAttribution(p, s, id, s.AttributionRise[id], at, !moved, true)
			moved = true
		}
	}
	if moved {
		plot("attribution", "Attribution")
	}

	// Sales.
	fs := s.ForcedSales
	p("## Sales\n\n")
	p("Agents sold %s in all, %s of it forced (margin calls, default liquidations, stop-losses, deleveraging).\n\n", Money(s.Currency, float64(fs.Total)), Money(s.Currency, float64(fs.Forced)))
	if n := s.OrdersRefused; n > 0 {
		p("**%d %s refused**: sent to a market while it was closed, and dropped. The built-in agents wait for the open instead; a rule that sends them sold less than it meant to.\n\n", n, plural(n, "order was", "orders were"))
	}
	if len(fs.ByKind) > 0 || len(fs.ByReason) > 0 {
		p("| by kind | sold | | by reason | sold |\n|---|--:|---|---|--:|\n")
		kinds, reasons := byValue(fs.ByKind), byValue(fs.ByReason)
		for i := range max(len(kinds), len(reasons)) {
			var k, kv, rs, rv string
			if i < len(kinds) {
				k, kv = kinds[i], Money(s.Currency, float64(fs.ByKind[kinds[i]]))
			}
			if i < len(reasons) {
				rs, rv = reasons[i], Money(s.Currency, float64(fs.ByReason[reasons[i]]))
			}
			p("| %s | %s | | %s | %s |\n", MarkdownCell(k), kv, MarkdownCell(rs), rv)
		}
		p("\n")
	}
	plot("sales_by_kind", "Sales by kind")
	plot("sales_by_reason", "Sales by reason")
	writeFlows(p, s)

	// Margin calls and defaults.
	if s.Has("prime_broker") || len(s.Defaults) > 0 {
		p("## Margin calls and defaults\n\n")
		var parts []string
		if s.Has("prime_broker") {
			parts = append(parts, fmt.Sprintf("%d margin calls for %s in all.", s.MarginCalls.Count, Money(s.Currency, float64(s.MarginCalls.TotalUSD))))
		}
		parts = append(parts, fmt.Sprintf("%d %s.", len(s.Defaults), plural(len(s.Defaults), "default", "defaults")))
		if s.Has("hedge_fund") {
			parts = append(parts, fmt.Sprintf("Hedge funds' trades unwound by the end: carry %.0f%%, basis %.0f%%, %s.",
				float64(s.UnwoundPct["carry"]), float64(s.UnwoundPct["basis"]), longsProse(s)))
		}
		p("%s\n\n", strings.Join(parts, " "))
		if len(s.Defaults) > 0 {
			p("| agent | kind | when |\n|---|---|---|\n")
			for _, d := range s.Defaults[:min(len(s.Defaults), reportMaxRows)] {
				p("| %s | %s | %s |\n", MarkdownCell(d.Agent), MarkdownCell(d.Kind), at(d.Tick))
			}
			p("\n")
			// The rest by name, with when, so that the page names every
			// agent that defaulted however many they are.
			if rest := s.Defaults[min(len(s.Defaults), reportMaxRows):]; len(rest) > 0 {
				var whens []string
				for i := 0; i < len(rest); {
					j := i
					var ids []string
					for ; j < len(rest) && rest[j].Tick == rest[i].Tick; j++ {
						ids = append(ids, MarkdownCell(rest[j].Agent))
					}
					whens = append(whens, strings.Join(ids, ", ")+" ("+at(rest[i].Tick)+")")
					i = j
				}
				p("And %d more, their kinds in `summary.json`'s `defaults`: %s.\n\n", len(rest), strings.Join(whens, "; "))
			}
		}
		plot("leverage_margin", "Leverage and margin")
		brokerTable(p, s, at)
		plot("brokers", "Prime brokers")
	}

	if writeFunding(p, s, at) {
		plot("funding", "Funding and dealers")
	}

	writeCapital(p, s, at)
	writeBanks(p, s, at)
	writeInsurers(p, s, at)
	writeFollowReport(bw, s, at)

	// Volatility and correlation.
	c := s.Correlation
	if s.HasVIX() || len(c.Assets) > 0 {
		p("## Volatility and correlation\n\n")
		if s.HasVIX() {
			v := s.VIX
			p("VIX proxy %s at the start, peak %s", fix(v.Start, 1), fix(v.Peak, 1))
			if v.PeakTick >= 0 {
				p(" (%s)", at(v.PeakTick))
			}
			p(", %s at the end.", fix(v.End, 1))
		}
		if len(c.Assets) > 0 {
			if s.HasVIX() {
				p(" ")
			}
			p("Mean rolling correlation of %s over %d ticks: %s before the trigger, peak %s", markdownList(c.Assets), c.WindowTicks,
				baseline(c), fix(c.PeakMean, 2))
			if c.PeakTick >= 0 {
				p(" (%s)", at(c.PeakTick))
			}
			p(".")
		}
		p("\n\n")
		plot("correlation", "Mean rolling correlation")
		plot("correlation_heatmaps", "Correlation matrices, calm and peak")
	}

	// Score.
	if len(r.Score) > 0 {
		pass := ScorePassed(r.Score)
		p("## Against what markets did\n\n%d of %d observed quantities within tolerance (`cascade score` scores other seeds too).\n\n", pass, len(r.Score))
		p("| quantity | observed | simulated | tolerance | |\n|---|--:|--:|---|---|\n")
		for _, row := range r.Score {
			mark := "miss"
			if row.Pass {
				mark = "pass"
			}
			p("| %s | %s | %s | %s | %s |\n", MarkdownCell(row.Name), ScoreValue(row.Observed), ScoreValue(row.Simulated, row.bounds...), row.Tolerance, mark)
		}
		p("\n")
	}

	// Populations' draws.
	if len(r.Population) > 0 {
		writePopulation(bw, r.Population)
	}

	// Scripted events.
	if len(r.Meta.Events) > 0 {
		p("## Scripted events\n\n| when | event |\n|---|---|\n")
		for _, m := range r.Meta.Events {
			p("| %s | %s |\n", m.Time.UTC().Format("2 Jan 15:04"), MarkdownCell(m.Label))
		}
		p("\n")
	}
	files := "`timeseries.csv`/`.parquet`, "
	if len(r.Population) > 0 {
		files += "`population.csv`/`.parquet`, "
	}
	p("Files: `summary.json` (every number above), %s`events.jsonl`, `manifest.json`; see docs/outputs.md.\n", files)
	return bw.Flush()
}

// writeAttribution writes report.md's section on the price impact behind
// asset id's largest fall (with rise, its largest rise): an accounting of
// who placed the orders, not a counterfactual, which the first section
// says, with where to find one.
func writeAttribution(p func(string, ...any), s *sim.Summary, id string, a *sim.Attribution, at func(int) string, first, rise bool) {
	cell := MarkdownCell(id)
	if rise {
		p("## Price impact behind %s's largest rise\n\n", cell)
		p("An accounting of its %.1f%% rise from its trough at %s to its peak at %s, larger than its largest fall: each source's share of the log move (positive: pushed it up)",
			math.Abs(float64(a.MovePct)), at(a.TroughTick), at(a.PeakTick))
	} else {
		p("## Price impact behind %s's largest fall\n\n", cell)
		p("An accounting of its %.1f%% fall from %s to %s: each source's share of the log move (positive: pushed it down)",
			math.Abs(float64(a.MovePct)), at(a.PeakTick), at(a.TroughTick))
	}
	if first {
		p(", the price impact of orders booked to the kind and the reason of whoever placed them. " +
			"It is not a counterfactual: for what the move would have been without a kind of agent or a channel, see `cascade compare --off KIND` and `cascade channels`.")
	} else {
		p(", orders booked as above.")
	}
	if a.ByReason["default_liquidation"] != 0 {
		p(" A prime broker's liquidation of a defaulted client's positions is booked to `prime_broker` (reason `default_liquidation`), whatever the client's kind.")
	}
	p("\n\n| source | share |\n|---|--:|\n")
	p("| exogenous (noise and scripted shocks) | %s |\n", pct(a.Exogenous))
	p("| valuation links from other markets | %s |\n", pct(a.Links))
	for _, k := range byValue(a.ByKind) {
		p("| impact of orders placed by %s | %s |\n", MarkdownCell(k), pct(a.ByKind[k]))
	}
	p("| other (decay of earlier impact, compounding) | %s |\n\n", pct(a.Other))
	if len(a.ByReason) > 0 {
		p("By the reason the orders were placed: %s.\n\n", joinShares(a.ByReason))
	}
	if id == s.Headline && !rise && !math.IsNaN(float64(s.Amplification)) && s.Amplification > 0 {
		p("Exogenous and links together (%s) are not 1/amplification (%s): they are shares of the log move over this window in the run, "+
			"whose links also carry what the agents' orders did to the markets they link from, while amplification divides by the passive twin's own largest fall",
			pct(a.Exogenous+a.Links), pct(100/s.Amplification))
		if twinWindowShown(s) && s.AmplificationSameWindow > 0 {
			p(" (over this window the twin fell %.1f%%, %s of this fall)", float64(s.PassiveSameWindow), pct(100/s.AmplificationSameWindow))
		}
		p(".\n\n")
	}
}

// attributed returns the assets whose moves report.md attributes: the
// headline asset, then each other asset of the correlation set, in its
// order, that fell (has an attribution) or rose more than it fell.
func attributed(s *sim.Summary) []string {
	var ids []string
	for _, id := range append([]string{s.Headline}, s.Correlation.Assets...) {
		if id != "" && (s.Attribution[id] != nil || riseShown(s, id)) && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// riseShown reports whether report.md explains asset id's largest rise:
// when it is larger than its largest fall (in percent, of the trough and
// of the peak), as a yield spike or a fall of the currency a pair is
// quoted in can be.
func riseShown(s *sim.Summary, id string) bool {
	r := s.AttributionRise[id]
	if r == nil {
		return false
	}
	fall := 0.0
	if a := s.Attribution[id]; a != nil {
		fall = -float64(a.MovePct)
	}
	return float64(r.MovePct) > fall
}

// writeFlows writes the table of report.md's sales and purchases by kind
// and asset (forced_sales_usd.by_kind_asset and bought_usd.by_kind_asset):
// per kind, the largest seller first, and per asset, the most traded
// first, what it sold, bought and sold net; nothing when nobody traded.
func writeFlows(p func(string, ...any), s *sim.Summary) {
	sold, bought := s.ForcedSales.ByKindAsset, s.Bought.ByKindAsset
	if len(sold) == 0 && len(bought) == 0 {
		return
	}
	byKind := map[string]sim.Num{} // summed in the order of the keys, so that no map's order rounds a sum
	for _, m := range []map[string]map[string]sim.Num{sold, bought} {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			for _, id := range slices.Sorted(maps.Keys(m[k])) {
				byKind[k] += m[k][id]
			}
		}
	}
	bn := func(v sim.Num) string {
		x := fmt.Sprintf("%.2f", float64(v)/1e9)
		if x == "-0.00" {
			x = "0.00"
		}
		return x
	}
	cur := CurrencyCode(s.Currency)
	p("## Sales and purchases by kind and asset\n\n")
	p("What each kind of agent sold and bought of each asset over the run, and its net sales (sold less bought: negative for a net buyer), in %s bn, every order at the price before its clearing round. An exchange rate's flows are in its base currency: a sale of USDJPY buys yen. `timeseries.csv` has them tick by tick (`{kind}_{asset}_sold_usd`, `_bought_usd`).\n\n", cur)
	p("| kind | asset | sold | bought | net sold |\n|---|---|--:|--:|--:|\n")
	var total, rest [2]sim.Num
	rows := 0
	for _, k := range byValue(byKind) {
		gross := map[string]sim.Num{}
		for id, v := range sold[k] {
			gross[id] += v
		}
		for id, v := range bought[k] {
			gross[id] += v
		}
		for _, id := range byValue(gross) {
			x, y := sold[k][id], bought[k][id]
			total[0] += x
			total[1] += y
			if rows++; rows > reportMaxFlows {
				rest[0] += x
				rest[1] += y
				continue
			}
			p("| %s | %s | %s | %s | %s |\n", MarkdownCell(k), MarkdownCell(id), bn(x), bn(y), bn(x-y))
		}
	}
	if n := rows - reportMaxFlows; n > 0 {
		p("| and %d more (`summary.json` has them) | | %s | %s | %s |\n", n, bn(rest[0]), bn(rest[1]), bn(rest[0]-rest[1]))
	}
	p("| all | | %s | %s | %s |\n\n", bn(total[0]), bn(total[1]), bn(total[0]-total[1]))
}

// writeCapital writes the Capital section of report.md: what each kind of
// agent lost, and each bank, prime broker and dealer, the largest losses
// first (nothing for a summary written before capital was reported).
func writeCapital(p func(string, ...any), s *sim.Summary, at func(int) string) {
	c := s.Capital
	if len(c.ByKind) == 0 {
		return
	}
	p("## Capital\n\n")
	who := "The agents'"
	if apartText(s) != "" {
		who = fmt.Sprintf("Leaving out %s (a central bank's reserves are not capital at risk: %s last in the table, marked `not in the total`), the agents'",
			strings.Join(c.NotInTotal, ", "), plural(len(c.NotInTotal), "its row comes", "their rows come"))
	}
	p("%s equity was %s at the start and %s at the end: they %s.", who, Money(s.Currency, float64(c.Total.Start)),
		Money(s.Currency, float64(c.Total.End)), capitalText(s.Currency, &c.Total, "", true))
	short := shows(s.Currency, float64(c.Total.Shortfall))
	if short {
		p(" That is what their owners lost, at most their capital; a further %s, the negative equity of the agents that ended below zero, falls on their creditors (`beyond capital`).", Money(s.Currency, float64(c.Total.Shortfall)))
	}
	p(" `lost %%` is of the equity at the start; a negative loss is a gain.\n\n")
	// head writes a table's header and returns its number of columns.
	head := func(first, last string) int {
		cols := []string{first, "start (" + CurrencyCode(s.Currency) + ")", "end", "lost", "lost %"}
		align := strings.Repeat("---|", strings.Count(first, "|")+1) + "--:|--:|--:|--:|"
		if short {
			cols, align = append(cols, "beyond capital"), align+"--:|"
		}
		if last != "" {
			cols, align = append(cols, last), align+"---|"
		}
		p("| %s |\n|%s\n", strings.Join(cols, " | "), align)
		return strings.Count(align, "|")
	}
	cells := func(x *sim.Capital) string {
		c := []string{amount(float64(x.Start)), amount(float64(x.End)), amount(float64(x.Loss)), pct(x.LossPct)}
		if short {
			c = append(c, amount(float64(x.Shortfall)))
		}
		return strings.Join(c, " | ")
	}
	head("kind", "")
	for _, k := range sim.CapitalOrder(c.ByKind) {
		if !slices.Contains(c.NotInTotal, k) {
			p("| %s | %s |\n", MarkdownCell(k), cells(c.ByKind[k]))
		}
	}
	for _, k := range c.NotInTotal {
		if c.ByKind[k] != nil {
			p("| %s (not in the total) | %s |\n", MarkdownCell(k), cells(c.ByKind[k]))
		}
	}
	p("\n")
	if len(c.ByAgent) == 0 {
		return
	}
	failed := map[string]int{}
	for _, d := range s.Defaults {
		failed[d.Agent] = d.Tick
	}
	p("Each bank, prime broker and dealer, the largest loss first")
	if c.LeftOut > 0 {
		p(" (the %d that lost most: %d more are left out of `summary.json`)", len(c.ByAgent), c.LeftOut)
	}
	p(":\n\n")
	n := head("agent | kind", "defaulted")
	for i, id := range sim.CapitalOrder(c.ByAgent) {
		if i == reportMaxRows {
			p("| and %d more (`summary.json` has them) |%s\n", len(c.ByAgent)-i, strings.Repeat(" |", n-1))
			break
		}
		when := ""
		if t, ok := failed[id]; ok {
			when = at(t)
		}
		x := c.ByAgent[id]
		p("| %s | %s | %s | %s |\n", agentCell(id, x.Name), MarkdownCell(x.Kind), cells(x), when)
	}
	p("\n")
}

// writeFunding writes the Funding and dealers section of report.md: the
// funding rates, the dealer sector's utilization and the facility over the
// run (summary.json's funding), and each dealer's utilization and depth
// factor (its dealers); nothing for a run with neither. It reports
// whether it wrote the section.
func writeFunding(p func(string, ...any), s *sim.Summary, at func(int) string) bool {
	f := s.Funding
	if f == nil && len(s.Dealers) == 0 {
		return false
	}
	p("## Funding and dealers\n\n")
	// when writes a peak's tick, or nothing when there is none.
	when := func(tick int) string {
		if tick < 0 {
			return ""
		}
		return at(tick)
	}
	if f != nil {
		p("Funding spreads widen, and the cross-currency basis falls, as the dealer sector's utilization passes `u_star`.")
		switch {
		case f.FacilityTicks == 0:
			p(" No central-bank facility was on.")
		case f.CappedTicks == 0:
			p(" A facility was on for %d of %d ticks and never held the repo spread at its %sbp cap.", f.FacilityTicks, s.Ticks, fix(f.FacilityCap, 1))
		default:
			p(" A facility was on for %d of %d ticks and held the repo spread at its %sbp cap in %d, from %s.", f.FacilityTicks, s.Ticks,
				fix(f.FacilityCap, 1), f.CappedTicks, at(f.FirstCappedTick))
		}
		b := f.XCCYBasis
		moved := f.RepoSpread.Peak != f.RepoSpread.Start || b.Trough != b.Start
		for _, o := range f.OtherSpread {
			moved = moved || o.Peak != o.Start
		}
		if !moved {
			p(" The spreads and the basis stayed at their starting values throughout.")
		}
		p("\n\n| | start | peak | when | end |\n|---|--:|--:|---|--:|\n")
		row := func(name string, x sim.PeakSummary, d int, unit string) {
			at := when(x.PeakTick)
			if x.Peak == x.Start {
				at = "" // a peak at the start: the series never went above it
			}
			p("| %s | %s%s | %s%s | %s | %s%s |\n", name, fix(x.Start, d), unit, fix(x.Peak, d), unit, at, fix(x.End, d), unit)
		}
		row("USD repo spread", f.RepoSpread, 1, "bp")
		// One spread for every currency but USD, and one basis (ODD 7.4):
		// one row each, named as the funding plot names them.
		others := slices.Sorted(maps.Keys(f.OtherSpread))
		spread, basis := fundingLabels(others)
		if len(others) > 0 {
			row(MarkdownCell(spread), *f.OtherSpread[others[0]], 1, "bp")
		}
		if b, ok := strings.CutSuffix(basis, ")"); ok {
			basis = b + "; its trough)"
		} else {
			basis += " (its trough)"
		}
		row(MarkdownCell(basis), sim.PeakSummary{Start: b.Start, Peak: b.Trough, PeakTick: b.TroughTick, End: b.End}, 1, "bp")
		u := f.DealerUtil
		at := when(u.PeakTick)
		if u.Peak == u.Start {
			at = ""
		}
		p("| dealer sector's utilization | %s | %s | %s | %s |\n", utilText(u.Start), utilText(u.Peak), at, utilText(u.End))
		p("\n")
	}
	if len(s.Dealers) > 0 {
		p("Dealers: utilization (inventory, seized collateral and weighted client financing over capital × `lev_limit`) and depth factor (1 up to `u_star`, falling to `floor` at full utilization), at the start and at their worst.\n\n")
		p("| dealer | utilization at start | peak | depth factor at start | lowest |\n|---|--:|--:|--:|--:|\n")
		for _, id := range slices.Sorted(maps.Keys(s.Dealers)) {
			d := s.Dealers[id]
			peak := utilText(d.UtilPeak)
			if d.UtilPeakTick >= 0 && d.UtilPeak != d.UtilStart {
				peak += " (" + at(d.UtilPeakTick) + ")"
			}
			low := fix(d.DepthMin, 2)
			if d.DepthMinTick >= 0 && d.DepthMin != d.DepthStart {
				low += " (" + at(d.DepthMinTick) + ")"
			}
			p("| %s | %s | %s | %s | %s |\n", MarkdownCell(id), utilText(d.UtilStart), peak, fix(d.DepthStart, 2), low)
		}
		p("\n")
	}
	return true
}

// writePopulation writes the Population section of report.md: how many
// agents of how many entries drew parameters, and per entry and field the
// least, median and greatest value the agents held (the applied column of
// population.csv), in the order drawn.
func writePopulation(w io.Writer, draws []sim.Draw) {
	type key struct{ entry, field string }
	var keys []key
	held := map[key][]float64{}
	agents, entries := map[string]bool{}, map[string]bool{}
	changed := 0
	for _, d := range draws {
		k := key{d.Entry, d.Field}
		if _, ok := held[k]; !ok {
			keys = append(keys, k)
		}
		held[k] = append(held[k], d.Applied)
		agents[d.Agent], entries[d.Entry] = true, true
		if d.Applied != d.Value {
			changed++
		}
	}
	fmt.Fprintf(w, "## Population\n\n%d %s of %d %s drew parameters (`population.csv` lists each draw). The values the agents held:\n\n",
		len(agents), plural(len(agents), "agent", "agents"), len(entries), plural(len(entries), "entry", "entries"))
	fmt.Fprintf(w, "| entry | field | agents | min | median | max |\n|---|---|--:|--:|--:|--:|\n")
	for _, k := range keys {
		xs := held[k]
		sort.Float64s(xs)
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %s |\n", MarkdownCell(k.entry), MarkdownCell(k.field), len(xs),
			num(sim.Num(xs[0])), num(sim.Num(Median(xs))), num(sim.Num(xs[len(xs)-1])))
	}
	fmt.Fprintln(w)
	if changed > 0 {
		fmt.Fprintf(w, "%d of the %d values held differ from those drawn, after leverage_scale or positions fitted to an agent's equity (population.csv's value column has the draws).\n\n", changed, len(draws))
	}
}

// markdownList joins ids with commas, each escaped (MarkdownCell).
func markdownList(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = MarkdownCell(id)
	}
	return strings.Join(out, ", ")
}

// pct formats a share in percent, n/a when missing.
func pct(x sim.Num) string {
	if math.IsNaN(float64(x)) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", float64(x))
}

// byValue returns m's keys, largest value first (ties by key).
func byValue(m map[string]sim.Num) []string {
	keys := slices.Sorted(maps.Keys(m))
	sort.SliceStable(keys, func(i, j int) bool { return float64(m[keys[i]]) > float64(m[keys[j]]) })
	return keys
}

// joinShares lists m's entries, largest first, as "key 12.3%".
func joinShares(m map[string]sim.Num) string {
	var parts []string
	for _, k := range byValue(m) {
		parts = append(parts, fmt.Sprintf("%s %s", k, pct(m[k])))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ShellQuote quotes s for a POSIX shell when it holds anything but
// letters, digits and - _ . / = + : (a command line in a report or an
// error message that a user pastes).
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r == '/' || r == '=' || r == '+' || r == ':' ||
			(r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// MarkdownCell keeps text, an id or a label, from breaking a Markdown
// table row or reading as markup, in a table cell or in running text: a
// |, which would end the cell, is escaped, and so are a backslash, the
// marks of emphasis, code, strikethrough and HTML (* ` ~ <), the ( that
// would make [text](target) a link, an _ that could open emphasis (not
// one after a letter or digit, as in hedge_fund or a_*, which cannot),
// and an & that would start an entity (&amp;). A line break, which would
// end the row, becomes a space.
func MarkdownCell(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch r {
		case '\\', '|', '*', '`', '~', '<':
			b.WriteByte('\\')
		case '(':
			// [text](target) is a link; [0.06, 0.15] alone is text.
			if strings.HasSuffix(s[:i], "]") {
				b.WriteByte('\\')
			}
		case '_':
			// One after a letter or digit cannot open emphasis, and with
			// every opener escaped none can close it.
			if before, _ := utf8.DecodeLastRuneInString(s[:i]); !unicode.IsLetter(before) && !unicode.IsDigit(before) {
				b.WriteByte('\\')
			}
		case '&':
			if entity.MatchString(s[i:]) {
				b.WriteByte('\\')
			}
		case '\r':
			if strings.HasPrefix(s[i+1:], "\n") {
				continue // one space for \r\n
			}
			r = ' '
		case '\n':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// entity matches the start of an HTML entity reference (&amp; &#38;).
var entity = regexp.MustCompile(`^&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);`)

// MarkdownCode writes s as Markdown inline code, fenced with one backtick
// more than the longest run of them in s (a path or command holding a `).
func MarkdownCode(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// brokerTable writes the prime brokers' stress over the run (summary.json's
// brokers), one row per broker by id; nothing without brokers.
func brokerTable(p func(string, ...any), s *sim.Summary, at func(int) string) {
	if len(s.Brokers) == 0 {
		return
	}
	p("Prime brokers: utilization of their balance sheets (financing and inventory over capital × `lev_limit`), the ticks they margined some accounts gross (offsets dropped), and their haircuts at the highest over the scenario's.\n\n")
	p("| broker | utilization at start | peak | offsets dropped | haircuts at peak |\n|---|---|---|---|---|\n")
	for _, id := range slices.Sorted(maps.Keys(s.Brokers)) {
		b := s.Brokers[id]
		dropped := "never"
		if b.StressedTicks > 0 {
			dropped = fmt.Sprintf("%d ticks, from %s", b.StressedTicks, at(b.FirstStressedTick))
		}
		peak := utilText(b.UtilPeak)
		if b.UtilPeakTick >= 0 {
			peak += " (" + at(b.UtilPeakTick) + ")"
		}
		hc := "n/a"
		if h := float64(b.HaircutMultiplePeak); h == h {
			hc = fmt.Sprintf("×%.2f", h)
		}
		p("| %s | %s | %s | %s | %s |\n", MarkdownCell(id), utilText(b.UtilStart), peak, dropped, hc)
	}
	p("\n")
}
