package sim

import (
	"context"
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

func cascadeWorld() *Config {
	cfg := testWorld(10)
	cfg.LeverageScale = 2
	cfg.Events = bojEvents()
	return cfg
}

// TestPeekMatchesSettle: the books observers read (World.PeekAll) are the
// books settling would produce, every tick of a cascade with margin calls,
// variation margin, coupons and interest in two currencies.
func TestPeekMatchesSettle(t *testing.T) {
	var p core.Peek
	worst, checked, stale := 0.0, 0, 0
	m, err := Build(cascadeWorld(), core.RunSeed(5, 0)) // no audit: it settles everyone
	if err != nil {
		t.Fatal(err)
	}
	err = m.Run(context.Background(), &probe{m: m, fn: func(m *Model, f *Frame) {
		w := m.W
		for _, h := range w.Holders {
			if !w.Settled(h) {
				stale++
			}
		}
		w.PeekAll(&p)
		book := append([]float64(nil), p.Book...)
		cash := append([]float64(nil), p.CashUSD...)
		w.SettleAll()
		for i, h := range w.Holders {
			c := 0.0
			for cur := 0; cur < w.NCur; cur++ {
				c += h.Cash[cur] * w.FXUSD[cur]
			}
			scale := math.Max(math.Abs(h.Book0), 1)
			for _, d := range []float64{book[i] - h.Book, cash[i] - c} {
				if d = math.Abs(d) / scale; d > worst {
					worst = d
				}
			}
			if d := math.Abs(book[i]-h.Book) / scale; d > 1e-12 {
				t.Fatalf("tick %d, %s: peeked equity %.17g, settled %.17g", f.Tick, h.ID, book[i], h.Book)
			}
			if d := math.Abs(cash[i]-c) / scale; d > 1e-12 {
				t.Fatalf("tick %d, %s: peeked deposits %.17g, settled %.17g", f.Tick, h.ID, cash[i], c)
			}
			checked++
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d holder-ticks, %d of them unsettled; worst relative difference %.2g", checked, stale, worst)
	if stale < checked/4 {
		t.Errorf("only %d of %d holder-ticks were unsettled: the test does not exercise the peek", stale, checked)
	}
}

// TestObserversDoNotChangeRun: a run watched by observers that read every
// balance sheet, the per-kind aggregates and the compression index every
// tick follows the same path, bit for bit, as one watched only for prices.
func TestObserversDoNotChangeRun(t *testing.T) {
	path := func(heavy bool) uint64 {
		m, err := Build(cascadeWorld(), core.RunSeed(5, 0))
		if err != nil {
			t.Fatal(err)
		}
		h := &hasher{prices: true}
		obs := []Observer{h}
		if heavy {
			obs = append(obs, &probe{m: m, fn: func(m *Model, f *Frame) {
				f.Kinds()
				f.Books()
				m.Compression()
			}})
		}
		if err := m.Run(context.Background(), obs...); err != nil {
			t.Fatal(err)
		}
		return h.h
	}
	if a, b := path(false), path(true); a != b {
		t.Errorf("observers changed the run: price path hash %x unwatched, %x watched", a, b)
	}
}
