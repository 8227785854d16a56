package output

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
	"gonum.org/v1/plot/vg"
)

// CompareRow is one line of a side-by-side comparison of two runs.
// A and B are null in JSON where a quantity is undefined (NaN: a
// correlation of an asset that did not move, a VIX proxy in a world
// without one).
//
// Unlike marks an amount of money whose two sides are in different
// currencies (a scenario reporting in EUR against one in USD): its
// difference is undefined, and shown as such, rather than EUR less USD.
//
// Indent is the row's depth under the one it details (1: "by cta" under
// "sales"; 2: "cta sales of NKY" under "by cta"): the printed table
// indents its name by two spaces a level, compare.json holds the name
// alone.
type CompareRow struct {
	Name   string  `json:"name"`
	A      sim.Num `json:"a"`
	B      sim.Num `json:"b"`
	Unlike bool    `json:"unlike_currencies,omitempty"`
	Indent int     `json:"-"`
}

// Diff returns B − A, NaN for an amount in two currencies.
func (r CompareRow) Diff() float64 {
	if r.Unlike {
		return math.NaN()
	}
	return float64(r.B - r.A)
}

// CompareRows lists the summary quantities of two runs side by side.
func CompareRows(a, b *sim.Summary) []CompareRow { return compareRows(a, b, salesKeysOf(a, b)) }

// salesKeys are the breakdowns of sales a comparison shows: a row for each
// kind and reason that any run being compared sold for, and under each
// kind a row for each asset that the kind sold in any run (a run that did
// not reads 0).
type salesKeys struct {
	kinds, reasons []string
	assets         map[string][]string // by kind
}

func salesKeysOf(sums ...*sim.Summary) salesKeys {
	k := salesKeys{assets: map[string][]string{}}
	for _, s := range sums {
		k.kinds = unionKeys(k.kinds, s.ForcedSales.ByKind)
		k.reasons = unionKeys(k.reasons, s.ForcedSales.ByReason)
		for kind, m := range s.ForcedSales.ByKindAsset {
			k.assets[kind] = unionKeys(k.assets[kind], m)
		}
	}
	return k
}

func compareRows(a, b *sim.Summary, keys salesKeys) []CompareRow {
	var rows []CompareRow
	indent := 0 // of the rows add and money append
	add := func(name string, x, y sim.Num) {
		rows = append(rows, CompareRow{Name: name, A: x, B: y, Indent: indent})
	}
	ids := make([]string, 0, len(a.Assets))
	for id := range a.Assets {
		if _, ok := b.Assets[id]; ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		x, y := a.Assets[id], b.Assets[id]
		add(id+" max drawdown %", x.MaxDrawdownPct, y.MaxDrawdownPct)
		add(id+" change %", 100*(x.End/x.Start-1), 100*(y.End/y.Start-1))
		if x.Yield != nil && y.Yield != nil {
			add(id+" yield change bp", 100*(x.Yield.End-x.Yield.Start), 100*(y.Yield.End-y.Yield.Start))
		}
	}
	// Rows that neither world can have are left out (see PrintSummary).
	either := func(kinds ...string) bool { return a.Has(kinds...) || b.Has(kinds...) }
	if a.HasVIX() || b.HasVIX() {
		add("VIX proxy peak", a.VIX.Peak, b.VIX.Peak)
	}
	add("mean correlation peak over the run", a.Correlation.PeakMean, b.Correlation.PeakMean)
	// Amounts in the account currency's label (USD unless report.currency
	// says otherwise); two sides with different labels show both, and no
	// difference.
	cur := bnLabel(a.Currency)
	unlike := false
	if bc := bnLabel(b.Currency); bc != cur {
		cur, unlike = strings.TrimSuffix(cur, " bn")+"/"+bc, true
	}
	Money := func(name string, x, y sim.Num) {
		rows = append(rows, CompareRow{Name: name + " " + cur, A: x / 1e9, B: y / 1e9, Unlike: unlike, Indent: indent})
	}
	Money("sales", a.ForcedSales.Total, b.ForcedSales.Total)
	for _, k := range keys.kinds {
		indent = 1
		Money("by "+k, a.ForcedSales.ByKind[k], b.ForcedSales.ByKind[k])
		indent = 2
		x, y := a.ForcedSales.ByKindAsset[k], b.ForcedSales.ByKindAsset[k]
		for _, id := range keys.assets[k] {
			Money(k+" sales of "+id, x[id], y[id])
		}
	}
	indent = 1
	for _, r := range keys.reasons {
		Money("for "+r, a.ForcedSales.ByReason[r], b.ForcedSales.ByReason[r])
	}
	indent = 0
	if either("prime_broker") {
		add("margin calls", sim.Num(a.MarginCalls.Count), sim.Num(b.MarginCalls.Count))
		Money("margin calls", a.MarginCalls.TotalUSD, b.MarginCalls.TotalUSD)
	}
	add("defaults", sim.Num(len(a.Defaults)), sim.Num(len(b.Defaults)))
	// Banks that end below their min_ratio, failed or passive: a side
	// with its banks off has no defaults but may have these.
	if a.BanksBelowMin != nil || b.BanksBelowMin != nil {
		below := func(s *sim.Summary) sim.Num {
			if s.BanksBelowMin == nil {
				return sim.Num(math.NaN())
			}
			return sim.Num(*s.BanksBelowMin)
		}
		indent = 1
		add("banks below min_ratio", below(a), below(b))
		indent = 0
	}
	// Capital lost, and lost beyond capital (on creditors), in all: read
	// from summaries that report it (written before capital was, they do
	// not).
	if len(a.Capital.ByKind) > 0 || len(b.Capital.ByKind) > 0 {
		capital := func(c *sim.CapitalSummary, loss bool) sim.Num {
			switch {
			case len(c.ByKind) == 0:
				return sim.Num(math.NaN())
			case loss:
				return c.Total.Loss
			}
			return c.Total.Shortfall
		}
		Money("capital lost", capital(&a.Capital, true), capital(&b.Capital, true))
		indent = 1
		Money("lost beyond capital", capital(&a.Capital, false), capital(&b.Capital, false))
		indent = 0
	}
	// The funding market: the repo spread's and the dealer sector's
	// utilization's peaks, in a world that sets funding.
	if a.Funding != nil || b.Funding != nil {
		funding := func(s *sim.Summary, repo bool) sim.Num {
			switch {
			case s.Funding == nil:
				return sim.Num(math.NaN())
			case repo:
				return s.Funding.RepoSpread.Peak
			}
			return 100 * s.Funding.DealerUtil.Peak
		}
		add("repo spread peak bp", funding(a, true), funding(b, true))
		add("dealer utilization peak %", funding(a, false), funding(b, false))
	}
	if either("hedge_fund") {
		add("unwound carry %", a.UnwoundPct["carry"], b.UnwoundPct["carry"])
		add("unwound basis %", a.UnwoundPct["basis"], b.UnwoundPct["basis"])
		// The directional longs (trade kind equity), then by the kind of
		// asset they hold, as either side has them.
		add("unwound longs %", a.UnwoundPct["equity"], b.UnwoundPct["equity"])
		nan := sim.Num(math.NaN())
		for k := core.AssetKind(0); k < core.NumAssetKinds; k++ {
			x, okA := a.UnwoundLongPct[k.String()]
			y, okB := b.UnwoundLongPct[k.String()]
			if !okA && !okB {
				continue
			}
			if !okA {
				x = nan
			}
			if !okB {
				y = nan
			}
			indent = 1
			add("longs in "+assetKindNoun(k)+" %", x, y)
			indent = 0
		}
	}
	add("headline move %", a.HeadlineMove, b.HeadlineMove)
	// Amplification is each side's move over its own passive twin's: the
	// twin's move, its denominator, beside it (PassiveNote).
	add("passive move %", a.PassiveMove, b.PassiveMove)
	add("amplification", a.Amplification, b.Amplification)
	if either(sim.Levered...) {
		add("compression index", a.CompressionIndex, b.CompressionIndex)
	}
	followRows(a, b, add, Money)
	return rows
}

// PassiveNote returns the line under a comparison's table when the two
// sides' passive twins moved differently (passive move % at pa and pb, at
// two decimals): each amplification is then a ratio over its own
// denominator, and the two do not compare as the moves do. Empty when the
// twins moved alike.
func PassiveNote(pa, pb sim.Num) string {
	x, y := float64(pa), float64(pb)
	if math.IsNaN(x) || math.IsNaN(y) || math.Round(100*x) == math.Round(100*y) {
		return ""
	}
	return fmt.Sprintf("the passive twins moved %s%% and %s%%: each amplification divides its side's move by its own twin's, so compare the headline moves, not only the ratios",
		trim(x), trim(y))
}

// OnlyAsset is an asset that one side of a comparison has and the other
// does not: its moves on the side that has it (medians over the seeds at
// several seeds), which the table, of the assets both sides have, leaves
// out.
type OnlyAsset struct {
	ID   string `json:"id"`
	Side string `json:"side"` // "a" or "b"
	// MaxDrawdownPct and ChangePct are the table's "max drawdown %" and
	// "change %"; YieldChangeBp its "yield change bp" (bonds).
	MaxDrawdownPct sim.Num  `json:"max_drawdown_pct"`
	ChangePct      sim.Num  `json:"change_pct"`
	YieldChangeBp  *sim.Num `json:"yield_change_bp,omitempty"`
}

// OnlyAssets lists the assets only one side has, A's then B's, each in
// order of id: as[k] and bs[k] are the two sides' summaries at seed k.
func OnlyAssets(as, bs []*sim.Summary) []OnlyAsset {
	if len(as) == 0 || len(bs) == 0 {
		return nil
	}
	var out []OnlyAsset
	one := func(side string, own, other []*sim.Summary) {
		var ids []string
		for id := range own[0].Assets {
			if _, ok := other[0].Assets[id]; !ok {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		for _, id := range ids {
			var dd, ch, yc []sim.Num
			for _, s := range own {
				x := s.Assets[id]
				dd = append(dd, x.MaxDrawdownPct)
				ch = append(ch, 100*(x.End/x.Start-1))
				if x.Yield != nil {
					yc = append(yc, 100*(x.Yield.End-x.Yield.Start))
				}
			}
			o := OnlyAsset{ID: id, Side: side}
			o.MaxDrawdownPct, _, _ = seedStats(dd)
			o.ChangePct, _, _ = seedStats(ch)
			if len(yc) > 0 {
				m, _, _ := seedStats(yc)
				o.YieldChangeBp = &m
			}
			out = append(out, o)
		}
	}
	one("a", as, bs)
	one("b", bs, as)
	return out
}

// PrintOnlyAssets writes the block under a comparison's table that gives
// the assets only one side has, headed by the side's column head.
func PrintOnlyAssets(w io.Writer, headA, headB string, only []OnlyAsset) {
	if len(only) == 0 {
		return
	}
	for _, side := range []string{"a", "b"} {
		head := headA
		if side == "b" {
			head = headB
		}
		var these []OnlyAsset
		for _, o := range only {
			if o.Side == side {
				these = append(these, o)
			}
		}
		if len(these) == 0 {
			continue
		}
		fmt.Fprintf(w, "assets only %s has (not in the table):\n", head)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		names := make([]string, len(these))
		for i, o := range these {
			names[i] = o.ID
		}
		names = indentNames(names, func(int) int { return 1 })
		fmt.Fprintf(tw, "\tmax drawdown %%\tchange %%\tyield change bp\t\n")
		for i, o := range these {
			yc := ""
			if o.YieldChangeBp != nil {
				yc = trim(float64(*o.YieldChangeBp))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", names[i], trim(float64(o.MaxDrawdownPct)), trim(float64(o.ChangePct)), yc)
		}
		tw.Flush()
	}
}

// unionKeys returns the sorted union of keys and m's keys.
func unionKeys(keys []string, m map[string]sim.Num) []string {
	for k := range m {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// CompareSeedsRow is one quantity of a comparison made at several seeds,
// both sides run on each seed. A, B and Diff (B − A, seed by seed) hold a
// value per seed, in the order of the seeds (null where a quantity is
// undefined). The medians are over the seeds with a value, the 5–95%
// range of the difference is by nearest rank, and Above and Below count
// the seeds on which B is above or below A.
type CompareSeedsRow struct {
	Name       string    `json:"name"`
	Indent     int       `json:"-"` // as CompareRow's
	A          []sim.Num `json:"a"`
	B          []sim.Num `json:"b"`
	Diff       []sim.Num `json:"diff"`
	MedianA    sim.Num   `json:"median_a"`
	MedianB    sim.Num   `json:"median_b"`
	MedianDiff sim.Num   `json:"median_diff"`
	P05Diff    sim.Num   `json:"p05_diff"`
	P95Diff    sim.Num   `json:"p95_diff"`
	Above      int       `json:"b_above"`
	Below      int       `json:"b_below"`
}

// CompareSeeds lists the summary quantities of pairs of runs, as[k] and
// bs[k] run on seed k: the rows of CompareRows, each with its value at
// every seed and the statistics of CompareSeedsRow. A breakdown of sales
// that any run has is a row for every seed.
func CompareSeeds(as, bs []*sim.Summary) ([]CompareSeedsRow, error) {
	if len(as) != len(bs) || len(as) == 0 {
		return nil, fmt.Errorf("compare: %d runs against %d", len(as), len(bs))
	}
	keys := salesKeysOf(append(slices.Clip(as), bs...)...)
	var out []CompareSeedsRow
	for k := range as {
		rows := compareRows(as[k], bs[k], keys)
		if k == 0 {
			out = make([]CompareSeedsRow, len(rows))
		}
		if len(rows) != len(out) {
			return nil, fmt.Errorf("compare: seed %d has %d quantities, seed 0 %d", k, len(rows), len(out))
		}
		for i, r := range rows {
			o := &out[i]
			if k == 0 {
				o.Name, o.Indent = r.Name, r.Indent
			} else if o.Name != r.Name {
				return nil, fmt.Errorf("compare: seed %d's quantity %d is %q, seed 0's %q", k, i, r.Name, o.Name)
			}
			o.A, o.B, o.Diff = append(o.A, r.A), append(o.B, r.B), append(o.Diff, sim.Num(r.Diff()))
			switch d := r.Diff(); {
			case d > 0:
				o.Above++
			case d < 0:
				o.Below++
			}
		}
	}
	for i := range out {
		o := &out[i]
		o.MedianA, _, _ = seedStats(o.A)
		o.MedianB, _, _ = seedStats(o.B)
		o.MedianDiff, o.P05Diff, o.P95Diff = seedStats(o.Diff)
	}
	return out, nil
}

// seedStats returns the median and the nearest-rank 5% and 95% points of
// the values that are numbers (NaN when none is).
func seedStats(v []sim.Num) (med, p05, p95 sim.Num) {
	xs := make([]float64, 0, len(v))
	for _, x := range v {
		if !math.IsNaN(float64(x)) {
			xs = append(xs, float64(x))
		}
	}
	if len(xs) == 0 {
		return sim.Num(math.NaN()), sim.Num(math.NaN()), sim.Num(math.NaN())
	}
	sort.Float64s(xs)
	return sim.Num(Median(xs)), sim.Num(Rank(xs, 0.05)), sim.Num(Rank(xs, 0.95))
}

// Median returns the median of sorted xs (NaN when empty).
func Median(xs []float64) float64 {
	n := len(xs)
	switch {
	case n == 0:
		return math.NaN()
	case n%2 == 1:
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// Rank returns the nearest-rank p-quantile of sorted, nonempty xs: an
// element of xs, with no interpolation to round differently elsewhere.
func Rank(xs []float64, p float64) float64 {
	k := int(math.Ceil(p*float64(len(xs)))) - 1
	return xs[max(0, min(k, len(xs)-1))]
}

// PrintCompareSeeds writes the table of a comparison at several seeds.
func PrintCompareSeeds(w io.Writer, labelA, labelB string, seeds int, rows []CompareSeedsRow) {
	fmt.Fprintf(w, "medians over %d seeds, both sides on each; B - A is taken seed by seed, with its 5-95%% range and the seeds on which B is above and below A\n", seeds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.Name
	}
	names = indentNames(names, func(i int) int { return rows[i].Indent })
	fmt.Fprintf(tw, "\t%s\t%s\tB - A\t5-95%%\tB > A\tB < A\t\n", labelA, labelB)
	for i, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s – %s\t%d\t%d\t\n", names[i], trim(float64(r.MedianA)), trim(float64(r.MedianB)),
			trim(float64(r.MedianDiff)), trim(float64(r.P05Diff)), trim(float64(r.P95Diff)), r.Above, r.Below)
	}
	tw.Flush()
}

// PrintCompare writes the side-by-side table.
func PrintCompare(w io.Writer, labelA, labelB string, rows []CompareRow) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.Name
	}
	names = indentNames(names, func(i int) int { return rows[i].Indent })
	fmt.Fprintf(tw, "\t%s\t%s\tB - A\tchange\t\n", labelA, labelB)
	for i, r := range rows {
		a, b := float64(r.A), float64(r.B)
		ch := ""
		// No percent change to or from an infinite value (a utilization
		// with no capital left): it would read +Inf% or -100%.
		if a != 0 && isFinite(a) && isFinite(b) && !r.Unlike {
			ch = fmt.Sprintf("%+.0f%%", 100*(b/a-1))
			if ch == "-0%" || ch == "+0%" {
				ch = "0%"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", names[i], trim(a), trim(b), trim(r.Diff()), ch)
	}
	tw.Flush()
}

// indentNames returns the names of a table's rows as its first column
// shows them: each indented by two spaces a level of indent(i), and all
// padded on the right to one width, so that the column reads left-aligned
// (its indentation visible) where the numbers beside it are right-aligned.
func indentNames(names []string, indent func(i int) int) []string {
	width := 0
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.Repeat("  ", indent(i)) + n
		width = max(width, utf8.RuneCountInString(out[i]))
	}
	for i := range out {
		out[i] += strings.Repeat(" ", width-utf8.RuneCountInString(out[i]))
	}
	return out
}

// OverlayName names one run of an overlay plot. Head is what the title,
// the legend entries and the labels of the events only that run has call
// it: the head of its column in compare's table. Label is its full name;
// where it is not the head (a label too long for a legend entry, headed
// A or B) a note under the title gives it ("B: set: events+=[…]"),
// wrapped to the figure's width. An empty Head is the Label.
type OverlayName struct{ Label, Head string }

// head returns what the plot calls the run.
func (n OverlayName) head() string {
	if n.Head == "" {
		return n.Label
	}
	return n.Head
}

// RenderOverlay draws the price paths of two runs on shared panels (A
// solid, B dashed) into dir as compare_prices.png and .svg: every asset of
// either run (metaA's, then those only metaB has), each run against its
// own time axis, so that runs of different lengths or dates are drawn where
// they lie, with the scenario events of both (an event only one run has is
// labelled with its run's head).
func RenderOverlay(dir string, nameA, nameB OverlayName, a, b *Table, metaA, metaB Meta) ([]string, error) {
	fig, err := overlayFigure(nameA, nameB, a, b, metaA, metaB)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, ext := range []string{".png", ".svg"} {
		p := filepath.Join(dir, "compare_prices"+ext)
		if err := fig.Save(p); err != nil {
			return files, err
		}
		files = append(files, p)
	}
	return files, nil
}

// overlayFigure is RenderOverlay's figure.
func overlayFigure(nameA, nameB OverlayName, a, b *Table, metaA, metaB Meta) (*Figure, error) {
	xa, spanA, err := timeAxis(a, metaA.Tick)
	if err != nil {
		return nil, err
	}
	xb, spanB, err := timeAxis(b, metaB.Tick)
	if err != nil {
		return nil, err
	}
	span := spanA
	if spanA[0] >= spanA[1] {
		span = spanB
	} else if spanB[0] < spanB[1] {
		span = [2]float64{min(spanA[0], spanB[0]), max(spanA[1], spanB[1])}
	}
	labelA, labelB := nameA.head(), nameB.head()
	assets := append([]AssetMeta(nil), metaA.Assets...)
	for _, as := range metaB.Assets {
		if !slices.ContainsFunc(metaA.Assets, func(x AssetMeta) bool { return x.ID == as.ID }) {
			assets = append(assets, as)
		}
	}
	var panels []Panel
	for _, g := range []string{"fx", "rates", "equity", "other"} {
		p := Panel{Title: groupTitle(g), YLabel: "first close = 100", HLines: []float64{100}}
		k := 0
		for _, as := range assets {
			if as.Group != g || as.Kind == "illiquid" {
				continue
			}
			ca, okA := a.Column(as.ID)
			cb, okB := b.Column(as.ID)
			okA = okA && len(ca.F) > 0 && len(ca.F) == len(xa)
			okB = okB && len(cb.F) > 0 && len(cb.F) == len(xb)
			if !okA && !okB {
				continue
			}
			c := Color(k)
			k++
			if okA {
				p.Series = append(p.Series, Series{Name: as.ID + " " + labelA, X: xa, Y: norm(ca.F), Color: c})
			}
			if okB {
				p.Series = append(p.Series, Series{Name: as.ID + " " + labelB, X: xb, Y: norm(cb.F), Color: c, Dashed: true})
			}
		}
		if len(p.Series) > 0 {
			panels = append(panels, p)
		}
	}
	var notes []string
	for _, n := range []OverlayName{nameA, nameB} {
		if n.head() != n.Label {
			notes = append(notes, n.head()+": "+n.Label)
		}
	}
	return &Figure{Title: overlayTitle(labelA, labelB, metaA.Scenario, metaB.Scenario), Notes: notes, TimeAxis: true, XRange: span,
		Markers: overlayMarkers(labelA, labelB, metaA, metaB), Panels: panels, Height: 7 * vg.Inch}, nil
}

// overlayTitle is the overlay's title: the runs' heads, led by the
// scenario they ran ("aug2024: baseline (solid) vs off: hedge_fund
// (dashed)"), or by both scenarios where they differ and a head does not
// already name its own.
func overlayTitle(labelA, labelB, scenA, scenB string) string {
	t := fmt.Sprintf("%s (solid) vs %s (dashed)", labelA, labelB)
	switch {
	case scenA == "" || scenB == "":
		return t
	case scenA == scenB:
		return scenA + ": " + t
	case !strings.HasPrefix(labelA, scenA) || !strings.HasPrefix(labelB, scenB):
		return scenA + " vs " + scenB + ": " + t
	}
	return t
}

// overlayMarkers returns the markers of both runs' scenario events, in
// time order: an event both have (same instant, same label) once, as it
// is; one that only one run has with that run's head added.
func overlayMarkers(labelA, labelB string, metaA, metaB Meta) []Marker {
	ma, mb := markers(metaA), markers(metaB)
	has := func(ms []Marker, m Marker) bool {
		return slices.ContainsFunc(ms, func(x Marker) bool { return x.X == m.X && x.Label == m.Label })
	}
	var out []Marker
	for _, m := range ma {
		if !has(mb, m) {
			m.Label += " (" + labelA + ")"
		}
		out = append(out, m)
	}
	for _, m := range mb {
		if !has(ma, m) {
			m.Label += " (" + labelB + ")"
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(x, y Marker) int { return cmp.Compare(x.X, y.X) })
	return out
}

func norm(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = 100 * x / v[0]
	}
	return out
}
