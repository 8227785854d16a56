package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSeedsBound: every command with --seeds refuses more than it can hold
// before running anything, with exit 2 and nothing written (a hundred
// billion once crashed each of them out of memory, with a stack trace and
// a temporary directory left behind).
func TestSeedsBound(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"compare", "mini", "--off", "cross_margin", "--out", filepath.Join(dir, "c")},
		{"score", "aug2024"},
		{"channels", "mini"},
		{"whatif", "--out", filepath.Join(dir, "w.md")},
	} {
		args = append(args, "--seeds", "100000000000")
		_, stderr, code := cascade(t, args...)
		if want := "--seeds 100000000000: at most 100000"; code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("%v: exit %d, want 2 and %q in:\n%s", args, code, want, stderr)
		}
	}
	if ents, err := os.ReadDir(dir); err != nil || len(ents) != 0 {
		t.Errorf("written: %v (%v)", ents, err)
	}
}
