package core

// Snapshot holds a copy of every holder's balance sheet and lazy books, so
// that a check can settle the world, read it and put it back exactly as it
// was. The accounting audit works this way: settling changes when variation
// margin and coupons start to earn interest (see Peek), so an audit that
// left the world settled would change the run it checks.
//
// A Snapshot is reused: its buffers grow to the world's size once.
type Snapshot struct {
	holders []Holder
	accts   [][]Account
	units   [][][]float64
	held    [][][]int
	markP   [][]float64
	coupon0 [][]float64
}

// Save copies every holder into s.
func (w *World) Save(s *Snapshot) {
	n := len(w.Holders)
	s.holders = grow(s.holders, n)
	s.accts = grow(s.accts, n)
	s.units = grow(s.units, n)
	s.held = grow(s.held, n)
	s.markP = grow(s.markP, n)
	s.coupon0 = grow(s.coupon0, n)
	for i, h := range w.Holders {
		s.holders[i] = *h
		s.accts[i] = append(s.accts[i][:0], h.Accounts...)
		s.units[i] = grow(s.units[i], len(h.Accounts))
		s.held[i] = grow(s.held[i], len(h.Accounts))
		for k := range h.Accounts {
			s.units[i][k] = append(s.units[i][k][:0], h.Accounts[k].Units...)
			s.held[i][k] = append(s.held[i][k][:0], h.Accounts[k].Held...)
		}
		s.markP[i] = append(s.markP[i][:0], h.lz.markP...)
		s.coupon0[i] = append(s.coupon0[i][:0], h.lz.coupon0...)
	}
}

// Restore puts every holder back as Save found it. The holders keep their
// own slices (anything that points into them stays valid); only the values
// are copied back. The world must hold the same holders and accounts as
// when s was saved.
func (w *World) Restore(s *Snapshot) {
	for i, h := range w.Holders {
		accts, markP, coupon0 := h.Accounts, h.lz.markP, h.lz.coupon0
		for k := range accts {
			units, held := accts[k].Units, accts[k].Held
			copy(units, s.units[i][k])
			held = append(held[:0], s.held[i][k]...)
			accts[k] = s.accts[i][k]
			accts[k].Units, accts[k].Held = units, held
		}
		copy(markP, s.markP[i])
		copy(coupon0, s.coupon0[i])
		*h = s.holders[i]
		h.Accounts, h.lz.markP, h.lz.coupon0 = accts, markP, coupon0
	}
}

// grow returns s with length n, reusing its storage when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return append(s[:cap(s)], make([]T, n-cap(s))...)
	}
	return s[:n]
}
