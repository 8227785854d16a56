package sim

import (
	"time"

	"github.com/cascade-sim/cascade/agents"
)

// Config is one scenario as plain Go values: what package scenarios fills
// from a YAML file, and what tests build directly. Time spans are in days
// unless a field says otherwise; rates and returns are decimals (0.01 = 1%).
type Config struct {
	Name        string        `yaml:"name" json:"name"`
	Description string        `yaml:"description,omitempty" json:"description,omitempty"`
	Start       time.Time     `yaml:"start" json:"start"`
	Tick        time.Duration `yaml:"tick" json:"tick"`   // span of one tick (default 1h)
	Ticks       int           `yaml:"ticks" json:"ticks"` // horizon
	// Warmup is a span of calm price history before Start: exogenous noise
	// only, ending at the starting prices, that fills every estimator and
	// the rolling windows (the correlation baseline) without touching any
	// balance sheet. The run itself starts at Start.
	Warmup time.Duration `yaml:"warmup,omitempty" json:"warmup,omitempty"`
	Seed   uint64        `yaml:"seed" json:"seed"`

	Assets []AssetSpec `yaml:"assets" json:"assets"`
	// Sessions defines trading sessions assets may name (besides the built-ins).
	Sessions    map[string]SessionSpec `yaml:"sessions,omitempty" json:"sessions,omitempty"`
	Correlation [][]float64            `yaml:"correlation,omitempty" json:"correlation,omitempty"` // calm correlation of returns, in asset order (nil: identity)
	Noise       NoiseSpec              `yaml:"noise" json:"noise"`
	// Links carry one asset's endogenous moves into another's fundamental
	// value (e.g. a stronger yen lowers Japanese exporters' valuations).
	Links []LinkSpec `yaml:"links,omitempty" json:"links,omitempty"`
	// Trends are the trend z-scores the price history leaves at the start
	// (CTAs start positioned on them).
	Trends map[string]float64 `yaml:"trends,omitempty" json:"trends,omitempty"`

	Rates   map[string]RateSpec `yaml:"rates" json:"rates"` // by currency
	Funding FundingSpec         `yaml:"funding" json:"funding"`

	Brokers []agents.PrimeBrokerSpec `yaml:"brokers,omitempty" json:"brokers,omitempty"`
	Dealers []agents.DealerSpec      `yaml:"dealers,omitempty" json:"dealers,omitempty"`
	Agents  []AgentSpec              `yaml:"agents,omitempty" json:"agents,omitempty"`
	Events  []EventSpec              `yaml:"events,omitempty" json:"events,omitempty"`

	Channels    ChannelSpec    `yaml:"channels,omitempty" json:"channels,omitempty"`
	Conventions ConventionSpec `yaml:"conventions,omitempty" json:"conventions,omitempty"`
	Report      ReportSpec     `yaml:"report,omitempty" json:"report,omitempty"`

	// LeverageScale multiplies every leveraged position (hedge-fund trades,
	// CTA and risk-parity leverage) at set-up: 1 is the scenario as written.
	LeverageScale float64 `yaml:"leverage_scale,omitempty" json:"leverage_scale,omitempty"`
}

// AssetSpec declares one asset (MODEL.md §1).
type AssetSpec struct {
	ID       string  `yaml:"id" json:"id"`
	Kind     string  `yaml:"kind" json:"kind"`                     // fx, bond, future, equity, commodity, crypto, illiquid
	Currency string  `yaml:"currency" json:"currency"`             // quote currency (fx: e.g. JPY for USDJPY)
	Base     string  `yaml:"base,omitempty" json:"base,omitempty"` // fx: base currency (USD for USDJPY)
	Price    float64 `yaml:"price" json:"price"`
	Vol      float64 `yaml:"vol" json:"vol"`                         // calm volatility, annualized
	Drift    float64 `yaml:"drift,omitempty" json:"drift,omitempty"` // annualized
	// Bonds: Yield (decimal) at Price and modified Duration; futures:
	// Underlying bond, Duration, and Beta (exogenous return per underlying return, default 1).
	Yield      float64 `yaml:"yield,omitempty" json:"yield,omitempty"`
	Duration   float64 `yaml:"duration,omitempty" json:"duration,omitempty"`
	Underlying string  `yaml:"underlying,omitempty" json:"underlying,omitempty"`
	Beta       float64 `yaml:"beta,omitempty" json:"beta,omitempty"`
	ADV        float64 `yaml:"adv" json:"adv"` // average daily volume, USD
	Group      string  `yaml:"group,omitempty" json:"group,omitempty"`
	// Session names when the asset trades: a built-in (always, fx, futures,
	// tokyo, new_york, london) or one defined under sessions (default: always).
	Session string `yaml:"session,omitempty" json:"session,omitempty"`
	Impact  Impact `yaml:"impact" json:"impact"`
}

// Impact is an asset's price-impact function (package market).
type Impact struct {
	Function string  `yaml:"function" json:"function"`                     // linear, sqrt, exponential
	Lambda   float64 `yaml:"lambda,omitempty" json:"lambda,omitempty"`     // linear: return per unit of flow
	Y        float64 `yaml:"y,omitempty" json:"y,omitempty"`               // sqrt: coefficient
	Exponent float64 `yaml:"exponent,omitempty" json:"exponent,omitempty"` // sqrt: power of volume (default 0.5)
	// Volume is V of the square-root law, USD a day (default: the asset's
	// adv). Order-flow studies measure impact per unit of net flow, which
	// is far smaller than turnover (Evans–Lyons: ~$1bn of net dollar
	// buying moves USDJPY ~0.5%): set Volume to match them while adv keeps
	// sizing participation limits.
	Volume    float64 `yaml:"volume,omitempty" json:"volume,omitempty"`
	Delta     float64 `yaml:"delta,omitempty" json:"delta,omitempty"` // exponential: depth
	Floor     float64 `yaml:"floor,omitempty" json:"floor,omitempty"` // exponential: floor, fraction of the open price
	Permanent float64 `yaml:"permanent" json:"permanent"`             // share of impact that stays
	// HalfLifeDays of the temporary part; FlowHalfLifeDays of the flow memory.
	HalfLifeDays     float64 `yaml:"half_life_days,omitempty" json:"half_life_days,omitempty"`
	FlowHalfLifeDays float64 `yaml:"flow_half_life_days,omitempty" json:"flow_half_life_days,omitempty"`
}

// NoiseSpec is the exogenous return process: correlated (Cholesky of the
// calm correlation matrix), normal or Student-t with unit variance, scaled
// to each asset's calm volatility per tick.
type NoiseSpec struct {
	Off          bool    `yaml:"off,omitempty" json:"off,omitempty"`                   // no noise: a noise-free replay
	Distribution string  `yaml:"distribution,omitempty" json:"distribution,omitempty"` // normal (default) or student_t
	DF           float64 `yaml:"df,omitempty" json:"df,omitempty"`                     // Student-t degrees of freedom (> 2)
	Scale        float64 `yaml:"scale,omitempty" json:"scale,omitempty"`               // multiplies the exogenous volatility only (default 1); calm volatility, the baseline of estimators, haircuts and impact, stays each asset's vol
}

// LinkSpec is a valuation link: every tick, Asset's exogenous return
// gains Beta times Driver's return of the tick before less the driver's own
// noise: the flows' price impact, the decay of earlier temporary impact and
// scripted news, which the calm correlation of the noise does not carry
// (a stronger yen lowers exporters' earnings whatever moved it). Switched
// off with the valuation_links channel.
type LinkSpec struct {
	Asset  string  `yaml:"asset" json:"asset"`
	Driver string  `yaml:"driver" json:"driver"`
	Beta   float64 `yaml:"beta" json:"beta"`
}

// RateSpec is a currency's policy rate and the rate markets expect a year ahead.
type RateSpec struct {
	Policy   float64 `yaml:"policy" json:"policy"`
	Expected float64 `yaml:"expected" json:"expected"`
}

// FundingSpec sets funding spreads from dealer utilization (market.Funding).
type FundingSpec struct {
	RepoSpread       float64 `yaml:"repo_spread" json:"repo_spread"`
	RepoSlope        float64 `yaml:"repo_slope" json:"repo_slope"`
	OtherSpread      float64 `yaml:"other_spread" json:"other_spread"`
	OtherSlope       float64 `yaml:"other_slope" json:"other_slope"`
	Basis            float64 `yaml:"basis" json:"basis"`
	BasisSlope       float64 `yaml:"basis_slope" json:"basis_slope"`
	UStar            float64 `yaml:"u_star" json:"u_star"`
	FacilityCap      float64 `yaml:"facility_cap" json:"facility_cap"`
	FacilityCapacity float64 `yaml:"facility_capacity" json:"facility_capacity"`
	FacilityOn       bool    `yaml:"facility_on,omitempty" json:"facility_on,omitempty"` // the facility is available from the start
}

// AgentSpec is one agent, or a population of Count agents whose parameters
// named in Vary are drawn per member. Exactly one of the kind-specific
// fields is set, matching Kind.
type AgentSpec struct {
	Kind  string `yaml:"kind" json:"kind"`
	Count int    `yaml:"count,omitempty" json:"count,omitempty"`
	Vary  []Vary `yaml:"vary,omitempty" json:"vary,omitempty"`

	HedgeFund   *agents.HedgeFundSpec     `yaml:"-" json:"-"`
	Insurer     *agents.InsurerSpec       `yaml:"-" json:"-"`
	CTA         *agents.CTASpec           `yaml:"-" json:"-"`
	RiskParity  *agents.RiskParitySpec    `yaml:"-" json:"-"`
	VolControl  *agents.VolControlSpec    `yaml:"-" json:"-"`
	Value       *agents.ValueInvestorSpec `yaml:"-" json:"-"`
	Bank        *agents.BankSpec          `yaml:"-" json:"-"`
	CentralBank *agents.CentralBankSpec   `yaml:"-" json:"-"`
}

// Vary draws one parameter of each member of a population. Field is the
// parameter's name as spelled in scenario files, with a dotted path into
// lists ("trades.0.leverage").
type Vary struct {
	Field string `yaml:"field" json:"field"`
	Dist  Dist   `yaml:"dist" json:"dist"`
}

// EventSpec is a dated exogenous event (MODEL.md §2). At is the tick; the
// loader converts timestamps. Shocks are returns added to the named assets'
// exogenous move at that tick (an announcement's news effect).
type EventSpec struct {
	Tick   int                `yaml:"tick" json:"tick"`
	At     time.Time          `yaml:"at,omitempty" json:"at,omitempty"`
	Kind   string             `yaml:"kind" json:"kind"` // shock, policy_rate, guidance, accommodation, haircut, facility, fx_intervention, volatility, default
	Label  string             `yaml:"label,omitempty" json:"label,omitempty"`
	Shocks map[string]float64 `yaml:"shocks,omitempty" json:"shocks,omitempty"`

	Currency string  `yaml:"currency,omitempty" json:"currency,omitempty"` // policy_rate, guidance, accommodation
	Rate     float64 `yaml:"rate,omitempty" json:"rate,omitempty"`         // policy_rate: new policy rate; guidance: new expected rate
	Delta    float64 `yaml:"delta,omitempty" json:"delta,omitempty"`       // guidance/accommodation: change of the expected rate

	Broker     string   `yaml:"broker,omitempty" json:"broker,omitempty"` // haircut: one broker ("" = all)
	Assets     []string `yaml:"assets,omitempty" json:"assets,omitempty"` // haircut: assets (none = all)
	Multiplier float64  `yaml:"multiplier,omitempty" json:"multiplier,omitempty"`

	On bool `yaml:"on,omitempty" json:"on,omitempty"` // facility

	Amount float64 `yaml:"amount,omitempty" json:"amount,omitempty"` // fx_intervention: USD sold (negative: bought)
	Pair   string  `yaml:"pair,omitempty" json:"pair,omitempty"`     // fx_intervention: the exchange rate (default USDJPY)

	HalfLifeDays float64 `yaml:"half_life_days,omitempty" json:"half_life_days,omitempty"` // volatility: decay of the multiplier

	Agent string `yaml:"agent,omitempty" json:"agent,omitempty"` // default: the agent that fails (its brokers seize and fire-sell its accounts)
}

// ChannelSpec switches contagion channels and agent kinds off by name:
// cross_margin, offset_drop, procyclical_haircuts, dealer_constraint,
// broker_capital, funding_feedback, any agent kind, or "all".
type ChannelSpec struct {
	Off []string `yaml:"off,omitempty" json:"off,omitempty"`
}

// ConventionSpec holds the bookkeeping switches (MODEL.md §3).
type ConventionSpec struct {
	Execution  string `yaml:"execution,omitempty" json:"execution,omitempty"` // mid (default), pre, post
	Flow       string `yaml:"flow,omitempty" json:"flow,omitempty"`           // units (default) or value
	Sequential bool   `yaml:"sequential,omitempty" json:"sequential,omitempty"`
	MaxRounds  int    `yaml:"max_rounds,omitempty" json:"max_rounds,omitempty"` // clearing rounds per tick (default 5)
}

// ReportSpec chooses what a run reports.
type ReportSpec struct {
	// CorrelationAssets is the set whose mean off-diagonal rolling
	// correlation is reported (default: every tradable asset).
	CorrelationAssets []string `yaml:"correlation_assets,omitempty" json:"correlation_assets,omitempty"`
	CorrelationWindow int      `yaml:"correlation_window,omitempty" json:"correlation_window,omitempty"` // ticks (default 48)
	// CorrelationHorizon: returns over this many ticks (overlapping) are
	// correlated (default 1). Markets that trade in different sessions
	// co-move over days, not hours: use 24 for daily returns at hourly ticks.
	CorrelationHorizon int `yaml:"correlation_horizon,omitempty" json:"correlation_horizon,omitempty"`
	// Headline is the asset whose move defines amplification (default: the first equity).
	Headline string `yaml:"headline,omitempty" json:"headline,omitempty"`
	// VIX proxy: annualized volatility of VIXAsset (default SPX, or the
	// first equity), realized over VIXWindow trading ticks plus the
	// expected variance of news, times VIXPremium, plus VIXStress per unit
	// of dealer utilization above u_star.
	VIXAsset   string  `yaml:"vix_asset,omitempty" json:"vix_asset,omitempty"`
	VIXWindow  int     `yaml:"vix_window,omitempty" json:"vix_window,omitempty"`
	VIXPremium float64 `yaml:"vix_premium,omitempty" json:"vix_premium,omitempty"`
	VIXStress  float64 `yaml:"vix_stress,omitempty" json:"vix_stress,omitempty"`
	// VIXNews is the variance of news the market expects on top of what it
	// realizes, as a share of the asset's calm variance (vol²). Default
	// 1 − noise.scale²: the share of calm volatility that a run at
	// noise.scale < 1 leaves to its dated events, which option markets price
	// whether or not news comes.
	VIXNews *float64 `yaml:"vix_news,omitempty" json:"vix_news,omitempty"`
	// Trigger is the tick of the event the compression index is measured
	// before (default: the first event).
	Trigger *int `yaml:"trigger,omitempty" json:"trigger,omitempty"`
}
