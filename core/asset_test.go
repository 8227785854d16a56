package core

import (
	"math"
	"testing"
)

// TestYieldAt pins y = y0 − ln(p/p0)/D on the 10y Treasury (p0 = 100,
// y0 = 4.2%, D = 8) at hand-computed points.
func TestYieldAt(t *testing.T) {
	ust := Asset{Kind: Bond, Price0: 100, Duration: 8, Yield0: 0.042}
	for _, c := range []struct {
		p, y float64
	}{
		{100, 0.042},
		// ln(0.95) = −0.0512932943875505; /8 = −0.0064116617984438.
		{95, 0.0484116617984438},
		// p = 100·e^(−0.08): one point of yield above y0.
		{92.31163463866358, 0.052},
		// p = 100·e^(0.16): two points below.
		{117.35108709918103, 0.022},
	} {
		if got := ust.YieldAt(c.p); math.Abs(got-c.y) > 1e-14 {
			t.Errorf("YieldAt(%v) = %.16f, want %.16f", c.p, got, c.y)
		}
		if got := ust.PriceAtYield(c.y); math.Abs(got-c.p) > 1e-12*c.p {
			t.Errorf("PriceAtYield(%v) = %.14f, want %.14f", c.y, got, c.p)
		}
	}
}

// TestYieldRoundTrip: PriceAtYield inverts YieldAt (and the reverse) over a
// wide range of prices, for a long and a short duration.
func TestYieldRoundTrip(t *testing.T) {
	for _, a := range []Asset{
		{Kind: Bond, Price0: 100, Duration: 8, Yield0: 0.042},
		{Kind: Bond, Price0: 98.5, Duration: 0.25, Yield0: 0.053},
	} {
		for p := 0.5 * a.Price0; p <= 1.5*a.Price0; p += 0.037 * a.Price0 {
			if got := a.PriceAtYield(a.YieldAt(p)); math.Abs(got-p) > 1e-12*p {
				t.Errorf("D=%v: PriceAtYield(YieldAt(%v)) = %v", a.Duration, p, got)
			}
		}
		for y := -0.01; y <= 0.10; y += 0.0073 {
			if got := a.YieldAt(a.PriceAtYield(y)); math.Abs(got-y) > 1e-13 {
				t.Errorf("D=%v: YieldAt(PriceAtYield(%v)) = %v", a.Duration, y, got)
			}
		}
		// Prices fall as yields rise.
		if !(a.PriceAtYield(a.Yield0+0.001) < a.Price0 && a.PriceAtYield(a.Yield0-0.001) > a.Price0) {
			t.Errorf("D=%v: price does not fall as the yield rises", a.Duration)
		}
	}
}

// TestYieldAtNotABond: only bonds with a duration have a yield.
func TestYieldAtNotABond(t *testing.T) {
	for _, a := range []Asset{
		{Kind: Equity, Price0: 5400, Duration: 8},
		{Kind: Future, Price0: 110, Duration: 8},
		{Kind: Bond, Price0: 100},
	} {
		if y := a.YieldAt(a.Price0); !math.IsNaN(y) {
			t.Errorf("%s with duration %v: YieldAt = %v, want NaN", a.Kind, a.Duration, y)
		}
	}
}

// TestAssetKindPredicates: FX and futures are unfunded, illiquid assets
// cannot be traded, everything else is funded and tradable.
func TestAssetKindPredicates(t *testing.T) {
	for k := AssetKind(0); k < NumAssetKinds; k++ {
		a := Asset{Kind: k}
		wantFunded := k != FX && k != Future
		wantTradable := k != Illiquid
		if a.Funded() != wantFunded || a.Tradable() != wantTradable {
			t.Errorf("%s: Funded %v Tradable %v, want %v %v", k, a.Funded(), a.Tradable(), wantFunded, wantTradable)
		}
	}
}

// TestKindNames: every kind, reason and trade kind parses back from its name,
// and unknown names are errors.
func TestKindNames(t *testing.T) {
	for k := AssetKind(0); k < NumAssetKinds; k++ {
		if got, err := ParseAssetKind(k.String()); err != nil || got != k {
			t.Errorf("ParseAssetKind(%q) = %v, %v", k.String(), got, err)
		}
	}
	for k := AgentKind(0); k < NumAgentKinds; k++ {
		if got, err := ParseAgentKind(k.String()); err != nil || got != k {
			t.Errorf("ParseAgentKind(%q) = %v, %v", k.String(), got, err)
		}
	}
	for k := TradeKind(0); k < NumTradeKinds; k++ {
		if got, err := ParseTradeKind(k.String()); err != nil || got != k {
			t.Errorf("ParseTradeKind(%q) = %v, %v", k.String(), got, err)
		}
	}
	if _, err := ParseAssetKind("bonds"); err == nil {
		t.Error("ParseAssetKind accepted an unknown name")
	}
	if _, err := ParseAgentKind("hedgefund"); err == nil {
		t.Error("ParseAgentKind accepted an unknown name")
	}
	if _, err := ParseTradeKind("carry "); err == nil {
		t.Error("ParseTradeKind accepted an unknown name")
	}
	if len(ReasonNames()) != int(NumReasons) || len(EventKind(0).String()) == 0 {
		t.Error("reason or event names incomplete")
	}
	if s := AssetKind(200).String(); s != "AssetKind(200)" {
		t.Errorf("out-of-range kind prints %q", s)
	}
}

// TestForcedReasons: margin calls, default liquidations, stop-losses and
// deleveraging may trade in every round; everything else only in the first.
func TestForcedReasons(t *testing.T) {
	forced := map[Reason]bool{MarginCall: true, DefaultLiquidation: true, StopLoss: true, Deleveraging: true}
	for r := Reason(0); r < NumReasons; r++ {
		if r.Forced() != forced[r] {
			t.Errorf("%s.Forced() = %v", r, r.Forced())
		}
	}
}
