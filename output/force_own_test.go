package output

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/fstree"
)

// TestForceKeepsForeignFiles: --force (NewStageOf with force) replaces an
// output only when everything in it is the command's own: the files its
// manifest lists, the files it writes under fixed names (a run's plots
// included, listed or not, as a run made by an older cascade or a killed
// `cascade plot` leaves them), a killed writer's temporary files of those,
// the lock files. A file of anyone else's in it, at the top, in plots/ or
// in a sweep's journal/, an empty directory of the user's, is refused:
// ErrNotOutput, a message naming up to four of them and how many more,
// nothing deleted or written. Before, --force replaced the whole
// directory as soon as its marker file had the kind's schema.
func TestForceKeepsForeignFiles(t *testing.T) {
	runMan := `{"schema": "cascade.manifest/v1", "files": ["summary.json", "timeseries.csv", "plots/prices.png", "manifest.json"]}`
	sweepMan := `{"schema": "cascade.sweep/v1", "files": ["manifest.json", "runs.csv", "plots/fan_NKY.png", "journal/"]}`
	cmpDoc := `{"schema": "cascade.compare/v1", "rows": []}`
	run := map[string]string{"manifest.json": runMan, "summary.json": "{}", "timeseries.csv": "t\n", "plots/prices.png": "png"}
	sweep := map[string]string{"manifest.json": sweepMan, "runs.csv": "index\n", "plots/fan_NKY.png": "png", "journal/all.bin": "x", ".lock": ""}
	cmp := map[string]string{"compare.json": cmpDoc, "compare_prices.png": "png", "compare_prices.svg": "svg"}
	with := func(tree map[string]string, more ...string) map[string]string {
		out := map[string]string{}
		for k, v := range tree {
			out[k] = v
		}
		for _, p := range more {
			out[p] = "mine"
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		kind  Kind
		tree  map[string]string
		dirs  []string // empty directories
		named string   // in the refusal; "": replaced
	}{
		{"a run", RunKind, run, nil, ""},
		{"a run with all it may write", RunKind, with(run, "timeseries.parquet", "events.jsonl", "report.md", "agent_detail.csv", "agent_detail.parquet"), nil, ""},
		{"a run whose plots are unlisted (an older cascade plot, or one killed)", RunKind,
			with(run, "plots/attribution.svg", "plots/sales_by_reason.png", "plots/correlation_heatmaps.svg"), nil, ""},
		{"a run with a killed writer's temporary files", RunKind, with(run, ".manifest.json.tmp-123", "plots/.prices.png.tmp-9", ".stage.lock"), nil, ""},
		{"a run with an empty plots/", RunKind, run, []string{"plots/"}, ""},
		{"a run listing a file a newer cascade writes", RunKind,
			map[string]string{"manifest.json": `{"schema": "cascade.manifest/v2", "files": ["new/table.csv", "manifest.json"]}`, "new/table.csv": "x"}, nil, ""},
		{"a run's manifest without files (an older format)", RunKind,
			map[string]string{"manifest.json": `{"schema": "cascade.manifest/v1"}`, "summary.json": "{}", "plots/prices.svg": "svg"}, nil, ""},
		{"a comparison", CompareKind, with(cmp, ".compare_prices.svg.tmp-4"), nil, ""},
		{"a sweep, with its journal, plots and temporary files", SweepKind,
			with(sweep, "journal/chunk-000001.bin", "journal/.chunk-000002.bin.tmp-7", "journal/.merge-0-000000.tmp-chunk",
				"journal/..merge-0-000001.tmp-chunk.tmp-3", "plots/hist_vix_peak.svg", "plots/levels_execution_vix_peak.png",
				"plots/calibration_leverage.svg", "plots/sobol_total.png", "plots/response_defaults.svg", "plots/compression_drawdown.png",
				"plots/sensitivity.svg", ".runs.parquet.tmp-1", "sobol.csv", "levels.csv", "calibration.csv", "calibration_metrics.csv",
				"bands.csv", "bands.parquet", "sensitivity.csv", "report.md"), nil, ""},

		{"a run and the user's notes and figures", RunKind, with(run, "notes.txt", "analysis/fig.pdf"), nil, "analysis/, notes.txt;"},
		{"a run and a figure of the user's in plots/", RunKind, with(run, "plots/mine.pdf"), nil, "plots/mine.pdf;"},
		{"a run and an empty directory of the user's", RunKind, run, []string{"mine/"}, "mine/;"},
		{"a run and a hidden file", RunKind, with(run, ".notes"), nil, ".notes;"},
		{"a run and a temporary file of another file", RunKind, with(run, ".notes.txt.tmp-1"), nil, ".notes.txt.tmp-1;"},
		{"a run and six files of the user's", RunKind, with(run, "a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt"), nil,
			"a.txt, b.txt, c.txt, d.txt (and 2 more);"},
		{"a comparison and the user's notes", CompareKind, with(cmp, "notes.md"), nil, "notes.md;"},
		{"a comparison and a plots/ directory", CompareKind, with(cmp, "plots/prices.png"), nil, "plots/;"},
		{"a sweep and the user's files", SweepKind, with(sweep, "notes.md", "plots/mine.png", "journal/keep.txt"), nil,
			"journal/keep.txt, notes.md, plots/mine.png;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent, final := outTree(t, tc.tree)
			for _, d := range tc.dirs {
				if err := os.MkdirAll(filepath.Join(final, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			before := fstree.Snapshot(t, final)
			err := Replaceable(final, tc.kind)
			st, serr := NewStageOf(final, true, tc.kind)
			if tc.named == "" {
				if err != nil || serr != nil {
					t.Fatalf("Replaceable: %v; NewStageOf: %v", err, serr)
				}
				commitNew(t, st, final)
				return
			}
			if serr == nil {
				st.Abort()
				t.Fatal("NewStageOf with force accepted it")
			}
			if !errors.Is(err, ErrNotOutput) || !errors.Is(serr, ErrNotOutput) || errors.Is(serr, ErrExists) {
				t.Errorf("Replaceable: %v; NewStageOf: %v: want ErrNotOutput", err, serr)
			}
			msg := serr.Error()
			for _, w := range []string{final + " holds " + tc.kind.What + " but also files cascade did not write: " + tc.named,
				"refusing to delete it", "move them out of " + final, "choose another --out"} {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if got := fstree.Snapshot(t, final); !slices.Equal(got, before) {
				t.Errorf("%s changed:\n%q\nwant\n%q", final, got, before)
			}
			if got := names(t, parent); !slices.Equal(got, []string{"out"}) {
				t.Errorf("the parent holds %q, want only the untouched directory", got)
			}
		})
	}
}
