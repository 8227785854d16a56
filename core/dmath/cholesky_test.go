package dmath

import (
	"math"
	"testing"
)

func TestCholesky(t *testing.T) {
	for _, c := range []struct {
		name string
		a    []float64
		n    int
		ok   bool
	}{
		{"identity", []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, true},
		{"correlated", []float64{1, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 1}, 3, true},
		{"perfectly correlated", []float64{1, 1, 1, 1}, 2, false},
		{"not positive", []float64{1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1}, 3, false},
	} {
		l, ok := Cholesky(c.a, c.n)
		if ok != c.ok {
			t.Errorf("%s: ok %v, want %v", c.name, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		for i := 0; i < c.n; i++ {
			for j := 0; j < c.n; j++ {
				if j > i && l[i*c.n+j] != 0 {
					t.Errorf("%s: L[%d][%d] = %v above the diagonal", c.name, i, j, l[i*c.n+j])
				}
				s := 0.0
				for k := 0; k < c.n; k++ {
					s += l[i*c.n+k] * l[j*c.n+k]
				}
				if math.Abs(s-c.a[i*c.n+j]) > 1e-15 {
					t.Errorf("%s: (L·Lᵀ)[%d][%d] = %v, want %v", c.name, i, j, s, c.a[i*c.n+j])
				}
			}
		}
	}
	// Row 2 of the correlated case by hand: L20 = −0.3, L21 = (0.2 − 0.6·(−0.3))/0.8 = 0.475.
	l, _ := Cholesky([]float64{1, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 1}, 3)
	if l[3] != 0.6 || l[4] != 0.8 || l[6] != -0.3 || math.Abs(l[7]-0.475) > 1e-16 {
		t.Errorf("L = %v, want rows [1], [0.6 0.8], [−0.3 0.475 …]", l)
	}
}
