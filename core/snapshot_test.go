package core

import (
	"reflect"
	"testing"
)

// TestSnapshotRestores: saving, settling every holder and restoring leaves
// every holder exactly as it was, although settling changed the books, and
// a second cycle through the same Snapshot (its buffers reused) does too.
func TestSnapshotRestores(t *testing.T) {
	w, client, _, _ := richWorld(t)
	richPath(w, 6, nil) // prices moved and interest accrued: nobody settled
	want := deepHolders(w)
	var s Snapshot
	for cycle := 0; cycle < 2; cycle++ {
		w.Save(&s)
		w.SettleAll()
		if reflect.DeepEqual(deepHolders(w), want) {
			t.Fatal("settling changed nothing: the test does not exercise Restore")
		}
		w.Restore(&s)
		if got := deepHolders(w); !reflect.DeepEqual(got, want) {
			for i := range got {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("cycle %d: %s not restored:\n got %+v\nwant %+v", cycle, w.Holders[i].ID, got[i], want[i])
				}
			}
		}
	}
	// The holders kept their own storage: an account's position slice is
	// the one it had before.
	before := &client.Accounts[0].Units[0]
	w.Save(&s)
	w.SettleAll()
	w.Restore(&s)
	if &client.Accounts[0].Units[0] != before {
		t.Error("Restore replaced an account's position slice instead of copying into it")
	}
}

// deepHolders copies every holder, its accounts and their slices.
func deepHolders(w *World) []Holder {
	out := make([]Holder, len(w.Holders))
	for i, h := range w.Holders {
		c := *h
		c.Accounts = make([]Account, len(h.Accounts))
		for k, a := range h.Accounts {
			a.Units = append([]float64(nil), a.Units...)
			a.Held = append([]int(nil), a.Held...)
			c.Accounts[k] = a
		}
		c.lz.markP = append([]float64(nil), h.lz.markP...)
		c.lz.coupon0 = append([]float64(nil), h.lz.coupon0...)
		c.Clients = append([]AcctRef(nil), h.Clients...)
		out[i] = c
	}
	return out
}
