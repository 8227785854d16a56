package output

import (
	"context"
	"encoding/json"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// TestCorrMatrixHorizon: the heat maps correlate returns as the run's
// rolling correlation does. Two assets whose one-tick returns alternate in
// opposite directions but whose two-tick returns move together correlate
// -1 at horizon 1 and +1 at horizon 2.
func TestCorrMatrixHorizon(t *testing.T) {
	n := 40
	a, b := make([]float64, n), make([]float64, n)
	ra, rb := make([]float64, n), make([]float64, n)
	a[0], b[0] = 100, 100
	for i := 1; i < n; i++ {
		trend := 1 + 0.001*float64(i%7) // a shared drift that varies
		wiggle := 0.01
		if i%2 == 0 {
			wiggle = -0.01
		}
		a[i] = a[i-1] * trend * (1 + wiggle)
		b[i] = b[i-1] * trend * (1 - wiggle)
		ra[i], rb[i] = a[i]/a[i-1]-1, b[i]/b[i-1]-1
	}
	ts := &Table{Columns: []Column{FloatCol("A", a), FloatCol("B", b), FloatCol("A_ret", ra), FloatCol("B_ret", rb)}}
	one := corrMatrix(ts, []string{"A", "B"}, n-1, 30, 1)
	two := corrMatrix(ts, []string{"A", "B"}, n-1, 30, 2)
	if !(one[0][1] < -0.9) || math.Abs(one[0][0]-1) > 1e-12 {
		t.Errorf("one-tick correlation %v, want close to -1", one[0][1])
	}
	if !(two[0][1] > 0.9) {
		t.Errorf("two-tick correlation %v, want close to +1", two[0][1])
	}
}

// runAug2024 runs aug2024 on its own seed with the summary collector and
// the recorder, and returns the collector, the time series and the
// recorder's meta.
func runAug2024(t *testing.T) (*sim.Collector, *Table, Meta) {
	t.Helper()
	m := buildScenario(t, "aug2024")
	col, rec := sim.NewCollector(), NewRecorder(false)
	if err := m.Run(context.Background(), col, rec); err != nil {
		t.Fatal(err)
	}
	return col, rec.Timeseries(), rec.Meta()
}

// TestCalmHeatmapIsMeanCorr: the heat maps show the correlations "as the
// run's rolling correlation measures it", so the mean of a heat map's
// off-diagonal entries is the time series' mean_corr at its tick, at calm
// as at the peak, also after summary.json's round trip (cascade plot).
// With an H-tick horizon (H = 24 in aug2024, apr2025, boj2026 and calm)
// the time series alone lacks the warm-up's closes: computed from it, the
// calm window held 28 of aug2024's 48 returns, with a mean of -0.024 where
// mean_corr at tick 51 is 0.044, and SPX-USDJPY at -0.82.
func TestCalmHeatmapIsMeanCorr(t *testing.T) {
	col, ts, meta := runAug2024(t)
	mc, _ := ts.Column("mean_corr")
	offDiag := func(mat [][]float64) float64 {
		s, n := 0.0, 0
		for i := range mat {
			for j := i + 1; j < len(mat); j++ {
				if !math.IsNaN(mat[i][j]) {
					s += mat[i][j]
					n++
				}
			}
		}
		return s / float64(n)
	}
	b, err := json.Marshal(col.S)
	if err != nil {
		t.Fatal(err)
	}
	var read sim.Summary
	if err := json.Unmarshal(b, &read); err != nil {
		t.Fatal(err)
	}
	for _, sum := range []*sim.Summary{col.S, &read} {
		calm, calmM, peak, peakM := heatmaps(ts, meta, sum)
		// The calm tick as RenderRunPlots has always chosen it.
		if want := max(meta.Trigger-1, meta.Window-1); calm != want {
			t.Errorf("calm heat map at tick %d, want %d", calm, want)
		}
		if peak != sum.Correlation.PeakTick || peak < 0 {
			t.Errorf("peak heat map at tick %d, want the summary's peak_tick %d", peak, sum.Correlation.PeakTick)
		}
		for _, c := range []struct {
			name string
			tick int
			mat  [][]float64
		}{{"peak", peak, peakM}, {"calm", calm, calmM}} {
			got := offDiag(c.mat)
			if want := mc.F[c.tick]; math.Abs(got-want) > 1e-9 {
				t.Errorf("%s heat map (tick %d, W=%d, H=%d): mean off-diagonal %.4f, but mean_corr at that tick is %.4f",
					c.name, c.tick, meta.Window, meta.Horizon, got, want)
			}
			for i := range c.mat {
				if c.mat[i][i] != 1 {
					t.Errorf("%s heat map: diagonal entry %d is %v", c.name, i, c.mat[i][i])
				}
				for j := range c.mat {
					if c.mat[i][j] != c.mat[j][i] && !math.IsNaN(c.mat[i][j]) {
						t.Errorf("%s heat map is not symmetric at (%d, %d)", c.name, i, j)
					}
				}
			}
		}
	}
}

// TestCorrelationPlotKeepsNegative: mean_corr is a correlation, -1..1
// (docs/outputs.md), and with two correlation assets (a stock-bond pair,
// eba2018's GOVB/CORPB) it can go to -1. The correlation plot's y axis
// runs from -1 to 1: it fixed [-0.5, 1], which drew a series at -0.9 off
// the axis.
func TestCorrelationPlotKeepsNegative(t *testing.T) {
	n := 20
	tm := make([]time.Time, n)
	a, b, ra, rb, mc := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range tm {
		tm[i] = t0.Add(time.Duration(i) * time.Hour)
		a[i], b[i] = 100, 100
		mc[i] = -0.9
	}
	ts := &Table{}
	ts.Add(TimeCol("time", tm))
	ts.Add(FloatCol("A", a))
	ts.Add(FloatCol("A_ret", ra))
	ts.Add(FloatCol("B", b))
	ts.Add(FloatCol("B_ret", rb))
	ts.Add(FloatCol("mean_corr", mc))
	meta := Meta{Scenario: "t", Assets: []AssetMeta{{ID: "A", Kind: "equity", Group: "equity"}, {ID: "B", Kind: "bond", Group: "rates"}},
		Correlation: []string{"A", "B"}, Window: 5, Horizon: 1, Trigger: -1}
	dir := t.TempDir()
	if _, err := RenderRunPlots(dir, ts, meta, &sim.Summary{Correlation: sim.CorrSummary{PeakTick: -1}}); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "correlation.svg"))
	if err != nil {
		t.Fatal(err)
	}
	lowest := math.Inf(1)
	for _, m := range regexp.MustCompile(`>([−-]?[0-9]+\.[0-9]+)</text>`).FindAllSubmatch(svg, -1) {
		v, err := strconv.ParseFloat(strings.Replace(string(m[1]), "−", "-", 1), 64)
		if err == nil && v < lowest {
			lowest = v
		}
	}
	if !(lowest <= -0.9) {
		t.Errorf("correlation plot's lowest y tick is %v: a mean_corr of -0.9 lies outside the axis and is clipped", lowest)
	}
}

// TestAttributionColorsDistinct: every legend entry of the attribution
// chart has a colour that can be told from the others'. The seventh agent
// kind took palette colour 8, grey #888888, between the fixed greys of
// "exogenous" (#5A5A5A) and "valuation links" (#A0A0A0): in aug2024 that
// is value_investor, whose bars could not be told from the links' (RGB
// distance 42). Also with every agent kind at once.
func TestAttributionColorsDistinct(t *testing.T) {
	aug2024 := []string{"prime_broker", "dealer", "hedge_fund", "insurer", "cta", "risk_parity", "vol_control", "value_investor", "central_bank"}
	attributionColorsDistinct(t, aug2024, []string{"prime_broker", "hedge_fund", "insurer", "cta", "risk_parity", "vol_control", "value_investor"})
	every := core.AgentKindNames()[1:] // not the outside sector
	attributionColorsDistinct(t, every, every)
}

// attributionColorsDistinct checks the attribution chart of a run with the
// agent kinds kinds, of which those in used moved the price.
func attributionColorsDistinct(t *testing.T, kinds, used []string) {
	t.Helper()
	by := map[string]sim.Num{}
	for _, k := range used {
		by[k] = 8
	}
	sum := &sim.Summary{Attribution: map[string]*sim.Attribution{
		"NKY": {MovePct: -18.1, Exogenous: 22, Links: 29, Other: -5, ByKind: by},
	}}
	meta := Meta{Scenario: "aug2024", Assets: []AssetMeta{{ID: "NKY", Kind: "equity", Group: "equity"}}, Kinds: kinds}
	b := attributionChart(meta, sum)
	if b == nil {
		t.Fatal("no attribution chart")
	}
	barColorsDistinct(t, b)
}

// barColorsDistinct checks that every pair of the chart's bar groups is at
// least 50 apart in RGB.
func barColorsDistinct(t *testing.T, b *BarChart) {
	t.Helper()
	rgb := func(c color.Color) [3]float64 {
		r, g, bl, _ := c.RGBA()
		return [3]float64{float64(r >> 8), float64(g >> 8), float64(bl >> 8)}
	}
	for i := range b.Groups {
		for j := i + 1; j < len(b.Groups); j++ {
			x, y := rgb(seriesColor(b.Groups[i], i)), rgb(seriesColor(b.Groups[j], j))
			d := math.Sqrt(float64((x[0]-y[0])*(x[0]-y[0])) + float64((x[1]-y[1])*(x[1]-y[1])) + float64((x[2]-y[2])*(x[2]-y[2])))
			if d < 50 {
				t.Errorf("attribution chart: %q %v and %q %v are nearly the same colour (RGB distance %.0f)",
					b.Groups[i].Name, x, b.Groups[j].Name, y, d)
			}
		}
	}
}

// TestPricePanelsFromStart: the prices plot's "start = 100" is the start
// price, before tick 0 moved it (it was tick 0's close, which put NKY's
// aug2024 trough at 82.9 where it is 82.7 of its start); without a
// summary, tick 0's close stands in.
func TestPricePanelsFromStart(t *testing.T) {
	col, ts, meta := runAug2024(t)
	nky, _ := ts.Column("NKY")
	start := float64(col.S.Assets["NKY"].Start)
	if start != 38500 || nky.F[0] == start {
		t.Fatalf("NKY starts at %v and closes tick 0 at %v: want 38500 and a move", start, nky.F[0])
	}
	find := func(panels []Panel) []float64 {
		for _, p := range panels {
			for _, s := range p.Series {
				if s.Name == "NKY" {
					return s.Y
				}
			}
		}
		t.Fatal("no NKY series in the prices plot")
		return nil
	}
	x := make([]float64, len(nky.F))
	y := find(pricePanels(ts, meta, col.S, x))
	for _, i := range []int{0, len(y) / 2, len(y) - 1} {
		if want := 100 * nky.F[i] / start; y[i] != want {
			t.Errorf("tick %d: NKY at %v of start, want %v", i, y[i], want)
		}
	}
	if y := find(pricePanels(ts, meta, nil, x)); y[0] != 100 {
		t.Errorf("without a summary, tick 0 is at %v, want 100", y[0])
	}
}

// TestSalesFigureCumulative: the sales figures stack each tick's sales
// over their running totals (a NaN adding nothing), and name the layers
// once: the cumulative panel, in the same colours, has no legend of its
// own, which drawn at the right would overlap the one above.
func TestSalesFigureCumulative(t *testing.T) {
	x := []float64{0, 3600, 7200, 10800}
	f := salesFigure("s", "USD bn", x, []Series{
		{Name: "margin_call", Y: []float64{1, 0, math.NaN(), 2.5}, Color: reasonColor("margin_call", 0)},
		{Name: "stop_loss", Y: []float64{0, 4, 1, 0}, Color: reasonColor("stop_loss", 1)},
	}, nil)
	if len(f.Panels) != 2 || !f.Panels[0].Stacked || !f.Panels[1].Stacked || f.Panels[0].NoLegend || !f.Panels[1].NoLegend {
		t.Fatalf("panels: %+v", f.Panels)
	}
	for i, want := range [][]float64{{1, 1, 1, 3.5}, {0, 4, 5, 5}} {
		if got := f.Panels[1].Series[i].Y; !slices.Equal(got, want) {
			t.Errorf("cumulative %s: %v, want %v", f.Panels[1].Series[i].Name, got, want)
		}
		// The layers' colours are the reasons' own, not the palette's by
		// position: a run without margin calls drew its stop-losses in the
		// per-tick panel in their colour and in the cumulative one in the
		// first reason's.
		if got, want := f.Panels[1].Series[i].Color, f.Panels[0].Series[i].Color; got != want || got == nil {
			t.Errorf("cumulative %s drawn in %v, per tick in %v", f.Panels[1].Series[i].Name, got, want)
		}
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "s.svg")
	if err := f.Save(p); err != nil {
		t.Fatal(err)
	}
	svg, _ := os.ReadFile(p)
	for _, name := range []string{"margin_call", "stop_loss"} {
		if n := strings.Count(string(svg), ">"+name+"</text>"); n != 1 {
			t.Errorf("%s named %d times in the figure, want once", name, n)
		}
	}
}

// TestAttributionBarsAddUp: each asset's bars add up to 100% of its fall,
// as the summary's shares do, when a scripted intervention gives the
// outside sector a share (the outside is not among the run's series
// kinds) and some kinds stay under 1% (they share one bar). Both used to
// be left out: a USDJPY fall whose shares add to 100 drew bars adding to
// 90.3%.
func TestAttributionBarsAddUp(t *testing.T) {
	sum := &sim.Summary{Attribution: map[string]*sim.Attribution{
		"USDJPY": {MovePct: -3.9, Exogenous: 80.2, Links: 0, Other: -8.3,
			ByKind: map[string]sim.Num{"hedge_fund": 18.4, "outside": 8.55, "insurer": 0.8, "cta": 0.35}},
		"NKY": {MovePct: -12, Exogenous: 40, Links: 30, Other: 2,
			ByKind: map[string]sim.Num{"hedge_fund": 27.5, "cta": 0.5}},
	}}
	meta := Meta{Scenario: "mini", Kinds: []string{"prime_broker", "dealer", "hedge_fund", "insurer", "cta"},
		Assets: []AssetMeta{{ID: "USDJPY", Kind: "fx", Group: "fx"}, {ID: "NKY", Kind: "equity", Group: "equity"}}}
	b := attributionChart(meta, sum)
	if b == nil {
		t.Fatal("no attribution chart")
	}
	var names []string
	for _, g := range b.Groups {
		names = append(names, g.Name)
	}
	want := []string{"exogenous", "valuation links", "hedge_fund", "outside", "other kinds (under 1%)", "other"}
	if !slices.Equal(names, want) {
		t.Errorf("bars %q, want %q", names, want)
	}
	for i, asset := range b.Categories {
		total := 0.0
		for _, g := range b.Groups {
			total += g.Y[i]
		}
		if math.Abs(total-1) > 1e-12 {
			t.Errorf("%s: bars add up to %.4f%%, want 100%%", asset, 100*total)
		}
	}
	if got := b.Groups[4].Y; math.Abs(got[0]-0.0115) > 1e-12 || math.Abs(got[1]-0.005) > 1e-12 {
		t.Errorf("kinds under 1%%: %v, want [0.0115 0.005]", got)
	}
	barColorsDistinct(t, b) // the light salmon of the kinds under 1% among the greys and the kinds' colours
	// Each asset is labelled with its fall, with the minus sign the value
	// axis uses ("−25%"), not a hyphen.
	if !slices.Equal(b.Categories, []string{"USDJPY \u22123.9%", "NKY \u221212.0%"}) {
		t.Errorf("assets labelled %q, want USDJPY −3.9%% and NKY −12.0%%", b.Categories)
	}
}

// TestBrokersTimelineNamed: the brokers figure's panel of dropped offsets
// names a row per broker on its y axis, the first broker at the top as in
// the legend, each broker's line at its row's height while it is
// stressed and a gap otherwise. Before, the rows were numbered 1 to n from
// the bottom, the first broker's at 1.
func TestBrokersTimelineNamed(t *testing.T) {
	ts := &Table{}
	stressed := map[string][]float64{"GS": {0, 1, 1}, "MS": {1, 0, 0}, "JPM": {0, 0, 1}}
	for _, id := range []string{"GS", "MS", "JPM"} {
		ts.Add(FloatCol(sim.BrokerColumn(id, "util"), []float64{0.1, 0.2, 0.3}))
		ts.Add(FloatCol(sim.BrokerColumn(id, "stressed"), stressed[id]))
		ts.Add(FloatCol(sim.BrokerColumn(id, "haircut_multiple"), []float64{1, 1.1, 1.2}))
		ts.Add(FloatCol(sim.BrokerColumn(id, "equity"), []float64{10, 9, 8}))
	}
	f := brokersFigure(ts, Meta{Scenario: "s", Brokers: []string{"GS", "MS", "JPM"}}, []float64{0, 1, 2}, nil)
	if f == nil || len(f.Panels) != 4 {
		t.Fatalf("figure %+v", f)
	}
	drop := f.Panels[1]
	if !slices.Equal(drop.YCategories, []string{"JPM", "MS", "GS"}) || drop.YRange != [2]float64{0.5, 3.5} || drop.YLabel != "" {
		t.Errorf("rows %q, range %v, label %q: want JPM, MS, GS from the bottom in [0.5, 3.5], no label", drop.YCategories, drop.YRange, drop.YLabel)
	}
	nan := math.NaN()
	for k, want := range [][]float64{{nan, 3, 3}, {2, nan, nan}, {nan, nan, 1}} {
		s := drop.Series[k]
		if !slices.EqualFunc(s.Y, want, func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }) {
			t.Errorf("%s's row: %v, want %v", s.Name, s.Y, want)
		}
	}
}

// TestEmptyPanelSaysWhy: a panel with nothing to draw says what that
// means, not "no data", which reads as a fault of the outputs: a brokers'
// timeline that stayed blank (boj2026, whose brokers never dropped their
// offsets) and the margin panel of a world without prime brokers
// (eba2018's banks). A panel without its own note still says "no data".
func TestEmptyPanelSaysWhy(t *testing.T) {
	ts := &Table{}
	for _, id := range []string{"GS", "MS"} {
		ts.Add(FloatCol(sim.BrokerColumn(id, "util"), []float64{0.1, 0.2, 0.3}))
		ts.Add(FloatCol(sim.BrokerColumn(id, "stressed"), []float64{0, 0, 0}))
		ts.Add(FloatCol(sim.BrokerColumn(id, "haircut_multiple"), []float64{1, 1, 1}))
		ts.Add(FloatCol(sim.BrokerColumn(id, "equity"), []float64{10, 9, 8}))
	}
	brokers := brokersFigure(ts, Meta{Scenario: "s", Brokers: []string{"GS", "MS"}}, []float64{0, 1, 2}, nil)
	bare := &Figure{Title: "bare", Panels: []Panel{{Title: "nothing"}}}

	charts, _ := scenarioCharts(t, "eba2018")
	var levMargin *Figure
	for _, c := range charts {
		if c.name == "leverage_margin" {
			levMargin = c.c.(*Figure)
		}
	}
	for _, c := range []struct {
		name string
		f    *Figure
		want string
	}{
		{"brokers", brokers, ">no prime broker dropped its offsets<"},
		{"eba2018 leverage_margin", levMargin, ">no accounts at prime brokers<"},
		{"bare", bare, ">no data<"},
	} {
		var b strings.Builder
		if err := c.f.Encode(&b, "svg"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.want) {
			t.Errorf("%s: the empty panel does not say %q", c.name, c.want)
		}
		if c.want != ">no data<" && strings.Contains(b.String(), ">no data<") {
			t.Errorf("%s: an empty panel says \"no data\"", c.name)
		}
	}
}

// TestCorrelationTitles: the correlation plot and the heat maps say which
// returns they correlate over which window, in the run's time, and date
// the heat maps by the close that ends each window (UTC). They said "48
// ticks" without the 24-tick horizon of aug2024's returns, and "calm (to
// tick 4)" for eba2018's first window, which holds its shock of tick 1.
func TestCorrelationTitles(t *testing.T) {
	t0 := time.Date(2024, 7, 29, 0, 0, 0, 0, time.UTC)
	hourly := make([]float64, 200)
	for i := range hourly {
		hourly[i] = float64(t0.Add(time.Duration(i+1) * time.Hour).Unix()) // each tick's end
	}
	for _, c := range []struct {
		name         string
		meta         Meta
		calm, peak   int
		rets, window string
		left, right  string
	}{
		{"aug2024", Meta{Tick: "1h", Window: 48, Horizon: 24, Trigger: 52}, 51, 189,
			"24-hour returns", "48 hours", "calm, to Jul 31 04:00 UTC", "peak, to Aug 05 22:00 UTC"},
		{"mini", Meta{Tick: "1h", Window: 24, Horizon: 1, Trigger: 27}, 26, 30,
			"hourly returns", "24 hours", "calm, to Jul 30 03:00 UTC", "peak, to Jul 30 07:00 UTC"},
		{"no trigger", Meta{Tick: "1h", Window: 120, Horizon: 24, Trigger: -1}, 119, 150,
			"24-hour returns", "120 hours", "calm, to Aug 03 00:00 UTC", "peak, to Aug 04 07:00 UTC"},
		{"window past the trigger", Meta{Tick: "1h", Window: 5, Horizon: 1, Trigger: 1}, 4, 6,
			"hourly returns", "5 hours", "spans the trigger, to Jul 29 05:00 UTC", "peak, to Jul 29 07:00 UTC"},
		{"15-minute ticks", Meta{Tick: "15m", Window: 96, Horizon: 4, Trigger: 100}, 99, 120,
			"4-tick returns", "96 ticks", "calm, to Aug 02 04:00 UTC", "peak, to Aug 03 01:00 UTC"},
	} {
		rets, window := corrWords(c.meta)
		if rets != c.rets || window != c.window {
			t.Errorf("%s: %q over %q, want %q over %q", c.name, rets, window, c.rets, c.window)
		}
		left, right := heatmapTitles(c.meta, hourly, c.calm, c.peak)
		if left != c.left || right != c.right {
			t.Errorf("%s: heat maps %q and %q, want %q and %q", c.name, left, right, c.left, c.right)
		}
	}
	// eba2018 (daily ticks, W = 5, its shock at tick 1) as the run draws it.
	charts, _ := scenarioCharts(t, "eba2018")
	for _, ch := range charts {
		switch c := ch.c.(type) {
		case *HeatmapChart:
			if c.Title != "eba2018: correlation of daily returns over 5 days" || c.Matrices[0].Title != "spans the trigger, to Jan 06 00:00 UTC" || c.Matrices[1].Title != "peak, to Jan 08 00:00 UTC" {
				t.Errorf("eba2018's heat maps: %q: %q, %q", c.Title, c.Matrices[0].Title, c.Matrices[1].Title)
			}
		case *Figure:
			if ch.name == "correlation" && c.Panels[0].Title != "Mean pairwise rolling correlation of daily returns over 5 days" {
				t.Errorf("eba2018's correlation panel: %q", c.Panels[0].Title)
			}
		}
	}
}
