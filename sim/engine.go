package sim

import (
	"errors"
	"fmt"
	"math"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/core/dmath"
)

// maxVolScale caps how far the square-root law's volatility can rise above
// calm: without a cap, moves raise volatility, which raises impact, which
// raises moves, and nothing stops a thin market at zero.
const maxVolScale = 4

// Done reports whether the run has reached its horizon.
func (m *Model) Done() bool { return m.W.Tick >= m.Cfg.Ticks }

// built refuses a Model that Build did not make (a zero Model).
func (m *Model) built() error {
	if m == nil || m.W == nil || m.Cfg == nil {
		return errors.New("sim: the model was not built: make it with sim.Build")
	}
	return nil
}

// Step runs one tick (MODEL.md §5):
//  1. events and rates; rule-following policy reacts to the last close;
//  2. exogenous returns (noise and scripted shocks);
//  3. interest and carry accrue;
//  4. estimators update with the returns since their last update;
//  5. clearing rounds: brokers margin, agents decide (forced orders in
//     every round, discretionary ones in the first), the market clears and
//     settles, and clients with a due call still unmet or with a call and
//     no equity left are closed out; rounds go on while forced orders or
//     defaults keep coming, up to the cap;
//  6. dealers lay off inventory, funding rates follow utilization, and the
//     tick is recorded.
//
// It does not allocate in the steady state.
func (m *Model) Step() error {
	if m.W == nil || m.Done() {
		if err := m.built(); err != nil {
			return err
		}
		return fmt.Errorf("sim: the run is over (tick %d of %d): Step past the horizon", m.W.Tick, m.Cfg.Ticks)
	}
	w := m.W
	w.Round = 0
	w.ResetEvents()
	closed := false
	for i := range w.Trading {
		open := m.cal.open(i, m.Warm+w.Tick)
		w.Trading[i] = open
		closed = closed || !open
	}
	m.applyEvents()
	for _, p := range m.policies {
		p.Policy(w)
	}
	m.M.Open(w)
	m.noise.draw(m.x)
	copy(m.nz, m.x) // this tick's noise, which links leave out
	clear(m.sh)
	shock := m.shock
	x, sh, futuresOf := m.x[:len(shock)], m.sh[:len(shock)], m.futuresOf[:len(shock)] // locals: no bounds checks
	for i, s := range shock {
		x[i] += s
		// A shock to a bond reaches its futures too (one fundamental factor),
		// unless the scenario shocks the future itself (its own shock is
		// then its news): the bond's news, and each future's share of it,
		// is what a link between them leaves out (sh).
		if len(futuresOf[i]) > 0 {
			sh[i] = s
		}
		for _, f := range futuresOf[i] {
			if shock[f] == 0 {
				v := float64(w.Assets[f].Beta * s)
				x[f] += v
				sh[f] += v
			}
		}
	}
	clear(m.lx)
	if w.Channels.ValuationLinks {
		for _, l := range m.links {
			d := m.lastImp[l.driver]
			if l.family {
				d -= m.lastSh[l.driver]
			}
			v := float64(l.beta * d)
			m.x[l.asset] += v
			m.lx[l.asset] += v
		}
	}
	// Basis arbitrage (basis_half_life_days): while both markets trade, a
	// future's return closes a share of its log basis to its underlying at
	// the last close, less as the dealers' balance sheet fills (none left
	// at utilization 1). Kept with the links' part (lx): a valuation move,
	// no trade. A closed leg cannot be arbitraged: the term waits for both.
	if len(m.basisArbs) > 0 {
		room := 1 - w.DealerUtil
		if !(room > 0) { // NaN too
			room = 0
		}
		for _, b := range m.basisArbs {
			if room == 0 || !w.Trades(b.future) || !w.Trades(b.cash) {
				continue
			}
			basis := dmath.Log(float64(b.cf*w.Price[b.future]) / w.Price[b.cash])
			v := dmath.Expm1(-float64(b.share*room) * basis)
			m.x[b.future] += v
			m.lx[b.future] += v
		}
	}
	// Closed markets do not move: their news gaps in at the next open.
	// With every market open and nothing held back (no market was closed
	// at the last pass), the pass would change nothing, and is skipped
	// (TestGapPassShortcutExact).
	if closed || m.gapHeld || m.fullGapPass {
		for i, open := range w.Trading {
			if !open {
				m.gap[i] += m.x[i]
				m.gapNz[i] += m.nz[i]
				m.gapLx[i] += m.lx[i]
				m.gapSh[i] += m.sh[i]
				m.x[i], m.nz[i], m.lx[i], m.sh[i] = 0, 0, 0, 0
			} else if m.gap[i] != 0 || m.gapSh[i] != 0 {
				m.x[i] += m.gap[i]
				m.nz[i] += m.gapNz[i]
				m.lx[i] += m.gapLx[i]
				m.sh[i] += m.gapSh[i]
				m.gap[i], m.gapNz[i], m.gapLx[i], m.gapSh[i] = 0, 0, 0, 0
			}
		}
		m.gapHeld = closed
	}
	m.M.ApplyExogenous(w, m.x)
	w.UpdateYields()
	w.AdvanceAccrual()
	price := w.Price
	ret, mark := m.ret[:len(price)], m.mark[:len(price)] // locals of one length: no bounds checks
	for i, p := range price {
		ret[i] = p/mark[i] - 1
		mark[i] = p
	}
	w.Est.UpdateOpen(m.ret, w.Trading)
	if m.spreadVol != nil {
		m.spreadVol.Update(m.ret, w.Trading)
	}
	for i := range m.M.VolScale {
		if c := w.Est.Calm(i); c > 0 {
			m.M.VolScale[i] = volScale(m.impactVol(i) / c)
		}
	}
	if err := m.audit("exogenous"); err != nil {
		return err
	}
	for r := 0; r < m.maxRounds; r++ {
		w.Round = r
		w.ResetOrders()
		if r == 0 && len(m.pending) > 0 {
			// Scripted orders wait for their market to open.
			keep := m.pending[:0]
			for _, s := range m.pending {
				if !w.Trades(s.o.Asset) {
					keep = append(keep, s)
					continue
				}
				if s.value != 0 {
					s.o.Units = s.value / w.Price[s.o.Asset]
				}
				w.Submit(s.o)
			}
			m.pending = keep
		}
		for _, b := range m.Brokers {
			if !b.Holder().Passive {
				b.Margin(w)
			}
		}
		if len(m.holders) != len(m.Agents) {
			m.holders = m.holders[:0]
			for _, a := range m.Agents {
				m.holders = append(m.holders, a.Holder())
			}
		}
		holders := m.holders[:len(m.Agents)] // locals: the calls cannot change them
		for k, a := range m.Agents {
			if !holders[k].Passive {
				a.Decide(w)
			}
		}
		orders := w.Orders()
		forced := false
		for k := range orders {
			if orders[k].Reason.Forced() {
				forced = true
				break
			}
		}
		if len(orders) > 0 {
			m.M.Clear(w)
		}
		// With the round cleared and settled, calls are judged on its
		// marks (MODEL.md §5): a client whose call is due and still unmet,
		// or with a call and no equity left, is closed out now, and its
		// broker fire-sells the collateral in the next round. A round
		// without orders judges too.
		if m.defaults() {
			forced = true
		}
		if len(orders) > 0 || forced {
			if err := m.audit("round"); err != nil {
				return err
			}
		}
		if !forced {
			break
		}
	}
	m.M.Close(w)
	// What links carry of each asset's move this tick: all of it but its
	// own noise (which the calm correlation already spreads): the flows'
	// impact, the decay of earlier temporary impact, and the news of
	// scripted shocks.
	price = w.Price
	lastImp, lastClose := m.lastImp[:len(price)], m.lastClose[:len(price)]
	nz, sh, lastSh := m.nz[:len(price)], m.sh[:len(price)], m.lastSh[:len(price)]
	for i, p := range price {
		if !(p > 0 && p <= math.MaxFloat64) {
			return m.blownUp(i, p)
		}
		lastImp[i] = p/lastClose[i] - 1 - nz[i]
		lastSh[i] = sh[i]
		lastClose[i] = p
	}
	if err := m.audit("close"); err != nil {
		return err
	}
	m.rec.record(m)
	if m.follow != nil {
		m.follow.observe(w.Tick, w.Now())
	}
	w.Tick++
	return nil
}

// volScale clamps a volatility ratio to [1, maxVolScale]. It is
// math.Min(maxVolScale, math.Max(1, v)) to the bit (TestVolScaleIsMathMinMax):
// the builtins agree with package math when one argument is finite, and
// they compile to a few instructions where math.Min and math.Max are calls.
func volScale(v float64) float64 { return min(maxVolScale, max(1, v)) }

// impactVol returns the per-tick volatility estimate of asset i that the
// square-root law scales with (conventions.impact_vol).
func (m *Model) impactVol(i int) float64 {
	if m.spreadVol != nil {
		return m.spreadVol.Vol(i)
	}
	return m.liqVol.Vol(i)
}

// blownUp is the error of a run in which asset i's price left the positive
// finite numbers (p), its impact overflowing: the run stops there rather
// than record a market that no longer means anything, and says where to
// look.
func (m *Model) blownUp(i int, p float64) error {
	w := m.W
	return fmt.Errorf("tick %d (%s): %s's price is %v: the flows moved it beyond any number the model can hold; its depth (depth_scale, the asset's adv and impact) is likely far too small for them, or a scale (leverage_scale, noise.scale) far too large",
		w.Tick, w.Now().UTC().Format("2006-01-02 15:04 MST"), w.Assets[i].ID, p)
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

// defaults closes out, at the end of a round, clients whose margin calls
// are due and unmet on the round's marks, or who have a call and no equity
// left. It reports whether any default happened.
func (m *Model) defaults() bool {
	w := m.W
	any := false
	if !w.Channels.Kinds[core.PrimeBroker] || w.OpenCalls == 0 {
		return false // a client without a call is not short of margin, let alone insolvent
	}
	for _, h := range m.clients {
		if h.Defaulted || h.Passive {
			continue
		}
		if h.Calls == 0 { // a client without a call is not short of margin, let alone insolvent
			continue
		}
		if k := agents.Overdue(w, h, m.Brokers); k >= 0 {
			agents.Default(w, h, m.Brokers, core.Notef("margin call at %s unmet", core.StrArg(w.Holders[h.Accounts[k].Lender].ID)))
			any = true
		} else if w.NAV(h) <= 0 {
			agents.Default(w, h, m.Brokers, core.Notef("insolvent"))
			any = true
		}
	}
	return any
}
