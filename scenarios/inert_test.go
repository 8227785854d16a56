package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// TestInertChangesNothing checks sim.Config.Inert against runs: in worlds
// that lack what a switch acts on, switching it off leaves every number of
// the summary the same, bit for bit, with noise on where the world has it.
// The worlds are the built-ins without a switch to spare (eba2018: banks
// only) and mini with a part taken out: no links and no procyclical
// haircuts, and no dealers (the funding rates then stay calm).
func TestInertChangesNothing(t *testing.T) {
	cases := []struct {
		name string
		sets []string
		// want lists switches Inert must name, so that the rules are
		// exercised and cannot pass by naming nothing.
		want []string
	}{
		{"eba2018", nil, []string{"cross_margin", "offset_drop", "procyclical_haircuts", "broker_capital", "dealer_constraint", "funding_feedback", "valuation_links", "hedge_fund", "cta", "dealer", "prime_broker"}},
		{"mini", []string{"links=[]", "brokers.*.kappa=0"}, []string{"valuation_links", "procyclical_haircuts"}},
		{"mini", []string{"dealers=[]", "brokers.*.dealer=null"}, []string{"dealer_constraint", "funding_feedback", "dealer"}},
		// Brokers with no stress test drop no offset; with no dealer and no
		// broker that tightens or tests its utilization, capital losses
		// act on nothing. Both were run, and named in a decomposition.
		{"mini", []string{"brokers.*.stress_vol_ratio=0", "brokers.*.stress_jump=0", "brokers.*.stress_corr=0", "brokers.*.stress_util=0",
			"brokers.*.tighten=0", "dealers=[]", "brokers.*.dealer=null"}, []string{"offset_drop", "broker_capital", "dealer_constraint"}},
		// A prime broker's dealing arm is not a dealer agent.
		{"mini", []string{"dealers=[]"}, []string{"dealer"}},
	}
	switches := append(append([]string{}, sim.ChannelNames...), core.AgentKindNames()[1:]...)
	for _, tc := range cases {
		sc, err := Load(tc.name, tc.sets)
		if err != nil {
			t.Fatalf("%s %v: %v", tc.name, tc.sets, err)
		}
		cfg := &sc.File.Config
		var inert []string
		for _, s := range switches {
			if s == "outside" || cfg.Inert(s) == "" {
				continue
			}
			inert = append(inert, s)
		}
		for _, s := range tc.want {
			if cfg.Inert(s) == "" {
				t.Errorf("%s %v: Inert(%q) is empty; want a reason", tc.name, tc.sets, s)
			}
		}
		base := summaryJSON(t, cfg)
		for _, s := range inert {
			off := cfg.Clone()
			off.Channels.Off = append(off.Channels.Off, s)
			want, mend := base, func(*sim.Summary) {}
			if s == "broker_capital" {
				// Off, a broker's utilization is measured against its
				// starting capital (ODD 7.6): the summary's utilization
				// changes with its definition, though nothing reads it.
				want, mend = summaryJSON(t, cfg, withoutUtil), withoutUtil
			}
			if got := summaryJSON(t, off, mend); !bytes.Equal(got, want) {
				t.Errorf("%s %v: Inert(%q) = %q, but switching it off changes the summary", tc.name, tc.sets, s, cfg.Inert(s))
			}
		}
		t.Logf("%s %v: inert %v", tc.name, tc.sets, inert)
	}
}

// withoutUtil clears the brokers' utilization from a summary.
func withoutUtil(s *sim.Summary) {
	for _, b := range s.Brokers {
		b.UtilStart, b.UtilPeak, b.UtilPeakTick = 0, 0, 0
	}
}

// summaryJSON runs cfg at its seed and returns its summary as JSON, after
// the mends.
func summaryJSON(t *testing.T, cfg *sim.Config, mends ...func(*sim.Summary)) []byte {
	t.Helper()
	s, err := sim.RunSummary(context.Background(), cfg, cfg.Seed, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mends {
		m(s)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestInertOffNoted: a scenario whose channels.off names a switch that can
// carry nothing in its world runs, with a note saying so (a run prints its
// notes and records them in manifest.json); it ran silently, and a
// student read the zero difference as a channel contributing nothing.
func TestInertOffNoted(t *testing.T) {
	for _, c := range []struct {
		sets []string
		want string // the note; "" none
	}{
		{[]string{"dealers=[]", "channels.off=[dealer]"}, "channels.off: dealer can carry nothing in mini (it has no dealer agents: a prime broker's dealing arm is the broker, and dealer_constraint and funding_feedback switch what it does): switching it off changes nothing"},
		{[]string{"links=[]", "channels.off=[valuation_links,cta]"}, "channels.off: valuation_links can carry nothing in mini (it has no links): switching it off changes nothing"},
		{[]string{"channels.off=[dealer,offset_drop]"}, ""},
	} {
		sc, err := Load("mini", c.sets)
		if err != nil {
			t.Fatal(err)
		}
		m, err := sim.Build(&sc.File.Config, 1)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, n := range m.Notes {
			if strings.HasPrefix(n, "channels.off: ") {
				got = append(got, n)
			}
		}
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%v: notes %q, want none", c.sets, got)
		case c.want != "" && (len(got) != 1 || got[0] != c.want):
			t.Errorf("%v: notes %q, want %q", c.sets, got, c.want)
		}
	}
}
