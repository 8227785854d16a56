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

// capitalOfSum is a row of the summary's capital with the given amounts.
func capitalOfSum(kind string, start, end, loss, short float64) *sim.Capital {
	pct := math.NaN()
	if start > 0 {
		pct = 100 * loss / start
	}
	return &sim.Capital{Kind: kind, Start: sim.Num(start), End: sim.Num(end), Loss: sim.Num(loss), LossPct: sim.Num(pct), Shortfall: sim.Num(short)}
}

// TestCapitalShown: the printed summary gives the capital lost in all and
// by kind, largest loss first (a gain as gained, four kinds at most), and
// what fell beyond capital; report.md tabulates the kinds and each bank,
// broker and dealer, the largest loss first, with when each defaulted,
// at most 20 rows, and the column beyond capital only when something
// fell beyond it. Central banks are not in the total: their row comes
// last, marked, and the printed line tells their reserves apart. A
// summary without capital (written before it was reported) shows neither.
func TestCapitalShown(t *testing.T) {
	nan := sim.Num(math.NaN())
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	times := []time.Time{start, start.Add(24 * time.Hour), start.Add(48 * time.Hour)}
	base := func(cur string) *sim.Summary {
		return &sim.Summary{Scenario: "w", Tick: "1d", Ticks: 3, Start: start, Currency: cur,
			VIX: sim.VIXSummary{Start: nan, Peak: nan, PeakTick: -1, End: nan}, Correlation: sim.CorrSummary{BaselineMean: nan, PeakMean: nan, PeakTick: -1},
			Amplification: nan, CompressionIndex: nan, VulnerabilityAV: nan}
	}
	banks := base("EUR")
	banks.Capital = sim.CapitalSummary{Total: *capitalOfSum("", 1.223e12, -4.94e10, 1.07e12, 1.99e11),
		ByKind: map[string]*sim.Capital{"bank": capitalOfSum("", 1.223e12, -4.94e10, 1.07e12, 1.99e11)}, ByAgent: map[string]*sim.Capital{}}
	for i := range 22 {
		// Banks B00 to B21, each losing 1bn more than the one before;
		// B21 ends 2bn below zero.
		end := 10e9 - float64(i)*1e9
		banks.Capital.ByAgent[fmt.Sprintf("B%02d", i)] = capitalOfSum("bank", 20e9, end, 20e9-max(end, 0), max(-end, 0))
	}
	banks.Defaults = []sim.DefaultSummary{{Agent: "B21", Kind: "bank", Tick: 1}, {Agent: "B00", Kind: "bank", Tick: 2}}

	kinds := base("")
	kinds.Capital = sim.CapitalSummary{Total: *capitalOfSum("", 500e9, 470e9, 30e9, 0), ByKind: map[string]*sim.Capital{
		"hedge_fund":     capitalOfSum("", 100e9, 80e9, 20e9, 0),
		"cta":            capitalOfSum("", 100e9, 95e9, 5e9, 0),
		"vol_control":    capitalOfSum("", 100e9, 92e9, 8e9, 0),
		"insurer":        capitalOfSum("", 50e9, 49e9, 1e9, 0),
		"value_investor": capitalOfSum("", 100e9, 103e9, -3e9, 0),
		"central_bank":   capitalOfSum("", 0, 0, 0, 0),
		"dealer":         capitalOfSum("", 50e9, 51e9, -1e9, 0),
	}, NotInTotal: []string{"central_bank"}, ByAgent: map[string]*sim.Capital{"dealers": capitalOfSum("dealer", 50e9, 51e9, -1e9, 0)}}

	// mar2020 with the Fed's purchases as a rule: $1tn of reserves, which
	// gained $2.8bn, left out of the $1.48tn at risk; the funds closed out
	// end $0.0003 below zero, rounding, not a loss beyond capital.
	fed := base("")
	fed.Capital = sim.CapitalSummary{Total: *capitalOfSum("", 1.475e12, 1.291e12, 184e9, 3e-4), NotInTotal: []string{"central_bank"}, ByKind: map[string]*sim.Capital{
		"hedge_fund":   capitalOfSum("", 225e9, 102.6e9, 122.4e9, 3e-4),
		"prime_broker": capitalOfSum("", 1.25e12, 1.1884e12, 61.6e9, 0),
		"central_bank": capitalOfSum("", 1e12, 1.0028e12, -2.8e9, 0),
	}, ByAgent: map[string]*sim.Capital{}}

	for _, c := range []struct {
		name      string
		s         *sim.Summary
		line      string
		want, not []string
	}{
		{"banks", banks, "capital: bank lost €1.07tn of €1.22tn (87.5%); €199.0bn more beyond capital, on creditors\n",
			[]string{"## Capital\n", "they lost €1.07tn (87.5%). That is what their owners lost, at most their capital; a further €199.0bn",
				"| kind | start (EUR) | end | lost | lost % | beyond capital |\n|---|--:|--:|--:|--:|--:|\n| bank | 1.22tn | -49.40bn | 1.07tn | 87.5% | 199.00bn |\n",
				"| agent | kind | start (EUR) | end | lost | lost % | beyond capital | defaulted |\n|---|---|--:|--:|--:|--:|--:|---|\n" +
					"| B21 | bank | 20.00bn | -11.00bn | 20.00bn | 100.0% | 11.00bn | 2 Jan 00:00 |\n| B20 | bank |",
				"| B02 | bank | 20.00bn | 8.00bn | 12.00bn | 60.0% | 0 |  |\n| and 2 more (`summary.json` has them) | | | | | | | |\n"},
			[]string{"| B01 | bank | 20.00bn", "| B00 | bank | 20.00bn"}},
		{"kinds", kinds, "capital lost $30.0bn of $500.0bn (6.0%): hedge_fund $20.0bn (20.0%), vol_control $8.0bn (8.0%), cta $5.0bn (5.0%), insurer $1.0bn (2.0%), ...\n",
			[]string{"they lost $30.0bn (6.0%). `lost %`", "| kind | start (USD) | end | lost | lost % |\n|---|--:|--:|--:|--:|\n| hedge_fund | 100.00bn |",
				"| dealer | 50.00bn | 51.00bn | -1.00bn | -2.0% |\n| value_investor | 100.00bn | 103.00bn | -3.00bn | -3.0% |\n| central_bank (not in the total) | 0 | 0 | 0 | n/a |\n",
				"| agent | kind | start (USD) | end | lost | lost % | defaulted |\n|---|---|--:|--:|--:|--:|---|\n| dealers | dealer | 50.00bn | 51.00bn | -1.00bn | -2.0% |  |\n"},
			[]string{"beyond capital", "owners lost", "Leaving out"}},
		// A central bank's reserves are neither in the total nor among
		// the kinds that lost most; they are told apart.
		{"reserves", fed, "capital lost $184.0bn of $1.48tn (12.5%): hedge_fund $122.4bn (54.4%), prime_broker $61.6bn (4.9%); not in the total: central_bank gained $2.8bn of $1.00tn (0.3%)\n",
			[]string{"Leaving out central_bank (a central bank's reserves are not capital at risk: its row comes last in the table, marked `not in the total`), the agents' equity was $1.48tn at the start and $1.29tn at the end: they lost $184.0bn (12.5%).",
				"| prime_broker | 1.25tn | 1.19tn | 61.60bn | 4.9% |\n| central_bank (not in the total) | 1.00tn | 1.00tn | -2.80bn | -0.3% |\n"},
			[]string{"beyond capital", "a further"}},
		{"none", base(""), "", nil, []string{"## Capital", "capital"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkSection(t, &RunReport{Summary: c.s, Times: times}, "capital", c.line, c.want, c.not)
		})
	}
}

// checkSection checks one section of a run's outputs: the printed
// summary's lines that begin with prefix are line, and report.md holds
// every string of want and none of not. It returns report.md.
func checkSection(t *testing.T, rr *RunReport, prefix, line string, want, not []string) string {
	t.Helper()
	var b bytes.Buffer
	PrintSummary(&b, rr.Summary)
	got := ""
	for _, l := range strings.SplitAfter(b.String(), "\n") {
		if strings.HasPrefix(l, prefix) {
			got += l
		}
	}
	if got != line {
		t.Errorf("printed summary's %s line\n%q\nwant\n%q", prefix, got, line)
	}
	var r bytes.Buffer
	if err := WriteRunReport(&r, rr); err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		if !strings.Contains(r.String(), w) {
			t.Errorf("report.md has no\n%s\nin\n%s", w, r.String())
		}
	}
	for _, n := range not {
		if strings.Contains(r.String(), n) {
			t.Errorf("report.md has %q", n)
		}
	}
	return r.String()
}
