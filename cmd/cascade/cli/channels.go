package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"github.com/cascade-sim/cascade/sweep"
	"github.com/spf13/cobra"
)

func init() { extra = append(extra, newChannelsCmd) }

func newChannelsCmd() *cobra.Command {
	var seed uint64
	var sets []string
	var players, metric string
	var seeds, workers int
	var asJSON bool
	c := &cobra.Command{
		Use:   "channels SCENARIO",
		Short: "Take a scenario's crash apart between its contagion channels (Shapley values over every on/off setting)",
		Long: `Measure how much of a scenario's outcome each contagion channel carries.
The scenario runs with every setting of the channels named by --players on
and off (2^k runs a seed for k channels, at most ` + fmt.Sprint(sweep.MaxPlayers) + `), everything else as the
scenario has it. A channel's Shapley value is its marginal contribution to
the metric, averaged over every order in which the channels could be
switched on: the values add up, on every seed, to the metric with every
channel on less the metric with every channel off, so interactions between
channels are shared out rather than counted twice or lost. The knock-out
effect, the metric with every channel on less with every channel on but
this one, is what cascade compare --off measures; knock-outs need not add
up. SCENARIO is a file, a built-in's name, or a run's manifest.json (the
scenario that run ran, with its seed).

The metric is the headline asset's largest peak-to-trough fall in percent
(headline_move_pct, the numerator of the amplification) unless --metric
names another number of summary.json, as a sweep's metrics are written
(assets.UST10Y.yield.max, the peak 10-year yield; forced_sales_usd.total; ...),
or score.NAME in a replay: the simulated value of its observed quantity
NAME, measured as cascade score measures it and in its units ('score.S&P
500 5 Aug', the S&P 500's close-to-close move on 5 August, percent; cascade
score SCENARIO lists the names). The table then gives what markets did,
the tolerance, and on how many seeds the runs with every player on and off
are within it. score.within, the count of quantities within tolerance, is
refused: it moves only when a quantity crosses an edge of its tolerance,
so its Shapley values would share out crossings, not moves. Players are
channels (` + strings.Join(sim.ChannelNames, ", ") + `) or agent kinds
(hedge_fund, cta, ...: the kind passive). By default (--players channels)
the players are the channels the scenario has on; --players kinds makes
them every agent kind it has on; a channel or kind its world gives nothing to
act on (dealer_constraint without dealers, valuation_links without links)
is left out, and refused when named, since it can carry nothing. A
passive bank never fails, however low it falls: with bank a player, take
apart banks_below_min (the banks that end below their min_ratio, failed
or passive) rather than defaults.

Two switches do more than their names (ODD §8): cross_margin off also
changes the starting books (each hedge-fund trade in its own account from
tick 0: in aug2024 the funds post more margin and the brokers start more
utilized), and broker_capital off also freezes the stand-alone dealers'
capacity at their starting capital. The table says so when they are
players.

What the default players measure: with the channels as players, every
player off still has every agent trading by its own rules, which is
neither the passive twin (every agent passive, amplification's
denominator) nor anything amplification divides by; and valuation_links'
part includes the scripted news the links carry from one market to
another (the yen's repricing of the Nikkei), which the twin keeps and
amplification counts as exogenous, not only the agents' selling. To take
apart the move less the passive twin's, make the agent kinds the players:
--players kinds (every kind the scenario has on; then every player off is
the twin, and the table says so, to the bit, for headline_move_pct). With
the headline move as the metric the table also gives the twin's move.

"Every player on" is the scenario as it is (with any --set); "every player
off" switches the players off and leaves everything else as the scenario
has it. With the default players that is every channel the scenario has on
switched off and the agents still trading: not channels.off: [all], nor
cascade compare --off all, which also make every agent kind passive. With
--players a subset, only those are switched. The table lists the players
and what the scenario (or --set) already has off, in every run.

The decomposition runs at --seeds seeds: the scenario's own (or --seed)
and, for k = 1 ... N-1, core.RunSeed(that seed, k). A scenario that draws
nothing from its seed (noise: {off: true} and no population's vary, as
eba2018) makes the same runs at every seed, so it runs at one and says so
("noise is off: one seed"; seeds_asked in --json). The table shows each
channel's mean Shapley value over the seeds, the standard error of that
mean (s.e.: the seeds' standard deviation over the square root of their
number), its 95% confidence interval (the mean ± t·s.e., t Student's 97.5%
quantile at seeds-1 degrees of freedom: 2.262 at 10 seeds), its range over
seeds (the smallest and largest value below 20 seeds, else the nearest-rank
5% and 95% quantiles; one value where the range is a point), its share of
the mean total, and its mean knock-out. A mean whose interval holds 0 is
marked "not distinguishable from 0 at N seeds": its sign may change with
more seeds. At one seed there is no s.e., interval or range. A player
that changed the metric in no setting on any seed is marked "no effect on
any seed" (a channel that never bound in the scenario), not given a bare
0. Values print with three significant digits or more (two decimals from 1
up), and a value under 1e-9 of the metric's size (floating-point noise) as
0. When the total is under a hundredth of a percent of the metric there
are no shares; if some channels' own effects are larger, they offset, and
the note names each.
--json writes the same with every seed's values, and the metric at every
one of the 2^k settings at every seed ("coalitions": "mask", bit i set when
the i-th player is on, "on" naming those players, "values" in the order of
"seeds"), from which any other way of sharing the gap can be computed.`,
		Example: "  cascade channels aug2024\n  cascade channels aug2024 --players kinds\n  cascade channels apr2025 --metric assets.UST10Y.yield.max\n  cascade channels aug2024 --metric 'score.S&P 500 5 Aug'\n  cascade channels aug2024 --players valuation_links,cta,vol_control,hedge_fund --seeds 40\n  cascade channels aug2024 --json > aug2024-channels.json",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			if err := checkSeeds(seeds); err != nil {
				return inputError(err)
			}
			sc, err := scenarios.Load(a[0], sets)
			if err != nil {
				return err
			}
			o := sweep.ChannelOptions{Metric: metric, Observed: sc.File.Observed, Seed: sc.File.Config.Seed, Seeds: seeds, Workers: workers}
			if c.Flags().Changed("seed") {
				o.Seed = seed
			}
			if players != "" {
				o.Players = strings.Split(players, ",")
			}
			d, err := sweep.Channels(c.Context(), &sc.File.Config, o)
			if errors.As(err, new(sweep.RequestError)) {
				return inputError(err)
			} else if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), d)
			}
			printChannels(c.OutOrStdout(), d)
			return nil
		},
	}
	c.Flags().StringVar(&players, "players", "", "channels or agent kinds to take apart, comma-separated; channels (the default): those of "+strings.Join(sim.ChannelNames, ",")+" the scenario has on and its world can use; kinds: every agent kind it has on, so that every player off is the passive twin")
	c.Flags().StringVar(&metric, "metric", "headline_move_pct", "the number of summary.json to take apart (a path, as in a sweep's metrics), or score.NAME: a replay's simulated value of its observed quantity NAME")
	c.Flags().Uint64Var(&seed, "seed", 0, "master seed (default: the scenario's)")
	c.Flags().IntVar(&seeds, "seeds", 10, "seeds to average over")
	c.Flags().IntVarP(&workers, "workers", "j", runtime.GOMAXPROCS(0), "runs at once (unless given, one per core the process may use: GOMAXPROCS)")
	c.Flags().StringArrayVar(&sets, "set", nil, "override a field: path.to.field=value (repeatable)")
	c.Flags().BoolVar(&asJSON, "json", false, "write the decomposition as JSON, with every seed's values and every setting's")
	return c
}

// printChannels writes the table of a decomposition.
func printChannels(w io.Writer, d *sweep.ChannelDecomposition) {
	what := d.Metric
	if what == "headline_move_pct" {
		what = fmt.Sprintf("%s's largest fall, %% (%s)", d.Headline, d.Metric)
	} else if q := d.Scored; q != nil {
		what = fmt.Sprintf("the simulated %s (%s: %s of %s)", q.Name, d.Metric, q.Quantity, q.Asset)
	}
	fmt.Fprintf(w, "%s: %s taken apart between %s at %d %s (%d runs)\n", d.Scenario, what, playersPhrase(d.Players),
		len(d.Seeds), plural(len(d.Seeds), "seed", "seeds"), d.Runs)
	if d.SeedsAsked > 0 {
		fmt.Fprintln(w, oneSeedNote(d.Scenario, d.SeedsAsked, "runs"))
	}
	noun, kinds := "channel", playerKinds(d.Players)
	if len(kinds) > 0 {
		noun = "player"
	}
	// What is on and off: the players are switched, everything else is
	// as the scenario has it in every run.
	fmt.Fprintf(w, "players, each on and off: %s\n", strings.Join(d.Players, ", "))
	rest := "everything else as the scenario has it, in every run: "
	if len(d.ScenarioOff) > 0 {
		rest += fmt.Sprintf("%s off (its channels.off), the other channels and agent kinds on", strings.Join(d.ScenarioOff, ", "))
	} else {
		rest += "every other channel and agent kind on"
	}
	if len(d.LeftOut) > 0 {
		rest += fmt.Sprintf("; %s left out of the players (the world gives %s nothing to act on)", strings.Join(d.LeftOut, ", "), plural(len(d.LeftOut), "it", "them"))
	}
	fmt.Fprintln(w, rest)
	// Values print with three significant digits or more, and what is below 1e-9
	// of the metric's size (the larger of the mean with every player on,
	// with every player off, and their gap) as 0: floating-point noise.
	gap := float64(d.AllOn.Mean) - float64(d.AllOff.Mean)
	size := math.Max(math.Abs(gap), math.Max(math.Abs(float64(d.AllOn.Mean)), math.Abs(float64(d.AllOff.Mean))))
	f := func(x float64) string { return chNum(x, NoiseFraction*size) }
	// One seed (of those the Shapley values are over) has no standard
	// error, interval or range over seeds: its value (the mean of one)
	// alone, and none of those columns.
	n := len(d.Seeds) - d.Incomplete
	one := n <= 1
	rng := "range over seeds (5% – 95%)"
	if d.AllOn.MinMax() {
		rng = "range over seeds (min – max)"
	}
	lines := []struct {
		what string
		sp   sweep.Spread
	}{{"every player on: ", d.AllOn}, {"every player off:", d.AllOff}}
	if d.Twin != nil {
		lines = append(lines, struct {
			what string
			sp   sweep.Spread
		}{"passive twin:    ", *d.Twin})
	}
	for _, l := range lines {
		fmt.Fprintf(w, "%s mean %s", l.what, f(float64(l.sp.Mean)))
		if !one {
			fmt.Fprintf(w, ", s.e. %s, 95%% CI %s; %s: %s", f(float64(l.sp.SE)), ci(l.sp, f), rng, band(l.sp, f))
		}
		fmt.Fprintln(w)
	}
	if d.Twin != nil {
		if d.AllOffIsTwin {
			fmt.Fprintln(w, "Every player off is the passive twin (amplification's denominator, one more run a seed: every agent passive, every channel but valuation_links off), to the bit, on every seed: the players share out the move less the twin's.")
		} else {
			who := "the agent kinds that are not players still trade"
			if len(kinds) == 0 {
				who = "the agents still trade, each by its own rules"
			}
			fmt.Fprintf(w, "Every player off is not the passive twin (amplification's denominator, one more run a seed: every agent passive, every channel but valuation_links off): %s. To share out the move less the twin's, take the agent kinds apart: --players kinds.\n", who)
		}
	}
	if q := d.Scored; q != nil {
		n := len(d.Seeds)
		fmt.Fprintf(w, "observed %s, tolerance %s: within it with every player on at %d of %d %s, every player off at %d\n",
			output.ScoreValue(q.Observed), q.Tolerance, q.OnWithin, n, plural(n, "seed", "seeds"), q.OffWithin)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if one {
		fmt.Fprintf(tw, "%s\tShapley\tshare\tknock-out\t\n", noun)
	} else {
		fmt.Fprintf(tw, "%s\tShapley\ts.e.\t95%% CI\trange over seeds\tshare\tknock-out\t\n", noun)
	}
	sum, share, unclear, idle := 0.0, 0.0, 0, 0
	for _, c := range d.Channels {
		phi := float64(c.Shapley.Mean)
		note := ""
		if c.NoEffect {
			note = noEffect
			idle++
		}
		if one {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Channel, f(phi), pct(float64(c.Share)), f(float64(c.KnockOut.Mean)), note)
		} else {
			if c.ZeroInCI && !c.NoEffect {
				note = fmt.Sprintf("not distinguishable from 0 at %d seeds", n)
				unclear++
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Channel, f(phi), f(float64(c.Shapley.SE)),
				ci(c.Shapley, f), band(c.Shapley, f), pct(float64(c.Share)), f(float64(c.KnockOut.Mean)), note)
		}
		sum += phi
		share += float64(c.Share)
	}
	if one {
		fmt.Fprintf(tw, "sum\t%s\t%s\t\t\n", f(sum), pct(share))
	} else {
		fmt.Fprintf(tw, "sum\t%s\t\t\t\t%s\t\t\n", f(sum), pct(share))
	}
	tw.Flush()
	if one {
		if d.SeedsAsked == 0 {
			fmt.Fprintln(w, "One seed: no standard error, confidence interval or range over seeds, which need --seeds 2 or more (10 by default).")
		}
		fmt.Fprintln(w, "Shapley and knock-out are the seed's. The Shapley values add up to every player on less every player off; knock-outs (cascade compare --off) need not.")
	} else {
		fmt.Fprintln(w, "Shapley and knock-out are means over the seeds. On every seed the Shapley values add up to every player on less every player off; knock-outs (cascade compare --off) need not.")
		fmt.Fprintf(w, "s.e. is the standard error of the mean Shapley value; 95%% CI is the mean ± t·s.e., t Student's 97.5%% quantile at %d %s of freedom (%.3f); ", n-1, plural(n-1, "degree", "degrees"), sweep.TQuantile975(n-1))
		if d.AllOn.MinMax() {
			fmt.Fprintf(w, "the range over seeds is the smallest and the largest of the %d values (from 20 seeds on, the nearest-rank 5%% and 95%% quantiles).\n", n)
		} else {
			fmt.Fprintf(w, "the range over seeds is the nearest-rank 5%% and 95%% quantiles of the %d values.\n", n)
		}
		if unclear > 0 {
			fmt.Fprintf(w, "A mean whose 95%% interval holds 0 is not distinguishable from 0 at %d seeds: its sign may change with more (--seeds).\n", n)
		}
	}
	if idle > 0 {
		fmt.Fprintf(w, "%s: switching it changed the metric in no setting on any seed (exactly 0 every time): in this scenario the channel never bound, or the kind's trading never reached the metric.\n", noEffect)
	}
	if d.Negligible {
		scale := math.Max(math.Abs(float64(d.AllOn.Mean)), math.Abs(float64(d.AllOff.Mean)))
		if moves := ownMoves(d.Channels, sweep.NegligibleGap*scale, f); len(moves) > 0 {
			fmt.Fprintf(w, "No shares, but the %ss are not idle: together they move the metric by %s of its %s (under %g%%) because their effects offset. Each %s's own effect: %s. A share of a total near zero would mean nothing; the effects above do.\n",
				noun, f(sum), f(scale), 100*sweep.NegligibleGap, noun, strings.Join(moves, ", "))
		} else {
			fmt.Fprintf(w, "No shares: together the %ss move the metric by %s of its %s (under %g%%), too little for a share to mean anything.\n",
				noun, f(sum), f(scale), 100*sweep.NegligibleGap)
		}
	}
	if len(kinds) == 0 {
		if d.Twin == nil {
			fmt.Fprintln(w, "With every player off the agents still trade, each by its own rules: that is not the passive twin of the amplification (cascade run), in which no agent trades.")
		}
	} else {
		fmt.Fprintf(w, "A kind off (%s) is passive: its agents hold their positions and never trade.\n", strings.Join(kinds, ", "))
		if slices.Contains(kinds, "bank") && (d.Metric == "defaults" || strings.HasPrefix(d.Metric, "defaulted.")) {
			fmt.Fprintln(w, "A passive bank never fails, however low its ratio falls: with bank off, the defaults count no bank. --metric banks_below_min counts the banks that end below their min_ratio, failed or passive.")
		}
	}
	for _, p := range d.Players {
		if note, ok := switchNotes[p]; ok {
			fmt.Fprintln(w, note)
		}
	}
	if slices.Contains(d.Players, "valuation_links") {
		fmt.Fprintln(w, "valuation_links' part includes the scripted news the links carry from one market to the markets it drives, which the passive twin keeps and amplification counts as exogenous, not only the agents' selling they pass on.")
	}
	if d.Incomplete > 0 {
		fmt.Fprintf(w, "%d of %d seeds left out: the metric is missing (null) in one of their runs\n", d.Incomplete, len(d.Seeds))
	}
}

// noEffect marks a player that changed the metric in no setting on any
// seed (sweep.ChannelShare.NoEffect).
const noEffect = "no effect on any seed"

// switchNotes are the switches that do more than their names say, a line
// each (ODD §8), printed beside a table they are players of.
var switchNotes = map[string]string{
	"cross_margin":   "cross_margin off also changes the starting books: every hedge-fund trade gets its own account at its broker from tick 0, with its own posted margin and calls, so its part includes that different start, not only the feedback during the run (ODD §8).",
	"broker_capital": "broker_capital off also freezes the stand-alone dealers' capacity at their starting capital, not only the brokers' capital and tightening, so its part includes the dealer sector's capacity (ODD §8).",
}

// ownMoves lists the players whose own effect on the metric is more than
// tiny, by mean Shapley value or mean knock-out, as "dealer_constraint
// +25.12 (knock-out 0)", in the decomposition's order, each written with
// f: when the players' total is next to nothing
// (ChannelDecomposition.Negligible) but these are not, the players offset
// each other rather than doing nothing.
func ownMoves(cs []sweep.ChannelShare, tiny float64, f func(float64) string) []string {
	var moves []string
	for _, c := range cs {
		phi, ko := float64(c.Shapley.Mean), float64(c.KnockOut.Mean)
		if math.Abs(phi) > tiny || math.Abs(ko) > tiny {
			moves = append(moves, fmt.Sprintf("%s %s (knock-out %s)", c.Channel, signed(phi, f), signed(ko, f)))
		}
	}
	return moves
}

// signed writes x with f and its sign: "+25.12", "-25.12", and what f
// shows as zero as "0".
func signed(x float64, f func(float64) string) string {
	if s := f(x); x > 0 && s != "0" {
		return "+" + s
	}
	return f(x)
}

// band writes the range of sp over the seeds (P05 to P95, the smallest
// and the largest value below 20 seeds) with f, "11.40 – 14.43", or its
// one value when the range is a point ("0.00": the seeds within it
// agree), not a range from a number to itself.
func band(sp sweep.Spread, f func(float64) string) string {
	lo, hi := f(float64(sp.P05)), f(float64(sp.P95))
	if lo == hi {
		return lo
	}
	return lo + " – " + hi
}

// ci writes the 95% interval of sp's mean with f, "6.04 – 7.14", or its
// one value when it is a point (every seed has the same value).
func ci(sp sweep.Spread, f func(float64) string) string {
	lo, hi := f(float64(sp.CI95Low)), f(float64(sp.CI95High))
	if lo == hi {
		return lo
	}
	return lo + " – " + hi
}

// oneSeedNote says why a command ran one seed of the asked ones: the
// scenario draws nothing from its seed (sim.Config.SeedFree), so every
// seed makes the same runs (what: "run", "runs").
func oneSeedNote(scenario string, asked int, what string) string {
	return fmt.Sprintf("noise is off: one seed, not %d (nothing in %s draws from the seed: no noise, no population draws; every seed makes the same %s)", asked, scenario, what)
}

// seedsToRun returns how many of the n seeds asked for to run: one when
// no configuration draws from its seed, else n; asked is n when that cut
// them to one, else 0.
func seedsToRun(n int, cfgs ...*sim.Config) (run, asked int) {
	if n <= 1 {
		return n, 0
	}
	for _, c := range cfgs {
		if !c.SeedFree() {
			return n, 0
		}
	}
	return 1, n
}

// playerKinds returns the players that are agent kinds, not channels.
func playerKinds(players []string) []string {
	var kinds []string
	for _, p := range players {
		if !slices.Contains(sim.ChannelNames, p) {
			kinds = append(kinds, p)
		}
	}
	return kinds
}

// playersPhrase counts the players of a decomposition: "7 channels" when
// every one is a channel, else "3 players" (an agent kind is not a
// channel); "1 channel", "1 player" for one.
func playersPhrase(players []string) string {
	n := len(players)
	for _, p := range players {
		if !slices.Contains(sim.ChannelNames, p) {
			return fmt.Sprintf("%d %s", n, plural(n, "player", "players"))
		}
	}
	return fmt.Sprintf("%d %s", n, plural(n, "channel", "channels"))
}

// NoiseFraction is the part of a decomposition's size (the larger of its
// means with every player on and off, and their gap) below which a value
// prints as 0: floating-point noise (-8.1e-12 in a sum of Shapley values
// that should cancel exactly), not an effect.
const NoiseFraction = 1e-9

// chNum writes a value of a decomposition with at least three
// significant digits: two decimals from 1 up (14.65), three significant
// digits below 1 (0.928, 0.0067 where two decimals would read 0.01,
// -5.83e-05), sweep.Short's exponent form from a million up; "0" when
// |x| < tiny (noise), and "n/a" for NaN.
func chNum(x, tiny float64) string {
	a := math.Abs(x)
	switch {
	case math.IsNaN(x):
		return "n/a"
	case x == 0 || a < tiny:
		return "0"
	case a >= 1e6:
		return sweep.Short(x)
	case a >= 1:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// pct shows a share in whole percent: "n/a" for NaN, and "0%" for a share
// that rounds to zero from below (a player that carries nothing of a
// negative total, as a fall's close-to-close change), not "-0%".
func pct(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	s := fmt.Sprintf("%.0f%%", x)
	if s == "-0%" {
		return "0%"
	}
	return s
}
