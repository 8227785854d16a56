package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/internal/scentest"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/sim"
)

// followRun runs aug2024 at its seed following ids, with agent detail.
func followRun(t *testing.T, ids []string, probe sim.Observer) (*sim.Model, *sim.Collector, *output.Recorder) {
	t.Helper()
	sets := []string{}
	if len(ids) > 0 {
		sets = append(sets, "report.follow=["+strings.Join(ids, ",")+"]")
	}
	m := scentest.Build(t, "aug2024", sets...)
	col, rec := sim.NewCollector(), output.NewRecorder(true)
	obs := []sim.Observer{col, rec}
	if probe != nil {
		obs = append(obs, probe)
	}
	if err := m.Run(context.Background(), obs...); err != nil {
		t.Fatal(err)
	}
	return m, col, rec
}

// hedgeFunds returns the ids of aug2024's hedge funds.
func hedgeFunds(t *testing.T) []string {
	m, _, _ := followRun(t, nil, nil)
	var ids []string
	for _, h := range m.W.Holders {
		if h.Kind == core.HedgeFund {
			ids = append(ids, h.ID)
		}
	}
	return ids
}

// kindFlows keeps each tick's hedge-fund sales per asset, as the time
// series has them.
type kindFlows struct{ sold [][]float64 }

func (k *kindFlows) Begin(*sim.Model) error { return nil }
func (k *kindFlows) End(*sim.Model) error   { return nil }
func (k *kindFlows) Observe(f *sim.Frame) error {
	n := len(f.Model.W.Assets)
	k.sold = append(k.sold, append([]float64(nil), f.SoldKindAsset[int(core.HedgeFund)*n:int(core.HedgeFund)*n+n]...))
	return nil
}

// TestFollowAccounting follows every hedge fund of aug2024 and checks the
// follow tables against the books: each agent's fills, by account and
// asset, add up to its change in units (a seized account's units leave
// it without a fill); its accounts' requirement, posted margin and call
// add up to agent_detail's, and its equity is agent_detail's; and the
// funds' sales, valued at their marks, add up to the time series'
// hedge_fund_ASSET_sold_usd of every asset quoted in USD (no fill left
// out or put under another asset).
func TestFollowAccounting(t *testing.T) {
	ids := hedgeFunds(t)
	probe := &kindFlows{}
	m, col, rec := followRun(t, ids, probe)
	tr, ac, po := m.Followed()
	w := m.W
	if len(tr.Tick) == 0 {
		t.Fatal("no fills followed")
	}
	// Units: positions at each tick less the tick before (0 before the
	// first: the starting books are read from tick 0's positions less
	// tick 0's fills).
	type key struct {
		agent, acct, asset string
	}
	units := map[int64]map[key]float64{}
	for r := range po.Tick {
		if units[po.Tick[r]] == nil {
			units[po.Tick[r]] = map[key]float64{}
		}
		units[po.Tick[r]][key{po.Agent[r], po.Account[r], po.Asset[r]}] = po.Units[r]
	}
	fills := map[int64]map[key]float64{}
	for r := range tr.Tick {
		if fills[tr.Tick[r]] == nil {
			fills[tr.Tick[r]] = map[key]float64{}
		}
		fills[tr.Tick[r]][key{tr.Agent[r], tr.Account[r], tr.Asset[r]}] += tr.UnitsBought[r] - tr.UnitsSold[r]
	}
	seized := map[key]bool{} // agent and account, asset ""
	for r := range ac.Tick {
		if ac.Seized[r] == 1 {
			seized[key{ac.Agent[r], ac.Account[r], ""}] = true
		}
	}
	fx := map[string]bool{}
	for _, a := range w.Assets {
		fx[a.ID] = a.Kind == core.FX
	}
	checked := 0
	for tick := int64(1); tick < int64(m.Cfg.Ticks); tick++ {
		seen := map[key]bool{}
		for k := range units[tick] {
			seen[k] = true
		}
		for k := range units[tick-1] {
			seen[k] = true
		}
		for k := range fills[tick] {
			seen[k] = true
		}
		for k := range seen {
			// An FX fill moves currency balances (cash:USD, cash:JPY),
			// which interest and margin move too.
			if seized[key{k.agent, k.acct, ""}] || fx[k.asset] || strings.HasPrefix(k.asset, "cash:") {
				continue
			}
			d, f := units[tick][k]-units[tick-1][k], fills[tick][k]
			if math.Abs(d-f) > 1e-9*math.Max(1, math.Abs(units[tick-1][k])) {
				t.Errorf("tick %d %v: units changed by %g, fills add to %g", tick, k, d, f)
			}
			if f != 0 {
				checked++
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d fills checked against units", checked)
	}
	// Margin and equity against agent_detail.
	d := rec.Detail()
	col2 := func(name string) []float64 { c, _ := d.Column(name); return c.F }
	agentCol, _ := d.Column("agent")
	tickCol, _ := d.Column("tick")
	type at struct {
		tick  int64
		agent string
	}
	req, posted, call, eq := map[at]float64{}, map[at]float64{}, map[at]float64{}, map[at]float64{}
	for r := range ac.Tick {
		k := at{ac.Tick[r], ac.Agent[r]}
		req[k] += ac.MarginReq[r]
		posted[k] += ac.MarginPosted[r]
		call[k] += ac.Call[r]
		eq[k] = ac.Equity[r]
	}
	dReq, dPosted, dCall, dEq := col2("margin_req"), col2("margin_posted"), col2("margin_call"), col2("equity")
	rows := 0
	for r := range tickCol.I {
		k := at{tickCol.I[r], agentCol.S[r]}
		if _, ok := eq[k]; !ok {
			continue
		}
		rows++
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"margin_req", req[k], dReq[r]}, {"margin_posted", posted[k], dPosted[r]}, {"margin_call", call[k], dCall[r]}, {"equity", eq[k], dEq[r]}} {
			if math.Abs(c.got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
				t.Errorf("tick %d %s: %s %v in follow_accounts, %v in agent_detail", k.tick, k.agent, c.name, c.got, c.want)
			}
		}
	}
	if rows != m.Cfg.Ticks*len(ids) {
		t.Errorf("%d agent_detail rows matched, want %d", rows, m.Cfg.Ticks*len(ids))
	}
	// Sales at their marks against the time series, for assets in USD.
	sold := make([][]float64, m.Cfg.Ticks)
	for i := range sold {
		sold[i] = make([]float64, len(w.Assets))
	}
	index := map[string]int{}
	for i, a := range w.Assets {
		index[a.ID] = i
	}
	for r := range tr.Tick {
		sold[tr.Tick[r]][index[tr.Asset[r]]] += tr.UnitsSold[r] * tr.Mark[r]
	}
	compared := 0
	for tick := range sold {
		for i, a := range w.Assets {
			if a.Kind == core.FX || w.Currencies[a.Currency] != "USD" {
				continue
			}
			got, want := sold[tick][i], probe.sold[tick][i]
			if math.Abs(got-want) > 1e-9*math.Max(1, want) {
				t.Errorf("tick %d %s: followed funds sold %v at their marks, the time series %v", tick, a.ID, got, want)
			}
			if want != 0 {
				compared++
			}
		}
	}
	if compared == 0 {
		t.Error("no sales compared with the time series")
	}
	// The summary's sales by reason are the table's.
	for _, id := range ids {
		s := col.S.Follow[id]
		var tot float64
		for r := range tr.Tick {
			if tr.Agent[r] == id {
				tot += tr.USDSold[r]
			}
		}
		var sum float64
		for _, v := range s.SoldUSD {
			sum += float64(v)
		}
		if math.Abs(sum-tot) > 1e-6*math.Max(1, tot) {
			t.Errorf("%s: summary sold %v, follow_trades %v", id, sum, tot)
		}
	}
}

// TestFollowChangesNothing: following agents leaves every other output of
// the run as it was, byte for byte (the engine is not changed by being
// observed), and adds follow.ID to summary.json.
func TestFollowChangesNothing(t *testing.T) {
	_, colA, recA := followRun(t, nil, nil)
	_, colB, recB := followRun(t, []string{"jp-retail-001", "GS"}, nil)
	if colA.S.Follow != nil || len(colB.S.Follow) != 2 {
		t.Fatalf("follow in summaries: %d without, %d with, want 0 and 2", len(colA.S.Follow), len(colB.S.Follow))
	}
	colB.S.Follow = nil
	for _, c := range []struct {
		name string
		a, b func() ([]byte, error)
	}{
		{"summary.json", func() ([]byte, error) { return json.Marshal(colA.S) }, func() ([]byte, error) { return json.Marshal(colB.S) }},
		{"timeseries.csv", csvOf(recA.Timeseries()), csvOf(recB.Timeseries())},
		{"agent_detail.csv", csvOf(recA.Detail()), csvOf(recB.Detail())},
		{"events.jsonl", eventsOf(recA), eventsOf(recB)},
	} {
		a, err := c.a()
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.b()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs when agents are followed", c.name)
		}
	}
}

func csvOf(tb *output.Table) func() ([]byte, error) {
	return func() ([]byte, error) {
		var b bytes.Buffer
		err := output.WriteCSV(&b, tb)
		return b.Bytes(), err
	}
}

func eventsOf(r *output.Recorder) func() ([]byte, error) {
	return func() ([]byte, error) {
		var b bytes.Buffer
		err := output.WriteEvents(&b, r.Events())
		return b.Bytes(), err
	}
}
