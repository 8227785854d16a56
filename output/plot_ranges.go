package output

import (
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Range is the spread of one row's values: its 5th, 25th, 50th, 75th and
// 95th percentiles. NaN marks a percentile that is not known.
type Range struct {
	P5, P25, P50, P75, P95 float64
}

// RangeChart draws the spread of a quantity for each of many rows, one
// row under another, such as each bank's loss across the runs of a Monte
// Carlo sweep: a line from the 5th to the 95th percentile, a box from the
// 25th to the 75th and a tick at the median. The rows are drawn in the
// order given, the first at the top; a row with no finite percentile is
// left empty.
type RangeChart struct {
	Title string
	Rows  []string
	// Ranges holds one Range per row.
	Ranges []Range
	// ValueLabel labels the value axis.
	ValueLabel string
	// Percent labels values in percent: 0.25 is shown as 25%.
	Percent bool

	// Width and Height give the output size; zero means DefaultWidth and
	// a height that fits the rows.
	Width, Height vg.Length
	// DPI is the PNG resolution; zero means DefaultDPI.
	DPI int
}

// rangeRowHeight is the height of a row of a RangeChart whose height is
// chosen to fit the rows.
const rangeRowHeight = 13 // points

// Ranges returns a chart of each row's range (see RangeChart).
func Ranges(title string, rows []string, ranges []Range) *RangeChart {
	return &RangeChart{Title: title, Rows: rows, Ranges: ranges}
}

// rows returns the number of rows drawn.
func (r *RangeChart) rows() int { return max(len(r.Rows), len(r.Ranges)) }

// size returns the effective output size of r.
func (r *RangeChart) size() (vg.Length, vg.Length, int) {
	def := max(DefaultHeight, vg.Length(vg.Length(r.rows())*rangeRowHeight)+1.6*vg.Inch)
	return chartSize(r.Width, r.Height, r.DPI, def)
}

// Save writes r to path as PNG, SVG or PDF, chosen by the file extension.
func (r *RangeChart) Save(path string) error {
	w, h, dpi := r.size()
	return saveChart(path, w, h, dpi, r.Draw)
}

// Encode writes r to w in format "png", "svg" or "pdf".
func (r *RangeChart) Encode(w io.Writer, format string) error {
	wd, ht, dpi := r.size()
	return encodeChart(w, format, wd, ht, dpi, r.Draw)
}

// Draw draws r onto c, filling it.
func (r *RangeChart) Draw(c draw.Canvas) {
	n := r.rows()
	plt := plot.New()
	styleAxes(plt)
	// Row i sits at n-1-i, so that the first row is at the top.
	pos := func(i int) float64 { return float64(n - 1 - i) }
	plt.Y.Min, plt.Y.Max = -0.5, math.Max(float64(n)-0.5, 0.5)
	ticks := make([]plot.Tick, n)
	for i := range n {
		name := ""
		if i < len(r.Rows) {
			name = r.Rows[i]
		}
		ticks[i] = plot.Tick{Value: pos(i), Label: name}
	}
	plt.Y.Tick.Marker = plot.ConstantTicks(ticks)

	vr := emptyRange()
	for _, q := range r.Ranges {
		for _, v := range []float64{q.P5, q.P25, q.P50, q.P75, q.P95} {
			if isFinite(v) {
				vr.add(v, false)
			}
		}
	}
	plt.X.Min, plt.X.Max = axisRange(vr, 0.03, false)
	plt.X.Label.Text = r.ValueLabel

	var xt plot.Ticker
	cl := &cell{plt: plt, showX: true}
	cl.setTicks = func(w, _ vg.Length) {
		xt = linearTicks{n: tickCount(w, vg.Points(60)), percent: r.Percent}
		plt.X.Tick.Marker = xt
	}
	plt.Add(gridPlotter(func() plot.Ticker { return xt }, nil))
	whisker := draw.LineStyle{Color: inkColor, Width: vg.Points(0.9)}
	box := tint(Color(0), 0.45)
	median := draw.LineStyle{Color: Color(1), Width: vg.Points(1.8)}
	plt.Add(plotterFunc(func(c draw.Canvas, p *plot.Plot) {
		trX, trY := p.Transforms(&c)
		clamp := func(v float64) vg.Length { return trX(math.Min(math.Max(v, p.X.Min), p.X.Max)) }
		half := vg.Length(0.32 * float64(trY(1)-trY(0))) // of a row's height
		for i, q := range r.Ranges {
			y := trY(pos(i))
			if isFinite(q.P5) && isFinite(q.P95) {
				c.StrokeLine2(whisker, clamp(q.P5), y, clamp(q.P95), y)
			}
			if isFinite(q.P25) && isFinite(q.P75) {
				fillRect(c, vg.Rectangle{Min: vg.Point{X: clamp(q.P25), Y: y - half}, Max: vg.Point{X: clamp(q.P75), Y: y + half}}, box)
			}
			if isFinite(q.P50) {
				x := clamp(q.P50)
				c.StrokeLine2(median, x, y-half, x, y+half)
			}
		}
	}))
	plt.Add(framePlotter)
	if !vr.ok() {
		plt.Add(notePlotter("no data"))
	}
	cl.legend = []legendItem{
		{name: "5th to 95th percentile", kind: swatchLine, line: whisker},
		{name: "25th to 75th", kind: swatchBox, fill: box},
		{name: "median", kind: swatchLine, line: median},
	}
	layoutCells(c, r.Title, nil, []*cell{cl}, 1)
}

var _ Chart = (*RangeChart)(nil)
