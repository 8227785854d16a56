package scenarios

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestUnknownFieldHints: an unknown field is refused with the field meant
// where its words name one (leverage on a CTA: max_leverage), with where
// else the field is one (a hedge fund trade's, another kind's, a
// broker's), and with what a key written by habit means here (the base
// currency is report.currency; vol is annual). Each file extends mini with
// one mistake; the message is checked whole, after the position.
func TestUnknownFieldHints(t *testing.T) {
	const asset = "assets+:\n  - {id: GOLD, kind: commodity, currency: USD, price: 2400, adv: 1.0e+11, impact: {function: sqrt, y: 1, permanent: 0.5}, %s}\n"
	agent := func(entry string) string { return "agents+:\n  - {" + entry + "}\n" }
	for _, c := range []struct{ yaml, want string }{
		// (a) a field of the kind whose name holds the word.
		{agent("kind: cta, id: c, equity: 1.0e+9, broker: GS, assets: [SPX], leverage: 2"),
			`agents+[0].leverage: unknown field for kind cta (did you mean "max_leverage"? leverage is a field of hedge_fund trades, not of cta)`},
		{agent("kind: cta, id: c, equity: 1.0e+9, broker: GS, assets: [SPX], lookback: [30]"),
			`agents+[0].lookback: unknown field for kind cta (did you mean "lookback_days"?)`},
		// (b) a field of other kinds, of a list in another kind's entry, of brokers.
		{agent("kind: insurer, id: i, equity: 1.0e+9, foreign: UST10Y, foreign_value: 1.0e+10, hedge_ratio: 0.5, leverage: 2"),
			`agents+[0].leverage: unknown field for kind insurer (leverage is a field of hedge_fund trades, not of insurer)`},
		{agent("kind: hedge_fund, id: h, equity: 1.0e+9, trades: [], target_vol: 0.1"),
			`agents+[0].target_vol: unknown field for kind hedge_fund (target_vol is a field of cta, risk_parity and vol_control, not of hedge_fund)`},
		{agent("kind: vol_control, id: v, equity: 1.0e+9, broker: GS, asset: SPX, kappa: 1"),
			`agents+[0].kappa: unknown field for kind vol_control (kappa is a field of brokers, not of vol_control)`},
		// ... of a list in its own entry, and the other way about.
		{agent("kind: hedge_fund, id: h, equity: 1.0e+9, trades: [], stop_loss: 0.05"),
			`agents+[0].stop_loss: unknown field for kind hedge_fund (stop_loss is a field of its trades, not of the hedge_fund itself)`},
		{agent("kind: hedge_fund, id: h, equity: 1.0e+9, trades: [], broker: GS"),
			`agents+[0].broker: unknown field for kind hedge_fund (broker is a field of its trades, and of cta, risk_parity and vol_control, not of the hedge_fund itself)`},
		{agent("kind: hedge_fund, id: h, equity: 1.0e+9, trades: [{kind: carry, broker: GS, leverage: 1, carry_exit: 0.2}]"),
			`agents+[0].trades[0].carry_exit: unknown field (carry_exit is a field of the hedge_fund, not of its trades)`},
		// A misspelling keeps its suggestion, and nothing is added where nothing applies.
		{agent("kind: cta, id: c, equity: 1.0e+9, broker: GS, assets: [SPX], target_voll: 0.1"),
			`agents+[0].target_voll: unknown field for kind cta (did you mean "target_vol"?)`},
		{agent("kind: cta, id: c, equity: 1.0e+9, broker: GS, assets: [SPX], zzz: 1"),
			`agents+[0].zzz: unknown field for kind cta (agents+[0] is the scenario's agents[8])` + "\n"},
		// Keys written by habit.
		{"currency: USD\n", `currency: unknown field (did you mean "report.currency"? amounts are in one account currency, which the model calls USD and report.currency labels (a label only: nothing is converted); an asset's currency, assets[].currency, is the one its price is quoted in)`},
		{"start_date: 2024-07-30T00:00:00Z\n", `start_date: unknown field (did you mean "start"?)`},
		// A field written a level too high, or a word several fields hold.
		{"facility_on: true\n", `facility_on: unknown field (did you mean "funding.facility_on"?)`},
		{"execution: pre\n", `execution: unknown field (did you mean "conventions.execution"?)`},
		{"funding: {facility: true}\n", `funding.facility: unknown field (did you mean "facility_cap", "facility_capacity" or "facility_on"?)`},
		{strings.Replace(asset, "%s", "vol: 0.14, daily_vol: 0.009", 1),
			`assets+[0].daily_vol: unknown field (did you mean "vol"? vol is annual, 0.2 for 20% a year: a daily volatility times √252, about 15.9)`},
		{strings.Replace(asset, "%s", "vol: 0.14, adv_usd: 1.0e+11", 1),
			`assets+[0].adv_usd: unknown field (did you mean "adv"? adv is in USD already, whatever the asset's currency)`},
		{strings.Replace(asset, "%s", "vol: 0.14, volume: 1.0e+11", 1),
			`assets+[0].volume: unknown field (did you mean "adv"? adv is the average daily volume in USD; impact.volume, if given, is V of the square-root law instead)`},
		{strings.Replace(asset, "%s", "volatility: 0.14", 1), `assets+[0].volatility: unknown field (did you mean "vol"?)`},
		{strings.Replace(asset, "%s", "vol: 0.14, name: gold", 1), `assets+[0].name: unknown field (did you mean "id"?)`},
	} {
		f := filepath.Join(t.TempDir(), "s.yaml")
		if err := os.WriteFile(f, []byte("extends: mini\n"+c.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(f, nil)
		if err == nil || !strings.Contains(err.Error()+"\n", ": "+c.want) {
			t.Errorf("%s:\n got %v\nwant %s", c.yaml, err, c.want)
		}
	}
}

// TestByWords: the candidates whose names hold the word, or that the
// word holds, in a row, in the candidates' order; none when more than
// four do.
func TestByWords(t *testing.T) {
	cta := []string{"id", "equity", "broker", "assets", "lookback_days", "target_vol", "max_leverage", "speed", "rebalance_days", "rebalance_at", "half_life_days"}
	funding := []string{"repo_spread", "repo_slope", "other_spread", "other_slope", "basis", "basis_slope", "u_star", "facility_cap", "facility_capacity", "facility_on"}
	for _, c := range []struct {
		s     string
		cands []string
		want  []string
	}{
		{"leverage", cta, []string{"max_leverage"}},
		{"LEVERAGE", cta, []string{"max_leverage"}},
		{"half_life", cta, []string{"half_life_days"}},
		{"initial_equity", cta, []string{"equity"}},
		{"broker_id", cta, []string{"id", "broker"}},
		{"days", cta, []string{"lookback_days", "rebalance_days", "half_life_days"}},
		{"rebalance", cta, []string{"rebalance_days", "rebalance_at"}},
		{"life_half", cta, nil}, // the words, but not in a row
		{"max_leverage", cta, nil},
		{"vol", cta, []string{"target_vol"}},
		{"facility", funding, []string{"facility_cap", "facility_capacity", "facility_on"}},
		{"slope", funding, []string{"repo_slope", "other_slope", "basis_slope"}},
		{"spread_slope", funding, nil},
		{"a_b", []string{"a_b_1", "a_b_2", "a_b_3", "a_b_4", "a_b_5"}, nil}, // five: too many to say which
	} {
		if got := byWords(c.s, c.cands); !slices.Equal(got, c.want) {
			t.Errorf("byWords(%q) = %q, want %q", c.s, got, c.want)
		}
	}
}
