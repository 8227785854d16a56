package output

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/sim"
)

// TestBanksShown: report.md's Banks section, from summary.json's banks:
// every bank in the scenario's order (with its display name when it has
// one, as in the Capital table) with its ratios in percent, the lowest
// with when, its thresholds, its sales and its end state; the
// failed and those below min_ratio named; passive banks said not to fail
// in the model; past 60 banks, the 20 that fell lowest; no section in a
// world without banks.
func TestBanksShown(t *testing.T) {
	nan := sim.Num(math.NaN())
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	times := []time.Time{start, start.Add(24 * time.Hour), start.Add(48 * time.Hour)}
	base := func() *sim.Summary {
		return &sim.Summary{Scenario: "w", Tick: "1d", Ticks: 3, Start: start, Currency: "EUR",
			VIX: sim.VIXSummary{Start: nan, Peak: nan, PeakTick: -1, End: nan}, Correlation: sim.CorrSummary{BaselineMean: nan, PeakMean: nan, PeakTick: -1},
			Amplification: nan, CompressionIndex: nan, VulnerabilityAV: nan}
	}
	row := func(id string, start, low float64, lowTick int, end float64) sim.BankSummary {
		return sim.BankSummary{ID: id, Mode: "threshold", RatioStart: sim.Num(start), RatioMin: sim.Num(low), RatioMinTick: lowTick, RatioEnd: sim.Num(end),
			MinRatio: 0.03, BufferRatio: 0.04, TargetRatio: 0.05, DefaultTick: -1}
	}
	two := func(n int) *int { return &n }

	active := base()
	failed := row("DE21", 0.0341, 0.0287, 1, 0.0287)
	failed.BufferRatio, failed.Defaulted, failed.DefaultTick, failed.BelowMin, failed.Sold = 0.0341, true, 1, true, 26.49e9
	seller := row("AT01", 0.0655, 0.0368, 2, 0.0428)
	seller.Sold, seller.Name = 27.53e9, "Erste | Group"
	active.Banks = []sim.BankSummary{seller, failed, row("FI08", 0.0785, 0.0785, -1, 0.0785)}
	active.Capital = sim.CapitalSummary{Total: sim.Capital{Start: 30e9, End: 20e9, Loss: 10e9, LossPct: 33.3}, ByKind: map[string]*sim.Capital{"bank": {Start: 30e9, End: 20e9, Loss: 10e9, LossPct: 33.3}},
		ByAgent: map[string]*sim.Capital{"AT01": {Kind: "bank", Name: "Erste | Group", Start: 15e9, End: 10e9, Loss: 5e9, LossPct: 33.3}, "DE21": {Kind: "bank", Start: 15e9, End: 10e9, Loss: 5e9, LossPct: 33.3}}}
	active.BanksBelowMin = two(1)

	passive := base()
	passive.Banks = []sim.BankSummary{row("AT01", 0.0655, 0.0419, 1, 0.0420), row("BE04", 0.0608, 0.0296, 1, 0.0298)}
	for k := range passive.Banks {
		passive.Banks[k].Passive = true
	}
	passive.Banks[1].BelowMin = true
	passive.BanksBelowMin = two(1)

	many := base()
	for i := range 61 {
		// B00 falls lowest, B60 least.
		many.Banks = append(many.Banks, row(fmt.Sprintf("B%02d", i), 0.06, 0.02+float64(i)*1e-4, 1, 0.04))
	}
	many.BanksBelowMin = two(0)

	for _, c := range []struct {
		name      string
		s         *sim.Summary
		want, not []string
	}{
		{"active", active, []string{
			"## Banks\n",
			"Of 3 banks, 1 failed and 2 sold; 1 ends below its `min_ratio` (1 of them failed). Failed: DE21. Below `min_ratio` at the end: DE21.\n",
			"| bank | start | lowest | end | min / buffer / target (%) | sold (EUR) | end state |\n|---|--:|--:|--:|--:|--:|---|\n" +
				"| AT01 (Erste \\| Group) | 6.55% | 3.68% (3 Jan 00:00) | 4.28% | 3 / 4 / 5 | 27.53bn |  |\n" +
				"| DE21 | 3.41% | 2.87% (2 Jan 00:00) | 2.87% | 3 / 3.41 / 5 | 26.49bn | failed 2 Jan 00:00, below min |\n" +
				"| FI08 | 7.85% | 7.85% | 7.85% | 3 / 4 / 5 | 0 |  |\n\n",
			"| AT01 (Erste \\| Group) | bank | 15.00bn | 10.00bn | 5.00bn | 33.3% |  |\n| DE21 | bank |"},
			[]string{"channel is off"}},
		{"passive", passive, []string{
			"Of 2 banks, 0 failed and 0 sold; 1 ends below its `min_ratio`. Below `min_ratio` at the end: BE04. **The bank channel is off**: banks are passive, so they neither sell nor fail in the model",
			"| BE04 | 6.08% | 2.96% (2 Jan 00:00) | 2.98% | 3 / 4 / 5 | 0 | below min |\n"},
			[]string{"Failed:"}},
		{"61 banks", many, []string{"The 20 that fell lowest:", "| B00 | 6.00% | 2.00% (2 Jan 00:00) |", "| B19 |", "| and 41 more (`summary.json` has 61) | | | | | | |\n"},
			[]string{"| B20 |", "| B60 |"}},
		{"no banks", base(), nil, []string{"## Banks"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteRunReport(&b, &RunReport{Summary: c.s, Times: times}); err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("report.md lacks %q:\n%s", w, b.String())
				}
			}
			for _, w := range c.not {
				if strings.Contains(b.String(), w) {
					t.Errorf("report.md has %q:\n%s", w, b.String())
				}
			}
		})
	}
}
