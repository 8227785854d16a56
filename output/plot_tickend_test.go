package output

import (
	"context"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/sim"
)

// TestTickEnds: a row is drawn at the end of its tick, its time plus the
// tick, which is read from the rows' spacing when not given.
func TestTickEnds(t *testing.T) {
	t0 := time.Date(2024, 8, 5, 0, 0, 0, 0, time.UTC)
	hours := []time.Time{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour)}
	for _, c := range []struct {
		name  string
		times []time.Time
		tick  time.Duration
		want  []float64
	}{
		{"hourly", hours, time.Hour, []float64{float64(t0.Unix() + 3600), float64(t0.Unix() + 7200), float64(t0.Unix() + 10800)}},
		{"from the spacing", hours, 0, []float64{float64(t0.Unix() + 3600), float64(t0.Unix() + 7200), float64(t0.Unix() + 10800)}},
		{"daily", hours[:1], 24 * time.Hour, []float64{float64(t0.Unix() + 86400)}},
		{"one row, no tick", hours[:1], 0, []float64{float64(t0.Unix())}},
	} {
		got := TickEnds(c.times, c.tick)
		if len(got) != len(c.want) {
			t.Fatalf("%s: %d instants, want %d", c.name, len(got), len(c.want))
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: row %d at %s, want %s", c.name, i, unixTime(got[i]), unixTime(c.want[i]))
			}
		}
	}
}

// TestEventBeforeItsMove: eba2018's shock is scripted for 2 January, the
// start of tick 1, and tick 1's close holds the fall. Drawn at the start of
// its tick, that close sat on the event's line and the fall ran from 1
// January, before the shock; drawn at the tick's end (3 January) the line
// is flat up to the event and falls after it. Every time-series figure
// spans the run, from its start (where an event at tick 0 stands) to the
// end of its last tick.
func TestEventBeforeItsMove(t *testing.T) {
	charts, meta := scenarioCharts(t, "eba2018")
	jan := func(d int) float64 { return float64(time.Date(2019, 1, d, 0, 0, 0, 0, time.UTC).Unix()) }
	if len(meta.Events) != 1 || float64(meta.Events[0].Time.Unix()) != jan(2) {
		t.Fatalf("eba2018's events %v, want one on 2 January", meta.Events)
	}
	for _, c := range charts {
		f, ok := c.c.(*Figure)
		if !ok || !f.TimeAxis {
			continue
		}
		if f.XRange != [2]float64{jan(1), jan(11)} {
			t.Errorf("%s spans %s to %s, want the run's 1 to 11 January", c.name, unixTime(f.XRange[0]), unixTime(f.XRange[1]))
		}
		if c.name != "prices" {
			continue
		}
		s := f.Panels[0].Series[0] // GOVB
		if s.Name != "GOVB" || s.X[0] != jan(2) || s.X[1] != jan(3) {
			t.Fatalf("prices: %s's first closes at %s and %s, want 2 and 3 January", s.Name, unixTime(s.X[0]), unixTime(s.X[1]))
		}
		// Flat to the event, below it a day later.
		if s.Y[0] != 100 || !(s.Y[1] < 90) {
			t.Errorf("prices: GOVB %.2f at the event, %.2f a day later; want 100 and under 90", s.Y[0], s.Y[1])
		}
	}
}

// scenarioCharts runs the built-in name at its seed with the recorder and
// summary collector cascade run uses, and returns the charts run draws
// from them and the run's Meta.
func scenarioCharts(t *testing.T, name string) ([]namedChart, Meta) {
	t.Helper()
	m := buildScenario(t, name)
	rec, col := NewRecorder(false), sim.NewCollector()
	if err := m.Run(context.Background(), col, rec); err != nil {
		t.Fatal(err)
	}
	meta := rec.Meta()
	charts, err := runCharts(rec.Timeseries(), meta, col.S)
	if err != nil {
		t.Fatal(err)
	}
	return charts, meta
}
