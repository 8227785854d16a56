package output

import (
	"image/color"
	"io"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BarChart draws one value per category for each of several groups, with
// the groups' bars side by side: attribution shares by agent kind, or the
// rank correlation of each parameter with an outcome. Bars grow from zero
// in either direction, so signed values such as correlations in [−1, 1]
// read naturally; a zero line separates them.
type BarChart struct {
	Title      string
	Categories []string
	// Groups holds one value per category in Y (X is ignored). Group i is
	// drawn in Color(i) unless it sets Color; named groups get a legend
	// entry. NaN values draw no bar.
	Groups []Series
	// Horizontal draws bars left to right with the categories listed top
	// to bottom, which suits long category names. Vertical bars rotate
	// their category labels when they do not fit.
	Horizontal bool
	// ValueLabel labels the value axis.
	ValueLabel string
	// Percent labels values in percent: 0.25 is shown as 25%.
	Percent bool
	// ValueRange fixes the value axis when ValueRange[0] < ValueRange[1],
	// such as [−1, 1] for correlations.
	ValueRange [2]float64
	// ShowValues prints each bar's value at its end.
	ShowValues bool

	// Width and Height give the output size; zero means DefaultWidth and
	// DefaultHeight.
	Width, Height vg.Length
	// DPI is the PNG resolution; zero means DefaultDPI.
	DPI int
}

// GroupedBars returns a bar chart of groups over categories (see BarChart).
func GroupedBars(title string, categories []string, groups []Series, horizontal bool) *BarChart {
	return &BarChart{Title: title, Categories: categories, Groups: groups, Horizontal: horizontal}
}

// Save writes b to path as PNG, SVG or PDF, chosen by the file extension.
func (b *BarChart) Save(path string) error {
	w, h, dpi := chartSize(b.Width, b.Height, b.DPI, DefaultHeight)
	return saveChart(path, w, h, dpi, b.Draw)
}

// Encode writes b to w in format "png", "svg" or "pdf".
func (b *BarChart) Encode(w io.Writer, format string) error {
	wd, ht, dpi := chartSize(b.Width, b.Height, b.DPI, DefaultHeight)
	return encodeChart(w, format, wd, ht, dpi, b.Draw)
}

// Draw draws b onto c, filling it.
func (b *BarChart) Draw(c draw.Canvas) {
	n := len(b.Categories)
	for _, g := range b.Groups {
		n = max(n, len(g.Y))
	}
	plt := plot.New()
	styleAxes(plt)
	cat, val := &plt.X, &plt.Y
	if b.Horizontal {
		cat, val = &plt.Y, &plt.X
	}
	// Category i sits at position i (vertical) or n-1-i (horizontal, so
	// that the first category is at the top).
	pos := func(i int) float64 {
		if b.Horizontal {
			return float64(n - 1 - i)
		}
		return float64(i)
	}
	cat.Min, cat.Max = -0.5, math.Max(float64(n)-0.5, 0.5)
	labels := make([]plot.Tick, n)
	var labelW vg.Length
	for i := range n {
		name := ""
		if i < len(b.Categories) {
			name = b.Categories[i]
		}
		labels[i] = plot.Tick{Value: pos(i), Label: name}
		labelW = max(labelW, cat.Tick.Label.Width(name))
	}
	cat.Tick.Marker = plot.ConstantTicks(labels)

	r := emptyRange()
	for _, g := range b.Groups {
		for _, v := range g.Y {
			r.add(v, false)
		}
	}
	if r.ok() {
		r.add(0, false)
	}
	val.Min, val.Max = axisRange(r, 0.05, true)
	if b.ShowValues && r.ok() {
		span := val.Max - val.Min
		if r.max > 0 {
			val.Max += float64(0.06 * span)
		}
		if r.min < 0 {
			val.Min -= float64(0.06 * span)
		}
	}
	if b.ValueRange[0] < b.ValueRange[1] {
		val.Min, val.Max = b.ValueRange[0], b.ValueRange[1]
	}
	val.Label.Text = b.ValueLabel

	var vt plot.Ticker
	cl := &cell{plt: plt, showX: true}
	cl.setTicks = func(w, h vg.Length) {
		if b.Horizontal {
			vt = linearTicks{n: tickCount(w, vg.Points(60)), percent: b.Percent}
		} else {
			vt = linearTicks{n: tickCount(h, vg.Points(32)), percent: b.Percent}
			// Rotate category labels that would run into each other.
			sty := aligned(textStyle(sizeTick, false, inkColor), draw.XCenter, draw.YTop)
			if n > 0 && labelW > w/vg.Length(n)-vg.Points(4) {
				sty = aligned(sty, draw.XRight, draw.YTop)
				sty.Rotation = math.Pi / 4
			}
			cat.Tick.Label = sty
		}
		val.Tick.Marker = vt
	}
	ticker := func() plot.Ticker { return vt }
	if b.Horizontal {
		plt.Add(gridPlotter(ticker, nil))
	} else {
		plt.Add(gridPlotter(nil, ticker))
	}
	plt.Add(plotterFunc(func(c draw.Canvas, p *plot.Plot) {
		b.drawBars(c, p, pos)
	}))
	plt.Add(framePlotter)
	if !r.ok() {
		plt.Add(notePlotter("no data"))
	}
	for i, g := range b.Groups {
		if g.Name != "" {
			cl.legend = append(cl.legend, legendItem{name: g.Name, kind: swatchBox, fill: seriesColor(g, i)})
		}
	}
	layoutCells(c, b.Title, nil, []*cell{cl}, 1)
}

// drawBars draws the bars, the zero line and the value labels.
func (b *BarChart) drawBars(c draw.Canvas, p *plot.Plot, pos func(int) float64) {
	trX, trY := p.Transforms(&c)
	// along maps a category position, across a value, to canvas points.
	rect := func(at, halfWidth, v0, v1 float64) vg.Rectangle {
		if b.Horizontal {
			return vg.Rectangle{
				Min: vg.Point{X: trX(math.Min(v0, v1)), Y: trY(at - halfWidth)},
				Max: vg.Point{X: trX(math.Max(v0, v1)), Y: trY(at + halfWidth)},
			}
		}
		return vg.Rectangle{
			Min: vg.Point{X: trX(at - halfWidth), Y: trY(math.Min(v0, v1))},
			Max: vg.Point{X: trX(at + halfWidth), Y: trY(math.Max(v0, v1))},
		}
	}
	val := p.Y
	if b.Horizontal {
		val = p.X
	}
	clampV := func(v float64) float64 { return math.Min(math.Max(v, val.Min), val.Max) }
	k := max(len(b.Groups), 1)
	slot := 0.8 / float64(k)
	valueStyle := textStyle(sizeNote, false, inkColor)
	for g, grp := range b.Groups {
		fill := seriesColor(grp, g)
		for i, v := range grp.Y {
			if !isFinite(v) {
				continue
			}
			at := pos(i) - 0.4 + float64((float64(g)+0.5)*slot)
			r := rect(at, float64(slot/2*0.9), clampV(0), clampV(v))
			fillRect(c, r, fill)
			if !b.ShowValues {
				continue
			}
			txt := formatCellValue(v, 2, b.Percent)
			switch {
			case b.Horizontal && v >= 0:
				fillTextAt(c, aligned(valueStyle, draw.XLeft, draw.YCenter), vg.Point{X: r.Max.X + 3, Y: (r.Min.Y + r.Max.Y) / 2}, txt)
			case b.Horizontal:
				fillTextAt(c, aligned(valueStyle, draw.XRight, draw.YCenter), vg.Point{X: r.Min.X - 3, Y: (r.Min.Y + r.Max.Y) / 2}, txt)
			case v >= 0:
				fillTextAt(c, aligned(valueStyle, draw.XCenter, draw.YBottom), vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: r.Max.Y + 2}, txt)
			default:
				fillTextAt(c, aligned(valueStyle, draw.XCenter, draw.YTop), vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: r.Min.Y - 2}, txt)
			}
		}
	}
	if 0 >= val.Min && 0 <= val.Max {
		zero := draw.LineStyle{Color: inkColor, Width: vg.Points(0.8)}
		if b.Horizontal {
			x := trX(0)
			c.StrokeLine2(zero, x, c.Min.Y, x, c.Max.Y)
		} else {
			y := trY(0)
			c.StrokeLine2(zero, c.Min.X, y, c.Max.X, y)
		}
	}
}

// HistogramChart draws the distribution of a sample as equal-width bins,
// such as peak drawdowns across Monte Carlo runs. NaN and infinite values
// are ignored.
type HistogramChart struct {
	Title  string
	XLabel string
	Values []float64
	// Bins is the number of bins; zero or less chooses one from the data
	// (Freedman–Diaconis, between 5 and 80).
	Bins int
	// XPercent labels the x axis in percent: 0.05 is shown as 5%.
	XPercent bool

	// Width and Height give the output size; zero means DefaultWidth and
	// DefaultHeight.
	Width, Height vg.Length
	// DPI is the PNG resolution; zero means DefaultDPI.
	DPI int
}

// Histogram returns a histogram of values in the given number of bins
// (zero or less: automatic).
func Histogram(title, xlabel string, values []float64, bins int) *HistogramChart {
	return &HistogramChart{Title: title, XLabel: xlabel, Values: values, Bins: bins}
}

// Save writes h to path as PNG, SVG or PDF, chosen by the file extension.
func (h *HistogramChart) Save(path string) error {
	w, ht, dpi := chartSize(h.Width, h.Height, h.DPI, DefaultHeight)
	return saveChart(path, w, ht, dpi, h.Draw)
}

// Encode writes h to w in format "png", "svg" or "pdf".
func (h *HistogramChart) Encode(w io.Writer, format string) error {
	wd, ht, dpi := chartSize(h.Width, h.Height, h.DPI, DefaultHeight)
	return encodeChart(w, format, wd, ht, dpi, h.Draw)
}

// bins returns the bin edges and counts of the finite values.
func (h *HistogramChart) bins() (edges []float64, counts []float64) {
	var vals []float64
	for _, v := range h.Values {
		if isFinite(v) {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		return nil, nil
	}
	sort.Float64s(vals)
	lo, hi := vals[0], vals[len(vals)-1]
	if lo == hi {
		d := math.Abs(lo) * 0.05
		if d == 0 {
			d = 0.5
		}
		return []float64{lo - d, hi + d}, []float64{float64(len(vals))}
	}
	n := h.Bins
	if n <= 0 {
		q := func(p float64) float64 { return vals[int(p*float64(len(vals)-1))] }
		iqr := q(0.75) - q(0.25)
		if iqr > 0 {
			width := 2 * iqr / math.Cbrt(float64(len(vals)))
			n = int(math.Ceil((hi - lo) / width))
		} else {
			n = int(math.Ceil(math.Sqrt(float64(len(vals)))))
		}
		n = min(max(n, 5), 80)
	}
	n = min(n, 10000)
	edges = make([]float64, n+1)
	for i := range edges {
		edges[i] = lo + (hi-lo)*float64(i)/float64(n)
	}
	counts = make([]float64, n)
	for _, v := range vals {
		i := int((v - lo) / (hi - lo) * float64(n))
		counts[min(max(i, 0), n-1)]++
	}
	return edges, counts
}

// Draw draws h onto c, filling it.
func (h *HistogramChart) Draw(c draw.Canvas) {
	edges, counts := h.bins()
	plt := plot.New()
	styleAxes(plt)
	plt.X.Label.Text = h.XLabel
	plt.Y.Label.Text = "Count"
	xr, yr := emptyRange(), emptyRange()
	if len(edges) > 0 {
		xr.add(edges[0], false)
		xr.add(edges[len(edges)-1], false)
	}
	for _, n := range counts {
		yr.add(n, false)
	}
	if yr.ok() {
		yr.add(0, false)
	}
	plt.X.Min, plt.X.Max = axisRange(xr, 0.02, false)
	plt.Y.Min, plt.Y.Max = axisRange(yr, 0.05, true)

	var xt, yt plot.Ticker
	cl := &cell{plt: plt, showX: true}
	cl.setTicks = func(w, ht vg.Length) {
		xt = linearTicks{n: tickCount(w, vg.Points(60)), percent: h.XPercent}
		yt = linearTicks{n: tickCount(ht, vg.Points(32)), integer: true}
		plt.X.Tick.Marker, plt.Y.Tick.Marker = xt, yt
	}
	plt.Add(gridPlotter(nil, func() plot.Ticker { return yt }))
	fill := Color(0)
	edge := draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}
	plt.Add(plotterFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		for i, n := range counts {
			if n == 0 {
				continue
			}
			r := vg.Rectangle{
				Min: vg.Point{X: trX(edges[i]), Y: trY(0)},
				Max: vg.Point{X: trX(edges[i+1]), Y: trY(n)},
			}
			fillRect(c, r, fill)
			if r.Max.X-r.Min.X > 3 {
				c.StrokeLines(edge, []vg.Point{r.Min, {X: r.Min.X, Y: r.Max.Y}, r.Max, {X: r.Max.X, Y: r.Min.Y}})
			}
		}
	}))
	plt.Add(framePlotter)
	if len(counts) == 0 {
		plt.Add(notePlotter("no data"))
	}
	layoutCells(c, h.Title, nil, []*cell{cl}, 1)
}
