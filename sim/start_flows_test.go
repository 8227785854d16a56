package sim_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// netFlows sums, per agent kind and asset, what the kind bought less what
// it sold in the frames before until, and each kind's gross exposure at
// the start.
type netFlows struct {
	until time.Time
	n     int
	net   []float64 // kind k, asset i at k*n+i
	gross [core.NumAgentKinds]float64
}

func (o *netFlows) Begin(m *sim.Model) error {
	w := m.W
	o.n = len(w.Assets)
	o.net = make([]float64, int(core.NumAgentKinds)*o.n)
	e := make([]float64, o.n)
	for _, h := range w.Holders {
		for k := range h.Accounts {
			w.Exposure(&h.Accounts[k], e)
			for _, x := range e {
				o.gross[h.Kind] += math.Abs(x)
			}
		}
	}
	return nil
}

func (o *netFlows) Observe(f *sim.Frame) error {
	if f.Time.Before(o.until) {
		for k := range o.net {
			o.net[k] += f.BoughtKindAsset[k] - f.SoldKindAsset[k]
		}
	}
	return nil
}

func (o *netFlows) End(*sim.Model) error { return nil }

// TestAug2024QuietBeforeHike: in aug2024, at its seed, the vol-control
// funds and the CTAs trade little in the two quiet days before the BOJ's
// hike (31 Jul 04:00 UTC): they start at their own targets under the
// estimates the warm-up leaves (startBooks). Net flows are summed over
// assets as |bought − sold|. Sized on the estimators' calm seeds, they
// traded toward those estimates at their first rebalances: the vol-control
// funds bought $29.0bn of the S&P (14.1% of their starting $205.7bn), the
// CTAs $19.5bn (18.0% of $108.8bn; $10.9bn of it Treasuries, which the
// warm-up's momentum had turned them long of); now $3.4bn (1.7% of
// $206.3bn) and $3.4bn (2.7% of $125.0bn; $3.3bn, 2.8% of $121.2bn before
// the trends were set at the volatility the CTAs read them at). What is left comes from
// noise.scale 0.5, which makes the calm days quieter than the warm-up, so
// that the funds' volatility estimates fall. Risk-parity funds, the most
// exposed to that, are left out: they buy $6.8bn (a median of $5.3bn over
// the 40 seeds of cascade score, $0.1bn at noise.scale 1).
func TestAug2024QuietBeforeHike(t *testing.T) {
	cfg := aug2024(t)
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		t.Fatal(err)
	}
	o := &netFlows{until: time.Date(2024, 7, 31, 4, 0, 0, 0, time.UTC)}
	if err := m.Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		kind core.AgentKind
		max  float64 // share of the starting gross exposure
	}{
		{core.VolControl, 0.03},
		{core.CTA, 0.05},
	} {
		net := 0.0
		for i := 0; i < o.n; i++ {
			net += math.Abs(o.net[int(c.kind)*o.n+i])
		}
		g := o.gross[c.kind]
		t.Logf("%v: $%.2fbn, %.1f%% of $%.1fbn", c.kind, net/1e9, 100*net/g, g/1e9)
		if !(g > 0) || net > c.max*g {
			t.Errorf("%v: net flows of $%.2fbn before the hike, %.1f%% of its starting gross $%.1fbn (at most %.0f%%)",
				c.kind, net/1e9, 100*net/g, g/1e9, 100*c.max)
		}
	}
}
