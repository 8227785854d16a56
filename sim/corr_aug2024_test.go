package sim_test

import (
	"math"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/sim"
)

// corrFrames keeps each frame's time, mean_corr and pairwise correlations.
type corrFrames struct {
	m     *sim.Model
	time  []time.Time
	mean  []float64
	pairs [][]float64
}

// aug2024Frames runs aug2024 at its seed with report.correlation_rows set
// to rows ("" for the default) and returns the model and its frames.
func aug2024Frames(t *testing.T, rows string) (*sim.Model, *corrFrames) {
	t.Helper()
	cfg := aug2024(t)
	cfg.Report.CorrelationRows = rows
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		t.Fatal(err)
	}
	o := &corrFrames{}
	if err := m.Run(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	return m, o
}

func (o *corrFrames) Begin(m *sim.Model) error { o.m = m; return nil }
func (o *corrFrames) End(*sim.Model) error     { return nil }
func (o *corrFrames) Observe(f *sim.Frame) error {
	o.time = append(o.time, f.Time)
	o.mean = append(o.mean, f.MeanCorr)
	o.pairs = append(o.pairs, sim.PairCorr(o.m))
	return nil
}

// TestAug2024WeekendCorrelation: in aug2024 (NKY, SPX, USDJPY, BTC; W =
// 48, H = 24) under correlation_rows: trading a market's 24-hour return stops counting once it has been
// shut longer than its ordinary overnight, and counts again from its
// Monday open. Times are the frames' (UTC, the tick's start): the FX week
// shuts at Friday 21:00 and has no overnight, so USDJPY's returns do not
// count from Friday 21:00 to Sunday 20:00; Tokyo shuts at Friday 06:00 and
// its 18 overnight ticks run out at Saturday 00:00, so NKY's do not count
// from Saturday 00:00 to Sunday 23:00; New York shuts at Friday 20:00 and
// its 17 run out at Saturday 13:00, so SPX's do not count from Saturday
// 13:00 to Monday 12:00. Each pair holds, to the bit, the value it had
// before the first of its two markets stopped counting, until the second
// counts again, and moves at that tick (every pair takes in a new row);
// mean_corr holds from Saturday 13:00 to Sunday 20:00, with only Bitcoin
// trading. Counting every tick (the default), mean_corr rises from -0.08
// on the Saturday morning to 0.61 at noon on the Sunday
// (TestAug2024WeekendRows).
func TestAug2024WeekendCorrelation(t *testing.T) {
	m, o := aug2024Frames(t, "trading")
	set := m.CorrelationSet()
	k := len(set)
	at := func(s string) int {
		want, err := time.Parse(time.RFC3339, "2024-08-0"+s+":00Z")
		if err != nil {
			t.Fatal(err)
		}
		for i, tm := range o.time {
			if tm.Equal(want) {
				return i
			}
		}
		t.Fatalf("no frame at %s", s)
		return -1
	}
	// Each closing market's stretch of ticks whose return does not count.
	out := map[string][2]int{
		"USDJPY": {at("2T21:00"), at("4T20:00")},
		"NKY":    {at("3T00:00"), at("4T23:00")},
		"SPX":    {at("3T13:00"), at("5T12:00")},
		"BTC":    {-1, -1},
	}
	same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
	check := func(name string, v []float64, from, to int) {
		t.Helper()
		if v[from-1] != v[from-1] {
			t.Fatalf("%s undefined at %s", name, o.time[from-1].Format("Mon 15:04"))
		}
		for i := from; i <= to; i++ {
			if !same(v[i], v[from-1]) {
				t.Errorf("%s: %s %.6f, want %s's %.6f: it takes in no row from %s to %s", o.time[i].Format("Mon 15:04"), name, v[i],
					o.time[from-1].Format("Mon 15:04"), v[from-1], o.time[from].Format("Mon 15:04"), o.time[to].Format("Mon 15:04"))
				return
			}
		}
		if same(v[to+1], v[to]) {
			t.Errorf("%s: %s held at %.6f: it should take in a row again", o.time[to+1].Format("Mon 15:04"), name, v[to])
		}
	}
	check("mean_corr", o.mean, out["SPX"][0], out["USDJPY"][1])
	for a := 0; a < k; a++ {
		for b := a + 1; b < k; b++ {
			x, y := out[set[a]], out[set[b]]
			from, to := x[0], x[1]
			switch {
			case from < 0:
				from, to = y[0], y[1]
			case y[0] >= 0:
				from, to = min(from, y[0]), max(to, y[1])
			}
			v := make([]float64, len(o.pairs))
			for i := range v {
				v[i] = o.pairs[i][a*k+b]
			}
			check(set[a]+"-"+set[b], v, from, to)
		}
	}
	t.Logf("mean_corr Saturday 12:00 UTC %.4f, 13:00 to Sunday 20:00 %.4f, Monday 00:00 %.4f, 13:00 %.4f",
		o.mean[at("3T12:00")], o.mean[at("3T13:00")], o.mean[at("5T00:00")], o.mean[at("5T13:00")])
}

// TestAug2024WeekendRows: aug2024's mean_corr over the weekend of 3-4
// August under each correlation_rows. Under every_tick, the default, the
// weekend's ticks are rows: as Friday's returns of the shut markets leave
// the window for the weekend's flat ones, mean_corr rises from -0.08 on
// the Saturday morning (09:00 UTC) to 0.61 at noon on the Sunday with
// nothing traded but Bitcoin. Under trading they are not: it holds at
// -0.29 from Saturday 12:00 to Sunday 20:00 UTC, to the bit.
func TestAug2024WeekendRows(t *testing.T) {
	for _, c := range []struct {
		rows             string
		saturday, sunday float64 // mean_corr at Saturday 09:00 and Sunday 12:00 UTC, to 2 places
		held             bool    // the same from Saturday 12:00 to Sunday 20:00
	}{
		{"", -0.08, 0.61, false},
		{"every_tick", -0.08, 0.61, false},
		{"trading", -0.28, -0.29, true},
	} {
		name := c.rows
		if name == "" {
			name = "unset"
		}
		t.Run(name, func(t *testing.T) {
			_, o := aug2024Frames(t, c.rows)
			at := func(s string) float64 {
				want, err := time.Parse(time.RFC3339, "2024-08-0"+s+":00Z")
				if err != nil {
					t.Fatal(err)
				}
				for i, tm := range o.time {
					if tm.Equal(want) {
						return o.mean[i]
					}
				}
				t.Fatalf("no frame at %s", s)
				return math.NaN()
			}
			sat, sun := at("3T09:00"), at("4T12:00")
			if math.Round(sat*100)/100 != c.saturday || math.Round(sun*100)/100 != c.sunday {
				t.Errorf("mean_corr Saturday 09:00 UTC %.4f, Sunday 12:00 %.4f; want %.2f and %.2f", sat, sun, c.saturday, c.sunday)
			}
			held := true
			for _, s := range []string{"3T13:00", "3T20:00", "4T00:00", "4T12:00", "4T20:00"} {
				held = held && math.Float64bits(at(s)) == math.Float64bits(at("3T12:00"))
			}
			if held != c.held {
				t.Errorf("mean_corr held from Saturday 12:00 to Sunday 20:00 UTC: %v, want %v", held, c.held)
			}
			t.Logf("correlation_rows %q: mean_corr Saturday 09:00 UTC %.4f, 12:00 %.4f, Sunday 12:00 %.4f, 20:00 %.4f", c.rows, sat, at("3T12:00"), sun, at("4T20:00"))
		})
	}
}
