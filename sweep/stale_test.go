package sweep

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestResumeRemovesStaleTemps: a resumed sweep removes the temporary files
// a killed one left (.calibration_metrics.csv.tmp-3714985338,
// .manifest.json.tmp-2507121750, a plot's, a compaction's), and leaves
// every other file, temporary-looking or not, alone.
func TestResumeRemovesStaleTemps(t *testing.T) {
	sw := loadTestSweep(t)
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Run(context.Background(), sw, Options{Dir: dir, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	stale := []string{".calibration_metrics.csv.tmp-3714985338", ".manifest.json.tmp-2507121750", "plots/.fan_NKY.png.tmp-12",
		"journal/.merge-1-000002.tmp-chunk", "journal/.chunk-000003.bin.tmp-99"}
	kept := []string{".notes.txt.tmp-1", ".manifest.json.tmp-abc", "manifest.json.tmp-1", ".report.md.tmp-"}
	for _, f := range append(slices.Clone(stale), kept...) {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Run(context.Background(), sw, Options{Dir: dir, Workers: 2, Resume: true}); err != nil {
		t.Fatal(err)
	}
	for _, f := range stale {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s is still there after --resume", f)
		}
	}
	for _, f := range kept {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s, not a sweep's temporary file, was removed: %v", f, err)
		}
	}
}
