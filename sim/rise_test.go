package sim_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/core/dmath"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// riseWorld is mini with a peso and a peso bond that five hedge funds hold
// at 8 times their equity, funded in dollars. A 5% fall of the bond on the
// afternoon of 31 July calls their margin: selling the bond, they sell the
// pesos it paid and buy dollars, USDMXN, and their broker sells what the
// funds that default leave. USDMXN's largest move is that rise.
const riseWorld = `extends: mini
name: rise
assets+:
  - {id: USDMXN, kind: fx, base: USD, currency: MXN, price: 18.6, vol: 0.04, adv: 1.0e+10, impact: {function: sqrt, y: 1, permanent: 0.5, half_life_days: 1, flow_half_life_days: 0.5}}
  - {id: MBONO, kind: bond, currency: MXN, price: 100, yield: 0.10, duration: 6, vol: 0.08, adv: 5.0e+9, impact: {function: sqrt, y: 1, permanent: 0.5, half_life_days: 1, flow_half_life_days: 0.5}}
correlation:
  # USDJPY UST10Y  TY    SPX   NKY  USDMXN MBONO
  - [1,     -0.2, -0.2,  0.05, 0.2,  0.2,  0]
  - [-0.2,   1,    0.99, -0.2, 0,    0,    0.3]
  - [-0.2,   0.99, 1,    -0.2, 0,    0,    0.3]
  - [0.05,  -0.2, -0.2,  1,    0.25, -0.4, 0.2]
  - [0.2,    0,    0,    0.25, 1,    0,    0]
  - [0.2,    0,    0,   -0.4,  0,    1,   -0.4]
  - [0,      0.3,  0.3,  0.2,  0,   -0.4,  1]
rates:
  MXN: {policy: 0.1075, expected: 0.10}
agents+:
  - kind: hedge_fund
    id: em
    count: 5
    equity: 2.0e+9
    trades:
      - {kind: equity, broker: GS, leverage: 8, asset: MBONO, funding: USD, stop_loss: 0.1}
events+:
  - {at: 2024-07-31T14:00:00Z, kind: shock, label: peso bond sell-off, shocks: {MBONO: -0.05}}
report:
  correlation_assets: [USDJPY, SPX, NKY, USDMXN]
`

// tape keeps one asset's frames: its closes (the start price first), and
// each tick's exogenous return, impact and impact by kind and by reason,
// as the time series writes them ({ASSET}, _exo, _impact).
type tape struct {
	id               string
	i                int
	p, exo, imp      []float64
	byKind, byReason [][]float64 // [tick][kind], [tick][reason]
}

func (o *tape) Begin(m *sim.Model) error {
	o.i = slices.IndexFunc(m.W.Assets, func(a core.Asset) bool { return a.ID == o.id })
	o.p = []float64{m.W.Price[o.i]}
	return nil
}

func (o *tape) Observe(f *sim.Frame) error {
	nk, nr := int(core.NumAgentKinds), int(core.NumReasons)
	o.p = append(o.p, f.Price[o.i])
	o.exo = append(o.exo, f.Exo[o.i])
	o.imp = append(o.imp, f.Impact[o.i])
	o.byKind = append(o.byKind, slices.Clone(f.AttrKind[o.i*nk:o.i*nk+nk]))
	o.byReason = append(o.byReason, slices.Clone(f.AttrReason[o.i*nr:o.i*nr+nr]))
	return nil
}

func (o *tape) End(*sim.Model) error { return nil }

// largestRise finds, by trying every pair of closes, the largest rise of
// p from a close to a later one, as a fraction of the first, and its
// frame ticks (−1 for the start price): on ties the earliest peak, and
// for it the earliest trough.
func largestRise(p []float64) (rise float64, from, to int) {
	from, to = -1, -1
	for b := range p {
		for a := range b {
			if d := p[b]/p[a] - 1; d > rise {
				rise, from, to = d, a-1, b-1
			}
		}
	}
	return rise, from, to
}

// TestAttributionRise: USDMXN's largest rise in riseWorld, driven by the
// funds' forced buying, is attributed over its own window, trough to
// peak: its ticks are those of the largest rise of the closes, and each
// kind's and each reason's share is its impact summed over that window's
// ticks over the log move, the kinds' shares adding up to the impact
// column's sum and the exogenous and links shares to the exo column's.
// The rise is larger than the fall, so report.md explains it.
func TestAttributionRise(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "rise.yaml")
	if err := os.WriteFile(file, []byte(riseWorld), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &sc.File.Config
	tp := &tape{id: "USDMXN"}
	s, err := sim.RunSummary(context.Background(), cfg, cfg.Seed, false, tp)
	if err != nil {
		t.Fatal(err)
	}
	rise, from, to := largestRise(tp.p)
	a, as := s.AttributionRise["USDMXN"], s.Assets["USDMXN"]
	if a == nil {
		t.Fatal("no attribution of USDMXN's rise")
	}
	t.Logf("USDMXN rose %.4f%% from tick %d to %d (largest fall %.4f%%): %+v", as.MaxRisePct, a.TroughTick, a.PeakTick, as.MaxDrawdownPct, a)
	if a.TroughTick != from || a.PeakTick != to || math.Abs(float64(a.MovePct)-100*rise) > 1e-9 || math.Abs(float64(as.MaxRisePct)-100*rise) > 1e-9 {
		t.Fatalf("rise %v%% from tick %d to %d (asset's max_rise_pct %v), want %v%% from %d to %d", a.MovePct, a.TroughTick, a.PeakTick, as.MaxRisePct, 100*rise, from, to)
	}
	if !(as.MaxRisePct > as.MaxDrawdownPct) {
		t.Errorf("rise %v%% not larger than the fall %v%%", as.MaxRisePct, as.MaxDrawdownPct)
	}
	move := dmath.Log(tp.p[to+1] / tp.p[from+1])
	window := func(col func(k int) float64) float64 { // frames of ticks from+1 .. to
		x := 0.0
		for k := from + 1; k <= to; k++ {
			x += col(k)
		}
		return 100 * x / move
	}
	near := func(got sim.Num, want float64) bool {
		return math.Abs(float64(got)-want) < 1e-9*math.Max(1, math.Abs(want))
	}
	sumKinds := 0.0
	for k := range core.NumAgentKinds {
		want := window(func(j int) float64 { return tp.byKind[j][k] })
		if got := a.ByKind[k.String()]; !near(got, want) {
			t.Errorf("by_kind.%s %v, want %v", k, got, want)
		}
		sumKinds += float64(a.ByKind[k.String()])
	}
	for r := range core.NumReasons {
		want := window(func(j int) float64 { return tp.byReason[j][r] })
		if got := a.ByReason[r.String()]; !near(got, want) {
			t.Errorf("by_reason.%s %v, want %v", r, got, want)
		}
	}
	if imp := window(func(j int) float64 { return tp.imp[j] }); math.Abs(sumKinds-imp) > 1e-6 {
		t.Errorf("kinds' shares add up to %v, the impact column's sum over the window to %v", sumKinds, imp)
	}
	if exo := window(func(j int) float64 { return tp.exo[j] }); math.Abs(float64(a.Exogenous+a.Links)-exo) > 1e-6 {
		t.Errorf("exogenous + links %v, the exo column's sum over the window %v", a.Exogenous+a.Links, exo)
	}
	// The funds' margin calls and their broker's sales of the defaulted
	// funds' bonds carry most of the rise.
	for _, c := range []struct {
		m    map[string]sim.Num
		name string
		want float64
	}{{a.ByKind, "hedge_fund", 22.405}, {a.ByReason, "margin_call", 22.405},
		{a.ByKind, "prime_broker", 57.462}, {a.ByReason, "default_liquidation", 57.462}} {
		if got := float64(c.m[c.name]); math.Abs(got-c.want) > 0.01 {
			t.Errorf("%s's share of the rise %v%%, want %v%%", c.name, got, c.want)
		}
	}
}
