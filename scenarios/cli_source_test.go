package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
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

// TestSources: a scenario lists every file it was read from, in order of
// reading (its own, then what each extends), each with the SHA-256 of its
// bytes; a scenario read from a run's manifest lists the manifest's
// resolved_scenario, and a problem in it is placed in that field's text.
func TestSources(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	b := filepath.Join(dir, "sub", "b.yaml")
	os.MkdirAll(filepath.Dir(b), 0o755)
	os.WriteFile(b, []byte("extends: mini\nseed: 3\n"), 0o644)
	os.WriteFile(a, []byte("extends: sub/b.yaml\nseed: 4\n"), 0o644)
	sc, err := Load(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	mini, _ := Builtin("mini")
	want := []Source{
		{a, hash("extends: sub/b.yaml\nseed: 4\n")},
		{b, hash("extends: mini\nseed: 3\n")},
		{"builtin:mini", hash(string(mini))},
	}
	if len(sc.Sources) != 3 || sc.Sources[0] != want[0] || sc.Sources[1] != want[1] || sc.Sources[2] != want[2] {
		t.Errorf("sources %+v, want %+v", sc.Sources, want)
	}

	man := filepath.Join(dir, "manifest.json")
	os.WriteFile(man, []byte(`{"schema": "cascade.manifest/v1", "resolved_scenario": "name: x\nseed: 5\nticks: [\n"}`), 0o644)
	_, err = Load(man, nil)
	if err == nil || !strings.Contains(err.Error(), man+"#resolved_scenario:3:") {
		t.Errorf("a broken resolved_scenario: %v; want the problem placed at %s#resolved_scenario:3:", err, man)
	}
	os.WriteFile(man, []byte(`{"schema": "cascade.manifest/v1"}`), 0o644)
	if _, err = Load(man, nil); err == nil || !strings.Contains(err.Error(), "records no resolved_scenario") {
		t.Errorf("a manifest without its scenario: %v", err)
	}
}

func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
