package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestResolvedScenarioReruns: the scenario a run's manifest records
// (resolved_scenario) is the run: with --seed, and with --seed over a
// --set seed=, it carries the seed that ran, and run alone from a file it
// writes the same summary.json byte for byte.
func TestResolvedScenarioReruns(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
	}{
		{"--seed", []string{"--seed", "12345", "--set", "leverage_scale=1.3"}},
		{"--seed over --set seed", []string{"--seed", "5", "--set", "seed=99"}},
	} {
		dir := t.TempDir()
		first := filepath.Join(dir, "first")
		args := append([]string{"run", "mini", "--out", first, "--quiet", "--no-plots"}, c.args...)
		if _, stderr, code := cascade(t, args...); code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(first, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		var man struct {
			Seed     uint64 `json:"seed"`
			Resolved string `json:"resolved_scenario"`
		}
		if err := json.Unmarshal(b, &man); err != nil {
			t.Fatal(err)
		}
		want := c.args[1]
		if man.Seed != map[string]uint64{"12345": 12345, "5": 5}[want] || !strings.Contains(man.Resolved, "\nseed: "+want+"\n") {
			t.Errorf("%s: manifest seed %d, resolved scenario's seed line not %q:\n%s", c.name, man.Seed, "seed: "+want, man.Resolved)
		}
		file := filepath.Join(dir, "resolved.yaml")
		if err := os.WriteFile(file, []byte(man.Resolved), 0o644); err != nil {
			t.Fatal(err)
		}
		again := filepath.Join(dir, "again")
		if _, stderr, code := cascade(t, "run", file, "--out", again, "--quiet", "--no-plots"); code != 0 {
			t.Fatalf("%s: rerun from the resolved scenario: exit %d: %s", c.name, code, stderr)
		}
		x, _ := os.ReadFile(filepath.Join(first, "summary.json"))
		y, err := os.ReadFile(filepath.Join(again, "summary.json"))
		if err != nil || string(x) != string(y) {
			t.Errorf("%s: the resolved scenario run alone writes another summary.json (%v)", c.name, err)
		}
	}
}

// TestMadeByInJSON: the outputs that are not a run's or a sweep's
// directory say which program wrote them (made_by: version, Go version,
// target, command line), after their own fields.
func TestMadeByInJSON(t *testing.T) {
	type made struct {
		MadeBy struct {
			Version, GoVersion, Target string
			Command                    []string
		} `json:"made_by"`
	}
	check := func(what string, b []byte) {
		t.Helper()
		var m made
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if m.MadeBy.Version == "" || !strings.Contains(m.MadeBy.Target, "/") || len(m.MadeBy.Command) == 0 {
			t.Errorf("%s: made_by %+v, want a version, a target and the command", what, m.MadeBy)
		}
		if i := strings.LastIndex(string(b), `"made_by"`); i < 0 || strings.Count(string(b[i:]), "{") != 1 {
			t.Errorf("%s: made_by is not the last field", what)
		}
	}
	out, stderr, code := cascade(t, "vulnerability", "mini", "--json")
	if code != 0 {
		t.Fatalf("vulnerability: exit %d: %s", code, stderr)
	}
	check("vulnerability --json", []byte(out))
	dir := filepath.Join(t.TempDir(), "cmp")
	if _, stderr, code := cascade(t, "compare", "mini", "--off", "cross_margin", "--out", dir); code != 0 {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m made
	if err := json.Unmarshal(b, &m); err != nil || m.MadeBy.Target == "" || len(m.MadeBy.Command) == 0 {
		t.Errorf("compare.json: made_by %+v (%v)", m.MadeBy, err)
	}
}
