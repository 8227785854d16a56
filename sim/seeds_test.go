package sim_test

import (
	"context"
	"encoding/json"
	"slices"
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
