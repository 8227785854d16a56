package scenarios

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestSetEventTickReplacesAt: --set events.N.tick on an event the file
// dates with at: moves the event, as the sweep parameter events.N.tick
// does (docs/sweeps.md), instead of failing with "give at or tick, not
// both" at the built-in's line; --set events.N.at does the same for an
// event given by tick. Of two overrides of one event's time the last wins.
func TestSetEventTickReplacesAt(t *testing.T) {
	base, err := Load("aug2024", nil)
	if err != nil {
		t.Fatal(err)
	}
	byTick, err := Load("aug2024", []string{"events.2.tick=2"})
	if err != nil {
		t.Fatalf("--set events.2.tick=2: %v", err)
	}
	byAt, err := Load("aug2024", []string{"events.2.at=2024-07-29T02:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	if got := byTick.File.Events[2].Tick; got != 2 {
		t.Fatalf("events[2] at tick %d, want 2", got)
	}
	// What the sweep runs: the base, resolved, with the tick changed.
	swept := base.File.Config.Clone()
	swept.Events[2].Tick = 2
	for _, c := range []struct {
		name, edit string
		got        *Scenario
	}{{"tick", "tick=2", byTick}, {"at", "at=2024-07-29T02:00:00Z", byAt}} {
		cfg := c.got.File.Config.Clone()
		for _, e := range []int{2} { // At is the loader's input, read by nothing after it
			cfg.Events[e].At, swept.Events[e].At = time.Time{}, time.Time{}
		}
		// The label and description say what the override changed
		// (TestEditedEventLabels); the sweep marks its plots instead.
		if want := "FOMC signals September cut (edited: " + c.edit + ")"; cfg.Events[2].Label != want {
			t.Errorf("--set events.2.%s: label %q, want %q", c.name, cfg.Events[2].Label, want)
		}
		cfg.Events[2].Label, cfg.Description = swept.Events[2].Label, swept.Description
		if !reflect.DeepEqual(cfg, swept) {
			t.Errorf("--set events.2.%s: the config differs from the base's with events[2].tick = 2", c.name)
		}
	}
	if strings.Contains(string(byTick.Resolved), "2024-07-31T18:00:00Z") {
		t.Errorf("the resolved scenario keeps the event's at:\n%s", byTick.Resolved)
	}

	// Every event, by the wildcard.
	all, err := Load("mini", []string{"events.*.tick=5"})
	if err != nil {
		t.Fatalf("events.*.tick=5: %v", err)
	}
	for k, e := range all.File.Events {
		if e.Tick != 5 {
			t.Errorf("events[%d] at tick %d, want 5", k, e.Tick)
		}
	}

	// An event given by tick, moved by at.
	dir := t.TempDir()
	file := filepath.Join(dir, "ticked.yaml")
	if err := os.WriteFile(file, []byte("extends: mini\nevents:\n  - {tick: 3, kind: policy_rate, currency: JPY, rate: 0.0025}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	moved, err := Load(file, []string{"events.0.at=2024-07-30T10:00:00Z"})
	if err != nil {
		t.Fatalf("--set events.0.at on an event by tick: %v", err)
	}
	if got := moved.File.Events[0].Tick; got != 10 {
		t.Errorf("events[0] at tick %d, want 10", got)
	}

	// Two overrides of the event's time: the last wins, as for any field
	// (a sweep's set: may date an event that a parameter then moves).
	both, err := Load("mini", []string{"events.0.tick=3", "events.0.at=2024-07-30T10:00:00Z"})
	if err != nil || both.File.Events[0].Tick != 10 {
		t.Errorf("tick 3 then at 10:00: %v", err)
	} else if both, err = Load("mini", []string{"events.0.at=2024-07-30T10:00:00Z", "events.0.tick=3"}); err != nil || both.File.Events[0].Tick != 3 {
		t.Errorf("at 10:00 then tick 3: %v", err)
	}
	// Out of the horizon, the problem is at the --set, not the built-in.
	_, err = Load("mini", []string{"events.1.tick=500"})
	if err == nil || !strings.HasPrefix(err.Error(), "--set #1:") || !strings.Contains(err.Error(), "outside the horizon") {
		t.Errorf("events.1.tick=500: got %v", err)
	}
}

// TestVaryHint: the hint after a population's out-of-range draw says what
// to change in the distribution as given: lower (raise) the max (min) it
// has, give one where it has none, or keep a list's values within range.
func TestVaryHint(t *testing.T) {
	for _, c := range []struct {
		set  []string
		want string
	}{
		{[]string{"agents[1].vary=[{field: repatriate, dist: {kind: uniform, min: 0.5, max: 1.5}}]"},
			"agents[1].vary[0].dist: repatriate must be between 0 and 1, and this distribution draws up to 1.5 (lower its max to 1)"},
		{[]string{"agents[1].vary=[{field: repatriate, dist: {kind: normal, mean: 0.9, sd: 0.2, min: 0}}]"},
			"agents[1].vary[0].dist: repatriate must be between 0 and 1, and this distribution draws up to 1.85"},
		{[]string{"agents[1].vary=[{field: repatriate, dist: {kind: normal, mean: 0.9, sd: 0.2, min: 0}}]"},
			"(give it a max of at most 1)"},
		{[]string{"agents[1].vary=[{field: repatriate, dist: {kind: lognormal, mu: 0, sigma: 0.3, max: 2}}]"},
			"(lower its max to 1)"},
		{[]string{"agents[1].vary=[{field: repatriate, dist: {kind: list, values: [0.5, 1.5]}}]"},
			"draws up to 1.5 (keep its values at most 1)"},
		{[]string{"agents[0].vary[0].field=derisk_drawdown", "agents[0].vary[0].dist={kind: uniform, min: 0.1, max: 1}"},
			"derisk_drawdown must be below 1, and this distribution draws up to 1 (lower its max below 1)"},
		{[]string{"agents[0].vary[0].field=derisk_drawdown", "agents[0].vary[0].dist={kind: list, values: [0.05, 1]}"},
			"derisk_drawdown must be below 1, and this distribution draws up to 1 (keep its values below 1)"},
		{[]string{"agents[0].vary[0].field=derisk_drawdown", "agents[0].vary[0].dist={kind: fixed, value: 1}"},
			"(make its value below 1)"},
		{[]string{"agents.hf.vary=[{field: reentry_days, dist: {kind: uniform, min: 1, max: 1.0e+12}}]"},
			"reentry_days must be at most 36500 days (100 years), and this distribution draws up to 1e+12 (lower its max to 36500)"},
		{[]string{"agents[0].vary[0].dist={kind: uniform, min: -0.1, max: 0.3}"},
			"carry_exit must not be negative, and this distribution draws down to -0.1 (raise its min to 0)"},
		{[]string{"agents[0].vary[0].dist={kind: normal, mean: 0.2, sd: 0.05}"},
			"carry_exit must not be negative, and this distribution draws down to -0.037"},
		{[]string{"agents[0].vary[0].dist={kind: normal, mean: 0.2, sd: 0.05}"},
			"(give it a min of at least 0)"},
		{[]string{"agents[0].vary[1].dist={kind: list, values: [2, 0, 4]}"},
			"trades.1.leverage must be positive, and this distribution draws down to 0 (keep its values above 0)"},
		{[]string{"agents[0].vary[1].dist={kind: uniform, min: 0, max: 4}"},
			"trades.1.leverage must be positive, and this distribution draws down to 0 (raise its min above 0)"},
		{[]string{"agents[2].vary=[{field: target_vol, dist: {kind: uniform, min: 0, max: 0.2}}]"},
			"target_vol cannot be 0, and this distribution can draw 0 (the model would run the default, 0.10, in its place): raise its min above 0"},
		{[]string{"agents[2].vary=[{field: target_vol, dist: {kind: normal, mean: 0.1, sd: 0.05, min: 0}}]"},
			"(the model would run the default, 0.10, in its place): raise its min above 0"},
		{[]string{"agents[2].vary=[{field: target_vol, dist: {kind: list, values: [0, 0.2]}}]"},
			"(the model would run the default, 0.10, in its place): leave 0 out of its values"},
	} {
		_, err := Load("mini", c.set)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: want %q, got %v", c.set, c.want, err)
		}
	}
}

// TestExtendsMissingName: a missing file named by extends is named once
// when it resolves to the name itself (extends: mini.yaml beside a file in
// the working directory), and with the path it resolved to otherwise.
func TestExtendsMissingName(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("sub", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file, extends, want, not string
	}{
		{"my.yaml", "mini.yaml", `extends: no scenario file "mini.yaml"; to extend the built-in scenario mini, write extends: mini`, "(mini.yaml)"},
		{"my2.yaml", "./mini.yaml", `extends: no scenario file "./mini.yaml"`, "(mini.yaml)"},
		{"my3.yaml", "other.yaml", `extends: no scenario file "other.yaml"`, "(other.yaml)"},
		{"sub/my.yaml", "mini.yaml", `extends: no scenario file "mini.yaml" (sub/mini.yaml); to extend the built-in scenario mini`, ""},
	} {
		if err := os.WriteFile(c.file, []byte("extends: "+c.extends+"\nname: x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(c.file, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) || (c.not != "" && strings.Contains(err.Error(), c.not)) {
			t.Errorf("%s (extends: %s): want %q, got %v", c.file, c.extends, c.want, err)
		}
	}
}
