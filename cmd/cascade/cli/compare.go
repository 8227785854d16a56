package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"github.com/cascade-sim/cascade/sweep"
	"github.com/spf13/cobra"
)

func init() { extra = append(extra, newCompareCmd) }

func newCompareCmd() *cobra.Command {
	var off string
	var out string
	var force bool
	var seed uint64
	var sets, setB []string
	var seeds, workers int
	c := &cobra.Command{
		Use:   "compare SCENARIO --off CHANNEL[,CHANNEL] | compare SCENARIO --set-b PATH=VALUE | compare A B",
		Short: "Run two sides of a counterfactual and compare them side by side",
		Long: `Compare a scenario with itself with channels switched off (--off) or fields
changed (--set-b, the counterfactual: any field a scenario file sets), or
two scenarios (A and B). --set overrides a field on both sides, --set-b on
side B only. Both sides run with the same seed, which pairs their draws
unless the two differ in their assets (ids or order), warm-up or shock
distribution (the noise), or in the agent entries that come before a
population's vary draws: notes under the table then say which, and
that B - A is not a paired difference. The command prints a
side-by-side table of their summaries and writes, into the output directory
(default out/compare-A-B for two scenarios, out/compare-A-off-CHANNEL with
--off, out/compare-A-set-PATH=VALUE with --set-b, a * in the path written
"all"), compare.json and an
overlay plot of the price paths (A solid, B dashed). Amplification is each
side's move with all its feedback over the move with every agent passive
(the row "passive move %" above it); a note says when the two sides'
passive moves differ, as two ratios over different denominators. Assets
only one side has are listed in a block under the table with their moves
(compare.json: only_one_side).
An existing output directory is replaced only with --force, and only if it
is empty or holds a comparison's output (its compare.json) and nothing else.
The table's columns are headed by the sides' labels (baseline, "off:
CHANNEL", "set: PATH=VALUE", a scenario's name); a label longer than 40
characters (a long --set-b, such as an appended event) is headed A or B
and written in full on a line under the table ("B: set: ..."), as
compare.json's label keeps it; the overlay plot calls it A or B too, and
writes it in full under its title. With two scenarios, lines under the
table name each side's file ("A: aug2024, wkfund.yaml"), which
compare.json keeps as the side's source.
SCENARIO, A and B are each a file, a built-in's name, or a run's
manifest.json (the scenario that run ran, with its seed).

A replay (a scenario with an observed: list) compared with itself, or
two scenarios with the same list, is also scored on both sides as cascade
score scores it: a second table gives each observed quantity, what
markets did, the tolerance, each side's simulated value, B - A, and
whether each side is within tolerance; compare.json holds them under
score. Sides with different lists (or one without) are not scored, and a
note says so.

One seed is one draw of the noise and of the populations' parameters.
--seeds N runs both sides at N seeds: the scenario's own (or --seed) and,
for k = 1 ... N-1, core.RunSeed(that seed, k), as cascade score does. Each
seed runs both sides, so the difference B - A is taken seed by seed (common
random numbers): the table shows each side's median, the median of the
difference and its 5-95% range (nearest rank), and on how many seeds B is
above and below A. A block under the table says whether each row's
B - A is more than seed noise: its mean, standard error, 95% interval
(mean ± t·s.e., Student's t, as cascade channels) and the exact
two-sided sign test (seeds with B = A set aside, as a sweep's
paired.csv), with "no effect on any seed" or "not distinguishable from
0 at N seeds" where it helps. compare.json then holds every seed's
values and those statistics (n_used, mean_diff, se_diff, ci95_low_diff,
ci95_high_diff, sign_p); the overlay plot is of the first seed. When neither side draws anything from
its seed (noise: {off: true} and no population's vary, as eba2018), every
seed makes the same pair of runs: the comparison runs one seed, as
without --seeds, and says so ("noise is off: one seed"; seeds_asked in
compare.json). The scored quantities at N seeds are each side's median,
the median of B - A taken seed by seed, and on how many seeds each side
is within tolerance, as cascade score --seeds counts them, with a block
of the same statistics of B - A.`,
		Example: "  cascade compare aug2024 --off cross_margin\n  cascade compare aug2024 --off cross_margin,offset_drop\n  cascade compare aug2024 --off valuation_links --seeds 40\n  cascade compare aug2024 --set-b 'agents.*.rebalance_at=close' --seeds 40\n  cascade compare boj2026-150-hawkish-facility-full boj2026-150-hawkish-facility-half",
		Args:    args(cobra.RangeArgs(1, 2)),
		RunE: func(c *cobra.Command, a []string) error {
			if len(a) == 1 && off == "" && len(setB) == 0 {
				return inputError(usageError{fmt.Errorf("give one scenario and what changes on side B (--off, --set-b), or two scenarios")})
			}
			if len(a) == 2 && off != "" {
				return inputError(usageError{fmt.Errorf("--off compares one scenario with itself: give one scenario, or write the channels off into B (channels: {off: [...]}, or --set-b 'channels.off=[...]')")})
			}
			if off != "" {
				if _, err := (sim.ChannelSpec{Off: strings.Split(off, ",")}).Channels(); err != nil {
					return inputError(usageError{fmt.Errorf("--off: %w", err)})
				}
			}
			if err := checkSeeds(seeds); err != nil {
				return inputError(usageError{err})
			}
			cmp := &comparison{off: off, out: out, force: force, seed: seed, seedSet: c.Flags().Changed("seed"), sets: sets,
				setB: setB, seeds: seeds, workers: workers}
			return cmp.run(c.Context(), c.OutOrStdout(), a)
		},
	}
	c.Flags().StringVar(&off, "off", "", "channels to switch off on side B, comma-separated: "+strings.Join(sim.ChannelNames, ", ")+", an agent kind, or all")
	c.Flags().StringVarP(&out, "out", "o", "", "output directory (default out/compare-A-B, out/compare-A-off-CHANNEL with --off, or out/compare-A-set-PATH=VALUE with --set-b)")
	c.Flags().BoolVar(&force, "force", false, "replace an existing output directory (empty, or a comparison's output and nothing else)")
	c.Flags().Uint64Var(&seed, "seed", 0, "random seed for both sides (default: A's)")
	c.Flags().StringArrayVar(&sets, "set", nil, "override a field on both sides: path.to.field=value (repeatable)")
	c.Flags().StringArrayVar(&setB, "set-b", nil, "override a field on side B only, after --set: path.to.field=value (repeatable)")
	c.Flags().IntVar(&seeds, "seeds", 1, "run both sides at this many seeds and show medians and the paired difference's range")
	c.Flags().IntVarP(&workers, "workers", "j", runtime.GOMAXPROCS(0), "runs at once (with --seeds; unless given, one per core the process may use: GOMAXPROCS)")
	return c
}

type comparison struct {
	off, out string
	force    bool
	seed     uint64
	seedSet  bool
	sets     []string
	setB     []string // side B only, after sets
	seeds    int      // 0 counts as 1
	workers  int
}

// side is one run of a comparison.
type side struct {
	label string
	sum   *sim.Summary
	rec   *output.Recorder
}

func (cmp *comparison) run(ctx context.Context, stdout io.Writer, names []string) error {
	a, err := scenarios.Load(names[0], cmp.sets)
	if err != nil {
		return err
	}
	both := scenarios.Overrides{Flag: "--set", Sets: cmp.sets}
	onB := scenarios.Overrides{Flag: "--set-b", Sets: cmp.setB}
	var b *scenarios.Scenario
	labelA, labelB := a.File.Name, ""
	if len(names) == 2 {
		if b, err = scenarios.LoadOverrides(names[1], both, onB); err != nil {
			return err
		}
		labelB = b.File.Name
		if labelA == labelB {
			labelA, labelB = "A", "B"
		}
		if len(cmp.setB) > 0 {
			labelB += " (set)"
		}
		if ta, tb := a.File.Start.Add(time.Duration(a.File.Ticks)*a.File.Tick), b.File.Start.Add(time.Duration(b.File.Ticks)*b.File.Tick); !ta.Equal(tb) || !a.File.Start.Equal(b.File.Start) {
			fmt.Fprintf(os.Stderr, "note: %s runs %s to %s and %s %s to %s: changes over the run, drawdowns and sales cover different spans\n",
				a.File.Name, a.File.Start.Format(time.DateOnly), ta.Format(time.DateOnly), b.File.Name, b.File.Start.Format(time.DateOnly), tb.Format(time.DateOnly))
		}
		if ca, cb := output.CurrencyCode(a.File.Report.Currency), output.CurrencyCode(b.File.Report.Currency); ca != cb {
			fmt.Fprintf(os.Stderr, "note: %s reports in %s and %s in %s: amounts of money are shown side by side, without a difference (n/a)\n",
				a.File.Name, ca, b.File.Name, cb)
		}
	} else {
		var parts []string
		groups := []scenarios.Overrides{both}
		if cmp.off != "" {
			groups = append(groups, scenarios.Overrides{Flag: "--off", Sets: []string{"channels.off=[" + cmp.off + "]"}})
			parts = append(parts, "off: "+cmp.off)
		}
		if len(cmp.setB) > 0 {
			parts = append(parts, "set: "+strings.Join(cmp.setB, "; "))
		}
		if b, err = scenarios.LoadOverrides(names[0], append(groups, onB)...); err != nil {
			return err
		}
		if cmp.off != "" {
			b.File.Channels.Off = append(append([]string{}, a.File.Channels.Off...), b.File.Channels.Off...)
			for _, o := range strings.Split(cmp.off, ",") {
				if why := a.File.Inert(o); why != "" {
					fmt.Fprintf(os.Stderr, "note: %s can carry nothing in %s (%s): switching it off changes nothing\n", o, a.File.Name, why)
				}
			}
		}
		labelA, labelB = "baseline", strings.Join(parts, ", ")
		if len(cmp.setB) > 0 {
			if bytes.Equal(a.Resolved, b.Resolved) {
				fmt.Fprintf(os.Stderr, "note: --set-b leaves %s as it was: the two sides are the same scenario\n", a.File.Name)
			}
		}
	}
	obs := scoredList(a, b)
	seed := a.File.Seed
	if cmp.seedSet {
		seed = cmp.seed
	}
	dir := cmp.out
	if dir == "" {
		dir = filepath.Join("out", "compare-"+safe(a.File.Name)+"-"+slug(labelB))
	}
	if err := checkOutDir(dir); err != nil {
		return err
	}
	stage, err := output.NewStageOf(dir, cmp.force, output.CompareKind)
	if err != nil {
		return stageError(err)
	}
	defer stage.Abort()
	nSeeds, asked := seedsToRun(max(cmp.seeds, 1), &a.File.Config, &b.File.Config)
	seeds := core.Seeds(seed, nSeeds)
	as, bs, first, err := cmp.runPairs(ctx, &a.File.Config, &b.File.Config, labelA, labelB, seeds, obs)
	if err != nil {
		return err
	}
	// The tables' columns and the plot's legends: a label too long for a
	// header is A or B, named in full under the table and the plot's
	// title (compare.json keeps it).
	headA, headB, legend := compareHeads(labelA, labelB)
	if len(names) == 2 {
		// Two files may share a name (two variants that extend aug2024
		// and name themselves aug2024): under the table, each side's
		// file, and compare.json keeps it as the side's source.
		nameB := b.File.Name
		if len(cmp.setB) > 0 {
			nameB += " (set)"
		}
		legend = []string{sideSource(headA, a.File.Name, a.Origin), sideSource(headB, nameB, b.Origin)}
	}
	var showScore, showStats func()
	var doc map[string]any
	var show func()
	where := dir
	// Under the table: what the seed does not pair (the noise of two
	// lists of assets, populations drawn at other places of their
	// stream), the assets only one side has, and passive twins that moved
	// differently (amplification's two denominators).
	notes := unpairedNotes(&a.File.Config, &b.File.Config)
	only := output.OnlyAssets(sums(as), sums(bs))
	var pa, pb sim.Num
	if len(seeds) == 1 {
		rows := output.CompareRows(as[0].sum, bs[0].sum)
		pa, pb = as[0].sum.PassiveMove, bs[0].sum.PassiveMove
		doc = map[string]any{"schema": output.CompareKind.Schema, "a": map[string]any{"label": labelA, "source": a.Origin, "summary": as[0].sum},
			"b": map[string]any{"label": labelB, "source": b.Origin, "summary": bs[0].sum}, "rows": rows}
		show = func() { output.PrintCompare(stdout, headA, headB, rows) }
		if obs != nil {
			score, err := output.CompareScore(as[0].score, bs[0].score)
			if err != nil {
				return err
			}
			doc["score"] = score
			showScore = func() { output.PrintCompareScore(stdout, a.File.Name, headA, headB, score) }
		}
		if asked > 0 {
			doc["seeds_asked"] = asked
			what := a.File.Name
			if b.File.Name != a.File.Name {
				what = "either scenario"
			}
			show = func() {
				fmt.Fprintln(stdout, oneSeedNote(what, asked, "pair of runs"))
				output.PrintCompare(stdout, headA, headB, rows)
			}
		}
	} else {
		rows, err := output.CompareSeeds(sums(as), sums(bs))
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.Name == "passive move %" {
				pa, pb = r.MedianA, r.MedianB
			}
		}
		seedsJSON := make([]string, len(seeds))
		for k, x := range seeds {
			seedsJSON[k] = strconv.FormatUint(x, 10)
		}
		stats := withDiffStats(rows)
		doc = map[string]any{"schema": output.CompareKind.Schema, "seeds": seedsJSON,
			"a": map[string]any{"label": labelA, "source": a.Origin}, "b": map[string]any{"label": labelB, "source": b.Origin}, "rows": stats}
		show = func() { output.PrintCompareSeeds(stdout, headA, headB, len(seeds), rows) }
		showStats = func() { printDiffStats(stdout, len(seeds), "the table's rows", seedsStatsLines(stats)) }
		if obs != nil {
			score, err := output.CompareScoreSeeds(scores(as), scores(bs))
			if err != nil {
				return err
			}
			scoreStats := withScoreDiffStats(score)
			doc["score"] = scoreStats
			showScore = func() {
				output.PrintCompareScoreSeeds(stdout, a.File.Name, headA, headB, len(seeds), score)
				fmt.Fprintln(stdout)
				printDiffStats(stdout, len(seeds), "the scored quantities", scoreStatsLines(scoreStats))
			}
		}
		where = fmt.Sprintf("%s (the overlay plot is of seed %d)", dir, seeds[0])
	}
	if n := output.PassiveNote(pa, pb); n != "" {
		notes = append(notes, n)
	}
	if len(notes) > 0 {
		doc["notes"] = notes
	}
	if len(only) > 0 {
		doc["only_one_side"] = only
	}
	doc["made_by"] = output.Made(version, os.Args)
	if err := stage.WriteFile("compare.json", func(w io.Writer) error { return output.WriteJSON(w, doc) }); err != nil {
		return err
	}
	if _, err := output.RenderOverlay(stage.Dir(), output.OverlayName{Label: labelA, Head: headA}, output.OverlayName{Label: labelB, Head: headB}, first[0].rec.Timeseries(), first[1].rec.Timeseries(), first[0].rec.Meta(), first[1].rec.Meta()); err != nil {
		return err
	}
	if err := commit(ctx, stage); err != nil {
		return stageError(err)
	}
	show()
	for _, l := range legend {
		fmt.Fprintln(stdout, l)
	}
	output.PrintOnlyAssets(stdout, headA, headB, only)
	for _, n := range notes {
		fmt.Fprintln(stdout, "note: "+n)
	}
	if showStats != nil {
		fmt.Fprintln(stdout)
		showStats()
	}
	if showScore != nil {
		fmt.Fprintln(stdout)
		showScore()
	}
	fmt.Fprintf(stdout, "outputs in %s\n", where)
	return nil
}

// unpairedNotes returns the notes under a comparison's table that say
// what the one seed of both sides does not pair (sim.Unpaired): the
// difference B - A then holds other draws besides what changed.
func unpairedNotes(a, b *sim.Config) []string {
	var notes []string
	for _, why := range sim.Unpaired(a, b) {
		notes = append(notes, why+"; B - A is not a paired difference")
	}
	return notes
}

// scoredList returns the observed: list both sides of a comparison are
// scored against: A's, when B has the same list (B is A with channels off
// or fields changed, or a scenario that extends A and keeps its list);
// nil, with a note when either side has a list, otherwise.
func scoredList(a, b *scenarios.Scenario) []scenarios.Observation {
	oa, ob := a.File.Observed, b.File.Observed
	if len(oa) == 0 && len(ob) == 0 {
		return nil
	}
	ja, errA := json.Marshal(oa)
	jb, errB := json.Marshal(ob)
	if errA == nil && errB == nil && bytes.Equal(ja, jb) {
		return oa
	}
	why := "the two sides' observed: lists differ"
	switch {
	case len(ob) == 0:
		why = "only " + a.File.Name + " has an observed: list"
	case len(oa) == 0:
		why = "only " + b.File.Name + " has an observed: list"
	}
	fmt.Fprintf(os.Stderr, "note: %s: no scored quantities (they need both sides scored against one list)\n", why)
	return nil
}

// scored is one run of a comparison: its summary and, when the sides are
// scored, its score.
type scored struct {
	sum   *sim.Summary
	score []output.ScoreRow
}

func sums(runs []scored) []*sim.Summary {
	out := make([]*sim.Summary, len(runs))
	for k, r := range runs {
		out[k] = r.sum
	}
	return out
}

func scores(runs []scored) [][]output.ScoreRow {
	out := make([][]output.ScoreRow, len(runs))
	for k, r := range runs {
		out[k] = r.score
	}
	return out
}

// runPairs runs sides A and B at each seed, each with its passive twin,
// on up to cmp.workers goroutines: as[k] and bs[k] are seed k's
// summaries, each scored against obs unless it is nil, and first the two
// runs of the first seed, recorded for the overlay plot.
func (cmp *comparison) runPairs(ctx context.Context, cfgA, cfgB *sim.Config, labelA, labelB string, seeds []uint64, obs []scenarios.Observation) (as, bs []scored, first [2]*side, err error) {
	as, bs = make([]scored, len(seeds)), make([]scored, len(seeds))
	err = parallel(2*len(seeds), cmp.workers, func(j int) error {
		k, cfg, label, runs := j/2, cfgA, labelA, as
		if j%2 == 1 {
			cfg, label, runs = cfgB, labelB, bs
		}
		if len(seeds) > 1 {
			label = fmt.Sprintf("%s (seed %d)", label, seeds[k])
		}
		var so *sweep.ScoreObserver
		var observers []sim.Observer
		if obs != nil {
			so = sweep.NewScoreObserver(obs, cfg.Ticks)
			observers = append(observers, so)
		}
		r := &runs[k]
		if k > 0 {
			sum, err := sim.RunSummary(ctx, cfg, seeds[k], true, observers...)
			if err != nil {
				return fmt.Errorf("%s: %w", label, err)
			}
			r.sum = sum
		} else {
			sd, err := runSide(ctx, cfg, seeds[k], label, observers...)
			if err != nil {
				return err
			}
			first[j], r.sum = sd, sd.sum
		}
		if so != nil {
			score, err := so.Score()
			if err != nil {
				return fmt.Errorf("%s: score: %w", label, err)
			}
			r.score = score
		}
		return nil
	})
	return as, bs, first, err
}

// runSide runs one side with its passive twin, and observers besides.
func runSide(ctx context.Context, cfg *sim.Config, seed uint64, label string, observers ...sim.Observer) (*side, error) {
	m, err := sim.Build(cfg, seed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	col := sim.NewCollector()
	rec := output.NewRecorder(false)
	if err := m.Run(ctx, append([]sim.Observer{col, rec}, observers...)...); err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	tw, err := sim.PassiveTwin(ctx, cfg, seed)
	if err != nil {
		return nil, fmt.Errorf("%s: passive twin: %w", label, err)
	}
	col.S.SetTwin(tw)
	return &side{label: label, sum: col.S, rec: rec}, nil
}

// maxHead is the longest label, in characters, a compare table takes as
// a column header.
const maxHead = 40

// compareHeads returns the tables' column headers for sides labelled
// labelA and labelB, each its label when that is at most maxHead
// characters and else "A" or "B", with the legend lines that name what
// a short header stands for ("B: set: events+=[...]"). A long --set-b
// (an appended event, a label path) made the table as wide as the text.
func compareHeads(labelA, labelB string) (headA, headB string, legend []string) {
	head := func(label, short string) string {
		if utf8.RuneCountInString(label) <= maxHead {
			return label
		}
		legend = append(legend, short+": "+label)
		return short
	}
	headA = head(labelA, "A")
	headB = head(labelB, "B")
	return headA, headB, legend
}

// sideSource is the line under a comparison of two scenarios that says
// where a side was read from: "wkfund: wkfund.yaml", or with its label in
// full when the column is headed A or B ("A: aug2024, built-in aug2024").
// name is the side's scenario name (with " (set)" for --set-b), origin its
// file, or builtin:NAME.
func sideSource(head, name, origin string) string {
	from := origin
	if name, ok := strings.CutPrefix(origin, "builtin:"); ok {
		from = "built-in " + name
	}
	if name != head {
		return head + ": " + name + ", " + from
	}
	return head + ": " + from
}

// slug makes side B's label a directory name: "off: a,b" becomes
// off-a-b and "set: agents.*.x=1" set-agents.all.x=1; characters other
// than letters, digits, '.', '_', '=' and '-' become '-', runs of them
// one, and it is cut at 80 bytes.
func slug(label string) string {
	label = strings.NewReplacer("*", "all", ": ", "-").Replace(label)
	var b strings.Builder
	dash := false
	for _, r := range label {
		ok := r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._=", r))
		if !ok {
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = true
			continue
		}
		b.WriteRune(r)
		dash = false
	}
	out := strings.TrimRight(b.String(), "-")
	if len(out) > 80 {
		out = strings.TrimRight(out[:80], "-")
	}
	return out
}

// maxSeeds is the most seeds --seeds takes: each seed's results are held
// until the medians are taken. A study of more is a sweep (cascade sweep),
// whose runs each have a seed of their own and stream to disk.
const maxSeeds = 100000

// checkSeeds checks a --seeds value.
func checkSeeds(n int) error {
	switch {
	case n < 1:
		return fmt.Errorf("--seeds %d: need at least 1", n)
	case n > maxSeeds:
		return fmt.Errorf("--seeds %d: at most %d (for more, run a sweep, cascade sweep, whose runs each have a seed of their own)", n, maxSeeds)
	}
	return nil
}

func safe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ',' || r == ' ' || r == '/' || r == ':' {
			return '-'
		}
		return r
	}, s)
}
