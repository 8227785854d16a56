package agents

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestMoreLiquidOrder: sorting trades with slices.SortStableFunc and
// moreLiquid gives the order sort.SliceStable gave with the test
// liquidity[i] > liquidity[j], trade for trade, on random lists long enough
// to merge sorted blocks, with ties, infinities and NaN; and it does not
// allocate.
func TestMoreLiquidOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	values := []float64{0, 1, 2, 3, 1e9, 2.5e9, math.Inf(1), math.Inf(-1), math.NaN()}
	for try := 0; try < 2000; try++ {
		n := r.IntN(90)
		nan := try%2 == 0 // half the lists without NaN, half with
		trades := make([]*Trade, n)
		for k := range trades {
			v := values[r.IntN(len(values)-1)]
			if nan && r.IntN(5) == 0 {
				v = math.NaN()
			}
			if r.IntN(3) == 0 {
				v = r.Float64()
			}
			trades[k] = &Trade{liquidity: v}
		}
		want := slices.Clone(trades)
		sort.SliceStable(want, func(i, j int) bool { return want[i].liquidity > want[j].liquidity })
		got := slices.Clone(trades)
		slices.SortStableFunc(got, moreLiquid)
		for k := range got {
			if got[k] != want[k] {
				t.Fatalf("list %d (%d trades): trade %d differs from sort.SliceStable's order", try, n, k)
			}
		}
	}
	order := make([]*Trade, 30)
	for k := range order {
		order[k] = &Trade{liquidity: float64(k % 7)}
	}
	if a := testing.AllocsPerRun(100, func() { slices.SortStableFunc(order, moreLiquid) }); a != 0 {
		t.Errorf("%v allocations per sort, want 0", a)
	}
}
