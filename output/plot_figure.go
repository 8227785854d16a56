package output

import (
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is a named sequence of points.
//
// X and Y are read pairwise up to the shorter length; a nil X means
// 0, 1, 2, …. On a time axis X holds Unix seconds (UTC). A NaN or infinite
// value in X or Y breaks the line there instead of dropping to zero, and an
// isolated finite point between gaps is drawn as a dot.
type Series struct {
	// Name is the legend entry; a series with no name has none.
	Name string
	X, Y []float64
	// Color overrides the palette colour (Color(i) for the i-th series).
	Color color.Color
	// Dashed draws the line dashed (a second run overlaid on a first).
	Dashed bool
}

// Len returns the number of points of s.
func (s Series) Len() int {
	if s.X == nil {
		return len(s.Y)
	}
	return min(len(s.X), len(s.Y))
}

// x returns the i-th X value, which is i when X is nil.
func (s Series) x(i int) float64 {
	if s.X == nil {
		return float64(i)
	}
	return s.X[i]
}

// Marker is a vertical dashed event line, such as a policy announcement,
// with a short label printed above the data area (never over the data).
// Labels that would collide are staggered upwards; when they do not fit
// in two rows, each line is numbered instead and the legend lists the
// numbers with their labels, one number for all the markers that share a
// label (the same programme on many days), and lines too close to number
// one by one share a label ("6,9", "2–5").
type Marker struct {
	X     float64 // position on the x axis (Unix seconds on a time axis)
	Label string  // keep it short: a few words
}

// Band is a shaded region between two curves, such as a confidence or
// percentile band. Points where X, Lo or Hi is not finite break the band.
type Band struct {
	// Name is the legend entry; a band with no name has none.
	Name      string
	X, Lo, Hi []float64
	// Color is the fill colour. Nil uses palette colour i (for the i-th
	// band) at 25% opacity; a colour given here is used as is.
	Color color.Color
}

// Panel is one plot area of a Figure. By default its series are drawn as
// lines; Stacked and Scatter select the other two renderings. Bands are
// drawn below series, markers and horizontal lines below series too.
type Panel struct {
	// Title is printed in bold above the panel's data area, left aligned.
	Title string
	// YLabel labels the y axis. Name the unit here ("JPY per USD", "bn USD").
	YLabel string

	Series  []Series
	Bands   []Band
	Markers []Marker  // drawn and labelled in this panel only
	HLines  []float64 // horizontal reference lines, such as 0 or a threshold

	// LogY uses a logarithmic y axis; non-positive values become gaps.
	// It is ignored for stacked panels.
	LogY bool
	// YPercent labels the y axis in percent: values are fractions, so
	// 0.05 is shown as 5%.
	YPercent bool
	// YRange fixes the y axis to [YRange[0], YRange[1]] when
	// YRange[0] < YRange[1]; otherwise the range fits the data with a
	// small margin. Data outside a fixed range is clipped.
	YRange [2]float64
	// YCategories, when set, labels the y axis with one name at each of 1,
	// 2, ..., n in place of numbers: a timeline with a row per name, its
	// series at the row's height while something holds and NaN (a gap)
	// otherwise. Set YRange to [0.5, n+0.5] with it.
	YCategories []string

	// Stacked draws the series as stacked areas over the X values of the
	// first series (the other series' X are ignored; missing or NaN values
	// count as zero). Positive values stack upwards from zero and negative
	// values downwards, so inflows and outflows can share one chart.
	Stacked bool
	// Scatter draws the series as unconnected points.
	Scatter bool
	// NoLegend leaves the panel's series out of the legends, for a panel
	// whose series the panel above names in the same colours.
	NoLegend bool
	// Empty is the note written in the data area when it has nothing to
	// draw, in place of "no data": what its emptiness means, such as "no
	// broker dropped its offsets" on a timeline that stayed blank.
	Empty string
}

// Figure is a grid of panels that share one x axis: price paths, fan
// charts, stacked areas or scatter plots, with event markers.
//
// Panels fill the grid row by row. All panels have the same x range, and
// only the bottom panel of each column prints x tick labels and XLabel.
// Data areas are aligned across rows and columns. Legends sit above each
// data area, or to its right when they need more than two rows, so they
// never hide data.
type Figure struct {
	Title string
	// Notes are lines of small text under the title, centred: the full
	// names of what the title and legends call by a short name. A note
	// too wide for the figure is wrapped at spaces onto two lines, and
	// one too long for two is shortened in the middle, so that it never
	// runs off the figure.
	Notes []string
	// XLabel labels the shared x axis. When it is empty on a time axis,
	// the context the concise tick labels leave out (the year, or the date
	// of an intraday window) is used instead.
	XLabel string
	// TimeAxis treats X values as Unix seconds and labels them as UTC
	// dates and times ("Aug 05", "14:00", "Mar", "2024"), with a tick
	// density that keeps labels apart.
	TimeAxis bool
	// TimeFormat, if set, is a time.Format layout that overrides the
	// automatic tick labels.
	TimeFormat string
	// XRange fixes the shared x axis to [XRange[0], XRange[1]] when
	// XRange[0] < XRange[1], such as a run's span from its start to the
	// end of its last tick; otherwise the range fits the data.
	XRange [2]float64

	// Markers are drawn on every panel and labelled above the top row.
	Markers []Marker
	// EventList names where the events are listed in full ("report.md"),
	// for the note that ends a legend of numbered markers too long to
	// show every entry ("events 17–30 not shown", "see report.md").
	EventList string
	Panels    []Panel
	// Columns is the number of grid columns; zero means one.
	Columns int

	// Width and Height give the output size; zero means DefaultWidth and
	// a height of DefaultHeight for one row plus 2.2 inches per extra row.
	// A height too small for the panels' titles, legends and y labels is
	// raised until every data area is as tall as its y label is long.
	Width, Height vg.Length
	// DPI is the PNG resolution; zero means DefaultDPI.
	DPI int
}

// size returns the effective output size of f. A figure too short for
// its panels' headers (titles, legends, marker labels) and y axis labels
// is made taller, so that each data area is at least as tall as its y
// label is long.
func (f *Figure) size() (vg.Length, vg.Length, int) {
	cols := max(f.Columns, 1)
	rows := max((len(f.Panels)+cols-1)/cols, 1)
	w, h, dpi := chartSize(f.Width, f.Height, f.DPI, DefaultHeight+vg.Length(vg.Length(rows-1)*2.2*vg.Inch))
	if len(f.Panels) == 0 {
		return w, h, dpi
	}
	cells := f.cells()
	var need vg.Length
	for _, cl := range cells {
		need = max(need, cl.minDataHeight())
	}
	// The headers do not depend on the height: one measure gives the
	// height at which every data area is need tall.
	_, g := planCells(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}}, f.Title, f.Notes, cells, f.Columns)
	if g.dataH < need {
		h += vg.Length(vg.Length(g.rows) * (need - g.dataH))
	}
	return w, h, dpi
}

// Save writes f to path as PNG, SVG or PDF, chosen by the file extension
// (.png, .svg, .pdf). The file is replaced atomically.
func (f *Figure) Save(path string) error {
	w, h, dpi := f.size()
	return saveChart(path, w, h, dpi, f.Draw)
}

// Encode writes f to w in format "png", "svg" or "pdf".
func (f *Figure) Encode(w io.Writer, format string) error {
	wd, ht, dpi := f.size()
	return encodeChart(w, format, wd, ht, dpi, f.Draw)
}

// Draw draws f onto c, filling it.
func (f *Figure) Draw(c draw.Canvas) {
	layoutCells(c, f.Title, f.Notes, f.cells(), f.Columns)
}

// xRange returns the x range shared by all panels.
func (f *Figure) xRange() (lo, hi float64) {
	if f.XRange[0] < f.XRange[1] {
		return f.XRange[0], f.XRange[1]
	}
	r := emptyRange()
	scatter := false
	for _, p := range f.Panels {
		scatter = scatter || p.Scatter
		if p.Stacked {
			xs := p.stackX()
			for j := range xs.Len() {
				r.add(xs.x(j), false)
			}
		}
		for _, s := range p.Series {
			for j := range s.Len() {
				if isFinite(s.Y[j]) && !p.Stacked {
					r.add(s.x(j), false)
				}
			}
		}
		for _, b := range p.Bands {
			for j := range min(len(b.X), len(b.Lo), len(b.Hi)) {
				if isFinite(b.Lo[j]) && isFinite(b.Hi[j]) {
					r.add(b.X[j], false)
				}
			}
		}
	}
	if f.TimeAxis && r.ok() && r.min == r.max {
		return r.min - 3600, r.max + 3600
	}
	if f.TimeAxis && !r.ok() {
		return 0, 86400
	}
	frac := 0.0
	if scatter {
		frac = 0.04
	}
	return axisRange(r, frac, false)
}

// xTicker returns the x tick marker for a data area w wide.
func (f *Figure) xTicker(w vg.Length) plot.Ticker {
	if f.TimeAxis {
		return timeTicks{length: w, style: textStyle(sizeTick, false, inkColor), format: f.TimeFormat}
	}
	return linearTicks{n: tickCount(w, vg.Points(60))}
}

// cells builds one layout cell per panel.
func (f *Figure) cells() []*cell {
	xlo, xhi := f.xRange()
	cols := min(max(f.Columns, 1), max(len(f.Panels), 1))
	var cells []*cell
	for i := range f.Panels {
		p := &f.Panels[i]
		row := i / cols
		showX := i+cols >= len(f.Panels)
		cl := &cell{title: p.Title, showX: showX, eventList: f.EventList}
		plt := plot.New()
		styleAxes(plt)
		plt.X.Min, plt.X.Max = xlo, xhi
		logY := p.LogY && !p.Stacked
		if logY {
			plt.Y.Scale = plot.LogScale{}
		}
		plt.Y.Min, plt.Y.Max = p.yRange(logY)
		plt.Y.Label.Text = p.YLabel

		var xt, yt plot.Ticker
		cl.setTicks = func(w, h vg.Length) {
			xt = f.xTicker(w)
			if showX {
				plt.X.Tick.Marker = xt
				plt.X.Label.Text = f.XLabel
				if tt, ok := xt.(timeTicks); ok && f.XLabel == "" {
					plt.X.Label.Text = tt.offsetLabel(xlo, xhi)
				}
			} else {
				hideXAxis(plt)
			}
			n := max(tickCount(h, vg.Points(30)), 4)
			switch {
			case len(p.YCategories) > 0:
				ct := make(plot.ConstantTicks, len(p.YCategories))
				for k, name := range p.YCategories {
					ct[k] = plot.Tick{Value: float64(k + 1), Label: name}
				}
				yt = ct
			case logY:
				yt = logTicks{n: n}
			default:
				yt = linearTicks{n: n, percent: p.YPercent}
			}
			plt.Y.Tick.Marker = yt
		}
		cl.setTicks(DefaultWidth, DefaultHeight)
		plt.Add(gridPlotter(func() plot.Ticker { return xt }, func() plot.Ticker { return yt }))

		var markers []Marker
		markers = append(markers, f.Markers...)
		markers = append(markers, p.Markers...)
		cl.plt = plt
		p.addPlotters(plt, markers, logY)
		for j, m := range markers {
			if !(m.X >= xlo && m.X <= xhi) {
				continue
			}
			if j < len(f.Markers) && row > 0 {
				continue // figure markers are labelled on the top row only
			}
			cl.marks = append(cl.marks, markLabel{x: m.X, label: m.Label})
		}
		if !p.NoLegend {
			cl.legend = p.legend()
		}
		cells = append(cells, cl)
	}
	return cells
}

// yRange returns the y axis range of p.
func (p *Panel) yRange(logY bool) (lo, hi float64) {
	if p.YRange[0] < p.YRange[1] && (!logY || p.YRange[0] > 0) {
		return p.YRange[0], p.YRange[1]
	}
	r := emptyRange()
	if p.Stacked {
		pos, neg := p.stackSums()
		for i := range pos {
			r.add(pos[i], false)
			r.add(neg[i], false)
		}
		if r.ok() {
			r.add(0, false)
		}
	} else {
		for _, s := range p.Series {
			for j := range s.Len() {
				if isFinite(s.x(j)) {
					r.add(s.Y[j], logY)
				}
			}
		}
	}
	for _, b := range p.Bands {
		for j := range min(len(b.X), len(b.Lo), len(b.Hi)) {
			if isFinite(b.X[j]) && isFinite(b.Lo[j]) && isFinite(b.Hi[j]) {
				r.add(b.Lo[j], logY)
				r.add(b.Hi[j], logY)
			}
		}
	}
	for _, v := range p.HLines {
		r.add(v, logY)
	}
	if logY {
		return logAxisRange(r, 0.04)
	}
	return axisRange(r, 0.05, p.Stacked)
}

// stackX returns the common X of a stacked panel.
func (p *Panel) stackX() Series {
	if len(p.Series) == 0 {
		return Series{}
	}
	s := p.Series[0]
	if s.X == nil {
		n := 0
		for _, t := range p.Series {
			n = max(n, len(t.Y))
		}
		return Series{Y: make([]float64, n)}
	}
	return Series{X: s.X, Y: s.X}
}

// stackValue returns value j of layer s, with missing values as zero.
func stackValue(s Series, j int) float64 {
	if j < len(s.Y) && isFinite(s.Y[j]) {
		return s.Y[j]
	}
	return 0
}

// stackSums returns the totals of the positive and negative parts.
func (p *Panel) stackSums() (pos, neg []float64) {
	xs := p.stackX()
	n := xs.Len()
	pos, neg = make([]float64, n), make([]float64, n)
	for _, s := range p.Series {
		for j := range n {
			v := stackValue(s, j)
			if v > 0 {
				pos[j] += v
			} else {
				neg[j] += v
			}
		}
	}
	return pos, neg
}

// seriesColor returns the colour of series i.
func seriesColor(s Series, i int) color.Color {
	if s.Color != nil {
		return s.Color
	}
	return Color(i)
}

// bandColor returns the fill of band i.
func bandColor(b Band, i int) color.Color {
	if b.Color != nil {
		return b.Color
	}
	return withAlpha(Color(i), 0.25)
}

// lineStyle returns the line style of series i among n.
func lineStyle(s Series, i, n int) draw.LineStyle {
	w := vg.Points(1.4)
	if n > 3 {
		w = vg.Points(1.1)
	}
	d := seriesDashes(i)
	if s.Dashed {
		d = []vg.Length{vg.Points(5), vg.Points(2.5)}
	}
	return draw.LineStyle{Color: seriesColor(s, i), Width: w, Dashes: d}
}

// legend returns the legend entries of p: series first, then bands with
// the one drawn on top first.
func (p *Panel) legend() []legendItem {
	var items []legendItem
	for i, s := range p.Series {
		if s.Name == "" {
			continue
		}
		it := legendItem{name: s.Name, kind: swatchLine, line: lineStyle(s, i, len(p.Series))}
		switch {
		case p.Stacked:
			it = legendItem{name: s.Name, kind: swatchBox, fill: seriesColor(s, i)}
		case p.Scatter:
			it = legendItem{name: s.Name, kind: swatchDot, fill: seriesColor(s, i)}
		}
		items = append(items, it)
	}
	for i := len(p.Bands) - 1; i >= 0; i-- {
		if b := p.Bands[i]; b.Name != "" {
			items = append(items, legendItem{name: b.Name, kind: swatchBox, fill: bandColor(b, i)})
		}
	}
	return items
}

// hasData reports whether p has at least one finite point to draw.
func (p *Panel) hasData(logY bool) bool {
	for _, s := range p.Series {
		for j := range s.Len() {
			if isFinite(s.x(j)) && isFinite(s.Y[j]) && (!logY || s.Y[j] > 0) {
				return true
			}
		}
	}
	for _, b := range p.Bands {
		for j := range min(len(b.X), len(b.Lo), len(b.Hi)) {
			if isFinite(b.X[j]) && isFinite(b.Lo[j]) && isFinite(b.Hi[j]) {
				return true
			}
		}
	}
	return false
}

// addPlotters adds the data layers of p to plt, then the frame.
func (p *Panel) addPlotters(plt *plot.Plot, markers []Marker, logY bool) {
	if p.Stacked {
		plt.Add(p.stackPlotter())
	}
	for i, b := range p.Bands {
		plt.Add(bandPlotter(b, bandColor(b, i), logY))
	}
	plt.Add(plotterFunc(func(c draw.Canvas, plt *plot.Plot) {
		trX, trY := plt.Transforms(&c)
		for _, m := range markers {
			if m.X >= plt.X.Min && m.X <= plt.X.Max {
				x := trX(m.X)
				c.StrokeLine2(markerLine, x, c.Min.Y, x, c.Max.Y)
			}
		}
		ref := draw.LineStyle{Color: axisColor, Width: vg.Points(0.8)}
		for _, v := range p.HLines {
			if isFinite(v) && v >= plt.Y.Min && v <= plt.Y.Max && (!logY || v > 0) {
				y := trY(v)
				c.StrokeLine2(ref, c.Min.X, y, c.Max.X, y)
			}
		}
	}))
	if !p.Stacked {
		for i, s := range p.Series {
			if p.Scatter {
				plt.Add(pointsPlotter(s, withAlpha(seriesColor(s, i), 0.6), logY))
			} else {
				plt.Add(linePlotter(s, lineStyle(s, i, len(p.Series)), logY))
			}
		}
	}
	plt.Add(framePlotter)
	if !p.hasData(logY) {
		note := "no data"
		if p.Empty != "" {
			note = p.Empty
		}
		plt.Add(notePlotter(note))
	}
}

// linePlotter draws s as a polyline broken at non-finite values.
func linePlotter(s Series, sty draw.LineStyle, logY bool) plot.Plotter {
	return plotterFunc(func(c draw.Canvas, plt *plot.Plot) {
		trX, trY := plt.Transforms(&c)
		var run []vg.Point
		flush := func() {
			switch {
			case len(run) == 1:
				if c.Contains(run[0]) {
					var dot vg.Path
					dot.Move(vg.Point{X: run[0].X + sty.Width, Y: run[0].Y})
					dot.Arc(run[0], sty.Width, 0, 2*math.Pi)
					dot.Close()
					c.SetColor(sty.Color)
					c.Fill(dot)
				}
			case len(run) > 1:
				c.StrokeLines(sty, c.ClipLinesXY(decimate(run))...)
			}
			run = nil
		}
		for j := range s.Len() {
			x, y := s.x(j), s.Y[j]
			if !isFinite(x) || !isFinite(y) || (logY && y <= 0) {
				flush()
				continue
			}
			run = append(run, vg.Point{X: trX(x), Y: trY(y)})
		}
		flush()
	})
}

// decimate thins a long polyline whose x never decreases to the first,
// lowest, highest and last point of every half-point-wide column, which
// draws the same picture with far fewer segments (10,000-point series
// stay fast and SVG files small).
func decimate(pts []vg.Point) []vg.Point {
	const bucket = 0.5 // points
	if len(pts) < 2000 {
		return pts
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].X < pts[i-1].X {
			return pts
		}
	}
	out := make([]vg.Point, 0, 2000)
	for i := 0; i < len(pts); {
		b := math.Floor(float64(pts[i].X) / bucket)
		lo, hi, j := i, i, i
		for ; j < len(pts) && math.Floor(float64(pts[j].X)/bucket) == b; j++ {
			if pts[j].Y < pts[lo].Y {
				lo = j
			}
			if pts[j].Y > pts[hi].Y {
				hi = j
			}
		}
		last := j - 1
		idx := []int{i, min(lo, hi), max(lo, hi), last}
		prev := -1
		for _, k := range idx {
			if k != prev {
				out = append(out, pts[k])
				prev = k
			}
		}
		i = j
	}
	return out
}

// pointsPlotter draws s as filled dots.
func pointsPlotter(s Series, fill color.Color, logY bool) plot.Plotter {
	const radius = 1.8
	return plotterFunc(func(c draw.Canvas, plt *plot.Plot) {
		trX, trY := plt.Transforms(&c)
		c.SetColor(fill)
		for j := range s.Len() {
			x, y := s.x(j), s.Y[j]
			if !isFinite(x) || !isFinite(y) || (logY && y <= 0) {
				continue
			}
			pt := vg.Point{X: trX(x), Y: trY(y)}
			if !c.Contains(pt) {
				continue
			}
			var dot vg.Path
			dot.Move(vg.Point{X: pt.X + radius, Y: pt.Y})
			dot.Arc(pt, radius, 0, 2*math.Pi)
			dot.Close()
			c.Fill(dot)
		}
	})
}

// bandPlotter fills the region between b.Lo and b.Hi.
func bandPlotter(b Band, fill color.Color, logY bool) plot.Plotter {
	return plotterFunc(func(c draw.Canvas, plt *plot.Plot) {
		trX, trY := plt.Transforms(&c)
		yOf := func(v float64) vg.Length {
			if logY && v < plt.Y.Min {
				v = plt.Y.Min
			}
			return trY(v)
		}
		var upper, lower []vg.Point
		flush := func() {
			if len(upper) > 1 {
				poly := upper
				for k := len(lower) - 1; k >= 0; k-- {
					poly = append(poly, lower[k])
				}
				if poly = c.ClipPolygonXY(poly); len(poly) > 2 {
					c.FillPolygon(fill, poly)
				}
			}
			upper, lower = nil, nil
		}
		for j := range min(len(b.X), len(b.Lo), len(b.Hi)) {
			x, lo, hi := b.X[j], b.Lo[j], b.Hi[j]
			if !isFinite(x) || !isFinite(lo) || !isFinite(hi) {
				flush()
				continue
			}
			upper = append(upper, vg.Point{X: trX(x), Y: yOf(hi)})
			lower = append(lower, vg.Point{X: trX(x), Y: yOf(lo)})
		}
		flush()
	})
}

// stackPlotter draws the series of p as stacked areas.
func (p *Panel) stackPlotter() plot.Plotter {
	return plotterFunc(func(c draw.Canvas, plt *plot.Plot) {
		trX, trY := plt.Transforms(&c)
		xs := p.stackX()
		n := xs.Len()
		pos, neg := make([]float64, n), make([]float64, n)
		for i, s := range p.Series {
			fill := seriesColor(s, i)
			for _, positive := range []bool{true, false} {
				base := neg
				if positive {
					base = pos
				}
				var upper, lower []vg.Point
				nonzero := false
				flush := func() {
					if len(upper) > 1 && nonzero {
						poly := upper
						for k := len(lower) - 1; k >= 0; k-- {
							poly = append(poly, lower[k])
						}
						if poly = c.ClipPolygonXY(poly); len(poly) > 2 {
							c.FillPolygon(fill, poly)
						}
					}
					upper, lower, nonzero = nil, nil, false
				}
				for j := range n {
					x := xs.x(j)
					v := stackValue(s, j)
					if (positive && v < 0) || (!positive && v > 0) {
						v = 0
					}
					if !isFinite(x) {
						flush()
						continue
					}
					nonzero = nonzero || v != 0
					upper = append(upper, vg.Point{X: trX(x), Y: trY(base[j] + v)})
					lower = append(lower, vg.Point{X: trX(x), Y: trY(base[j])})
					base[j] += v
				}
				flush()
			}
		}
	})
}

// StackedArea returns a one-panel figure of layers stacked over x, such as
// forced sales by agent kind or by reason. Each layer's Y gives one value
// per x (its X is ignored; NaN counts as zero). Positive values stack up
// from zero and negative values stack down, so the top edge is the total
// of positive flows and the bottom edge the total of negative ones. With
// timeAxis set, x holds Unix seconds.
func StackedArea(title, xlabel, ylabel string, x []float64, layers []Series, timeAxis bool) *Figure {
	ls := make([]Series, len(layers))
	for i, l := range layers {
		l.X = x
		ls[i] = l
	}
	return &Figure{
		Title: title, XLabel: xlabel, TimeAxis: timeAxis,
		Panels: []Panel{{YLabel: ylabel, Series: ls, Stacked: true, HLines: stackZero(ls)}},
	}
}

// stackZero returns a zero reference line when a stack has negative values.
func stackZero(ls []Series) []float64 {
	for _, s := range ls {
		for _, v := range s.Y {
			if v < 0 {
				return []float64{0}
			}
		}
	}
	return nil
}

// Fan holds percentile paths over X for a fan chart, such as the
// distribution of a price across Monte Carlo runs. Any of the slices may
// be nil.
type Fan struct {
	X                      []float64
	P5, P25, P50, P75, P95 []float64
	// Color is the hue of the fan; nil means Color(0).
	Color color.Color
}

// FanPanel returns a panel showing f: a light 5–95% band, a darker 25–75%
// band and the median as a solid line. Tile several in a Figure to compare
// fan charts of different series over the same window.
func FanPanel(title, ylabel string, f Fan) Panel {
	c := f.Color
	if c == nil {
		c = Color(0)
	}
	return Panel{
		Title:  title,
		YLabel: ylabel,
		Bands: []Band{
			{Name: "5\u201395%", X: f.X, Lo: f.P5, Hi: f.P95, Color: tint(c, 0.78)},
			{Name: "25\u201375%", X: f.X, Lo: f.P25, Hi: f.P75, Color: tint(c, 0.52)},
		},
		Series: []Series{{Name: "Median", X: f.X, Y: f.P50, Color: c}},
	}
}

// FanChart returns a one-panel figure of the fan f (see FanPanel).
func FanChart(title, xlabel, ylabel string, f Fan, timeAxis bool) *Figure {
	return &Figure{
		Title: title, XLabel: xlabel, TimeAxis: timeAxis,
		Panels: []Panel{FanPanel("", ylabel, f)},
	}
}

// Scatter returns a one-panel figure of the points (x[i], y[i]), such as a
// parameter against an outcome across runs. Pairs with a NaN are skipped.
func Scatter(title, xlabel, ylabel string, x, y []float64) *Figure {
	if x == nil {
		x = []float64{}
	}
	return &Figure{
		Title: title, XLabel: xlabel,
		Panels: []Panel{{YLabel: ylabel, Series: []Series{{X: x, Y: y}}, Scatter: true}},
	}
}
