package sweep

import (
	"math"
	"slices"
	"testing"
)

// TestResponseFigure: a grid's response curve is the metric against the
// first varied parameter, one line per level of the other varied ones
// (a constant parameter draws none), each point the median of the runs at
// that grid point with NaNs left out, and a gap where none has a value.
func TestResponseFigure(t *testing.T) {
	man := &Manifest{Sweep: Resolved{Design: "grid", Parameters: []ResolvedParam{{Name: "fixed"}, {Name: "shock"}, {Name: "depth"}}}}
	nan := math.NaN()
	// Columns: fixed, shock, depth, metric. Rows in no particular order;
	// three runs at (shock 0.1, depth 1), one NaN among them.
	rows := [][4]float64{
		{7, 0.2, 5, 40}, {7, 0.1, 1, 10}, {7, 0.1, 5, 30}, {7, 0.2, 1, 20},
		{7, 0.1, 1, 14}, {7, 0.1, 1, nan}, {7, 0, 1, 1}, {7, 0, 5, nan},
	}
	smp := &sample{cols: make([][]float64, 4)}
	for i, r := range rows {
		smp.index = append(smp.index, i)
		for j, v := range r {
			smp.cols[j] = append(smp.cols[j], v)
		}
	}
	fig := responseFigure(man, smp, 3)
	if fig == nil || len(fig.Panels) != 1 || fig.XLabel != "shock" {
		t.Fatalf("figure %+v", fig)
	}
	s := fig.Panels[0].Series
	if len(s) != 2 || s[0].Name != "depth = 1" || s[1].Name != "depth = 5" {
		t.Fatalf("series %+v", s)
	}
	same := func(a, b []float64) bool {
		return slices.EqualFunc(a, b, func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) })
	}
	for k, want := range [][]float64{{1, 12, 20}, {nan, 30, 40}} {
		if !slices.Equal(s[k].X, []float64{0, 0.1, 0.2}) || !same(s[k].Y, want) {
			t.Errorf("%s: x %v y %v, want y %v", s[k].Name, s[k].X, s[k].Y, want)
		}
	}
	// Nothing varied: no figure; a single varied parameter: one line without a name.
	one := &sample{index: []int{0, 1}, cols: [][]float64{{7, 7}, {1, 1}, {2, 2}, {3, 4}}}
	if f := responseFigure(man, one, 3); f != nil {
		t.Errorf("a figure with nothing varied: %+v", f)
	}
	one.cols[2] = []float64{2, 3}
	if f := responseFigure(man, one, 3); f == nil || len(f.Panels[0].Series) != 1 || f.Panels[0].Series[0].Name != "" || f.XLabel != "depth" {
		t.Errorf("one varied parameter: %+v", f)
	}
	// More lines than can be read: none.
	many := &sample{cols: make([][]float64, 4)}
	for i := range 20 {
		many.index = append(many.index, i)
		for j, v := range []float64{float64(i % 2), float64(i), float64(i / 2), 1} {
			many.cols[j] = append(many.cols[j], v)
		}
	}
	if f := responseFigure(man, many, 3); f != nil {
		t.Errorf("a figure of %d lines", len(f.Panels[0].Series))
	}
}

// TestResponseShares: a 0/1 metric's response curve is the share of the
// runs at each grid point with a 1 (their mean, NaNs left out), where a
// median would draw only 0s and 1s.
func TestResponseShares(t *testing.T) {
	man := &Manifest{Sweep: Resolved{Design: "grid", Parameters: []ResolvedParam{{Name: "shock"}}, Metrics: []string{"defaulted.DE21"}}}
	nan := math.NaN()
	// shock 0.1: defaults in 1 run of 4 (one NaN left out: 1 of 3); 0.2: in 3 of 4.
	smp := &sample{index: []int{0, 1, 2, 3, 4, 5, 6, 7}, cols: [][]float64{
		{0.1, 0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2},
		{0, 1, nan, 0, 1, 1, 0, 1},
	}}
	g := newResponseGrid(man, smp)
	if g == nil {
		t.Fatal("no grid")
	}
	s := g.figure(man, smp.cols[1], true).Panels[0].Series
	if len(s) != 1 || !slices.Equal(s[0].X, []float64{0.1, 0.2}) || !slices.Equal(s[0].Y, []float64{1.0 / 3, 0.75}) {
		t.Errorf("series %+v, want x [0.1 0.2] y [1/3 0.75]", s)
	}
	if m := g.figure(man, smp.cols[1], false).Panels[0].Series[0].Y; !slices.Equal(m, []float64{0, 1}) {
		t.Errorf("medians %v, want [0 1] (what the share replaces)", m)
	}
}
