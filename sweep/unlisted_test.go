package sweep

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReassemblyRemovesUnlisted: assembling a sweep again removes the
// files the manifest of the earlier assembly listed that this one does not
// write (a plot under a name an older version gave it; every plot when the
// new assembly draws none), and keeps files no manifest listed. Before, a
// re-assembled sweep's plots/ kept the charts of the earlier one beside
// the new ones.
func TestReassemblyRemovesUnlisted(t *testing.T) {
	sw := loadTestSweep(t)
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Run(context.Background(), sw, Options{Dir: dir, Workers: 2, Plots: true}); err != nil {
		t.Fatal(err)
	}
	plots := func() []string {
		var p []string
		for _, f := range readManifestT(t, dir).Files {
			if strings.HasPrefix(f, "plots/") {
				p = append(p, f)
			}
		}
		return p
	}
	drawn := plots()
	if len(drawn) < 4 {
		t.Fatalf("the manifest lists %d plots: %v", len(drawn), drawn)
	}
	// An earlier version's name for a plot, listed by its manifest, and a
	// file of the user's own that no manifest lists.
	old, mine := "plots/fan_old_name.png", "plots/mine.png"
	for _, f := range []string{old, mine} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	man := readManifestT(t, dir)
	man.Files = append(man.Files, old)
	if err := man.write(dir); err != nil {
		t.Fatal(err)
	}
	exists := func(f string) bool {
		_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f)))
		return err == nil
	}

	for _, c := range []struct {
		name  string
		plots bool
	}{{"with plots", true}, {"without plots", false}} {
		if _, err := Run(context.Background(), sw, Options{Dir: dir, Workers: 2, Resume: true, Plots: c.plots}); err != nil {
			t.Fatal(err)
		}
		if exists(old) {
			t.Errorf("%s: %s, listed before and not drawn now, is still there", c.name, old)
		}
		if !exists(mine) {
			t.Errorf("%s: %s, which no manifest listed, was removed", c.name, mine)
		}
		now := plots()
		for _, f := range drawn {
			if exists(f) != c.plots || slices.Contains(now, f) != c.plots {
				t.Errorf("%s: %s exists %v, listed %v: want %v", c.name, f, exists(f), slices.Contains(now, f), c.plots)
			}
		}
	}
}
