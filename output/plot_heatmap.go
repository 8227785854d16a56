package output

import (
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Matrix is one titled square matrix of a HeatmapChart.
type Matrix struct {
	Title string
	// Values is indexed [row][column]; rows are drawn top to bottom and
	// columns left to right in label order. Missing or NaN cells are grey.
	Values [][]float64
}

// HeatmapChart draws one or more square matrices, such as correlation
// matrices, side by side with shared labels and one colour bar.
//
// When Min < 0 < Max the colour scale is diverging (blue–grey–red, Moreland's
// cool-warm map) with its neutral centre at exactly 0, so for [−1, 1]
// positive and negative correlations of equal size get equally strong
// colours. Otherwise the scale is sequential (viridis). Values beyond the
// range take the end colours. With at most 12 labels every cell also
// prints its value.
type HeatmapChart struct {
	Title string
	// Labels name the rows and the columns. Row labels are printed left of
	// the first matrix only, column labels under every matrix (rotated when
	// they do not fit).
	Labels   []string
	Matrices []Matrix
	// Min and Max bound the colour scale; when Min >= Max the range of the
	// finite values is used.
	Min, Max float64
	// Percent prints cell values and colour-bar ticks as percentages.
	Percent bool

	// Width and Height give the output size; zero means DefaultWidth and
	// DefaultHeight (for one matrix, a width of 6 inches).
	Width, Height vg.Length
	// DPI is the PNG resolution; zero means DefaultDPI.
	DPI int
}

// Heatmap returns a chart of the square matrix m with the given labels on
// both axes and colour scale [min, max] (see HeatmapChart).
func Heatmap(title string, labels []string, m [][]float64, min, max float64) *HeatmapChart {
	return &HeatmapChart{
		Title: title, Labels: labels,
		Matrices: []Matrix{{Values: m}},
		Min:      min, Max: max,
	}
}

// HeatmapPair returns a chart of two matrices side by side with one colour
// scale, for example correlations in a calm window next to those at the
// peak of a cascade.
func HeatmapPair(title string, labels []string, left, right Matrix, min, max float64) *HeatmapChart {
	return &HeatmapChart{
		Title: title, Labels: labels,
		Matrices: []Matrix{left, right},
		Min:      min, Max: max,
	}
}

// size returns the effective output size of h.
func (h *HeatmapChart) size() (vg.Length, vg.Length, int) {
	w := h.Width
	if w == 0 && len(h.Matrices) <= 1 {
		w = 6 * vg.Inch
	}
	return chartSize(w, h.Height, h.DPI, DefaultHeight)
}

// Save writes h to path as PNG, SVG or PDF, chosen by the file extension.
func (h *HeatmapChart) Save(path string) error {
	w, ht, dpi := h.size()
	return saveChart(path, w, ht, dpi, h.Draw)
}

// Encode writes h to w in format "png", "svg" or "pdf".
func (h *HeatmapChart) Encode(w io.Writer, format string) error {
	wd, ht, dpi := h.size()
	return encodeChart(w, format, wd, ht, dpi, h.Draw)
}

// dim returns the number of rows and columns drawn.
func (h *HeatmapChart) dim() int {
	n := len(h.Labels)
	for _, m := range h.Matrices {
		n = max(n, len(m.Values))
		for _, row := range m.Values {
			n = max(n, len(row))
		}
	}
	return n
}

// label returns label i, or its 1-based number when labels are missing.
func (h *HeatmapChart) label(i int) string {
	if i < len(h.Labels) {
		return h.Labels[i]
	}
	return ""
}

// scale returns the colour range.
func (h *HeatmapChart) scale() (lo, hi float64) {
	if h.Min < h.Max && isFinite(h.Min) && isFinite(h.Max) {
		return h.Min, h.Max
	}
	r := emptyRange()
	for _, m := range h.Matrices {
		for _, row := range m.Values {
			for _, v := range row {
				r.add(v, false)
			}
		}
	}
	if !r.ok() {
		return -1, 1
	}
	if r.min == r.max {
		d := math.Max(math.Abs(r.min)*0.1, 1e-9)
		if r.min == 0 {
			d = 1
		}
		return r.min - d, r.max + d
	}
	return r.min, r.max
}

// viridis control points, from matplotlib's viridis.
var viridis = []color.NRGBA{
	{0x44, 0x01, 0x54, 0xFF}, {0x48, 0x28, 0x78, 0xFF}, {0x3E, 0x4A, 0x89, 0xFF},
	{0x31, 0x68, 0x8E, 0xFF}, {0x26, 0x82, 0x8E, 0xFF}, {0x1F, 0x9E, 0x89, 0xFF},
	{0x35, 0xB7, 0x79, 0xFF}, {0x6D, 0xCD, 0x59, 0xFF}, {0xB4, 0xDE, 0x2C, 0xFF},
	{0xFD, 0xE7, 0x25, 0xFF},
}

// colorScale maps values to colours.
type colorScale struct {
	lo, hi    float64
	diverging bool
	cool      interface {
		At(float64) (color.Color, error)
	}
}

// newColorScale returns the scale for [lo, hi].
func newColorScale(lo, hi float64) colorScale {
	s := colorScale{lo: lo, hi: hi, diverging: lo < 0 && hi > 0}
	if s.diverging {
		cm := moreland.SmoothBlueRed()
		cm.SetMin(0)
		cm.SetMax(1)
		s.cool = cm
	}
	return s
}

// unit maps v to [0, 1]; a diverging scale maps 0 to exactly 0.5.
func (s colorScale) unit(v float64) float64 {
	var t float64
	switch {
	case s.diverging && v >= 0:
		t = 0.5 + 0.5*v/s.hi
	case s.diverging:
		t = 0.5 - 0.5*v/s.lo
	default:
		t = (v - s.lo) / (s.hi - s.lo)
	}
	return math.Min(math.Max(t, 0), 1)
}

// at returns the colour of v; NaN is light grey.
func (s colorScale) at(v float64) color.Color {
	if math.IsNaN(v) {
		return nanColor
	}
	t := s.unit(v)
	if s.diverging {
		// Stay a hair inside [0, 1]: the end points can fall just outside
		// the sRGB gamut in moreland's conversion.
		if c, err := s.cool.At(0.001 + float64(0.998*t)); err == nil {
			return color.NRGBAModel.Convert(c)
		}
		return nanColor
	}
	f := float64(t * float64(len(viridis)-1))
	i := min(int(f), len(viridis)-2)
	a, b, u := viridis[i], viridis[i+1], f-float64(i)
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + float64((float64(y)-float64(x))*u))) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xFF}
}

// Draw draws h onto c, filling it.
func (h *HeatmapChart) Draw(c draw.Canvas) {
	fillRect(c, c.Rectangle, color.White)
	c = draw.Crop(c, outerMargin, -outerMargin, outerMargin, -outerMargin)
	if h.Title != "" {
		fillTextAt(c, aligned(fitTitle(h.Title, c.Max.X-c.Min.X), draw.XCenter, draw.YTop), vg.Point{X: c.Center().X, Y: c.Max.Y}, h.Title)
		c.Max.Y -= textHeight(titleStyle) + gapTitle
	}
	n := h.dim()
	k := max(len(h.Matrices), 1)
	lo, hi := h.scale()
	cs := newColorScale(lo, hi)
	barW, barGap, gridGap := vg.Points(11), vg.Points(14), vg.Points(24)
	subtitleH := vg.Length(0)
	for _, m := range h.Matrices {
		if m.Title != "" {
			subtitleH = textHeight(panelStyle) + gapHeader + 2
		}
	}
	if n == 0 {
		n = 1
	}
	ticks := linearTicks{n: 5, percent: h.Percent}.Ticks(lo, hi)
	barTick := textStyle(sizeTick, false, inkColor)
	var barLabelW vg.Length
	for _, t := range ticks {
		barLabelW = max(barLabelW, barTick.Width(t.Label))
	}
	right := barGap + barW + vg.Points(5) + barLabelW
	availH := c.Max.Y - c.Min.Y - subtitleH

	// Size the cells for labels of a given font size; a large matrix
	// shrinks the font until neighbouring labels no longer touch.
	// A label is at most a fifth of the figure wide, shortened in the
	// middle beyond (fitText): long ids squeezed the cells to slivers.
	labels := make([]string, n)
	maxLabel := vg.Length((c.Max.X - c.Min.X) / 5)
	var (
		tick   text.Style
		labelW vg.Length
		left   vg.Length
		cell   float64
		rotate bool
		drop   vg.Length
	)
	layout := func(size float64) {
		tick = textStyle(size, false, inkColor)
		labelW = 0
		for i := range n {
			labels[i] = fitText(tick, h.label(i), maxLabel)
			labelW = max(labelW, tick.Width(labels[i]))
		}
		left = labelW + vg.Points(5)
		availW := c.Max.X - c.Min.X - left - right - vg.Length(vg.Length(k-1)*gridGap)
		// Column labels go horizontal when they fit in a cell, otherwise
		// at 45°, which needs more height.
		drop = textHeight(tick) + 4
		cell = math.Min(float64(availW)/float64(k*n), float64(availH-drop)/float64(n))
		rotate = vg.Length(cell) < labelW+vg.Points(3)
		if rotate {
			drop = vg.Length((labelW+textHeight(tick))*vg.Length(math.Sqrt2/2)) + 4
			cell = math.Min(float64(availW)/float64(k*n), float64(availH-drop)/float64(n))
		}
	}
	fits := func(size float64) bool { layout(size); return size <= 0.62*cell }
	if size := float64(sizeTick); !fits(size) {
		lo, hi := 3.0, size // the largest size that fits is in [lo, hi)
		for range 12 {
			if mid := (lo + hi) / 2; fits(mid) {
				lo = mid
			} else {
				hi = mid
			}
		}
		layout(lo)
	}
	cell = math.Max(cell, 1)
	cw := vg.Length(cell)
	gridW := vg.Length(cw * vg.Length(n))
	// Centre the block horizontally.
	total := left + vg.Length(vg.Length(k)*gridW) + vg.Length(vg.Length(k-1)*gridGap) + right
	x0 := c.Min.X + vg.Length((c.Max.X-c.Min.X-total)/2) + left
	// Centre the block vertically too.
	top := c.Max.Y - subtitleH - vg.Length(max(availH-gridW-drop, 0)/2)

	valueSize := math.Min(math.Max(cell*0.3, 5), 9)
	valueStyle := aligned(textStyle(valueSize, false, inkColor), draw.XCenter, draw.YCenter)
	showValues := n <= 12 && cell >= 14
	for mi, m := range h.Matrices {
		gx := x0 + vg.Length(vg.Length(mi)*(gridW+gridGap))
		if m.Title != "" {
			fillTextAt(c, aligned(panelStyle, draw.XCenter, draw.YBottom), vg.Point{X: gx + vg.Length(gridW/2), Y: top + gapHeader + 1}, m.Title)
		}
		drawCellGrid(c, cs, vg.Point{X: gx, Y: top}, cw, cw, n, n, func(i, j int) float64 {
			if i < len(m.Values) && j < len(m.Values[i]) {
				return m.Values[i][j]
			}
			return math.NaN()
		}, valueStyle, showValues, h.Percent)
		// Labels.
		for i := range n {
			if mi == 0 {
				fillTextAt(c, aligned(tick, draw.XRight, draw.YCenter),
					vg.Point{X: gx - vg.Points(4), Y: top - vg.Length((vg.Length(i)+0.5)*cw)}, labels[i])
			}
			x := gx + vg.Length((vg.Length(i)+0.5)*cw)
			if rotate {
				sty := aligned(tick, draw.XRight, draw.YCenter)
				sty.Rotation = math.Pi / 4
				c.FillText(sty, vg.Point{X: x + vg.Points(2), Y: top - gridW - vg.Points(4)}, labels[i])
			} else {
				fillTextAt(c, aligned(tick, draw.XCenter, draw.YTop), vg.Point{X: x, Y: top - gridW - vg.Points(3)}, labels[i])
			}
		}
	}

	// Colour bar with ticks.
	bx := x0 + vg.Length(vg.Length(k)*gridW) + vg.Length(vg.Length(k-1)*gridGap) + barGap
	drawColorBar(c, cs, lo, hi, ticks, barTick, vg.Rectangle{Min: vg.Point{X: bx, Y: top - gridW}, Max: vg.Point{X: bx + barW, Y: top}})
}

// drawColorBar fills box with the colour scale from lo (bottom) to hi
// (top), frames it and labels the ticks on its right.
func drawColorBar(c draw.Canvas, cs colorScale, lo, hi float64, ticks []plot.Tick, style draw.TextStyle, box vg.Rectangle) {
	const steps = 64
	h := box.Max.Y - box.Min.Y
	for s := range steps {
		v0 := lo + float64((hi-lo)*float64(s)/steps)
		v1 := lo + float64((hi-lo)*float64(s+1)/steps)
		y0 := box.Min.Y + vg.Length(h*vg.Length(s)/steps)
		y1 := box.Min.Y + vg.Length(h*vg.Length(s+1)/steps)
		fillRect(c, vg.Rectangle{Min: vg.Point{X: box.Min.X, Y: y0}, Max: vg.Point{X: box.Max.X, Y: y1 + 0.3}}, cs.at((v0+v1)/2))
	}
	c.StrokeLines(frameLine, []vg.Point{box.Min, {X: box.Max.X, Y: box.Min.Y}, box.Max, {X: box.Min.X, Y: box.Max.Y}, box.Min})
	for _, t := range ticks {
		y := box.Min.Y + vg.Length(h*vg.Length((t.Value-lo)/(hi-lo)))
		c.StrokeLine2(frameLine, box.Max.X, y, box.Max.X+vg.Points(3), y)
		fillTextAt(c, aligned(style, draw.XLeft, draw.YCenter), vg.Point{X: box.Max.X + vg.Points(5), Y: y}, t.Label)
	}
}

// drawCellGrid fills an nr×nc grid of cells of size cw×ch whose top-left
// corner is at, coloured by cs from value(i, j). With showValues each cell
// carries its value (white on dark cells), or "n/a" in muted ink when it is
// NaN; thin white borders keep neighbouring cells apart.
func drawCellGrid(c draw.Canvas, cs colorScale, at vg.Point, cw, ch vg.Length, nr, nc int, value func(i, j int) float64, valueStyle draw.TextStyle, showValues, percent bool) {
	x0, top := at.X, at.Y
	for i := range nr {
		for j := range nc {
			v := value(i, j)
			r := vg.Rectangle{
				Min: vg.Point{X: x0 + vg.Length(vg.Length(j)*cw), Y: top - vg.Length(vg.Length(i+1)*ch)},
				Max: vg.Point{X: x0 + vg.Length(vg.Length(j+1)*cw), Y: top - vg.Length(vg.Length(i)*ch)},
			}
			col := cs.at(v)
			fillRect(c, r, col)
			centre := r.Min.Add(vg.Point{X: cw / 2, Y: ch / 2})
			switch {
			case showValues && math.IsNaN(v):
				sty := valueStyle
				sty.Color = mutedColor
				fillTextAt(c, sty, centre, "n/a")
			case showValues && isFinite(v):
				sty := valueStyle
				if luminance(col) < 0.45 {
					sty.Color = color.White
				}
				fillTextAt(c, sty, centre, formatCellValue(v, 2, percent))
			}
		}
	}
	gridW, gridH := vg.Length(cw*vg.Length(nc)), vg.Length(ch*vg.Length(nr))
	sep := draw.LineStyle{Color: color.White, Width: vg.Points(math.Min(1, float64(min(cw, ch))/20))}
	for j := 1; j < nc; j++ {
		c.StrokeLine2(sep, x0+vg.Length(vg.Length(j)*cw), top, x0+vg.Length(vg.Length(j)*cw), top-gridH)
	}
	for i := 1; i < nr; i++ {
		c.StrokeLine2(sep, x0, top-vg.Length(vg.Length(i)*ch), x0+gridW, top-vg.Length(vg.Length(i)*ch))
	}
}
