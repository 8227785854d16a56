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

// TestExtensionNamed: a file that extends another is named after its own
// file unless it gives a name:, and the base's description it keeps is
// marked as extended, so that its outputs (report.md, summary.json,
// out/NAME) cannot be taken for the base's. Built-ins keep their names.
func TestExtensionNamed(t *testing.T) {
	dir := t.TempDir()
	const miniDesc = "Small test world (every agent kind, 3 days, a BOJ hike) for tests and first steps."
	for _, c := range []struct {
		file, text string
		name, desc string
	}{
		{"variant.yaml", "extends: mini\nseed: 3\n", "variant", miniDesc + " Extended by variant.yaml."},
		{"named.yaml", "extends: mini\nname: mine\n", "mine", miniDesc + " Extended by named.yaml."},
		{"described.yaml", "extends: mini\ndescription: my own\n", "described", "my own"},
		{"both.yml", "extends: mini\nname: b2\ndescription: mine\n", "b2", "mine"},
		// A chain is named after the file run, not the one it extends.
		{"chain.yaml", "extends: variant.yaml\nhorizon: 2d\n", "chain", miniDesc + " Extended by chain.yaml."},
		{"mini", "", "mini", miniDesc},
	} {
		path := c.file
		if c.text != "" {
			path = filepath.Join(dir, c.file)
			if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		s, err := scenarios.Load(path, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if s.File.Name != c.name || s.File.Description != c.desc {
			t.Errorf("%s: name %q description %q; want %q, %q", c.file, s.File.Name, s.File.Description, c.name, c.desc)
		}
		if !strings.Contains(string(s.Resolved), "name: "+c.name+"\n") {
			t.Errorf("%s: the resolved scenario (a manifest's) does not carry name %s", c.file, c.name)
		}
	}
	// --set name= still wins.
	s, err := scenarios.Load(filepath.Join(dir, "variant.yaml"), []string{"name=other"})
	if err != nil || s.File.Name != "other" {
		t.Errorf("--set name=other: %v %v", s, err)
	}
}
