package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandLineFileNoFallback: a scenario named on the command line as a
// file (mini.yaml, ./x/aug2024.yaml) that is not there is an error naming
// the built-in, never the built-in run in its place; a bare name is still
// a built-in, and a file of that name, when there is one, is read.
func TestCommandLineFileNoFallback(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, c := range []struct{ name, want string }{
		{"mini.yaml", `no scenario file "mini.yaml"; the built-in scenario is named mini`},
		{"mini.yml", `no scenario file "mini.yml"; the built-in scenario is named mini`},
		{"edits/aug2024.yaml", `no scenario file "edits/aug2024.yaml"`},
	} {
		_, err := Load(c.name, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
	if sc, err := Load("mini", nil); err != nil || sc.Origin != "builtin:mini" {
		t.Fatalf("mini: origin %v, err %v; want the built-in", sc, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mini.yaml"), []byte("extends: mini\nname: local\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := Load("mini.yaml", nil)
	if err != nil || sc.File.Config.Name != "local" {
		t.Fatalf("mini.yaml present: %v; want the local file", err)
	}
}
