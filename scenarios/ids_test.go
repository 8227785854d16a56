package scenarios_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
)

// TestIDText: any printable id is accepted, real-world tickers among them
// (BRK.B, 7203, 日経225, S&P 500) and text that the outputs must quote or
// escape (a |, a comma, a quote, a leading =); an id whose text would break
// the line it is written on, hide in it, or name nothing when referred to
// without quotes is refused at its file:line:col, as are two ids that
// differ only in case. The old validator took all of these, and wrote a
// newline into the time series' header and two columns SPX and spx.
func TestIDText(t *testing.T) {
	mini, err := os.ReadFile("builtin/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	nky := regexp.MustCompile(`\bNKY\b`)
	for _, c := range []struct {
		name string
		edit func(string) string
		want string // "" for accepted, else the start of the problem after file:
	}{
		{"dotted ticker", asset(nky, `"BRK.B"`), ""},
		{"digits", asset(nky, `"7203"`), ""},
		{"japanese", asset(nky, `日経225`), ""},
		{"inner space and ampersand", asset(nky, `"S&P 500"`), ""},
		{"pipe", asset(nky, `"N|KY"`), ""},
		{"comma and quote", asset(nky, `'N,"KY'`), ""},
		{"formula", asset(nky, `"=1+2"`), ""},
		{"newline", asset(nky, `"N\nKY"`), `15:10: assets[4].id: id "N\nKY" holds the invisible or control character U+000A`},
		{"tab", asset(nky, `"N\tKY"`), `15:10: assets[4].id: id "N\tKY" holds the invisible or control character U+0009`},
		{"zero-width space", asset(nky, `"NKY\u200b"`), `15:10: assets[4].id: id "NKY\u200b" holds the invisible or control character U+200B`},
		{"spaces at the ends", asset(nky, `" NKY "`), `15:10: assets[4].id: id " NKY " begins or ends with a space`},
		{"assets differing in case", asset(nky, `spx`), `15:10: assets[4].id: asset id "spx" differs from "SPX" (assets[3].id) only in case`},
		{"agents differing in case", replace("id: cta,", "id: BANK,"), `71:22: agents[6].id: id "bank" differs from "BANK" (agents[2].id) only in case`},
		{"agent with a tab", replace("id: cta,", `id: "c\tta",`), `67:21: agents[2].id: id "c\tta" holds the invisible or control character U+0009`},
		{"currencies differing in case", replace("currency: USD, price: 5400", "currency: usd, price: 5400"), `14:39: assets[3].currency: currency "usd" differs from "USD" only in case`},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "ids.yaml")
			if err := os.WriteFile(f, []byte(c.edit(string(mini))), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := scenarios.Load(f, nil)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want != "" && err == nil:
				t.Errorf("accepted; want %s", c.want)
			case c.want != "" && !strings.HasPrefix(err.Error(), f+":"+c.want):
				t.Errorf("got %v\nwant %s:%s...", err, f, c.want)
			}
		})
	}
}

// asset renames every mention of the asset old matches to id (a YAML
// scalar, quoted where it must be).
func asset(old *regexp.Regexp, id string) func(string) string {
	return func(s string) string { return old.ReplaceAllLiteralString(s, id) }
}

// replace replaces the one occurrence of old by new.
func replace(old, new string) func(string) string {
	return func(s string) string { return strings.Replace(s, old, new, 1) }
}
