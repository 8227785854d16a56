package sim

import (
	"context"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestSameSeriesEverywhere pins the hash of every recorded series of two
// runs to the value the baseline amd64 build gives: the determinism world
// (every agent kind, Student-t noise, a BOJ hike and a bitcoin crash, one
// and a half times leverage) and the benchmark's standard world (100
// agents, normal noise) for 300 ticks. The same source must give the same
// bits on every machine and build: arm64, GOAMD64=v3, processors with or
// without FMA. `make test-portable` runs this test on arm64 under
// qemu-aarch64 and at GOAMD64=v3 (see docs/determinism.md).
//
// A change that moves results on purpose updates the hashes (run with -v
// to see them) and says so in its commit message.
func TestSameSeriesEverywhere(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  func() *Config
		want uint64
	}{
		{"determinism world", func() *Config {
			cfg := testWorld(10)
			cfg.LeverageScale = 1.5
			cfg.Events = append(bojEvents(), EventSpec{Tick: 100, Kind: "shock", Shocks: map[string]float64{"BTC": -0.3}})
			cfg.Noise = NoiseSpec{Distribution: "student_t", DF: 5}
			return cfg
		}, 0xb7aa79361c34f42c},
		{"standard world", func() *Config {
			cfg := benchWorld()
			cfg.Ticks = 300
			return cfg
		}, 0x434be610864fbfeb},
	} {
		m, err := Build(c.cfg(), core.RunSeed(42, 0))
		if err != nil {
			t.Fatal(err)
		}
		h := &hasher{}
		if err := m.Run(context.Background(), h); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: series hash %#x", c.name, h.h)
		if h.h != c.want {
			t.Errorf("%s: series hash %#x, want %#x (the baseline amd64 build's)", c.name, h.h, c.want)
		}
	}
}
