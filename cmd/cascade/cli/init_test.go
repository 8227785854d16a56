package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestInitStarter: cascade init writes the starter under the file's name,
// it passes cascade validate, and its run is a cascade: the headline falls
// well over once more than with every agent passive (3.6 times on its
// seed; 2.6 to 4.4 over seeds 1-12), and the funds' broker calls them
// (6 calls).
func TestInitStarter(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "class.yaml")
	if _, stderr, code := cascade(t, "init", file); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte("\nname: class ")) || !bytes.Contains(src, []byte("cascade run class.yaml ")) || bytes.Contains(src, []byte("starter.yaml")) {
		t.Errorf("the starter is not named after its file:\n%.1200s", src)
	}
	if _, stderr, code := cascade(t, "validate", file); code != 0 {
		t.Fatalf("validate: exit %d: %s", code, stderr)
	}
	out := filepath.Join(dir, "out")
	if _, stderr, code := cascade(t, "run", file, "--out", out, "--no-plots", "--quiet"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	var sum sim.Summary
	if err := readJSON(filepath.Join(out, "summary.json"), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Scenario != "class" || !(sum.Amplification > 2) || sum.MarginCalls.Count < 3 {
		t.Errorf("scenario %q: amplification %.2f (want > 2), margin calls %d (want at least 3)", sum.Scenario, sum.Amplification, sum.MarginCalls.Count)
	}
}

// TestStarterCommented: every line of the starter says what it means: it
// is a comment, ends in one, or opens a block a comment line introduces.
func TestStarterCommented(t *testing.T) {
	lines := strings.Split(string(starter), "\n")
	for i, l := range lines {
		s := strings.TrimSpace(l)
		if s == "" || strings.Contains(s, "#") {
			continue
		}
		if i == 0 || !strings.HasPrefix(strings.TrimSpace(lines[i-1]), "#") {
			t.Errorf("starter.yaml:%d: %q has no comment", i+1, l)
		}
	}
}

// TestInitFrom: --from copies a built-in under the file's name, headed
// by a line saying so, and - writes to standard output as it is.
func TestInitFrom(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "my-aug.yaml")
	if _, stderr, code := cascade(t, "init", "--from", "aug2024", file); code != 0 {
		t.Fatalf("init --from aug2024: exit %d: %s", code, stderr)
	}
	got, _ := os.ReadFile(file)
	orig, _ := scenarios.Builtin("aug2024")
	want := strings.Replace(string(orig), "\nname: aug2024\n", "\nname: my-aug\n", 1)
	head, ok := strings.CutSuffix(string(got), want)
	if !ok || !strings.HasPrefix(head, "# Written by cascade init --from aug2024: ") || strings.Count(head, "\n") != 2 {
		t.Errorf("not the built-in named my-aug under a two-line head:\n%.600s", got)
	}
	if _, stderr, code := cascade(t, "validate", file); code != 0 {
		t.Errorf("validate: exit %d: %s", code, stderr)
	}
	stdout, _, code := cascade(t, "init", "-")
	if code != 0 || stdout != string(starter) {
		t.Errorf("init -: exit %d, and the output is not the starter as it is", code)
	}
}

// TestInitRefuses: an existing file is kept without --force, a
// directory, a missing directory and an unknown built-in are refused (exit
// 2, naming what), and nothing is left behind.
func TestInitRefuses(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "mine.yaml")
	os.WriteFile(mine, []byte("my notes\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{mine}, mine + " exists: give --force to replace it"},
		{[]string{"--from", "mini", mine}, mine + " exists: give --force to replace it"},
		{[]string{dir, "--force"}, dir + " is a directory: give the file to write in it (e.g. " + filepath.Join(dir, "scenario.yaml") + ")"},
		{[]string{filepath.Join(dir, "no", "x.yaml")}, "no directory " + filepath.Join(dir, "no") + " to write it in"},
		{[]string{"--from", "aug2042", filepath.Join(dir, "x.yaml")}, `--from aug2042: no built-in scenario of that name (did you mean "aug2024"?)`},
		{[]string{"a.yaml", "b.yaml"}, "accepts at most 1 arg"},
	} {
		_, stderr, code := cascade(t, append([]string{"init"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("init %v: exit %d, want 2 and %q; stderr: %s", c.args, code, c.want, stderr)
		}
	}
	if b, _ := os.ReadFile(mine); string(b) != "my notes\n" {
		t.Errorf("mine.yaml was changed: %q", b)
	}
	if _, stderr, code := cascade(t, "init", mine, "--force"); code != 0 {
		t.Fatalf("init --force: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(mine); !bytes.Contains(b, []byte("\nname: mine ")) {
		t.Errorf("--force did not replace mine.yaml: %.200s", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left in the directory: %v", ents)
	}
}

// TestInitNamed: the scenario takes its file's name, quoted where YAML
// would read it as something else, with the name's comment kept in its
// column; a file name that cannot name a scenario leaves the name alone.
func TestInitNamed(t *testing.T) {
	for _, c := range []struct{ src, file, want string }{
		{"name: starter        # the name\n", "dir/my.yaml", "name: my             # the name\n"},
		{"name: starter  # the name\n", "a-much-longer-name.yml", "name: a-much-longer-name # the name\n"},
		{"x: 1\nname: aug2024\nseed: 2\n", "class", "x: 1\nname: class\nseed: 2\n"},
		{"name: aug2024\n", "yes.yaml", "name: \"yes\"\n"},
		{"name: aug2024\n", "2025.yaml", "name: \"2025\"\n"},
		{"name: aug2024\n", "week 1: carry.yaml", "name: 'week 1: carry'\n"},
		{"name: aug2024\n", "..yaml", "name: aug2024\n"},
		{"  name: nested\n", "my.yaml", "  name: nested\n"},
	} {
		if got := string(named([]byte(c.src), c.file, false)); got != c.want {
			t.Errorf("named(%q, %q) = %q, want %q", c.src, c.file, got, c.want)
		}
	}
}
