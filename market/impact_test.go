package market

import (
	"math"
	"strings"
	"testing"
)

// TestPhi pins every impact form at hand-computed points.
func TestPhi(t *testing.T) {
	lin := Liquidity{Impact: Linear, Lambda: 1e-3}
	sq := Liquidity{Impact: SquareRoot, Y: 1, DailyVol: 0.01, ADV: 1e9}
	sqHalf := sq
	sqHalf.Exponent = 0.5
	sq08 := sq
	sq08.Exponent = 0.8
	ex := Liquidity{Impact: Exponential, Delta: 1e6, Floor: 0.2}
	for _, c := range []struct {
		name     string
		l        Liquidity
		x, g, vs float64
		want     float64
	}{
		// Linear: λ·x/g.
		{"linear", lin, 100, 1, 1, 0.1},
		{"linear sell", lin, -100, 1, 1, -0.1},
		{"linear half depth", lin, 100, 0.5, 1, 0.2},
		{"linear ignores vol", lin, 100, 1, 3, 0.1},
		// Square root: Y·σ·vs·√(x/(V·g)); 1% of ADV → 0.01·0.1.
		{"sqrt", sq, 1e7, 1, 1, 0.001},
		{"sqrt sell", sq, -1e7, 1, 1, -0.001},
		{"sqrt exponent 0.5 explicit", sqHalf, 1e7, 1, 1, 0.001},
		{"sqrt quarter depth", sq, 1e7, 0.25, 1, 0.002},    // √0.04
		{"sqrt double vol", sq, 1e7, 1, 2, 0.002},          // today's σ is twice calm
		{"sqrt four times the flow", sq, 4e7, 1, 1, 0.002}, // √4 = 2
		// Power 0.8: 0.01 · 0.01^0.8 = 0.01 · 10^−1.6 = 2.51188643150958e-4.
		{"power 0.8", sq08, 1e7, 1, 1, 2.51188643150958e-4},
		{"power 0.8 sell", sq08, -1e7, 1, 1, -2.51188643150958e-4},
		// 0.01 · (0.01/0.5)^0.8 = 0.01 · 0.02^0.8 = 4.3734482957731113e-4.
		{"power 0.8 half depth", sq08, 1e7, 0.5, 1, 4.3734482957731113e-4},
		// Exponential: (1−B)(1 − e^(−x/(δg))): 0.8·(1 − e^−1) = 0.8·0.6321205588285577.
		{"exponential", ex, 1e6, 1, 1, 0.5056964470628461},
		{"exponential sell", ex, -1e6, 1, 1, -0.5056964470628461},
		// Half depth: 0.8·(1 − e^−2) = 0.8·0.8646647167633873.
		{"exponential half depth", ex, 1e6, 0.5, 1, 0.6917317734107099},
		{"exponential saturates at 1 − B", ex, 1e9, 1, 1, 0.8},
		{"exponential ignores vol", ex, 1e6, 1, 4, 0.5056964470628461},
	} {
		if got := c.l.Phi(c.x, c.g, c.vs); math.Abs(got-c.want) > 1e-14*math.Max(1e-3, math.Abs(c.want)) {
			t.Errorf("%s: Phi(%v, %v, %v) = %.17g, want %.17g", c.name, c.x, c.g, c.vs, got, c.want)
		}
	}
}

// TestPhiShape: Φ(0) = 0, Φ is odd, increasing, and thinner markets (g < 1)
// move more; the square-root and exponential laws are concave in |x|.
func TestPhiShape(t *testing.T) {
	for _, l := range []Liquidity{
		{Impact: Linear, Lambda: 2e-4},
		{Impact: SquareRoot, Y: 0.8, DailyVol: 0.012, ADV: 5e8},
		{Impact: SquareRoot, Y: 0.8, DailyVol: 0.012, ADV: 5e8, Exponent: 0.8},
		{Impact: Exponential, Delta: 3e5},
		{Impact: Exponential, Delta: 3e5, Floor: 0.5},
	} {
		name := l.Impact.String()
		if l.Phi(0, 1, 1) != 0 || l.Phi(0, 0.2, 3) != 0 {
			t.Errorf("%s: Φ(0) != 0", name)
		}
		prev := 0.0
		for k := 1; k <= 50; k++ {
			x := float64(k) * 1e4
			p := l.Phi(x, 1, 1)
			if l.Phi(-x, 1, 1) != -p {
				t.Errorf("%s: Φ(−%v) = %v, not −Φ(%v) = %v", name, x, l.Phi(-x, 1, 1), x, -p)
			}
			if !(p > prev) {
				t.Errorf("%s: Φ not increasing at %v", name, x)
			}
			if thin := l.Phi(x, 0.5, 1); !(thin > p) {
				t.Errorf("%s: half depth moves %v, not more than full depth %v", name, thin, p)
			}
			if l.Impact != Linear && k > 1 {
				// Concave: Φ(x) − Φ(x − dx) shrinks.
				if d0, d1 := l.Phi(x-1e4, 1, 1)-l.Phi(x-2e4, 1, 1), p-l.Phi(x-1e4, 1, 1); !(d1 < d0) {
					t.Errorf("%s: not concave at %v", name, x)
				}
			}
			prev = p
		}
	}
}

// TestValidate: each out-of-range parameter is reported by name; good
// specifications pass.
func TestValidate(t *testing.T) {
	good := []Liquidity{
		{Impact: Linear, Lambda: 0},
		{Impact: Linear, Lambda: 1e-4, Permanent: 1, HalfLife: math.Inf(1), FlowHalfLife: 3},
		{Impact: SquareRoot, Y: 1, ADV: 1e9, DailyVol: 0.01, Exponent: 2},
		{Impact: Exponential, Delta: 1, Floor: 0.99},
	}
	for _, l := range good {
		if err := l.Validate(); err != nil {
			t.Errorf("%+v: %v", l, err)
		}
	}
	nan := math.NaN()
	for _, c := range []struct {
		l    Liquidity
		want string
	}{
		{Liquidity{Impact: Linear, Lambda: -1}, "lambda"},
		{Liquidity{Impact: Linear, Lambda: nan}, "lambda"},
		{Liquidity{Impact: Linear, Lambda: math.Inf(1)}, "lambda"},
		{Liquidity{Impact: SquareRoot, Y: -0.1, ADV: 1}, "y"},
		{Liquidity{Impact: SquareRoot, Y: 1, ADV: 0}, "adv"},
		{Liquidity{Impact: SquareRoot, Y: 1, ADV: 1, DailyVol: -0.01}, "daily_vol"},
		{Liquidity{Impact: SquareRoot, Y: 1, ADV: 1, Exponent: 2.5}, "exponent"},
		{Liquidity{Impact: SquareRoot, Y: 1, ADV: 1, Exponent: -0.5}, "exponent"},
		{Liquidity{Impact: Exponential, Delta: 0}, "delta"},
		{Liquidity{Impact: Exponential, Delta: 1, Floor: 1}, "floor"},
		{Liquidity{Impact: Exponential, Delta: 1, Floor: -0.1}, "floor"},
		{Liquidity{Impact: Linear, Permanent: 1.5}, "permanent"},
		{Liquidity{Impact: Linear, Permanent: -0.5}, "permanent"},
		{Liquidity{Impact: Linear, HalfLife: -1}, "half_life"},
		{Liquidity{Impact: Linear, HalfLife: nan}, "half_life"},
		{Liquidity{Impact: Linear, FlowHalfLife: -1}, "flow_half_life"},
		{Liquidity{Impact: 9}, "unknown"},
	} {
		err := c.l.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one about %s", c.l, err, c.want)
		}
	}
}

// TestParseNames: every impact kind, execution price and flow unit parses
// back from its name; unknown names are errors.
func TestParseNames(t *testing.T) {
	for _, n := range ImpactKindNames() {
		k, err := ParseImpactKind(n)
		if err != nil || k.String() != n {
			t.Errorf("ParseImpactKind(%q) = %v, %v", n, k, err)
		}
	}
	for _, n := range []string{"mid", "pre", "post"} {
		e, err := ParseExecution(n)
		if err != nil || e.String() != n {
			t.Errorf("ParseExecution(%q) = %v, %v", n, e, err)
		}
	}
	for _, n := range []string{"units", "value"} {
		f, err := ParseFlowUnit(n)
		if err != nil || f.String() != n {
			t.Errorf("ParseFlowUnit(%q) = %v, %v", n, f, err)
		}
	}
	if e, _ := ParseExecution("mid"); e != ExecMid {
		t.Error("mid is not the zero (default) execution")
	}
	if _, err := ParseImpactKind("square-root"); err == nil {
		t.Error("ParseImpactKind accepted an unknown name")
	}
	if _, err := ParseExecution("vwap"); err == nil {
		t.Error("ParseExecution accepted an unknown name")
	}
	if _, err := ParseFlowUnit("usd"); err == nil {
		t.Error("ParseFlowUnit accepted an unknown name")
	}
	if ImpactKind(7).String() != "ImpactKind(7)" || Execution(7).String() != "Execution(7)" || FlowUnit(7).String() != "FlowUnit(7)" {
		t.Error("out-of-range names")
	}
}

// TestDecay: the per-tick retention halves over the half-life; 0 keeps
// nothing, +Inf everything.
func TestDecay(t *testing.T) {
	if decay(0) != 0 || decay(-1) != 0 || decay(math.Inf(1)) != 1 {
		t.Error("decay at 0, −1, +Inf")
	}
	for _, hl := range []float64{1, 2, 24, 36.5} {
		if got := math.Pow(decay(hl), hl); math.Abs(got-0.5) > 1e-14 {
			t.Errorf("decay(%v)^%v = %v, want 0.5", hl, hl, got)
		}
	}
}
