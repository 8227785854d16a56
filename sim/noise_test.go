package sim

import (
	"math"
	"strings"
	"testing"
)

// TestFactor: the correlation's factor for a positive definite matrix, one
// only positive semi-definite (two assets perfectly correlated: the
// diagonal is raised by 1e-10 rounded up to a multiple of 2⁻⁴⁰, that is by
// 110·2⁻⁴⁰) and one that is not a correlation matrix.
func TestFactor(t *testing.T) {
	for _, c := range []struct {
		name    string
		c       []float64
		k       int
		shift   float64 // added to the diagonal
		wantErr string
	}{
		{"positive definite", []float64{1, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 1}, 3, 0, ""},
		{"perfectly correlated", []float64{1, 1, 0, 1, 1, 0, 0, 0, 1}, 3, 110 * 0x1p-40, ""},
		{"not positive semi-definite", []float64{1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1}, 3, 0, "not positive semi-definite"},
	} {
		l, err := factor(c.c, c.k)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: error %v, want one saying %q", c.name, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for i := 0; i < c.k; i++ {
			for j := 0; j < c.k; j++ {
				s := 0.0
				for m := 0; m < c.k; m++ {
					s += l[i*c.k+m] * l[j*c.k+m]
				}
				want := c.c[i*c.k+j]
				if i == j {
					want += c.shift
				}
				if math.Abs(s-want) > 1e-15 {
					t.Errorf("%s: (L·Lᵀ)[%d][%d] = %.17g, want %.17g", c.name, i, j, s, want)
				}
			}
		}
	}
}
