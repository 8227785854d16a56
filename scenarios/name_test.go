package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
)

// TestNamePlain: a scenario's name names its output directory, out/NAME, so
// a name that is a path is refused at its position (one of "../../x"
// once wrote its outputs two directories above out/).
func TestNamePlain(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"mini-2", true}, {"a..b", true}, {"boj +25bp", true},
		{"../../escaped", false}, {"/tmp/abs", false}, {"a/b", false}, {`a\\b`, false}, {"..", false}, {".", false},
	} {
		f := filepath.Join(dir, "s.yaml")
		if err := os.WriteFile(f, []byte("extends: mini\nname: \""+c.name+"\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := scenarios.Load(f, nil)
		want := f + `:2:7: name: `
		switch {
		case c.ok && err != nil:
			t.Errorf("name %q: %v", c.name, err)
		case !c.ok && (err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "cannot name the output directory")):
			t.Errorf("name %q: %v; want it refused at %s", c.name, err, want)
		}
	}
}
