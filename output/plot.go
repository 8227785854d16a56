package output

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default output geometry used when a chart's Width, Height or DPI is zero.
const (
	// DefaultWidth is the default chart width: a full text width in a
	// two-column paper, or a comfortable notebook cell.
	DefaultWidth = 7 * vg.Inch
	// DefaultHeight is the default height of a one-row chart.
	DefaultHeight = 4.5 * vg.Inch
	// DefaultDPI is the default PNG resolution in dots per inch.
	DefaultDPI = 150
)

// okabeIto is the Okabe–Ito colour-blind-safe palette, ordered so that the
// first colours are the most distinct on white; yellow comes last of the
// eight, and four more follow.
var okabeIto = [...]color.NRGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0x00, 0x00, 0x00, 0xFF}, // black
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
	// Beyond Okabe–Ito, for charts with more than eight series (sales by
	// reason has ten): darker, distinct from the eight on white.
	{0x88, 0x88, 0x88, 0xFF}, // grey
	{0x8C, 0x51, 0x0A, 0xFF}, // brown
	{0x5E, 0x3C, 0x99, 0xFF}, // purple
	{0x4D, 0x6B, 0x1F, 0xFF}, // olive
}

// Color returns colour i of the package palette, the colour-blind-safe
// Okabe–Ito set and four more. Every chart gives its i-th series Color(i),
// so a caller that keeps the order of, say, agent kinds fixed gets the same
// colour for the same kind in every figure. Indices wrap around after
// twelve colours (lines then also switch to dashes so they stay
// distinguishable).
func Color(i int) color.Color {
	n := len(okabeIto)
	return okabeIto[((i%n)+n)%n]
}

// seriesDashes returns the dash pattern of line i: solid for the first
// cycle through the palette, then dashed, then dotted.
func seriesDashes(i int) []vg.Length {
	switch (i / len(okabeIto)) % 3 {
	case 1:
		return []vg.Length{vg.Points(5), vg.Points(2.5)}
	case 2:
		return []vg.Length{vg.Points(1.5), vg.Points(1.5)}
	}
	return nil
}

// Neutral colours of the chart furniture.
var (
	inkColor   = color.NRGBA{0x22, 0x22, 0x22, 0xFF} // text
	axisColor  = color.NRGBA{0x55, 0x55, 0x55, 0xFF} // frame, ticks
	gridColor  = color.NRGBA{0xE3, 0xE3, 0xE3, 0xFF}
	mutedColor = color.NRGBA{0x66, 0x66, 0x66, 0xFF} // marker labels, notes
	nanColor   = color.NRGBA{0xEE, 0xEE, 0xEE, 0xFF} // missing heatmap cells
)

// Font sizes in points.
const (
	sizeTitle  = 12.5
	sizePanel  = 10
	sizeLabel  = 9.5
	sizeTick   = 8.5
	sizeLegend = 8.5
	sizeNote   = 7.5
)

var (
	sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	boldFont = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

// textStyle returns a plain-text style in the package's sans-serif face.
func textStyle(size float64, bold bool, c color.Color) text.Style {
	f := sansFont
	if bold {
		f = boldFont
	}
	return text.Style{
		Color:   c,
		Font:    font.From(f, vg.Points(size)),
		XAlign:  draw.XLeft,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
}

// aligned returns sty with the given alignment.
func aligned(sty text.Style, x draw.XAlignment, y draw.YAlignment) text.Style {
	sty.XAlign, sty.YAlign = x, y
	return sty
}

// fillTextAt draws txt so that its bounding box is aligned at pt as
// requested: YTop puts the font's ascent line at pt.Y and YBottom its
// descent line, whatever the font's line gap.
func fillTextAt(c draw.Canvas, sty text.Style, pt vg.Point, txt string) {
	if txt == "" {
		return
	}
	e := sty.FontExtents()
	h := e.Ascent + e.Descent
	// Plain.Draw places the baseline at pt.Y + YAlign*Height + (Size - Ascent)
	// where Height = Ascent + Descent for one line; shift so that the box
	// [baseline-Descent, baseline+Ascent] sits where asked.
	want := pt.Y + vg.Length(vg.Length(sty.YAlign)*h) + e.Descent
	got := pt.Y + vg.Length(vg.Length(sty.YAlign)*sty.Height(txt)) + sty.Font.Size - e.Ascent
	if sty.Rotation == 0 {
		pt.Y += want - got
	}
	c.FillText(sty, pt, txt)
}

// minTitleSize is the smallest size, in points, to which fitTitle shrinks
// a title.
const minTitleSize = 8

// fitTitle returns the style of a chart's title: titleStyle, or a smaller
// size of it when title is wider than w (a long sweep name or pattern),
// down to minTitleSize.
func fitTitle(title string, w vg.Length) text.Style {
	wd := titleStyle.Width(title)
	if wd <= w || w <= 0 {
		return titleStyle
	}
	return textStyle(max(sizeTitle*float64(w/wd), minTitleSize), true, inkColor)
}

// textHeight returns the height of one line of text in sty.
func textHeight(sty text.Style) vg.Length {
	e := sty.FontExtents()
	return e.Ascent + e.Descent
}

// frameLine is the style of the data-area frame, axes and ticks.
var frameLine = draw.LineStyle{Color: axisColor, Width: vg.Points(0.6)}

// chartSize returns the effective width, height and DPI.
func chartSize(w, h vg.Length, dpi int, defaultHeight vg.Length) (vg.Length, vg.Length, int) {
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = defaultHeight
	}
	if dpi == 0 {
		dpi = DefaultDPI
	}
	return w, h, dpi
}

// errFormat reports an unsupported output format.
var errFormat = errors.New("unsupported plot format (want png, svg or pdf)")

// plotFormat returns the output format implied by a file name.
func plotFormat(path string) string {
	return strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
}

// saveChart renders with draw into the file at path, choosing the format
// from its extension. The file is replaced atomically; on error it is left
// untouched.
func saveChart(path string, w, h vg.Length, dpi int, drawFn func(draw.Canvas)) error {
	var buf bytes.Buffer
	if err := encodeChart(&buf, plotFormat(path), w, h, dpi, drawFn); err != nil {
		return fmt.Errorf("output: save %s: %w", path, err)
	}
	return WriteFileAtomic(path, func(wr io.Writer) error {
		_, err := buf.WriteTo(wr)
		return err
	})
}

// encodeChart renders with draw onto a fresh canvas of the given size and
// format and writes the encoded image to wr. A panic while drawing (gonum
// panics on some degenerate inputs) is returned as an error.
func encodeChart(wr io.Writer, format string, w, h vg.Length, dpi int, drawFn func(draw.Canvas)) (err error) {
	if !(w > 0 && h > 0) || math.IsInf(float64(w), 0) || math.IsInf(float64(h), 0) {
		return fmt.Errorf("invalid plot size %v×%v", w, h)
	}
	if dpi <= 0 {
		return fmt.Errorf("invalid plot DPI %d", dpi)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing %s plot: %v", format, r)
		}
	}()
	switch format {
	case "png":
		c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
		drawFn(draw.New(c))
		_, err = vgimg.PngCanvas{Canvas: c}.WriteTo(wr)
		return err
	case "svg":
		c := vgsvg.New(w, h)
		drawFn(draw.New(c))
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return err
		}
		_, err = wr.Write(svgFontFallback(buf.Bytes()))
		return err
	case "pdf":
		c := pdfCanvas{vgpdf.New(w, h)}
		drawFn(draw.New(c))
		_, err = c.WriteTo(wr)
		return err
	}
	return fmt.Errorf("%w: %q", errFormat, format)
}

// pdfCanvas works around two limits of vgpdf. It registers every font
// under the empty style but selects bold faces with style "B", which fails,
// so bold text is passed on as a regular-weight font of its own family name
// (which still carries the bold glyphs). And it encodes text as Windows-1252,
// which lacks the typographic minus sign, so that becomes a hyphen.
type pdfCanvas struct{ *vgpdf.Canvas }

// FillString implements vg.Canvas.
func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight != xfont.WeightNormal {
		f.Font.Variant += font.Variant(fmt.Sprintf("W%d", int(f.Font.Weight)))
		f.Font.Weight = xfont.WeightNormal
	}
	c.Canvas.FillString(f, pt, strings.ReplaceAll(s, "\u2212", "-"))
}

// svgFontFallback lets SVG viewers without the Liberation fonts fall back
// to the metric-compatible Arial/Helvetica instead of a serif default.
func svgFontFallback(b []byte) []byte {
	return bytes.ReplaceAll(b,
		[]byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
}

// plotterFunc adapts a function to the plot.Plotter interface.
type plotterFunc func(c draw.Canvas, p *plot.Plot)

// Plot implements plot.Plotter.
func (f plotterFunc) Plot(c draw.Canvas, p *plot.Plot) { f(c, p) }

// isFinite reports whether v is neither NaN nor infinite.
func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// valueRange accumulates the finite minimum and maximum of values.
type valueRange struct{ min, max float64 }

// emptyRange returns a range that contains nothing.
func emptyRange() valueRange { return valueRange{math.Inf(1), math.Inf(-1)} }

// add extends r to include v if v is finite (and positive when positive is set).
func (r *valueRange) add(v float64, positive bool) {
	if !isFinite(v) || (positive && v <= 0) {
		return
	}
	r.min = math.Min(r.min, v)
	r.max = math.Max(r.max, v)
}

// ok reports whether r holds at least one value.
func (r valueRange) ok() bool { return r.min <= r.max }

// fillRect fills the rectangle r with col.
func fillRect(c draw.Canvas, r vg.Rectangle, col color.Color) {
	c.SetColor(col)
	c.Fill(r.Path())
}

// withAlpha returns col with its opacity multiplied by a.
func withAlpha(col color.Color, a float64) color.Color {
	n := color.NRGBAModel.Convert(col).(color.NRGBA)
	n.A = uint8(math.Round(float64(n.A) * a))
	return n
}

// tint mixes col with white; f = 0 keeps col, f = 1 gives white.
func tint(col color.Color, f float64) color.Color {
	n := color.NRGBAModel.Convert(col).(color.NRGBA)
	mix := func(v uint8) uint8 { return uint8(math.Round(float64(v) + float64((255-float64(v))*f))) }
	return color.NRGBA{mix(n.R), mix(n.G), mix(n.B), 0xFF}
}

// luminance returns the relative luminance of col in [0, 1].
func luminance(col color.Color) float64 {
	r, g, b, _ := col.RGBA()
	return (float64(0.2126*float64(r)) + float64(0.7152*float64(g)) + float64(0.0722*float64(b))) / 0xFFFF
}

// Chart is implemented by every chart type of this package: Figure (line,
// band, stacked-area and scatter panels on a shared x axis), HeatmapChart,
// HistogramChart and BarChart. Charts are built from plain Go values, know
// nothing about the simulator, and render with gonum.org/v1/plot.
//
// Sizes are vg.Lengths (points, 1/72 inch); a PNG is Width×DPI/72 by
// Height×DPI/72 pixels, with DPI defaulting to DefaultDPI. Text is set in
// Liberation Sans (SVG viewers without it fall back to Arial or Helvetica,
// which have the same metrics), and colours come from the colour-blind-safe
// Okabe–Ito palette (see Color). The SVG output is byte-for-byte identical
// for identical input.
type Chart interface {
	// Draw draws the chart onto c, filling it. Use it to place a chart
	// on part of a larger gonum canvas.
	Draw(c draw.Canvas)
	// Encode writes the chart to w in format "png", "svg" or "pdf".
	Encode(w io.Writer, format string) error
	// Save writes the chart to path in the format named by the file
	// extension (.png, .svg or .pdf), replacing the file atomically.
	Save(path string) error
}

var (
	_ Chart = (*Figure)(nil)
	_ Chart = (*HeatmapChart)(nil)
	_ Chart = (*HistogramChart)(nil)
	_ Chart = (*BarChart)(nil)
)
