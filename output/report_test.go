package output

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/sim"
)

// TestPrintSummaryPeaks: the VIX and correlation lines of the printed
// summary show a peak's value and tick, and "n/a" with no tick when the
// summary has none (a correlation window longer than the run) rather than
// "NaN (tick 71)" or "at tick -1". A world with no VIX proxy (NaN values,
// peak_tick -1) has no VIX line.
func TestPrintSummaryPeaks(t *testing.T) {
	nan := sim.Num(math.NaN())
	for _, c := range []struct {
		name     string
		vix      sim.VIXSummary
		corr     sim.CorrSummary
		vixLine  string
		corrLine string
	}{
		{"peaks",
			sim.VIXSummary{Start: 16.04, Peak: 42.46, PeakTick: 30, End: 20.1},
			sim.CorrSummary{Assets: []string{"USDJPY", "SPX"}, WindowTicks: 24, BaselineMean: 0.123, PeakMean: 0.678, PeakTick: 45},
			"VIX proxy 16.0, peak 42.5 (tick 30), end 20.1",
			"mean rolling correlation of USDJPY, SPX (24 ticks): baseline 0.12, peak 0.68 at tick 45"},
		{"no peaks",
			sim.VIXSummary{Start: nan, Peak: nan, PeakTick: -1, End: nan},
			sim.CorrSummary{Assets: []string{"USDJPY", "UST10Y"}, WindowTicks: 100, BaselineMean: nan, PeakMean: nan, PeakTick: -1},
			"",
			"mean rolling correlation of USDJPY, UST10Y (100 ticks): baseline n/a, peak n/a"},
		// A shock in the first hours of a run without a warm-up: the
		// window fills after it, and the line says how to get a baseline.
		{"no baseline",
			sim.VIXSummary{Start: 16.04, Peak: 42.46, PeakTick: 30, End: 20.1},
			sim.CorrSummary{Assets: []string{"SPX", "UST10Y"}, WindowTicks: 48, BaselineMean: nan, PeakMean: 0.678, PeakTick: 60},
			"VIX proxy 16.0, peak 42.5 (tick 30), end 20.1",
			"mean rolling correlation of SPX, UST10Y (48 ticks): baseline n/a (the window was not full before the trigger: a warmup of 48 ticks or more fills it), peak 0.68 at tick 60"},
	} {
		s := &sim.Summary{Scenario: "test", Tick: "1h", VIX: c.vix, Correlation: c.corr}
		var b bytes.Buffer
		PrintSummary(&b, s)
		lines := map[string]string{}
		for _, l := range strings.Split(b.String(), "\n") {
			for _, p := range []string{"VIX proxy", "mean rolling correlation"} {
				if strings.HasPrefix(l, p) {
					lines[p] = l
				}
			}
		}
		if got := lines["VIX proxy"]; got != c.vixLine {
			t.Errorf("%s: VIX line %q, want %q", c.name, got, c.vixLine)
		}
		if got := lines["mean rolling correlation"]; got != c.corrLine {
			t.Errorf("%s: correlation line %q, want %q", c.name, got, c.corrLine)
		}
	}
}

// TestPrintSummaryWorld: the printed summary leaves out what the world
// cannot have: margin calls without prime brokers, unwound trades without
// hedge funds, the compression index without a levered sector. A summary
// without the agent count (an older summary.json) prints every line.
func TestPrintSummaryWorld(t *testing.T) {
	nan := sim.Num(math.NaN())
	for _, c := range []struct {
		name      string
		agents    map[string]int
		want, not []string
		av        sim.Num // VulnerabilityAV (NaN: nothing scripted)
	}{
		{"banks", map[string]int{"bank": 48},
			[]string{"\ndefaults 2 (DE21, NL33)\n", "GOVB fell 25.5% peak to trough against 10.0% with every agent passive: amplification 2.55\n"},
			[]string{"margin calls", "unwound", "compression", "VIX", "GLT"}, nan},
		{"banks with a scripted shock", map[string]int{"bank": 48},
			[]string{"amplification 2.55; GLT vulnerability -5.44% (cascade vulnerability)\n"}, nil, -0.0544},
		{"brokers and funds", map[string]int{"prime_broker": 1, "hedge_fund": 3},
			[]string{"\nmargin calls 3 ($1.5bn); defaults 2 (DE21, NL33); unwound: carry 40%, basis 0%, longs 0%\n", "amplification 2.55; compression index 1.20\n"},
			[]string{"VIX"}, nan},
		{"CTAs alone", map[string]int{"cta": 2},
			[]string{"\ndefaults 2 (DE21, NL33)\n", "amplification 2.55; compression index 1.20\n"},
			[]string{"margin calls", "unwound"}, nan},
		{"an older summary", nil,
			[]string{"margin calls 3", "unwound: carry 40%", "compression index 1.20"},
			nil, nan},
	} {
		s := &sim.Summary{Scenario: "test", Tick: "1d", Agents: c.agents, Headline: "GOVB", HeadlineMove: 25.5,
			PassiveMove: 10, Amplification: 2.55, CompressionIndex: 1.2, VulnerabilityAV: c.av,
			VIX:        sim.VIXSummary{Start: nan, Peak: nan, PeakTick: -1, End: nan},
			Defaults:   []sim.DefaultSummary{{Agent: "DE21", Kind: "bank", Tick: 3}, {Agent: "NL33", Kind: "bank", Tick: 4}},
			UnwoundPct: map[string]sim.Num{"carry": 40}}
		s.MarginCalls.Count, s.MarginCalls.TotalUSD = 3, 1.5e9
		var b bytes.Buffer
		PrintSummary(&b, s)
		for _, w := range c.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: output lacks %q:\n%s", c.name, w, b.String())
			}
		}
		for _, w := range c.not {
			if strings.Contains(b.String(), w) {
				t.Errorf("%s: output has %q:\n%s", c.name, w, b.String())
			}
		}
	}
}

// TestMoney: amounts are written in the account currency's sign, or its
// code when it has none here, with two decimals from a trillion; an
// unlabelled summary (read from before report.currency) is in dollars.
func TestMoney(t *testing.T) {
	for _, c := range []struct {
		cur  string
		v    float64
		want string
	}{
		{"", 1.71e12, "$1.71tn"},
		{"USD", 4.56e10, "$45.6bn"},
		{"EUR", 4.27e10, "€42.7bn"},
		{"GBP", -7.94e6, "£-7.9m"},
		{"JPY", 1.234e12, "¥1.23tn"},
		{"CHF", 7.9e6, "CHF 7.9m"},
		{"EUR", 950, "€950"},
	} {
		if got := Money(c.cur, c.v); got != c.want {
			t.Errorf("money(%q, %v) = %q, want %q", c.cur, c.v, got, c.want)
		}
	}
}

// TestCurrencyLabels: a summary in euros prints euros on the summary's
// sales line and in compare's rows; two sides in different currencies
// show both codes.
func TestCurrencyLabels(t *testing.T) {
	eur := &sim.Summary{Scenario: "eba", Tick: "1d", Currency: "EUR",
		ForcedSales: sim.SalesSummary{Total: 1.71e12, ByReason: map[string]sim.Num{"deleveraging": 1.67e12, "default_liquidation": 4.27e10}}}
	var b bytes.Buffer
	PrintSummary(&b, eur)
	if want := "sales €1.71tn (deleveraging €1.67tn, default_liquidation €42.7bn)"; !strings.Contains(b.String(), want) {
		t.Errorf("printed summary\n%s\nhas no line %q", b.String(), want)
	}
	row := func(a, b *sim.Summary) string {
		for _, r := range CompareRows(a, b) {
			if strings.HasPrefix(r.Name, "sales ") {
				return r.Name
			}
		}
		return ""
	}
	usd := &sim.Summary{Scenario: "x", Tick: "1d"}
	for _, c := range []struct {
		a, b *sim.Summary
		want string
	}{{eur, eur, "sales EUR bn"}, {usd, usd, "sales USD bn"}, {eur, usd, "sales EUR/USD bn"}} {
		if got := row(c.a, c.b); got != c.want {
			t.Errorf("compare %s with %s: row %q, want %q", c.a.Currency, c.b.Currency, got, c.want)
		}
	}
}

// TestRefusedOrdersShown: orders refused by closed markets are named in the
// printed summary and in report.md when there are any, and not otherwise.
func TestRefusedOrdersShown(t *testing.T) {
	for _, n := range []int{0, 3} {
		s := &sim.Summary{Scenario: "t", Tick: "1h", OrdersRefused: n}
		var b bytes.Buffer
		PrintSummary(&b, s)
		var r bytes.Buffer
		if err := WriteRunReport(&r, &RunReport{Summary: s}); err != nil {
			t.Fatal(err)
		}
		line, note := strings.Contains(b.String(), "3 orders refused by closed markets"), strings.Contains(r.String(), "**3 orders were refused**")
		if line != (n > 0) || note != (n > 0) {
			t.Errorf("%d refused: printed summary says so %v, report %v\n%s\n%s", n, line, note, b.String(), r.String())
		}
	}
}

// TestPrintSummaryAssetTable: the printed table's drawdown column is one
// word (its "max drawdown" beside "min" read as a max column), and the
// yield change's column is there only in a run with a bond, in the printed
// summary and in report.md alike.
func TestPrintSummaryAssetTable(t *testing.T) {
	eq := &sim.AssetSummary{Start: 5400, End: 5300, Min: 5200, Max: 5500, MaxDrawdownPct: 3.7, MaxRisePct: 5.8}
	bond := &sim.AssetSummary{Start: 100, End: 99, Min: 98.5, Max: 100.2, MaxDrawdownPct: 1.5, MaxRisePct: 0.4, Yield: &sim.YieldSummary{Start: 4.1, End: 4.25}}
	for _, c := range []struct {
		name   string
		assets map[string]*sim.AssetSummary
		header []string
		row    string // the first asset's cells
	}{
		{"equity only", map[string]*sim.AssetSummary{"SPX": eq},
			[]string{"asset", "start", "end", "min", "max", "peak-to-trough", "trough-to-peak", "excess", "kurtosis", "|r|", "acf(1)"},
			"SPX 5400 5300 5200 5500 3.7% 5.8% 0.0 0.00"},
		{"with a bond", map[string]*sim.AssetSummary{"SPX": eq, "UST10Y": bond},
			[]string{"asset", "start", "end", "min", "max", "peak-to-trough", "trough-to-peak", "yield", "change", "(bp)", "excess", "kurtosis", "|r|", "acf(1)"},
			"SPX 5400 5300 5200 5500 3.7% 5.8% 0.0 0.00"},
	} {
		s := &sim.Summary{Scenario: "test", Tick: "1h", Assets: c.assets}
		var b bytes.Buffer
		PrintSummary(&b, s)
		lines := strings.Split(b.String(), "\n")
		if got := strings.Fields(lines[1]); !slices.Equal(got, c.header) {
			t.Errorf("%s: header %q, want %q", c.name, got, c.header)
		}
		if got := strings.Join(strings.Fields(lines[2]), " "); got != c.row {
			t.Errorf("%s: row %q, want %q", c.name, got, c.row)
		}
		if ys := hasYields(s); ys != (len(c.assets) == 2) {
			t.Errorf("%s: hasYields %v", c.name, ys)
		}
	}
	if got, want := strings.Join(assetCells(&sim.Summary{Assets: map[string]*sim.AssetSummary{"UST10Y": bond}}, bond), " "), "100.00 99.00 98.50 100.20 1.5% 0.4% +15 0.0 0.00"; got != want {
		t.Errorf("bond cells %q, want %q", got, want)
	}
}

// TestLongsText: the hedge funds' directional longs (trade kind equity)
// unwound, as the printed summary and report.md write them: the whole, and
// its split by the kind of asset held, in the order of the asset kinds
// whatever the map's; one kind named alone; the whole alone without a
// split (an older summary). Before, the whole was called "equity" though
// it held Treasuries, gold and bitcoin.
func TestLongsText(t *testing.T) {
	for _, c := range []struct {
		split         map[string]sim.Num
		summary, para string
	}{
		{nil, "longs 62%", "directional longs (trade kind `equity`, on any asset) 62%."},
		{map[string]sim.Num{"equity": 61.7}, "longs in equities 62%", "directional longs (trade kind `equity`, on any asset) in equities 62%."},
		{map[string]sim.Num{"equity": 43.75, "crypto": 43.75, "bond": 100, "commodity": 43.8},
			"longs 62% (bonds 100%, equities 44%, commodities 44%, crypto 44%)",
			"directional longs (trade kind `equity`, on any asset) 62%: bonds 100%, equities 44%, commodities 44%, crypto 44%."},
	} {
		s := &sim.Summary{Scenario: "test", Tick: "1h", Agents: map[string]int{"prime_broker": 1, "hedge_fund": 2}, Headline: "SPX",
			HeadlineMove: 10, PassiveMove: 5, Amplification: 2, CompressionIndex: 1, VulnerabilityAV: sim.Num(math.NaN()),
			VIX:        sim.VIXSummary{Start: sim.Num(math.NaN()), Peak: sim.Num(math.NaN()), PeakTick: -1, End: sim.Num(math.NaN())},
			UnwoundPct: map[string]sim.Num{"carry": 5, "basis": 0, "equity": 61.7}, UnwoundLongPct: c.split}
		var b bytes.Buffer
		PrintSummary(&b, s)
		if want := "unwound: carry 5%, basis 0%, " + c.summary + "\n"; !strings.Contains(b.String(), want) {
			t.Errorf("printed summary lacks %q:\n%s", want, b.String())
		}
		if got := longsText(s); got != c.summary {
			t.Errorf("longsText %q, want %q", got, c.summary)
		}
		if got := longsProse(s) + "."; got != c.para {
			t.Errorf("report.md writes %q, want %q", got, c.para)
		}
	}
}

// TestPrintSummaryDefaults: the printed summary names every agent that
// defaulted, in the order they did, up to 12; beyond, the first 10 and
// how many more, and where all are listed. Before, more than 6 defaults
// printed the count alone.
func TestPrintSummaryDefaults(t *testing.T) {
	banks := func(n int) []sim.DefaultSummary {
		var ds []sim.DefaultSummary
		for i := range n {
			ds = append(ds, sim.DefaultSummary{Agent: fmt.Sprintf("B%02d", 48-i), Kind: "bank", Tick: i / 5})
		}
		return ds
	}
	for _, c := range []struct {
		n    int
		want string
	}{
		{0, "defaults 0"},
		{1, "defaults 1 (B48)"},
		{7, "defaults 7 (B48, B47, B46, B45, B44, B43, B42)"},
		{12, "defaults 12 (B48, B47, B46, B45, B44, B43, B42, B41, B40, B39, B38, B37)"},
		{13, "defaults 13 (B48, B47, B46, B45, B44, B43, B42, B41, B40, B39 and 3 more, all in report.md and summary.json's defaults)"},
		{48, "defaults 48 (B48, B47, B46, B45, B44, B43, B42, B41, B40, B39 and 38 more, all in report.md and summary.json's defaults)"},
	} {
		s := &sim.Summary{Scenario: "test", Tick: "1d", Agents: map[string]int{"bank": 48}, Defaults: banks(c.n)}
		var b bytes.Buffer
		PrintSummary(&b, s)
		if !strings.Contains(b.String(), "\n"+c.want+"\n") {
			t.Errorf("%d defaults: want the line %q in\n%s", c.n, c.want, b.String())
		}
	}
}
