package sweep

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// scoreOf runs cfg at seed with the recorder cascade run uses and returns
// the simulated value of the observation named name, as cascade score
// measures it on the run's whole time series.
func scoreOf(t *testing.T, cfg *sim.Config, obs []scenarios.Observation, seed uint64, name string) float64 {
	t.Helper()
	m, err := sim.Build(cfg.Clone(), seed)
	if err != nil {
		t.Fatal(err)
	}
	rec := output.NewRecorder(false)
	if err := m.Run(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	rows, err := output.Score(obs, rec.Timeseries())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Name == name {
			return r.Simulated
		}
	}
	t.Fatalf("no observation %q", name)
	return 0
}

// TestChannelsScore takes the August 2024 replay's S&P 500 move on 5
// August (score.S&P 500 5 Aug) apart between the valuation links and the
// CTAs at two seeds. Each setting's value is what cascade score gives for
// that run: the scenario's own (-4.36%, as cascade score aug2024 prints
// it), every player off, and the links alone off (the knock-out), each
// measured on a run of its own with the full recorder. The Shapley values
// add up to all on less all off, and the quantity's observed value,
// tolerance and the seeds within it come with the decomposition.
func TestChannelsScore(t *testing.T) {
	sc, err := scenarios.Load("aug2024", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg, obs := &sc.File.Config, sc.File.Observed
	const name = "S&P 500 5 Aug"
	d, err := Channels(context.Background(), cfg, ChannelOptions{Metric: "score." + name, Observed: obs,
		Players: []string{"valuation_links", "cta"}, Seed: cfg.Seed, Seeds: 2, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if d.Runs != 8 || d.Incomplete != 0 || d.Metric != "score."+name {
		t.Fatalf("%s: %d runs (%d incomplete), want 8, all complete", d.Metric, d.Runs, d.Incomplete)
	}
	own := scoreOf(t, cfg, obs, cfg.Seed, name)
	if math.Abs(own-(-4.36)) > 0.005 {
		t.Errorf("aug2024's own S&P 500 5 Aug %.3f%%, want -4.36%% (cascade score aug2024)", own)
	}
	off := cfg.Clone()
	off.Channels.Off = append(off.Channels.Off, "valuation_links", "cta")
	noLinks := cfg.Clone()
	noLinks.Channels.Off = append(noLinks.Channels.Off, "valuation_links")
	links, cta := d.Channels[0], d.Channels[1]
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"all on at the scenario's seed", float64(d.AllOn.Values[0]), own},
		{"all off at the second seed", float64(d.AllOff.Values[1]), scoreOf(t, off, obs, core.Seeds(cfg.Seed, 2)[1], name)},
		{"links' knock-out at the scenario's seed", float64(links.KnockOut.Values[0]), own - scoreOf(t, noLinks, obs, cfg.Seed, name)},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v (cascade score's)", c.what, c.got, c.want)
		}
	}
	for s := range d.Seeds {
		sum := float64(links.Shapley.Values[s] + cta.Shapley.Values[s])
		if want := float64(d.AllOn.Values[s] - d.AllOff.Values[s]); math.Abs(sum-want) > 1e-12 {
			t.Errorf("seed %s: Shapley values add up to %v, want all on less all off, %v", d.Seeds[s], sum, want)
		}
	}
	if !(links.Shapley.Mean < -2) {
		t.Errorf("the links' Shapley value %.2f, want the S&P 500's fall of several points they carry", links.Shapley.Mean)
	}
	q := d.Scored
	if q == nil {
		t.Fatal("no scored quantity")
	}
	within := 0
	for _, x := range d.AllOn.Values {
		if x <= -1.5 {
			within++
		}
	}
	if q.Name != name || q.Quantity != "close_change" || q.Asset != "SPX" || q.Observed != -3 || q.Tolerance != "<= -1.5" || q.OnWithin != within || within != 2 {
		t.Errorf("scored %+v, want S&P 500 5 Aug, close_change of SPX, observed -3, tolerance <= -1.5, within on 2 of 2", *q)
	}
	// A summary metric has no scored quantity.
	h, err := Channels(context.Background(), cfg, ChannelOptions{Observed: obs, Players: []string{"cta"}, Seed: cfg.Seed, Seeds: 1})
	if err != nil || h.Scored != nil {
		t.Errorf("headline_move_pct: scored %+v, error %v; want none", h.Scored, err)
	}
}

// TestChannelsScoreRefused: a score metric the decomposition cannot take
// apart is refused before any run, with the reason: score.within (a count
// of quantities within tolerance), the bare group, a misspelt quantity
// (with a did-you-mean among the scenario's quantities, within not among
// them), and any score metric of a scenario without observed:.
func TestChannelsScoreRefused(t *testing.T) {
	aug, err := scenarios.Load("aug2024", nil)
	if err != nil {
		t.Fatal(err)
	}
	mini, err := scenarios.Load("mini", nil)
	if err != nil {
		t.Fatal(err)
	}
	obs := aug.File.Observed
	for _, c := range []struct {
		cfg    *sim.Config
		metric string
		obs    []scenarios.Observation
		want   string
	}{
		{&aug.File.Config, "score.within", obs, "metric score.within: a count of the quantities within tolerance moves only when one crosses an edge of its tolerance"},
		{&aug.File.Config, "score.within", obs, "take the quantities apart one at a time, score.NAME, NAME one of the observed quantities (Nikkei 5 Aug (close to close); S&P 500 5 Aug; VIX proxy peak;"},
		{&aug.File.Config, "score", obs, `metric "score" is a group: pick score.NAME, NAME one of the observed quantities (Nikkei 5 Aug (close to close);`},
		{&aug.File.Config, "score.S&P 500 5 ug", obs, `unknown metric "score.S&P 500 5 ug": no observed quantity "S&P 500 5 ug" in aug2024 (did you mean "S&P 500 5 Aug"?) (have Nikkei 5 Aug (close to close); S&P 500 5 Aug;`},
		{&aug.File.Config, "score.S&P 500 5 Aug", nil, `metric "score.S&P 500 5 Aug": aug2024 has no observed: list to score against`},
		{&mini.File.Config, "score.within", nil, `metric "score.within": mini has no observed: list to score against (score metrics are a replay's observed quantities: give a scenario with one, as aug2024`},
	} {
		_, err := Channels(context.Background(), c.cfg, ChannelOptions{Metric: c.metric, Observed: c.obs, Players: []string{"cta"}, Seeds: 1})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: error %v, want one containing %q", c.cfg.Name, c.metric, err, c.want)
		} else if !errors.As(err, new(RequestError)) {
			t.Errorf("%s %s: %v is not a RequestError", c.cfg.Name, c.metric, err)
		}
		if err != nil && strings.Contains(err.Error(), "have within") {
			t.Errorf("%s %s: %v offers score.within", c.cfg.Name, c.metric, err)
		}
	}
}
