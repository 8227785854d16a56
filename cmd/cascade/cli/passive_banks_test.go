package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPassiveBanksShown: banks that end below their min_ratio are named
// wherever a run or a comparison counts failures, since a passive bank
// (the bank channel off) never fails in the model. eba2018 with its 10%
// shock fails DE21 and NL33, which end below 3%; with the banks passive
// and a 20% shock none fails and seven end below 3%, which the printed
// summary, summary.json and report.md say, as cascade compare --off bank
// does beside the defaults. cascade channels counts them with --metric
// banks_below_min (the banks' selling adds no such bank at 10%, and 13 at
// 20%), and warns under --metric defaults that a passive bank never fails.
func TestPassiveBanksShown(t *testing.T) {
	for _, c := range []struct {
		name  string
		sets  []string
		lines []string // in the printed summary
		below int
		notes []string // in report.md
	}{
		{"active, 10%", nil, []string{"defaults 2 (DE21, NL33)\n", "banks: 2 of 48 end below their min_ratio (NL33 2.82%, DE21 2.87%), 2 of them failed\n"}, 2,
			[]string{"Of 48 banks, 2 failed and 35 sold; 2 end below their `min_ratio` (2 of them failed). Failed: DE21, NL33."}},
		{"passive, 20%", []string{"channels.off=[bank]", "events.0.shocks.GOVB=-0.2"},
			[]string{"defaults 0\n", "banks: 7 of 48 end below their min_ratio (NL33 1.78%, FR13 1.83%, DE21 1.95%, NL30 2.65%, IT26 2.77%, ES38 2.92%, ...); the bank channel is off: passive banks neither sell nor fail in the model, so defaults counts none of them\n"}, 7,
			[]string{"Of 48 banks, 0 failed and 0 sold; 7 end below their `min_ratio`. Below `min_ratio` at the end: BE04, FR13, DE21, IT26, NL30, NL33, ES38. **The bank channel is off**",
				"| NL33 | 3.49% | 1.77% (2 Jan 00:00) | 1.78% | 3 / 3.49 / 5 | 0 | below min |"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "run")
			args := []string{"run", "eba2018", "-o", out, "--no-plots"}
			for _, s := range c.sets {
				args = append(args, "--set", s)
			}
			stdout, stderr, code := cascade(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, l := range c.lines {
				if !strings.Contains(stdout, l) {
					t.Errorf("printed summary lacks %q:\n%s", l, stdout)
				}
			}
			var s struct {
				BanksBelowMin int `json:"banks_below_min"`
			}
			b, err := os.ReadFile(filepath.Join(out, "summary.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &s); err != nil || s.BanksBelowMin != c.below {
				t.Errorf("summary.json: banks_below_min %d (%v), want %d", s.BanksBelowMin, err, c.below)
			}
			report, err := os.ReadFile(filepath.Join(out, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range c.notes {
				if !strings.Contains(string(report), n) {
					t.Errorf("report.md lacks %q", n)
				}
			}
		})
	}

	t.Run("compare", func(t *testing.T) {
		stdout, stderr, code := cascade(t, "compare", "eba2018", "--off", "bank", "--set", "events.0.shocks.GOVB=-0.2", "-o", filepath.Join(t.TempDir(), "cmp"))
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, want := range [][]string{{"defaults", "20", "0", "-20", "-100%"}, {"banks", "below", "min_ratio", "20", "7", "-13", "-65%"}} {
			found := false
			for _, l := range strings.Split(stdout, "\n") {
				found = found || strings.Join(strings.Fields(l), " ") == strings.Join(want, " ")
			}
			if !found {
				t.Errorf("no row %q:\n%s", strings.Join(want, " "), stdout)
			}
		}
	})

	const warning = "A passive bank never fails, however low its ratio falls: with bank off, the defaults count no bank. --metric banks_below_min counts"
	for _, c := range []struct {
		metric, shock string
		on, off, shap string
		warn          bool
	}{
		{"banks_below_min", "-0.1", "2.00", "2.00", "0", false},
		{"banks_below_min", "-0.2", "20.00", "7.00", "13.00", false},
		{"defaults", "-0.2", "20.00", "0", "20.00", true},
	} {
		t.Run("channels "+c.metric+" "+c.shock, func(t *testing.T) {
			stdout, stderr, code := cascade(t, "channels", "eba2018", "--players", "bank", "--metric", c.metric, "--set", "events.0.shocks.GOVB="+c.shock)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, want := range []string{"every player on:  mean " + c.on + "\n", "every player off: mean " + c.off + "\n", "\nbank    " + c.shap + " "} {
				if !strings.Contains(stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, stdout)
				}
			}
			if strings.Contains(stdout, warning) != c.warn {
				t.Errorf("warning that passive banks never fail shown %v, want %v:\n%s", !c.warn, c.warn, stdout)
			}
		})
	}
}
