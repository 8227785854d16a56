package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
)

// TestOneDocument: a scenario file holds one YAML document. Anything in a
// second, after --- or ..., is refused at its start (such a file once
// loaded as if it ended at the first: foo: bar, even broken YAML, went
// unread); a leading or closing --- is fine. DecodeYAML (sweep files) reads
// the same way.
func TestOneDocument(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ src, want string }{
		{"extends: mini\n---\nfoo: bar\n", ":3:1: a second YAML document"},
		{"extends: mini\n...\n---\nticks: 5\n", ":4:1: a second YAML document"},
		{"extends: mini\n---\n- [broken\n", ":2:1: not valid YAML"},
		{"---\nextends: mini\n", ""},
		{"extends: mini\n---\n", ""},
		{"extends: mini\n...\n", ""},
	} {
		f := filepath.Join(dir, "s.yaml")
		if err := os.WriteFile(f, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := scenarios.Load(f, nil)
		var v struct {
			Extends string `yaml:"extends"`
		}
		_, derr := scenarios.DecodeYAMLBytes(f, []byte(c.src), &v)
		for _, e := range []error{err, derr} {
			switch {
			case c.want == "" && e != nil:
				t.Errorf("%q: %v", c.src, e)
			case c.want != "" && (e == nil || !strings.Contains(e.Error(), f+c.want)):
				t.Errorf("%q: %v; want %q", c.src, e, f+c.want)
			}
		}
	}
}
