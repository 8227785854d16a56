package output

import (
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TableHeatmapChart draws a rectangular matrix as coloured cells with a
// label for every row and every column, such as the rank correlation of
// each swept parameter (rows) with each outcome (columns) of a Monte Carlo
// sweep. Colours follow HeatmapChart: diverging around 0 when Min < 0 <
// Max, sequential otherwise; NaN cells are light grey and marked "n/a".
// Cells print their values when they are large enough.
type TableHeatmapChart struct {
	Title string
	// RowLabels are printed left of the rows, ColLabels under the columns
	// (rotated when they do not fit).
	RowLabels, ColLabels []string
	// Values is indexed [row][column].
	Values [][]float64
	// Min and Max bound the colour scale; when Min >= Max the range of the
	// finite values is used.
	Min, Max float64
	// Percent prints cell values and colour-bar ticks as percentages.
	Percent bool
	// Note is printed in small type under the chart, such as the sample
	// the values come from.
	Note string

	// Width and Height give the output size; zero means DefaultWidth and
	// a height that fits the rows.
	Width, Height vg.Length
	// DPI is the PNG resolution; zero means DefaultDPI.
	DPI int
}

// TableHeatmap returns a chart of values with the given row and column
// labels and colour scale [min, max] (see TableHeatmapChart).
func TableHeatmap(title string, rows, cols []string, values [][]float64, min, max float64) *TableHeatmapChart {
	return &TableHeatmapChart{Title: title, RowLabels: rows, ColLabels: cols, Values: values, Min: min, Max: max}
}

// size returns the effective output size of h.
func (h *TableHeatmapChart) size() (vg.Length, vg.Length, int) {
	r, _ := h.dims()
	def := max(DefaultHeight, vg.Length(vg.Length(r)*28)+3*vg.Inch)
	return chartSize(h.Width, h.Height, h.DPI, def)
}

// Save writes h to path as PNG, SVG or PDF, chosen by the file extension.
func (h *TableHeatmapChart) Save(path string) error {
	w, ht, dpi := h.size()
	return saveChart(path, w, ht, dpi, h.Draw)
}

// Encode writes h to w in format "png", "svg" or "pdf".
func (h *TableHeatmapChart) Encode(w io.Writer, format string) error {
	wd, ht, dpi := h.size()
	return encodeChart(w, format, wd, ht, dpi, h.Draw)
}

// dims returns the number of rows and columns drawn.
func (h *TableHeatmapChart) dims() (rows, cols int) {
	rows, cols = max(len(h.RowLabels), len(h.Values)), len(h.ColLabels)
	for _, r := range h.Values {
		cols = max(cols, len(r))
	}
	return max(rows, 1), max(cols, 1)
}

func labelAt(ls []string, i int) string {
	if i < len(ls) {
		return ls[i]
	}
	return ""
}

// scale returns the colour range.
func (h *TableHeatmapChart) scale() (lo, hi float64) {
	return (&HeatmapChart{Min: h.Min, Max: h.Max, Matrices: []Matrix{{Values: h.Values}}}).scale()
}

// Draw draws h onto c, filling it.
func (h *TableHeatmapChart) Draw(c draw.Canvas) {
	fillRect(c, c.Rectangle, color.White)
	c = draw.Crop(c, outerMargin, -outerMargin, outerMargin, -outerMargin)
	if h.Title != "" {
		fillTextAt(c, aligned(fitTitle(h.Title, c.Max.X-c.Min.X), draw.XCenter, draw.YTop), vg.Point{X: c.Center().X, Y: c.Max.Y}, h.Title)
		c.Max.Y -= textHeight(titleStyle) + gapTitle
	}
	noteStyle := textStyle(sizeNote, false, mutedColor)
	if h.Note != "" {
		fillTextAt(c, aligned(noteStyle, draw.XLeft, draw.YBottom), vg.Point{X: c.Min.X, Y: c.Min.Y}, h.Note)
		c.Min.Y += textHeight(noteStyle) + gapTitle
	}
	nr, nc := h.dims()
	lo, hi := h.scale()
	cs := newColorScale(lo, hi)
	barW, barGap := vg.Points(11), vg.Points(14)
	ticks := linearTicks{n: 5, percent: h.Percent}.Ticks(lo, hi)
	barTick := textStyle(sizeTick, false, inkColor)
	var barLabelW vg.Length
	for _, t := range ticks {
		barLabelW = max(barLabelW, barTick.Width(t.Label))
	}
	right := barGap + barW + vg.Points(5) + barLabelW
	availH := c.Max.Y - c.Min.Y

	var (
		tick         text.Style
		left, drop   vg.Length
		cw, ch       vg.Length
		colW         vg.Length
		rotate, fits bool
	)
	layout := func(size float64) {
		tick = textStyle(size, false, inkColor)
		var rowW vg.Length
		for i := range nr {
			rowW = max(rowW, tick.Width(labelAt(h.RowLabels, i)))
		}
		colW = 0
		for j := range nc {
			colW = max(colW, tick.Width(labelAt(h.ColLabels, j)))
		}
		left = rowW + vg.Points(5)
		cw = (c.Max.X - c.Min.X - left - right) / vg.Length(nc)
		rotate = cw < colW+vg.Points(4)
		drop = textHeight(tick) + 4
		if rotate {
			drop = vg.Length((colW+textHeight(tick))*vg.Length(math.Sqrt2/2)) + 4
		}
		ch = min((availH-drop)/vg.Length(nr), vg.Points(40))
		fits = cw > 0 && ch > 0 && size <= 0.62*float64(min(cw, ch)) && left < (c.Max.X-c.Min.X)/2
	}
	size := float64(sizeTick)
	for layout(size); !fits && size > 4; layout(size) {
		size -= 0.5
	}
	cw, ch = max(cw, 1), max(ch, 1)
	gridW, gridH := vg.Length(cw*vg.Length(nc)), vg.Length(ch*vg.Length(nr))
	x0 := c.Min.X + left
	top := c.Max.Y - vg.Length(max(availH-gridH-drop, 0)/2)

	valueSize := math.Min(math.Max(float64(min(cw, ch))*0.3, 5), 9)
	valueStyle := aligned(textStyle(valueSize, false, inkColor), draw.XCenter, draw.YCenter)
	showValues := cw >= 22 && ch >= 12
	drawCellGrid(c, cs, vg.Point{X: x0, Y: top}, cw, ch, nr, nc, func(i, j int) float64 {
		if i < len(h.Values) && j < len(h.Values[i]) {
			return h.Values[i][j]
		}
		return math.NaN()
	}, valueStyle, showValues, h.Percent)
	for i := range nr {
		fillTextAt(c, aligned(tick, draw.XRight, draw.YCenter), vg.Point{X: x0 - vg.Points(4), Y: top - vg.Length((vg.Length(i)+0.5)*ch)}, labelAt(h.RowLabels, i))
	}
	for j := range nc {
		x := x0 + vg.Length((vg.Length(j)+0.5)*cw)
		if rotate {
			sty := aligned(tick, draw.XRight, draw.YCenter)
			sty.Rotation = math.Pi / 4
			c.FillText(sty, vg.Point{X: x + vg.Points(2), Y: top - gridH - vg.Points(4)}, labelAt(h.ColLabels, j))
		} else {
			fillTextAt(c, aligned(tick, draw.XCenter, draw.YTop), vg.Point{X: x, Y: top - gridH - vg.Points(3)}, labelAt(h.ColLabels, j))
		}
	}

	// Colour bar with ticks, as tall as the grid.
	bx := x0 + gridW + barGap
	drawColorBar(c, cs, lo, hi, ticks, barTick, vg.Rectangle{Min: vg.Point{X: bx, Y: top - gridH}, Max: vg.Point{X: bx + barW, Y: top}})
}

var _ Chart = (*TableHeatmapChart)(nil)
