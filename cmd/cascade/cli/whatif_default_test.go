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
