package scenarios

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// labelled is a scenario on mini whose events share labels: two
// "sell-off" shocks, a "dip", and an event labelled "2", which is also
// the third event's index.
const labelled = `extends: mini
events:
  - {tick: 2, kind: shock, label: sell-off, shocks: {SPX: -0.02}}
  - {tick: 5, kind: shock, label: sell-off, shocks: {NKY: -0.03}}
  - {tick: 8, kind: shock, label: dip, shocks: {SPX: -0.01}}
  - {tick: 10, kind: shock, label: "2", shocks: {NKY: -0.01}}
  - {tick: 12, kind: volatility, multiplier: 2}
  - {tick: 14, kind: shock, label: SPX -1.5%, shocks: {SPX: -0.015}}
`

func writeScenario(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestEventsByLabel: a path's brackets in the events list hold an index,
// an id, or a label, which addresses every event that has it exactly (an
// event without a label has its kind's). An index is taken before a
// label that reads as one. The label mark of an edited event still holds
// for each event changed.
func TestEventsByLabel(t *testing.T) {
	p := writeScenario(t, "labelled.yaml", labelled)
	for _, c := range []struct {
		set    string
		off    []bool    // per event
		spx    []float64 // per event, its SPX shock
		labels []string  // per event
	}{
		{"events[sell-off].off=true",
			[]bool{true, true, false, false, false, false}, []float64{-0.02, 0, -0.01, 0, 0, -0.015},
			[]string{"sell-off (edited: off=true)", "sell-off (edited: off=true)", "dip", "2", "", "SPX -1.5%"}},
		{"events[sell-off].shocks.SPX=-0.05",
			[]bool{false, false, false, false, false, false}, []float64{-0.05, -0.05, -0.01, 0, 0, -0.015},
			[]string{"sell-off (edited: shocks.SPX=-0.05)", "sell-off (edited: shocks.SPX=-0.05)", "dip", "2", "", "SPX -1.5%"}},
		{"events.dip.off=true",
			[]bool{false, false, true, false, false, false}, []float64{-0.02, 0, -0.01, 0, 0, -0.015},
			[]string{"sell-off", "sell-off", "dip (edited: off=true)", "2", "", "SPX -1.5%"}},
		// "2" is the third event's index before it is the fourth's label.
		{"events[2].off=true",
			[]bool{false, false, true, false, false, false}, []float64{-0.02, 0, -0.01, 0, 0, -0.015},
			[]string{"sell-off", "sell-off", "dip (edited: off=true)", "2", "", "SPX -1.5%"}},
		// An event without a label by its kind, which its outputs show.
		{"events[volatility].off=true",
			[]bool{false, false, false, false, true, false}, []float64{-0.02, 0, -0.01, 0, 0, -0.015},
			[]string{"sell-off", "sell-off", "dip", "2", "", "SPX -1.5%"}},
		// A label with a dot, bare: the longest run of segments that is one.
		{"events.SPX -1.5%.shocks.SPX=-0.03",
			[]bool{false, false, false, false, false, false}, []float64{-0.02, 0, -0.01, 0, 0, -0.03},
			[]string{"sell-off", "sell-off", "dip", "2", "", "SPX -1.5% (edited: shocks.SPX=-0.03)"}},
	} {
		sc, err := Load(p, []string{c.set})
		if err != nil {
			t.Fatalf("%s: %v", c.set, err)
		}
		evs := sc.File.Events
		if len(evs) != len(c.off) {
			t.Fatalf("%s: %d events, want %d", c.set, len(evs), len(c.off))
		}
		for j, e := range evs {
			if e.Off != c.off[j] || e.Shocks["SPX"] != c.spx[j] || e.Label != c.labels[j] {
				t.Errorf("%s: event %d off %v, SPX %v, label %q; want %v, %v, %q", c.set, j, e.Off, e.Shocks["SPX"], e.Label, c.off[j], c.spx[j], c.labels[j])
			}
		}
	}
}

// TestEventLabelUnknown: a label that no event has is refused at the
// override's segment, with the labels and the nearest of them.
func TestEventLabelUnknown(t *testing.T) {
	p := writeScenario(t, "labelled.yaml", labelled)
	for _, c := range []struct {
		set  string
		want []string
	}{
		{"events[sell off].off=true", []string{`--set #1:1:8: events[sell off].off: no event with index, id or label "sell off" (did you mean "sell-off"?); the events' labels: "sell-off", "dip", "2", "volatility" or "SPX -1.5%"`}},
		{"events[Dip].shocks.SPX=-0.1", []string{`--set #1:1:8:`, `did you mean "dip"?`}},
		// Part of a label, which the edit distance does not find.
		{"events[Sell].off=true", []string{`--set #1:1:8:`, `(did you mean "sell-off"?)`}},
		{"events[7].off=true", []string{`--set #1:1:8:`, "index 7 out of range (the list has 6 elements)"}},
		// A label with a mark of the outputs, which overrides do not address.
		{"events[dip (varied by the sweep)].shocks.SPX=-0.1", []string{`--set #1:1:8:`, `(did you mean "dip"?)`}},
	} {
		_, err := Load(p, []string{c.set})
		if err == nil {
			t.Errorf("%s: loaded", c.set)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error\n%v\nwant it to hold\n%s", c.set, err, w)
			}
		}
	}
}

// runPaths runs a scenario and returns its price paths, tick by tick, and the
// texts of its scenario events.
func runPaths(t *testing.T, sc *Scenario) ([][]float64, []string) {
	t.Helper()
	m, err := sim.Build(&sc.File.Config, sc.File.Config.Seed)
	if err != nil {
		t.Fatal(err)
	}
	rec := &pathRecorder{}
	if err := m.Run(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	return rec.prices, rec.events
}

type pathRecorder struct {
	prices [][]float64
	events []string
}

func (r *pathRecorder) Begin(*sim.Model) error { return nil }
func (r *pathRecorder) End(*sim.Model) error   { return nil }
func (r *pathRecorder) Observe(f *sim.Frame) error {
	r.prices = append(r.prices, slices.Clone(f.Price))
	for _, e := range f.Events {
		if e.Kind == core.EvScenario {
			r.events = append(r.events, e.Text())
		}
	}
	return nil
}

// TestEventOff: an event switched off is not there: the run's price paths
// equal, bit for bit, those of the scenario written without it, and its
// line is not logged; the other events are.
func TestEventOff(t *testing.T) {
	p := writeScenario(t, "labelled.yaml", labelled)
	without := writeScenario(t, "without.yaml", `extends: mini
events:
  - {tick: 8, kind: shock, label: dip, shocks: {SPX: -0.01}}
  - {tick: 10, kind: shock, label: "2", shocks: {NKY: -0.01}}
  - {tick: 12, kind: volatility, multiplier: 2}
  - {tick: 14, kind: shock, label: SPX -1.5%, shocks: {SPX: -0.015}}
`)
	load := func(p string, sets ...string) *Scenario {
		sc, err := Load(p, sets)
		if err != nil {
			t.Fatal(err)
		}
		return sc
	}
	all, allEvents := runPaths(t, load(p))
	off, offEvents := runPaths(t, load(p, "events[sell-off].off=true"))
	want, wantEvents := runPaths(t, load(without))
	if len(off) != len(want) || len(want) == 0 {
		t.Fatalf("%d ticks, want %d", len(off), len(want))
	}
	for k := range want {
		for i := range want[k] {
			if off[k][i] != want[k][i] {
				t.Fatalf("tick %d asset %d: price %v with the events off, %v without them", k, i, off[k][i], want[k][i])
			}
		}
	}
	if slices.EqualFunc(all, want, slices.Equal) {
		t.Error("the sell-offs move no price: the test shows nothing")
	}
	if !slices.Equal(offEvents, wantEvents) || len(wantEvents) != 4 {
		t.Errorf("events logged %q, want %q", offEvents, wantEvents)
	}
	if n := len(allEvents); n != 6 || !slices.Contains(allEvents, "sell-off") {
		t.Errorf("with every event on, logged %q", allEvents)
	}
}
