package sim

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core/dmath"
)

// Config is one scenario as plain Go values: what package scenarios fills
// from a YAML file, and what tests build directly. Time spans are in days
// unless a field says otherwise; rates and returns are decimals (0.01 = 1%).
type Config struct {
	// Name is the scenario's name (required), shown in summaries and reports.
	Name string `yaml:"name" json:"name"`
	// Description is free text saying what the scenario is about.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Start is the time of the run's first tick (UTC unless the timestamp
	// gives a zone); event ticks and the warm-up count from it.
	Start time.Time `yaml:"start" json:"start"`
	// Tick is the span of one tick (default 1h, at least a minute and at
	// most a week; 0 is refused); spans given in days are converted to
	// ticks with it.
	Tick time.Duration `yaml:"tick" json:"tick"`
	// Ticks is the length of the run in ticks: give ticks, horizon or end,
	// exactly one (a file that extends another, or a --set, may give any of
	// the three: it replaces the one inherited).
	Ticks int `yaml:"ticks" json:"ticks"`
	// Warmup is a span of calm price history before Start (default none):
	// exogenous noise only, ending at the starting prices, that fills every
	// estimator and the rolling windows (the correlation baseline) without
	// touching any balance sheet; with noise off there is none. The run
	// itself starts at Start.
	Warmup time.Duration `yaml:"warmup,omitempty" json:"warmup,omitempty"`
	// Seed seeds the run's random streams (noise, population draws, agent
	// decisions; default 0); cascade run --seed overrides it.
	Seed uint64 `yaml:"seed" json:"seed"`

	// Assets are the markets of the scenario (at least one); every
	// currency other than USD needs an exchange rate against USD among them.
	Assets []AssetSpec `yaml:"assets" json:"assets"`
	// Sessions defines trading sessions assets may name (besides the built-ins).
	Sessions map[string]SessionSpec `yaml:"sessions,omitempty" json:"sessions,omitempty"`
	// Correlation is the calm correlation matrix of the assets' exogenous
	// returns, rows and columns in asset order (default: uncorrelated, the
	// identity; correlation: [] asks for it in a file that extends one
	// with a correlation); a future's row and column are its underlying's,
	// whatever is written. A file that extends another and adds assets
	// (assets+) gives a correlation of all the assets, or [].
	Correlation [][]float64 `yaml:"correlation,omitempty" json:"correlation,omitempty"`
	// Noise is the exogenous return process that moves prices besides
	// trading and scripted events.
	Noise NoiseSpec `yaml:"noise" json:"noise"`
	// Links carry one asset's endogenous moves into another's fundamental
	// value (e.g. a stronger yen lowers Japanese exporters' valuations).
	Links []LinkSpec `yaml:"links,omitempty" json:"links,omitempty"`
	// Trends are the trend z-scores the price history leaves at the start,
	// by asset ID (CTAs start positioned on them). An asset left out starts
	// with no trend: a CTA starts flat in it and trades as the run's moves
	// build one.
	Trends map[string]float64 `yaml:"trends,omitempty" json:"trends,omitempty"`

	// Rates are the policy and expected rates by currency code. A scenario
	// file must give every currency its assets are priced in (USD aside),
	// and USD too once anything borrows, lends or hedges in dollars (a
	// carry, basis or USD-funded trade, an insurer): validation refuses a
	// currency it leaves out, which ran at 0%. In a Config built in Go a
	// currency left out has both rates at 0.
	Rates map[string]RateSpec `yaml:"rates" json:"rates"`
	// Funding sets the funding spreads and the cross-currency basis, and
	// how they widen with dealer utilization.
	Funding FundingSpec `yaml:"funding" json:"funding"`

	// Brokers are the prime brokers that finance and margin leveraged
	// clients (hedge funds, CTAs, risk-parity and vol-control funds).
	Brokers []agents.PrimeBrokerSpec `yaml:"brokers,omitempty" json:"brokers,omitempty"`
	// Dealers are the standalone dealers that take the other side of net
	// flow; with no dealer at all (here or as a broker's dealing arm) the
	// outside sector absorbs every flow without constraint.
	Dealers []agents.DealerSpec `yaml:"dealers,omitempty" json:"dealers,omitempty"`
	// Agents are the agents, and populations of agents, that trade.
	Agents []AgentSpec `yaml:"agents,omitempty" json:"agents,omitempty"`
	// Events are the dated exogenous events: news shocks, policy moves,
	// haircut changes, interventions, defaults.
	Events []EventSpec `yaml:"events,omitempty" json:"events,omitempty"`

	// Channels switches contagion channels and agent kinds off (default:
	// everything on).
	Channels ChannelSpec `yaml:"channels,omitempty" json:"channels,omitempty"`
	// Conventions are the clearing conventions: execution price, flow unit,
	// netting and rounds per tick.
	Conventions ConventionSpec `yaml:"conventions,omitempty" json:"conventions,omitempty"`
	// Report chooses what the run's summary measures: the correlation set,
	// the VIX proxy, the headline asset and the compression trigger.
	Report ReportSpec `yaml:"report,omitempty" json:"report,omitempty"`

	// LeverageScale multiplies every leveraged position at set-up (default
	// 1: the scenario as written; must be positive, and 0 is refused):
	// hedge funds' trade leverage, and both the target volatility
	// (target_vol) and the leverage cap (max_leverage) of CTAs,
	// risk-parity and vol-control funds, whose exposure is equity ×
	// target_vol / estimated vol within the cap, so that their positions
	// scale with it and the cap stays where it was relative to them.
	// Equity is not scaled, nor are banks' balance sheets; a world with
	// none of these kinds notes that the scale changes nothing.
	LeverageScale float64 `yaml:"leverage_scale,omitempty" json:"leverage_scale,omitempty"`

	// DepthScale multiplies the depth of every asset's market at set-up:
	// the linear law's lambda is divided by it, the square-root law's
	// volume and the exponential law's delta are multiplied by it (default
	// 1: the scenario as written; must be positive, and 0 is refused).
	// Dealers' capacity is not scaled.
	DepthScale float64 `yaml:"depth_scale,omitempty" json:"depth_scale,omitempty"`
}

// AssetSpec declares one asset (MODEL.md §1).
type AssetSpec struct {
	// ID names the asset wherever the scenario refers to it (e.g. USDJPY,
	// SPX, UST10Y); it must be unique.
	ID string `yaml:"id" json:"id"`
	// Kind is the asset class: fx, bond, future, equity, commodity, crypto
	// or illiquid (held but never traded).
	Kind string `yaml:"kind" json:"kind"`
	// Currency is the quote currency the price is in (fx: the quote
	// currency, e.g. JPY for USDJPY).
	Currency string `yaml:"currency" json:"currency"`
	// Base is an exchange rate's base currency (USD for USDJPY); one side of
	// every exchange rate must be USD. A pair quoted the other way round
	// (MXNUSD: base MXN, currency USD) has returns of the opposite sign:
	// flip the signs of its correlations, of the shocks events give it and
	// of its trend z-score too.
	Base string `yaml:"base,omitempty" json:"base,omitempty"`
	// Price is the starting price in the quote currency (fx: units of the
	// quote currency per unit of base); it must be positive.
	Price float64 `yaml:"price" json:"price"`
	// Vol is the calm volatility of returns, annualized (0.2 = 20%, at most
	// 5): the scale of the noise and the baseline of estimators, haircuts
	// and impact. Futures take none: theirs is the underlying's times beta.
	Vol float64 `yaml:"vol" json:"vol"`
	// Drift is the exogenous drift of returns, annualized (default 0;
	// futures take none: they move with their underlying).
	Drift float64 `yaml:"drift,omitempty" json:"drift,omitempty"`
	// Yield is a bond's yield at the starting price, as a decimal (0.0415 =
	// 4.15%); it moves with the price as yield − ln(p/p0)/duration.
	Yield float64 `yaml:"yield,omitempty" json:"yield,omitempty"`
	// Duration is a bond's modified duration in years (required, > 0),
	// which turns price moves into yield moves. A future takes none: the
	// model reads no future's duration.
	Duration float64 `yaml:"duration,omitempty" json:"duration,omitempty"`
	// Underlying is a future's underlying bond (required): the future moves
	// with it, times beta, and takes its correlations.
	Underlying string `yaml:"underlying,omitempty" json:"underlying,omitempty"`
	// Beta is a future's exogenous return per unit of its underlying's
	// return, positive (default 1; 0 is refused, as is a negative beta).
	Beta float64 `yaml:"beta,omitempty" json:"beta,omitempty"`
	// BasisHalfLifeDays (futures, optional) makes the future's basis to
	// its underlying revert, as basis arbitrage would: each tick both
	// markets trade, the future's exogenous return closes a share
	// 1 − 2^(−1/(H·n)) of its log basis ln(CF·F/P) at the last close (n the
	// future's ticks per trading day, CF = P0/F0), times
	// max(0, 1 − u) for u the dealer sector's utilization at the last
	// close: arbitrage needs dealers' balance sheet, and none is left at
	// u ≥ 1. Trading days, > 0 (0 is refused); left out, the basis does
	// not revert: it moves only with the valuation link and flows.
	BasisHalfLifeDays float64 `yaml:"basis_half_life_days,omitempty" json:"basis_half_life_days,omitempty"`
	// ADV is the average daily volume in USD: V of the square-root impact
	// law unless impact.volume is set, the base of hedge funds'
	// participation limits and of their ranking of trades by liquidity.
	// Required positive with sqrt impact, and on any asset in which a hedge
	// fund's trade has a leg (with none, the fund could never trade it).
	ADV float64 `yaml:"adv" json:"adv"`
	// Group is the plot panel the asset is drawn in (default by kind: fx;
	// rates for bonds and futures; equity; other for the rest).
	Group string `yaml:"group,omitempty" json:"group,omitempty"`
	// Session names when the asset trades: a built-in (always, fx, futures,
	// tokyo, new_york, london) or one defined under sessions (default: always).
	Session string `yaml:"session,omitempty" json:"session,omitempty"`
	// Impact is how net flow moves the asset's price (required except for
	// illiquid assets, which are never traded).
	Impact Impact `yaml:"impact" json:"impact"`
}

// Impact is an asset's price-impact function (package market).
type Impact struct {
	// Function is the impact law of net flow X: linear (λ·X), sqrt
	// (Y·σ_d·(|X|/V)^exponent, the square-root law) or exponential
	// ((1 − floor)·(1 − e^(−|X|/delta))).
	Function string `yaml:"function" json:"function"`
	// Lambda is the linear law's return per unit of flow: per unit traded,
	// or per unit of local-currency value with conventions.flow: value.
	Lambda float64 `yaml:"lambda,omitempty" json:"lambda,omitempty"`
	// Y is the square-root law's coefficient (0.5–1 in the literature),
	// scaling the daily volatility σ_d.
	Y float64 `yaml:"y,omitempty" json:"y,omitempty"`
	// Exponent is the square-root law's power of |X|/V, X the net flow and
	// V the volume in USD, in (0, 2] (default 0.5, the square root; 0 is
	// refused).
	Exponent float64 `yaml:"exponent,omitempty" json:"exponent,omitempty"`
	// Volume is V of the square-root law, USD a day (default: the asset's
	// adv; 0 is refused). Order-flow studies measure impact per unit of net
	// flow, which is far smaller than turnover (Evans–Lyons: ~$1bn of net
	// dollar buying moves USDJPY ~0.5%): set Volume to match them while adv
	// keeps sizing participation limits.
	Volume float64 `yaml:"volume,omitempty" json:"volume,omitempty"`
	// Delta is the exponential law's depth δ, in the flow unit of
	// conventions.flow (must be positive).
	Delta float64 `yaml:"delta,omitempty" json:"delta,omitempty"`
	// Floor is the exponential law's floor B in [0, 1), a fraction of the
	// open price: the impact return saturates at 1 − B.
	Floor     float64 `yaml:"floor,omitempty" json:"floor,omitempty"`
	Permanent float64 `yaml:"permanent" json:"permanent"` // share of impact that stays
	// HalfLifeDays is the half-life, in days, of the temporary part of
	// impact (the share that does not stay); 0: gone at the next tick.
	HalfLifeDays float64 `yaml:"half_life_days,omitempty" json:"half_life_days,omitempty"`
	// FlowHalfLifeDays is the half-life, in days, of the flow memory: the
	// cumulative net flow X the impact law is applied to (0: X restarts
	// every tick).
	FlowHalfLifeDays float64 `yaml:"flow_half_life_days,omitempty" json:"flow_half_life_days,omitempty"`
}

// NoiseSpec is the exogenous return process: correlated (Cholesky of the
// calm correlation matrix), normal or Student-t with unit variance, scaled
// to each asset's calm volatility per tick.
type NoiseSpec struct {
	// Off switches the random draw off: a noise-free replay. Assets' drift,
	// if any is set, still moves prices.
	Off bool `yaml:"off,omitempty" json:"off,omitempty"`
	// Distribution of the shocks: normal (default) or student_t (fat tails,
	// with df degrees of freedom), both with unit variance.
	Distribution string  `yaml:"distribution,omitempty" json:"distribution,omitempty"`
	DF           float64 `yaml:"df,omitempty" json:"df,omitempty"`       // Student-t degrees of freedom (> 2; student_t only)
	Scale        float64 `yaml:"scale,omitempty" json:"scale,omitempty"` // multiplies the exogenous volatility only (default 1; 0 is refused: noise.off switches the noise off); calm volatility, the baseline of estimators, haircuts and impact, stays each asset's vol
	// Garch gives the exogenous volatility clustering: each asset's
	// variance follows a GARCH(1,1) with mean 1 (off when alpha is 0).
	Garch GarchSpec `yaml:"garch,omitempty" json:"garch,omitempty"`
}

// GarchSpec is volatility clustering in the exogenous noise: a constant
// conditional correlation GARCH(1,1) (Bollerslev 1990). Each asset with its
// own factor (a future follows its underlying) scales its shocks by
// √h, and after each tick's draw h ← ω + α·h·u² + β·h, where u is the
// tick's unit-variance shock and ω = 1 − α − β, so that h has mean 1 and
// the calm volatility stays each asset's vol. The correlation of the
// shocks is the calm one at every tick.
type GarchSpec struct {
	// Alpha is the weight of the last tick's squared shock in the variance
	// (per tick, in [0, 1); 0: no clustering).
	Alpha float64 `yaml:"alpha,omitempty" json:"alpha,omitempty"`
	// HalfLifeDays is the half-life, in days, of a shock to the variance.
	// It sets the persistence α + β per tick to 0.5^(1/ticks in the
	// half-life), and β is that less α (α may not exceed it). With normal
	// shocks the returns' kurtosis is finite only while (α + β)² + 2α² < 1.
	HalfLifeDays float64 `yaml:"half_life_days,omitempty" json:"half_life_days,omitempty"`
}

// Params returns ω, α and β per tick for ticks of perDay to a day, or an
// error naming the field at fault.
func (g GarchSpec) Params(perDay float64) (omega, alpha, beta float64, err error) {
	if !(g.Alpha >= 0 && g.Alpha < 1) {
		return 0, 0, 0, fmt.Errorf("noise.garch.alpha: must be in [0, 1) (got %v)", g.Alpha)
	}
	if !(g.HalfLifeDays > 0) || math.IsInf(g.HalfLifeDays, 0) {
		return 0, 0, 0, fmt.Errorf("noise.garch.half_life_days: must be a finite value > 0 (got %v)", g.HalfLifeDays)
	}
	rho := dmath.Pow(0.5, 1/(g.HalfLifeDays*perDay))
	if g.Alpha > rho {
		return 0, 0, 0, fmt.Errorf("noise.garch.alpha: %v exceeds the persistence %.4g per tick that half_life_days %v gives", g.Alpha, rho, g.HalfLifeDays)
	}
	return 1 - rho, g.Alpha, rho - g.Alpha, nil
}

// LinkSpec is a valuation link: every tick, Asset's exogenous return
// gains Beta times Driver's return of the tick before less the driver's own
// noise: the flows' price impact, the decay of earlier temporary impact and
// scripted news, which the calm correlation of the noise does not carry
// (a stronger yen lowers exporters' earnings whatever moved it). Between a
// bond and a future on it, the scripted shocks that reach both directly are
// left out, so that their news arrives once. Switched off with the
// valuation_links channel.
type LinkSpec struct {
	// Asset is the asset whose exogenous return the link moves.
	Asset string `yaml:"asset" json:"asset"`
	// Driver is the asset whose move carries over (not Asset itself).
	Driver string `yaml:"driver" json:"driver"`
	// Beta is the return added to Asset per unit of Driver's return in the
	// tick before, less Driver's own noise, and between a bond and a future
	// on it less the shocks both receive (e.g. -0.5).
	Beta float64 `yaml:"beta" json:"beta"`
}

// RateSpec is a currency's policy rate and the rate markets expect a year ahead.
type RateSpec struct {
	// Policy is the central bank's policy rate at the start, as a decimal
	// (0.0525 = 5.25%; between -0.05 and 0.5).
	Policy float64 `yaml:"policy" json:"policy"`
	// Expected is the policy rate markets expect a year ahead, as a decimal;
	// carry is priced on the mean of policy and expected. Left out of a
	// scenario file it is the policy rate (no change expected); write 0 for
	// 0. A sweep or --set that changes policy alone leaves it where it was.
	Expected float64 `yaml:"expected" json:"expected"`
}

// FundingSpec sets funding spreads from dealer utilization (market.Funding).
type FundingSpec struct {
	// RepoSpread is the calm USD repo spread over the policy rate, annual,
	// as a decimal (0.001 = 10bp).
	RepoSpread float64 `yaml:"repo_spread" json:"repo_spread"`
	// RepoSlope is the rise of the USD repo spread per unit of dealer
	// utilization above u_star.
	RepoSlope float64 `yaml:"repo_slope" json:"repo_slope"`
	// OtherSpread is the calm spread over the policy rate for funding in
	// every other currency, annual, as a decimal.
	OtherSpread float64 `yaml:"other_spread" json:"other_spread"`
	// OtherSlope is the rise of the other currencies' spread per unit of
	// dealer utilization above u_star.
	OtherSlope float64 `yaml:"other_slope" json:"other_slope"`
	// Basis is the calm cross-currency basis, annual, as a decimal
	// (negative: dollars dear, which makes hedging dollar assets dearer).
	Basis float64 `yaml:"basis" json:"basis"`
	// BasisSlope is how far the basis falls per unit of dealer utilization
	// above u_star.
	BasisSlope float64 `yaml:"basis_slope" json:"basis_slope"`
	// UStar is the dealer-sector utilization above which spreads widen and
	// the basis falls (also the threshold of the VIX proxy's stress
	// add-on); with funding_feedback off, both stay calm.
	UStar float64 `yaml:"u_star" json:"u_star"`
	// FacilityCap is the most the USD repo spread can reach while the
	// central-bank repo facility is on (never below repo_spread); the
	// cross-currency basis then widens no further than at the funding
	// stress where repo reaches the cap.
	FacilityCap float64 `yaml:"facility_cap" json:"facility_cap"`
	// FacilityCapacity is the share of capacity the facility adds to every
	// dealer while it is on (0.2: 20% more).
	FacilityCapacity float64 `yaml:"facility_capacity" json:"facility_capacity"`
	FacilityOn       bool    `yaml:"facility_on,omitempty" json:"facility_on,omitempty"` // the facility is available from the start
}

// AgentSpec is one agent, or a population of Count agents whose parameters
// named in Vary are drawn per member. Exactly one of the kind-specific
// fields is set, matching Kind. A Go program may add agents of its own
// kinds: Kind "custom" with Custom set, or a kind it registered (Register)
// with Custom holding its spec.
type AgentSpec struct {
	// Kind is the agent's type (hedge_fund, insurer, cta, risk_parity,
	// vol_control, value_investor, bank or central_bank, or a kind the
	// program registered), which decides the parameters the entry takes.
	Kind string `yaml:"kind" json:"kind"`
	// Count makes the entry a population of this many agents, with ids
	// ID-001, ID-002, ... (default 1: one agent with the id as written; 0 is
	// refused). A scenario file holds at most 100,000 agents in all.
	Count int `yaml:"count,omitempty" json:"count,omitempty"`
	// Vary lists parameters drawn from a distribution for each member of
	// the population, independently (once for a single agent); the rest
	// are as written.
	Vary []Vary `yaml:"vary,omitempty" json:"vary,omitempty"`

	HedgeFund   *agents.HedgeFundSpec     `yaml:"-" json:"-"`
	Insurer     *agents.InsurerSpec       `yaml:"-" json:"-"`
	CTA         *agents.CTASpec           `yaml:"-" json:"-"`
	RiskParity  *agents.RiskParitySpec    `yaml:"-" json:"-"`
	VolControl  *agents.VolControlSpec    `yaml:"-" json:"-"`
	Value       *agents.ValueInvestorSpec `yaml:"-" json:"-"`
	Bank        *agents.BankSpec          `yaml:"-" json:"-"`
	CentralBank *agents.CentralBankSpec   `yaml:"-" json:"-"`
	// Custom is an agent of a kind defined by a Go program: Kind "custom",
	// or the name the program registered the kind under (Register), which
	// scenario files may name. See agents.Maker and docs/library.md.
	Custom agents.Maker `yaml:"-" json:"-"`
}

// Vary draws one parameter of each member of a population. Field is the
// parameter's name as spelled in scenario files, with a dotted path into
// lists ("trades.0.leverage").
type Vary struct {
	// Field is the parameter drawn, as spelled in the agent's entry, with a
	// dotted path into lists and maps (carry_exit, trades.0.leverage,
	// holdings.UST10Y).
	Field string `yaml:"field" json:"field"`
	// Dist is the distribution each member's value is drawn from; every
	// draw must lie in the parameter's range. A normal or lognormal draw
	// stays within its one-in-a-million quantiles (and min and max), where
	// the range is checked: a draw beyond them is pinned to the nearer.
	Dist Dist `yaml:"dist" json:"dist"`
}

// EventSpec is a dated exogenous event (MODEL.md §2). At is the tick; the
// loader converts timestamps. Shocks are returns added to the named assets'
// exogenous move at that tick (an announcement's news effect).
type EventSpec struct {
	// Tick is when the event happens, in ticks from the start (0: the first
	// tick; within the horizon): give tick or at, not both. An override
	// (--set, a sweep parameter) of either replaces the other.
	Tick int `yaml:"tick" json:"tick"`
	// At is when the event happens: the loader turns it into the tick that
	// contains it, which must be within the horizon. Give at or tick, not
	// both.
	At time.Time `yaml:"at,omitempty" json:"at,omitempty"`
	// Kind is what happens: shock (news returns only), policy_rate,
	// guidance, accommodation, haircut, facility, fx_intervention,
	// asset_purchase, volatility, default or dealer_capacity; each kind
	// reads its own fields.
	Kind string `yaml:"kind" json:"kind"`
	// Label is the text logged with the event (default: its kind).
	Label string `yaml:"label,omitempty" json:"label,omitempty"`
	// Off switches the event off: it is not applied, not logged and not
	// marked on the plots, as if the scenario did not have it. With --set
	// 'events[LABEL].off=true' it gives the same episode without one
	// action (default false).
	Off bool `yaml:"off,omitempty" json:"off,omitempty"`
	// Shocks are returns, by asset ID, added to the asset's exogenous move
	// at the event's tick (decimals above -1: -0.03 is a 3% fall); any kind
	// may carry them, a shock event must. A bond's shock reaches its
	// futures, times beta, unless they are shocked themselves.
	Shocks map[string]float64 `yaml:"shocks,omitempty" json:"shocks,omitempty"`

	// Currency is the currency whose rates a policy_rate, guidance or
	// accommodation event changes (required by them).
	Currency string `yaml:"currency,omitempty" json:"currency,omitempty"`
	// Rate is, for policy_rate, the new policy rate (the expected rate moves
	// by as much); for guidance, the new expected rate. A decimal (0.0075 =
	// 0.75%) between -0.05 and 0.5, as rates.*.policy.
	Rate float64 `yaml:"rate,omitempty" json:"rate,omitempty"`
	// Delta is the change of the expected rate, for accommodation
	// (required) and guidance (instead of rate), as a decimal (-0.0025 =
	// 25bp lower) of at most 0.5 either way.
	Delta float64 `yaml:"delta,omitempty" json:"delta,omitempty"`

	// Broker limits a haircut event to one prime broker (default: every
	// broker).
	Broker string `yaml:"broker,omitempty" json:"broker,omitempty"`
	// Assets limits a haircut event to these assets (default: every
	// asset).
	Assets []string `yaml:"assets,omitempty" json:"assets,omitempty"`
	// Multiplier scales, for a haircut event, the haircuts (1.5: half as
	// large again, from then on); for a volatility event, every asset's
	// exogenous volatility, decaying back to 1 with half_life_days; for a
	// dealer_capacity event, the lev_limit the scenario gives each dealer
	// it names (1.25: capacity a quarter larger from then on; a later
	// event's 1 restores the scenario's). Must be positive.
	Multiplier float64 `yaml:"multiplier,omitempty" json:"multiplier,omitempty"`

	// On opens (true) or closes (false) the central-bank repo facility, for
	// a facility event (required).
	On bool `yaml:"on,omitempty" json:"on,omitempty"`

	// Amount is what an fx_intervention sells, in units of the pair's base
	// currency (USD for USDJPY), for its quote currency (negative: buys);
	// for an asset_purchase, the value of asset bought, in the asset's
	// currency at the price before the round (negative: sells).
	Amount float64 `yaml:"amount,omitempty" json:"amount,omitempty"`
	// Pair is the exchange rate an fx_intervention trades (default USDJPY).
	Pair string `yaml:"pair,omitempty" json:"pair,omitempty"`
	// Asset is what an asset_purchase buys (required): the outside sector
	// trades for the central bank, as for a scripted fx_intervention.
	Asset string `yaml:"asset,omitempty" json:"asset,omitempty"`

	// HalfLifeDays is the half-life, in days, over which a volatility
	// event's multiplier decays back to 1 (not negative; 0: it lasts the
	// event's tick only).
	HalfLifeDays float64 `yaml:"half_life_days,omitempty" json:"half_life_days,omitempty"`

	// Agent is the id of the agent a default event makes fail (its brokers
	// seize and fire-sell its accounts): an entry under agents, or a
	// population's member (hf-001), not a prime broker or dealer. With
	// the prime_broker kind off the event is logged as ignored.
	Agent string `yaml:"agent,omitempty" json:"agent,omitempty"`

	// Dealers limits a dealer_capacity event to these ids (default: every
	// dealer and prime broker): a standalone dealer (its lev_limit), or a
	// prime broker (both its dealing arm's lev_limit and its own, which
	// its stress_util test reads: one balance sheet, one leverage ratio).
	Dealers []string `yaml:"dealers,omitempty" json:"dealers,omitempty"`
}

// ChannelSpec switches contagion channels and agent kinds off by name:
// cross_margin, offset_drop, procyclical_haircuts, dealer_constraint,
// broker_capital, funding_feedback, any agent kind, or "all".
type ChannelSpec struct {
	// Off names what to switch off: cross_margin (every trade in its own
	// segregated account, whatever a broker's or a fund's cross_margin
	// says), offset_drop, procyclical_haircuts,
	// dealer_constraint, broker_capital, funding_feedback, valuation_links,
	// an agent kind (its agents hold their positions and stop deciding), or
	// all.
	Off []string `yaml:"off,omitempty" json:"off,omitempty"`
}

// ConventionSpec holds the bookkeeping switches (MODEL.md §3).
type ConventionSpec struct {
	// Execution is the price orders fill at: mid (default: halfway between
	// the prices before and after the round's impact), pre or post.
	Execution string `yaml:"execution,omitempty" json:"execution,omitempty"`
	// Flow is what the linear and exponential impact laws count as flow:
	// units (default: units traded) or value (local-currency value at the
	// price before the round). The square-root law always counts USD.
	Flow string `yaml:"flow,omitempty" json:"flow,omitempty"`
	// Sequential clears each order on its own, in order, instead of netting
	// each round's orders (default false).
	Sequential bool `yaml:"sequential,omitempty" json:"sequential,omitempty"`
	// MaxRounds is the most clearing rounds in a tick (default 5): rounds go
	// on while forced orders keep coming (0 is refused).
	MaxRounds int `yaml:"max_rounds,omitempty" json:"max_rounds,omitempty"`
	// ImpactVol is how a market's opening gap enters the volatility the
	// square-root impact law scales with (a half-day EWMA): spread
	// (default: as the news of every tick since the market last traded,
	// spread evenly over them) or tick (as one tick's return, so the hours
	// the market was shut read as volatility: the estimator before ODD N12
	// was fixed, for results of versions before it). The two agree for
	// markets that never close.
	ImpactVol string `yaml:"impact_vol,omitempty" json:"impact_vol,omitempty"`
}

// ImpactVolNames are the values of ConventionSpec.ImpactVol, the default
// first.
var ImpactVolNames = []string{"spread", "tick"}

// CheckImpactVol reports whether s is a value of ConventionSpec.ImpactVol
// ("" is the default).
func CheckImpactVol(s string) error {
	if s == "" || slices.Contains(ImpactVolNames, s) {
		return nil
	}
	return fmt.Errorf("unknown impact volatility %q (want spread or tick)", s)
}

// CorrelationRowsNames are the values of ReportSpec.CorrelationRows, the
// default first.
var CorrelationRowsNames = []string{"every_tick", "trading"}

// CheckCorrelationRows reports whether s is a value of
// ReportSpec.CorrelationRows ("" is the default).
func CheckCorrelationRows(s string) error {
	if s == "" || slices.Contains(CorrelationRowsNames, s) {
		return nil
	}
	return fmt.Errorf("unknown correlation rows %q (want every_tick or trading)", s)
}

// ReportSpec chooses what a run reports.
type ReportSpec struct {
	// CorrelationAssets is the set whose mean off-diagonal rolling
	// correlation is reported (default: every tradable asset with a
	// positive vol).
	CorrelationAssets []string `yaml:"correlation_assets,omitempty" json:"correlation_assets,omitempty"`
	// CorrelationWindow is the length of the rolling correlation window, in
	// rows (default 48, at least 3; 0 is refused): by default the last this
	// many ticks; with correlation_rows: trading each pair's last this many
	// rows that count.
	CorrelationWindow int `yaml:"correlation_window,omitempty" json:"correlation_window,omitempty"`
	// CorrelationRows says which ticks are rows of the rolling
	// correlation. every_tick (the default): every tick is a row, and one
	// window of the last correlation_window ticks serves every pair, so
	// over a weekend a shut market's flat returns fill the window. trading:
	// a return counts when its market traded in the ticks it spans and has
	// been shut no longer than its ordinary overnight (a 24/7 market's
	// always does), and each pair's window is its last correlation_window
	// rows at which both its assets' returns count, so a pair holds its
	// value while either market is shut for the weekend or a holiday.
	CorrelationRows string `yaml:"correlation_rows,omitempty" json:"correlation_rows,omitempty"`
	// CorrelationHorizon: returns over this many ticks (overlapping) are
	// correlated (default 1; 0 is refused). Markets that trade in different
	// sessions co-move over days, not hours: use 24 for daily returns at
	// hourly ticks.
	CorrelationHorizon int `yaml:"correlation_horizon,omitempty" json:"correlation_horizon,omitempty"`
	// Headline is the asset whose move defines amplification (default: the first equity).
	Headline string `yaml:"headline,omitempty" json:"headline,omitempty"`
	// The VIX proxy, in points, is the annualized volatility of VIXAsset
	// realized over VIXWindow of its trading ticks, plus the expected
	// variance of news (VIXNews), times VIXPremium, plus VIXStress per unit
	// of dealer utilization above u_star.

	// VIXAsset is the asset whose volatility the VIX proxy measures
	// (default SPX if there is one, else the first equity).
	VIXAsset string `yaml:"vix_asset,omitempty" json:"vix_asset,omitempty"`
	// VIXWindow is how many of the VIX asset's trading ticks its realized
	// volatility is measured over (default 24; 0 is refused).
	VIXWindow int `yaml:"vix_window,omitempty" json:"vix_window,omitempty"`
	// VIXPremium multiplies the VIX proxy's volatility, as option markets
	// price volatility above what is realized (default 1.2; 0 is refused).
	VIXPremium float64 `yaml:"vix_premium,omitempty" json:"vix_premium,omitempty"`
	// VIXStress is the VIX points added per unit of dealer utilization
	// above funding.u_star, up to one unit: the stress saturates as the
	// funding spreads' does, so dealers with no capital left add VIXStress
	// points (default 0: none).
	VIXStress float64 `yaml:"vix_stress,omitempty" json:"vix_stress,omitempty"`
	// VIXNews is the variance of news the market expects on top of what it
	// realizes, as a share of the asset's calm variance (vol²). Default
	// 1 − noise.scale²: the share of calm volatility that a run at
	// noise.scale < 1 leaves to its dated events, which option markets price
	// whether or not news comes.
	VIXNews *float64 `yaml:"vix_news,omitempty" json:"vix_news,omitempty"`
	// Trigger is the tick of the event the compression index is measured
	// before (default: the first event).
	Trigger *int `yaml:"trigger,omitempty" json:"trigger,omitempty"`
	// Currency labels the account currency in the printed summary,
	// report.md, the plots and compare (default USD), as a three-letter
	// code. Accounts are kept in one currency, which the model calls USD;
	// a scenario whose amounts are in another (eba2018: euros) names it
	// here. A label only: nothing is converted, and summary.json keeps
	// its keys (forced_sales_usd, total_usd).
	Currency string `yaml:"currency,omitempty" json:"currency,omitempty"`
	// Follow lists agents to follow through the run, by id: entries under
	// agents (a population's members by their own ids, gs-fund-001) or
	// prime brokers. For each, the run writes its fills by account, asset
	// and reason (follow_trades), its accounts' requirement, posted margin
	// and call (follow_accounts) and its positions (follow_positions) tick
	// by tick, and summary.json its P&L, drawdown, margin calls and sales
	// under follow.ID. cascade run --follow ID adds to the list.
	Follow []string `yaml:"follow,omitempty" json:"follow,omitempty"`
}

// AccountCurrency is the label of the account currency: Report.Currency,
// or USD.
func (c *Config) AccountCurrency() string {
	if c.Report.Currency != "" {
		return c.Report.Currency
	}
	return "USD"
}
