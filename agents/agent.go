package agents

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cascade-sim/cascade/core"
)

// Agent is one decision maker.
type Agent interface {
	// Holder returns the agent's balance sheet.
	Holder() *core.Holder
	// Decide queues the agent's orders for the current clearing round. Forced
	// orders may be sent in every round; discretionary ones only when
	// w.Round == 0.
	Decide(w *core.World)
}

// Maker is the spec of an agent kind defined outside this package, by a Go
// program that uses cascade as a library (sim.AgentSpec's Custom field; see
// docs/library.md). Build puts the agent on the books, as the built-in
// specs' Build methods do: it adds the agent's holder to env.W (AddHolder,
// whose kind decides the series the agent is counted in and the channel
// switch that makes it passive) and endows it (Endow, from the outside
// sector, so money stays conserved). A Maker is a pointer to a struct with
// an exported string field ID, the agent's unique id; populations (Count,
// Vary) copy it deeply and set its fields by their yaml names.
type Maker interface {
	Build(env *Env) (Agent, error)
}

// Checker is an optional method of a Maker registered as a kind of its own
// (sim.Register). The scenario loader calls Check on each entry of the kind
// as written, and reports an error at the field Check names: its yaml name,
// with a path into lists as the loader prints it (trades[0].leverage), or ""
// for the entry as a whole. The message then carries the file, line and
// column, as for the built-in kinds, and a sweep's check, which loads the
// scenario at each parameter's extremes, refuses a range that Check
// refuses.
type Checker interface {
	Check() (field string, err error)
}

// Applier is an optional method of an agent whose build transforms some
// numbers of its spec before it uses them (a leverage times
// leverage_scale). Applied returns the value the built agent holds for the
// field at path, named as a population's vary names it (its yaml name, with
// a dotted path into lists: "trades.1.leverage"), and false for a field it
// holds as its spec gives it. population.csv's applied column reads it.
type Applier interface {
	Applied(field string) (float64, bool)
}

// Policymaker is an agent that also acts at the start of each tick, before
// any market opens, on the state at the previous close: rule-following
// policy (a rate path, a facility switch) that everyone then sees at once,
// whatever the agents' decision order.
type Policymaker interface {
	Agent
	Policy(w *core.World)
}

// Orderer is an optional method of an Agent that sends orders in some
// assets only. OrderAssets lists every asset the agent may ever send an
// order for, as built (none: an agent that never sends one, as a dealer).
// Package sim gives the time series a column of a kind's sales and
// purchases of an asset only where some agent of the kind may order it;
// an agent without the method may order any tradable asset. An order in
// an asset the agent does not list fails the run (output.Recorder), so the
// list must hold every asset of every order, forced ones included.
type Orderer interface {
	OrderAssets(w *core.World) []int
}

// Env is what a Spec's Build needs: the world being set up and look-ups by
// name. Package sim provides it.
type Env struct {
	W    *core.World
	Rand *rand.Rand // the run's stream for agent set-up and decisions
	// Brokers by ID, filled as prime brokers are built (they are built first).
	Brokers map[string]*PrimeBroker
	// Scale multiplies every leveraged position (1: as specified). The
	// compression what-ifs run the same world at several scales.
	Scale float64
	// Ticks is the number of ticks the run lasts; with Trades, it lets a
	// spec lay out a schedule over the run (rebalance_at). Zero: no
	// schedule reaches any tick.
	Ticks int
	// Trades reports whether asset i's market trades at tick t of the run
	// (0 ≤ t < Ticks): the sessions' calendar, which package sim provides.
	// Nil: every market trades at every tick.
	Trades func(i, t int) bool

	shared map[any]any // state agents of one run share (signals computed once a tick)

	// Notes collects what set-up changed from the spec, for the user (e.g.
	// positions scaled down to fit an agent's equity); Note adds one.
	Notes []string
	gists []gists // the gists Note and NoteOn were given, by note
}

// gists are the gists of the note of index note in Notes.
type gists struct {
	note  int
	gists []Gist
}

// Gist is what a note says without the numbers of its run, on one subject
// ("bank DE21 starts below its buffer_ratio, so it deleverages ..."):
// runs whose set-up says the same thing have the same gists, and a sweep
// counts its runs by them.
type Gist struct {
	Text string
	// Agent is the id of the agent Text is about, and Group what Text
	// says of several agents, without their ids or their number ("banks
	// start below their buffer_ratio, so they deleverage ..."): a sweep
	// lists on one line the agents whose gists have one Group, with what
	// it says of them. Both "" for a gist on no one agent.
	Agent, Group string
}

// Note adds a note for the user, and its gists: what it says without the
// numbers of this run, one per subject it names (a note on three banks has
// three), so that the notes of many runs can be counted by what they say
// (Gists). Without gists, the note is its own.
func (e *Env) Note(text string, gists ...string) {
	gs := make([]Gist, len(gists))
	for k, g := range gists {
		gs[k] = Gist{Text: g}
	}
	e.NoteOn(text, gs...)
}

// NoteOn adds a note for the user on agents, with a gist for each agent it
// names, which says what the note says of it (Gist.Agent, Gist.Group).
func (e *Env) NoteOn(text string, gs ...Gist) {
	e.Notes = append(e.Notes, text)
	if len(gs) > 0 {
		e.gists = append(e.gists, gists{note: len(e.Notes) - 1, gists: gs})
	}
}

// Gists returns the gists of the notes, in the notes' order: those Note
// or NoteOn was given, and a note without (appended to Notes directly)
// as its own.
func (e *Env) Gists() []Gist {
	var out []Gist
	k := 0
	for i, n := range e.Notes {
		if k < len(e.gists) && e.gists[k].note == i {
			out = append(out, e.gists[k].gists...)
			k++
			continue
		}
		out = append(out, Gist{Text: n})
	}
	return out
}

// Asset returns the index of the asset with the given ID.
func (e *Env) Asset(id string) (int, error) {
	for i := range e.W.Assets {
		if e.W.Assets[i].ID == id {
			return i, nil
		}
	}
	return -1, fmt.Errorf("unknown asset %q", id)
}

// Currency returns the index of the currency with the given code.
func (e *Env) Currency(code string) (int, error) {
	for i, c := range e.W.Currencies {
		if c == code {
			return i, nil
		}
	}
	return -1, fmt.Errorf("unknown currency %q", code)
}

// Broker returns the prime broker with the given ID.
func (e *Env) Broker(id string) (*PrimeBroker, error) {
	b, ok := e.Brokers[id]
	if !ok {
		return nil, fmt.Errorf("unknown prime broker %q", id)
	}
	return b, nil
}

// scale returns the leverage scale (1 when unset).
func (e *Env) scale() float64 {
	if e.Scale == 0 {
		return 1
	}
	return e.Scale
}

// orDefault returns v, or def when v is zero.
func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// annVol returns an EWMA's volatility of asset i, annualized.
func annVol(w *core.World, e *core.EWMA, i int) float64 {
	return e.Vol(i) * math.Sqrt(w.PerYear)
}

// notional returns the USD value of a holding of units of asset i: the
// position's market value, a future's notional, or for FX assets a holding
// of the base currency.
func notional(w *core.World, i int, units float64) float64 { return w.NotionalUSD(i, units) }

// toUnits converts a USD amount into units of asset i at the current price.
func toUnits(w *core.World, i int, usd float64) float64 {
	v := w.NotionalUSD(i, 1)
	if v == 0 {
		return 0
	}
	return usd / v
}

// ticks converts a number of hours to ticks of the world (at least 1 when hours > 0).
func ticks(w *core.World, hours float64) float64 {
	t := hours * w.PerDay / 24
	if hours > 0 && t < 1 {
		return 1
	}
	return t
}

// fxBuy returns the order (pair and units) that buys usd worth of currency c
// (c is not USD) against USD; a negative usd sells it.
func fxBuy(w *core.World, c int, usd float64) (pair int, units float64) {
	pair = w.FXPair[c]
	return pair, -w.FXReturnSign(pair, c) * toUnits(w, pair, usd)
}

// postFreeCash posts up to need (USD) of h's free custody cash to its
// account acct, to meet a margin call, and returns what is left of need
// (spendFreeCash's order: the broker takes any currency as collateral, and
// its exchange-rate risk enters the account's requirement at the next
// margin run).
func postFreeCash(w *core.World, h *core.Holder, acct int, need float64) float64 {
	return spendFreeCash(w, h, need, func(c int, units float64) { w.Transfer(h, 0, h, acct, c, units) })
}

// spendFreeCash takes up to need (USD) of h's free custody cash, dollars
// first and then each other currency in the currencies' order, at its
// dollar value: take moves the units of currency c taken. It returns what
// is left of need. Margin calls (postFreeCash) and a broker's recovery
// from a defaulted client (PrimeBroker.Seize) spend free cash this way.
func spendFreeCash(w *core.World, h *core.Holder, need float64, take func(c int, units float64)) float64 {
	for c := 0; need > 0 && c < w.NCur; c++ {
		v := h.Cash[c]
		if v <= 0 {
			continue
		}
		m := min(float64(v*w.FXUSD[c]), need) // FXUSD[USD] is 1: dollars are taken as they are
		take(c, min(v, m/w.FXUSD[c]))
		need -= m
	}
	return need
}
