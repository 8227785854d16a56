package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOverlayDifferentLengths: `cascade compare A B` of two scenarios whose
// runs differ in length (a note says so and the comparison goes on) draws
// both runs, each against its own time axis, with both runs' events.
// RenderOverlay dropped every asset whose two columns differed in length,
// silently, leaving compare_prices with no series at all, and drew B on
// A's time axis even when they had the same length but different dates.
func TestOverlayDifferentLengths(t *testing.T) {
	t0 := time.Date(2024, 7, 30, 0, 0, 0, 0, time.UTC)
	mk := func(n int) *Table {
		tm, p := make([]time.Time, n), make([]float64, n)
		for i := range tm {
			tm[i] = t0.Add(time.Duration(i) * time.Hour)
			p[i] = 100 + float64(i)
		}
		ts := &Table{}
		ts.Add(TimeCol("time", tm))
		ts.Add(FloatCol("NKY", p))
		return ts
	}
	meta := Meta{Scenario: "a", Assets: []AssetMeta{{ID: "NKY", Kind: "equity", Group: "equity", Currency: "JPY"}}}
	metaB := meta
	metaB.Scenario = "b"
	metaB.Events = []Mark{{Tick: 10, Time: t0.Add(10 * time.Hour), Label: "hike"}}
	dir := t.TempDir()
	if _, err := RenderOverlay(dir, "A", "B", mk(72), mk(48), meta, metaB); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "compare_prices.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">NKY A</text>", ">NKY B</text>"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("overlay of a 72-tick and a 48-tick run has no series %q", strings.Trim(want, "></text"))
		}
	}
	if !strings.Contains(string(svg), ">hike (B)</text>") {
		t.Errorf("overlay lacks B's event marker \"hike (B)\"")
	}
}

// TestOverlayOwnTimeAxes: each run of an overlay is drawn against its own
// dates, and an event both runs have is marked once, as it is.
func TestOverlayOwnTimeAxes(t *testing.T) {
	mk := func(t0 time.Time) *Table {
		tm, p := make([]time.Time, 24), make([]float64, 24)
		for i := range tm {
			tm[i] = t0.Add(time.Duration(i) * time.Hour)
			p[i] = 100
		}
		ts := &Table{}
		ts.Add(TimeCol("time", tm))
		ts.Add(FloatCol("NKY", p))
		return ts
	}
	ta, tb := time.Date(2024, 7, 30, 0, 0, 0, 0, time.UTC), time.Date(2024, 8, 5, 0, 0, 0, 0, time.UTC)
	ev := Mark{Time: ta.Add(2 * time.Hour), Label: "hike"}
	meta := Meta{Assets: []AssetMeta{{ID: "NKY", Kind: "equity", Group: "equity"}}, Events: []Mark{ev}}
	a, b := mk(ta), mk(tb)
	if got := overlayMarkers("A", "B", meta, meta); len(got) != 1 || got[0].Label != "hike" {
		t.Errorf("markers of two runs with the same event: %v, want one \"hike\"", got)
	}
	fig, err := overlayFigure("A", "B", a, b, meta, meta)
	if err != nil {
		t.Fatal(err)
	}
	if len(fig.Panels) != 1 || len(fig.Panels[0].Series) != 2 {
		t.Fatalf("overlay figure: %+v", fig)
	}
	for i, want := range []time.Time{ta, tb} {
		if x := fig.Panels[0].Series[i].X[0]; x != float64(want.Unix()) {
			t.Errorf("series %q starts at %v, want %v", fig.Panels[0].Series[i].Name, time.Unix(int64(x), 0).UTC(), want)
		}
	}
}
