package sweep

// bitset is a set of small non-negative integers, one bit each: the runs
// done or seen, so that a sweep of n runs keeps n/8 bytes for them.
type bitset struct {
	w []uint64
	n int
}

func newBitset(n int) *bitset { return &bitset{w: make([]uint64, (n+63)/64), n: n} }

// len returns the size of the universe.
func (b *bitset) len() int { return b.n }

func (b *bitset) has(i int) bool { return b.w[i/64]&(1<<(i%64)) != 0 }

func (b *bitset) set(i int) { b.w[i/64] |= 1 << (i % 64) }

func (b *bitset) clone() *bitset { return &bitset{w: append([]uint64(nil), b.w...), n: b.n} }
