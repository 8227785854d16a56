package sim

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/core/dmath"
	"github.com/cascade-sim/cascade/market"
)

// Model is one run: the world, its market, its agents and the clock.
type Model struct {
	Cfg  *Config
	Seed uint64 // the run's seed (see core.RunSeed)
	// Warm is the number of ticks of calm history before the start
	// (Config.Warmup; see history).
	Warm int
	// Notes says what set-up changed from the scenario (for the user).
	Notes []string
	// Gists says what Notes say without this run's numbers, one a subject
	// (each bank a note names below a threshold): runs whose set-up says
	// the same thing have the same gists, and a sweep counts its runs by
	// them (agents.Env.Note, agents.Env.NoteOn).
	Gists []agents.Gist
	// Draws are the parameters drawn for the members of populations
	// (AgentSpec.Vary), in the order the agents were built.
	Draws []Draw
	drawn []drawn   // the agent and spec of each of Draws
	trend []float64 // the scenario's trend z-scores per asset (NaN: none)
	// vulnAV is the GLT aggregate vulnerability of the starting books
	// under every scripted shock (NaN: none scripted), measured by Build.
	vulnAV float64
	W      *core.World
	M      *market.Market

	Agents   []agents.Agent // in decision order
	holders  []*core.Holder // Agents' balance sheets, in the same order
	policies []agents.Policymaker
	Brokers  []*agents.PrimeBroker
	Funds    []*agents.HedgeFund
	clients  []*core.Holder // holders with prime-broker accounts

	env       *agents.Env
	liqVol    *core.EWMA      // volatility the square-root law scales with (half-life half a day), under impact_vol: tick
	spreadVol *core.SpreadVol // the same with opening gaps spread over the ticks they cover, under impact_vol: spread
	futuresOf [][]int         // per asset: the futures on it
	cal       *calendar
	gap       []float64 // exogenous returns accumulated while a market is closed
	// gapHeld: a market was closed at the last pass over the gaps, so gap,
	// gapSh and the rest may hold news (Step skips the pass otherwise while
	// every market is open); fullGapPass (tests) makes Step pass always.
	gapHeld, fullGapPass bool
	links                []link
	basisArbs            []basisArb
	lastImp              []float64 // each asset's move in the tick before, less its own noise (what links carry)
	nz, gapNz            []float64 // this tick's noise per asset, and noise held back while its market is closed
	lx, gapLx            []float64 // the same for the valuation links' part of the exogenous move (and basis arbitrage's)
	// sh, gapSh and lastSh: the same for the scripted shocks a bond and
	// its futures both receive (a bond's own shock, a future's share of
	// its underlying's), and that part of the tick before's move, which a
	// link between a bond and its future leaves out (link.family).
	sh, gapSh, lastSh []float64
	lastClose         []float64
	noise             *noise
	events            []event
	nextEvent         int
	shock, x          []float64
	ret, mark         []float64
	pending           []scripted
	maxRounds         int
	follow            *follower // the agents report.follow names (nil: none)

	// Audit, when set, is called after the exogenous move and after every
	// clearing round with a label of the stage; a non-nil error stops the run.
	Audit func(stage string) error

	rec     recorder
	peek    core.Peek // observers' view of the books (see Frame.Books)
	compBuf []float64 // Compression's scratch: four values per asset
	obsErr  error
}

// link is a resolved LinkSpec.
type link struct {
	asset, driver int
	beta          float64
	// family: the link joins a bond and a future on it, which receive
	// the bond's scripted shocks both, each directly: it carries the
	// driver's move less that shared news, or the news would arrive twice.
	family bool
}

// basisArb is the basis arbitrage of a future with basis_half_life_days:
// each tick both markets trade, the future's exogenous return closes share
// of its log basis to its underlying, times the dealers' room (Step).
type basisArb struct {
	future, cash int
	cf           float64 // conversion factor P0/F0: the basis is ln(cf·F/P)
	share        float64 // 1 − 2^(−1/(H·n)): the share closed per tick with dealers idle
}

// defaultGroup is the plot panel of an asset kind.
func defaultGroup(k core.AssetKind) string {
	switch k {
	case core.FX:
		return "fx"
	case core.Bond, core.Future:
		return "rates"
	case core.Equity:
		return "equity"
	}
	return "other"
}

// Channel names accepted by ChannelSpec.Off (besides agent kinds and "all").
var ChannelNames = []string{"cross_margin", "offset_drop", "procyclical_haircuts", "dealer_constraint", "broker_capital", "funding_feedback", "valuation_links"}

// ErrOutsideSwitch is the error for switching off the outside sector, which
// takes no decisions that a switch could stop.
var ErrOutsideSwitch = errors.New("the outside sector cannot be switched off: it takes no decisions; it absorbs net flow when no dealer is active and places scripted interventions (switch off dealer, or remove the events)")

// Channels resolves the switches of a ChannelSpec.
func (c ChannelSpec) Channels() (core.Channels, error) {
	ch := core.AllOn()
	for _, name := range c.Off {
		switch name {
		case "all":
			ch = core.AllOff()
		case "cross_margin":
			ch.CrossMargin = false
		case "offset_drop":
			ch.OffsetDrop = false
		case "procyclical_haircuts":
			ch.ProcyclicalHaircuts = false
		case "dealer_constraint":
			ch.DealerConstraint = false
		case "broker_capital":
			ch.BrokerCapital = false
		case "funding_feedback":
			ch.FundingFeedback = false
		case "valuation_links":
			ch.ValuationLinks = false
		case "outside":
			return ch, ErrOutsideSwitch
		default:
			k, err := core.ParseAgentKind(name)
			if err != nil {
				hint := core.DidYouMean(name, slices.Concat(ChannelNames, core.AgentKindNames(), []string{"all"}))
				return ch, fmt.Errorf("unknown channel %q%s (want one of %s, an agent kind, or all)", name, hint, strings.Join(ChannelNames, ", "))
			}
			ch.Kinds[k] = false
		}
	}
	return ch, nil
}

// Build sets up a run of cfg with the given run seed. It checks everything
// it resolves and returns an error naming the offending part.
func Build(cfg *Config, seed uint64) (*Model, error) {
	if cfg == nil {
		return nil, fmt.Errorf("sim: Build needs a Config, not nil")
	}
	if cfg.Ticks <= 0 {
		return nil, fmt.Errorf("ticks must be positive")
	}
	if len(cfg.Assets) == 0 {
		return nil, fmt.Errorf("no assets")
	}
	tick := cfg.Tick
	if tick == 0 {
		tick = time.Hour
	}
	if tick < 0 {
		return nil, fmt.Errorf("tick must be positive")
	}
	m := &Model{Cfg: cfg, Seed: seed}
	if cfg.Warmup < 0 {
		return nil, fmt.Errorf("warmup must not be negative")
	}
	m.Warm = int(cfg.Warmup / tick)
	perDay := float64(24*time.Hour) / float64(tick)
	w := &core.World{Start: cfg.Start, TickLen: tick, PerDay: perDay, PerYear: 365 * perDay, DT: 1 / (365 * perDay)}
	m.W = w
	// Currencies, USD first.
	w.Currencies = []string{"USD"}
	addCur := func(c string) error {
		if c == "" {
			return fmt.Errorf("missing currency")
		}
		for _, x := range w.Currencies {
			if x == c {
				return nil
			}
		}
		if len(w.Currencies) == core.MaxCurrencies {
			return fmt.Errorf("more than %d currencies", core.MaxCurrencies)
		}
		w.Currencies = append(w.Currencies, c)
		return nil
	}
	for k := range cfg.Assets {
		a := &cfg.Assets[k]
		if err := addCur(a.Currency); err != nil {
			return nil, fmt.Errorf("assets[%d] (%s): %w", k, a.ID, err)
		}
		if a.Kind == "fx" {
			if err := addCur(a.Base); err != nil {
				return nil, fmt.Errorf("assets[%d] (%s): base: %w", k, a.ID, err)
			}
		}
	}
	w.NCur = len(w.Currencies)
	cur := func(c string) int {
		for i, x := range w.Currencies {
			if x == c {
				return i
			}
		}
		return -1
	}
	n := len(cfg.Assets)
	w.Assets = make([]core.Asset, n)
	seen := map[string]bool{}
	for k := range cfg.Assets {
		s := &cfg.Assets[k]
		if s.ID == "" || seen[s.ID] {
			return nil, fmt.Errorf("assets[%d]: missing or duplicate id %q", k, s.ID)
		}
		seen[s.ID] = true
		kind, err := core.ParseAssetKind(s.Kind)
		if err != nil {
			return nil, fmt.Errorf("assets[%d] (%s): %w", k, s.ID, err)
		}
		if !(s.Price > 0) || !finite(s.Price) || !(s.Vol >= 0) || !finite(s.Vol) || !finite(s.Drift) {
			return nil, fmt.Errorf("assets[%d] (%s): price must be positive, vol non-negative, both finite", k, s.ID)
		}
		a := core.Asset{ID: s.ID, Kind: kind, Currency: cur(s.Currency), Base: -1, Price0: s.Price, Vol: s.Vol, Drift: s.Drift,
			Duration: s.Duration, Yield0: s.Yield, Underlying: -1, Beta: s.Beta, ADV: s.ADV, Group: s.Group}
		if a.Group == "" {
			a.Group = defaultGroup(kind)
		}
		switch kind {
		case core.FX:
			a.Base = cur(s.Base)
			if a.Base == a.Currency || (a.Base != core.USD && a.Currency != core.USD) {
				return nil, fmt.Errorf("assets[%d] (%s): an exchange rate must have USD on exactly one side", k, s.ID)
			}
		case core.Bond:
			if !(s.Duration > 0) {
				return nil, fmt.Errorf("assets[%d] (%s): a bond needs a positive duration", k, s.ID)
			}
		case core.Future:
			if a.Beta == 0 {
				a.Beta = 1
			}
			if !(a.Beta > 0) || math.IsInf(a.Beta, 0) {
				return nil, fmt.Errorf("assets[%d] (%s): beta must be positive and finite (a future moves with its underlying)", k, s.ID)
			}
		}
		w.Assets[k] = a
	}
	for k := range cfg.Assets {
		s := &cfg.Assets[k]
		if w.Assets[k].Kind != core.Future {
			continue
		}
		u := -1
		for j := range w.Assets {
			if w.Assets[j].ID == s.Underlying {
				u = j
			}
		}
		if u < 0 || w.Assets[u].Kind == core.Future {
			return nil, fmt.Errorf("assets[%d] (%s): underlying %q is not a declared non-future asset", k, s.ID, s.Underlying)
		}
		w.Assets[k].Underlying = u
		if w.Assets[k].Duration == 0 {
			w.Assets[k].Duration = w.Assets[u].Duration
		}
	}
	for c := range w.FXPair {
		w.FXPair[c] = -1
	}
	for c := 1; c < w.NCur; c++ {
		for i := range w.Assets {
			a := &w.Assets[i]
			if a.Kind == core.FX && ((a.Base == core.USD && a.Currency == c) || (a.Currency == core.USD && a.Base == c)) {
				w.FXPair[c] = i
				break
			}
		}
		if w.FXPair[c] < 0 {
			return nil, fmt.Errorf("currency %s has no exchange rate against USD among the assets", w.Currencies[c])
		}
	}
	w.Price = make([]float64, n)
	w.Open = make([]float64, n)
	w.Price0 = make([]float64, n)
	w.Yields = make([]float64, n)
	w.Trading = make([]bool, n)
	for i := range w.Trading {
		w.Trading[i] = true // set up happens with every market open
	}
	for i := range w.Yields {
		w.Yields[i] = math.NaN()
	}
	for i := range w.Assets {
		w.Price[i] = w.Assets[i].Price0
	}
	copy(w.Open, w.Price)
	copy(w.Price0, w.Price)
	w.UpdateFX()
	w.UpdateYields()
	for _, code := range slices.Sorted(maps.Keys(cfg.Rates)) { // the first error is the same every time
		r := cfg.Rates[code]
		c := cur(code)
		if c < 0 {
			return nil, fmt.Errorf("rates: unknown currency %q", code)
		}
		if !finite(r.Policy) || !finite(r.Expected) {
			return nil, fmt.Errorf("rates.%s: rates must be finite", code)
		}
		w.Policy[c], w.Expected[c] = r.Policy, r.Expected
	}
	// Calm volatilities and correlations; a future moves with its underlying.
	corr, err := calmCorrelation(cfg.Correlation, w.Assets)
	if err != nil {
		return nil, err
	}
	vol0 := make([]float64, n)
	for i := range w.Assets {
		vol0[i] = w.Assets[i].Vol / math.Sqrt(w.PerYear)
		if u := w.Assets[i].Underlying; u >= 0 {
			vol0[i] = w.Assets[i].Beta * w.Assets[u].Vol / math.Sqrt(w.PerYear)
		}
	}
	w.Est = core.NewEstimators(vol0, corr)
	if w.Channels, err = cfg.Channels.Channels(); err != nil {
		return nil, fmt.Errorf("channels: %w", err)
	}
	w.AddHolder("outside", core.Outside)

	// Agents.
	scale := cfg.LeverageScale
	if scale == 0 {
		scale = 1
	}
	if !(scale > 0) || !finite(scale) {
		return nil, fmt.Errorf("leverage_scale must be positive")
	}
	// The sessions' calendar, which agents' schedules read (rebalance_at).
	assetIDs := make([]string, n)
	sessions := make([]string, n)
	for i := range cfg.Assets {
		assetIDs[i], sessions[i] = cfg.Assets[i].ID, cfg.Assets[i].Session
	}
	if m.cal, err = newCalendar(cfg, cfg.Start.Add(-time.Duration(m.Warm)*tick), cfg.Start, tick, m.Warm+cfg.Ticks, assetIDs, sessions); err != nil {
		return nil, err
	}
	w.DayTicks = m.cal.day
	m.env = &agents.Env{W: w, Rand: core.Stream(seed, "agents"), Brokers: map[string]*agents.PrimeBroker{}, Scale: scale,
		Ticks: cfg.Ticks, Trades: func(i, t int) bool { return m.cal.open(i, m.Warm+t) }}
	var dealers []market.Dealer
	ids := map[string]bool{"outside": true}
	claim := func(id string) error {
		if id == "" {
			return fmt.Errorf("missing id")
		}
		if ids[id] {
			return fmt.Errorf("duplicate id %q", id)
		}
		ids[id] = true
		return nil
	}
	// Funding at its calm level, before anything is built on the books:
	// what an agent takes at set-up as its starting level (the insurer's
	// hedged pickup) prices the scenario's spreads and basis, as the first
	// close's update (no utilization yet) does.
	f := cfg.Funding
	fund := market.Funding{RepoSpread0: f.RepoSpread, RepoSlope: f.RepoSlope, OtherSpread0: f.OtherSpread, OtherSlope: f.OtherSlope,
		Basis0: f.Basis, BasisSlope: f.BasisSlope, UStar: f.UStar, FacilityCap: f.FacilityCap, FacilityCapacity: f.FacilityCapacity}
	w.Facility = f.FacilityOn
	fund.Update(w)
	for k := range cfg.Brokers {
		s := &cfg.Brokers[k]
		if err := claim(s.ID); err != nil {
			return nil, fmt.Errorf("brokers[%d]: %w", k, err)
		}
		b, err := s.Build(m.env)
		if err != nil {
			return nil, fmt.Errorf("brokers[%d]: %w", k, err)
		}
		m.env.Brokers[s.ID] = b
		m.Brokers = append(m.Brokers, b)
		m.Agents = append(m.Agents, b)
		if d := s.Dealer; d != nil {
			r := dealerRole(b.Holder().Index, d, w.PerDay)
			r.Seized = b.SeizedCurrencyUSD
			dealers = append(dealers, r)
		}
	}
	for k := range cfg.Dealers {
		s := &cfg.Dealers[k]
		if err := claim(s.ID); err != nil {
			return nil, fmt.Errorf("dealers[%d]: %w", k, err)
		}
		d, err := s.Build(m.env)
		if err != nil {
			return nil, fmt.Errorf("dealers[%d]: %w", k, err)
		}
		m.Agents = append(m.Agents, d)
		dealers = append(dealers, dealerRole(d.Holder().Index, s, w.PerDay))
	}
	pop := core.Stream(seed, "population")
	for k := range cfg.Agents {
		if err := m.buildAgents(k, &cfg.Agents[k], pop, claim); err != nil {
			return nil, fmt.Errorf("agents[%d]: %w", k, err)
		}
	}
	for _, h := range w.Holders {
		for k := 1; k < len(h.Accounts); k++ {
			if h.Accounts[k].Lender != core.Custody {
				m.clients = append(m.clients, h)
				break
			}
		}
	}

	// Market.
	liq := make([]market.Liquidity, n)
	depth := cfg.DepthScale
	if depth == 0 {
		depth = 1
	}
	if !(depth > 0) || !finite(depth) {
		return nil, fmt.Errorf("depth_scale must be positive")
	}
	for i := range cfg.Assets {
		im := &cfg.Assets[i].Impact
		a := &w.Assets[i]
		l := market.Liquidity{Lambda: im.Lambda, Y: im.Y, Exponent: im.Exponent, Delta: im.Delta, Floor: im.Floor, Permanent: im.Permanent,
			HalfLife: im.HalfLifeDays * perDay, FlowHalfLife: im.FlowHalfLifeDays * perDay,
			DailyVol: a.Vol / math.Sqrt(365), ADV: a.ADV}
		if im.Volume != 0 {
			l.ADV = im.Volume
		}
		l.Lambda /= depth
		l.ADV *= depth
		l.Delta *= depth
		if a.Underlying >= 0 {
			l.DailyVol = a.Beta * w.Assets[a.Underlying].Vol / math.Sqrt(365)
		}
		fn := im.Function
		if fn == "" && a.Kind == core.Illiquid {
			fn = "linear"
		}
		if l.Impact, err = market.ParseImpactKind(fn); err != nil {
			return nil, fmt.Errorf("assets[%d] (%s): impact: %w", i, a.ID, err)
		}
		liq[i] = l
	}
	conv := market.Conventions{Sequential: cfg.Conventions.Sequential}
	if cfg.Conventions.Execution != "" {
		if conv.Execution, err = market.ParseExecution(cfg.Conventions.Execution); err != nil {
			return nil, fmt.Errorf("conventions: %w", err)
		}
	}
	if cfg.Conventions.Flow != "" {
		if conv.Flow, err = market.ParseFlowUnit(cfg.Conventions.Flow); err != nil {
			return nil, fmt.Errorf("conventions: %w", err)
		}
	}
	if err := CheckImpactVol(cfg.Conventions.ImpactVol); err != nil {
		return nil, fmt.Errorf("conventions: %w", err)
	}
	m.maxRounds = cfg.Conventions.MaxRounds
	if m.maxRounds == 0 {
		m.maxRounds = 5
	}
	if m.maxRounds < 0 {
		return nil, fmt.Errorf("conventions: max_rounds must be positive")
	}
	for i := range liq {
		if err := liq[i].Validate(); err != nil {
			return nil, fmt.Errorf("assets[%d] (%s): impact: %w", i, w.Assets[i].ID, err)
		}
	}
	if m.M, err = market.New(w, liq, conv, dealers, fund); err != nil {
		return nil, err
	}

	// Trends: the starting positions (startBooks, after the warm-up)
	// depend on them.
	m.trend = make([]float64, n)
	for i := range m.trend {
		m.trend[i] = math.NaN()
	}
	for _, id := range slices.Sorted(maps.Keys(cfg.Trends)) {
		z := cfg.Trends[id]
		i, err := m.env.Asset(id)
		if err != nil {
			return nil, fmt.Errorf("trends: %w", err)
		}
		if !finite(z) {
			return nil, fmt.Errorf("trends.%s: must be finite", id)
		}
		w.Est.SetTrend(i, z)
		m.trend[i] = z
	}
	switch hl := 0.5 * perDay; {
	case cfg.Conventions.ImpactVol == "tick":
		m.liqVol = w.Est.EWMA(hl)
	case m.cal.everyTick() && w.Est.HasEWMA(hl):
		// No market ever closes, so there is no gap to spread: the
		// estimate is the diagonal of the shared EWMA that agents keep
		// anyway, bit for bit (TestSpreadVolIsEWMAWhenOpen,
		// TestImpactVolShared), at no cost.
		m.liqVol = w.Est.EWMA(hl)
	default:
		vol0 := make([]float64, n)
		for i := range vol0 {
			vol0[i] = w.Est.Calm(i)
		}
		m.spreadVol = core.NewSpreadVol(hl, vol0)
	}
	m.futuresOf = make([][]int, n)
	for i := range w.Assets {
		if u := w.Assets[i].Underlying; u >= 0 {
			m.futuresOf[u] = append(m.futuresOf[u], i)
		}
	}
	for k := range cfg.Assets {
		if hl := cfg.Assets[k].BasisHalfLifeDays; hl != 0 {
			a := &w.Assets[k]
			if a.Underlying < 0 || !(hl > 0) || math.IsInf(hl, 0) {
				return nil, fmt.Errorf("assets[%d] (%s): basis_half_life_days: a future's, finite and > 0 (got %v)", k, a.ID, hl)
			}
			m.basisArbs = append(m.basisArbs, basisArb{future: k, cash: a.Underlying,
				cf: w.Assets[a.Underlying].Price0 / a.Price0, share: 1 - dmath.Pow(0.5, 1/(hl*w.TradingDay(k)))})
		}
	}
	m.shock, m.x = make([]float64, n), make([]float64, n)
	m.ret, m.mark = make([]float64, n), make([]float64, n)
	copy(m.mark, w.Price)
	m.gap = make([]float64, n)
	m.lastImp = make([]float64, n)
	m.nz, m.gapNz = make([]float64, n), make([]float64, n)
	m.lx, m.gapLx = make([]float64, n), make([]float64, n)
	m.sh, m.gapSh, m.lastSh = make([]float64, n), make([]float64, n), make([]float64, n)
	m.lastClose = append([]float64(nil), w.Price...)
	for k, l := range cfg.Links {
		a, err := m.env.Asset(l.Asset)
		if err != nil {
			return nil, fmt.Errorf("links[%d]: %w", k, err)
		}
		d, err := m.env.Asset(l.Driver)
		if err != nil {
			return nil, fmt.Errorf("links[%d]: driver: %w", k, err)
		}
		if a == d || !finite(l.Beta) {
			return nil, fmt.Errorf("links[%d]: an asset cannot drive itself, and beta must be finite", k)
		}
		family := w.Assets[a].Underlying == d || w.Assets[d].Underlying == a
		m.links = append(m.links, link{asset: a, driver: d, beta: l.Beta, family: family})
	}
	// A link into a bond reaches its futures too (one fundamental factor),
	// as a shock does, unless a link drives the future itself, or the
	// future is the link's driver (the bond repricing to its future: the
	// future must not drive itself).
	for k, n := 0, len(m.links); k < n; k++ {
		l := m.links[k]
		for _, f := range m.futuresOf[l.asset] {
			if f != l.driver && !slices.ContainsFunc(m.links[:n], func(o link) bool { return o.asset == f }) {
				m.links = append(m.links, link{asset: f, driver: l.driver, beta: float64(w.Assets[f].Beta * l.beta)})
			}
		}
	}
	if m.noise, err = newNoise(w, cfg, corr, core.Stream(seed, "noise")); err != nil {
		return nil, err
	}
	if err := m.resolveEvents(); err != nil {
		return nil, err
	}
	if err := m.rec.init(m); err != nil {
		return nil, err
	}
	m.history()
	w.Tick = 0
	if err := m.startBooks(); err != nil {
		return nil, err
	}
	if err := m.reapplied(); err != nil {
		return nil, err
	}
	m.reserve()
	follow, err := newFollower(m, cfg.Report.Follow)
	if err != nil {
		return nil, err
	}
	m.follow = follow
	if scale != 1 && !m.anyLevered() {
		const why = "it multiplies hedge funds' trade leverage and the target volatility and leverage cap of CTAs, risk-parity and vol-control funds, and there are none"
		m.env.Note(fmt.Sprintf("leverage_scale %g scales nothing in this world: %s", scale, why), "leverage_scale scales nothing in this world: "+why)
	}
	for _, name := range cfg.Channels.Off {
		if why := cfg.Inert(name); why != "" {
			m.env.Note(fmt.Sprintf("channels.off: %s can carry nothing in %s (%s): switching it off changes nothing", name, cfg.Name, why))
		}
	}
	m.bankNotes()
	m.grossNotes()
	m.insurerNotes()
	m.Notes, m.Gists = m.env.Notes, m.env.Gists()
	// The closed-form vulnerability of the starting books, for the
	// summary: measured here, on the fresh model, rather than when a run
	// begins, so that what a run executes is only the run.
	m.vulnAV = math.NaN()
	if r, err := Vulnerability(m, VulnOptions{}); err == nil {
		m.vulnAV = r.AV
	}
	return m, nil
}

// startBooks puts on the starting positions that agents size from the
// estimators (Init: CTAs, risk-parity and vol-control funds), then closes
// and settles the starting books (Book0). It runs after the warm-up, so
// that those positions are the agents' own targets under the estimates
// they first rebalance on: sized on the calm seeds instead, they traded
// toward the warm-up's estimates at their first rebalances, a flow with
// no news behind it (in aug2024, vol-control funds bought $29bn of the
// S&P before the BOJ's hike).
func (m *Model) startBooks() error {
	w := m.W
	for _, a := range m.Agents {
		if in, ok := a.(interface{ Init(*core.World) error }); ok {
			if err := in.Init(w); err != nil {
				return fmt.Errorf("%s: %w", a.Holder().ID, err)
			}
		}
	}
	// Kinds switched off are passive before the first close, so that the
	// depth the first tick trades on leaves their dealers out.
	for _, h := range w.Holders {
		h.SetPassive(!w.Channels.Kinds[h.Kind])
	}
	m.M.Close(w)
	w.SettleAll()
	for _, h := range w.Holders {
		h.Book0 = h.Book
	}
	if !w.Channels.BrokerCapital {
		// With the channel off, dealers' capacity rests on Book0, which the
		// close above did not have yet: without this, every dealer would
		// start with no capacity (insolvent) and the first tick would trade
		// at the floor depth and stressed funding.
		m.M.Refresh(w)
	}
	return nil
}

// reserve sizes, once the model is built, everything the tick loop would
// otherwise allocate on first use, so that it allocates nothing: the order
// queue and the event log, the agents' holders, the brokers' views of their
// clients' accounts, the observers' view of the books, Compression's
// scratch and the queue of scripted interventions.
func (m *Model) reserve() {
	w := m.W
	w.Reserve()
	m.holders = make([]*core.Holder, 0, len(m.Agents))
	for _, a := range m.Agents {
		m.holders = append(m.holders, a.Holder())
	}
	for _, b := range m.Brokers {
		b.Reserve(w)
	}
	m.peek = core.Peek{Book: make([]float64, len(w.Holders)), CashUSD: make([]float64, len(w.Holders))}
	// What each bank sells, for summary.json's banks: followed by the
	// market at each fill, and only in a world with banks.
	m.M.HolderSold = nil
	if bankHolders(w) {
		m.M.HolderSold = make([]float64, len(w.Holders))
	}
	m.compBuf = make([]float64, 4*len(w.Assets))
	interventions := 0
	for k := range m.events {
		if k := m.events[k].spec.Kind; k == "fx_intervention" || k == "asset_purchase" {
			interventions++
		}
	}
	m.pending = make([]scripted, 0, interventions)
}

// SetChannels switches channels after the model is built: the starting
// balance sheets stay as the scenario's channels made them, and agents of
// kinds switched off become passive.
func (m *Model) SetChannels(c core.Channels) {
	m.W.Channels = c
	for _, h := range m.W.Holders {
		h.SetPassive(!c.Kinds[h.Kind])
	}
	m.M.Refresh(m.W) // depth and funding without the dealers now passive
}

// dealerRole is the market's view of a dealer: its layoff half-life in
// days becomes one in ticks (perDay ticks a day).
func dealerRole(holder int, d *agents.DealerSpec, perDay float64) market.Dealer {
	return market.Dealer{Holder: holder, Share: orOne(d.Share), LevLimit: d.LevLimit, UStar: d.UStar, Floor: orOne(d.Floor),
		LayoffHalfLife: d.LayoffDays * perDay, FinancingWeight: d.FinancingWeight}
}

func orOne(x float64) float64 {
	if x == 0 {
		return 1
	}
	return x
}

// calmCorrelation checks the scenario's correlation matrix and returns it
// with every future's row and column copied from its underlying.
func calmCorrelation(c [][]float64, assets []core.Asset) ([][]float64, error) {
	n := len(assets)
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
		out[i][i] = 1
	}
	if c != nil {
		if len(c) != n {
			return nil, fmt.Errorf("correlation: %d rows for %d assets", len(c), n)
		}
		for i := range c {
			if len(c[i]) != n {
				return nil, fmt.Errorf("correlation: row %d has %d entries for %d assets", i, len(c[i]), n)
			}
			for j := range c[i] {
				v := c[i][j]
				switch {
				case !finite(v) || v < -1 || v > 1:
					return nil, fmt.Errorf("correlation[%d][%d] = %v is not in [-1, 1]", i, j, v)
				case i == j && v != 1:
					return nil, fmt.Errorf("correlation[%d][%d] = %v: the diagonal must be 1", i, j, v)
				case c[j][i] != v:
					return nil, fmt.Errorf("correlation is not symmetric at [%d][%d]", i, j)
				}
				out[i][j] = v
			}
		}
	}
	under := func(i int) int {
		if u := assets[i].Underlying; u >= 0 {
			return u
		}
		return i
	}
	res := make([][]float64, n)
	for i := range res {
		res[i] = make([]float64, n)
		for j := range res[i] {
			ui, uj := under(i), under(j)
			if ui == uj {
				res[i][j] = 1
			} else {
				res[i][j] = out[ui][uj]
			}
		}
	}
	return res, nil
}

// Draw is one parameter drawn for one agent (AgentSpec.Vary): the value
// its field was set to, and the value the built agent holds for it.
type Draw struct {
	Agent string // the agent's id
	Entry string // the id of the population's entry, as the scenario writes it (hf for hf-001)
	Kind  string // as the entry names it
	Field string // as Vary names it (trades.0.leverage)
	Value float64
	// Applied is the value the agent holds for Field once built: Value
	// after what the build does to it (leverage_scale, positions fitted
	// to the agent's equity; see agents.Applier), or as its spec holds it
	// (a whole number, a flag's 0 or 1). Value when nothing changes it.
	Applied float64
}

// drawn is the agent a Draw went to and the spec it was built from.
type drawn struct {
	a    agents.Agent
	spec any
}

// reapplied sets every Draw's Applied again once the starting books are
// on (startBooks): an Init may still transform a field (a hedge fund's
// positions fitted to its equity when it posts its initial margin).
func (m *Model) reapplied() error {
	for i := range m.Draws {
		d, src := &m.Draws[i], m.drawn[i]
		var err error
		if d.Applied, err = applied(src.a, src.spec, d.Field); err != nil {
			return fmt.Errorf("vary: %s: %w", d.Agent, err)
		}
	}
	return nil
}

// applied is the value built agent a, of spec, holds for a drawn field:
// the agent's own (agents.Applier) where its build transforms the field,
// else the field as the spec holds it after the build.
func applied(a agents.Agent, spec any, field string) (float64, error) {
	if ap, ok := a.(agents.Applier); ok {
		if x, ok := ap.Applied(field); ok {
			return x, nil
		}
	}
	return GetField(spec, field)
}

// buildAgents builds one AgentSpec: a single agent, or a population of Count
// members with their Vary parameters drawn from pop.
func (m *Model) buildAgents(k int, s *AgentSpec, pop interface{ Float64() float64 }, claim func(string) error) error {
	count := s.Count
	if count < 0 {
		return fmt.Errorf("count must not be negative")
	}
	if count == 0 {
		count = 1
	}
	base, err := s.Spec()
	if err != nil {
		return err
	}
	entry := specID(base)
	for j := 0; j < count; j++ {
		spec := base
		first := len(m.Draws)
		if s.Count > 1 || len(s.Vary) > 0 {
			spec = copySpec(base)
			id := specID(spec)
			if s.Count > 1 {
				id = fmt.Sprintf("%s-%03d", id, j+1)
				setSpecID(spec, id)
			}
			for _, v := range s.Vary {
				x := v.Dist.Draw(pop.Float64())
				if err := SetField(spec, v.Field, x); err != nil {
					return fmt.Errorf("vary: %w", err)
				}
				m.Draws = append(m.Draws, Draw{Agent: id, Entry: entry, Kind: s.Kind, Field: v.Field, Value: x})
			}
		}
		if err := claim(specID(spec)); err != nil {
			return err
		}
		a, err := buildOne(m.env, spec)
		if err != nil {
			return err
		}
		for i := first; i < len(m.Draws); i++ {
			d := &m.Draws[i]
			if d.Applied, err = applied(a, spec, d.Field); err != nil {
				return fmt.Errorf("vary: %w", err)
			}
			m.drawn = append(m.drawn, drawn{a, spec})
		}
		m.Agents = append(m.Agents, a)
		if f, ok := a.(*agents.HedgeFund); ok {
			m.Funds = append(m.Funds, f)
		}
		if p, ok := a.(agents.Policymaker); ok {
			m.policies = append(m.policies, p)
		}
	}
	return nil
}

// grossNotes tells the user about active clients of prime brokers whose
// books, margined gross (each exposure at its haircut, as a broker margins
// an account exposed to a factor it considers broken, or when its own
// utilization is under stress), would need more margin than the client's
// whole equity: the first stress that drops their offsets calls them for
// more than they own, and they default unless they cut in time. A note
// names them (up to ten), the most levered first, with the gross
// requirement over equity.
func (m *Model) grossNotes() {
	w := m.W
	if len(m.Brokers) == 0 || !w.Channels.OffsetDrop {
		return
	}
	broker := map[int]*agents.PrimeBroker{} // by holder index; looked up, never ranged over
	for _, b := range m.Brokers {
		if !b.Holder().Passive {
			broker[b.Holder().Index] = b
		}
	}
	type over struct {
		id    string
		ratio float64
	}
	var list []over
	e := make([]float64, len(w.Assets))
	for _, a := range m.Agents {
		h := a.Holder()
		if h.Passive || h.Kind == core.PrimeBroker {
			continue
		}
		gross := 0.0
		for k := 1; k < len(h.Accounts); k++ {
			acc := &h.Accounts[k]
			b := broker[acc.Lender]
			if b == nil {
				continue
			}
			clear(e)
			w.Exposure(acc, e)
			_, g := b.Requirement(w, e)
			gross += g
		}
		if nav := w.NAV(h); gross > 0 && gross > nav {
			list = append(list, over{h.ID, gross / math.Max(nav, 0)})
		}
	}
	if len(list) == 0 {
		return
	}
	slices.SortStableFunc(list, func(a, b over) int { return cmp.Compare(b.ratio, a.ratio) })
	const group = "books need more margin than their equity when their broker drops offsets (margined gross): the first stress that does calls them for more than they own"
	gists := make([]agents.Gist, len(list))
	var names []string
	for k, o := range list {
		gists[k] = agents.Gist{Text: o.id + "'s " + group, Agent: o.id, Group: group}
		switch {
		case k < 10:
			names = append(names, fmt.Sprintf("%s (%.2f×)", o.id, o.ratio))
		case k == 10:
			names = append(names, fmt.Sprintf("and %d more", len(list)-10))
		}
	}
	m.env.NoteOn(fmt.Sprintf("%d of the brokers' clients need more margin, margined gross (each exposure at its haircut, as a broker margins a book exposed to a factor it considers broken), than their whole equity, so the first stress that drops their offsets calls them for more than they own and they default unless they cut in time (lower their leverage, or the haircuts, to avoid it): %s", len(list), strings.Join(names, ", ")), gists...)
}

// FirstTick says when, against events, what an agent does in the first
// tick happens: "before any event", or "whatever the events" when an
// event falls at tick 0. An event switched off (off: true) is not one:
// it is not applied, so it neither comes first nor shares the tick.
func FirstTick(events []EventSpec) string {
	for k := range events {
		if events[k].Tick == 0 && !events[k].Off {
			return "whatever the events"
		}
	}
	return "before any event"
}

// bankNotes tells the user about active threshold banks that start below
// their buffer_ratio, which deleverage in the first tick, or below their
// min_ratio, which fail in it, whatever the events: a note for each case,
// naming the banks, lowest ratio first, with their ratio (equity over
// assets, the measure the thresholds read) and the threshold.
func (m *Model) bankNotes() {
	type low struct {
		id         string
		ratio, lim float64
	}
	var fail, sell []low
	for _, a := range m.Agents {
		b, ok := a.(*agents.Bank)
		if !ok || !b.Threshold() || b.Holder().Passive {
			continue
		}
		eq, assets := b.Holder().Book, b.Assets(m.W) // the books were settled above
		// The comparisons of Bank.Decide, on the same numbers.
		switch {
		case eq <= 0 || eq < b.Spec.MinRatio*assets:
			fail = append(fail, low{b.Spec.ID, eq / assets, b.Spec.MinRatio})
		case eq < b.Spec.BufferRatio*assets:
			sell = append(sell, low{b.Spec.ID, eq / assets, b.Spec.BufferRatio})
		}
	}
	when := FirstTick(m.Cfg.Events)
	note := func(banks []low, field, does, do string) {
		if len(banks) == 0 {
			return
		}
		slices.SortStableFunc(banks, func(a, b low) int { return cmp.Compare(a.ratio, b.ratio) })
		pct := func(x float64) string { return strconv.FormatFloat(100*x, 'g', 4, 64) + "%" }
		gists := make([]agents.Gist, len(banks))
		for k, b := range banks {
			gists[k] = agents.Gist{Text: fmt.Sprintf("bank %s starts below its %s, so it %s in the first tick, %s", b.id, field, does, when), Agent: b.id,
				Group: fmt.Sprintf("banks start below their %s, so they %s in the first tick, %s", field, do, when)}
		}
		if len(banks) == 1 {
			b := banks[0]
			m.env.NoteOn(fmt.Sprintf("bank %s starts at a leverage ratio (equity over assets) of %.2f%%, below its %s of %s, so it %s in the first tick, %s", b.id, 100*b.ratio, field, pct(b.lim), does, when), gists...)
			return
		}
		const most = 10
		var list []string
		for k, b := range banks {
			if k == most && len(banks) > most+1 {
				list = append(list, fmt.Sprintf("and %d more", len(banks)-most))
				break
			}
			list = append(list, fmt.Sprintf("%s (%.2f%% < %s)", b.id, 100*b.ratio, pct(b.lim)))
		}
		m.env.NoteOn(fmt.Sprintf("%d banks start at a leverage ratio (equity over assets) below their %s, so they %s in the first tick, %s: %s", len(banks), field, do, when, strings.Join(list, ", ")), gists...)
	}
	note(fail, "min_ratio", "fails", "fail")
	note(sell, "buffer_ratio", "deleverages (repays debt with its cash, then sells)", "deleverage (cash first, then sales)")
}
