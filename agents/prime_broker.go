package agents

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cascade-sim/cascade/core"
)

// PrimeBrokerSpec configures a prime broker (MODEL.md §4). Haircuts are
// fractions of position value; time spans are in days.
type PrimeBrokerSpec struct {
	// ID names the broker, which the agents it serves name in their broker
	// fields; it must be unique among all ids.
	ID string `yaml:"id" json:"id"`
	// Capital is the broker's equity at the start, USD (must be positive).
	Capital float64 `yaml:"capital" json:"capital"`
	// LevLimit is the broker's leverage-ratio limit, exposure per unit of
	// capital (must be positive): its utilization, client financing plus
	// inventory over capital × lev_limit, is what stress_util tests.
	LevLimit float64 `yaml:"lev_limit" json:"lev_limit"`

	// Haircuts: base haircut by asset kind (fx, bond, future, equity,
	// commodity, crypto, illiquid), a fraction of position value in [0, 1];
	// fx applies to net currency exposure, and a kind left out has none.
	Haircuts map[string]float64 `yaml:"haircuts" json:"haircuts"`
	// AssetHaircuts: base haircut by asset ID, in [0, 1], overriding its
	// kind's.
	AssetHaircuts map[string]float64 `yaml:"asset_haircuts,omitempty" json:"asset_haircuts,omitempty"`
	// Kappa (κ) makes haircuts procyclical: h = h0·(1 + κ·max(0, σ̂/σ0 −
	// 1)), σ̂ the broker's volatility estimate and σ0 calm volatility (0, or
	// the procyclical_haircuts channel off: fixed haircuts).
	Kappa float64 `yaml:"kappa" json:"kappa"`

	// The portfolio (cross-margined) requirement is z·σ_portfolio over the
	// horizon, floored at Floor times the gross requirement.

	// VaRZ is z of the portfolio requirement z·√(e'Σe·H), in standard
	// deviations (default 2.33, one-sided 99%; 0 is refused).
	VaRZ float64 `yaml:"var_z" json:"var_z"`
	// HorizonDays is H of the portfolio requirement: the days of risk it
	// covers (default 2; at least one tick; 0 is refused).
	HorizonDays float64 `yaml:"horizon_days" json:"horizon_days"`
	// Floor is the least portfolio requirement, as a share of the gross
	// requirement (the sum of haircut × |exposure|), in [0, 1] (0: none).
	Floor float64 `yaml:"floor" json:"floor"`
	// HalfLifeDays is the half-life, in days, of the broker's slow
	// estimates behind its requirements, procyclical haircuts and stress
	// tests: volatilities from hourly returns, and for requirements the
	// correlations of returns over intervals in which every market has
	// traded (default 10; 0 is refused).
	HalfLifeDays float64 `yaml:"half_life_days" json:"half_life_days"`

	// Stress: the broker drops the offsets and margins on gross when, for a
	// risk factor in its book, fast volatility exceeds slow by StressVolRatio,
	// a move within one tick exceeds StressJump daily standard deviations
	// (slow estimate; a day's volatility in an hour is a jump), a
	// correlation moves by more than StressCorr, or its own utilization passes
	// StressUtil. It restores them StressHoldDays after the last trigger,
	// counted in the factor's market time, at a tick its market trades.

	// FastHalfLifeDays is the half-life, in days, of the broker's fast
	// volatility and correlation estimate, which the stress tests compare
	// with the slow one (default 0.5; 0 is refused).
	FastHalfLifeDays float64 `yaml:"fast_half_life_days" json:"fast_half_life_days"`
	// StressVolRatio: a risk factor in the book breaks (with offset_drop on,
	// accounts exposed to it are margined on gross) when its fast
	// volatility exceeds this multiple of its slow volatility (0: no test).
	StressVolRatio float64 `yaml:"stress_vol_ratio" json:"stress_vol_ratio"`
	// StressJump: a risk factor breaks (margined on gross) when its move
	// within one tick exceeds this many daily standard deviations, by the
	// slow estimate, or more after its market was closed (0: no test).
	StressJump float64 `yaml:"stress_jump" json:"stress_jump"`
	// StressCorr: a risk factor breaks (margined on gross) when its fast
	// correlation with another factor in the book differs from the slow one
	// by more than this (0: no test).
	StressCorr float64 `yaml:"stress_corr" json:"stress_corr"`
	// StressUtil: every account is margined on gross while the broker's
	// utilization (client financing plus inventory, over capital ×
	// lev_limit) is above this (0: no test).
	StressUtil float64 `yaml:"stress_util" json:"stress_util"`
	// StressHoldDays is how long, in days, a broken factor stays broken after
	// its last trigger (default 2; 0 is refused). A closure of its market
	// longer than a day (a weekend, a holiday) does not count towards it,
	// and the factor is restored only at a tick its market trades: nothing
	// the broker learns while the market is shut can show it calm again.
	StressHoldDays float64 `yaml:"stress_hold_days" json:"stress_hold_days"`
	// StressHoldCalendar counts the hold in calendar time, closures
	// included, and restores a factor whether or not its market trades: the
	// rule of earlier versions, for their results (a factor broken on a
	// Friday was restored on the Sunday with every market shut).
	StressHoldCalendar bool `yaml:"stress_hold_calendar" json:"stress_hold_calendar"`

	// SettleDays is the margin-call settlement window: days a client has to
	// meet a call before the broker closes its account out (default 1; at
	// least one tick; 0 is refused).
	SettleDays float64 `yaml:"settle_days" json:"settle_days"`
	// SettleWeekdays: the settlement window counts only weekdays (Monday to
	// Friday, UTC), as a business-day deadline does: a call issued on a
	// Friday with one day to settle falls due on Monday at the same hour
	// (default false: calendar days, so it falls due on Saturday).
	SettleWeekdays bool `yaml:"settle_weekdays,omitempty" json:"settle_weekdays,omitempty"`
	// MinTransfer is the minimum transfer amount, in USD: the broker calls
	// an account only once its shortfall reaches it, and a call whose
	// shortfall falls below it is cleared (default 1,000; 0 is refused).
	// The default removes only rounding residues: calls of a millionth of
	// a dollar on accounts whose trades were closed, whose leftover
	// balances of a few cents drift below their requirement; the smallest
	// real call in the built-in replays is about $40,000. Collateral
	// agreements set $250,000 to $1 million for funds of this size.
	MinTransfer float64 `yaml:"min_transfer,omitempty" json:"min_transfer,omitempty"`
	// RemarginSigma: requirements are recomputed once a day, whenever an
	// account trades, whenever the broker's stress state or haircut schedule
	// changes, and intraday when a risk factor in its book has moved more
	// than this many calm daily standard deviations since the last run
	// (default 3; 0 is refused). Between runs the broker follows each
	// account's margin from the price moves and re-marks it whenever it
	// could be short, unless calls_at_runs.
	RemarginSigma float64 `yaml:"remargin_sigma,omitempty" json:"remargin_sigma,omitempty"`
	// CallsAtRuns: the broker re-marks an account's posted margin and calls
	// it only at a margin run (the daily one, a stress or haircut change, a
	// remargin_sigma move: a new epoch) and when the account itself changes
	// (a trade or a transfer moves its positions or balances), as prime
	// brokers that call once a day, and intraday on large moves, do; an
	// open call is re-checked every round, so that meeting it clears it.
	// Default false: between runs the broker follows every account's
	// margin from the price moves and calls as soon as it could be short
	// (MODEL.md §5).
	CallsAtRuns bool `yaml:"calls_at_runs,omitempty" json:"calls_at_runs,omitempty"`
	// Tighten θ: every client's haircuts are multiplied by 1 + θ·(share of
	// capital lost) once the broker has booked losses (0, or the
	// broker_capital channel off: never).
	Tighten float64 `yaml:"tighten" json:"tighten"`
	// LiquidationSpeed is the share of seized collateral sold per tick, in
	// (0, 1] (default 0.25: most of it within a day at hourly ticks; 0 is
	// refused).
	LiquidationSpeed float64 `yaml:"liquidation_speed" json:"liquidation_speed"`

	// CrossMargin: false keeps every client trade at this broker in a
	// segregated account of its own, as the cross_margin channel off does
	// everywhere (default true: a client's trades here share one account).
	// Other brokers are unaffected; the channel off wins over true.
	CrossMargin *bool `yaml:"cross_margin,omitempty" json:"cross_margin,omitempty"`

	// Dealer, when set, makes the broker also a dealer sharing its balance sheet.
	Dealer *DealerSpec `yaml:"dealer,omitempty" json:"dealer,omitempty"`
}

// CrossMargins reports whether the broker lets a client's trades share one
// account: CrossMargin unset or true.
func (s *PrimeBrokerSpec) CrossMargins() bool { return s.CrossMargin == nil || *s.CrossMargin }

// PrimeBroker lends to clients against collateral and margins their books.
type PrimeBroker struct {
	h    *core.Holder
	Spec PrimeBrokerSpec

	h0      []float64    // base haircut per asset; FX slots hold the currency haircut
	hBase   []float64    // the scenario's haircut per asset, before scripted changes (HaircutMultiple)
	est     *core.EWMA   // slow: volatilities (haircuts, requirements, stress)
	fast    *core.EWMA   // fast: the stress tests
	corr    *core.Synced // slow correlations over common intervals: requirements
	horizon float64      // ticks
	minCall float64      // USD: min_transfer
	settle  int          // ticks
	hold    int          // ticks

	// Stressed reports whether any risk factor in the broker's book is
	// broken (or its utilization is past its limit): accounts exposed to a
	// broken factor are margined on gross.
	Stressed    bool
	broken      []bool // per risk factor (asset)
	brokenUntil []int
	brokenAt    []int // the tick of each factor's last trigger
	utilStress  bool
	HaircutMult float64 // scripted margin changes multiply every haircut
	capital0    float64
	seized      int        // account index of the liquidation book
	seizedBal   core.Money // client balances extinguished by seizures, plus the liquidation's proceeds, not yet squared (currencies other than USD)
	fresh       bool       // a seizure happened this round: start liquidating at once
	// What was seized since the broker last liquidated (units per asset,
	// balances per currency), and the tick it last did: a later round of
	// a tick liquidates only this, so that nothing is sold twice a tick.
	newUnits []float64
	newBal   core.Money
	liqTick  int
	idle     bool // nothing to liquidate or square: no seizure yet, or all done
	// The last round's liquidation orders not yet reconciled with their
	// fills: units and the mark they were sized at, per asset. seizedBal
	// books each order at its mark when it is sent; the next call moves it
	// to the fill (ODD N11: impact had left positions open that the books
	// called squared).
	pendUnits, pendMark []float64
	pend                []int

	inBook []bool    // risk factors present in its clients' books
	e, e2  []float64 // scratch exposure vectors
	idx    []int     // scratch: the assets of the nonzero exposures, in order
	nnz    int       // how many: Requirement's last call left them in idx[:nnz]
	terms  []float64 // scratch for the terms of e'Σe
	sv     []float64 // scratch: e_i·σ̂_i, in the order of the nonzero exposures
	Util   float64   // utilization at the last margin run
	// HaircutMultiple's last value, kept while hmFresh: it reads only hc
	// and inBook, so it is computed again only after either changed.
	hm      float64
	hmFresh bool

	hc          []float64 // haircuts of the current epoch
	epoch       int       // bumps whenever every requirement must be recomputed
	lastCalc    []float64 // prices at the start of the epoch
	nextDaily   int
	period      int
	moveTol     []float64
	capitalSeen float64 // Book at the last epoch, when haircuts were last set
	mv          []float64
	// The client accounts, with the flags that say which of them a round
	// must look at (acctView). An account is far when its
	// requirement is current, it has no call and its posted margin clears
	// the skip test for every epoch move below farMove; while the largest
	// move stays below farMove and the epoch stands, only the near accounts
	// and those whose positions or balances changed since the last round
	// (touched, set through core.Account.Watch) can need re-marking.
	// AlwaysFull makes every round a full pass (tests check that the
	// shortcut changes nothing); FastRounds counts the rounds that were not.
	views      []acctView
	AlwaysFull bool
	FastRounds int
	// CalmFactors counts the factors the stress update's screen found
	// calm, with no full step (AlwaysFull: none; tests check that the
	// screen changes nothing).
	CalmFactors int
	farMove     float64
	farEpoch    int
	farStale    bool
	sqrtDay     float64 // √(ticks a day): slow per-tick to daily volatility
	lastTrade   []int   // the last tick each asset's market was open
	prevTrade   []int   // the tick it was open before lastTrade
	// stressSteps: scratch, the factors a stress update gives its full step.
	stressSteps []int
}

// Holder returns the broker's balance sheet.
func (b *PrimeBroker) Holder() *core.Holder { return b.h }

// ID returns the broker's ID.
func (b *PrimeBroker) ID() string { return b.Spec.ID }

// Build puts the broker on the books with its capital in USD.
func (s *PrimeBrokerSpec) Build(env *Env) (*PrimeBroker, error) {
	w := env.W
	if s.Capital <= 0 || s.LevLimit <= 0 {
		return nil, fmt.Errorf("prime broker %s: capital and lev_limit must be positive", s.ID)
	}
	b := &PrimeBroker{Spec: *s, HaircutMult: 1}
	b.h = w.AddHolder(s.ID, core.PrimeBroker)
	w.Endow(b.h, core.USD, s.Capital)
	b.capital0 = s.Capital
	b.seized = w.OpenAccount(b.h, core.Custody, false)
	n := len(w.Assets)
	b.newUnits, b.liqTick, b.idle = make([]float64, n), -1, true
	b.pendUnits, b.pendMark, b.pend = make([]float64, n), make([]float64, n), make([]int, 0, n)
	b.h0 = make([]float64, n)
	for i := range w.Assets {
		a := &w.Assets[i]
		h, ok := s.AssetHaircuts[a.ID]
		if !ok {
			h = s.Haircuts[a.Kind.String()]
		}
		if h < 0 || h > 1 || math.IsNaN(h) {
			return nil, fmt.Errorf("prime broker %s: haircut of %s = %v is out of [0, 1]", s.ID, a.ID, h)
		}
		b.h0[i] = h
	}
	b.hBase = slices.Clone(b.h0)
	b.est = w.Est.EWMA(orDefault(s.HalfLifeDays, 10) * w.PerDay)
	b.fast = w.Est.EWMA(orDefault(s.FastHalfLifeDays, 0.5) * w.PerDay)
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	b.corr = w.Est.Synced(orDefault(s.HalfLifeDays, 10)*w.PerDay, all)
	b.sqrtDay = math.Sqrt(w.PerDay)
	b.lastTrade, b.prevTrade = make([]int, len(w.Assets)), make([]int, len(w.Assets))
	b.stressSteps = make([]int, n)
	b.horizon = math.Max(1, orDefault(s.HorizonDays, 2)*w.PerDay)
	b.settle = int(math.Max(1, math.Round(orDefault(s.SettleDays, 1)*w.PerDay)))
	b.minCall = orDefault(s.MinTransfer, 1000)
	b.hold = int(math.Round(orDefault(s.StressHoldDays, 2) * w.PerDay))
	b.inBook = make([]bool, n)
	b.hc = make([]float64, n)
	b.lastCalc = make([]float64, n)
	b.mv = make([]float64, n)
	b.period = int(math.Max(1, math.Round(w.PerDay)))
	b.moveTol = make([]float64, n)
	for i := range b.moveTol {
		b.moveTol[i] = math.Max(0.002, orDefault(s.RemarginSigma, 3)*w.Est.Calm(i)*math.Sqrt(w.PerDay))
	}
	b.epoch = 1
	b.newEpoch(w)
	b.broken = make([]bool, n)
	b.brokenUntil = make([]int, n)
	b.brokenAt = make([]int, n)
	b.e, b.e2 = make([]float64, n), make([]float64, n)
	b.idx = make([]int, 0, n)
	b.terms = make([]float64, n*n)
	b.sv = make([]float64, n)
	if b.Spec.VaRZ == 0 {
		b.Spec.VaRZ = 2.33
	}
	if b.Spec.LiquidationSpeed == 0 {
		b.Spec.LiquidationSpeed = 0.25
	}
	return b, nil
}

// Init sets the broker's haircut schedule again once the model has run
// its warm-up (sim's startBooks), from the volatility estimates the
// warm-up leaves, before the hedge funds post their initial margin on it.
func (b *PrimeBroker) Init(w *core.World) error {
	b.newEpoch(w)
	return nil
}

// haircut returns the current haircut on asset i.
func (b *PrimeBroker) haircut(w *core.World, i int) float64 {
	// The builtin max and min are math.Max and math.Min to the bit where
	// one argument is a finite constant (TestBuiltinMinMaxIsMath), and
	// calls no longer (TestHaircutBuiltins).
	h := b.h0[i] * b.HaircutMult
	if w.Channels.ProcyclicalHaircuts && b.Spec.Kappa > 0 {
		if s0 := w.Est.Calm(i); s0 > 0 {
			h *= 1 + float64(b.Spec.Kappa*max(0, b.est.Vol(i)/s0-1))
		}
	}
	if w.Channels.BrokerCapital && b.Spec.Tighten > 0 && b.capital0 > 0 {
		h *= 1 + float64(b.Spec.Tighten*max(0, 1-b.h.Book/b.capital0))
	}
	return min(h, 1)
}

// Requirement returns the margin the broker requires on exposure vector e
// (as filled by core.World.Exposure): the portfolio requirement
// z·√(e'Σe·H), floored at Floor times the gross requirement Σ h_i·|e_i|.
// When the exposure touches a risk factor the broker considers broken, or
// the broker is under utilization stress, it drops the offsets: the
// requirement is the gross one, or the sum of standalone requirements
// Σ z·σ_i·|e_i|·√H if volatility has outrun the haircuts. It leaves the
// assets of e's nonzero entries, in order, in b.idx[:b.nnz] (Margin keeps
// the account's exposures from them).
func (b *PrimeBroker) Requirement(w *core.World, e []float64) (req, gross float64) {
	// Locals, the haircuts and broken flags cut to the exposure's length:
	// no reloads and no bounds checks in the pass. The nonzero exposures'
	// assets are stored into idx by index, not appended: an append's
	// possible growth kept every value of the pass on the stack around it.
	offsetDrop, hc, broken := w.Channels.OffsetDrop, b.hc[:len(e)], b.broken[:len(e)]
	if cap(b.idx) < len(e) {
		b.idx = make([]int, 0, len(e))
	}
	idx, m := b.idx[:len(e)], 0
	drop := b.utilStress && offsetDrop
	for i, v := range e {
		if v != 0 {
			idx[m] = i
			m++
			if v < 0 {
				v = -v
			}
			gross += float64(hc[i] * v)
			if broken[i] && offsetDrop {
				drop = true
			}
		}
	}
	idx, b.nnz = idx[:m], m
	if drop {
		req = gross
		sa := 0.0
		for _, i := range idx {
			sa += float64(math.Abs(e[i]) * math.Sqrt(b.est.Cov(i, i)))
		}
		if sa = b.Spec.VaRZ * sa * math.Sqrt(b.horizon); sa > req {
			req = sa
		}
		return req, gross
	}
	// v = e'Σe over the nonzero exposures with Σ_ij = ρ̂_ij·σ̂_i·σ̂_j:
	// the slow EWMA's volatilities and Synced's correlations (the hourly
	// EWMA's would credit an offset between markets open at different
	// hours with a fraction of its correlation). Summed row by row; a
	// term and its mirror are the same float (ρ̂ is stored symmetric), so
	// each pair is computed once, in the row of its upper triangle, and
	// kept in terms at its mirror's place (row c, column a, for the pair
	// (a, c), a < c), which that row reads back first, in one contiguous
	// run: the sum runs over every term in the row-by-row order.
	// sv holds e_i·σ̂_i in the order of idx, so that the rows read it
	// without a bounds check; σ̂_i is read through the estimator's
	// vector (Vol(i) is its entry i), loaded once.
	v := 0.0
	terms, sv, vol := b.terms[:m*m], b.sv[:m], b.est.Vols()
	for c, i := range idx {
		sv[c] = e[i] * vol[i]
	}
	for a, i := range idx {
		for _, t := range terms[a*m : a*m+a] {
			v += t
		}
		si, row := sv[a], b.corr.UpperRow(i)
		for c, p := a, a*m+a; c < m; c, p = c+1, p+m {
			t := float64(float64(si*sv[c]) * row[idx[c]-i])
			terms[p] = t
			v += t
		}
	}
	if v < 0 {
		v = 0
	}
	req = b.Spec.VaRZ * math.Sqrt(v*b.horizon)
	if f := b.Spec.Floor * gross; req < f {
		req = f
	}
	return req, gross
}

// newEpoch refreshes the haircut schedule and the reference prices, so that
// every requirement is recomputed.
func (b *PrimeBroker) newEpoch(w *core.World) {
	b.epoch++
	b.hmFresh = false
	for i := range b.hc {
		b.hc[i] = b.haircut(w, i)
	}
	// The haircuts now price the Book as it is; a capital-loss epoch waits
	// for a fall of 0.5% from here, recovered or not.
	b.capitalSeen = b.h.Book
	copy(b.lastCalc, w.Price)
}

// moves fills b.mv with each asset's relative price move since the start
// of the margin epoch and returns the largest in absolute value, and
// whether a risk factor in the book has moved more than its remargin
// tolerance (|move| > moveTol, which is d > tol or d < -tol: the
// tolerance is positive).
func (b *PrimeBroker) moves(w *core.World) (m float64, moved bool) {
	price := w.Price
	last, mv, tol, in := b.lastCalc[:len(price)], b.mv[:len(price)], b.moveTol[:len(price)], b.inBook[:len(price)]
	for i, p := range price {
		d := p/last[i] - 1
		mv[i] = d
		if d < 0 {
			d = -d
		}
		if d > m {
			m = d
		}
		if d > tol[i] && in[i] {
			moved = true
		}
	}
	return m, moved
}

// estimate returns the account's posted margin estimated from its
// exposures and the epoch's price moves, to first order: its base plus
// each exposure times its move, in order. The broker pads the kept
// exposures past NExpo with zeros whose move is noMove (see pad), so the
// sum runs over all MaxExpo slots without a loop: each padded term is
// 0·0 = +0, and adding +0 changes no sum but a -0 (to +0), which the
// skip test, the estimate's only reader, compares equal.
func (b *PrimeBroker) estimate(acc *core.Account) float64 {
	return acc.Base + float64(acc.ExpoUSD[0]**acc.ExpoMove[0]) + float64(acc.ExpoUSD[1]**acc.ExpoMove[1]) +
		float64(acc.ExpoUSD[2]**acc.ExpoMove[2]) + float64(acc.ExpoUSD[3]**acc.ExpoMove[3]) +
		float64(acc.ExpoUSD[4]**acc.ExpoMove[4]) + float64(acc.ExpoUSD[5]**acc.ExpoMove[5])
}

// noMove is the move the padded exposure slots of every account point at
// (pad): it stays 0.
var noMove float64

// estimate and the re-mark's base are written out for six slots.
const (
	_ uint = core.MaxExpo - 6
	_ uint = 6 - core.MaxExpo
)

// pad fills the account's exposure slots past its NExpo kept exposures
// with zeros whose move is noMove, so that estimate and the re-mark's
// base can run over every slot: the terms they add or subtract there are
// +0. An account with more than MaxExpo exposures has every slot filled
// (with its first MaxExpo) and is never estimated: it is re-marked every
// round.
func pad(acc *core.Account) {
	for k := int(acc.NExpo); k < core.MaxExpo; k++ {
		acc.ExpoUSD[k], acc.ExpoMove[k] = 0, &noMove
	}
}

// AccountRequirement returns the requirement on an account as it stands.
func (b *PrimeBroker) AccountRequirement(w *core.World, acc *core.Account) float64 {
	w.Exposure(acc, b.e2)
	r, _ := b.Requirement(w, b.e2)
	return r
}

// acctView is a broker's view of a client account: a pointer to it and its
// near, touched and quick flags, side by side so that a round's loop over
// accounts reads them through one pointer, with no slice of flags to index.
//
// quick, when the account is not touched, says that its requirement is
// current (in this epoch, with no change since), it has no call, no money
// has moved since its last re-mark and it keeps its exposures (at most
// MaxExpo): what a fast round needs before the skip test's estimate. A
// round sets it when it has found so and the estimate let the account skip
// its re-mark (nothing of the account changed then), and clears it at any
// other look, before anything of the account can change; so it is false
// after every full pass, the first after a new epoch. Between two looks
// only a change of positions or balances (which raises touched), a new
// epoch or a seizure (which makes the account inactive) can change what it
// says, outside the broker's own looks.
type acctView struct {
	acc                  *core.Account
	near, touched, quick bool
}

// Reserve sets up the broker's view of its clients' accounts: pointers to
// them, their near and touched flags, and the watch that raises touched.
// The model calls it once every account is open, so that the tick loop
// does not allocate; accounts are fixed once the model is built. The first
// round of margining after it is a full pass.
func (b *PrimeBroker) Reserve(w *core.World) {
	b.views = make([]acctView, len(b.h.Clients))
	for k, ref := range b.h.Clients {
		v := &b.views[k]
		v.acc = w.Acct(ref)
		v.acc.Watch = &v.touched
	}
	b.farStale = true
}

// Margin runs the broker's margining for the current round: it updates its
// stress state, starts a new margin epoch when its schedule or the market
// calls for one, recomputes the requirement of every account that needs it,
// marks every account's posted margin and issues or clears margin calls.
func (b *PrimeBroker) Margin(w *core.World) {
	w.Settle(b.h)
	// The moves since the epoch started serve both the remargin test and
	// the skip test; a new epoch takes them again from its own prices.
	// The remargin test's answer comes with them: the stress update
	// leaves the factors in the book as they are.
	mmax, moved := b.moves(w)
	if b.updateStress(w) || w.Tick >= b.nextDaily || moved {
		if w.Tick >= b.nextDaily {
			b.nextDaily = w.Tick + b.period
		}
		b.newEpoch(w)
		clear(b.inBook) // newEpoch has marked HaircutMultiple stale
		mmax, _ = b.moves(w)
	}
	if len(b.views) != len(b.h.Clients) {
		b.Reserve(w) // a client opened an account since (tests do)
	}
	// A full pass looks at every account and sorts them into near and far;
	// otherwise only near and touched accounts are looked at, since every
	// far account would pass the skip test below unchanged.
	// With calls_at_runs, only a new epoch makes a full pass: within one,
	// an account is looked at when it changed or has a call.
	full := b.AlwaysFull || b.farStale || b.farEpoch != b.epoch || !b.Spec.CallsAtRuns && !(mmax < b.farMove)
	if full {
		b.farMove, b.farEpoch, b.farStale = math.Inf(1), b.epoch, false
	} else {
		b.FastRounds++
	}
	// Locals: the loop would load the views and the spec's switch again
	// for every account.
	views := b.views
	nearOnly, callsOnly := !full && !b.Spec.CallsAtRuns, !full && b.Spec.CallsAtRuns
	for k := range views {
		v := &views[k]
		acc := v.acc
		t := v.touched
		if nearOnly {
			if !v.near && !t {
				continue
			}
		} else if callsOnly && !t && acc.Call == 0 {
			continue
		}
		v.touched = false
		v.near = true // a far account is only one a full pass has found so
		if acc.Inactive {
			v.quick = false
			continue
		}
		// A fast round tries the skip test's estimate (below) first on an
		// account whose requirement is current, with no call and no money
		// moved since its last re-mark: that of an untouched account
		// marked quick is known to be.
		if !full && (v.quick && !t || int(acc.ReqEpoch) == b.epoch && !acc.Dirty && !acc.Stale && acc.Call == 0 && acc.NExpo <= core.MaxExpo) &&
			b.estimate(acc)-acc.Req > acc.Allow {
			v.quick = true
			continue
		}
		v.quick = false
		if int(acc.ReqEpoch) != b.epoch || acc.Dirty {
			w.Exposure(acc, b.e)
			acc.Req, acc.Gross = b.Requirement(w, b.e)
			acc.ReqEpoch, acc.Dirty = int32(b.epoch), false
			b.hmFresh = false // inBook may gain a factor
			// The nonzero exposures, in order: Requirement has left their
			// assets in idx[:nnz] (NaN included, as v != 0 is true of it).
			e, inBook, mv := b.e, b.inBook[:len(b.e)], b.mv[:len(b.e)]
			ne, abs := int32(0), 0.0
			for _, i := range b.idx[:b.nnz] {
				v := e[i]
				inBook[i] = true
				if ne < core.MaxExpo {
					acc.ExpoUSD[ne], acc.ExpoMove[ne] = v, &mv[i]
				}
				ne++
				if v < 0 {
					v = -v
				}
				abs += v
			}
			acc.AbsExposure, acc.NExpo = abs, ne
			acc.Allow = float64(0.1*acc.Req) + float64(1e-3*acc.AbsExposure)
			pad(acc)
		} else if !acc.Stale && acc.Call == 0 && acc.NExpo <= core.MaxExpo {
			// Skip re-marking while the estimate from this epoch's moves
			// leaves a clear cushion: 10% of the requirement plus 0.1% of
			// gross exposure covers second-order terms (moves stay within
			// RemarginMove in an epoch) and a day of interest. The account
			// is skipped when either test passes: the bound on the largest
			// move (room) or the estimate. Both are pure, so their order
			// does not matter; a fast round tries the estimate first,
			// which the near accounts it looks at mostly pass (above: here
			// it has failed), and a full pass the bound first, which
			// classifies far accounts.
			room := acc.Base - acc.Req - float64(0.1*acc.Req) - float64(1e-3*acc.AbsExposure)
			if room > acc.AbsExposure*mmax {
				if full {
					b.classify(v, room, mmax)
				}
				continue
			}
			if full && b.estimate(acc)-acc.Req > acc.Allow {
				continue
			}
		}
		acc.Stale = false
		owner := w.Holders[acc.Owner]
		acc.Posted = w.AccountValue(owner, acc)
		// The base: posted margin less each kept exposure times its move,
		// over every slot (pad: a padded slot subtracts +0, which changes
		// nothing, -0 included; an account of more than MaxExpo
		// exposures fills every slot).
		x, m := &acc.ExpoUSD, &acc.ExpoMove
		base := acc.Posted
		base -= float64(x[0] * *m[0])
		base -= float64(x[1] * *m[1])
		base -= float64(x[2] * *m[2])
		base -= float64(x[3] * *m[3])
		base -= float64(x[4] * *m[4])
		base -= float64(x[5] * *m[5])
		acc.Base = base
		short := acc.Req - acc.Posted
		if short > 1e-9*acc.Req && short >= b.minCall {
			if acc.Call == 0 {
				acc.CallTick = w.Tick
				acc.CallDue = b.due(w)
				owner.Calls++
				w.OpenCalls++
				w.Log(core.Event{Kind: core.EvMarginCall, Agent: owner.ID, Other: b.Spec.ID, Amount: short})
			}
			acc.Call = short
		} else if acc.Call != 0 {
			acc.Call = 0
			owner.Calls--
			w.OpenCalls--
		}
		if full && acc.Call == 0 && acc.NExpo <= core.MaxExpo {
			b.classify(v, acc.Base-acc.Req-float64(0.1*acc.Req)-float64(1e-3*acc.AbsExposure), mmax)
		}
	}
}

// classify makes the account of view v far in a full pass when its skip test
// (room > |exposure|·move) holds for every move up to a threshold above the
// current largest move mmax, and lowers farMove to that threshold. The
// threshold is taken a relative 1e-12 below room/|exposure| so that rounding
// cannot make a far account one the test would have looked at.
func (b *PrimeBroker) classify(v *acctView, room, mmax float64) {
	acc := v.acc
	t := math.Inf(1)
	switch {
	case acc.AbsExposure > 0:
		t = room / acc.AbsExposure * (1 - 1e-12)
	case room <= 0:
		return
	}
	if t > mmax {
		v.near = false
		b.farMove = math.Min(b.farMove, t)
	}
}

// updateStress recomputes which risk factors are in the book and which of
// them are broken: fast volatility above StressVolRatio times slow, an
// move within one tick beyond StressJump daily standard deviations, or a
// correlation with another factor in the book moved by more than
// StressCorr. A factor stays broken StressHoldDays after its last trigger,
// not counting its market's closures longer than a day, and is restored at
// a tick its market trades (unless StressHoldCalendar).
// Utilization past StressUtil breaks every offset.
func (b *PrimeBroker) updateStress(w *core.World) (changed bool) {
	b.Util = b.utilization(w)
	s := &b.Spec
	was := b.Stressed
	p := stressPass{trig: -1}
	any := false
	// Locals: the compiler would load each slice, the tick and the
	// thresholds again after every store.
	tick, trading, inBook := w.Tick, w.Trading, b.inBook
	n := len(inBook)
	broken, last, prev := b.broken[:n], b.lastTrade[:n], b.prevTrade[:n]
	price, open := w.Price[:n], w.Open[:n]
	volRatio, jump, sqrtDay := s.StressVolRatio, s.StressJump, b.sqrtDay
	slowVol, fastVol := b.est.Vols()[:n], b.fast.Vols()[:n]
	// The update is one full step (stressFactor, then the record of the
	// factor's trading) for every factor in order: as AlwaysFull takes it.
	if b.AlwaysFull {
		for i := range inBook {
			b.stressFactor(w, i, &p)
			any = any || broken[i]
			if l := last[i]; (trading == nil || trading[i]) && l != tick {
				prev[i], last[i] = l, tick
			}
		}
		return b.stressEnd(w, was, any, p)
	}
	// Otherwise three passes do the same. Each factor's step reads and
	// writes only that factor's state (and the estimates and prices, which
	// no step changes), and the record of its trading comes after its
	// reads, so the steps can be taken in any order that keeps the order
	// of the factors that break (the first to break is the event's), and
	// every record can come last. First, a screen finds the factors that
	// need the full step: those broken, and those a test may break. A
	// factor that is not broken and that no test breaks stays so, with
	// only its market's trading to record. The screen's tests are
	// stressFactor's, in its order, but for the jump test's scale: a day's
	// volatility, where after a gap longer than a day the full step's is
	// √gap, at least as large (√ and a product with the threshold z·σ̂ ≥ 0
	// are monotone), so a factor the screen finds calm the full step would
	// leave calm too. With the correlation test on, every factor takes the
	// full step.
	steps, ns := b.stressSteps[:n], 0
	if s.StressCorr > 0 {
		for i := range steps {
			steps[i] = i
		}
		ns = n
	} else {
		for i, in := range inBook {
			if broken[i] {
				steps[ns] = i
				ns++
				continue
			}
			if !in {
				continue
			}
			if slow := slowVol[i]; slow > 0 &&
				(volRatio > 0 && fastVol[i] > volRatio*slow || jump > 0 && math.Abs(price[i]/open[i]-1) > jump*slow*sqrtDay) {
				steps[ns] = i
				ns++
			}
		}
	}
	b.CalmFactors += n - ns
	// Then their full steps, in order.
	for _, i := range steps[:ns] {
		b.stressFactor(w, i, &p)
		any = any || b.broken[i]
	}
	// Last, every factor's market trading (the steps read it before).
	recordTrading(last, prev, trading, tick)
	return b.stressEnd(w, was, any, p)
}

// recordTrading records, for every factor whose market trades at this
// tick (trading nil: every market), the tick as its last trading tick and
// the last one before as the previous, once a tick. A function of its own,
// so that the loop keeps its values in registers.
func recordTrading(last, prev []int, trading []bool, tick int) {
	prev = prev[:len(last)]
	if trading == nil {
		for i, l := range last {
			if l != tick {
				prev[i], last[i] = l, tick
			}
		}
		return
	}
	trading = trading[:len(last)]
	for i, l := range last {
		if trading[i] && l != tick {
			prev[i], last[i] = l, tick
		}
	}
}

// stressEnd ends a stress update whose pass over the factors reported p,
// with any of them broken (any), the broker stressed before it or not
// (was): the utilization test, the stress event and the capital-loss
// test. It reports whether the stress state changed.
func (b *PrimeBroker) stressEnd(w *core.World, was, any bool, p stressPass) (changed bool) {
	s := &b.Spec
	changed = p.changed
	us := s.StressUtil > 0 && b.Util > s.StressUtil
	if us != b.utilStress {
		changed = true
	}
	b.utilStress = us
	b.Stressed = any || us
	// The stress event tells what broke the first factor to break in
	// this call (which leaves the broker stressed), or else a new
	// utilization stress, or the offsets restored (a Note: nothing is
	// formatted in the tick loop).
	switch {
	case p.trig >= 0:
		w.Log(core.Event{Kind: core.EvStress, Agent: s.ID, Note: breakNote(w, p.why, p.trig, p.with)})
	case us && !was:
		w.Log(core.Event{Kind: core.EvStress, Agent: s.ID, Note: core.Notef("offsets dropped: utilization")})
	case was && !b.Stressed:
		w.Log(core.Event{Kind: core.EvStress, Agent: s.ID, Detail: "offsets restored"})
	}
	// Haircuts follow capital losses as they are booked.
	if w.Channels.BrokerCapital && b.Spec.Tighten > 0 && b.h.Book < b.capitalSeen*(1-0.005) {
		changed = true // newEpoch records the Book
	}
	return changed
}

// stressPass is what a stress update's pass over the factors reports: whether
// a factor broke or was restored, and the first factor to break (trig, -1:
// none), what broke it and the factor it broke with (a correlation).
type stressPass struct {
	changed         bool
	trig, why, with int
}

// stressFactor is the stress update's full step for factor i: a closure's
// pause of its hold, its tests, and its break or restoration (the update
// records its market's trading after every step).
func (b *PrimeBroker) stressFactor(w *core.World, i int, p *stressPass) {
	s := &b.Spec
	marketTime := w.Trading != nil && !s.StressHoldCalendar
	tick, trading, inBook := w.Tick, w.Trading, b.inBook
	broken, until, at := b.broken, b.brokenUntil, b.brokenAt
	last := b.lastTrade
	if marketTime && broken[i] && trading[i] && last[i] != tick {
		// The first round after a closure: a closure longer than a day
		// pauses the hold from its start, or from the last trigger if
		// that came while the market was shut (a volatility test can
		// fire then), and the remaining ticks resume at the open.
		if gap := tick - last[i]; float64(gap) > w.PerDay {
			if from := max(last[i]+1, at[i]); until[i] > from {
				until[i] += tick - from
			}
		}
	}
	// What breaks factor i this round (its note is made only for the
	// event): its volatility, a jump, or its correlation with factor j.
	why, j := noBreak, -1
	if inBook[i] {
		if slow := b.est.Vol(i); slow > 0 {
			switch {
			case s.StressVolRatio > 0 && b.fast.Vol(i) > s.StressVolRatio*slow:
				why = volBreak
			case s.StressJump > 0 && math.Abs(w.Price[i]/w.Open[i]-1) > s.StressJump*slow*b.jumpScale(w, i):
				why = jumpBreak
			}
			if why == noBreak && s.StressCorr > 0 {
				for k, ink := range inBook {
					if k != i && ink && math.Abs(b.fast.Corr(i, k)-b.est.Corr(i, k)) > s.StressCorr {
						why, j = corrBreak, k
						break
					}
				}
			}
		}
	}
	open := trading == nil || trading[i] // w.Trades(i)
	switch {
	case why != noBreak:
		if !broken[i] {
			p.changed = true
			if p.trig < 0 {
				p.trig, p.why, p.with = i, why, j
			}
		}
		broken[i] = true
		until[i], at[i] = tick+b.hold, tick
	case broken[i] && tick >= until[i] && (open || s.StressHoldCalendar):
		broken[i] = false
		p.changed = true
	}
	// The factor's market's trading is recorded after every step
	// (updateStress).
}

// What breaks a risk factor in a stress update.
const (
	noBreak = iota
	volBreak
	jumpBreak
	corrBreak // with another factor
)

// breakNote is the stress event's note for factor i broken by why (with
// factor j for a correlation).
func breakNote(w *core.World, why, i, j int) core.Note {
	switch why {
	case volBreak:
		return core.Notef("offsets dropped: volatility of %s", core.StrArg(w.Assets[i].ID))
	case jumpBreak:
		return core.Notef("offsets dropped: jump in %s", core.StrArg(w.Assets[i].ID))
	}
	return core.Notef("offsets dropped: correlation of %s and %s", core.StrArg(w.Assets[i].ID), core.StrArg(w.Assets[j].ID))
}

// HaircutMultiple returns the broker's haircuts of the current margin
// epoch over the scenario's, averaged over the risk factors in its clients'
// books that have a haircut: 1 at the scenario's haircuts, more once
// scripted margin changes, procyclical widening (kappa) or tightening after
// capital losses (tighten) raise them. NaN when no such factor is in the
// book (no client holds anything yet).
func (b *PrimeBroker) HaircutMultiple() float64 {
	if !b.hmFresh || b.AlwaysFull {
		b.hm, b.hmFresh = b.haircutMultiple(), true
	}
	return b.hm
}

// haircutMultiple computes HaircutMultiple.
func (b *PrimeBroker) haircutMultiple() float64 {
	sum, n := 0.0, 0
	for i, in := range b.inBook {
		if in && b.hBase[i] > 0 {
			sum += b.hc[i] / b.hBase[i]
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// ClientMargin returns the sums over the broker's client accounts that it
// has not seized: the requirement as last computed, and the calls
// outstanding (what clients owe against calls not yet met).
func (b *PrimeBroker) ClientMargin() (req, call float64) {
	for k := range b.views {
		if acc := b.views[k].acc; !acc.Seized {
			req += acc.Req
			call += acc.Call
		}
	}
	return req, call
}

// utilization returns the broker's leverage-ratio utilization: client
// financing plus seized and dealing inventory (and the seized currency
// awaiting squaring) over capital times LevLimit.
func (b *PrimeBroker) utilization(w *core.World) float64 {
	capital := w.NAV(b.h)
	if !w.Channels.BrokerCapital {
		capital = b.h.Book0 // losses do not shrink the broker's capacity
	}
	capital *= b.Spec.LevLimit
	if capital <= 0 {
		return math.Inf(1)
	}
	e := w.ClientDebitsUSD(b.h) + b.SeizedCurrencyUSD(w)
	for k := range b.h.Accounts {
		acc := &b.h.Accounts[k]
		for _, i := range acc.Held {
			e += math.Abs(w.NotionalUSD(i, acc.Units[i]))
		}
	}
	return e / capital
}

// SeizedCurrencyUSD returns the USD value of the currency positions the
// liquidation has still to square, in absolute value: in each currency
// other than USD, the balances taken over from seized clients and the
// proceeds of sales so far (moved to their fills), plus the seized
// collateral priced in it — the position Decide trades towards zero. A
// seizure takes a client's loans out of Debits, so without this a broker
// left short the yen it lent a carry trade would count nothing until it
// had bought them back. The collateral's own notional counts apart.
func (b *PrimeBroker) SeizedCurrencyUSD(w *core.World) float64 {
	if b.idle {
		return 0
	}
	var net core.Money
	copy(net[1:w.NCur], b.seizedBal[1:w.NCur])
	for _, i := range b.pend { // filled since they were booked at the mark (see reconcile)
		net[w.Assets[i].Currency] += b.fillCorrection(w, i)
	}
	acc := &b.h.Accounts[b.seized]
	for _, i := range acc.Held {
		if c := w.Assets[i].Currency; c != core.USD && w.Assets[i].Funded() {
			net[c] += float64(acc.Units[i] * w.Price[i])
		}
	}
	e := 0.0
	for c := 1; c < w.NCur; c++ {
		e += math.Abs(float64(net[c] * w.FXUSD[c]))
	}
	return e
}

// jumpScale turns slow per-tick volatility into the volatility a move at
// this tick may carry: a day's, or more after a closure (a Monday open
// brings the weekend's news: the threshold grows with the hours since the
// market last traded).
func (b *PrimeBroker) jumpScale(w *core.World, i int) float64 {
	gap := 1
	if w.Trading != nil {
		last := b.lastTrade[i]
		if last == w.Tick { // a later round of the tick: the move is still the closure's
			last = b.prevTrade[i]
		}
		gap = w.Tick - last
	}
	if float64(gap) <= w.PerDay {
		return b.sqrtDay
	}
	return math.Sqrt(float64(gap))
}

// CapitalLoss returns the share of its initial capital the broker has lost.
func (b *PrimeBroker) CapitalLoss() float64 {
	return math.Max(0, 1-b.h.Book/b.capital0)
}

// Decide fire-sells seized collateral and squares the currencies the
// liquidation leaves the broker long or short, a share LiquidationSpeed
// each tick: in the first round, or in the round a default happened (the
// first liquidation of a tick takes the whole book; a later one only what
// was seized since, so that nothing is sold twice in a tick).
//
// The broker's position in a currency c other than USD is the balances its
// seized clients owed or held in c (negative: it lent them c, and its own
// funding of the loan remains), the proceeds in c of collateral sold so
// far (at the mark it was offered at), and the value in c of the collateral
// still held. Selling yen-priced collateral bought on a yen loan squares
// the loan by itself; collateral bought with dollars leaves yen to sell;
// a carry trade's dollar collateral leaves the yen loan to buy back. The
// broker trades the share LiquidationSpeed of that position towards zero.
func (b *PrimeBroker) Decide(w *core.World) {
	if len(b.pend) > 0 {
		b.reconcile(w)
	}
	if w.Round > 0 && !b.fresh {
		return
	}
	b.fresh = false
	acc := &b.h.Accounts[b.seized]
	if b.idle {
		return // nothing seized, or all of it liquidated and squared
	}
	whole := w.Round == 0 || b.liqTick != w.Tick
	b.liqTick = w.Tick
	f := b.Spec.LiquidationSpeed
	// The position in each currency before this round's sales (which
	// turn collateral into proceeds and leave it unchanged): the balances,
	// then the collateral, which the same pass offers for sale.
	var net core.Money
	var held [len(core.Money{})]bool // collateral priced in the currency is still held
	for c := 1; c < w.NCur; c++ {
		if whole {
			net[c] = b.seizedBal[c]
		} else {
			net[c] = b.newBal[c]
		}
	}
	sold := 0.0
	for _, i := range acc.Held {
		u := acc.Units[i]
		if !whole {
			u = b.newUnits[i]
		}
		c := w.Assets[i].Currency
		foreign := c != core.USD && w.Assets[i].Funded()
		if foreign {
			net[c] += float64(u * w.Price[i])
			held[c] = true
		}
		if u == 0 || !w.Trades(i) {
			continue // nothing new, or its market is closed: sell at the open
		}
		q := -u * f
		if math.Abs(w.NotionalUSD(i, u)) < 1e-4*b.capital0 { // the tail goes in one lot
			q = -u
		}
		w.Submit(core.Order{Holder: b.h.Index, Acct: b.seized, Asset: i, Units: q, Reason: core.DefaultLiquidation})
		if q < 0 { // a short's buy-back is not a sale
			sold -= w.NotionalUSD(i, q)
		}
		if foreign {
			b.seizedBal[c] += float64(-q * w.Price[i])
			b.expect(w, i, q)
		}
	}
	clear(b.newUnits)
	b.newBal = core.Money{}
	for c := 1; c < w.NCur; c++ {
		v := net[c]
		if math.Abs(v*w.FXUSD[c]) <= 1 {
			if whole && !held[c] {
				b.seizedBal[c] = 0 // dust: nothing left in c to square
			}
			continue
		}
		q := float64(-v * f)
		if math.Abs(v*w.FXUSD[c]) < 1e-4*b.capital0 {
			q = -v // the tail goes in one lot
		}
		p, units := fxBuy(w, c, q*w.FXUSD[c])
		if !w.Trades(p) {
			continue // the exchange market is closed: trade at its open
		}
		w.Submit(core.Order{Holder: b.h.Index, Acct: 0, Asset: p, Units: units, Reason: core.DefaultLiquidation})
		if units < 0 {
			sold -= w.NotionalUSD(p, units)
		}
		b.seizedBal[c] += q
		if w.Assets[p].Currency == c { // c is the pair's quote: its amount is units times the fill
			b.expect(w, p, units)
		}
	}
	if sold > 0 {
		w.Log(core.Event{Kind: core.EvLiquidation, Agent: b.h.ID, Amount: sold, Reason: core.DefaultLiquidation, Detail: "seized collateral sold"})
	}
	b.idle = len(acc.Held) == 0 && b.seizedBal == (core.Money{}) && len(b.pend) == 0
}

// expect notes an order of units of asset i whose proceeds seizedBal has
// booked at the mark, to be moved to the fill by reconcile.
func (b *PrimeBroker) expect(w *core.World, i int, units float64) {
	if b.pendUnits[i] == 0 {
		b.pend = append(b.pend, i)
		b.pendMark[i] = w.Price[i]
	}
	b.pendUnits[i] += units
}

// reconcile moves the proceeds of the last round's orders, booked at their
// marks, to their fills: an order of q units in a currency c asset (or
// exchange rate quoted in c) changed the balance in c by −q·fill, not
// −q·mark. The market has not cleared since that round: every agent
// decides before each clearing.
func (b *PrimeBroker) reconcile(w *core.World) {
	for _, i := range b.pend {
		b.seizedBal[w.Assets[i].Currency] += b.fillCorrection(w, i)
		b.pendUnits[i] = 0
	}
	b.pend = b.pend[:0]
}

// fillCorrection is what moving a pending order of asset i from its mark to
// its fill changes in the balance of i's currency: −units·(fill − mark).
func (b *PrimeBroker) fillCorrection(w *core.World, i int) float64 {
	return -float64(b.pendUnits[i] * (w.Exec[i] - b.pendMark[i]))
}

// Seize closes out a client account after a default: the broker takes its
// positions into its liquidation book and extinguishes the balance. The
// client's loss of the account's equity is the broker's gain; a negative
// equity is the broker's shortfall, recovered from the client's free cash
// (in any currency) where it can be. A positive equity is paid back to the client. It returns
// the shortfall left unrecovered (USD).
func (b *PrimeBroker) Seize(w *core.World, ref core.AcctRef) float64 {
	acc := w.Acct(ref)
	client := w.Holders[ref.Holder]
	w.Settle(client)
	w.Settle(b.h)
	eq := acc.Equity(w)
	liq := &b.h.Accounts[b.seized]
	for len(acc.Held) > 0 {
		i := acc.Held[0]
		u := acc.Units[i]
		liq.Add(i, u)
		acc.Add(i, -u)
		b.newUnits[i] += u
	}
	bal := b.h.Seize(acc)
	// Dollars need no squaring: only the other currencies are followed
	// (a dollar entry would keep the broker from ever going idle).
	for c := 1; c < w.NCur; c++ {
		b.seizedBal[c] += bal[c]
		b.newBal[c] += bal[c]
	}
	b.fresh, b.idle = true, false
	if acc.Call != 0 {
		client.Calls--
		w.OpenCalls--
	}
	acc.Call, acc.Req, acc.Posted = 0, 0, 0
	client.Book -= eq
	client.PnL[core.PnLCredit] -= eq
	b.h.Book += eq
	b.h.PnL[core.PnLCredit] += eq
	if eq > 0 {
		w.Pay(b.h, 0, client, 0, core.USD, eq, core.PnLCredit)
		return 0
	}
	// Recovery from the client's free cash: dollars first, then each other
	// currency at its dollar value, which the liquidation sells for
	// dollars with the rest of the seized book.
	return spendFreeCash(w, client, -eq, func(c int, units float64) {
		w.Pay(client, 0, b.h, 0, c, units, core.PnLCredit)
		if c != core.USD {
			b.seizedBal[c] += units
			b.newBal[c] += units
		}
	})
}

// ChangeHaircuts applies a scripted margin change: multiply the haircuts of
// the given asset indices (nil: every asset) by mult.
func (b *PrimeBroker) ChangeHaircuts(w *core.World, assets []int, mult float64) {
	if assets == nil {
		b.HaircutMult *= mult
	} else {
		for _, i := range assets {
			b.h0[i] *= mult
		}
	}
	b.newEpoch(w)
}

// Default closes out a client that failed to meet a margin call or became
// insolvent: every broker account it has is seized. It logs the default,
// with why as its detail, and returns the total shortfall its brokers book.
func Default(w *core.World, client *core.Holder, brokers []*PrimeBroker, why core.Note) float64 {
	if client.Defaulted {
		return 0
	}
	client.Defaulted = true
	for k := range client.Accounts {
		client.Accounts[k].Inactive = true
	}
	client.DefaultTick = w.Tick
	// Accounts with a surplus are closed out first, so that what they pay
	// back to the client covers its deficits elsewhere before any broker
	// books a shortfall: the loss is what the client cannot pay overall,
	// whatever the order of its accounts.
	w.Settle(client)
	short := 0.0
	for _, surplus := range [...]bool{true, false} {
		for k := 1; k < len(client.Accounts); k++ {
			acc := &client.Accounts[k]
			if acc.Lender == core.Custody || acc.Seized || (acc.Equity(w) > 0) != surplus {
				continue
			}
			for _, b := range brokers {
				if b.h.Index == acc.Lender {
					short += b.Seize(w, core.AcctRef{Holder: client.Index, Acct: k})
				}
			}
		}
	}
	w.Log(core.Event{Kind: core.EvDefault, Agent: client.ID, Amount: short, Note: why})
	return short
}

// due is the tick by which a call issued now must be met: one settlement
// window of ticks later, counting only weekday ticks with settle_weekdays.
func (b *PrimeBroker) due(w *core.World) int {
	if !b.Spec.SettleWeekdays {
		return w.Tick + b.settle
	}
	t, left := w.Tick, b.settle
	idle, week := 0, int(7*24*time.Hour/w.TickLen) // weekend ticks in a row; ticks in a week
	for left > 0 {
		switch w.Start.Add(time.Duration(t) * w.TickLen).UTC().Weekday() {
		case time.Saturday, time.Sunday:
			if idle++; idle > week {
				// A week of ticks without a weekday start (weekly ticks
				// on Saturdays): count calendar ticks instead.
				return w.Tick + b.settle
			}
		default:
			idle = 0
			left--
		}
		t++
	}
	return t
}

// Overdue returns a client's account whose margin call is due and unmet,
// or -1. It is judged at the end of a clearing round, after settlement
// (MODEL.md §5): a call issued at tick t with a window of n ticks
// (CallDue = t+n) can be met through tick t+n, and is overdue at the end of
// any round of that tick or later in which it is still unmet. Unmet is
// judged on the account as the round left it: the margin posted at the
// round's marks against its requirement at the epoch's haircuts
// (recomputed if its positions or balances changed in the round), with
// the test that opens a call; so what the client sold or posted in the
// round counts. It changes nothing.
func Overdue(w *core.World, client *core.Holder, brokers []*PrimeBroker) int {
	for k := 1; k < len(client.Accounts); k++ {
		acc := &client.Accounts[k]
		if acc.Call <= 0 || acc.Seized || w.Tick < acc.CallDue {
			continue
		}
		for _, b := range brokers {
			if b.h.Index != acc.Lender {
				continue
			}
			req := acc.Req
			if acc.Dirty || int(acc.ReqEpoch) != b.epoch {
				req = b.AccountRequirement(w, acc)
			}
			if short := req - w.AccountValue(client, acc); short > 1e-9*req && short >= b.minCall {
				return k
			}
		}
	}
	return -1
}
