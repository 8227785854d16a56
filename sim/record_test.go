package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// shortcutCheck is an Observer that checks, every tick, that the per-tick
// flow arrays are zero outside the frame's lists of the assets, kinds and
// reasons that traded, and counts how sparse the lists were; and that
// every bond's yield is, bit for bit, the yield of its close.
type shortcutCheck struct {
	t                      *testing.T
	traded, kinds, reasons int // summed over ticks
	kept                   int // bond-ticks whose yield the engine's still holds
	ticks                  int
}

func (c *shortcutCheck) Begin(*Model) error { return nil }
func (c *shortcutCheck) End(*Model) error   { return nil }
func (c *shortcutCheck) Observe(f *Frame) error {
	n := len(f.Price)
	nk, nr := int(core.NumAgentKinds), int(core.NumReasons)
	listed := make([]bool, n)
	for _, i := range f.Traded {
		if listed[i] {
			c.t.Fatalf("tick %d: asset %d listed twice as traded", f.Tick, i)
		}
		listed[i] = true
	}
	for i := 0; i < n; i++ {
		if listed[i] {
			continue
		}
		zero := f.SoldAsset[i] == 0
		for k := 0; k < nk; k++ {
			zero = zero && f.AttrKind[i*nk+k] == 0 && f.SoldKindAsset[k*n+i] == 0 && f.BoughtKindAsset[k*n+i] == 0
		}
		for r := 0; r < nr; r++ {
			zero = zero && f.AttrReason[i*nr+r] == 0
		}
		if !zero {
			c.t.Fatalf("tick %d: asset %d has flows but is not listed as traded", f.Tick, i)
		}
	}
	for k := 0; k < nk; k++ {
		if f.TradedKinds&(1<<k) != 0 {
			c.kinds++
			continue
		}
		for r := 0; r < nr; r++ {
			if f.Sold[k][r] != 0 || f.Bought[k][r] != 0 {
				c.t.Fatalf("tick %d: kind %s traded but is not listed as trading", f.Tick, core.AgentKind(k))
			}
		}
		for i := 0; i < n; i++ {
			if f.SoldKindAsset[k*n+i] != 0 || f.BoughtKindAsset[k*n+i] != 0 || f.AttrKind[i*nk+k] != 0 {
				c.t.Fatalf("tick %d: kind %s traded asset %d but is not listed as trading", f.Tick, core.AgentKind(k), i)
			}
		}
	}
	for r := 0; r < nr; r++ {
		if f.TradedReasons&(1<<r) != 0 {
			c.reasons++
			continue
		}
		for k := 0; k < nk; k++ {
			if f.Sold[k][r] != 0 || f.Bought[k][r] != 0 {
				c.t.Fatalf("tick %d: reason %s traded but is not listed as trading", f.Tick, core.Reason(r))
			}
		}
		for i := 0; i < n; i++ {
			if f.AttrReason[i*nr+r] != 0 {
				c.t.Fatalf("tick %d: reason %s traded asset %d but is not listed as trading", f.Tick, core.Reason(r), i)
			}
		}
	}
	for i, y := range f.Yield {
		if f.Model.W.Assets[i].Kind != core.Bond {
			continue
		}
		if want := f.Model.W.Yield(i); math.Float64bits(y) != math.Float64bits(want) {
			c.t.Fatalf("tick %d: asset %d yields %v, want %v", f.Tick, i, y, want)
		}
		if f.Model.W.Price[i] == f.Model.mark[i] {
			c.kept++
		}
	}
	c.traded += len(f.Traded)
	c.ticks++
	return nil
}

// TestRecorderShortcutsExact: the summary (sales, attribution, yields and
// the rest) is byte for byte the same when observers skip the flows of
// the assets, kinds and reasons that did not trade and the recorder keeps
// the yields the engine took, as when every entry is read and every yield
// computed afresh; the market's lists cover every non-zero entry, and
// every yield is that of its close.
func TestRecorderShortcutsExact(t *testing.T) {
	for _, tc := range shortcutWorlds() {
		t.Run(tc.name, func(t *testing.T) {
			var out [2][]byte
			for k, dense := range []bool{false, true} {
				m, err := Build(tc.cfg(), core.RunSeed(3, 0))
				if err != nil {
					t.Fatal(err)
				}
				if dense {
					for i := range m.W.Assets {
						m.rec.dense = append(m.rec.dense, i)
					}
				}
				c, chk := NewCollector(), &shortcutCheck{t: t}
				if err := m.Run(context.Background(), c, chk); err != nil {
					t.Fatal(err)
				}
				if !dense {
					t.Logf("a tick, %.2f of %d assets, %.2f kinds and %.2f reasons traded", float64(chk.traded)/float64(chk.ticks),
						len(m.W.Assets), float64(chk.kinds)/float64(chk.ticks), float64(chk.reasons)/float64(chk.ticks))
					if chk.traded == 0 || chk.traded >= chk.ticks*len(m.W.Assets) {
						t.Errorf("the lists are not sparse: %d assets traded over %d ticks", chk.traded, chk.ticks)
					}
					t.Logf("%d bond-ticks kept the engine's yield", chk.kept)
					if chk.kept == 0 {
						t.Error("no yield was kept")
					}
				}
				if out[k], err = json.Marshal(c.S); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(out[0], out[1]) {
				t.Errorf("summaries differ when the flows are read sparsely:\n%s\n%s", out[0], out[1])
			}
		})
	}
}
