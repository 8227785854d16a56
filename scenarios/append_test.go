package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAppend: a key ending in + appends its list to the list of that name
// in the scenario extended (agents+, events+, report.correlation_assets+),
// in order after the base's entries, or starts the list where there is
// none to append to; layers append in turn.
func TestAppend(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	base, err := Load("aug2024", nil)
	if err != nil {
		t.Fatal(err)
	}
	nAgents, nEvents := len(base.File.Agents), len(base.File.Events)
	write("etf.yaml", `extends: aug2024
agents+:
  - {kind: central_bank, id: boj-etf, rule: asset_purchase, asset: NKY, drawdown: 0.05, amount: 7.0e+11, cooldown_days: 1}
events+:
  - {at: 2024-08-06T01:00:00Z, kind: asset_purchase, asset: NKY, amount: 3.0e+11, label: BOJ ETF purchase}
report:
  correlation_assets+: [UST10Y]
`)
	two := write("two.yaml", `extends: etf.yaml
agents+:
  - {kind: central_bank, id: fed, rule: facility, trigger: 0.01}
`)
	s, err := Load(two, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := s.File
	if len(f.Agents) != nAgents+2 || f.Agents[nAgents].CentralBank == nil || f.Agents[nAgents].CentralBank.ID != "boj-etf" || f.Agents[nAgents+1].CentralBank.ID != "fed" {
		t.Fatalf("%d agents (base %d), want the base's, boj-etf and fed in that order", len(f.Agents), nAgents)
	}
	for k := range nAgents {
		if f.Agents[k].Kind != base.File.Agents[k].Kind || f.Agents[k].Count != base.File.Agents[k].Count {
			t.Errorf("agents[%d] is %s×%d, the base's %s×%d", k, f.Agents[k].Kind, f.Agents[k].Count, base.File.Agents[k].Kind, base.File.Agents[k].Count)
		}
	}
	if len(f.Events) != nEvents+1 || f.Events[nEvents].Label != "BOJ ETF purchase" {
		t.Errorf("%d events (base %d), want the base's and the purchase last", len(f.Events), nEvents)
	}
	if got := f.Report.CorrelationAssets; len(got) != len(base.File.Report.CorrelationAssets)+1 || got[len(got)-1] != "UST10Y" {
		t.Errorf("correlation assets %v, want the base's %v and UST10Y", got, base.File.Report.CorrelationAssets)
	}
	if strings.Contains(string(s.Resolved), "+:") {
		t.Errorf("the resolved scenario keeps an append key:\n%s", s.Resolved)
	}

	// With nothing to append to, the list is the appended one.
	alone := write("alone.yaml", strings.Replace(string(mustRead(t, "mini")), "agents:", "agents+:", 1))
	a, err := Load(alone, nil)
	if err != nil {
		t.Fatalf("agents+ in a file that extends nothing: %v", err)
	}
	m, err := Load("mini", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.File.Agents) != len(m.File.Agents) {
		t.Errorf("%d agents, want mini's %d", len(a.File.Agents), len(m.File.Agents))
	}
}

// TestAppendRefused: an append needs a list, to a list, and not beside the
// field it appends to; in a list's entry (which replaces the base's whole)
// there is nothing to append to. Each is refused at its key or value.
func TestAppendRefused(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ text, want string }{
		{"extends: aug2024\nagents: []\nagents+: []\n", "bad.yaml:3:1: agents+: give agents (replace the list) or agents+ (append to it), not both"},
		{"extends: aug2024\nevents+: {kind: shock}\n", "bad.yaml:2:10: events+: events+ appends a list of entries to events: want a list"},
		{"extends: aug2024\nrates+: [1]\n", "bad.yaml:2:1: rates+: rates+ appends to a list, and the rates it extends is not one: write rates to replace it"},
		{"extends: aug2024\nagents:\n  - {kind: cta, id: c, equity: 1.0e+9, broker: GS, assets: [SPX], lookback_days: [20], assets+: [NKY]}\n",
			"bad.yaml:3:88: agents[0].assets+: assets+ appends to a list of the scenario extended, and an entry of a list has none to append to"},
	} {
		p := filepath.Join(dir, "bad.yaml")
		if err := os.WriteFile(p, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(p, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.text, err, c.want)
		}
	}
}

// mustRead returns the text of a built-in scenario.
func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, _, err := source(name, "")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestReadmeScenarioBlocks: every YAML block of the README that extends a
// scenario loads as it is written.
func TestReadmeScenarioBlocks(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, part := range strings.Split(string(readme), "```yaml\n")[1:] {
		block, _, _ := strings.Cut(part, "```")
		if !strings.HasPrefix(block, "extends:") {
			continue
		}
		n++
		p := filepath.Join(t.TempDir(), "block.yaml")
		if err := os.WriteFile(p, []byte(block), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(p, nil); err != nil {
			t.Errorf("README block %d:\n%s\n%v", n, block, err)
		}
	}
	if n == 0 {
		t.Error("the README shows no scenario that extends another")
	}
}

// TestPurchaseOfIlliquidRefused: an asset_purchase, rule or event, of an
// asset that never trades is refused at its asset.
func TestPurchaseOfIlliquidRefused(t *testing.T) {
	for _, set := range []string{
		"events=[{tick: 1, kind: asset_purchase, asset: OTHER, amount: 1.0e+9}]",
		"agents=[{kind: central_bank, id: cb, rule: asset_purchase, asset: OTHER, drawdown: 0.05, amount: 1.0e+9}]",
	} {
		_, err := Load("eba2018", []string{set})
		if err == nil || !strings.Contains(err.Error(), ".asset: OTHER is illiquid and never trades") {
			t.Errorf("--set %s: %v", set, err)
		}
	}
}
