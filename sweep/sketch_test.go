package sweep

import (
	"bytes"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// samples returns n values of a named distribution around anchor a.
func samples(kind string, n int, a float64, r *rand.Rand) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		switch kind {
		case "near": // a price path near its base: ±2%
			xs[i] = a * (1 + 0.02*r.NormFloat64())
		case "lognormal": // sales in USD over many decades
			xs[i] = math.Exp(20 + 3*r.NormFloat64())
		case "zeros": // mostly exactly the anchor
			if r.Float64() < 0.7 {
				xs[i] = a
			} else {
				xs[i] = a + r.NormFloat64()
			}
		case "signed": // both signs, anchor 0
			xs[i] = r.NormFloat64() * math.Pow(10, r.Float64()*6-3)
		case "constant":
			xs[i] = a
		case "missing":
			xs[i] = a + r.NormFloat64()
			if i%3 == 0 {
				xs[i] = math.NaN()
			}
		}
	}
	return xs
}

// TestBandsAccuracy: every quantile is within the relative accuracy of its
// distance from the anchor (and within [min, max]), for distributions of
// several shapes.
func TestBandsAccuracy(t *testing.T) {
	for _, tc := range []struct {
		kind   string
		anchor float64
	}{
		{"near", 38000}, {"lognormal", 0}, {"zeros", 150}, {"signed", 0}, {"constant", 38500}, {"missing", -3},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			xs := samples(tc.kind, 5000, tc.anchor, r)
			b := NewBands([][]float64{{tc.anchor}})
			for _, x := range xs {
				b.Add([][]float64{{x}})
			}
			var fin []float64
			for _, x := range xs {
				if !math.IsNaN(x) {
					fin = append(fin, x)
				}
			}
			sort.Float64s(fin)
			n, missing, lo, hi := b.Cell(0, 0)
			if int(n) != len(fin) || int(missing) != len(xs)-len(fin) || lo != fin[0] || hi != fin[len(fin)-1] {
				t.Fatalf("cell n=%d missing=%d min=%v max=%v, want %d, %d, %v, %v", n, missing, lo, hi, len(fin), len(xs)-len(fin), fin[0], fin[len(fin)-1])
			}
			for _, q := range []float64{0, 0.05, 0.25, 0.5, 0.75, 0.95, 1} {
				exact := fin[int(q*float64(len(fin)-1))]
				got := b.Quantile(0, 0, q)
				tol := relAcc*math.Abs(exact-tc.anchor) + 1e-12*math.Abs(exact)
				if math.Abs(got-exact) > tol || got < lo || got > hi {
					t.Errorf("q=%v: got %v, exact %v (tolerance %v)", q, got, exact, tol)
				}
			}
		})
	}
}

// TestBandsOrderIndependent: the encoded state depends only on the values
// added, not on their order nor on how they were split and merged; also
// when the range is wide enough to fold buckets, and with both zeros.
func TestBandsOrderIndependent(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	anchors := [][]float64{{0, 100}, {5, math.NaN()}}
	var runs [][][]float64
	for i := 0; i < 3000; i++ {
		wide := math.Exp(r.NormFloat64()*40) * float64(1-2*(i%2)) // spans far more than maxBuckets
		x := 100 + r.NormFloat64()
		z := 0.0
		if i%5 == 0 {
			z = math.Copysign(0, -1)
		}
		runs = append(runs, [][]float64{{wide, x}, {z, r.NormFloat64()}})
	}
	encode := func(order []int, parts int) []byte {
		total := NewBands(anchors)
		part := NewBands(anchors)
		for k, i := range order {
			part.Add(runs[i])
			if (k+1)%(len(order)/parts) == 0 {
				if err := total.Merge(part); err != nil {
					t.Fatal(err)
				}
				part.Reset()
			}
		}
		if err := total.Merge(part); err != nil {
			t.Fatal(err)
		}
		b, err := total.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		for i := range total.cells {
			for _, bk := range []buckets{total.cells[i].pos, total.cells[i].neg} {
				if len(bk.c) > maxBuckets {
					t.Fatalf("cell %d keeps %d buckets, more than %d", i, len(bk.c), maxBuckets)
				}
			}
		}
		return b
	}
	order := make([]int, len(runs))
	for i := range order {
		order[i] = i
	}
	want := encode(order, 1)
	for trial, parts := range []int{1, 3, 7, 100} {
		o := append([]int(nil), order...)
		rand.New(rand.NewPCG(uint64(trial), 9)).Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
		if got := encode(o, parts); !bytes.Equal(got, want) {
			t.Errorf("shuffled, in %d parts: the state differs", parts)
		}
	}
}

// TestBandsRoundTrip: decoding restores the state; damage is detected.
func TestBandsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	b := NewBands([][]float64{{1, 2, 3}})
	for i := 0; i < 500; i++ {
		b.Add([][]float64{samples("signed", 3, 0, r)})
	}
	enc, _ := b.MarshalBinary()
	c := NewBands([][]float64{{1, 2, 3}})
	if err := c.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	again, _ := c.MarshalBinary()
	if !bytes.Equal(enc, again) {
		t.Fatal("round trip changed the state")
	}
	for tick := 0; tick < 3; tick++ {
		if b.Quantile(0, tick, 0.3) != c.Quantile(0, tick, 0.3) {
			t.Errorf("tick %d: quantiles differ after a round trip", tick)
		}
	}
	for _, bad := range [][]byte{enc[:len(enc)-1], append(append([]byte(nil), enc...), 0), {1, 3}} {
		if err := c.UnmarshalBinary(bad); err == nil {
			t.Errorf("damaged encoding of %d bytes accepted", len(bad))
		}
	}
	if err := NewBands([][]float64{{1, 2}}).UnmarshalBinary(enc); err == nil {
		t.Error("bands of another shape accepted")
	}
}

// TestBandsEmpty: a cell without values has NaN quantiles and bounds.
func TestBandsEmpty(t *testing.T) {
	b := NewBands([][]float64{{7}})
	b.Add([][]float64{{math.Inf(1)}})
	if n, missing, lo, _ := b.Cell(0, 0); n != 0 || missing != 1 || !math.IsNaN(lo) {
		t.Errorf("cell: n=%d missing=%d min=%v", n, missing, lo)
	}
	if q := b.Quantile(0, 0, 0.5); !math.IsNaN(q) {
		t.Errorf("median of nothing = %v", q)
	}
}
