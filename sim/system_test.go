package sim

import (
	"context"
	"hash/fnv"
	"math"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
)

// TestCorrelationJumps: the mean off-diagonal rolling correlation of hourly
// returns of USDJPY, SPX, NKY and BTC stays below 0.3 in a calm noisy run
// and peaks above 0.6 in a carry-unwind cascade (leverage doubled, BOJ hike).
func TestCorrelationJumps(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		calm := testWorld(20)
		s, err := RunSummary(context.Background(), calm, seed, false)
		if err != nil {
			t.Fatal(err)
		}
		cascade := testWorld(20)
		cascade.LeverageScale = 2
		cascade.Events = bojEvents()
		c, err := RunSummary(context.Background(), cascade, seed, false)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seed %d: calm peak %.3f (mean %.3f); cascade peak %.3f at tick %d (mean before the hike %.3f)",
			seed, s.Correlation.PeakMean, s.Correlation.BaselineMean, c.Correlation.PeakMean, c.Correlation.PeakTick, c.Correlation.BaselineMean)
		if !(s.Correlation.PeakMean < 0.3) {
			t.Errorf("seed %d: calm run's rolling correlation peaked at %.3f, want < 0.3", seed, s.Correlation.PeakMean)
		}
		if !(c.Correlation.PeakMean > 0.6) {
			t.Errorf("seed %d: cascade's rolling correlation peaked at %.3f, want > 0.6", seed, c.Correlation.PeakMean)
		}
		if c.Correlation.PeakTick < 48 {
			t.Errorf("seed %d: correlation peaked at tick %d, before the hike", seed, c.Correlation.PeakTick)
		}
	}
}

// TestCompression: the same +25bp BOJ event releases more when more stress
// is stored: with every leveraged position doubled, amplification (the move
// with feedback over the move with agents passive) is larger.
func TestCompression(t *testing.T) {
	amp := func(scale float64) *Summary {
		cfg := testWorld(20)
		cfg.LeverageScale = scale
		cfg.Events = bojEvents()
		s, err := RunSummary(context.Background(), cfg, 3, true)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base, doubled := amp(1), amp(2)
	t.Logf("base leverage: compression %.2f, NKY fall %.2f%% vs %.2f%% passive, amplification %.2f", base.CompressionIndex, base.HeadlineMove, base.PassiveMove, base.Amplification)
	t.Logf("doubled:       compression %.2f, NKY fall %.2f%% vs %.2f%% passive, amplification %.2f", doubled.CompressionIndex, doubled.HeadlineMove, doubled.PassiveMove, doubled.Amplification)
	if !(doubled.Amplification > base.Amplification) {
		t.Errorf("amplification %.3f with doubled leverage is not above %.3f at base", doubled.Amplification, base.Amplification)
	}
	if !(doubled.CompressionIndex > base.CompressionIndex) {
		t.Errorf("compression index %.3f with doubled leverage is not above %.3f", doubled.CompressionIndex, base.CompressionIndex)
	}
	if base.PassiveMove != doubled.PassiveMove {
		t.Errorf("passive moves differ (%v, %v): the exogenous path must not depend on leverage", base.PassiveMove, doubled.PassiveMove)
	}
}

// TestCompressionDealers: the buffer counts the spare capacity of the
// dealers the market uses, as the market sizes it: a central-bank facility
// adds its share to every dealer's capacity, and a passive dealer (which
// takes no flow) adds nothing.
func TestCompressionDealers(t *testing.T) {
	cfg := testWorld(12)
	m, err := Build(cfg, core.RunSeed(cfg.Seed, 0))
	if err != nil {
		t.Fatal(err)
	}
	w := m.W
	spare := func() []float64 {
		s := make([]float64, len(m.M.Dealers))
		for k := range m.M.Dealers {
			d := &m.M.Dealers[k]
			s[k] = math.Max(0, d.Capacity()-d.Exposure(w))
		}
		return s
	}
	c0, s0 := m.Compression(), spare()
	if len(s0) < 2 || s0[0] <= 0 {
		t.Fatalf("spare capacities %v: the test needs two dealers with room", s0)
	}
	// A facility: each dealer's capacity grows by FacilityCapacity.
	w.Facility = true
	m.M.Close(w)
	cF, sF := m.Compression(), spare()
	w.Facility = false
	m.M.Close(w)
	// Dealer 0 passive: its spare capacity leaves the buffer.
	w.Holders[m.M.Dealers[0].Holder].SetPassive(true)
	cP := m.Compression()
	added, lost := 0.0, s0[0]
	for k := range s0 {
		if want := math.Max(0, (1+cfg.Funding.FacilityCapacity)*m.M.Dealers[k].Capacity()-m.M.Dealers[k].Exposure(w)); math.Abs(sF[k]-want) > 1e-9*want {
			t.Errorf("dealer %d: spare capacity %v with the facility, want %v", k, sF[k], want)
		}
		added += sF[k] - s0[k]
	}
	// The buffer is (cash + margin + spare) / gross: the changes in it stand
	// in the ratio of the changes in spare capacity.
	got, want := (cF.Buffer-c0.Buffer)/(c0.Buffer-cP.Buffer), added/lost
	t.Logf("buffer %.4f; with the facility %.4f; dealer 0 passive %.4f", c0.Buffer, cF.Buffer, cP.Buffer)
	if !(cF.Buffer > c0.Buffer && cP.Buffer < c0.Buffer) || math.Abs(float64(got)-want) > 1e-9*want {
		t.Errorf("buffer changes in the ratio %v, want %v", got, want)
	}
}

// TestAllChannelsOff: with every feedback channel and every agent kind off,
// only the exogenous move remains: amplification is exactly 1.
func TestAllChannelsOff(t *testing.T) {
	cfg := testWorld(20)
	cfg.LeverageScale = 2
	cfg.Events = bojEvents()
	cfg.Channels.Off = []string{"all"}
	s, err := RunSummary(context.Background(), cfg, 3, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("NKY fall %.4f%%, passive %.4f%%, amplification %v, sales %v", s.HeadlineMove, s.PassiveMove, s.Amplification, s.ForcedSales.Total)
	if s.Amplification != 1 {
		t.Errorf("amplification %v, want exactly 1", s.Amplification)
	}
	if s.ForcedSales.Total != 0 || s.MarginCalls.Count != 0 {
		t.Errorf("with every channel off there were %v of sales and %d margin calls", s.ForcedSales.Total, s.MarginCalls.Count)
	}
}

// hasher is an Observer that hashes every float of every frame, bit for bit
// (with prices set, only the market's series: it reads no balance sheet).
type hasher struct {
	h      uint64
	prices bool
}

func (h *hasher) Begin(*Model) error { return nil }
func (h *hasher) End(*Model) error   { return nil }
func (h *hasher) Observe(f *Frame) error {
	x := fnv.New64a()
	put := func(v ...float64) {
		for _, f := range v {
			b := math.Float64bits(f)
			x.Write((*[8]byte)(unsafe.Pointer(&b))[:])
		}
	}
	put(f.Price...)
	put(f.Return...)
	put(f.Impact...)
	put(f.VIX, f.MeanCorr, f.RepoSpread, f.XCCYBasis, f.DealerUtil, f.MarginCallUSD)
	for k := range f.Sold {
		put(f.Sold[k][:]...)
	}
	if h.prices {
		h.h = h.h*31 + x.Sum64()
		return nil
	}
	ks := f.Kinds()
	for k := range ks {
		put(ks[k].Equity, ks[k].Gross, ks[k].MarginReq, ks[k].MarginPosted)
	}
	h.h = h.h*31 + x.Sum64()
	return nil
}

// TestDeterminism: two runs with one seed record bitwise-identical series;
// another seed differs.
func TestDeterminism(t *testing.T) {
	series := func(seed uint64) uint64 {
		cfg := testWorld(10)
		cfg.LeverageScale = 1.5
		cfg.Events = append(bojEvents(), EventSpec{Tick: 100, Kind: "shock", Shocks: map[string]float64{"BTC": -0.3}})
		cfg.Noise = NoiseSpec{Distribution: "student_t", DF: 5}
		m, err := Build(cfg, core.RunSeed(seed, 0))
		if err != nil {
			t.Fatal(err)
		}
		h := &hasher{}
		if err := m.Run(context.Background(), h); err != nil {
			t.Fatal(err)
		}
		return h.h
	}
	a, b, c := series(42), series(42), series(43)
	if a != b {
		t.Errorf("same seed, different series: %x != %x", a, b)
	}
	if a == c {
		t.Errorf("different seeds, same series %x", a)
	}
}

// TestStepAllocs: the tick loop does not allocate in the steady state,
// under either report.correlation_rows.
func TestStepAllocs(t *testing.T) {
	for _, rows := range []string{"every_tick", "trading"} {
		t.Run(rows, func(t *testing.T) {
			cfg := benchWorld()
			cfg.Ticks = 10000
			cfg.Report.CorrelationRows = rows
			m, err := Build(cfg, 1)
			if err != nil {
				t.Fatal(err)
			}
			m.rec.obs = []Observer{NewCollector()}
			if err := m.rec.obs[0].Begin(m); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 200; i++ { // warm up: buffers reach their working size
				if err := m.Step(); err != nil {
					t.Fatal(err)
				}
			}
			allocs := testing.AllocsPerRun(500, func() {
				if err := m.Step(); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("%.2f allocations per tick, want 0", allocs)
			}
			// AllocsPerRun rounds down; count every allocation of another 500 ticks.
			// The counters are the process's: a collection queues the finalizers
			// of earlier tests' garbage (files, for one), which allocate when they
			// run, so collect and let them run before the windows, not in them.
			// The runtime's own allocations can still land in a window now and
			// then: the fewest over three windows must be zero.
			runtime.GC()
			runtime.GC()
			time.Sleep(50 * time.Millisecond)
			fewest := uint64(math.MaxUint64)
			for try := 0; try < 3 && fewest > 0; try++ {
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for i := 0; i < 500; i++ {
					if err := m.Step(); err != nil {
						t.Fatal(err)
					}
				}
				runtime.ReadMemStats(&after)
				fewest = min(fewest, after.Mallocs-before.Mallocs)
			}
			if fewest != 0 {
				t.Errorf("%d allocations in 500 ticks (the fewest of three windows), want 0", fewest)
			}
		})
	}
}

// TestWarmup: a warm-up is calm history before the start: the run still
// starts at the starting prices with the starting balance sheets, its
// frames are numbered from 0 and events keep their ticks, but the rolling
// correlation is defined from the first frame and the estimators have
// moved off their calm seeds; trend z-scores are as the scenario set them,
// as the CTAs read them.
func TestWarmup(t *testing.T) {
	cfg := testWorld(5)
	cfg.Ticks = 100
	cfg.Warmup = 72 * time.Hour
	cfg.Trends = map[string]float64{"SPX": 1.5}
	cfg.Events = []EventSpec{{Tick: 10, Kind: "shock", Shocks: map[string]float64{"SPX": -0.05}}}
	cold := *cfg
	cold.Warmup = 0
	mc, err := Build(&cold, core.RunSeed(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(cfg, core.RunSeed(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	w := m.W
	for i := range w.Price {
		if w.Price[i] != mc.W.Price[i] {
			t.Errorf("%s starts at %v after the warm-up, %v without", w.Assets[i].ID, w.Price[i], mc.W.Price[i])
		}
	}
	for k, h := range w.Holders {
		if h.Book != mc.W.Holders[k].Book {
			t.Errorf("%s: equity %v after the warm-up, %v without", h.ID, h.Book, mc.W.Holders[k].Book)
		}
	}
	spx := 3
	if w.Assets[spx].ID != "SPX" {
		t.Fatalf("asset 3 is %s", w.Assets[spx].ID)
	}
	e, ec := w.Est.EWMA(5*w.PerDay), mc.W.Est.EWMA(5*w.PerDay)
	if e.Vol(spx) == ec.Vol(spx) {
		t.Error("the warm-up left the volatility estimate at its calm seed")
	}
	// The CTAs read the trend as set, at their volatility estimate: the
	// warm-up's, or the calm seed without one.
	hl := 30 * w.PerDay * math.Ln2 // the CTAs' 30-day lookback
	for _, mm := range []*Model{m, mc} {
		var cta *agents.CTA
		for _, a := range mm.Agents {
			if c, ok := a.(*agents.CTA); ok {
				cta = c
				break
			}
		}
		if cta == nil {
			t.Fatal("no CTA")
		}
		vol := cta.VolEstimate().Vol(spx)
		if z := mm.W.Est.Momentum(hl).Z(spx, vol); math.Abs(z-1.5) > 1e-12 {
			t.Errorf("warm-up of %d ticks: the CTAs read SPX's trend as %v at their volatility estimate, 1.5 as set", mm.Warm, z)
		}
	}
	var ticks []int
	var corr0 float64
	shocked := -1
	err = m.Run(context.Background(), &probe{m: m, fn: func(m *Model, f *Frame) {
		if len(ticks) == 0 {
			corr0 = f.MeanCorr
		}
		ticks = append(ticks, f.Tick)
		for _, e := range f.Events {
			if e.Kind == core.EvScenario {
				shocked = f.Tick
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ticks) != 100 || ticks[0] != 0 {
		t.Fatalf("%d frames from %d, want 100 from 0", len(ticks), ticks[0])
	}
	if shocked != 10 {
		t.Errorf("the shock took effect at tick %d, want 10", shocked)
	}
	if corr0 != corr0 {
		t.Error("rolling correlation undefined at the first frame despite a 72-tick warm-up")
	}
}

// namedWorld is a world a test runs under a name.
type namedWorld struct {
	name string
	cfg  func() *Config
}

// shortcutWorlds are the worlds in which the shortcut tests compare a
// shortcut against the full computation: 300 calm ticks of the standard
// world, and a cascade with defaults (leverage doubled, the carry unwind,
// a crypto crash).
func shortcutWorlds() []namedWorld {
	return []namedWorld{
		{"calm", func() *Config { c := benchWorld(); c.Ticks = 300; return c }},
		{"cascade", func() *Config {
			c := testWorld(10)
			c.LeverageScale = 2
			c.Events = append(unwindEvents(), EventSpec{Tick: 100, Kind: "shock", Shocks: map[string]float64{"BTC": -0.3}})
			return c
		}},
	}
}

// brokerHasher is hasher with each broker's view of each client account at
// every tick: the posted margin as last marked, its base, the requirement,
// the gross requirement and the call. A re-mark the brokers' shortcuts
// skipped wrongly shows here at once, while the recorded series (which
// value accounts themselves) show it only through the calls it changes.
type brokerHasher struct{ hasher }

func (h *brokerHasher) Observe(f *Frame) error {
	if err := h.hasher.Observe(f); err != nil {
		return err
	}
	x := fnv.New64a()
	for _, b := range f.Model.Brokers {
		for _, ref := range b.Holder().Clients {
			acc := f.Model.W.Acct(ref)
			for _, v := range [...]float64{acc.Posted, acc.Base, acc.Req, acc.Gross, acc.Call} {
				bits := math.Float64bits(v)
				x.Write((*[8]byte)(unsafe.Pointer(&bits))[:])
			}
		}
	}
	h.h = h.h*31 + x.Sum64()
	return nil
}

// TestMarginShortcutExact: brokers look only at near and changed accounts
// in most rounds, and try the cheaper skip test first there; every
// recorded series, margin posted and required by kind included, and every
// broker's view of every account (brokerHasher) are bit for bit what
// looking at every account in the full order gives (AlwaysFull), in a calm
// run and in a cascade with defaults.
func TestMarginShortcutExact(t *testing.T) {
	for _, tc := range shortcutWorlds() {
		t.Run(tc.name, func(t *testing.T) {
			var hashes [2]uint64
			fast := 0
			for k, always := range []bool{false, true} {
				m, err := Build(tc.cfg(), core.RunSeed(3, 0))
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range m.Brokers {
					b.AlwaysFull = always
				}
				h := &brokerHasher{}
				if err := m.Run(context.Background(), h); err != nil {
					t.Fatal(err)
				}
				hashes[k] = h.h
				if !always {
					for _, b := range m.Brokers {
						fast += b.FastRounds
					}
					t.Logf("%d broker rounds (over %d broker-ticks) looked only at near and changed accounts", fast, len(m.Brokers)*m.Cfg.Ticks)
				}
			}
			if fast == 0 {
				t.Error("no round took the shortcut")
			}
			if hashes[0] != hashes[1] {
				t.Errorf("series differ with the shortcut: %x != %x", hashes[0], hashes[1])
			}
		})
	}
}

// TestSkipAllowanceKept: the skip test's allowance each broker keeps on an
// account (core.Account.Allow, set when the requirement is computed) is,
// after every tick, bit for bit 0.1·Req + 1e-3·AbsExposure computed afresh
// from the requirement and exposure it was kept with, in a calm run and in
// a cascade with defaults (seized accounts, never margined again, aside).
func TestSkipAllowanceKept(t *testing.T) {
	for _, tc := range shortcutWorlds() {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg()
			m, err := Build(cfg, core.RunSeed(3, 0))
			if err != nil {
				t.Fatal(err)
			}
			checked, moved := 0, map[uint64]bool{}
			for tick := range cfg.Ticks {
				if err := m.Step(); err != nil {
					t.Fatal(err)
				}
				for _, b := range m.Brokers {
					for _, ref := range b.Holder().Clients {
						acc := m.W.Acct(ref)
						if acc.Seized || acc.ReqEpoch == 0 {
							continue
						}
						want := float64(0.1*acc.Req) + float64(1e-3*acc.AbsExposure)
						if math.Float64bits(acc.Allow) != math.Float64bits(want) {
							t.Fatalf("tick %d: %s's account at %s keeps allowance %v, 0.1·Req + 1e-3·|e| = %v", tick, m.W.Holders[ref.Holder].ID, b.ID(), acc.Allow, want)
						}
						checked++
						moved[math.Float64bits(want)] = true
					}
				}
			}
			t.Logf("%d allowances checked, %d distinct", checked, len(moved))
			if len(moved) < 100 {
				t.Errorf("setup: the allowances took %d values; the test needs them to move", len(moved))
			}
		})
	}
}

// TestCompressionFreeCash: the buffer's free cash is a levered holder's
// deposits as settling would leave them, in every currency and with the
// interest accrued since its last settlement (ODD N7: it was the dollar
// deposits as of that settlement). Before settling it must equal what is
// there after, where the dollar deposits of before fall short of it.
func TestCompressionFreeCash(t *testing.T) {
	cfg := testWorld(40)
	m, err := Build(cfg, core.RunSeed(cfg.Seed, 0))
	if err != nil {
		t.Fatal(err)
	}
	for range 30 {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
	}
	w := m.W
	m.Compression() // peeks
	var hs []*core.Holder
	var got, old []float64
	for _, h := range w.Holders {
		if levered(h.Kind) && !h.Defaulted {
			hs = append(hs, h)
			got, old = append(got, m.freeCash(h)), append(old, math.Max(0, h.Cash[core.USD]))
		}
	}
	w.SettleAll()
	short := 0
	for k, h := range hs {
		want := 0.0
		for c := 0; c < w.NCur; c++ {
			want += h.Cash[c] * w.FXUSD[c]
		}
		want = math.Max(0, want)
		if math.Abs(got[k]-want) > 1e-12*want {
			t.Errorf("%s: free cash $%.15g before settling, $%.15g after", h.ID, got[k], want)
		}
		if want-old[k] > 1e-9*want {
			short++
		}
	}
	t.Logf("%d of %d levered holders' dollar deposits before settling fell short of their free cash", short, len(hs))
	if short == 0 {
		t.Errorf("setup: no holder had interest to accrue; the test cannot tell the two definitions apart")
	}
}
