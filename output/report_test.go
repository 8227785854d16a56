package output

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/sim"
)

// TestPrintSummaryPeaks: the VIX and correlation lines of the printed
// summary show a peak's value and tick, and "n/a" with no tick when the
// summary has none (NaN values, peak_tick -1: a world with no VIX asset,
// or a correlation window longer than the run) rather than "NaN (tick 71)"
// or "at tick -1".
func TestPrintSummaryPeaks(t *testing.T) {
	nan := sim.Num(math.NaN())
	for _, c := range []struct {
		name     string
		vix      sim.VIXSummary
		corr     sim.CorrSummary
		vixLine  string
		corrLine string
	}{
		{"peaks",
			sim.VIXSummary{Start: 16.04, Peak: 42.46, PeakTick: 30, End: 20.1},
			sim.CorrSummary{Assets: []string{"USDJPY", "SPX"}, WindowTicks: 24, BaselineMean: 0.123, PeakMean: 0.678, PeakTick: 45},
			"VIX proxy 16.0, peak 42.5 (tick 30), end 20.1",
			"mean rolling correlation of USDJPY, SPX (24 ticks): baseline 0.12, peak 0.68 at tick 45"},
		{"no peaks",
			sim.VIXSummary{Start: nan, Peak: nan, PeakTick: -1, End: nan},
			sim.CorrSummary{Assets: []string{"USDJPY", "UST10Y"}, WindowTicks: 100, BaselineMean: nan, PeakMean: nan, PeakTick: -1},
			"VIX proxy n/a, peak n/a, end n/a",
			"mean rolling correlation of USDJPY, UST10Y (100 ticks): baseline n/a, peak n/a"},
	} {
		s := &sim.Summary{Scenario: "test", Tick: "1h", VIX: c.vix, Correlation: c.corr}
		var b bytes.Buffer
		PrintSummary(&b, s)
		lines := map[string]string{}
		for _, l := range strings.Split(b.String(), "\n") {
			for _, p := range []string{"VIX proxy", "mean rolling correlation"} {
				if strings.HasPrefix(l, p) {
					lines[p] = l
				}
			}
		}
		if got := lines["VIX proxy"]; got != c.vixLine {
			t.Errorf("%s: VIX line %q, want %q", c.name, got, c.vixLine)
		}
		if got := lines["mean rolling correlation"]; got != c.corrLine {
			t.Errorf("%s: correlation line %q, want %q", c.name, got, c.corrLine)
		}
	}
}
