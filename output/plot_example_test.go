package output_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/cascade-sim/cascade/output"
	"gonum.org/v1/plot/vg"
)

// A two-panel price chart on a shared time axis, with an event marker
// drawn through both panels and labelled above the top one.
func ExampleFigure_Save() {
	start := time.Date(2024, 7, 29, 0, 0, 0, 0, time.UTC)
	const hours = 21 * 24
	t := make([]float64, hours)
	usdjpy := make([]float64, hours)
	nikkei := make([]float64, hours)
	for i := range t {
		t[i] = float64(start.Add(time.Duration(i) * time.Hour).Unix())
		crash := 1 / (1 + math.Exp(-float64(i-170)/8)) // the unwind
		usdjpy[i] = 150 - 9*crash + math.Sin(float64(i)/11)
		nikkei[i] = 38000 - 9000*crash + 400*math.Sin(float64(i)/7)
	}
	hike := float64(time.Date(2024, 7, 31, 3, 0, 0, 0, time.UTC).Unix())
	payrolls := float64(time.Date(2024, 8, 2, 12, 30, 0, 0, time.UTC).Unix())

	fig := &output.Figure{
		Title:    "Yen carry unwind",
		TimeAxis: true,
		Markers: []output.Marker{
			{X: hike, Label: "BoJ hike"},
			{X: payrolls, Label: "US payrolls"},
		},
		Panels: []output.Panel{
			{Title: "USD/JPY", YLabel: "JPY per USD", Series: []output.Series{{Name: "Spot", X: t, Y: usdjpy}}},
			{Title: "Nikkei 225", YLabel: "Index", Series: []output.Series{{Name: "Close", X: t, Y: nikkei}}},
		},
		Width:  7 * vg.Inch,
		Height: 5 * vg.Inch,
	}

	dir, err := os.MkdirTemp("", "cascade-plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for _, name := range []string{"unwind.png", "unwind.svg"} {
		if err := fig.Save(filepath.Join(dir, name)); err != nil {
			log.Fatal(err)
		}
		fmt.Println("saved", name)
	}
	// Output:
	// saved unwind.png
	// saved unwind.svg
}

// Correlations in a calm window next to those at the peak of a cascade,
// on one diverging colour scale centred at zero.
func ExampleHeatmapPair() {
	labels := []string{"USD/JPY", "Nikkei", "UST 10y"}
	calm := output.Matrix{Title: "Calm", Values: [][]float64{{1, 0.2, -0.1}, {0.2, 1, 0.1}, {-0.1, 0.1, 1}}}
	peak := output.Matrix{Title: "Peak", Values: [][]float64{{1, 0.9, -0.6}, {0.9, 1, -0.7}, {-0.6, -0.7, 1}}}
	chart := output.HeatmapPair("Return correlations", labels, calm, peak, -1, 1)

	var svg countingWriter
	if err := chart.Encode(&svg, "svg"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(svg.n > 0)
	// Output: true
}

// countingWriter counts the bytes written to it.
type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}
