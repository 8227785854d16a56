package sim

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"github.com/cascade-sim/cascade/core"
)

// CapitalSummary is what the run cost the agents in equity, in the
// account currency: all of them, each kind, and each institution of the
// kinds a supervisor follows one by one (CapitalKinds).
//
// Total is over the agents whose capital is at risk: every kind but those
// of NotInTotalKinds (central banks, whose reserves are a policy budget,
// not owners' capital), which have their rows in ByKind and are named in
// NotInTotal when present.
type CapitalSummary struct {
	Total      Capital             `json:"total"`
	NotInTotal []string            `json:"not_in_total,omitempty"`
	ByKind     map[string]*Capital `json:"by_kind"`
	// ByAgent has a row for every agent of CapitalKinds, up to
	// MaxCapitalAgents: past that, the first in CapitalOrder (the largest
	// losses), and LeftOut counts the others.
	ByAgent map[string]*Capital `json:"by_agent"`
	LeftOut int                 `json:"by_agent_left_out"`
}

// Capital is the equity of one agent, or the sum over a set of them, at
// the start and at the end of the run and what its owners lost.
//
// Equity is the agent's book (core.Holder.Book): assets less liabilities,
// at the end as if settled (core.World.PeekAll). An agent's owners lose at
// most its equity (limited liability): Loss is start less end, end counted
// at zero when below it, and Shortfall the equity below zero at the end,
// the loss beyond the agent's capital, which falls on its creditors. The
// model books that part as it happens: a prime broker that seizes a
// client's accounts takes over their deficit (core.PnLCredit), so a fund
// closed out by its broker ends near zero and its shortfall is in the
// broker's Loss; a failed bank's debt is owed on, so its negative equity
// stays on its books and is its Shortfall. So Loss + Shortfall = Start −
// End for an agent and for every sum of them. A negative Loss is a gain.
type Capital struct {
	Kind      string `json:"kind,omitempty"` // by_agent only
	Name      string `json:"name,omitempty"` // by_agent only: a bank's display name, when it has one
	Start     Num    `json:"start"`
	End       Num    `json:"end"`
	Loss      Num    `json:"loss"`
	LossPct   Num    `json:"loss_pct"` // 100 Loss / Start; null unless Start > 0
	Shortfall Num    `json:"shortfall"`
}

// CapitalKinds are the kinds whose agents CapitalSummary.ByAgent lists one
// by one: the institutions a supervisor follows (banks, prime brokers and
// dealers), few in any world, where funds may number 100,000.
var CapitalKinds = []core.AgentKind{core.Bank, core.PrimeBroker, core.Dealer}

// NotInTotalKinds are the kinds left out of CapitalSummary.Total: a
// central bank's reserves (what its rule may spend) are not capital that
// anyone's owners stand to lose. The outside sector is in no row at all.
var NotInTotalKinds = []core.AgentKind{core.CentralBank}

// MaxCapitalAgents bounds CapitalSummary.ByAgent, so that a population of
// banks does not write a summary of 100,000 rows.
const MaxCapitalAgents = 1000

// capitalSum accumulates Capital in float64.
type capitalSum struct{ start, end, loss, short float64 }

// add adds one agent's equity at the start and at the end.
func (s *capitalSum) add(start, end float64) {
	s.start += start
	s.end += end
	s.loss += start - max(end, 0)
	s.short += max(-end, 0)
}

// capital returns s as a Capital of the given kind label ("" for a sum).
func (s *capitalSum) capital(kind string) *Capital {
	pct := math.NaN()
	if s.start > 0 {
		pct = 100 * s.loss / s.start
	}
	return &Capital{Kind: kind, Start: Num(s.start), End: Num(s.end), Loss: Num(s.loss), LossPct: Num(pct), Shortfall: Num(s.short)}
}

// CapitalOrder returns m's keys in order of loss, the largest first; among
// equal losses (agents that lost all their capital) the larger shortfall
// first, then by key.
func CapitalOrder(m map[string]*Capital) []string {
	keys := slices.Sorted(maps.Keys(m))
	slices.SortStableFunc(keys, func(a, b string) int {
		x, y := m[a], m[b]
		return cmp.Or(cmp.Compare(y.Loss, x.Loss), cmp.Compare(y.Shortfall, x.Shortfall))
	})
	return keys
}

// capitalSummary measures every agent's equity against its start (Book0),
// in holder order, without settling anyone: the books as PeekAll reads
// them. It runs once, after the last tick.
func capitalSummary(w *core.World) CapitalSummary {
	var p core.Peek
	w.PeekAll(&p)
	var kinds [core.NumAgentKinds]capitalSum
	var present [core.NumAgentKinds]bool
	var total capitalSum
	s := CapitalSummary{ByKind: map[string]*Capital{}, ByAgent: map[string]*Capital{}}
	for _, h := range w.Holders {
		if h.Kind == core.Outside {
			continue
		}
		start, end := h.Book0, p.Book[h.Index]
		kinds[h.Kind].add(start, end)
		present[h.Kind] = true
		if !slices.Contains(NotInTotalKinds, h.Kind) {
			total.add(start, end)
		}
		if slices.Contains(CapitalKinds, h.Kind) {
			var one capitalSum
			one.add(start, end)
			s.ByAgent[h.ID] = one.capital(h.Kind.String())
		}
	}
	s.Total = *total.capital("")
	for k := range kinds {
		if present[k] {
			s.ByKind[core.AgentKind(k).String()] = kinds[k].capital("")
			if slices.Contains(NotInTotalKinds, core.AgentKind(k)) {
				s.NotInTotal = append(s.NotInTotal, core.AgentKind(k).String())
			}
		}
	}
	if n := len(s.ByAgent); n > MaxCapitalAgents {
		for _, id := range CapitalOrder(s.ByAgent)[MaxCapitalAgents:] {
			delete(s.ByAgent, id)
		}
		s.LeftOut = n - MaxCapitalAgents
	}
	return s
}
