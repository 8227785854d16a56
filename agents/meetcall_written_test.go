package agents_test

import (
	"math"
	"testing"
)

// TestMeetCallWritten compares a rebalancing book's meetCall, whose test
// for an open call inlines into each Decide, with the function as written
// before in one piece (MeetCallWritten), on two identical worlds: a CTA
// long SPX and NKY whose account has no call, a call of −1, a NaN call, or
// a small or a large call, seized or not. Both must report the same, queue
// the same orders bit for bit, and leave the same cash and posted margin.
func TestMeetCallWritten(t *testing.T) {
	answered, sent := 0, 0
	for _, call := range []float64{0, -1, math.NaN(), 1e6, 1e12} {
		for _, seized := range []bool{false, true} {
			var got [2]bool
			var orders [2][]float64
			var cash, posted [2]float64
			for k := range 2 {
				m, cta := ctaWorld(t, 4, map[string]float64{"SPX": 1.2, "NKY": -1}, "USDJPY", "SPX", "NKY")
				step(t, m, 2) // the CTA takes its positions
				w := m.W
				w.Round = 0
				acc := cta.CallAccount()
				acc.Call, acc.Seized = call, seized
				acc.Req, acc.Posted = 1e8, 1e7 // short of margin: it must sell
				w.ResetOrders()
				if k == 0 {
					got[k] = cta.MeetCall(w)
				} else {
					got[k] = cta.MeetCallWritten(w)
				}
				for _, o := range w.Orders() {
					orders[k] = append(orders[k], float64(o.Asset), float64(o.Reason), o.Units)
				}
				cash[k], posted[k] = cta.Holder().Cash[0], acc.Posted
			}
			if got[0] != got[1] || cash[0] != cash[1] || posted[0] != posted[1] || len(orders[0]) != len(orders[1]) {
				t.Fatalf("call %v, seized %v: answered %v, cash %v, posted %v, orders %v; written: %v, %v, %v, %v",
					call, seized, got[0], cash[0], posted[0], orders[0], got[1], cash[1], posted[1], orders[1])
			}
			for j := range orders[0] {
				if math.Float64bits(orders[0][j]) != math.Float64bits(orders[1][j]) {
					t.Fatalf("call %v, seized %v: orders %v, written %v", call, seized, orders[0], orders[1])
				}
			}
			if got[0] {
				answered++
			}
			sent += len(orders[0]) / 3
		}
	}
	if answered != 3 || sent == 0 { // the NaN call and the two calls, not seized
		t.Errorf("%d calls answered, want 3, with %d orders", answered, sent)
	}
}
