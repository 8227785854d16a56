package agents

import (
	"fmt"
	"math"

	"github.com/cascade-sim/cascade/core"
)

// PrimeBrokerSpec configures a prime broker (MODEL.md §4). Haircuts are
// fractions of position value; time spans are in days.
type PrimeBrokerSpec struct {
	ID       string  `yaml:"id" json:"id"`
	Capital  float64 `yaml:"capital" json:"capital"`     // equity, USD
	LevLimit float64 `yaml:"lev_limit" json:"lev_limit"` // leverage-ratio limit: exposure per unit of capital

	// Haircuts by asset kind (fx, bond, future, equity, commodity, crypto)
	// and, overriding them, by asset ID. fx applies to net currency exposure.
	Haircuts      map[string]float64 `yaml:"haircuts" json:"haircuts"`
	AssetHaircuts map[string]float64 `yaml:"asset_haircuts,omitempty" json:"asset_haircuts,omitempty"`
	// Procyclicality κ: h = h0·(1 + κ·max(0, σ̂/σ0 − 1)).
	Kappa float64 `yaml:"kappa" json:"kappa"`

	// Portfolio (cross-margined) requirement: z·σ_portfolio over the horizon,
	// floored at Floor times the gross requirement.
	VaRZ         float64 `yaml:"var_z" json:"var_z"`
	HorizonDays  float64 `yaml:"horizon_days" json:"horizon_days"`
	Floor        float64 `yaml:"floor" json:"floor"`
	HalfLifeDays float64 `yaml:"half_life_days" json:"half_life_days"` // its covariance estimate

	// Stress: the broker drops the offsets and margins on gross when, for a
	// risk factor in its book, fast volatility exceeds slow by StressVolRatio,
	// an intra-tick move exceeds StressJump slow standard deviations, a
	// correlation moves by more than StressCorr, or its own utilization passes
	// StressUtil. It restores them StressHoldDays after the last trigger.
	FastHalfLifeDays float64 `yaml:"fast_half_life_days" json:"fast_half_life_days"`
	StressVolRatio   float64 `yaml:"stress_vol_ratio" json:"stress_vol_ratio"`
	StressJump       float64 `yaml:"stress_jump" json:"stress_jump"`
	StressCorr       float64 `yaml:"stress_corr" json:"stress_corr"`
	StressUtil       float64 `yaml:"stress_util" json:"stress_util"`
	StressHoldDays   float64 `yaml:"stress_hold_days" json:"stress_hold_days"`

	SettleDays float64 `yaml:"settle_days" json:"settle_days"` // margin-call settlement window
	// Tighten θ: every client's haircuts are multiplied by 1 + θ·(share of
	// capital lost) once the broker has booked losses.
	Tighten float64 `yaml:"tighten" json:"tighten"`
	// LiquidationSpeed is the share of seized collateral sold per clearing round.
	LiquidationSpeed float64 `yaml:"liquidation_speed" json:"liquidation_speed"`

	// Dealer, when set, makes the broker also a dealer sharing its balance sheet.
	Dealer *DealerSpec `yaml:"dealer,omitempty" json:"dealer,omitempty"`
}

// PrimeBroker lends to clients against collateral and margins their books.
type PrimeBroker struct {
	h    *core.Holder
	Spec PrimeBrokerSpec

	h0      []float64 // base haircut per asset; FX slots hold the currency haircut
	est     *core.EWMA
	fast    *core.EWMA
	horizon float64 // ticks
	settle  int     // ticks
	hold    int     // ticks

	Stressed    bool
	stressUntil int
	HaircutMult float64 // scripted margin changes multiply every haircut
	capital0    float64
	seized      int // account index of the liquidation book

	inBook []bool    // risk factors present in its clients' books this tick
	e, e2  []float64 // scratch exposure vectors
	idx    []int
	Util   float64 // utilization at the last margin run
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
	b.seized = w.OpenAccount(b.h, core.Custody)
	n := len(w.Assets)
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
	b.est = w.Est.EWMA(orDefault(s.HalfLifeDays, 10) * w.PerDay)
	b.fast = w.Est.EWMA(orDefault(s.FastHalfLifeDays, 0.5) * w.PerDay)
	b.horizon = math.Max(1, orDefault(s.HorizonDays, 2)*w.PerDay)
	b.settle = int(math.Max(1, math.Round(orDefault(s.SettleDays, 1)*w.PerDay)))
	b.hold = int(math.Round(orDefault(s.StressHoldDays, 2) * w.PerDay))
	b.inBook = make([]bool, n)
	b.e, b.e2 = make([]float64, n), make([]float64, n)
	b.idx = make([]int, 0, n)
	if b.Spec.VaRZ == 0 {
		b.Spec.VaRZ = 2.33
	}
	if b.Spec.LiquidationSpeed == 0 {
		b.Spec.LiquidationSpeed = 0.5
	}
	return b, nil
}

// haircut returns the current haircut on asset i.
func (b *PrimeBroker) haircut(w *core.World, i int) float64 {
	h := b.h0[i] * b.HaircutMult
	if w.Channels.ProcyclicalHaircuts && b.Spec.Kappa > 0 {
		if s0 := w.Est.Calm(i); s0 > 0 {
			h *= 1 + b.Spec.Kappa*math.Max(0, b.est.Vol(i)/s0-1)
		}
	}
	if w.Channels.BrokerCapital && b.Spec.Tighten > 0 && b.capital0 > 0 {
		h *= 1 + b.Spec.Tighten*math.Max(0, 1-b.h.Book/b.capital0)
	}
	return math.Min(h, 1)
}

// Requirement returns the margin the broker requires on exposure vector e
// (as filled by core.World.Exposure): the gross requirement Σ h_i·|e_i|, or,
// while it cross-margins, the portfolio requirement z·√(e'Σe·H) floored at
// Floor times gross.
func (b *PrimeBroker) Requirement(w *core.World, e []float64) (req, gross float64) {
	idx := b.idx[:0]
	for i, v := range e {
		if v != 0 {
			idx = append(idx, i)
			gross += b.haircut(w, i) * math.Abs(v)
		}
	}
	if !w.Channels.CrossMargin || (b.Stressed && w.Channels.OffsetDrop) {
		return gross, gross
	}
	v := 0.0
	for _, i := range idx {
		for _, j := range idx {
			v += e[i] * e[j] * b.est.Cov(i, j)
		}
	}
	req = b.Spec.VaRZ * math.Sqrt(math.Max(v, 0)*b.horizon)
	return math.Max(req, b.Spec.Floor*gross), gross
}

// AccountRequirement returns the requirement on an account as it stands.
func (b *PrimeBroker) AccountRequirement(w *core.World, acc *core.Account) float64 {
	w.Exposure(acc, b.e2)
	r, _ := b.Requirement(w, b.e2)
	return r
}

// Margin runs the broker's margining for the current round: it updates its
// stress state, then sets every client account's requirement, posted margin
// and margin call.
func (b *PrimeBroker) Margin(w *core.World) {
	b.updateStress(w)
	for _, ref := range b.h.Clients {
		acc := w.Acct(ref)
		owner := w.Holders[ref.Holder]
		if acc.Seized || owner.Defaulted {
			continue
		}
		w.Exposure(acc, b.e)
		acc.Req, acc.Gross = b.Requirement(w, b.e)
		acc.Posted = acc.Equity(w)
		short := acc.Req - acc.Posted
		if short > 1e-9*math.Max(acc.Req, 1) {
			if acc.Call == 0 {
				acc.CallTick = w.Tick
				acc.CallDue = w.Tick + b.settle
				w.Log(core.Event{Kind: core.EvMarginCall, Agent: owner.ID, Other: b.Spec.ID, Amount: short})
			}
			acc.Call = short
		} else {
			acc.Call = 0
		}
	}
}

// updateStress recomputes which risk factors are in the book and whether the
// broker is under stress.
func (b *PrimeBroker) updateStress(w *core.World) {
	if w.Round == 0 {
		clear(b.inBook)
		for _, ref := range b.h.Clients {
			acc := w.Acct(ref)
			if acc.Seized {
				continue
			}
			w.Exposure(acc, b.e)
			for i, v := range b.e {
				if v != 0 {
					b.inBook[i] = true
				}
			}
		}
	}
	b.Util = b.utilization(w)
	trig := ""
	s := &b.Spec
	for i, in := range b.inBook {
		if !in {
			continue
		}
		slow := b.est.Vol(i)
		if slow <= 0 {
			continue
		}
		if s.StressVolRatio > 0 && b.fast.Vol(i) > s.StressVolRatio*slow {
			trig = "volatility of " + w.Assets[i].ID
			break
		}
		if s.StressJump > 0 && math.Abs(w.Price[i]/w.Open[i]-1) > s.StressJump*slow {
			trig = "jump in " + w.Assets[i].ID
			break
		}
		if s.StressCorr > 0 {
			for j := i + 1; j < len(b.inBook); j++ {
				if b.inBook[j] && math.Abs(b.fast.Corr(i, j)-b.est.Corr(i, j)) > s.StressCorr {
					trig = "correlation of " + w.Assets[i].ID + " and " + w.Assets[j].ID
					break
				}
			}
			if trig != "" {
				break
			}
		}
	}
	if trig == "" && s.StressUtil > 0 && b.Util > s.StressUtil {
		trig = "utilization"
	}
	if trig != "" {
		if !b.Stressed {
			w.Log(core.Event{Kind: core.EvStress, Agent: s.ID, Detail: "offsets dropped: " + trig})
		}
		b.Stressed = true
		b.stressUntil = w.Tick + b.hold
	} else if b.Stressed && w.Tick >= b.stressUntil {
		b.Stressed = false
		w.Log(core.Event{Kind: core.EvStress, Agent: s.ID, Detail: "offsets restored"})
	}
}

// utilization returns the broker's leverage-ratio utilization: client
// financing plus seized and dealing inventory over capital times LevLimit.
func (b *PrimeBroker) utilization(w *core.World) float64 {
	capital := b.h.Book * b.Spec.LevLimit
	if capital <= 0 {
		return math.Inf(1)
	}
	e := 0.0
	for c := 0; c < w.NCur; c++ {
		if v := b.h.ClientBal[c]; v < 0 {
			e -= v * w.FXUSD[c]
		}
	}
	for k := range b.h.Accounts {
		acc := &b.h.Accounts[k]
		for _, i := range acc.Held {
			e += math.Abs(w.NotionalUSD(i, acc.Units[i]))
		}
	}
	return e / capital
}

// CapitalLoss returns the share of its initial capital the broker has lost.
func (b *PrimeBroker) CapitalLoss() float64 {
	return math.Max(0, 1-b.h.Book/b.capital0)
}

// Decide fire-sells seized collateral and squares the currency funding left
// behind by seized accounts.
func (b *PrimeBroker) Decide(w *core.World) {
	acc := &b.h.Accounts[b.seized]
	f := b.Spec.LiquidationSpeed
	for _, i := range acc.Held {
		u := acc.Units[i]
		q := -u * f
		if math.Abs(u) < 1e-9*math.Max(1, math.Abs(w.Price0[i])) || math.Abs(w.NotionalUSD(i, u)) < 1 {
			q = -u
		}
		w.Submit(core.Order{Holder: b.h.Index, Acct: b.seized, Asset: i, Units: q, Reason: core.DefaultLiquidation})
	}
	// Net short a foreign currency (client loans in it were extinguished by a
	// seizure, the broker's own borrowing remains): buy it back.
	for c := 1; c < w.NCur; c++ {
		net := b.h.Cash[c] - b.h.ClientBal[c]
		for k := 1; k < len(b.h.Accounts); k++ {
			net += b.h.Accounts[k].Bal[c]
		}
		if net*w.FXUSD[c] < -1 {
			p := w.FXPair[c]
			// Buying currency c: for USDJPY (quote JPY) sell USD.
			q := w.FXReturnSign(p, c) * net * w.FXUSD[c] * f
			w.Submit(core.Order{Holder: b.h.Index, Acct: 0, Asset: p, Units: q, Reason: core.DefaultLiquidation})
		}
	}
}

// Seize closes out a client account after a default: the broker takes its
// positions into its liquidation book and extinguishes the balance. The
// client's loss of the account's equity is the broker's gain; a negative
// equity is the broker's shortfall, recovered from the client's free cash
// where it can be. A positive equity is paid back to the client. It returns
// the shortfall left unrecovered (USD).
func (b *PrimeBroker) Seize(w *core.World, ref core.AcctRef) float64 {
	acc := w.Acct(ref)
	client := w.Holders[ref.Holder]
	eq := acc.Equity(w)
	liq := &b.h.Accounts[b.seized]
	for len(acc.Held) > 0 {
		i := acc.Held[0]
		u := acc.Units[i]
		liq.Add(i, u)
		acc.Add(i, -u)
	}
	for c := 0; c < w.NCur; c++ {
		if v := acc.Bal[c]; v != 0 {
			acc.Bal[c] = 0
			b.h.ClientBal[c] -= v
		}
	}
	acc.Seized = true
	acc.Call, acc.Req, acc.Posted = 0, 0, 0
	client.Book -= eq
	client.PnL[core.PnLCredit] -= eq
	b.h.Book += eq
	b.h.PnL[core.PnLCredit] += eq
	if eq > 0 {
		w.Pay(b.h, 0, client, 0, core.USD, eq, core.PnLCredit)
		return 0
	}
	rec := math.Min(-eq, client.FreeCashUSD())
	if rec > 0 {
		w.Pay(client, 0, b.h, 0, core.USD, rec, core.PnLCredit)
	}
	return -eq - rec
}

// ChangeHaircuts applies a scripted margin change: multiply the haircuts of
// the given asset indices (nil: every asset) by mult.
func (b *PrimeBroker) ChangeHaircuts(assets []int, mult float64) {
	if assets == nil {
		b.HaircutMult *= mult
		return
	}
	for _, i := range assets {
		b.h0[i] *= mult
	}
}

// Default closes out a client that failed to meet a margin call or became
// insolvent: every broker account it has is seized. It logs the default and
// returns the total shortfall its brokers book.
func Default(w *core.World, client *core.Holder, brokers []*PrimeBroker, why string) float64 {
	if client.Defaulted {
		return 0
	}
	client.Defaulted = true
	client.DefaultTick = w.Tick
	short := 0.0
	for k := 1; k < len(client.Accounts); k++ {
		acc := &client.Accounts[k]
		if acc.Lender == core.Custody || acc.Seized {
			continue
		}
		for _, b := range brokers {
			if b.h.Index == acc.Lender {
				short += b.Seize(w, core.AcctRef{Holder: client.Index, Acct: k})
			}
		}
	}
	w.Log(core.Event{Kind: core.EvDefault, Agent: client.ID, Amount: short, Detail: why})
	return short
}

// Overdue returns a client's account whose margin call is past due, or -1.
func Overdue(w *core.World, client *core.Holder) int {
	for k := 1; k < len(client.Accounts); k++ {
		acc := &client.Accounts[k]
		if acc.Call > 0 && !acc.Seized && w.Tick >= acc.CallDue {
			return k
		}
	}
	return -1
}
