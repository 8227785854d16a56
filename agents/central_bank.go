package agents

import (
	"fmt"
	"math"

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
//     Amount USD of reserves for the other currency, at most once per
//     CooldownDays.
type CentralBankSpec struct {
	// ID names the central bank; it must be unique among all ids.
	ID string `yaml:"id" json:"id"`
	// Rule is the reaction it follows: accommodation (move the expected
	// rate once an asset has fallen), facility (open the repo facility once
	// the repo spread is wide) or fx_intervention (sell dollars while an
	// exchange rate is high).
	Rule string `yaml:"rule" json:"rule"`
	// Asset is, for accommodation, the asset watched for a drawdown; for
	// fx_intervention, the exchange rate traded, quoted per USD (e.g.
	// USDJPY).
	Asset string `yaml:"asset,omitempty" json:"asset,omitempty"`
	// Drawdown is accommodation's trigger: the fall of asset from its
	// running peak, a fraction in (0, 1); the rule then acts once.
	Drawdown float64 `yaml:"drawdown,omitempty" json:"drawdown,omitempty"`
	// Currency is the currency whose expected policy rate accommodation
	// moves.
	Currency string `yaml:"currency,omitempty" json:"currency,omitempty"`
	// Delta is accommodation's change of the expected policy rate, as a
	// decimal (-0.0025 = 25bp lower).
	Delta float64 `yaml:"delta,omitempty" json:"delta,omitempty"`
	// Trigger is, for facility, the USD repo spread (annual decimal) above
	// which the facility opens; for fx_intervention, the level of the
	// exchange rate above which it sells dollars. Must be positive.
	Trigger float64 `yaml:"trigger,omitempty" json:"trigger,omitempty"`
	// Amount is the USD fx_intervention sells each time it intervenes
	// (must be positive).
	Amount float64 `yaml:"amount,omitempty" json:"amount,omitempty"`
	// CooldownDays is the least time between two fx_interventions, in days
	// (default 0: every tick its market is open and the rate is above
	// trigger).
	CooldownDays float64 `yaml:"cooldown_days,omitempty" json:"cooldown_days,omitempty"`
	// Reserves are the USD fx_intervention can sell (default 10 × amount; 0
	// is refused); it stops when fewer than amount are left.
	Reserves float64 `yaml:"reserves,omitempty" json:"reserves,omitempty"`
}

// CentralBank follows one reaction rule.
type CentralBank struct {
	h     *core.Holder
	Spec  CentralBankSpec
	asset int
	cur   int
	peak  float64
	last  int
	fired bool
}

// Holder returns the central bank's balance sheet.
func (c *CentralBank) Holder() *core.Holder { return c.h }

// Build puts the central bank on the books.
func (s *CentralBankSpec) Build(env *Env) (*CentralBank, error) {
	w := env.W
	c := &CentralBank{Spec: *s, asset: -1, last: math.MinInt32}
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
	default:
		return nil, fmt.Errorf("central bank %s: rule %q: want accommodation, facility or fx_intervention", s.ID, s.Rule)
	}
	c.h = w.AddHolder(s.ID, core.CentralBank)
	if s.Rule == "fx_intervention" {
		w.Endow(c.h, core.USD, orDefault(s.Reserves, 10*s.Amount))
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
		c.peak = math.Max(c.peak, p)
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

// Decide intervenes in the FX market (the fx_intervention rule) in the first
// round of each tick, trading alongside everyone else.
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
		// Whole ticks, rounded up: at most once per cooldown_days.
		cool := int(math.Ceil(float64(s.CooldownDays*w.PerDay) - 1e-9))
		if w.Price[c.asset] > s.Trigger && w.Tick-c.last >= cool && c.h.Cash[core.USD] >= s.Amount {
			c.last = w.Tick
			w.Submit(core.Order{Holder: c.h.Index, Asset: c.asset, Units: -s.Amount, Reason: core.Intervention})
			w.Log(core.Event{Kind: core.EvPolicy, Agent: s.ID, Amount: s.Amount, Detail: "FX intervention: USD sold"})
		}
	}
}
