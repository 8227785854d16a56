package output

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/sim"
)

// TestOverlayDifferentLengths: `cascade compare A B` of two scenarios whose
// runs differ in length (a note says so and the comparison goes on) draws
// both runs, each against its own time axis, with both runs' events.
// RenderOverlay dropped every asset whose two columns differed in length,
// silently, leaving compare_prices with no series at all, and drew B on
// A's time axis even when they had the same length but different dates.
func TestOverlayDifferentLengths(t *testing.T) {
	t0 := time.Date(2024, 7, 30, 0, 0, 0, 0, time.UTC)
	mk := func(n int) *Table {
		tm, p := make([]time.Time, n), make([]float64, n)
		for i := range tm {
			tm[i] = t0.Add(time.Duration(i) * time.Hour)
			p[i] = 100 + float64(i)
		}
		ts := &Table{}
		ts.Add(TimeCol("time", tm))
		ts.Add(FloatCol("NKY", p))
		return ts
	}
	meta := Meta{Scenario: "a", Assets: []AssetMeta{{ID: "NKY", Kind: "equity", Group: "equity", Currency: "JPY"}}}
	metaB := meta
	metaB.Scenario = "b"
	metaB.Events = []Mark{{Tick: 10, Time: t0.Add(10 * time.Hour), Label: "hike"}}
	dir := t.TempDir()
	if _, err := RenderOverlay(dir, OverlayName{Label: "A"}, OverlayName{Label: "B"}, mk(72), mk(48), meta, metaB); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "compare_prices.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">NKY A</text>", ">NKY B</text>"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("overlay of a 72-tick and a 48-tick run has no series %q", strings.Trim(want, "></text"))
		}
	}
	if !strings.Contains(string(svg), ">hike (B)</text>") {
		t.Errorf("overlay lacks B's event marker \"hike (B)\"")
	}
}

// TestOverlayOwnTimeAxes: each run of an overlay is drawn against its own
// dates, each close at the end of its tick, over both runs' spans, and an
// event both runs have is marked once, as it is.
func TestOverlayOwnTimeAxes(t *testing.T) {
	mk := func(t0 time.Time) *Table {
		tm, p := make([]time.Time, 24), make([]float64, 24)
		for i := range tm {
			tm[i] = t0.Add(time.Duration(i) * time.Hour)
			p[i] = 100
		}
		ts := &Table{}
		ts.Add(TimeCol("time", tm))
		ts.Add(FloatCol("NKY", p))
		return ts
	}
	ta, tb := time.Date(2024, 7, 30, 0, 0, 0, 0, time.UTC), time.Date(2024, 8, 5, 0, 0, 0, 0, time.UTC)
	ev := Mark{Time: ta.Add(2 * time.Hour), Label: "hike"}
	meta := Meta{Assets: []AssetMeta{{ID: "NKY", Kind: "equity", Group: "equity"}}, Events: []Mark{ev}}
	a, b := mk(ta), mk(tb)
	if got := overlayMarkers("A", "B", meta, meta); len(got) != 1 || got[0].Label != "hike" {
		t.Errorf("markers of two runs with the same event: %v, want one \"hike\"", got)
	}
	fig, err := overlayFigure(OverlayName{Label: "A"}, OverlayName{Label: "B"}, a, b, meta, meta)
	if err != nil {
		t.Fatal(err)
	}
	if len(fig.Panels) != 1 || len(fig.Panels[0].Series) != 2 {
		t.Fatalf("overlay figure: %+v", fig)
	}
	if want := [2]float64{float64(ta.Unix()), float64(tb.Add(24 * time.Hour).Unix())}; fig.XRange != want {
		t.Errorf("overlay spans %v to %v, want from A's start to B's end, %v to %v", unixTime(fig.XRange[0]), unixTime(fig.XRange[1]), ta, tb.Add(24*time.Hour))
	}
	for i, want := range []time.Time{ta.Add(time.Hour), tb.Add(time.Hour)} {
		if x := fig.Panels[0].Series[i].X[0]; x != float64(want.Unix()) {
			t.Errorf("series %q starts at %v, want %v", fig.Panels[0].Series[i].Name, time.Unix(int64(x), 0).UTC(), want)
		}
	}
}

// TestCompareSeeds: a comparison at several seeds pairs A and B seed by
// seed. A reason of sale that one run has is a row at every seed (0 where
// the run sold nothing for it); the medians are each side's, the
// difference's median and nearest-rank 5-95% are over the paired
// differences, and B > A and B < A count seeds.
func TestCompareSeeds(t *testing.T) {
	mk := func(total, calls float64, move float64) *sim.Summary {
		s := &sim.Summary{Agents: map[string]int{"hedge_fund": 1}, VIX: sim.VIXSummary{PeakTick: -1, Start: sim.Num(math.NaN())}}
		s.ForcedSales.Total = sim.Num(total * 1e9)
		s.ForcedSales.ByReason = map[string]sim.Num{"carry_exit": sim.Num(total * 1e9)}
		if calls > 0 {
			s.ForcedSales.ByReason["margin_call"] = sim.Num(calls * 1e9)
		}
		s.HeadlineMove = sim.Num(move)
		return s
	}
	as := []*sim.Summary{mk(10, 0, 5), mk(20, 0, 6), mk(30, 0, 7), mk(40, 0, 8)}
	bs := []*sim.Summary{mk(12, 0, 5), mk(18, 3, 6), mk(35, 0, 9), mk(44, 0, math.NaN())}
	rows, err := CompareSeeds(as, bs)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]CompareSeedsRow{}
	for _, r := range rows {
		byName[r.Name] = r
	}
	for _, tc := range []struct {
		name                       string
		medA, medB, medD, p05, p95 float64
		above, below               int
	}{
		// B − A: 2, −2, 5, 4 → sorted −2, 2, 4, 5.
		{"sales USD bn", 25, 26.5, 3, -2, 5, 3, 1},
		{"for carry_exit USD bn", 25, 26.5, 3, -2, 5, 3, 1},
		// Only B's second seed sold for a margin call: 0, 3, 0, 0.
		{"for margin_call USD bn", 0, 0, 0, 0, 3, 1, 0},
		// B's last move is undefined: that seed has no difference.
		{"headline move %", 6.5, 6, 0, 0, 2, 1, 0},
	} {
		r, ok := byName[tc.name]
		if !ok {
			t.Errorf("no row %q", tc.name)
			continue
		}
		got := []float64{float64(r.MedianA), float64(r.MedianB), float64(r.MedianDiff), float64(r.P05Diff), float64(r.P95Diff)}
		want := []float64{tc.medA, tc.medB, tc.medD, tc.p05, tc.p95}
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-12 {
				t.Errorf("%s: median A, B, B−A, 5%%, 95%% = %v, want %v", tc.name, got, want)
				break
			}
		}
		if r.Above != tc.above || r.Below != tc.below || len(r.A) != 4 || len(r.Diff) != 4 {
			t.Errorf("%s: B > A on %d, B < A on %d seeds of %d, want %d and %d of 4", tc.name, r.Above, r.Below, len(r.A), tc.above, tc.below)
		}
	}
	if _, err := CompareSeeds(as, bs[:3]); err == nil {
		t.Error("4 runs against 3: no error")
	}
}

// TestCompareUnlikeCurrencies: amounts of two scenarios that report in
// different currencies (mini in USD, eba2018 in EUR) are shown side by
// side without a difference, in the table, in compare.json's rows and in
// the statistics over seeds; the old table printed EUR less USD (96.56
// against 1709.93: +1613.37, +1671%). Counts and percentages keep theirs.
func TestCompareUnlikeCurrencies(t *testing.T) {
	mk := func(cur string, sales float64) *sim.Summary {
		s := &sim.Summary{Currency: cur, Agents: map[string]int{"prime_broker": 1}, VIX: sim.VIXSummary{PeakTick: -1, Start: sim.Num(math.NaN())}}
		s.ForcedSales.Total = sim.Num(sales * 1e9)
		s.MarginCalls.Count, s.MarginCalls.TotalUSD = 3, sim.Num(sales*1e8)
		s.HeadlineMove = 2
		return s
	}
	for _, tc := range []struct {
		a, b              string
		salesRow, salesDf string // the row's name and its printed B − A
	}{
		{"USD", "EUR", "sales USD/EUR bn", "n/a"},
		{"", "EUR", "sales USD/EUR bn", "n/a"},
		{"", "USD", "sales USD bn", "10"},
		{"EUR", "EUR", "sales EUR bn", "10"},
	} {
		a, b := mk(tc.a, 90), mk(tc.b, 100)
		rows := CompareRows(a, b)
		var out strings.Builder
		PrintCompare(&out, "A", "B", rows)
		// Each row by its name: up to " bn" for amounts, else all but the
		// last four fields (A, B, B − A, change).
		lines := map[string][]string{}
		for _, l := range strings.Split(out.String(), "\n") {
			if i := strings.Index(l, " bn"); i >= 0 {
				lines[strings.TrimSpace(l[:i+3])] = strings.Fields(l[i+3:])
			} else if f := strings.Fields(l); len(f) > 4 {
				lines[strings.Join(f[:len(f)-4], " ")] = f[len(f)-4:]
			}
		}
		want := []string{"90", "100", tc.salesDf}
		if tc.salesDf != "n/a" {
			want = append(want, "+11%")
		}
		if got := lines[tc.salesRow]; strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s against %s: %q row %q, want %q\n%s", tc.a, tc.b, tc.salesRow, got, want, out.String())
		}
		calls := strings.Replace(tc.salesRow, "sales", "margin calls", 1)
		if got := lines[calls]; len(got) < 3 || got[2] != strings.Replace(tc.salesDf, "10", "1", 1) {
			t.Errorf("%s against %s: %q row %q", tc.a, tc.b, calls, got)
		}
		if got := lines["margin calls"]; strings.Join(got, " ") != "3 3 0 0%" {
			t.Errorf("%s against %s: margin calls row %q, want 3 3 0 0%%", tc.a, tc.b, got)
		}
		seeds, err := CompareSeeds([]*sim.Summary{a, a}, []*sim.Summary{b, b})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range seeds {
			if r.Name != tc.salesRow {
				continue
			}
			unlike := tc.salesDf == "n/a"
			if d := float64(r.MedianDiff); unlike != math.IsNaN(d) || !unlike && d != 10 || unlike && r.Above+r.Below != 0 {
				t.Errorf("%s against %s over seeds: median B − A %v, B above on %d, below on %d", tc.a, tc.b, d, r.Above, r.Below)
			}
		}
	}
}

// TestTrim: table numbers keep two decimals at most, and a value that
// rounds to zero shows as 0 whatever its sign.
func TestTrim(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{{-12.134, "-12.13"}, {2.5, "2.5"}, {3, "3"}, {-0.004, "0"}, {0.004, "0"}, {-0.005001, "-0.01"}, {math.NaN(), "n/a"}} {
		if got := trim(tc.x); got != tc.want {
			t.Errorf("trim(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
}

// TestPrintCompareSigns: a change that rounds to zero prints as 0 in both
// the difference and the percentage, without a sign.
func TestPrintCompareSigns(t *testing.T) {
	var b strings.Builder
	PrintCompare(&b, "A", "B", []CompareRow{{Name: "x", A: 100, B: 99.999}, {Name: "y", A: 10, B: 11}})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if f := strings.Fields(lines[1]); strings.Join(f, " ") != "x 100 100 0 0%" {
		t.Errorf("x: %q", lines[1])
	}
	if f := strings.Fields(lines[2]); strings.Join(f, " ") != "y 10 11 1 +10%" {
		t.Errorf("y: %q", lines[2])
	}
}

// TestCompareFundingCapital: compare shows the capital lost in all and
// beyond capital, the repo spread's peak and the dealer sector's
// utilization's peak side by side, each undefined on a side whose summary
// lacks it (a world without funding, or a summary written before capital
// was reported), and leaves a row out when neither side has it.
func TestCompareFundingCapital(t *testing.T) {
	nan := math.NaN()
	sum := func(funding, capital bool, repo, util, loss, short float64) *sim.Summary {
		s := &sim.Summary{VIX: sim.VIXSummary{PeakTick: -1, Start: sim.Num(nan)}}
		if funding {
			s.Funding = &sim.FundingSummary{RepoSpread: sim.PeakSummary{Start: 12.4, Peak: sim.Num(repo)}, DealerUtil: sim.PeakSummary{Peak: sim.Num(util)}}
		}
		if capital {
			s.Capital = sim.CapitalSummary{Total: sim.Capital{Loss: sim.Num(loss), Shortfall: sim.Num(short)},
				ByKind: map[string]*sim.Capital{"bank": {Loss: sim.Num(loss), Shortfall: sim.Num(short)}}}
		}
		return s
	}
	names := []string{"capital lost USD bn", "lost beyond capital USD bn", "repo spread peak bp", "dealer utilization peak %"}
	for _, c := range []struct {
		name string
		a, b *sim.Summary
		want []*[2]float64 // per row of names, A and B; nil: no row
	}{
		{"both", sum(true, true, 20, 0.5794, 116.6e9, 0), sum(true, true, 10, 0.5794, 116.53e9, 2e9),
			[]*[2]float64{{116.6, 116.53}, {0, 2}, {20, 10}, {57.94, 57.94}}},
		{"no funding on B", sum(true, true, 20, 0.5, 1e9, 0), sum(false, true, 0, 0, 3e9, 0),
			[]*[2]float64{{1, 3}, {0, 0}, {20, nan}, {50, nan}}},
		{"capital on A only", sum(false, true, 0, 0, 1e9, 5e8), sum(false, false, 0, 0, 0, 0),
			[]*[2]float64{{1, nan}, {0.5, nan}, nil, nil}},
		{"neither", sum(false, false, 0, 0, 0, 0), sum(false, false, 0, 0, 0, 0), []*[2]float64{nil, nil, nil, nil}},
	} {
		rows := map[string]CompareRow{}
		for _, r := range CompareRows(c.a, c.b) {
			rows[r.Name] = r
		}
		for k, n := range names {
			r, ok := rows[n]
			if w := c.want[k]; w == nil {
				if ok {
					t.Errorf("%s: a row %q (%v, %v), want none", c.name, n, r.A, r.B)
				}
				continue
			}
			if !ok {
				t.Errorf("%s: no row %q", c.name, n)
				continue
			}
			same := func(x sim.Num, y float64) bool {
				return math.IsNaN(float64(x)) && math.IsNaN(y) || math.Abs(float64(x)-y) < 1e-9
			}
			if w := c.want[k]; !same(r.A, w[0]) || !same(r.B, w[1]) {
				t.Errorf("%s: %q is %v, %v; want %v, %v", c.name, n, r.A, r.B, w[0], w[1])
			}
		}
	}
}

// TestCompareLongs: compare names the hedge funds' directional longs
// (trade kind equity) "longs", not "equity", and splits them by the kind
// of asset held as either run has it (n/a on the side without), in the
// order of the asset kinds.
func TestCompareLongs(t *testing.T) {
	mk := func(all float64, split map[string]sim.Num) *sim.Summary {
		return &sim.Summary{Agents: map[string]int{"hedge_fund": 1}, VIX: sim.VIXSummary{PeakTick: -1, Start: sim.Num(math.NaN())},
			UnwoundPct: map[string]sim.Num{"carry": 1, "basis": 2, "equity": sim.Num(all)}, UnwoundLongPct: split}
	}
	a := mk(50, map[string]sim.Num{"equity": 40, "bond": 100})
	b := mk(30, map[string]sim.Num{"crypto": 20, "equity": 30})
	var got []string
	for _, r := range CompareRows(a, b) {
		if strings.Contains(r.Name, "unwound") || strings.Contains(r.Name, "longs") {
			got = append(got, fmt.Sprintf("%s: %v %v", r.Name, r.A, r.B))
		}
	}
	want := []string{"unwound carry %: 1 1", "unwound basis %: 2 2", "unwound longs %: 50 30",
		"longs in bonds %: 100 NaN", "longs in equities %: 40 30", "longs in crypto %: NaN 20"}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n%q\nwant\n%q", got, want)
	}
}

// TestCompareSalesByKindAsset: compare shows every kind's sales of each
// asset that it sold in either run (0 where a run did not), each under its
// kind's row, not hedge funds' alone; the table indents the rows by their
// depth, left-aligned, and compare.json's names (and those of a comparison
// at several seeds) hold no indentation.
func TestCompareSalesByKindAsset(t *testing.T) {
	mk := func(cta, hf map[string]sim.Num) *sim.Summary {
		s := &sim.Summary{Agents: map[string]int{"cta": 1, "hedge_fund": 1}, VIX: sim.VIXSummary{PeakTick: -1, Start: sim.Num(math.NaN())}}
		s.ForcedSales.ByKind = map[string]sim.Num{}
		s.ForcedSales.ByKindAsset = map[string]map[string]sim.Num{"cta": cta, "hedge_fund": hf}
		for k, m := range s.ForcedSales.ByKindAsset {
			for _, v := range m {
				s.ForcedSales.ByKind[k] += v
				s.ForcedSales.Total += v
			}
		}
		return s
	}
	a := mk(map[string]sim.Num{"NKY": 21.86e9, "SPX": 35e9}, map[string]sim.Num{"USDJPY": 250e9})
	b := mk(map[string]sim.Num{"NKY": 10e9, "GOLD": 2e9}, map[string]sim.Num{"USDJPY": 240e9})
	rows := CompareRows(a, b)
	var got []string
	for _, r := range rows {
		if strings.Contains(r.Name, "sales") || strings.HasPrefix(r.Name, "by ") {
			got = append(got, fmt.Sprintf("%d %s: %v %v", r.Indent, r.Name, r.A, r.B))
		}
	}
	want := []string{"0 sales USD bn: 306.86 252", "1 by cta USD bn: 56.86 12", "2 cta sales of GOLD USD bn: 0 2", "2 cta sales of NKY USD bn: 21.86 10",
		"2 cta sales of SPX USD bn: 35 0", "1 by hedge_fund USD bn: 250 240", "2 hedge_fund sales of USDJPY USD bn: 250 240"}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n%q\nwant\n%q", got, want)
	}
	var out strings.Builder
	PrintCompare(&out, "A", "B", rows)
	for _, line := range []string{"\n  sales USD bn  ", "\n    by cta USD bn  ", "\n      cta sales of NKY USD bn  "} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("table lacks %q:\n%s", line, out.String())
		}
	}
	seeds, err := CompareSeeds([]*sim.Summary{a, a}, []*sim.Summary{b, b})
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	PrintCompareSeeds(&out, "A", "B", 2, seeds)
	if !strings.Contains(out.String(), "\n      cta sales of NKY USD bn  ") {
		t.Errorf("table at two seeds lacks the indented row:\n%s", out.String())
	}
	dir := t.TempDir()
	for name, v := range map[string]any{"one": rows, "seeds": seeds} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(f, v); err != nil {
			t.Fatal(err)
		}
		f.Close()
		b, _ := os.ReadFile(filepath.Join(dir, name))
		if strings.Contains(string(b), `"name": " `) || strings.Contains(string(b), "indent") || !strings.Contains(string(b), `"name": "cta sales of NKY USD bn"`) {
			t.Errorf("%s's JSON names:\n%s", name, b)
		}
	}
}
