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
	// fraction is 0 ≤ x < 1: checked as share, with a check of its own
	// refusing 1 (and saying why); the schema states the open bound.
	fraction
	positive // x > 0
	// below1 is 0 ≤ x < 1 as a kind's own field declares it (range:"fraction"):
	// checked whole, since no check of its own refuses 1.
	below1
)

// rangeTag is the struct tag by which a registered agent kind (sim.Register)
// gives its fields the ranges the built-in kinds have in bounds and maxima:
// range:"share", range:"nonnegative,days". The first option is the bound, one
// of rangeNames; an optional "days" or "hours" caps a span at 100 years.
const rangeTag = "range"

// rangeNames are the bounds a range tag can name.
var rangeNames = map[string]bound{
	"nonnegative": nonNegative,
	"share":       share,
	"fraction":    below1,
	"positive":    positive,
}

// tagRange reads field f's range tag in struct type t. A malformed tag is
// the program's mistake, not the file's, and panics, naming the field.
func tagRange(t reflect.Type, f field) (b bound, m maximum, hasBound, hasMax bool) {
	tag, ok := t.FieldByIndex(f.index).Tag.Lookup(rangeTag)
	if !ok {
		return 0, maximum{}, false, false
	}
	for _, opt := range strings.Split(tag, ",") {
		switch opt {
		case "days":
			m, hasMax = inDays, true
		case "hours":
			m, hasMax = inHours, true
		default:
			b, hasBound = rangeNames[opt]
			if !hasBound {
				panic(fmt.Sprintf("scenarios: %s.%s: range tag %q: want nonnegative, share, fraction or positive, then days or hours", t, f.name, tag))
			}
		}
	}
	return b, m, hasBound, hasMax
}

// bounds lists, by "Type.field", the ranges of parameters that no other
// check covers. Validation refuses a value outside its range, and the JSON
// schema states it (minimum, maximum), so that editors flag it as it is
// typed. Where the model runs a default in place of 0, a 0 written out is
// refused as well (zeroDefaults, zeros.go), and the schema excludes it.
var bounds = map[string]bound{
	"HedgeFundSpec.equity":          positive,
	"HedgeFundSpec.carry_exit":      nonNegative,
	"HedgeFundSpec.reentry":         nonNegative,
	"HedgeFundSpec.derisk_drawdown": fraction,
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

	"InsurerSpec.equity":             positive,
	"InsurerSpec.foreign_value":      nonNegative,
	"InsurerSpec.domestic_value":     nonNegative,
	"InsurerSpec.hedge_ratio":        share,
	"InsurerSpec.max_hedge":          share,
	"InsurerSpec.trigger":            nonNegative,
	"InsurerSpec.trigger_move":       nonNegative,
	"InsurerSpec.hedge_speed":        nonNegative,
	"InsurerSpec.repatriate":         share,
	"InsurerSpec.sensitivity":        nonNegative,
	"InsurerSpec.alloc_speed":        share,
	"InsurerSpec.fx_risk_premium":    share,
	"InsurerSpec.liability_duration": nonNegative,
	"InsurerSpec.liability_rate":     nonNegative,

	"CTASpec.equity":                positive,
	"RiskParitySpec.equity":         positive,
	"VolControlSpec.equity":         positive,
	"CTASpec.lookback_days":         positive, // each
	"CTASpec.target_vol":            nonNegative,
	"CTASpec.max_leverage":          nonNegative,
	"CTASpec.rebalance_days":        nonNegative,
	"CTASpec.speed":                 share,
	"RiskParitySpec.speed":          share,
	"VolControlSpec.speed":          share,
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
	"BankSpec.cash":            nonNegative,

	"PrimeBrokerSpec.min_transfer": nonNegative,

	"CentralBankSpec.trigger":       nonNegative,
	"CentralBankSpec.amount":        nonNegative,
	"CentralBankSpec.cooldown_days": nonNegative,
	"CentralBankSpec.reserves":      nonNegative,

	"EventSpec.half_life_days": nonNegative,

	"GarchSpec.alpha":          fraction,
	"GarchSpec.half_life_days": nonNegative,

	"ReportSpec.vix_window":  nonNegative,
	"ReportSpec.vix_premium": nonNegative,
	"ReportSpec.vix_stress":  nonNegative,
	"ReportSpec.vix_news":    nonNegative,
}

// maxSpanDays is the longest span, in days, a parameter that the model
// turns into ticks or into an estimator's horizon may take: 100 years. It
// keeps every such span well inside an int of ticks even at a tick of a
// nanosecond (36,500 days is 3.2e18 ns), and a period counted out tick by
// tick (a prime broker's settle_days with settle_weekdays) finite; anything
// longer is a mistake, not a parameter.
const maxSpanDays = 36500

// A maximum is the largest value of a parameter given in days or hours.
type maximum struct {
	x    float64
	unit string // "days" or "hours", as messages name it
}

func (m maximum) String() string {
	return fmt.Sprintf("%v %s (100 years)", m.x, m.unit)
}

var (
	inDays  = maximum{maxSpanDays, "days"}
	inHours = maximum{24 * maxSpanDays, "hours"}
)

// maxima lists, by "Type.field" (as bounds), the parameters given in days
// or hours, each at most 100 years (maxSpanDays). Validation refuses a
// longer one, and the schema states it (maximum).
var maxima = map[string]maximum{
	"HedgeFundSpec.reentry_days":   inDays,
	"HedgeFundSpec.half_life_days": inDays,
	"HedgeFundSpec.review_hours":   inHours,

	"CTASpec.lookback_days":         inDays, // each
	"CTASpec.rebalance_days":        inDays,
	"CTASpec.half_life_days":        inDays,
	"RiskParitySpec.rebalance_days": inDays,
	"RiskParitySpec.half_life_days": inDays,
	"VolControlSpec.rebalance_days": inDays,
	"VolControlSpec.half_life_days": inDays,

	"ValueInvestorSpec.anchor_days": inDays,
	"ValueInvestorSpec.review_days": inDays,

	"CentralBankSpec.cooldown_days": inDays,

	"PrimeBrokerSpec.horizon_days":        inDays,
	"PrimeBrokerSpec.half_life_days":      inDays,
	"PrimeBrokerSpec.fast_half_life_days": inDays,
	"PrimeBrokerSpec.stress_hold_days":    inDays,
	"PrimeBrokerSpec.settle_days":         inDays,
	"DealerSpec.layoff_days":              inDays,

	"Impact.half_life_days":      inDays,
	"Impact.flow_half_life_days": inDays,
	"EventSpec.half_life_days":   inDays,
	"GarchSpec.half_life_days":   inDays,
}

// maximumOf returns the maximum of field f of struct type t, if it has one.
func maximumOf(t reflect.Type, f field) (maximum, bool) {
	if m, ok := maxima[fieldKey(t, f)]; ok {
		return m, true
	}
	_, m, _, ok := tagRange(t, f)
	return m, ok
}

// boundOf returns the bound of field name of struct type t, if it has one:
// from bounds, or from the field's range tag. An inline field's bound is its
// own struct's.
func boundOf(t reflect.Type, f field) (bound, bool) {
	if b, ok := bounds[fieldKey(t, f)]; ok {
		return b, true
	}
	b, _, ok, _ := tagRange(t, f)
	return b, ok
}

// negativeHints says, for a positive field a user may write negative
// meaning something the model does not have, what the sign would mean and
// what to write instead.
var negativeHints = map[string]string{
	"TradeSpec.leverage": "a trade is a long position, and short trades (an equity short) are not supported; write a long/short book as its net long (a smaller positive leverage)",
}

// bounded checks every bounded field of struct value sv (and of the
// structs in its slices), reporting each under path: its bound (bounds)
// and its maximum (maxima). A bound on a list of numbers bounds each of
// them.
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
		b, hasBound := boundOf(t, f)
		m, hasMax := maximumOf(t, f)
		if !hasBound && !hasMax {
			continue
		}
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		check := func(p string, fv reflect.Value) {
			if hint, ok := negativeHints[fieldKey(t, f)]; ok && number(fv) < 0 {
				v.fail(p, "must be positive (got %v): %s", number(fv), hint)
			} else if hasBound {
				v.bound(p, fv, b)
			}
			if x := number(fv); hasMax && x > m.x {
				v.fail(p, "must be at most %s (got %v)", m, x)
			}
		}
		if fv.Kind() == reflect.Slice {
			for k := 0; k < fv.Len(); k++ {
				check(fmt.Sprintf("%s[%d]", p, k), fv.Index(k))
			}
			continue
		}
		check(p, fv)
	}
}

// number is the value of a numeric field.
func number(fv reflect.Value) float64 {
	switch fv.Kind() {
	case reflect.Float64:
		return fv.Float()
	case reflect.Int:
		return float64(fv.Int())
	}
	panic("scenarios: bound on a field of kind " + fv.Kind().String())
}

// bound checks one number against its bound.
func (v *validator) bound(p string, fv reflect.Value, b bound) {
	x := number(fv)
	switch b {
	case nonNegative:
		v.nonneg(p, x)
	case share, fraction:
		v.unit(p, x)
	case below1:
		if x < 0 || x >= 1 {
			v.fail(p, "must be in [0, 1) (got %v)", x)
		}
	case positive:
		v.positive(p, x)
	}
}

// schemaBound adds field f's range, if it has one, to its schema fs, and
// excludes 0 where a written-out 0 is refused (zeroDefaults).
func schemaBound(t reflect.Type, f field, fs map[string]any) {
	if b, ok := boundOf(t, f); ok {
		ns := fs // the number's schema: a list's items
		if items, ok := fs["items"].(map[string]any); ok && fs["type"] == "array" {
			ns = items
		}
		switch b {
		case positive:
			ns["exclusiveMinimum"] = 0
		case share:
			ns["minimum"], ns["maximum"] = 0, 1
		case fraction, below1:
			ns["minimum"], ns["exclusiveMaximum"] = 0, 1
		default:
			ns["minimum"] = 0
		}
	}
	if m, ok := maximumOf(t, f); ok {
		ns := fs
		if items, ok := fs["items"].(map[string]any); ok && fs["type"] == "array" {
			ns = items
		}
		ns["maximum"] = m.x
	}
	if _, ok := zeroOf(t, f); !ok {
		return
	}
	switch fs["type"] {
	case "array":
		fs["minItems"] = 1
	case "number", "integer":
		if m, ok := fs["minimum"]; ok && m == 0 {
			delete(fs, "minimum")
			fs["exclusiveMinimum"] = 0
		} else if _, ok := fs["exclusiveMinimum"]; !ok {
			fs["not"] = map[string]any{"const": 0}
		}
	}
}

// fieldAt returns the field at a population's vary path (e.g.
// "repatriate" or "trades.1.hedge_ratio") in struct type t, with the struct
// type that holds it.
func fieldAt(t reflect.Type, path string) (reflect.Type, field, bool) {
	parts := strings.Split(path, ".")
	for k := 0; k < len(parts); k++ {
		f, ok := findField(fieldsOf(t), parts[k])
		if !ok {
			return nil, field{}, false
		}
		if k == len(parts)-1 {
			return t, f, true
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
			return nil, field{}, false
		}
		t = ft
	}
	return nil, field{}, false
}

// varyRange checks that every draw of a population's parameter lies in the
// parameter's range.
func (v *validator) varyRange(vp string, t reflect.Type, x *sim.Vary) {
	ot, f, ok := fieldAt(t, x.Field)
	if !ok {
		return
	}
	b, bounded := boundOf(ot, f)
	m, hasMax := maximumOf(ot, f)
	z, refused := zeroOf(ot, f)
	lo, hi := x.Dist.Range()
	switch {
	case bounded && b == positive && lo <= 0:
		v.fail(vp+".dist", "%s must be positive, and this distribution draws down to %v (%s)", x.Field, lo, distFix(&x.Dist, false, true, 0))
	case bounded && b != positive && lo < 0:
		v.fail(vp+".dist", "%s must not be negative, and this distribution draws down to %v (%s)", x.Field, lo, distFix(&x.Dist, false, false, 0))
	case bounded && (b == share || b == fraction || b == below1) && hi > 1:
		v.fail(vp+".dist", "%s must be between 0 and 1, and this distribution draws up to %v (%s)", x.Field, hi, distFix(&x.Dist, true, b != share, 1))
	case bounded && (b == fraction || b == below1) && hi == 1:
		v.fail(vp+".dist", "%s must be below 1, and this distribution draws up to 1 (%s)", x.Field, distFix(&x.Dist, true, true, 1))
	case hasMax && hi > m.x:
		v.fail(vp+".dist", "%s must be at most %s, and this distribution draws up to %v (%s)", x.Field, m, hi, distFix(&x.Dist, true, false, m.x))
	case refused && lo <= 0 && hi >= 0:
		fix := distFix(&x.Dist, false, true, 0)
		if k := x.Dist.Kind; k == "fixed" || k == "list" || k == "choice" {
			fix = "leave 0 out of its values"
		}
		v.fail(vp+".dist", "%s cannot be 0, and this distribution can draw 0 (the model would run the default, %s, in its place): %s", x.Field, z.def, fix)
	case hi > maxFloat:
		// A lognormal of mu 700 draws 1e306: no file may write such a number.
		v.fail(vp+".dist", "this distribution draws %s up to %.4g, beyond any number a scenario may hold (at most %g in magnitude): %s", x.Field, hi, maxFloat, distFix(&x.Dist, true, false, maxFloat))
	case lo < -maxFloat:
		v.fail(vp+".dist", "this distribution draws %s down to %.4g, beyond any number a scenario may hold (at most %g in magnitude): %s", x.Field, lo, maxFloat, distFix(&x.Dist, false, false, -maxFloat))
	}
}

// distFix says how to change distribution d so that its draws stay within
// a bound b on the upper (or lower) side, strictly or not: move the max
// (min) it has, give it one (a normal or lognormal draw is clamped to
// them), or keep a list's values in range. "Give a max" to a uniform
// distribution, which has one, would not say what to do.
func distFix(d *sim.Dist, upper, strict bool, b float64) string {
	side, verb, bnd, rel := "min", "raise", d.Min, "at least"
	if strict {
		rel = "above"
	}
	if upper {
		side, verb, bnd, rel = "max", "lower", d.Max, "at most"
		if strict {
			rel = "below"
		}
	}
	switch {
	case d.Kind == "fixed":
		return fmt.Sprintf("make its value %s %v", rel, b)
	case d.Kind == "list" || d.Kind == "choice":
		return fmt.Sprintf("keep its values %s %v", rel, b)
	case bnd != nil && strict:
		return fmt.Sprintf("%s its %s %s %v", verb, side, rel, b)
	case bnd != nil:
		return fmt.Sprintf("%s its %s to %v", verb, side, b)
	case strict:
		return fmt.Sprintf("give it a %s %s %v", side, rel, b)
	}
	return fmt.Sprintf("give it a %s of %s %v", side, rel, b)
}
