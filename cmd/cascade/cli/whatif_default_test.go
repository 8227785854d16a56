package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWhatifDefaultOut: without --out the table goes to out/whatif.md
// under the working directory, which is made for it, and never to the
// maintainers' docs/whatif.md (make whatif names that file).
func TestWhatifDefaultOut(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	var o, e bytes.Buffer
	cmd := exec.Command(bin, "whatif", "--seeds", "1")
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, &o, &e
	if err := cmd.Run(); err != nil {
		t.Fatalf("whatif: %v: %s", err, e.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "out", "whatif.md"))
	if err != nil || !strings.Contains(string(b), "# What-if: the boj2026 family") {
		t.Fatalf("out/whatif.md: %v, %.200s", err, b)
	}
	if !strings.Contains(o.String(), "table in "+filepath.Join("out", "whatif.md")) {
		t.Errorf("stdout does not name the file: %s", o.String())
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "docs")); len(ents) != 0 {
		t.Errorf("docs/ was written: %v", ents)
	}
}

// TestWhatifRefusesOverwrite: whatif leaves an existing file alone unless
// it is a what-if table and --force is given (before, it replaced any
// file --out named, a researcher's notes included), and a family that is
// not built in points to cascade compare.
func TestWhatifRefusesOverwrite(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.md")
	os.WriteFile(notes, []byte("my notes\n"), 0o644)
	table := filepath.Join(dir, "w.md")
	os.WriteFile(table, []byte("# What-if: the boj2026 family\n\nold\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--out", notes, "--force"}, "exists and is not a what-if table"},
		{[]string{"--out", table}, "exists: give --force to replace it"},
		{[]string{"--family", "mine", "--out", filepath.Join(dir, "x.md")}, "use cascade compare A B --seeds N"},
	} {
		_, e, code := cascade(t, append([]string{"whatif", "--seeds", "1"}, c.args...)...)
		if code == 0 || !strings.Contains(e, c.want) {
			t.Errorf("whatif %v: exit %d, want an error with %q: %s", c.args, code, c.want, e)
		}
	}
	if b, _ := os.ReadFile(notes); string(b) != "my notes\n" {
		t.Errorf("notes.md was changed: %q", b)
	}
	if _, e, code := cascade(t, "whatif", "--seeds", "1", "--out", table, "--force"); code != 0 {
		t.Fatalf("whatif --force over a what-if table: exit %d: %s", code, e)
	}
	if b, _ := os.ReadFile(table); strings.Contains(string(b), "old") || !strings.Contains(string(b), "Written by `cascade whatif") {
		t.Errorf("the table was not replaced: %.300s", b)
	}
}
