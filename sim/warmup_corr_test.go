package sim

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/core"
)

// TestWarmupCorrelationReturns: every return in the rolling correlation's
// window after a warm-up is an H-tick return of the warm-up's closes. The
// window (W = 1,440) here holds every return of a 60-day warm-up (1,440
// hourly ticks, H = 1), the first included; each must stay within 8 calm
// standard deviations of an H-tick return. The first return used to be
// taken against the starting prices, the warm-up's last closes: a return
// over the 1,439 ticks after it, run backwards, about 38 standard
// deviations wide.
func TestWarmupCorrelationReturns(t *testing.T) {
	for _, rows := range []string{"every_tick", "trading"} {
		t.Run(rows, func(t *testing.T) {
			cfg := testWorld(5)
			cfg.Warmup = 60 * 24 * time.Hour
			cfg.Report.CorrelationHorizon = 1
			cfg.Report.CorrelationWindow = 1440
			cfg.Report.CorrelationRows = rows
			m, err := Build(cfg, core.RunSeed(3, 0))
			if err != nil {
				t.Fatal(err)
			}
			r := &m.rec
			k := len(r.set)
			if want := 1440; r.n != want || k < 2 {
				t.Fatalf("%d returns of %d assets in the window after the warm-up, want %d of 2 or more", r.n, k, want)
			}
			worst := 0.0
			check := func(where string, i int, x float64) {
				sd := m.W.Assets[i].Vol / math.Sqrt(m.W.PerYear) * math.Sqrt(float64(r.H))
				z := math.Abs(x) / sd
				worst = math.Max(worst, z)
				if z > 8 {
					t.Errorf("%s, %s: H-tick return %.4g is %.1f calm standard deviations", where, m.W.Assets[i].ID, x, z)
				}
			}
			if !r.trading {
				for row := 0; row < r.n; row++ {
					for a, i := range r.set {
						check(fmt.Sprintf("row %d", row), i, r.ring[row*k+a])
					}
				}
			}
			for p := range r.pairs {
				q := &r.pairs[p]
				if q.n != r.n {
					t.Errorf("pair %d (%s, %s): %d rows after the warm-up, want %d: every market here trades at every tick", p, m.W.Assets[r.set[q.a]].ID, m.W.Assets[r.set[q.b]].ID, q.n, r.n)
				}
				ring := r.pring[2*r.W*p:]
				for row := 0; row < q.n; row++ {
					for j, a := range [2]int{q.a, q.b} {
						check(fmt.Sprintf("pair %d, row %d", p, row), r.set[a], ring[2*row+j])
					}
				}
			}
			if r.trading != (len(r.pairs) > 0) {
				t.Errorf("correlation_rows %s: %d pairs' windows", rows, len(r.pairs))
			}
			t.Logf("largest H-tick return in the window: %.2f standard deviations", worst)
		})
	}
}
