package market

import (
	"fmt"
	"math"

	"github.com/cascade-sim/cascade/core/dmath"
)

// ImpactKind selects the price-impact function of an asset.
type ImpactKind uint8

// Impact functions.
const (
	// Linear: Φ(X) = λ·X (Kyle; Greenwood–Landier–Thesmar with value flow).
	Linear ImpactKind = iota
	// SquareRoot: Φ(X) = sign(X)·Y·σ_d·(|X|/V)^δ, X and V (the average daily
	// volume) in USD, σ_d the daily volatility, δ the exponent (0.5: the
	// square-root law; equities 0.5–0.6; larger for forced liquidations of
	// many days' volume).
	SquareRoot
	// Exponential: Φ(X) = sign(X)·(1 − B)·(1 − exp(−|X|/δ)) (Cont–Schaanning,
	// with floor B as a fraction of the open price; B = 0 gives Caccioli's p·e^(−x/δ)).
	Exponential
)

var impactNames = []string{"linear", "sqrt", "exponential"}

func (k ImpactKind) String() string {
	if int(k) < len(impactNames) {
		return impactNames[k]
	}
	return fmt.Sprintf("ImpactKind(%d)", uint8(k))
}

// ImpactKindNames lists impact kinds as spelled in scenario files.
func ImpactKindNames() []string { return impactNames }

// ParseImpactKind is the inverse of ImpactKind.String.
func ParseImpactKind(s string) (ImpactKind, error) {
	for i, n := range impactNames {
		if n == s {
			return ImpactKind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown impact function %q (want linear, sqrt or exponential)", s)
}

// Liquidity is the price-impact specification of one asset.
type Liquidity struct {
	Impact ImpactKind
	// Lambda is the linear impact: return per unit of flow (per unit traded,
	// or per unit of local-currency value when Conventions.Flow is FlowValue).
	Lambda float64
	// Y is the square-root coefficient (0.5–1 in the literature).
	Y float64
	// DailyVol is σ_d of the square-root law (by default the asset's calm
	// volatility scaled to a day).
	DailyVol float64
	// ADV is V of the square-root law: average daily volume in USD.
	ADV float64
	// Exponent is δ of the square-root law (0 means 0.5).
	Exponent float64
	// Delta is δ of the exponential law, in the flow unit.
	Delta float64
	// Floor is B of the exponential law, as a fraction of the open price.
	Floor float64
	// Permanent is the share of impact that stays in the price (0–1).
	Permanent float64
	// HalfLife is the half-life in ticks of the temporary part
	// (0: gone at the next open).
	HalfLife float64
	// FlowHalfLife is the half-life in ticks of the flow memory X
	// (0: X restarts at every open).
	FlowHalfLife float64
}

// Validate reports the first inconsistent parameter.
func (l *Liquidity) Validate() error {
	bad := func(f string, v float64) error { return fmt.Errorf("%s = %v is out of range", f, v) }
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch l.Impact {
	case Linear:
		if !(l.Lambda >= 0) || !finite(l.Lambda) {
			return bad("lambda", l.Lambda)
		}
	case SquareRoot:
		if !(l.Y >= 0) || !finite(l.Y) {
			return bad("y", l.Y)
		}
		if !(l.ADV > 0) || !finite(l.ADV) {
			return bad("adv", l.ADV)
		}
		if !(l.DailyVol >= 0) || !finite(l.DailyVol) {
			return bad("daily_vol", l.DailyVol)
		}
		if !(l.Exponent >= 0 && l.Exponent <= 2) {
			return bad("exponent", l.Exponent)
		}
	case Exponential:
		if !(l.Delta > 0) || !finite(l.Delta) {
			return bad("delta", l.Delta)
		}
		if !(l.Floor >= 0 && l.Floor < 1) {
			return bad("floor", l.Floor)
		}
	default:
		return fmt.Errorf("unknown impact function %d", l.Impact)
	}
	if !(l.Permanent >= 0 && l.Permanent <= 1) {
		return bad("permanent", l.Permanent)
	}
	if !(l.HalfLife >= 0) || math.IsNaN(l.HalfLife) {
		return bad("half_life", l.HalfLife)
	}
	if !(l.FlowHalfLife >= 0) || math.IsNaN(l.FlowHalfLife) {
		return bad("flow_half_life", l.FlowHalfLife)
	}
	return nil
}

// Phi returns the impact return of cumulative signed flow x when the depth
// is scaled by g (1: full depth; smaller: thinner market) and volatility
// stands at vs times its calm level (square-root law only: Δp/p = Y·σ·√(Q/V)
// with today's σ). Positive flow is net buying and pushes the price up.
func (l *Liquidity) Phi(x, g, vs float64) float64 {
	if x == 0 {
		return 0
	}
	switch l.Impact {
	case Linear:
		return l.Lambda * x / g
	case SquareRoot:
		s := 1.0
		if x < 0 {
			s, x = -1, -x
		}
		if l.Exponent == 0 || l.Exponent == 0.5 {
			return s * l.Y * l.DailyVol * vs * math.Sqrt(x/(l.ADV*g))
		}
		return s * l.Y * l.DailyVol * vs * pow(x/(l.ADV*g), l.Exponent)
	case Exponential:
		s := 1.0
		if x < 0 {
			s, x = -1, -x
		}
		return s * (1 - l.Floor) * -dmath.Expm1(-x/(l.Delta*g))
	}
	return 0
}

// pow is dmath.Pow(x, y) to the bit (TestPowShortcutExact) for the
// square-root law's exponents, with the work that leaves nothing to do
// skipped. For positive x away from the ends of the range and y in
// (0, ½) ∪ (½, 1) ∪ (1, 1½], dmath.Pow passes every special case, splits y
// into yi + yf with yi ∈ {0, 1} and yf = y − yi (exact: Sterbenz), and
// returns Ldexp(Exp(yf·Log(x))·x1, yi·xe), x = x1·2^xe. With the result and
// Exp's factor normal (x ∈ [2⁻⁵⁰⁰, 2⁵⁰⁰]: both are within 2^±500), scaling
// by a power of two is exact and commutes with the rounding of the product,
// so that is Exp(yf·Log(x))·x when yi = 1, and Exp(yf·Log(x)) when yi = 0:
// no Modf, Frexp, Ldexp or loop. Anything else calls dmath.Pow.
func pow(x, y float64) float64 {
	if x >= 0x1p-500 && x <= 0x1p500 && x != 1 {
		switch {
		case y > 0 && y < 0.5:
			return dmath.Exp(float64(y * dmath.Log(x)))
		case y > 0.5 && y <= 1.5 && y != 1:
			return float64(dmath.Exp(float64((y-1)*dmath.Log(x))) * x)
		}
	}
	return dmath.Pow(x, y)
}

// decay returns the per-tick retention factor for a half-life in ticks (0: none kept).
func decay(halfLife float64) float64 {
	if halfLife <= 0 {
		return 0
	}
	if math.IsInf(halfLife, 1) {
		return 1
	}
	return dmath.Pow(0.5, 1/halfLife)
}
