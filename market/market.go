package market

import (
	"fmt"
	"math"

	"github.com/cascade-sim/cascade/core"
)

// Execution selects the price at which a clearing round's orders fill.
type Execution uint8

// Execution prices.
const (
	ExecMid  Execution = iota // midpoint of the prices before and after the round's impact (default)
	ExecPre                   // the price before the round's impact
	ExecPost                  // the price after the round's impact
)

var execNames = []string{"mid", "pre", "post"}

func (e Execution) String() string {
	if int(e) < len(execNames) {
		return execNames[e]
	}
	return fmt.Sprintf("Execution(%d)", uint8(e))
}

// ParseExecution is the inverse of Execution.String.
func ParseExecution(s string) (Execution, error) {
	for i, n := range execNames {
		if n == s {
			return Execution(i), nil
		}
	}
	return 0, fmt.Errorf("unknown execution price %q (want mid, pre or post)", s)
}

// FlowUnit selects what the linear and exponential impact functions count.
type FlowUnit uint8

// Flow units.
const (
	FlowUnits FlowUnit = iota // units traded
	FlowValue                 // local-currency value traded, at the price before the round
)

var flowNames = []string{"units", "value"}

func (f FlowUnit) String() string {
	if int(f) < len(flowNames) {
		return flowNames[f]
	}
	return fmt.Sprintf("FlowUnit(%d)", uint8(f))
}

// ParseFlowUnit is the inverse of FlowUnit.String.
func ParseFlowUnit(s string) (FlowUnit, error) {
	for i, n := range flowNames {
		if n == s {
			return FlowUnit(i), nil
		}
	}
	return 0, fmt.Errorf("unknown flow unit %q (want units or value)", s)
}

// Conventions are the bookkeeping switches of clearing (MODEL.md §3).
type Conventions struct {
	Execution  Execution
	Flow       FlowUnit
	Sequential bool // clear each order on its own, in order, instead of netting the round
}

// Market holds the price state of every asset and clears orders.
type Market struct {
	Conv    Conventions
	Liq     []Liquidity
	Dealers []Dealer
	Funding Funding

	n  int
	px []price // price state and clearing scratch, per asset
	// Depth is the aggregate dealer depth factor g applied to every impact
	// function (1 with the dealer constraint off).
	Depth float64
	// VolScale is each asset's volatility over its calm level, as the
	// square-root law wants today's σ (set by the engine every tick; 1: calm).
	VolScale []float64

	// Per-tick reports, reset at Open.
	Impact        []float64                                    // impact return of the tick so far, per asset
	AttrKind      []float64                                    // impact return per asset × agent kind
	AttrReason    []float64                                    // impact return per asset × reason
	Sold          [core.NumAgentKinds][core.NumReasons]float64 // USD sold
	Bought        [core.NumAgentKinds][core.NumReasons]float64 // USD bought
	SoldAsset     []float64                                    // USD sold per asset (gross of buys)
	SoldKindAsset []float64                                    // USD sold per agent kind × asset (kind k, asset i at k*n+i)
	// BoughtKindAsset is SoldKindAsset's twin for buy orders: USD bought
	// per agent kind × asset, each fill valued as the sales are.
	BoughtKindAsset []float64
	// HolderSold, when set (sim sets it in a world with banks; nil: not
	// followed), is what each holder has sold since, USD, by holder index,
	// each fill valued as Sold: summary.json's sales by bank. Never reset.
	HolderSold []float64
	// Fills, when set (sim sets it in a run that follows agents,
	// report.follow), is told of every order the market fills: the order,
	// its execution price x, the asset's price before the round and the
	// exchange rates before the round. Nil costs one test a round.
	Fills  func(o *core.Order, x, pre float64, fx *core.Money)
	Rounds int // clearing rounds run this tick
	// Traded lists the assets that orders cleared in this tick, each once;
	// Kinds and Reasons have bit k set when an order of agent kind k, or
	// for reason k, cleared. Every entry of AttrKind, AttrReason, SoldAsset,
	// SoldKindAsset, BoughtKindAsset, Sold and Bought off these lists is
	// zero: observers skip them.
	Traded         []int
	Kinds, Reasons uint32

	// scratch
	net, pre, exec []float64
	dI             []float64
	has            []bool
	traded         []bool    // whether an asset is in Traded
	take           []float64 // each dealer's weight in absorbing the round's flow
	lay            []float64 // what a dealer passes of each asset at the close
	absorbed       []int     // the assets whose net flow the market's side takes this round
	qd             []float64 // what the market's side takes of each of them: minus the net flow
	apart          bool      // every dealer has a balance sheet of its own
	oldFX          core.Money
}

// price is the price state of one asset, kept together so that a pass
// over the assets walks one array.
type price struct {
	fund, temp, flow         float64
	openFund, openTemp, open float64
	exo, impP, impT          float64
	decT, decX               float64
	gapDec                   float64 // decay of temporary impact pending while the market is closed
}

// New returns a market for the world's assets. liq has one entry per asset.
func New(w *core.World, liq []Liquidity, conv Conventions, dealers []Dealer, f Funding) (*Market, error) {
	n := len(w.Assets)
	if len(liq) != n {
		return nil, fmt.Errorf("market: %d liquidity specs for %d assets", len(liq), n)
	}
	for i := range liq {
		if err := liq[i].Validate(); err != nil {
			return nil, fmt.Errorf("market: asset %s: %w", w.Assets[i].ID, err)
		}
	}
	m := &Market{Conv: conv, Liq: liq, Dealers: dealers, Funding: f, n: n, Depth: 1}
	mk := func() []float64 { return make([]float64, n) }
	m.px = make([]price, n)
	m.Impact, m.SoldAsset = mk(), mk()
	m.SoldKindAsset = make([]float64, n*int(core.NumAgentKinds))
	m.BoughtKindAsset = make([]float64, n*int(core.NumAgentKinds))
	m.AttrKind = make([]float64, n*int(core.NumAgentKinds))
	m.AttrReason = make([]float64, n*int(core.NumReasons))
	m.net, m.pre, m.exec = mk(), mk(), mk()
	w.Exec = m.exec
	m.dI = mk()
	m.VolScale = mk()
	for i := range m.VolScale {
		m.VolScale[i] = 1
	}
	m.has = make([]bool, n)
	m.take = make([]float64, len(dealers))
	m.lay, m.qd = mk(), mk()
	m.absorbed = make([]int, 0, n)
	m.apart = true
	for d := range dealers {
		for e := range d {
			m.apart = m.apart && dealers[e].Holder != dealers[d].Holder
		}
	}
	m.Traded, m.traded = make([]int, 0, n), make([]bool, n)

	for i := range liq {
		s := &m.px[i]
		s.fund = w.Price[i]
		// Until the first Open, the current prices are the open: a round
		// cleared before it starts from them rather than from zero.
		s.openFund, s.open = w.Price[i], w.Price[i]
		s.decT = decay(liq[i].HalfLife)
		s.decX = decay(liq[i].FlowHalfLife)
		s.gapDec = 1
	}
	for d := range m.Dealers {
		if err := m.Dealers[d].init(w); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Fundamental returns the permanent part of asset i's price.
func (m *Market) Fundamental(i int) float64 { return m.px[i].fund }

// Temporary returns the temporary displacement of asset i's price (price units).
func (m *Market) Temporary(i int) float64 { return m.px[i].temp }

// Exogenous returns asset i's exogenous return in the current tick.
func (m *Market) Exogenous(i int) float64 { return m.px[i].exo }

// Open starts a tick: temporary impact and flow memory decay, the open
// prices are fixed and the per-tick reports are reset. Balance sheets are
// marked by ApplyExogenous, which must follow, once for both moves.
func (m *Market) Open(w *core.World) {
	trading := w.Trading
	px := m.px
	open, price := w.Open[:len(px)], w.Price[:len(px)] // locals of one length: no bounds checks
	for i := range px {
		s := &px[i]
		s.flow *= s.decX
		if trading != nil && !trading[i] {
			// A closed market does not move: its temporary impact decays
			// in calendar time but shows at the next open, as a gap.
			s.gapDec *= s.decT
		} else {
			s.temp *= s.decT * s.gapDec
			s.gapDec = 1
		}
		s.openFund = s.fund
		s.openTemp = s.temp
		p := s.fund + s.temp
		s.open = p
		open[i] = p
		if p != price[i] {
			price[i] = p
		}
		s.exo, s.impP, s.impT = 0, 0, 0
	}
	m.resetReports()
	m.Rounds = 0
	w.UpdateFX()
	w.PricesMoved()
}

// resetReports zeroes the per-tick reports. Only the entries of the assets
// in Traded and of the kinds in Kinds can be nonzero (clear writes no
// other), so only those are cleared: the reports end all zero, as a clear
// of every entry leaves them (TestResetReportsClearsAll), and a tick in
// which nothing traded costs nothing here.
func (m *Market) resetReports() {
	const nk, nr = int(core.NumAgentKinds), int(core.NumReasons)
	n := m.n
	for _, i := range m.Traded {
		m.traded[i] = false
		m.Impact[i], m.SoldAsset[i] = 0, 0
		*(*[nk]float64)(m.AttrKind[i*nk:]) = [nk]float64{}
		*(*[nr]float64)(m.AttrReason[i*nr:]) = [nr]float64{}
	}
	for k := 0; k < nk; k++ {
		if m.Kinds&(1<<k) == 0 {
			continue
		}
		m.Sold[k], m.Bought[k] = [nr]float64{}, [nr]float64{}
		sold, bought := m.SoldKindAsset[k*n:k*n+n], m.BoughtKindAsset[k*n:k*n+n]
		for _, i := range m.Traded {
			sold[i], bought[i] = 0, 0
		}
	}
	m.Traded, m.Kinds, m.Reasons = m.Traded[:0], 0, 0
}

// ApplyExogenous adds the returns x (one per asset: noise and scripted
// shocks) to this tick's exogenous move, moves prices and marks every
// balance sheet from the previous close (so the decay of temporary impact
// at the open is marked too).
func (m *Market) ApplyExogenous(w *core.World, x []float64) {
	px := m.px
	x, price := x[:len(px)], w.Price[:len(px)]
	for i, xi := range x {
		if xi == 0 {
			continue
		}
		s := &px[i]
		s.exo += xi
		price[i] = s.price()
	}
	w.UpdateFX()
	w.PricesMoved()
}

// price recomputes the asset's fundamental and temporary parts from the
// open and this tick's returns, and returns its price.
func (s *price) price() float64 {
	f := float64(s.openFund * (1 + s.exo + s.impP))
	if lo := float64(1e-6 * s.openFund); f < lo {
		f = lo
	}
	s.fund = f
	s.temp = s.openTemp + float64(s.open*s.impT)
	p := f + s.temp
	if lo := float64(1e-6 * s.open); p < lo {
		p = lo
		s.temp = p - f
	}
	return p
}

// Clear runs one clearing round on the world's queued orders: net flow moves
// prices, every order fills at the round's execution price, dealers (or the
// outside sector) take the other side, and every balance sheet is marked to
// the new prices. It reports whether any order was cleared.
func (m *Market) Clear(w *core.World) bool {
	orders := w.Orders()
	if len(orders) == 0 {
		return false
	}
	m.Rounds++
	if m.Conv.Sequential {
		for k := range orders {
			m.clear(w, orders[k:k+1])
		}
	} else {
		m.clear(w, orders)
	}
	return true
}

func (m *Market) clear(w *core.World, orders []core.Order) {
	// Everyone who trades is settled at the prices before the round: fills
	// book their P&L against these marks, and later settlements revalue
	// the new positions from them.
	for k := range orders {
		w.Settle(w.Holders[orders[k].Holder])
	}
	w.Settle(w.Holders[0])
	for k := range m.Dealers {
		w.Settle(w.Holders[m.Dealers[k].Holder])
	}
	copy(m.pre, w.Price)
	m.oldFX = w.FXUSD
	// Locals of one length: the loops that do not call out check no
	// bounds and reload nothing.
	n := m.n
	net, dImp, has := m.net[:n], m.dI[:n], m.has[:n]
	for i := range net {
		net[i], dImp[i] = 0, 0
		has[i] = false
	}
	for k := range orders {
		o := &orders[k]
		net[o.Asset] += o.Units
		has[o.Asset] = true
	}
	// Impact and execution prices.
	absorbed := m.absorbed[:0] // the assets whose net flow the market's side takes, in order
	qd := m.qd[:n]             // and what it takes of each
	for i := range has {
		if !has[i] {
			continue
		}
		if !m.traded[i] {
			m.traded[i] = true
			m.Traded = append(m.Traded, i)
		}
		pre := m.pre[i]
		q := net[i]
		dI := 0.0
		if q != 0 {
			absorbed = append(absorbed, i)
			qd[i] = -q
			qf := m.flowOf(w, i, q)
			l := &m.Liq[i]
			s := &m.px[i]
			dI = l.Phi(s.flow+qf, m.Depth, m.VolScale[i]) - l.Phi(s.flow, m.Depth, m.VolScale[i])
			s.flow += qf
			s.impP += float64(l.Permanent * dI)
			s.impT += float64((1 - l.Permanent) * dI)
			m.Impact[i] += dI
			w.Price[i] = s.price()
		}
		post := w.Price[i]
		switch m.Conv.Execution {
		case ExecPre:
			m.exec[i] = pre
		case ExecPost:
			m.exec[i] = post
		default:
			m.exec[i] = 0.5 * (pre + post)
		}
		dImp[i] = dI
	}
	// Attribution of the round's impact to the flows that caused it.
	holders, attrKind, attrReason := w.Holders, m.AttrKind, m.AttrReason
	for k := range orders {
		o := &orders[k]
		i := o.Asset
		if q := net[i]; q != 0 && dImp[i] != 0 {
			s := dImp[i] * o.Units / q
			attrKind[i*int(core.NumAgentKinds)+int(holders[o.Holder].Kind)] += s
			attrReason[i*int(core.NumReasons)+int(o.Reason)] += s
		}
	}
	// Settlement: each order against the market at the execution price ...
	for k := range orders {
		o := &orders[k]
		h := w.Holders[o.Holder]
		w.Fill(h, o.Acct, o.Asset, o.Units, m.exec[o.Asset], m.pre[o.Asset], &m.oldFX)
		// Sales and purchases are valued at the price and exchange rate
		// before the round, every order of the round at the same one: what
		// the round's orders net to in an asset is the value of what the
		// market's side (dealers, or the outside sector) took.
		usd := float64(math.Abs(o.Units) * notionalAt(w, o.Asset, m.pre[o.Asset], m.oldFX))
		m.Kinds |= 1 << h.Kind
		m.Reasons |= 1 << o.Reason
		if o.Units < 0 {
			m.Sold[h.Kind][o.Reason] += usd
			m.SoldAsset[o.Asset] += usd
			m.SoldKindAsset[int(h.Kind)*m.n+o.Asset] += usd
			if o.Holder < len(m.HolderSold) {
				m.HolderSold[o.Holder] += usd
			}
		} else {
			m.Bought[h.Kind][o.Reason] += usd
			m.BoughtKindAsset[int(h.Kind)*m.n+o.Asset] += usd
		}
	}
	if m.Fills != nil {
		for k := range orders {
			o := &orders[k]
			m.Fills(o, m.exec[o.Asset], m.pre[o.Asset], &m.oldFX)
		}
	}
	// ... and the market's side onto the dealers' balance sheets.
	m.absorbed = absorbed
	tot := m.takes(w)
	if tot > 0 && m.apart {
		m.absorbEach(w, tot)
	} else {
		exec, pre := m.exec[:n], m.pre[:n]
		for i, q := range net {
			if has[i] && q != 0 {
				m.absorb(w, i, -q, exec[i], pre[i], tot)
			}
		}
	}
	w.UpdateFX()
	w.PricesMoved()
}

// flowOf converts q units of asset i into the flow unit of its impact function.
func (m *Market) flowOf(w *core.World, i int, q float64) float64 {
	if m.Liq[i].Impact == SquareRoot {
		return q * notionalAt(w, i, m.pre[i], m.oldFX)
	}
	if m.Conv.Flow == FlowValue {
		return q * m.pre[i]
	}
	return q
}

// notionalAt is the USD value of one unit of asset i at price p and rates fx.
func notionalAt(w *core.World, i int, p float64, fx core.Money) float64 {
	a := &w.Assets[i]
	if a.Kind == core.FX {
		return fx[a.Base]
	}
	return p * fx[a.Currency]
}
