package sim_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestSeedFreeRunsIdentical: SeedDraws names what a run draws from its
// seed, and when it names nothing, runs at two seeds are the same run to
// the bit (every number of the summary; the passive twin's too), while a
// run that draws something differs. eba2018 has noise: {off: true} and no
// vary; mini draws its noise and its populations' parameters.
func TestSeedFreeRunsIdentical(t *testing.T) {
	for _, c := range []struct {
		name  string
		sets  []string
		draws []string
	}{
		{"eba2018", nil, nil},
		{"eba2018", []string{"noise.off=false"}, []string{"the noise"}},
		{"mini", nil, []string{"the noise", "agents[0] (hf), whose members draw carry_exit, trades.1.leverage"}},
		{"mini", []string{"noise.off=true"}, []string{"agents[0] (hf), whose members draw carry_exit, trades.1.leverage"}},
		{"mini", []string{"noise.off=true", "agents.hf.vary.0.dist={kind: fixed, value: 0.2}"}, []string{"agents[0] (hf), whose members draw trades.1.leverage"}},
		// A vary of one value draws nothing that differs.
		{"mini", []string{"noise.off=true", "agents.hf.vary.0.dist={kind: fixed, value: 0.2}", "agents.hf.vary.1.dist={kind: list, values: [8, 8]}"}, nil},
	} {
		sc, err := scenarios.Load(c.name, c.sets)
		if err != nil {
			t.Fatal(err)
		}
		cfg := &sc.File.Config
		got := cfg.SeedDraws()
		if !slices.Equal(got, c.draws) {
			t.Errorf("%s %v: SeedDraws %q, want %q", c.name, c.sets, got, c.draws)
		}
		if cfg.SeedFree() != (len(c.draws) == 0) {
			t.Errorf("%s %v: SeedFree %v with draws %q", c.name, c.sets, cfg.SeedFree(), c.draws)
		}
		var sums [2]string
		for k, seed := range []uint64{1, 2} {
			s, err := sim.RunSummary(context.Background(), cfg, seed, true)
			if err != nil {
				t.Fatal(err)
			}
			s.Seed = 0
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			sums[k] = string(b)
		}
		if same := sums[0] == sums[1]; same != (len(c.draws) == 0) {
			t.Errorf("%s %v: the runs at seeds 1 and 2 are the same: %v, want %v", c.name, c.sets, same, len(c.draws) == 0)
		}
	}
}

// TestUnpaired: two configs share their draws at one seed unless their
// noise draws for other assets (ids or order), another warm-up or another
// distribution, or a population draws its members' parameters at another
// place of the population stream; changed parameters keep them paired.
// The populations' cases are checked against the builds: hf's members
// draw the same values at seed 1 on both sides exactly when paired.
func TestUnpaired(t *testing.T) {
	load := func(sets ...string) *sim.Config {
		t.Helper()
		sc, err := scenarios.Load("mini", sets)
		if err != nil {
			t.Fatal(err)
		}
		return &sc.File.Config
	}
	// withCopy is mini with a copy of its first population (hf), named id,
	// put before the others (first) or after them.
	withCopy := func(id string, first bool) *sim.Config {
		c := load()
		cp := c.Agents[0]
		hf := *cp.HedgeFund
		hf.ID = id
		cp.HedgeFund = &hf
		if first {
			c.Agents = append([]sim.AgentSpec{cp}, c.Agents...)
		} else {
			c.Agents = append(c.Agents, cp)
		}
		return c
	}
	mxn := `assets+=[{id: USDMXN, kind: fx, base: USD, currency: MXN, price: 18.6, vol: 0.12, adv: 1.0e+11, impact: {function: sqrt, y: 1, permanent: 0.5, half_life_days: 1, flow_half_life_days: 0.5}}]`
	mxnCorr := "correlation=[[1, -0.2, -0.2, 0.05, 0.2, 0], [-0.2, 1, 0.99, -0.2, 0, 0], [-0.2, 0.99, 1, -0.2, 0, 0], [0.05, -0.2, -0.2, 1, 0.25, 0], [0.2, 0, 0, 0.25, 1, 0], [0, 0, 0, 0, 0, 1]]"
	for _, c := range []struct {
		name string
		b    *sim.Config
		want string // a reason's start; empty: paired
	}{
		{"same", load(), ""},
		{"vol changed", load("assets.SPX.vol=0.3"), ""},
		{"leverage", load("leverage_scale=2"), ""},
		{"an asset added", load(mxn, "rates.MXN={policy: 0.1}", mxnCorr), "the noise is not paired: each tick draws one shock per asset in the order of the assets (A: USDJPY UST10Y SPX NKY; B: USDJPY UST10Y SPX NKY USDMXN)"},
		{"warm-up", load("warmup=240h"), "the noise is not paired: the warm-up draws"},
		{"student_t", load("noise.distribution=student_t", "noise.df=5"), "the noise is not paired: one side draws Student-t"},
		{"noise off", load("noise.off=true"), "the noise is off on one side only"},
		// A copy of hf's population, with vary, put before it: hf's
		// members draw after the copy's.
		{"a population before hf", withCopy("early", true), "the populations' draws are not paired: at the same seed the members of hf draw"},
		// The same population after the others: theirs are drawn first.
		{"a population after the others", withCopy("late", false), ""},
	} {
		got := sim.Unpaired(load(), c.b)
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%s: %q, want paired", c.name, got)
		case c.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], c.want)):
			t.Errorf("%s: %q, want one reason starting %q", c.name, got, c.want)
		}
		if strings.Contains(c.name, "population") {
			hf := func(cfg *sim.Config) []float64 {
				m, err := sim.Build(cfg, 1)
				if err != nil {
					t.Fatal(err)
				}
				var v []float64
				for _, d := range m.Draws {
					if d.Entry == "hf" {
						v = append(v, d.Value)
					}
				}
				return v
			}
			x, y := hf(load()), hf(c.b)
			if len(x) == 0 || slices.Equal(x, y) != (c.want == "") {
				t.Errorf("%s: hf draws %v and %v: paired %v", c.name, x, y, c.want == "")
			}
		}
	}
}
