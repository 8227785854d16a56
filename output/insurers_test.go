package output_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/scentest"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestInsurerColumns: mini's insurer (lifer: $100bn of UST10Y hedged 44%,
// triggered below 146, hedging up to 70% at 5% a day while USDJPY falls
// after the BOJ's hike from 0.10% to 0.25% with guidance +50bp) and the
// policy rates, in every output they reach: the time series' policy_CUR_
// and insurer_ID_ columns, agent_detail's hedge_ratio, summary.json's
// insurers and report.md's Insurers section.
func TestInsurerColumns(t *testing.T) {
	m := scentest.Build(t, "mini")
	rec, col := output.NewRecorder(true), sim.NewCollector()
	if err := m.Run(context.Background(), col, rec); err != nil {
		t.Fatal(err)
	}
	ts := rec.Timeseries()
	get := func(name string) []float64 {
		t.Helper()
		c, ok := ts.Column(name)
		if !ok {
			t.Fatalf("timeseries has no column %s", name)
		}
		return c.F
	}
	last := ts.Rows() - 1

	// The policy rates and the expected ones, bp, at the start and after
	// the meeting.
	for _, c := range []struct {
		name        string
		start, end_ float64
	}{
		{"policy_USD_bp", 530, 530},
		{"policy_USD_expected_bp", 480, 480},
		{"policy_JPY_bp", 10, 25},
		{"policy_JPY_expected_bp", 30, 95}, // the hike carries the expectation up with it, and guidance adds 50bp
	} {
		v := get(c.name)
		if math.Abs(v[0]-c.start) > 1e-9 || math.Abs(v[last]-c.end_) > 1e-9 {
			t.Errorf("%s: %v at the start and %v at the end, want %v and %v", c.name, v[0], v[last], c.start, c.end_)
		}
	}

	ratio, hedge, cost := get("insurer_lifer_hedge_ratio"), get("insurer_lifer_hedge_usd"), get("insurer_lifer_hedge_cost_bp")
	pickup, trig := get("insurer_lifer_pickup_bp"), get("insurer_lifer_triggered")
	unhedged := get("insurer_lifer_pickup_unhedged_bp")
	usd, jpy, basis, ust, yield := get("policy_USD_bp"), get("policy_JPY_bp"), get("xccy_basis_bp"), get("UST10Y"), get("UST10Y_yield")
	if hedge[0] != 44e9 {
		t.Errorf("hedge notional at tick 0: %v, want 44e9 (44%% of $100bn)", hedge[0])
	}
	s := col.S.Insurers["lifer"]
	if s == nil {
		t.Fatalf("summary has no insurer lifer: %v", col.S.Insurers)
	}
	first, n := -1, 0
	for k := range ratio {
		// The hedge cost is the rate differential less the basis; the
		// pickup the foreign yield (percent in UST10Y_yield) less it and
		// the home policy rate (lifer has no home bond).
		if want := usd[k] - jpy[k] - basis[k]; math.Abs(cost[k]-want) > 1e-6 {
			t.Fatalf("tick %d: hedge cost %v bp, want %v (USD %v − JPY %v − basis %v)", k, cost[k], want, usd[k], jpy[k], basis[k])
		}
		if want := 100*yield[k] - cost[k] - jpy[k]; math.Abs(pickup[k]-want) > 1e-6 {
			t.Fatalf("tick %d: pickup %v bp, want %v", k, pickup[k], want)
		}
		if want := 100*yield[k] - jpy[k]; math.Abs(unhedged[k]-want) > 1e-6 {
			t.Fatalf("tick %d: unhedged pickup %v bp, want %v", k, unhedged[k], want)
		}
		if trig[k] == 1 {
			n++
			if first < 0 {
				first = k
			}
		} else if trig[k] != 0 {
			t.Fatalf("tick %d: triggered %v, want 0 or 1", k, trig[k])
		}
	}
	// $100bn bought at 100: 1e9 units, less the share sold by the end.
	for _, k := range []int{0, last} {
		units := 1e9
		if k == last {
			units *= 1 - float64(s.ForeignSoldPct)/100
		}
		if want := hedge[k] / (units * ust[k]); math.Abs(ratio[k]-want) > 1e-9 {
			t.Errorf("tick %d: hedge ratio %v, want hedge %v over the bonds' value: %v", k, ratio[k], hedge[k], want)
		}
	}
	if first != 40 || n != 23 {
		t.Errorf("triggered from tick %d for %d ticks, want from 40 (USDJPY below 146) for 23", first, n)
	}
	if !(hedge[last] > 47e9) || !(ratio[last] > 0.48 && ratio[last] <= 0.7) {
		t.Errorf("hedge at the end %v (ratio %v), want it raised past $47bn, 48%%, to at most max_hedge", hedge[last], ratio[last])
	}

	// summary.json reads the same values.
	if s.Foreign != "UST10Y" || s.Pair != "USDJPY" || float64(s.HedgeRatio.Start) != ratio[0] || float64(s.HedgeRatio.End) != ratio[last] ||
		float64(s.HedgeUSD.End) != hedge[last] || float64(s.HedgeCost.Start) != cost[0] || float64(s.HedgeCost.Peak) != 550 ||
		s.FirstTriggeredTick != first || s.TriggeredTicks != n || !(s.ForeignSoldPct > 1.5 && s.ForeignSoldPct < 2.5) {
		t.Errorf("summary %+v, want the columns' values (ratio %v to %v, hedge cost %v, peak 550, triggered from %d for %d) and about 2%% sold",
			*s, ratio[0], ratio[last], cost[0], first, n)
	}

	// agent_detail: the insurer's hedge ratio, NaN for every other agent.
	d := rec.Detail()
	agent, _ := d.Column("agent")
	hr, ok := d.Column("hedge_ratio")
	if !ok {
		t.Fatal("agent_detail has no hedge_ratio")
	}
	seen := 0
	for i, id := range agent.S {
		switch {
		case id == "lifer":
			if hr.F[i] != ratio[seen] {
				t.Fatalf("agent_detail row %d: lifer's hedge ratio %v, the time series' %v", i, hr.F[i], ratio[seen])
			}
			seen++
		case !math.IsNaN(hr.F[i]):
			t.Fatalf("agent_detail row %d: %s (not an insurer) has hedge ratio %v, want NaN", i, id, hr.F[i])
		}
	}
	if seen != ts.Rows() {
		t.Errorf("agent_detail has %d rows of lifer, want one a tick (%d)", seen, ts.Rows())
	}

	// report.md's section.
	var b bytes.Buffer
	if err := output.WriteRunReport(&b, &output.RunReport{Summary: col.S, Times: ts.Columns[1].T}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Insurers", "Insurers sold $1.9bn of UST10Y and $5.8bn of USDJPY", "$2.9bn of their sales were repatriation", "$4.7bn raised the hedge",
		"| lifer | 44.0% | 49.0% | 49.0% | 550 | 550 | from 31 Jul 16:00 | 1.9% |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report.md lacks %q:\n%s", want, b.String())
		}
	}
}

// TestInsurersLeftOut: a world without insurers has no insurer columns,
// no insurers in summary.json and no Insurers section.
func TestInsurersLeftOut(t *testing.T) {
	sc, err := scenarios.Load("mini", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &sc.File.Config
	kept := cfg.Agents[:0]
	for _, a := range cfg.Agents {
		if a.Insurer == nil {
			kept = append(kept, a)
		}
	}
	if len(kept) != len(cfg.Agents)-1 {
		t.Fatalf("mini has %d insurers, want 1", len(cfg.Agents)-len(kept))
	}
	cfg.Agents = kept
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		t.Fatal(err)
	}
	rec, col := output.NewRecorder(false), sim.NewCollector()
	if err := m.Run(context.Background(), col, rec); err != nil {
		t.Fatal(err)
	}
	for _, c := range rec.Timeseries().Columns {
		if strings.HasPrefix(c.Name, "insurer_lifer") {
			t.Errorf("column %s in a world without insurers", c.Name)
		}
	}
	if col.S.Insurers != nil {
		t.Errorf("summary insurers %v, want none", col.S.Insurers)
	}
	if _, ok := rec.Timeseries().Column("policy_JPY_bp"); !ok {
		t.Error("no policy_JPY_bp: the policy rates are in every time series")
	}
	var b bytes.Buffer
	if err := output.WriteRunReport(&b, &output.RunReport{Summary: col.S}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "## Insurers") {
		t.Error("report.md has an Insurers section without insurers")
	}
}
