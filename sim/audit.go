package sim

import (
	"fmt"
	"math"

	"github.com/cascade-sim/cascade/core"
)

// Audit checks the accounting identities of MODEL.md §1 and §7:
//   - units of every asset summed over all holders (agents, dealers, the
//     outside sector) are what they were at the start;
//   - money in every currency summed over all holders is unchanged;
//   - claims net to zero: client balances at each lender equal the lender's
//     record of them;
//   - every holder's equity carried by its P&L ledger (Book) equals assets
//     minus liabilities from its balance sheet.
//
// Each comparison is relative to the gross size of what is summed. Client
// balances and lenders' running totals of them are compared relative to the
// largest gross balance seen so far in the run: a running total keeps the
// rounding of every balance it ever carried, which outlives the balances
// (when the last client account in a currency is seized, say).
//
// The audit settles every holder to read its books and then puts the world
// back as it found it, so an audited run follows the same path, bit for bit,
// as the run without the audit (TestAuditLeavesRunUnchanged).
type Audit struct {
	Tol    float64
	units0 []float64
	cash0  core.Money
	snap   core.Snapshot
	// balSeen is the largest gross client balance per currency seen in
	// any check; debitSeen the same per lender for the balances owed to it.
	balSeen   core.Money
	debitSeen []core.Money
	// Checks counts the audits run.
	Checks int
}

// NewAudit records the model's starting totals and installs the audit so it
// runs after the exogenous move and after every clearing round.
func NewAudit(m *Model, tol float64) *Audit {
	a := &Audit{Tol: tol}
	a.units0, a.cash0 = totals(m.W)
	m.Audit = func(string) error { return a.Check(m.W) }
	return a
}

func totals(w *core.World) ([]float64, core.Money) {
	u := make([]float64, len(w.Assets))
	var c core.Money
	for _, h := range w.Holders {
		for k := range h.Accounts {
			for i, v := range h.Accounts[k].Units {
				u[i] += v
			}
		}
		for j := 0; j < w.NCur; j++ {
			c[j] += h.Cash[j]
		}
	}
	return u, c
}

// Check runs every identity once, on the world as settling it would leave
// it; the world itself is left unchanged.
func (a *Audit) Check(w *core.World) error {
	a.Checks++
	w.Save(&a.snap)
	defer w.Restore(&a.snap)
	w.SettleAll()
	units, cash := totals(w)
	gross := make([]float64, len(w.Assets))
	var grossCash, bal, clientBal, grossBal core.Money
	for _, h := range w.Holders {
		for k := range h.Accounts {
			acc := &h.Accounts[k]
			for i, v := range acc.Units {
				gross[i] += math.Abs(v)
			}
			for j := 0; j < w.NCur; j++ {
				bal[j] += acc.Bal[j]
				grossBal[j] += math.Abs(acc.Bal[j])
			}
		}
		for j := 0; j < w.NCur; j++ {
			grossCash[j] += math.Abs(h.Cash[j])
			clientBal[j] += h.ClientBal[j]
		}
	}
	for i := range units {
		if d := math.Abs(units[i] - a.units0[i]); a.off(d, math.Max(gross[i], 1)) {
			return fmt.Errorf("units of %s not conserved: %.17g, started %.17g", w.Assets[i].ID, units[i], a.units0[i])
		}
	}
	for j := 0; j < w.NCur; j++ {
		if d := math.Abs(cash[j] - a.cash0[j]); a.off(d, math.Max(grossCash[j], 1)) {
			return fmt.Errorf("%s cash not conserved: %.17g, started %.17g", w.Currencies[j], cash[j], a.cash0[j])
		}
		a.balSeen[j] = math.Max(a.balSeen[j], grossBal[j])
		if d := math.Abs(bal[j] - clientBal[j]); a.off(d, math.Max(a.balSeen[j], 1)) {
			return fmt.Errorf("%s claims do not net: client balances %.17g, lenders' record %.17g", w.Currencies[j], bal[j], clientBal[j])
		}
	}
	calls := 0
	for _, h := range w.Holders {
		calls += h.Calls
	}
	if calls != w.OpenCalls {
		return fmt.Errorf("%d open margin calls, running count %d", calls, w.OpenCalls)
	}
	for len(a.debitSeen) < len(w.Holders) {
		a.debitSeen = append(a.debitSeen, core.Money{})
	}
	for hi, h := range w.Holders {
		// A lender's running total of what its clients owe it.
		var debits, scale core.Money
		for _, r := range h.Clients {
			acc := w.Acct(r)
			for j := 0; j < w.NCur; j++ {
				scale[j] += math.Abs(acc.Bal[j])
				if v := acc.Bal[j]; v < 0 && !acc.Seized {
					debits[j] -= v
				}
			}
		}
		for j := 0; j < w.NCur; j++ {
			a.debitSeen[hi][j] = math.Max(a.debitSeen[hi][j], scale[j])
			if d := math.Abs(debits[j] - h.Debits[j]); a.off(d, math.Max(a.debitSeen[hi][j], 1)) {
				return fmt.Errorf("%s: %s lent to clients %.17g, running total %.17g", h.ID, w.Currencies[j], debits[j], h.Debits[j])
			}
		}
	}
	for _, h := range w.Holders {
		as, li := h.AssetsLiabilities(w)
		// Relative to the larger of today's balance sheet and the starting
		// equity: a wound-up fund keeps rounding residue of its former size.
		if d := math.Abs(h.Book - (as - li)); a.off(d, math.Max(math.Max(as+li, math.Abs(h.Book0)), 1)) {
			return fmt.Errorf("%s (%s): equity from ledger %.17g != assets %.17g - liabilities %.17g", h.ID, h.Kind, h.Book, as, li)
		}
	}
	return nil
}

// off reports whether a difference d breaks an identity at scale: beyond
// the tolerance, or not a number, or infinite (a NaN or an infinity in the
// books would otherwise pass every comparison).
func (a *Audit) off(d, scale float64) bool {
	return !(d <= a.Tol*scale) || math.IsInf(d, 0) || math.IsInf(scale, 0)
}
