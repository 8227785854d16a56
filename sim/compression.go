package sim

import (
	"math"
	"slices"

	"github.com/cascade-sim/cascade/core"
)

// Compression is the stress stored in the system at one moment (the seeds'
// "compression"), from the leveraged sector: hedge funds, CTAs, risk-parity
// and volatility-control funds.
//
//	Leverage L  = Σ gross exposure / Σ equity
//	Crowding C  = Σ_assets |Σ_agents exposure| / Σ_assets Σ_agents |exposure|
//	              (1: every leveraged agent on the same side of every asset)
//	Buffer   B  = (free cash, every currency + margin accounts' value above requirement
//	              + active dealers' spare capacity) / Σ gross exposure
//	Index       = L · C · B₀ / B, with B₀ = 0.1
//
// The index is 1 for a sector levered once, fully crowded, with a 10%
// liquidity buffer; it grows with leverage twice over (more exposure and a
// thinner buffer per unit of it).
type Compression struct {
	Leverage Num `json:"leverage"`
	Crowding Num `json:"crowding"`
	Buffer   Num `json:"buffer"`
	Index    Num `json:"index"`
}

// leveredKinds are the levered sector's kinds, which the index measures.
var leveredKinds = [...]core.AgentKind{core.HedgeFund, core.CTA, core.RiskParity, core.VolControl}

func levered(k core.AgentKind) bool { return slices.Contains(leveredKinds[:], k) }

// anyLevered reports whether the world holds an agent of the levered
// sector, the kinds leverage_scale acts on.
func (m *Model) anyLevered() bool {
	return slices.ContainsFunc(m.W.Holders, func(h *core.Holder) bool { return levered(h.Kind) })
}

// freeCash is holder h's free cash in the buffer: its deposits in every
// currency at the tick's values, with the interest accrued since it last
// settled, as the last PeekAll saw them (not less than 0).
func (m *Model) freeCash(h *core.Holder) float64 { return max(0, m.peek.CashUSD[h.Index]) }

// Compression measures the index on the current state.
func (m *Model) Compression() Compression {
	w := m.W
	w.PeekAll(&m.peek) // read, never settle: measuring must not change the run
	book := m.peek.Book
	n := len(w.Assets)
	net, gross, e, agent := m.compBuf[:n], m.compBuf[n:2*n], m.compBuf[2*n:3*n], m.compBuf[3*n:4*n]
	clear(net)
	clear(gross)
	eq, buf := 0.0, 0.0
	for _, h := range w.Holders {
		if !levered(h.Kind) || h.Defaulted {
			continue
		}
		eq += max(book[h.Index], 0)
		buf += m.freeCash(h)
		// The agent's exposure over all its accounts: how a book is split
		// between brokers (or margined across trades or not) does not
		// change what the agent holds.
		clear(agent)
		for k := range h.Accounts {
			acc := &h.Accounts[k]
			w.Exposure(acc, e)
			for i, v := range e {
				agent[i] += v
			}
			if acc.Lender != core.Custody {
				// The account's value at this tick's prices, not the
				// broker's last mark, which can lag (as margin_posted).
				buf += max(0, w.AccountValue(h, acc)-acc.Req)
			}
		}
		for i, v := range agent {
			net[i] += v
			gross[i] += math.Abs(v)
		}
	}
	for k := range m.M.Dealers {
		d := &m.M.Dealers[k]
		if w.Holders[d.Holder].Passive {
			continue // a passive dealer takes no flow: it has no capacity to offer
		}
		// The capacity the market's depth rests on (as of the last close).
		buf += max(0, d.Capacity()-d.Exposure(w))
	}
	g, a := 0.0, 0.0
	for i := range net {
		g += gross[i]
		a += math.Abs(net[i])
	}
	var c Compression
	if g <= 0 {
		// No levered exposure: leverage, crowding and the index are
		// undefined (null), not zero.
		nan := Num(math.NaN())
		return Compression{Leverage: nan, Crowding: nan, Buffer: nan, Index: nan}
	}
	c.Crowding = Num(a / g)
	c.Buffer = Num(buf / g)
	if eq <= 0 {
		// Exposure with no equity behind it: leverage is unbounded, and so
		// is the stress stored ("inf" in JSON, ∞ in the printed summary).
		c.Leverage, c.Index = Num(math.Inf(1)), Num(math.Inf(1))
		return c
	}
	c.Leverage = Num(g / eq)
	if buf > 0 {
		c.Index = Num((g / eq) * (a / g) * 0.1 / (buf / g))
	} else {
		c.Index = Num(math.Inf(1))
	}
	return c
}
