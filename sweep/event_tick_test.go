package sweep

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// writeSweep writes a sweep file into a temporary directory and loads it.
func writeSweep(t *testing.T, src string) (*Sweep, error) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(file)
}

// TestEventTickSetReproducesRow: a swept events.N.tick on an event the
// base dates with at: is reproduced by --set events.N.tick=T (the path the
// sweep file names, as docs/sweeps.md says) and by the command the sweep
// prints (events.N.at=...): the same config, the same summary, bit for bit.
// --set events.1.tick failed: "give at or tick, not both" at the built-in.
func TestEventTickSetReproducesRow(t *testing.T) {
	sw, err := writeSweep(t, "base: mini\nseed: 7\nruns: 1\nparameters:\n  - {path: events.1.tick, dist: {kind: fixed, value: 40}}\nmetrics: [headline_move_pct]\n")
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]float64, len(sw.Params))
	sw.Values(0, vals)
	// The row's config, as runOne makes it.
	row := sw.Base.File.Config.Clone()
	for _, tg := range sw.Params[0].ts {
		if err := tg.apply(row, vals[0], nil); err != nil {
			t.Fatal(err)
		}
	}
	var printed []string // the --set values of the command the sweep prints
	args := strings.Fields(sw.Reproduce(0, vals))
	for k := range args {
		if args[k] == "--set" && k+1 < len(args) {
			printed = append(printed, strings.Trim(args[k+1], "'"))
		}
	}
	seed := core.RunSeed(sw.File.Seed, 0)
	want, err := sim.RunSummary(context.Background(), row, seed, false)
	if err != nil {
		t.Fatal(err)
	}
	wantJS, _ := json.Marshal(want)
	for _, sets := range [][]string{{"events.1.tick=40"}, printed} {
		sc, err := scenarios.Load("mini", sets)
		if err != nil {
			t.Errorf("--set %v: %v", sets, err)
			continue
		}
		cfg := sc.File.Config.Clone()
		a, b := cfg.Events[1].At, row.Events[1].At
		cfg.Events[1].At = b // the loader's input only: nothing reads it after
		// The loader marks the label and description with the override
		// (scenarios.TestEditedEventLabels); no summary reads them.
		if !strings.HasPrefix(cfg.Events[1].Label, row.Events[1].Label+" (edited: ") {
			t.Errorf("--set %v: label %q", sets, cfg.Events[1].Label)
		}
		cfg.Events[1].Label, cfg.Description = row.Events[1].Label, row.Description
		if !reflect.DeepEqual(cfg, row) {
			t.Errorf("--set %v: the config differs from the sweep row's", sets)
		}
		cfg.Events[1].At = a
		got, err := sim.RunSummary(context.Background(), cfg, seed, false)
		if err != nil {
			t.Fatal(err)
		}
		if js, _ := json.Marshal(got); string(js) != string(wantJS) {
			t.Errorf("--set %v: the summary differs from the sweep row's", sets)
		}
	}
}

// TestEventTickRangeChecked: a swept event tick is checked as --set
// checks it (the scenario loaded at each end of the range), so the
// message is the scenario's own, at the parameter's dist.
func TestEventTickRangeChecked(t *testing.T) {
	if _, err := writeSweep(t, "base: mini\nseed: 7\nruns: 2\nparameters:\n  - {path: events.1.tick, dist: {kind: list, values: [10, 71]}}\nmetrics: [headline_move_pct]\n"); err != nil {
		t.Fatalf("ticks 10 and 71 of 72: %v", err)
	}
	_, err := writeSweep(t, "base: mini\nseed: 7\nruns: 2\nparameters:\n  - {path: events.*.tick, dist: {kind: list, values: [10, 72]}}\nmetrics: [headline_move_pct]\n")
	const want = "parameters[0].dist: at the upper end of its range (events.*.tick = 72) the scenario is invalid: events[0].tick: event is outside the horizon (tick 72 of 72"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("tick 72 of 72: want %q, got %v", want, err)
	}
}

// TestCompressionNeedsLevered: compression_index measures the levered
// sector (hedge funds, CTAs, risk-parity and vol-control funds); in a
// world of banks alone (eba2018) it is null in every run, so it is not
// collected, by default or for the compression plot, unless listed. mini
// has the sector and keeps it.
func TestCompressionNeedsLevered(t *testing.T) {
	metrics := func(sw *Sweep) string {
		var names []string
		for _, m := range sw.Metrics {
			names = append(names, m.Name)
		}
		return strings.Join(names, ", ")
	}
	for _, c := range []struct {
		base, metrics, want string
	}{
		{"eba2018", "", "headline_move_pct, correlation.peak_mean, forced_sales_usd.total, defaults"},
		{"eba2018", "metrics: [defaults, amplification]\n", "defaults, amplification, headline_move_pct"},
		{"eba2018", "metrics: [defaults, compression_index]\n", "defaults, compression_index, headline_move_pct"},
		{"mini", "", "headline_move_pct, vix.peak, correlation.peak_mean, compression_index, forced_sales_usd.total, margin_calls.count, defaults"},
		{"mini", "metrics: [defaults]\n", "defaults, compression_index, headline_move_pct"},
	} {
		sw, err := writeSweep(t, "base: "+c.base+"\nseed: 1\nruns: 2\nparameters:\n  - {path: depth_scale, dist: {kind: uniform, min: 1, max: 2}}\n"+c.metrics)
		if err != nil {
			t.Fatal(err)
		}
		if got := metrics(sw); got != c.want {
			t.Errorf("%s %q: metrics %s, want %s", c.base, c.metrics, got, c.want)
		}
	}

	// The repository's eba2018 sweep: its columns and plots.
	sw, err := Load("../sweeps/eba2018.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if sw.Runs != 52 {
		t.Errorf("sweeps/eba2018.yaml: %d runs, want 52", sw.Runs)
	}
	if got := metrics(sw); strings.Contains(got, "compression_index") {
		t.Errorf("sweeps/eba2018.yaml collects %s", got)
	}
}
