package agents_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// tradeTimes runs cfg for its ticks and returns, per asset ID, when the
// agent id changed its position: "Mon 19h" (UTC day and hour).
func tradeTimes(t *testing.T, cfg *sim.Config, id string, assets ...string) map[string][]string {
	t.Helper()
	m, audit := build(t, cfg)
	h := holder(t, m, id)
	idx := make([]int, len(assets))
	last := make([]float64, len(assets))
	for k, a := range assets {
		idx[k] = asset(t, m, a)
		last[k] = h.Units(idx[k])
	}
	out := map[string][]string{}
	for !m.Done() {
		when := m.W.Now().UTC()
		step(t, m, 1)
		for k, i := range idx {
			if u := h.Units(i); u != last[k] {
				out[assets[k]] = append(out[assets[k]], fmt.Sprintf("%s %02dh", when.Format("Mon 2"), when.Hour()))
				last[k] = u
			}
		}
	}
	checkAudit(t, audit, m.W, "end")
	return out
}

// sessionsConfig is config(USDJPY, SPX, NKY) with their sessions (fx, New York, Tokyo)
// and the noise on, so that volatility estimates, and with them the
// targets, move at every tick: from Monday 29 July 2024 00:00 UTC (New
// York on summer time: 13:30–20:00 UTC; Tokyo 00:00–06:00 UTC) for 200
// hourly ticks, to Tuesday 6 August 07:00.
func sessionsConfig() *sim.Config {
	cfg := config("USDJPY", "SPX", "NKY")
	cfg.Noise = sim.NoiseSpec{}
	cfg.Seed = 11
	for k := range cfg.Assets {
		cfg.Assets[k].Session = map[string]string{"USDJPY": "fx", "SPX": "new_york", "NKY": "tokyo"}[cfg.Assets[k].ID]
	}
	cfg.Brokers = []agents.PrimeBrokerSpec{brokerSpec("PB")}
	return cfg
}

// TestRebalanceAt: a rebalancing book trades at the times its rebalance_at
// sets, and only then (no margin call comes in these runs). At "close",
// each asset at its market's last tick of the day, weekdays only since
// the markets are shut at weekends: New York's 19:00 UTC tick (15:00–16:00
// in New York) and Tokyo's 05:00 (14:00–15:00 in Tokyo). A clock time in
// New York's zone falls on the same tick in summer; a clock time when New
// York is shut trades at its open (13:00 UTC tick), as the default
// schedule of a fund whose place among the holders falls outside the
// session does.
func TestRebalanceAt(t *testing.T) {
	weekdays := func(hour string, days ...string) []string {
		var out []string
		for _, d := range days {
			out = append(out, d+" "+hour)
		}
		return out
	}
	all := []string{"Mon 29", "Tue 30", "Wed 31", "Thu 1", "Fri 2", "Mon 5"}
	vc := func(at string, days float64) sim.AgentSpec {
		return sim.AgentSpec{Kind: "vol_control", VolControl: &agents.VolControlSpec{ID: "f", Equity: 1e9, Broker: "PB", Asset: "SPX", RebalanceAt: at, RebalanceDays: days}}
	}
	cta := func(at string) sim.AgentSpec {
		return sim.AgentSpec{Kind: "cta", CTA: &agents.CTASpec{ID: "f", Equity: 1e9, Broker: "PB", Assets: []string{"SPX", "NKY"}, Speed: 1, RebalanceAt: at}}
	}
	for _, c := range []struct {
		name string
		spec sim.AgentSpec
		want map[string][]string
	}{
		{"vol control at the close", vc("close", 0), map[string][]string{"SPX": weekdays("19h", all...)}},
		{"vol control at 15:00 New York", vc("15:00 America/New_York", 0), map[string][]string{"SPX": weekdays("19h", all...)}},
		{"vol control at every second close", vc("close", 2), map[string][]string{"SPX": weekdays("19h", "Mon 29", "Wed 31", "Fri 2")}},
		{"vol control at 09:00 UTC, New York shut", vc("09:00", 0), map[string][]string{"SPX": weekdays("13h", all...)}},
		{"vol control by default", vc("", 0), map[string][]string{"SPX": weekdays("13h", all...)}},
		{"CTA at the close", cta("close"), map[string][]string{"SPX": weekdays("19h", all...), "NKY": weekdays("05h", append(all, "Tue 6")...)}},
		{"CTA at 15:00 New York", cta("15:00 America/New_York"), map[string][]string{"SPX": weekdays("19h", all...), "NKY": weekdays("00h", "Tue 30", "Wed 31", "Thu 1", "Fri 2", "Mon 5", "Tue 6")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := sessionsConfig()
			cfg.Agents = []sim.AgentSpec{c.spec}
			got := tradeTimes(t, cfg, "f", "SPX", "NKY")
			for _, a := range []string{"SPX", "NKY"} {
				if !slices.Equal(got[a], c.want[a]) {
					t.Errorf("%s traded at\n  %s\nwant\n  %s", a, strings.Join(got[a], ", "), strings.Join(c.want[a], ", "))
				}
			}
		})
	}
}

// TestRebalanceAtShared: a population's members read one schedule, and a
// risk-parity fund at "close" trades each sleeve at its own market's
// close, every member at the same ticks; a bad value fails the build with
// the field's name.
func TestRebalanceAtShared(t *testing.T) {
	cfg := sessionsConfig()
	cfg.Agents = []sim.AgentSpec{{Kind: "risk_parity", Count: 3, RiskParity: &agents.RiskParitySpec{ID: "rp", Equity: 1e9, Broker: "PB", Assets: []string{"SPX", "NKY"}, Speed: 1, RebalanceAt: "close"}}}
	first := tradeTimes(t, cfg, "rp-001", "SPX", "NKY")
	if len(first["SPX"]) != 6 || len(first["NKY"]) != 7 {
		t.Fatalf("rp-001 traded SPX at %v and NKY at %v: want New York's 6 closes and Tokyo's 7", first["SPX"], first["NKY"])
	}
	for _, id := range []string{"rp-002", "rp-003"} {
		if got := tradeTimes(t, cfg, id, "SPX", "NKY"); !slices.Equal(got["SPX"], first["SPX"]) || !slices.Equal(got["NKY"], first["NKY"]) {
			t.Errorf("%s traded at %v, rp-001 at %v", id, got, first)
		}
	}
	for _, c := range []struct {
		at   string
		days float64
		want string
	}{
		{"16:00 Europe/Lodnon", 0, `rebalance_at: "16:00 Europe/Lodnon": unknown time zone "Europe/Lodnon"`},
		{"25:00", 0, `rebalance_at: "25:00": want close, or a time of day HH:MM`},
		{"close", 1.5, "rebalance_days: with rebalance_at, rebalance_days counts days (weekdays or closes): a whole number at least 1 (got 1.5)"},
	} {
		cfg := sessionsConfig()
		cfg.Agents = []sim.AgentSpec{{Kind: "vol_control", VolControl: &agents.VolControlSpec{ID: "vc", Equity: 1e9, Broker: "PB", Asset: "SPX", RebalanceAt: c.at, RebalanceDays: c.days}}}
		if _, err := sim.Build(cfg, core.RunSeed(1, 0)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("rebalance_at %q, rebalance_days %v: error %v, want %q", c.at, c.days, err, c.want)
		}
	}
}

// TestRebalanceAtPattern: the schema's pattern and the parser agree on the
// form; only the parser knows which time zones exist.
func TestRebalanceAtPattern(t *testing.T) {
	re := regexp.MustCompile(agents.RebalanceAtPattern)
	for _, c := range []struct {
		at          string
		form, valid bool
	}{
		{"close", true, true},
		{"15:00 America/New_York", true, true},
		{"9:30 Etc/GMT+5", true, true},
		{"23:59 America/Argentina/Buenos_Aires", true, true},
		{"07:00", true, true},
		{"15:00 Mars/Olympus_Mons", true, false},
		{"at the close", false, false},
		{"24:00", false, false},
		{"15:60", false, false},
		{"15:00 America/New York", false, false},
		{"Close", false, false},
	} {
		if got := re.MatchString(c.at); got != c.form {
			t.Errorf("pattern on %q: %v, want %v", c.at, got, c.form)
		}
		if _, err := agents.CheckRebalanceAt(c.at, 0); (err == nil) != c.valid {
			t.Errorf("CheckRebalanceAt(%q, 0) = %v, want valid %v", c.at, err, c.valid)
		}
	}
}
