package output

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/scenarios"
)

// TestScoreRowJSON: a row whose run gives no value (NaN) is written with
// "simulated": null, which encoding/json refuses for a plain NaN; a value
// is written exactly, and every other field keeps its name.
func TestScoreRowJSON(t *testing.T) {
	for _, c := range []struct {
		sim  float64
		want string
	}{
		{math.NaN(), `"simulated":null`},
		{-12.180671000438847, `"simulated":-12.180671000438847`},
	} {
		b, err := json.Marshal(ScoreRow{Name: "Nikkei 5 Aug", Quantity: "close_change", Asset: "NKY", Observed: -12.4,
			Simulated: c.sim, Tolerance: "[-16, -8]", Pass: c.sim == c.sim, Source: "Nikkei 225"})
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if !strings.Contains(s, c.want) || strings.Count(s, `"simulated"`) != 1 {
			t.Errorf("%v: %s, want one %s", c.sim, s, c.want)
		}
		for _, f := range []string{`"name":"Nikkei 5 Aug"`, `"quantity":"close_change"`, `"asset":"NKY"`, `"observed":-12.4`,
			`"tolerance":"[-16, -8]"`, `"source":"Nikkei 225"`} {
			if !strings.Contains(s, f) {
				t.Errorf("%v: %s lacks %s", c.sim, s, f)
			}
		}
		var back struct{ Simulated *float64 }
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if (back.Simulated == nil) != math.IsNaN(c.sim) || (back.Simulated != nil && *back.Simulated != c.sim) {
			t.Errorf("%v: read back %v", c.sim, back.Simulated)
		}
	}
}

// TestScoreNYCloseIsEndOfTick: a time-series row is labelled with the start
// of its tick and holds the state at its end (docs/outputs.md), so the New
// York close of 5 Aug 2024 (16:00 EDT = 20:00 UTC) is the row labelled 19:00
// UTC, not the one labelled 20:00, which holds the price at 17:00 New York.
// Here USDJPY is 100 at every hourly close except after 20:00 UTC on 5 Aug,
// when it jumps to 110 in the hour after the close: from the close of 2 Aug
// to the close of 5 Aug it did not move.
func TestScoreNYCloseIsEndOfTick(t *testing.T) {
	jump := time.Date(2024, 8, 5, 20, 0, 0, 0, time.UTC) // tick [20:00, 21:00) UTC = [16:00, 17:00) New York
	ts := stepTable(time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC), 6*24, jump, 100, 110)
	o := scenarios.Observation{Name: "USDJPY 2 Aug to 5 Aug", Quantity: "close_change", Asset: "USDJPY",
		From: time.Date(2024, 8, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 8, 5, 0, 0, 0, 0, time.UTC), Observed: 0, Tolerance: 1}
	rows, err := Score([]scenarios.Observation{o}, ts)
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[0].Simulated; got != 0 {
		t.Errorf("close_change from the 2 Aug to the 5 Aug New York close = %.2f%%, want 0 (the +10%% move came at 16:00-17:00 New York, after the close)", got)
	}
}

// TestScoreYieldPeakTrough: yield_peak and yield_trough read the bond's
// yield column (percent), over the window peak and trough use: from the
// start to the New York close of to. The yield rises from 4.0% to 4.6%
// at 12:00 UTC on 3 Aug and falls to 3.9% at 21:00 UTC on 4 Aug, after
// that day's close (20:00 UTC): the trough to 4 Aug is 4.0, to 5 Aug 3.9;
// the peak is 4.6 either way. The price column is not read: a peak of
// the price would be the lowest yield.
func TestScoreYieldPeakTrough(t *testing.T) {
	start := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)
	n := 6 * 24
	times, px, y := make([]time.Time, n), make([]float64, n), make([]float64, n)
	for k := range n {
		times[k] = start.Add(time.Duration(k) * time.Hour)
		y[k] = 4.0
		if !times[k].Before(time.Date(2024, 8, 3, 12, 0, 0, 0, time.UTC)) {
			y[k] = 4.6
		}
		if !times[k].Before(time.Date(2024, 8, 4, 20, 0, 0, 0, time.UTC)) {
			y[k] = 3.9
		}
		px[k] = 100 - 8*(y[k]-4)
	}
	ts := &Table{}
	ts.Add(TimeCol("time", times))
	ts.Add(FloatCol("UST10Y", px))
	ts.Add(FloatCol("UST10Y_yield", y))
	day := func(d int) time.Time { return time.Date(2024, 8, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		q    string
		to   int
		want float64
	}{
		{"yield_peak", 4, 4.6}, {"yield_peak", 5, 4.6}, {"yield_trough", 4, 4.0}, {"yield_trough", 5, 3.9},
		{"peak", 5, 100 - 8*(3.9-4)}, {"trough", 4, 100 - 8*(4.6-4)},
	} {
		o := scenarios.Observation{Name: c.q, Quantity: c.q, Asset: "UST10Y", To: day(c.to), Observed: c.want, Tolerance: 0.01}
		rows, err := Score([]scenarios.Observation{o}, ts)
		if err != nil {
			t.Fatal(err)
		}
		if got := rows[0].Simulated; math.Abs(got-c.want) > 1e-12 || !rows[0].Pass {
			t.Errorf("%s to %d Aug: %v (pass %v), want %v", c.q, c.to, got, rows[0].Pass, c.want)
		}
	}
	if cols := ScoreColumns([]scenarios.Observation{{Quantity: "yield_trough", Asset: "UST10Y"}}); len(cols) != 1 || cols[0] != "UST10Y_yield" {
		t.Errorf("yield_trough reads %v, want [UST10Y_yield]", cols)
	}
}
