package dmath

import "math"

// Every product below that meets an addition is written float64(a*b): the
// conversion rounds the product, which keeps the compiler from fusing it
// with the addition (The Go Programming Language Specification, Arithmetic
// operators, on fused multiply-add). Fusion the method wants is written
// math.FMA.

// Exp returns e**x.
func Exp(x float64) float64 {
	const (
		log2e    = 1.4426950408889634073599246810018920
		ln2Hi    = 0.69314718055966295651160180568695068359375 // ln 2, upper part
		ln2Lo    = 0.28235290563031577122588448175013436025525412068e-12
		overflow = 7.09782712893384e+02
	)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case math.IsInf(x, -1):
		return 0
	case x > overflow:
		return math.Inf(1)
	}
	// The exponent: log2(e)·x rounded to the nearest integer, ties to even
	// (as the processor converts), or the most negative int32 if out of range.
	e := int32(math.MinInt32)
	if t := math.RoundToEven(log2e * x); t >= math.MinInt32 {
		e = int32(t)
	}
	k := float64(e)
	r := math.FMA(-k, ln2Hi, x)
	r = math.FMA(-k, ln2Lo, r)
	r *= 0.0625 // e**r = (e**(r/16))**16
	// Taylor series of e**r − 1 = r·(1 + r·(1/2 + r·(1/6 + …))), Horner's rule.
	p := 2.4801587301587301587e-5
	p = math.FMA(r, p, 1.9841269841269841270e-4)
	p = math.FMA(r, p, 1.3888888888888888889e-3)
	p = math.FMA(r, p, 8.3333333333333333333e-3)
	p = math.FMA(r, p, 4.1666666666666666667e-2)
	p = math.FMA(r, p, 1.6666666666666666667e-1)
	p = math.FMA(r, p, 0.5)
	p = math.FMA(r, p, 1)
	r = float64(r * p)
	// Four squarings of 1 + r, kept as r: (1+r)² − 1 = r·(r+2).
	r = float64(r * (r + 2))
	r = float64(r * (r + 2))
	r = float64(r * (r + 2))
	r = math.FMA(r+2, r, 1)
	// r·2**e, through a subnormal scaling when 2**e is not normal.
	b := e + 0x3FF
	switch {
	case b <= 0:
		if b < -52 {
			return 0
		}
		r *= math.Float64frombits(uint64(b+0x3FE) << 52)
		b = 1
	case b >= 0x7FF:
		return math.Inf(1)
	}
	return r * math.Float64frombits(uint64(b)<<52)
}

// Log returns the natural logarithm of x.
func Log(x float64) float64 {
	const (
		hsqrt2 = 7.07106781186547524401e-01 // √2/2
		ln2Hi  = 6.93147180369123816490e-01
		ln2Lo  = 1.90821492927058770002e-10
		l1     = 6.666666666666735130e-01
		l2     = 3.999999999940941908e-01
		l3     = 2.857142874366239149e-01
		l4     = 2.222219843214978396e-01
		l5     = 1.818357216161805012e-01
		l6     = 1.531383769920937332e-01
		l7     = 1.479819860511658591e-01
	)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case x == 0:
		return math.Inf(-1)
	case x < 0:
		return math.NaN()
	}
	// x = 2**k·(1+f) with √2/2 < 1+f ≤ √2 (as amd64 reduces: at 1+f = √2/2
	// exactly it takes the upper interval's twin).
	f1, ki := math.Frexp(x)
	if f1 <= hsqrt2 {
		f1 *= 2
		ki--
	}
	f := f1 - 1
	k := float64(ki)
	// log(1+f) = f − hfsq + s·(hfsq+R), s = f/(2+f), R a minimax series in s².
	s := f / (2 + f)
	s2 := s * s
	s4 := s2 * s2
	t1 := float64(s2 * (l1 + float64(s4*(l3+float64(s4*(l5+float64(s4*l7)))))))
	t2 := float64(s4 * (l2 + float64(s4*(l4+float64(s4*l6)))))
	R := t1 + t2
	hfsq := float64(0.5 * f * f)
	return float64(k*ln2Hi) - ((hfsq - (float64(s*(hfsq+R)) + float64(k*ln2Lo))) - f)
}

// Expm1 returns e**x − 1, accurate when x is near zero.
func Expm1(x float64) float64 {
	const (
		othreshold = 7.09782712893383973096e+02 // above it e**x overflows
		ln2X56     = 3.88162421113569373274e+01 // 56·ln 2
		ln2HalfX3  = 1.03972077083991796413e+00 // 1.5·ln 2
		ln2Half    = 3.46573590279972654709e-01 // 0.5·ln 2
		ln2Hi      = 6.93147180369123816490e-01
		ln2Lo      = 1.90821492927058770002e-10
		invLn2     = 1.44269504088896338700e+00
		tiny       = 1.0 / (1 << 54)
		q1         = -3.33333333333331316428e-02
		q2         = 1.58730158725481460165e-03
		q3         = -7.93650757867487942473e-05
		q4         = 4.00821782732936239552e-06
		q5         = -2.01099218183624371326e-07
	)
	switch {
	case math.IsInf(x, 1) || math.IsNaN(x):
		return x
	case math.IsInf(x, -1):
		return -1
	}
	absx, neg := math.Abs(x), x < 0
	if absx >= ln2X56 {
		if neg {
			return -1
		}
		if absx >= othreshold {
			return math.Inf(1)
		}
	}
	// x = k·ln 2 + r, |r| ≤ ln 2 / 2, with r = x − c as hi − lo.
	var c float64
	var k int
	switch {
	case absx > ln2Half:
		var hi, lo float64
		switch {
		case absx < ln2HalfX3 && !neg:
			hi, lo, k = x-ln2Hi, ln2Lo, 1
		case absx < ln2HalfX3:
			hi, lo, k = x+ln2Hi, -ln2Lo, -1
		default:
			if !neg {
				k = int(float64(invLn2*x) + 0.5)
			} else {
				k = int(float64(invLn2*x) - 0.5)
			}
			t := float64(k)
			hi = x - float64(t*ln2Hi) // exact
			lo = float64(t * ln2Lo)
		}
		x = hi - lo
		c = (hi - x) - lo
	case absx < tiny:
		return x
	}
	hfx := float64(0.5 * x)
	hxs := float64(x * hfx)
	r1 := 1 + float64(hxs*(q1+float64(hxs*(q2+float64(hxs*(q3+float64(hxs*(q4+float64(hxs*q5)))))))))
	t := 3 - float64(r1*hfx)
	e := float64(hxs * ((r1 - t) / (6.0 - float64(x*t))))
	if k == 0 {
		return x - (float64(x*e) - hxs)
	}
	e = float64(x*(e-c)) - c
	e -= hxs
	switch {
	case k == -1:
		return float64(0.5*(x-e)) - 0.5
	case k == 1:
		if x < -0.25 {
			return -2 * (e - (x + 0.5))
		}
		return 1 + float64(2*(x-e))
	case k <= -2 || k > 56: // e**x − 1 ≈ e**x
		y := 1 - (e - x)
		y = math.Float64frombits(math.Float64bits(y) + uint64(k)<<52) // y·2**k
		return y - 1
	case k < 20:
		t := math.Float64frombits(0x3ff0000000000000 - (0x20000000000000 >> uint(k))) // 1 − 2**−k
		y := t - (e - x)
		return math.Float64frombits(math.Float64bits(y) + uint64(k)<<52)
	}
	t = math.Float64frombits(uint64(0x3ff-k) << 52) // 2**−k
	y := x - (e + t)
	y++
	return math.Float64frombits(math.Float64bits(y) + uint64(k)<<52)
}

// Pow returns x**y.
func Pow(x, y float64) float64 {
	switch {
	case y == 0 || x == 1 || y == 1 || math.IsNaN(x) || math.IsNaN(y) || x == 0 ||
		math.IsInf(x, 0) || math.IsInf(y, 0) || y == 0.5 || y == -0.5:
		return math.Pow(x, y) // exact special cases, the same everywhere
	}
	yi, yf := math.Modf(math.Abs(y))
	if yf != 0 && x < 0 || yi >= 1<<63 {
		return math.Pow(x, y)
	}
	// x**y = x**yf · x**yi, |yf| ≤ 1/2; x**yi by squaring the mantissa of
	// x, the powers of two gathered in ae.
	a1, ae := 1.0, 0
	if yf != 0 {
		if yf > 0.5 {
			yf--
			yi++
		}
		a1 = Exp(yf * Log(x))
	}
	x1, xe := math.Frexp(x)
	for i := int64(yi); i != 0; i >>= 1 {
		if xe < -1<<12 || 1<<12 < xe {
			ae += xe // the result under- or overflows
			break
		}
		if i&1 == 1 {
			a1 *= x1
			ae += xe
		}
		x1 = float64(x1 * x1)
		xe <<= 1
		if x1 < .5 {
			x1 += x1
			xe--
		}
	}
	if y < 0 {
		a1 = 1 / a1
		ae = -ae
	}
	return math.Ldexp(a1, ae)
}

// Log10 returns the decimal logarithm of x, as package math computes it
// from Log.
func Log10(x float64) float64 {
	return Log(x) * (1 / math.Ln10)
}
