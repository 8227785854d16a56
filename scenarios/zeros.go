package scenarios

import (
	"fmt"
	"reflect"

	"github.com/cascade-sim/cascade/sim"
)

// Many parameters of the model have a default that an absent value takes,
// and the model cannot tell an absent value from a 0 written out: it runs
// the default in both cases (agents.orDefault and its like). A file that
// says var_z: 0, or a dealer's floor: 0, would silently run 2.33, or a
// floor of 1. Loading refuses such a 0 (a written-out field, v.has),
// naming the default and the values the field takes; where 0 would make
// the model degenerate rather than mean something, the message says so.
// Fields whose 0 the model honours (kappa: 0, fixed haircuts; stress_util:
// 0, no test; layoff_days: 0, the dealer keeps its inventory; ...) are not
// listed.

// A zeroDefault is a parameter whose 0 the model replaces by a default.
type zeroDefault struct {
	def  string // the default, as messages name it
	give string // what to give instead ("a value > 0")
	note string // optional: what a 0 would do, or how to get what it might be meant for
}

// zeroDefaults lists, by "Type.field" (as bounds), the parameters whose 0
// the model replaces by a default.
var zeroDefaults = map[string]zeroDefault{
	"Config.tick":                    {def: "1h", give: "a span up to a week (e.g. 15m)"},
	"Config.leverage_scale":          {def: "1", give: "a value > 0"},
	"Config.depth_scale":             {def: "1", give: "a value > 0"},
	"NoiseSpec.scale":                {def: "1", give: "a value > 0", note: "to switch the noise off, set noise.off: true"},
	"AssetSpec.beta":                 {def: "1", give: "a value > 0", note: "a future moves with its underlying, times beta"},
	"AssetSpec.basis_half_life_days": {def: "(no reversion: the basis moves only with the valuation link and flows)", give: "a value > 0"},
	"Impact.exponent":                {def: "0.5 (the square root)", give: "a value in (0, 2]", note: "a power of 0 would move the price as much for any flow"},
	"Impact.volume":                  {def: "the asset's adv", give: "a value > 0"},

	"PrimeBrokerSpec.var_z":               {def: "2.33", give: "a value > 0"},
	"PrimeBrokerSpec.horizon_days":        {def: "2", give: "a value > 0"},
	"PrimeBrokerSpec.half_life_days":      {def: "10", give: "a value > 0"},
	"PrimeBrokerSpec.fast_half_life_days": {def: "0.5", give: "a value > 0"},
	"PrimeBrokerSpec.stress_hold_days":    {def: "2", give: "a value > 0"},
	"PrimeBrokerSpec.settle_days":         {def: "1", give: "a value > 0"},
	"PrimeBrokerSpec.min_transfer":        {def: "1,000", give: "a value > 0"},
	"PrimeBrokerSpec.remargin_sigma":      {def: "3", give: "a value > 0"},
	"PrimeBrokerSpec.liquidation_speed":   {def: "0.25", give: "a value in (0, 1]", note: "at 0 the broker would never sell what it seizes"},

	"DealerSpec.share": {def: "1", give: "a value > 0"},
	"DealerSpec.floor": {def: "1 (depth never falls)", give: "a value in (0, 1]", note: "at 0 a fully used dealer would leave the market no depth, and impact divides by depth"},

	"ConventionSpec.max_rounds":      {def: "5", give: "a whole number from 1 to 10000"},
	"ReportSpec.correlation_window":  {def: "48", give: "a whole number of ticks, at least 3"},
	"ReportSpec.correlation_horizon": {def: "1", give: "a whole number of ticks, at least 1"},
	"ReportSpec.vix_window":          {def: "24", give: "a whole number of ticks, at least 1"},
	"ReportSpec.vix_premium":         {def: "1.2", give: "a value > 0"},

	"AgentSpec.count":       {def: "1 (one agent with the id as written)", give: "a whole number ≥ 1", note: "to run without these agents, remove the entry; channels: {off: [KIND]} makes every agent of a kind passive"},
	"TradeSpec.hedge_ratio": {def: "1", give: "a value > 0", note: "futures notional per unit of bond notional"},

	"HedgeFundSpec.half_life_days": {def: "5", give: "a value > 0"},
	"HedgeFundSpec.margin_buffer":  {def: "0.1", give: "a value > 0"},
	"HedgeFundSpec.cushion":        {def: "1.5", give: "a value > 0"},
	"HedgeFundSpec.participation":  {def: "0.2", give: "a value > 0", note: "at 0 the fund could never trade"},
	"HedgeFundSpec.derisk_cut":     {def: "0.25", give: "a value in (0, 1]", note: "to switch de-risking off, leave derisk_drawdown out or at 0"},

	"InsurerSpec.max_hedge": {def: "0.8", give: "a value in (0, 1]", note: "to stop hedging up, leave hedge_speed out or at 0"},

	"CTASpec.lookback_days":  {def: "30, 90, 365", give: "lookbacks in days, each > 0"},
	"CTASpec.target_vol":     {def: "0.10", give: "a value > 0"},
	"CTASpec.max_leverage":   {def: "4", give: "a value > 0"},
	"CTASpec.speed":          {def: "0.25", give: "a value in (0, 1]"},
	"CTASpec.rebalance_days": {def: "1", give: "a value > 0"},
	"CTASpec.half_life_days": {def: "20", give: "a value > 0"},

	"RiskParitySpec.target_vol":     {def: "0.10", give: "a value > 0"},
	"RiskParitySpec.max_leverage":   {def: "4", give: "a value > 0"},
	"RiskParitySpec.speed":          {def: "0.5", give: "a value in (0, 1]"},
	"RiskParitySpec.rebalance_days": {def: "1", give: "a value > 0"},
	"RiskParitySpec.half_life_days": {def: "10", give: "a value > 0"},

	"VolControlSpec.target_vol":     {def: "0.12", give: "a value > 0"},
	"VolControlSpec.max_leverage":   {def: "1.5", give: "a value > 0"},
	"VolControlSpec.speed":          {def: "1", give: "a value in (0, 1]"},
	"VolControlSpec.rebalance_days": {def: "1", give: "a value > 0"},
	"VolControlSpec.half_life_days": {def: "5", give: "a value > 0"},

	"ValueInvestorSpec.band":        {def: "0.03", give: "a value > 0"},
	"ValueInvestorSpec.intensity":   {def: "0.5", give: "a value > 0"},
	"ValueInvestorSpec.anchor_days": {def: "20", give: "a value > 0"},
	"ValueInvestorSpec.max_share":   {def: "0.5", give: "a value in (0, 1]"},
	"ValueInvestorSpec.review_days": {def: "1/24 (an hour)", give: "a value > 0"},

	"BankSpec.target_leverage": {def: "the bank's leverage at the start", give: "a value > 0"},
	"BankSpec.tolerance":       {def: "1e-12", give: "a value > 0"},

	"CentralBankSpec.reserves": {def: "10 × amount", give: "a value > 0"},
}

// fieldKey is the key of field f of struct type t in the tables by
// "Type.field": an inline field belongs to its own struct. The tables are
// this module's: a type of another package (a registered agent kind's spec)
// has a key of its package path too, which no table holds, so that a
// program's own type named as one of ours takes none of our fields' rules.
func fieldKey(t reflect.Type, f field) string {
	owner := t
	if len(f.index) > 1 {
		owner = t.FieldByIndex(f.index[:len(f.index)-1]).Type
	}
	if !tabled(owner) {
		return owner.PkgPath() + "." + owner.Name() + "." + f.name
	}
	return owner.Name() + "." + f.name
}

// tabled tells whether struct type t is of a package whose types the
// tables by "Type.field" describe.
func tabled(t reflect.Type) bool {
	switch t.PkgPath() {
	case "github.com/cascade-sim/cascade/agents", "github.com/cascade-sim/cascade/sim", "github.com/cascade-sim/cascade/scenarios":
		return true
	}
	return false
}

// zeroOf returns the zeroDefault of field f of struct type t, if it has one.
func zeroOf(t reflect.Type, f field) (zeroDefault, bool) {
	z, ok := zeroDefaults[fieldKey(t, f)]
	return z, ok
}

// message is the refusal of a 0 (or, for a list, of an empty list).
func (z zeroDefault) message(list bool) string {
	what := "0"
	if list {
		what = "an empty list"
	}
	msg := fmt.Sprintf("%s is not a valid value; omit the field for the default %s, or give %s", what, z.def, z.give)
	if z.note != "" {
		msg += " (" + z.note + ")"
	}
	return msg
}

// zeros refuses every written-out 0 of a parameter in zeroDefaults within
// struct value sv (and the structs it holds), reporting each under path.
func (v *validator) zeros(path string, sv reflect.Value) {
	t := sv.Type()
	if t == agentType {
		a := sv.Addr().Interface().(*sim.AgentSpec)
		v.zeroField(join(path, "count"), zeroDefaults["AgentSpec.count"], reflect.ValueOf(a.Count))
		if spec, err := a.Spec(); err == nil {
			v.zeros(path, reflect.ValueOf(spec).Elem())
		}
		return
	}
	for _, f := range fieldsOf(t) {
		fv := sv.FieldByIndex(f.index)
		p := join(path, f.name)
		if z, ok := zeroOf(t, f); ok {
			v.zeroField(p, z, fv)
			continue
		}
		switch fv.Kind() {
		case reflect.Pointer:
			if !fv.IsNil() && fv.Elem().Kind() == reflect.Struct {
				v.zeros(p, fv.Elem())
			}
		case reflect.Struct:
			if fv.Type() != timeType {
				v.zeros(p, fv)
			}
		case reflect.Slice:
			if fv.Type().Elem().Kind() == reflect.Struct {
				for k := 0; k < fv.Len(); k++ {
					v.zeros(fmt.Sprintf("%s[%d]", p, k), fv.Index(k))
				}
			}
		}
	}
}

// zeroField refuses the value fv of the field at path if the file writes
// it out as 0 (an empty list, for a list).
func (v *validator) zeroField(path string, z zeroDefault, fv reflect.Value) {
	if !v.has(path) {
		return
	}
	list := fv.Kind() == reflect.Slice
	if (list && fv.Len() == 0) || (!list && fv.IsZero()) {
		v.fail(path, "%s", z.message(list))
	}
}
