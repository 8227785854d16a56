package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestShapley pins the Shapley values of games with known solutions:
// additive (each player's own worth), unanimity of players 0 and 1 (half
// each, nothing for the dummy), the glove game (one right glove, two left:
// 2/3 for the right, 1/6 for each left), and a game with one player.
func TestShapley(t *testing.T) {
	for _, c := range []struct {
		name string
		k    int
		v    func(S int) float64
		want []float64
	}{
		{"additive", 3, func(S int) float64 {
			x := 0.0
			for i, a := range []float64{2, -1, 5} {
				if S&(1<<i) != 0 {
					x += a
				}
			}
			return x + 10 // the empty coalition's worth is taken off
		}, []float64{2, -1, 5}},
		{"unanimity", 3, func(S int) float64 { return map[bool]float64{true: 6}[S&3 == 3] }, []float64{3, 3, 0}},
		{"glove", 3, func(S int) float64 {
			if S&4 != 0 && S&3 != 0 {
				return 1
			}
			return 0
		}, []float64{1.0 / 6, 1.0 / 6, 2.0 / 3}},
		{"one player", 1, func(S int) float64 { return float64(3 + 4*S) }, []float64{4}},
	} {
		v := make([]float64, 1<<c.k)
		for S := range v {
			v[S] = c.v(S)
		}
		got := Shapley(c.k, v)
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-15 {
				t.Errorf("%s: φ = %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
	// Efficiency and symmetry on a game with interactions: 8 players,
	// v(S) = (Σ_{i∈S} i)², players 3 and 3' (bits 3 and 7 both worth 3).
	k := 8
	worth := []float64{0, 1, 2, 3, 4, 5, 6, 3}
	v := make([]float64, 1<<k)
	for S := range v {
		x := 0.0
		for i, a := range worth {
			if S&(1<<i) != 0 {
				x += a
			}
		}
		v[S] = x * x
	}
	phi := Shapley(k, v)
	sum := 0.0
	for _, p := range phi {
		sum += p
	}
	if math.Abs(sum-(v[len(v)-1]-v[0])) > 1e-9 {
		t.Errorf("Shapley values add up to %v, want v(N) − v(∅) = %v", sum, v[len(v)-1]-v[0])
	}
	if math.Abs(phi[3]-phi[7]) > 1e-12 || phi[0] != 0 {
		t.Errorf("φ = %v: want φ₃ = φ₇ (the same worth) and φ₀ = 0 (a dummy)", phi)
	}
	// For v = (Σ a)², φ_i = a_i·Σa (each cross term a_i·a_j is split
	// evenly): 3·24 = 72.
	if math.Abs(phi[3]-72) > 1e-9 {
		t.Errorf("φ₃ = %v, want 3·24 = 72", phi[3])
	}
}

// ExampleShapley: the glove game. The right glove (player 2) makes a pair
// with either left glove, so it gets two thirds of the pair's worth.
func ExampleShapley() {
	v := make([]float64, 8) // coalitions of players 0, 1 (left) and 2 (right)
	for S := range v {
		if S&4 != 0 && S&3 != 0 {
			v[S] = 1
		}
	}
	fmt.Printf("%.4f\n", Shapley(3, v))
	// Output: [0.1667 0.1667 0.6667]
}

// TestChannelsAug2024 takes the August 2024 replay's Nikkei fall apart
// between the valuation links and the CTAs at two seeds. The setting with
// every player on is the scenario as it is, and the knock-out of the links
// is what the replay loses when they alone are off (the README's table of
// channels switched off, on its own seed), each checked against a run of
// its own. The
// Shapley values add up to all-on less all-off on each seed, and the
// result is the same with one worker as with two.
func TestChannelsAug2024(t *testing.T) {
	sc, err := scenarios.Load("aug2024", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &sc.File.Config
	o := ChannelOptions{Players: []string{"valuation_links", "cta"}, Seed: cfg.Seed, Seeds: 2, Workers: 2}
	d, err := Channels(context.Background(), cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	if d.Runs != 8 || len(d.Seeds) != 2 || d.Incomplete != 0 {
		t.Fatalf("%d runs over seeds %v (%d incomplete), want 8 over 2, all complete", d.Runs, d.Seeds, d.Incomplete)
	}
	own, err := sim.RunSummary(context.Background(), cfg, cfg.Seed, false)
	if err != nil {
		t.Fatal(err)
	}
	off := cfg.Clone()
	off.Channels.Off = append(off.Channels.Off, "valuation_links")
	noLinks, err := sim.RunSummary(context.Background(), off, cfg.Seed, false)
	if err != nil {
		t.Fatal(err)
	}
	links, cta := d.Channels[0], d.Channels[1]
	t.Logf("all on %.2f, all off %.2f; links: Shapley %.2f (share %.0f%%), knock-out %.2f; CTAs: %.2f (%.0f%%), %.2f",
		d.AllOn.Mean, d.AllOff.Mean, links.Shapley.Mean, links.Share, links.KnockOut.Mean, cta.Shapley.Mean, cta.Share, cta.KnockOut.Mean)
	if on := float64(own.HeadlineMove); math.Abs(on-18.2) > 0.05 {
		t.Errorf("aug2024's own Nikkei fall %.3f%%, want 18.2%% (README)", on)
	}
	if on := d.AllOn.Values[0]; on != own.HeadlineMove {
		t.Errorf("all on %v at the scenario's seed, want its own run's %v", on, own.HeadlineMove)
	}
	if ko := own.HeadlineMove - noLinks.HeadlineMove; links.KnockOut.Values[0] != ko {
		t.Errorf("links' knock-out %v, want %v (%.2f%% less %.2f%%)", links.KnockOut.Values[0], ko, own.HeadlineMove, noLinks.HeadlineMove)
	}
	if off := allOff(t, cfg, cfg.Seed); float64(d.AllOff.Values[0]) != off {
		t.Errorf("all off %v at the scenario's seed, want %v", d.AllOff.Values[0], off)
	}
	for s := range d.Seeds {
		sum := float64(links.Shapley.Values[s] + cta.Shapley.Values[s])
		if want := float64(d.AllOn.Values[s] - d.AllOff.Values[s]); math.Abs(sum-want) > 1e-12 {
			t.Errorf("seed %s: Shapley values add up to %v, want all on less all off, %v", d.Seeds[s], sum, want)
		}
	}
	if float64(links.Share+cta.Share) < 99.999999 || float64(links.Share+cta.Share) > 100.000001 {
		t.Errorf("shares %v%% and %v%% add up to %v%%, want 100%%", links.Share, cta.Share, links.Share+cta.Share)
	}
	if d.Negligible {
		t.Errorf("the gap %.2f is called negligible", float64(d.AllOn.Mean-d.AllOff.Mean))
	}
	if !(links.Shapley.Mean > 3) {
		t.Errorf("the links' Shapley value %.2f, want the several points of the Nikkei's fall they carry", links.Shapley.Mean)
	}
	o.Workers = 1
	d1, err := Channels(context.Background(), cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(d)
	b, _ := json.Marshal(d1)
	if string(a) != string(b) {
		t.Errorf("one worker gives\n%s\ntwo give\n%s", b, a)
	}
}

// allOff runs cfg with the valuation links and the CTAs off.
func allOff(t *testing.T, cfg *sim.Config, seed uint64) float64 {
	t.Helper()
	c := cfg.Clone()
	c.Channels.Off = append(c.Channels.Off, "valuation_links", "cta")
	s, err := sim.RunSummary(context.Background(), c, seed, false)
	if err != nil {
		t.Fatal(err)
	}
	return float64(s.HeadlineMove)
}

// TestChannelsRefused: what a decomposition cannot take apart is refused
// before any run, each with a message naming the problem.
func TestChannelsRefused(t *testing.T) {
	sc, err := scenarios.Load("mini", []string{"channels.off=[offset_drop]"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &sc.File.Config
	for _, c := range []struct {
		o    ChannelOptions
		want string
	}{
		{ChannelOptions{Players: []string{"cross_margin", "marging"}, Seeds: 1}, `unknown channel "marging"`},
		{ChannelOptions{Players: []string{"all"}, Seeds: 1}, "channel all: name the channels"},
		{ChannelOptions{Players: []string{"cta", "cta"}, Seeds: 1}, "channel cta named twice"},
		{ChannelOptions{Players: []string{"offset_drop"}, Seeds: 1}, "channel offset_drop is already off in mini"},
		{ChannelOptions{Players: strings.Split("cross_margin,procyclical_haircuts,dealer_constraint,broker_capital,funding_feedback,valuation_links,cta,risk_parity,vol_control,insurer,bank", ","), Seeds: 1}, "11 channels: at most 10"},
		{ChannelOptions{Metric: "amplification", Players: []string{"cta"}, Seeds: 1}, "decompose headline_move_pct"},
		{ChannelOptions{Metric: "assets.NKY.max_drawdown", Players: []string{"cta"}, Seeds: 1}, `unknown metric "assets.NKY.max_drawdown"`},
		{ChannelOptions{Players: []string{"cta"}, Seeds: 0}, "seeds: 0, need at least 1"},
		{ChannelOptions{Players: []string{"cta", "valuation_links"}, Seeds: 1}, "valuation_links can carry nothing in mini: it has no links"},
	} {
		_, err := Channels(context.Background(), cfg, c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one saying %q", c.o, err, c.want)
		}
	}
	// By default the players are the channels the scenario has on and its
	// world can use: mini has no links.
	d, err := Channels(context.Background(), cfg, ChannelOptions{Seeds: 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := "cross_margin procyclical_haircuts dealer_constraint broker_capital funding_feedback"; strings.Join(d.Players, " ") != want || d.Runs != 32 {
		t.Errorf("default players %v (%d runs), want %s (32 runs)", d.Players, d.Runs, want)
	}
	// A world where no channel can act (banks only) is refused by default
	// and pointed at its agent kinds.
	eba, err := scenarios.Load("eba2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Channels(context.Background(), &eba.File.Config, ChannelOptions{Seeds: 1})
	if want := "no channel can act in eba2018: it has no prime brokers, dealers or links; name agent kinds to take apart with --players (its kinds: bank)"; err == nil || err.Error() != want {
		t.Errorf("eba2018 by default: error %v, want %q", err, want)
	}
	// When some are off and the rest inert, the message says which is which
	// (this world still has prime brokers).
	bare, err := scenarios.Load("mini", []string{"links=[]", "dealers=[]", "brokers.*.dealer=null", "brokers.*.kappa=0", "channels.off=[cross_margin, offset_drop, broker_capital]"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Channels(context.Background(), &bare.File.Config, ChannelOptions{Seeds: 1})
	if want := "no channel can act in mini: it has cross_margin, offset_drop, broker_capital off, and it has no prime broker with kappa > 0; it has no dealers; it has no links; name agent kinds"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("mini with brokers only: error %v, want one starting %q", err, want)
	}
}

// TestChannelsPlayerSets: --players kinds takes apart every agent kind the
// scenario has on (mini's ten; nine with cta off), and then every player
// off is the passive twin, to the bit, at every seed, each checked against
// sim.PassiveMove run on its own; the channels (the default, or the word
// channels) leave the agents trading, so every player off is not the twin,
// nor with a few kinds named (aug2024's links and CTAs: 8.55% against the
// twin's 8.73% on its own seed).
func TestChannelsPlayerSets(t *testing.T) {
	const allKinds = "prime_broker dealer hedge_fund insurer cta risk_parity vol_control value_investor bank central_bank"
	for _, c := range []struct {
		name    string
		world   string
		set     []string
		players []string
		want    string // players
		ps      string // player set
		twin    bool
	}{
		{"kinds", "mini", nil, []string{"kinds"}, allKinds, "kinds", true},
		{"kinds, cta off", "mini", []string{"channels.off=[cta]"}, []string{"kinds"}, strings.Replace(allKinds, "cta ", "", 1), "kinds", true},
		{"channels", "mini", nil, []string{"channels"}, "cross_margin offset_drop procyclical_haircuts dealer_constraint broker_capital funding_feedback", "channels", false},
		{"default", "mini", nil, nil, "cross_margin offset_drop procyclical_haircuts dealer_constraint broker_capital funding_feedback", "channels", false},
		{"named", "aug2024", nil, []string{"valuation_links", "cta"}, "valuation_links cta", "", false},
	} {
		sc, err := scenarios.Load(c.world, c.set)
		if err != nil {
			t.Fatal(err)
		}
		cfg := &sc.File.Config
		d, err := Channels(context.Background(), cfg, ChannelOptions{Players: c.players, Seed: cfg.Seed, Seeds: 2, Workers: 2})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := strings.Join(d.Players, " "); got != c.want || d.PlayerSet != c.ps {
			t.Errorf("%s: players %q (set %q), want %q (%q)", c.name, got, d.PlayerSet, c.want, c.ps)
		}
		if d.AllOffIsTwin != c.twin || d.Twin == nil {
			t.Fatalf("%s: all_off_is_twin %v (twin %v), want %v", c.name, d.AllOffIsTwin, d.Twin, c.twin)
		}
		for s, seed := range d.Seeds {
			k, _ := strconv.ParseUint(seed, 10, 64)
			want, err := sim.PassiveMove(context.Background(), cfg, k)
			if err != nil {
				t.Fatal(err)
			}
			if got := float64(d.Twin.Values[s]); got != want {
				t.Errorf("%s, seed %s: twin %v, want sim.PassiveMove's %v", c.name, seed, got, want)
			}
			if off := float64(d.AllOff.Values[s]); (off == want) != c.twin {
				t.Errorf("%s, seed %s: every player off %v, the twin %v: want equal %v", c.name, seed, off, want, c.twin)
			}
		}
	}
	// A metric other than the headline move has no twin to compare.
	sc, err := scenarios.Load("mini", nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Channels(context.Background(), &sc.File.Config, ChannelOptions{Players: []string{"cta"}, Metric: "vix.peak", Seeds: 1})
	if err != nil || d.Twin != nil || d.AllOffIsTwin {
		t.Errorf("vix.peak: twin %v, all_off_is_twin %v (error %v); want none", d.Twin, d.AllOffIsTwin, err)
	}
}

// TestChannelsNoEffect: in aug2024 the dealers' constraint and the funding
// feedback never bind (on its own seed no dealer's utilization passes 0.26,
// the sector's 0.18, against a u_star of 0.5): switching either changes the Nikkei's fall in no setting
// on any seed, so each is marked no_effect, with a Shapley value and a
// knock-out of exactly 0 on every seed; the CTAs, which trade, are not.
func TestChannelsNoEffect(t *testing.T) {
	sc, err := scenarios.Load("aug2024", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &sc.File.Config
	d, err := Channels(context.Background(), cfg, ChannelOptions{Players: []string{"dealer_constraint", "funding_feedback", "cta"}, Seed: cfg.Seed, Seeds: 2, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, true, false} {
		c := d.Channels[i]
		if c.NoEffect != want {
			t.Errorf("%s: no_effect %v, want %v", c.Channel, c.NoEffect, want)
		}
		for s := range d.Seeds {
			if zero := c.Shapley.Values[s] == 0 && c.KnockOut.Values[s] == 0; zero != want {
				t.Errorf("%s, seed %s: Shapley %v, knock-out %v; want exactly 0 %v", c.Channel, d.Seeds[s], c.Shapley.Values[s], c.KnockOut.Values[s], want)
			}
		}
	}
	// A player whose effect is tiny but not nothing is not marked: mini's
	// cross-margining moves its fall by about 1e-5.
	mini, err := scenarios.Load("mini", nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err = Channels(context.Background(), &mini.File.Config, ChannelOptions{Players: []string{"cross_margin", "dealer_constraint"}, Seed: mini.File.Config.Seed, Seeds: 2, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if d.Channels[0].NoEffect || !d.Channels[1].NoEffect {
		t.Errorf("mini: cross_margin no_effect %v (Shapley %v), dealer_constraint %v; want false, true", d.Channels[0].NoEffect, d.Channels[0].Shapley.Values, d.Channels[1].NoEffect)
	}
}
