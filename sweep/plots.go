package sweep

import (
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"

	"github.com/cascade-sim/cascade/output"
)

// Plot file stems (each written as .png and .svg under plots/):
// fan_SERIES, hist_METRIC, sensitivity and compression_drawdown.

// renderPlots draws the sweep's plots into dir/plots and returns the files
// written, relative to dir.
func renderPlots(dir string, man *Manifest, b *Bands, smp *sample, sens []sensRow) ([]string, error) {
	pdir := filepath.Join(dir, "plots")
	if err := os.MkdirAll(pdir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	used := map[string]bool{}
	save := func(stem string, c output.Chart) error {
		stem0 := slug(stem)
		stem = stem0
		for k := 2; used[stem]; k++ {
			stem = fmt.Sprintf("%s_%d", stem0, k)
		}
		used[stem] = true
		for _, ext := range []string{".png", ".svg"} {
			if err := c.Save(filepath.Join(pdir, stem+ext)); err != nil {
				return err
			}
			files = append(files, "plots/"+stem+ext)
		}
		return nil
	}
	p := man.Plan
	runs := fmt.Sprintf("%d runs, %s", man.ShardRuns, strings.ReplaceAll(man.Sweep.Design, "_", " "))
	if man.Shard.Count > 1 {
		runs += ", shard " + man.Shard.String()
	}
	np := len(man.Sweep.Parameters)
	note := ""
	if len(smp.index) < man.ShardRuns {
		note = fmt.Sprintf("; a sample of %d", len(smp.index))
	}

	// Fan charts: the 5–95% and 25–75% bands and the median of each series,
	// with the base run's path.
	x := make([]float64, p.Ticks)
	for t := range x {
		x[t] = float64(p.Times[t].Unix())
	}
	var marks []output.Marker
	for _, m := range p.Markers {
		marks = append(marks, output.Marker{X: float64(m.Time.Unix()), Label: m.Label})
	}
	for s, name := range p.Series {
		qs := make([][]float64, len(BandQuantiles))
		for j, q := range BandQuantiles {
			qs[j] = make([]float64, p.Ticks)
			for t := range qs[j] {
				qs[j][t] = b.Quantile(s, t, q)
			}
		}
		base := make([]float64, p.Ticks)
		for t := range base {
			base[t] = float64(p.Base[s][t])
		}
		panel := output.FanPanel("Quantiles across "+runs, seriesLabel(name), output.Fan{X: x, P5: qs[0], P25: qs[1], P50: qs[2], P75: qs[3], P95: qs[4]})
		panel.Series = append(panel.Series, output.Series{Name: "base scenario", X: x, Y: base, Color: color.Gray{Y: 90}})
		fig := &output.Figure{Title: fmt.Sprintf("%s: %s", man.Sweep.Name, name), TimeAxis: true, Markers: marks,
			Panels: []output.Panel{panel}}
		if err := save("fan_"+name, fig); err != nil {
			return nil, err
		}
	}

	// Histograms of the metrics.
	for m, name := range man.Sweep.Metrics {
		h := output.Histogram(fmt.Sprintf("%s: %s", man.Sweep.Name, name), fmt.Sprintf("%s (%s%s)", name, runs, note), smp.cols[np+m], 0)
		if err := save("hist_"+name, h); err != nil {
			return nil, err
		}
	}

	// Sensitivity: the rank correlation of every parameter with every metric.
	if np > 0 && len(man.Sweep.Metrics) > 0 {
		rows := make([]string, np)
		vals := make([][]float64, np)
		for i, q := range man.Sweep.Parameters {
			rows[i] = q.Name
			vals[i] = make([]float64, len(man.Sweep.Metrics))
			for m := range man.Sweep.Metrics {
				vals[i][m] = sens[i*len(man.Sweep.Metrics)+m].rho
			}
		}
		hm := output.TableHeatmap(man.Sweep.Name+": Spearman rank correlation of each parameter with each metric", rows, man.Sweep.Metrics, vals, -1, 1)
		hm.Note = fmt.Sprintf("%s%s; n/a: a constant parameter or metric", runs, note)
		if err := save("sensitivity", hm); err != nil {
			return nil, err
		}
	}

	// Compression index (stress stored before the trigger) against the
	// headline drawdown.
	ci, dd := -1, -1
	for m, name := range man.Sweep.Metrics {
		switch name {
		case "compression_index":
			ci = np + m
		case "headline_move_pct":
			dd = np + m
		}
	}
	if ci >= 0 && dd >= 0 {
		var xs, ys []float64
		for i := range smp.cols[ci] {
			if finite(smp.cols[ci][i]) && finite(smp.cols[dd][i]) {
				xs, ys = append(xs, smp.cols[ci][i]), append(ys, smp.cols[dd][i])
			}
		}
		head := p.Headline
		if head == "" {
			head = "headline asset"
		}
		sc := output.Scatter(fmt.Sprintf("%s: compression index against %s drawdown", man.Sweep.Name, head),
			fmt.Sprintf("compression index before the trigger (%s%s)", runs, note), head+" peak-to-trough drawdown, %", xs, ys)
		if err := save("compression_drawdown", sc); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// seriesLabel names a series' unit for the y axis.
func seriesLabel(name string) string {
	switch {
	case name == "vix":
		return "VIX proxy, points"
	case name == "mean_corr":
		return "mean rolling correlation"
	case strings.HasSuffix(name, "_usd"):
		return name + ", USD"
	case strings.HasSuffix(name, "_bp"):
		return name + ", bp"
	case strings.HasSuffix(name, "_pct") || strings.HasSuffix(name, "_yield"):
		return name + ", %"
	}
	return name
}

// slug makes a name safe as a file name.
func slug(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, s)
}
