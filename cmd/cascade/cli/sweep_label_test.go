package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/shellwords"
)

// labelSweep varies an event that it addresses by its label, which its
// set also edits by its label.
const labelSweep = `name: label-path
base: mini
seed: 7
runs: 3
set: ['events[hawkish guidance].delta=0.01']
parameters:
  - {path: 'events[hawkish guidance].shocks.USDJPY', name: usdjpy_shock, dist: {kind: uniform, min: -0.05, max: -0.01}}
metrics: [assets.NKY.max_drawdown_pct, vix.peak, forced_sales_usd.total]
`

// TestSweepLabelPathReplay: a sweep whose parameter names an event by its
// label records the path as written and the event's field by index (the
// manifest, report.md, --check), and a run of it is made again, metric
// for metric, by the cascade run command --check prints for run 0, and by
// the command README builds from a row (its seed, the file's set, and
// --set PATH=VALUE for the manifest's paths). The run so made labels the
// event with what its overrides edited.
func TestSweepLabelPathReplay(t *testing.T) {
	dir := t.TempDir()
	file, out := filepath.Join(dir, "label.yaml"), filepath.Join(dir, "out")
	if err := os.WriteFile(file, []byte(labelSweep), 0o644); err != nil {
		t.Fatal(err)
	}
	check, _ := runSweepCmd(t, file, "--check")
	if !strings.Contains(check, "usdjpy_shock  events.1.shocks.USDJPY  uniform [-0.05, -0.01]") {
		t.Errorf("--check does not list the parameter's field by index:\n%s", check)
	}
	runSweepCmd(t, file, "--out", out, "--no-plots", "--quiet")
	man := readManifest(t, out)
	if p := man.Sweep.Parameters[0]; strings.Join(p.Paths, ",") != "events[hawkish guidance].shocks.USDJPY" || strings.Join(p.Targets, ",") != "events.1.shocks.USDJPY" {
		t.Errorf("manifest: paths %q, targets %q", p.Paths, p.Targets)
	}
	if b, err := os.ReadFile(filepath.Join(out, "report.md")); err != nil || !strings.Contains(string(b), "| usdjpy_shock | events.1.shocks.USDJPY | uniform [-0.05, -0.01] |") {
		t.Errorf("report.md does not list the parameter's field (%v)", err)
	}
	rows := readRunsCSV(t, filepath.Join(out, "runs.csv"))
	var printed string // the command --check prints for run 0
	for _, l := range strings.Split(check, "\n") {
		if s, ok := strings.CutPrefix(l, "run 0 alone: cascade "); ok {
			printed = s
		}
	}
	for _, c := range []struct {
		name string
		run  int
		args []string // cascade's arguments, but for --out
	}{
		{"printed by --check", 0, shellArgs(t, printed)},
		{"built from the row as README says", 2, []string{"run", "mini", "--seed", rows[2]["seed"],
			"--set", "events[hawkish guidance].delta=0.01",
			"--set", man.Sweep.Parameters[0].Paths[0] + "=" + rows[2]["usdjpy_shock"]}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if len(c.args) < 4 || c.args[0] != "run" || !strings.Contains(strings.Join(c.args, " "), "--set events[hawkish guidance].shocks.USDJPY=") {
				t.Fatalf("the command %q does not set the field by its label", c.args)
			}
			cols := []string{"assets.NKY.max_drawdown_pct", "vix.peak", "forced_sales_usd.total"}
			got, run := summaryValues(t, c.args, cols...)
			for k, col := range cols {
				want, err := strconv.ParseFloat(rows[c.run][col], 64)
				if err != nil || got[k] != want {
					t.Errorf("%s: run %d of the sweep has %s, cascade run %v", col, c.run, rows[c.run][col], got[k])
				}
			}
			events, err := os.ReadFile(filepath.Join(run, "events.jsonl"))
			label := `"hawkish guidance (edited: delta=0.01, shocks.USDJPY=` + rows[c.run]["usdjpy_shock"] + `)"`
			if err != nil || !strings.Contains(string(events), label) {
				t.Errorf("events.jsonl lacks the label %s (%v)", label, err)
			}
		})
	}
}

// readRunsCSV reads a sweep's runs.csv, one map of column to text a row.
func readRunsCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("%s: %d records, %v", path, len(recs), err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		row := map[string]string{}
		for k, v := range r {
			row[recs[0][k]] = v
		}
		rows = append(rows, row)
	}
	return rows
}

// shellArgs splits a printed command line into its words (shellwords.Split).
func shellArgs(t *testing.T, cmd string) []string {
	t.Helper()
	words, err := shellwords.Split(cmd)
	if err != nil {
		t.Fatal(err)
	}
	return words
}
