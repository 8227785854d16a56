package sim

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
)

// unwindModel builds the accounting tests' world: every agent kind, Student-t
// noise and a carry unwind, with a central bank buying equities on a
// drawdown and a scripted Treasury purchase besides; callsAtRuns sets every
// prime broker's calls_at_runs.
func unwindModel(t *testing.T, callsAtRuns bool) (*Config, *Model) {
	t.Helper()
	cfg := testWorld(12)
	cfg.Agents = append(cfg.Agents, AgentSpec{Kind: "central_bank", CentralBank: &agents.CentralBankSpec{ID: "boj-etf", Rule: "asset_purchase", Asset: "NKY", Drawdown: 0.03, Amount: 1e9, CooldownDays: 1}})
	cfg.Events = append(unwindEvents(), EventSpec{Tick: 125, Kind: "asset_purchase", Asset: "UST10Y", Amount: 5e9})
	cfg.Noise = NoiseSpec{Distribution: "student_t", DF: 4}
	for k := range cfg.Brokers {
		cfg.Brokers[k].CallsAtRuns = callsAtRuns
	}
	m, err := Build(cfg, core.RunSeed(cfg.Seed, 0))
	if err != nil {
		t.Fatal(err)
	}
	return cfg, m
}

// TestAccounting runs a world holding every agent kind, with noise, through
// a carry unwind, and checks at every tick and every clearing round that
// units of every asset and money in every currency are conserved over all
// holders, claims net to zero, and every holder's ledger equity equals its
// assets minus liabilities, to 1e-9 relative; with the brokers following
// every account's margin each round, and calling only at their margin runs.
// The second run must be another path, not the first again: its brokers
// carry the switch, and they issue fewer calls.
func TestAccounting(t *testing.T) {
	calls := map[bool]int{}
	for _, car := range []bool{false, true} {
		t.Run(fmt.Sprintf("calls_at_runs=%v", car), func(t *testing.T) { calls[car] = testAccounting(t, car) })
	}
	if !(calls[true] < calls[false]) {
		t.Errorf("margin calls %d calling at runs, %d following every round: want fewer at runs", calls[true], calls[false])
	}
}

// testAccounting is TestAccounting's run; it returns the margin calls issued.
func testAccounting(t *testing.T, callsAtRuns bool) int {
	cfg, m := unwindModel(t, callsAtRuns)
	if len(m.Brokers) == 0 {
		t.Fatal("test world has no prime broker")
	}
	for _, b := range m.Brokers {
		if b.Spec.CallsAtRuns != callsAtRuns {
			t.Fatalf("broker %s built with calls_at_runs %v, want %v", b.Spec.ID, b.Spec.CallsAtRuns, callsAtRuns)
		}
	}
	kinds := map[core.AgentKind]int{}
	for _, h := range m.W.Holders {
		kinds[h.Kind]++
	}
	for k := core.AgentKind(0); k < core.NumAgentKinds; k++ {
		if kinds[k] == 0 {
			t.Errorf("test world has no %s", k)
		}
	}
	a := NewAudit(m, 1e-9)
	c := NewCollector()
	rounds := 0
	bought := 0.0 // by the outside sector, for the scripted purchase
	count := &probe{fn: func(_ *Model, f *Frame) {
		rounds += f.Rounds
		bought += f.Bought[core.Outside][core.Intervention]
	}}
	if err := m.Run(context.Background(), c, count); err != nil {
		t.Fatal(err)
	}
	s := c.S
	t.Logf("%d audits; margin calls %d; defaults %d; sales %.3g USD; unwound %v; NKY %.0f->%.0f min %.0f; USDJPY min %.2f",
		a.Checks, s.MarginCalls.Count, len(s.Defaults), s.ForcedSales.Total, s.UnwoundPct, s.Assets["NKY"].Start, s.Assets["NKY"].End, s.Assets["NKY"].Min, s.Assets["USDJPY"].Min)
	if want := 2*cfg.Ticks + rounds; a.Checks != want {
		t.Errorf("%d audits for %d ticks and %d clearing rounds, want %d", a.Checks, cfg.Ticks, rounds, want)
	}
	// The run must exercise the paths the identities are about.
	if s.MarginCalls.Count == 0 {
		t.Error("no margin calls: the accounting test does not exercise margining")
	}
	if s.ForcedSales.ByReason["margin_call"] == 0 {
		t.Error("no margin-call sales")
	}
	if len(s.Defaults) == 0 || s.ForcedSales.ByReason["default_liquidation"] == 0 {
		t.Error("no default with liquidation of seized collateral")
	}
	nky, _ := m.env.Asset("NKY")
	for _, h := range m.W.Holders {
		if h.ID == "boj-etf" && !(h.Units(nky) > 0) {
			t.Errorf("the asset_purchase rule bought no NKY (NKY's low %.0f from %.0f)", s.Assets["NKY"].Min, s.Assets["NKY"].Start)
		}
	}
	if !(bought > 4.9e9 && bought < 5.1e9) {
		t.Errorf("the scripted asset_purchase of $5bn of UST10Y bought $%.4g", bought)
	}
	// forced_sales_usd.forced is the forced reasons' part of the total.
	forced := s.ForcedSales.ByReason["margin_call"] + s.ForcedSales.ByReason["default_liquidation"] +
		s.ForcedSales.ByReason["stop_loss"] + s.ForcedSales.ByReason["deleveraging"]
	if d := math.Abs(float64(s.ForcedSales.Forced - forced)); d > 1e-9*float64(forced) || !(s.ForcedSales.Forced < s.ForcedSales.Total) {
		t.Errorf("forced sales %v, want the forced reasons' %v (of a total %v)", s.ForcedSales.Forced, forced, s.ForcedSales.Total)
	}
	return s.MarginCalls.Count
}

// TestAuditLeavesRunUnchanged: the audit settles every holder to read the
// books and then restores the world, so the accounting test checks the very
// path an unaudited run follows. A carry unwind with defaults, run with the
// audit after every round and without it, records the same series bit for
// bit, and ends with every holder's ledger the same.
func TestAuditLeavesRunUnchanged(t *testing.T) {
	run := func(audit bool) (uint64, []float64) {
		cfg, m := unwindModel(t, false)
		var a *Audit
		if audit {
			a = NewAudit(m, 1e-9)
		}
		h := &hasher{}
		if err := m.Run(context.Background(), h); err != nil {
			t.Fatal(err)
		}
		if audit && a.Checks < 2*cfg.Ticks {
			t.Fatalf("%d audits in %d ticks", a.Checks, cfg.Ticks)
		}
		books := make([]float64, len(m.W.Holders))
		for i, x := range m.W.Holders {
			books[i] = x.Book
		}
		return h.h, books
	}
	plain, plainBooks := run(false)
	audited, auditedBooks := run(true)
	if plain != audited {
		t.Errorf("the audit changed the recorded series: %x without, %x with", plain, audited)
	}
	for i := range plainBooks {
		if plainBooks[i] != auditedBooks[i] {
			t.Errorf("holder %d ends with ledger equity %.17g without the audit, %.17g with it", i, plainBooks[i], auditedBooks[i])
		}
	}
}

// TestAuditRefusesNonFinite: a NaN or an infinity in the books breaks the
// identities, though it passes every comparison with a tolerance: the audit
// reports each, and passes the books as they were.
func TestAuditRefusesNonFinite(t *testing.T) {
	for _, c := range []struct {
		name  string
		spoil func(h *core.Holder)
		want  string
	}{
		{"cash NaN", func(h *core.Holder) { h.Cash[core.USD] = math.NaN() }, "USD cash not conserved: NaN"},
		{"cash +Inf", func(h *core.Holder) { h.Cash[core.USD] = math.Inf(1) }, "USD cash not conserved: +Inf"},
		{"equity NaN", func(h *core.Holder) { h.Book = math.NaN() }, "equity from ledger NaN"},
	} {
		cfg := testWorld(4)
		m, err := Build(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		a := NewAudit(m, 1e-9)
		if err := a.Check(m.W); err != nil {
			t.Fatalf("%s: the books before: %v", c.name, err)
		}
		c.spoil(m.W.Holders[len(m.W.Holders)-1])
		if err := a.Check(m.W); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: audit says %v, want %q", c.name, err, c.want)
		}
	}
}
