package sim

import (
	"cmp"
	"math"
	"slices"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
)

// BankSummary is one bank over the run (summary.json's banks): its
// leverage ratio, equity over assets as agents.Bank reads it against its
// thresholds (holdings at the tick's prices, cash and any foreign cash),
// at the start, at its lowest at a tick's close and at the end, its
// thresholds, what it sold and how it ended.
type BankSummary struct {
	ID string `json:"id"`
	// Name is its display name (agents.BankSpec.Name; left out when none).
	Name string `json:"name,omitempty"`
	// Mode is threshold or target (agents.BankSpec.Mode).
	Mode string `json:"mode"`
	// RatioStart is the ratio on the starting books, before the first
	// tick; RatioMin the lowest of it and every tick's close (first at
	// RatioMinTick; −1: the start); RatioEnd the last tick's close. NaN
	// (null) when the bank holds no assets.
	RatioStart   Num `json:"ratio_start"`
	RatioMin     Num `json:"ratio_min"`
	RatioMinTick int `json:"ratio_min_tick"`
	RatioEnd     Num `json:"ratio_end"`
	// MinRatio, BufferRatio and TargetRatio are its thresholds as the run
	// has them (0 in target mode, which reads none of them).
	MinRatio    float64 `json:"min_ratio"`
	BufferRatio float64 `json:"buffer_ratio"`
	TargetRatio float64 `json:"target_ratio"`
	// Sold is what it sold over the run, in the account currency, valued
	// as forced_sales_usd is: the banks' Sold add up to its by_kind.bank.
	Sold Num `json:"sold"`
	// Defaulted is whether it failed, in DefaultTick (−1: it did not).
	Defaulted   bool `json:"defaulted"`
	DefaultTick int  `json:"default_tick"`
	// BelowMin is whether it ends below its min_ratio, or with no equity:
	// the test agents.Bank fails a bank by, on the last tick's close. A
	// passive bank (the bank channel off) never fails, however low it
	// falls: BelowMin is how such a bank shows it would have.
	BelowMin bool `json:"below_min"`
	// Passive is whether the bank took no decisions (its kind off).
	Passive bool `json:"passive"`
}

// MaxBankRows bounds Summary.Banks, as MaxCapitalAgents bounds
// capital.by_agent: past it, the banks with the lowest ratio_min are kept.
const MaxBankRows = MaxCapitalAgents

// bankTrack follows one bank's ratio for the Collector.
type bankTrack struct {
	b          *agents.Bank
	sold0      float64 // HolderSold when the run began
	eq, assets float64 // at the last close
}

// ratio is equity over assets, NaN without assets.
func ratio(eq, assets float64) float64 {
	if !(assets > 0) {
		return math.NaN()
	}
	return eq / assets
}

// beginBanks sets up the banks' rows from the starting books.
func (c *Collector) beginBanks(m *Model) {
	c.bankRows, c.banks = c.bankRows[:0], c.banks[:0]
	w := m.W
	if bankHolders(w) {
		n := len(w.Holders)
		c.bankPeek = core.Peek{Book: make([]float64, n), CashUSD: make([]float64, n)}
	}
	for _, a := range m.Agents {
		b, ok := a.(*agents.Bank)
		if !ok {
			continue
		}
		h := b.Holder()
		t := bankTrack{b: b, eq: h.Book0, assets: b.Assets(w)}
		if h.Index < len(m.M.HolderSold) {
			t.sold0 = m.M.HolderSold[h.Index]
		}
		mode := b.Spec.Mode
		if mode == "" {
			mode = "threshold"
		}
		r := Num(ratio(t.eq, t.assets))
		c.banks = append(c.banks, t)
		c.bankRows = append(c.bankRows, BankSummary{ID: b.Spec.ID, Name: b.Spec.Name, Mode: mode, RatioStart: r, RatioMin: r, RatioMinTick: -1, RatioEnd: r,
			MinRatio: b.Spec.MinRatio, BufferRatio: b.Spec.BufferRatio, TargetRatio: b.Spec.TargetRatio, DefaultTick: -1})
	}
}

// observeBanks follows each bank's ratio at the tick's close: its equity
// as the frame's books read it (a bank lends to no one, so peeking at its
// own books gives the same, without valuing every other holder's in a run
// that reads no other) over its assets.
func (c *Collector) observeBanks(f *Frame) {
	if len(c.banks) == 0 {
		return
	}
	w := c.m.W
	for k := range c.banks {
		t, s := &c.banks[k], &c.bankRows[k]
		t.eq, t.assets = w.PeekBook(t.b.Holder(), &c.bankPeek), t.b.Assets(w)
		r := Num(ratio(t.eq, t.assets))
		s.RatioEnd = r
		if r == r && (s.RatioMin != s.RatioMin || r < s.RatioMin) {
			s.RatioMin, s.RatioMinTick = r, f.Tick
		}
	}
}

// nameBanks writes each named bank's name into its row of capital.by_agent.
func (c *Collector) nameBanks(cs *CapitalSummary) {
	for k := range c.banks {
		if r := cs.ByAgent[c.bankRows[k].ID]; r != nil {
			r.Name = c.bankRows[k].Name
		}
	}
}

// endBanks returns the banks' rows, in the scenario's order, at most
// MaxBankRows of them, how many end below their min_ratio (nil in a world
// without banks) and how many rows were left out.
func (c *Collector) endBanks(m *Model) ([]BankSummary, *int, int) {
	if len(c.banks) == 0 {
		return nil, nil, 0
	}
	below := 0
	for k := range c.banks {
		t, s := &c.banks[k], &c.bankRows[k]
		h := t.b.Holder()
		if h.Index < len(m.M.HolderSold) {
			s.Sold = Num(m.M.HolderSold[h.Index] - t.sold0)
		}
		s.Defaulted, s.Passive = h.Defaulted, h.Passive
		if h.Defaulted {
			s.DefaultTick = h.DefaultTick
		}
		// The comparison of agents.Bank.Decide, on the last close's numbers.
		s.BelowMin = t.eq <= 0 || t.eq < t.b.Spec.MinRatio*t.assets
		if s.BelowMin {
			below++
		}
	}
	rows := slices.Clone(c.bankRows)
	left := 0
	if n := len(rows); n > MaxBankRows {
		order := make([]int, n)
		for k := range order {
			order[k] = k
		}
		// The lowest ratio_min first (NaN last), then the scenario's order.
		low := func(r Num) float64 {
			if r != r {
				return math.Inf(1)
			}
			return float64(r)
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(low(rows[a].RatioMin), low(rows[b].RatioMin)) })
		keep := order[:MaxBankRows]
		slices.Sort(keep)
		kept := make([]BankSummary, len(keep))
		for k, i := range keep {
			kept[k] = rows[i]
		}
		rows, left = kept, n-MaxBankRows
	}
	return rows, &below, left
}

// bankHolders reports whether the world holds banks (of kind core.Bank).
func bankHolders(w *core.World) bool {
	for _, h := range w.Holders {
		if h.Kind == core.Bank {
			return true
		}
	}
	return false
}
