package core

import (
	"math"
	"testing"
)

// TestMix: mix is the SplitMix64 finalizer with the golden-ratio increment,
// so mix(0) is SplitMix64's first output from seed 0.
func TestMix(t *testing.T) {
	if got := mix(0); got != 0xe220a8397b1dcdaf {
		t.Errorf("mix(0) = %#x, want 0xe220a8397b1dcdaf", got)
	}
	// FNV-1a of "a" is 0xaf63dc4c8601ec8c.
	if got := hashString("a"); got != 0xaf63dc4c8601ec8c {
		t.Errorf("hashString(\"a\") = %#x", got)
	}
}

// TestRunSeed: the seed of a run depends only on the master seed and the
// index, and different runs of a sweep (or sweeps) get different seeds.
func TestRunSeed(t *testing.T) {
	if RunSeed(7, 3) != RunSeed(7, 3) {
		t.Fatal("RunSeed is not deterministic")
	}
	seen := map[uint64]bool{}
	for _, master := range []uint64{0, 1, 7, 1 << 40} {
		for i := 0; i < 2000; i++ {
			s := RunSeed(master, i)
			if seen[s] {
				t.Fatalf("RunSeed(%d, %d) repeats a seed", master, i)
			}
			seen[s] = true
		}
	}
}

// TestStreams: a named stream of a run replays exactly; streams of other
// names or runs differ; drawing from one stream never shifts another; and
// two streams are uncorrelated.
func TestStreams(t *testing.T) {
	seed := RunSeed(42, 0)
	a1, a2 := Stream(seed, "noise"), Stream(seed, "noise")
	for k := 0; k < 100; k++ {
		if a1.Uint64() != a2.Uint64() {
			t.Fatal("the same stream does not replay")
		}
	}
	first := func(s uint64, name string) [4]uint64 {
		r := Stream(s, name)
		return [4]uint64{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
	}
	base := first(seed, "agents")
	for _, other := range [][4]uint64{first(seed, "noise"), first(seed, "population"), first(RunSeed(42, 1), "agents"), first(RunSeed(43, 0), "agents")} {
		if other == base {
			t.Error("two different streams start alike")
		}
	}
	// Drawing heavily from "noise" leaves "agents" where it was.
	noise, agents := Stream(seed, "noise"), Stream(seed, "agents")
	for k := 0; k < 10000; k++ {
		noise.Float64()
	}
	if got := [4]uint64{agents.Uint64(), agents.Uint64(), agents.Uint64(), agents.Uint64()}; got != base {
		t.Error("drawing from one stream shifted another")
	}
	// Correlation of paired uniforms: |ρ| < 3/√n.
	x, y := Stream(seed, "noise"), Stream(seed, "agents")
	const n = 20000
	var sx, sy, sxx, syy, sxy float64
	for k := 0; k < n; k++ {
		u, v := x.Float64(), y.Float64()
		sx, sy, sxx, syy, sxy = sx+u, sy+v, sxx+u*u, syy+v*v, sxy+u*v
	}
	cov := sxy/n - sx*sy/(n*n)
	rho := cov / math.Sqrt((sxx/n-sx*sx/(n*n))*(syy/n-sy*sy/(n*n)))
	if math.Abs(rho) > 3/math.Sqrt(n) {
		t.Errorf("streams correlated: ρ = %.4f", rho)
	}
}

// TestSeedsCount: Seeds gives n seeds, own first, and none (not a panic)
// for n < 1.
func TestSeedsCount(t *testing.T) {
	for _, n := range []int{-1, 0, 1, 3} {
		s := Seeds(7, n)
		if len(s) != max(n, 0) {
			t.Errorf("Seeds(7, %d): %d seeds", n, len(s))
		}
		if n >= 3 && (s[0] != 7 || s[2] != RunSeed(7, 2)) {
			t.Errorf("Seeds(7, %d) = %v", n, s)
		}
	}
}
