package scenarios

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/cascade-sim/cascade/sim"
)

// A bound is the range of a numeric parameter.
type bound int

const (
	nonNegative bound = iota + 1 // x ≥ 0
	share                        // 0 ≤ x ≤ 1
	positive                     // x > 0
)

// bounds lists, by "Type.field", the ranges of parameters that no other
// check covers. Validation refuses a value outside its range, and the JSON
// schema states it (minimum, maximum), so that editors flag it as it is
// typed. Zero keeps its meaning ("the default") wherever a field has one.
var bounds = map[string]bound{
	"HedgeFundSpec.equity":          positive,
	"HedgeFundSpec.carry_exit":      nonNegative,
	"HedgeFundSpec.reentry":         nonNegative,
	"HedgeFundSpec.derisk_drawdown": share,
	"HedgeFundSpec.derisk_cut":      share,
	"HedgeFundSpec.review_hours":    nonNegative,
	"HedgeFundSpec.participation":   nonNegative,
	"TradeSpec.leverage":            positive,
	"TradeSpec.stop_loss":           share,
	"HedgeFundSpec.reentry_days":    nonNegative,
	"HedgeFundSpec.half_life_days":  nonNegative,
	"HedgeFundSpec.margin_buffer":   nonNegative,
	"HedgeFundSpec.cushion":         nonNegative,
	"TradeSpec.hedge_ratio":         nonNegative,

	"InsurerSpec.equity":       positive,
	"InsurerSpec.hedge_ratio":  share,
	"InsurerSpec.max_hedge":    share,
	"InsurerSpec.trigger":      nonNegative,
	"InsurerSpec.trigger_move": nonNegative,
	"InsurerSpec.hedge_speed":  nonNegative,
	"InsurerSpec.repatriate":   share,
	"InsurerSpec.sensitivity":  nonNegative,
	"InsurerSpec.alloc_speed":  share,

	"CTASpec.equity":                positive,
	"RiskParitySpec.equity":         positive,
	"VolControlSpec.equity":         positive,
	"CTASpec.target_vol":            nonNegative,
	"CTASpec.max_leverage":          nonNegative,
	"CTASpec.rebalance_days":        nonNegative,
	"CTASpec.half_life_days":        nonNegative,
	"RiskParitySpec.target_vol":     nonNegative,
	"RiskParitySpec.max_leverage":   nonNegative,
	"RiskParitySpec.rebalance_days": nonNegative,
	"RiskParitySpec.half_life_days": nonNegative,
	"VolControlSpec.target_vol":     nonNegative,
	"VolControlSpec.max_leverage":   nonNegative,
	"VolControlSpec.rebalance_days": nonNegative,
	"VolControlSpec.half_life_days": nonNegative,

	"ValueInvestorSpec.equity":      positive,
	"ValueInvestorSpec.band":        nonNegative,
	"ValueInvestorSpec.intensity":   nonNegative,
	"ValueInvestorSpec.anchor_days": nonNegative,
	"ValueInvestorSpec.max_share":   share,
	"ValueInvestorSpec.review_days": nonNegative,

	"BankSpec.equity":          positive,
	"BankSpec.min_ratio":       share,
	"BankSpec.target_leverage": nonNegative,
	"BankSpec.tolerance":       nonNegative,

	"CentralBankSpec.trigger":       nonNegative,
	"CentralBankSpec.amount":        nonNegative,
	"CentralBankSpec.cooldown_days": nonNegative,
	"CentralBankSpec.reserves":      nonNegative,

	"ReportSpec.vix_window":  nonNegative,
	"ReportSpec.vix_premium": nonNegative,
	"ReportSpec.vix_stress":  nonNegative,
	"ReportSpec.vix_news":    nonNegative,
}

// boundOf returns the bound of field name of struct type t, if it has one.
// An inline field's bound is its own struct's.
func boundOf(t reflect.Type, f field) (bound, bool) {
	owner := t
	if len(f.index) > 1 {
		owner = t.FieldByIndex(f.index[:len(f.index)-1]).Type
	}
	b, ok := bounds[owner.Name()+"."+f.name]
	return b, ok
}

// bounded checks every bounded field of struct value sv (and of the
// structs in its slices), reporting each under path.
func (v *validator) bounded(path string, sv reflect.Value) {
	t := sv.Type()
	for _, f := range fieldsOf(t) {
		fv := sv.FieldByIndex(f.index)
		p := path + "." + f.name
		if fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Struct {
			for k := 0; k < fv.Len(); k++ {
				v.bounded(fmt.Sprintf("%s[%d]", p, k), fv.Index(k))
			}
			continue
		}
		b, ok := boundOf(t, f)
		if !ok {
			continue
		}
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		var x float64
		switch fv.Kind() {
		case reflect.Float64:
			x = fv.Float()
		case reflect.Int:
			x = float64(fv.Int())
		default:
			panic("scenarios: bound on a field of kind " + fv.Kind().String())
		}
		switch b {
		case nonNegative:
			v.nonneg(p, x)
		case share:
			v.unit(p, x)
		case positive:
			v.positive(p, x)
		}
	}
}

// schemaBound adds field f's range, if it has one, to its schema fs.
func schemaBound(t reflect.Type, f field, fs map[string]any) {
	b, ok := boundOf(t, f)
	if !ok {
		return
	}
	switch b {
	case positive:
		fs["exclusiveMinimum"] = 0
	case share:
		fs["minimum"], fs["maximum"] = 0, 1
	default:
		fs["minimum"] = 0
	}
}

// boundAt returns the bound of the field at a population's vary path
// (e.g. "repatriate" or "trades.1.hedge_ratio") in struct type t.
func boundAt(t reflect.Type, path string) (bound, bool) {
	parts := strings.Split(path, ".")
	for k := 0; k < len(parts); k++ {
		f, ok := findField(fieldsOf(t), parts[k])
		if !ok {
			return 0, false
		}
		if k == len(parts)-1 {
			return boundOf(t, f)
		}
		ft := t.FieldByIndex(f.index).Type
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
			k++ // the index
		}
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() != reflect.Struct {
			return 0, false
		}
		t = ft
	}
	return 0, false
}

// varyRange checks that every draw of a population's parameter lies in the
// parameter's range.
func (v *validator) varyRange(vp string, t reflect.Type, x *sim.Vary) {
	b, ok := boundAt(t, x.Field)
	if !ok {
		return
	}
	lo, hi := x.Dist.Range()
	switch {
	case b == positive && lo <= 0:
		v.fail(vp+".dist", "%s must be positive, and this distribution draws down to %v (give a min above 0)", x.Field, lo)
	case b != positive && lo < 0:
		v.fail(vp+".dist", "%s must not be negative, and this distribution draws down to %v (give a min)", x.Field, lo)
	case b == share && hi > 1:
		v.fail(vp+".dist", "%s must be between 0 and 1, and this distribution draws up to %v (give a max)", x.Field, hi)
	}
}
