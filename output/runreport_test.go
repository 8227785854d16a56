package output

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/sim"
)

// TestRunReportSections: report.md leaves out what the world cannot have
// (a headline, brokers' calls, a score), lists at most 20 defaults, dates
// every tick it names (the start price's −1 as the start, a tick beyond the
// time series by number), keeps a
// label's | from breaking its table, and shows only the plots written.
func TestRunReportSections(t *testing.T) {
	nan := sim.Num(math.NaN())
	start := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)
	times := []time.Time{start, start.Add(time.Hour), start.Add(2 * time.Hour)}
	base := func() *sim.Summary {
		return &sim.Summary{Scenario: "w", Seed: 3, Start: start, Tick: "1h0m0s", Ticks: 3,
			Agents: map[string]int{"bank": 2}, Assets: map[string]*sim.AssetSummary{"B": {Start: 100, End: 90, Min: 90, Max: 100, MaxDrawdownPct: 10}},
			VIX: sim.VIXSummary{Start: nan, Peak: nan, PeakTick: -1, End: nan}, Correlation: sim.CorrSummary{BaselineMean: nan, PeakMean: nan, PeakTick: -1},
			Amplification: nan, CompressionIndex: nan, VulnerabilityAV: nan}
	}
	many := base()
	for i := range 25 {
		tick := min(i, 4)
		if i >= 22 {
			tick = 5
		}
		many.Defaults = append(many.Defaults, sim.DefaultSummary{Agent: fmt.Sprintf("bank-%02d", i), Kind: "bank", Tick: tick})
	}
	headline := base()
	headline.Headline, headline.HeadlineMove, headline.PassiveMove, headline.Amplification = "B", 10, 4, 2.5
	headline.Attribution = map[string]*sim.Attribution{"B": {PeakTick: -1, TroughTick: 2, MovePct: -10, Exogenous: 40, Links: 0, Other: 5,
		ByKind: map[string]sim.Num{"bank": 55}, ByReason: map[string]sim.Num{"deleveraging": 55}}}
	// Ids that are legal in a scenario but are Markdown: each must stay
	// one cell, and read as written.
	marked := base()
	marked.Scenario = "boj *hawkish*"
	marked.Assets = map[string]*sim.AssetSummary{"N|KY": {Start: 100, End: 90, Min: 90, Max: 100, MaxDrawdownPct: 10}}
	marked.Headline, marked.HeadlineMove, marked.PassiveMove, marked.Amplification = "N|KY", 10, 4, 2.5
	marked.Attribution = map[string]*sim.Attribution{"N|KY": {PeakTick: -1, TroughTick: 2, MovePct: -10}}
	marked.Defaults = []sim.DefaultSummary{{Agent: "hf_`x`|1", Kind: "hedge_fund", Tick: 1}}
	marked.Correlation = sim.CorrSummary{Assets: []string{"N|KY", "<b>"}, WindowTicks: 2, BaselineMean: 0.1, PeakMean: 0.2, PeakTick: -1}
	// Sales and purchases by kind and asset: kinds by what they traded,
	// assets within by the same, net sales negative for a net buyer.
	flows := base()
	flows.ForcedSales.ByKindAsset = map[string]map[string]sim.Num{"cta": {"NKY": 21.86e9, "SPX": 3e9}, "bank": {"B": 1e9}}
	flows.Bought.ByKindAsset = map[string]map[string]sim.Num{"cta": {"NKY": 2.06e9, "UST": 60e9}}
	// More pairs than the table shows: 45 of 1bn sold, 2bn bought.
	crowd := base()
	crowd.ForcedSales.ByKindAsset = map[string]map[string]sim.Num{"bank": {}}
	crowd.Bought.ByKindAsset = map[string]map[string]sim.Num{"bank": {}}
	for i := range 45 {
		id := fmt.Sprintf("A%02d", i)
		crowd.ForcedSales.ByKindAsset["bank"][id], crowd.Bought.ByKindAsset["bank"][id] = 1e9, 2e9
	}
	// Every asset of the correlation set that fell has its attribution,
	// the headline first; one that did not fall (D) has none.
	set := base()
	set.Assets["C"] = &sim.AssetSummary{Start: 100, End: 95, Min: 95, MaxDrawdownPct: 5}
	set.Headline, set.HeadlineMove, set.PassiveMove, set.Amplification = "B", 10, 4, 2.5
	set.Attribution = map[string]*sim.Attribution{
		"B": {PeakTick: -1, TroughTick: 2, MovePct: -10, Exogenous: 40, Other: 5, ByKind: map[string]sim.Num{"prime_broker": 55}, ByReason: map[string]sim.Num{"default_liquidation": 55}},
		"C": {PeakTick: 0, TroughTick: 1, MovePct: -5, Exogenous: 70, Links: 20, Other: 1, ByKind: map[string]sim.Num{"cta": 9}, ByReason: map[string]sim.Num{"cta_signal": 9}},
	}
	set.Correlation = sim.CorrSummary{Assets: []string{"C", "D", "B", "E", "F"}, WindowTicks: 2, BaselineMean: 0.1, PeakMean: 0.2, PeakTick: -1}
	// Rises: E rose 8% and fell 2%, so its rise is explained too, after
	// its fall; F only rose; C's rise (1%) is smaller than its fall and B's
	// (1%) too, so neither is.
	set.Assets["E"] = &sim.AssetSummary{Start: 18, End: 19, Min: 17.6, Max: 19.4, MaxDrawdownPct: 2, MaxRisePct: 8}
	set.Attribution["E"] = &sim.Attribution{PeakTick: -1, TroughTick: 0, MovePct: -2, Exogenous: 100}
	set.AttributionRise = map[string]*sim.Attribution{
		"B": {PeakTick: 1, TroughTick: 0, MovePct: 1, Exogenous: 100},
		"C": {PeakTick: 2, TroughTick: 1, MovePct: 1, Exogenous: 100},
		"E": {PeakTick: 2, TroughTick: 0, MovePct: 8, Exogenous: 30, Other: -2, ByKind: map[string]sim.Num{"hedge_fund": 72}, ByReason: map[string]sim.Num{"margin_call": 72}},
		"F": {PeakTick: 1, TroughTick: -1, MovePct: 3, Exogenous: 100},
	}
	for _, tc := range []struct {
		name      string
		r         RunReport
		want, not []string
	}{
		{"ids with markup", RunReport{Summary: marked, Times: times, Reproduce: "cascade run 'a`b.yaml' --seed 3",
			Meta: Meta{Events: []Mark{{Tick: 1, Time: times[1], Label: "BOJ\nhike _now_ [1](x) [0.06, 0.15] &amp; ~~no~~"}}}},
			[]string{"# boj \\*hawkish\\*\n", "| N\\|KY | 100.00 | 90.00 | 90.00 | 100.00 | 10.0% | 0.0% |", "**N\\|KY fell 10.0%**", "## Price impact behind N\\|KY's largest fall\n",
				"| hf_\\`x\\`\\|1 | hedge_fund | 1 Aug 01:00 |", "correlation of N\\|KY, \\<b> over 2 ticks",
				"| 1 Aug 01:00 | BOJ hike \\_now_ [1]\\(x) [0.06, 0.15] \\&amp; \\~\\~no\\~\\~ |", "Reproduce it with `` cascade run 'a`b.yaml' --seed 3 ``."},
			[]string{"| N|KY", "BOJ\nhike"}},
		{"bare", RunReport{Summary: base(), Times: times},
			[]string{"# w\n", "| B | 100.00 | 90.00 | 90.00 | 100.00 | 10.0% | 0.0% |", "Seed 3; 3 ticks of 1h0m0s from 2024-08-01 00:00 UTC.\n"},
			[]string{"## Headline", "margin calls for", "defaults", "## Against", "## Scripted", "![", "Reproduce", "## Volatility", "unwound", "## Population", "population.csv",
				"## Sales and purchases", "## Price impact"}},
		{"flows", RunReport{Summary: flows, Times: times},
			[]string{"## Sales and purchases by kind and asset\n\n", "in USD bn",
				"| kind | asset | sold | bought | net sold |\n|---|---|--:|--:|--:|\n" +
					"| cta | UST | 0.00 | 60.00 | -60.00 |\n| cta | NKY | 21.86 | 2.06 | 19.80 |\n| cta | SPX | 3.00 | 0.00 | 3.00 |\n" +
					"| bank | B | 1.00 | 0.00 | 1.00 |\n| all | | 25.86 | 62.06 | -36.20 |\n\n"},
			[]string{"more (`summary.json`"}},
		{"many flows", RunReport{Summary: crowd, Times: times},
			[]string{"| bank | A39 | 1.00 | 2.00 | -1.00 |\n| and 5 more (`summary.json` has them) | | 5.00 | 10.00 | -5.00 |\n| all | | 45.00 | 90.00 | -45.00 |\n"},
			[]string{"A40"}},
		{"correlation set", RunReport{Summary: set, Times: times, Plots: []string{"plots/attribution.png"}},
			[]string{"## Price impact behind B's largest fall\n\nAn accounting of its 10.0% fall from the start to 1 Aug 02:00",
				"| 5.0% |\n\nBy the reason the orders were placed: default_liquidation 55.0%.\n\nExogenous and links together (40.0%) are not 1/amplification (40.0%)", "## Price impact behind C's largest fall\n\nAn accounting of its 5.0% fall from 1 Aug 00:00 to 1 Aug 01:00: each source's share of the log move (positive: pushed it down), orders booked as above.\n\n",
				"It is not a counterfactual: for what the move would have been without a kind of agent or a channel, see `cascade compare --off KIND` and `cascade channels`. A prime broker's liquidation of a defaulted client's positions is booked to `prime_broker` (reason `default_liquidation`), whatever the client's kind.\n\n",
				"| valuation links from other markets | 20.0% |\n| impact of orders placed by cta | 9.0% |", "By the reason the orders were placed: cta_signal 9.0%.\n\n## Price impact behind E's largest fall",
				"## Price impact behind E's largest fall\n\nAn accounting of its 2.0% fall from the start to 1 Aug 00:00",
				"## Price impact behind E's largest rise\n\nAn accounting of its 8.0% rise from its trough at 1 Aug 00:00 to its peak at 1 Aug 02:00, larger than its largest fall: each source's share of the log move (positive: pushed it up), orders booked as above.\n\n" +
					"| source | share |\n|---|--:|\n| exogenous (noise and scripted shocks) | 30.0% |\n| valuation links from other markets | 0.0% |\n| impact of orders placed by hedge_fund | 72.0% |\n| other (decay of earlier impact, compounding) | -2.0% |\n\nBy the reason the orders were placed: margin_call 72.0%.\n\n## Price impact behind F's largest rise\n\nAn accounting of its 3.0% rise from its trough at the start to its peak at 1 Aug 01:00", "| 100.0% |\n| valuation links from other markets | 0.0% |\n| other (decay of earlier impact, compounding) | 0.0% |\n\n![Attribution](plots/attribution.png)"},
			[]string{"## Price impact behind D", "booked as above. A prime broker's", "## Price impact behind B's largest rise", "## Price impact behind C's largest rise", "## Price impact behind F's largest fall"}},
		{"population", RunReport{Summary: base(), Times: times, Population: []sim.Draw{
			{Agent: "hf-001", Entry: "hf", Field: "carry_exit", Value: 0.2, Applied: 0.2},
			{Agent: "hf-001", Entry: "hf", Field: "trades.1.leverage", Value: 4, Applied: 8},
			{Agent: "hf-002", Entry: "hf", Field: "carry_exit", Value: 0.3, Applied: 0.3},
			{Agent: "hf-002", Entry: "hf", Field: "trades.1.leverage", Value: 6, Applied: 12},
			{Agent: "hf-003", Entry: "hf", Field: "carry_exit", Value: 0.1, Applied: 0.1},
			{Agent: "hf-003", Entry: "hf", Field: "trades.1.leverage", Value: 5, Applied: 9},
			{Agent: "cta_x", Entry: "cta_x", Field: "max_leverage", Value: 3, Applied: 6}}},
			[]string{"## Population\n\n4 agents of 2 entries drew parameters (`population.csv` lists each draw).",
				"| entry | field | agents | min | median | max |\n|---|---|--:|--:|--:|--:|\n" +
					"| hf | carry_exit | 3 | 0.1000 | 0.2000 | 0.3000 |\n" +
					"| hf | trades.1.leverage | 3 | 8.0000 | 9.0000 | 12.00 |\n" +
					"| cta_x | max_leverage | 1 | 6.0000 | 6.0000 | 6.0000 |\n\n",
				"4 of the 7 values held differ from those drawn",
				"`timeseries.csv`/`.parquet`, `population.csv`/`.parquet`, `events.jsonl`"},
			nil},
		{"defaults", RunReport{Summary: many, Times: times},
			// The first 20 in the table, the rest by name under it, with when.
			[]string{"| bank-00 | bank | 1 Aug 00:00 |", "| bank-19 | bank | tick 4 |\n\nAnd 5 more, their kinds in `summary.json`'s `defaults`: bank-20, bank-21 (tick 4); bank-22, bank-23, bank-24 (tick 5).\n", "\n25 defaults.\n"},
			[]string{"| bank-20", "| and 5 more"}},
		{"headline", RunReport{Summary: headline, Times: times, Plots: []string{"plots/prices.png", "plots/other.png"}, Reproduce: "cascade run w --seed 3"},
			[]string{"**B fell 10.0%** peak to trough (the start to 1 Aug 02:00), against 4.0% with every agent passive: **amplification 2.50**.",
				"![Prices](plots/prices.png)", "| impact of orders placed by bank | 55.0% |", "| exogenous (noise and scripted shocks) | 40.0% |", "Reproduce it with `cascade run w --seed 3`."},
			[]string{"Compression index", "vulnerability", "![Attribution]", "other.png", "default_liquidation"}},
		{"score and events", RunReport{Summary: base(), Times: times,
			Score: []ScoreRow{{Name: "a | b", Observed: -1, Simulated: math.NaN(), Tolerance: "±1"}, {Name: "c", Observed: 2, Simulated: 2.5, Tolerance: "±1", Pass: true}},
			Meta:  Meta{Events: []Mark{{Tick: 1, Time: times[1], Label: "x | y"}}}},
			[]string{"1 of 2 observed quantities within tolerance", `| a \| b | -1 | n/a | ±1 | miss |`, "| c | 2 | 2.5 | ±1 | pass |", `| 1 Aug 01:00 | x \| y |`},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := WriteRunReport(&b, &tc.r); err != nil {
				t.Fatal(err)
			}
			got := b.String()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("has %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestTwinWindowText: report.md and the printed summary name the passive
// twin's window and give its fall over the run's window when the two
// windows differ; say "over the same window" (report.md) when they do
// not; and say nothing of the twin's window for a summary without it
// (written before it was reported, both ticks read as 0).
func TestTwinWindowText(t *testing.T) {
	nan := sim.Num(math.NaN())
	start := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)
	times := []time.Time{start, start.Add(time.Hour), start.Add(2 * time.Hour), start.Add(3 * time.Hour)}
	sum := func(from, to int, same, ampSame sim.Num) *sim.Summary {
		return &sim.Summary{Scenario: "w", Seed: 3, Start: start, Tick: "1h", Ticks: 4, Agents: map[string]int{"bank": 2},
			Assets: map[string]*sim.AssetSummary{"B": {Start: 100, End: 90, Min: 90, Max: 100, MaxDrawdownPct: 10}},
			VIX:    sim.VIXSummary{Start: nan, Peak: nan, PeakTick: -1, End: nan}, Correlation: sim.CorrSummary{BaselineMean: nan, PeakMean: nan, PeakTick: -1},
			Headline: "B", HeadlineMove: 10, PassiveMove: 4, Amplification: 2.5, CompressionIndex: nan, VulnerabilityAV: nan,
			PassivePeakTick: from, PassiveTroughTick: to, PassiveSameWindow: same, AmplificationSameWindow: ampSame,
			Attribution: map[string]*sim.Attribution{"B": {PeakTick: -1, TroughTick: 2, MovePct: -10, Exogenous: 40, Other: 5}}}
	}
	for _, c := range []struct {
		name                string
		s                   *sim.Summary
		report, printed     []string
		notReport, notPrint []string
	}{
		{"windows differ", sum(0, 3, 2.5, 4),
			[]string{"against 4.0% with every agent passive (its own largest fall, 1 Aug 00:00 to 1 Aug 03:00): **amplification 2.50**. Over the run's window the passive twin fell 2.5%, a ratio of 4.00.",
				"Exogenous and links together (40.0%) are not 1/amplification (40.0%)", "twin's own largest fall (over this window the twin fell 2.5%, 25.0% of this fall).\n"},
			[]string{"B fell 10.0% peak to trough (ticks start-2) against 4.0% with every agent passive (ticks 0-3): amplification 2.50; over the run's window the passive twin fell 2.5%, a ratio of 4.00"},
			nil, nil},
		{"twin rose over the run's window", sum(0, 3, -1.5, nan),
			[]string{"Over the run's window the passive twin rose 1.5%, so no ratio."},
			[]string{"(ticks 0-3): amplification 2.50; over the run's window the passive twin rose 1.5%, so no ratio"},
			nil, nil},
		{"same window", sum(-1, 2, 4, 2.5),
			[]string{"against 4.0% with every agent passive over the same window: **amplification 2.50**."},
			[]string{"(ticks start-2) against 4.0% with every agent passive (ticks start-2): amplification 2.50\n"},
			[]string{"Over the run's window"}, []string{"over the run's window"}},
		{"older summary", sum(0, 0, 0, 0),
			[]string{"against 4.0% with every agent passive: **amplification 2.50**."},
			[]string{"against 4.0% with every agent passive: amplification 2.50\n"},
			[]string{"Over the run's window", "(its own largest fall"}, []string{"over the run's window"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var r, p strings.Builder
			if err := WriteRunReport(&r, &RunReport{Summary: c.s, Times: times}); err != nil {
				t.Fatal(err)
			}
			PrintSummary(&p, c.s)
			for _, x := range []struct {
				what      string
				got       string
				want, not []string
			}{{"report.md", r.String(), c.report, c.notReport}, {"printed summary", p.String(), c.printed, c.notPrint}} {
				for _, w := range x.want {
					if !strings.Contains(x.got, w) {
						t.Errorf("%s: missing %q in:\n%s", x.what, w, x.got)
					}
				}
				for _, w := range x.not {
					if strings.Contains(x.got, w) {
						t.Errorf("%s: has %q:\n%s", x.what, w, x.got)
					}
				}
			}
		})
	}
}
