package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunScoreLine: run prints, for a scenario with an observed: list
// (a built-in replay, or a file that extends one), how many of its
// quantities the run scores within tolerance, as report.md counts them,
// and the score command that shows the table; a scenario without one
// prints no such line. run said nothing, and a replay that missed half its
// quantities looked like one that hit them all.
func TestRunScoreLine(t *testing.T) {
	ext := filepath.Join(t.TempDir(), "ext.yaml")
	if err := os.WriteFile(ext, []byte("extends: aug2024\nevents:\n  - {at: 2024-08-01T14:00:00Z, kind: shock, label: extra, shocks: {NKY: 0.08}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string // "" for no line
	}{
		{"replay", []string{"aug2024"}, "scores 10 of 10 observed quantities (cascade score aug2024 for the table)\n"},
		{"seed and set", []string{"aug2024", "--seed", "3", "--set", "noise.scale=1.5"},
			"scores 6 of 10 observed quantities (cascade score aug2024 --seed 3 --set noise.scale=1.5 for the table)\n"},
		{"extends a replay", []string{ext}, "scores 4 of 10 observed quantities (cascade score " + ext + " for the table)\n"},
		{"no observed list", []string{"mini"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "run")
			stdout, stderr, code := cascade(t, append(append([]string{"run"}, c.args...), "--no-plots", "-o", out)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var line string
			for _, l := range strings.SplitAfter(stdout, "\n") {
				if strings.HasPrefix(l, "scores ") {
					line = l
				}
			}
			if line != c.want {
				t.Fatalf("score line %q, want %q; stdout:\n%s", line, c.want, stdout)
			}
			if c.want == "" {
				return
			}
			// The count is report.md's.
			rep, err := os.ReadFile(filepath.Join(out, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			count := strings.TrimPrefix(strings.SplitN(c.want, " observed", 2)[0], "scores ")
			if !strings.Contains(string(rep), "\n"+count+" observed quantities within tolerance") {
				t.Errorf("report.md does not count %q", count)
			}
		})
	}
}
