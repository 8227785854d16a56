package scenarios

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadMini(t *testing.T) {
	s, err := Load("mini", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Origin != "builtin:mini" || s.File.Ticks != 72 || len(s.File.Events) != 2 {
		t.Fatalf("origin %s ticks %d events %d", s.Origin, s.File.Ticks, len(s.File.Events))
	}
	// 2024-07-31T03:00Z is 27 hours after the start.
	if s.File.Events[0].Tick != 27 {
		t.Errorf("first event at tick %d, want 27", s.File.Events[0].Tick)
	}
}

func TestBuiltinsValid(t *testing.T) {
	for _, n := range BuiltinNames() {
		if _, err := Load(n, nil); err != nil {
			t.Errorf("%s: %v", n, err)
		}
		if Describe(n) == "" {
			t.Errorf("%s has no description", n)
		}
	}
}

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestExtends: a file extends a built-in and a file; mappings merge key by
// key, lists are replaced, and problems in a base name the base's position.
func TestExtends(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "base.yaml", "extends: mini\nname: base\nseed: 9\nrates:\n  JPY: {policy: 0.002, expected: 0.004}\n")
	child := write(t, dir, "child.yaml", "extends: base.yaml\nname: child\nhorizon: 2d\nreport: {headline: SPX}\n")
	s, err := Load(child, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := s.File
	if f.Name != "child" || f.Seed != 9 || f.Ticks != 48 || f.Report.Headline != "SPX" {
		t.Errorf("name %q seed %d ticks %d headline %q", f.Name, f.Seed, f.Ticks, f.Report.Headline)
	}
	if f.Rates["JPY"].Policy != 0.002 || f.Rates["USD"].Policy != 0.053 {
		t.Errorf("rates did not merge: %+v", f.Rates)
	}
	if len(f.Report.CorrelationAssets) != 3 {
		t.Errorf("report did not merge key by key: %+v", f.Report)
	}
	if len(f.Assets) != 5 || len(f.Agents) != 8 {
		t.Errorf("lists from mini lost: %d assets, %d agents", len(f.Assets), len(f.Agents))
	}
	bad := write(t, dir, "bad.yaml", "extends: base.yaml\nassets:\n  - {id: X, kind: equity, currency: USD, price: -1, adv: 1, impact: {function: linear}}\n")
	_, err = Load(bad, nil)
	var ps Problems
	if !errors.As(err, &ps) || !strings.Contains(err.Error(), "bad.yaml:3:49: assets[0].price: must be positive") {
		t.Errorf("want the bad price at bad.yaml:3:49, got %v", err)
	}
	for _, p := range ps {
		if p.Pos.File == "" {
			t.Errorf("problem without a file: %v", p)
		}
	}
}

// TestSet: command-line overrides by field, list index and id.
func TestSet(t *testing.T) {
	s, err := Load("mini", []string{"seed=42", "agents.0.count=3", "brokers.GS.capital=2e11", "report.headline=SPX", "noise={off: true}"})
	if err != nil {
		t.Fatal(err)
	}
	f := s.File
	if f.Seed != 42 || f.Agents[0].Count != 3 || f.Brokers[0].Capital != 2e11 || f.Report.Headline != "SPX" || !f.Noise.Off {
		t.Errorf("overrides not applied: seed %d count %d capital %g headline %q noise %+v", f.Seed, f.Agents[0].Count, f.Brokers[0].Capital, f.Report.Headline, f.Noise)
	}
	if !strings.Contains(string(s.Resolved), "seed: 42") {
		t.Error("resolved scenario lacks the override")
	}
	for _, c := range []struct{ set, want string }{
		{"seeds=1", "--set #1:1:1: seeds: unknown field (did you mean \"seed\"?)"},
		{"brokers.XX.capital=1", "--set #1:1:9: brokers.XX.capital: no element with id \"XX\" (have GS)"},
		// A field the override adds is placed at its segment, after any blanks.
		{"brokers.GS.capitl=1", "--set #1:1:12: brokers[0].capitl: unknown field (did you mean \"capital\"?)"},
		{"  brokers[GS].capitl=1", "--set #1:1:15: brokers[0].capitl: unknown field"},
		{"brokers.GS.dealer.lev_limt=1", "--set #1:1:19: brokers[0].dealer.lev_limt: unknown field"},
		{"noequals", "want path.to.field=value"},
		{"seed=[", "value is not valid YAML"},
		// The horizon is judged where it was given, not at the file's top.
		{"horizon=30m", "--set #1:1:9: horizon: the horizon must be at least one tick (tick 1h)"},
	} {
		_, err := Load("mini", []string{c.set})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--set %s: want %q, got %v", c.set, c.want, err)
		}
	}
}

// TestSetCrossMargin: the broker's and the fund's cross_margin are set by
// id, by index and by *, and a misspelling is named.
func TestSetCrossMargin(t *testing.T) {
	for _, c := range []struct {
		set          []string
		broker, fund string // "" unset, else the value
	}{
		{nil, "", ""},
		{[]string{"brokers.GS.cross_margin=false"}, "false", ""},
		{[]string{"agents.hf.cross_margin=false"}, "", "false"},
		{[]string{"brokers.*.cross_margin=true", "agents.*.cross_margin=false"}, "true", "false"},
		{[]string{"agents[0].cross_margin=true"}, "", "true"},
	} {
		s, err := Load("mini", c.set)
		if err != nil {
			t.Fatalf("%v: %v", c.set, err)
		}
		show := func(b *bool) string {
			if b == nil {
				return ""
			}
			return fmt.Sprint(*b)
		}
		if b, f := show(s.File.Brokers[0].CrossMargin), show(s.File.Agents[0].HedgeFund.CrossMargin); b != c.broker || f != c.fund {
			t.Errorf("%v: broker cross_margin %q, fund %q, want %q and %q", c.set, b, f, c.broker, c.fund)
		}
	}
	_, err := Load("mini", []string{"brokers.GS.cross_margn=false"})
	if want := `brokers[0].cross_margn: unknown field (did you mean "cross_margin"?)`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("misspelt: want %q, got %v", want, err)
	}
}

// TestSetExtendsRefused: --set extends=NAME is refused: the loader
// resolves extends only while reading files, so the override would be
// decoded into File.Extends and dropped, and the run be the base scenario
// (with a manifest whose resolved YAML says it extends aug2024).
func TestSetExtendsRefused(t *testing.T) {
	s, err := Load("mini", []string{"extends=aug2024"})
	if err == nil {
		t.Errorf("--set extends=aug2024 accepted and ignored: the run is %q with %d assets (aug2024 has 8); resolved YAML has extends: %v",
			s.File.Name, len(s.File.Assets), strings.Contains(string(s.Resolved), "extends: aug2024"))
	} else if want := "--set #1:1:1: extends: extends cannot be set with --set; write a file that extends aug2024"; !strings.Contains(err.Error(), want) {
		t.Errorf("--set extends=aug2024: want %q, got %v", want, err)
	}
}

// TestSetWildcard: * in a --set path stands for every element of a list or
// key of a mapping; among agent entries, for every entry whose kind takes
// the next field. Mistakes are named.
func TestSetWildcard(t *testing.T) {
	s, err := Load("eba2018", []string{"agents.*.buffer_ratio=0.045", "events.*.shocks.GOVB=-0.2"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range s.File.Agents {
		if a.Bank.BufferRatio != 0.045 {
			t.Errorf("%s: buffer ratio %v, want 0.045", a.Bank.ID, a.Bank.BufferRatio)
		}
	}
	if got := s.File.Events[0].Shocks["GOVB"]; got != -0.2 {
		t.Errorf("GOVB shock %v, want -0.2", got)
	}

	base, err := Load("aug2024", nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err = Load("aug2024", []string{"agents.*.target_vol=0.2", "brokers.*.haircuts.equity=0.3", "trends.*=0", "brokers.GS.capital=1e11"})
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for i, a := range s.File.Agents {
		b := base.File.Agents[i]
		switch a.Kind {
		case "cta":
			changed++
			if a.CTA.TargetVol != 0.2 {
				t.Errorf("%s: target_vol %v, want 0.2", a.CTA.ID, a.CTA.TargetVol)
			}
		case "vol_control":
			changed++
			if a.VolControl.TargetVol != 0.2 {
				t.Errorf("%s: target_vol %v, want 0.2", a.VolControl.ID, a.VolControl.TargetVol)
			}
		case "risk_parity":
			changed++
			if a.RiskParity.TargetVol != 0.2 {
				t.Errorf("%s: target_vol %v, want 0.2", a.RiskParity.ID, a.RiskParity.TargetVol)
			}
		case "hedge_fund":
			if a.HedgeFund.Equity != b.HedgeFund.Equity || len(a.HedgeFund.Trades) != len(b.HedgeFund.Trades) {
				t.Errorf("%s changed", a.HedgeFund.ID)
			}
		}
	}
	if changed < 3 {
		t.Errorf("the wildcard reached %d systematic funds, want every one", changed)
	}
	for i, b := range s.File.Brokers {
		if b.Haircuts["equity"] != 0.3 {
			t.Errorf("%s: equity haircut %v, want 0.3", b.ID, b.Haircuts["equity"])
		}
		// GS's capital was set alone, after the wildcard: the other
		// brokers, which share GS's mapping through a merge key, keep theirs.
		if want := base.File.Brokers[i].Capital; b.ID != "GS" && b.Capital != want {
			t.Errorf("%s: capital %v changed with GS's (want %v)", b.ID, b.Capital, want)
		}
	}
	if len(s.File.Trends) == 0 {
		t.Fatal("aug2024 has no trends")
	}
	for id, x := range s.File.Trends {
		if x != 0 {
			t.Errorf("trend %s = %v, want 0", id, x)
		}
	}

	for _, c := range []struct{ set, want string }{
		{"agents.*.target_voll=0.1", `--set #1:1:8: agents.*.target_voll: no entry of agents takes "target_voll" (its kinds: central_bank, cta, hedge_fund, insurer, risk_parity, value_investor, vol_control) (did you mean "target_vol"?)`},
		{"agents.*.buffer_ratio=0.05", `--set #1:1:8: agents.*.buffer_ratio: no entry of agents takes "buffer_ratio" (its kinds: central_bank, cta, hedge_fund, insurer, risk_parity, value_investor, vol_control)`},
		{"agents.*.target_vol=-1", `target_vol`},
		{"agents.*=1", "--set #1:1:8: agents.*: a wildcard in agents stands for entries, and a field must follow it (e.g. agents.*.buffer_ratio)"},
		{"*.capital=1", "--set #1:1:1: *.capital: the scenario's top-level fields cannot be a wildcard"},
		{"seed.*=1", "--set #1:1:6: seed.*: a wildcard stands for the elements of a list or the keys of a mapping, and seed is neither"},
		{"brokers.*.capitl=1", "capitl"},
	} {
		_, err := Load("aug2024", []string{c.set})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--set %s:\n got %v\nwant %s", c.set, err, c.want)
		}
	}
}

// TestSetNoElement: a --set path whose list index or id matches no
// element says which ids the list has and suggests the nearest, as a
// sweep's field path does (scenarios.NoElement).
func TestSetNoElement(t *testing.T) {
	const agents = "gs-fund, ms-fund, jpm-fund, jp-retail, crypto-lev, lifer, cta, rp, vc, value, jp-dip, rv-fund, mof"
	for _, c := range []struct{ set, want string }{
		{"brokers.XX.capital=1e10", `--set #1:1:9: brokers.XX.capital: no element with id "XX" (have GS, MS, JPM, jp-retail-brokers, crypto-venues) (did you mean "GS"?)`},
		{"assets.SPY.vol=0.2", `--set #1:1:8: assets.SPY.vol: no element with id "SPY" (have USDJPY, UST10Y, TY, SPX, NKY, GOLD, BTC, JGB10Y) (did you mean "SPX"?)`},
		{"agents.ctaa.target_vol=0.1", `--set #1:1:8: agents.ctaa.target_vol: no element with id "ctaa" (have ` + agents + `) (did you mean "cta"?)`},
		{"agents.gs-fund-3.equity=1", `--set #1:1:8: agents.gs-fund-3.equity: no element with id "gs-fund-3" (have ` + agents + `) (did you mean "gs-fund"?); the members of a population share its parameters: address the population, "gs-fund"`},
		{"assets.8.vol=0.2", `--set #1:1:8: assets.8.vol: index 8 out of range (the list has 8 elements)`},
		{"correlation.x=1", `--set #1:1:13: correlation.x: no element "x": address elements of this list by index (0 to 7)`},
	} {
		_, err := Load("aug2024", []string{c.set})
		if err == nil || err.Error() != c.want {
			t.Errorf("--set %s:\n got %v\nwant %s", c.set, err, c.want)
		}
	}
}

// TestUnknownScenario: a name that is neither a file nor a built-in, given
// to Load or to extends, lists the built-ins and suggests the nearest.
func TestUnknownScenario(t *testing.T) {
	// The 24 boj2026 what-ifs are one entry; cascade scenarios lists them.
	builtins := "(built-ins: apr2025, aug2024, boj2026, boj2026-* (24; cascade scenarios lists them), calm, eba2018, mini)"
	dir := t.TempDir()
	ext := write(t, dir, "ext.yaml", "extends: mni\nname: ext\n")
	for _, c := range []struct{ name, want string }{
		{"aug2025", `aug2025: no scenario file "aug2025" and no built-in scenario of that name (did you mean "aug2024"?) ` + builtins},
		{"mni.yaml", `mni.yaml: no scenario file "mni.yaml" and no built-in scenario of that name (did you mean "mini"?) ` + builtins},
		{ext, ext + `:1:10: extends: no scenario file "mni" and no built-in scenario of that name (did you mean "mini"?) ` + builtins},
		{"xyzzy", `xyzzy: no scenario file "xyzzy" and no built-in scenario of that name ` + builtins},
		{"sub/aug2024.yaml", `sub/aug2024.yaml: no scenario file "sub/aug2024.yaml"`}, // a path: no built-ins
	} {
		_, err := Load(c.name, nil)
		var ps Problems
		if !errors.As(err, &ps) || err.Error() != c.want {
			t.Errorf("Load(%q):\n got %v\nwant %s", c.name, err, c.want)
		}
	}
}

// TestMergeKeys: YAML merge keys work in scenario files.
func TestMergeKeys(t *testing.T) {
	s, err := Load("aug2024", nil)
	if err != nil {
		t.Fatal(err)
	}
	b := s.File.Brokers
	if len(b) < 3 || b[1].ID != "MS" || b[1].Capital != 1e11 || b[1].LevLimit != b[0].LevLimit || b[1].Dealer == nil {
		t.Errorf("merge keys not applied: %+v", b)
	}
}

// TestSetThroughAnchor: --set on a field of one entry that shares a mapping
// with others through a merge key (<<: *broker) changes that entry only.
func TestSetThroughAnchor(t *testing.T) {
	s, err := Load("aug2024", []string{"brokers.GS.haircuts.equity=0.3"})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range s.File.Brokers {
		want := 0.15
		if b.ID == "GS" {
			want = 0.3
		}
		if b.ID == "GS" || b.ID == "MS" || b.ID == "JPM" {
			if got := b.Haircuts["equity"]; got != want {
				t.Errorf("%s: equity haircut %v, want %v", b.ID, got, want)
			}
		}
	}
}

// TestDecodeCommentsOnly: a YAML file of comments only is an error, not a
// crash.
func TestDecodeCommentsOnly(t *testing.T) {
	var v struct {
		Name string `yaml:"name"`
	}
	_, err := DecodeYAMLBytes("x.yaml", []byte("# nothing here\n# at all\n"), &v)
	if err == nil || !strings.Contains(err.Error(), "x.yaml:1:1") {
		t.Errorf("got %v, want an error at x.yaml:1:1", err)
	}
}

// TestDirectoryDoesNotHideBuiltin: a directory named like a built-in (a
// run's outputs written with --out mini) does not stop the built-in from
// loading by name; a directory that names no built-in is said to be one.
func TestDirectoryDoesNotHideBuiltin(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, d := range []string{"mini", "results"} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sc, err := Load("mini", nil)
	if err != nil {
		t.Fatalf("mini with a directory mini beside it: %v", err)
	}
	if sc.Origin != "builtin:mini" {
		t.Errorf("origin %q, want builtin:mini", sc.Origin)
	}
	if _, err := Load("results", nil); err == nil || !strings.Contains(err.Error(), "results is a directory, not a scenario file") {
		t.Errorf("results: %v", err)
	}
}
