package core

import "math/rand/v2"

// mix is the SplitMix64 finalizer: a bijective avalanche of 64 bits.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// hashString folds a name into 64 bits (FNV-1a).
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// RunSeed derives the seed of run number index of a sweep with the given
// master seed. It depends on nothing else (not on workers or shards), so a
// run's results are the same wherever it runs.
func RunSeed(master uint64, index int) uint64 {
	return mix(mix(master) ^ mix(uint64(index)+0x51afd7ed558ccd))
}

// Seeds returns n seeds for a study at several seeds (cascade score,
// compare and channels --seeds, cascade whatif): own first, then
// RunSeed(own, k) for k = 1 ... n-1; none when n < 1.
func Seeds(own uint64, n int) []uint64 {
	seeds := make([]uint64, max(n, 0))
	for k := range seeds {
		seeds[k] = own
		if k > 0 {
			seeds[k] = RunSeed(own, k)
		}
	}
	return seeds
}

// Stream returns the named random stream of a run: "noise" for exogenous
// returns, "agents" for agent decisions, "population" for drawing agent
// parameters. Streams are independent, so drawing more from one never shifts
// another.
func Stream(runSeed uint64, name string) *rand.Rand {
	h := hashString(name)
	return rand.New(rand.NewPCG(mix(runSeed^h), mix(runSeed+h*0x2545f4914f6cdd1d)))
}
