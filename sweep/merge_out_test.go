package sweep

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/fstree"
	"github.com/cascade-sim/cascade/output"
)

// TestMergeRefusesOutAmongShards: merge refuses, before reading or writing
// anything, an --out that is one of its shard directories, contains one
// (their parent), or lies inside one, with or without --force; the shards
// are left as they were. (Before, `merge DIR --out DIR --force` merged the
// shards and then deleted the directories it had just read.) --force still
// replaces an earlier merge, and refuses a directory that is not a sweep's.
func TestMergeRefusesOutAmongShards(t *testing.T) {
	sw := loadTestSweep(t)
	base := t.TempDir()
	dir0 := filepath.Join(base, Shard{Index: 0, Count: 2}.Dir())
	dir1 := filepath.Join(base, Shard{Index: 1, Count: 2}.Dir())
	for k, d := range []string{dir0, dir1} {
		if _, err := Run(context.Background(), sw, Options{Dir: d, Shard: Shard{Index: k, Count: 2}, Workers: 2}); err != nil {
			t.Fatal(err)
		}
	}
	before := fstree.Snapshot(t, base)
	wd, _ := os.Getwd()
	rel0, err := filepath.Rel(wd, dir0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, out, want string
	}{
		{"a shard", dir0, "is the shard directory " + dir0},
		{"a shard, named otherwise", rel0 + "/", "is the shard directory " + dir0},
		{"their parent", base, "contains the shard directory " + dir0},
		{"inside a shard", filepath.Join(dir1, "merged"), "lies inside the shard directory " + dir1},
	} {
		for _, force := range []bool{false, true} {
			_, err := Merge([]string{dir0, dir1}, MergeOptions{Out: tc.out, Force: force})
			if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "choose another --out") {
				t.Errorf("%s (force %v): %v; want a refusal saying it %s", tc.name, force, err, tc.want)
			}
			if got := fstree.Snapshot(t, base); !slices.Equal(got, before) {
				t.Fatalf("%s (force %v): the shards changed:\n%q\nwant\n%q", tc.name, force, got, before)
			}
		}
	}

	// An earlier merge is replaced by --force; someone else's directory is not.
	merged := filepath.Join(t.TempDir(), "merged")
	for range 2 {
		if _, err := Merge([]string{dir0, dir1}, MergeOptions{Out: merged, Force: true}); err != nil {
			t.Fatalf("merge --force over an earlier merge: %v", err)
		}
	}
	mine := filepath.Join(t.TempDir(), "mine")
	if err := os.MkdirAll(filepath.Join(mine, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mine, "src", "x.go"), []byte("package x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Merge([]string{dir0, dir1}, MergeOptions{Out: mine, Force: true})
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "not a cascade sweep's output (no manifest.json)") {
		t.Errorf("merge --force over a source tree: %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(filepath.Join(mine, "src", "x.go")); string(b) != "package x" {
		t.Error("src/x.go was deleted")
	}
}

// TestSweepKindSchema: the kind merge's --force replaces is the sweep
// manifest's schema.
func TestSweepKindSchema(t *testing.T) {
	if output.SweepKind.Schema != ManifestSchema || output.SweepKind.File != "manifest.json" {
		t.Errorf("output.SweepKind = %+v, want the schema %q in manifest.json", output.SweepKind, ManifestSchema)
	}
}
