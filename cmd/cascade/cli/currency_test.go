package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCurrencyPrinted: a run prints and reports its amounts in the
// scenario's reporting currency (report.currency): eba2018's in euros,
// with no dollar sign or USD anywhere in its printed summary or report.md
// but the names of _usd columns, aug2024's in dollars; summary.json names
// the currency and keeps its _usd keys.
func TestCurrencyPrinted(t *testing.T) {
	for _, c := range []struct {
		scenario, currency string
		lines              []string // in the printed summary
		report             []string // in report.md
		not                string   // in neither
	}{
		{"eba2018", "EUR",
			[]string{"sales €1.71tn (deleveraging €1.67tn, default_liquidation €42.7bn)\n", "capital: bank lost €368.5bn of €1.22tn (30.1%)\n"},
			[]string{"Agents sold €1.71tn in all", "| kind | start (EUR) |", "| bank | start | lowest | end | min / buffer / target (%) | sold (EUR) | end state |"}, "$"},
		{"aug2024", "USD",
			[]string{"sales $665.2bn (carry_exit $168.6bn, cta_signal $91.4bn, vol_target $89.7bn, deleveraging $78.4bn, ...)\n", "margin calls 213 ($94.1bn); defaults 27 ("},
			[]string{"Agents sold $665.2bn in all", "| kind | start (USD) |"}, "€"},
	} {
		t.Run(c.scenario, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "run")
			stdout, stderr, code := cascade(t, "run", c.scenario, "-o", out, "--no-plots")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, l := range c.lines {
				if !strings.Contains(stdout, l) {
					t.Errorf("printed summary lacks %q:\n%s", l, stdout)
				}
			}
			b, err := os.ReadFile(filepath.Join(out, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			report := string(b)
			for _, l := range c.report {
				if !strings.Contains(report, l) {
					t.Errorf("report.md lacks %q", l)
				}
			}
			for what, text := range map[string]string{"printed summary": stdout, "report.md": report} {
				// The names of _usd columns, and USDJPY, are not amounts.
				text = strings.NewReplacer("_usd", "", "USDJPY", "").Replace(text)
				if strings.Contains(text, c.not) || (c.currency != "USD" && strings.Contains(text, "USD")) {
					t.Errorf("%s of %s writes %q or USD:\n%s", what, c.scenario, c.not, text)
				}
			}
			s, err := os.ReadFile(filepath.Join(out, "summary.json"))
			if err != nil {
				t.Fatal(err)
			}
			for _, key := range []string{`"currency": "` + c.currency + `"`, `"forced_sales_usd": {`, `"total_usd": `} {
				if !strings.Contains(string(s), key) {
					t.Errorf("summary.json lacks %s", key)
				}
			}
		})
	}
}
