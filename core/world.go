package core

import (
	"math"
	"time"
)

// Channels switches each contagion link of the model on or off (MODEL.md
// thesis: "a researcher must be able to switch each link off").
type Channels struct {
	CrossMargin         bool // a fund's trades at one broker share an account and collateral (off: one segregated account per trade, each hedged trade still netted inside)
	OffsetDrop          bool // brokers drop the offsets under stress (off: keep netting)
	ProcyclicalHaircuts bool // haircuts rise with estimated volatility
	DealerConstraint    bool // market depth shrinks with dealer balance-sheet utilization
	BrokerCapital       bool // broker losses tighten every client's terms and its dealing capacity
	FundingFeedback     bool // repo spread and cross-currency basis widen with utilization
	ValuationLinks      bool // scenario links carry endogenous moves into other assets' fundamentals
	// Kinds: agents of a kind whose entry is false hold their positions and never
	// trade (a dealer, or a prime broker's dealing arm, then warehouses no flow).
	Kinds [NumAgentKinds]bool
}

// AllOn returns every channel and every agent kind switched on.
func AllOn() Channels {
	c := Channels{CrossMargin: true, OffsetDrop: true, ProcyclicalHaircuts: true, DealerConstraint: true, BrokerCapital: true, FundingFeedback: true, ValuationLinks: true}
	for i := range c.Kinds {
		c.Kinds[i] = true
	}
	return c
}

// AllOff returns every feedback channel off, valuation links included, and
// every agent passive: only each market's own exogenous moves remain. (The
// passive twin of amplification keeps the run's valuation links; see
// sim.PassiveMove.)
func AllOff() Channels { return Channels{} }

// World is the state every agent reads when it decides. Package sim owns it
// and package market moves its prices; agents must treat it as read-only
// except through Submit, the transfer helpers and their own balance sheets.
type World struct {
	Tick  int // tick number, from 0
	Round int // clearing round within the tick, from 0
	// OpenCalls is the number of accounts with an open margin call: the
	// sum of every holder's Calls, kept by the lenders that issue them.
	OpenCalls int

	Start   time.Time     // timestamp of tick 0
	TickLen time.Duration // span of one tick
	DT      float64       // one tick as a fraction of a year
	PerYear float64       // ticks per year
	PerDay  float64       // ticks per day

	Assets     []Asset
	Currencies []string // Currencies[0] is USD
	NCur       int
	FXPair     [MaxCurrencies]int // asset index of the exchange rate of currency c against USD (-1 for USD)

	Price []float64 // current price (moves every clearing round)
	// Exec is, per asset, the price at which the last clearing round that
	// traded it filled its orders (the market's execution convention): an
	// order's fill, where Price before the round was its mark.
	Exec []float64
	// Trading says whether each asset's market is open this tick (trading
	// sessions); orders for a closed market are not accepted.
	Trading []bool
	// DayTicks is, per asset, the number of ticks its market trades in one
	// of its trading days (PerDay for a market that never closes): rates
	// stated per day of trading (a share of daily volume, a share of
	// capital per day) are spread over these ticks.
	DayTicks []float64
	// Yields holds each bond's yield at the start of the tick (NaN for
	// other assets); Yield(i) gives it at the current price.
	Yields []float64
	Open   []float64 // price at the open of the tick
	Price0 []float64 // price at the start of the run
	FXUSD  Money     // USD value of one unit of each currency

	Policy    Money   // policy rate by currency, annual decimal
	Expected  Money   // policy rate the market expects a year ahead (guidance moves it)
	Spread    Money   // funding spread over policy for leveraged borrowers (USD: the repo spread)
	XCCYBasis float64 // JPY/USD cross-currency basis, annual decimal (negative: dollars dear)
	Facility  bool    // a central-bank repo facility caps funding stress
	// DealerUtil is the aggregate dealer balance-sheet utilization at the last close.
	DealerUtil float64

	Est      *Estimators
	Holders  []*Holder
	Channels Channels

	orders []Order
	events []Event
	// Rejected counts orders refused because their market was closed.
	Rejected int
	acc      accrual
}

// Now returns the timestamp of the current tick.
func (w *World) Now() time.Time { return w.Start.Add(time.Duration(w.Tick) * w.TickLen) }

// NAssets returns the number of assets.
func (w *World) NAssets() int { return len(w.Assets) }

// NotionalUSD returns the USD value of units of asset i at the current price
// (the notional for futures; the base-currency amount for FX).
func (w *World) NotionalUSD(i int, units float64) float64 {
	a := &w.Assets[i]
	if a.Kind == FX {
		return units * w.FXUSD[a.Base]
	}
	return units * w.Price[i] * w.FXUSD[a.Currency]
}

// UpdateYields fills Yields from the current prices.
func (w *World) UpdateYields() {
	for i := range w.Assets {
		if w.Assets[i].Kind == Bond {
			w.Yields[i] = w.Assets[i].YieldAt(w.Price[i])
		}
	}
}

// Yield returns the current yield of bond i (NaN for other assets).
func (w *World) Yield(i int) float64 { return w.Assets[i].YieldAt(w.Price[i]) }

// FundingRate returns the annual rate a leveraged borrower pays in currency c.
func (w *World) FundingRate(c int) float64 { return w.Policy[c] + w.Spread[c] }

// UpdateFX recomputes FXUSD from the exchange-rate prices.
func (w *World) UpdateFX() {
	w.FXUSD[USD] = 1
	for c := 1; c < w.NCur; c++ {
		i := w.FXPair[c]
		a := &w.Assets[i]
		if a.Base == USD { // e.g. USDJPY: quote per USD
			w.FXUSD[c] = 1 / w.Price[i]
		} else { // e.g. EURUSD: USD per EUR
			w.FXUSD[c] = w.Price[i]
		}
	}
}

// FXReturnSign returns +1 when a rise in the price of fx asset i makes
// currency c cheaper in USD (USDJPY for JPY), -1 when it makes it dearer
// (EURUSD for EUR) and 0 when the pair does not involve c.
func (w *World) FXReturnSign(i, c int) float64 {
	a := &w.Assets[i]
	switch {
	case a.Kind != FX:
		return 0
	case a.Base == USD && a.Currency == c:
		return 1
	case a.Currency == USD && a.Base == c:
		return -1
	}
	return 0
}

// Order is a market order for one asset, booked in one of the holder's accounts.
type Order struct {
	Holder int
	Acct   int
	Asset  int
	Units  float64 // signed: positive buys; for FX, units of the base currency bought
	Reason Reason
}

// Trades reports whether asset i's market trades in this tick (always, in a
// world without sessions).
func (w *World) Trades(i int) bool { return w.Trading == nil || w.Trading[i] }

// TradingDay returns the number of ticks asset i's market trades in one of
// its trading days (DayTicks; PerDay in a world without sessions).
func (w *World) TradingDay(i int) float64 {
	if w.DayTicks == nil {
		return w.PerDay
	}
	return w.DayTicks[i]
}

// Submit queues an order for the current clearing round. Orders of zero or
// non-finite size are dropped.
func (w *World) Submit(o Order) {
	if o.Units == 0 || math.IsNaN(o.Units) || math.IsInf(o.Units, 0) {
		return
	}
	if !w.Trades(o.Asset) {
		w.Rejected++
		return
	}
	w.orders = append(w.orders, o)
}

// Reserve sizes the order queue and the event log for a world of this many
// holders and assets, so that the tick loop does not grow them.
func (w *World) Reserve() {
	n := len(w.Holders) * (len(w.Assets) + 2)
	if cap(w.orders) < n {
		w.orders = make([]Order, 0, n)
	}
	if cap(w.events) < 4*len(w.Holders)+64 {
		w.events = make([]Event, 0, 4*len(w.Holders)+64)
	}
}

// Orders returns the orders queued in the current round.
func (w *World) Orders() []Order { return w.orders }

// ResetOrders empties the order queue, keeping its storage.
func (w *World) ResetOrders() { w.orders = w.orders[:0] }
