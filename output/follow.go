package output

import (
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/cascade-sim/cascade/sim"
)

// FollowTables returns the tables of the agents a run follows
// (report.follow) by name, follow_trades, follow_accounts and
// follow_positions, in that order; nil when it follows none.
func FollowTables(m *sim.Model) (names []string, tables []*Table) {
	tr, ac, po := m.Followed()
	if tr == nil {
		return nil, nil
	}
	t := &Table{}
	t.Add(IntCol("tick", tr.Tick))
	t.Add(TimeCol("time", tr.Time))
	t.Add(StringCol("agent", tr.Agent))
	t.Add(StringCol("account", tr.Account))
	t.Add(StringCol("asset", tr.Asset))
	t.Add(StringCol("reason", tr.Reason))
	t.Add(FloatCol("units_bought", tr.UnitsBought))
	t.Add(FloatCol("units_sold", tr.UnitsSold))
	t.Add(FloatCol("usd_bought", tr.USDBought))
	t.Add(FloatCol("usd_sold", tr.USDSold))
	t.Add(FloatCol("price", tr.Price))
	t.Add(FloatCol("mark", tr.Mark))
	a := &Table{}
	a.Add(IntCol("tick", ac.Tick))
	a.Add(TimeCol("time", ac.Time))
	a.Add(StringCol("agent", ac.Agent))
	a.Add(StringCol("account", ac.Account))
	a.Add(FloatCol("margin_req", ac.MarginReq))
	a.Add(FloatCol("margin_posted", ac.MarginPosted))
	a.Add(FloatCol("margin_call", ac.Call))
	a.Add(FloatCol("value_usd", ac.Value))
	a.Add(FloatCol("seized", ac.Seized))
	a.Add(FloatCol("equity", ac.Equity))
	p := &Table{}
	p.Add(IntCol("tick", po.Tick))
	p.Add(TimeCol("time", po.Time))
	p.Add(StringCol("agent", po.Agent))
	p.Add(StringCol("account", po.Account))
	p.Add(StringCol("asset", po.Asset))
	p.Add(FloatCol("units", po.Units))
	p.Add(FloatCol("value_usd", po.Value))
	return []string{"follow_trades", "follow_accounts", "follow_positions"}, []*Table{t, a, p}
}

// followIDs returns the ids of the followed agents, sorted.
func followIDs(s *sim.Summary) []string {
	return slices.Sorted(maps.Keys(s.Follow))
}

// writeFollowReport writes report.md's section on each followed agent.
func writeFollowReport(w io.Writer, s *sim.Summary, at func(int) string) {
	if len(s.Follow) == 0 {
		return
	}
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	cur := bnLabel(s.Currency)
	for _, id := range followIDs(s) {
		f := s.Follow[id]
		p("## Followed: %s\n\n", MarkdownCode(id))
		p("Kind %s. Equity %.3f %s at the start, %.3f at the end: P&L %s (%s).", f.Kind, float64(f.StartEquity)/1e9, cur, float64(f.EndEquity)/1e9, pct(f.PnLPct), money(float64(f.PnL), cur))
		if f.TroughTick >= 0 {
			p(" Worst drawdown %s, from %s to %s.", pct(f.MaxDrawdownPct), at(f.PeakTick), at(f.TroughTick))
		}
		p(" %d %s", f.MarginCalls, plural(f.MarginCalls, "margin call", "margin calls"))
		if f.MarginCalls > 0 {
			p(", %s in all", money(float64(f.MarginCallUSD), cur))
		}
		p(".")
		if f.Defaulted {
			p(" Defaulted at %s.", at(f.DefaultTick))
		}
		p("\n\n")
		keys := slices.AppendSeq(slices.Collect(maps.Keys(f.SoldUSD)), maps.Keys(f.BoughtUSD))
		slices.Sort(keys)
		if keys = slices.Compact(keys); len(keys) > 0 {
			p("| reason | sold %s | bought %s |\n|---|---:|---:|\n", cur, cur)
			for _, r := range keys {
				p("| %s | %.3f | %.3f |\n", r, float64(f.SoldUSD[r])/1e9, float64(f.BoughtUSD[r])/1e9)
			}
			p("\n")
		}
		p("Its fills, accounts and positions tick by tick: `follow_trades.csv`, `follow_accounts.csv`, `follow_positions.csv`.\n\n")
	}
}

// money formats a USD amount in billions with its label.
func money(v float64, cur string) string { return fmt.Sprintf("%+.3f %s", v/1e9, cur) }

// followRows are compare's rows of the agents both runs follow.
func followRows(a, b *sim.Summary, add func(string, sim.Num, sim.Num), money func(string, sim.Num, sim.Num)) {
	for _, id := range followIDs(a) {
		y, ok := b.Follow[id]
		if !ok {
			continue
		}
		x := a.Follow[id]
		add(id+" P&L %", x.PnLPct, y.PnLPct)
		add(id+" max drawdown %", x.MaxDrawdownPct, y.MaxDrawdownPct)
		add(id+" margin calls", sim.Num(x.MarginCalls), sim.Num(y.MarginCalls))
		money(id+" margin calls", x.MarginCallUSD, y.MarginCallUSD)
		d := func(f *sim.FollowSummary) sim.Num {
			if f.Defaulted {
				return 1
			}
			return 0
		}
		add(id+" defaulted", d(x), d(y))
		// Summed in the order of the reasons, so that no map's order
		// rounds the sum.
		var sold [2]sim.Num
		for k, f := range []*sim.FollowSummary{x, y} {
			for _, r := range slices.Sorted(maps.Keys(f.SoldUSD)) {
				sold[k] += f.SoldUSD[r]
			}
		}
		money(id+" sold", sold[0], sold[1])
	}
}
