package sim

import (
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/agents"
)

// regSpec is a spec of a registered kind for the tests below.
type regSpec struct {
	ID    string  `yaml:"id"`
	Level float64 `yaml:"level"`
}

func (s *regSpec) Build(env *agents.Env) (agents.Agent, error) { return nil, nil }

// TestRegister: a registered kind is listed after the built-in ones, gets
// a new spec in Custom from NewAgentSpec, answers to its own name in Spec
// (and no longer to "custom"), and its fields are the entry's fields.
// Mistakes in registering panic, each with its reason. KindNames returns
// a slice of the caller's own: the schema sorts it, which once sorted
// AgentKinds in place while no kind was registered.
func TestRegister(t *testing.T) {
	want := slices.Clone(AgentKinds)
	slices.Sort(KindNames())
	if !slices.Equal(AgentKinds, want) {
		t.Fatalf("sorting KindNames() reordered AgentKinds: %v", AgentKinds)
	}
	if !Registered("zz_reg_test") { // registered once per test binary (go test -count=2)
		Register("zz_reg_test", func() agents.Maker { return &regSpec{} })
	}
	if got := KindNames(); !slices.Equal(got[:len(AgentKinds)], AgentKinds) || !slices.Contains(got[len(AgentKinds):], "zz_reg_test") {
		t.Errorf("KindNames() = %v: want the built-in kinds, then zz_reg_test", got)
	}
	if !Registered("zz_reg_test") || Registered("hedge_fund") {
		t.Errorf("Registered: zz_reg_test %v, hedge_fund %v", Registered("zz_reg_test"), Registered("hedge_fund"))
	}
	a, p, err := NewAgentSpec("zz_reg_test")
	if err != nil {
		t.Fatal(err)
	}
	a2, _, _ := NewAgentSpec("zz_reg_test")
	if s, ok := p.(*regSpec); !ok || a.Custom != p || a2.Custom == p {
		t.Errorf("NewAgentSpec: spec %T, in Custom %v, the same as the next call's %v", p, a.Custom == p, a2.Custom == p)
	} else if got, err := a.Spec(); err != nil || got != s {
		t.Errorf("Spec() = %v, %v; want the spec", got, err)
	}
	if _, err := (&AgentSpec{Kind: CustomKind, Custom: &regSpec{}}).Spec(); err != nil {
		t.Errorf("kind custom with a Custom spec: %v", err)
	}
	if got := KindFields("zz_reg_test"); !slices.Equal(got, []string{"count", "vary", "id", "level"}) {
		t.Errorf("KindFields = %v", got)
	}
	if _, _, err := NewAgentSpec("zz_unknown"); err == nil || !strings.Contains(err.Error(), "zz_reg_test") {
		t.Errorf("unknown kind: %v; want the registered kinds listed", err)
	}

	for _, c := range []struct {
		name string
		f    func() agents.Maker
		want string
	}{
		{"zz_reg_test", func() agents.Maker { return &regSpec{} }, "registered twice"},
		{"hedge_fund", func() agents.Maker { return &regSpec{} }, "built in"},
		{"custom", func() agents.Maker { return &regSpec{} }, "built in"},
		{"Loss-Cut", func() agents.Maker { return &regSpec{} }, "lower-case"},
		{"", func() agents.Maker { return &regSpec{} }, "lower-case"},
		{"9lives", func() agents.Maker { return &regSpec{} }, "lower-case"},
		{"zz_nil", nil, "newSpec is nil"},
		{"zz_noid", func() agents.Maker { return &noID{} }, "exported string field ID"},
	} {
		func() {
			defer func() {
				r, _ := recover().(string)
				if !strings.Contains(r, c.want) {
					t.Errorf("Register(%q): panic %q, want one saying %q", c.name, r, c.want)
				}
			}()
			Register(c.name, c.f)
		}()
	}
	if Registered("zz_noid") || Registered("zz_nil") {
		t.Errorf("a refused kind was registered")
	}
}

type noID struct{ Name string }

func (s *noID) Build(env *agents.Env) (agents.Agent, error) { return nil, nil }

// TestInertRegisteredKinds: an entry of a registered kind may make holders
// of any kind (examples/losscut's retail accounts are hedge funds), so a
// world with one has no agent kind, and not cross_margin, called inert;
// without it, the same world's missing kinds are.
func TestInertRegisteredKinds(t *testing.T) {
	if !Registered("zz_reg_test") { // registered once per test binary
		Register("zz_reg_test", func() agents.Maker { return &regSpec{} })
	}
	own := &Config{Brokers: []agents.PrimeBrokerSpec{{ID: "GS"}}, Agents: []AgentSpec{{Kind: "zz_reg_test", Custom: &regSpec{ID: "r"}}}}
	plain := &Config{Brokers: []agents.PrimeBrokerSpec{{ID: "GS"}}, Agents: []AgentSpec{{Kind: "cta"}}}
	for _, s := range []string{"hedge_fund", "insurer", "bank", "cross_margin"} {
		if why := own.Inert(s); why != "" {
			t.Errorf("with a registered kind: Inert(%q) = %q, want \"\"", s, why)
		}
		if why := plain.Inert(s); why == "" {
			t.Errorf("without one: Inert(%q) is empty, want a reason", s)
		}
	}
	if why := own.Inert("valuation_links"); why != "it has no links" {
		t.Errorf("with a registered kind: Inert(valuation_links) = %q, want it has no links", why)
	}
}
