package sweep

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportIndependentOfPath: report.md names the sweep file by its base
// name (with the fingerprint) and the base as the file writes it, so the
// same sweep started by a relative path, by an absolute one, and as shards
// merged writes the same page (before: "The file: `g.yaml`" against
// "The file: `/tmp/.../work/g.yaml`", and a relative base joined to it).
func TestReportIndependentOfPath(t *testing.T) {
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mymini.yaml"), []byte("extends: mini\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const src = "base: ../mymini.yaml\nseed: 5\nruns: 8\nparameters:\n  - {path: leverage_scale, dist: {kind: uniform, min: 0.5, max: 1}}\nmetrics: [vix.peak]\n"
	abs := filepath.Join(work, "g.yaml")
	if err := os.WriteFile(abs, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var pages [][]byte
	for k, path := range []string{abs, filepath.Join("work", "g.yaml")} {
		sw, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out", strings.Repeat("x", k+1))
		if _, err := Run(context.Background(), sw, Options{Dir: out, Workers: 2}); err != nil {
			t.Fatal(err)
		}
		var shards []string
		for s := 0; s < 2; s++ {
			d := filepath.Join(out+"-shards", Shard{Index: s, Count: 2}.Dir())
			if _, err := Run(context.Background(), sw, Options{Dir: d, Shard: Shard{Index: s, Count: 2}, Workers: 2}); err != nil {
				t.Fatal(err)
			}
			shards = append(shards, d)
		}
		merged := out + "-merged"
		if _, err := Merge(shards, MergeOptions{Out: merged}); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{out, merged} {
			b, err := os.ReadFile(filepath.Join(d, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, b)
		}
	}
	if !bytes.Contains(pages[0], []byte("A sweep of `../mymini.yaml`")) || !bytes.Contains(pages[0], []byte("The file: `g.yaml` (fingerprint `")) {
		t.Errorf("report.md does not name the base and the file as written:\n%.400s", pages[0])
	}
	for k := 1; k < len(pages); k++ {
		if !bytes.Equal(pages[k], pages[0]) {
			t.Errorf("report.md %d differs from the first:\n%.400s\nvs\n%.400s", k, pages[k], pages[0])
		}
	}
}
