package sweep

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/cascade-sim/cascade/core/dmath"
)

// Bands keeps, for every series and tick, a quantile sketch of the values
// runs took there. It is built for determinism: its state depends only on
// the multiset of values added (not on their order), and two Bands merge
// into the state that adding all their values to one would give. So the
// quantiles do not depend on workers, shards or interruptions.
//
// Each cell is a DDSketch (Masson, Rim and Lee, VLDB 2019) of the value's
// deviation d = x − a from an anchor a, the base run's value at that tick:
// positive and negative deviations are counted in logarithmically spaced
// buckets, bucket k holding |d| in (γ^(k−1), γ^k] with γ = (1+α)/(1−α),
// and zero deviations exactly. A quantile is then within α = 0.5% of its
// distance from the anchor, which for series that stay near the base path
// is far finer than 0.5% of the value; it is also clamped to the exact
// minimum and maximum, which are kept. Non-finite values are counted
// apart. Each sign keeps at most maxBuckets buckets: deviations more than
// γ^maxBuckets (about 10^17) times smaller than the largest are folded
// into the smallest kept bucket, an absolute error below 1e-17 of the
// largest deviation. Folding by that rule depends only on the
// largest key, so it too is order-independent. Memory is bounded by
// series × ticks × 2 × maxBuckets counters, whatever the number of runs.
type Bands struct {
	series, ticks int
	anchor        []float64 // per cell; NaN anchors count as 0
	cells         []cell
}

// relAcc is the sketches' relative accuracy α.
const relAcc = 0.005

// maxBuckets is the number of buckets each sign of a cell keeps.
const maxBuckets = 4096

var (
	gamma   = (1 + relAcc) / (1 - relAcc)
	lnGamma = dmath.Log(gamma)
)

// cell is the sketch of one series at one tick.
type cell struct {
	n, nan, zero uint64
	min, max     float64
	pos, neg     buckets
}

// buckets are counts of keys off, off+1, ..., off+len(c)−1.
type buckets struct {
	off int32
	c   []uint32
}

// NewBands returns empty bands for the given anchors (one path per
// series, all of the same length).
func NewBands(anchors [][]float64) *Bands {
	b := &Bands{series: len(anchors)}
	if len(anchors) > 0 {
		b.ticks = len(anchors[0])
	}
	b.anchor = make([]float64, b.series*b.ticks)
	for s, a := range anchors {
		for t, v := range a {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				v = 0
			}
			b.anchor[s*b.ticks+t] = v
		}
	}
	b.cells = make([]cell, b.series*b.ticks)
	return b
}

// Reset empties the bands, keeping their anchors.
func (b *Bands) Reset() {
	for i := range b.cells {
		c := &b.cells[i]
		*c = cell{pos: buckets{c: c.pos.c[:0]}, neg: buckets{c: c.neg.c[:0]}}
	}
}

// Empty reports whether no value was added.
func (b *Bands) Empty() bool {
	for i := range b.cells {
		if b.cells[i].n+b.cells[i].nan > 0 {
			return false
		}
	}
	return true
}

// Add adds one run's paths: vals[s][t] is series s at tick t.
func (b *Bands) Add(vals [][]float64) {
	for s := range vals {
		for t, x := range vals[s][:b.ticks] {
			k := s*b.ticks + t
			b.cells[k].add(x, b.anchor[k])
		}
	}
}

func (c *cell) add(x, anchor float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		c.nan++
		return
	}
	if x == 0 {
		x = 0 // −0 and +0 count as one value, so min and max are order-independent
	}
	if c.n == 0 || x < c.min {
		c.min = x
	}
	if c.n == 0 || x > c.max {
		c.max = x
	}
	c.n++
	switch d := x - anchor; {
	case d > 0:
		c.pos.add(key(d), 1)
	case d < 0:
		c.neg.add(key(-d), 1)
	default:
		c.zero++
	}
}

// key returns the bucket of a positive deviation.
func key(d float64) int32 { return int32(math.Ceil(dmath.Log(d) / lnGamma)) }

// value returns the representative of bucket k (relative error ≤ α).
func value(k int32) float64 { return 2 * dmath.Exp(float64(k)*lnGamma) / (1 + gamma) }

// add counts n values in bucket k, folding the lowest buckets so that at
// most maxBuckets remain below and at the highest key.
func (b *buckets) add(k int32, n uint32) {
	if len(b.c) == 0 {
		b.off = k
		b.c = append(b.c[:0], n)
		return
	}
	top := b.off + int32(len(b.c)) - 1
	if k > top {
		for ; top < k; top++ {
			b.c = append(b.c, 0)
		}
		if excess := len(b.c) - maxBuckets; excess > 0 {
			var folded uint32
			for _, v := range b.c[:excess] {
				folded += v
			}
			b.c = b.c[excess:]
			b.c[0] += folded
			b.off += int32(excess)
		}
	}
	if low := top - maxBuckets + 1; k < low {
		k = low
	}
	if k < b.off {
		grow := int(b.off - k)
		b.c = append(make([]uint32, grow, grow+len(b.c)), b.c...)
		b.off = k
	}
	b.c[k-b.off] += n
}

// Merge adds the contents of o, which must have the same shape.
func (b *Bands) Merge(o *Bands) error {
	if o.series != b.series || o.ticks != b.ticks {
		return fmt.Errorf("bands of %d×%d and %d×%d cells cannot merge", b.series, b.ticks, o.series, o.ticks)
	}
	for i := range o.cells {
		b.cells[i].merge(&o.cells[i])
	}
	return nil
}

func (c *cell) merge(o *cell) {
	if o.n > 0 {
		if c.n == 0 || o.min < c.min {
			c.min = o.min
		}
		if c.n == 0 || o.max > c.max {
			c.max = o.max
		}
	}
	c.n += o.n
	c.nan += o.nan
	c.zero += o.zero
	for i, v := range o.pos.c {
		if v > 0 {
			c.pos.add(o.pos.off+int32(i), v)
		}
	}
	for i, v := range o.neg.c {
		if v > 0 {
			c.neg.add(o.neg.off+int32(i), v)
		}
	}
}

// Cell returns the count of finite values, of non-finite ones, and the
// minimum and maximum of series s at tick t.
func (b *Bands) Cell(s, t int) (n, missing uint64, lo, hi float64) {
	c := &b.cells[s*b.ticks+t]
	if c.n == 0 {
		return 0, c.nan, math.NaN(), math.NaN()
	}
	return c.n, c.nan, c.min, c.max
}

// Quantile returns the q-quantile of series s at tick t: an estimate of the
// ⌊q·(n−1)⌋-th smallest value (from 0), NaN without finite values.
func (b *Bands) Quantile(s, t int, q float64) float64 {
	k := s*b.ticks + t
	c, a := &b.cells[k], b.anchor[k]
	if c.n == 0 {
		return math.NaN()
	}
	rank := uint64(float64(q * float64(c.n-1)))
	clamp := func(x float64) float64 { return math.Min(math.Max(x, c.min), c.max) }
	var cum uint64
	for i := len(c.neg.c) - 1; i >= 0; i-- {
		if cum += uint64(c.neg.c[i]); cum > rank {
			return clamp(a - value(c.neg.off+int32(i)))
		}
	}
	if cum += c.zero; cum > rank {
		return clamp(a)
	}
	for i, v := range c.pos.c {
		if cum += uint64(v); cum > rank {
			return clamp(a + value(c.pos.off+int32(i)))
		}
	}
	return c.max
}

// MarshalBinary encodes the cells (not the anchors).
func (b *Bands) MarshalBinary() ([]byte, error) {
	out := binary.AppendUvarint(nil, uint64(b.series))
	out = binary.AppendUvarint(out, uint64(b.ticks))
	for i := range b.cells {
		c := &b.cells[i]
		out = binary.AppendUvarint(out, c.n)
		out = binary.AppendUvarint(out, c.nan)
		if c.n == 0 {
			continue
		}
		out = binary.AppendUvarint(out, c.zero)
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(c.min))
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(c.max))
		// Each sign: the number of non-empty buckets, then for each the
		// key's step from the previous one (the first from 0) and the count.
		for _, bk := range []*buckets{&c.pos, &c.neg} {
			nz := 0
			for _, v := range bk.c {
				if v > 0 {
					nz++
				}
			}
			out = binary.AppendUvarint(out, uint64(nz))
			first, prev := true, int64(0)
			for i, v := range bk.c {
				if v == 0 {
					continue
				}
				k := int64(bk.off) + int64(i)
				if first {
					out = binary.AppendVarint(out, k)
				} else {
					out = binary.AppendUvarint(out, uint64(k-prev))
				}
				first, prev = false, k
				out = binary.AppendUvarint(out, uint64(v))
			}
		}
	}
	return out, nil
}

var errBands = errors.New("corrupt band sketch")

// UnmarshalBinary decodes cells written by MarshalBinary into bands of the
// same shape, replacing their contents.
func (b *Bands) UnmarshalBinary(data []byte) error {
	r := &reader{b: data}
	if s, t := r.uvarint(), r.uvarint(); int(s) != b.series || int(t) != b.ticks {
		if r.err != nil {
			return r.err
		}
		return fmt.Errorf("band sketch of %d×%d cells, want %d×%d", s, t, b.series, b.ticks)
	}
	b.Reset()
	for i := range b.cells {
		c := &b.cells[i]
		c.n, c.nan = r.uvarint(), r.uvarint()
		if c.n == 0 {
			continue
		}
		c.zero = r.uvarint()
		c.min = math.Float64frombits(r.u64())
		c.max = math.Float64frombits(r.u64())
		total := c.zero
		for _, bk := range []*buckets{&c.pos, &c.neg} {
			nz := r.uvarint()
			if r.err != nil || nz > maxBuckets {
				return errBands
			}
			var k int64
			for j := uint64(0); j < nz; j++ {
				if j == 0 {
					k = r.varint()
					if k < math.MinInt32 || k > math.MaxInt32 {
						return errBands
					}
					bk.off = int32(k)
				} else if step := r.uvarint(); step == 0 || step > maxBuckets {
					return errBands
				} else {
					k += int64(step)
				}
				v := r.uvarint()
				if r.err != nil || v == 0 || v > math.MaxUint32 || k-int64(bk.off) >= maxBuckets {
					return errBands
				}
				for int64(len(bk.c)) < k-int64(bk.off) {
					bk.c = append(bk.c, 0)
				}
				bk.c = append(bk.c, uint32(v))
				total += v
			}
		}
		if r.err != nil || total != c.n {
			return errBands
		}
	}
	if r.err != nil || len(r.b) != 0 {
		return errBands
	}
	return nil
}

// reader decodes varints with a sticky error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errBands
		return 0
	}
	r.b = r.b[n:]
	return v
}

// varint undoes binary.AppendVarint: a zig-zag encoded uvarint.
func (r *reader) varint() int64 {
	u := r.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (r *reader) u64() uint64 {
	if r.err != nil || len(r.b) < 8 {
		r.err = errBands
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}
