package sweep

import (
	"fmt"
	"math"
	"time"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/sim"
)

// seriesDef is one series a run can report per tick, named as the column of
// timeseries.csv that holds it.
type seriesDef struct {
	name string
	get  func(f *sim.Frame) float64
}

// seriesDefs lists the series of a built model, in timeseries.csv order.
func seriesDefs(m *sim.Model) []seriesDef {
	w := m.W
	var defs []seriesDef
	add := func(name string, get func(f *sim.Frame) float64) { defs = append(defs, seriesDef{name, get}) }
	for i := range w.Assets {
		a := &w.Assets[i]
		add(a.ID, func(f *sim.Frame) float64 { return f.Price[i] })
		switch a.Kind {
		case core.Bond:
			add(a.ID+"_yield", func(f *sim.Frame) float64 { return 100 * f.Yield[i] })
		case core.Future:
			add(a.ID+"_basis_bp", func(f *sim.Frame) float64 { return f.FuturesBasis(i) })
		}
		add(a.ID+"_ret", func(f *sim.Frame) float64 { return f.Return[i] })
		add(a.ID+"_exo", func(f *sim.Frame) float64 { return f.Exo[i] })
		add(a.ID+"_impact", func(f *sim.Frame) float64 { return f.Impact[i] })
		add(a.ID+"_sold_usd", func(f *sim.Frame) float64 { return f.SoldAsset[i] })
	}
	add("vix", func(f *sim.Frame) float64 { return f.VIX })
	add("mean_corr", func(f *sim.Frame) float64 { return f.MeanCorr })
	add("repo_spread_bp", func(f *sim.Frame) float64 { return 1e4 * f.RepoSpread })
	add("xccy_basis_bp", func(f *sim.Frame) float64 { return 1e4 * f.XCCYBasis })
	for c := 1; c < w.NCur; c++ {
		add("funding_"+w.Currencies[c]+"_bp", func(f *sim.Frame) float64 { return 1e4 * f.Funding[c] })
	}
	for c := 0; c < w.NCur; c++ {
		add(sim.PolicyColumn(w.Currencies[c], false), func(f *sim.Frame) float64 { return 1e4 * f.Model.W.Policy[c] })
		add(sim.PolicyColumn(w.Currencies[c], true), func(f *sim.Frame) float64 { return 1e4 * f.Model.W.Expected[c] })
	}
	add("dealer_util", func(f *sim.Frame) float64 { return f.DealerUtil })
	add("depth", func(f *sim.Frame) float64 { return f.Depth })
	add("facility", func(f *sim.Frame) float64 {
		if f.Facility {
			return 1
		}
		return 0
	})
	add("rounds", func(f *sim.Frame) float64 { return float64(f.Rounds) })
	add("margin_calls", func(f *sim.Frame) float64 { return float64(f.MarginCalls) })
	add("margin_call_usd", func(f *sim.Frame) float64 { return f.MarginCallUSD })
	add("defaults", func(f *sim.Frame) float64 { return float64(f.Defaults) })
	for t := core.TradeKind(0); t < core.NumTradeKinds; t++ {
		add("unwound_"+t.String()+"_pct", func(f *sim.Frame) float64 { return 100 * f.Model.Unwound()[t] })
	}
	present := map[core.AgentKind]bool{}
	for _, h := range w.Holders {
		present[h.Kind] = true
	}
	for k := core.AgentKind(1); k < core.NumAgentKinds; k++ {
		if !present[k] {
			continue
		}
		n := k.String()
		add(n+"_equity", func(f *sim.Frame) float64 { return f.Kinds()[k].Equity })
		add(n+"_gross", func(f *sim.Frame) float64 { return f.Kinds()[k].Gross })
		add(n+"_leverage", func(f *sim.Frame) float64 { s := f.Kinds()[k]; return s.Leverage() })
		add(n+"_margin_req", func(f *sim.Frame) float64 { return f.Kinds()[k].MarginReq })
		add(n+"_margin_posted", func(f *sim.Frame) float64 { return f.Kinds()[k].MarginPosted })
		add(n+"_sold_usd", func(f *sim.Frame) float64 {
			s := 0.0
			for _, v := range f.Sold[k] {
				s += v
			}
			return s
		})
	}
	for r := core.Reason(0); r < core.NumReasons; r++ {
		add("sold_"+r.String()+"_usd", func(f *sim.Frame) float64 {
			s := 0.0
			for k := core.AgentKind(1); k < core.NumAgentKinds; k++ {
				s += f.Sold[k][r]
			}
			return s
		})
	}
	for k, b := range m.Brokers {
		id := b.ID()
		add(sim.BrokerColumn(id, "util"), func(f *sim.Frame) float64 { return f.Brokers()[k].Util })
		add(sim.BrokerColumn(id, "stressed"), func(f *sim.Frame) float64 {
			if f.Brokers()[k].Stressed {
				return 1
			}
			return 0
		})
		add(sim.BrokerColumn(id, "haircut_multiple"), func(f *sim.Frame) float64 { return f.Brokers()[k].HaircutMultiple })
		add(sim.BrokerColumn(id, "margin_req"), func(f *sim.Frame) float64 { return f.Brokers()[k].MarginReq })
		add(sim.BrokerColumn(id, "margin_call"), func(f *sim.Frame) float64 { return f.Brokers()[k].MarginCall })
		add(sim.BrokerColumn(id, "equity"), func(f *sim.Frame) float64 { return f.Brokers()[k].Equity })
	}
	for k, id := range m.DealerIDs() {
		add(sim.DealerColumn(id, "util"), func(f *sim.Frame) float64 { return f.Dealers()[k].Util })
		add(sim.DealerColumn(id, "depth"), func(f *sim.Frame) float64 { return f.Dealers()[k].Depth })
	}
	for _, n := range m.Insurers() {
		id := n.Holder().ID
		add(sim.InsurerColumn(id, "hedge_ratio"), func(f *sim.Frame) float64 { return n.HedgeRatio(f.Model.W) })
		add(sim.InsurerColumn(id, "hedge_usd"), func(f *sim.Frame) float64 { return n.HedgeNotional() })
		add(sim.InsurerColumn(id, "hedge_cost_bp"), func(f *sim.Frame) float64 { return 1e4 * n.HedgeCost(f.Model.W) })
		add(sim.InsurerColumn(id, "pickup_bp"), func(f *sim.Frame) float64 { p, _ := n.PickupsAt(f.Model.W, f.Yield); return 1e4 * p })
		add(sim.InsurerColumn(id, "pickup_unhedged_bp"), func(f *sim.Frame) float64 { _, p := n.PickupsAt(f.Model.W, f.Yield); return 1e4 * p })
		add(sim.InsurerColumn(id, "triggered"), func(f *sim.Frame) float64 {
			if n.Triggered {
				return 1
			}
			return 0
		})
	}
	n := len(w.Assets)
	for _, p := range m.FlowPairs() {
		j, id := int(p.Kind)*n+p.Asset, w.Assets[p.Asset].ID
		add(sim.FlowColumn(p.Kind, id, "sold"), func(f *sim.Frame) float64 { return f.SoldKindAsset[j] })
		add(sim.FlowColumn(p.Kind, id, "bought"), func(f *sim.Frame) float64 { return f.BoughtKindAsset[j] })
	}
	return defs
}

// seriesNames lists the series the base scenario can report.
func seriesNames(cfg *sim.Config) ([]string, error) {
	m, err := sim.Build(cfg.Clone(), cfg.Seed)
	if err != nil {
		return nil, err
	}
	defs := seriesDefs(m)
	names := make([]string, len(defs))
	for i, d := range defs {
		names[i] = d.name
	}
	return names, nil
}

// defaultSeries is the headline asset, the VIX proxy (when the world has
// one: an equity or a vix_asset) and the mean correlation.
func defaultSeries(cfg *sim.Config) []string {
	h, equity := cfg.Report.Headline, ""
	for _, a := range cfg.Assets {
		if a.Kind == "equity" {
			equity = a.ID
			break
		}
	}
	if h == "" {
		h = equity
	}
	var out []string
	if h != "" {
		out = append(out, h)
	}
	if equity != "" || cfg.Report.VIXAsset != "" {
		out = append(out, "vix")
	}
	return append(out, "mean_corr")
}

// seriesObserver records the chosen series of one run, tick by tick.
type seriesObserver struct {
	names []string
	get   []func(f *sim.Frame) float64
	vals  [][]float64   // per series, per tick
	times []time.Time   // filled when non-nil
	gists []agents.Gist // the notes on the run's set-up (sim.Model.Gists)
}

func newSeriesObserver(names []string, ticks int, times bool) *seriesObserver {
	o := &seriesObserver{names: names, vals: make([][]float64, len(names))}
	buf := make([]float64, len(names)*ticks)
	for i := range o.vals {
		o.vals[i] = buf[i*ticks : (i+1)*ticks : (i+1)*ticks]
		for t := range o.vals[i] {
			o.vals[i][t] = math.NaN()
		}
	}
	if times {
		o.times = make([]time.Time, ticks)
	}
	return o
}

// Begin implements sim.Observer.
func (o *seriesObserver) Begin(m *sim.Model) error {
	o.gists = m.Gists
	defs := seriesDefs(m)
	o.get = o.get[:0]
	for _, n := range o.names {
		found := false
		for _, d := range defs {
			if d.name == n {
				o.get = append(o.get, d.get)
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("series %q is not reported by this run", n)
		}
	}
	return nil
}

// Observe implements sim.Observer.
func (o *seriesObserver) Observe(f *sim.Frame) error {
	if f.Tick < 0 || (len(o.vals) > 0 && f.Tick >= len(o.vals[0])) {
		return fmt.Errorf("tick %d outside the sweep's horizon", f.Tick)
	}
	for s, g := range o.get {
		o.vals[s][f.Tick] = g(f)
	}
	if o.times != nil && f.Tick < len(o.times) {
		o.times[f.Tick] = f.Time
	}
	return nil
}

// End implements sim.Observer.
func (o *seriesObserver) End(*sim.Model) error { return nil }

// table returns the recorded series as a time series with a time column
// (the observer must record times), as output.Score reads one.
func (o *seriesObserver) table() *output.Table {
	t := &output.Table{}
	t.Add(output.Column{Name: "time", Type: output.Time, T: o.times})
	for s, n := range o.names {
		t.Add(output.Column{Name: n, Type: output.Float64, F: o.vals[s]})
	}
	return t
}
