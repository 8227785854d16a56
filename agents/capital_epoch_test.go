package agents_test

import (
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// TestCapitalEpochAfterRecovery: a capital-loss epoch starts when the
// broker's Book falls 0.5% below its level at the last epoch, the level
// its haircuts were last set at, not below the lowest Book it has ever had.
// The broker (capital 1e11, θ = 3) writes off 10%, wins 8% back, which the
// next daily epoch prices (haircuts ×1.06), then loses 2% more within the
// day: its haircuts must follow at once (×1.12), although the Book is
// still above its old low of 0.9.
func TestCapitalEpochAfterRecovery(t *testing.T) {
	cfg := spxFund()
	cfg.Brokers[0].Tighten = 3
	m, a := build(t, cfg)
	w, pb := m.W, m.Brokers[0]
	out := w.Holders[0]
	step(t, m, 1)
	acc := &holder(t, m, "fund").Accounts[1]
	w.Pay(pb.Holder(), 0, out, 0, core.USD, 1e10, core.PnLCredit) // −10%
	step(t, m, 1)
	w.Pay(out, 0, pb.Holder(), 0, core.USD, 8e9, core.PnLCredit) // back to −2%
	step(t, m, 24)                                               // a daily epoch prices the recovery
	l0 := pb.CapitalLoss()
	if l0 < 0.0195 || l0 > 0.02 {
		t.Fatalf("capital loss %v after the recovery, want 0.02 less a day's interest", l0)
	}
	req := acc.Req
	w.Pay(pb.Holder(), 0, out, 0, core.USD, 2e9, core.PnLCredit) // −4%
	step(t, m, 1)
	l := pb.CapitalLoss()
	want := req * (1 + 3*l) / (1 + 3*l0)
	if !rel(acc.Req, want, 1e-3) {
		t.Errorf("requirement %.6g an hour after a 2%% loss (capital loss now %.4f), want %.6g: haircuts ×%.4f, not ×1.06",
			acc.Req, l, want, 1+3*l)
	}
	checkAudit(t, a, w, "capital epoch")
}
