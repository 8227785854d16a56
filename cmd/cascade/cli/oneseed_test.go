package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneSeedWhenSeedFree: channels, score and compare run one seed, and
// say so, when the scenario draws nothing from its seed (its noise is off
// and no population draws with vary, as eba2018): every seed makes the
// same runs, so --seeds N repeated them N times (channels eba2018 --players
// bank ran 20 runs, all the same two). A scenario that draws something
// still runs every seed asked for: the noise, or a population's vary with
// the noise off (aug2024's funds). aug2024 without its noise and vary
// (seedFree below) scores 8 of 10 at every seed: Nikkei -6.38.
func TestOneSeedWhenSeedFree(t *testing.T) {
	seedFree := []string{"--set", "noise.off=true"}
	for _, e := range []string{"gs-fund", "ms-fund", "jpm-fund", "jp-retail", "crypto-lev", "lifer"} {
		seedFree = append(seedFree, "--set", "agents."+e+".vary=[]")
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		code int
		want []string // in the output, in order
		not  []string
		json string // a file (or "-": stdout) whose seeds_asked must be the number below
		n    int
	}{
		{"channels eba2018", []string{"channels", "eba2018", "--players", "bank"}, 0, []string{
			"taken apart between 1 player at 1 seed (2 runs)\n",
			"noise is off: one seed, not 10 (nothing in eba2018 draws from the seed: no noise, no population draws; every seed makes the same runs)\n",
			"every player on:  mean 25.50", "every player off: mean 10.00", "bank    15.50"}, nil, "", 0},
		{"channels eba2018 --json", []string{"channels", "eba2018", "--players", "bank", "--seeds", "4", "--json"}, 0, []string{
			`"seeds": [` + "\n    \"1\"\n  ],", `"runs": 2,`}, nil, "-", 4},
		{"channels eba2018 with noise", []string{"channels", "eba2018", "--players", "bank", "--set", "noise.off=false", "--seeds", "3"}, 0, []string{
			"at 3 seeds (6 runs)"}, []string{"noise is off"}, "", 0},
		{"channels mini, noise off, vary", []string{"channels", "mini", "--players", "hedge_fund", "--set", "noise.off=true", "--seeds", "2"}, 0, []string{
			"at 2 seeds (4 runs)"}, []string{"noise is off"}, "", 0},
		{"score", append([]string{"score", "aug2024", "--seeds", "5"}, seedFree...), 1, []string{
			"noise is off: one seed, not 5 (nothing in aug2024 draws from the seed: no noise, no population draws; every seed makes the same run)\n",
			"Nikkei 5 Aug (close to close)            -12.4     -6.38 ", "aug2024: 8 of 10 within tolerance"}, []string{"medians"}, "", 0},
		{"score --json", append([]string{"score", "aug2024", "--seeds", "5", "--json"}, seedFree...), 1, []string{
			`"seed": "2024"`, `"within": 8`}, nil, "-", 5},
		{"score, vary left", []string{"score", "aug2024", "--seeds", "2", "--set", "noise.off=true"}, 0, []string{
			"aug2024 at 2 seeds:"}, []string{"noise is off"}, "", 0},
		{"compare", []string{"compare", "eba2018", "--off", "bank", "--seeds", "4", "-o", filepath.Join(dir, "cmp")}, 0, []string{
			"noise is off: one seed, not 4 (nothing in eba2018 draws from the seed: no noise, no population draws; every seed makes the same pair of runs)\n",
			"\n  GOVB max drawdown %                     25.5         10     -15.5    -61%\n"}, []string{"medians over"}, filepath.Join(dir, "cmp", "compare.json"), 4},
		{"compare with noise", []string{"compare", "eba2018", "--off", "bank", "--seeds", "2", "--set", "noise.off=false", "-o", filepath.Join(dir, "cmp2")}, 0, []string{
			"medians over 2 seeds"}, []string{"noise is off"}, "", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, code := cascade(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, stderr)
			}
			rest := out
			for _, w := range c.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("no %q (in order) in:\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
			for _, w := range c.not {
				if strings.Contains(out+stderr, w) {
					t.Errorf("%q in:\n%s%s", w, out, stderr)
				}
			}
			if c.json == "" {
				return
			}
			b := []byte(out)
			if c.json != "-" {
				var err error
				if b, err = os.ReadFile(c.json); err != nil {
					t.Fatal(err)
				}
			}
			var d struct {
				SeedsAsked int `json:"seeds_asked"`
			}
			if err := json.Unmarshal(b, &d); err != nil || d.SeedsAsked != c.n {
				t.Errorf("seeds_asked %d (%v), want %d", d.SeedsAsked, err, c.n)
			}
		})
	}
}
