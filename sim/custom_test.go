package sim_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

func aug2024(t *testing.T) *sim.Config {
	t.Helper()
	sc, err := scenarios.Load("aug2024", nil)
	if err != nil {
		t.Fatal(err)
	}
	return sc.File.Config.Clone()
}

func holderOf(m *sim.Model, id string) *core.Holder {
	for _, h := range m.W.Holders {
		if h.ID == id {
			return h
		}
	}
	return nil
}

// TestCustomAgent: an agent kind a Go program defines (agents.Maker in an
// AgentSpec of kind custom) joins a built-in replay on the same footing as
// the built-in kinds: the accounting identities hold at every round with
// it, its sale is cleared and counted under its holder's kind and reason,
// that kind's switch makes it passive, and it leaves the scenario's spec
// as it found it.
func TestCustomAgent(t *testing.T) {
	run := func(cfg *sim.Config, audit bool) (*sim.Model, *sim.Summary) {
		t.Helper()
		m, err := sim.Build(cfg, cfg.Seed)
		if err != nil {
			t.Fatal(err)
		}
		var a *sim.Audit
		if audit {
			a = sim.NewAudit(m, 1e-9)
		}
		c := sim.NewCollector()
		if err := m.Run(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		if a != nil && a.Checks < 2*m.Cfg.Ticks {
			t.Errorf("audit ran %d times in %d ticks", a.Checks, m.Cfg.Ticks)
		}
		return m, c.S
	}
	_, base := run(aug2024(t), false)

	spec := &stopLoss{ID: "stop", Asset: "SPX", Value: 50e9, Stop: 0.04}
	cfg := aug2024(t)
	cfg.Agents = append(cfg.Agents, sim.AgentSpec{Kind: sim.CustomKind, Custom: spec})
	m, s := run(cfg, true)
	h := holderOf(m, "stop")
	spx := 3
	if m.W.Assets[spx].ID != "SPX" {
		t.Fatalf("asset 3 is %s", m.W.Assets[spx].ID)
	}
	if h == nil || h.Kind != core.HedgeFund {
		t.Fatalf("holder stop: %+v", h)
	}
	if u := h.Accounts[0].Units[spx]; u != 0 {
		t.Errorf("stop-loss holder still holds %g units of SPX", u)
	}
	sold := float64(s.ForcedSales.ByKindAsset["hedge_fund"]["SPX"] - base.ForcedSales.ByKindAsset["hedge_fund"]["SPX"])
	if sold < 40e9 || sold > 50e9 {
		t.Errorf("hedge funds' S&P sales rose by $%.1fbn with a $50bn stop-loss holder (4%% stop): want its sale, $40–50bn", sold/1e9)
	}
	if d := float64(s.ForcedSales.ByReason["stop_loss"] - base.ForcedSales.ByReason["stop_loss"]); d < 40e9 {
		t.Errorf("stop-loss sales rose by $%.1fbn, want the holder's sale counted there", d/1e9)
	}
	if s.Assets["SPX"].MaxDrawdownPct <= base.Assets["SPX"].MaxDrawdownPct {
		t.Errorf("S&P drawdown %.3f%% with the holder, %.3f%% without: a $50bn sale should deepen it", s.Assets["SPX"].MaxDrawdownPct, base.Assets["SPX"].MaxDrawdownPct)
	}
	if *spec != (stopLoss{ID: "stop", Asset: "SPX", Value: 50e9, Stop: 0.04}) {
		t.Errorf("the build changed the spec: %+v", *spec)
	}
	if s.Agents["hedge_fund"] != base.Agents["hedge_fund"]+1 {
		t.Errorf("hedge_fund agents %d, want %d", s.Agents["hedge_fund"], base.Agents["hedge_fund"]+1)
	}

	// The same world again: bit for bit the same.
	cfg2 := aug2024(t)
	cfg2.Agents = append(cfg2.Agents, sim.AgentSpec{Kind: sim.CustomKind, Custom: &stopLoss{ID: "stop", Asset: "SPX", Value: 50e9, Stop: 0.04}})
	_, s2 := run(cfg2, false)
	if s2.Assets["SPX"].Min != s.Assets["SPX"].Min || s2.ForcedSales.Total != s.ForcedSales.Total {
		t.Errorf("two runs differ: S&P low %v and %v, sales %v and %v", s.Assets["SPX"].Min, s2.Assets["SPX"].Min, s.ForcedSales.Total, s2.ForcedSales.Total)
	}

	// Its kind switched off, it holds.
	off := aug2024(t)
	off.Channels.Off = append(off.Channels.Off, "value_investor")
	off.Agents = append(off.Agents, sim.AgentSpec{Kind: sim.CustomKind, Custom: &stopLoss{ID: "stop", Asset: "SPX", Value: 50e9, Stop: 0.04, Kind: core.ValueInvestor}})
	m, _ = run(off, true)
	if h := holderOf(m, "stop"); h == nil || !h.Passive || h.Accounts[0].Units[spx] <= 0 {
		t.Errorf("with value_investor off, the custom holder of that kind should be passive and keep its S&P: %+v", h)
	}
}

// TestCustomPopulation: a custom spec makes a population like a built-in
// one: members numbered, each with its own deep copy of the spec and its
// Vary parameters drawn (by their yaml names), and Config.Clone copies the
// spec rather than sharing it.
func TestCustomPopulation(t *testing.T) {
	cfg := aug2024(t)
	spec := &stopLoss{ID: "stop", Asset: "SPX", Value: 5e9, Stop: 0.05}
	cfg.Agents = append(cfg.Agents, sim.AgentSpec{Kind: sim.CustomKind, Count: 3, Custom: spec,
		Vary: []sim.Vary{{Field: "stop", Dist: sim.Dist{Kind: "uniform", Min: ptr(0.02), Max: ptr(0.08)}}}})
	c := cfg.Clone()
	cs := c.Agents[len(c.Agents)-1].Custom.(*stopLoss)
	if cs == spec {
		t.Fatal("Clone shares the custom spec")
	}
	cs.Stop = 0.5
	if spec.Stop != 0.05 {
		t.Fatal("changing the clone's custom spec changed the original")
	}
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		t.Fatal(err)
	}
	spx := 3
	var triggers []float64
	for _, a := range m.Agents {
		if s, ok := a.(*stopLossAgent); ok {
			triggers = append(triggers, s.trigger)
			if !strings.HasPrefix(s.h.ID, "stop-00") {
				t.Errorf("member id %q", s.h.ID)
			}
			if stop := 1 - s.trigger/m.W.Price[spx]; stop < 0.02 || stop > 0.08 {
				t.Errorf("%s: stop %.4f outside the drawn range [0.02, 0.08]", s.h.ID, stop)
			}
		}
	}
	if len(triggers) != 3 || triggers[0] == triggers[1] || triggers[1] == triggers[2] || triggers[0] == triggers[2] {
		t.Errorf("want 3 members with their own stops, got triggers %v", triggers)
	}
	if spec.Stop != 0.05 || spec.ID != "stop" {
		t.Errorf("the population's build changed the spec: %+v", *spec)
	}
}

type noID struct{ Value float64 }

func (s *noID) Build(env *agents.Env) (agents.Agent, error) { return nil, nil }

// renamed builds a holder under another id than its spec's.
type renamed struct{ ID string }

func (s *renamed) Build(env *agents.Env) (agents.Agent, error) {
	return &stopLossAgent{h: env.W.AddHolder(s.ID+"-x", core.HedgeFund)}, nil
}

// asBroker builds a holder of the prime-broker kind.
type asBroker struct{ ID string }

func (s *asBroker) Build(env *agents.Env) (agents.Agent, error) {
	return &stopLossAgent{h: env.W.AddHolder(s.ID, core.PrimeBroker)}, nil
}

// TestCustomAgentErrors: what a custom spec must be is checked at build,
// with the reason; and scenario files cannot name the custom kind.
func TestCustomAgentErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		spec sim.AgentSpec
		want string
	}{
		{"no spec", sim.AgentSpec{Kind: sim.CustomKind}, `set Custom to the agent's spec (an agents.Maker)`},
		{"unknown kind", sim.AgentSpec{Kind: "hedgefund", HedgeFund: &agents.HedgeFundSpec{ID: "x"}}, `unknown agent kind "hedgefund" (did you mean "hedge_fund"?)`},
		{"two specs", sim.AgentSpec{Kind: sim.CustomKind, Custom: &renamed{ID: "a"}, Bank: &agents.BankSpec{ID: "b"}}, `want exactly its custom parameters`},
		{"no id field", sim.AgentSpec{Kind: sim.CustomKind, Custom: &noID{}}, `want an exported string field ID`},
		{"other id", sim.AgentSpec{Kind: sim.CustomKind, Custom: &renamed{ID: "a"}}, `holder (env.W.AddHolder) has the spec's ID`},
		{"broker kind", sim.AgentSpec{Kind: sim.CustomKind, Custom: &asBroker{ID: "a"}}, `its holder's kind is prime_broker`},
		{"taken id", sim.AgentSpec{Kind: sim.CustomKind, Custom: &stopLoss{ID: "GS", Asset: "SPX", Value: 1e9, Stop: 0.1}}, `"GS"`},
		{"its own error", sim.AgentSpec{Kind: sim.CustomKind, Custom: &stopLoss{ID: "x", Asset: "NKY", Value: 1e9, Stop: 0.1}}, `NKY is not priced in USD`},
	} {
		cfg := aug2024(t)
		cfg.Agents = append(cfg.Agents, c.spec)
		_, err := sim.Build(cfg, cfg.Seed)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}

	f := filepath.Join(t.TempDir(), "custom.yaml")
	if err := os.WriteFile(f, []byte("extends: mini\nagents:\n  - {kind: custom, id: x}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := scenarios.Load(f, nil)
	if err == nil || !strings.Contains(err.Error(), `unknown agent kind "custom"`) || !strings.Contains(err.Error(), "custom.yaml:3:") {
		t.Errorf("a scenario file naming the custom kind: got %v, want unknown agent kind at custom.yaml:3", err)
	}
}

func ptr(x float64) *float64 { return &x }

// TestLibraryDocExamples: docs/library.md lists exactly the Examples of
// this package, which are the guide's code.
func TestLibraryDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../docs/library.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, m := range regexp.MustCompile("`(Example[A-Za-z_]*)`").FindAllStringSubmatch(string(doc), -1) {
		named[m[1]] = true
	}
	have := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^func (Example[A-Za-z_]*)\(\)`).FindAllStringSubmatch(string(src), -1) {
		have[m[1]] = true
		if !named[m[1]] {
			t.Errorf("docs/library.md does not list %s", m[1])
		}
	}
	for n := range named {
		if !have[n] {
			t.Errorf("docs/library.md names %s, which sim/example_test.go does not have", n)
		}
	}
	if len(have) < 5 {
		t.Errorf("found %d Examples", len(have))
	}
}

// TestLibraryDocSignatures: the methods docs/library.md tells a program to
// write (an observer's, an agent's, a spec's) are written there as the
// interfaces declare them, so that code typed from the guide compiles.
// Parameter names in the guide (`Decide(w *core.World)`) are dropped
// before comparing.
func TestLibraryDocSignatures(t *testing.T) {
	doc, err := os.ReadFile("../docs/library.md")
	if err != nil {
		t.Fatal(err)
	}
	unnamed := regexp.MustCompile(`([(,] ?)[a-z][A-Za-z0-9]* ([*A-Za-z])`)
	quoted := map[string]bool{}
	for _, m := range regexp.MustCompile("`([^`\n]+)`").FindAllStringSubmatch(string(doc), -1) {
		quoted[unnamed.ReplaceAllString(m[1], "$1$2")] = true
	}
	for _, tc := range []struct {
		iface   reflect.Type
		methods []string
	}{
		{reflect.TypeFor[sim.Observer](), []string{"Begin", "Observe", "End"}},
		{reflect.TypeFor[agents.Maker](), []string{"Build"}},
		{reflect.TypeFor[agents.Agent](), []string{"Holder", "Decide"}},
		{reflect.TypeFor[agents.Policymaker](), []string{"Policy"}},
		{reflect.TypeFor[agents.Checker](), []string{"Check"}},
		// sim.Build calls Init on an agent that has it.
		{reflect.TypeFor[interface{ Init(*core.World) error }](), []string{"Init"}},
	} {
		for _, name := range tc.methods {
			m, ok := tc.iface.MethodByName(name)
			if !ok {
				t.Errorf("%v has no method %s", tc.iface, name)
				continue
			}
			sig := name + strings.TrimPrefix(m.Type.String(), "func")
			if !quoted[sig] {
				t.Errorf("docs/library.md does not write %v's method as `%s`", tc.iface, sig)
			}
		}
	}
}
