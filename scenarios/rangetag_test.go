package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// HedgeFundSpec is a registered kind's spec that shares its name with a
// built-in one: none of the built-in HedgeFundSpec's rules (equity > 0)
// may reach it. Its range tags are its own rules.
type HedgeFundSpec struct {
	ID     string    `yaml:"id"`
	Equity float64   `yaml:"equity"`
	Share  float64   `yaml:"share" range:"share"`
	Frac   float64   `yaml:"frac" range:"fraction"`
	Days   float64   `yaml:"days" range:"nonnegative,days"`
	Levels []float64 `yaml:"levels" range:"positive"`
}

// Build makes an agent that holds nothing and does nothing.
func (s *HedgeFundSpec) Build(env *agents.Env) (agents.Agent, error) {
	return idle{env.W.AddHolder(s.ID, core.HedgeFund)}, nil
}

type idle struct{ h *core.Holder }

func (a idle) Holder() *core.Holder { return a.h }
func (a idle) Decide(w *core.World) {}

// TestRangeTag: a registered kind's range tags are checked at load, at
// file:line:col, in the entry and in every draw of a population's vary
// (before any run is built), and the schema states them; a spec named as
// a built-in one takes none of its rules.
func TestRangeTag(t *testing.T) {
	if !sim.Registered("zz_range_test") { // once per test binary
		sim.Register("zz_range_test", func() agents.Maker { return &HedgeFundSpec{} })
	}
	dir := t.TempDir()
	for _, c := range []struct {
		entry string
		want  []string // problems, each at its position; none: loads
	}{
		{"{kind: zz_range_test, id: a, equity: -5, share: 0.5, frac: 0.5, days: 30, levels: [1, 2]}", nil},
		{"{kind: zz_range_test, id: a, share: 1.5, frac: 1, days: 40000, levels: [1, 0]}", []string{
			":3:41: agents[0].share: must be between 0 and 1 (got 1.5)",
			":3:52: agents[0].frac: must be in [0, 1) (got 1)",
			":3:61: agents[0].days: must be at most 36500 days (100 years) (got 40000)",
			":3:80: agents[0].levels[1]: must be positive (got 0)",
		}},
		{"{kind: zz_range_test, id: a, count: 4, vary: [{field: frac, dist: {kind: uniform, min: 0.2, max: 1}}]}", []string{
			":3:71: agents[0].vary[0].dist: frac must be below 1, and this distribution draws up to 1 (lower its max below 1)",
		}},
		{"{kind: zz_range_test, id: a, count: 4, vary: [{field: days, dist: {kind: normal, mean: 30, sd: 10}}]}", []string{
			":3:71: agents[0].vary[0].dist: days must not be negative, and this distribution draws down to",
		}},
	} {
		f := filepath.Join(dir, "s.yaml")
		if err := os.WriteFile(f, []byte("extends: mini\nagents:\n  - "+c.entry+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := scenarios.Load(f, nil)
		switch {
		case c.want == nil && err != nil:
			t.Errorf("%s: %v", c.entry, err)
		case c.want != nil && err == nil:
			t.Errorf("%s loaded; want %q", c.entry, c.want)
		case c.want != nil:
			for _, w := range c.want {
				if !strings.Contains(err.Error(), f+w) {
					t.Errorf("%s: %v\nwant %q", c.entry, err, f+w)
				}
			}
			if n := strings.Count(err.Error(), f+":"); n != len(c.want) {
				t.Errorf("%s: %d problems, want %d: %v", c.entry, n, len(c.want), err)
			}
		}
	}

	props := kindProperties(t, scenarios.Schema(), "zz_range_test")
	for _, c := range []struct {
		field, key string
		want       any
	}{
		{"share", "maximum", 1}, {"share", "minimum", 0},
		{"frac", "exclusiveMaximum", 1},
		{"days", "maximum", 36500.0}, {"days", "minimum", 0},
		{"equity", "exclusiveMinimum", nil},
	} {
		if got := props[c.field].(map[string]any)[c.key]; got != c.want {
			t.Errorf("schema: %s.%s = %v, want %v", c.field, c.key, got, c.want)
		}
	}
	if items := props["levels"].(map[string]any)["items"].(map[string]any); items["exclusiveMinimum"] != 0 {
		t.Errorf("schema: levels' items %v, want exclusiveMinimum 0", items)
	}
}

// kindProperties returns the properties of agent kind k's entry in schema s.
func kindProperties(t *testing.T, s map[string]any, k string) map[string]any {
	t.Helper()
	agents := s["properties"].(map[string]any)["agents"].(map[string]any)["items"].(map[string]any)
	for _, alt := range agents["oneOf"].([]any) {
		props := alt.(map[string]any)["properties"].(map[string]any)
		if kind, ok := props["kind"].(map[string]any); ok && kind["const"] == k {
			return props
		}
	}
	t.Fatalf("no entry of kind %s in the schema", k)
	return nil
}
