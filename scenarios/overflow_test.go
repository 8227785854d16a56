package scenarios

import "testing"

// TestVaryDrawsOverflow: a population's vary whose draws overflow, or lie
// beyond any number a file may hold, is refused at its distribution with
// what to change. Before, lognormal mu 800 gave "draws up to +Inf" for a
// field with a maximum and passed for one without (carry_exit: every fund
// drew +Inf), and mu 700 (draws up to 1.2e306) passed.
func TestVaryDrawsOverflow(t *testing.T) {
	vary := func(field, dist string) string {
		return "agents.hf.vary=[{field: " + field + ", dist: " + dist + "}]"
	}
	for _, c := range []struct{ set, want string }{
		{vary("reentry_days", "{kind: lognormal, mu: 800, sigma: 1}"),
			"--set #1:1:16: agents[0].vary[0].dist.mu: lognormal mu 800 is too large: mu is the logarithm of the median draw (e^800), and the largest draws, e^(mu + 8.21·sigma), overflow (beyond 1.8e+308, the largest number); with sigma 1, mu must be at most 701.6 (e.g. 25.33 for a median of 1e11), or give the distribution a max"},
		{vary("carry_exit", "{kind: lognormal, mu: 800, sigma: 1}"),
			"--set #1:1:16: agents[0].vary[0].dist.mu: lognormal mu 800 is too large"},
		{vary("carry_exit", "{kind: lognormal, mu: 2, sigma: 90}"),
			"--set #1:1:16: agents[0].vary[0].dist.sigma: lognormal sigma 90 is too wide: its largest draws, e^(mu + 8.21·sigma), overflow (beyond 1.8e+308, the largest number); with mu 2, sigma must be at most 86.21, or give the distribution a max"},
		{vary("carry_exit", "{kind: lognormal, mu: 700, sigma: 1}"),
			"--set #1:1:16: agents[0].vary[0].dist: this distribution draws carry_exit up to 1.176e+306, beyond any number a scenario may hold (at most 1e+15 in magnitude): give it a max of at most 1e+15"},
		{vary("equity", "{kind: normal, mean: 1.0e+15, sd: 1.0e+14, min: 1}"),
			"--set #1:1:16: agents[0].vary[0].dist: this distribution draws equity up to 1.475e+15, beyond any number a scenario may hold (at most 1e+15 in magnitude): give it a max of at most 1e+15"},
		{vary("carry_exit", "{kind: lognormal, mu: 700, sigma: 1, max: 1}"),
			"--set #1:1:16: agents[0].vary[0].dist.mu: lognormal mu 700 (sigma 1) clamps every draw to max 1: even the lowest draw in a million, e^(mu − 4.75·sigma) = e^695.2, is above it; lower mu, or use kind: fixed with value 1"},
		{vary("carry_exit", "{kind: lognormal, mu: 0, sigma: 1, max: 1}"), ""}, // half the draws clamped
	} {
		if got := loadProblem(t, "mini", c.set); len(got) < len(c.want) || got[:len(c.want)] != c.want || (c.want == "" && got != "") {
			t.Errorf("%s:\ngot  %q\nwant %q", c.set, got, c.want)
		}
	}
}
