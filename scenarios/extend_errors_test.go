package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExtendErrors: problems a file that extends aug2024 causes in the
// built-in are reported in that file. A brokers: list that replaces the
// base's five is one problem at its key (not 14 at the funds of the
// built-in that name the brokers it left out), naming what it replaced
// and the first broken reference; assets appended without a correlation
// of their own are refused at the first of them, and correlation: [] is
// the identity.
func TestExtendErrors(t *testing.T) {
	const mxn = `  - {id: USDMXN, kind: fx, base: USD, currency: MXN, price: 18.6, vol: 0.12, adv: 1.0e+11, impact: {function: sqrt, y: 1, permanent: 0.4}}
  - {id: USDCHF, kind: fx, base: USD, currency: CHF, price: 0.88, vol: 0.07, adv: 1.0e+11, impact: {function: sqrt, y: 1, permanent: 0.4}}
rates:
  MXN: {policy: 0.1075}
  CHF: {policy: 0.0125}
`
	for _, c := range []struct {
		name, body string
		want       []string // the problems, each in full but the file's directory; none: loads
	}{
		{"brokers", "brokers:\n  - {id: GS, capital: 1.0e+11, lev_limit: 25, haircuts: {fx: 0.04, bond: 0.02, equity: 0.15}, floor: 0.2}\n",
			[]string{`brokers.yaml:2:1: brokers: this list replaces builtin:aug2024's list of 5 (GS, MS, JPM, jp-retail-brokers, crypto-venues) with 1 (GS), and the scenario still names those it left out: first builtin:aug2024:164:29: agents[1].trades[0].broker: unknown prime broker "MS" (did you mean "GS"?), and 13 more; to add entries to builtin:aug2024's list, write brokers+: with the new ones only; to change one, --set brokers.GS.FIELD=VALUE (or give every entry in this list)`}},
		{"brokers+", "brokers+:\n  - {id: XS, capital: 1.0e+11, lev_limit: 25, haircuts: {fx: 0.04, bond: 0.02, equity: 0.15}, floor: 0.2}\n", nil},
		{"assets", "assets+:\n" + mxn,
			[]string{`assets.yaml:3:5: assets+[0]: 2 assets added (USDMXN, USDCHF) and the correlation is builtin:aug2024's, 8 rows for 10 assets (at builtin:aug2024:64:3): give a correlation: of 10 rows of 10, in the assets' order (USDJPY UST10Y TY SPX NKY GOLD BTC JGB10Y USDMXN USDCHF), or correlation: [] for none between any assets (the identity) (assets+[0] is the scenario's assets[8])`}},
		{"identity", "correlation: []\nassets+:\n" + mxn, nil},
	} {
		dir := t.TempDir()
		file := filepath.Join(dir, strings.TrimSuffix(c.name, "+")+".yaml")
		if err := os.WriteFile(file, []byte("extends: aug2024\n"+c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		sc, err := Load(file, nil)
		if c.want == nil {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			} else if c.name == "identity" && sc.File.Correlation != nil {
				t.Errorf("%s: correlation %v, want nil (the identity)", c.name, sc.File.Correlation)
			}
			continue
		}
		var ps Problems
		if !errors.As(err, &ps) {
			t.Fatalf("%s: %v, want problems", c.name, err)
		}
		var got []string
		for _, p := range ps {
			got = append(got, strings.TrimPrefix(p.String(), dir+string(filepath.Separator)))
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s: problems\n%s\nwant\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}
