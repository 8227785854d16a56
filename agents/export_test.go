package agents

// Idle reports whether the broker has nothing seized left to liquidate or
// square, so that its Decide returns at once.
func (b *PrimeBroker) Idle() bool { return b.idle }

// Anchor returns the investor's anchor for its k-th asset.
func (v *ValueInvestor) Anchor(k int) float64 { return v.anchor[k] }
