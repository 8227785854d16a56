package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutPathRefusedFirst: an output path that cannot be written is
// refused before any run, with exit 2, a message that says why, and
// nothing written. A file where a directory above --out would be was
// reported as the system's "lstat afile/sub: not a directory" with exit 1
// (run, compare, sweep; merge too); whatif --out naming a directory ran every
// scenario of its family and only then failed to rename its table.
func TestOutPathRefusedFirst(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	if err := os.WriteFile(file, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(file, "sub")
	notDir := "--out " + sub + ": " + file + " is a file, not a directory"
	taken := filepath.Join(dir, "taken")
	if err := os.Mkdir(taken, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "mini", "--no-plots", "--out", sub}, notDir},
		{[]string{"run", "mini", "--no-plots", "--out", filepath.Join(sub, "deeper")}, "--out " + filepath.Join(sub, "deeper") + ": " + file + " is a file"},
		{[]string{"compare", "mini", "--off", "cross_margin", "--out", sub}, notDir},
		{[]string{"sweep", filepath.Join("..", "..", "..", "sweeps", "aug2024.yaml"), "--runs", "2", "--out", sub}, notDir},
		{[]string{"whatif", "--seeds", "1", "--out", taken}, "--out " + taken + " is a directory"},
	} {
		_, stderr, code := cascade(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, want 2 and %q in:\n%s", c.args, code, c.want, stderr)
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil || len(ents) != 2 {
		t.Errorf("written: %v (%v), want only afile and taken", ents, err)
	}
	if ents, _ := os.ReadDir(taken); len(ents) != 0 {
		t.Errorf("written in %s: %v", taken, ents)
	}
}
