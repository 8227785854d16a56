package scenarios

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/sim"
)

// TestApplies: a field its kind does not read is refused with its path and
// what the kind reads; each event kind's own required fields are asked
// for; fields a kind does read pass. Cases change the mini built-in, whose
// events[0] is a policy_rate (rate) and events[1] a guidance (delta),
// agents[0] a fund with a carry trade and a basis trade,
// assets[0] USDJPY (fx, sqrt impact), assets[1] UST10Y (bond), assets[2] TY
// (future) and assets[3] SPX (equity).
func TestApplies(t *testing.T) {
	for _, c := range []struct {
		set  []string
		want []string // none: valid
	}{
		{[]string{"events[0].delta=0.001"}, []string{
			"events[0].delta: delta does not apply to kind policy_rate (its own fields: currency, rate; delta is for guidance, accommodation): policy_rate sets the level: give rate"}},
		{[]string{"events[0]={at: 2024-07-31T03:00:00Z, kind: policy_rate, currency: JPY, delta: 0.0025}"}, []string{
			"events[0].rate: missing rate: the new policy rate as a decimal",
			"events[0].delta: delta does not apply to kind policy_rate"}},
		{[]string{"events[1].rate=0.01"}, []string{"events[1].delta: give rate (the new expected rate) or delta (its change), not both"}},
		{[]string{"events[1].delta=0"}, []string{"events[1].delta: a delta of 0 changes nothing"}},
		{[]string{"events[1].kind=accommodation"}, nil},
		{[]string{"events[0].kind=accommodation"}, []string{
			"events[0].delta: missing delta",
			"events[0].rate: rate does not apply to kind accommodation (its own fields: currency, delta; rate is for policy_rate, guidance)"}},
		{[]string{"events[0].kind=facility"}, []string{
			"events[0].on: missing on",
			"events[0].currency: currency does not apply to kind facility (its own fields: on;",
			"events[0].rate: rate does not apply to kind facility"}},
		{[]string{"events[0]={at: 2024-07-31T03:00:00Z, kind: facility, on: false}"}, nil},
		{[]string{"events[0]={at: 2024-07-31T03:00:00Z, kind: fx_intervention}"}, []string{"events[0].amount: missing amount"}},
		{[]string{"events[0]={at: 2024-07-31T03:00:00Z, kind: fx_intervention, amount: 5.0e+9}"}, nil},
		{[]string{"events[0]={at: 2024-07-31T03:00:00Z, kind: asset_purchase}"}, []string{"events[0].amount: missing amount", "events[0].asset: missing asset"}},
		{[]string{"events[0]={at: 2024-07-31T03:00:00Z, kind: asset_purchase, asset: UST10Y, amount: 5.0e+9}"}, nil},
		{[]string{"events[0]={at: 2024-07-31T03:00:00Z, kind: asset_purchase, asset: UST10Y, amount: -5.0e+9, pair: USDJPY}"},
			[]string{"events[0].pair: pair does not apply to kind asset_purchase (its own fields: asset, amount; pair is for fx_intervention)"}},
		{[]string{"events[0]={at: 2024-07-31T03:00:00Z, kind: fx_intervention, amount: 5.0e+9, asset: SPX}"},
			[]string{"events[0].asset: asset does not apply to kind fx_intervention (its own fields: amount, pair; asset is for asset_purchase)"}},
		{[]string{"events[0]={at: 2024-07-31T03:00:00Z, kind: shock, shocks: {SPX: -0.01}, multiplier: 2}"},
			[]string{"events[0].multiplier: multiplier does not apply to kind shock (its own fields: none of its own; multiplier is for haircut, volatility, dealer_capacity)"}},
		{[]string{"events[0]={at: 2024-07-31T03:00:00Z, kind: volatility, multiplier: 2, broker: GS}"},
			[]string{"events[0].broker: broker does not apply to kind volatility", "a volatility event scales the noise of every asset"}},
		{[]string{"assets[3].duration=8"}, []string{"assets[3].duration: duration does not apply to kind equity (its own fields: vol, drift; duration is for bond)"}},
		{[]string{"assets[2].vol=0.07"}, []string{"assets[2].vol: vol does not apply to kind future", "a future moves with its underlying, times beta"}},
		{[]string{"assets[2].drift=0.01"}, []string{"assets[2].drift: drift does not apply to kind future"}},
		{[]string{"assets[2].beta=1.1"}, nil},
		{[]string{"assets[2].duration=7"}, []string{"assets[2].duration: duration does not apply to kind future (its own fields: underlying, beta, basis_half_life_days; duration is for bond): a future has no duration of its own (the model never reads one): it moves with its underlying, times beta"}},
		{[]string{"assets[0].yield=0.01"}, []string{"assets[0].yield: yield does not apply to kind fx (its own fields: vol, drift, base; yield is for bond)"}},
		{[]string{"assets[1].base=USD"}, []string{"assets[1].base: base does not apply to kind bond"}},
		{[]string{"assets[0].impact.lambda=0.001"}, []string{"assets[0].impact.lambda: lambda does not apply to function sqrt (its own fields: y, exponent, volume; lambda is for linear)"}},
		{[]string{"assets[0].impact.function=linear"}, []string{"assets[0].impact.y: y does not apply to function linear (its own fields: lambda; y is for sqrt)"}},
		{[]string{"assets[0].impact={function: exponential, delta: 1.0e+9, floor: 0.5, permanent: 0.5}"}, nil},
		{[]string{"agents[0].trades[0].future=TY"}, []string{"agents[0].trades[0].future: future does not apply to kind carry (its own fields: asset, funding; future is for basis)"}},
		{[]string{"agents[0].trades[1].funding=USD"}, []string{"agents[0].trades[1].funding: funding does not apply to kind basis", "a basis trade borrows USD in repo against its bond"}},
		{[]string{"agents[0].trades[1].hedge_ratio=0.9", "agents[0].trades[0].funding=JPY"}, nil},
		// A required id left out is missing, not an unknown "".
		{[]string{"agents[1]={kind: insurer, id: ins, equity: 1.0e+10}"}, []string{`agents[1].foreign: missing foreign: an asset id (assets: `}},
		// An insurer's home bond value needs the home bond.
		{[]string{"agents[1].domestic_value=1.0e+10"}, []string{"agents[1].domestic_value: domestic_value is not read without domestic, the home bond it is held in: name the bond in domestic, or leave domestic_value out"}},
		{[]string{"agents[1].vary=[{field: domestic_value, dist: {kind: uniform, min: 1.0e+10, max: 2.0e+10}}]"}, []string{"agents[1].vary[0].field: domestic_value is not read without domestic"}},
		// With domestic named, domestic_value is read: the only complaint
		// left is that this scenario's UST10Y is not a home (JPY) bond
		// (TestInsurerBonds loads a JPY one).
		{[]string{"agents[1].domestic=UST10Y", "agents[1].domestic_value=1.0e+10"}, []string{"agents[1].domestic: UST10Y is a bond in USD: domestic is the insurer's home bond, a bond in JPY"}},
		{[]string{"agents[1].domestic=UST10Y"}, []string{"agents[1].domestic: UST10Y is a bond in USD: domestic is the insurer's home bond, a bond in JPY"}},
		// Reserves are marked to the home bond's yield, and their rate is
		// paid only on reserves.
		{[]string{"agents[1].liability_duration=15"}, []string{"agents[1].liability_duration: liability_duration marks the reserves to the home bond's yield: name the bond in domestic, or leave liability_duration out"}},
		{[]string{"agents[1].liability_rate=0.01"}, []string{
			"agents[1].liability_rate: liability_rate is paid on the reserves liability_duration makes: give liability_duration, or leave liability_rate out"}},
		{[]string{"agents[1].vary=[{field: liability_rate, dist: {kind: uniform, min: 0.01, max: 0.02}}]"}, []string{"agents[1].vary[0].field: liability_rate is paid on the reserves liability_duration makes"}},
		// Fields the model would never read.
		{[]string{"brokers[0].dealer.capital=1.0e+10"}, []string{"brokers[0].dealer.capital: capital does not apply to a prime broker's dealing arm: it deals on the broker's own capital"}},
		{[]string{"brokers[0].dealer.id=GSD"}, []string{"brokers[0].dealer.id: id does not apply to a prime broker's dealing arm: it is the broker itself"}},
		{[]string{"noise.df=5"}, []string{"noise.df: df does not apply to normal noise: it is the degrees of freedom of distribution: student_t"}},
		{[]string{"noise={distribution: normal, df: 5}"}, []string{"noise.df: df does not apply to normal noise"}},
		{[]string{"noise={distribution: student_t, df: 5}"}, nil},
		// Volatility clustering: alpha in [0, 1) with a half-life, and no
		// more than the persistence per tick the half-life gives
		// (0.1 day of hourly ticks: 0.5^(1/2.4) = 0.7492).
		{[]string{"noise.garch={alpha: 0.05, half_life_days: 10}", "noise.distribution=student_t", "noise.df=6"}, nil},
		{[]string{"noise.garch.alpha=0.05"}, []string{"noise.garch.half_life_days: clustering (alpha > 0) needs half_life_days > 0"}},
		{[]string{"noise.garch.half_life_days=10"}, []string{"noise.garch.alpha: missing: without alpha > 0 the noise does not cluster"}},
		{[]string{"noise.garch={alpha: 1, half_life_days: 10}"}, []string{"noise.garch.alpha: must be below 1"}},
		{[]string{"noise.garch={alpha: -0.1, half_life_days: 10}"}, []string{"noise.garch.alpha: must be between 0 and 1 (got -0.1)"}},
		{[]string{"noise.garch={alpha: 0.05, half_life_days: -1}"}, []string{"noise.garch.half_life_days: must not be negative"}},
		{[]string{"noise.garch={alpha: 0.9, half_life_days: 0.1}"}, []string{"noise.garch.alpha: 0.9 exceeds the persistence 0.7492 per tick that half_life_days 0.1 gives"}},
		{[]string{"observed=[{name: SPX, quantity: close_change, asset: SPX, to: 2024-08-01, observed: -1, tolerance: 1, max: 0}]"},
			[]string{"observed[0].tolerance: tolerance is not used with min or max: give a tolerance around observed, or a min/max range, not both"}},
		{[]string{"observed=[{name: SPX, quantity: close_change, asset: SPX, to: 2024-08-01, observed: -1, min: -2, max: 0}]"}, nil},
		{[]string{"sessions={tse: {like: tokyo, close: '14:00'}}"}, []string{"sessions.tse.close: close is not read without open: with like, the built-in's open and close apply together (give open too)"}},
		{[]string{"sessions={fx2: {like: fx, weekly: false}}"}, []string{"sessions.fx2.weekly: weekly is not read without days: with like, the built-in's days and weekly apply together (give days too)"}},
		{[]string{"sessions={x: {close: '16:00', days: [mon]}}"}, []string{
			"sessions.x.close: close is not read by a session without zone and open, which trades at all times (give zone and open)",
			"sessions.x.days: days is not read by a session without zone and open"}},
		{[]string{"sessions={tse: {like: tokyo, open: '09:00', close: '14:00'}, fx2: {like: fx, days: [sun, thu], weekly: true}, x: {holidays: [2024-07-31]}}"}, nil},
		{[]string{"sessions={tse: {like: tokyo, days: []}}"}, []string{"sessions.tse.days: an empty list of days would keep the market closed throughout: name the days it trades, or leave days out for the built-in's"}},
		{[]string{"sessions={x: {zone: Asia/Tokyo, open: '09:00', close: '15:00', days: []}}"}, []string{"sessions.x.days: an empty list of days would keep the market closed throughout: name the days it trades, or leave days out for mon to fri"}},
		// Changes of hours: dated, in order, with an hour, on a daily session.
		{[]string{"sessions={tse: {like: tokyo, changes: [{from: 2024-11-05, close: '15:30'}, {from: 2026-01-05, open: '08:30'}]}}"}, nil},
		{[]string{"sessions={tse: {like: tokyo, changes: [{from: 2026-01-05, close: '15:30'}, {from: 2025-01-05, open: '08:30'}]}}"}, []string{"sessions.tse.changes[1].from: 2025-01-05 is not after the change before it (2026-01-05): list changes in date order"}},
		{[]string{"sessions={tse: {like: tokyo, changes: [{from: 5 Nov 2024, close: '15:30'}]}}"}, []string{`sessions.tse.changes[0].from: "5 Nov 2024" is not a date (YYYY-MM-DD)`}},
		{[]string{"sessions={tse: {like: tokyo, changes: [{from: 2024-11-05}]}}"}, []string{"sessions.tse.changes[0]: give open, close or both: the hours from 2024-11-05"}},
		{[]string{"sessions={tse: {like: tokyo, changes: [{from: 2024-11-05, close: '3:30pm'}]}}"}, []string{`sessions.tse.changes[0].close: "3:30pm" is not a time of day (want HH:MM)`}},
		{[]string{"sessions={fx2: {like: fx, changes: [{from: 2024-11-05, close: '16:00'}]}}"}, []string{"sessions.fx2.changes: a weekly session keeps its hours: changes are for daily sessions"}},
		{[]string{"sessions={x: {changes: [{from: 2024-11-05, close: '16:00'}]}}"}, []string{"sessions.x.changes: changes is not read by a session without zone and open"}},
		{[]string{"agents[0].review_hour=12"}, []string{"agents[0].review_hour: review_hour is not read without review_hours: the fund reviews its rules every tick (give review_hours too)"}},
		{[]string{"agents[0].review_hour=12", "agents[0].review_hours=24"}, nil},
		// Zeros that would silently mean the default: TestZeroDefaults.
		{[]string{"noise.off=true", "leverage_scale=0.5"}, nil},
		{[]string{"leverage_scale=-1"}, []string{"leverage_scale: must be positive (got -1)"}},
		{[]string{"agents[0].vary[0].dist={kind: fixed, values: [0.2]}"}, []string{"agents[0].vary[0].dist.values: values does not apply to a fixed distribution (it takes value)"}},
		{[]string{"agents[0].vary[0].dist={kind: list, values: [0.2, 0.3], weights: [1, 2]}"},
			[]string{"agents[0].vary[0].dist.weights: weights does not apply to a list distribution (it takes values); weighted values are kind: choice"}},
		{[]string{"agents[0].vary[0].dist={kind: choice, values: [0.2, 0.3], weights: [1, 2]}"}, nil},
		{[]string{"agents[0].vary[0].dist={kind: normal, mean: 0.2, sd: 0.02, mu: 0}"}, []string{"agents[0].vary[0].dist.mu: mu does not apply to a normal distribution (it takes mean, sd, min, max); a normal takes mean and sd"}},
		{[]string{"agents[0].vary[0].dist={kind: lognormal, mu: -1.6, sigma: 0.1, sd: 0.1}"}, []string{"agents[0].vary[0].dist.sd: sd does not apply to a lognormal distribution", "mu and sigma are the mean and sd of the logarithm"}},
		{[]string{"agents[0].vary[0].dist={kind: uniform, min: 0.1, max: 0.3, mode: 0.2}"}, []string{"agents[0].vary[0].dist.mode: mode does not apply to a uniform distribution (it takes min, max)"}},
	} {
		_, err := Load("mini", c.set)
		if len(c.want) == 0 {
			if err != nil {
				t.Errorf("%v: %v", c.set, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%v: accepted, want %q", c.set, c.want)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: want %q in:\n%v", c.set, w, err)
			}
		}
	}
}

// TestKindFieldsCover: each table of fields by kind names every kind, and
// its common and own lists together are exactly the struct's fields, so a
// field added to a struct without a place in its table (which would then
// be refused for every kind) or a misspelt entry fails here.
func TestKindFieldsCover(t *testing.T) {
	for _, c := range []struct {
		name  string
		t     reflect.Type
		table *kindFields
	}{
		{"events", reflect.TypeOf(sim.EventSpec{}), &eventFields},
		{"assets", reflect.TypeOf(sim.AssetSpec{}), &assetFields},
		{"trades", reflect.TypeOf(agents.TradeSpec{}), &tradeFields},
		{"impact", reflect.TypeOf(sim.Impact{}), &impactFields},
	} {
		if got, want := len(c.table.own), len(c.table.order()); got != want {
			t.Errorf("%s: %d kinds in the table, %d kinds exist", c.name, got, want)
		}
		for _, k := range c.table.order() {
			if _, ok := c.table.own[k]; !ok {
				t.Errorf("%s: kind %s missing from the table", c.name, k)
			}
		}
		listed := map[string]bool{}
		for _, f := range c.table.common {
			listed[f] = true
		}
		for _, k := range c.table.order() {
			for _, f := range c.table.own[k] {
				listed[f] = true
			}
		}
		fields := map[string]bool{}
		for _, f := range fieldsOf(c.t) {
			fields[f.name] = true
			if !listed[f.name] {
				t.Errorf("%s: field %s is read by no kind", c.name, f.name)
			}
		}
		for _, f := range sortedKeys(listed) {
			if !fields[f] {
				t.Errorf("%s: table names %s, which is not a field", c.name, f)
			}
		}
	}
	dist := map[string]bool{}
	for _, f := range fieldsOf(reflect.TypeOf(sim.Dist{})) {
		dist[f.name] = true
	}
	for _, k := range sim.DistKinds {
		reads := sim.DistFields(k)
		if len(reads) == 0 || reads[0] != "kind" {
			t.Errorf("DistFields(%s) = %v: want kind first", k, reads)
		}
		for _, f := range reads {
			if !dist[f] {
				t.Errorf("DistFields(%s) names %s, which is not a field", k, f)
			}
		}
	}
}
