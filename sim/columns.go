package sim

import (
	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
)

// A SeriesColumn is one column of a run's time series (timeseries.csv and
// timeseries.parquet): one value a tick.
type SeriesColumn struct {
	Name string
	// Asset is the index of the asset whose column it is, or -1.
	Asset int
	// Of says whose column it is, for messages: "a column of asset SPX",
	// "a market-wide column", ...
	Of string
}

// The suffixes of every asset's columns after its price and a bond's
// yield (id_yield).
var seriesAssetCols = []string{"_ret", "_exo", "_impact", "_sold_usd"}

// Market-wide columns: before the funding spreads, and after them.
var (
	seriesMarket = []string{"vix", "mean_corr", "repo_spread_bp", "xccy_basis_bp"}
	seriesSystem = []string{"dealer_util", "depth", "facility", "rounds", "margin_calls", "margin_call_usd", "defaults",
		"unwound_carry_pct", "unwound_basis_pct", "unwound_equity_pct"}
	seriesKindCols = []string{"equity", "gross", "leverage", "margin_req", "margin_posted", "sold_usd"}
	// Per prime broker, after broker_ID_ (BrokerStats).
	seriesBrokerCols = []string{"util", "stressed", "haircut_multiple", "margin_req", "margin_call", "equity"}
	// The per-broker columns an observed entry may score (by
	// scenarios.ObservableSeries), in seriesBrokerCols' order: each is
	// something a broker or its regulator reports (a balance sheet's use,
	// margin set and called, haircuts, capital). stressed is left out: a
	// switch of the model's margining, not a quantity markets observe.
	BrokerObservable = []string{"util", "haircut_multiple", "margin_req", "margin_call", "equity"}
	// Per dealer, after dealer_ID_ (DealerStats).
	seriesDealerCols = []string{"util", "depth"}
	// Per insurer, after insurer_ID_ (InsurerColumn).
	seriesInsurerCols = []string{"hedge_ratio", "hedge_usd", "hedge_cost_bp", "pickup_bp", "pickup_unhedged_bp", "triggered"}
)

// SeriesKinds returns the agent kinds with columns in the time series of a
// run of w: those of its holders but the outside sector, in kind order.
func SeriesKinds(w *core.World) []core.AgentKind {
	seen := map[core.AgentKind]bool{}
	for _, h := range w.Holders {
		if h.Kind != core.Outside {
			seen[h.Kind] = true
		}
	}
	var ks []core.AgentKind
	for k := core.AgentKind(1); k < core.NumAgentKinds; k++ {
		if seen[k] {
			ks = append(ks, k)
		}
	}
	return ks
}

// A FlowPair is an agent kind and an asset whose sales and purchases have
// columns in the time series: {kind}_{asset}_sold_usd and _bought_usd.
type FlowPair struct {
	Kind  core.AgentKind
	Asset int
}

// FlowColumn returns the name of the time-series column of kind's sales
// (f "sold") or purchases (f "bought") of asset id: cta_NKY_sold_usd.
func FlowColumn(kind core.AgentKind, id, f string) string {
	return kind.String() + "_" + id + "_" + f + "_usd"
}

// FlowPairs returns the pairs of agent kind and asset whose flows the time
// series has columns of, kinds in kind order and, for each, assets in the
// world's: every tradable asset some agent of the kind may send an order
// for (agents.Orderer: a dealer none, a central bank the asset its rule
// trades, a CTA, risk-parity or vol-control fund its assets and the
// exchange rates of their currencies; any other agent every tradable
// asset). The outside sector has none: its orders are the scripted
// interventions. Every sale and purchase of an agent is in a pair's
// columns (output.Recorder refuses a run in which one is not).
func (m *Model) FlowPairs() []FlowPair {
	w := m.W
	n := len(w.Assets)
	may := make([]bool, int(core.NumAgentKinds)*n)
	for _, a := range m.Agents {
		k := a.Holder().Kind
		if k == core.Outside {
			continue
		}
		row := may[int(k)*n : int(k)*n+n]
		if o, ok := a.(agents.Orderer); ok {
			for _, i := range o.OrderAssets(w) {
				row[i] = true
			}
			continue
		}
		for i := range row {
			row[i] = true
		}
	}
	var pairs []FlowPair
	for k := core.AgentKind(1); k < core.NumAgentKinds; k++ {
		for i := range w.Assets {
			if may[int(k)*n+i] && w.Assets[i].Tradable() {
				pairs = append(pairs, FlowPair{k, i})
			}
		}
	}
	return pairs
}

// SeriesColumns returns the columns of the time series of a run of m, in
// order: tick and time, then per asset its price (named by its id), a
// bond's yield or a future's basis to its underlying (Frame.FuturesBasis),
// return, exogenous return, impact and sales; the market-wide series, the
// funding spread of each currency but USD, each currency's policy rate
// and expected rate, the system's counts; per agent
// kind present (SeriesKinds) its equity, gross, leverage, margin and
// sales; the sales by reason; per prime broker, in the scenario's order,
// its state (BrokerStats); and per dealer, in the market's order
// (Frame.Dealers), its utilization and depth factor; per insurer, in
// decision order (Model.Insurers), its hedge and trigger; and for each pair of
// FlowPairs the kind's sales and purchases of the asset. The names are those
// of the outputs: an asset id that makes one of them twice (an asset named
// vix, depth or tick, or assets A and A_ret) cannot be written, and
// validation refuses it (DuplicateSeriesColumn).
func SeriesColumns(m *Model) []SeriesColumn {
	w := m.W
	cols := []SeriesColumn{{"tick", -1, "the run's tick column"}, {"time", -1, "the run's time column"}}
	for i := range w.Assets {
		a := &w.Assets[i]
		of := "a column of asset " + a.ID
		cols = append(cols, SeriesColumn{a.ID, i, of})
		switch a.Kind {
		case core.Bond:
			cols = append(cols, SeriesColumn{a.ID + "_yield", i, of})
		case core.Future:
			cols = append(cols, SeriesColumn{a.ID + "_basis_bp", i, of})
		}
		for _, s := range seriesAssetCols {
			cols = append(cols, SeriesColumn{a.ID + s, i, of})
		}
	}
	for _, n := range seriesMarket {
		cols = append(cols, SeriesColumn{n, -1, "a market-wide column"})
	}
	for c := 1; c < w.NCur; c++ {
		cols = append(cols, SeriesColumn{"funding_" + w.Currencies[c] + "_bp", -1, "a market-wide column"})
	}
	for c := 0; c < w.NCur; c++ {
		cols = append(cols, SeriesColumn{PolicyColumn(w.Currencies[c], false), -1, "a market-wide column"},
			SeriesColumn{PolicyColumn(w.Currencies[c], true), -1, "a market-wide column"})
	}
	for _, n := range seriesSystem {
		cols = append(cols, SeriesColumn{n, -1, "a market-wide column"})
	}
	for _, k := range SeriesKinds(w) {
		for _, f := range seriesKindCols {
			cols = append(cols, SeriesColumn{k.String() + "_" + f, -1, "a column of the " + k.String() + " agents"})
		}
	}
	for r := core.Reason(0); r < core.NumReasons; r++ {
		cols = append(cols, SeriesColumn{"sold_" + r.String() + "_usd", -1, "a column of the sales by reason"})
	}
	for _, b := range m.Brokers { // as Frame.Brokers
		for _, f := range seriesBrokerCols {
			cols = append(cols, SeriesColumn{BrokerColumn(b.ID(), f), -1, "a column of prime broker " + b.ID()})
		}
	}
	for _, id := range m.DealerIDs() { // as Frame.Dealers
		for _, f := range seriesDealerCols {
			cols = append(cols, SeriesColumn{DealerColumn(id, f), -1, "a column of dealer " + id})
		}
	}
	for _, n := range m.Insurers() {
		id := n.Holder().ID
		for _, f := range seriesInsurerCols {
			cols = append(cols, SeriesColumn{InsurerColumn(id, f), -1, "a column of insurer " + id})
		}
	}
	for _, p := range m.FlowPairs() {
		id := w.Assets[p.Asset].ID
		of := "a column of the " + p.Kind.String() + " agents' flows in asset " + id
		for _, f := range []string{"sold", "bought"} {
			cols = append(cols, SeriesColumn{FlowColumn(p.Kind, id, f), p.Asset, of})
		}
	}
	return cols
}

// Insurers returns the world's insurers, in decision order (that of
// their insurer_ID_ columns).
func (m *Model) Insurers() []*agents.Insurer {
	var ins []*agents.Insurer
	for _, a := range m.Agents {
		if n, ok := a.(*agents.Insurer); ok {
			ins = append(ins, n)
		}
	}
	return ins
}

// InsurerColumn returns the name of insurer id's time-series column of
// field f (hedge_ratio, hedge_usd, hedge_cost_bp, pickup_bp,
// pickup_unhedged_bp, triggered):
// insurer_lifer-001_hedge_ratio.
func InsurerColumn(id, f string) string { return "insurer_" + id + "_" + f }

// PolicyColumn returns the name of the time-series column of currency
// cur's policy rate (policy_JPY_bp) or, with expected, of the rate the
// market expects a year ahead (policy_JPY_expected_bp).
func PolicyColumn(cur string, expected bool) string {
	if expected {
		return "policy_" + cur + "_expected_bp"
	}
	return "policy_" + cur + "_bp"
}

// DealerIDs returns the ids of the market's dealers, in its order (that of
// Frame.Dealers): the prime brokers' dealing arms, each named by its
// broker, then the standalone dealers.
func (m *Model) DealerIDs() []string {
	ids := make([]string, len(m.M.Dealers))
	for k := range m.M.Dealers {
		ids[k] = m.W.Holders[m.M.Dealers[k].Holder].ID
	}
	return ids
}

// DealerColumn returns the name of dealer id's time-series column of field
// f (util, depth): dealer_GS_util.
func DealerColumn(id, f string) string { return "dealer_" + id + "_" + f }

// BrokerColumn returns the name of prime broker id's time-series column
// of field f (util, stressed, haircut_multiple, margin_req, margin_call,
// equity): broker_GS_util.
func BrokerColumn(id, f string) string { return "broker_" + id + "_" + f }

// DuplicateSeriesColumn returns the first pair of columns i < j of cols
// with the same name (ok false if there is none).
func DuplicateSeriesColumn(cols []SeriesColumn) (i, j int, ok bool) {
	first := make(map[string]int, len(cols))
	for j := range cols {
		if i, dup := first[cols[j].Name]; dup {
			return i, j, true
		}
		first[cols[j].Name] = j
	}
	return 0, 0, false
}
