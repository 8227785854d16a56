package sim

import (
	"fmt"
	"sort"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/core/dmath"
)

// EventKinds lists the scripted event kinds.
var EventKinds = []string{"shock", "policy_rate", "guidance", "accommodation", "haircut", "facility", "fx_intervention", "asset_purchase", "volatility", "default", "dealer_capacity"}

// scripted is an order of a scripted event, held until its market opens.
// An order given as a value (asset_purchase) gets its units from the price
// at the start of the round in which it is sent.
type scripted struct {
	o     core.Order
	value float64 // in the asset's currency; 0: o.Units stands
}

// event is an EventSpec resolved against the model.
type event struct {
	tick    int
	spec    *EventSpec
	shocks  []shock
	cur     int
	brokers []*agents.PrimeBroker
	assets  []int // haircut: nil = all
	// dealer_capacity: the market's dealers it changes (indices into
	// Market.Dealers) and their lev_limit in the scenario; blev is the
	// scenario's lev_limit of each of brokers.
	dealers []int
	lev     []float64
	blev    []float64
	pair    int // fx_intervention: the pair; asset_purchase: the asset
	decay   float64
	holder  *core.Holder
}

type shock struct {
	asset int
	ret   float64
}

// resolveEvents checks every event against the model and sorts them by
// tick. An event switched off (off: true) is left out whole: never
// checked, applied or logged.
func (m *Model) resolveEvents() error {
	w := m.W
	for k := range m.Cfg.Events {
		s := &m.Cfg.Events[k]
		if s.Off {
			continue
		}
		e := event{tick: s.Tick, spec: s, cur: -1, pair: -1}
		where := fmt.Sprintf("events[%d] (%s)", k, s.Kind)
		if s.Tick < 0 || s.Tick >= m.Cfg.Ticks {
			return fmt.Errorf("%s: tick %d is outside the horizon [0, %d)", where, s.Tick, m.Cfg.Ticks)
		}
		ids := make([]string, 0, len(s.Shocks))
		for id := range s.Shocks {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			i, err := m.env.Asset(id)
			if err != nil {
				return fmt.Errorf("%s: shocks: %w", where, err)
			}
			r := s.Shocks[id]
			if !finite(r) || r <= -1 {
				return fmt.Errorf("%s: shock to %s = %v must be a return above -1", where, id, r)
			}
			e.shocks = append(e.shocks, shock{i, r})
		}
		cur := func() error {
			c, err := m.env.Currency(s.Currency)
			if err != nil {
				return fmt.Errorf("%s: currency: %w", where, err)
			}
			e.cur = c
			return nil
		}
		switch s.Kind {
		case "shock":
			if len(e.shocks) == 0 {
				return fmt.Errorf("%s: a shock event needs shocks", where)
			}
		case "policy_rate", "guidance", "accommodation":
			if err := cur(); err != nil {
				return err
			}
		case "haircut":
			if !(s.Multiplier > 0) || !finite(s.Multiplier) {
				return fmt.Errorf("%s: multiplier must be positive", where)
			}
			for _, b := range m.Brokers {
				if s.Broker == "" || b.Spec.ID == s.Broker {
					e.brokers = append(e.brokers, b)
				}
			}
			if s.Broker != "" && len(e.brokers) == 0 {
				return fmt.Errorf("%s: unknown prime broker %q", where, s.Broker)
			}
			for _, id := range s.Assets {
				i, err := m.env.Asset(id)
				if err != nil {
					return fmt.Errorf("%s: assets: %w", where, err)
				}
				e.assets = append(e.assets, i)
			}
		case "facility":
		case "dealer_capacity":
			if err := m.resolveCapacity(&e, where); err != nil {
				return err
			}
		case "fx_intervention":
			id := s.Pair
			if id == "" {
				id = "USDJPY"
			}
			i, err := m.env.Asset(id)
			if err != nil {
				return fmt.Errorf("%s: pair: %w", where, err)
			}
			if w.Assets[i].Kind != core.FX {
				return fmt.Errorf("%s: %s is not an exchange rate", where, id)
			}
			e.pair = i
		case "asset_purchase":
			i, err := m.env.Asset(s.Asset)
			if err != nil {
				return fmt.Errorf("%s: asset: %w", where, err)
			}
			if !w.Assets[i].Tradable() {
				return fmt.Errorf("%s: %s is illiquid and never trades", where, s.Asset)
			}
			if !(s.Amount != 0) || !finite(s.Amount) {
				return fmt.Errorf("%s: amount must be a nonzero value", where)
			}
			e.pair = i
		case "volatility":
			if !(s.Multiplier > 0) || !finite(s.Multiplier) {
				return fmt.Errorf("%s: multiplier must be positive", where)
			}
			e.decay = 0
			if s.HalfLifeDays > 0 {
				e.decay = dmath.Pow(0.5, 1/(s.HalfLifeDays*w.PerDay))
			}
		case "default":
			for _, h := range w.Holders {
				if h.ID == s.Agent && h.Index != 0 {
					e.holder = h
				}
			}
			if e.holder == nil {
				return fmt.Errorf("%s: unknown agent %q", where, s.Agent)
			}
		default:
			return fmt.Errorf("%s: unknown event kind %q (want one of %v)", where, s.Kind, EventKinds)
		}
		m.events = append(m.events, e)
	}
	// By tick, in file order within a tick, except that policy rates go
	// first and outright guidance (`rate`) last: an outright guidance is
	// then the tick's last word on the expected rate whatever the file's
	// order, after the changes that add to it (accommodation, guidance by
	// `delta`). The other kinds commute, or are one setting whose last
	// value stands.
	rank := func(k int) int {
		switch s := m.events[k].spec; {
		case s.Kind == "policy_rate":
			return 0
		case s.Kind == "guidance" && s.Delta == 0:
			return 2
		}
		return 1
	}
	sort.SliceStable(m.events, func(a, b int) bool {
		if m.events[a].tick != m.events[b].tick {
			return m.events[a].tick < m.events[b].tick
		}
		return rank(a) < rank(b)
	})
	return nil
}

// resolveCapacity finds what a dealer_capacity event changes: every
// dealer in the market (standalone dealers and prime brokers' dealing arms)
// and every prime broker's own leverage limit, or those of the ids it
// names. A prime broker named is one balance sheet: its arm and its own
// limit both change. Each keeps the scenario's lev_limit, which the
// multiplier scales: events do not compound.
func (m *Model) resolveCapacity(e *event, where string) error {
	s := e.spec
	if !(s.Multiplier > 0) || !finite(s.Multiplier) {
		return fmt.Errorf("%s: multiplier must be positive", where)
	}
	holders := map[int]bool{} // the named, by holder index
	for _, id := range s.Dealers {
		found := false
		for _, h := range m.W.Holders {
			if h.ID == id && (h.Kind == core.Dealer || h.Kind == core.PrimeBroker) {
				holders[h.Index], found = true, true
			}
		}
		if !found {
			return fmt.Errorf("%s: dealers: unknown dealer or prime broker %q", where, id)
		}
	}
	named := func(holder int) bool { return len(s.Dealers) == 0 || holders[holder] }
	for k := range m.M.Dealers {
		if d := &m.M.Dealers[k]; named(d.Holder) {
			e.dealers = append(e.dealers, k)
			e.lev = append(e.lev, d.LevLimit)
		}
	}
	for _, b := range m.Brokers {
		if named(b.Holder().Index) {
			e.brokers = append(e.brokers, b)
			e.blev = append(e.blev, b.Spec.LevLimit)
		}
	}
	if len(e.dealers)+len(e.brokers) == 0 {
		return fmt.Errorf("%s: there is no dealer or prime broker to change", where)
	}
	return nil
}

// applyEvents applies the events of the current tick: rates, flags and
// haircuts change at once; shocks are added to this tick's exogenous
// returns; interventions are queued for the first clearing round.
func (m *Model) applyEvents() {
	w := m.W
	clear(m.shock)
	for m.nextEvent < len(m.events) && m.events[m.nextEvent].tick <= w.Tick {
		e := &m.events[m.nextEvent]
		m.nextEvent++
		s := e.spec
		ignored := false
		for _, sh := range e.shocks {
			m.shock[sh.asset] += sh.ret
		}
		switch s.Kind {
		case "policy_rate":
			d := s.Rate - w.Policy[e.cur]
			w.Policy[e.cur] = s.Rate
			w.Expected[e.cur] += d
		case "guidance":
			if s.Delta != 0 {
				w.Expected[e.cur] += s.Delta
			} else {
				w.Expected[e.cur] = s.Rate
			}
		case "accommodation":
			w.Expected[e.cur] += s.Delta
		case "haircut":
			for _, b := range e.brokers {
				b.ChangeHaircuts(w, e.assets, s.Multiplier)
			}
		case "facility":
			w.Facility = s.On
		case "dealer_capacity":
			// The new limits price depth and funding from this tick's
			// close, as a facility's capacity does (the market's Refresh);
			// a broker's own limit counts from its next margin run.
			for k, d := range e.dealers {
				m.M.Dealers[d].LevLimit = e.lev[k] * s.Multiplier
			}
			for k, b := range e.brokers {
				b.Spec.LevLimit = e.blev[k] * s.Multiplier
			}
		case "fx_intervention":
			m.pending = append(m.pending, scripted{o: core.Order{Holder: 0, Acct: 0, Asset: e.pair, Units: -s.Amount, Reason: core.Intervention}})
		case "asset_purchase":
			m.pending = append(m.pending, scripted{o: core.Order{Holder: 0, Acct: 0, Asset: e.pair, Reason: core.Intervention}, value: s.Amount})
		case "volatility":
			m.noise.Mult = s.Multiplier
			m.noise.multDecay = e.decay
		case "default":
			// With the prime_broker kind off there are no defaults at
			// all (ODD 8): nobody to seize or fire-sell, so the fund
			// carries on. The log says the event was ignored.
			if !w.Channels.Kinds[core.PrimeBroker] {
				ignored = true
				break
			}
			agents.Default(w, e.holder, m.Brokers, core.Notef("scenario event"))
		}
		label := s.Label
		if label == "" {
			label = s.Kind
		}
		if ignored {
			label += " (ignored: prime_broker off)"
		}
		w.Log(core.Event{Kind: core.EvScenario, Agent: s.Kind, Detail: label})
	}
}
