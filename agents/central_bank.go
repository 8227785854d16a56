package agents

import (
	"fmt"
	"math"
	"strings"

	"github.com/cascade-sim/cascade/core"
)

// CentralBankSpec configures a rule-following central bank or finance
// ministry, for scenarios that want reactions rather than scripted events.
// Rules:
//   - accommodation: once Asset has fallen Drawdown from its running peak,
//     move the expected policy rate of Currency by Delta (e.g. the BOJ's
//     7 Aug 2024 "we will not hike while markets are unstable").
//   - facility: once the USD repo spread exceeds Trigger, switch the repo
//     facility on.
//   - fx_intervention: while the exchange rate Asset is above Trigger, sell
//     Amount USD of reserves for the other currency (Side sell_usd, the
//     default: Japan's 2022 and 2024 yen purchases); with Side buy_usd,
//     while it is below Trigger, buy Amount USD with the other currency
//     (Japan's 2010-2011 yen sales); at most once per CooldownDays.
//   - asset_purchase: while Asset is Drawdown or more below the running
//     peak of its price, buy Amount of it (a value in its currency) from
//     Reserves, at most once per CooldownDays (the Bank of England's gilt
//     purchases of 28 September 2022, the Fed's Treasury purchases of
//     March 2020).
type CentralBankSpec struct {
	// ID names the central bank; it must be unique among all ids.
	ID string `yaml:"id" json:"id"`
	// Rule is the reaction it follows: accommodation (move the expected
	// rate once an asset has fallen), facility (open the repo facility once
	// the repo spread is wide), fx_intervention (sell dollars while an
	// exchange rate is high, or with side buy_usd buy them while it is
	// low) or asset_purchase (buy an asset while it is
	// down from its peak).
	Rule string `yaml:"rule" json:"rule"`
	// Asset is, for accommodation, the asset watched for a drawdown; for
	// fx_intervention, the exchange rate traded, quoted per USD (e.g.
	// USDJPY); for asset_purchase, the asset watched and bought.
	Asset string `yaml:"asset,omitempty" json:"asset,omitempty"`
	// Drawdown is the trigger of accommodation and asset_purchase: the
	// fall of asset from its running peak, a fraction in (0, 1).
	// Accommodation then acts once; asset_purchase buys while the fall is
	// at least this large.
	Drawdown float64 `yaml:"drawdown,omitempty" json:"drawdown,omitempty"`
	// Currency is the currency whose expected policy rate accommodation
	// moves.
	Currency string `yaml:"currency,omitempty" json:"currency,omitempty"`
	// Delta is accommodation's change of the expected policy rate, as a
	// decimal (-0.0025 = 25bp lower).
	Delta float64 `yaml:"delta,omitempty" json:"delta,omitempty"`
	// Trigger is, for facility, the USD repo spread (annual decimal) above
	// which the facility opens; for fx_intervention, the level of the
	// exchange rate above which it sells dollars (below which it buys them,
	// with side buy_usd). Must be positive.
	Trigger float64 `yaml:"trigger,omitempty" json:"trigger,omitempty"`
	// Side is, for fx_intervention, the way it trades: sell_usd (the
	// default: it sells dollars while the rate is above trigger, to
	// strengthen the other currency) or buy_usd (it buys dollars while the
	// rate is below trigger, to weaken it).
	Side string `yaml:"side,omitempty" json:"side,omitempty"`
	// Amount is what the rule trades each time it acts (must be
	// positive): for fx_intervention the USD it sells (buys); for asset_purchase
	// the value of asset it buys, in the asset's currency, at the price
	// before the round (at the midpoint it pays a little more).
	Amount float64 `yaml:"amount,omitempty" json:"amount,omitempty"`
	// CooldownDays is the least time between two trades of fx_intervention
	// or asset_purchase, in days (default 0: every tick its market is open
	// and its condition holds; 1 buys at most once a day).
	CooldownDays float64 `yaml:"cooldown_days,omitempty" json:"cooldown_days,omitempty"`
	// Reserves are what fx_intervention can sell, in USD (with side
	// buy_usd: what it can spend, in the other currency), or what
	// asset_purchase can spend, in the asset's currency: the size of the
	// programme (default 10 × amount, for buy_usd 10 × amount at the
	// starting rate; 0 is refused). The rule stops when fewer than amount
	// (its value) are left.
	Reserves float64 `yaml:"reserves,omitempty" json:"reserves,omitempty"`
}

// FXSides lists the sides of an fx_intervention rule.
var FXSides = []string{"sell_usd", "buy_usd"}

// CentralBankRules lists the rules a central bank can follow.
var CentralBankRules = []string{"accommodation", "facility", "fx_intervention", "asset_purchase"}

// CentralBank follows one reaction rule.
type CentralBank struct {
	h     *core.Holder
	Spec  CentralBankSpec
	asset int
	cur   int
	peak  float64
	last  int
	cool  int // ticks between two trades: cooldown_days in whole ticks, rounded up
	fired bool
	buy   bool // fx_intervention buys USD (side buy_usd)
}

// Holder returns the central bank's balance sheet.
func (c *CentralBank) Holder() *core.Holder { return c.h }

// Build puts the central bank on the books.
func (s *CentralBankSpec) Build(env *Env) (*CentralBank, error) {
	w := env.W
	c := &CentralBank{Spec: *s, asset: -1, last: math.MinInt32, cool: int(math.Ceil(float64(s.CooldownDays*w.PerDay) - 1e-9))}
	var err error
	switch s.Rule {
	case "accommodation":
		if c.asset, err = env.Asset(s.Asset); err != nil {
			return nil, fmt.Errorf("central bank %s: %w", s.ID, err)
		}
		if c.cur, err = env.Currency(s.Currency); err != nil {
			return nil, fmt.Errorf("central bank %s: %w", s.ID, err)
		}
		if !(s.Drawdown > 0 && s.Drawdown < 1) {
			return nil, fmt.Errorf("central bank %s: drawdown must be in (0, 1)", s.ID)
		}
		c.peak = w.Price[c.asset]
	case "facility":
		if !(s.Trigger > 0) {
			return nil, fmt.Errorf("central bank %s: trigger (repo spread) must be positive", s.ID)
		}
	case "fx_intervention":
		if c.asset, err = env.Asset(s.Asset); err != nil {
			return nil, fmt.Errorf("central bank %s: %w", s.ID, err)
		}
		if w.Assets[c.asset].Kind != core.FX || w.Assets[c.asset].Base != core.USD {
			return nil, fmt.Errorf("central bank %s: %s must be an exchange rate quoted per USD", s.ID, s.Asset)
		}
		if !(s.Trigger > 0 && s.Amount > 0) {
			return nil, fmt.Errorf("central bank %s: trigger and amount must be positive", s.ID)
		}
		switch s.Side {
		case "", "sell_usd":
		case "buy_usd":
			c.buy = true
		default:
			return nil, fmt.Errorf("central bank %s: side %q: want one of %s", s.ID, s.Side, strings.Join(FXSides, ", "))
		}
		c.cur = w.Assets[c.asset].Currency
	case "asset_purchase":
		if c.asset, err = env.Asset(s.Asset); err != nil {
			return nil, fmt.Errorf("central bank %s: %w", s.ID, err)
		}
		if !(s.Drawdown > 0 && s.Drawdown < 1) {
			return nil, fmt.Errorf("central bank %s: drawdown must be in (0, 1)", s.ID)
		}
		if !(s.Amount > 0) {
			return nil, fmt.Errorf("central bank %s: amount must be positive", s.ID)
		}
		if !w.Assets[c.asset].Tradable() {
			return nil, fmt.Errorf("central bank %s: %s is illiquid and never trades", s.ID, s.Asset)
		}
		c.cur = w.Assets[c.asset].Currency
		c.peak = w.Price[c.asset]
	default:
		return nil, fmt.Errorf("central bank %s: rule %q: want one of %s", s.ID, s.Rule, strings.Join(CentralBankRules, ", "))
	}
	c.h = w.AddHolder(s.ID, core.CentralBank)
	switch s.Rule {
	case "fx_intervention":
		if c.buy {
			w.Endow(c.h, c.cur, orDefault(s.Reserves, float64(10*s.Amount)*w.Price[c.asset]))
		} else {
			w.Endow(c.h, core.USD, orDefault(s.Reserves, 10*s.Amount))
		}
	case "asset_purchase":
		w.Endow(c.h, c.cur, orDefault(s.Reserves, 10*s.Amount))
	}
	return c, nil
}

// Policy applies the accommodation and facility rules at the start of the
// tick, on the previous close: everyone trades on the new policy alike.
func (c *CentralBank) Policy(w *core.World) {
	if c.h.Passive {
		return
	}
	s := &c.Spec
	switch s.Rule {
	case "accommodation":
		p := w.Price[c.asset]
		c.peak = max(c.peak, p)
		if !c.fired && p < c.peak*(1-s.Drawdown) {
			c.fired = true
			w.Expected[c.cur] += s.Delta
			w.Log(core.Event{Kind: core.EvPolicy, Agent: s.ID, Note: core.Notef("accommodation: expected %s rate %+.2f%%", core.StrArg(w.Currencies[c.cur]), core.NumArg(100*s.Delta))})
		}
	case "facility":
		if !w.Facility && w.Spread[core.USD] > s.Trigger {
			w.Facility = true
			w.Log(core.Event{Kind: core.EvPolicy, Agent: s.ID, Detail: "repo facility on"})
		}
	}
}

// OrderAssets lists the asset the fx_intervention and asset_purchase rules
// trade, and nothing for the others (Orderer).
func (c *CentralBank) OrderAssets(*core.World) []int {
	switch c.Spec.Rule {
	case "fx_intervention", "asset_purchase":
		return []int{c.asset}
	}
	return nil
}

// Decide trades for the fx_intervention and asset_purchase rules in the
// first round of each tick, alongside everyone else.
func (c *CentralBank) Decide(w *core.World) {
	if w.Round != 0 || c.h.Passive {
		return
	}
	s := &c.Spec
	switch s.Rule {
	case "fx_intervention":
		if !w.Trades(c.asset) {
			return // it acts when the market is open
		}
		if w.Tick-c.last < c.cool {
			return
		}
		p := w.Price[c.asset]
		switch {
		case !c.buy && p > s.Trigger && c.h.Cash[core.USD] >= s.Amount:
			c.last = w.Tick
			w.Submit(core.Order{Holder: c.h.Index, Asset: c.asset, Units: -s.Amount, Reason: core.Intervention})
			w.Log(core.Event{Kind: core.EvPolicy, Agent: s.ID, Amount: s.Amount, Detail: "FX intervention: USD sold"})
		case c.buy && p < s.Trigger && c.h.Cash[c.cur] >= float64(s.Amount*p):
			c.last = w.Tick
			w.Submit(core.Order{Holder: c.h.Index, Asset: c.asset, Units: s.Amount, Reason: core.Intervention})
			w.Log(core.Event{Kind: core.EvPolicy, Agent: s.ID, Amount: s.Amount, Detail: "FX intervention: USD bought"})
		}
	case "asset_purchase":
		// The running peak is of the prices at the start of each tick's
		// first round, this one's included.
		p := w.Price[c.asset]
		c.peak = max(c.peak, p)
		if !w.Trades(c.asset) {
			return
		}
		if p <= c.peak*(1-s.Drawdown) && w.Tick-c.last >= c.cool && c.h.Cash[c.cur] >= s.Amount {
			c.last = w.Tick
			w.Submit(core.Order{Holder: c.h.Index, Asset: c.asset, Units: s.Amount / p, Reason: core.Intervention})
			w.Log(core.Event{Kind: core.EvPolicy, Agent: s.ID, Amount: float64(s.Amount * w.FXUSD[c.cur]), Note: core.Notef("asset purchase: %s bought", core.StrArg(w.Assets[c.asset].ID))})
		}
	}
}
