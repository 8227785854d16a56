package agents

import "github.com/cascade-sim/cascade/core"

// Idle reports whether the broker has nothing seized left to liquidate or
// square, so that its Decide returns at once.
func (b *PrimeBroker) Idle() bool { return b.idle }

// Anchor returns the investor's anchor for its k-th asset.
func (v *ValueInvestor) Anchor(k int) float64 { return v.anchor[k] }

// Estimate returns the broker's estimate of account acc's posted margin
// from the moves of its current margin epoch, as its skip test reads it.
func (b *PrimeBroker) Estimate(acc *core.Account) float64 { return b.estimate(acc) }

// EpochPrice returns asset i's price at the start of the broker's margin
// epoch, from which its moves are taken.
func (b *PrimeBroker) EpochPrice(i int) float64 { return b.lastCalc[i] }

// Moves returns the broker's moves since its margin epoch started at the
// current prices, as Margin takes them: the largest in absolute value, and
// whether a risk factor in the book moved beyond its remargin tolerance.
func (b *PrimeBroker) Moves(w *core.World) (float64, bool) { return b.moves(w) }

// InBook reports whether asset i is a risk factor in the broker's book.
func (b *PrimeBroker) InBook(i int) bool { return b.inBook[i] }

// MoveTol returns asset i's remargin tolerance, a relative move.
func (b *PrimeBroker) MoveTol(i int) float64 { return b.moveTol[i] }

// QuickFalse returns the broker's client accounts (by holder ID) whose
// view is marked quick and not touched but whose requirement is not
// current, or that have a call, money moved since their last re-mark or
// more than MaxExpo exposures: none while the mark keeps its promise. It
// also counts the accounts so marked.
func (b *PrimeBroker) QuickFalse(w *core.World) (bad []string, quick int) {
	for k := range b.views {
		v := &b.views[k]
		acc := v.acc
		if !v.quick || v.touched || acc.Inactive {
			continue
		}
		quick++
		if int(acc.ReqEpoch) != b.epoch || acc.Dirty || acc.Stale || acc.Call != 0 || acc.NExpo > core.MaxExpo {
			bad = append(bad, w.Holders[acc.Owner].ID)
		}
	}
	return bad, quick
}

// Haircut returns the broker's haircut on asset i as it stands now (the
// epoch's schedule is set from it).
func (b *PrimeBroker) Haircut(w *core.World, i int) float64 { return b.haircut(w, i) }

// HaircutBase returns the broker's base haircut on asset i.
func (b *PrimeBroker) HaircutBase(i int) float64 { return b.h0[i] }

// MoveOf returns a pointer to the broker's move of asset i since its margin
// epoch started, where an account's kept exposure on i points (ExpoMove).
func (b *PrimeBroker) MoveOf(i int) *float64 { return &b.mv[i] }
