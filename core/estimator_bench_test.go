package core

import "testing"

// BenchmarkSynced times one tick of a Synced estimator of ten assets, all
// open (a refresh every tick, its dearest case), and of ten assets of which
// one trades a tick in 24 (a refresh a day).
func BenchmarkSynced(b *testing.B) {
	vol := make([]float64, 10)
	assets := make([]int, 10)
	for i := range vol {
		vol[i], assets[i] = 0.001, i
	}
	r := make([]float64, 10)
	for i := range r {
		r[i] = 0.0001 * float64(i-5)
	}
	for _, c := range []struct {
		name  string
		every int
	}{{"refresh every tick", 1}, {"refresh a day", 24}} {
		b.Run(c.name, func(b *testing.B) {
			s := NewEstimators(vol, nil).Synced(240, assets)
			open := make([]bool, 10)
			for i := range open {
				open[i] = true
			}
			for t := 0; b.Loop(); t++ {
				open[9] = t%c.every == 0
				r[9] = 0 // a closed market's return is 0 until its open
				if open[9] {
					r[9] = 0.0004
				}
				s.Update(r, open)
			}
		})
	}
}
