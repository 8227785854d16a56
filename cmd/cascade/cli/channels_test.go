package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/sim"
	"github.com/cascade-sim/cascade/sweep"
)

// TestChannelsCLI: cascade channels prints one row per player and a sum
// that is every player on less every player off, and --json carries the
// same numbers with every seed's values, each Shapley value's standard
// error and 95% interval (checked against the seeds' values by hand), and
// the rows whose interval holds 0 marked as not distinguishable from 0;
// players that are agent kinds make the table one of players, and a table
// of channels alone says that with every channel off the agents still
// trade; a gap too small to share out (mini's) gets no shares, and a range
// over seeds that is one point prints as that value; at one seed there is
// no standard error, interval or range, and a note says they need more
// seeds; a request it cannot make exits 2 with the reason.
func TestChannelsCLI(t *testing.T) {
	args := []string{"channels", "aug2024", "--players", "valuation_links,cta,hedge_fund,value_investor", "--seeds", "3"}
	out, stderr, code := cascade(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	hasAll(t, out,
		"aug2024: NKY's largest fall, % (headline_move_pct) taken apart between 4 players at 3 seeds (48 runs)",
		"every player on:", "every player off:", "player           Shapley  s.e.   95% CI           range over seeds  share  knock-out",
		"valuation_links  ", "cta  ", "hedge_fund  ", "sum  ",
		"95% CI is the mean ± t·s.e., t Student's 97.5% quantile at 2 degrees of freedom (4.303); the range over seeds is the smallest and the largest of the 3 values",
		"A kind off (cta, hedge_fund, value_investor) is passive",
	)
	js, stderr, code := cascade(t, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("--json: exit %d: %s", code, stderr)
	}
	var d struct {
		Negligible *bool                      `json:"negligible_gap"`
		Seeds      []string                   `json:"seeds"`
		AllOn      struct{ Values []float64 } `json:"all_on"`
		AllOff     struct{ Values []float64 } `json:"all_off"`
		Players    []string                   `json:"players"`
		Coalitions []struct {
			Mask   int       `json:"mask"`
			On     []string  `json:"on"`
			Values []float64 `json:"values"`
		} `json:"coalitions"`
		Channels []struct {
			Channel  string  `json:"channel"`
			Share    float64 `json:"share_pct"`
			ZeroInCI bool    `json:"zero_in_ci95"`
			Shapley  struct {
				Mean   float64   `json:"mean"`
				SE     float64   `json:"se"`
				Lo     float64   `json:"ci95_low"`
				Hi     float64   `json:"ci95_high"`
				Values []float64 `json:"values"`
			} `json:"shapley"`
		} `json:"channels"`
	}
	if err := json.Unmarshal([]byte(js), &d); err != nil {
		t.Fatalf("%v in:\n%s", err, js)
	}
	if len(d.Seeds) != 3 || len(d.Channels) != 4 || d.Channels[2].Channel != "hedge_fund" {
		t.Fatalf("seeds %v, channels %+v", d.Seeds, d.Channels)
	}
	if d.Negligible == nil || *d.Negligible {
		t.Errorf("negligible_gap %v, want false: the players carry most of the Nikkei's fall", d.Negligible)
	}
	// Every setting's value at every seed: re-summed here, marginal
	// contributions averaged over the 4! orders of switching the players
	// on, they give each seed's Shapley values; the first setting is every
	// player off, the last every player on.
	if len(d.Coalitions) != 16 {
		t.Fatalf("%d coalitions, want 2^4 = 16", len(d.Coalitions))
	}
	for mask, c := range d.Coalitions {
		var on []string
		for i, p := range d.Players {
			if mask&(1<<i) != 0 {
				on = append(on, p)
			}
		}
		if c.Mask != mask || strings.Join(c.On, ",") != strings.Join(on, ",") || len(c.Values) != 3 {
			t.Errorf("coalition %d: mask %d, on %v, %d values; want on %v, 3 values", mask, c.Mask, c.On, len(c.Values), on)
		}
	}
	for s := range d.Seeds {
		if d.Coalitions[0].Values[s] != d.AllOff.Values[s] || d.Coalitions[15].Values[s] != d.AllOn.Values[s] {
			t.Errorf("seed %s: coalitions 0 and 15 %v, %v; want all off %v, all on %v", d.Seeds[s], d.Coalitions[0].Values[s], d.Coalitions[15].Values[s], d.AllOff.Values[s], d.AllOn.Values[s])
		}
		phi := make([]float64, 4)
		orders := 0
		for _, order := range permutations(4) {
			mask := 0
			for _, i := range order {
				phi[i] += d.Coalitions[mask|1<<i].Values[s] - d.Coalitions[mask].Values[s]
				mask |= 1 << i
			}
			orders++
		}
		for i, c := range d.Channels {
			if got := phi[i] / float64(orders); math.Abs(got-c.Shapley.Values[s]) > 1e-12 {
				t.Errorf("seed %s, %s: the coalitions give a Shapley value of %v, --json %v", d.Seeds[s], c.Channel, got, c.Shapley.Values[s])
			}
		}
	}
	share := 0.0
	for s := range d.Seeds {
		sum := 0.0
		for _, c := range d.Channels {
			sum += c.Shapley.Values[s]
		}
		if want := d.AllOn.Values[s] - d.AllOff.Values[s]; math.Abs(sum-want) > 1e-9 {
			t.Errorf("seed %s: Shapley values add up to %v, want %v", d.Seeds[s], sum, want)
		}
	}
	for _, c := range d.Channels {
		share += c.Share
	}
	if math.Abs(share-100) > 1e-9 {
		t.Errorf("shares add up to %v%%, want 100%%", share)
	}
	// Each Shapley value's standard error and 95% interval, from its three
	// seeds' values by hand (t at 2 degrees of freedom 4.3027), and the
	// rows whose interval holds 0 marked, the others not: the value
	// investors' (-0.52, interval -1.03 to 0.0019) is the one.
	lines := strings.Split(out, "\n")
	marked := 0
	for _, c := range d.Channels {
		v := c.Shapley.Values
		mean := (v[0] + v[1] + v[2]) / 3
		se := math.Sqrt(((v[0]-mean)*(v[0]-mean)+(v[1]-mean)*(v[1]-mean)+(v[2]-mean)*(v[2]-mean))/2) / math.Sqrt(3)
		lo, hi := mean-4.302653*se, mean+4.302653*se
		if math.Abs(c.Shapley.SE-se) > 1e-12 || math.Abs(c.Shapley.Lo-lo) > 1e-5 || math.Abs(c.Shapley.Hi-hi) > 1e-5 {
			t.Errorf("%s: s.e. %v, 95%% CI %v – %v; want %v, %v – %v", c.Channel, c.Shapley.SE, c.Shapley.Lo, c.Shapley.Hi, se, lo, hi)
		}
		zero := lo <= 0 && hi >= 0
		if c.ZeroInCI != zero {
			t.Errorf("%s: zero_in_ci95 %v, want %v", c.Channel, c.ZeroInCI, zero)
		}
		for _, l := range lines {
			if strings.HasPrefix(l, c.Channel+" ") {
				mark := strings.HasSuffix(strings.TrimSpace(l), "not distinguishable from 0 at 3 seeds")
				if mark != zero {
					t.Errorf("%s: interval %v – %v, row %q", c.Channel, lo, hi, l)
				}
				if mark {
					marked++
				}
			}
		}
	}
	if marked != 1 || !d.Channels[3].ZeroInCI {
		t.Errorf("%d rows marked, want 1 (value_investor):\n%s", marked, out)
	}
	// mini's channels move its Nikkei fall by about 3e-05 of 1.6 points:
	// no shares, and the note says why.
	out, stderr, code = cascade(t, "channels", "mini", "--seeds", "3")
	if code != 0 {
		t.Fatalf("mini: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"every player on:", "channel               Shapley", "cross_margin          1.31e-05  1.45e-05  -4.93e-05 – 7.55e-05  -2.72e-06 – 4.21e-05  n/a    2.83e-05   not distinguishable from 0 at 3 seeds\n",
		"No shares: together the channels move the metric by 2.83e-05 of its 1.61 (under 0.01%)",
		"Every player off is not the passive twin (amplification's denominator, one more run a seed: every agent passive, every channel but valuation_links off): the agents still trade, each by its own rules. To share out the move less the twin's, take the agent kinds apart: --players kinds.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("mini: no %q in:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "  n/a  "); n != 7 {
		t.Errorf("mini: %d shares n/a, want all 7 (6 channels and the sum):\n%s", n, out)
	}
	// A range that is one point (no dealers act in mini: 0 at every seed)
	// prints as that point, not "0.00 – 0.00".
	if want := "dealer_constraint     0         0         0                     0                     n/a    0          no effect on any seed\n"; !strings.Contains(out, want) || strings.Contains(out, " 0 – 0 ") {
		t.Errorf("mini: want %q and no range from a number to itself in:\n%s", want, out)
	}
	// One seed has no range: the values alone, no 5-95% column, and a
	// note that a range needs more seeds.
	out, stderr, code = cascade(t, "channels", "mini", "--seeds", "1")
	if code != 0 {
		t.Fatalf("mini --seeds 1: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"at 1 seed (64 runs)\nplayers, each on and off: cross_margin, offset_drop, procyclical_haircuts, dealer_constraint, broker_capital, funding_feedback\n" +
			"everything else as the scenario has it, in every run: every other channel and agent kind on; valuation_links left out of the players (the world gives it nothing to act on)\n" +
			"every player on:  mean 1.57\nevery player off: mean 1.57\npassive twin:     mean 1.57\nEvery player off is not the passive twin",
		"\nchannel               Shapley    share  knock-out",
		"\ncross_margin          -2.72e-06  n/a    -2.5e-06",
		"\nOne seed: no standard error, confidence interval or range over seeds, which need --seeds 2 or more (10 by default).\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("mini --seeds 1: no %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, " – ") || strings.Contains(out, "s.e.") || strings.Contains(out, "CI") {
		t.Errorf("mini --seeds 1 prints a range:\n%s", out)
	}
	// The help's example metric: the peak 10-year yield in apr2025, which
	// the dealers' constraint pushes up.
	out, stderr, code = cascade(t, "channels", "apr2025", "--metric", "assets.UST10Y.yield.max", "--players", "dealer_constraint,cta", "--seeds", "2")
	if code != 0 || !strings.Contains(out, "apr2025: assets.UST10Y.yield.max taken apart between 2 players at 2 seeds (8 runs)") {
		t.Errorf("apr2025 --metric assets.UST10Y.yield.max: exit %d, stdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	usageRefused(t, []usageCase{
		{[]string{"channels", "mini", "--players", "cta,crossmargin"}, `players: unknown channel "crossmargin"`},
		{[]string{"channels", "mini", "--metric", "assets.SPX.drawdown"}, `unknown metric "assets.SPX.drawdown"`},
		{[]string{"channels", "mini", "--seeds", "0"}, "--seeds 0: need at least 1"},
		{[]string{"channels", "no-such-scenario"}, "no-such-scenario"},
	})
}

// permutations lists the orders of 0 ... k-1.
func permutations(k int) [][]int {
	if k == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(k - 1) {
		for at := 0; at <= len(p); at++ {
			q := append(append(append([]int{}, p[:at]...), k-1), p[at:]...)
			out = append(out, q)
		}
	}
	return out
}

// TestChannelsLabels: the table says what is on and off: the players,
// each on and off, and everything else as the scenario has it, naming
// what the scenario (or --set) has off and the channels left out of the
// default players; "every player on" and "every player off", never
// "every channel on" when a channel is off throughout; the passive twin,
// and whether every player off is it (--players kinds: yes; aug2024's
// links and CTAs: no, 8.55% against 8.73%, with the recipe that makes it
// so), that the links' part includes scripted news, and a line for each of
// cross_margin and broker_capital (which do more than their names) when it
// is a player, none when it is not. --json lists the
// scenario's switches off and the channels left out.
func TestChannelsLabels(t *testing.T) {
	for _, c := range []struct {
		name      string
		args      []string
		want      []string
		not       []string
		off, left []string
	}{
		{"set off", []string{"mini", "--set", "channels.off=[offset_drop]"}, []string{
			"taken apart between 5 channels at 1 seed (32 runs)\nplayers, each on and off: cross_margin, procyclical_haircuts, dealer_constraint, broker_capital, funding_feedback\n",
			"everything else as the scenario has it, in every run: offset_drop off (its channels.off), the other channels and agent kinds on; valuation_links left out of the players (the world gives it nothing to act on)\n",
			"every player on:  mean", "every player off: mean",
			"\ncross_margin off also changes the starting books: every hedge-fund trade gets its own account at its broker from tick 0",
			"\nbroker_capital off also freezes the stand-alone dealers' capacity at their starting capital",
		}, []string{"every channel on", "every channel off"}, []string{"offset_drop"}, []string{"valuation_links"}},
		{"kinds off", []string{"mini", "--players", "cta,cross_margin", "--set", "channels.off=[vol_control, offset_drop]"}, []string{
			"players, each on and off: cta, cross_margin\n",
			"everything else as the scenario has it, in every run: vol_control, offset_drop off (its channels.off), the other channels and agent kinds on\n",
			"\ncross_margin off also changes the starting books",
		}, []string{"left out", "broker_capital off also"}, []string{"vol_control", "offset_drop"}, nil},
		{"nothing off", []string{"aug2024", "--players", "valuation_links,cta"}, []string{
			"players, each on and off: valuation_links, cta\neverything else as the scenario has it, in every run: every other channel and agent kind on\n",
			"every player off: mean 8.55\npassive twin:     mean 8.73\nEvery player off is not the passive twin",
			"): the agent kinds that are not players still trade. To share out the move less the twin's, take the agent kinds apart: --players kinds.\n",
			"valuation_links' part includes the scripted news the links carry from one market to the markets it drives, which the passive twin keeps",
		}, []string{"left out", "its channels.off", "cross_margin off also", "broker_capital off also"}, []string{}, nil},
		{"kinds", []string{"mini", "--players", "kinds"}, []string{
			"taken apart between 10 players at 1 seed (1024 runs)\n",
			"players, each on and off: prime_broker, dealer, hedge_fund, insurer, cta, risk_parity, vol_control, value_investor, bank, central_bank\n",
			"Every player off is the passive twin (amplification's denominator, one more run a seed: every agent passive, every channel but valuation_links off), to the bit, on every seed: the players share out the move less the twin's.\n",
		}, []string{"is not the passive twin", "valuation_links' part"}, []string{}, nil},
	} {
		args := append(append([]string{"channels"}, c.args...), "--seeds", "1")
		out, stderr, code := cascade(t, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, code, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: no %q in:\n%s", c.name, w, out)
			}
		}
		for _, w := range c.not {
			if strings.Contains(out, w) {
				t.Errorf("%s: %q in:\n%s", c.name, w, out)
			}
		}
		js, stderr, code := cascade(t, append(args, "--json")...)
		if code != 0 {
			t.Fatalf("%s --json: exit %d: %s", c.name, code, stderr)
		}
		var d struct {
			Off  []string `json:"scenario_off"`
			Left []string `json:"left_out"`
		}
		if err := json.Unmarshal([]byte(js), &d); err != nil {
			t.Fatal(err)
		}
		if strings.Join(d.Off, ",") != strings.Join(c.off, ",") || d.Off == nil || strings.Join(d.Left, ",") != strings.Join(c.left, ",") {
			t.Errorf("%s: scenario_off %q, left_out %q; want %q, %q", c.name, d.Off, d.Left, c.off, c.left)
		}
	}
}

// TestChannelsNoEffectCLI: a player that changed the metric in no
// setting on any seed (aug2024's dealers' constraint and funding feedback,
// which never bind) is marked "no effect on any seed", not "not
// distinguishable from 0", with a note saying what that means, at one
// seed and at several; one that acts (the CTAs) is not.
func TestChannelsNoEffectCLI(t *testing.T) {
	for _, seeds := range []string{"1", "2"} {
		out, stderr, code := cascade(t, "channels", "aug2024", "--players", "dealer_constraint,funding_feedback,cta", "--seeds", seeds)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		rows := map[string]bool{"dealer_constraint": true, "funding_feedback": true, "cta": false}
		for _, l := range strings.Split(out, "\n") {
			name, _, _ := strings.Cut(l, " ")
			want, ok := rows[name]
			if !ok {
				continue
			}
			delete(rows, name)
			if got := strings.HasSuffix(strings.TrimSpace(l), "no effect on any seed"); got != want || strings.Contains(l, "distinguishable") && want {
				t.Errorf("--seeds %s: row %q: marked %v, want %v", seeds, l, got, want)
			}
		}
		if len(rows) > 0 {
			t.Errorf("--seeds %s: no rows for %v in:\n%s", seeds, rows, out)
		}
		hasAll(t, out, "\nno effect on any seed: switching it changed the metric in no setting on any seed (exactly 0 every time): in this scenario the channel never bound")
	}
}

// TestChNum: a decomposition's values keep three significant digits or
// more (a knock-out of 0.0067 is not 0.01), from 1 up two decimals, and
// what is below the noise bound (1e-9 of the metric's size) prints as 0
// (-8.1e-12 against a 9-point move), while a small value above it keeps
// its digits (-6.4e-08 against 3.37).
func TestChNum(t *testing.T) {
	for _, c := range []struct {
		x, size float64
		want    string
	}{
		{0, 1, "0"}, {0.0067123, 9, "0.00671"}, {-0.0049234, 3.37, "-0.00492"}, {0.00093512, 3.37, "0.000935"},
		{-8.1e-12, 9, "0"}, {-6.4e-08, 3.37, "-6.4e-08"}, {13.4151, 13, "13.42"}, {0.0573, 3, "0.0573"},
		{1.2345e12, 1e12, "1.23e+12"}, {math.NaN(), 1, "n/a"}, {2.8e-5, 1.61, "2.8e-05"},
	} {
		if got := chNum(c.x, NoiseFraction*c.size); got != c.want {
			t.Errorf("chNum(%v) of a metric of size %v = %q, want %q", c.x, c.size, got, c.want)
		}
	}
}

// TestChannelsNoise: in a table, a value below 1e-9 of the metric's size
// prints as 0 (a Shapley value of -8.1e-12 of a 9-point gap between 18
// and 9), a small one keeps three digits (a knock-out of 0.0067).
func TestChannelsNoise(t *testing.T) {
	sp := func(x float64) sweep.Spread {
		return sweep.Spread{N: 1, Mean: sim.Num(x), Median: sim.Num(x), P05: sim.Num(x), P95: sim.Num(x), Values: []sim.Num{sim.Num(x)}}
	}
	d := &sweep.ChannelDecomposition{Scenario: "w", Metric: "m", Seeds: []string{"1"}, Players: []string{"cross_margin", "valuation_links"},
		AllOn: sp(18), AllOff: sp(9), Channels: []sweep.ChannelShare{
			{Channel: "cross_margin", Shapley: sp(-8.1e-12), KnockOut: sp(0.0067), Share: sim.Num(-9e-11)},
			{Channel: "valuation_links", Shapley: sp(9 + 8.1e-12), KnockOut: sp(9), Share: 100},
		}}
	var b bytes.Buffer
	printChannels(&b, d)
	if want := "\ncross_margin     0        0%     0.0067     \n"; !strings.Contains(b.String(), want) {
		t.Errorf("no %q in:\n%s", want, b.String())
	}
}

// TestChannelsScoreCLI: --metric score.NAME takes a replay's observed
// quantity apart (the S&P 500's move on 5 August, whose value with every
// player on at aug2024's own seed is cascade score's -4.36), naming it,
// with what markets did, the tolerance and the seeds within it, and
// --json carries the same; what cannot be taken apart exits 2 with the
// reason.
func TestChannelsScoreCLI(t *testing.T) {
	args := []string{"channels", "aug2024", "--metric", "score.S&P 500 5 Aug", "--players", "valuation_links,cta", "--seeds", "1"}
	out, stderr, code := cascade(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	hasAll(t, out,
		"aug2024: the simulated S&P 500 5 Aug (score.S&P 500 5 Aug: close_change of SPX) taken apart between 2 players at 1 seed (4 runs)\n",
		"every player on:  mean -4.36\n",
		"observed -3, tolerance <= -1.5: within it with every player on at 1 of 1 seed, every player off at 1\n",
		"valuation_links  -3.17", "cta              0.496    -19%   0.991",
	)
	js, stderr, code := cascade(t, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("--json: exit %d: %s", code, stderr)
	}
	var d struct {
		Metric string `json:"metric"`
		Scored struct {
			Name      string  `json:"name"`
			Observed  float64 `json:"observed"`
			Tolerance string  `json:"tolerance"`
			OnWithin  int     `json:"on_within"`
		} `json:"scored"`
		AllOn struct{ Values []float64 } `json:"all_on"`
	}
	if err := json.Unmarshal([]byte(js), &d); err != nil {
		t.Fatalf("%v in:\n%s", err, js)
	}
	if d.Metric != "score.S&P 500 5 Aug" || d.Scored.Name != "S&P 500 5 Aug" || d.Scored.Observed != -3 || d.Scored.Tolerance != "<= -1.5" ||
		d.Scored.OnWithin != 1 || len(d.AllOn.Values) != 1 || math.Abs(d.AllOn.Values[0]+4.36) > 0.005 {
		t.Errorf("--json: %+v", d)
	}
	usageRefused(t, []usageCase{
		{[]string{"channels", "aug2024", "--metric", "score.within"}, "metric score.within: a count of the quantities within tolerance"},
		{[]string{"channels", "aug2024", "--metric", "score.S&P500 5 Aug"}, `no observed quantity "S&P500 5 Aug" in aug2024 (did you mean "S&P 500 5 Aug"?)`},
		{[]string{"channels", "mini", "--metric", "score.S&P 500 5 Aug"}, "mini has no observed: list to score against"},
	})
}

// TestChannelsOffset: when the players' total is next to nothing, the
// note tells players that offset each other (mar2020's basis unwound:
// dealer_constraint +25.12, valuation_links -25.12, total 3.6e-15 of
// 49.76) from players that do nothing (mini's, each under 1e-4 of the
// metric), naming each offsetting player's own effect.
func TestChannelsOffset(t *testing.T) {
	one := func(x float64) sweep.Spread {
		return sweep.Spread{Mean: sim.Num(x), Median: sim.Num(x), P05: sim.Num(x), P95: sim.Num(x), Values: []sim.Num{sim.Num(x)}}
	}
	share := func(name string, phi, ko float64) sweep.ChannelShare {
		return sweep.ChannelShare{Channel: name, Shapley: one(phi), KnockOut: one(ko), Share: sim.Num(math.NaN())}
	}
	for _, c := range []struct {
		name      string
		channels  []sweep.ChannelShare
		want, not string
	}{
		{"offset", []sweep.ChannelShare{share("cross_margin", 0, 0), share("dealer_constraint", 25.12, 0), share("valuation_links", -25.12, -50.24)},
			"No shares, but the channels are not idle: together they move the metric by 0 of its 49.76 (under 0.01%) because their effects offset. " +
				"Each channel's own effect: dealer_constraint +25.12 (knock-out 0), valuation_links -25.12 (knock-out -50.24).",
			"cross_margin +"},
		// A knock-out alone, with the Shapley values next to nothing,
		// is still an effect.
		{"knock-out", []sweep.ChannelShare{share("cross_margin", 1e-6, 3), share("offset_drop", 0, -3)},
			"Each channel's own effect: cross_margin +1e-06 (knock-out +3.00), offset_drop 0 (knock-out -3.00).", "too little"},
		{"idle", []sweep.ChannelShare{share("cross_margin", 1.3e-5, 1e-5), share("offset_drop", -2e-6, 0)},
			"No shares: together the channels move the metric by 1.1e-05 of its 49.76 (under 0.01%), too little for a share to mean anything.",
			"not idle"},
	} {
		d := &sweep.ChannelDecomposition{Scenario: "w", Metric: "m", Seeds: []string{"1"}, AllOn: one(49.76), AllOff: one(49.76), Negligible: true, Channels: c.channels}
		for _, ch := range c.channels {
			d.Players = append(d.Players, ch.Channel)
		}
		var b bytes.Buffer
		printChannels(&b, d)
		if out := b.String(); !strings.Contains(out, c.want) || strings.Contains(out, c.not) {
			t.Errorf("%s: want %q and no %q in:\n%s", c.name, c.want, c.not, out)
		}
	}
}

// TestPct: a share shows in whole percent, and one that rounds to zero
// from below (a player carrying nothing of a negative total, as the S&P
// 500's fall on 5 August) as 0%, not -0%.
func TestPct(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{-0.0, "0%"}, {-0.4, "0%"}, {0.4, "0%"}, {-0.6, "-1%"}, {99.5, "100%"}, {math.NaN(), "n/a"},
	} {
		if got := pct(c.x); got != c.want {
			t.Errorf("pct(%v) = %q, want %q", c.x, got, c.want)
		}
	}
}

// usageCase is a command line refused as a usage error, and what its
// message must say.
type usageCase struct {
	args []string
	want string
}

// usageRefused runs each case and checks it exits 2 with its want in the
// error output.
func usageRefused(t *testing.T, cases []usageCase) {
	t.Helper()
	for _, c := range cases {
		if _, stderr, code := cascade(t, c.args...); code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, want 2 and %q in:\n%s", c.args, code, c.want, stderr)
		}
	}
}

// hasAll checks that out holds every one of wants.
func hasAll(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}
