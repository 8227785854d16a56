package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSpreadVolIsEWMAWhenOpen: for markets that trade at every tick the
// estimate is EWMA's diagonal at the same half-life, bit for bit.
func TestSpreadVolIsEWMAWhenOpen(t *testing.T) {
	vol := []float64{0.01, 0.002, 0.03}
	e := NewEWMA(12, vol, nil)
	s := NewSpreadVol(12, vol)
	rng := rand.New(rand.NewPCG(1, 2))
	r := make([]float64, 3)
	for tick := range 2000 {
		for i := range r {
			r[i] = vol[i] * rng.NormFloat64() * (1 + float64(tick%50)/10)
		}
		e.Update(r)
		s.Update(r, nil)
		for i := range r {
			if s.Vol(i) != e.Vol(i) {
				t.Fatalf("tick %d asset %d: %v, EWMA %v", tick, i, s.Vol(i), e.Vol(i))
			}
		}
	}
}

// TestSpreadVolIsEWMAOfTheSpreadGap: asset 0 trades at one tick in k and
// its gap g reaches the estimate as EWMA would read k returns of g/√k
// (asset 1, fed those returns at every tick). A gap of σ√k, calm news,
// keeps the estimate at σ, where EWMA of the per-tick returns (0 while
// shut, the gap at the open) reads more at the open, the more so the
// longer the market was shut: at k = 66, a weekend of hourly ticks, 1.9σ.
func TestSpreadVolIsEWMAOfTheSpreadGap(t *testing.T) {
	const sigma = 0.01
	for _, k := range []int{1, 2, 7, 66} {
		s := NewSpreadVol(12, []float64{sigma, sigma})
		spread := NewEWMA(12, []float64{sigma, sigma}, nil)
		perTick := NewEWMA(12, []float64{sigma, sigma}, nil) // fed the calm gaps
		rng := rand.New(rand.NewPCG(3, uint64(k)))
		r, rs, open := make([]float64, 2), make([]float64, 2), make([]bool, 2)
		calm := NewSpreadVol(12, []float64{sigma, sigma})
		for tick := range 50 * k {
			if tick%k == 0 {
				g := sigma * math.Sqrt(float64(k)) * rng.NormFloat64()
				rs[0], rs[1] = g/math.Sqrt(float64(k)), g/math.Sqrt(float64(k))
			}
			open[0], open[1] = (tick+1)%k == 0, true
			r[0], r[1] = 0, rs[1]
			if open[0] {
				r[0] = rs[0] * math.Sqrt(float64(k))
			}
			s.Update(r, open)
			spread.Update(rs)
			c := []float64{0, sigma}
			if open[0] {
				c[0] = sigma * math.Sqrt(float64(k))
			}
			calm.Update(c, open)
			perTick.Update(c)
			if !open[0] {
				continue
			}
			// At every open of asset 0: the same as EWMA of the spread
			// returns, to rounding (the decay is one power, not k products).
			if got, want := s.Vol(0), spread.Vol(0); math.Abs(got-want) > 1e-12*want {
				t.Fatalf("k=%d tick %d: %v, want EWMA of the spread gap %v", k, tick, got, want)
			}
			if got := calm.Vol(0); math.Abs(got-sigma) > 1e-15 {
				t.Fatalf("k=%d tick %d: calm gaps read %v, want %v", k, tick, got, sigma)
			}
		}
		// Asset 1 trades at every tick on the same returns: EWMA's, exactly.
		if s.Vol(1) != spread.Vol(1) {
			t.Errorf("k=%d: asset 1 %v, EWMA %v", k, s.Vol(1), spread.Vol(1))
		}
		// The loop ends on an open.
		t.Logf("k=%d: calm gaps read %.4g at the open by EWMA of per-tick returns, %.4g spread", k, perTick.Vol(0)/sigma, calm.Vol(0)/sigma)
		if k > 1 && !(perTick.Vol(0) > sigma*(1+1e-3)) || k == 66 && !(perTick.Vol(0) > 1.8*sigma) {
			t.Errorf("k=%d: EWMA of per-tick returns reads %v at the open, want the calm gap read as more volatility than σ (1.8σ at k = 66)", k, perTick.Vol(0))
		}
	}
}

// TestSpreadVolMovesWhenShut: a return at a tick the market is marked shut
// (a price moved while closed) is folded in with the ticks before it; a
// shut, unmoved market keeps its estimate until it moves.
func TestSpreadVolMovesWhenShut(t *testing.T) {
	s := NewSpreadVol(2, []float64{0.01})
	s.Update([]float64{0}, []bool{false})
	if s.Vol(0) != 0.01 {
		t.Errorf("shut and unmoved: %v, want 0.01", s.Vol(0))
	}
	s.Update([]float64{0.04}, []bool{false}) // two ticks' news: 0.04/√2, weight 1 − λ²
	l2 := 0.5                                // λ = 0.5^(1/2)
	want := math.Sqrt(l2*1e-4 + (1-l2)*0.04*0.04/2)
	if got := s.Vol(0); math.Abs(got-want) > 1e-16 {
		t.Errorf("moved while shut: %v, want %v", got, want)
	}
}
