package output

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// overlayFixture returns two runs of two days, hourly, of an equity, a
// currency and a bond yield, with an event both have and one only B has.
func overlayFixture() (a, b *Table, metaA, metaB Meta) {
	t0 := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)
	mk := func(drop float64) *Table {
		n := 48
		tm := make([]time.Time, n)
		nky, jpy, us10 := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range tm {
			tm[i] = t0.Add(time.Duration(i) * time.Hour)
			f := float64(i) / float64(n-1)
			nky[i] = 38000 * (1 - drop*f)
			jpy[i] = 150 * (1 - drop*f/2)
			us10[i] = 4.1 - drop*f
		}
		ts := &Table{}
		ts.Add(TimeCol("time", tm))
		ts.Add(FloatCol("NKY", nky))
		ts.Add(FloatCol("USDJPY", jpy))
		ts.Add(FloatCol("US10Y", us10))
		return ts
	}
	assets := []AssetMeta{
		{ID: "NKY", Kind: "equity", Group: "equity", Currency: "JPY"},
		{ID: "USDJPY", Kind: "fx", Group: "fx", Currency: "JPY"},
		{ID: "US10Y", Kind: "bond", Group: "rates", Currency: "USD"},
	}
	both := Mark{Tick: 10, Time: t0.Add(10 * time.Hour), Label: "BOJ hike"}
	metaA = Meta{Scenario: "mini", Assets: assets, Events: []Mark{both}}
	metaB = metaA
	metaB.Events = []Mark{both, {Tick: 30, Time: t0.Add(30 * time.Hour), Label: "extra"}}
	return mk(0.05), mk(0.12), metaA, metaB
}

// TestOverlayGolden: the overlay of two runs whose labels are short (the
// table heads its columns with them) renders as it did.
func TestOverlayGolden(t *testing.T) {
	a, b, metaA, metaB := overlayFixture()
	fig, err := overlayFigure(OverlayName{Label: "baseline", Head: "baseline"}, OverlayName{Label: "off: cross_margin", Head: "off: cross_margin"}, a, b, metaA, metaB)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := fig.Encode(&buf, "svg"); err != nil {
		t.Fatal(err)
	}
	goldenCompare(t, "compare_overlay.svg", buf.Bytes())
}

// drawnText is a string a figure drew, and the box it covers.
type drawnText struct {
	s   string
	box vg.Rectangle
}

// drawnTexts draws f on a recording canvas of its size and returns every
// string it drew with the box it covers on the canvas (its advance width,
// from its descent to its ascent, turned as the canvas was), and the size.
func drawnTexts(f *Figure) ([]drawnText, vg.Length, vg.Length) {
	w, h, _ := f.size()
	rec := &recorder.Canvas{}
	f.Draw(draw.Canvas{Canvas: rec, Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}})
	type affine struct{ a, b, c, d, e, f float64 } // x' = a x + c y + e, y' = b x + d y + f
	m := affine{a: 1, d: 1}
	var stack []affine
	apply := func(p vg.Point) (float64, float64) {
		x, y := float64(p.X), float64(p.Y)
		return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
	}
	var out []drawnText
	for _, act := range rec.Actions {
		switch a := act.(type) {
		case *recorder.Push:
			stack = append(stack, m)
		case *recorder.Pop:
			m, stack = stack[len(stack)-1], stack[:len(stack)-1]
		case *recorder.Translate:
			m.e, m.f = apply(a.Point)
		case *recorder.Rotate:
			sin, cos := math.Sincos(a.Angle)
			m = affine{a: m.a*cos + m.c*sin, b: m.b*cos + m.d*sin, c: m.c*cos - m.a*sin, d: m.d*cos - m.b*sin, e: m.e, f: m.f}
		case *recorder.Scale:
			m.a, m.b, m.c, m.d = m.a*a.X, m.b*a.X, m.c*a.Y, m.d*a.Y
		case *recorder.FillString:
			face := font.DefaultCache.Lookup(a.Font, a.Size)
			ext := face.Extents()
			wd := face.Width(a.String)
			box := vg.Rectangle{Min: vg.Point{X: math.MaxFloat32, Y: math.MaxFloat32}, Max: vg.Point{X: -math.MaxFloat32, Y: -math.MaxFloat32}}
			for _, p := range []vg.Point{
				{X: a.Point.X, Y: a.Point.Y - ext.Descent}, {X: a.Point.X + wd, Y: a.Point.Y - ext.Descent},
				{X: a.Point.X, Y: a.Point.Y + ext.Ascent}, {X: a.Point.X + wd, Y: a.Point.Y + ext.Ascent},
			} {
				x, y := apply(p)
				box.Min.X, box.Min.Y = min(box.Min.X, vg.Length(x)), min(box.Min.Y, vg.Length(y))
				box.Max.X, box.Max.Y = max(box.Max.X, vg.Length(x)), max(box.Max.Y, vg.Length(y))
			}
			out = append(out, drawnText{s: a.String, box: box})
		}
	}
	return out, w, h
}

// TestOverlayLongLabels: `cascade compare` heads a side whose label is
// longer than 40 characters A or B; the overlay plot calls it by that head
// in its title, legend entries and event labels, and gives the full label
// on a note line under the title, wrapped and, past two lines, shortened
// in the middle, so that every text stays inside the figure. The plot used
// the full label everywhere: a long --set-b ran the title off both edges
// and crowded the legends. Sides whose labels are short are named by them
// and get no note (TestOverlayGolden: drawn as before).
func TestOverlayLongLabels(t *testing.T) {
	setB := "set: events+=[{tick: 10, kind: shock, label: extra, shocks: {NKY: -0.05}}]"
	path := "set: events[Uchida - no hikes while markets unstable].off=true, " +
		"events[BOJ Deputy Governor Uchida says the bank will not raise rates while markets are unstable].shocks.NKY=0.02, " +
		"agents.*.rebalance_at=close, brokers.*.calls_at_runs=true, events[Tankan survey shows business sentiment improving].off=true"
	word := "set:" + strings.Repeat("agents.hedge_fund_carry_trade_unwind.leverage_limit=", 8) + "2"
	for _, c := range []struct {
		name   string
		a, b   OverlayName
		title  string
		legend []string // entries that must be drawn
		// The note lines under the title, in order; "x…y" is a line
		// shortened in the middle, starting x and ending y.
		notes []string
	}{
		{"short", OverlayName{Label: "baseline", Head: "baseline"}, OverlayName{Label: "off: cross_margin", Head: "off: cross_margin"},
			"mini: baseline (solid) vs off: cross_margin (dashed)", []string{"NKY baseline", "NKY off: cross_margin", "extra (off: cross_margin)"}, nil},
		{"long --set-b", OverlayName{Label: "baseline", Head: "baseline"}, OverlayName{Label: setB, Head: "B"},
			"mini: baseline (solid) vs B (dashed)", []string{"NKY baseline", "NKY B", "USDJPY B", "extra (B)"}, []string{"B: " + setB}},
		{"two long sides", OverlayName{Label: "mini " + setB, Head: "A"}, OverlayName{Label: path, Head: "B"},
			"mini: A (solid) vs B (dashed)", []string{"NKY A", "NKY B", "extra (B)"}, []string{
				"A: mini " + setB,
				"B: set: events[Uchida - no hikes while markets unstable].off=true, events[BOJ Deputy Governor Uchida says the bank will not",
				"raise rates while markets are unstable]…improving].off=true",
			}},
		{"one long word", OverlayName{Label: "baseline", Head: "baseline"}, OverlayName{Label: word, Head: "B"},
			"mini: baseline (solid) vs B (dashed)", []string{"NKY B"}, []string{"B: set:agents.hedge_fund_carry_trade_unwind.leverage_limit=agents.hedge_fund_carry_trade_unwind.leverage_limit=agents.he", "dge_fund_carry…leverage_limit=2"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, b, metaA, metaB := overlayFixture()
			fig, err := overlayFigure(c.a, c.b, a, b, metaA, metaB)
			if err != nil {
				t.Fatal(err)
			}
			texts, w, h := drawnTexts(fig)
			drawn := map[string]bool{}
			for _, tx := range texts {
				drawn[tx.s] = true
				if r := tx.box; r.Min.X < 0 || r.Min.Y < 0 || r.Max.X > w || r.Max.Y > h {
					t.Errorf("%.60q drawn at x %.1f..%.1f, y %.1f..%.1f: outside the %.1f x %.1f figure", tx.s, r.Min.X, r.Max.X, r.Min.Y, r.Max.Y, w, h)
				}
			}
			for _, want := range append([]string{c.title}, c.legend...) {
				if !drawn[want] {
					t.Errorf("no text %q drawn", want)
				}
			}
			if len(texts) == 0 || texts[0].s != c.title {
				t.Fatalf("the figure's first text is not the title %q", c.title)
			}
			// The note lines: the texts drawn between the title and the
			// first panel's title.
			var notes []string
			for i, tx := range texts {
				if tx.s == c.title {
					for _, n := range texts[i+1:] {
						if n.s == "Exchange rates" || n.s == "first close = 100" {
							break
						}
						notes = append(notes, n.s)
					}
				}
			}
			// The note lines sit clear of every other text (the grid
			// below them makes room for them).
			for _, n := range texts[1 : 1+len(notes)] {
				for _, o := range texts[1+len(notes):] {
					if n.box.Min.X < o.box.Max.X && o.box.Min.X < n.box.Max.X && n.box.Min.Y < o.box.Max.Y && o.box.Min.Y < n.box.Max.Y {
						t.Errorf("note line %.40q overlaps %q", n.s, o.s)
					}
				}
			}
			if len(notes) != len(c.notes) {
				t.Fatalf("note lines %q, want %d: %q", notes, len(c.notes), c.notes)
			}
			for i, want := range c.notes {
				head, tail, cut := strings.Cut(want, "…")
				if cut && (!strings.HasPrefix(notes[i], head) || !strings.HasSuffix(notes[i], tail) || !strings.Contains(notes[i], "…")) ||
					!cut && notes[i] != want {
					t.Errorf("note line %d %q, want %q", i+1, notes[i], want)
				}
			}
			for _, tx := range texts {
				if strings.Contains(tx.s, c.b.Label) && c.b.Head != c.b.Label && !strings.HasPrefix(tx.s, "B: ") {
					t.Errorf("the long label drawn outside a note: %.80q", tx.s)
				}
			}
		})
	}
}

// TestWrapText: a note is broken at spaces into lines no wider than the
// figure; a word too wide for a line of its own is broken where the line
// is full, not left to start a line of its own after a stub ("B:"); past
// the last line the rest is shortened in the middle, its end kept.
func TestWrapText(t *testing.T) {
	w := noteStyle.Width(strings.Repeat("x", 40))
	long := strings.Repeat("y", 60)
	for _, c := range []struct {
		name, s string
		want    []string // "x…y": shortened, starting x and ending y
	}{
		{"empty", "", nil},
		{"fits", "B: set: a=1", []string{"B: set: a=1"}},
		{"two lines", "B: set: agents.*.rebalance_at=close, brokers.*.calls_at_runs=true",
			[]string{"B: set: agents.*.rebalance_at=close,", "brokers.*.calls_at_runs=true"}},
		{"long word", "B: " + long, []string{"B: " + long[:37], long[37:]}},
		{"three lines' worth", "B: set: agents.*.rebalance_at=close, brokers.*.calls_at_runs=true, events[Uchida].off=true",
			[]string{"B: set: agents.*.rebalance_at=close,", "brokers.*.calls_at_run…ents[Uchida].off=true"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := wrapText(noteStyle, c.s, w, 2)
			if len(got) != len(c.want) {
				t.Fatalf("%q, want %q", got, c.want)
			}
			for i, want := range c.want {
				if noteStyle.Width(got[i]) > w {
					t.Errorf("line %q is %.1f wide, more than %.1f", got[i], noteStyle.Width(got[i]), w)
				}
				head, tail, cut := strings.Cut(want, "…")
				if cut && (!strings.HasPrefix(got[i], head) || !strings.HasSuffix(got[i], tail) || !strings.Contains(got[i], "…")) ||
					!cut && got[i] != want {
					t.Errorf("line %d %q, want %q", i+1, got[i], want)
				}
			}
		})
	}
}

// TestOverlayTitle: the overlay's title names the scenario: the one both
// runs ran, or both where they differ and a head does not name its own.
// The title gave only the heads ("baseline (solid) vs off: hedge_fund
// (dashed)"), which do not say what was run.
func TestOverlayTitle(t *testing.T) {
	for _, c := range []struct{ labelA, labelB, scenA, scenB, want string }{
		{"baseline", "off: hedge_fund", "aug2024", "aug2024", "aug2024: baseline (solid) vs off: hedge_fund (dashed)"},
		{"A", "B", "aug2024", "aug2024", "aug2024: A (solid) vs B (dashed)"},
		{"aug2024", "cro", "aug2024", "cro", "aug2024 (solid) vs cro (dashed)"},
		{"aug2024", "cro (set)", "aug2024", "cro", "aug2024 (solid) vs cro (set) (dashed)"},
		{"aug2024", "B", "aug2024", "my-long-scenario-name", "aug2024 vs my-long-scenario-name: aug2024 (solid) vs B (dashed)"},
		{"baseline", "off: dealer", "", "", "baseline (solid) vs off: dealer (dashed)"},
	} {
		if got := overlayTitle(c.labelA, c.labelB, c.scenA, c.scenB); got != c.want {
			t.Errorf("overlayTitle(%q, %q, %q, %q) = %q, want %q", c.labelA, c.labelB, c.scenA, c.scenB, got, c.want)
		}
	}
}
