package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTradingVolIsEWMAWhenOpen: for markets open at every tick the
// estimate is EWMA's diagonal at the same half-life, bit for bit.
func TestTradingVolIsEWMAWhenOpen(t *testing.T) {
	vol := []float64{0.01, 0.002, 0.03}
	e := NewEWMA(12, vol, nil)
	tv := NewTradingVol([]float64{12, 12, 12}, vol)
	rng := rand.New(rand.NewPCG(1, 2))
	r := make([]float64, 3)
	for tick := range 2000 {
		for i := range r {
			r[i] = vol[i] * rng.NormFloat64() * (1 + float64(tick%50)/10)
		}
		e.Update(r)
		tv.Update(r, nil)
		for i := range r {
			if tv.Vol(i) != e.Vol(i) {
				t.Fatalf("tick %d asset %d: %v, EWMA %v", tick, i, tv.Vol(i), e.Vol(i))
			}
		}
	}
}

// TestTradingVolGaps: a market shut k−1 ticks whose open brings a gap of
// σ√k (the news of k ticks at volatility σ) reads σ at each open,
// whatever k; the calendar EWMA, unbiased over time, reads more than σ
// at the open, the tick impact is priced at. The counts of ticks shut are
// per asset.
func TestTradingVolGaps(t *testing.T) {
	const sigma = 0.01
	for _, k := range []int{1, 2, 7, 66} {
		tv := NewTradingVol([]float64{3, 3}, []float64{sigma, sigma})
		e := NewEWMA(3, []float64{sigma, sigma}, nil)
		r, open := make([]float64, 2), make([]bool, 2)
		for tick := range 40 * k {
			// Asset 0 trades every k-th tick; asset 1 every tick.
			open[0], open[1] = (tick+1)%k == 0, true
			r[0], r[1] = 0, sigma
			if open[0] {
				r[0] = -sigma * math.Sqrt(float64(k))
			}
			tv.Update(r, open)
			e.Update(r)
		}
		for i, want := range []float64{sigma, sigma} {
			if got := tv.Vol(i); math.Abs(got-want) > 1e-15 {
				t.Errorf("k=%d asset %d: %v, want %v", k, i, got, want)
			}
		}
		// The loop ends on an open.
		if k > 1 && !(e.Vol(0) > 1.05*sigma) {
			t.Errorf("k=%d: the calendar EWMA reads %v at the open, want the gap read as volatility (above 1.05σ)", k, e.Vol(0))
		}
	}
}

// TestTradingVolMovesWhenShut: a return at a tick the market is marked
// shut (a price moved while closed) is folded in as any other; a shut,
// unmoved market keeps its estimate.
func TestTradingVolMovesWhenShut(t *testing.T) {
	tv := NewTradingVol([]float64{2}, []float64{0.01})
	tv.Update([]float64{0}, []bool{false})
	if tv.Vol(0) != 0.01 {
		t.Errorf("shut and unmoved: %v, want 0.01", tv.Vol(0))
	}
	tv.Update([]float64{0.04}, []bool{false}) // two ticks' news: 0.04/√2
	l := math.Pow(0.5, 0.5)
	want := math.Sqrt(l*1e-4 + (1-l)*0.04*0.04/2)
	if got := tv.Vol(0); math.Abs(got-want) > 1e-16 {
		t.Errorf("moved while shut: %v, want %v", got, want)
	}
}
