package sweep

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
)

// TestOffEventVaried: a parameter that varies a field of an event that is
// off (off: true) in every run changes nothing, and is refused at the
// path (or the also entry) that names the event; an event a parameter or
// a variant switches on in some runs may be varied, and a wildcard over
// the events (which names the off ones too) is left alone. Before, such a
// sweep ran, with a column in runs.csv that varied no run.
func TestOffEventVaried(t *testing.T) {
	// mini with its guidance event off in the base; the sweeps' set
	// cannot switch it off, where a parameter varies its off.
	const base = "extends: mini\nevents:\n" +
		"  - {at: 2024-07-31T03:00:00Z, kind: policy_rate, currency: JPY, rate: 0.0025, label: BOJ hike}\n" +
		"  - {at: 2024-07-31T03:00:00Z, kind: guidance, currency: JPY, delta: 0.005, label: hawkish guidance, shocks: {USDJPY: -0.015}, off: true}\n"
	cases := []struct {
		name, base, set, params string
		want                    string // "" when valid
	}{
		{"by index", "off.yaml", "",
			"  - {path: events.1.delta, dist: {kind: list, values: [0.004, 0.006]}}\n",
			`s.yaml:5:12: parameters[0].path: events.1.delta varies delta of event 1 (hawkish guidance), which is off (off: true) in every run: an event switched off is not applied, so the parameter would change nothing; switch the event on in the file's set (set: [events.1.off=false]), vary its off too, or drop the parameter`},
		{"by label", "off.yaml", "",
			"  - {path: 'events[hawkish guidance].shocks.USDJPY', dist: {kind: list, values: [-0.01, -0.05]}}\n",
			`s.yaml:5:12: parameters[0].path: events[hawkish guidance].shocks.USDJPY varies shocks.USDJPY of event 1 (hawkish guidance), which is off`},
		{"the event's time", "off.yaml", "",
			"  - {path: events.1.tick, dist: {kind: list, values: [10, 40]}}\n",
			`s.yaml:5:12: parameters[0].path: events.1.tick varies tick of event 1 (hawkish guidance), which is off`},
		{"a tie to an off event", "off.yaml", "",
			"  - {path: events.0.rate, also: [{path: events.1.delta, times: 2}], dist: {kind: list, values: [0.002, 0.003]}}\n",
			`s.yaml:5:41: parameters[0].also[0].path: events.1.delta varies delta of event 1 (hawkish guidance), which is off`},
		{"switched off by the set", "mini", "set: ['events[hawkish guidance].off=true']\n",
			"  - {path: events.1.delta, dist: {kind: list, values: [0.004, 0.006]}}\n",
			`s.yaml:6:12: parameters[0].path: events.1.delta varies delta of event 1 (hawkish guidance), which is off`},
		{"an event the base has on", "mini", "",
			"  - {path: events.1.delta, dist: {kind: list, values: [0.004, 0.006]}}\n", ""},
		{"switched on by the set", "off.yaml", "set: [events.1.off=false]\n",
			"  - {path: events.1.delta, dist: {kind: list, values: [0.004, 0.006]}}\n", ""},
		{"off varied too", "off.yaml", "",
			"  - {path: events.1.delta, dist: {kind: list, values: [0.004, 0.006]}}\n  - {path: events.1.off, levels: [true, false]}\n", ""},
		{"on under a variant", "off.yaml", "",
			"  - {path: events.1.delta, dist: {kind: list, values: [0.004, 0.006]}}\n  - {name: guidance, variants: [{name: none}, {name: given, set: ['events[hawkish guidance].off=false']}]}\n", ""},
		{"a wildcard", "off.yaml", "",
			"  - {path: 'events.*.tick', dist: {kind: list, values: [10, 40]}}\n", ""},
	}
	// docs/sweeps.md shows the first.
	if doc, err := os.ReadFile("../docs/sweeps.md"); err != nil || !strings.Contains(string(doc), "\n"+cases[0].want+"\n") {
		t.Errorf("docs/sweeps.md does not show %q (%v)", cases[0].want, err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "off.yaml"), []byte(base), 0o644); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, "s.yaml")
			src := "base: " + c.base + "\nseed: 7\ndesign: grid\n" + c.set + "parameters:\n" + c.params + "metrics: [headline_move_pct]\n"
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(file)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want == "":
			case err == nil:
				t.Errorf("no error, want %q", c.want)
			case !strings.Contains(err.Error(), c.want):
				t.Errorf("error %v\nwant %q", err, c.want)
			}
		})
	}
}

// TestMarkVariedSkipsOff: the plan labels the events a parameter varies
// "(varied by the sweep)", but not one that is off: it has no marker, and
// a wildcard that names it does not change it.
func TestMarkVariedSkipsOff(t *testing.T) {
	sw, err := writeSweep(t, "base: mini\nseed: 7\ndesign: grid\nset: ['events[hawkish guidance].off=true']\nparameters:\n  - {path: 'events.*.tick', dist: {kind: list, values: [10, 40]}}\nmetrics: [headline_move_pct]\n")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load("mini", sw.File.Set)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.File.Config.Clone()
	sw.markVaried(cfg)
	var got []string
	for _, e := range cfg.Events {
		got = append(got, e.Label)
	}
	if want := "BOJ hike (varied by the sweep) | hawkish guidance (edited: off=true)"; strings.Join(got, " | ") != want {
		t.Errorf("labels %q, want %q", strings.Join(got, " | "), want)
	}
}
