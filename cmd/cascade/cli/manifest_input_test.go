package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestManifestNotJSON: a run's manifest.json broken as JSON (a comma too
// many, a value cut off) is reported as not valid JSON, at the line and
// column of the error, not as YAML's confused "did not find expected node
// content" at line 2; a copy under another name is still JSON, as it
// begins like a manifest. Exit 2, and no output is written.
func TestManifestNotJSON(t *testing.T) {
	tmp := t.TempDir()
	run := filepath.Join(tmp, "run")
	if _, e, code := cascade(t, "run", "mini", "--out", run, "--quiet", "--no-plots"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, e)
	}
	good, err := os.ReadFile(filepath.Join(run, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(good), "\n")
	if lines[2] != "  \"scenario\": \"mini\",\n" {
		t.Fatalf("line 3 of the manifest is %q", lines[2])
	}
	edit := func(k int, line string) string {
		l := append([]string(nil), lines...)
		l[k] = line
		return strings.Join(l, "")
	}
	for _, tc := range []struct {
		name, file, text, want string
	}{
		// sed '3s/$/,,/': the second comma, column 22 of line 3.
		{"two commas", "manifest.json", edit(2, "  \"scenario\": \"mini\",,\n"),
			"manifest.json:3:22: not valid JSON: invalid character ',' looking for beginning of object key string"},
		// A key without quotes, in a line of characters of two bytes.
		{"bare key", "manifest.json", edit(2, "  \"scenario\": \"éé\", origin: 1,\n"),
			"manifest.json:3:21: not valid JSON: invalid character 'o' looking for beginning of object key string"},
		// Cut off after line 2: the error is after its last character.
		{"cut off", "manifest.json", lines[0] + lines[1],
			"manifest.json:2:35: not valid JSON: unexpected end of JSON input"},
		// Renamed, it still begins as a manifest does.
		{"renamed", "copy.txt", edit(2, "  \"scenario\": \"mini\",,\n"),
			"copy.txt:3:22: not valid JSON: invalid character ','"},
		{"schema not a string", "manifest.json", edit(1, "  \"schema\": 1,\n"),
			"manifest.json:2:13: schema: want a JSON string, got number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(tmp, strings.ReplaceAll(tc.name, " ", "-"))
			os.MkdirAll(dir, 0o755)
			file := filepath.Join(dir, tc.file)
			if err := os.WriteFile(file, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			_, e, code := cascade(t, "run", file, "--out", out)
			if code != 2 || !strings.Contains(e, filepath.Join(dir, tc.want)) || strings.Contains(e, "YAML") {
				t.Errorf("exit %d (want 2), stderr %q; want %q", code, e, filepath.Join(dir, tc.want))
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("an invalid manifest wrote outputs")
			}
		})
	}
	// A scenario in YAML under a .json name is still YAML.
	yml := filepath.Join(tmp, "scenario.json")
	os.WriteFile(yml, []byte("extends: mini\nseed: 3\n"), 0o644)
	if _, e, code := cascade(t, "validate", yml); code != 0 {
		t.Errorf("a YAML scenario named .json: exit %d: %s", code, e)
	}
}

// TestSweepManifestGiven: a sweep's manifest.json, or its output
// directory, given to cascade sweep for a sweep file or to cascade run,
// compare or a sweep's base for a scenario, is refused with one line that
// says what it is and names the sweep file to give instead (whose text is
// its sweep_source), not field by field as unknown keys; a run's manifest
// given for a sweep file says how a sweep file names it. Exit 2.
func TestSweepManifestGiven(t *testing.T) {
	tmp := t.TempDir()
	sw, run := filepath.Join(tmp, "sw"), filepath.Join(tmp, "run")
	runSweepCmd(t, sweepFile, "--out", sw, "--runs", "4", "--no-plots", "--quiet")
	if _, e, code := cascade(t, "run", "mini", "--out", run, "--quiet", "--no-plots"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, e)
	}
	swMan, runMan := filepath.Join(sw, "manifest.json"), filepath.Join(run, "manifest.json")
	base := filepath.Join(tmp, "base.yaml")
	os.WriteFile(base, []byte("name: b\nbase: sw/manifest.json\nruns: 2\nseed: 1\nparameters:\n  - {path: leverage_scale, dist: {kind: uniform, min: 0.6, max: 1.4}}\nmetrics: [vix.peak]\n"), 0o644)
	file := "give cascade sweep the sweep file it was made from, " + sweepFile + " (its text is recorded in the sweep_source of " + swMan + "); the command that made it: cascade sweep " + sweepFile + " --runs 4 --no-plots"
	scenario := "is not a run's manifest (schema \"cascade.sweep/v1\") but a sweep's: to make the sweep again, give cascade sweep its sweep file, " + sweepFile + " (its text is recorded in the sweep_source of " + swMan + "); to run its base scenario, name that: mini"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", swMan}, swMan + ":1:1: this is a sweep's manifest, not a sweep file: " + file},
		{[]string{"sweep", sw, "--check"}, sw + ": a sweep's output directory, not a sweep file: " + file},
		{[]string{"sweep", runMan}, runMan + ":1:1: this is a run's manifest, not a sweep file: a sweep file names the scenario to sweep (base: " + runMan + " stands for"},
		{[]string{"sweep", run}, run + ": a run's output directory, not a sweep file"},
		{[]string{"run", swMan, "--out", filepath.Join(tmp, "x")}, swMan + " " + scenario},
		{[]string{"run", sw, "--out", filepath.Join(tmp, "x")}, sw + " is a sweep's output directory, not a scenario file, and there is no built-in scenario of that name; to make the sweep again"},
		{[]string{"compare", "mini", swMan, "--out", filepath.Join(tmp, "x")}, swMan + " " + scenario},
		{[]string{"sweep", base, "--check"}, base + ":2:7: base: " + swMan + " " + scenario},
	} {
		t.Run(tc.args[0]+" "+filepath.Base(tc.args[1]), func(t *testing.T) {
			_, e, code := cascade(t, tc.args...)
			if code != 2 || !strings.Contains(e, tc.want) || strings.Count(e, "\n") != 1 {
				t.Errorf("exit %d (want 2), stderr\n%s\nwant one line with %q", code, e, tc.want)
			}
			if _, err := os.Stat(filepath.Join(tmp, "x")); err == nil {
				t.Error("outputs written")
			}
		})
	}
}

// TestHelpManifestScenario: the help of every command that reads a
// scenario says that a run's manifest.json may stand for it, as run's
// does, in lines of at most 80 characters (in its paragraph: channels
// lists its channels on a longer line).
func TestHelpManifestScenario(t *testing.T) {
	const want = "a run's manifest.json (the scenario that run ran, with its seed"
	for _, cmd := range []string{"run", "compare", "score", "channels"} {
		o, e, code := cascade(t, cmd, "--help")
		if code != 0 {
			t.Fatalf("%s --help: exit %d: %s", cmd, code, e)
		}
		long, _, _ := strings.Cut(o, "\nUsage:")
		if !strings.Contains(strings.Join(strings.Fields(long), " "), want) {
			t.Errorf("%s --help does not say %q:\n%s", cmd, want, long)
		}
		for _, par := range strings.Split(long, "\n\n") {
			if !strings.Contains(par, "manifest.json") {
				continue
			}
			for _, l := range strings.Split(par, "\n") {
				if len([]rune(l)) > 80 {
					t.Errorf("%s --help: a line of %d characters: %s", cmd, len([]rune(l)), l)
				}
			}
		}
	}
}
