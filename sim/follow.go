package sim

import (
	"fmt"
	"slices"
	"time"

	"github.com/cascade-sim/cascade/core"
)

// Following agents (report.follow): what each followed agent traded, held
// and owed tick by tick, and its summary.json entry follow.ID.
//
// The market tells the follower of every fill (market.Market.Fills): the
// fills of followed agents go into a per-tick accumulator, one cell per
// followed agent, account, asset and reason, sized at the build. At the end
// of each tick the cells that traded are flushed into the trades table, and
// the followed agents' accounts and positions are read into theirs. The
// tables' storage is sized from the horizon, so that following allocates
// nothing in the tick loop (the trades table grows only for a run whose
// agents trade, in some tick, more cells than they have accounts times
// assets). A run that follows nobody has no follower, and its market's
// Fills is nil.

// FollowSummary is one followed agent over the run (summary.json's
// follow.ID). Amounts are USD; sales and purchases are valued at their
// fill prices.
type FollowSummary struct {
	Kind string `json:"kind"`
	// StartEquity is its equity when the run began (as capital's start),
	// EndEquity at the last tick; PnL their difference and PnLPct it as a
	// percent of StartEquity (null unless StartEquity > 0).
	StartEquity Num `json:"start_equity"`
	EndEquity   Num `json:"end_equity"`
	PnL         Num `json:"pnl"`
	PnLPct      Num `json:"pnl_pct"`
	// MaxDrawdownPct is its equity's largest fall from a peak to a later
	// trough, percent of the peak; PeakTick and TroughTick are where (−1:
	// the start; both −1 when its equity never fell).
	MaxDrawdownPct Num `json:"max_drawdown_pct"`
	PeakTick       int `json:"peak_tick"`
	TroughTick     int `json:"trough_tick"`
	// MarginCalls counts the margin calls it received (one per broker
	// account and call), MarginCallUSD sums them.
	MarginCalls   int `json:"margin_calls"`
	MarginCallUSD Num `json:"margin_calls_usd"`
	// Defaulted says whether it defaulted, DefaultTick when (−1: never).
	Defaulted   bool `json:"defaulted"`
	DefaultTick int  `json:"default_tick"`
	// SoldUSD and BoughtUSD are what it sold and bought over the run, by
	// reason (the reasons it traded for).
	SoldUSD   map[string]Num `json:"sold_usd"`
	BoughtUSD map[string]Num `json:"bought_usd"`
}

// FollowTrades is the follow_trades table, column by column: one row per
// tick, followed agent, account, asset and reason with a fill, in that
// order. Units are the asset's (base currency units for FX); USD at the
// fill prices and the exchange rates before each round; Price is the
// average fill price (USD over units, in the asset's price unit) and Mark
// the average price before the fills' rounds, which the time series values
// flows at.
type FollowTrades struct {
	Tick                   []int64
	Time                   []time.Time
	Agent, Account, Asset  []string
	Reason                 []string
	UnitsBought, UnitsSold []float64
	USDBought, USDSold     []float64
	Price, Mark            []float64
}

// FollowAccounts is the follow_accounts table: one row per tick, followed
// agent and account. For an account at a broker not seized: the
// requirement, the margin posted (its value at the tick's prices, as
// agent_detail reads it) and the outstanding call; 0 for a custody
// account and a seized one. Value is the account's value at the tick's
// prices; Equity the agent's (agent_detail's equity), the same on each
// of its rows.
type FollowAccounts struct {
	Tick                          []int64
	Time                          []time.Time
	Agent, Account                []string
	MarginReq, MarginPosted, Call []float64
	Value, Seized, Equity         []float64
}

// FollowPositions is the follow_positions table: one row per tick,
// followed agent, account and asset held (units not zero); Value is the
// position's USD value (a future's notional, an FX position's base
// currency amount).
type FollowPositions struct {
	Tick                  []int64
	Time                  []time.Time
	Agent, Account, Asset []string
	Units, Value          []float64
}

// add appends one row: agent's holding in account of units of asset,
// worth value USD, at the tick's end.
func (p *FollowPositions) add(tick int, now time.Time, agent, account, asset string, units, value float64) {
	p.Tick = append(p.Tick, int64(tick))
	p.Time = append(p.Time, now)
	p.Agent = append(p.Agent, agent)
	p.Account = append(p.Account, account)
	p.Asset = append(p.Asset, asset)
	p.Units = append(p.Units, units)
	p.Value = append(p.Value, value)
}

// fillCell is one followed agent's fills in one account, asset and reason
// during the tick: units bought and sold, their USD, and Σ|q|·x and
// Σ|q|·pre for the average prices.
type fillCell struct{ ub, us, vb, vs, px, pre float64 }

// followed is one followed agent.
type followed struct {
	h      *core.Holder
	base   int      // its first cell
	accts  []string // its accounts' names, one per account at the build
	peak   float64  // equity's highest so far, and its tick (−1: start)
	peakT  int
	dd     float64 // the largest drawdown so far, fraction of its peak
	ddPeak int
	ddLow  int
	calls  int
	callV  float64
	defT   int
	sold   [core.NumReasons]float64
	bought [core.NumReasons]float64
}

type follower struct {
	w    *core.World
	peek *core.Peek
	ag   []followed
	slot []int32 // per holder index: its place in ag, or −1
	nA   int
	cell []fillCell
	hit  []int32 // the cells filled this tick (each once)
	// Lost counts fills in accounts opened after the build, which no
	// built-in agent opens: they are not in the tables.
	lost int

	trades    FollowTrades
	accounts  FollowAccounts
	positions FollowPositions
	// names of the assets and reasons, made once
	assets, reasons []string
	cash            []string // per currency: cash:CODE, a balance's row in positions
}

// newFollower makes the follower of the agents ids (known to be agents or
// prime brokers of m, as validation checks), and has the market tell it of
// fills. It returns nil when ids is empty.
func newFollower(m *Model, ids []string) (*follower, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	w := m.W
	f := &follower{w: w, peek: &m.peek, nA: len(w.Assets), slot: make([]int32, len(w.Holders))}
	for i := range f.slot {
		f.slot[i] = -1
	}
	byID := make(map[string]*core.Holder, len(w.Holders))
	for _, h := range w.Holders {
		byID[h.ID] = h
	}
	for _, a := range w.Assets {
		f.assets = append(f.assets, a.ID)
	}
	f.reasons = core.ReasonNames()
	for _, c := range w.Currencies[:w.NCur] {
		f.cash = append(f.cash, "cash:"+c)
	}
	cells, rows := 0, 0
	for _, id := range ids {
		h := byID[id]
		if h == nil || h.Kind == core.Outside || h.Kind == core.Dealer {
			return nil, fmt.Errorf("report.follow: no agent or prime broker %q in the world", id)
		}
		if f.slot[h.Index] >= 0 {
			continue // named twice: followed once
		}
		g := followed{h: h, base: cells, peakT: -1, ddPeak: -1, ddLow: -1, defT: -1, peak: h.Book0}
		seen := map[string]int{}
		for a := range h.Accounts {
			name := "custody"
			if l := h.Accounts[a].Lender; l != core.Custody {
				name = w.Holders[l].ID
			}
			seen[name]++
			if n := seen[name]; n > 1 {
				name = fmt.Sprintf("%s#%d", name, n)
			}
			g.accts = append(g.accts, name)
		}
		f.slot[h.Index] = int32(len(f.ag))
		f.ag = append(f.ag, g)
		cells += len(h.Accounts) * f.nA * int(core.NumReasons)
		rows += len(h.Accounts)
	}
	f.cell = make([]fillCell, cells)
	f.hit = make([]int32, 0, cells)
	ticks := m.Cfg.Ticks
	t := &f.trades
	n := ticks * rows * f.nA // one reason an account and asset, every tick: far more than funds trade
	t.Tick, t.Time = make([]int64, 0, n), make([]time.Time, 0, n)
	t.Agent, t.Account, t.Asset, t.Reason = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	for _, c := range []*[]float64{&t.UnitsBought, &t.UnitsSold, &t.USDBought, &t.USDSold, &t.Price, &t.Mark} {
		*c = make([]float64, 0, n)
	}
	a := &f.accounts
	n = ticks * rows
	a.Tick, a.Time = make([]int64, 0, n), make([]time.Time, 0, n)
	a.Agent, a.Account = make([]string, 0, n), make([]string, 0, n)
	for _, c := range []*[]float64{&a.MarginReq, &a.MarginPosted, &a.Call, &a.Value, &a.Seized, &a.Equity} {
		*c = make([]float64, 0, n)
	}
	p := &f.positions
	n = ticks * rows * (f.nA + w.NCur)
	p.Tick, p.Time = make([]int64, 0, n), make([]time.Time, 0, n)
	p.Agent, p.Account, p.Asset = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	p.Units, p.Value = make([]float64, 0, n), make([]float64, 0, n)
	m.M.Fills = f.fill
	return f, nil
}

// fill books one order the market filled at x (pre: the price before the
// round; fx: the exchange rates before it), if its holder is followed.
func (f *follower) fill(o *core.Order, x, pre float64, fx *core.Money) {
	j := f.slot[o.Holder]
	if j < 0 {
		return
	}
	g := &f.ag[j]
	if o.Acct >= len(g.accts) {
		f.lost++
		return
	}
	c := g.base + (o.Acct*f.nA+o.Asset)*int(core.NumReasons) + int(o.Reason)
	e := &f.cell[c]
	if *e == (fillCell{}) {
		f.hit = append(f.hit, int32(c))
	}
	q := o.Units
	if q < 0 {
		q = -q
	}
	usd := float64(float64(q*x) * fx[f.w.Assets[o.Asset].Currency])
	if o.Units > 0 {
		e.ub += q
		e.vb += usd
	} else {
		e.us += q
		e.vs += usd
	}
	e.px += float64(q * x)
	e.pre += float64(q * pre)
}

// observe flushes the tick's fills and reads the followed agents' accounts,
// positions, equity and events: at the end of the tick, once it is
// recorded.
func (f *follower) observe(tick int, now time.Time) {
	w := f.w
	slices.Sort(f.hit)
	t := &f.trades
	j := 0
	for _, c := range f.hit {
		for j+1 < len(f.ag) && int(c) >= f.ag[j+1].base {
			j++
		}
		g := &f.ag[j]
		k := int(c) - g.base
		r := k % int(core.NumReasons)
		k /= int(core.NumReasons)
		i, acct := k%f.nA, k/f.nA
		e := &f.cell[c]
		t.Tick = append(t.Tick, int64(tick))
		t.Time = append(t.Time, now)
		t.Agent = append(t.Agent, g.h.ID)
		t.Account = append(t.Account, g.accts[acct])
		t.Asset = append(t.Asset, f.assets[i])
		t.Reason = append(t.Reason, f.reasons[r])
		t.UnitsBought = append(t.UnitsBought, e.ub)
		t.UnitsSold = append(t.UnitsSold, e.us)
		t.USDBought = append(t.USDBought, e.vb)
		t.USDSold = append(t.USDSold, e.vs)
		units := e.ub + e.us
		t.Price = append(t.Price, e.px/units)
		t.Mark = append(t.Mark, e.pre/units)
		g.sold[r] += e.vs
		g.bought[r] += e.vb
		*e = fillCell{}
	}
	f.hit = f.hit[:0]
	w.PeekAll(f.peek)
	a, p := &f.accounts, &f.positions
	for j := range f.ag {
		g := &f.ag[j]
		h := g.h
		eq := f.peek.Book[h.Index]
		for k, name := range g.accts {
			acc := &h.Accounts[k]
			req, posted, call, seized := 0.0, 0.0, 0.0, 0.0
			value := w.AccountValue(h, acc)
			if acc.Seized {
				seized = 1
			} else if acc.Lender != core.Custody {
				req, posted, call = acc.Req, value, acc.Call
			}
			a.Tick = append(a.Tick, int64(tick))
			a.Time = append(a.Time, now)
			a.Agent = append(a.Agent, h.ID)
			a.Account = append(a.Account, name)
			a.MarginReq = append(a.MarginReq, req)
			a.MarginPosted = append(a.MarginPosted, posted)
			a.Call = append(a.Call, call)
			a.Value = append(a.Value, value)
			a.Seized = append(a.Seized, seized)
			a.Equity = append(a.Equity, eq)
			for i, u := range acc.Units[:f.nA] {
				if u == 0 {
					continue
				}
				p.add(tick, now, h.ID, name, f.assets[i], u, w.NotionalUSD(i, u))
			}
			// An FX position is held as currency balances (cash:JPY).
			for c := 0; c < w.NCur; c++ {
				if b := acc.Bal[c]; b != 0 {
					p.add(tick, now, h.ID, name, f.cash[c], b, b*w.FXUSD[c])
				}
			}
		}
		// The drawdown: the largest fall from a peak to a later trough.
		if eq > g.peak {
			g.peak, g.peakT = eq, tick
		} else if g.peak > 0 {
			if d := (g.peak - eq) / g.peak; d > g.dd {
				g.dd, g.ddPeak, g.ddLow = d, g.peakT, tick
			}
		}
	}
	evs := w.Events()
	for k := range evs {
		e := &evs[k]
		if e.Kind != core.EvMarginCall && e.Kind != core.EvDefault {
			continue
		}
		for j := range f.ag {
			g := &f.ag[j]
			if e.Agent != g.h.ID {
				continue
			}
			if e.Kind == core.EvMarginCall {
				g.calls++
				g.callV += e.Amount
			} else if g.defT < 0 {
				g.defT = tick
			}
		}
	}
}

// summary returns follow.ID of summary.json.
func (f *follower) summary() map[string]*FollowSummary {
	out := make(map[string]*FollowSummary, len(f.ag))
	for j := range f.ag {
		g := &f.ag[j]
		h := g.h
		start, end := h.Book0, f.peek.Book[h.Index]
		s := &FollowSummary{Kind: h.Kind.String(), StartEquity: Num(start), EndEquity: Num(end), PnL: Num(end - start), PnLPct: nan,
			MaxDrawdownPct: Num(100 * g.dd), PeakTick: g.ddPeak, TroughTick: g.ddLow, MarginCalls: g.calls, MarginCallUSD: Num(g.callV),
			Defaulted: h.Defaulted, DefaultTick: g.defT, SoldUSD: map[string]Num{}, BoughtUSD: map[string]Num{}}
		if start > 0 {
			s.PnLPct = Num(100 * (end/start - 1))
		}
		for r := range g.sold {
			if g.sold[r] != 0 {
				s.SoldUSD[f.reasons[r]] = Num(g.sold[r])
			}
			if g.bought[r] != 0 {
				s.BoughtUSD[f.reasons[r]] = Num(g.bought[r])
			}
		}
		out[h.ID] = s
	}
	return out
}

// Followed returns the tables of the agents the run follows
// (report.follow), nil when it follows none. The slices are the run's:
// read them after it, and do not change them.
func (m *Model) Followed() (*FollowTrades, *FollowAccounts, *FollowPositions) {
	if m.follow == nil {
		return nil, nil, nil
	}
	return &m.follow.trades, &m.follow.accounts, &m.follow.positions
}
