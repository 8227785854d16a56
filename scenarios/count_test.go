package scenarios_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
)

// TestAgentCountBound: a scenario holds at most 100,000 agents in all,
// refused as the file is read, at the count that goes over. Before, a
// count of 100 million was refused only after validation had named every
// member (minutes and 14 GB), and two populations of 60,000 passed.
func TestAgentCountBound(t *testing.T) {
	hf := func(id string, count int) string {
		return fmt.Sprintf("  - kind: hedge_fund\n    id: %s\n    count: %d\n    equity: 5.0e+9\n"+
			"    trades: [{kind: carry, broker: GS, leverage: 2, asset: cash}]\n", id, count)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name, agents string
		sets         []string
		want         string // "" for valid
	}{
		{"one over", hf("hf", 100_001), nil,
			":5:12: agents[0].count: 100,001 agents in one population is too many: a scenario holds at most 100,000 agents in all"},
		{"hundred million", hf("hf", 100_000_000), nil,
			":5:12: agents[0].count: 100,000,000 agents in one population is too many: a scenario holds at most 100,000 agents in all"},
		{"total over", hf("a", 60_000) + hf("b", 60_000), nil,
			":10:12: agents[1].count: this entry brings the scenario to 120,000 agents, more than it may hold (at most 100,000 in all; the entries before it hold 60,000)"},
		{"one agent over", hf("a", 100_000) + "  - {kind: cta, id: cta, equity: 1.0e+10, broker: GS, assets: [SPX]}\n", nil,
			":8:5: agents[1]: this entry brings the scenario to 100,001 agents, more than it may hold (at most 100,000 in all; the entries before it hold 100,000)"},
		{"by --set", hf("hf", 8), []string{"agents.hf.count=100000000"},
			"--set #1:1:17: agents[0].count: 100,000,000 agents in one population is too many"},
		{"at the bound", hf("a", 99_999) + "  - {kind: cta, id: cta, equity: 1.0e+10, broker: GS, assets: [SPX]}\n", nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".yaml")
			src := "extends: mini\nagents:\n" + c.agents
			if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := scenarios.Load(f, c.sets)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("want valid, got %v", err)
			case c.want == "":
			case err == nil:
				t.Fatalf("valid; want %q", c.want)
			case strings.HasPrefix(c.want, "--set"):
				if !strings.HasPrefix(err.Error(), c.want) {
					t.Errorf("got %q\nwant %q", err, c.want)
				}
			case err.Error() != f+c.want:
				t.Errorf("got  %q\nwant %q", err, f+c.want)
			}
		})
	}
}
