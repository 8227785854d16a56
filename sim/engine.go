package sim

import (
	"fmt"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
)

// Done reports whether the run has reached its horizon.
func (m *Model) Done() bool { return m.W.Tick >= m.Cfg.Ticks }

// Step runs one tick (MODEL.md §5):
//  1. events and rates;
//  2. exogenous returns (noise and scripted shocks);
//  3. interest and carry accrue;
//  4. estimators update with the returns since their last update;
//  5. clearing rounds: brokers margin, agents decide (forced orders in
//     every round, discretionary ones in the first), the market clears,
//     overdue calls default; rounds go on while forced orders keep coming,
//     up to the cap;
//  6. dealers lay off inventory, funding rates follow utilization, and the
//     tick is recorded.
//
// It does not allocate in the steady state.
func (m *Model) Step() error {
	w := m.W
	w.Round = 0
	w.ResetEvents()
	m.applyEvents()
	m.M.Open(w)
	m.noise.draw(m.x)
	for i, s := range m.shock {
		m.x[i] += s
	}
	m.M.ApplyExogenous(w, m.x)
	m.accrue()
	for i, p := range w.Price {
		m.ret[i] = p/m.mark[i] - 1
		m.mark[i] = p
	}
	w.Est.Update(m.ret)
	if err := m.audit("exogenous"); err != nil {
		return err
	}
	for r := 0; r < m.maxRounds; r++ {
		w.Round = r
		w.ResetOrders()
		if r == 0 && len(m.pending) > 0 {
			for _, o := range m.pending {
				w.Submit(o)
			}
			m.pending = m.pending[:0]
		}
		for _, b := range m.Brokers {
			if !b.Holder().Passive {
				b.Margin(w)
			}
		}
		for _, a := range m.Agents {
			if !a.Holder().Passive {
				a.Decide(w)
			}
		}
		orders := w.Orders()
		if len(orders) == 0 {
			break
		}
		forced := false
		for k := range orders {
			if orders[k].Reason.Forced() {
				forced = true
				break
			}
		}
		m.M.Clear(w)
		if m.defaults() {
			forced = true
		}
		if err := m.audit("round"); err != nil {
			return err
		}
		if !forced {
			break
		}
	}
	m.M.Close(w)
	if err := m.audit("close"); err != nil {
		return err
	}
	m.rec.record(m)
	w.Tick++
	return nil
}

func (m *Model) audit(stage string) error {
	if m.Audit == nil {
		return nil
	}
	if err := m.Audit(stage); err != nil {
		return fmt.Errorf("tick %d round %d (%s): %w", m.W.Tick, m.W.Round, stage, err)
	}
	return nil
}

// defaults closes out clients whose margin calls are overdue or whose
// equity is gone. It reports whether any default happened.
func (m *Model) defaults() bool {
	w := m.W
	any := false
	if !w.Channels.Kinds[core.PrimeBroker] {
		return false
	}
	for _, h := range m.clients {
		if h.Defaulted || h.Passive {
			continue
		}
		if k := agents.Overdue(w, h); k >= 0 {
			agents.Default(w, h, m.Brokers, fmt.Sprintf("margin call at %s unmet", w.Holders[h.Accounts[k].Lender].ID))
			any = true
		} else if h.Book <= 0 {
			agents.Default(w, h, m.Brokers, "insolvent")
			any = true
		}
	}
	return any
}

// accrue books one tick of interest and coupons. Deposits earn the policy
// rate and overdrafts pay the funding rate (policy plus spread), against the
// outside sector; balances at a prime broker accrue the same rates against
// the broker; bonds pay their yield, from the outside sector.
func (m *Model) accrue() {
	w := m.W
	out := w.Holders[0]
	dt := w.DT
	var outCash core.Money
	for _, h := range w.Holders[1:] {
		book := 0.0
		for c := 0; c < w.NCur; c++ {
			v := h.Cash[c]
			if v == 0 {
				continue
			}
			r := w.Policy[c]
			if v < 0 {
				r += w.Spread[c]
			}
			i := v * r * dt
			h.Cash[c] += i
			outCash[c] -= i
			book += i * w.FXUSD[c]
		}
		for k := 1; k < len(h.Accounts); k++ {
			acc := &h.Accounts[k]
			for _, i := range acc.Held {
				a := &w.Assets[i]
				if a.Kind != core.Bond {
					continue
				}
				cp := acc.Units[i] * w.Price[i] * a.YieldAt(w.Price[i]) * dt
				if acc.Lender == core.Custody {
					h.Cash[a.Currency] += cp
				} else {
					w.Credit(h, k, a.Currency, cp)
				}
				outCash[a.Currency] -= cp
				book += cp * w.FXUSD[a.Currency]
			}
			if acc.Lender == core.Custody {
				continue
			}
			l := w.Holders[acc.Lender]
			for c := 0; c < w.NCur; c++ {
				v := acc.Bal[c]
				if v == 0 {
					continue
				}
				r := w.Policy[c]
				if v < 0 {
					r += w.Spread[c]
				}
				i := v * r * dt
				acc.Bal[c] += i
				l.ClientBal[c] += i
				u := i * w.FXUSD[c]
				book += u
				l.Book -= u
				l.PnL[core.PnLInterest] -= u
			}
		}
		// Custody bonds (account 0).
		acc := &h.Accounts[0]
		for _, i := range acc.Held {
			a := &w.Assets[i]
			if a.Kind != core.Bond {
				continue
			}
			cp := acc.Units[i] * w.Price[i] * a.YieldAt(w.Price[i]) * dt
			h.Cash[a.Currency] += cp
			outCash[a.Currency] -= cp
			book += cp * w.FXUSD[a.Currency]
		}
		h.Book += book
		h.PnL[core.PnLInterest] += book
	}
	// Brokers' interest to clients came out of their books above; money the
	// outside sector paid or received lands on its balance sheet here.
	for c := 0; c < w.NCur; c++ {
		out.Cash[c] += outCash[c]
	}
	// The outside sector's book moves by what it paid or received in money.
	ob := 0.0
	for c := 0; c < w.NCur; c++ {
		ob += outCash[c] * w.FXUSD[c]
	}
	out.Book += ob
	out.PnL[core.PnLInterest] += ob
}
