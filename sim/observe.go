package sim

import (
	"math"
	"time"

	"github.com/cascade-sim/cascade/core"
)

// Observer receives everything a run reports (MODEL.md §6) as it happens.
// The engine knows no file formats: package output's writers and the
// summary Collector are observers.
type Observer interface {
	// Begin is called once the model is built, before the first tick.
	Begin(m *Model) error
	// Observe is called after every tick. The frame and its slices are
	// reused: copy what must outlive the call.
	Observe(f *Frame) error
	// End is called after the last tick. A run that stops early (its
	// context done, or an error from the engine or an observer) returns
	// that error without calling End: an observer holding resources
	// releases them when Run returns an error.
	End(m *Model) error
}

// KindStats aggregates one agent kind at a tick, USD.
type KindStats struct {
	Agents       int
	Equity       float64 // sum of equity
	Gross        float64 // sum of gross exposure (positions and net currency holdings)
	MarginReq    float64 // margin required at prime brokers
	MarginPosted float64 // margin posted: the value of prime-broker accounts at the tick's prices
	Defaulted    int
}

// Leverage returns gross exposure over equity (NaN without equity).
func (k *KindStats) Leverage() float64 {
	if k.Equity <= 0 {
		return math.NaN()
	}
	return k.Gross / k.Equity
}

// BrokerStats is one prime broker's state at the end of a tick.
type BrokerStats struct {
	ID string
	// Util is its balance sheet's utilization at its last margin run of
	// the tick: client financing plus seized and dealing inventory over
	// capital times lev_limit (stress_util reads it).
	Util float64
	// Stressed is set while it margins some accounts gross: a risk factor
	// in its book broke (volatility, jump or correlation test) or Util is
	// past stress_util. Offsets are dropped if offset_drop is on.
	Stressed bool
	// HaircutMultiple is its haircuts over the scenario's, averaged over
	// the risk factors its clients hold (agents.PrimeBroker.HaircutMultiple).
	HaircutMultiple float64
	// MarginReq and MarginCall sum its clients' accounts it has not
	// seized: the requirement as last computed, and the calls outstanding.
	MarginReq, MarginCall float64
	// Equity is its capital: its NAV, as the frame's Books read it.
	Equity float64
}

// DealerStats is one dealer's state at the end of a tick, as the market
// left it at the close (market.Dealer).
type DealerStats struct {
	ID string
	// Util is its utilization: gross exposure (inventory, seized
	// collateral and weighted client financing) over capacity, capital
	// times its lev_limit plus what a facility adds. +Inf once it has no
	// capital left.
	Util float64
	// Depth is its depth factor g(u): 1 up to its u_star, falling
	// linearly to its floor at full utilization. It weighs the dealer's
	// share of flow only with the dealer_constraint channel on.
	Depth float64
}

// Frame is the state of one tick as observers see it.
type Frame struct {
	Model *Model
	Tick  int
	// Time is the tick's start, its label in every output (World.Now); the
	// prices are those at its end, Time plus the tick's length: the frame
	// whose prices are a 16:00 close is the one whose Time is 15:00 in
	// hourly ticks.
	Time time.Time

	Price  []float64 // close price per asset
	Yield  []float64 // bonds: yield (decimal); NaN for other assets
	Return []float64 // close-to-close return per asset
	Exo    []float64 // exogenous part of this tick's return (noise, shocks and valuation links)
	Link   []float64 // the valuation links' part of Exo, with a future's basis arbitrage (basis_half_life_days)
	Impact []float64 // price impact of this tick's flows

	VIX        float64 // VIX proxy, points
	MeanCorr   float64 // mean off-diagonal rolling correlation of the report set (NaN until the window has 3 returns; under correlation_rows: trading, while no pair has 3 returns that count)
	RepoSpread float64 // USD repo spread over policy
	Funding    core.Money
	XCCYBasis  float64
	Facility   bool
	DealerUtil float64
	Depth      float64 // market depth factor from dealer constraints (1: unconstrained)
	Rounds     int

	// Flows of the tick, USD: sold and bought by agent kind and reason, sold by asset.
	Sold, Bought *[core.NumAgentKinds][core.NumReasons]float64
	SoldAsset    []float64
	// SoldKindAsset and BoughtKindAsset: USD sold and bought per agent
	// kind × asset (kind k, asset i at k*n+i), valued as Sold and Bought.
	SoldKindAsset, BoughtKindAsset []float64
	// Attribution of this tick's impact return: per asset × kind and asset × reason.
	AttrKind, AttrReason []float64
	// Traded lists the assets that orders cleared in this tick, each once;
	// TradedKinds and TradedReasons have bit k set when an order of agent
	// kind k, or for reason k, cleared. Every entry of SoldAsset,
	// SoldKindAsset, BoughtKindAsset, AttrKind, AttrReason, Sold and Bought
	// off these lists is zero: observers may skip them.
	Traded                     []int
	TradedKinds, TradedReasons uint32

	Events        []core.Event
	MarginCalls   int     // calls issued this tick
	MarginCallUSD float64 // their total size
	Defaults      int     // defaults so far

	kinds       [core.NumAgentKinds]KindStats
	kindsDone   bool
	brokers     []BrokerStats
	brokersDone bool
	dealers     []DealerStats
	peekDone    bool
	expo        []float64
}

// Books returns every holder's equity and deposits as of the end of the
// tick, indexed by holder (computed on first use). Observers read equity
// here, never by settling: settling would change the run they watch.
func (f *Frame) Books() *core.Peek {
	if !f.peekDone {
		f.Model.W.PeekAll(&f.Model.peek)
		f.peekDone = true
	}
	return &f.Model.peek
}

// Kinds returns the per-kind aggregates of the tick (computed on first use).
func (f *Frame) Kinds() *[core.NumAgentKinds]KindStats {
	if f.kindsDone {
		return &f.kinds
	}
	w := f.Model.W
	book := f.Books().Book
	f.kinds = [core.NumAgentKinds]KindStats{}
	for _, h := range w.Holders {
		k := &f.kinds[h.Kind]
		k.Agents++
		if h.Defaulted {
			k.Defaulted++
		}
		k.Equity += book[h.Index]
		for a := range h.Accounts {
			acc := &h.Accounts[a]
			w.Exposure(acc, f.expo)
			for _, v := range f.expo {
				k.Gross += math.Abs(v)
			}
			if acc.Lender != core.Custody && !acc.Seized {
				k.MarginReq += acc.Req
				k.MarginPosted += w.AccountValue(h, acc) // at this tick's prices: acc.Posted is as of the broker's last mark
			}
		}
	}
	f.kindsDone = true
	return &f.kinds
}

// Brokers returns the state of each prime broker at the end of the tick,
// in the scenario's order (computed on first use).
func (f *Frame) Brokers() []BrokerStats {
	if f.brokersDone {
		return f.brokers
	}
	book := f.Books().Book
	for k, b := range f.Model.Brokers {
		s := &f.brokers[k]
		s.Util, s.Stressed, s.HaircutMultiple = b.Util, b.Stressed, b.HaircutMultiple()
		s.MarginReq, s.MarginCall = b.ClientMargin()
		s.Equity = book[b.Holder().Index]
	}
	f.brokersDone = true
	return f.brokers
}

// Dealers returns the state of each dealer at the end of the tick, in the
// market's order: the prime brokers' dealing arms in the scenario's order
// of brokers, then the standalone dealers in theirs.
func (f *Frame) Dealers() []DealerStats {
	for k := range f.Model.M.Dealers {
		d := &f.Model.M.Dealers[k]
		f.dealers[k].Util, f.dealers[k].Depth = d.Util, d.G
	}
	return f.dealers
}

// RepoCapped reports whether a central-bank facility held the USD repo
// spread at its cap at the tick's close: the facility was on and the
// spread the dealers' utilization priced was above the cap
// (market.Funding.Capped).
func (f *Frame) RepoCapped() bool { return f.Model.M.Funding.Capped(f.Model.W) }

// FuturesBasis returns future i's basis to its underlying at the tick's
// close, in basis points of the underlying's price: 1e4·(CF·F/P − 1),
// F and P the closes of the future and its underlying and CF = P0/F0 the
// ratio of their starting prices (the scenario's price: entries), the
// conversion factor that makes the basis 0 at the start. Positive when
// the future is rich to the cash bond: cash sold faster than futures were
// bought back, which loses a long basis trade (long cash, short futures)
// money. NaN for an asset that is not a future.
func (f *Frame) FuturesBasis(i int) float64 {
	w := f.Model.W
	a := &w.Assets[i]
	u := a.Underlying
	if u < 0 {
		return math.NaN()
	}
	return 1e4 * (f.Price[i]*w.Assets[u].Price0/(a.Price0*f.Price[u]) - 1)
}

// Unwound returns, per trade kind, the share of hedge funds' initial main-leg
// notional that has been closed (0 before any unwinding; re-entries count
// back in, each trade at most up to its initial size, so a re-entry larger
// than the trade it re-opens cannot offset another trade's unwinding or
// make the share negative). A trade whose account a broker has seized
// counts as unwound: its positions have left the fund, to be sold by the
// broker.
func (m *Model) Unwound() [core.NumTradeKinds]float64 {
	var init, now [core.NumTradeKinds]float64
	for _, f := range m.Funds {
		accts := f.Holder().Accounts
		for _, t := range f.Trades() {
			init[t.Kind] += t.Notional0
			if t.Units0 != 0 && !accts[t.Acct].Seized {
				now[t.Kind] += float64(t.Notional0 * min(1, max(0, t.Units/t.Units0)))
			}
		}
	}
	var out [core.NumTradeKinds]float64
	for k := range out {
		if init[k] > 0 {
			out[k] = 1 - now[k]/init[k]
		}
	}
	return out
}

// UnwoundLongs splits Unwound's share of the equity trade kind, the hedge
// funds' directional longs on margin, by the kind of the asset each
// holds: an equity index, a Treasury (bond), gold (commodity), bitcoin
// (crypto). held marks the asset kinds some such trade holds. Read at
// the end of a run (the summary), not every tick.
func (m *Model) UnwoundLongs() (out [core.NumAssetKinds]float64, held [core.NumAssetKinds]bool) {
	var init, now [core.NumAssetKinds]float64
	for _, f := range m.Funds {
		accts := f.Holder().Accounts
		for _, t := range f.Trades() {
			if t.Kind != core.EquityTrade || t.Asset() < 0 {
				continue
			}
			k := m.W.Assets[t.Asset()].Kind
			held[k] = true
			init[k] += t.Notional0
			if t.Units0 != 0 && !accts[t.Acct].Seized {
				now[k] += float64(t.Notional0 * min(1, max(0, t.Units/t.Units0)))
			}
		}
	}
	for k := range out {
		if init[k] > 0 {
			out[k] = 1 - now[k]/init[k]
		}
	}
	return out, held
}
