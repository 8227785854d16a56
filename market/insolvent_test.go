package market

import (
	"math"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestInsolventDealerTakesNoFlow: a dealer whose equity is gone has no
// capacity to warehouse anything, so from the close that finds it insolvent
// it takes no share of the flow: the solvent dealer takes it all, and with
// no solvent dealer left the outside sector does. It still counts in the
// market's depth at its floor (its share of depth does not come back).
func TestInsolventDealerTakesNoFlow(t *testing.T) {
	w, m, buyer, d1, d2 := twoDealers(t, 1)
	// Dealer 2 loses all its capital and more.
	w.Pay(d2, 0, w.Holders[0], 0, core.USD, 1.2e7, core.PnLCredit)
	m.Close(w)
	if !math.IsInf(m.Dealers[1].Util, 1) {
		t.Fatalf("dealer 2 not insolvent: util %v", m.Dealers[1].Util)
	}
	// Depth: (1·1 + 1·0.2)/2.
	if math.Abs(m.Depth-0.6) > 1e-12 {
		t.Errorf("Depth %v, want 0.6", m.Depth)
	}
	b1, b2 := d1.Accounts[0].Units[aEQ], d2.Accounts[0].Units[aEQ]
	w.ResetOrders()
	w.Submit(core.Order{Holder: buyer.Index, Asset: aEQ, Units: 100})
	w.Submit(core.Order{Holder: buyer.Index, Asset: aUSDJPY, Units: 1000})
	m.Clear(w)
	if got1, got2 := d1.Accounts[0].Units[aEQ]-b1, d2.Accounts[0].Units[aEQ]-b2; got1 != -100 || got2 != 0 {
		t.Errorf("the dealers took %v and %v, want −100 and 0 (dealer 2 is insolvent)", got1, got2)
	}
	if inv := m.Dealers[1].inv[aUSDJPY]; inv != 0 {
		t.Errorf("insolvent dealer 2 took FX inventory %v", inv)
	}
	// Both insolvent: the outside sector takes the flow.
	w.Pay(d1, 0, w.Holders[0], 0, core.USD, 1.2e7, core.PnLCredit)
	m.Close(w)
	o := w.Holders[0].Accounts[0].Units[aEQ]
	w.ResetOrders()
	w.Submit(core.Order{Holder: buyer.Index, Asset: aEQ, Units: 10})
	m.Clear(w)
	if got := w.Holders[0].Accounts[0].Units[aEQ] - o; got != -10 {
		t.Errorf("with every dealer insolvent the outside sector took %v, want −10", got)
	}
}
