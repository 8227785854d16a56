package output

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// marchEvents returns the markers of a month of a dash for cash, as in
// March 2020, from day0 (Unix seconds): a central bank buys bonds on 13
// days, a dash for cash on 5 days between them at the hour before, and
// one-off events, some at the same hour or a few hours apart; 12
// distinct labels on 30 markers.
func marchEvents(day0 float64) []Marker {
	at := func(day, hour float64) float64 { return day0 + day*86400 + hour*3600 }
	ms := []Marker{
		{at(4, 23), "oil price war and COVID spread"},
		{at(7, 1), "WHO pandemic and travel ban"},
		{at(7, 12), "futures margins raised"},
		{at(7, 14), "reserve managers and bond funds sell Treasuries"},
		{at(7, 16), "NY Fed $1.5tn repo operations"},
		{at(8, 19), "national emergency, testing plan"},
		{at(10, 21), "Fed cuts to zero"},
	}
	for _, d := range []float64{8, 11, 12, 13, 14} {
		ms = append(ms, Marker{at(d, 14), "dash for cash"})
	}
	for _, d := range []float64{11, 12, 13, 14, 15, 19, 20, 21, 22, 25, 26, 27, 28} {
		ms = append(ms, Marker{at(d, 15), "Fed buys Treasuries"})
	}
	ms = append(ms, Marker{at(18, 15), "Fed QE unlimited"}, Marker{at(19, 14), "CARES Act deal near"},
		Marker{at(13, 14), "lockdowns spread"})
	return ms
}

// eventsFigure is a four-panel figure over 33 days with the markers ms,
// whose lower panels have titles as wide as their data areas.
func eventsFigure(ms []Marker, width vg.Length) *Figure {
	n := 33 * 24
	x := hourly(n)
	return &Figure{
		Title: "A dash for cash", TimeAxis: true, Markers: ms, EventList: "report.md", Width: width,
		Panels: []Panel{
			{Title: "Funding spreads and the cross-currency basis (line: repo's cap)", YLabel: "bp",
				Series: []Series{{Name: "USD repo spread", X: x, Y: wave(n, 20, 5)}, {Name: "JPY funding spread", X: x, Y: wave(n, 10, 5)}, {Name: "cross-currency basis", X: x, Y: wave(n, -30, 5)}}},
			{Title: "Futures' basis to the cash bond (+: future rich)", YLabel: "bp", Series: []Series{{Name: "TY", X: x, Y: wave(n, 600, 50)}}},
			{Title: "Dealers' utilization: exposure over capital × lev_limit", YLabel: "of capacity", YPercent: true,
				Series: []Series{{Name: "all dealers", X: x, Y: wave(n, 1, 0.3)}, {Name: "GS", X: x, Y: wave(n, 1.2, 0.3)}}},
			{Title: "Depth factor (1: full depth)", YLabel: "factor", Series: []Series{{X: x, Y: wave(n, 0.8, 0.1)}}},
		},
	}
}

// expandKeys returns the numbers a marker label stands for: "2–5,9" is
// 2, 3, 4, 5 and 9.
func expandKeys(t *testing.T, s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		lo, hi, run := strings.Cut(part, "–")
		a, err := strconv.Atoi(lo)
		if err != nil {
			t.Fatalf("marker label %q: %v", s, err)
		}
		b := a
		if run {
			if b, err = strconv.Atoi(hi); err != nil {
				t.Fatalf("marker label %q: %v", s, err)
			}
		}
		for k := a; k <= b; k++ {
			out = append(out, strconv.Itoa(k))
		}
	}
	return out
}

// TestEventMarkers lays out figures crowded with event markers and checks
// what the walkthrough of a March 2020 scenario found wrong: no marker
// label overlaps another label or is crossed by the line up to one above
// it; every entry of a legend on the right lies inside the figure, no
// lower than the bottom x axis, and never over the title of a panel
// below; markers that share a label share one number and one legend
// entry; and no event is left out of the legend without a note saying
// which.
func TestEventMarkers(t *testing.T) {
	var many []Marker // 60 distinct labels in a day each
	for i := range 60 {
		many = append(many, Marker{X: aug1 + float64(i)*40000, Label: fmt.Sprintf("event number %d of many", i+1)})
	}
	for _, c := range []struct {
		name     string
		fig      *Figure
		keys     int    // legend entries of numbered events
		note     string // the legend's last entries
		allShown bool   // every number is printed above the chart
	}{
		{"march 2020", eventsFigure(marchEvents(aug1), 0), 12, "", true},
		{"march 2020, long titles", func() *Figure {
			f := eventsFigure(marchEvents(aug1), 0)
			f.Panels[1].Title = "Futures' basis to the cash bond (+: future rich), in basis points of price"
			return f
		}(), 12, "", true},
		{"march 2020, narrow", eventsFigure(marchEvents(aug1), 5*vg.Inch), 12, "", false},
		{"one panel", &Figure{TimeAxis: true, Markers: marchEvents(aug1), Height: 4 * vg.Inch,
			Panels: []Panel{{Series: []Series{{Name: "yield", X: hourly(33 * 24), Y: wave(33*24, 1, 0.2)}}}}}, 12, "", true},
		{"two a few hours apart", &Figure{TimeAxis: true, Markers: []Marker{{X: aug1 + 5*86400, Label: "rate cut"}, {X: aug1 + 5*86400 + 7200, Label: "QE"}},
			Panels: []Panel{{Series: []Series{{Name: "yield", X: hourly(33 * 24), Y: wave(33*24, 1, 0.2)}}}}}, 2, "", true},
		{"sixty events", &Figure{TimeAxis: true, Markers: many, EventList: "report.md", Height: 4 * vg.Inch,
			Panels: []Panel{{Series: []Series{{Name: "yield", X: hourly(700), Y: wave(700, 1, 0.2)}}}}}, 37, "events 38–60 not shown|see report.md", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := c.fig
			w, h, _ := f.size()
			cells := f.cells()
			cv, g := planCells(draw.New(vgimg.New(w, h)), f.Title, f.Notes, cells, f.Columns)
			_, dataTop := g.rowTops(cv)
			cl := cells[0]

			// Same label, same number; one legend entry per number.
			byLabel := map[string]string{}
			for _, m := range cl.marks {
				if k, ok := byLabel[m.label]; ok && k != m.key {
					t.Errorf("%q has numbers %s and %s", m.label, k, m.key)
				}
				byLabel[m.label] = m.key
			}
			var keys, notes []string
			entries := [][]legendItem{cl.legend} // above the data area
			if cl.legendRight {
				entries = cl.legendCols
			}
			for _, col := range entries {
				for _, it := range col {
					switch it.kind {
					case swatchKey:
						keys = append(keys, it.key)
						if byLabel[it.name] != it.key && !strings.Contains(it.name, "…") {
							t.Errorf("legend entry %s %q: the markers of that label have %q", it.key, it.name, byLabel[it.name])
						}
					case swatchNone:
						notes = append(notes, it.name)
					}
				}
			}
			if len(keys) != c.keys || strings.Join(notes, "|") != c.note {
				t.Errorf("legend: %d numbered entries and notes %q, want %d and %q", len(keys), notes, c.keys, c.note)
			}
			for i, k := range keys {
				if k != strconv.Itoa(i+1) {
					t.Fatalf("legend entry %d is numbered %s", i+1, k)
				}
			}

			// The legend lies inside the figure, right of the data areas,
			// above the bottom of the x axis and over no panel's title.
			x := cv.Min.X + g.colLeft[0] + g.dataW[0] + g.colRight[0] + vg.Points(10)
			bottom := dataTop[g.rows-1] - g.dataH - g.xAxisH
			for k, col := range cl.legendPlaces(x, dataTop) {
				for j, p := range col {
					it := cl.legendCols[k][j]
					lo := p.Y - textHeight(legendStyle)
					ok := p.Y <= dataTop[0]+0.01 && lo >= bottom-0.01 && p.X+it.width() <= w
					for _, other := range cells {
						top := dataTop[other.row] + other.header // the title's top
						tx := cv.Min.X + g.colLeft[0] + panelStyle.Width(other.title)
						if other.title != "" && p.X <= tx && lo < top && p.Y > top-textHeight(panelStyle) {
							t.Errorf("legend entry %q at (%.1f, %.1f–%.1f) is over the title %q", it.name, p.X, lo, p.Y, other.title)
						}
					}
					if !ok {
						t.Errorf("legend entry %q at (%.1f, %.1f–%.1f) is outside the %.0f×%.0f figure's legend area (data tops %v, height %.1f)",
							it.name, p.X, lo, p.Y, w, h, dataTop, g.dataH)
					}
				}
			}

			// Marker labels: apart in a row, and clear of the lines up to
			// the labels above them.
			shown := map[string]bool{}
			type box struct {
				lo, hi, x0, x1 vg.Length
				row            int
				text           string
			}
			var boxes []box
			for i, txt := range cl.markText {
				if cl.markRow[i] < 0 || txt == "" {
					continue
				}
				if cl.keyed {
					for _, k := range expandKeys(t, txt) {
						shown[k] = true
					}
				}
				lo, hi := cl.markExtent(cl.markAt(i), txt, 0, g.dataW[0])
				grp := cl.markGroup[i]
				x0 := vg.Length(vg.Length(cl.plt.X.Norm(cl.marks[grp[0]].x)) * g.dataW[0])
				x1 := vg.Length(vg.Length(cl.plt.X.Norm(cl.marks[grp[len(grp)-1]].x)) * g.dataW[0])
				boxes = append(boxes, box{lo, hi, x0, x1, cl.markRow[i], txt})
			}
			for _, a := range boxes {
				for _, b := range boxes {
					if a == b {
						continue
					}
					if a.row == b.row && a.lo < b.hi && b.lo < a.hi {
						t.Errorf("marker labels %q and %q overlap in row %d", a.text, b.text, a.row)
					}
					if a.row > b.row && a.x1 >= b.lo && a.x0 <= b.hi {
						t.Errorf("the line up to marker label %q (row %d) crosses %q (row %d)", a.text, a.row, b.text, b.row)
					}
				}
			}
			if c.allShown {
				for _, k := range keys {
					if !shown[k] {
						t.Errorf("number %s is printed over no marker line (labels %q)", k, cl.markText)
					}
				}
			}
		})
	}
}

// TestPlotEventsGolden: a four-panel figure crowded with event markers,
// two of them programmes on many days, renders as it did.
func TestPlotEventsGolden(t *testing.T) {
	var b bytes.Buffer
	if err := eventsFigure(marchEvents(aug1), 0).Encode(&b, "svg"); err != nil {
		t.Fatal(err)
	}
	goldenCompare(t, "plot_events.svg", b.Bytes())
}

func TestKeyRuns(t *testing.T) {
	for _, c := range []struct {
		ks   []int
		want string
	}{
		{[]int{6}, "6"}, {[]int{6, 9}, "6,9"}, {[]int{2, 3}, "2,3"}, {[]int{2, 3, 4, 5}, "2–5"},
		{[]int{1, 3, 4, 5, 9, 10}, "1,3–5,9,10"},
	} {
		if got := keyRuns(c.ks); got != c.want {
			t.Errorf("keyRuns(%v) = %q, want %q", c.ks, got, c.want)
		}
	}
}

// TestRunPlotsEventNote: a run with more events than its plots' legends
// hold says in each time-series figure which it leaves out and where
// they are all listed (report.md's Scripted events), and repeats no label.
func TestRunPlotsEventNote(t *testing.T) {
	col, ts, meta := runAug2024(t)
	c, _ := ts.Column("time")
	meta.Events = nil
	for i := range 90 {
		k := i * (len(c.T) - 1) / 90
		meta.Events = append(meta.Events, Mark{Tick: k, Time: c.T[k], Label: fmt.Sprintf("event %d", i+1)})
	}
	meta.Events = append(meta.Events, Mark{Tick: len(c.T) - 1, Time: c.T[len(c.T)-1], Label: "event 1"})
	dir := t.TempDir()
	if _, err := RenderRunPlots(dir, ts, meta, col.S); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"prices", "correlation", "leverage_margin", "sales_by_kind", "funding"} {
		svg, err := os.ReadFile(filepath.Join(dir, name+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		s := string(svg)
		if !strings.Contains(s, " not shown</text") || !strings.Contains(s, ">see report.md</text") || !strings.Contains(s, ">event 1</text") ||
			strings.Count(s, ">event 1</text") != 1 || strings.Contains(s, ">event 90</text") {
			t.Errorf("%s.svg: want one legend entry of event 1, none of event 90, and a note naming report.md", name)
		}
	}
}
