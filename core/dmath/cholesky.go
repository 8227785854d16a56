package dmath

import "math"

// Cholesky returns the lower-triangular L, row-major n×n, with L·Lᵀ = a for
// the symmetric n×n matrix a (row-major; only its lower triangle is read),
// and false if a is not positive definite (a pivot is not positive).
//
// It is the Cholesky–Banachiewicz order, row by row, each sum taken left
// to right with every product rounded: the same bits on every machine.
// (gonum's factorization, used before, sums in the order of each
// architecture's BLAS kernels, which differ between amd64 and arm64.)
func Cholesky(a []float64, n int) ([]float64, bool) {
	l := make([]float64, n*n)
	for i := 0; i < n; i++ {
		li := l[i*n : i*n+i+1]
		for j := 0; j <= i; j++ {
			lj := l[j*n : j*n+j]
			s := a[i*n+j]
			for k, x := range lj {
				s -= float64(li[k] * x)
			}
			if j < i {
				li[j] = s / l[j*n+j]
				continue
			}
			if !(s > 0) {
				return nil, false
			}
			li[i] = math.Sqrt(s)
		}
	}
	return l, true
}
