package sim_test

import (
	"context"
	"fmt"
	"log"
	"slices"
	"time"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"github.com/cascade-sim/cascade/sweep"
)

// The whole of a run: load a scenario (a built-in by name, or a file), build
// the model at a seed, run it with observers, read the summary. This is what
// cascade run does before it writes files.
func Example() {
	sc, err := scenarios.Load("aug2024", nil)
	if err != nil {
		log.Fatal(err) // scenarios.Problems: every problem with file:line:col
	}
	cfg := sc.File.Config.Clone() // a copy to change freely
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		log.Fatal(err)
	}
	c := sim.NewCollector() // the Observer that builds summary.json
	if err := m.Run(context.Background(), c); err != nil {
		log.Fatal(err)
	}
	s := c.S
	fmt.Printf("%d ticks from %s\n", s.Ticks, s.Start.Format("2 Jan 2006"))
	fmt.Printf("Nikkei fell %.1f%% peak to trough; S&P %.1f%%\n", s.Assets["NKY"].MaxDrawdownPct, s.Assets["SPX"].MaxDrawdownPct)
	fmt.Printf("margin calls: %d; agents sold $%.0fbn, of which forced $%.0fbn\n", s.MarginCalls.Count, s.ForcedSales.Total/1e9, s.ForcedSales.Forced/1e9)
	// Output:
	// 456 ticks from 29 Jul 2024
	// Nikkei fell 18.2% peak to trough; S&P 9.3%
	// margin calls: 213; agents sold $665bn, of which forced $179bn
}

// An observer sees every tick as it happens (the engine knows no file
// formats: the CSV, Parquet and plot writers are observers too). This one
// keeps the Nikkei at each weekday's New York close (20:00 UTC in August)
// and its change from the one before. A frame's prices are at the end of
// its tick, and its Time is the tick's start.
// (Tokyo is shut at that hour: this is the Nikkei's last price of the day,
// which cascade score compares with the markets' close.)
func ExampleObserver() {
	sc, err := scenarios.Load("aug2024", nil)
	if err != nil {
		log.Fatal(err)
	}
	m, err := sim.Build(sc.File.Config.Clone(), sc.File.Seed)
	if err != nil {
		log.Fatal(err)
	}
	o := &closes{asset: "NKY", hour: 20}
	if err := m.Run(context.Background(), o); err != nil {
		log.Fatal(err)
	}
	for _, d := range o.days[1:6] {
		fmt.Println(d)
	}
	// Output:
	// Wed 31 Jul NKY 38792 (+0.4%)
	// Thu 1 Aug NKY 37016 (-4.6%)
	// Fri 2 Aug NKY 36125 (-2.4%)
	// Mon 5 Aug NKY 32184 (-10.9%)
	// Tue 6 Aug NKY 37058 (+15.1%)
}

// closes is an Observer that keeps one asset's price at one hour (UTC) of
// every weekday: the price at the end of the tick that ends then.
type closes struct {
	asset string
	hour  int
	tick  time.Duration
	i     int
	last  float64 // the close before
	days  []string
}

func (c *closes) Begin(m *sim.Model) error {
	c.i = slices.IndexFunc(m.W.Assets, func(a core.Asset) bool { return a.ID == c.asset })
	if c.i < 0 {
		return fmt.Errorf("no asset %s", c.asset)
	}
	c.tick = m.W.TickLen
	return nil
}

func (c *closes) Observe(f *sim.Frame) error {
	end := f.Time.Add(c.tick) // the prices are at the tick's end
	if end.Hour() != c.hour || end.Weekday() == time.Saturday || end.Weekday() == time.Sunday {
		return nil
	}
	p := f.Price[c.i]
	if c.last > 0 {
		c.days = append(c.days, fmt.Sprintf("%s %s %.0f (%+.1f%%)", end.Format("Mon 2 Jan"), c.asset, p, 100*(p/c.last-1)))
	}
	c.last = p
	return nil
}

func (c *closes) End(*sim.Model) error { return nil }

// A counterfactual: the same world, the same seed, with one contagion
// channel switched off (cascade compare --off does this). Here the prime
// brokers margin every account on gross exposure from the start, with no
// offsets between a fund's trades. On one seed the difference can go
// either way (at aug2024's own, $1.33bn cross-margined against $1.67bn
// segregated), so the pair runs at 20 seeds, each side at the same seed,
// as cascade compare --seeds does: cross-margined funds sell Treasuries
// on more of them, and more in all.
func ExampleChannelSpec() {
	sc, err := scenarios.Load("aug2024", nil)
	if err != nil {
		log.Fatal(err)
	}
	treasuries := func(seed uint64, off ...string) float64 {
		cfg := sc.File.Config.Clone()
		cfg.Channels.Off = off
		s, err := sim.RunSummary(context.Background(), cfg, seed, false)
		if err != nil {
			log.Fatal(err)
		}
		return float64(s.ForcedSales.ByKindAsset["hedge_fund"]["UST10Y"])
	}
	var on, off float64
	var fewer, more int
	for _, seed := range core.Seeds(sc.File.Seed, 20) {
		a, b := treasuries(seed), treasuries(seed, "cross_margin")
		on, off = on+a, off+b
		if b < a {
			fewer++
		} else if b > a {
			more++
		}
	}
	fmt.Printf("over 20 seeds hedge funds sold $%.1fbn of Treasuries; without cross-margining $%.1fbn\n", on/1e9, off/1e9)
	fmt.Printf("fewer without it on %d seeds, more on %d\n", fewer, more)
	// Output:
	// over 20 seeds hedge funds sold $44.4bn of Treasuries; without cross-margining $13.6bn
	// fewer without it on 6 seeds, more on 2
}

// An ensemble: the same scenario at several seeds (each a draw of the
// noise and of the populations' parameters), as cascade score --seeds
// and cascade whatif run it, here on two workers. Each job builds its own
// model from its own copy of the scenario and fills its own slot, so the
// result does not depend on the workers. Amplification is the headline
// asset's fall with every channel on over its fall with every agent
// passive.
func Example_ensemble() {
	sc, err := scenarios.Load("aug2024", nil)
	if err != nil {
		log.Fatal(err)
	}
	seeds := core.Seeds(sc.File.Seed, 5)
	amp := make([]float64, len(seeds))
	err = sweep.Each(context.Background(), len(seeds), 2, func(j int) error {
		s, err := sim.RunSummary(context.Background(), sc.File.Config.Clone(), seeds[j], true)
		if err != nil {
			return err
		}
		amp[j] = float64(s.Amplification)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	slices.Sort(amp)
	fmt.Printf("amplification at 5 seeds: %.2f to %.2f, median %.2f\n", amp[0], amp[4], amp[2])
	// Output:
	// amplification at 5 seeds: 2.00 to 2.55, median 2.15
}

// stopLoss is an agent kind of the program's own: a long-only holder of one
// asset that sells all of it once the price is Stop below where it started.
// Its fields have yaml names, so a population can vary them.
type stopLoss struct {
	ID    string  `yaml:"id"`
	Asset string  `yaml:"asset"`
	Value float64 `yaml:"value"` // USD bought at set-up (an asset priced in USD)
	Stop  float64 `yaml:"stop"`  // the fall that triggers the sale: 0.05 is 5%
	Kind  core.AgentKind
}

// Build puts the holder on the books: its capital paid in by the outside
// sector, then spent on the asset at the starting price.
func (s *stopLoss) Build(env *agents.Env) (agents.Agent, error) {
	i, err := env.Asset(s.Asset)
	if err != nil {
		return nil, err
	}
	w := env.W
	if w.Assets[i].Currency != core.USD {
		return nil, fmt.Errorf("%s: %s is not priced in USD", s.ID, s.Asset)
	}
	kind := s.Kind
	if kind == core.Outside {
		kind = core.HedgeFund // the series it is counted in, and its switch
	}
	h := w.AddHolder(s.ID, kind)
	w.Endow(h, core.USD, s.Value)
	w.SetupTrade(h, 0, i, s.Value/w.NotionalUSD(i, 1))
	return &stopLossAgent{h: h, asset: i, trigger: w.Price[i] * (1 - s.Stop)}, nil
}

type stopLossAgent struct {
	h       *core.Holder
	asset   int
	trigger float64
	soldAt  time.Time // when it sold (zero: not yet)
}

func (a *stopLossAgent) Holder() *core.Holder { return a.h }

// Decide sells everything in the first clearing round after the price
// falls through the trigger, while the asset's market is open.
func (a *stopLossAgent) Decide(w *core.World) {
	held := a.h.Accounts[0].Units[a.asset]
	if w.Round != 0 || held <= 0 || !w.Trades(a.asset) || w.Price[a.asset] > a.trigger {
		return
	}
	a.soldAt = w.Start.Add(w.TickLen * time.Duration(w.Tick))
	w.Submit(core.Order{Holder: a.h.Index, Asset: a.asset, Units: -held, Reason: core.StopLoss})
}

// A Go program can add agents of its own kinds to any scenario: a spec that
// implements agents.Maker, in an AgentSpec of Kind "custom". Here $50bn of
// S&P held with a 4% stop joins the August 2024 replay. Its sale is
// counted with the hedge funds' (the kind its Build gave its holder), and
// it deepens the S&P's fall.
func ExampleAgentSpec_custom() {
	sc, err := scenarios.Load("aug2024", nil)
	if err != nil {
		log.Fatal(err)
	}
	run := func(extra *stopLoss) (*sim.Summary, *sim.Model) {
		cfg := sc.File.Config.Clone()
		if extra != nil {
			cfg.Agents = append(cfg.Agents, sim.AgentSpec{Kind: sim.CustomKind, Custom: extra})
		}
		m, err := sim.Build(cfg, cfg.Seed)
		if err != nil {
			log.Fatal(err)
		}
		c := sim.NewCollector()
		if err := m.Run(context.Background(), c); err != nil {
			log.Fatal(err)
		}
		return c.S, m
	}
	base, _ := run(nil)
	s, m := run(&stopLoss{ID: "stop-4pct", Asset: "SPX", Value: 50e9, Stop: 0.04})
	a := m.Agents[len(m.Agents)-1].(*stopLossAgent)
	fmt.Printf("sold at %s\n", a.soldAt.Format("Mon 2 Jan 15:04 UTC"))
	fmt.Printf("hedge funds sold $%.0fbn of S&P, $%.0fbn without it\n",
		s.ForcedSales.ByKindAsset["hedge_fund"]["SPX"]/1e9, base.ForcedSales.ByKindAsset["hedge_fund"]["SPX"]/1e9)
	fmt.Printf("S&P fell %.2f%%, %.2f%% without it\n", s.Assets["SPX"].MaxDrawdownPct, base.Assets["SPX"].MaxDrawdownPct)
	// Output:
	// sold at Fri 2 Aug 17:00 UTC
	// hedge funds sold $83bn of S&P, $35bn without it
	// S&P fell 9.72%, 9.29% without it
}
