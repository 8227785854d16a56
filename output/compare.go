package output

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"text/tabwriter"

	"github.com/cascade-sim/cascade/sim"
	"gonum.org/v1/plot/vg"
)

// CompareRow is one line of a side-by-side comparison of two runs.
// A and B are null in JSON where a quantity is undefined (NaN: a
// correlation of an asset that did not move, a VIX proxy in a world
// without one).
type CompareRow struct {
	Name string  `json:"name"`
	A    sim.Num `json:"a"`
	B    sim.Num `json:"b"`
}

// Diff returns B − A.
func (r CompareRow) Diff() float64 { return float64(r.B - r.A) }

// CompareRows lists the summary quantities of two runs side by side.
func CompareRows(a, b *sim.Summary) []CompareRow {
	var rows []CompareRow
	add := func(name string, x, y sim.Num) { rows = append(rows, CompareRow{name, x, y}) }
	ids := make([]string, 0, len(a.Assets))
	for id := range a.Assets {
		if _, ok := b.Assets[id]; ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		x, y := a.Assets[id], b.Assets[id]
		add(id+" max drawdown %", x.MaxDrawdownPct, y.MaxDrawdownPct)
		add(id+" change %", 100*(x.End/x.Start-1), 100*(y.End/y.Start-1))
		if x.Yield != nil && y.Yield != nil {
			add(id+" yield change bp", 100*(x.Yield.End-x.Yield.Start), 100*(y.Yield.End-y.Yield.Start))
		}
	}
	// Rows that neither world can have are left out (see PrintSummary).
	either := func(kinds ...string) bool { return a.Has(kinds...) || b.Has(kinds...) }
	if a.HasVIX() || b.HasVIX() {
		add("VIX proxy peak", a.VIX.Peak, b.VIX.Peak)
	}
	add("mean correlation peak", a.Correlation.PeakMean, b.Correlation.PeakMean)
	bn := func(x sim.Num) sim.Num { return x / 1e9 }
	add("sales USD bn", bn(a.ForcedSales.Total), bn(b.ForcedSales.Total))
	for _, k := range unionKeys(a.ForcedSales.ByKind, b.ForcedSales.ByKind) {
		add("  by "+k+" USD bn", bn(a.ForcedSales.ByKind[k]), bn(b.ForcedSales.ByKind[k]))
	}
	for _, r := range unionKeys(a.ForcedSales.ByReason, b.ForcedSales.ByReason) {
		add("  for "+r+" USD bn", bn(a.ForcedSales.ByReason[r]), bn(b.ForcedSales.ByReason[r]))
	}
	for _, k := range []string{"hedge_fund"} {
		x, y := a.ForcedSales.ByKindAsset[k], b.ForcedSales.ByKindAsset[k]
		for _, id := range unionKeys(x, y) {
			add("  "+k+" sales of "+id+" USD bn", bn(x[id]), bn(y[id]))
		}
	}
	if either("prime_broker") {
		add("margin calls", sim.Num(a.MarginCalls.Count), sim.Num(b.MarginCalls.Count))
		add("margin calls USD bn", bn(a.MarginCalls.TotalUSD), bn(b.MarginCalls.TotalUSD))
	}
	add("defaults", sim.Num(len(a.Defaults)), sim.Num(len(b.Defaults)))
	if either("hedge_fund") {
		for _, k := range []string{"carry", "basis", "equity"} {
			add("unwound "+k+" %", a.UnwoundPct[k], b.UnwoundPct[k])
		}
	}
	add("headline move %", a.HeadlineMove, b.HeadlineMove)
	add("amplification", a.Amplification, b.Amplification)
	if either(sim.Levered...) {
		add("compression index", a.CompressionIndex, b.CompressionIndex)
	}
	return rows
}

func unionKeys(a, b map[string]sim.Num) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	var ks []string
	for k := range seen {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// PrintCompare writes the side-by-side table.
func PrintCompare(w io.Writer, labelA, labelB string, rows []CompareRow) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\t%s\t%s\tB - A\tchange\t\n", labelA, labelB)
	for _, r := range rows {
		a, b := float64(r.A), float64(r.B)
		ch := ""
		if a != 0 && !math.IsNaN(a) && !math.IsNaN(b) {
			ch = fmt.Sprintf("%+.0f%%", 100*(b/a-1))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", r.Name, trim(a), trim(b), trim(r.Diff()), ch)
	}
	tw.Flush()
}

// RenderOverlay draws the price paths of two runs on shared panels (A
// solid, B dashed) into dir as compare_prices.png and .svg.
func RenderOverlay(dir, labelA, labelB string, a, b *Table, meta Meta) ([]string, error) {
	x, err := timeAxis(a)
	if err != nil {
		return nil, err
	}
	var panels []Panel
	for _, g := range []string{"fx", "rates", "equity", "other"} {
		p := Panel{Title: groupTitle(g), YLabel: "start = 100", HLines: []float64{100}}
		k := 0
		for _, as := range meta.Assets {
			if as.Group != g || as.Kind == "illiquid" {
				continue
			}
			ca, ok1 := a.Column(as.ID)
			cb, ok2 := b.Column(as.ID)
			if !ok1 || !ok2 || len(ca.F) == 0 || len(cb.F) != len(ca.F) {
				continue
			}
			c := Color(k)
			k++
			p.Series = append(p.Series, Series{Name: as.ID + " " + labelA, X: x, Y: norm(ca.F), Color: c},
				Series{Name: as.ID + " " + labelB, X: x, Y: norm(cb.F), Color: c, Dashed: true})
		}
		if len(p.Series) > 0 {
			panels = append(panels, p)
		}
	}
	fig := &Figure{Title: fmt.Sprintf("%s (solid) vs %s (dashed)", labelA, labelB), TimeAxis: true, Markers: markers(meta), Panels: panels, Height: 7 * vg.Inch}
	var files []string
	for _, ext := range []string{".png", ".svg"} {
		p := filepath.Join(dir, "compare_prices"+ext)
		if err := fig.Save(p); err != nil {
			return files, err
		}
		files = append(files, p)
	}
	return files, nil
}

func norm(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = 100 * x / v[0]
	}
	return out
}
