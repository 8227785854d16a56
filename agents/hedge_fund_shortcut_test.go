package agents

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cascade-sim/cascade/core"
)

// Indices of the small world of these tests: USDJPY (an exchange rate, JPY
// per USD), a USD bond, its future, a USD and a JPY equity; currencies USD
// and JPY.
const (
	tUSDJPY, tBond, tFut, tSPX, tNKY = 0, 1, 2, 3, 4
	tJPY                             = 1
)

// boxWorld is a bare world with those five assets at round prices.
func boxWorld() *core.World {
	w := &core.World{
		Assets: []core.Asset{
			{ID: "USDJPY", Kind: core.FX, Base: core.USD, Currency: tJPY, ADV: 1e13},
			{ID: "UST", Kind: core.Bond, Currency: core.USD, ADV: 1e13},
			{ID: "TY", Kind: core.Future, Currency: core.USD, ADV: 1e13},
			{ID: "SPX", Kind: core.Equity, Currency: core.USD, ADV: 1e13},
			{ID: "NKY", Kind: core.Equity, Currency: tJPY, ADV: 1e13},
		},
		Price:  []float64{150, 100, 110, 5400, 38000},
		NCur:   2,
		PerDay: 24,
	}
	w.FXPair[core.USD], w.FXPair[tJPY] = -1, tUSDJPY
	w.FXUSD[core.USD], w.FXUSD[tJPY] = 1, 1.0/150
	return w
}

// boxTrades are trades of every shape PnL knows, each with its legs and
// entry marks set from random numbers: carry into cash and into a bond,
// basis, equity funded in its own currency (USD and JPY) and across
// currencies (either way).
func boxTrades(r *rand.Rand) []*Trade {
	mark := func() float64 { return math.Exp(r.NormFloat64()) }
	size := func() float64 { return math.Exp(8*r.Float64()) * (1 + r.Float64()) }
	t := []*Trade{
		{Kind: core.CarryTrade, asset: -1, fut: -1, pair: tUSDJPY, fundCur: tJPY},
		{Kind: core.CarryTrade, asset: tBond, fut: -1, pair: tUSDJPY, fundCur: tJPY},
		{Kind: core.BasisTrade, asset: tBond, fut: tFut, pair: -1, fundCur: -1},
		{Kind: core.EquityTrade, asset: tSPX, fut: -1, pair: -1, fundCur: core.USD},
		{Kind: core.EquityTrade, asset: tNKY, fut: -1, pair: -1, fundCur: tJPY},
		{Kind: core.EquityTrade, asset: tNKY, fut: -1, pair: tUSDJPY, fundCur: core.USD},
		{Kind: core.EquityTrade, asset: tSPX, fut: -1, pair: tUSDJPY, fundCur: tJPY},
	}
	for _, x := range t {
		x.Active, x.stopLoss, x.entryNAV = true, 0.05, size()
		x.Units, x.FutUnit, x.Loan = size(), -size(), size()
		if r.IntN(4) == 0 { // short the main leg, or lend instead of borrowing
			x.Units, x.Loan = -x.Units, -x.Loan
		}
		x.pAsset, x.pFut, x.fxFund = 100*mark(), 100*mark(), mark()/100
	}
	return t
}

// TestStopBoxRigorous: wherever its box is set, a trade's stop-loss does
// not trigger anywhere inside it: at the corner, a rounding step inside
// the bounds, at random points and far on the favourable side, for every
// shape of trade, with the distance to the stop from large down to a few
// rounding steps of the P&L. The box is set whenever the distance is not
// lost in rounding.
func TestStopBoxRigorous(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	set, wide := 0, 0
	for trial := 0; trial < 20000; trial++ {
		for _, tr := range boxTrades(r) {
			a, fu, x := 100*math.Exp(r.NormFloat64()), 100*math.Exp(r.NormFloat64()), math.Exp(r.NormFloat64())/100
			p := tr.pnlAt(a, fu, x)
			scale := math.Abs(tr.Units*a) + math.Abs(tr.FutUnit*fu) + math.Abs(tr.Loan*x) + math.Abs(p)
			rel := math.Pow(10, -16+16*r.Float64()) // distance to the stop over the scale
			th := p - rel*scale
			if !(th < p) {
				continue
			}
			tr.setBox(a, fu, x, p, th)
			if !tr.boxed {
				if rel > 1e-9 {
					t.Fatalf("%v trade: no box %g of its scale above the stop", tr.Kind, rel)
				}
				continue
			}
			set++
			if rel > 1e-9 {
				wide++
			}
			// Points inside the box, per input: the bound, one rounding
			// step inside it, the current price, random points between,
			// and far on the open side.
			pts := func(v, lo, hi float64) []float64 {
				var s []float64
				for _, b := range []float64{lo, hi} {
					if !math.IsInf(b, 0) {
						s = append(s, b, math.Nextafter(b, v))
					}
				}
				s = append(s, v)
				for k := 0; k < 3; k++ {
					switch {
					case !math.IsInf(lo, 0):
						s = append(s, lo+(v-lo)*2*r.Float64(), v*(1+100*r.Float64()))
					case !math.IsInf(hi, 0):
						s = append(s, hi-(hi-v)*2*r.Float64(), v*r.Float64())
					default:
						s = append(s, v*100*r.Float64())
					}
				}
				return s
			}
			for _, a1 := range pts(a, tr.loA, tr.hiA) {
				for _, f1 := range pts(fu, tr.loF, tr.hiF) {
					for _, x1 := range pts(x, tr.loX, tr.hiX) {
						if !(inside(a1, tr.loA, tr.hiA) && inside(f1, tr.loF, tr.hiF) && inside(x1, tr.loX, tr.hiX)) {
							continue
						}
						if q := tr.pnlAt(a1, f1, x1); q < th {
							t.Fatalf("%v trade: P&L %v below the stop %v at (%v, %v, %v) inside its box [%v, %v] [%v, %v] [%v, %v] set at (%v, %v, %v)",
								tr.Kind, q, th, a1, f1, x1, tr.loA, tr.hiA, tr.loF, tr.hiF, tr.loX, tr.hiX, a, fu, x)
						}
					}
				}
			}
		}
	}
	t.Logf("%d boxes set, %d of them more than 1e-9 of the scale above the stop", set, wide)
	if wide < 50000 {
		t.Errorf("only %d wide boxes set", wide)
	}
}

// TestStopBoxCleared: everything that changes a trade's legs, marks or
// entry equity clears its box: a partial unwind, folding interest into
// the loan, marking a new entry, and the dry run that prices a re-entry.
// A stop-loss that triggers leaves no box either, and stopFar answers
// only inside the box.
func TestStopBoxCleared(t *testing.T) {
	w := boxWorld()
	f := &HedgeFund{h: &core.Holder{}, cap: make([]float64, len(w.Assets)), cap0: make([]float64, len(w.Assets)), capTick: -1}
	for i := range f.cap0 {
		f.cap0[i] = w.Assets[i].ADV / w.TradingDay(i) // participation 1
	}
	tr := &Trade{Kind: core.CarryTrade, asset: -1, fut: -1, pair: tUSDJPY, fundCur: tJPY, Active: true, stopLoss: 0.05, entryNAV: 1e9, cutTo: math.NaN()}
	f.openDry(w, tr, 2e9)
	tr.markEntry(w)
	boxed := func(what string) {
		t.Helper()
		if !tr.stopHit(w) && !tr.boxed {
			t.Fatalf("%s: no box set", what)
		}
		if !tr.stopFar(w) {
			t.Fatalf("%s: the box does not hold the prices it was set at", what)
		}
	}
	for _, c := range []struct {
		what   string
		change func()
	}{
		{"partial unwind", func() { f.unwind(w, tr, 0.25, core.MarginCall) }},
		{"rebase", func() { tr.rebase(w) }},
		{"markEntry", func() { tr.markEntry(w) }},
		{"openDry", func() { f.openDry(w, tr, 1e9) }},
	} {
		boxed(c.what)
		c.change()
		if tr.boxed || tr.stopFar(w) {
			t.Errorf("%s leaves the box set", c.what)
		}
	}
	boxed("far")
	w.FXUSD[tJPY] *= 1.0001 // a small rise of the yen: still inside
	if !tr.stopFar(w) {
		t.Error("a 0.01% move leaves the box")
	}
	w.FXUSD[tJPY] *= 1.2 // the yen 20% up: the carry trade is past its 5% stop
	if tr.stopFar(w) || !tr.stopHit(w) {
		t.Fatal("a 20% rise of the funding currency did not trigger the stop")
	}
	if tr.boxed {
		t.Error("a triggered stop leaves its box set")
	}
}

// TestCarryGroupExact: a carry signal's group test finds every enrolled
// member quiet exactly when each member's own comparisons do (its
// stop-loss box against the prices, the signal against its exit
// threshold), and finds none quiet while the signal is not computed this
// tick; a verdict kept for the tick follows every later enrolment, change
// of box or threshold, and departure. Members are carry trades in cash and
// into a bond, with and without a stop-loss or an exit threshold, with
// boxes bounded on one side or both, among random prices and ratios
// (NaN included) on both sides of every bound.
func TestCarryGroupExact(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	w := boxWorld()
	x0, a0 := w.FXUSD[tJPY], w.NotionalUSD(tBond, 1)
	// bound draws a box side around v: unbounded, or a bound within 2%
	// of v on either side of it.
	bound := func(v, inf float64) float64 {
		if r.IntN(3) == 0 {
			return inf
		}
		return v * (1 + 0.02*(2*r.Float64()-1))
	}
	reset := func(m *Trade) {
		m.stopLoss, m.boxed = 0, true
		if r.IntN(3) > 0 {
			m.stopLoss = 0.05
		}
		m.loA, m.hiA = bound(a0, math.Inf(-1)), bound(a0, math.Inf(1))
		m.loX, m.hiX = bound(x0, math.Inf(-1)), bound(x0, math.Inf(1))
	}
	exitOf := func() float64 {
		if r.IntN(4) == 0 {
			return 0
		}
		return 0.1 + 0.3*r.Float64()
	}
	quiet, verdicts := 0, 0
	for trial := 0; trial < 20000; trial++ {
		asset := -1
		if r.IntN(2) == 0 {
			asset = tBond
		}
		s := newCarrySignal(asset, tJPY)
		exits := map[*Trade]float64{}
		for k := 1 + r.IntN(8); k > 0; k-- {
			m := &Trade{Kind: core.CarryTrade, Active: true, asset: asset, fut: -1, pair: tUSDJPY, fundCur: tJPY, signal: s}
			reset(m)
			s.members = append(s.members, m)
			if r.IntN(4) > 0 {
				exits[m] = exitOf()
				s.enroll(m, exits[m])
			}
		}
		w.Tick = trial
		if r.IntN(5) > 0 {
			s.tick = w.Tick
		}
		s.ratio = 0.1 + 0.3*r.Float64()
		if r.IntN(20) == 0 {
			s.ratio = math.NaN()
		}
		w.FXUSD[tJPY] = x0 * (1 + 0.02*(2*r.Float64()-1))
		w.Price[tBond] = 100 * (1 + 0.02*(2*r.Float64()-1))
		// want is every enrolled member's own comparisons, as the quiet
		// test makes them.
		want := func() bool {
			if s.tick != w.Tick {
				return false
			}
			for _, m := range s.members {
				if !m.enrolled {
					continue
				}
				if m.stopLoss > 0 && !((m.asset < 0 && m.fut < 0 || m.assetInBox(w) && m.futInBox(w)) && m.fxInBox(w)) {
					return false
				}
				if e := exits[m]; e > 0 && s.ratio < e {
					return false
				}
			}
			return true
		}
		for step := 0; step < 6; step++ {
			got := s.okTick == w.Tick || s.quiet(w)
			if exp := want(); got != exp {
				t.Fatalf("trial %d, step %d: the group finds its members quiet: %v, their own tests: %v", trial, step, got, exp)
			}
			verdicts++
			if got {
				quiet++
			}
			// Change one member: a new box or threshold (enrolled again),
			// a departure, or an enrolment.
			m := s.members[r.IntN(len(s.members))]
			switch r.IntN(3) {
			case 0:
				reset(m)
				fallthrough
			case 1:
				exits[m] = exitOf()
				s.enroll(m, exits[m])
			default:
				s.leave(m)
			}
		}
	}
	t.Logf("%d of %d verdicts quiet", quiet, verdicts)
	if quiet < verdicts/10 || quiet > verdicts*9/10 {
		t.Errorf("%d of %d verdicts quiet: the draws do not test both outcomes", quiet, verdicts)
	}
}
