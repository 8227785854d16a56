package output

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// TestFlowColumns: every built-in scenario's time series has a column of
// each kind's sales and one of its purchases of each asset its agents may
// order (sim.Model.FlowPairs), after the others; the Recorder finds no
// flow outside them; and each column sums over the run to summary.json's
// forced_sales_usd.by_kind_asset or bought_usd.by_kind_asset (0 where
// those leave the pair out), every entry of which has its column. In
// aug2024 a vol-control fund trades the SPX alone, a CTA its five assets
// (the yen among them), the central bank the yen it may sell dollars for;
// a CTA trading only the S&P and the Nikkei also trades the yen, to bring
// its Nikkei profits and losses home.
func TestFlowColumns(t *testing.T) {
	for _, tc := range []struct {
		name      string
		sets      []string
		want      map[string][]string // kind → assets of its pairs, for the kinds listed
		sellsOnly bool                // nobody buys: eba2018's banks only deleverage
	}{
		{"aug2024", nil, map[string][]string{
			"vol_control":  {"SPX"},
			"cta":          {"USDJPY", "UST10Y", "SPX", "NKY", "GOLD"},
			"risk_parity":  {"UST10Y", "SPX", "GOLD"},
			"central_bank": {"USDJPY"},
			"dealer":       nil,
			"hedge_fund":   {"USDJPY", "UST10Y", "TY", "SPX", "NKY", "GOLD", "BTC", "JGB10Y"},
		}, false},
		{"aug2024", []string{"agents.cta.assets=[SPX,NKY]"}, map[string][]string{"cta": {"USDJPY", "SPX", "NKY"}}, false},
		{"apr2025", nil, nil, false},
		{"boj2026", nil, nil, false},
		{"calm", nil, nil, false},
		{"eba2018", nil, map[string][]string{"bank": {"GOVB", "CORPB"}}, true},
		{"mini", nil, nil, false},
	} {
		t.Run(strings.Join(append([]string{tc.name}, tc.sets...), " "), func(t *testing.T) {
			m := buildScenario(t, tc.name, tc.sets...)
			rec, col := NewRecorder(false), sim.NewCollector()
			if err := m.Run(context.Background(), rec, col); err != nil {
				t.Fatal(err)
			}
			w, s := m.W, col.S
			pairs := m.FlowPairs()
			got := map[string][]string{}
			for _, p := range pairs {
				got[p.Kind.String()] = append(got[p.Kind.String()], w.Assets[p.Asset].ID)
			}
			for k, ids := range tc.want {
				if !slices.Equal(got[k], ids) {
					t.Errorf("%s's flow columns are of %v, want %v", k, got[k], ids)
				}
			}
			ts := rec.Timeseries()
			if n := len(ts.Columns) - 2*len(pairs); n < 0 || !strings.HasSuffix(ts.Columns[n].Name, "_sold_usd") {
				t.Fatalf("%d columns for %d pairs", len(ts.Columns), len(pairs))
			}
			has := map[string]bool{}
			for _, p := range pairs {
				k, id := p.Kind.String(), w.Assets[p.Asset].ID
				has[k+" "+id] = true
				for _, f := range []struct {
					name string
					sum  sim.SalesSummary
				}{{"sold", s.ForcedSales}, {"bought", s.Bought}} {
					name := sim.FlowColumn(p.Kind, id, f.name)
					c, ok := ts.Column(name)
					if !ok {
						t.Fatalf("no column %s", name)
					}
					total := 0.0
					for _, v := range c.F {
						total += v
					}
					if want := float64(f.sum.ByKindAsset[k][id]); math.Abs(total-want) > 1e-12*want {
						t.Errorf("%s sums to %v, summary %v", name, total, want)
					}
				}
			}
			for _, sum := range []sim.SalesSummary{s.ForcedSales, s.Bought} {
				for k, ids := range sum.ByKindAsset {
					for id := range ids {
						if !has[k+" "+id] {
							t.Errorf("%s traded %s, which has no columns", k, id)
						}
					}
				}
			}
			if (len(s.Bought.ByKindAsset) == 0) != tc.sellsOnly {
				t.Errorf("purchases by kind × asset %v", s.Bought.ByKindAsset)
			}
		})
	}
}

// TestFlowColumnsRefuseUnlisted: a flow of a kind in an asset none of its
// agents lists (agents.Orderer) is an error, not a sale left out of the
// columns; a listed one is put in the row of its tick.
func TestFlowColumnsRefuseUnlisted(t *testing.T) {
	m := buildScenario(t, "aug2024")
	rec := NewRecorder(false)
	if err := rec.Begin(m); err != nil {
		t.Fatal(err)
	}
	n := len(m.W.Assets)
	spx, nky := slices.IndexFunc(m.W.Assets, func(a core.Asset) bool { return a.ID == "SPX" }), slices.IndexFunc(m.W.Assets, func(a core.Asset) bool { return a.ID == "NKY" })
	f := &sim.Frame{SoldKindAsset: make([]float64, int(core.NumAgentKinds)*n), BoughtKindAsset: make([]float64, int(core.NumAgentKinds)*n),
		Traded: []int{spx, nky}, TradedKinds: 1<<core.VolControl | 1<<core.Outside}
	vc := int(core.VolControl) * n
	f.SoldKindAsset[vc+spx], f.BoughtKindAsset[vc+spx] = 5, 7
	f.SoldKindAsset[nky] = 3 // the outside sector's: no columns, no error
	if err := rec.observeFlows(f, 2); err != nil {
		t.Fatal(err)
	}
	c := rec.col[vc+spx]
	if c < 0 || rec.cols[c][2] != 5 || rec.cols[c+1][2] != 7 || rec.names[c] != "vol_control_SPX_sold_usd" {
		t.Errorf("vol_control's SPX flows not in row 2 of their columns")
	}
	f.BoughtKindAsset[vc+nky] = 1
	if err := rec.observeFlows(f, 3); err == nil || !strings.Contains(err.Error(), "vol_control traded NKY") {
		t.Errorf("a purchase of NKY by vol_control: error %v", err)
	}
}
