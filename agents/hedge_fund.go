package agents

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cascade-sim/cascade/core"
)

// TradeSpec is one of a hedge fund's trades, held at a named prime broker.
type TradeSpec struct {
	// Kind is the trade: carry (borrow the funding currency, sell it for
	// USD, hold a USD asset or deposits), basis (cash bond bought on repo,
	// future sold against it) or equity (an asset bought on a margin loan).
	Kind string `yaml:"kind" json:"kind"`
	// Broker is the ID of the prime broker that finances and margins the
	// trade; a fund's trades at one broker share one account unless
	// cross_margin is off: the channel, the broker's field or the fund's.
	Broker string `yaml:"broker" json:"broker"`
	// Leverage is the USD notional of the trade's main leg per unit of fund
	// equity (a 20× basis trade on a 10% slice of capital is leverage 2),
	// times leverage_scale.
	Leverage float64 `yaml:"leverage" json:"leverage"`
	// Asset: carry, the funded USD asset bought ("" or "cash": USD
	// deposits); basis, the cash bond; equity, the funded, tradable asset
	// bought (e.g. an index).
	Asset string `yaml:"asset,omitempty" json:"asset,omitempty"`
	// Future is the basis trade's short leg: a future on the trade's bond
	// (required for basis).
	Future string `yaml:"future,omitempty" json:"future,omitempty"`
	// HedgeRatio: futures notional per unit of cash-bond notional (basis;
	// default 1, and 0 is refused).
	HedgeRatio float64 `yaml:"hedge_ratio,omitempty" json:"hedge_ratio,omitempty"`
	// Funding is the currency borrowed: carry, the funding currency, not USD
	// (default JPY); equity, the currency of the margin loan (default the
	// asset's; a currency other than the asset's needs one of the two to be
	// USD).
	Funding string `yaml:"funding,omitempty" json:"funding,omitempty"`
	// StopLoss closes the trade once it has lost this share of the fund's
	// equity at entry (0: no stop).
	StopLoss float64 `yaml:"stop_loss,omitempty" json:"stop_loss,omitempty"`
}

// HedgeFundSpec configures a hedge fund (MODEL.md §4).
type HedgeFundSpec struct {
	// ID names the fund; it must be unique among all ids (a population's
	// members get ID-001, ID-002, ...).
	ID string `yaml:"id" json:"id"`
	// Equity is the fund's capital at the start, USD, held as cash from
	// which each trade's initial margin is posted.
	Equity float64 `yaml:"equity" json:"equity"`
	// Trades are the fund's positions, each at a prime broker (at least one).
	Trades []TradeSpec `yaml:"trades" json:"trades"`
	// Liquidation rule for margin calls: most_liquid_first (default: trades
	// at the broker sold in order of their main asset's adv), pro_rata, or
	// none (meet calls from free cash only and leave the rest to the
	// broker, which closes the account out once the call is overdue: how
	// retail margin accounts end).
	Liquidation string `yaml:"liquidation,omitempty" json:"liquidation,omitempty"`
	// CarryExit closes carry trades when expected carry over annualized FX
	// volatility falls below it (0: never). Heterogeneous thresholds across a
	// population make the coordination game of MODEL.md §4.
	CarryExit float64 `yaml:"carry_exit,omitempty" json:"carry_exit,omitempty"`
	// Reentry re-opens a closed trade once carry-to-vol reaches
	// CarryExit·Reentry (carry; with no CarryExit, once carry is not negative) or
	// the main asset's volatility is back under
	// Reentry times calm (others), and ReentryDays have passed (0: never).
	Reentry float64 `yaml:"reentry,omitempty" json:"reentry,omitempty"`
	// ReentryDays is how long a closed trade waits, in days, before it may
	// re-open (default 0: as soon as reentry's condition holds).
	ReentryDays float64 `yaml:"reentry_days,omitempty" json:"reentry_days,omitempty"`
	// HalfLifeDays of the fund's own volatility estimate, which carry exits
	// and re-entry read (default 5; 0 is refused).
	HalfLifeDays float64 `yaml:"half_life_days,omitempty" json:"half_life_days,omitempty"`
	// MarginBuffer: after a call, sell until margin posted exceeds the
	// requirement by this share (default 0.1; 0 is refused).
	MarginBuffer float64 `yaml:"margin_buffer,omitempty" json:"margin_buffer,omitempty"`
	// Cushion: initial margin posted as a multiple of the requirement
	// (default 1.5; 0 is refused); once a day, margin above it goes back to
	// free cash.
	Cushion float64 `yaml:"cushion,omitempty" json:"cushion,omitempty"`
	// DeriskDrawdown: once the fund's equity has fallen this share from its
	// high-water mark, its risk managers cut every trade by DeriskCut
	// (default 0.25) and the mark resets to the equity then, so each
	// further drawdown of the same size cuts again (in [0, 1); 0: never).
	// How losses in one book become sales in every other (multi-strategy
	// de-grossing).
	DeriskDrawdown float64 `yaml:"derisk_drawdown,omitempty" json:"derisk_drawdown,omitempty"`
	// DeriskCut is the share of every trade a derisk_drawdown cut closes,
	// in (0, 1] (default 0.25; 0 is refused).
	DeriskCut float64 `yaml:"derisk_cut,omitempty" json:"derisk_cut,omitempty"`
	// DeriskKinds limits the cuts to these trade kinds (default all):
	// relative-value books run on their own risk budgets.
	DeriskKinds []string `yaml:"derisk_kinds,omitempty" json:"derisk_kinds,omitempty"`
	// ReviewHours: the fund's risk rules (stop-losses, carry exits,
	// de-risking, re-entry) are checked every ReviewHours, at ReviewHour
	// (UTC) and every ReviewHours after it; 0 checks them every tick.
	// Margin calls are met as they come. Closing a trade, once decided,
	// goes on every tick.
	ReviewHours float64 `yaml:"review_hours,omitempty" json:"review_hours,omitempty"`
	// ReviewHour is the hour of the day (UTC, in [0, 24)) the reviews every
	// review_hours fall on (default 0: midnight); refused when review_hours
	// is 0, which reviews every tick.
	ReviewHour float64 `yaml:"review_hour,omitempty" json:"review_hour,omitempty"`
	// Participation: the most the fund trades of an asset in a trading day
	// (spread over the ticks its market trades), as a share of the asset's
	// average daily volume (default 0.2; 0 is refused:
	// the fund could never trade). Unwinds and re-entries too large for it
	// take several ticks; a margin call the fund cannot meet in time
	// becomes a default.
	Participation float64 `yaml:"participation,omitempty" json:"participation,omitempty"`
	// CrossMargin: false keeps each of the fund's trades in a segregated
	// account of its own at every broker, as the cross_margin channel off
	// does for every fund (default true: trades at one broker share one
	// account, unless the broker's cross_margin is false). The channel off
	// wins over true.
	CrossMargin *bool `yaml:"cross_margin,omitempty" json:"cross_margin,omitempty"`
}

// CrossMargins reports whether the fund lets its trades at one broker share
// an account: CrossMargin unset or true.
func (s *HedgeFundSpec) CrossMargins() bool { return s.CrossMargin == nil || *s.CrossMargin }

// Trade is a hedge fund's position in one trade.
type Trade struct {
	// Hot fields first: the fund checks these every tick.
	Active                    bool
	closing                   core.Reason // being closed by rule over several ticks (0: not)
	Kind                      core.TradeKind
	asset, fut, pair, fundCur int
	Units                     float64 // main-leg units now
	FutUnit                   float64 // basis: futures units (negative: short)
	Loan                      float64 // amount of the funding currency borrowed, as of loanIdx (see loan)
	loanIdx                   float64 // the funding index when Loan was last set
	pAsset, pFut, fxFund      float64 // entry marks, USD per unit (fxFund: USD per unit of the funding currency)
	stopLoss                  float64 // Spec.StopLoss
	cutTo                     float64 // de-risking: main-leg units to cut down to (NaN: no cut under way)
	entryNAV                  float64
	signal                    *carrySignal // carry-to-vol; every carry trade has one, no other trade
	// The stop-loss box (see stopFar): while set, the stop cannot
	// trigger as long as the price inputs of PnL stay within [lo, hi]:
	// A, the asset's USD notional per unit; F, the future's; X, USD per
	// unit of the funding currency. Every change to the trade's legs or
	// entry marks clears it.
	boxed                        bool
	loA, hiA, loF, hiF, loX, hiX float64

	Spec TradeSpec
	// label names the trade in its events (trade_exit, trade_entry): its
	// kind, asset and funding currency ("carry cash funded in CHF"), and
	// exitNote the format of its carry exits' note, made at build so that
	// logging an event allocates nothing.
	label, exitNote string
	Broker          *PrimeBroker
	Acct            int
	Units0          float64 // main-leg units at the start (the unwound share is measured against it)
	Notional0       float64 // USD notional of the main leg at the start
	// Leverage0 is the leverage the trade was opened at, Notional0 per
	// unit of the fund's equity: Spec.Leverage times leverage_scale, times
	// the share the fund's positions were scaled to when its initial
	// margin did not fit its equity. (A re-entry re-opens at Spec.Leverage
	// times leverage_scale.)
	Leverage0 float64
	lev       float64
	liquidity float64
	exitTick  int
	// realized is the P&L of the shares already unwound since (re-)entry,
	// marked when each was unwound: the stop-loss counts it with the open
	// P&L, so a partial sale does not forget its loss.
	realized float64
	// cur is the trade's currency other than USD (its loan's, or its
	// asset's), or -1. Once the trade is closed, residual is set while a
	// balance in cur may be left in its account (a loan bought back at a
	// price that impact moved from the mark), and exitWhy is the reason it
	// was closed for, which the residual's conversion is attributed to.
	cur      int
	residual bool
	exitWhy  core.Reason
	// build is the USD notional a re-entry still has to put on (0: none):
	// a re-opened trade is built up over as many ticks as the fund's
	// participation limit needs, posting buildMargin of margin per USD of
	// notional as each slice is bought. waiting is set while a re-entry
	// cleared at a review has not put its first slice on (a leg's market
	// shut, or the day's limit used up).
	build, buildMargin float64
	waiting            bool
	// enrolled is set while the trade is enrolled in its carry signal's
	// group test (see carrySignal.enroll), with the box (eLoA to eHiX) and
	// the exit threshold (eExit) it was enrolled with.
	enrolled                      bool
	eLoA, eHiA, eLoX, eHiX, eExit float64
}

// HedgeFund runs carry, basis and equity trades at its prime brokers.
type HedgeFund struct {
	h     *core.Holder
	Spec  HedgeFundSpec
	Trade []*Trade

	est                    *core.EWMA
	cap                    []float64 // USD the fund may still trade per asset this tick
	cap0                   []float64 // the limit per asset and tick: participation·ADV over the ticks of a trading day
	capTick                int
	day                    int
	hwm                    float64 // equity high-water mark for de-risking
	reviewEvery, reviewOff int     // ticks between reviews of the risk rules (≤ 1: every tick), and the first
	noDerisk               [core.NumTradeKinds]bool
	deriskNote             string // the format of a drawdown cut's note (deriskFormat)
	proRata                bool
	noSales                bool // liquidation none
	buffer                 float64
	cushion                float64
	reentryTk              float64
	e, eT                  []float64
	order                  []*Trade
	stops                  []*Trade // trades with a stop-loss
	carries                []*Trade // carry trades
	watched                []*Trade // trades with a stop-loss or carry exit: stops and carries
	closed                 int      // trades fully closed (re-entry candidates)
	building               int      // re-opened trades still being built up (build > 0)
	residuals              int      // closed trades whose account may hold a residual balance in their currency
	nextSweep              int
	env                    *Env // until Init
	// The quiet test's plan (see Decide), made after every round that
	// applied the rules in full, which is where the fund's state changes:
	// plain is set when nothing but prices and shared signals can keep a
	// first round from being quiet, and qStops and qCarries are what to
	// look at then.
	plain    bool
	qStops   []*Trade // active trades with a stop-loss, each with its box set
	qCarries []*Trade // active carry trades, whose signals to look at (CarryExit set)
	// qGroup is set when every active trade the quiet test looks at is a
	// carry trade enrolled in this signal's group test, which can then
	// answer for all of them (see carrySignal.quiet); else it is noGroup,
	// never nil.
	qGroup *carrySignal

	// AlwaysFull makes every round apply the rules in full and every
	// stop-loss check compute the trade's P&L (tests check that the
	// shortcuts change nothing). Quiet counts the first rounds found to
	// have nothing to do (see Decide) by the fund's own test, GroupQuiet
	// those its carry signal's group test answered, FarStops the stop-loss
	// checks of the other rounds that a box answered, SweepRounds the
	// first rounds found to have nothing to do but the day's sweep. Set
	// AlwaysFull before the run.
	AlwaysFull  bool
	Quiet       int
	GroupQuiet  int
	FarStops    int
	SweepRounds int
}

// Holder returns the fund's balance sheet.
func (f *HedgeFund) Holder() *core.Holder { return f.h }

// Trades returns the fund's trades.
func (f *HedgeFund) Trades() []*Trade { return f.Trade }

// Applied returns, for trades.K.leverage, the leverage trade K was opened
// at (Trade.Leverage0: after leverage_scale and any fitting of the
// positions to the fund's equity); every other field the fund holds as its
// spec gives it (Applier).
func (f *HedgeFund) Applied(field string) (float64, bool) {
	rest, ok := strings.CutPrefix(field, "trades.")
	if !ok {
		return 0, false
	}
	k, name, _ := strings.Cut(rest, ".")
	i, err := strconv.Atoi(k)
	if err != nil || i < 0 || i >= len(f.Trade) || name != "leverage" {
		return 0, false
	}
	return f.Trade[i].Leverage0, true
}

// Build puts the fund on the books: its equity as cash, then every trade at
// its broker, financed by the broker. Its margin, Cushion times the
// requirement, is posted by Init, once the model has run its warm-up.
func (s *HedgeFundSpec) Build(env *Env) (*HedgeFund, error) {
	w := env.W
	if !(s.Equity > 0) {
		return nil, fmt.Errorf("hedge fund %s: equity must be positive", s.ID)
	}
	if !(s.DeriskDrawdown >= 0 && s.DeriskDrawdown < 1) || !(s.DeriskCut >= 0 && s.DeriskCut <= 1) {
		return nil, fmt.Errorf("hedge fund %s: derisk_drawdown must be in [0, 1) and derisk_cut in [0, 1]", s.ID)
	}
	f := &HedgeFund{Spec: *s, hwm: s.Equity, qGroup: noGroup} // the high-water mark starts at the fund's equity
	if len(s.DeriskKinds) > 0 {
		for k := range f.noDerisk {
			f.noDerisk[k] = true
		}
		for _, n := range s.DeriskKinds {
			k, err := core.ParseTradeKind(n)
			if err != nil {
				return nil, fmt.Errorf("hedge fund %s: derisk_kinds: %w", s.ID, err)
			}
			f.noDerisk[k] = false
		}
	}
	switch s.Liquidation {
	case "", "most_liquid_first":
	case "pro_rata":
		f.proRata = true
	case "none":
		f.noSales = true
	default:
		return nil, fmt.Errorf("hedge fund %s: liquidation %q: want most_liquid_first, pro_rata or none", s.ID, s.Liquidation)
	}
	f.buffer = orDefault(s.MarginBuffer, 0.1)
	if !(s.ReviewHours >= 0) || !(s.ReviewHour >= 0 && s.ReviewHour < 24) {
		return nil, fmt.Errorf("hedge fund %s: review_hours must be non-negative and review_hour in [0, 24)", s.ID)
	}
	if tick := w.TickLen.Hours(); s.ReviewHours > 0 && tick > 0 {
		f.reviewEvery = int(math.Max(1, math.Round(s.ReviewHours/tick)))
		start := w.Start.UTC()
		since := float64(start.Hour()) + float64(start.Minute())/60
		f.reviewOff = int(math.Round((s.ReviewHour - since) / tick))
	}
	f.cushion = orDefault(s.Cushion, 1.5)
	f.reentryTk = s.ReentryDays * w.PerDay
	f.h = w.AddHolder(s.ID, core.HedgeFund)
	w.Endow(f.h, core.USD, s.Equity)
	f.est = w.Est.EWMA(orDefault(s.HalfLifeDays, 5) * w.PerDay)
	n := len(w.Assets)
	f.e, f.eT = make([]float64, n), make([]float64, n)
	f.cap, f.cap0 = make([]float64, n), make([]float64, n)
	f.capTick = -1
	partic := orDefault(s.Participation, 0.2)
	for i := range f.cap0 {
		f.cap0[i] = partic * w.Assets[i].ADV / w.TradingDay(i)
	}
	f.day = int(math.Max(1, math.Round(w.PerDay)))
	for k := range s.Trades {
		t, err := f.buildTrade(env, &s.Trades[k])
		if err != nil {
			return nil, fmt.Errorf("hedge fund %s: trade %d (%s): %w", s.ID, k+1, s.Trades[k].Kind, err)
		}
		f.Trade = append(f.Trade, t)
	}
	f.env = env
	f.order = make([]*Trade, 0, len(f.Trade))
	for _, t := range f.Trade {
		if t.Spec.StopLoss > 0 {
			f.stops = append(f.stops, t)
		}
		if t.Kind == core.CarryTrade {
			f.carries = append(f.carries, t)
		}
		if t.Spec.StopLoss > 0 || t.Kind == core.CarryTrade {
			f.watched = append(f.watched, t)
		}
	}
	f.qStops = make([]*Trade, 0, len(f.stops))
	f.qCarries = make([]*Trade, 0, len(f.carries))
	f.nextSweep = f.h.Index % f.day
	f.deriskNote = f.deriskFormat()
	return f, nil
}

// Init posts the fund's initial margin, Cushion times each account's
// requirement, once the model has run its warm-up (sim's startBooks): the
// requirement rests on the broker's volatility and correlation estimates
// and its haircuts, which the warm-up moves. Posted in Build, on the
// estimators' calm seeds, the cushion was short of Cushion at the start
// wherever the warm-up had raised the estimates (in aug2024, at its seed,
// 1.46-1.49 times the requirement; down to 1.14 on one of the 40 seeds of
// cascade score), or above it where it had lowered them, for the first
// day's sweep to draw back.
func (f *HedgeFund) Init(w *core.World) error {
	env, s := f.env, &f.Spec
	f.env = nil
	// Post the initial margin. If it would take more than the fund's equity
	// (a leverage_scale beyond what its brokers allow), every position is
	// scaled down until it fits: requirements are proportional to positions.
	need := 0.0
	for k := 1; k < len(f.h.Accounts); k++ {
		need += float64(f.cushion * f.brokerOf(k).AccountRequirement(w, &f.h.Accounts[k]))
	}
	if cash := f.h.Cash[core.USD]; need > cash*(1+1e-12) {
		scale := float64(cash / need * (1 - 1e-9))
		for _, t := range f.Trade {
			f.open(w, t, -(1-scale)*t.Notional0, true, core.Discretionary)
			t.Notional0 *= scale
			t.Leverage0 *= scale
			t.Units0 = t.Units
		}
		env.NoteOn(fmt.Sprintf("hedge fund %s: positions scaled to %.1f%% so that its initial margin (%.3g times the requirement) fits its equity", s.ID, 100*scale, f.cushion),
			Gist{Text: fmt.Sprintf("hedge fund %s: positions scaled down so that its initial margin fits its equity", s.ID), Agent: s.ID,
				Group: "hedge funds: positions scaled down so that their initial margin fits their equity"})
	}
	for k := 1; k < len(f.h.Accounts); k++ {
		acc := &f.h.Accounts[k]
		m := f.cushion * f.brokerOf(k).AccountRequirement(w, acc)
		w.Transfer(f.h, 0, f.h, k, core.USD, min(m, f.h.Cash[core.USD]))
	}
	return nil
}

// deriskFormat returns the format of the note a drawdown cut logs, with
// the drawdown and the cut as operands: "every trade" when derisk_kinds
// spares none of the fund's trades, else the kinds of trade it cuts and
// those it spares ("cutting its equity trades 25% (not its basis
// trade)"), in the order of the kinds.
func (f *HedgeFund) deriskFormat() string {
	var n [core.NumTradeKinds]int
	for _, t := range f.Trade {
		n[t.Kind]++
	}
	var cut, spared []string
	nCut, nSpared := 0, 0
	for k, c := range n {
		switch {
		case c == 0:
		case f.noDerisk[k]:
			spared, nSpared = append(spared, core.TradeKind(k).String()), nSpared+c
		default:
			cut, nCut = append(cut, core.TradeKind(k).String()), nCut+c
		}
	}
	trades := func(kinds []string, n int) string {
		if n == 1 {
			return "its " + strings.Join(kinds, "") + " trade"
		}
		if len(kinds) > 1 {
			return "its " + strings.Join(kinds[:len(kinds)-1], ", ") + " and " + kinds[len(kinds)-1] + " trades"
		}
		return "its " + kinds[0] + " trades"
	}
	switch {
	case len(spared) == 0:
		return "drawdown %.1f%%: cutting every trade %.0f%%"
	case len(cut) == 0:
		return "drawdown %.1f%%: a cut of %.0f%% finds no trade to cut (derisk_kinds spares " + trades(spared, nSpared) + ")"
	}
	return "drawdown %.1f%%: cutting " + trades(cut, nCut) + " %.0f%% (not " + trades(spared, nSpared) + ")"
}

func (f *HedgeFund) brokerOf(acct int) *PrimeBroker {
	for _, t := range f.Trade {
		if t.Acct == acct {
			return t.Broker
		}
	}
	return nil
}

func (f *HedgeFund) buildTrade(env *Env, s *TradeSpec) (*Trade, error) {
	w := env.W
	kind, err := core.ParseTradeKind(s.Kind)
	if err != nil {
		return nil, err
	}
	b, err := env.Broker(s.Broker)
	if err != nil {
		return nil, err
	}
	if !(s.Leverage > 0) {
		return nil, fmt.Errorf("leverage must be positive")
	}
	t := &Trade{Kind: kind, Spec: *s, Broker: b, Active: true, asset: -1, fut: -1, pair: -1, fundCur: -1, stopLoss: s.StopLoss, cutTo: math.NaN()}
	t.lev = s.Leverage * env.scale()
	t.Leverage0 = t.lev
	// Cross-margining: trades at one broker share one account (one pool of
	// collateral, one portfolio requirement). Without it every trade is
	// margined in a segregated account of its own. It takes all three: the
	// channel, the broker's cross_margin and the fund's.
	t.Acct = w.OpenAccount(f.h, b.h.Index, w.Channels.CrossMargin && b.Spec.CrossMargins() && f.Spec.CrossMargins())
	switch kind {
	case core.CarryTrade:
		cur := s.Funding
		if cur == "" {
			cur = "JPY"
		}
		if t.fundCur, err = env.Currency(cur); err != nil {
			return nil, err
		}
		if t.fundCur == core.USD {
			return nil, fmt.Errorf("carry trade funded in USD")
		}
		t.pair = w.FXPair[t.fundCur]
		if s.Asset != "" && s.Asset != "cash" {
			if t.asset, err = env.Asset(s.Asset); err != nil {
				return nil, err
			}
			if w.Assets[t.asset].Currency != core.USD || !w.Assets[t.asset].Funded() {
				return nil, fmt.Errorf("carry asset %s must be a funded USD asset", s.Asset)
			}
		}
	case core.BasisTrade:
		if t.asset, err = env.Asset(s.Asset); err != nil {
			return nil, err
		}
		if t.fut, err = env.Asset(s.Future); err != nil {
			return nil, err
		}
		if w.Assets[t.asset].Kind != core.Bond || w.Assets[t.fut].Kind != core.Future {
			return nil, fmt.Errorf("basis trade needs a bond (%s) and a future (%s)", s.Asset, s.Future)
		}
	case core.EquityTrade:
		if t.asset, err = env.Asset(s.Asset); err != nil {
			return nil, err
		}
		if !w.Assets[t.asset].Funded() || !w.Assets[t.asset].Tradable() {
			return nil, fmt.Errorf("equity trade asset %s must be a funded, tradable asset", s.Asset)
		}
		t.fundCur = w.Assets[t.asset].Currency
		if s.Funding != "" {
			if t.fundCur, err = env.Currency(s.Funding); err != nil {
				return nil, err
			}
		}
		if ac := w.Assets[t.asset].Currency; t.fundCur != ac {
			switch {
			case ac == core.USD:
				t.pair = w.FXPair[t.fundCur]
			case t.fundCur == core.USD:
				t.pair = w.FXPair[ac]
			default:
				return nil, fmt.Errorf("equity in %s funded in %s: one of them must be USD", w.Currencies[ac], w.Currencies[t.fundCur])
			}
		}
	}
	t.label = tradeLabel(w, t)
	t.exitNote = strings.ReplaceAll(t.label, "%", "%%") + ": carry/vol %.3f < %.3f"
	t.cur = -1
	for _, c := range [...]int{t.fundCur, currencyOf(w, t.asset), currencyOf(w, t.fut)} {
		if c >= 0 && c != core.USD {
			t.cur = c
			break
		}
	}
	if kind == core.CarryTrade {
		key := carryKey{f.est, t.fundCur, t.asset}
		if env.shared == nil {
			env.shared = map[any]any{}
		}
		sig, ok := env.shared[key].(*carrySignal)
		if !ok {
			sig = newCarrySignal(t.asset, t.fundCur)
			env.shared[key] = sig
		}
		sig.members = append(sig.members, t)
		t.signal = sig
	}
	n := t.lev * f.Spec.Equity
	t.Notional0 = n
	f.open(w, t, n, true, core.Discretionary)
	t.Units0 = t.Units
	t.liquidity = w.Assets[t.mainAsset()].ADV
	return t, nil
}

// currencyOf is asset i's currency, or -1 for no asset (i < 0).
func currencyOf(w *core.World, i int) int {
	if i < 0 {
		return -1
	}
	return w.Assets[i].Currency
}

// Asset returns the index of the asset the trade holds long: the bond of
// a basis trade, the asset of an equity trade (an equity index, a
// Treasury, gold, bitcoin, ...), the USD asset a carry trade buys (-1 for
// a carry trade in cash).
func (t *Trade) Asset() int { return t.asset }

// mainAsset is the asset whose liquidity ranks the trade.
func (t *Trade) mainAsset() int {
	if t.asset >= 0 {
		return t.asset
	}
	return t.pair
}

// open puts on notional n (USD) of the trade: at set-up against the outside
// sector, in the tick loop as market orders.
func (f *HedgeFund) open(w *core.World, t *Trade, n float64, setup bool, why core.Reason) {
	h := f.h
	t.boxed = false
	buy := func(i int, q float64) {
		if setup {
			w.SetupTrade(h, t.Acct, i, q)
		} else {
			w.Submit(core.Order{Holder: h.Index, Acct: t.Acct, Asset: i, Units: q, Reason: why})
		}
	}
	switch t.Kind {
	case core.CarryTrade:
		// Borrow the funding currency and sell it for USD.
		c := t.fundCur
		p, q := fxBuy(w, c, -n)
		buy(p, q)
		t.rebase(w)
		t.Loan += n / w.FXUSD[c]
		if t.asset >= 0 {
			q := toUnits(w, t.asset, n)
			buy(t.asset, q)
			t.Units += q
		} else {
			t.Units += n // USD deposits
		}
	case core.BasisTrade:
		q := toUnits(w, t.asset, n)
		buy(t.asset, q)
		t.Units += q
		hr := orDefault(t.Spec.HedgeRatio, 1)
		qf := -toUnits(w, t.fut, hr*n)
		buy(t.fut, qf)
		t.FutUnit += qf
	case core.EquityTrade:
		if t.pair >= 0 {
			if ac := w.Assets[t.asset].Currency; ac != core.USD {
				p, q := fxBuy(w, ac, n) // USD loan sold for the asset's currency
				buy(p, q)
			} else {
				p, q := fxBuy(w, t.fundCur, -n) // foreign loan sold for USD
				buy(p, q)
				t.rebase(w)
				t.Loan += n / w.FXUSD[t.fundCur]
			}
		}
		q := toUnits(w, t.asset, n)
		buy(t.asset, q)
		t.Units += q
	}
	t.Active = true
	t.realized = 0
	t.entryNAV = max(w.NAV(h), 0)
	t.markEntry(w)
}

func (t *Trade) markEntry(w *core.World) {
	t.boxed = false
	if t.asset >= 0 {
		t.pAsset = w.NotionalUSD(t.asset, 1)
	}
	if t.fut >= 0 {
		t.pFut = w.NotionalUSD(t.fut, 1)
	}
	if t.fundCur >= 0 {
		t.fxFund = w.FXUSD[t.fundCur]
	}
}

// PnL returns the mark-to-market P&L since (re-)entry of what the trade
// holds now, USD; the shares unwound since carry theirs in realized.
func (t *Trade) PnL(w *core.World) float64 {
	a, fu, x := t.inputs(w)
	return t.pnlAt(a, fu, x)
}

// inputs returns the prices PnL reads: the asset's and the future's USD
// notional per unit and USD per unit of the funding currency (0 for a leg
// the trade does not have).
func (t *Trade) inputs(w *core.World) (a, fu, x float64) {
	if t.asset >= 0 {
		a = w.NotionalUSD(t.asset, 1)
	}
	if t.fut >= 0 {
		fu = w.NotionalUSD(t.fut, 1)
	}
	if t.fundCur >= 0 {
		x = w.FXUSD[t.fundCur]
	}
	return a, fu, x
}

// pnlAt is PnL at the price inputs a, fu and x (see inputs). Each input
// enters one term only, through a subtraction and a multiplication by a
// fixed coefficient, and the terms are summed: since rounding is monotone,
// the result is monotone in each input (rising where its coefficient is
// positive, falling where it is negative), or NaN.
func (t *Trade) pnlAt(a, fu, x float64) float64 {
	p := 0.0
	if t.asset >= 0 {
		p += float64(t.Units * (a - t.pAsset))
	}
	if t.fut >= 0 {
		p += float64(t.FutUnit * (fu - t.pFut))
	}
	if t.Kind == core.CarryTrade || (t.Kind == core.EquityTrade && t.pair >= 0) {
		p -= float64(t.Loan * (x - t.fxFund))
	}
	if t.Kind == core.EquityTrade && t.pair < 0 && t.asset >= 0 && t.fundCur != core.USD && t.fxFund > 0 {
		// A foreign asset bought with a loan in its own currency: the loan
		// (the entry cost, in that currency) moves with the exchange rate
		// too, so only the asset's own move counts.
		p -= float64(t.Units * t.pAsset / t.fxFund * (x - t.fxFund))
	}
	return p
}

// stopThreshold is the open P&L below which the stop-loss triggers: the
// trade's loss, realized and open, has reached stop_loss times the NAV at
// entry.
func (t *Trade) stopThreshold() float64 { return float64(-t.stopLoss*t.entryNAV) - t.realized }

// stopFar reports whether the trade's stop-loss provably does not trigger
// at the current prices: its box is set and every price input of PnL lies
// inside it. A NaN input is never inside.
func (t *Trade) stopFar(w *core.World) bool {
	return t.boxed && t.assetInBox(w) && t.futInBox(w) && t.fxInBox(w)
}

// assetInBox reports whether the asset's USD notional per unit lies inside
// the trade's box (true if the trade has no asset leg).
func (t *Trade) assetInBox(w *core.World) bool {
	return t.asset < 0 || inside(w.NotionalUSD(t.asset, 1), t.loA, t.hiA)
}

// futInBox is assetInBox for the future.
func (t *Trade) futInBox(w *core.World) bool {
	return t.fut < 0 || inside(w.NotionalUSD(t.fut, 1), t.loF, t.hiF)
}

// fxInBox is assetInBox for USD per unit of the funding currency.
func (t *Trade) fxInBox(w *core.World) bool {
	return t.fundCur < 0 || inside(w.FXUSD[t.fundCur], t.loX, t.hiX)
}

// inside reports whether lo ≤ v ≤ hi (false if v is NaN).
func inside(v, lo, hi float64) bool { return v >= lo && v <= hi }

// stopHit computes the trade's P&L exactly and reports whether it is below
// the stop. When it is not, it sets the trade's box around the prices;
// when it is, it clears the box.
func (t *Trade) stopHit(w *core.World) bool {
	a, fu, x := t.inputs(w)
	p, th := t.pnlAt(a, fu, x), t.stopThreshold()
	if p < th {
		t.boxed = false
		return true
	}
	t.setBox(a, fu, x, p, th)
	return false
}

// setBox sets the stop-loss box around the price inputs a, fu and x, at
// which the P&L is p, above the threshold th. Each input may move against
// the trade by the same share r of its value, chosen so that the P&L
// would, to first order, lose half of its distance p − th to the stop; in
// the input's favourable direction the box is unbounded. The box is kept
// only if PnL evaluated exactly at its worst corner (every input at the
// bound against the trade) is not below th. Since PnL is monotone in each
// input (see pnlAt), it then is not below th anywhere in the box, or is
// NaN, which does not trigger the stop either: a price inside the box
// gives the same outcome as computing PnL, bit for bit and without any
// allowance for rounding.
func (t *Trade) setBox(a, fu, x, p, th float64) {
	t.boxed = false
	d := p - th
	if !(d > 0) || math.IsInf(d, 0) {
		return
	}
	// How PnL moves with each input: d PnL / d input.
	var ca, cf, cx float64
	if t.asset >= 0 {
		ca = t.Units
	}
	if t.fut >= 0 {
		cf = t.FutUnit
	}
	switch {
	case t.Kind == core.CarryTrade || (t.Kind == core.EquityTrade && t.pair >= 0):
		cx = -t.Loan
	case t.Kind == core.EquityTrade && t.pair < 0 && t.asset >= 0 && t.fundCur != core.USD && t.fxFund > 0:
		cx = -t.Units * t.pAsset / t.fxFund
	}
	scale := math.Abs(ca*a) + math.Abs(cf*fu) + math.Abs(cx*x)
	if !(scale > 0) || math.IsInf(scale, 0) {
		return
	}
	r := 0.5 * d / scale
	a0, la, ha, ok1 := boxSide(ca, a, r)
	f0, lf, hf, ok2 := boxSide(cf, fu, r)
	x0, lx, hx, ok3 := boxSide(cx, x, r)
	if !ok1 || !ok2 || !ok3 || !(t.pnlAt(a0, f0, x0) >= th) {
		return
	}
	t.loA, t.hiA, t.loF, t.hiF, t.loX, t.hiX = la, ha, lf, hf, lx, hx
	t.boxed = true
}

// boxSide returns the interval [lo, hi] input v may take in a stop-loss
// box where it may move against a trade whose P&L moves with it by c by
// the share r, and the corner: the bound against the trade (v itself when
// c is 0 and the input does not matter). ok is false for a NaN or
// infinite input or coefficient.
func boxSide(c, v, r float64) (corner, lo, hi float64, ok bool) {
	if math.IsNaN(c) || math.IsInf(c, 0) || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, 0, 0, false
	}
	lo, hi = math.Inf(-1), math.Inf(1)
	switch {
	case c > 0:
		lo = v - float64(r*math.Abs(v))
		return lo, lo, hi, true
	case c < 0:
		hi = v + float64(r*math.Abs(v))
		return hi, lo, hi, true
	}
	return v, lo, hi, true
}

// room returns the share of trade t (0–1) the fund can still trade this
// tick within its participation limit.
func (f *HedgeFund) room(w *core.World, t *Trade) float64 {
	f.fillCaps(w)
	r := 1.0
	if t.asset >= 0 {
		r = f.limit(w, r, t.asset, w.NotionalUSD(t.asset, t.Units))
	}
	if t.fut >= 0 {
		r = f.limit(w, r, t.fut, w.NotionalUSD(t.fut, t.FutUnit))
	}
	if t.pair >= 0 {
		v := t.loan(w) * w.FXUSD[t.fundCur]
		if t.Kind == core.EquityTrade && w.Assets[t.asset].Currency != core.USD {
			v = w.NotionalUSD(t.asset, t.Units)
		}
		r = f.limit(w, r, t.pair, v)
	}
	return r
}

// roomFor returns the share (0–1) of USD notional n of trade t that the
// fund can still put on this tick within its participation limit: open
// trades n in the main asset and the exchange pair, and the hedge ratio
// times n in the future.
func (f *HedgeFund) roomFor(w *core.World, t *Trade, n float64) float64 {
	f.fillCaps(w)
	r := 1.0
	if t.asset >= 0 {
		r = f.limit(w, r, t.asset, n)
	}
	if t.fut >= 0 {
		r = f.limit(w, r, t.fut, orDefault(t.Spec.HedgeRatio, 1)*n)
	}
	if t.pair >= 0 {
		r = f.limit(w, r, t.pair, n)
	}
	return r
}

// take books what opening USD notional n of trade t takes of this tick's
// limits (see roomFor).
func (f *HedgeFund) take(t *Trade, n float64) {
	if t.asset >= 0 {
		f.cap[t.asset] -= n
	}
	if t.fut >= 0 {
		f.cap[t.fut] -= float64(orDefault(t.Spec.HedgeRatio, 1) * n)
	}
	if t.pair >= 0 {
		f.cap[t.pair] -= n
	}
}

// fillCaps sets this tick's participation limits once per tick.
func (f *HedgeFund) fillCaps(w *core.World) {
	if w.Tick != f.capTick {
		f.capTick = w.Tick
		copy(f.cap, f.cap0)
	}
}

// limit returns share r capped by what is left of asset i's limit for a
// trade of usd dollars in it: 0 while i's market is closed (the trade
// waits for the open).
func (f *HedgeFund) limit(w *core.World, r float64, i int, usd float64) float64 {
	if !w.Trades(i) {
		return 0
	}
	if usd = math.Abs(usd); usd > 0 {
		r = min(r, max(0, f.cap[i])/usd)
	}
	return r
}

// use books what unwinding share s of trade t takes of this tick's limits.
func (f *HedgeFund) use(w *core.World, t *Trade, s float64) {
	if t.asset >= 0 {
		f.cap[t.asset] -= float64(s * math.Abs(w.NotionalUSD(t.asset, t.Units)))
	}
	if t.fut >= 0 {
		f.cap[t.fut] -= float64(s * math.Abs(w.NotionalUSD(t.fut, t.FutUnit)))
	}
	if t.pair >= 0 {
		v := t.loan(w) * w.FXUSD[t.fundCur]
		if t.Kind == core.EquityTrade && w.Assets[t.asset].Currency != core.USD {
			v = w.NotionalUSD(t.asset, t.Units)
		}
		f.cap[t.pair] -= float64(s * math.Abs(v))
	}
}

// unwind closes share s (0–1] of the trade with market orders, as far as
// the participation limit allows, and returns the share it closed.
func (f *HedgeFund) unwind(w *core.World, t *Trade, s float64, why core.Reason) float64 {
	if s <= 0 || !t.Active {
		return 0
	}
	f.endBuild(t) // a trade being sold is not also being built up
	if s > 1 {
		s = 1
	}
	if r := f.room(w, t); r < s {
		s = r
	}
	if s <= 1e-9 {
		return 0
	}
	t.boxed = false
	t.realized += float64(s * t.PnL(w))
	f.use(w, t, s)
	t.rebase(w) // the loan with its interest is what must be bought back
	h := f.h
	sub := func(i int, q float64) {
		w.Submit(core.Order{Holder: h.Index, Acct: t.Acct, Asset: i, Units: q, Reason: why})
	}
	switch t.Kind {
	case core.CarryTrade:
		if t.asset >= 0 {
			sub(t.asset, -s*t.Units)
		}
		p, q := fxBuy(w, t.fundCur, s*t.Loan*w.FXUSD[t.fundCur]) // buy back the borrowed currency
		sub(p, q)
		t.Loan -= float64(s * t.Loan)
		t.Units -= float64(s * t.Units)
	case core.BasisTrade:
		sub(t.asset, -s*t.Units)
		sub(t.fut, -s*t.FutUnit)
		t.Units -= float64(s * t.Units)
		t.FutUnit -= float64(s * t.FutUnit)
	case core.EquityTrade:
		v := w.NotionalUSD(t.asset, s*t.Units)
		sub(t.asset, -s*t.Units)
		if t.pair >= 0 {
			if ac := w.Assets[t.asset].Currency; ac != core.USD {
				p, q := fxBuy(w, ac, -v) // proceeds back into USD
				sub(p, q)
			} else {
				p, q := fxBuy(w, t.fundCur, s*t.Loan*w.FXUSD[t.fundCur])
				sub(p, q)
				t.Loan -= float64(s * t.Loan)
			}
		}
		t.Units -= float64(s * t.Units)
	}
	if s >= 1-1e-12 {
		t.Active = false
		t.Units, t.FutUnit, t.Loan = 0, 0, 0
		t.exitTick = w.Tick
		t.closing = 0
		f.closed++
		if t.cur >= 0 && !t.residual {
			t.residual, t.exitWhy = true, why
			f.residuals++
		}
	}
	return s
}

// loan returns the borrowed currency owed now: the principal grown at the
// funding rate since it was last set (the account's debit grows so).
func (t *Trade) loan(w *core.World) float64 {
	if t.Loan == 0 || t.loanIdx == 0 {
		return t.Loan
	}
	return t.Loan * w.FundingIndex(t.fundCur) / t.loanIdx
}

// rebase folds the interest accrued on the loan into Loan.
func (t *Trade) rebase(w *core.World) {
	t.boxed = false
	if t.fundCur < 0 {
		return // nothing borrowed in a currency
	}
	t.Loan = t.loan(w)
	t.loanIdx = w.FundingIndex(t.fundCur)
}

// exposure writes the USD exposure vector of the trade at its current size.
func (t *Trade) exposure(w *core.World, e []float64) {
	clear(e)
	if !t.Active {
		return
	}
	hold := func(c int, v float64) { // holding v USD worth of currency c
		if c > 0 && v != 0 {
			p := w.FXPair[c]
			e[p] -= float64(w.FXReturnSign(p, c) * v)
		}
	}
	if t.asset >= 0 {
		v := w.NotionalUSD(t.asset, t.Units)
		e[t.asset] += v
		hold(w.Assets[t.asset].Currency, v)
	}
	if t.fut >= 0 {
		e[t.fut] += w.NotionalUSD(t.fut, t.FutUnit)
	}
	if t.fundCur >= 0 && (t.Kind == core.CarryTrade || t.pair >= 0) {
		hold(t.fundCur, -t.loan(w)*w.FXUSD[t.fundCur])
	}
	if t.Kind == core.EquityTrade && t.pair < 0 && t.asset >= 0 {
		hold(w.Assets[t.asset].Currency, -w.NotionalUSD(t.asset, t.Units)) // the loan in the asset's currency
	}
}

// carrySignal is carry-to-volatility computed once per tick and shared by
// every fund that reads it through the same estimator, funding currency
// and carry asset.
//
// It also runs a group test for the carry trades that read it (members),
// which all have the same price inputs: USD per unit of the funding
// currency and, for a carry into an asset, the asset's USD notional per
// unit. A member is enrolled while its fund's plan rests on nothing but
// those prices against its stop-loss box and the signal against its
// exit threshold. Once a tick the group compares the prices with the
// intersection of the enrolled members' boxes and the signal with the
// highest of their thresholds: when both pass, every enrolled member
// passes its own comparisons, and its fund need not make them.
type carrySignal struct {
	tick  int
	ratio float64

	asset, cur int      // the members' carry asset (-1: cash) and funding currency
	members    []*Trade // every carry trade that reads the signal
	// The intersection of the enrolled members' boxes ([loA, hiA] for the
	// asset, [loX, hiX] for the exchange rate; a member without a
	// stop-loss bounds neither) and the highest of their exit thresholds
	// (-Inf: none), as of the last gather; dirty is set when an enrolment
	// has changed since.
	loA, hiA, loX, hiX, exit float64
	dirty                    bool
	// okTick is the tick whose first round found every enrolled member
	// quiet, noTick the one that did not (-1: none). An enrolment that
	// the verdict did not cover clears okTick.
	okTick, noTick int
}

// noGroup is the qGroup of a fund that no signal's group test answers
// for. Its okTick is no tick's, so Decide's first test fails on it
// without a test for nil; nothing writes it (planned does not ask it for
// a verdict), so every model may share it.
var noGroup = &carrySignal{tick: -1, asset: -1, okTick: math.MinInt, noTick: -1}

// newCarrySignal returns the signal of carry trades into asset (-1: cash)
// funded in currency cur, not yet computed and with no member enrolled.
func newCarrySignal(asset, cur int) *carrySignal {
	return &carrySignal{tick: -1, asset: asset, cur: cur, dirty: true, okTick: -1, noTick: -1}
}

// enroll enrolls carry trade t, with its box as it stands and exit
// threshold exit, in the signal's group test, or updates its enrolment.
// A change clears the verdict of this tick: it may not cover t.
func (s *carrySignal) enroll(t *Trade, exit float64) {
	if t.enrolled && t.eLoA == t.loA && t.eHiA == t.hiA && t.eLoX == t.loX && t.eHiX == t.hiX && t.eExit == exit {
		return
	}
	t.enrolled = true
	t.eLoA, t.eHiA, t.eLoX, t.eHiX, t.eExit = t.loA, t.hiA, t.loX, t.hiX, exit
	s.dirty, s.okTick = true, -1
}

// leave ends carry trade t's enrolment, if any. A verdict that covered
// it still holds for the others.
func (s *carrySignal) leave(t *Trade) {
	if t.enrolled {
		t.enrolled = false
		s.dirty = true
	}
}

// gather takes the intersection of the enrolled members' boxes and the
// highest of their exit thresholds.
func (s *carrySignal) gather() {
	s.dirty = false
	s.loA, s.hiA, s.loX, s.hiX, s.exit = math.Inf(-1), math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, t := range s.members {
		if !t.enrolled {
			continue
		}
		if t.stopLoss > 0 {
			if t.eLoA > s.loA {
				s.loA = t.eLoA
			}
			if t.eHiA < s.hiA {
				s.hiA = t.eHiA
			}
			if t.eLoX > s.loX {
				s.loX = t.eLoX
			}
			if t.eHiX < s.hiX {
				s.hiX = t.eHiX
			}
		}
		if t.eExit > 0 && t.eExit > s.exit {
			s.exit = t.eExit
		}
	}
}

// quiet reports whether every enrolled member passes, in this tick's
// first round, the comparisons its fund's plan leaves to make: the
// signal is computed this tick and not below its exit threshold (if
// any), and the prices lie inside its box (if it has a stop-loss). The
// verdict is kept for the tick: in the first round prices and the signal
// do not move, and an enrolled member's box and threshold change only
// with a new enrolment, which clears it. The first call in a tick
// compares, later ones read the verdict. (A member's comparisons imply
// the group's: inside(v, lo, hi) with lo at least and hi at most the
// member's bounds implies inside the member's, and a ratio not below the
// highest threshold is below none; a NaN ratio is below none either.)
func (s *carrySignal) quiet(w *core.World) bool {
	if s.okTick == w.Tick {
		return true
	}
	if s.tick != w.Tick || s.noTick == w.Tick && !s.dirty {
		return false
	}
	if s.dirty {
		s.gather()
	}
	if (s.asset < 0 || inside(w.NotionalUSD(s.asset, 1), s.loA, s.hiA)) && inside(w.FXUSD[s.cur], s.loX, s.hiX) && !(s.ratio < s.exit) {
		s.okTick = w.Tick
		return true
	}
	s.noTick = w.Tick
	return false
}

type carryKey struct {
	est        *core.EWMA
	cur, asset int
}

// CarryToVol returns the expected carry of a carry trade over its funding
// currency's annualized volatility as the fund estimates it.
func (f *HedgeFund) CarryToVol(w *core.World, t *Trade) float64 {
	if sig := t.signal; sig != nil {
		if sig.tick != w.Tick {
			sig.tick, sig.ratio = w.Tick, f.carryToVol(w, t)
		}
		return sig.ratio
	}
	return f.carryToVol(w, t)
}

func (f *HedgeFund) carryToVol(w *core.World, t *Trade) float64 {
	c := t.fundCur
	rate := func(k int) float64 { return float64(0.5 * (w.Policy[k] + w.Expected[k])) }
	earn := rate(core.USD)
	if t.asset >= 0 && w.Assets[t.asset].Kind == core.Bond {
		earn = w.Yield(t.asset)
	}
	carry := earn - rate(c) - w.Spread[c]
	vol := annVol(w, f.est, t.pair)
	if vol <= 0 {
		return math.Inf(1)
	}
	return carry / vol
}

// Decide meets margin calls (cash first, then sales by the liquidation rule),
// applies stop-losses, and in the first round of a tick exits and re-enters
// carry by its thresholds and sweeps excess margin back to cash.
//
// Most first rounds provably have nothing for the fund to do, and Decide
// returns at once (and counts Quiet): no call is open, the rules are
// reviewed every tick and no drawdown rule is set, no trade is being
// closed or re-built and no closed trade's residual balance is pending, the day's
// sweep is not due, every active stop-loss is inside its box (see
// stopFar), every active carry trade's carry-to-vol, already computed this
// tick, is not below the exit threshold, and no closed trade may re-enter:
// re-entry is off, or each is still in its waiting period or is a carry
// trade with carry-to-vol, already computed this tick, below the re-entry
// threshold. In any other case
// decide applies the rules in full. The test looks at nothing but the
// fund's own state and this tick's prices and shared signals, and changes
// nothing.
//
// Most of those conditions are on the fund's own state, which changes only
// when the rules are applied in full. So after each full round the fund
// makes a plan (see plan): when its state passes every one of them, the
// next first rounds look only at the open call, the boxes of its active
// stop-losses and the carry signals of its active carry trades, and the
// sweep's tick. When every trade it looks at is a carry trade reading one
// signal, the signal's group test, made once a tick for all the funds
// that read it, answers for the boxes and signals (see carrySignal). When
// they pass, the round is quiet, or, if the sweep is due, it sweeps and
// does nothing else (see sweepRound); else the whole test above is made,
// and then the rules in full.
func (f *HedgeFund) Decide(w *core.World) {
	// The commonest case first, kept short: the group test has already
	// passed this tick (qGroup is set only with plain; noGroup's okTick is
	// no tick, so it needs no test of its own).
	if g := f.qGroup; g.okTick == w.Tick && w.Round == 0 && w.Tick < f.nextSweep && f.h.Calls == 0 {
		f.GroupQuiet++
		return
	}
	f.planned(w)
}

// planned is Decide but for its commonest case: the plan's test, then,
// unless it finds the round quiet or only the sweep due, the whole test.
func (f *HedgeFund) planned(w *core.World) {
	if w.Round == 0 && f.plain && f.h.Calls == 0 {
		if g := f.qGroup; g != noGroup && (g.okTick == w.Tick || g.quiet(w)) {
			if w.Tick < f.nextSweep {
				f.GroupQuiet++
				return
			}
		} else {
			for _, t := range f.qStops {
				// stopFar without boxed (the plan saw to it), written out
				// so that it is inlined.
				if !((t.asset < 0 && t.fut < 0 || t.assetInBox(w) && t.futInBox(w)) && t.fxInBox(w)) {
					goto test
				}
			}
			for _, t := range f.qCarries {
				if t.signal.tick != w.Tick {
					// Not computed this tick: the rules in full would
					// compute it here, once the stop-losses had found
					// their boxes as above, unless the fund has
					// defaulted. (Where in a first round it is computed
					// does not matter: what it reads, rates, spreads,
					// prices and volatility estimates, does not move
					// while agents decide; events and central banks move
					// rates as the tick starts, the market prices in
					// clearing, the close the spreads.)
					if f.h.Defaulted || f.h.Passive {
						goto test
					}
					f.CarryToVol(w, t)
				}
				if t.signal.ratio < f.Spec.CarryExit {
					goto test
				}
			}
			if w.Tick < f.nextSweep {
				f.Quiet++
				return
			}
		}
		if !f.h.Defaulted && !f.h.Passive {
			f.sweepRound(w)
			return
		}
	}
test:
	f.quietTest(w)
}

// sweepRound is a first round that passes the plan's test but for the
// day's sweep, which is due. The rules in full would find every stop-loss
// inside its box and every carry signal, computed this tick, not below its
// threshold, and nothing else to do but the sweep: so it sweeps, and
// counts the stop-loss checks the boxes answered. The sweep moves money
// between the fund's accounts only, which leaves the plan standing.
func (f *HedgeFund) sweepRound(w *core.World) {
	f.FarStops += len(f.qStops)
	f.SweepRounds++
	f.nextSweep = w.Tick + f.day
	f.sweep(w)
}

// quietTest is Decide's test in full: it applies the rules in full (and
// makes a new plan) unless the round is provably quiet. It calls nothing
// before its verdict, so that it keeps everything in registers.
func (f *HedgeFund) quietTest(w *core.World) {
	if w.Round != 0 || f.AlwaysFull || f.h.Calls > 0 || w.Tick >= f.nextSweep || f.reviewEvery > 1 || f.Spec.DeriskDrawdown > 0 || f.residuals > 0 || f.building > 0 {
		f.full(w)
		return
	}
	exit := f.Spec.CarryExit
	for _, t := range f.watched {
		if !t.Active {
			continue
		}
		// stopFar is written out so that it is inlined.
		if t.closing != 0 ||
			t.stopLoss > 0 && !(t.boxed && (t.asset < 0 && t.fut < 0 || t.assetInBox(w) && t.futInBox(w)) && t.fxInBox(w)) {
			f.full(w)
			return
		}
		if sig := t.signal; exit > 0 && sig != nil && (sig.tick != w.Tick || sig.ratio < exit) {
			f.full(w)
			return
		}
	}
	if f.closed > 0 && f.Spec.Reentry > 0 {
		// reenter, as far as it skips every closed trade.
		for _, t := range f.Trade {
			if t.Active || t.waiting || float64(w.Tick-t.exitTick) < f.reentryTk {
				continue
			}
			if t.signal == nil || t.signal.tick != w.Tick || !(t.signal.ratio < exit*f.Spec.Reentry) {
				f.full(w)
				return
			}
		}
	}
	f.Quiet++
}

// full applies the rules in full and makes the plan for the next rounds.
func (f *HedgeFund) full(w *core.World) {
	f.decide(w)
	f.plan()
}

// plan sets plain when the fund's own state passes every condition of
// Decide's quiet test that rests on it alone: AlwaysFull is off, the rules
// are reviewed every tick and no drawdown rule is set, no trade is being
// closed or re-built, no residual balance is pending, no closed trade can
// ever re-enter while it stays closed (none is closed, or re-entry is
// off), and every active stop-loss has its box set. Those stay true until
// the rules are next applied in full, the only place the fund's state
// changes, which makes a new plan. It lists what the quiet test must still
// look at: the active trades with a stop-loss (their boxes against the
// prices) and the signals of the active carry trades (against the exit
// threshold).
func (f *HedgeFund) plan() {
	f.plain, f.qGroup = f.plainState(), noGroup
	if !f.plain {
		for _, t := range f.carries {
			t.signal.leave(t)
		}
		return
	}
	// The group test answers for the fund when every trade it looks at is
	// an active carry trade reading one signal.
	var g *carrySignal
	for _, t := range f.watched {
		if !t.Active {
			continue
		}
		if t.signal == nil || g != nil && t.signal != g {
			g = nil
			break
		}
		g = t.signal
	}
	for _, t := range f.carries {
		if t.Active && t.signal == g {
			g.enroll(t, f.Spec.CarryExit)
		} else {
			t.signal.leave(t)
		}
	}
	if g != nil {
		f.qGroup = g
	}
}

// plainState makes the plan's lists and reports whether the fund's own
// state passes (see plan).
func (f *HedgeFund) plainState() bool {
	f.qStops, f.qCarries = f.qStops[:0], f.qCarries[:0]
	if f.AlwaysFull || f.reviewEvery > 1 || f.Spec.DeriskDrawdown > 0 || f.residuals > 0 || f.building > 0 || f.closed > 0 && f.Spec.Reentry > 0 {
		return false
	}
	for _, t := range f.watched {
		if !t.Active {
			continue
		}
		if t.closing != 0 || t.stopLoss > 0 && !t.boxed {
			return false
		}
		if t.stopLoss > 0 {
			f.qStops = append(f.qStops, t)
		}
		if t.signal != nil && f.Spec.CarryExit > 0 {
			f.qCarries = append(f.qCarries, t)
		}
	}
	return true
}

// decide applies the fund's rules in full (see Decide).
func (f *HedgeFund) decide(w *core.World) {
	h := f.h
	if h.Defaulted || h.Passive {
		return
	}
	if w.Round > 0 && !f.busy(w) {
		return
	}
	for k := 1; h.Calls > 0 && k < len(h.Accounts); k++ {
		acc := &h.Accounts[k]
		if acc.Call <= 0 || acc.Seized {
			continue
		}
		need := float64(acc.Req*(1+f.buffer)) - acc.Posted
		need = postFreeCash(w, h, k, need)
		if need > 0 && !f.noSales {
			// need is cash to post; a sale relieves the requirement
			// instead, and margin posted P must end at (1 + buffer) times
			// what is left of it: relief r with P = (1 + buffer)(Req − r).
			f.sell(w, k, need/(1+f.buffer))
		}
	}
	review := f.reviewing(w)
	for _, t := range f.stops {
		if review && t.Active && t.closing == 0 {
			if !f.AlwaysFull && t.stopFar(w) {
				f.FarStops++
			} else if t.stopHit(w) {
				f.stopOut(w, t)
			}
		}
		if t.Active && t.closing == core.StopLoss {
			f.unwind(w, t, 1, core.StopLoss)
		}
	}
	if f.Spec.DeriskDrawdown > 0 {
		f.derisk(w, review)
	}
	if w.Round != 0 {
		return
	}
	if f.Spec.CarryExit > 0 {
		for _, t := range f.carries {
			if review && t.Active && t.closing == 0 {
				if r := f.CarryToVol(w, t); r < f.Spec.CarryExit {
					f.exitCarry(w, t, r)
				}
			}
			if t.Active && t.closing == core.CarryExit {
				f.unwind(w, t, 1, core.CarryExit)
			}
		}
	}
	if f.residuals > 0 {
		f.clearResiduals(w)
	}
	// The sweep goes before re-entry: it measures excess margin against
	// requirements that a re-opened trade's legs are not yet in, and would
	// draw back the margin just posted for them.
	if w.Tick >= f.nextSweep {
		f.nextSweep = w.Tick + f.day
		f.sweep(w)
	}
	if f.building > 0 {
		f.rebuild(w, review)
	}
	if f.closed > 0 && review {
		f.reenter(w)
	}
}

// clearResiduals converts to USD the balance a closed trade may have left
// in its currency: a loan bought back, or proceeds sold, at a price that
// impact moved from the mark the order was sized at leaves a little of the
// currency owed or held, which no trade would otherwise ever settle. A
// balance is left alone while an active trade in the same account uses the
// currency (it is that trade's to settle when it closes) and while the
// exchange rate's market is shut; it is converted in round 0 of each tick
// until it is within a dollar (or 10⁻⁹ of the trade's starting notional).
func (f *HedgeFund) clearResiduals(w *core.World) {
	h, settled := f.h, false
	for k, t := range f.Trade {
		if !t.residual {
			continue
		}
		if t.exitTick == w.Tick {
			continue // closed this tick: its orders have not all cleared
		}
		done := t.Active
		for j, o := range f.Trade {
			if j != k && o.Acct == t.Acct && o.cur == t.cur && (o.Active || j < k && o.residual) {
				done = true // an active trade's to settle, or an earlier flag's
			}
		}
		acc := &h.Accounts[t.Acct]
		if !done && !acc.Seized {
			pair := w.FXPair[t.cur]
			if !w.Trades(pair) {
				continue
			}
			if !settled {
				w.Settle(h)
				settled = true
			}
			if usd := -acc.Bal[t.cur] * w.FXUSD[t.cur]; math.Abs(usd) > max(1, 1e-9*math.Abs(t.Notional0)) {
				p, q := fxBuy(w, t.cur, usd)
				w.Submit(core.Order{Holder: h.Index, Acct: t.Acct, Asset: p, Units: q, Reason: t.exitWhy})
				continue
			}
		}
		t.residual = false
		f.residuals--
	}
}

// tradeLabel names trade t as its events do: its kind, its asset (cash,
// or a basis trade's bond and future) and the currency it borrows, so that
// the exits of a fund's several carry trades tell apart.
func tradeLabel(w *core.World, t *Trade) string {
	asset := "cash"
	if t.asset >= 0 {
		asset = w.Assets[t.asset].ID
	}
	if t.fut >= 0 {
		asset += "/" + w.Assets[t.fut].ID
	}
	fund := "USD"
	if t.fundCur >= 0 {
		fund = w.Currencies[t.fundCur]
	}
	return t.Kind.String() + " " + asset + " funded in " + fund
}

// stopOut logs the stop-loss exit of trade t and marks it for closing.
func (f *HedgeFund) stopOut(w *core.World, t *Trade) {
	w.Log(core.Event{Kind: core.EvTradeExit, Agent: f.h.ID, Other: t.Broker.Spec.ID, Amount: t.PnL(w) + t.realized, Detail: t.label, Reason: core.StopLoss})
	t.closing = core.StopLoss
}

// exitCarry logs the exit of carry trade t at carry-to-vol r and marks it
// for closing.
func (f *HedgeFund) exitCarry(w *core.World, t *Trade, r float64) {
	w.Log(core.Event{Kind: core.EvTradeExit, Agent: f.h.ID, Other: t.Broker.Spec.ID, Amount: w.NotionalUSD(t.mainAsset(), t.Units), Note: core.Notef(t.exitNote, core.NumArg(r), core.NumArg(f.Spec.CarryExit)), Reason: core.CarryExit})
	t.closing = core.CarryExit
}

// busy reports whether the fund has anything to do in a later round: an
// open call, or a trade being closed or cut by a forced rule.
func (f *HedgeFund) busy(w *core.World) bool {
	if f.h.Calls > 0 {
		return true
	}
	for _, t := range f.stops {
		if t.Active {
			return true
		}
	}
	if f.Spec.DeriskDrawdown > 0 {
		for _, t := range f.Trade {
			if t.Active && t.cutTo == t.cutTo {
				return true
			}
		}
	}
	return false
}

// derisk cuts every trade by DeriskCut once equity has fallen
// DeriskDrawdown from its high-water mark, and carries cuts under way on
// (the participation limit may spread one over several ticks).
func (f *HedgeFund) derisk(w *core.World, review bool) {
	// The high-water mark and the drawdown are read at the fund's reviews.
	if nav := 0.0; review && w.Round == 0 {
		if nav = w.NAV(f.h); nav > f.hwm {
			f.hwm = nav
		}
		f.checkDrawdown(w, nav)
	}
	f.continueCuts(w)
}

// checkDrawdown starts a cut of every trade of a kind derisk_kinds names
// (all by default) when equity nav is DeriskDrawdown below the high-water
// mark.
func (f *HedgeFund) checkDrawdown(w *core.World, nav float64) {
	if nav < f.hwm*(1-f.Spec.DeriskDrawdown) {
		w.Log(core.Event{Kind: core.EvTradeExit, Agent: f.h.ID, Amount: nav - f.hwm, Note: core.Notef(f.deriskNote, core.NumArg(100*(1-nav/f.hwm)), core.NumArg(100*f.deriskCut())), Reason: core.Deleveraging})
		f.hwm = nav
		for _, t := range f.Trade {
			if t.Active && t.closing == 0 && t.Units > 0 && !f.noDerisk[t.Kind] {
				to := t.Units * (1 - f.deriskCut())
				if t.cutTo == t.cutTo { // a cut already under way: cut from its target
					to = t.cutTo * (1 - f.deriskCut())
				}
				t.cutTo = to
			}
		}
	}
}

// continueCuts carries cuts under way on (the participation limit may spread
// one over several ticks).
func (f *HedgeFund) continueCuts(w *core.World) {
	for _, t := range f.Trade {
		if t.cutTo != t.cutTo {
			continue
		}
		if !t.Active || t.closing != 0 || t.Units <= t.cutTo*(1+1e-9) {
			t.cutTo = math.NaN()
			continue
		}
		f.unwind(w, t, 1-t.cutTo/t.Units, core.Deleveraging)
	}
}

// reviewing reports whether the fund reviews its risk rules this tick.
func (f *HedgeFund) reviewing(w *core.World) bool {
	if f.reviewEvery <= 1 {
		return true
	}
	return ((w.Tick-f.reviewOff)%f.reviewEvery+f.reviewEvery)%f.reviewEvery == 0
}

func (f *HedgeFund) deriskCut() float64 { return orDefault(f.Spec.DeriskCut, 0.25) }

// moreLiquid orders trades most liquid first: it is negative exactly when a
// is more liquid than b. slices.SortStableFunc with it compares and moves
// trades as sort.SliceStable did with the test a.liquidity > b.liquidity
// (the two run the same algorithm), so the order is the same, even for
// values that do not compare; unlike sort.SliceStable it does not allocate.
func moreLiquid(a, b *Trade) int {
	switch {
	case a.liquidity > b.liquidity:
		return -1
	case b.liquidity > a.liquidity:
		return 1
	}
	return 0
}

// sell unwinds trades booked at account k until the requirement relief
// covers need (USD), by the fund's liquidation rule.
func (f *HedgeFund) sell(w *core.World, k int, need float64) {
	acc := &f.h.Accounts[k]
	b := f.brokerOf(k)
	f.order = f.order[:0]
	for _, t := range f.Trade {
		if t.Acct == k && t.Active {
			f.order = append(f.order, t)
		}
	}
	if len(f.order) == 0 {
		return
	}
	w.Exposure(acc, f.e)
	req := acc.Req
	if f.proRata {
		s := min(1, need/max(req, 1e-12))
		for _, t := range f.order {
			f.unwind(w, t, s, core.MarginCall)
		}
		return
	}
	slices.SortStableFunc(f.order, moreLiquid)
	for _, t := range f.order {
		if need <= 0 {
			break
		}
		t.exposure(w, f.eT)
		for i := range f.e {
			f.eT[i] = f.e[i] - f.eT[i]
		}
		rest, _ := b.Requirement(w, f.eT)
		relief := req - rest
		if relief <= 0 {
			continue
		}
		t.exposure(w, f.eT)
		s := f.unwind(w, t, min(1, need/relief), core.MarginCall)
		for i := range f.e {
			f.e[i] -= float64(s * f.eT[i])
		}
		need -= float64(s * relief)
		req -= float64(s * relief)
	}
}

// reenter re-opens closed trades once conditions have recovered. A trade
// re-opens at its leverage times the fund's equity, scaled down to what
// the fund can margin from free cash, and is built up over as many ticks
// as its participation limit needs (see grow): a fund re-entering trades
// into the market as it exited, not in one block.
func (f *HedgeFund) reenter(w *core.World) {
	if f.Spec.Reentry <= 0 {
		return
	}
	h := f.h
	for k := 1; k < len(h.Accounts); k++ {
		if h.Accounts[k].Call > 0 {
			return
		}
	}
	for _, t := range f.Trade {
		if t.Active || t.waiting || float64(w.Tick-t.exitTick) < f.reentryTk || !f.recovered(w, t) {
			continue
		}
		n := t.lev * max(w.NAV(h), 0)
		if n <= 0 {
			continue
		}
		// Size by the margin the fund can post from free cash.
		t.Active = true
		t.Units, t.FutUnit, t.Loan = 0, 0, 0
		save := *t
		f.openDry(w, t, n)
		t.exposure(w, f.eT)
		req, _ := t.Broker.Requirement(w, f.eT)
		*t = save
		t.Active = false
		m := f.cushion * req
		s := 1.0
		if m > h.FreeCashUSD() {
			s = h.FreeCashUSD() / m
		}
		if s < 0.1 {
			continue
		}
		// Cleared to re-enter: the build starts now if the legs' markets
		// trade, or waits for them to open (a review at 23:00 UTC finds
		// neither New York nor Tokyo trading; ODD N13). A build that ends
		// before its first slice counts the trade as closed again.
		f.closed--
		t.build, t.buildMargin, t.waiting = s*n, m/n, true
		f.building++
		f.grow(w, t)
	}
}

// recovered reports whether trade t's re-entry condition holds: carry-to-vol
// back above CarryExit·Reentry (a carry trade), or the main asset's
// volatility back under Reentry times calm (any other).
func (f *HedgeFund) recovered(w *core.World, t *Trade) bool {
	if t.Kind == core.CarryTrade {
		return !(f.CarryToVol(w, t) < f.Spec.CarryExit*f.Spec.Reentry)
	}
	i := t.mainAsset()
	return !(f.est.Vol(i) > f.Spec.Reentry*w.Est.Calm(i))
}

// grow puts on the next slice of a re-opened trade: as much of what is left
// to build as the participation limit allows this tick, and as free cash
// can margin. A slice added to legs already held folds their P&L since
// their entry marks into realized, so that the stop-loss keeps counting it
// against the NAV at the first slice.
func (f *HedgeFund) grow(w *core.World, t *Trade) {
	h := f.h
	x := float64(f.roomFor(w, t, t.build) * t.build)
	if x <= float64(1e-9*t.build) {
		return // a leg's market is closed, or today's limit is used up: wait
	}
	short := false
	if m := float64(x * t.buildMargin); m > h.FreeCashUSD() {
		x, short = h.FreeCashUSD()/t.buildMargin, true
	}
	if x > 0 {
		first := !t.Active
		if t.waiting {
			t.waiting = false
			w.Log(core.Event{Kind: core.EvTradeEntry, Agent: h.ID, Other: t.Broker.Spec.ID, Amount: t.build, Detail: t.label, Reason: core.Reentry})
		}
		realized, entryNAV := t.realized, t.entryNAV
		if !first {
			realized += t.PnL(w)
		}
		w.Transfer(h, 0, h, t.Acct, core.USD, float64(x*t.buildMargin))
		f.take(t, x)
		f.open(w, t, x, false, core.Reentry)
		if !first {
			t.realized, t.entryNAV = realized, entryNAV
		}
		t.build -= x
	}
	if short || t.build <= float64(1e-9*(t.build+x)) {
		f.endBuild(t) // built, or out of free cash
	}
}

// rebuild carries re-entries under way on: each trade still being built
// gets its next slice while the fund has no call, the trade is not being
// closed, its account stands and, at reviews, its re-entry condition still
// holds; otherwise its build ends where it is.
func (f *HedgeFund) rebuild(w *core.World, review bool) {
	for _, t := range f.Trade {
		if t.build <= 0 {
			continue
		}
		if !t.Active && !t.waiting || t.closing != 0 || f.h.Calls > 0 || f.h.Accounts[t.Acct].Seized || review && !f.recovered(w, t) {
			f.endBuild(t)
			continue
		}
		f.grow(w, t)
	}
}

// endBuild ends the build of trade t, if one is under way.
func (f *HedgeFund) endBuild(t *Trade) {
	if t.build > 0 {
		t.build = 0
		f.building--
	}
	if t.waiting { // no slice was put on: the trade is closed, as before
		t.waiting = false
		f.closed++
	}
}

// openDry sets the trade's legs to notional n without trading, to price its requirement.
func (f *HedgeFund) openDry(w *core.World, t *Trade, n float64) {
	t.boxed = false
	switch t.Kind {
	case core.CarryTrade:
		t.Loan, t.loanIdx = n/w.FXUSD[t.fundCur], w.FundingIndex(t.fundCur)
		if t.asset >= 0 {
			t.Units = toUnits(w, t.asset, n)
		} else {
			t.Units = n
		}
	case core.BasisTrade:
		t.Units = toUnits(w, t.asset, n)
		t.FutUnit = -toUnits(w, t.fut, orDefault(t.Spec.HedgeRatio, 1)*n)
	case core.EquityTrade:
		t.Units = toUnits(w, t.asset, n)
		if t.pair >= 0 {
			t.Loan, t.loanIdx = n/w.FXUSD[t.fundCur], w.FundingIndex(t.fundCur)
		}
	}
}

// sweep moves margin in excess of the cushion back to free cash, borrowing
// the dollars from the broker where the account holds none (a margin
// account's excess equity can be drawn as cash).
func (f *HedgeFund) sweep(w *core.World) {
	h := f.h
	for k := 1; k < len(h.Accounts); k++ {
		acc := &h.Accounts[k]
		if acc.Call > 0 || acc.Seized {
			continue
		}
		// The account at current prices: Posted is as of the broker's last
		// re-mark, which may predate moves within its tolerance.
		ex := w.AccountValue(h, acc) - float64(acc.Req*f.cushion)
		if m := ex; m > 1e-6*max(acc.Req, 1) {
			w.Transfer(h, k, h, 0, core.USD, m)
		}
	}
}
