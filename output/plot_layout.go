package output

import (
	"image/color"
	"math"
	"sort"
	"strconv"

	"github.com/cascade-sim/cascade/core/dmath"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file lays out one or more gonum plots ("cells") on a canvas: a
// figure title, then a grid of cells whose data areas are aligned across
// rows and columns. Each cell has a header above its data area holding,
// from top to bottom, its title, its legend (flowed in rows) and the labels
// of its event markers; a legend too long for two rows moves to the right
// of the data area instead. Nothing is ever drawn over the data.

// Layout constants, in points.
const (
	outerMargin   vg.Length = 8
	gapTitle      vg.Length = 8  // below the figure title
	gapCols       vg.Length = 20 // between grid columns
	gapRows       vg.Length = 16 // between grid rows
	gapHeader     vg.Length = 3  // between header lines
	swatchWidth   vg.Length = 16
	swatchGap     vg.Length = 4
	legendSep     vg.Length = 14 // between legend entries in a row
	legendRowGap  vg.Length = 3
	minDataSize   vg.Length = 20
	legendMaxRows           = 2
)

// swatchKind is the shape of a legend swatch.
type swatchKind int

const (
	swatchLine swatchKind = iota
	swatchBox
	swatchDot
	swatchKey // the number of an event marker, in a key of crowded markers
)

// legendItem is one legend entry.
type legendItem struct {
	name string
	kind swatchKind
	line draw.LineStyle // swatchLine
	fill color.Color    // swatchBox, swatchDot
	key  string         // swatchKey
}

// markLabel is the label of a vertical event marker.
type markLabel struct {
	x     float64 // data coordinate
	label string
}

// cell is one plot in a grid together with what is drawn around it.
type cell struct {
	plt    *plot.Plot
	title  string
	legend []legendItem
	marks  []markLabel // labelled above the data area
	keyed  bool        // crowded marks are numbered, their labels in the legend
	showX  bool        // draw x tick labels and the x axis label
	row    int
	col    int

	// setTicks, when set, installs tick markers sized for a data area
	// of the given width and height. It is called before every layout
	// pass.
	setTicks func(w, h vg.Length)

	// Filled in by layout.
	legendRight bool
	legendFlow  [][]legendItem
	markRow     []int // stagger row of each mark
	markRows    int
	header      vg.Length
}

var (
	legendStyle = textStyle(sizeLegend, false, inkColor)
	panelStyle  = textStyle(sizePanel, true, inkColor)
	titleStyle  = textStyle(sizeTitle, true, inkColor)
	markStyle   = textStyle(sizeNote, false, mutedColor)
)

// width returns the width of a legend entry.
func (it legendItem) width() vg.Length {
	return swatchWidth + swatchGap + legendStyle.Width(it.name)
}

// legendRowHeight is the height of one legend row.
func legendRowHeight() vg.Length { return textHeight(legendStyle) + legendRowGap }

// fitLegend shortens the names of items so that each entry is at most w
// wide (fitText).
func fitLegend(items []legendItem, w vg.Length) {
	for i := range items {
		items[i].name = fitText(legendStyle, items[i].name, w-swatchWidth-swatchGap)
	}
}

// fitText returns s if it is at most w wide in sty, else s with runes
// taken out of its middle for an ellipsis, as many as it takes: both
// ends of an id stay, which tell apart ids that share a long prefix.
func fitText(sty text.Style, s string, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for n := len(r) - 1; n > 0; n-- {
		t := string(r[:(n+1)/2]) + "…" + string(r[len(r)-n/2:])
		if sty.Width(t) <= w {
			return t
		}
	}
	return "…"
}

// flowLegend breaks items into rows no wider than w.
func flowLegend(items []legendItem, w vg.Length) [][]legendItem {
	var rows [][]legendItem
	var row []legendItem
	var x vg.Length
	for _, it := range items {
		iw := it.width()
		if len(row) > 0 && x+legendSep+iw > w {
			rows = append(rows, row)
			row, x = nil, 0
		}
		if len(row) > 0 {
			x += legendSep
		}
		row = append(row, it)
		x += iw
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

// drawSwatch draws the swatch of it in the box whose left edge is x and
// vertical centre is y.
func drawSwatch(c draw.Canvas, it legendItem, x, y vg.Length) {
	h := textHeight(legendStyle) * 0.7
	switch it.kind {
	case swatchLine:
		sty := it.line
		sty.Width = vg.Length(math.Max(float64(sty.Width), 1.5))
		c.StrokeLine2(sty, x, y, x+swatchWidth, y)
	case swatchBox:
		r := vg.Rectangle{Min: vg.Point{X: x + 2, Y: y - vg.Length(h/2)}, Max: vg.Point{X: x + swatchWidth - 2, Y: y + vg.Length(h/2)}}
		fillRect(c, r, it.fill)
	case swatchKey:
		fillTextAt(c, aligned(markStyle, draw.XCenter, draw.YCenter), vg.Point{X: x + swatchWidth/2, Y: y}, it.key)
	case swatchDot:
		var p vg.Path
		rad := h / 2.5
		p.Move(vg.Point{X: x + swatchWidth/2 + rad, Y: y})
		p.Arc(vg.Point{X: x + swatchWidth/2, Y: y}, rad, 0, 2*math.Pi)
		p.Close()
		c.SetColor(it.fill)
		c.Fill(p)
	}
}

// drawLegendItem draws one entry with its top-left corner at (x, top).
func drawLegendItem(c draw.Canvas, it legendItem, x, top vg.Length) {
	h := textHeight(legendStyle)
	drawSwatch(c, it, x, top-vg.Length(h/2))
	fillTextAt(c, aligned(legendStyle, draw.XLeft, draw.YTop), vg.Point{X: x + swatchWidth + swatchGap, Y: top}, it.name)
}

// layoutCells draws a titled grid of cells onto c.
func layoutCells(c draw.Canvas, title string, cells []*cell, cols int) {
	fillRect(c, c.Rectangle, color.White)
	if title != "" {
		in := draw.Crop(c, outerMargin, -outerMargin, outerMargin, -outerMargin)
		fillTextAt(c, aligned(fitTitle(title, in.Max.X-in.Min.X), draw.XCenter, draw.YTop), vg.Point{X: in.Center().X, Y: in.Max.Y}, title)
	}
	if len(cells) == 0 {
		return
	}
	c, g := planCells(c, title, cells, cols)
	g.draw(c, cells)
}

// planCells sizes the grid of cells on canvas c below the title: it
// returns the canvas the grid fills and its geometry. It draws nothing
// (c may be a bare rectangle, to measure a figure before drawing it).
func planCells(c draw.Canvas, title string, cells []*cell, cols int) (draw.Canvas, gridGeometry) {
	c = draw.Crop(c, outerMargin, -outerMargin, outerMargin, -outerMargin)
	if title != "" {
		c.Max.Y -= textHeight(titleStyle) + gapTitle
	}
	cols = min(max(cols, 1), len(cells))
	rows := (len(cells) + cols - 1) / cols
	for i, cl := range cells {
		cl.row, cl.col = i/cols, i%cols
	}
	// Two passes: the first sizes the data areas with estimated tick
	// labels, the second re-creates the ticks for those sizes.
	var g gridGeometry
	dataW := (c.Max.X - c.Min.X - vg.Length(vg.Length(cols-1)*gapCols)) / vg.Length(cols)
	dataH := (c.Max.Y - c.Min.Y - vg.Length(vg.Length(rows-1)*gapRows)) / vg.Length(rows)
	for pass := 0; pass < 2; pass++ {
		for _, cl := range cells {
			w, h := dataW, dataH
			if pass > 0 {
				w, h = g.dataW[cl.col], g.dataH
			}
			if cl.setTicks != nil {
				cl.setTicks(w, h)
			}
		}
		g = measureGrid(c, cells, rows, cols)
	}
	return c, g
}

// minDataHeight is the least height of a data area: its y axis label
// (drawn along it, centred) fits beside it with room to spare. A shorter
// area makes the label reach above it, and gonum/plot then shrinks the
// area to fit the label, which the grid cannot correct for: the data
// area runs up into the legend above it.
func (cl *cell) minDataHeight() vg.Length {
	l := cl.plt.Y.Label
	if l.Text == "" {
		return minDataSize
	}
	return max(l.TextStyle.Width(l.Text)+vg.Points(4), minDataSize)
}

// gridGeometry is the outcome of measuring a grid of cells.
type gridGeometry struct {
	rows, cols int
	tileW      vg.Length
	colLeft    []vg.Length // y axis width per column
	colRight   []vg.Length // right overhang (tick labels) per column
	colLegend  []vg.Length // right-hand legend width per column
	dataW      []vg.Length // data area width per column
	rowHeader  []vg.Length
	xAxisH     vg.Length // height of a labelled x axis
	dataH      vg.Length
}

// axisExtent measures how far the axes of p reach beyond its data area
// when drawn on a canvas of the given size.
func axisExtent(p *plot.Plot, w, h vg.Length) (left, right, bottom, top vg.Length) {
	w = vg.Length(math.Max(float64(w), 200))
	h = vg.Length(math.Max(float64(h), 200))
	k := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}}
	dc := p.DataCanvas(k)
	return dc.Min.X - k.Min.X, k.Max.X - dc.Max.X, dc.Min.Y - k.Min.Y, k.Max.Y - dc.Max.Y
}

// measureGrid decides column widths, legend placement, header heights and
// the common data-area height.
func measureGrid(c draw.Canvas, cells []*cell, rows, cols int) gridGeometry {
	g := gridGeometry{
		rows: rows, cols: cols,
		colLeft:   make([]vg.Length, cols),
		colRight:  make([]vg.Length, cols),
		colLegend: make([]vg.Length, cols),
		dataW:     make([]vg.Length, cols),
		rowHeader: make([]vg.Length, rows),
	}
	g.tileW = (c.Max.X - c.Min.X - vg.Length(vg.Length(cols-1)*gapCols)) / vg.Length(cols)
	tileH := (c.Max.Y - c.Min.Y) / vg.Length(rows)
	for _, cl := range cells {
		l, r, b, _ := axisExtent(cl.plt, g.tileW, tileH)
		g.colLeft[cl.col] = max(g.colLeft[cl.col], l)
		g.colRight[cl.col] = max(g.colRight[cl.col], r, vg.Points(4))
		if cl.showX {
			g.xAxisH = max(g.xAxisH, b)
		}
	}
	// Rotated or wide x tick labels can reach left of the y axis.
	for _, cl := range cells {
		if cl.showX {
			w := g.tileW - g.colLeft[cl.col] - g.colRight[cl.col]
			g.colLeft[cl.col] = max(g.colLeft[cl.col], xLabelOverhang(cl.plt, w))
		}
	}
	for col := range g.dataW {
		g.dataW[col] = g.tileW - g.colLeft[col] - g.colRight[col]
	}
	for _, cl := range cells {
		cl.keyMarks(g.dataW[cl.col])
	}
	// Legends: above the data area when they fit in legendMaxRows rows,
	// otherwise in a column on the right, at most half the data area
	// wide. A name too long for its row or column is shortened in the
	// middle (a long asset id), rather than run off the figure.
	for _, cl := range cells {
		cl.legendRight = false
		fitLegend(cl.legend, g.dataW[cl.col])
		if len(flowLegend(cl.legend, g.dataW[cl.col])) > legendMaxRows {
			cl.legendRight = true
			fitLegend(cl.legend, vg.Length(float64(g.dataW[cl.col]/2))) // rounded: not fused into fitLegend
			var w vg.Length
			for _, it := range cl.legend {
				w = max(w, it.width())
			}
			g.colLegend[cl.col] = max(g.colLegend[cl.col], w+vg.Points(10))
		}
	}
	for col := range g.dataW {
		g.dataW[col] = max(g.dataW[col]-g.colLegend[col], minDataSize)
	}
	for _, cl := range cells {
		cl.legendFlow = nil
		if !cl.legendRight {
			cl.legendFlow = flowLegend(cl.legend, g.dataW[cl.col])
		}
		cl.layoutMarks(g.dataW[cl.col])
		var h vg.Length
		if cl.title != "" {
			h += textHeight(panelStyle) + gapHeader + 1
		}
		if n := len(cl.legendFlow); n > 0 {
			h += vg.Length(vg.Length(n)*legendRowHeight()) + gapHeader
		}
		if cl.markRows > 0 {
			h += vg.Length(vg.Length(cl.markRows) * (textHeight(markStyle) + 1))
		}
		if h > 0 {
			h += gapHeader
		}
		cl.header = h
		g.rowHeader[cl.row] = max(g.rowHeader[cl.row], h)
	}
	avail := c.Max.Y - c.Min.Y - g.xAxisH - vg.Length(vg.Length(rows-1)*gapRows)
	for _, h := range g.rowHeader {
		avail -= h
	}
	g.dataH = max(avail/vg.Length(rows), minDataSize)
	return g
}

// xLabelOverhang returns how far the x tick labels of p reach left of its
// data area when that is w wide.
func xLabelOverhang(p *plot.Plot, w vg.Length) vg.Length {
	if p.X.Tick.Marker == nil || !(p.X.Max > p.X.Min) {
		return 0
	}
	var need vg.Length
	for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if t.IsMinor() {
			continue
		}
		x := vg.Length(vg.Length(p.X.Norm(t.Value))*w) + p.X.Tick.Label.Rectangle(t.Label).Min.X
		need = max(need, -x)
	}
	return need
}

// layoutMarks assigns each marker label a stagger row so that labels in
// the same row do not overlap, given a data area of width w. Labels that
// find no free row among the first three are left out rather than drawn
// over each other; their lines are still drawn.
func (cl *cell) layoutMarks(w vg.Length) {
	cl.markRow = make([]int, len(cl.marks))
	cl.markRows = 0
	if len(cl.marks) == 0 {
		return
	}
	order := cl.marksByX()
	var rowEnd []vg.Length // right edge of the last label in each row
	const maxRows = 3
	for _, i := range order {
		m := cl.marks[i]
		if m.label == "" {
			cl.markRow[i] = -1
			continue
		}
		lo, hi := cl.markExtent(m, 0, w)
		r := 0
		for ; r < len(rowEnd); r++ {
			if lo > rowEnd[r]+vg.Points(4) {
				break
			}
		}
		if r == maxRows {
			cl.markRow[i] = -1 // no room: keep the line, drop the label
			continue
		}
		if r == len(rowEnd) {
			rowEnd = append(rowEnd, hi)
		} else {
			rowEnd[r] = max(rowEnd[r], hi)
		}
		cl.markRow[i] = r
	}
	cl.markRows = len(rowEnd)
}

// marksByX returns the indices of the cell's marks in the order of their
// lines, left to right.
func (cl *cell) marksByX() []int {
	order := make([]int, len(cl.marks))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return cl.marks[order[a]].x < cl.marks[order[b]].x })
	return order
}

// keyMarks numbers the marker labels of a cell whose labels do not all fit
// in two staggered rows over a data area w wide: each line is then
// labelled with its number, and the legend lists the numbers with their
// labels in the order of the lines, so that no label is left out and none
// sits over another's line.
func (cl *cell) keyMarks(w vg.Length) {
	if cl.keyed {
		return
	}
	cl.layoutMarks(w)
	fits := cl.markRows <= 2
	for i, m := range cl.marks {
		fits = fits && (m.label == "" || cl.markRow[i] >= 0)
	}
	if fits {
		return
	}
	cl.keyed = true
	n := 0
	for _, i := range cl.marksByX() {
		if cl.marks[i].label == "" {
			continue
		}
		n++
		key := strconv.Itoa(n)
		cl.legend = append(cl.legend, legendItem{name: cl.marks[i].label, kind: swatchKey, key: key})
		cl.marks[i].label = key
	}
}

// markExtent returns the horizontal extent of the label of m when the data
// area spans [x0, x0+w]: centred on the marker line, but kept inside.
func (cl *cell) markExtent(m markLabel, x0, w vg.Length) (lo, hi vg.Length) {
	lw := markStyle.Width(m.label)
	x := x0 + vg.Length(vg.Length(cl.plt.X.Norm(m.x))*w)
	lo = x - vg.Length(lw/2)
	lo = max(min(lo, x0+w-lw), x0-vg.Points(4))
	return lo, lo + lw
}

// draw draws every cell at its measured place.
func (g gridGeometry) draw(c draw.Canvas, cells []*cell) {
	// Row tops, from the top of c down.
	top := make([]vg.Length, g.rows)
	y := c.Max.Y
	for r := range g.rows {
		top[r] = y
		y -= g.rowHeader[r] + g.dataH + gapRows
	}
	for _, cl := range cells {
		// Move narrower y axes' labels out to the column edge so that the
		// y labels of a column line up.
		if cl.plt.Y.Label.Text != "" {
			l, _, _, _ := axisExtent(cl.plt, g.tileW, g.dataH)
			cl.plt.Y.Label.Padding += g.colLeft[cl.col] - l
		}
		x0 := c.Min.X + vg.Length(vg.Length(cl.col)*(g.tileW+gapCols))
		data := vg.Rectangle{
			Min: vg.Point{X: x0 + g.colLeft[cl.col], Y: top[cl.row] - g.rowHeader[cl.row] - g.dataH},
			Max: vg.Point{X: x0 + g.colLeft[cl.col] + g.dataW[cl.col], Y: top[cl.row] - g.rowHeader[cl.row]},
		}
		drawCell(c, cl, data, top[cl.row]-g.rowHeader[cl.row]+cl.header, g.colRight[cl.col])
	}
}

// canvasFor returns the canvas on c whose data canvas for p is data: it
// starts from a guess and corrects by the measured error (padding is
// nearly shift-invariant). It converges when data is at least as tall as
// p's y label is long (cell.minDataHeight, which Figure.size sees to).
func canvasFor(p *plot.Plot, c draw.Canvas, data vg.Rectangle) draw.Canvas {
	k := draw.Canvas{Canvas: c.Canvas, Rectangle: data}
	for range 3 {
		dc := p.DataCanvas(k)
		dx0, dx1 := dc.Min.X-data.Min.X, dc.Max.X-data.Max.X
		dy0, dy1 := dc.Min.Y-data.Min.Y, dc.Max.Y-data.Max.Y
		if math.Abs(float64(dx0))+math.Abs(float64(dx1))+math.Abs(float64(dy0))+math.Abs(float64(dy1)) < 0.01 {
			break
		}
		k.Min.X -= dx0
		k.Max.X -= dx1
		k.Min.Y -= dy0
		k.Max.Y -= dy1
	}
	return k
}

// drawCell draws cl so that its data area is exactly data; headerTop is
// the top of its header.
func drawCell(c draw.Canvas, cl *cell, data vg.Rectangle, headerTop, rightPad vg.Length) {
	cl.plt.Draw(canvasFor(cl.plt, c, data))

	// Header: title, legend rows, marker labels.
	y := headerTop
	if cl.title != "" {
		fillTextAt(c, aligned(panelStyle, draw.XLeft, draw.YTop), vg.Point{X: data.Min.X, Y: y}, cl.title)
		y -= textHeight(panelStyle) + gapHeader + 1
	}
	for _, row := range cl.legendFlow {
		x := data.Min.X
		for _, it := range row {
			drawLegendItem(c, it, x, y)
			x += it.width() + legendSep
		}
		y -= legendRowHeight()
	}
	if cl.legendRight {
		x := data.Max.X + rightPad + vg.Points(10)
		y := data.Max.Y
		for _, it := range cl.legend {
			drawLegendItem(c, it, x, y)
			y -= legendRowHeight()
		}
	}
	w := data.Max.X - data.Min.X
	rowH := textHeight(markStyle) + 1
	for i, m := range cl.marks {
		r := cl.markRow[i]
		if r < 0 {
			continue
		}
		lo, _ := cl.markExtent(m, data.Min.X, w)
		bottom := data.Max.Y + 1 + vg.Length(vg.Length(r)*rowH)
		fillTextAt(c, aligned(markStyle, draw.XLeft, draw.YBottom), vg.Point{X: lo, Y: bottom}, m.label)
		if r > 0 {
			x := data.Min.X + vg.Length(vg.Length(cl.plt.X.Norm(m.x))*w)
			c.StrokeLine2(markerLine, x, data.Max.Y, x, bottom)
		}
	}
}

// markerLine is the style of vertical event markers.
var markerLine = draw.LineStyle{
	Color:  color.NRGBA{0x44, 0x44, 0x44, 0xFF},
	Width:  vg.Points(0.8),
	Dashes: []vg.Length{vg.Points(3), vg.Points(2)},
}

// styleAxes gives p the package's axis look: sans-serif labels, a thin
// grey axis line flush with the data area, short outward ticks.
func styleAxes(p *plot.Plot) {
	p.BackgroundColor = nil
	p.Title.Text = ""
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Padding = 0
		a.LineStyle = frameLine
		a.Label.TextStyle = textStyle(sizeLabel, false, inkColor)
		a.Label.Padding = vg.Points(4)
		xa, ya := a.Tick.Label.XAlign, a.Tick.Label.YAlign
		a.Tick.Label = aligned(textStyle(sizeTick, false, inkColor), xa, ya)
		a.Tick.LineStyle = frameLine
		a.Tick.Length = vg.Points(3.5)
	}
	p.X.Label.TextStyle.XAlign = draw.XCenter
	p.Y.Label.TextStyle.XAlign = draw.XCenter
}

// hideXAxis removes tick labels, ticks and the label of the x axis.
func hideXAxis(p *plot.Plot) {
	p.X.Tick.Marker = plot.ConstantTicks{}
	p.X.Label.Text = ""
	p.X.Width = 0
}

// gridPlotter draws light grid lines at the major ticks of the tickers
// returned by xt and yt (either may be nil). The tickers are looked up at
// drawing time because layout replaces them.
func gridPlotter(xt, yt func() plot.Ticker) plot.Plotter {
	gridLine := draw.LineStyle{Color: gridColor, Width: vg.Points(0.6)}
	return plotterFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		if xt != nil {
			for _, t := range xt().Ticks(p.X.Min, p.X.Max) {
				if x := trX(t.Value); !t.IsMinor() && x > c.Min.X+0.5 && x < c.Max.X-0.5 {
					c.StrokeLine2(gridLine, x, c.Min.Y, x, c.Max.Y)
				}
			}
		}
		if yt != nil {
			for _, t := range yt().Ticks(p.Y.Min, p.Y.Max) {
				if y := trY(t.Value); !t.IsMinor() && y > c.Min.Y+0.5 && y < c.Max.Y-0.5 {
					c.StrokeLine2(gridLine, c.Min.X, y, c.Max.X, y)
				}
			}
		}
	})
}

// framePlotter outlines the data area.
var framePlotter = plotterFunc(func(c draw.Canvas, _ *plot.Plot) {
	r := c.Rectangle
	c.StrokeLines(frameLine, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
})

// notePlotter writes a muted note such as "no data" in the middle of the
// data area.
func notePlotter(note string) plot.Plotter {
	return plotterFunc(func(c draw.Canvas, _ *plot.Plot) {
		sty := aligned(textStyle(sizeLabel, false, mutedColor), draw.XCenter, draw.YCenter)
		fillTextAt(c, sty, c.Center(), note)
	})
}

// axisRange returns [lo, hi] padded by frac of the span on each side, with
// degenerate ranges widened so that gonum never sees an empty axis. Sides
// at exactly zero are not padded when zeroBase is set (bars, areas).
func axisRange(r valueRange, frac float64, zeroBase bool) (lo, hi float64) {
	if !r.ok() {
		return 0, 1
	}
	lo, hi = r.min, r.max
	if lo == hi {
		d := math.Abs(lo) * 0.1
		if d == 0 {
			d = 1
		}
		if zeroBase && lo == 0 {
			return 0, 1
		}
		return lo - d, hi + d
	}
	pad := float64((hi - lo) * frac)
	if !(zeroBase && lo == 0) {
		lo -= pad
	}
	if !(zeroBase && hi == 0) {
		hi += pad
	}
	return lo, hi
}

// logAxisRange is axisRange on a log scale: padding is multiplicative.
func logAxisRange(r valueRange, frac float64) (lo, hi float64) {
	if !r.ok() || r.min <= 0 {
		return 1, 10
	}
	if r.min == r.max {
		return r.min / 1.5, r.max * 1.5
	}
	f := dmath.Pow(r.max/r.min, frac)
	return r.min / f, r.max * f
}

// tickCount returns a sensible number of labelled ticks for an axis of
// length l whose labels need about per points each.
func tickCount(l, per vg.Length) int {
	return min(max(int(l/per), 2), 10)
}
