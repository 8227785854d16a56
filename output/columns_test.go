package output

import (
	"context"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/scentest"
	"github.com/cascade-sim/cascade/sim"
)

// buildScenario builds the named built-in scenario, with the overrides
// sets, at its own seed.
func buildScenario(t *testing.T, name string, sets ...string) *sim.Model {
	t.Helper()
	return scentest.Build(t, name, sets...)
}

// TestTimeseriesColumnsShared: the time series has the columns
// sim.SeriesColumns names, in its order (validation checks those names
// for clashes), each with a value a tick.
func TestTimeseriesColumnsShared(t *testing.T) {
	m := buildScenario(t, "mini")
	rec := NewRecorder(false)
	if err := m.Run(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	ts := rec.Timeseries()
	if err := ts.Validate(); err != nil {
		t.Fatal(err)
	}
	want := sim.SeriesColumns(m)
	if len(ts.Columns) != len(want) {
		t.Fatalf("%d columns, sim.SeriesColumns names %d", len(ts.Columns), len(want))
	}
	for i, c := range ts.Columns {
		if c.Name != want[i].Name {
			t.Errorf("column %d is %q, sim.SeriesColumns names %q", i, c.Name, want[i].Name)
		}
	}
	if ts.Rows() != m.Cfg.Ticks {
		t.Errorf("%d rows for %d ticks", ts.Rows(), m.Cfg.Ticks)
	}
}

// TestRecorderRefusesDuplicateColumn: an asset whose id is also a column of
// the time series (here vix) is refused by Recorder.Begin, before the
// run, not once the run is over and its outputs are written.
func TestRecorderRefusesDuplicateColumn(t *testing.T) {
	for _, id := range []string{"vix", "tick", "depth", "hedge_fund", "NKY_ret"} {
		m := buildScenario(t, "mini")
		m.W.Assets[3].ID = id // SPX
		err := NewRecorder(false).Begin(m)
		if err == nil || !strings.Contains(err.Error(), "duplicate time-series column") {
			t.Errorf("asset id %s: Begin: %v, want a duplicate column", id, err)
		}
	}
}
