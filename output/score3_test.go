package output

import (
	"math"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/scenarios"
)

// edgeTable is an hourly time series from Monday 5 Aug 2024 00:00 UTC, of
// n rows: USDJPY is 100, and 120 in the rows labelled from 21:00 UTC on
// 7 Aug (after that day's New York close, 20:00 UTC).
func edgeTable(n int) *Table {
	return stepTable(time.Date(2024, 8, 5, 0, 0, 0, 0, time.UTC), n,
		time.Date(2024, 8, 7, 21, 0, 0, 0, time.UTC), 100, 120)
}

// stepTable is an hourly time series from start, of n rows: USDJPY is
// before, and after in the rows labelled from jump on.
func stepTable(start time.Time, n int, jump time.Time, before, after float64) *Table {
	times, px := make([]time.Time, n), make([]float64, n)
	for k := range n {
		times[k] = start.Add(time.Duration(k) * time.Hour)
		px[k] = before
		if !times[k].Before(jump) {
			px[k] = after
		}
	}
	ts := &Table{}
	ts.Add(TimeCol("time", times))
	ts.Add(FloatCol("USDJPY", px))
	return ts
}

func edgeDay(d int) time.Time { return time.Date(2024, 8, d, 0, 0, 0, 0, time.UTC) }

// TestScoreBeyondTheRun: a close the run does not reach is not measured.
// 72 rows end at 00:00 UTC on 8 Aug, before that day's New York close
// (20:00 UTC). Before, close_change to 8 Aug read the last row (the state
// at midnight, 4 hours after the 7 Aug close) as the 8 Aug close: +20%,
// passing an observation of +20 ± 1; and a peak to 8 Aug was taken over the
// part of its window the run covers.
func TestScoreBeyondTheRun(t *testing.T) {
	obs := []scenarios.Observation{
		{Name: "close to 8 Aug", Quantity: "close_change", Asset: "USDJPY", From: edgeDay(6), To: edgeDay(8), Observed: 20, Tolerance: 1},
		{Name: "peak to 8 Aug", Quantity: "peak", Asset: "USDJPY", From: edgeDay(6), To: edgeDay(8), Observed: 120, Tolerance: 1},
		{Name: "7 to 8 Aug", Quantity: "close_change", Asset: "USDJPY", From: edgeDay(7), To: edgeDay(8), Observed: 20, Tolerance: 1},
	}
	rows, err := Score(obs, edgeTable(72))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !math.IsNaN(r.Simulated) || r.Pass {
			t.Errorf("%s: simulated %v (pass %v), want not measurable (NaN, FAIL): the run ends at 00:00 UTC on 8 Aug", r.Name, r.Simulated, r.Pass)
		}
	}
}

// TestScoreLastDayClose: when the run reaches the New York close of its
// last day, that close is read: 93 rows end at 21:00 UTC on 8 Aug, and the
// 8 Aug close is the row ending at 20:00 UTC.
func TestScoreLastDayClose(t *testing.T) {
	obs := []scenarios.Observation{
		{Name: "7 to 8 Aug", Quantity: "close_change", Asset: "USDJPY", From: edgeDay(7), To: edgeDay(8), Observed: 20, Tolerance: 0.001},
		{Name: "peak to 8 Aug", Quantity: "peak", Asset: "USDJPY", From: edgeDay(6), To: edgeDay(8), Observed: 120, Tolerance: 0.001},
	}
	rows, err := Score(obs, edgeTable(93))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !r.Pass {
			t.Errorf("%s: simulated %v, want %v", r.Name, r.Simulated, r.Observed)
		}
	}
}
