package output

import (
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// TestHeatmapLongLabel: a correlation heatmap's labels are at most a fifth
// of the figure wide, a longer one shortened in the middle, both ends
// kept. An 83-character id used to take most of the figure for the row
// labels and leave the cells a sliver.
func TestHeatmapLongLabel(t *testing.T) {
	long := "NIKKEI_225_STOCK_AVERAGE_INDEX_OF_THE_TOKYO_STOCK_EXCHANGE_FIRST_SECTION_LONG_NAME"
	labels := []string{"SPX", long, "USDJPY"}
	m := [][]float64{{1, 0.5, 0.2}, {0.5, 1, 0.3}, {0.2, 0.3, 1}}
	rec := &recorder.Canvas{}
	width := 6 * vg.Inch // a one-matrix heatmap's
	Heatmap("correlations", labels, m, -1, 1).Draw(draw.Canvas{Canvas: rec, Rectangle: vg.Rectangle{Max: vg.Point{X: width, Y: DefaultHeight}}})
	var drawn []string
	var widest vg.Length
	sty := textStyle(sizeTick, false, inkColor)
	for _, a := range rec.Actions {
		if fs, ok := a.(*recorder.FillString); ok {
			drawn = append(drawn, fs.String)
			if strings.Contains(fs.String, "…") {
				widest = max(widest, sty.Width(fs.String))
			}
		}
	}
	var short int
	for _, s := range drawn {
		if s == long {
			t.Fatalf("the long label is drawn whole (%q)", drawn)
		}
		if head, tail, ok := strings.Cut(s, "…"); ok {
			if !strings.HasPrefix(long, head) || !strings.HasSuffix(long, tail) || len(head) < 5 || len(tail) < 5 {
				t.Errorf("label %q: want the id's two ends around an ellipsis", s)
			}
			short++
		}
	}
	if short != 2 { // row and column
		t.Errorf("%d shortened labels drawn, want 2 (row and column): %q", short, drawn)
	}
	if max := width / 5; widest > max {
		t.Errorf("shortened label %.1f wide, more than a fifth of the figure (%.1f)", widest, max)
	}
}
