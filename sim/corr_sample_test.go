package sim

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
)

// TestCountingTicks: which ticks' H-tick returns count in the pairs'
// windows (recorder.counts), over 16 days of hourly ticks from Monday 29
// July 2024, for Tokyo (00:00-06:00 UTC, shut Monday 12 August), New York
// (13:30-20:00 UTC, shut Wednesday 7 August), the FX week (Sunday 21:00 to
// Friday 21:00 UTC) and Bitcoin (24/7). A return counts when its market
// traded in the H ticks it spans and has been shut no longer than its
// ordinary overnight: 18 ticks for Tokyo, 17 for New York, none for FX.
// Times are the frames' (the tick's start); want lists each stretch, first
// and last tick, at which the return does not count, from tick H−1 on.
func TestCountingTicks(t *testing.T) {
	sessions := map[string]SessionSpec{
		"tokyo_h":    {Zone: "Asia/Tokyo", Open: "09:00", Close: "15:00", Holidays: []string{"2024-08-12"}},
		"new_york_h": {Zone: "America/New_York", Open: "09:30", Close: "16:00", Holidays: []string{"2024-08-07"}},
	}
	set := []string{"NKY", "SPX", "USDJPY", "BTC"}
	for _, c := range []struct {
		asset string
		h     int
		want  [][2]string // stretches, "Jan 02 15:04" in UTC, both ends shut out
		// or, for a daily session at H = 1, every tick outside its hours
		// (UTC, [from, to)) on weekdays other than its holiday
		hours   [2]int
		holiday string
	}{
		// A weekend: Tokyo's Friday close is 06:00, so the closure passes its
		// 18 overnight ticks at Saturday 00:00; New York's (20:00) at
		// Saturday 13:00. Tokyo's Monday holiday adds a day; New York's
		// Wednesday holiday shuts out a day from 13:00.
		{asset: "NKY", h: 24, want: [][2]string{{"Aug 03 00:00", "Aug 04 23:00"}, {"Aug 10 00:00", "Aug 12 23:00"}}},
		{asset: "SPX", h: 24, want: [][2]string{{"Aug 03 13:00", "Aug 05 12:00"}, {"Aug 07 13:00", "Aug 08 12:00"}, {"Aug 10 13:00", "Aug 12 12:00"}}},
		{asset: "USDJPY", h: 24, want: [][2]string{{"Aug 02 21:00", "Aug 04 20:00"}, {"Aug 09 21:00", "Aug 11 20:00"}}},
		{asset: "BTC", h: 24},
		// At H = 1 a return counts when its market trades at the tick.
		{asset: "NKY", h: 1, hours: [2]int{0, 6}, holiday: "Aug 12"},
		{asset: "SPX", h: 1, hours: [2]int{13, 20}, holiday: "Aug 07"},
		{asset: "USDJPY", h: 1, want: [][2]string{{"Aug 02 21:00", "Aug 04 20:00"}, {"Aug 09 21:00", "Aug 11 20:00"}}},
		{asset: "BTC", h: 1},
	} {
		t.Run(fmt.Sprintf("%s, H = %d", c.asset, c.h), func(t *testing.T) {
			cfg := corrWorld(set, 48, c.h, map[string]string{"NKY": "tokyo_h", "SPX": "new_york_h", "USDJPY": "fx"})
			cfg.Ticks = 16 * 24
			cfg.Sessions = sessions
			m, err := Build(cfg, 3)
			if err != nil {
				t.Fatal(err)
			}
			a := slices.Index(set, c.asset)
			var got []string
			p := &corrProbe{fn: func(m *Model, f *Frame) {
				if f.Tick >= c.h-1 && !m.rec.counts[a] {
					got = append(got, f.Time.Format("Jan 02 15:04"))
				}
			}}
			if err := m.Run(t.Context(), p); err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, s := range c.want {
				from, _ := time.Parse("Jan 02 15:04 2006", s[0]+" 2024")
				to, _ := time.Parse("Jan 02 15:04 2006", s[1]+" 2024")
				for tm := from; !tm.After(to); tm = tm.Add(time.Hour) {
					want = append(want, tm.Format("Jan 02 15:04"))
				}
			}
			if c.hours != [2]int{} {
				for tick := c.h - 1; tick < cfg.Ticks; tick++ {
					tm := cfg.Start.Add(time.Duration(tick) * time.Hour)
					wd := tm.Weekday()
					if wd == time.Saturday || wd == time.Sunday || tm.Format("Jan 02") == c.holiday || tm.Hour() < c.hours[0] || tm.Hour() >= c.hours[1] {
						want = append(want, tm.Format("Jan 02 15:04"))
					}
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s's return over %d ticks does not count at\n%v\nwant\n%v", c.asset, c.h, stretches(got), stretches(want))
			}
		})
	}
}

// stretches writes hourly times as runs, first to last.
func stretches(times []string) []string {
	var out []string
	for i := 0; i < len(times); {
		j := i
		for j+1 < len(times) {
			a, _ := time.Parse("Jan 02 15:04", times[j])
			b, _ := time.Parse("Jan 02 15:04", times[j+1])
			if b.Sub(a) != time.Hour {
				break
			}
			j++
		}
		out = append(out, times[i]+" - "+times[j])
		i = j + 1
	}
	return out
}

// corrWorld is testWorld(2) from Monday 29 July 2024, 14 days of hourly
// ticks with no warm-up, with the given correlation set, window and
// horizon, rows that count under correlation_rows: trading, and the given
// assets on the given sessions (the others trade at every tick).
func corrWorld(set []string, w, h int, sessions map[string]string) *Config {
	cfg := testWorld(2)
	cfg.Ticks = 14 * 24
	cfg.Report.CorrelationAssets = set
	cfg.Report.CorrelationWindow = w
	cfg.Report.CorrelationHorizon = h
	cfg.Report.CorrelationRows = "trading"
	for i := range cfg.Assets {
		cfg.Assets[i].Session = sessions[cfg.Assets[i].ID]
	}
	return cfg
}

// corrProbe keeps the closes before the first tick and after each, and
// whether each asset's market traded at each tick, as the frames give them.
type corrProbe struct {
	price [][]float64 // price[0]: before tick 0; price[t+1]: after tick t
	open  [][]bool    // open[t]: at tick t
	mean  []float64   // mean_corr of each frame
	fn    func(m *Model, f *Frame)
	m     *Model
}

func (p *corrProbe) Begin(m *Model) error {
	p.m = m
	p.price = append(p.price, append([]float64(nil), m.W.Price...))
	return nil
}
func (p *corrProbe) End(*Model) error { return nil }
func (p *corrProbe) Observe(f *Frame) error {
	p.price = append(p.price, append([]float64(nil), f.Price...))
	p.open = append(p.open, append([]bool(nil), p.m.W.Trading...))
	p.mean = append(p.mean, f.MeanCorr)
	if p.fn != nil {
		p.fn(p.m, f)
	}
	return nil
}

// bruteCounts says, from the probe's trading flags alone, whether the
// return of asset i over the h ticks to tick t counts as docs/outputs.md
// states it: its market traded at some tick of the span and has been shut,
// up to and including t, for no more than gap[i] ticks, its ordinary daily
// closure (an asset not in gap never closes and always counts).
func bruteCounts(p *corrProbe, gap map[int]int, h, i, t int) bool {
	g, closes := gap[i]
	if !closes {
		return true
	}
	shut := 0
	for s := t; s >= 0 && !p.open[s][i]; s-- {
		shut++
	}
	traded := false
	for s := max(0, t-h+1); s <= t; s++ {
		traded = traded || p.open[s][i]
	}
	return traded && shut <= g
}

// bruteMeanCorr is mean_corr at tick t as docs/outputs.md states it, from
// the probe's closes and trading flags alone: a return counts as
// bruteCounts says; each pair's correlation is the Pearson correlation, in
// two passes, over its last W rows in which both returns count, if it has
// 3 such rows and neither return is constant over them; the mean is over
// the pairs that have one.
func bruteMeanCorr(p *corrProbe, set []int, gap map[int]int, w, h, t int) float64 {
	counts := func(i, t int) bool { return bruteCounts(p, gap, h, i, t) }
	ret := func(i, t int) float64 { return p.price[t+1][i]/p.price[t+1-h][i] - 1 }
	sum, cnt := 0.0, 0
	for a := range set {
		for b := a + 1; b < len(set); b++ {
			i, j := set[a], set[b]
			var x, y []float64
			for s := t; s >= h-1 && len(x) < w; s-- {
				if counts(i, s) && counts(j, s) {
					x, y = append(x, ret(i, s)), append(y, ret(j, s))
				}
			}
			if len(x) < 3 {
				continue
			}
			constant := func(v []float64) bool {
				for _, e := range v {
					if e != v[0] {
						return false
					}
				}
				return true
			}
			if constant(x) || constant(y) {
				continue
			}
			n := float64(len(x))
			mx, my := 0.0, 0.0
			for k := range x {
				mx += x[k] / n
				my += y[k] / n
			}
			sxx, syy, sxy := 0.0, 0.0, 0.0
			for k := range x {
				sxx += (x[k] - mx) * (x[k] - mx)
				syy += (y[k] - my) * (y[k] - my)
				sxy += (x[k] - mx) * (y[k] - my)
			}
			sum += sxy / math.Sqrt(sxx*syy)
			cnt++
		}
	}
	if cnt == 0 {
		return math.NaN()
	}
	return sum / float64(cnt)
}

// TestMeanCorrSampleWindow: with one market shut at weekends (and
// overnight) and BTC trading at every tick, mean_corr at every tick is the
// brute-force mean over each pair's last W rows in which both returns
// count, and at every tick at which no return of a shut market counts it
// is exactly what it was at the last tick at which one did: over the
// weekend of 3-4 August the pairs of a shut market hold their Friday value.
// (Counting every tick, the SPX-BTC pair's correlation drifted over the
// weekend as Friday's returns left the window against Bitcoin's.)
func TestMeanCorrSampleWindow(t *testing.T) {
	for _, c := range []struct {
		name     string
		set      []string
		sessions map[string]string
		w, h     int
		gap      map[string]int // each closing market's ordinary daily closure, ticks
	}{
		{"SPX and BTC, daily returns", []string{"SPX", "BTC"}, map[string]string{"SPX": "new_york"}, 48, 24, map[string]int{"SPX": 17}},
		{"SPX and BTC, hourly returns", []string{"SPX", "BTC"}, map[string]string{"SPX": "new_york"}, 24, 1, map[string]int{"SPX": 17}},
		{"NKY, SPX and BTC, daily returns", []string{"NKY", "SPX", "BTC"}, map[string]string{"SPX": "new_york", "NKY": "tokyo"}, 48, 24,
			map[string]int{"SPX": 17, "NKY": 18}},
		{"NKY, SPX, USDJPY and BTC, two-day returns", []string{"NKY", "SPX", "USDJPY", "BTC"},
			map[string]string{"SPX": "new_york", "NKY": "tokyo", "USDJPY": "fx"}, 30, 48, map[string]int{"SPX": 17, "NKY": 18, "USDJPY": 0}},
		{"NKY, SPX, USDJPY and BTC, six-hour returns", []string{"NKY", "SPX", "USDJPY", "BTC"},
			map[string]string{"SPX": "new_york", "NKY": "tokyo", "USDJPY": "fx"}, 48, 6, map[string]int{"SPX": 17, "NKY": 18, "USDJPY": 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := corrWorld(c.set, c.w, c.h, c.sessions)
			m, err := Build(cfg, 3)
			if err != nil {
				t.Fatal(err)
			}
			var set []int
			gap := map[int]int{}
			for a, id := range c.set {
				i, err := m.env.Asset(id)
				if err != nil {
					t.Fatal(err)
				}
				set = append(set, i)
				want := -1
				if g, ok := c.gap[id]; ok {
					gap[i] = g
					want = min(c.h-1, g)
				}
				if got := m.rec.limit[a]; got != want {
					t.Fatalf("%s's return over %d ticks counts after at most %d shut ticks, want %d", id, c.h, got, want)
				}
			}
			p := &corrProbe{}
			if err := m.Run(t.Context(), p); err != nil {
				t.Fatal(err)
			}
			bad, held, last, defined, heldDefined := 0, 0, -1, 0, 0
			for tick, got := range p.mean {
				want := math.NaN()
				if tick >= c.h-1 {
					want = bruteMeanCorr(p, set, gap, c.w, c.h, tick)
				}
				if want == want {
					defined++
				}
				if math.Abs(got-want) > 1e-9 || (got != got) != (want != want) {
					if bad < 3 {
						t.Errorf("tick %d (%s): mean_corr %.6f, brute force over each pair's last %d counting rows %.6f",
							tick, cfg.Start.Add(cfg.Tick*time.Duration(tick)).Format("Mon 02 Jan 15:04Z"), got, c.w, want)
					}
					bad++
				}
				// A tick at which no shut market's return counts adds no
				// row to any pair: mean_corr holds, to the bit.
				someCounts := false
				for _, i := range set {
					if _, closes := gap[i]; closes {
						someCounts = someCounts || (tick >= c.h-1 && bruteCounts(p, gap, c.h, i, tick))
					}
				}
				if someCounts {
					last = tick
				} else if last >= 0 {
					held++
					if got == got {
						heldDefined++
					}
					if math.Float64bits(got) != math.Float64bits(p.mean[last]) {
						if bad < 3 {
							t.Errorf("tick %d: no shut market's return counts since tick %d, but mean_corr moved from %.6f to %.6f",
								tick, last, p.mean[last], got)
						}
						bad++
					}
				}
			}
			if heldDefined < 24 || defined < len(p.mean)/2 {
				t.Errorf("mean_corr defined at %d of %d ticks, and at %d ticks with no shut market counting: want most ticks and a weekend's",
					defined, len(p.mean), heldDefined)
			}
			t.Logf("mean_corr defined at %d of %d ticks; %d ticks (%d defined) held their last counting value; %d ticks off",
				defined, len(p.mean), held, heldDefined, bad)
		})
	}
}

// everyTickCorr is the rolling correlation of correlation_rows:
// every_tick, the default, written apart from the recorder as it was
// before pairs could keep windows of their own (commit c8e0f47): one
// window of the last W ticks' returns of the whole set, every tick
// counted, as running sums rebuilt every W ticks. The default must match
// it to the bit in any world, and correlation_rows: trading when every
// market trades at every tick.
type everyTickCorr struct {
	k, W, H, n, head, hn, every, rows int
	hist, ring, sx, sxx, sxy, prev    []float64
	changed                           []int
}

func newEveryTickCorr(start []float64, w, h int) *everyTickCorr {
	k := len(start)
	r := &everyTickCorr{k: k, W: w, H: h, hn: 1, hist: make([]float64, (h+1)*k), ring: make([]float64, w*k),
		sx: make([]float64, k), sxx: make([]float64, k), sxy: make([]float64, k*(k-1)/2), prev: make([]float64, k), changed: make([]int, k)}
	copy(r.hist, start)
	return r
}

func (r *everyTickCorr) add(row []float64) {
	p := 0
	for a, x := range row {
		r.sx[a] += x
		r.sxx[a] += float64(x * x)
		for b := a + 1; b < r.k; b++ {
			r.sxy[p] += float64(x * row[b])
			p++
		}
	}
}

// corr takes the set's closes at the next tick and returns the mean.
func (r *everyTickCorr) corr(price []float64, hpos *int) float64 {
	k := r.k
	if *hpos++; *hpos > r.H {
		*hpos = 0
	}
	old := *hpos + 1
	if old > r.H {
		old = 0
	}
	now, then := r.hist[*hpos*k:*hpos*k+k], r.hist[old*k:old*k+k]
	copy(now, price)
	if r.hn <= r.H {
		if r.hn++; r.hn <= r.H {
			return math.NaN()
		}
	}
	ret := make([]float64, k)
	for a := range ret {
		ret[a] = now[a]/then[a] - 1
		if r.rows > 0 && ret[a] != r.prev[a] {
			r.changed[a] = r.rows
		}
		r.prev[a] = ret[a]
	}
	r.rows++
	row := r.ring[r.head*k : r.head*k+k]
	if r.n == r.W {
		p := 0
		for a, o := range row {
			x := ret[a]
			r.sx[a] -= o
			r.sx[a] += x
			r.sxx[a] -= float64(o * o)
			r.sxx[a] += float64(x * x)
			for b := a + 1; b < k; b++ {
				r.sxy[p] -= float64(o * row[b])
				r.sxy[p] += float64(x * ret[b])
				p++
			}
			row[a] = x
		}
	} else {
		copy(row, ret)
		r.add(row)
		r.n++
	}
	if r.head++; r.head == r.W {
		r.head = 0
	}
	if r.every++; r.every >= r.W {
		r.every = 0
		clear(r.sx)
		clear(r.sxx)
		clear(r.sxy)
		for t := 0; t < r.n; t++ {
			r.add(r.ring[t*k : t*k+k])
		}
	}
	if r.n < 3 {
		return math.NaN()
	}
	nn := float64(r.n)
	v := make([]float64, k)
	first := r.rows - r.n + 1
	for a := range v {
		v[a] = r.sxx[a] - r.sx[a]*r.sx[a]/nn
		if r.changed[a] < first {
			v[a] = 0
		}
	}
	sum, cnt, p := 0.0, 0, 0
	for a, va := range v {
		for b := a + 1; b < k; b++ {
			if vb := v[b]; va > 0 && vb > 0 {
				sum += (r.sxy[p] - r.sx[a]*r.sx[b]/nn) / math.Sqrt(va*vb)
				cnt++
			}
			p++
		}
	}
	if cnt == 0 {
		return math.NaN()
	}
	return sum / float64(cnt)
}

// TestMeanCorrEveryTickMarkets: under correlation_rows: every_tick (the
// default) mean_corr is, to the bit, what the one window of the whole set
// gives (everyTickCorr) at every tick, in a calm run and in a cascade, for
// hourly and daily returns, with an asset whose price never moves in the
// set, and with markets that close. When every market of the set trades at
// every tick, every return counts under correlation_rows: trading too and
// each pair's window is the last W ticks: the two rules give the same
// mean_corr and pairwise correlations (recorder.pairCorr), to the bit.
// With New York and Tokyo closing they part.
func TestMeanCorrEveryTickMarkets(t *testing.T) {
	for _, c := range []struct {
		name     string
		set      []string
		w, h     int
		cascade  bool
		quiet    bool // noise off: the prices move with the cascade alone
		sessions map[string]string
	}{
		{"calm, hourly returns", nil, 48, 1, false, false, nil},
		{"cascade, hourly returns", nil, 48, 1, true, false, nil},
		{"cascade, daily returns", []string{"NKY", "SPX", "USDJPY", "BTC"}, 48, 24, true, false, nil},
		{"cascade, short window", []string{"NKY", "SPX", "USDJPY", "BTC", "GOLD"}, 5, 3, true, false, nil},
		{"noise-free cascade", []string{"NKY", "SPX", "USDJPY", "BTC", "JGB10Y"}, 24, 6, true, true, nil},
		{"cascade, daily returns, markets that close", []string{"NKY", "SPX", "USDJPY", "BTC"}, 48, 24, true, false,
			map[string]string{"SPX": "new_york", "NKY": "tokyo", "USDJPY": "fx"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var means [2][]float64
			var pairs [2][][]float64
			for mode, rows := range []string{"every_tick", "trading"} {
				cfg := corrWorld(c.set, c.w, c.h, c.sessions)
				cfg.Report.CorrelationRows = rows
				if c.cascade {
					cfg.LeverageScale = 2
					cfg.Events = bojEvents()
				}
				cfg.Noise.Off = c.quiet
				m, err := Build(cfg, 2)
				if err != nil {
					t.Fatal(err)
				}
				set := m.rec.set
				pick := func(price []float64) []float64 {
					x := make([]float64, len(set))
					for a, i := range set {
						x[a] = price[i]
					}
					return x
				}
				ref := newEveryTickCorr(pick(m.W.Price), c.w, c.h)
				hpos, off, defined := 0, 0, 0
				p := &corrProbe{fn: func(m *Model, f *Frame) {
					want := ref.corr(pick(f.Price), &hpos)
					if want == want {
						defined++
					}
					if math.Float64bits(f.MeanCorr) != math.Float64bits(want) && !(want != want && f.MeanCorr != f.MeanCorr) {
						if off < 3 && (rows == "every_tick" || c.sessions == nil) {
							t.Errorf("%s, tick %d: mean_corr %v, the every-tick window gave %v", rows, f.Tick, f.MeanCorr, want)
						}
						off++
					}
					k := len(set)
					pc := make([]float64, k*k)
					m.rec.pairCorr(pc)
					pairs[mode] = append(pairs[mode], pc)
				}}
				if err := m.Run(t.Context(), p); err != nil {
					t.Fatal(err)
				}
				means[mode] = p.mean
				if defined < len(p.mean)/2 && !c.quiet || defined == 0 {
					t.Errorf("%s: mean_corr defined at %d of %d ticks", rows, defined, len(p.mean))
				}
				if rows == "trading" && c.sessions != nil && off < len(p.mean)/4 {
					t.Errorf("trading, markets that close: mean_corr differs from the every-tick window at %d of %d ticks, want many", off, len(p.mean))
				}
				t.Logf("%s: %d assets, %d ticks (%d defined), %d off the every-tick window", rows, len(set), len(p.mean), defined, off)
			}
			if c.sessions != nil {
				return
			}
			same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) || x != x && y != y }
			bad := 0
			for tick := range means[0] {
				if !same(means[0][tick], means[1][tick]) || !slices.EqualFunc(pairs[0][tick], pairs[1][tick], same) {
					if bad < 3 {
						t.Errorf("tick %d: every_tick gives mean_corr %v, pairs %v; trading %v, %v", tick, means[0][tick], pairs[0][tick], means[1][tick], pairs[1][tick])
					}
					bad++
				}
			}
		})
	}
}
