package output

import (
	"math"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TestFigureGrowsToFit: a figure of four panels whose legends take two and
// three rows, at a height too small for them (cascade compare's price
// overlay at 7 inches), is made taller, so that every data area is as
// tall as its y label is long and is drawn exactly where the grid puts it,
// below its legend. At 7 inches the data areas came out 10 points taller
// than planned, over the last row of the legend above them.
func TestFigureGrowsToFit(t *testing.T) {
	x := make([]float64, 100)
	y := make([]float64, 100)
	for i := range x {
		x[i] = float64(1722384000 + 3600*i)
		y[i] = 100 + float64(i%7)
	}
	panel := func(title string, ids ...string) Panel {
		p := Panel{Title: title, YLabel: "first close = 100", HLines: []float64{100}}
		for k, id := range ids {
			p.Series = append(p.Series, Series{Name: id + " baseline", X: x, Y: y, Color: Color(k)},
				Series{Name: id + " off: cross_margin", X: x, Y: y, Color: Color(k), Dashed: true})
		}
		return p
	}
	var marks []Marker
	for i := range 6 {
		marks = append(marks, Marker{X: x[10+12*i], Label: "an event with a long label"})
	}
	f := &Figure{Title: "overlay", TimeAxis: true, Markers: marks, Height: 7 * vg.Inch,
		Panels: []Panel{panel("Exchange rates", "USDJPY"), panel("Rates", "UST10Y", "TY", "JGB10Y"), panel("Equities", "SPX", "NKY"), panel("Other", "GOLD", "BTC")}}
	w, h, _ := f.size()
	if h <= 7*vg.Inch {
		t.Fatalf("height %v: not grown from 7 inches", h)
	}
	cells := f.cells()
	_, g := planCells(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}}, f.Title, f.Notes, cells, f.Columns)
	for i, cl := range cells {
		if g.dataH < cl.minDataHeight()-0.01 {
			t.Errorf("panel %d: data area %v tall, below its y label's %v", i, g.dataH, cl.minDataHeight())
		}
		data := vg.Rectangle{Min: vg.Point{X: 50, Y: 40}, Max: vg.Point{X: 50 + g.dataW[cl.col], Y: 40 + g.dataH}}
		dc := cl.plt.DataCanvas(canvasFor(cl.plt, draw.Canvas{}, data))
		if d := math.Abs(float64(dc.Max.Y-data.Max.Y)) + math.Abs(float64(dc.Min.Y-data.Min.Y)); d > 0.25 {
			t.Errorf("panel %d: drawn data area %v, planned %v", i, dc.Rectangle, data)
		}
	}
	// A figure with room to spare keeps its height.
	g2 := &Figure{Panels: []Panel{panel("Rates", "UST10Y")}, Height: 4 * vg.Inch}
	if _, h, _ := g2.size(); h != 4*vg.Inch {
		t.Errorf("a one-panel figure: height %v, want 4 inches", h)
	}
}
