package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
)

// TestRunLengthLayers: ticks, horizon and end are one field written three
// ways, so a later layer (a file that extends another, a --set) that gives
// one replaces the form the base used. mini gives horizon: 3d (72 hourly
// ticks, starting 2024-07-30T00:00:00Z); before, each override below was
// refused with "give only one of ticks, horizon and end", blamed on mini's
// own line. Two forms in one layer are still refused, at that layer's
// line, and a refused length is reported once, not again by every event
// it puts outside the run.
func TestRunLengthLayers(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, src string
		sets      []string
		ticks     int
		err       string // the whole error, with FILE for the file's path
	}{
		{name: "inherited", src: "extends: mini\n", ticks: 72},
		{name: "ticks replaces horizon", src: "extends: mini\nticks: 48\n", ticks: 48},
		{name: "end replaces horizon", src: "extends: mini\nend: 2024-08-01T12:00:00Z\n", ticks: 60},
		{name: "horizon over horizon", src: "extends: mini\nhorizon: 2d\n", ticks: 48},
		{name: "--set ticks", src: "extends: mini\n", sets: []string{"ticks=30"}, ticks: 30},
		{name: "--set end over the file's ticks", src: "extends: mini\nticks: 48\n", sets: []string{"end=2024-07-31T06:00:00Z"}, ticks: 30},
		{name: "--set horizon over the file's end", src: "extends: mini\nend: 2024-08-01T12:00:00Z\n", sets: []string{"horizon=36h"}, ticks: 36},
		{name: "two forms in one file", src: "extends: mini\nticks: 48\nhorizon: 2d\n",
			err: "FILE:3:10: horizon: give only one of ticks, horizon and end"},
		{name: "negative ticks, reported once", src: "extends: mini\nticks: -5\n",
			err: "FILE:2:8: ticks: the horizon must be at least one tick (tick 1h)"},
		{name: "end before start, reported once", src: "extends: mini\nend: 2024-07-01T00:00:00Z\n",
			err: "FILE:2:6: end: end 2024-07-01T00:00:00Z is not after start 2024-07-30T00:00:00Z\n" +
				"FILE:2:6: end: the horizon must be at least one tick (tick 1h)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".yaml")
			if err := os.WriteFile(f, []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			sc, err := scenarios.Load(f, c.sets)
			if c.err != "" {
				want := strings.ReplaceAll(c.err, "FILE", f)
				if err == nil || err.Error() != want {
					t.Fatalf("got error\n%v\nwant\n%s", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.File.Config.Ticks; got != c.ticks {
				t.Errorf("ticks = %d, want %d", got, c.ticks)
			}
		})
	}
}
