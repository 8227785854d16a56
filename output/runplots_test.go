package output

import (
	"math"
	"testing"
)

// TestCorrMatrixHorizon: the heat maps correlate returns as the run's
// rolling correlation does. Two assets whose one-tick returns alternate in
// opposite directions but whose two-tick returns move together correlate
// -1 at horizon 1 and +1 at horizon 2.
func TestCorrMatrixHorizon(t *testing.T) {
	n := 40
	a, b := make([]float64, n), make([]float64, n)
	ra, rb := make([]float64, n), make([]float64, n)
	a[0], b[0] = 100, 100
	for i := 1; i < n; i++ {
		trend := 1 + 0.001*float64(i%7) // a shared drift that varies
		wiggle := 0.01
		if i%2 == 0 {
			wiggle = -0.01
		}
		a[i] = a[i-1] * trend * (1 + wiggle)
		b[i] = b[i-1] * trend * (1 - wiggle)
		ra[i], rb[i] = a[i]/a[i-1]-1, b[i]/b[i-1]-1
	}
	ts := &Table{Columns: []Column{FloatCol("A", a), FloatCol("B", b), FloatCol("A_ret", ra), FloatCol("B_ret", rb)}}
	one := corrMatrix(ts, []string{"A", "B"}, n-1, 30, 1)
	two := corrMatrix(ts, []string{"A", "B"}, n-1, 30, 2)
	if !(one[0][1] < -0.9) || math.Abs(one[0][0]-1) > 1e-12 {
		t.Errorf("one-tick correlation %v, want close to -1", one[0][1])
	}
	if !(two[0][1] > 0.9) {
		t.Errorf("two-tick correlation %v, want close to +1", two[0][1])
	}
}
