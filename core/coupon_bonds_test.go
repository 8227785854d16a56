package core

import (
	"math"
	"testing"
)

// TestCouponBondsOnlyExact: the accrual passes over the bonds alone
// (accrual.bonds). Along richWorld's path, settling the client
// every other tick and the broker every third, the world's coupon indices
// are bit for bit the sum over every asset that a pass over all of them
// accrues (0 for the rest), and after each settlement a holder's coupon0
// is the whole index, as a copy of it would leave it: settle copies the
// bonds' entries alone (the others are 0 in both), and this fails when it
// leaves a bond out.
func TestCouponBondsOnlyExact(t *testing.T) {
	w, client, broker, _ := richWorld(t)
	if len(w.acc.bonds) != 2 {
		t.Fatalf("bonds %v, want UST10Y and JGB10Y", w.acc.bonds)
	}
	want := append([]float64(nil), w.acc.coupon...)
	tick := 0
	check := func(stage string, h *Holder) {
		t.Helper()
		for i := range want {
			if math.Float64bits(w.acc.coupon[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%s: coupon index of %s %v, want %v", stage, w.Assets[i].ID, w.acc.coupon[i], want[i])
			}
			if h != nil && math.Float64bits(h.lz.coupon0[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%s: %s's coupon0 of %s %v, want %v", stage, h.ID, w.Assets[i].ID, h.lz.coupon0[i], want[i])
			}
		}
	}
	richPath(w, 30, func() {
		tick++
		for i := range w.Assets { // the reference: a pass over every asset
			if w.Assets[i].Kind == Bond {
				want[i] += float64(w.Price[i] * w.Yields[i] * w.DT)
			}
		}
		check("accrued", nil)
		if tick%2 == 0 {
			w.Settle(client)
			check("client settled", client)
		}
		if tick%3 == 0 {
			w.Settle(broker)
			check("broker settled", broker)
		}
	})
	if want[aUST] == 0 || want[aJGB] == 0 {
		t.Fatalf("no coupon accrued: %v", want)
	}
}
