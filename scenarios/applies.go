package scenarios

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/market"
	"github.com/cascade-sim/cascade/sim"
)

// Some parts of a file serve several kinds: an event, an asset, an impact
// function, a distribution. Each kind reads only some of the fields, and a
// field given where it is not read is a mistake, not a parameter: a
// policy_rate event given delta where it reads rate would set the policy
// rate to zero, and a future's vol is never read (it moves with its
// underlying). Loading refuses such fields, naming what the kind reads.

// kindFields says which fields of a struct each of its kinds reads.
type kindFields struct {
	common []string            // read by every kind
	own    map[string][]string // read by some kinds: by kind
	order  func() []string     // the kinds in the order messages list them
	notes  map[string]string   // why, by "kind.field", where it is not obvious
}

// eventFields: any event may carry news shocks.
var eventFields = kindFields{
	common: []string{"tick", "at", "kind", "label", "off", "shocks"},
	own: map[string][]string{
		"shock":           nil,
		"policy_rate":     {"currency", "rate"},
		"guidance":        {"currency", "rate", "delta"},
		"accommodation":   {"currency", "delta"},
		"haircut":         {"broker", "assets", "multiplier"},
		"volatility":      {"multiplier", "half_life_days"},
		"facility":        {"on"},
		"fx_intervention": {"amount", "pair"},
		"asset_purchase":  {"asset", "amount"},
		"default":         {"agent"},
		"dealer_capacity": {"dealers", "multiplier"},
	},
	order: func() []string { return sim.EventKinds },
	notes: map[string]string{
		"policy_rate.delta": "policy_rate sets the level: give rate",
		"volatility.assets": "a volatility event scales the noise of every asset",
		"volatility.broker": "a volatility event scales the noise of every asset",
	},
}

// assetFields: a future's volatility and drift are its underlying's (times
// beta), and it has no yield or duration of its own.
var assetFields = kindFields{
	common: []string{"id", "kind", "currency", "price", "adv", "group", "session", "impact"},
	own: map[string][]string{
		"fx":        {"vol", "drift", "base"},
		"bond":      {"vol", "drift", "yield", "duration"},
		"future":    {"underlying", "beta", "basis_half_life_days"},
		"equity":    {"vol", "drift"},
		"commodity": {"vol", "drift"},
		"crypto":    {"vol", "drift"},
		"illiquid":  {"vol", "drift"},
	},
	order: core.AssetKindNames,
	notes: map[string]string{
		"future.vol":      "a future moves with its underlying, times beta",
		"future.drift":    "a future moves with its underlying, times beta",
		"future.yield":    "a future has no yield of its own",
		"future.duration": "a future has no duration of its own (the model never reads one): it moves with its underlying, times beta",
	},
}

// tradeFields: a basis trade is funded in repo, in USD.
var tradeFields = kindFields{
	common: []string{"kind", "broker", "leverage", "stop_loss"},
	own: map[string][]string{
		"carry":  {"asset", "funding"},
		"basis":  {"asset", "future", "hedge_ratio"},
		"equity": {"asset", "funding"},
	},
	order: core.TradeKindNames,
	notes: map[string]string{"basis.funding": "a basis trade borrows USD in repo against its bond"},
}

var impactFields = kindFields{
	common: []string{"function", "permanent", "half_life_days", "flow_half_life_days"},
	own: map[string][]string{
		"linear":      {"lambda"},
		"sqrt":        {"y", "exponent", "volume"},
		"exponential": {"delta", "floor"},
	},
	order: market.ImpactKindNames,
}

// Inapplicable returns the fields of struct type t, as spelled in files,
// that has reports present under path and that are not in reads, in the
// struct's order.
func Inapplicable(has func(string) bool, path string, t reflect.Type, reads ...[]string) []string {
	var out []string
	for _, f := range fieldsOf(t) {
		read := false
		for _, r := range reads {
			read = read || slices.Contains(r, f.name)
		}
		if !read && has(join(path, f.name)) {
			out = append(out, f.name)
		}
	}
	return out
}

// CheckDist refuses, through fail, the fields of the distribution under
// path that its kind does not read, naming those it reads (and the kind
// that reads the field, where that is the likely slip). Scenario and sweep
// files both use it.
func CheckDist(has func(string) bool, fail func(path, format string, args ...any), path string, d *sim.Dist) {
	reads := sim.DistFields(d.Kind)
	if reads == nil {
		return // an unknown kind is reported on its own
	}
	takes := strings.Join(reads[1:], ", ") // reads[0] is kind
	for _, f := range Inapplicable(has, path, reflect.TypeOf(*d), reads) {
		hint := ""
		switch {
		case f == "weights" && d.Kind == "list":
			hint = "; weighted values are kind: choice"
		case (f == "mean" || f == "sd") && d.Kind == "lognormal":
			hint = "; mu and sigma are the mean and sd of the logarithm"
		case (f == "mu" || f == "sigma") && d.Kind == "normal":
			hint = "; a normal takes mean and sd"
		}
		fail(join(path, f), "%s does not apply to a %s distribution (it takes %s)%s", f, d.Kind, takes, hint)
	}
}

// applies refuses the fields under path that kind does not read, naming
// what it reads and what reads the field; what names the discriminator in
// messages ("kind", "function").
func (v *validator) applies(path string, t reflect.Type, what, kind string, k *kindFields) {
	own := k.own[kind]
	for _, f := range Inapplicable(v.has, path, t, k.common, own) {
		takes := "none of its own"
		if len(own) > 0 {
			takes = strings.Join(own, ", ")
		}
		var readers []string
		for _, r := range k.order() {
			if slices.Contains(k.own[r], f) {
				readers = append(readers, r)
			}
		}
		msg := fmt.Sprintf("%s does not apply to %s %s (its own fields: %s; %s is for %s)", f, what, kind, takes, f, strings.Join(readers, ", "))
		if n := k.notes[kind+"."+f]; n != "" {
			msg += ": " + n
		}
		v.fail(join(path, f), "%s", msg)
	}
}
