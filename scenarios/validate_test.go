package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/sim"
)

// problemsOf loads name with the overrides sets and returns its
// problems (nil when it loads).
func problemsOf(t *testing.T, name string, sets ...string) Problems {
	t.Helper()
	_, err := Load(name, sets)
	if err == nil {
		return nil
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load(%s, %q): error is not Problems: %v", name, sets, err)
	}
	return ps
}

// hasProblem reports whether ps has a problem at path from file.
func hasProblem(ps Problems, file, path string) bool {
	for _, p := range ps {
		if p.Path == path && p.Pos.File == file {
			return true
		}
	}
	return false
}

// refusedAt checks that mini with the one override set is refused with a
// problem at the override (--set #1) naming path.
func refusedAt(t *testing.T, set, path string) {
	t.Helper()
	ps := problemsOf(t, "mini", set)
	if !hasProblem(ps, "--set #1", path) {
		t.Errorf("--set %s: want a problem at --set #1 naming %s; got:\n%v", set, path, ps)
	}
}

// TestBuildErrorsAtField: problems the model's own checks (sim.Build)
// would catch are caught by validation at the value that is wrong (here
// the --set that gave it), with the field's path, not at the enclosing
// entry or the document root of the base file.
func TestBuildErrorsAtField(t *testing.T) {
	for _, c := range []struct{ set, path string }{
		// once "assets[2]: beta must be positive" at the future's entry
		{"assets.2.beta=-1", "assets[2].beta"},
		// once "need equity > 0, non-negative holdings and 0 <= hedge_ratio <= 1" at the insurer's entry
		{"agents.1.foreign_value=-1e11", "agents[1].foreign_value"},
		// once "report.correlation_horizon must be between 1 and the horizon" at builtin:mini:3:1, no path
		{"report.correlation_horizon=1000", "report.correlation_horizon"},
		// bounds listed derisk_drawdown as a share ([0, 1]); the fund refuses 1, at its entry
		{"agents.0.derisk_drawdown=1", "agents[0].derisk_drawdown"},
		// once "events[0] (fx_intervention): SPX is not an exchange rate" at builtin:mini:3:1, no path
		{"events.0={tick: 3, kind: fx_intervention, amount: 1.0e+9, pair: SPX}", "events[0].pair"},
	} {
		refusedAt(t, c.set, c.path)
	}
}

// TestNegativeBetaLinear: a future's beta must be positive (default 1; 0
// is refused), under any impact law: a negative beta made the future's
// calm volatility (beta × the underlying's) negative, which switched off
// its procyclical haircuts (prime_broker.go: s0 > 0) and made the hedge
// funds' re-entry test always fail.
func TestNegativeBetaLinear(t *testing.T) {
	ps := problemsOf(t, "mini",
		"assets.2.impact={function: linear, lambda: 1.0e-12, permanent: 0.5}", "assets.2.beta=-1")
	if !hasProblem(ps, "--set #2", "assets[2].beta") {
		t.Errorf("beta: -1 on a future with linear impact: want a problem at assets[2].beta; got %v", ps)
	}
}

// TestNegativeBankHoldings: a bank's holdings are "USD value held per
// asset": a negative value, which would be set up as a short position,
// is refused.
func TestNegativeBankHoldings(t *testing.T) {
	ps := problemsOf(t, "mini", "agents.6.holdings.UST10Y=-6.0e+10")
	if !hasProblem(ps, "--set #1", "agents[6].holdings.UST10Y") {
		t.Errorf("bank holdings of -6e10 accepted; problems: %v", ps)
	}
}

// TestDuplicateSleeves: an asset listed twice in a risk-parity fund's (or
// CTA's, or value investor's) assets is refused at the repeat: it passed
// the "at least two sleeves" check, and the fund weighed SPX as two
// sleeves but set target[SPX] twice (risk_parity.go targets: r.target[i] =
// nav·lev·wt[a], overwritten), holding half of it.
func TestDuplicateSleeves(t *testing.T) {
	for _, c := range []struct{ set, path string }{
		{"agents.3.assets=[SPX, SPX]", "agents[3].assets[1]"},
		{"agents.2.assets=[SPX, NKY, SPX]", "agents[2].assets[2]"},
		{"agents.5.assets=[NKY, SPX, NKY]", "agents[5].assets[2]"},
	} {
		refusedAt(t, c.set, c.path)
	}
}

// TestEventRatesBounded: rates.*.policy and expected are refused outside
// [-0.05, 0.5] ("not a plausible policy rate"), and so are the rates the
// events set, and changes wider than that range: a policy_rate event to
// 500%, guidance to 300%, an accommodation of -200%.
func TestEventRatesBounded(t *testing.T) {
	for _, c := range []struct{ set, path string }{
		{"events.0.rate=5", "events[0].rate"},
		{"events.1.delta=3", "events[1].delta"},
		{"events.0={tick: 3, kind: accommodation, currency: JPY, delta: -2}", "events[0].delta"},
		{"events.1={tick: 3, kind: guidance, currency: JPY, rate: -0.06}", "events[1].rate"},
	} {
		refusedAt(t, c.set, c.path)
	}
	for _, set := range []string{"events.0.rate=0.5", "events.0.rate=-0.05", "events.1.delta=-0.5"} {
		if ps := problemsOf(t, "mini", set); ps != nil {
			t.Errorf("--set %s: refused: %v", set, ps)
		}
	}
}

// TestVolatilityHalfLifeNegative: a volatility event's half_life_days of
// -1, which ran as 0 (sim/events.go: decay only if > 0), is refused.
func TestVolatilityHalfLifeNegative(t *testing.T) {
	ps := problemsOf(t, "mini", "events.0={tick: 3, kind: volatility, multiplier: 2, half_life_days: -1}")
	if !hasProblem(ps, "--set #1", "events[0].half_life_days") {
		t.Errorf("half_life_days: -1 accepted; problems: %v", ps)
	}
}

// TestDefaultEventOnBroker: a default event is for a client (ODD: "a
// client ... named by a default event, defaults at every broker"): a prime
// broker's or a dealer's id is refused (the broker was flagged defaulted,
// the time series counted a default from then on, and it went on
// financing and margining its clients as before). A population's member
// is an agent.
func TestDefaultEventOnBroker(t *testing.T) {
	for _, id := range []string{"GS", "dealers"} {
		ps := problemsOf(t, "mini", "events.0={tick: 3, kind: default, agent: "+id+"}")
		if !hasProblem(ps, "--set #1", "events[0].agent") {
			t.Errorf("default event on %s accepted; problems: %v", id, ps)
		}
	}
	for _, id := range []string{"hf-003", "lifer", "bank"} {
		if ps := problemsOf(t, "mini", "events.0={tick: 3, kind: default, agent: "+id+"}"); ps != nil {
			t.Errorf("default event on %s refused: %v", id, ps)
		}
	}
}

// TestMissingStart: a scenario without start is refused: it loaded and ran
// from 0001-01-01T00:00:00Z (sessions, events and outputs dated in year 1).
func TestMissingStart(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "nostart.yaml")
	src := `name: nostart
ticks: 48
assets:
  - {id: SPX, kind: equity, currency: USD, price: 5000, vol: 0.15, adv: 1.0e+11, impact: {function: sqrt, y: 1}}
`
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(p, nil)
	if err == nil {
		t.Errorf("a scenario without start loads; it starts %s", s.File.Start)
	}
	var ps Problems
	if errors.As(err, &ps) && !hasProblem(ps, p, "start") {
		t.Errorf("want a problem at start; got %v", ps)
	}
}

// TestBankWeightsRefused: a bank's weights split its weights-mode sales,
// and only over the marketable assets it holds. A weight anywhere else,
// or weights under the default pro-rata sales, was accepted and did
// nothing: with {UST10Y: 1, NKY: 3} on mini's bank (which holds no NKY)
// three quarters of every sale went unsold, and the bank took four times
// as many rounds to deleverage.
func TestBankWeightsRefused(t *testing.T) {
	const weights = "agents.bank.sales=weights"
	for _, c := range []struct {
		sets []string
		want string // "" for valid
	}{
		{[]string{weights, "agents.bank.weights={UST10Y: 1, SPX: 3}"}, ""},
		{[]string{weights, "agents.bank.weights={UST10Y: 1, SPX: 0, NKY: 0}"}, ""},
		{[]string{weights, "agents.bank.weights={UST10Y: 1, NKY: 3}"},
			"--set #2:1:21: agents[6].weights.NKY: the bank holds no NKY, so this weight's share of every sale would go unsold (holdings: SPX, UST10Y): put weight only on assets it holds"},
		{[]string{weights, "agents.bank.weights={NKY: 3}"},
			"--set #2:1:21: agents[6].weights.NKY: the bank holds no NKY, so this weight's share of every sale would go unsold (holdings: SPX, UST10Y): put weight only on assets it holds"},
		{[]string{weights, "agents.bank.weights={UST10Y: 1, SPX: -3}"},
			"--set #2:1:21: agents[6].weights.SPX: must not be negative (got -3)"},
		{[]string{weights, "agents.bank.weights={UST10Y: 0, SPX: 0}"},
			"--set #2:1:21: agents[6].weights: weights put nothing on a marketable asset the bank holds (holdings: SPX, UST10Y), so it could never deleverage"},
		{[]string{"agents.bank.weights={UST10Y: 1, SPX: 3}"},
			"--set #1:1:21: agents[6].weights: weights are read only when sales is weights (this bank's sales are pro_rata, the default): add sales: weights, or drop weights"},
		{[]string{"agents.bank.sales=pro_rata", "agents.bank.weights={UST10Y: 1}"},
			"--set #2:1:21: agents[6].weights: weights are read only when sales is weights (this bank's sales are pro_rata): add sales: weights, or drop weights"},
	} {
		if got := loadProblem(t, "mini", c.sets...); got != c.want {
			t.Errorf("%v:\ngot  %q\nwant %q", c.sets, got, c.want)
		}
	}
	// eba2018's banks hold an illiquid asset, OTHER, which is never sold.
	want := "--set #2:1:21: agents[0].weights.OTHER: OTHER is illiquid and is never sold, so this weight's share of every sale would go unsold: put weight only on marketable assets"
	if got := loadProblem(t, "eba2018", "agents.AT01.sales=weights", "agents.AT01.weights={GOVB: 1, OTHER: 5}"); got != want {
		t.Errorf("eba2018 weights on OTHER:\ngot  %q\nwant %q", got, want)
	}
}

// TestImpactLawRequired: an impact law's scale and permanent share have no
// default, as docs/ODD.md says; a file leaving one out is refused at the
// field, with how to ask for 0 on purpose. They were read as 0: an asset
// given impact: {function: sqrt} validated and no sale ever moved its
// price, so a scenario written from scratch showed amplification 1.00 and
// nothing said why. A written 0 is kept, and so is what a base file gives.
func TestImpactLawRequired(t *testing.T) {
	const head = "name: x\nstart: 2024-01-01T00:00:00Z\nticks: 48\nassets:\n  - {id: X, kind: equity, currency: USD, price: 100, vol: 0.2, adv: 1.0e+9"
	for _, c := range []struct {
		name, asset string
		paths       []string // problems at assets[0].PATH; none: it loads
	}{
		{"sqrt without y or permanent", ", impact: {function: sqrt}}", []string{"impact.y", "impact.permanent"}},
		{"linear without lambda", ", impact: {function: linear, permanent: 0.5}}", []string{"impact.lambda"}},
		{"no impact law", "}", []string{"impact"}},
		{"no function", ", impact: {y: 1, permanent: 0.5}}", []string{"impact.function"}},
		{"zeros written out", ", impact: {function: sqrt, y: 0, permanent: 0}}", nil},
		{"linear in full", ", impact: {function: linear, lambda: 1.0e-9, permanent: 0.4}}", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "x.yaml")
			if err := os.WriteFile(p, []byte(head+c.asset+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			ps := problemsOf(t, p)
			if len(ps) != len(c.paths) {
				t.Fatalf("%d problems, want %d: %v", len(ps), len(c.paths), ps)
			}
			for _, f := range c.paths {
				if !hasProblem(ps, p, "assets[0]."+f) {
					t.Errorf("no problem at assets[0].%s: %v", f, ps)
				}
			}
			for _, q := range ps {
				if q.Pos.Line != 5 || !strings.HasPrefix(q.Msg, "missing: ") {
					t.Errorf("%v: want a missing field on line 5", q)
				}
			}
		})
	}
	// mini's own assets give every parameter; an override or a file
	// extending it leaves them so.
	if ps := problemsOf(t, "mini", "assets.0.impact.y=0.8"); ps != nil {
		t.Errorf("mini with its Y overridden: %v", ps)
	}
	p := filepath.Join(t.TempDir(), "ext.yaml")
	if err := os.WriteFile(p, []byte("extends: mini\nseed: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if ps := problemsOf(t, p); ps != nil {
		t.Errorf("a file extending mini: %v", ps)
	}
}

// TestAgentAssetsRequired: a CTA or a value investor without assets is
// refused at its assets in the first pass, with the other problems of the
// file. It was refused only once everything else was right, by the build,
// at the entry and as 'need equity > 0 and at least one asset' whatever
// its equity.
func TestAgentAssetsRequired(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.yaml")
	src := "extends: mini\nagents+:\n  - {kind: cta, id: c2, equity: 5.0e+9, broker: GS}\n  - {kind: value_investor, id: v2, equity: 5.0e+9}\n  - {kind: value_investor, id: v3, equity: 5.0e+9, assets: [SPX], band: -1}\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ps := problemsOf(t, p)
	for _, want := range []struct {
		path string
		line int
	}{{"agents+[0].assets", 3}, {"agents+[1].assets", 4}} {
		found := false
		for _, q := range ps {
			if q.Path == want.path {
				found = q.Pos.Line == want.line && strings.HasPrefix(q.Msg, "missing: ") && !strings.Contains(q.Msg, "equity")
			}
		}
		if !found {
			t.Errorf("no problem 'missing: ...' at %s on line %d: %v", want.path, want.line, ps)
		}
	}
	if !hasProblem(ps, p, "agents+[2].band") {
		t.Errorf("the other entry's problem is not reported in the same pass: %v", ps)
	}
}

// TestOutsideCannotBeSwitchedOff: the outside sector takes no decisions, so
// channels.off refuses it at the element that names it, with the reason;
// sim refuses it too for a Config built in Go.
func TestOutsideCannotBeSwitchedOff(t *testing.T) {
	ps := problemsOf(t, "mini", "channels.off=[dealer, outside]")
	if len(ps) != 1 || ps[0].Path != "channels.off[1]" || ps[0].Pos.File != "--set #1" || !strings.Contains(ps[0].Msg, "cannot be switched off") {
		t.Errorf("channels.off=[dealer, outside]: want one problem at --set #1, channels.off[1], saying the outside sector cannot be switched off; got:\n%v", ps)
	}
	if _, err := (sim.ChannelSpec{Off: []string{"outside"}}).Channels(); !errors.Is(err, sim.ErrOutsideSwitch) {
		t.Errorf("sim.ChannelSpec{Off: [outside]}.Channels(): error %v, want sim.ErrOutsideSwitch", err)
	}
}
