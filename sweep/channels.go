package sweep

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// MaxPlayers caps the channels a decomposition takes apart: it runs 2^k
// switch settings per seed.
const MaxPlayers = 10

// ChannelOptions sets up a channel decomposition ([Channels]).
type ChannelOptions struct {
	// Players are the switches taken apart: channel names (sim.ChannelNames)
	// or agent kinds. Empty, or the one word "channels": every channel of
	// sim.ChannelNames that the scenario has on and its world can use
	// (sim.Config.Inert); a scenario where none is left is refused, with
	// the reasons. The one word "kinds": every agent kind (but outside)
	// that the scenario has on and its world has, so that with every
	// player off no agent trades, as in the passive twin.
	Players []string
	// Metric is a path into the run summary, as a sweep's metrics are
	// written (default headline_move_pct, the headline asset's largest
	// peak-to-trough fall, in percent), or score.NAME: the simulated value
	// of the observed quantity NAME of Observed, as cascade score measures
	// it. score.within, a count of quantities within tolerance, is refused:
	// it moves in steps at the tolerances' edges, which Shapley values
	// would share out rather than the moves.
	Metric string
	// Observed is the scenario's observed: list (scenarios.File.Observed),
	// which score.NAME metrics read.
	Observed []scenarios.Observation
	// Seed is the master seed; Seeds the number of seeds: Seed itself and
	// core.RunSeed(Seed, k) for k = 1 ... Seeds-1 (at least 1). A scenario
	// that draws nothing from its seed (sim.Config.SeedFree) runs at Seed
	// only, whatever Seeds (ChannelDecomposition.SeedsAsked).
	Seed  uint64
	Seeds int
	// Workers runs at once (default: the number of CPUs).
	Workers int
}

// NegligibleGap is the part of a metric's size below which the players'
// total effect on it is taken as nothing (ChannelDecomposition.Negligible).
const NegligibleGap = 1e-4

// ChannelDecomposition is how much of a metric each channel carries. For
// every seed the scenario runs at all 2^k settings of its k players, with
// everything else as the scenario has it; v(S) is the metric with the
// players in S on and the others off. A player's Shapley value is its
// marginal contribution v(S ∪ {c}) − v(S), averaged over the orders in
// which the players could be switched on; over the players they add up to
// v(all on) − v(all off) on every seed, interactions included. The
// knock-out effect, v(all on) − v(all on but c), is what `cascade compare
// --off c` measures; knock-outs need not add up.
type ChannelDecomposition struct {
	Scenario string `json:"scenario"`
	Metric   string `json:"metric"`
	// PlayerSet is "channels" when the players are the default (every
	// channel the scenario has on and its world can use), "kinds" when
	// they are every agent kind the scenario has on (--players kinds),
	// else empty.
	PlayerSet string `json:"player_set,omitempty"`
	// Twin is, for headline_move_pct, the passive twin's move at every
	// seed (sim.PassiveMove: every agent passive, every channel but the
	// valuation links off; amplification's denominator), and AllOffIsTwin
	// says that every player off gives the twin's move, to the bit, on
	// every seed: then the players share out the move less the twin's.
	Twin         *Spread `json:"passive_twin,omitempty"`
	AllOffIsTwin bool    `json:"all_off_is_twin"`
	// Headline is the asset whose fall headline_move_pct is.
	Headline string `json:"headline"`
	// Scored is, for a metric score.NAME, the observed quantity it is the
	// simulated value of, with what markets did and on how many seeds the
	// settings with every player on and off are within its tolerance.
	Scored  *ScoredQuantity `json:"scored,omitempty"`
	Players []string        `json:"players"`
	// ScenarioOff is what the scenario (with any --set) has off in every
	// run, channels and agent kinds (its channels.off), whatever the
	// players' setting; LeftOut the channels left out of the default
	// players because its world gives them nothing to act on
	// (sim.Config.Inert).
	ScenarioOff []string `json:"scenario_off"`
	LeftOut     []string `json:"left_out,omitempty"`
	// Seeds are the run seeds (decimal strings, as in cascade score
	// --json); Runs counts the runs made (seeds × 2^players).
	Seeds []string `json:"seeds"`
	Runs  int      `json:"runs"`
	// SeedsAsked is, when the decomposition ran one seed of the several
	// asked for, how many were asked: the scenario draws nothing from its
	// seed (sim.Config.SeedFree: its noise is off and no population draws
	// its members' parameters), so every seed makes the same runs.
	SeedsAsked int `json:"seeds_asked,omitempty"`
	// AllOn and AllOff are the metric with every player on (the scenario
	// as it is) and with every player off.
	AllOn  Spread `json:"all_on"`
	AllOff Spread `json:"all_off"`
	// Channels holds one entry per player, in Players' order.
	Channels []ChannelShare `json:"channels"`
	// Coalitions holds v(S) for every one of the 2^k settings S, in the
	// order of their masks (0, every player off, to 2^k − 1, every player
	// on), each with the value at every seed in Seeds' order: from them
	// any other way of sharing out v(all on) − v(all off) can be computed.
	Coalitions []Coalition `json:"coalitions"`
	// Negligible says that the players together move the metric by no more
	// than NegligibleGap of its size (the mean of v(all on) − v(all off)
	// against the larger of the two means): the Shapley values are still
	// given, but no shares, since a share of next to nothing is noise.
	Negligible bool `json:"negligible_gap"`
	// Incomplete counts the seeds left out of the Shapley values and
	// knock-outs because the metric was missing (null) in one of their
	// runs.
	Incomplete int `json:"incomplete_seeds"`
}

// ScoredQuantity is the observed quantity a decomposition of score.NAME
// takes apart.
type ScoredQuantity struct {
	Name      string  `json:"name"`
	Quantity  string  `json:"quantity"`
	Asset     string  `json:"asset"`
	Observed  float64 `json:"observed"`
	Tolerance string  `json:"tolerance"` // as cascade score prints it: "±2", "[8, 16]", "<= -1.5"
	// OnWithin and OffWithin count the seeds on which the value with every
	// player on (the scenario as it is) and with every player off is within
	// tolerance.
	OnWithin  int `json:"on_within"`
	OffWithin int `json:"off_within"`
}

// Coalition is the metric at one setting of the players.
type Coalition struct {
	// Mask has bit i set when Players[i] is on (bit 0 the first player);
	// On names those players, in Players' order.
	Mask int      `json:"mask"`
	On   []string `json:"on"`
	// Values is the metric at every seed, in Seeds' order (null where the
	// run had none).
	Values []sim.Num `json:"values"`
}

// ChannelShare is one player's part.
type ChannelShare struct {
	Channel string `json:"channel"`
	// Shapley is its Shapley value over the seeds; Share its mean over the
	// mean of v(all on) − v(all off), percent (null when that is 0 or
	// negligible).
	Shapley Spread  `json:"shapley"`
	Share   sim.Num `json:"share_pct"`
	// KnockOut is v(all on) − v(all on but this player).
	KnockOut Spread `json:"knock_out"`
	// ZeroInCI says that the 95% interval of the mean Shapley value holds
	// 0: at these seeds the value is not distinguishable from 0 (false at
	// one seed, which has no interval).
	ZeroInCI bool `json:"zero_in_ci95"`
	// NoEffect says that switching the player changed the metric in no
	// setting on any seed (of those the values are over): v(S ∪ {c}) =
	// v(S) for every S, to the bit. Its Shapley value and knock-out are
	// then exactly 0: a channel that never bound in the scenario, or a
	// kind whose trading never reached the metric.
	NoEffect bool `json:"no_effect"`
}

// Spread is a value over seeds: over the N seeds that have it, its mean,
// the standard error of the mean (SE: the sample standard deviation, with
// N−1, over √N; null below 2 seeds), the 95% confidence interval of the
// mean (mean ± t·SE, t Student's 97.5% quantile with N−1 degrees of
// freedom: 2.262 at 10 seeds, 2.023 at 40; null below 2 seeds), the
// median and the range over seeds as the nearest-rank 5% and 95%
// quantiles (below 20 seeds these are the smallest and the largest value);
// and the value at every seed, in the decomposition's Seeds' order (null
// where a seed has none). Every statistic is null when no seed has a
// value.
type Spread struct {
	N        int       `json:"n"`
	Mean     sim.Num   `json:"mean"`
	SE       sim.Num   `json:"se"`
	CI95Low  sim.Num   `json:"ci95_low"`
	CI95High sim.Num   `json:"ci95_high"`
	Median   sim.Num   `json:"median"`
	P05      sim.Num   `json:"p05"`
	P95      sim.Num   `json:"p95"`
	Values   []sim.Num `json:"values"`
}

// ZeroInCI says that the 95% interval of the mean holds 0: at these
// seeds the mean is not distinguishable from 0. False when there is no
// interval (fewer than 2 seeds).
func (sp Spread) ZeroInCI() bool {
	return float64(sp.CI95Low) <= 0 && float64(sp.CI95High) >= 0
}

// MinMax says that the range over seeds (P05, P95) is the smallest and
// the largest value: nearest-rank 5% and 95% quantiles of fewer than 20
// values are those.
func (sp Spread) MinMax() bool { return sp.N < 20 }

// SpreadOf returns the spread of xs, its NaN values left out. It sorts a
// copy. cascade channels and cascade compare --seeds take their standard
// errors and 95% intervals from here.
func SpreadOf(xs []float64) Spread {
	nan := sim.Num(math.NaN())
	sp := Spread{Mean: nan, SE: nan, CI95Low: nan, CI95High: nan, Median: nan, P05: nan, P95: nan}
	s := make([]float64, 0, len(xs))
	sum := 0.0
	for _, x := range xs {
		sp.Values = append(sp.Values, sim.Num(x))
		if !math.IsNaN(x) {
			s = append(s, x)
			sum += x
		}
	}
	sp.N = len(s)
	if len(s) == 0 {
		return sp
	}
	mean := sum / float64(len(s))
	if n := len(s); n > 1 {
		ss := 0.0
		for _, x := range s {
			ss += float64((x - mean) * (x - mean))
		}
		se := math.Sqrt(ss/float64(n-1)) / math.Sqrt(float64(n))
		h := float64(TQuantile975(n-1) * se)
		sp.SE, sp.CI95Low, sp.CI95High = sim.Num(se), sim.Num(mean-h), sim.Num(mean+h)
	}
	sort.Float64s(s)
	sp.Mean, sp.Median, sp.P05, sp.P95 = sim.Num(mean), sim.Num(output.Median(s)), sim.Num(output.Rank(s, 0.05)), sim.Num(output.Rank(s, 0.95))
	return sp
}

// TQuantile975 is the 97.5% quantile of Student's t distribution with nu
// degrees of freedom (nu ≥ 1): the factor of the standard error in a
// two-sided 95% confidence interval of a mean of nu+1 values. It solves
// P(|T| ≤ t) = 0.95 by bisection, with P(|T| ≤ t) in closed form for
// whole degrees of freedom (Abramowitz and Stegun 26.7.3-4).
func TQuantile975(nu int) float64 {
	lo, hi := 0.0, 20.0 // nu = 1: 12.71
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if tWithin(mid, nu) < 0.95 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// tWithin is P(|T| ≤ t) for Student's t with nu degrees of freedom: with
// θ = atan(t/√nu), for odd nu (2/π)(θ + sin θ (cos θ + 2/3 cos³θ + ... +
// 2·4···(nu−3)/(1·3···(nu−2)) cos^(nu−2) θ)), the sum empty at nu = 1;
// for even nu sin θ (1 + 1/2 cos²θ + ... + 1·3···(nu−3)/(2·4···(nu−2))
// cos^(nu−2) θ).
func tWithin(t float64, nu int) float64 {
	th := math.Atan(t / math.Sqrt(float64(nu)))
	s, c := math.Sincos(th)
	if nu%2 == 1 {
		sum := 0.0
		if nu > 1 {
			term := c
			sum = c
			for k := 3; k <= nu-2; k += 2 {
				term = float64(term * (c * c * float64(k-1) / float64(k)))
				sum += term
			}
		}
		return 2 / math.Pi * (th + float64(s*sum))
	}
	term, sum := 1.0, 1.0
	for k := 2; k <= nu-2; k += 2 {
		term = float64(term * (c * c * float64(k-1) / float64(k)))
		sum += term
	}
	return s * sum
}

// A RequestError is a decomposition that cannot be made as asked (an
// unknown or repeated player, a bad metric or seed count), as opposed to a
// run that failed.
type RequestError struct{ Err error }

func (e RequestError) Error() string { return e.Err.Error() }
func (e RequestError) Unwrap() error { return e.Err }

// Channels decomposes a metric of scenario cfg between its channels
// (ChannelDecomposition). Every run is deterministic in (seed, setting),
// whatever the number of workers.
func Channels(ctx context.Context, cfg *sim.Config, o ChannelOptions) (*ChannelDecomposition, error) {
	players, set := o.Players, ""
	if len(players) == 1 && (players[0] == "channels" || players[0] == "kinds") {
		set, players = players[0], nil
	}
	if set == "kinds" {
		for _, k := range kindsOf(cfg) {
			if !slices.Contains(cfg.Channels.Off, k) {
				players = append(players, k)
			}
		}
		if len(players) == 0 {
			return nil, RequestError{fmt.Errorf("players kinds: %s has no agent kind on", cfg.Name)}
		}
	}
	var leftOut []string
	if len(players) == 0 {
		set = "channels"
		// Every channel the scenario has on and its world can use.
		for _, p := range sim.ChannelNames {
			if slices.Contains(cfg.Channels.Off, p) {
				continue
			}
			if cfg.Inert(p) == "" {
				players = append(players, p)
			} else {
				leftOut = append(leftOut, p)
			}
		}
		if len(players) == 0 {
			return nil, RequestError{fmt.Errorf("no channel can act in %s: %s; name agent kinds to take apart with --players (its kinds: %s)", cfg.Name, noChannelWhy(cfg), strings.Join(kindsOf(cfg), ", "))}
		}
	}
	if err := checkPlayers(cfg, players); err != nil {
		return nil, RequestError{err}
	}
	metric := o.Metric
	if metric == "" {
		metric = "headline_move_pct"
	}
	if slices.Contains(sim.TwinFields, metric) {
		return nil, RequestError{fmt.Errorf("metric %s: amplification is the move over the passive twin's move, a ratio that splits into no sum of players' parts (and with valuation_links a player the twin itself changes with the setting); decompose headline_move_pct, the move itself", metric)}
	}
	// score (k+1) is observation k of o.Observed, whose simulated value
	// the metric is; 0 for a path into the summary.
	score := 0
	if metric == "score" || strings.HasPrefix(metric, "score.") {
		if metric == "score.within" && len(o.Observed) > 0 {
			return nil, RequestError{fmt.Errorf("metric score.within: a count of the quantities within tolerance moves only when one crosses an edge of its tolerance, so its Shapley values would credit a player with carrying quantities over edges, not with how far it moves them (a player that brings one quantity in and pushes another out would carry nothing); take the quantities apart one at a time, score.NAME, NAME one of the observed quantities (%s)", obsNames(o.Observed))}
		}
		k, err := resolveScore(metric, o.Observed, cfg.Name, false)
		if err != nil {
			return nil, RequestError{err}
		}
		score = k
	}
	if o.Seeds < 1 {
		return nil, RequestError{fmt.Errorf("seeds: %d, need at least 1", o.Seeds)}
	}
	k := len(players)
	n := 1 << k
	// A scenario that draws nothing from its seed (noise off, no
	// population draws) makes the same runs at every seed: one seed.
	nSeeds, asked := o.Seeds, 0
	if nSeeds > 1 && cfg.SeedFree() {
		nSeeds, asked = 1, o.Seeds
	}
	seeds := core.Seeds(o.Seed, nSeeds)
	// One configuration per setting; bit i of the setting is player i on.
	cfgs := make([]*sim.Config, n)
	for mask := range cfgs {
		c := cfg.Clone()
		for i, p := range players {
			if mask&(1<<i) == 0 {
				c.Channels.Off = append(c.Channels.Off, p)
			}
		}
		cfgs[mask] = c
	}
	// A score metric records the one series its observation is measured
	// on, and scores it (as cascade score does) after the run.
	var scored []scenarios.Observation
	if score > 0 {
		scored = o.Observed[score-1 : score]
	}
	observe := func(c *sim.Config) (*ScoreObserver, []sim.Observer) {
		if score == 0 {
			return nil, nil
		}
		so := NewScoreObserver(scored, c.Ticks)
		return so, []sim.Observer{so}
	}
	var get getter
	value := func(sum *sim.Summary, so *ScoreObserver) (float64, error) {
		if so == nil {
			return get.value(sum), nil
		}
		rows, err := so.Score()
		if err != nil {
			return 0, err
		}
		return rows[0].Simulated, nil
	}
	// The metric resolves against the scenario's own run at the first
	// seed, which is also setting n−1 of that seed.
	bm, err := sim.Build(cfgs[n-1], seeds[0])
	if err != nil {
		return nil, err
	}
	col := sim.NewCollector()
	so, obs := observe(cfgs[n-1])
	if err := bm.Run(ctx, append(obs, col)...); err != nil {
		return nil, err
	}
	base := col.S
	if score == 0 {
		var assets []string
		for id := range base.Assets {
			assets = append(assets, id)
		}
		sort.Strings(assets)
		if get, err = resolveMetric(base, metric, namesOf(bm, assets)); err != nil {
			return nil, RequestError{err}
		}
	}
	v := make([]float64, len(seeds)*n)
	if v[n-1], err = value(base, so); err != nil {
		return nil, err
	}
	workers := o.Workers
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	err = Each(ctx, len(v), workers, func(j int) error {
		if j == n-1 {
			return nil // the base run
		}
		s, mask := j/n, j%n
		so, obs := observe(cfgs[mask])
		sum, err := sim.RunSummary(ctx, cfgs[mask], seeds[s], false, obs...)
		if err == nil {
			v[j], err = value(sum, so)
		}
		if err != nil {
			return fmt.Errorf("seed %d, off %s: %w", seeds[s], offList(players, mask), err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The passive twin of each seed, for the headline move: what the
	// setting with every player off is, or is not.
	var twin []float64
	if metric == "headline_move_pct" {
		twin = make([]float64, len(seeds))
		err := Each(ctx, len(seeds), workers, func(s int) error {
			m, err := sim.PassiveMove(ctx, cfgs[n-1], seeds[s])
			twin[s] = m
			if err != nil {
				return fmt.Errorf("seed %d, passive twin: %w", seeds[s], err)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	d := &ChannelDecomposition{Scenario: cfg.Name, Metric: metric, Headline: base.Headline, Players: players, PlayerSet: set, Runs: len(v), SeedsAsked: asked,
		ScenarioOff: append([]string{}, cfg.Channels.Off...), LeftOut: leftOut}
	on, off := make([]float64, len(seeds)), make([]float64, len(seeds))
	idle := make([]bool, k) // per player: no effect in any setting yet
	for i := range idle {
		idle[i] = true
	}
	anyComplete := false
	phi := make([][]float64, k) // per player, per seed
	ko := make([][]float64, k)
	for i := range phi {
		phi[i], ko[i] = make([]float64, len(seeds)), make([]float64, len(seeds))
	}
	for s, seed := range seeds {
		d.Seeds = append(d.Seeds, strconv.FormatUint(seed, 10))
		vs := v[s*n : s*n+n]
		on[s], off[s] = vs[n-1], vs[0]
		complete := !slices.ContainsFunc(vs, math.IsNaN)
		if !complete {
			d.Incomplete++
		}
		if complete {
			anyComplete = true
			for i := range players {
				for S := range n {
					if S&(1<<i) == 0 && vs[S|1<<i] != vs[S] {
						idle[i] = false
						break
					}
				}
			}
		}
		sh := Shapley(k, vs)
		for i := range players {
			phi[i][s], ko[i][s] = math.NaN(), math.NaN()
			if complete {
				phi[i][s], ko[i][s] = sh[i], vs[n-1]-vs[(n-1)&^(1<<i)]
			}
		}
	}
	d.AllOn, d.AllOff = SpreadOf(on), SpreadOf(off)
	if twin != nil {
		sp := SpreadOf(twin)
		d.Twin = &sp
		d.AllOffIsTwin = slices.Equal(off, twin) // NaN equals nothing
	}
	for mask := range n {
		c := Coalition{Mask: mask, On: []string{}}
		for i, p := range players {
			if mask&(1<<i) != 0 {
				c.On = append(c.On, p)
			}
		}
		for s := range seeds {
			c.Values = append(c.Values, sim.Num(v[s*n+mask]))
		}
		d.Coalitions = append(d.Coalitions, c)
	}
	if score > 0 {
		ob := scored[0]
		q := &ScoredQuantity{Name: ob.Name, Quantity: ob.Quantity, Asset: ob.Asset, Observed: ob.Observed}
		for s := range seeds {
			if _, ok := output.Within(ob, on[s]); ok {
				q.OnWithin++
			}
			if _, ok := output.Within(ob, off[s]); ok {
				q.OffWithin++
			}
		}
		q.Tolerance, _ = output.Within(ob, 0)
		d.Scored = q
	}
	// The total the shares divide is over the complete seeds, as the
	// Shapley values are.
	tot, m := 0.0, 0
	for s := range seeds {
		if !math.IsNaN(phi[0][s]) {
			tot += on[s] - off[s]
			m++
		}
	}
	scale := math.Max(math.Abs(float64(d.AllOn.Mean)), math.Abs(float64(d.AllOff.Mean)))
	d.Negligible = m > 0 && math.Abs(tot/float64(m)) <= NegligibleGap*scale
	for i, p := range players {
		c := ChannelShare{Channel: p, Shapley: SpreadOf(phi[i]), KnockOut: SpreadOf(ko[i]), Share: sim.Num(math.NaN())}
		c.ZeroInCI = c.Shapley.ZeroInCI()
		c.NoEffect = anyComplete && idle[i]
		if m > 0 && tot != 0 && !d.Negligible {
			c.Share = sim.Num(100 * float64(c.Shapley.Mean) / (tot / float64(m)))
		}
		d.Channels = append(d.Channels, c)
	}
	return d, nil
}

// checkPlayers refuses players the model does not know, "all", repeats,
// more than MaxPlayers, players the scenario already has off, and players
// its world gives nothing to act on (sim.Config.Inert): they could carry
// nothing.
func checkPlayers(cfg *sim.Config, players []string) error {
	if len(players) > MaxPlayers {
		return fmt.Errorf("%d channels: at most %d (the decomposition runs 2^channels settings per seed)", len(players), MaxPlayers)
	}
	for i, p := range players {
		if p == "all" {
			return fmt.Errorf("channel all: name the channels to take apart")
		}
		if _, err := (sim.ChannelSpec{Off: []string{p}}).Channels(); err != nil {
			return fmt.Errorf("players: %s", strings.Replace(err.Error(), ", or all)", ")", 1))
		}
		if slices.Contains(players[:i], p) {
			return fmt.Errorf("channel %s named twice", p)
		}
		if slices.Contains(cfg.Channels.Off, p) || slices.Contains(cfg.Channels.Off, "all") {
			return fmt.Errorf("channel %s is already off in %s: it can carry nothing", p, cfg.Name)
		}
		if why := cfg.Inert(p); why != "" {
			return fmt.Errorf("%s can carry nothing in %s: %s", p, cfg.Name, why)
		}
	}
	return nil
}

// noChannelWhy says why none of a scenario's channels can act: those it
// has off, and why the rest are inert. When none is off, that is a world
// without prime brokers (offset_drop), dealers (broker_capital) or links,
// which it says in so many words.
func noChannelWhy(cfg *sim.Config) string {
	var off, why []string
	for _, p := range sim.ChannelNames {
		if slices.Contains(cfg.Channels.Off, p) || slices.Contains(cfg.Channels.Off, "all") {
			off = append(off, p)
		} else if w := cfg.Inert(p); !slices.Contains(why, w) {
			why = append(why, w)
		}
	}
	switch {
	case len(off) == 0:
		return "it has no prime brokers, dealers or links"
	case len(why) == 0:
		return "it has every channel off"
	}
	return fmt.Sprintf("it has %s off, and %s", strings.Join(off, ", "), strings.Join(why, "; "))
}

// kindsOf lists the agent kinds a scenario's world has, in the order of
// core.AgentKindNames.
func kindsOf(cfg *sim.Config) []string {
	var kinds []string
	for _, k := range core.AgentKindNames()[1:] {
		if cfg.Inert(k) == "" {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// obsNames lists the names of obs, separated by "; ".
func obsNames(obs []scenarios.Observation) string {
	names := make([]string, len(obs))
	for i, o := range obs {
		names[i] = o.Name
	}
	return strings.Join(names, "; ")
}

// offList names the players a setting switches off.
func offList(players []string, mask int) string {
	var off []string
	for i, p := range players {
		if mask&(1<<i) == 0 {
			off = append(off, p)
		}
	}
	if len(off) == 0 {
		return "none"
	}
	return strings.Join(off, ",")
}

// Shapley returns the Shapley values of the k-player game v, where v[S]
// is the worth of coalition S (bit i set: player i in it), len(v) = 2^k:
// φ_i = Σ_{S ∌ i} |S|!(k−|S|−1)!/k! · (v[S ∪ i] − v[S]).
func Shapley(k int, v []float64) []float64 {
	if len(v) != 1<<k {
		panic(fmt.Sprintf("sweep.Shapley: %d worths for %d players, want %d", len(v), k, 1<<k))
	}
	// w[s] is the weight of a coalition of s players: s!(k−s−1)!/k!.
	w := make([]float64, k)
	for s := range w {
		x := 1.0 / float64(k)
		for j := 1; j <= s; j++ {
			x *= float64(j) / float64(k-s-1+j)
		}
		w[s] = x
	}
	phi := make([]float64, k)
	for i := range phi {
		bit := 1 << i
		for S := range v {
			if S&bit == 0 {
				phi[i] += float64(w[bits.OnesCount(uint(S))] * (v[S|bit] - v[S]))
			}
		}
	}
	return phi
}

// Each calls job(j) for j = 0 ... n-1 on up to workers goroutines (at
// least one) and returns the error of the lowest j that failed, if any; it
// stops handing out jobs once ctx is done, and then returns ctx's error.
func Each(ctx context.Context, n, workers int, job func(j int) error) error {
	errs := make([]error, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				errs[j] = job(j)
			}
		}()
	}
	for j := range n {
		if ctx.Err() != nil {
			break
		}
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
