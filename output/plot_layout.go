package output

import (
	"image/color"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

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
// of the data area instead, running on beside the cells below it when it
// needs to, but never over their titles. Nothing is ever drawn over the
// data, and no label over another.

// Layout constants, in points.
const (
	outerMargin    vg.Length = 8
	gapTitle       vg.Length = 8  // below the figure title
	gapCols        vg.Length = 20 // between grid columns
	gapRows        vg.Length = 16 // between grid rows
	gapHeader      vg.Length = 3  // between header lines
	swatchWidth    vg.Length = 16
	swatchGap      vg.Length = 4
	legendSep      vg.Length = 14 // between legend entries in a row
	legendRowGap   vg.Length = 3
	minDataSize    vg.Length = 20
	legendMaxRows            = 2
	legendMaxCols            = 2   // columns of a legend on the right
	markMaxRows              = 3   // stagger rows of marker labels
	markClusterGap vg.Length = 3   // numbered marker lines closer than this share a label
	markClear      vg.Length = 1.5 // between a marker's line and another's label
)

// swatchKind is the shape of a legend swatch.
type swatchKind int

const (
	swatchLine swatchKind = iota
	swatchBox
	swatchDot
	swatchKey  // the number of an event marker, in a key of crowded markers
	swatchNone // no swatch: a note, such as the events a full legend leaves out
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
	key   string // its number, once the cell's marks are keyed
}

// cell is one plot in a grid together with what is drawn around it.
type cell struct {
	plt    *plot.Plot
	title  string
	legend []legendItem
	marks  []markLabel // labelled above the data area
	keyed  bool        // crowded marks are numbered, their labels in the legend
	showX  bool        // draw x tick labels and the x axis label
	// eventList names where the events are listed in full, for the note
	// that ends a legend too long to show every one ("report.md").
	eventList string
	row       int
	col       int

	// setTicks, when set, installs tick markers sized for a data area
	// of the given width and height. It is called before every layout
	// pass.
	setTicks func(w, h vg.Length)

	// Filled in by layout.
	legendRight bool
	legendFlow  [][]legendItem
	legendCols  [][]legendItem // the right-hand legend, column by column
	legendColW  []vg.Length    // the width of each of its columns
	legendSegs  []legendSeg    // where a column of the right-hand legend has room
	markRow     []int          // stagger row of each mark
	markText    []string       // what is printed above each mark's line
	markGroup   [][]int        // the marks a printed label stands for, in x order
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

// layoutCells draws a titled grid of cells onto c, with the note lines
// under the title (headNotes).
func layoutCells(c draw.Canvas, title string, notes []string, cells []*cell, cols int) {
	fillRect(c, c.Rectangle, color.White)
	in := draw.Crop(c, outerMargin, -outerMargin, outerMargin, -outerMargin)
	y := in.Max.Y
	if title != "" {
		fillTextAt(c, aligned(fitTitle(title, in.Max.X-in.Min.X), draw.XCenter, draw.YTop), vg.Point{X: in.Center().X, Y: y}, title)
		y -= textHeight(titleStyle) + gapHeader
	}
	for _, l := range headNotes(notes, in.Max.X-in.Min.X) {
		fillTextAt(c, aligned(noteStyle, draw.XCenter, draw.YTop), vg.Point{X: in.Center().X, Y: y}, l)
		y -= textHeight(noteStyle) + noteGap
	}
	if len(cells) == 0 {
		return
	}
	c, g := planCells(c, title, notes, cells, cols)
	g.draw(c, cells)
}

// Note lines under a figure's title.
const (
	noteGap      vg.Length = 1 // between note lines
	maxNoteLines           = 2 // lines a note is wrapped onto
)

// noteStyle is the style of the note lines under a figure's title.
var noteStyle = textStyle(sizeLegend, false, inkColor)

// headNotes returns the lines printed under a figure's title for notes,
// on a figure whose title has the width w: each note wrapped at spaces
// onto at most maxNoteLines lines (wrapText).
func headNotes(notes []string, w vg.Length) []string {
	var lines []string
	for _, n := range notes {
		lines = append(lines, wrapText(noteStyle, n, w, maxNoteLines)...)
	}
	return lines
}

// headHeight returns the height of a figure's title and the note lines
// under it, with the gap below them.
func headHeight(title string, lines []string) vg.Length {
	var h vg.Length
	if title != "" {
		h += textHeight(titleStyle)
	}
	if n := len(lines); n > 0 {
		if title != "" {
			h += gapHeader
		}
		h += vg.Length(vg.Length(n)*textHeight(noteStyle)) + vg.Length(vg.Length(n-1)*noteGap)
	}
	if h > 0 {
		h += gapTitle
	}
	return h
}

// wrapText breaks s into lines at most w wide in sty: at spaces, or
// within a word too wide for a line of its own. Past maxLines lines the
// last line holds all the rest, shortened in the middle (fitText), so
// that the end of s is still shown.
func wrapText(sty text.Style, s string, w vg.Length, maxLines int) []string {
	var lines []string
	rest := strings.TrimSpace(s)
	for rest != "" {
		if len(lines) == maxLines-1 {
			return append(lines, fitText(sty, rest, w))
		}
		n := fitPrefix(sty, rest, w)
		lines = append(lines, strings.TrimRight(rest[:n], " "))
		rest = strings.TrimLeft(rest[n:], " ")
	}
	return lines
}

// fitPrefix returns the length in bytes of the longest start of s that
// is at most w wide in sty and ends before a space (or is all of s).
// When none fits, or the word after it is too wide for a line of its
// own (and so is broken anyway), it is the most runes that fit, at
// least one.
func fitPrefix(sty text.Style, s string, w vg.Length) int {
	if sty.Width(s) <= w {
		return len(s)
	}
	best := 0
	for i, r := range s {
		if r == ' ' && i > 0 {
			if sty.Width(s[:i]) > w {
				break
			}
			best = i
		}
	}
	next := strings.TrimLeft(s[best:], " ")
	if end := strings.IndexByte(next, ' '); end >= 0 {
		next = next[:end]
	}
	if best > 0 && sty.Width(next) <= w {
		return best
	}
	_, size := utf8.DecodeRuneInString(s)
	best = size
	for i := range s {
		if i > 0 && sty.Width(s[:i]) <= w {
			best = i
		} else if i > 0 {
			break
		}
	}
	return best
}

// planCells sizes the grid of cells on canvas c below the title and its
// notes: it returns the canvas the grid fills and its geometry. It draws
// nothing (c may be a bare rectangle, to measure a figure before drawing
// it).
func planCells(c draw.Canvas, title string, notes []string, cells []*cell, cols int) (draw.Canvas, gridGeometry) {
	c = draw.Crop(c, outerMargin, -outerMargin, outerMargin, -outerMargin)
	c.Max.Y -= headHeight(title, headNotes(notes, c.Max.X-c.Min.X))
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
	full := make([]vg.Length, cols) // data area widths before legends
	for col := range full {
		full[col] = g.tileW - g.colLeft[col] - g.colRight[col]
	}
	for _, cl := range cells {
		cl.keyMarks(full[cl.col])
	}
	// Legends: above the data area when they fit in legendMaxRows rows,
	// otherwise on the right, beside the data area and no lower than its
	// bottom (or its x axis, in the bottom row): in one column at most
	// half the data area wide, or in legendMaxCols columns when one is
	// too long, each at most a third of it wide. A name too long for its
	// row or column is shortened in the middle (a long asset id), rather
	// than run off the figure. A legend still too long ends in a note of
	// the events it leaves out. The height the right-hand legends have
	// depends on the headers, and so on the widths they leave: measure
	// again while the number of columns changes.
	for _, cl := range cells {
		cl.legendRight = len(flowLegend(cl.legend, full[cl.col])) > legendMaxRows
		fitLegend(cl.legend, full[cl.col])
		cl.legendCols, cl.legendSegs = nil, nil
		if cl.legendRight {
			fitLegend(cl.legend, vg.Length(float64(full[cl.col]/2))) // rounded: not fused into fitLegend
			cl.legendCols = [][]legendItem{cl.legend}
		}
	}
	for range 4 {
		for col := range g.colLegend {
			g.colLegend[col] = 0
		}
		for _, cl := range cells {
			g.colLegend[cl.col] = max(g.colLegend[cl.col], cl.measureLegendCols())
		}
		for col := range g.dataW {
			g.dataW[col] = max(full[col]-g.colLegend[col], minDataSize)
		}
		g.measureHeaders(c, cells)
		changed := false
		for _, cl := range cells {
			if !cl.legendRight {
				continue
			}
			cl.legendSegs = legendSegs(cl, g, cells)
			rows := 0
			for _, sg := range cl.legendSegs {
				rows += sg.n
			}
			n := min((len(cl.legend)+rows-1)/rows, legendMaxCols)
			if n > 1 {
				fitLegend(cl.legend, vg.Length(float64(full[cl.col]/vg.Length(n+1)))) // rounded: not fused into fitLegend
			}
			split := splitLegend(cl.legend, rows, n, cl.eventList)
			if !sameSplit(split, cl.legendCols) {
				cl.legendCols, changed = split, true
			}
		}
		if !changed {
			break
		}
	}
	for _, cl := range cells {
		cl.measureLegendCols()
	}
	return g
}

// measureLegendCols sets the width of each column of cl's right-hand
// legend, its widest entry, and returns the room they take with the gaps
// after each.
func (cl *cell) measureLegendCols() vg.Length {
	cl.legendColW = cl.legendColW[:0]
	var w vg.Length
	for _, items := range cl.legendCols {
		var cw vg.Length
		for _, it := range items {
			cw = max(cw, it.width())
		}
		cl.legendColW = append(cl.legendColW, cw)
		w += cw + vg.Points(10)
	}
	return w
}

// sameSplit reports whether a and b hold the same columns of entries.
func sameSplit(a, b [][]legendItem) bool {
	return slices.EqualFunc(a, b, func(x, y []legendItem) bool {
		return slices.EqualFunc(x, y, func(p, q legendItem) bool { return p.name == q.name })
	})
}

// measureHeaders lays out the legends above the data areas and the marker
// labels of cells, and from them sets the header heights and the common
// data-area height of g.
func (g *gridGeometry) measureHeaders(c draw.Canvas, cells []*cell) {
	for r := range g.rowHeader {
		g.rowHeader[r] = 0
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
	avail := c.Max.Y - c.Min.Y - g.xAxisH - vg.Length(vg.Length(g.rows-1)*gapRows)
	for _, h := range g.rowHeader {
		avail -= h
	}
	g.dataH = max(avail/vg.Length(g.rows), minDataSize)
}

// legendSeg is a stretch of the right-hand legend's column: n entries
// from the top of the data area of the grid row row below the legend's.
type legendSeg struct{ row, n int }

// legendSegs returns where a column of the right-hand legend of cl has
// room: beside its data area, and on down beside the cells below it in
// its column, down to one with a right-hand legend of its own. The
// column runs on past the header of a cell below when the cell's title
// stops short of the legend, and otherwise starts again beside its data
// area, so that no entry is drawn over a title. Beside the bottom row it
// reaches down to the bottom of the x axis.
func legendSegs(cl *cell, g gridGeometry, cells []*cell) []legendSeg {
	rowH := legendRowHeight()
	legendX := g.dataW[cl.col] + g.colRight[cl.col] + vg.Points(10) // from the left of the data area
	var segs []legendSeg
	var h vg.Length // the height of the stretch so far
	for r := cl.row; r < g.rows; r++ {
		k := r*g.cols + cl.col
		if k >= len(cells) || (r > cl.row && cells[k].legendRight) {
			break
		}
		below := cells[k]
		switch {
		case r == cl.row:
			segs = append(segs, legendSeg{row: 0})
		case panelStyle.Width(below.title)+vg.Points(8) <= legendX:
			h += gapRows + g.rowHeader[r] // on past the header
		default:
			segs[len(segs)-1].n = int(h / rowH)
			segs = append(segs, legendSeg{row: r - cl.row})
			h = 0
		}
		h += g.dataH
		if below.showX {
			h += g.xAxisH
		}
	}
	segs[len(segs)-1].n = int(h / rowH)
	segs[0].n = max(segs[0].n, 1)
	return segs
}

// splitLegend breaks items into at most cols columns of at most rows
// entries each. When they do not all fit, the last entries shown are a
// note of the entries left out: "events 17–30 not shown" when they are
// all numbered events (then "see " and list, on a line of its own, when
// list is set), else how many entries are left out. No entry is left out
// without saying so.
func splitLegend(items []legendItem, rows, cols int, list string) [][]legendItem {
	if len(items) > rows*cols {
		var notes []legendItem
		for keep := rows*cols - 1; keep >= 0; keep-- {
			left := items[keep:]
			notes = []legendItem{{name: strconv.Itoa(len(left)) + " more entries not shown", kind: swatchNone}}
			events := true
			for _, it := range left {
				events = events && it.kind == swatchKey
			}
			if events {
				first, last := left[0].key, left[len(left)-1].key
				notes[0].name = "events " + first + "–" + last + " not shown"
				if first == last {
					notes[0].name = "event " + first + " not shown"
				}
				if list != "" {
					notes = append(notes, legendItem{name: "see " + list, kind: swatchNone})
				}
			}
			if keep+len(notes) <= rows*cols || keep == 0 {
				items = append(items[:keep:keep], notes...)
				break
			}
		}
	}
	var out [][]legendItem
	for len(items) > 0 {
		n := min(rows, len(items))
		out = append(out, items[:n])
		items = items[n:]
	}
	return out
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

// layoutMarks decides what is printed above each marker line of the cell
// and assigns it a stagger row, given a data area of width w: a label
// (or, once the cell's marks are keyed, the numbers of the marks whose
// lines lie within markClusterGap of each other or would cross the label
// of those before them, one label for them all, centred on them: "6,9",
// and "2–5" for a run of three or more numbers) in the lowest row where it is clear of the labels beside it,
// of the lines of labels above it, and where its own line up from the
// data area crosses no label below. Labels that find no such row among
// the first markMaxRows are left out rather than drawn over another;
// their lines are still drawn.
func (cl *cell) layoutMarks(w vg.Length) {
	cl.markRow = make([]int, len(cl.marks))
	cl.markText = make([]string, len(cl.marks))
	cl.markGroup = make([][]int, len(cl.marks))
	cl.markRows = 0
	if len(cl.marks) == 0 {
		return
	}
	order := cl.marksByX()
	lineX := func(i int) vg.Length { return vg.Length(vg.Length(cl.plt.X.Norm(cl.marks[i].x)) * w) }
	if !cl.keyed {
		for i, m := range cl.marks {
			cl.markText[i] = m.label
			cl.markGroup[i] = []int{i}
		}
	} else {
		head := -1
		var keys, group []int
		join := func() string { return keyRuns(slices.Compact(slices.Sorted(slices.Values(keys)))) }
		flush := func() {
			if head >= 0 {
				cl.markText[head] = join()
				cl.markGroup[head] = group
			}
			head, keys, group = -1, keys[:0], nil
		}
		for _, i := range order {
			n, err := strconv.Atoi(cl.marks[i].key)
			if err != nil {
				continue // an unlabelled mark
			}
			if head >= 0 {
				// A line that would cross the group's label, or pass
				// close by it, joins it.
				cl.markGroup[head] = group
				_, hi := cl.markExtent(cl.markAt(head), join(), 0, w)
				if lineX(i) > max(hi+2*markClear, lineX(head)+markClusterGap) {
					flush()
				}
			}
			if head < 0 {
				head = i
			}
			keys, group = append(keys, n), append(group, i)
		}
		flush()
	}
	type placed struct {
		lo, hi, x0, x1 vg.Length // the label, and the lines up to it
		row            int
	}
	var done []placed
	const pad = vg.Length(4) // between labels in a row
	const clear = markClear
	free := func(lo, hi, x0, x1 vg.Length, r int) bool {
		for _, p := range done {
			switch {
			case p.row == r && lo <= p.hi+pad && hi+pad >= p.lo:
				return false // beside another label
			case p.row < r && x1 >= p.lo-clear && x0 <= p.hi+clear:
				return false // its line would cross a label below
			case p.row > r && p.x1 >= lo-clear && p.x0 <= hi+clear:
				return false // a line to a label above would cross it
			}
		}
		return true
	}
	for _, i := range order {
		if cl.markText[i] == "" {
			cl.markRow[i] = -1
			continue
		}
		lo, hi := cl.markExtent(cl.markAt(i), cl.markText[i], 0, w)
		g := cl.markGroup[i]
		x0, x1 := lineX(g[0]), lineX(g[len(g)-1])
		r := 0
		for r < markMaxRows && !free(lo, hi, x0, x1, r) {
			r++
		}
		if r == markMaxRows {
			cl.markRow[i] = -1 // no room: keep the line, drop the label
			continue
		}
		done = append(done, placed{lo: lo, hi: hi, x0: x0, x1: x1, row: r})
		cl.markRow[i] = r
		cl.markRows = max(cl.markRows, r+1)
	}
}

// keyRuns writes the ascending numbers ks as the label of a group of
// marker lines: separated by commas, a run of three or more as its first
// and last joined by a dash ("2–5,9").
func keyRuns(ks []int) string {
	var parts []string
	for i := 0; i < len(ks); {
		j := i
		for j+1 < len(ks) && ks[j+1] == ks[j]+1 {
			j++
		}
		switch {
		case j-i >= 2:
			parts = append(parts, strconv.Itoa(ks[i])+"–"+strconv.Itoa(ks[j]))
		case j > i:
			parts = append(parts, strconv.Itoa(ks[i]), strconv.Itoa(ks[j]))
		default:
			parts = append(parts, strconv.Itoa(ks[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

// markAt returns where the label printed for mark i is centred, in data
// coordinates: midway between the first and last lines it stands for.
func (cl *cell) markAt(i int) float64 {
	g := cl.markGroup[i]
	if len(g) == 0 {
		return cl.marks[i].x
	}
	return (cl.marks[g[0]].x + cl.marks[g[len(g)-1]].x) / 2
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
// in two staggered rows over a data area w wide, or one of whose labels is
// wider than the data area: each line is then
// labelled with its number, and the legend lists the numbers with their
// labels, so that no label is left out and none sits over another's
// line. Marks that share a label share its number and its one legend
// entry, wherever they fall (a programme of purchases on many days,
// between which other events come); numbers go to the labels in the
// order of their first lines.
func (cl *cell) keyMarks(w vg.Length) {
	if cl.keyed {
		return
	}
	cl.layoutMarks(w)
	fits := cl.markRows <= 2
	for i, m := range cl.marks {
		// A label wider than the data area (and the 4 points markExtent
		// lets it reach left of it) would run past the figure's edge: it
		// goes to the legend, which shortens what does not fit there.
		fits = fits && (m.label == "" || cl.markRow[i] >= 0 && markStyle.Width(m.label) <= w+vg.Points(4))
	}
	if fits {
		return
	}
	cl.keyed = true
	keys := map[string]string{} // looked up only, never ranged over
	for _, i := range cl.marksByX() {
		l := cl.marks[i].label
		if l == "" {
			continue
		}
		k, ok := keys[l]
		if !ok {
			k = strconv.Itoa(len(keys) + 1)
			keys[l] = k
			cl.legend = append(cl.legend, legendItem{name: l, kind: swatchKey, key: k})
		}
		cl.marks[i].key = k
	}
}

// markExtent returns the horizontal extent of label, printed above the
// line at x, when the data area spans [x0, x0+w]: centred on the line,
// but kept inside.
func (cl *cell) markExtent(x float64, label string, x0, w vg.Length) (lo, hi vg.Length) {
	lw := markStyle.Width(label)
	at := x0 + vg.Length(vg.Length(cl.plt.X.Norm(x))*w)
	lo = at - vg.Length(lw/2)
	lo = max(min(lo, x0+w-lw), x0-vg.Points(4))
	return lo, lo + lw
}

// rowTops returns the tops of the rows of g on c, from the top down, and
// the tops of their data areas.
func (g gridGeometry) rowTops(c draw.Canvas) (top, dataTop []vg.Length) {
	top, dataTop = make([]vg.Length, g.rows), make([]vg.Length, g.rows)
	y := c.Max.Y
	for r := range g.rows {
		top[r] = y
		dataTop[r] = y - g.rowHeader[r]
		y -= g.rowHeader[r] + g.dataH + gapRows
	}
	return top, dataTop
}

// draw draws every cell at its measured place.
func (g gridGeometry) draw(c draw.Canvas, cells []*cell) {
	top, dataTop := g.rowTops(c)
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
		drawCell(c, cl, data, top[cl.row]-g.rowHeader[cl.row]+cl.header, g.colRight[cl.col], dataTop[cl.row:])
	}
}

// legendPlaces returns the top-left corner of each entry of the right-hand
// legend of cl, column by column, when its first column starts at x and
// dataTop holds the tops of the data areas of cl's row and the rows below.
func (cl *cell) legendPlaces(x vg.Length, dataTop []vg.Length) [][]vg.Point {
	var out [][]vg.Point
	for k, items := range cl.legendCols {
		var col []vg.Point
		seg, n := 0, 0 // the stretch of the column the entry goes in, and the entries there
		for range items {
			for seg < len(cl.legendSegs)-1 && n >= cl.legendSegs[seg].n {
				seg, n = seg+1, 0
			}
			top := dataTop[0]
			if seg < len(cl.legendSegs) {
				top = dataTop[cl.legendSegs[seg].row]
			}
			col = append(col, vg.Point{X: x, Y: top - vg.Length(vg.Length(n)*legendRowHeight())})
			n++
		}
		out = append(out, col)
		x += cl.legendColW[k] + vg.Points(10)
	}
	return out
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
// the top of its header, and dataTop holds the tops of the data areas of
// its row and the rows below (for a right-hand legend that runs on
// beside them).
func drawCell(c draw.Canvas, cl *cell, data vg.Rectangle, headerTop, rightPad vg.Length, dataTop []vg.Length) {
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
	at := cl.legendPlaces(data.Max.X+rightPad+vg.Points(10), dataTop)
	for k, items := range cl.legendCols {
		for j, it := range items {
			drawLegendItem(c, it, at[k][j].X, at[k][j].Y)
		}
	}
	w := data.Max.X - data.Min.X
	rowH := textHeight(markStyle) + 1
	for i := range cl.marks {
		r := cl.markRow[i]
		if r < 0 {
			continue
		}
		lo, _ := cl.markExtent(cl.markAt(i), cl.markText[i], data.Min.X, w)
		bottom := data.Max.Y + 1 + vg.Length(vg.Length(r)*rowH)
		fillTextAt(c, aligned(markStyle, draw.XLeft, draw.YBottom), vg.Point{X: lo, Y: bottom}, cl.markText[i])
		if r > 0 {
			for _, j := range cl.markGroup[i] {
				x := data.Min.X + vg.Length(vg.Length(cl.plt.X.Norm(cl.marks[j].x))*w)
				c.StrokeLine2(markerLine, x, data.Max.Y, x, bottom)
			}
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
