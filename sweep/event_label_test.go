package sweep

import (
	"strings"
	"testing"
)

// TestEventLabelInSweep: a sweep's set: addresses events by label, as
// --set does (it goes through the same loader); a parameter's path does
// not yet (sweep/resolve.go reads brackets as an index or an id), and is
// refused naming the label rather than sweeping the wrong event.
func TestEventLabelInSweep(t *testing.T) {
	sw, err := writeSweep(t, "base: mini\nseed: 7\nruns: 1\nset: ['events[BOJ hike].off=true']\nparameters:\n  - {path: events.1.delta, dist: {kind: fixed, value: 0.004}}\nmetrics: [headline_move_pct]\n")
	if err != nil {
		t.Fatal(err)
	}
	evs := sw.Base.File.Config.Events
	if len(evs) != 2 || !evs[0].Off || evs[1].Off || evs[0].Label != "BOJ hike (edited: off=true)" {
		t.Errorf("set by label: events %+v", evs)
	}
	_, err = writeSweep(t, "base: mini\nseed: 7\nruns: 1\nparameters:\n  - {path: 'events[hawkish guidance].delta', dist: {kind: fixed, value: 0.004}}\nmetrics: [headline_move_pct]\n")
	if err == nil || !strings.Contains(err.Error(), `"hawkish guidance"`) {
		t.Errorf("parameter by label: error %v", err)
	}
}
