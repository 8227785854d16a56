package output

import (
	"bytes"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/vg"
)

// aug1 is 2024-08-01T00:00:00Z in Unix seconds.
var aug1 = float64(time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC).Unix())

// hourly returns n hourly Unix timestamps starting at aug1.
func hourly(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = aug1 + float64(i)*3600
	}
	return x
}

// wave returns n values of a deterministic, slightly irregular path.
func wave(n int, level, amp float64) []float64 {
	y := make([]float64, n)
	for i := range y {
		t := float64(i)
		y[i] = level + amp*(math.Sin(t/9)+0.3*math.Sin(t/2.3)-0.02*t)
	}
	return y
}

// sampleCharts returns one small, fixed chart of every kind, keyed by a
// file-name stem. Sizes are set so that the PNG is 900×600 pixels.
func sampleCharts() map[string]Chart {
	const w, h = 6 * vg.Inch, 4 * vg.Inch
	x := hourly(72)
	px := wave(72, 150, 2)
	px[30], px[31] = math.NaN(), math.NaN()

	fig := &Figure{
		Title:    "Two-panel price chart",
		TimeAxis: true,
		Markers:  []Marker{{X: aug1 + 36*3600, Label: "BoJ hike"}},
		Panels: []Panel{
			{Title: "USD/JPY", YLabel: "JPY per USD", Series: []Series{{Name: "Spot", X: x, Y: px}, {Name: "Forward", X: x, Y: wave(72, 149, 1.5)}}},
			{Title: "Margin calls", YLabel: "Share of equity", YPercent: true, Series: []Series{{X: x, Y: wave(72, 0.05, 0.01)}}, HLines: []float64{0.05}},
		},
		Width: w, Height: h,
	}

	var layers []Series
	for k, name := range []string{"Carry", "Basis", "CTA"} {
		y := make([]float64, len(x))
		for i := range y {
			d := float64(i-36) / 8
			y[i] = float64(3-k) * math.Exp(-d*d/2) * 1e9
		}
		layers = append(layers, Series{Name: name, Y: y})
	}
	layers[2].Y[60] = -0.5e9 // a net purchase stacks below zero
	stack := StackedArea("Forced sales by kind", "", "USD per hour", x, layers, true)
	stack.Width, stack.Height = w, h

	var fan Fan
	fan.X = x
	for i := range x {
		m, s := 150-5*math.Tanh(float64(i-36)/10), 0.3+float64(i)*0.02
		fan.P5 = append(fan.P5, m-1.64*s)
		fan.P25 = append(fan.P25, m-0.67*s)
		fan.P50 = append(fan.P50, m)
		fan.P75 = append(fan.P75, m+0.67*s)
		fan.P95 = append(fan.P95, m+1.64*s)
	}
	fanChart := FanChart("USD/JPY across runs", "", "JPY per USD", fan, true)
	fanChart.Width, fanChart.Height = w, h

	sx, sy := make([]float64, 60), make([]float64, 60)
	for i := range sx {
		sx[i] = float64(i%10) + 0.1*float64(i/10)
		sy[i] = 0.5*sx[i] + math.Sin(float64(i))
	}
	scatter := Scatter("Leverage against drawdown", "Initial leverage", "Peak drawdown", sx, sy)
	scatter.Width, scatter.Height = w, h

	labels := []string{"USD/JPY", "Nikkei", "UST 10y", "Basis"}
	corr := func(r float64) [][]float64 {
		return [][]float64{
			{1, r, -r / 2, r / 3},
			{r, 1, -r, 0.1},
			{-r / 2, -r, 1, math.NaN()},
			{r / 3, 0.1, math.NaN(), 1},
		}
	}
	heat := Heatmap("Return correlations", labels, corr(0.8), -1, 1)
	heat.Width, heat.Height = w, h
	pair := HeatmapPair("Correlations: calm and peak", labels, Matrix{Title: "Calm", Values: corr(0.2)}, Matrix{Title: "Peak", Values: corr(0.9)}, -1, 1)
	pair.Width, pair.Height = w, h

	vals := make([]float64, 500)
	for i := range vals {
		u := (float64(i) + 0.5) / float64(len(vals))
		vals[i] = -0.1 * math.Sqrt(-2*math.Log(u)) // deterministic, skewed
	}
	hist := Histogram("Peak drawdown across runs", "Drawdown", vals, 20)
	hist.XPercent = true
	hist.Width, hist.Height = w, h

	bars := GroupedBars("Share of forced sales", []string{"Carry traders", "Basis funds", "CTAs", "Risk parity"},
		[]Series{{Name: "Calm", Y: []float64{0.1, 0.4, 0.3, 0.2}}, {Name: "Peak", Y: []float64{0.45, 0.3, 0.15, 0.1}}}, false)
	bars.Percent, bars.ShowValues = true, true
	bars.Width, bars.Height = w, h

	sens := GroupedBars("Rank correlation with peak drawdown", []string{"carry.leverage", "cta.lookback", "basis.haircut", "dealer.capacity"},
		[]Series{{Y: []float64{0.62, -0.15, 0.41, -0.55}}}, true)
	sens.ValueRange, sens.ValueLabel, sens.ShowValues = [2]float64{-1, 1}, "Spearman rank correlation", true
	sens.Width, sens.Height = w, h

	nan := math.NaN()
	ranges := Ranges("Capital lost by bank across runs", []string{"HU23", "DE21", "FR13", "NL33", "UK46", "DK07"}, []Range{
		{P5: 22, P25: 63, P50: 68, P75: 77, P95: 86}, {P5: 17, P25: 25, P50: 40, P75: 57, P95: 68}, {P5: 21, P25: 32, P50: 49, P75: 71, P95: 84},
		{P5: 19, P25: 27, P50: 44, P75: 63, P95: 75}, {P5: 20, P25: 42, P50: 48, P75: 55, P95: 59}, {P5: nan, P25: nan, P50: nan, P75: nan, P95: nan}})
	ranges.ValueLabel = "loss_pct, %"
	ranges.Width, ranges.Height = w, h

	return map[string]Chart{
		"figure": fig, "stacked": stack, "fan": fanChart, "scatter": scatter,
		"heatmap": heat, "heatmap_pair": pair, "histogram": hist,
		"bars": bars, "bars_horizontal": sens, "ranges": ranges,
	}
}

// chartTitle returns the title of a sample chart.
func chartTitle(c Chart) string {
	switch c := c.(type) {
	case *Figure:
		return c.Title
	case *HeatmapChart:
		return c.Title
	case *HistogramChart:
		return c.Title
	case *BarChart:
		return c.Title
	case *RangeChart:
		return c.Title
	}
	return ""
}

// keepDir returns the directory named by CASCADE_PLOT_DIR, where tests
// leave their renders for a person to look at, or a temporary directory.
func keepDir(t *testing.T) string {
	if dir := os.Getenv("CASCADE_PLOT_DIR"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

func TestChartsSavePNGAndSVG(t *testing.T) {
	dir := keepDir(t)
	for name, c := range sampleCharts() {
		t.Run(name, func(t *testing.T) {
			pngPath := filepath.Join(dir, name+".png")
			if err := c.Save(pngPath); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(pngPath)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != 900 || b.Dy() != 600 {
				t.Errorf("PNG is %d×%d pixels, want 900×600", b.Dx(), b.Dy())
			}

			svgPath := filepath.Join(dir, name+".svg")
			if err := c.Save(svgPath); err != nil {
				t.Fatal(err)
			}
			svg, err := os.ReadFile(svgPath)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(svg, []byte(`width="432pt" height="288pt"`)) {
				t.Errorf("SVG does not declare a 432×288pt size:\n%.300s", svg)
			}
			if title := chartTitle(c); !bytes.Contains(svg, []byte(">"+title+"</text>")) {
				t.Errorf("SVG does not contain the title %q", title)
			}

			var pdf bytes.Buffer
			if err := c.Encode(&pdf, "pdf"); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
				t.Errorf("PDF output does not start with %%PDF")
			}
		})
	}
}

func TestSaveErrors(t *testing.T) {
	dir := t.TempDir()
	fig := &Figure{Panels: []Panel{{Series: []Series{{Y: []float64{1, 2}}}}}}
	if err := fig.Save(filepath.Join(dir, "plot.gif")); err == nil {
		t.Error("Save with a .gif extension succeeded; want an error")
	}
	if _, err := os.Stat(filepath.Join(dir, "plot.gif")); !os.IsNotExist(err) {
		t.Error("a failed Save left a file behind")
	}
	if err := fig.Save(filepath.Join(dir, "missing", "plot.png")); err == nil {
		t.Error("Save into a missing directory succeeded; want an error")
	}
	bad := &Figure{Width: -1, Panels: fig.Panels}
	if err := bad.Encode(&bytes.Buffer{}, "png"); err == nil {
		t.Error("Encode with a negative width succeeded; want an error")
	}
}

func TestPNGDPI(t *testing.T) {
	fig := &Figure{Width: 3 * vg.Inch, Height: 2 * vg.Inch, DPI: 300,
		Panels: []Panel{{Series: []Series{{Y: []float64{1, 3, 2}}}}}}
	var buf bytes.Buffer
	if err := fig.Encode(&buf, "png"); err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 900 || cfg.Height != 600 {
		t.Errorf("3×2 inch PNG at 300 dpi is %d×%d pixels, want 900×600", cfg.Width, cfg.Height)
	}
}

// degenerateCharts returns charts built from awkward inputs.
func degenerateCharts() map[string]Chart {
	nan, inf := math.NaN(), math.Inf(1)
	allNaN := []float64{nan, nan, nan}
	constant := []float64{5, 5, 5, 5}
	x := []float64{1, 2, 3, 4}
	cases := map[string]Chart{
		"no panels":        &Figure{Title: "Empty"},
		"empty series":     &Figure{Panels: []Panel{{Series: []Series{{Name: "a"}, {X: []float64{}, Y: []float64{}}}}}},
		"nil everything":   &Figure{TimeAxis: true, Panels: []Panel{{}, {}}},
		"all NaN":          &Figure{Panels: []Panel{{Series: []Series{{X: x, Y: allNaN}}}}},
		"all NaN time":     &Figure{TimeAxis: true, Panels: []Panel{{Series: []Series{{X: allNaN, Y: allNaN}}}}},
		"constant":         &Figure{Panels: []Panel{{Series: []Series{{X: x, Y: constant}}}}},
		"constant zero":    &Figure{Panels: []Panel{{Series: []Series{{X: x, Y: []float64{0, 0, 0, 0}}}}}},
		"constant x":       &Figure{TimeAxis: true, Panels: []Panel{{Series: []Series{{X: []float64{aug1, aug1}, Y: []float64{1, 2}}}}}},
		"single point":     &Figure{TimeAxis: true, Panels: []Panel{{Series: []Series{{X: []float64{aug1}, Y: []float64{150}}}}}},
		"infinities":       &Figure{Panels: []Panel{{Series: []Series{{X: x, Y: []float64{1, inf, -inf, 2}}}, HLines: []float64{nan, inf}}}},
		"mismatched":       &Figure{Panels: []Panel{{Series: []Series{{X: x, Y: []float64{1, 2}}}, Bands: []Band{{X: x, Lo: []float64{1}, Hi: []float64{2, 3, 4}}}}}},
		"log non-positive": &Figure{Panels: []Panel{{LogY: true, Series: []Series{{X: x, Y: []float64{-1, 0, 10, 1000}}}, Bands: []Band{{X: x, Lo: []float64{-1, 0, 1, 2}, Hi: []float64{1, 2, 30, 4000}}}}}},
		"log all negative": &Figure{Panels: []Panel{{LogY: true, Series: []Series{{X: x, Y: []float64{-1, -2, -3, -4}}}, HLines: []float64{-1}}}},
		"log bad range":    &Figure{Panels: []Panel{{LogY: true, YRange: [2]float64{-1, 10}, Series: []Series{{X: x, Y: x}}}}},
		"fixed range":      &Figure{Panels: []Panel{{YRange: [2]float64{0, 1}, Series: []Series{{X: x, Y: []float64{-5, 0.5, 7, 0.2}}}}}},
		"inverted range":   &Figure{Panels: []Panel{{YRange: [2]float64{1, 0}, Series: []Series{{X: x, Y: x}}}}},
		"markers outside":  &Figure{Markers: []Marker{{X: -100, Label: "before"}, {X: nan, Label: "nan"}, {X: 2, Label: ""}}, Panels: []Panel{{Series: []Series{{X: x, Y: x}}}}},
		"many markers":     &Figure{Markers: manyMarkers(), Panels: []Panel{{Series: []Series{{X: x, Y: x}}}}},
		"many series":      &Figure{Panels: []Panel{{Series: manySeries(20)}}},
		"columns":          &Figure{Columns: 5, Panels: []Panel{{Series: []Series{{X: x, Y: x}}}, {}, {Scatter: true}}},
		"stacked empty":    StackedArea("s", "", "", nil, nil, true),
		"stacked NaN":      StackedArea("s", "", "", []float64{1, nan, 3}, []Series{{Y: []float64{nan, 1}}, {Y: nil}}, false),
		"stacked zeros":    StackedArea("s", "", "", x, []Series{{Y: []float64{0, 0, 0, 0}}}, false),
		"fan empty":        FanChart("f", "", "", Fan{}, true),
		"fan NaN":          FanChart("f", "", "", Fan{X: x, P5: allNaN, P50: constant}, false),
		"scatter nil":      Scatter("s", "", "", nil, nil),
		"scatter NaN":      Scatter("s", "", "", x, []float64{nan, 1, inf, 1}),
		"heatmap empty":    Heatmap("h", nil, nil, -1, 1),
		"heatmap ragged":   Heatmap("h", []string{"a", "b", "c"}, [][]float64{{1}, {0.5, 1, 0.2, 9}}, -1, 1),
		"heatmap NaN":      Heatmap("h", []string{"a", "b"}, [][]float64{{nan, nan}, {nan, nan}}, 0, 0),
		"heatmap constant": Heatmap("h", []string{"a", "b"}, [][]float64{{2, 2}, {2, 2}}, 1, 1),
		"heatmap big":      Heatmap("h", manyLabels(40), identity(40), -1, 1),
		"heatmap seq":      HeatmapPair("h", []string{"a", "b"}, Matrix{Values: [][]float64{{0, 1}, {2, 3}}}, Matrix{}, 0, 3),
		"histogram empty":  Histogram("h", "x", nil, 10),
		"histogram NaN":    Histogram("h", "x", allNaN, 10),
		"histogram const":  Histogram("h", "x", constant, 0),
		"histogram zero":   Histogram("h", "x", []float64{0}, -3),
		"histogram huge":   Histogram("h", "x", []float64{1, 2, 3}, 1e9),
		"bars empty":       GroupedBars("b", nil, nil, false),
		"bars NaN":         GroupedBars("b", []string{"a", "b"}, []Series{{Y: []float64{nan, inf}}}, true),
		"bars long names":  GroupedBars("b", manyLabels(30), []Series{{Y: make([]float64, 30)}}, false),
		"bars no labels":   GroupedBars("b", nil, []Series{{Y: []float64{1, -2}}, {Y: []float64{3}}}, false),
		"ranges empty":     Ranges("r", nil, nil),
		"ranges NaN":       Ranges("r", []string{"a", "b"}, []Range{{P5: nan, P25: nan, P50: nan, P75: nan, P95: nan}, {P5: inf, P50: nan}}),
		"ranges constant":  Ranges("r", []string{"a"}, []Range{{P5: 5, P25: 5, P50: 5, P75: 5, P95: 5}}),
		"ranges ragged":    Ranges("r", manyLabels(30), []Range{{P5: 1, P95: 2}}),
	}
	return cases
}

func manyMarkers() []Marker {
	var ms []Marker
	for i := range 12 {
		ms = append(ms, Marker{X: 2 + float64(i)*0.01, Label: "event " + strings.Repeat("x", i)})
	}
	return ms
}

func manySeries(n int) []Series {
	ss := make([]Series, n)
	for i := range ss {
		ss[i] = Series{Name: "series " + strings.Repeat("s", i%5), Y: wave(50, float64(i), 1)}
	}
	return ss
}

func manyLabels(n int) []string {
	ls := make([]string, n)
	for i := range ls {
		ls[i] = "a long category name " + strings.Repeat("x", i%7)
	}
	return ls
}

func identity(n int) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		m[i][i] = 1
	}
	return m
}

func TestDegenerateInputsDoNotPanic(t *testing.T) {
	keep := os.Getenv("CASCADE_PLOT_DIR")
	for name, c := range degenerateCharts() {
		t.Run(name, func(t *testing.T) {
			for _, format := range []string{"png", "svg"} {
				var buf bytes.Buffer
				if err := c.Encode(&buf, format); err != nil {
					t.Errorf("%s: %v", format, err)
				}
				if buf.Len() == 0 {
					t.Errorf("%s: empty output", format)
				}
				if keep != "" && format == "png" {
					file := "degenerate_" + strings.ReplaceAll(name, " ", "_") + ".png"
					if err := os.WriteFile(filepath.Join(keep, file), buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}

func TestNaNBreaksLine(t *testing.T) {
	// A NaN must split the line into two strokes rather than connect the
	// neighbours or drop to zero. Count the strokes in the series colour.
	stroke := []byte("stroke:#0072B2")
	count := func(y []float64) int {
		fig := &Figure{Panels: []Panel{{YRange: [2]float64{0, 10}, Series: []Series{{Y: y}}}}}
		var buf bytes.Buffer
		if err := fig.Encode(&buf, "svg"); err != nil {
			t.Fatal(err)
		}
		return bytes.Count(buf.Bytes(), stroke)
	}
	whole := count([]float64{1, 2, 3, 4, 5, 6})
	broken := count([]float64{1, 2, 3, math.NaN(), 5, 6})
	if whole != 1 || broken != 2 {
		t.Errorf("strokes without NaN = %d, with one NaN = %d; want 1 and 2", whole, broken)
	}
}

func TestRangesIgnoreNaN(t *testing.T) {
	p := Panel{Series: []Series{{Y: []float64{10, math.NaN(), 20, math.Inf(-1)}}}}
	lo, hi := p.yRange(false)
	if lo < 9 || lo > 10 || hi < 20 || hi > 21 {
		t.Errorf("y range = [%g, %g], want about [9.5, 20.5]", lo, hi)
	}
	s := Panel{Stacked: true, Series: []Series{{Y: []float64{1, 2}}, {Y: []float64{-3, 4}}}}
	lo, hi = s.yRange(false)
	if lo >= -3 || hi <= 6 || hi > 7 {
		t.Errorf("stacked y range = [%g, %g], want just beyond [-3, 6]", lo, hi)
	}
}

func TestTicks(t *testing.T) {
	labels := func(ts []string) string { return strings.Join(ts, " ") }
	lin := func(lo, hi float64, n int, percent bool) string {
		var ls []string
		for _, tk := range (linearTicks{n: n, percent: percent}).Ticks(lo, hi) {
			ls = append(ls, tk.Label)
		}
		return labels(ls)
	}
	for _, tc := range []struct {
		lo, hi  float64
		n       int
		percent bool
		want    string
	}{
		{-1, 1, 5, false, "\u22121.0 \u22120.5 0.0 0.5 1.0"},
		{132, 153, 4, false, "135 140 145 150"},
		{0, 1.7e10, 4, false, "0 5B 10B 15B"},
		{0, 45000, 5, false, "0 10k 20k 30k 40k"},
		{0.04, 0.155, 4, true, "5% 10% 15%"},
		{-0.021, 0.01, 3, true, "\u22122% \u22121% 0% 1%"},
	} {
		if got := lin(tc.lo, tc.hi, tc.n, tc.percent); got != tc.want {
			t.Errorf("linear ticks on [%g, %g]: got %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}

	sty := textStyle(sizeTick, false, inkColor)
	for _, tc := range []struct {
		span       float64
		width      vg.Length
		want, axis string
	}{
		{2 * 3600, 200, "00:30 01:00 01:30 02:00", "Thu 1 Aug 2024 (UTC)"},
		{3 * 86400, 480, "12:00 Aug 02 12:00 Aug 03 12:00 Aug 04", "2024 (UTC)"},
		{21 * 86400, 200, "Aug 05 Aug 12 Aug 19", "2024 (UTC)"},
		{90 * 86400, 200, "Sep Oct", "2024 (UTC)"},
		{400 * 86400, 200, "Oct 2025 Apr Jul", "UTC"},
	} {
		tt := timeTicks{length: tc.width, style: sty}
		lo, hi := aug1+1234, aug1+1234+tc.span
		var ls []string
		for _, tk := range tt.Ticks(lo, hi) {
			ls = append(ls, tk.Label)
		}
		if got := labels(ls); got != tc.want {
			t.Errorf("time ticks over %gh at width %v: got %q, want %q", tc.span/3600, tc.width, got, tc.want)
		}
		if got := tt.offsetLabel(lo, hi); got != tc.axis {
			t.Errorf("time axis label over %gh: got %q, want %q", tc.span/3600, got, tc.axis)
		}
		// Labels must fit along the axis without overlapping.
		var w vg.Length
		for _, l := range ls {
			w += sty.Width(l) + sty.Width("M")
		}
		if w > tc.width {
			t.Errorf("time tick labels %q need %v, more than the axis length %v", ls, w, tc.width)
		}
	}
}

// TestTimeTickEndUnlabelled: a tick at the very end of a time axis keeps
// its mark but not its label, which would reach past the data area and
// narrow it: aug2024's span ends at midnight on 17 August, and its
// correlation plot, narrowed by the label, fell from a label every third
// day to one a week.
func TestTimeTickEndUnlabelled(t *testing.T) {
	lo := float64(time.Date(2024, 7, 29, 0, 0, 0, 0, time.UTC).Unix())
	sty := textStyle(sizeTick, false, inkColor)
	for _, c := range []struct {
		hi   float64
		want string
	}{
		{lo + 4*86400, "Jul 29 Jul 30 Jul 31 Aug 01 "},        // ends on a tick: its mark, no label
		{lo + 4*86400 - 3600, "Jul 29 Jul 30 Jul 31 Aug 01"},  // ends before it
		{lo + 86400, "Jul 29 04:00 08:00 12:00 16:00 20:00 "}, // a day of hours: the next midnight unlabelled
	} {
		var ls []string
		for _, tk := range (timeTicks{length: 300, style: sty}).Ticks(lo, c.hi) {
			ls = append(ls, tk.Label)
		}
		if got := strings.Join(ls, " "); got != c.want {
			t.Errorf("ticks to %s: %q, want %q", unixTime(c.hi), got, c.want)
		}
	}
}

// TestCountTicksWhole: a count axis (a histogram's) is labelled at whole
// numbers only; a sweep of 40 runs' histogram read "2.5 7.5 12.5 17.5".
func TestCountTicksWhole(t *testing.T) {
	for _, c := range []struct {
		hi   float64
		n    int
		want string
	}{
		{21, 9, "0 2 4 6 8 10 12 14 16 18 20"}, // a step of 2.5 becomes 2
		{3.15, 8, "0 1 2 3"},                   // 0.5 becomes 1
		{105, 5, "0 25 50 75 100"},             // whole steps stay
	} {
		var ls []string
		for _, tk := range (linearTicks{n: c.n, integer: true}).Ticks(0, c.hi) {
			ls = append(ls, tk.Label)
		}
		if got := strings.Join(ls, " "); got != c.want {
			t.Errorf("count ticks to %g (%d): %q, want %q", c.hi, c.n, got, c.want)
		}
	}
}

func TestDecimateKeepsExtremes(t *testing.T) {
	pts := make([]vg.Point, 20000)
	for i := range pts {
		pts[i] = vg.Point{X: vg.Length(i) * 0.02, Y: vg.Length(math.Sin(float64(i) / 7))}
	}
	pts[12345].Y = 50
	out := decimate(pts)
	if len(out) >= len(pts)/4 {
		t.Errorf("decimate kept %d of %d points", len(out), len(pts))
	}
	if out[0] != pts[0] || out[len(out)-1] != pts[len(pts)-1] {
		t.Error("decimate dropped an end point")
	}
	found := false
	for _, p := range out {
		found = found || p.Y == 50
	}
	if !found {
		t.Error("decimate dropped the spike")
	}
}

func TestLongSeries(t *testing.T) {
	const n = 10000
	x := make([]float64, n)
	for i := range x {
		x[i] = aug1 + float64(i)*60
	}
	var ss []Series
	for k := range 4 {
		ss = append(ss, Series{Name: "path", X: x, Y: wave(n, float64(100*k), 5)})
	}
	fig := &Figure{TimeAxis: true, Panels: []Panel{{Series: ss}, {Series: ss[:1], LogY: true}}}
	start := time.Now()
	var svg, pngBuf bytes.Buffer
	if err := fig.Encode(&svg, "svg"); err != nil {
		t.Fatal(err)
	}
	if err := fig.Encode(&pngBuf, "png"); err != nil {
		t.Fatal(err)
	}
	t.Logf("5×10,000 points: SVG %d kB, PNG %d kB in %v", svg.Len()>>10, pngBuf.Len()>>10, time.Since(start))
	if svg.Len() > 1<<20 {
		t.Errorf("SVG of 5×10,000 points is %d bytes; decimation should keep it under 1 MiB", svg.Len())
	}
}

func TestPlotGolden(t *testing.T) {
	for name, c := range sampleCharts() {
		t.Run(name, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := c.Encode(&a, "svg"); err != nil {
				t.Fatal(err)
			}
			if err := c.Encode(&b, "svg"); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatal("two renders of the same chart differ")
			}
			goldenCompare(t, "plot_"+name+".svg", a.Bytes())
		})
	}
}

func BenchmarkFigure10k(b *testing.B) {
	const n = 10000
	x := make([]float64, n)
	for i := range x {
		x[i] = aug1 + float64(i)*60
	}
	fig := &Figure{TimeAxis: true, Panels: []Panel{
		{Series: []Series{{X: x, Y: wave(n, 100, 5)}, {X: x, Y: wave(n, 90, 5)}}},
		{Series: []Series{{X: x, Y: wave(n, 1, 0.1)}}},
	}}
	for _, format := range []string{"png", "svg"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				if err := fig.Encode(&bytes.Buffer{}, format); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestPaletteDistinct: the first twelve colours differ (sales by reason
// stacks ten series), and the palette then wraps.
func TestPaletteDistinct(t *testing.T) {
	seen := map[color.Color]int{}
	for i := 0; i < 12; i++ {
		c := Color(i)
		if j, dup := seen[c]; dup {
			t.Errorf("Color(%d) = Color(%d) = %v", i, j, c)
		}
		seen[c] = i
	}
	if Color(12) != Color(0) || Color(-1) != Color(11) {
		t.Errorf("the palette does not wrap at twelve")
	}
}

// TestMarkerKey: markers whose labels do not fit in two staggered rows are
// numbered in the order of their lines and their labels listed in the
// legend, none left out; markers with room keep their labels on the chart.
func TestMarkerKey(t *testing.T) {
	x := []float64{0, 1, 2, 3, 4}
	for _, c := range []struct {
		name    string
		markers []Marker
		keyed   bool
	}{
		{"crowded", []Marker{{X: 0.2, Label: "BOJ hike to 0.25%"}, {X: 0.25, Label: "Ueda open to more hikes"},
			{X: 0.6, Label: "FOMC signals September cut"}, {X: 1, Label: "ISM manufacturing 46.8 (48.8 expected)"},
			{X: 1.4, Label: "payrolls +114k"}, {X: 2.2, Label: "Uchida - no hikes while markets unstable"}, {X: 3, Label: "end"}}, true},
		{"spread", []Marker{{X: 0.5, Label: "first"}, {X: 3.5, Label: "second"}}, false},
	} {
		f := &Figure{Markers: c.markers, Panels: []Panel{{Series: []Series{{Name: "s", X: x, Y: x}}}}}
		cells := f.cells()
		layoutCells(draw.New(vgimg.New(DefaultWidth, DefaultHeight)), "", nil, cells, 1)
		cl := cells[0]
		var keys []legendItem
		for _, it := range cl.legend {
			if it.kind == swatchKey {
				keys = append(keys, it)
			}
		}
		if cl.keyed != c.keyed {
			t.Fatalf("%s: keyed %v, want %v", c.name, cl.keyed, c.keyed)
		}
		if !c.keyed {
			for i, m := range cl.marks {
				if m.label != c.markers[i].Label || cl.markRow[i] < 0 {
					t.Errorf("%s: mark %d label %q row %d", c.name, i, m.label, cl.markRow[i])
				}
			}
			if len(keys) != 0 {
				t.Errorf("%s: %d key entries", c.name, len(keys))
			}
			continue
		}
		if len(keys) != len(c.markers) {
			t.Fatalf("%s: %d key entries for %d markers", c.name, len(keys), len(c.markers))
		}
		shown := map[string]bool{} // each number printed above the chart
		for i, txt := range cl.markText {
			if cl.markRow[i] >= 0 && txt != "" {
				for _, k := range strings.Split(txt, ",") {
					shown[k] = true
				}
			}
		}
		for i, m := range cl.marks { // the markers are in x order
			want := strconv.Itoa(i + 1)
			if m.key != want || keys[i].key != want || keys[i].name != c.markers[i].Label || !shown[want] {
				t.Errorf("%s: mark %d key %q (shown %v), legend %q %q", c.name, i, m.key, shown[want], keys[i].key, keys[i].name)
			}
		}
	}
}

// TestLegendLongName: a legend entry wider than its panel's data area (an
// 83-letter asset id) is shortened in the middle to fit, keeping both
// ends; it used to run off the right edge of prices.png, cut at
// "...LONG_NA". Names that fit are left whole.
func TestLegendLongName(t *testing.T) {
	long := "NIKKEI_225_STOCK_AVERAGE_INDEX_OF_THE_TOKYO_STOCK_EXCHANGE_FIRST_SECTION_LONG_NAME"
	x := []float64{0, 1, 2}
	f := &Figure{Panels: []Panel{{Series: []Series{{Name: "SPX", X: x, Y: x}, {Name: long, X: x, Y: x}}}}}
	cells := f.cells()
	width := DefaultWidth / 2
	layoutCells(draw.New(vgimg.New(width, DefaultHeight)), "", nil, cells, 1)
	cl := cells[0]
	if len(cl.legend) != 2 || cl.legend[0].name != "SPX" {
		t.Fatalf("legend %+v", cl.legend)
	}
	got := cl.legend[1]
	if w := got.width(); w > width-2*outerMargin {
		t.Errorf("entry %q is %.1f wide, the figure %.1f", got.name, w, width)
	}
	head, tail, ok := strings.Cut(got.name, "…")
	if !ok || !strings.HasPrefix(long, head) || !strings.HasSuffix(long, tail) || len(head) < 10 || len(tail) < 10 {
		t.Errorf("entry %q: want the id's two ends around an ellipsis", got.name)
	}
}

// TestRangeChartHeight: a range chart without a height fits its rows,
// 13 points a row and 1.6 inches for the title, legend and axis, and is
// never lower than a one-row chart; a height given is kept.
func TestRangeChartHeight(t *testing.T) {
	for _, c := range []struct {
		rows   int
		height vg.Length
		want   vg.Length
	}{
		{3, 0, DefaultHeight},
		{48, 0, 48*13 + 1.6*72},
		{1000, 0, 1000*13 + 1.6*72},
		{48, 2 * vg.Inch, 2 * vg.Inch},
	} {
		r := Ranges("r", manyLabels(c.rows), make([]Range, c.rows))
		r.Height = c.height
		if w, h, dpi := r.size(); w != DefaultWidth || h != c.want || dpi != DefaultDPI {
			t.Errorf("%d rows, height %v: size %v × %v at %d dpi, want %v × %v at %d", c.rows, c.height, w, h, dpi, DefaultWidth, c.want, DefaultDPI)
		}
	}
}
