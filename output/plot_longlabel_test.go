package output

import (
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestLongEventLabel: an event's label wider than the data area is not
// printed above its line, where it ran past the figure's right edge (an
// 80-character label in a 3-inch figure, a 160-character one in the run
// plots' width); the line is numbered and the label goes to the legend.
// A label that fits is printed as before. Every label printed above the
// chart lies within the data area (and the 4 points left of it that
// markExtent allows).
func TestLongEventLabel(t *testing.T) {
	long80 := strings.Repeat("policy rate hike ", 5)[:80]
	long160 := strings.Repeat("policy rate hike ", 10)[:160]
	for _, c := range []struct {
		name  string
		label string
		width vg.Length // 0: the default
		keyed bool
	}{
		{"short", "BOJ hike", 0, false},
		{"80 characters, default width", long80, 0, false},
		{"80 characters, 3 inches", long80, 3 * vg.Inch, true},
		{"160 characters", long160, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &Figure{TimeAxis: true, Width: c.width, Markers: []Marker{{X: aug1 + 5*86400, Label: c.label}},
				Panels: []Panel{{Series: []Series{{Name: "yield", X: hourly(33 * 24), Y: wave(33*24, 1, 0.2)}}}}}
			w, h, _ := f.size()
			cells := f.cells()
			_, g := planCells(draw.New(vgimg.New(w, h)), f.Title, f.Notes, cells, f.Columns)
			cl := cells[0]
			if cl.keyed != c.keyed {
				t.Errorf("keyed %v, want %v", cl.keyed, c.keyed)
			}
			dw := g.dataW[cl.col]
			for i, text := range cl.markText {
				if cl.markRow[i] < 0 {
					t.Errorf("mark %d's label %q is left out", i, text)
					continue
				}
				lo, hi := cl.markExtent(cl.markAt(i), text, 0, dw)
				if lo < -vg.Points(4)-0.01 || hi > dw+0.01 {
					t.Errorf("label %q spans %.1f to %.1f pt over a data area %.1f pt wide", text, lo, hi, dw)
				}
			}
			if c.keyed {
				var found bool
				for _, it := range cl.legend {
					found = found || it.kind == swatchKey && it.key == "1"
				}
				if !found || cl.markText[0] != "1" {
					t.Errorf("legend %v, label %q: want the line numbered 1 and its legend entry", cl.legend, cl.markText[0])
				}
			}
		})
	}
}
