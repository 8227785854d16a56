package output

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// PrintSummary writes a short plain-text account of a run.
func PrintSummary(w io.Writer, s *sim.Summary) {
	fmt.Fprintf(w, "%s (seed %d): %d ticks of %s from %s\n", s.Scenario, s.Seed, s.Ticks, s.Tick, s.Start.Format("2006-01-02 15:04 MST"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	// One word per column: "max drawdown" beside "min" read as two.
	fmt.Fprintln(tw, strings.Join(assetHeader(s, "peak-to-trough", "trough-to-peak", "|r| acf(1)"), "\t")+"\t")
	for _, id := range slices.Sorted(maps.Keys(s.Assets)) {
		fmt.Fprintf(tw, "%s\t%s\t\n", id, strings.Join(assetCells(s, s.Assets[id]), "\t"))
	}
	tw.Flush()
	// What the world cannot have is left out: a VIX proxy without an
	// equity, brokers' calls without brokers, funds' trades without funds.
	v := s.VIX
	if s.HasVIX() {
		fmt.Fprintf(w, "VIX proxy %s, peak %s%s, end %s\n", fix(v.Start, 1), fix(v.Peak, 1), atTick(" (tick %d)", v.PeakTick), fix(v.End, 1))
	}
	c := s.Correlation
	fmt.Fprintf(w, "mean rolling correlation of %s (%d ticks): baseline %s, peak %s%s\n",
		strings.Join(c.Assets, ", "), c.WindowTicks, baseline(c), fix(c.PeakMean, 2), atTick(" at tick %d", c.PeakTick))
	fmt.Fprintf(w, "sales %s", Money(s.Currency, float64(s.ForcedSales.Total)))
	if len(s.ForcedSales.ByReason) > 0 {
		fmt.Fprintf(w, " (%s)", top(s.ForcedSales.ByReason, 4, s.Currency))
	}
	fmt.Fprintln(w)
	var parts []string
	if s.Has("prime_broker") {
		parts = append(parts, fmt.Sprintf("margin calls %d (%s)", s.MarginCalls.Count, Money(s.Currency, float64(s.MarginCalls.TotalUSD))))
	}
	parts = append(parts, defaultsText(s.Defaults))
	if s.OrdersRefused > 0 {
		parts = append(parts, fmt.Sprintf("%d orders refused by closed markets", s.OrdersRefused))
	}
	if s.Has("hedge_fund") {
		parts = append(parts, fmt.Sprintf("unwound: carry %.0f%%, basis %.0f%%, %s",
			float64(s.UnwoundPct["carry"]), float64(s.UnwoundPct["basis"]), longsText(s)))
	}
	fmt.Fprintln(w, strings.Join(parts, "; "))
	if line := fundingLine(s); line != "" {
		fmt.Fprintln(w, line)
	}
	if line := capitalLine(s); line != "" {
		fmt.Fprintln(w, line)
	}
	if line := banksLine(s); line != "" {
		fmt.Fprintln(w, line)
	}
	if s.Headline != "" {
		fmt.Fprintf(w, "%s fell %.1f%% peak to trough", s.Headline, float64(s.HeadlineMove))
		tick := func(t int) string {
			if t < 0 {
				return "start"
			}
			return strconv.Itoa(t)
		}
		a := s.Attribution[s.Headline]
		if a != nil {
			fmt.Fprintf(w, " (ticks %s-%s)", tick(a.PeakTick), tick(a.TroughTick))
		}
		if !math.IsNaN(float64(s.Amplification)) {
			fmt.Fprintf(w, " against %.1f%% with every agent passive", float64(s.PassiveMove))
			if twinWindowShown(s) {
				fmt.Fprintf(w, " (ticks %s-%s)", tick(s.PassivePeakTick), tick(s.PassiveTroughTick))
			}
			fmt.Fprintf(w, ": amplification %.2f", float64(s.Amplification))
			if twinWindowShown(s) && (s.PassivePeakTick != a.PeakTick || s.PassiveTroughTick != a.TroughTick) {
				fmt.Fprintf(w, "; %s", sameWindowText(s))
			}
		}
		if s.Has(sim.Levered...) {
			ci := fix(s.CompressionIndex, 2)
			if math.IsInf(float64(s.CompressionIndex), 1) {
				ci = "∞ (no equity or no liquidity buffer behind the exposure)"
			}
			fmt.Fprintf(w, "; compression index %s", ci)
		}
		if av := float64(s.VulnerabilityAV); !math.IsNaN(av) {
			fmt.Fprintf(w, "; GLT vulnerability %.2f%% (cascade vulnerability)", 100*av)
		}
		fmt.Fprintln(w)
	}
}

// twinWindowShown reports whether the summary has the passive twin's
// window and its fall over the run's (a summary written before they were
// reported has neither).
func twinWindowShown(s *sim.Summary) bool {
	return s.Attribution[s.Headline] != nil && s.PassiveTroughTick > s.PassivePeakTick && !math.IsNaN(float64(s.PassiveSameWindow))
}

// sameWindowText is the passive twin's move over the run's own window of
// the headline's fall, and the ratio over that window: "over the run's
// window the passive twin fell 7.7%, a ratio of 2.37".
func sameWindowText(s *sim.Summary) string {
	f := float64(s.PassiveSameWindow)
	if f <= 0 {
		return fmt.Sprintf("over the run's window the passive twin rose %.1f%%, so no ratio", -f)
	}
	return fmt.Sprintf("over the run's window the passive twin fell %.1f%%, a ratio of %.2f", f, float64(s.AmplificationSameWindow))
}

// Defaults printed by name: every one up to printAllDefaults, else the
// first printFirstDefaults and how many more.
const (
	printAllDefaults   = 12
	printFirstDefaults = 10
)

// defaultsText is the printed summary's count of defaults with the agents
// that defaulted, in the order they did: all of them when they are few,
// else the first and where to read the rest (report.md and summary.json
// list every one).
func defaultsText(ds []sim.DefaultSummary) string {
	d := fmt.Sprintf("defaults %d", len(ds))
	if len(ds) == 0 {
		return d
	}
	shown := ds
	if len(ds) > printAllDefaults {
		shown = ds[:printFirstDefaults]
	}
	ids := make([]string, len(shown))
	for i, x := range shown {
		ids[i] = x.Agent
	}
	if more := len(ds) - len(shown); more > 0 {
		return fmt.Sprintf("%s (%s and %d more, all in report.md and summary.json's defaults)", d, strings.Join(ids, ", "), more)
	}
	return d + " (" + strings.Join(ids, ", ") + ")"
}

// fundingLine is the printed summary's line on the funding market: the
// repo spread at the start and at its peak, the ticks a facility held it
// at its cap, and the dealer sector's utilization ("" for a summary
// without funding).
func fundingLine(s *sim.Summary) string {
	f := s.Funding
	if f == nil {
		return ""
	}
	peak := func(x sim.PeakSummary, unit string, scale sim.Num) string {
		if x.Peak == x.Start {
			return fix(scale*x.Start, 1) + unit + " throughout"
		}
		return fix(scale*x.Start, 1) + unit + ", peak " + fix(scale*x.Peak, 1) + unit + atTick(" (tick %d)", x.PeakTick)
	}
	line := "funding: repo spread " + peak(f.RepoSpread, "bp", 1)
	if f.CappedTicks > 0 {
		line += fmt.Sprintf(", at the facility's %sbp cap %d ticks from tick %d", fix(f.FacilityCap, 1), f.CappedTicks, f.FirstCappedTick)
	}
	u := f.DealerUtil
	line += "; dealer utilization " + utilText(u.Start)
	if u.Peak == u.Start {
		return line + " throughout"
	}
	return line + ", peak " + utilText(u.Peak) + atTick(" (tick %d)", u.PeakTick)
}

// capitalLine is the printed summary's line on equity: what the agents
// lost in all and, with more than one kind, the four kinds that lost most,
// and what was lost beyond capital ("" for a summary without capital,
// written before it was reported).
func capitalLine(s *sim.Summary) string {
	c := s.Capital
	if len(c.ByKind) == 0 {
		return ""
	}
	total := capitalText(s.Currency, &c.Total, "of "+Money(s.Currency, float64(c.Total.Start)), true)
	var kinds []string
	for _, k := range sim.CapitalOrder(c.ByKind) {
		if !slices.Contains(c.NotInTotal, k) {
			kinds = append(kinds, k)
		}
	}
	line := "capital " + total
	if len(kinds) == 1 {
		line = "capital: " + kinds[0] + " " + total
	} else {
		var parts []string
		for i, k := range kinds {
			if i == 4 {
				parts = append(parts, "...")
				break
			}
			parts = append(parts, k+" "+capitalText(s.Currency, c.ByKind[k], "", false))
		}
		line += ": " + strings.Join(parts, ", ")
	}
	if sh := float64(c.Total.Shortfall); shows(s.Currency, sh) {
		line += fmt.Sprintf("; %s more beyond capital, on creditors", Money(s.Currency, sh))
	}
	return line + apartText(s)
}

// shows reports whether a positive amount prints as more than nothing:
// a shortfall of a few thousandths of a dollar, the rounding left by a
// fund closed out at zero, is not money on creditors ("$0 more beyond
// capital").
func shows(cur string, v float64) bool { return v > 0 && Money(cur, v) != Money(cur, 0) }

// apartText is what the kinds left out of the capital total (central
// banks: their reserves are not capital at risk) lost or gained, each "of"
// its equity at the start: "; not in the total: central_bank gained
// $2.8bn of $1.00tn (0.3%)" ("" when there are none, or they neither
// started with reserves nor lost or gained anything).
func apartText(s *sim.Summary) string {
	var parts []string
	for _, k := range s.Capital.NotInTotal {
		c := s.Capital.ByKind[k]
		if c == nil || (c.Start == 0 && c.Loss == 0) {
			continue // a central bank without reserves that spent nothing
		}
		of := ""
		if c.Start > 0 {
			of = "of " + Money(s.Currency, float64(c.Start))
		}
		parts = append(parts, k+" "+capitalText(s.Currency, c, of, true))
	}
	if len(parts) == 0 {
		return ""
	}
	return "; not in the total: " + strings.Join(parts, ", ")
}

// capitalText writes a loss, "lost $23.5bn (9.4%)" ("$23.5bn (9.4%)"
// without verb), or a gain, "gained $3.1bn (3.1%)"; of, when given, comes
// before the percentage ("lost $23.5bn of $251.0bn (9.4%)").
func capitalText(cur string, c *sim.Capital, of string, verb bool) string {
	v, pct, word := float64(c.Loss), float64(c.LossPct), "lost "
	if v < 0 {
		v, pct, word = -v, -pct, "gained "
	} else if !verb {
		word = ""
	}
	parts := []string{word + Money(cur, v)}
	if of != "" {
		parts = append(parts, of)
	}
	if !math.IsNaN(pct) {
		parts = append(parts, fmt.Sprintf("(%.1f%%)", pct))
	}
	return strings.Join(parts, " ")
}

// baseline is the correlation's mean before the trigger, or why there is
// none when the window filled only after it: a shock in the first hours of
// a run without a warm-up.
func baseline(c sim.CorrSummary) string {
	if math.IsNaN(float64(c.BaselineMean)) && !math.IsNaN(float64(c.PeakMean)) {
		return fmt.Sprintf("n/a (the window was not full before the trigger: a warmup of %d ticks or more fills it)", c.WindowTicks)
	}
	return fix(c.BaselineMean, 2)
}

// assetHeader is the header of the run summary's asset table (printed and
// in report.md), with the names given to the drawdown, the rise and the
// autocorrelation columns. The yield change's column is there only when
// some asset has a yield.
func assetHeader(s *sim.Summary, drawdown, rise, acf string) []string {
	h := []string{"asset", "start", "end", "min", "max", drawdown, rise, "yield change (bp)", "excess kurtosis", acf}
	if !hasYields(s) {
		h = slices.Delete(h, 7, 8)
	}
	return h
}

// hasYields reports whether some asset of the run has a yield (a bond).
func hasYields(s *sim.Summary) bool {
	for _, a := range s.Assets {
		if a.Yield != nil {
			return true
		}
	}
	return false
}

// assetCells are an asset's cells in the run summary's table (printed and
// in report.md): start, end, min, max, the largest peak-to-trough fall
// and trough-to-peak rise (percent of the peak and of the trough), yield
// change in bp (bonds; the column only in a run with a bond), excess
// kurtosis and the autocorrelation of absolute returns at lag 1.
func assetCells(s *sim.Summary, a *sim.AssetSummary) []string {
	c := []string{num(a.Start), num(a.End), num(a.Min), num(a.Max), fmt.Sprintf("%.1f%%", float64(a.MaxDrawdownPct)), fmt.Sprintf("%.1f%%", float64(a.MaxRisePct))}
	if hasYields(s) {
		yc := ""
		if a.Yield != nil {
			yc = fmt.Sprintf("%+.0f", 100*float64(a.Yield.End-a.Yield.Start))
		}
		c = append(c, yc)
	}
	return append(c, fix(a.Returns.ExcessKurtosis, 1), fix(a.Returns.AbsACF1, 2))
}

func num(x sim.Num) string {
	v := float64(x)
	switch a := math.Abs(v); {
	case a >= 1000:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.4f", v)
	}
}

func fix(x sim.Num, d int) string {
	if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.*f", d, float64(x))
}

// utilText writes a utilization u (a fraction of capacity) as a
// percentage with one decimal, as every line and table writes one: "no
// capital left" where u is +Inf (a dealer, a broker or the whole dealer
// sector with no capacity left, which the time series holds as inf and
// summary.json as null), "n/a" where it is NaN.
func utilText(u sim.Num) string {
	if math.IsInf(float64(u), 1) {
		return "no capital left"
	}
	if math.IsNaN(float64(u)) {
		return "n/a"
	}
	return fix(100*u, 1) + "%"
}

// atTick formats a peak's tick with format, or returns "" for the -1 of a
// summary without a peak (its value then prints as n/a).
func atTick(format string, tick int) string {
	if tick < 0 {
		return ""
	}
	return fmt.Sprintf(format, tick)
}

// money writes an amount of account currency cur in words' units:
// $1.71tn, $45.6bn, €7.9m; a currency without a sign here is written
// with its code (CHF 7.9m).
// longsText writes the share of the hedge funds' directional longs
// unwound (the trade kind equity, whatever the asset: unwound_pct.equity)
// and its split by the kind of asset held (unwound_long_pct), for the
// printed summary: "longs 62% (bonds 100%, equities 44%, commodities 44%,
// crypto 44%)", "longs in equities 44%" when they hold one kind, "longs
// 0%" without the split (no longs, or an older summary).
func longsText(s *sim.Summary) string {
	all, split := longsSplit(s)
	switch len(split) {
	case 0:
		return "longs " + all
	case 1:
		return "longs in " + split[0]
	}
	return "longs " + all + " (" + strings.Join(split, ", ") + ")"
}

// longsProse is longsText as report.md writes it, saying what the longs
// are: "directional longs (trade kind `equity`, on any asset) 62%: bonds
// 100%, equities 44%, ...".
func longsProse(s *sim.Summary) string {
	longs := "directional longs (trade kind `equity`, on any asset) "
	switch all, split := longsSplit(s); len(split) {
	case 0:
		return longs + all
	case 1:
		return longs + "in " + split[0]
	default:
		return longs + all + ": " + strings.Join(split, ", ")
	}
}

// longsSplit returns the share of the hedge funds' directional longs
// unwound ("62%") and its split by the kind of asset held, in the order
// of the asset kinds ("bonds 100%", "equities 44%").
func longsSplit(s *sim.Summary) (string, []string) {
	var split []string
	for k := core.AssetKind(0); k < core.NumAssetKinds; k++ {
		if v, ok := s.UnwoundLongPct[k.String()]; ok {
			split = append(split, fmt.Sprintf("%s %.0f%%", assetKindNoun(k), float64(v)))
		}
	}
	return fmt.Sprintf("%.0f%%", float64(s.UnwoundPct["equity"])), split
}

// assetKindNoun names the assets of a kind in prose: "equities", "bonds".
func assetKindNoun(k core.AssetKind) string {
	switch k {
	case core.FX:
		return "currencies"
	case core.Bond:
		return "bonds"
	case core.Future:
		return "futures"
	case core.Equity:
		return "equities"
	case core.Commodity:
		return "commodities"
	case core.Crypto:
		return "crypto"
	}
	return k.String() + " assets"
}

// Money writes amount v in the account currency cur as the printed summary
// and report.md do: its sign ($, €, or the code) and the amount in
// millions, billions or trillions ($730.8bn, €1.22tn).
func Money(cur string, v float64) string {
	d := 1
	if math.Abs(v) >= 1e12 {
		d = 2
	}
	return currencySign(cur) + scaled(v, d)
}

// currencyCode is the account currency's label: cur, or USD for a summary
// or report written before report.currency.
func CurrencyCode(cur string) string {
	if cur == "" {
		return "USD"
	}
	return cur
}

// currencySign is the prefix money writes for currency cur.
func currencySign(cur string) string {
	switch cur = CurrencyCode(cur); cur {
	case "USD":
		return "$"
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	case "JPY":
		return "¥"
	}
	return cur + " "
}

// bnLabel is an axis or row label for amounts in billions of currency cur.
func bnLabel(cur string) string { return CurrencyCode(cur) + " bn" }

// amount writes an amount in the scenario's account currency, without a
// sign for it (the tables name the currency once), with two decimals: 1.23tn,
// 45.60bn, 7.89m.
func amount(v float64) string { return scaled(v, 2) }

// scaled writes v in the largest of tn, bn and m it reaches, with d
// decimals, or whole below a million; −0 prints as 0.
func scaled(v float64, d int) string {
	v += 0
	for _, u := range []struct {
		size float64
		name string
	}{{1e12, "tn"}, {1e9, "bn"}, {1e6, "m"}} {
		if math.Abs(v) >= u.size {
			return strconv.FormatFloat(v/u.size, 'f', d, 64) + u.name
		}
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// top lists the largest entries of m.
func top(m map[string]sim.Num, n int, cur string) string {
	type kv struct {
		k string
		v float64
	}
	var kvs []kv
	for k, v := range m {
		kvs = append(kvs, kv{k, float64(v)})
	}
	sort.Slice(kvs, func(i, j int) bool {
		if kvs[i].v != kvs[j].v {
			return kvs[i].v > kvs[j].v
		}
		return kvs[i].k < kvs[j].k
	})
	var parts []string
	for i, e := range kvs {
		if i == n {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s", e.k, Money(cur, e.v)))
	}
	return strings.Join(parts, ", ")
}
