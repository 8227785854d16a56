package core

import (
	"math"

	"github.com/cascade-sim/cascade/core/dmath"
)

// Asset is the static description of one asset. Prices move in the World.
type Asset struct {
	ID       string
	Kind     AssetKind
	Currency int // currency the price is quoted in; for FX the quote currency
	Base     int // FX only: the base currency (one unit of Base costs Price units of Currency)

	Price0 float64 // initial price
	Vol    float64 // calm volatility of returns, annualized
	Drift  float64 // exogenous drift of returns, annualized

	Duration   float64 // bonds and bond futures: modified duration in years
	Yield0     float64 // bonds: yield at Price0, as a decimal (0.0415 = 4.15%)
	Underlying int     // futures: index of the underlying bond, -1 otherwise
	Beta       float64 // futures: exogenous return per unit of underlying return

	ADV   float64 // average daily volume in USD: the liquidity rank, and V of square-root impact
	Group string  // plot panel: "fx", "rates", "equity", "other"
}

// Tradable reports whether orders may be sent for the asset.
func (a *Asset) Tradable() bool { return a.Kind != Illiquid }

// Funded reports whether holding the asset takes cash (everything but FX
// and futures, whose positions cost nothing to open and settle variation
// margin instead).
func (a *Asset) Funded() bool { return a.Kind != FX && a.Kind != Future }

// YieldAt returns a bond's yield at price p: y = y0 − ln(p/p0)/D. It returns
// NaN for assets without a duration.
func (a *Asset) YieldAt(p float64) float64 {
	if a.Kind != Bond || a.Duration <= 0 {
		return math.NaN()
	}
	return a.Yield0 - dmath.Log(p/a.Price0)/a.Duration
}

// PriceAtYield is the inverse of YieldAt.
func (a *Asset) PriceAtYield(y float64) float64 {
	return a.Price0 * dmath.Exp(-a.Duration*(y-a.Yield0))
}
