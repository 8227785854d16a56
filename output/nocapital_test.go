package output

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/sim"
)

// TestNoCapitalLeft: a utilization of +Inf (a dealer, a prime broker or
// the dealer sector with no capital left; inf in the time series, null in
// summary.json) reads "no capital left" in every line and table that
// shows one: the printed summary's funding line, report.md's funding,
// brokers' and dealers' tables. Before, they read "n/a%", "+Inf%" and "no
// capital left" for the same state.
func TestNoCapitalLeft(t *testing.T) {
	inf, nan := sim.Num(math.Inf(1)), sim.Num(math.NaN())
	start := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)
	times := []time.Time{start, start.Add(time.Hour), start.Add(2 * time.Hour)}
	s := &sim.Summary{Scenario: "w", Seed: 3, Start: start, Tick: "1h0m0s", Ticks: 3,
		Agents: map[string]int{"bank": 2}, Assets: map[string]*sim.AssetSummary{"B": {Start: 100, End: 90, Min: 90, MaxDrawdownPct: 10}},
		VIX: sim.VIXSummary{Start: nan, Peak: nan, PeakTick: -1, End: nan}, Correlation: sim.CorrSummary{BaselineMean: nan, PeakMean: nan, PeakTick: -1},
		Amplification: nan, CompressionIndex: nan, VulnerabilityAV: nan,
		Funding: &sim.FundingSummary{RepoSpread: sim.PeakSummary{Start: 10, Peak: 30, PeakTick: 1, End: 20}, XCCYBasis: sim.TroughSummary{Start: -10, Trough: -20, TroughTick: 1, End: -15},
			DealerUtil: sim.PeakSummary{Start: 0.5, Peak: inf, PeakTick: 2, End: inf}, FacilityCap: nan, FirstCappedTick: -1},
		Brokers: map[string]*sim.BrokerSummary{"GS": {UtilStart: 0.25, UtilPeak: inf, UtilPeakTick: 2, FirstStressedTick: -1, HaircutMultiplePeak: 1}},
		Dealers: map[string]*sim.DealerSummary{"D": {UtilStart: 0.125, UtilPeak: inf, UtilPeakTick: 2, DepthStart: 1, DepthMin: 0.2, DepthMinTick: 2}},
	}
	var b, brokers strings.Builder
	if err := WriteRunReport(&b, &RunReport{Summary: s, Times: times}); err != nil {
		t.Fatal(err)
	}
	// The brokers' table is in the section on margin, which this summary
	// has no call for.
	brokerTable(func(f string, a ...any) { fmt.Fprintf(&brokers, f, a...) }, s, func(k int) string { return times[k].Format("2 Jan 15:04") })
	for _, c := range []struct{ where, got, want string }{
		{"printed summary", fundingLine(s), "; dealer utilization 50.0%, peak no capital left (tick 2)"},
		{"report.md funding", b.String(), "| dealer sector's utilization | 50.0% | no capital left | 1 Aug 02:00 | no capital left |"},
		{"report.md brokers", brokers.String(), "| GS | 25.0% | no capital left (1 Aug 02:00) |"},
		{"report.md dealers", b.String(), "| D | 12.5% | no capital left (1 Aug 02:00) |"},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s lacks %q:\n%s", c.where, c.want, c.got)
		}
		if strings.Contains(c.got, "Inf") || strings.Contains(c.got, "n/a%") {
			t.Errorf("%s shows Inf or n/a%%:\n%s", c.where, c.got)
		}
	}
}

// TestNoCapitalPlots: a utilization panel whose series reach +Inf says in
// its title that a line ends where there is no capital left, and keeps
// the range of the finite values; one without says nothing.
func TestNoCapitalPlots(t *testing.T) {
	const note = " (a line ends where there is no capital left)"
	x := []float64{0, 1, 2}
	for _, c := range []struct {
		name string
		last float64
		note bool
	}{{"finite", 0.4, false}, {"no capital left", math.Inf(1), true}} {
		ts := &Table{}
		ts.Add(FloatCol(sim.BrokerColumn("GS", "util"), []float64{0.1, 0.3, c.last}))
		ts.Add(FloatCol(sim.BrokerColumn("GS", "stressed"), []float64{0, 0, 0}))
		ts.Add(FloatCol(sim.BrokerColumn("GS", "haircut_multiple"), []float64{1, 1, 1}))
		ts.Add(FloatCol(sim.BrokerColumn("GS", "equity"), []float64{10, 9, 8}))
		ts.Add(FloatCol("dealer_util", []float64{0.1, 0.3, c.last}))
		ts.Add(FloatCol("depth", []float64{1, 1, 0.5}))
		brokers := brokersFigure(ts, Meta{Scenario: "s", Brokers: []string{"GS"}}, x, nil)
		funding := fundingFigure(ts, Meta{Scenario: "s", Dealers: []string{"X"}}, nil, x, nil)
		if brokers == nil || funding == nil {
			t.Fatalf("%s: brokers figure %v, funding figure %v", c.name, brokers, funding)
		}
		for _, p := range []Panel{brokers.Panels[0], funding.Panels[0]} {
			if strings.HasSuffix(p.Title, note) != c.note {
				t.Errorf("%s: panel %q, want the note %v", c.name, p.Title, c.note)
			}
			lo, hi := p.yRange(false)
			if math.IsInf(lo, 0) || math.IsInf(hi, 0) || hi < 0.3 || (c.note && hi > 0.35) {
				t.Errorf("%s: %q's range [%v, %v]: want finite, to about the finite peak", c.name, p.Title, lo, hi)
			}
		}
	}
}

// TestNoCapitalCompare: cascade compare writes a side with no capital
// left as inf, and gives no percent change to it (it read +Inf%).
func TestNoCapitalCompare(t *testing.T) {
	var b strings.Builder
	PrintCompare(&b, "A", "B", []CompareRow{{Name: "dealer utilization peak %", A: 53.93, B: sim.Num(math.Inf(1))}, {Name: "x", A: 2, B: 3}})
	lines := strings.Split(b.String(), "\n")
	if got := strings.Fields(lines[1]); len(got) != 7 || got[4] != "53.93" || got[5] != "inf" || got[6] != "inf" {
		t.Errorf("row %q: want the name, 53.93, inf, B - A inf and no change", got)
	}
	if got := strings.Fields(lines[2]); got[len(got)-1] != "+50%" {
		t.Errorf("row %q: want a change of +50%%", got)
	}
}
