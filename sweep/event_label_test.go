package sweep

import (
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
)

// TestEventLabelInSweep: a sweep's set: addresses events by label, as
// --set does (it goes through the same loader).
func TestEventLabelInSweep(t *testing.T) {
	sw, err := writeSweep(t, "base: mini\nseed: 7\nruns: 1\nset: ['events[BOJ hike].off=true']\nparameters:\n  - {path: events.1.delta, dist: {kind: fixed, value: 0.004}}\nmetrics: [headline_move_pct]\n")
	if err != nil {
		t.Fatal(err)
	}
	evs := sw.Base.File.Config.Events
	if len(evs) != 2 || !evs[0].Off || evs[1].Off || evs[0].Label != "BOJ hike (edited: off=true)" {
		t.Errorf("set by label: events %+v", evs)
	}
}

// TestEventLabelParameter: a parameter's path addresses events by label
// as --set does: the fields of every event with the label, by index; a
// label the base's set edits by its label as written, not as the loader
// marks it; an unknown label refused at the path's file:line:col with the
// labels and the nearest.
func TestEventLabelParameter(t *testing.T) {
	const head = "base: mini\nseed: 7\nruns: 2\n"
	for _, c := range []struct {
		name, set, path, extra string
		want                   string // the targets, or a part of the error
		ok                     bool
	}{
		{"label", "", "events[hawkish guidance].delta", "", "events.1.delta", true},
		{"label bare", "", "events.hawkish guidance.delta", "", "events.1.delta", true},
		{"label and key", "", "events[hawkish guidance].shocks.USDJPY", "", "events.1.shocks.USDJPY", true},
		{"label tick", "", "events[BOJ hike].tick", "", "events.0.tick", true},
		{"index still", "", "events[1].delta", "", "events.1.delta", true},
		{"kind for no label", "set: ['events.1.label=\"\"']\n", "events[guidance].delta", "", "events.1.delta", true},
		{"two events", "set: ['events.0.label=JPY', 'events.1.label=JPY']\n", "events[JPY].tick", "", "events.0.tick, events.1.tick", true},
		{"dots in label", "set: ['events.1.label=USDJPY -1.5%']\n", "events.USDJPY -1.5%.delta", "", "events.1.delta", true},
		{"label the set edits", "set: ['events[hawkish guidance].shocks.USDJPY=-0.02']\n", "events[hawkish guidance].delta", "", "events.1.delta", true},
		{"edited mark refused", "set: ['events[hawkish guidance].shocks.USDJPY=-0.02']\n", "events[hawkish guidance (edited: shocks.USDJPY=-0.02)].delta", "",
			`s.yaml:6:12: parameters[0].path: events: no event with index, id or label "hawkish guidance (edited: shocks.USDJPY=-0.02)" (did you mean "hawkish guidance"?)`, false},
		{"under a variant that edits it", "", "events[hawkish guidance].delta",
			"  - {name: fx, variants: [{name: base}, {name: deeper, set: ['events[hawkish guidance].shocks.USDJPY=-0.03']}]}\n", "events.1.delta", true},
		// A set or a variant that names by label the field a parameter
		// sweeps by index: its value would be lost in every run.
		{"set by label, swept by index", "set: ['events[hawkish guidance].delta=0.01']\n", "events.1.delta", "",
			`s.yaml:4:7: set[0]: events[hawkish guidance].delta is also swept by parameters[0] (events.1.delta), whose value replaces the set's in every run`, false},
		{"a variant by label, swept by index", "", "events.1.delta",
			"  - {name: rate, variants: [{name: base}, {name: faster, set: ['events[hawkish guidance].delta=0.01']}]}\n",
			`parameters[1].variants[1].set[0]: events[hawkish guidance].delta is also swept by parameters[0] (events.1.delta)`, false},
		// A parameter that sweeps an event's label: a run's command sets
		// it before a later parameter's path looks for it.
		{"before a swept label", "", "events[hawkish guidance].shocks.USDJPY",
			"  - {path: events.1.label, levels: [hawkish guidance, hawks]}\n", "events.1.shocks.USDJPY", true},
		{"after a swept label", "", "events.1.label",
			"  - {path: 'events[hawkish guidance].shocks.USDJPY', dist: {kind: uniform, min: -0.05, max: -0.01}}\n",
			`s.yaml:6:12: parameters[1].path: events[hawkish guidance].shocks.USDJPY addresses events by label, and parameters[0] sweeps events.1.label: a run's cascade run command would set the label before this path looks for it; address the event by its index (events.1.shocks.USDJPY), or put this parameter first`, false},
		{"unknown", "", "events[hawkish guidnce].delta", "",
			`s.yaml:5:12: parameters[0].path: events: no event with index, id or label "hawkish guidnce" (did you mean "hawkish guidance"?); the events' labels: "BOJ hike" or "hawkish guidance"`, false},
		{"part of a label", "", "events[hawkish].delta", "", `(did you mean "hawkish guidance"?)`, false},
		{"label with =", "set: ['events.1.label=a=b']\n", "events[a=b].delta", "",
			`the label "a=b" holds an =, which cascade run --set (each run's command) reads as the end of the path: address the event by its index (events.1.delta)`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := head + c.set + "parameters:\n  - {path: '" + c.path + "', dist: {kind: list, values: [0.004, 0.006]}}\n" + c.extra + "metrics: [headline_move_pct]\n"
			switch {
			case strings.HasSuffix(c.path, "tick"):
				src = strings.Replace(src, "dist: {kind: list, values: [0.004, 0.006]}", "dist: {kind: list, values: [10, 40]}", 1)
			case strings.HasSuffix(c.path, "label"):
				src = strings.Replace(src, "dist: {kind: list, values: [0.004, 0.006]}", "levels: [hawkish guidance, hawks]", 1)
			}
			sw, err := writeSweep(t, src)
			switch {
			case c.ok && err != nil:
				t.Fatalf("%s: %v", src, err)
			case c.ok:
				if got := strings.Join(sw.Params[0].Targets, ", "); got != c.want {
					t.Errorf("targets %s, want %s", got, c.want)
				}
			case err == nil:
				t.Errorf("no error, want %q", c.want)
			case !strings.Contains(err.Error(), c.want):
				t.Errorf("error %v\nwant %q", err, c.want)
			}
		})
	}
}

// TestEventLabelReproduces: a run of a sweep whose parameter addresses an
// event by label is made again, metric for metric, by the cascade run
// command the sweep prints for it (Reproduce), which sets the field by the
// label as the file writes it; the run's scenario labels the event with
// what its overrides edited, and the sweep's fan charts "(varied by the
// sweep)".
func TestEventLabelReproduces(t *testing.T) {
	const metrics = "metrics: [assets.NKY.max_drawdown_pct, vix.peak, forced_sales_usd.total]\n"
	for _, c := range []struct {
		name, src string
		run       int    // the run to make again
		set       string // one of the overrides its command gives
		labels    string // the run's events' labels, as cascade run gives them
		markers   string // the plan's markers
	}{
		{"one event, its label edited by the set",
			"set: ['events[hawkish guidance].delta=0.01']\nparameters:\n  - {path: 'events[hawkish guidance].shocks.USDJPY', dist: {kind: list, values: [-0.01, -0.05]}}\n", 1,
			"events[hawkish guidance].shocks.USDJPY=-0.05",
			"BOJ hike | hawkish guidance (edited: delta=0.01, shocks.USDJPY=-0.05)",
			"BOJ hike | hawkish guidance (edited: delta=0.01) (varied by the sweep)"},
		{"two events of one label",
			"set: ['events.0.label=JPY', 'events.1.label=JPY']\nparameters:\n  - {path: 'events[JPY].tick', dist: {kind: list, values: [20, 40]}}\n", 0,
			"events.1.at=2024-07-30T20:00:00Z", // an event's tick, by its time, event by event
			"JPY | JPY",                        // the overrides gave the labels
			"JPY (varied by the sweep) | JPY (varied by the sweep)"},
		// times_base: each event at its own base value times the value,
		// one override each, by index, as the label names both.
		{"two events of one label, times_base",
			"set: ['events.0.label=JPY', 'events.1.label=JPY', 'events.0.shocks.USDJPY=-0.01']\nparameters:\n  - {path: 'events[JPY].shocks.USDJPY', times_base: true, dist: {kind: list, values: [1, 3]}}\n", 1,
			"events.0.shocks.USDJPY=-0.03",
			"JPY | JPY",
			"JPY (varied by the sweep) | JPY (varied by the sweep)"},
		{"under a variant that edits the event",
			"parameters:\n  - {path: 'events[hawkish guidance].shocks.USDJPY', dist: {kind: list, values: [-0.01, -0.05]}}\n  - {name: rate, variants: [{name: base}, {name: faster, set: ['events[hawkish guidance].delta=0.01']}]}\n", 3,
			"events[hawkish guidance].shocks.USDJPY=-0.05",
			"BOJ hike | hawkish guidance (edited: delta=0.01, shocks.USDJPY=-0.05)",
			"BOJ hike | hawkish guidance (varied by the sweep)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sw, _ := loadSweep(t, "s.yaml", "base: mini\nseed: 7\ndesign: grid\n"+c.src+metrics)
			_, cmd, sets, seed, _ := reproduced(t, sw, c.run, miniMetrics)
			if !slices.Contains(sets, c.set) {
				t.Errorf("run %d: %s lacks --set %s", c.run, cmd, c.set)
			}
			sc, err := scenarios.Load(sw.BaseName, sets)
			if err != nil {
				t.Fatal(err)
			}
			var labels, markers []string
			for _, e := range sc.File.Config.Events {
				labels = append(labels, e.Label)
			}
			for _, m := range sw.Plan.Markers {
				markers = append(markers, m.Label)
			}
			if got := strings.Join(labels, " | "); got != c.labels {
				t.Errorf("run %d (seed %d): events labelled %q, want %q", c.run, seed, got, c.labels)
			}
			if got := strings.Join(markers, " | "); got != c.markers {
				t.Errorf("the plan's markers %q, want %q", got, c.markers)
			}
		})
	}
}
