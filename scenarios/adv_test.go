package scenarios

import (
	"strings"
	"testing"
)

// TestADVLegs: an adv of 0, written or left out, is refused exactly on the
// assets in which a hedge fund's trade has a leg (a fund trades at most
// participation × adv a day, so it could never unwind), and only there.
// The cases change mini, whose fund agents[0] has a carry trade in cash
// funded in yen (trades[0], leg USDJPY), a basis trade UST10Y/TY
// (trades[1]) and equity trades in SPX (trades[2]) and, funded in yen, NKY
// (trades[3]); assets are USDJPY, UST10Y, TY, SPX and NKY, all sqrt.
func TestADVLegs(t *testing.T) {
	const lin = "={function: linear, lambda: 1.0e-12, permanent: 0.5}"
	noCarry := "agents[0].trades[0]={kind: equity, broker: GS, leverage: 2, asset: SPX}"
	for _, c := range []struct {
		set  []string
		want string // "": valid
	}{
		{[]string{"assets[3].impact" + lin, "assets[3].adv=0"},
			"--set #2:1:15: assets[3].adv: an adv of 0 leaves hedge funds unable to trade SPX, a leg of agents[0].trades[2] (an equity trade): a fund trades at most participation × adv of an asset a day; give SPX's average daily volume in USD"},
		{[]string{"assets[0].impact" + lin, "assets[0].adv=0"},
			"--set #2:1:15: assets[0].adv: an adv of 0 leaves hedge funds unable to trade USDJPY, a leg of agents[0].trades[0] (a carry trade): a fund trades at most participation × adv of an asset a day; give USDJPY's average daily volume in USD"},
		{[]string{"assets[1].impact" + lin, "assets[1].adv=0"},
			"--set #2:1:15: assets[1].adv: an adv of 0 leaves hedge funds unable to trade UST10Y, a leg of agents[0].trades[1] (a basis trade)"},
		{[]string{"assets[2].impact" + lin, "assets[2].adv=0"},
			"--set #2:1:15: assets[2].adv: an adv of 0 leaves hedge funds unable to trade TY, a leg of agents[0].trades[1] (a basis trade)"},
		{[]string{"assets[4].impact" + lin, "assets[4].adv=0"},
			"--set #2:1:15: assets[4].adv: an adv of 0 leaves hedge funds unable to trade NKY, a leg of agents[0].trades[3] (an equity trade)"},
		// The exchange rate is a leg of an equity trade funded in another
		// currency than the asset's, not of one funded in its own.
		{[]string{noCarry, "agents[0].trades[3].funding=USD", "assets[0].impact" + lin, "assets[0].adv=0"},
			"--set #4:1:15: assets[0].adv: an adv of 0 leaves hedge funds unable to trade USDJPY, a leg of agents[0].trades[3] (an equity trade)"},
		{[]string{noCarry, "assets[0].impact" + lin, "assets[0].adv=0"}, ""},
		// Left out.
		{[]string{"assets[3]={id: SPX, kind: equity, currency: USD, price: 5400, vol: 0.15, impact: {function: linear, lambda: 1.0e-12, permanent: 0.5}}"},
			"--set #1:1:11: assets[3].adv: missing adv: hedge funds trade at most participation × adv of an asset a day, and SPX is a leg of agents[0].trades[2] (an equity trade); give its average daily volume in USD"},
		// With a linear law, a positive adv is all it takes.
		{[]string{"assets[3].impact" + lin, "assets[3].adv=1.0e+6"}, ""},
		{[]string{"assets[3].impact" + lin, "assets[3].adv=-1"}, "--set #2:1:15: assets[3].adv: must not be negative (got -1)"},
		{[]string{"assets[3].adv=-1"}, "--set #1:1:15: assets[3].adv: must be positive (got -1)"},
	} {
		_, err := Load("mini", c.set)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v", c.set, err)
		case c.want != "" && err == nil:
			t.Errorf("%v: accepted, want %q", c.set, c.want)
		case c.want != "" && (!strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n")):
			t.Errorf("%v:\n got %v\nwant %s (alone)", c.set, err, c.want)
		}
	}
}
