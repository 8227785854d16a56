package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportCurrencyLabel: report.currency only labels the one account
// currency (nothing is converted), so a label naming a currency that the
// scenario quotes against USD in an exchange rate, JPY beside USDJPY or
// EUR beside EURUSD, would print dollars as yen or euros: it is refused at
// its file:line:col, saying what the field is for. A label with no
// exchange rate to it (EUR in mini, as eba2018 uses it) and USD are kept.
func TestReportCurrencyLabel(t *testing.T) {
	const eurusd = "assets+:\n  - {id: EURUSD, kind: fx, base: EUR, currency: USD, price: 1.1, vol: 0.07, adv: 1.0e+11, impact: {function: sqrt, y: 1, permanent: 0.5}}\n"
	for _, c := range []struct {
		name, yaml string
		want       string // "": accepted, with the label cur
		cur        string
	}{
		{"JPY beside USDJPY", "report:\n  currency: JPY\n",
			"s.yaml:3:13: report.currency: JPY is a currency this scenario quotes against USD (asset USDJPY): report.currency only labels the one account currency every amount is kept in, which the model calls USD (nothing is converted), so JPY would print dollars as JPY", ""},
		{"EUR beside EURUSD", eurusd + "report: {currency: EUR}\n",
			"s.yaml:4:20: report.currency: EUR is a currency this scenario quotes against USD (asset EURUSD)", ""},
		{"EUR without a rate to it", "report: {currency: EUR}\n", "", "EUR"},
		{"USD", "report: {currency: USD}\n", "", "USD"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "s.yaml")
			if err := os.WriteFile(f, []byte("extends: mini\n"+c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			sc, err := Load(f, nil)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want == "" && sc.File.Config.AccountCurrency() != c.cur:
				t.Errorf("account currency %q, want %q", sc.File.Config.AccountCurrency(), c.cur)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("got %v\nwant %s", err, c.want)
			}
		})
	}
	// The same from --set, at the override's position.
	_, err := Load("mini", []string{"report.currency=JPY"})
	if want := "--set #1:1:17: report.currency: JPY is a currency this scenario quotes against USD"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("--set report.currency=JPY: %v, want %s", err, want)
	}
}
