package output

import (
	"fmt"
	"image/color"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// RunPlots are the plots of one run, by file stem.
var RunPlots = []string{"prices", "correlation", "correlation_heatmaps", "leverage_margin", "sales_by_kind", "sales_by_reason"}

// attributionPlot is the stem of the plot of what moved the prices, drawn
// only for a run whose summary attributes the moves (so not in RunPlots).
const attributionPlot = "attribution"

// brokersPlot is the stem of the prime brokers' plot, drawn only for a run
// with prime brokers.
const brokersPlot = "brokers"

// fundingPlot is the stem of the plot of the funding market and the
// dealers, drawn only for a run with funding rates, futures or dealers.
const fundingPlot = "funding"

// plotExts are the formats each plot is written in.
var plotExts = []string{".png", ".svg"}

// runPlotFiles returns the files RenderRunPlots can write, relative to the
// run's directory: plots/STEM.png and .svg.
func runPlotFiles() []string {
	return plotFiles(append(slices.Clip(RunPlots), attributionPlot, brokersPlot, fundingPlot)...)
}

// RenderRunPlots draws a run's plots from its time series, its description
// and its summary into dir, as PNG and SVG, and returns the files written.
func RenderRunPlots(dir string, ts *Table, meta Meta, sum *sim.Summary) ([]string, error) {
	charts, err := runCharts(ts, meta, sum)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, c := range charts {
		for _, ext := range plotExts {
			p := filepath.Join(dir, c.name+ext)
			if err := c.c.Save(p); err != nil {
				return files, fmt.Errorf("plot %s: %w", c.name, err)
			}
			files = append(files, p)
		}
	}
	return files, nil
}

// namedChart is one of a run's plots and its file stem.
type namedChart struct {
	name string
	c    Chart
}

// runCharts builds the plots RenderRunPlots draws, in order.
func runCharts(ts *Table, meta Meta, sum *sim.Summary) ([]namedChart, error) {
	x, span, err := timeAxis(ts, meta.Tick)
	if err != nil {
		return nil, err
	}
	marks := markers(meta)
	var charts []namedChart
	add := func(name string, c Chart) {
		if f, ok := c.(*Figure); ok && f != nil && f.TimeAxis {
			f.XRange = span // from the start, where an event at tick 0 stands
		}
		if f, ok := c.(*Figure); ok && f != nil && len(f.Markers) > 0 {
			f.EventList = "report.md" // its Scripted events
		}
		charts = append(charts, namedChart{name, c})
	}

	panels := pricePanels(ts, meta, sum, x)
	add("prices", &Figure{Title: meta.Scenario + ": prices", TimeAxis: true, Markers: marks, Panels: panels, Height: 7 * 72})

	// Mean rolling correlation.
	mc, _ := ts.Column("mean_corr")
	rets, window := corrWords(meta)
	corr := Panel{Title: fmt.Sprintf("Mean pairwise rolling correlation of %s over %s", rets, window),
		YLabel: "correlation", HLines: []float64{0}, YRange: [2]float64{-1, 1}, Series: []Series{{Name: "mean of " + strings.Join(meta.Correlation, ", "), X: x, Y: mc.F}}}
	add("correlation", &Figure{Title: meta.Scenario + ": correlation", TimeAxis: true, Markers: marks, Panels: []Panel{corr}})

	// Correlation matrices at calm and at the peak.
	calmEnd, calmM, peak, peakM := heatmaps(ts, meta, sum)
	left, right := heatmapTitles(meta, x, calmEnd, peak)
	add("correlation_heatmaps", HeatmapPair(fmt.Sprintf("%s: correlation of %s over %s", meta.Scenario, rets, window), meta.Correlation,
		Matrix{Title: left, Values: calmM}, Matrix{Title: right, Values: peakM}, -1, 1))

	// Leverage and margin by kind.
	lev := Panel{Title: "Gross leverage by agent kind", YLabel: "gross / equity"}
	mar := Panel{Title: "Margin required and posted at prime brokers", YLabel: bnLabel(meta.Currency), Empty: "no accounts at prime brokers"}
	for i, k := range meta.Kinds {
		if c, ok := ts.Column(k + "_leverage"); ok && anyPositive(c.F) && k != "prime_broker" && k != "dealer" && k != "central_bank" {
			lev.Series = append(lev.Series, Series{Name: k, X: x, Y: c.F, Color: kindColorOf(k, i)})
		}
		if c, ok := ts.Column(k + "_margin_req"); ok && anyPositive(c.F) {
			// A kind's requirement solid, what it posted dashed, in its colour.
			mar.Series = append(mar.Series, Series{Name: k + " required", X: x, Y: scale(c.F, 1e-9), Color: kindColorOf(k, i)})
			if p, ok := ts.Column(k + "_margin_posted"); ok {
				mar.Series = append(mar.Series, Series{Name: k + " posted", X: x, Y: scale(p.F, 1e-9), Color: kindColorOf(k, i), Dashed: true})
			}
		}
	}
	add("leverage_margin", &Figure{Title: meta.Scenario + ": leverage and margin", TimeAxis: true, Markers: marks, Panels: []Panel{lev, mar}, Height: 6 * 72})

	// Sales stacked by kind and by reason.
	var byKind, byReason []Series
	for i, k := range meta.Kinds {
		if c, ok := ts.Column(k + "_sold_usd"); ok && anyPositive(c.F) {
			byKind = append(byKind, Series{Name: k, Y: scale(c.F, 1e-9), Color: kindColorOf(k, i)})
		}
	}
	for i, r := range meta.Reasons {
		if c, ok := ts.Column("sold_" + r + "_usd"); ok && anyPositive(c.F) {
			byReason = append(byReason, Series{Name: r, Y: scale(c.F, 1e-9), Color: reasonColor(r, i)})
		}
	}
	add("sales_by_kind", salesFigure(meta.Scenario+": sales by agent kind", bnLabel(meta.Currency), x, byKind, marks))
	add("sales_by_reason", salesFigure(meta.Scenario+": sales by reason", bnLabel(meta.Currency), x, byReason, marks))

	if a := attributionChart(meta, sum); a != nil {
		add(attributionPlot, a)
	}
	if b := brokersFigure(ts, meta, x, marks); b != nil {
		add(brokersPlot, b)
	}
	if f := fundingFigure(ts, meta, sum, x, marks); f != nil {
		add(fundingPlot, f)
	}
	return charts, nil
}

// attributionChart shows, for every asset that fell at least 1% from a peak,
// the share of that fall carried by the exogenous path, by valuation links,
// by each agent kind's flows (the outside sector's too, when scripted
// interventions trade), by the kinds under 1% on every asset together, and
// by the rest (decay of earlier impact): each asset's bars add up to 100%,
// as the summary's shares do.
func attributionChart(meta Meta, sum *sim.Summary) *BarChart {
	if sum == nil || len(sum.Attribution) == 0 {
		return nil
	}
	var assets []string
	for _, a := range meta.Assets {
		if at := sum.Attribution[a.ID]; at != nil && float64(at.MovePct) <= -1 {
			assets = append(assets, a.ID)
		}
	}
	if len(assets) == 0 {
		return nil
	}
	component := func(name string, get func(*sim.Attribution) float64) Series {
		s := Series{Name: name, Y: make([]float64, len(assets))}
		for i, id := range assets {
			s.Y[i] = get(sum.Attribution[id]) / 100
		}
		return s
	}
	exo := component("exogenous", func(a *sim.Attribution) float64 { return float64(a.Exogenous) })
	exo.Color = color.Gray{Y: 90}
	links := component("valuation links", func(a *sim.Attribution) float64 { return float64(a.Links) })
	links.Color = color.Gray{Y: 160}
	groups := []Series{exo, links}
	// The kinds in the order of the run's series, then any other holder
	// kind with a share (the outside sector), in name order.
	kinds := append([]string(nil), meta.Kinds...)
	var extra []string
	for _, id := range assets {
		for k := range sum.Attribution[id].ByKind {
			if !slices.Contains(kinds, k) && !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	slices.Sort(extra)
	kinds = append(kinds, extra...)
	var small []string
	for _, k := range kinds {
		used, moved := false, false
		for _, id := range assets {
			if v, ok := sum.Attribution[id].ByKind[k]; ok {
				moved = moved || v != 0
				used = used || math.Abs(float64(v)) >= 1
			}
		}
		switch {
		case used:
			s := component(k, func(a *sim.Attribution) float64 { return float64(a.ByKind[k]) })
			s.Color = kindColorOf(k, len(groups)-2)
			groups = append(groups, s)
		case moved:
			small = append(small, k)
		}
	}
	if len(small) > 0 {
		s := component("other kinds (under 1%)", func(a *sim.Attribution) float64 {
			v := 0.0
			for _, k := range small {
				v += float64(a.ByKind[k])
			}
			return v
		})
		s.Color = color.RGBA{R: 0xFA, G: 0xB4, B: 0x8C, A: 0xFF} // light salmon: at least 80 from every kind's colour and the greys
		groups = append(groups, s)
	}
	other := component("other", func(a *sim.Attribution) float64 { return float64(a.Other) })
	other.Color = color.Gray{Y: 210}
	groups = append(groups, other)
	labels := make([]string, len(assets))
	for i, id := range assets {
		labels[i] = id + " " + formatNumber(float64(sum.Attribution[id].MovePct), 1) + "%" // a true minus, as on the axis
	}
	b := GroupedBars(meta.Scenario+": who moved each asset (share of its peak-to-trough fall)", labels, groups, true)
	b.Percent = true
	b.ValueLabel = "share of the fall"
	b.Height = vg.Length(3*72 + 40*len(assets))
	return b
}

// kindColors are the colours of the agent kinds in every run figure, in
// the order of core.AgentKindNames after the outside sector: the
// palette's most distinct on white for the kinds that sell most in a
// cascade, and neither its grey nor black, which lie near the fixed greys
// of the attribution chart's "exogenous", "valuation links" and "other".
var kindColors = [...]color.NRGBA{
	okabeIto[3],  // prime_broker: orange
	okabeIto[7],  // dealer: yellow
	okabeIto[1],  // hedge_fund: vermillion
	okabeIto[2],  // insurer: bluish green
	okabeIto[0],  // cta: blue
	okabeIto[5],  // risk_parity: reddish purple
	okabeIto[4],  // vol_control: sky blue
	okabeIto[11], // value_investor: olive
	okabeIto[9],  // bank: brown
	okabeIto[10], // central_bank: purple
}

// kindColorOf returns the colour of agent kind k in every run figure
// (leverage, margin, sales and attribution), the same in every run
// whatever else the figure shows (kindColors). A kind not among the
// built-ins takes the i-th.
func kindColorOf(k string, i int) color.Color {
	if j := slices.Index(core.AgentKindNames(), k); j >= 1 {
		return kindColors[(j-1)%len(kindColors)]
	}
	return kindColors[i%len(kindColors)]
}

// reasonColors are the colours of the reasons of sales, in the order of
// core.ReasonNames: the palette's twelve, a crimson and a lime green (each at
// least 128 from every other in RGB), one for each of the fourteen reasons,
// so that a reason has its colour in every run whichever others sold.
var reasonColors = append(okabeIto[:len(okabeIto):len(okabeIto)], color.NRGBA{0xC0, 0x00, 0x60, 0xFF}, color.NRGBA{0x70, 0xD0, 0x20, 0xFF})

// reasonColor returns the colour of reason r in the sales chart; a reason
// not among core.ReasonNames takes the i-th colour.
func reasonColor(r string, i int) color.Color {
	if j := slices.Index(core.ReasonNames(), r); j >= 0 {
		return reasonColors[j%len(reasonColors)]
	}
	return reasonColors[i%len(reasonColors)]
}

func groupTitle(g string) string {
	switch g {
	case "fx":
		return "Exchange rates"
	case "rates":
		return "Rates (bond and future prices)"
	case "equity":
		return "Equities"
	}
	return "Other assets"
}

// timeAxis returns where a time series' rows are drawn, each at the end
// of its tick (TickEnds), and the run's span from its start to the end of
// its last tick, the x range of its figures. tick is the run's tick
// length as its description writes it (Meta.Tick: "1h", "1d").
func timeAxis(ts *Table, tick string) (x []float64, span [2]float64, err error) {
	c, ok := ts.Column("time")
	if !ok || c.Type != Time {
		return nil, span, fmt.Errorf("time series has no time column")
	}
	d, _ := scenarios.ParseDuration(tick) // 0 if missing: TickEnds reads the rows' spacing
	x = TickEnds(c.T, d)
	if len(x) > 0 {
		span = [2]float64{float64(c.T[0].Unix()), x[len(x)-1]}
	}
	return x, span, nil
}

// TickEnds returns, in Unix seconds, the instants at which the rows of a
// time series of these tick start times are measured: each tick's end,
// its time plus the tick length, when its closes are taken and up to
// which its flows are summed (docs/outputs.md, "When values are
// measured"). A row drawn at its time, the tick's start, would show a
// price moving a tick before the event that moved it, which happens at
// the start of its tick: a whole day early in a daily run. A tick of 0
// or less is read from the rows' spacing (0 with fewer than two rows).
func TickEnds(times []time.Time, tick time.Duration) []float64 {
	if tick <= 0 && len(times) >= 2 {
		tick = times[1].Sub(times[0])
	}
	x := make([]float64, len(times))
	for i, t := range times {
		x[i] = float64(t.Add(max(tick, 0)).Unix())
	}
	return x
}

func markers(meta Meta) []Marker {
	var out []Marker
	last := map[int64]bool{}
	for _, e := range meta.Events {
		u := e.Time.Unix()
		if last[u] { // one marker per instant; the first label wins
			continue
		}
		last[u] = true
		out = append(out, Marker{X: float64(u), Label: e.Label})
	}
	return out
}

func anyPositive(v []float64) bool {
	for _, x := range v {
		if x > 0 {
			return true
		}
	}
	return false
}

func scale(v []float64, k float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x * k
	}
	return out
}

// corrWords writes the returns the rolling correlation correlates and its
// window in the run's time: "24-hour returns" over "48 hours" with hourly
// ticks, "daily returns" over "5 days" with daily ones, and in ticks
// ("one-tick returns" over "96 ticks") with any other tick length.
func corrWords(meta Meta) (returns, window string) {
	unit := "tick"
	switch d, _ := scenarios.ParseDuration(meta.Tick); d {
	case time.Hour:
		unit = "hour"
	case 24 * time.Hour:
		unit = "day"
	}
	returns = fmt.Sprintf("%d-%s returns", meta.Horizon, unit)
	if meta.Horizon <= 1 {
		returns = map[string]string{"hour": "hourly", "day": "daily", "tick": "one-tick"}[unit] + " returns"
	}
	window = fmt.Sprintf("%d %ss", meta.Window, unit)
	if meta.Window == 1 {
		window = "1 " + unit
	}
	return returns, window
}

// heatmapTitles titles the heat maps by the end of their windows, in UTC:
// the close of the calm tick and of the peak tick (x holds each tick's
// end). The calm window is the one that ends before the trigger, or the
// first full window (W−1) when that ends later: such a window holds the
// trigger, and its title says so rather than calling it calm.
func heatmapTitles(meta Meta, x []float64, calm, peak int) (left, right string) {
	at := func(t int) string {
		if t < 0 || t >= len(x) {
			return fmt.Sprintf("tick %d", t)
		}
		return unixTime(x[t]).Format("Jan 02 15:04") + " UTC"
	}
	left = "calm, to " + at(calm)
	if meta.Trigger >= 0 && calm >= meta.Trigger {
		left = "spans the trigger, to " + at(calm)
	}
	return left, "peak, to " + at(peak)
}

// heatmaps returns the ticks and the correlation matrices the heat maps
// show: at calm (the last tick before the trigger, at least the window's
// last, W−1) and at the peak of mean_corr (the last tick without one).
// They are the summary's (sim.CorrSummary), the terms whose mean is
// mean_corr at those ticks: the rolling correlation's window reaches back
// into the warm-up, whose closes the time series does not hold. A summary
// without them (written before they were recorded, or a tick the run did
// not reach) leaves the matrix to corrMatrix, from the time series alone.
func heatmaps(ts *Table, meta Meta, sum *sim.Summary) (calm int, calmM [][]float64, peak int, peakM [][]float64) {
	calm = max(meta.Trigger-1, meta.Window-1)
	peak = ts.Rows() - 1
	var c *sim.CorrSummary
	if sum != nil {
		c = &sum.Correlation
		if c.PeakTick >= 0 {
			peak = c.PeakTick
		}
	}
	n := len(meta.Correlation)
	fromSummary := func(m [][]sim.Num) [][]float64 {
		if c == nil || len(m) != n || !slices.Equal(c.Assets, meta.Correlation) {
			return nil
		}
		out := make([][]float64, n)
		for i, row := range m {
			if len(row) != n {
				return nil
			}
			out[i] = make([]float64, n)
			for j, v := range row {
				out[i][j] = float64(v)
			}
		}
		return out
	}
	if c != nil && c.CalmTick == calm {
		calmM = fromSummary(c.CalmMatrix)
	}
	if c != nil && c.PeakTick >= 0 {
		peakM = fromSummary(c.PeakMatrix)
	}
	if calmM == nil {
		calmM = corrMatrix(ts, meta.Correlation, calm, meta.Window, meta.Horizon)
	}
	if peakM == nil {
		peakM = corrMatrix(ts, meta.Correlation, peak, meta.Window, meta.Horizon)
	}
	return calm, calmM, peak, peakM
}

// corrMatrix returns the correlation matrix of the assets' returns over the
// window ending at tick end (inclusive), from the time series alone:
// one-tick returns (the _ret columns), or overlapping H-tick returns of the
// closes when horizon H > 1. The run's rolling correlation also sees the
// warm-up, which the time series does not hold: where the window reaches
// before tick 0 (and, for H > 1, before tick H) this matrix covers only
// the part of it from there on. heatmaps prefers the summary's matrices.
func corrMatrix(ts *Table, ids []string, end, window, horizon int) [][]float64 {
	n := len(ids)
	m := make([][]float64, n)
	rets := make([][]float64, n)
	for i, id := range ids {
		m[i] = make([]float64, n)
		if horizon <= 1 {
			c, _ := ts.Column(id + "_ret")
			rets[i] = c.F
			continue
		}
		c, _ := ts.Column(id)
		r := make([]float64, len(c.F))
		for t := range r {
			r[t] = math.NaN()
			if t >= horizon {
				r[t] = c.F[t]/c.F[t-horizon] - 1
			}
		}
		rets[i] = r
	}
	lo := end - window + 1
	if lo < 0 {
		lo = 0
	}
	if horizon > 1 && lo < horizon {
		lo = horizon // the table holds no closes before the start
	}
	for i := range ids {
		for j := range ids {
			m[i][j] = pearson(rets[i], rets[j], lo, end)
		}
	}
	return m
}

func pearson(a, b []float64, lo, hi int) float64 {
	if hi >= len(a) || hi >= len(b) || hi-lo < 2 {
		return math.NaN()
	}
	n := float64(hi - lo + 1)
	var sa, sb, saa, sbb, sab float64
	for t := lo; t <= hi; t++ {
		sa += a[t]
		sb += b[t]
		saa += float64(a[t] * a[t])
		sbb += float64(b[t] * b[t])
		sab += float64(a[t] * b[t])
	}
	va, vb := saa-sa*sa/n, sbb-sb*sb/n
	if va <= 0 || vb <= 0 {
		return math.NaN()
	}
	return (sab - sa*sb/n) / math.Sqrt(va*vb)
}

// pricePanels returns the prices plot's panels, one per asset group: each
// asset's close over its start price, the summary's (before tick 0 moved
// it), or tick 0's close when there is no summary.
func pricePanels(ts *Table, meta Meta, sum *sim.Summary, x []float64) []Panel {
	var panels []Panel
	for _, g := range []string{"fx", "rates", "equity", "other"} {
		p := Panel{Title: groupTitle(g), YLabel: "start = 100", HLines: []float64{100}}
		for _, a := range meta.Assets {
			if a.Group != g || a.Kind == "illiquid" {
				continue
			}
			col, ok := ts.Column(a.ID)
			if !ok || len(col.F) == 0 {
				continue
			}
			p0 := col.F[0]
			if sum != nil {
				if as := sum.Assets[a.ID]; as != nil && float64(as.Start) > 0 {
					p0 = float64(as.Start)
				}
			}
			y := make([]float64, len(col.F))
			for i, v := range col.F {
				y[i] = 100 * v / p0
			}
			p.Series = append(p.Series, Series{Name: a.ID, X: x, Y: y})
		}
		if len(p.Series) > 0 {
			panels = append(panels, p)
		}
	}
	return panels
}

// salesFigure stacks sales per tick over their running totals: hourly
// sales come in spikes, and the cumulative panel shows who had sold how
// much by when.
func salesFigure(title, unit string, x []float64, layers []Series, marks []Marker) *Figure {
	f := StackedArea(title, "", unit+" per tick", x, layers, true)
	f.Panels[0].Title = "Per tick"
	cum := make([]Series, len(layers))
	for i, l := range layers {
		c := make([]float64, len(l.Y))
		sum := 0.0
		for j, v := range l.Y {
			if !math.IsNaN(v) {
				sum += v
			}
			c[j] = sum
		}
		cum[i] = Series{Name: l.Name, X: x, Y: c, Color: l.Color, Dashed: l.Dashed}
	}
	f.Panels = append(f.Panels, Panel{Title: "Cumulative since the start", YLabel: unit, Series: cum, Stacked: true, NoLegend: true})
	f.Markers, f.Height = marks, 6*72
	return f
}

// noCapitalNote adds to the title of a utilization panel, when one of its
// series reaches +Inf (no capital left: the time series' inf), that a line
// ends there: a plot draws no infinite point and its range is set by the
// finite ones, so without it a line would seem to stop for no reason.
func noCapitalNote(p *Panel) {
	for _, s := range p.Series {
		if slices.ContainsFunc(s.Y, func(v float64) bool { return math.IsInf(v, 1) }) {
			p.Title += " (a line ends where there is no capital left)"
			return
		}
	}
}

// brokersFigure shows each prime broker's state over the run from its
// broker_ID_ columns: utilization, when it dropped offsets, its haircuts
// over the scenario's and its capital. Nil without brokers (or columns).
func brokersFigure(ts *Table, meta Meta, x []float64, marks []Marker) *Figure {
	util := Panel{Title: "Utilization: financing and inventory over capital × lev_limit", YLabel: "of capacity", YPercent: true}
	// A row per broker, named, the first at the top as in the legend.
	n := len(meta.Brokers)
	drop := Panel{Title: "Offsets dropped (accounts margined gross)", YRange: [2]float64{0.5, float64(n) + 0.5}, NoLegend: true,
		Empty: "no prime broker dropped its offsets"}
	for k := n - 1; k >= 0; k-- {
		drop.YCategories = append(drop.YCategories, meta.Brokers[k])
	}
	hc := Panel{Title: "Haircuts over the scenario's", YLabel: "multiple", HLines: []float64{1}, NoLegend: true}
	capital := Panel{Title: "Capital", YLabel: "% of start", HLines: []float64{100}, NoLegend: true}
	for k, id := range meta.Brokers {
		col := func(f string) []float64 {
			c, ok := ts.Column(sim.BrokerColumn(id, f))
			if !ok {
				return nil
			}
			return c.F
		}
		u, st, h, eq := col("util"), col("stressed"), col("haircut_multiple"), col("equity")
		if u == nil || st == nil || h == nil || eq == nil {
			return nil
		}
		c := Color(k)
		util.Series = append(util.Series, Series{Name: id, X: x, Y: u, Color: c})
		// A broker's row of the timeline: at height n−k while it drops
		// offsets, a gap otherwise.
		row := make([]float64, len(st))
		for i, v := range st {
			row[i] = math.NaN()
			if v > 0 {
				row[i] = float64(n - k)
			}
		}
		drop.Series = append(drop.Series, Series{Name: id, X: x, Y: row, Color: c})
		hc.Series = append(hc.Series, Series{Name: id, X: x, Y: h, Color: c})
		rel := make([]float64, len(eq))
		for i, v := range eq {
			rel[i] = math.NaN()
			if eq[0] > 0 {
				rel[i] = 100 * v / eq[0]
			}
		}
		capital.Series = append(capital.Series, Series{Name: id, X: x, Y: rel, Color: c})
	}
	if len(util.Series) == 0 {
		return nil
	}
	noCapitalNote(&util)
	return &Figure{Title: meta.Scenario + ": prime brokers", TimeAxis: true, Markers: marks, Panels: []Panel{util, drop, hc, capital}, Height: 8 * 72}
}

// fundingFigure shows the funding market and the dealers over the run:
// the funding spreads and the cross-currency basis (with the facility's
// cap, dashed, while one was on), each future's basis to its cash bond, and the
// dealers' utilization and depth factor, the sector's in black. A panel
// whose columns the time series lacks is left out; nil when none is left
// (no funding, futures or dealers), so that only a run with something to
// show gets the plot.
func fundingFigure(ts *Table, meta Meta, sum *sim.Summary, x []float64, marks []Marker) *Figure {
	col := func(name string) []float64 {
		c, ok := ts.Column(name)
		if !ok || len(c.F) != len(x) {
			return nil
		}
		return c.F
	}
	var panels []Panel
	if sum != nil && sum.Funding != nil {
		rates := Panel{Title: "Funding spreads and the cross-currency basis", YLabel: "bp", HLines: []float64{0}}
		// Every currency but USD pays one funding spread (funding.other_spread),
		// and every hedge one cross-currency basis (ODD 7.4): with several
		// such currencies the plot draws the spread once (fundingLabels).
		others := slices.Sorted(maps.Keys(sum.Funding.OtherSpread))
		names := []string{"repo_spread_bp"}
		if len(others) > 0 {
			names = append(names, "funding_"+others[0]+"_bp")
		}
		names = append(names, "xccy_basis_bp")
		for k, n := range names {
			if y := col(n); y != nil {
				spread, basis := fundingLabels(others)
				label := spread
				switch n {
				case "repo_spread_bp":
					label = "USD repo spread"
				case "xccy_basis_bp":
					label = basis
				}
				rates.Series = append(rates.Series, Series{Name: label, X: x, Y: y, Color: Color(k)})
			}
		}
		// The facility's cap, dashed and named in the legend, while the
		// facility was on: a bare line was not named, and where a spread
		// sat at the cap's level (apr2025's yen funding spread at 20bp)
		// the spread hid it.
		if f := sum.Funding; f.FacilityTicks > 0 && isFinite(float64(f.FacilityCap)) {
			if on := col("facility"); on != nil {
				y := make([]float64, len(on))
				for i, v := range on {
					y[i] = math.NaN()
					if v > 0 {
						y[i] = float64(f.FacilityCap)
					}
				}
				rates.Series = append(rates.Series, Series{Name: fmt.Sprintf("repo facility's cap (%s bp)", formatNumber(float64(f.FacilityCap), decimalsFor(float64(f.FacilityCap)))), X: x, Y: y, Color: color.Black, Dashed: true})
			}
		}
		if len(rates.Series) > 0 {
			panels = append(panels, rates)
		}
	}
	basis := Panel{Title: "Futures' basis to the cash bond (+: future rich)", YLabel: "bp", HLines: []float64{0}}
	for _, a := range meta.Assets {
		if a.Kind != "future" {
			continue
		}
		if y := col(a.ID + "_basis_bp"); y != nil {
			basis.Series = append(basis.Series, Series{Name: a.ID, X: x, Y: y, Color: Color(len(basis.Series))})
		}
	}
	if len(basis.Series) > 0 {
		panels = append(panels, basis)
	}
	util := Panel{Title: "Dealers' utilization: exposure over capital × lev_limit", YLabel: "of capacity", YPercent: true}
	depth := Panel{Title: "Depth factor (1: full depth)", YLabel: "factor", HLines: []float64{1}, NoLegend: true}
	if len(meta.Dealers) > 0 {
		if y := col("dealer_util"); y != nil {
			util.Series = append(util.Series, Series{Name: "all dealers", X: x, Y: y, Color: color.Black})
		}
		if y := col("depth"); y != nil {
			depth.Series = append(depth.Series, Series{Name: "all dealers", X: x, Y: y, Color: color.Black})
		}
	}
	for k, id := range meta.Dealers {
		if y := col(sim.DealerColumn(id, "util")); y != nil {
			util.Series = append(util.Series, Series{Name: id, X: x, Y: y, Color: Color(k)})
		}
		if y := col(sim.DealerColumn(id, "depth")); y != nil {
			depth.Series = append(depth.Series, Series{Name: id, X: x, Y: y, Color: Color(k)})
		}
	}
	noCapitalNote(&util)
	for _, p := range []Panel{util, depth} {
		if len(p.Series) > 0 {
			panels = append(panels, p)
		}
	}
	if len(panels) == 0 {
		return nil
	}
	return &Figure{Title: meta.Scenario + ": funding and dealers", TimeAxis: true, Markers: marks, Panels: panels, Height: vg.Length(2*72*len(panels)) + 72}
}

// fundingLabels names the one funding spread that every currency but USD
// pays (funding.other_spread) and the one cross-currency basis, for the
// currencies others (sorted): with one currency they are its own ("JPY
// funding spread", "JPY-USD cross-currency basis"); with several, one for
// all of them, naming each (ODD 7.4). The funding plot and report.md's
// funding table use them.
func fundingLabels(others []string) (spread, basis string) {
	switch len(others) {
	case 0:
		return "funding spread", "cross-currency basis"
	case 1:
		return others[0] + " funding spread", others[0] + "-USD cross-currency basis"
	}
	all := strings.Join(others, ", ")
	return "funding spread (one for " + all + ")", "cross-currency basis (one for " + all + ")"
}
