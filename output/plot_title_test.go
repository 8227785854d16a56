package output

import (
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// TestFitTitle: a title that fits the chart's width keeps the title size;
// a longer one (a sweep's name and a metric pattern) is set smaller so
// that it fits, where it used to run off both edges; past the smallest
// size it stays at that size.
func TestFitTitle(t *testing.T) {
	w := DefaultWidth - 2*outerMargin
	short := "eba2018: rank correlations"
	long := "eba2018-defaults-agents: Spearman rank correlation of each parameter with each metric"
	huge := strings.Repeat(long+" ", 4)
	for _, c := range []struct {
		title    string
		size     vg.Length // 0: smaller than the title size, and fits
		overflow bool
	}{{short, vg.Points(sizeTitle), false}, {long, 0, false}, {huge, vg.Points(minTitleSize), true}} {
		sty := fitTitle(c.title, w)
		switch {
		case c.size != 0 && sty.Font.Size != c.size:
			t.Errorf("%.30q: size %v, want %v", c.title, sty.Font.Size, c.size)
		case c.size == 0 && (sty.Font.Size >= vg.Points(sizeTitle) || sty.Font.Size < vg.Points(minTitleSize)):
			t.Errorf("%.30q: size %v, want between %v and %v", c.title, sty.Font.Size, minTitleSize, sizeTitle)
		}
		if got := sty.Width(c.title) > w; got != c.overflow {
			t.Errorf("%.30q: %v wide in %v", c.title, sty.Width(c.title), w)
		}
	}
	if titleStyle.Width(long) <= w {
		t.Fatalf("the long title fits at the title size: the case tests nothing")
	}
}
