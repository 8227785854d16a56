package sim

import (
	"context"
	"math"
	"time"

	"github.com/cascade-sim/cascade/core"
)

// Summary is what one run reports at its end: the fields of summary.json.
type Summary struct {
	Schema   string    `json:"schema"`
	Scenario string    `json:"scenario"`
	Seed     uint64    `json:"seed"`
	Start    time.Time `json:"start"`
	Tick     string    `json:"tick"`
	Ticks    int       `json:"ticks"`

	Assets      map[string]*AssetSummary `json:"assets"`
	Correlation CorrSummary              `json:"correlation"`
	VIX         struct {
		Start float64 `json:"start"`
		Peak  float64 `json:"peak"`
		End   float64 `json:"end"`
	} `json:"vix"`
	ForcedSales struct {
		Total    float64            `json:"total"`
		ByKind   map[string]float64 `json:"by_kind"`
		ByReason map[string]float64 `json:"by_reason"`
		ByAsset  map[string]float64 `json:"by_asset"`
	} `json:"forced_sales_usd"`
	MarginCalls struct {
		Count    int     `json:"count"`
		TotalUSD float64 `json:"total_usd"`
	} `json:"margin_calls"`
	Defaults     []DefaultSummary   `json:"defaults"`
	UnwoundPct   map[string]float64 `json:"unwound_pct"`
	Headline     string             `json:"headline"`
	HeadlineMove float64            `json:"headline_move_pct"` // peak-to-trough fall of the headline asset, percent
	// Amplification is the headline move with every channel on over the move
	// with every agent passive (NaN until computed by RunWithAmplification).
	Amplification    float64     `json:"amplification"`
	PassiveMove      float64     `json:"passive_move_pct"`
	CompressionIndex float64     `json:"compression_index"`
	Compression      Compression `json:"compression"`
}

// AssetSummary is one asset's path in brief.
type AssetSummary struct {
	Start   float64 `json:"start"`
	End     float64 `json:"end"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
	MinTick int     `json:"min_tick"`
	MaxTick int     `json:"max_tick"`
	// MaxDrawdownPct is the largest peak-to-trough fall, percent.
	MaxDrawdownPct float64       `json:"max_drawdown_pct"`
	Yield          *YieldSummary `json:"yield,omitempty"`
}

// YieldSummary is a bond's yield path in percent.
type YieldSummary struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
}

// CorrSummary is the mean off-diagonal rolling correlation of the report set.
type CorrSummary struct {
	Assets       []string `json:"assets"`
	WindowTicks  int      `json:"window_ticks"`
	BaselineMean float64  `json:"baseline_mean"` // mean before the trigger
	PeakMean     float64  `json:"peak_mean"`
	PeakTick     int      `json:"peak_tick"`
}

// DefaultSummary is one default.
type DefaultSummary struct {
	Agent string `json:"agent"`
	Kind  string `json:"kind"`
	Tick  int    `json:"tick"`
}

// Collector is an Observer that builds the run's Summary as it goes, with
// memory that does not grow with the horizon.
type Collector struct {
	S *Summary

	m         *Model
	assets    []*AssetSummary // s.Assets in asset order
	peak      []float64
	dd        []float64
	baseSum   float64
	baseN     int
	sold      [core.NumAgentKinds][core.NumReasons]float64
	soldAsset []float64
	trigger   int
}

// NewCollector returns a Collector; read its S after the run.
func NewCollector() *Collector { return &Collector{} }

// Begin implements Observer.
func (c *Collector) Begin(m *Model) error {
	c.m = m
	w := m.W
	s := &Summary{Schema: "cascade.summary/v1", Scenario: m.Cfg.Name, Seed: m.Seed, Start: w.Start, Tick: w.TickLen.String(),
		Ticks: m.Cfg.Ticks, Assets: map[string]*AssetSummary{}, Amplification: math.NaN(), PassiveMove: math.NaN()}
	n := len(w.Assets)
	c.peak, c.dd, c.soldAsset = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range w.Assets {
		p := w.Price[i]
		a := &AssetSummary{Start: p, End: p, Min: p, Max: p}
		if w.Assets[i].Kind == core.Bond {
			y := 100 * w.Yield(i)
			a.Yield = &YieldSummary{Start: y, End: y, Min: y, Max: y}
		}
		s.Assets[w.Assets[i].ID] = a
		c.assets = append(c.assets, a)
		c.peak[i] = p
	}
	for _, i := range m.rec.set {
		s.Correlation.Assets = append(s.Correlation.Assets, w.Assets[i].ID)
	}
	s.Correlation.WindowTicks = m.rec.W
	s.Correlation.PeakMean = math.NaN()
	s.Correlation.BaselineMean = math.NaN()
	s.Correlation.PeakTick = -1
	s.VIX.Start = math.NaN()
	if m.rec.headline >= 0 {
		s.Headline = w.Assets[m.rec.headline].ID
	}
	c.trigger = m.rec.triggerTick
	if c.trigger <= 0 {
		s.Compression = m.Compression()
		s.CompressionIndex = s.Compression.Index
	}
	c.S = s
	return nil
}

// Observe implements Observer.
func (c *Collector) Observe(f *Frame) error {
	s := c.S
	w := c.m.W
	for i, a := range c.assets {
		p := f.Price[i]
		a.End = p
		if p < a.Min {
			a.Min, a.MinTick = p, f.Tick
		}
		if p > a.Max {
			a.Max, a.MaxTick = p, f.Tick
		}
		if p > c.peak[i] {
			c.peak[i] = p
		}
		if d := 1 - p/c.peak[i]; d > c.dd[i] {
			c.dd[i] = d
		}
		if a.Yield != nil {
			y := 100 * f.Yield[i]
			a.Yield.End = y
			if y < a.Yield.Min {
				a.Yield.Min = y
			}
			if y > a.Yield.Max {
				a.Yield.Max = y
			}
		}
		c.soldAsset[i] += f.SoldAsset[i]
	}
	if math.IsNaN(s.VIX.Start) {
		s.VIX.Start = f.VIX
	}
	s.VIX.End = f.VIX
	if f.VIX > s.VIX.Peak || math.IsNaN(s.VIX.Peak) {
		s.VIX.Peak = f.VIX
	}
	if !math.IsNaN(f.MeanCorr) {
		full := c.m.rec.n >= c.m.rec.W
		if (c.trigger < 0 || f.Tick < c.trigger) && full {
			c.baseSum += f.MeanCorr
			c.baseN++
		}
		if full && (math.IsNaN(s.Correlation.PeakMean) || f.MeanCorr > s.Correlation.PeakMean) {
			s.Correlation.PeakMean, s.Correlation.PeakTick = f.MeanCorr, f.Tick
		}
	}
	for k := range c.sold {
		for r := range c.sold[k] {
			c.sold[k][r] += f.Sold[k][r]
		}
	}
	s.MarginCalls.Count += f.MarginCalls
	s.MarginCalls.TotalUSD += f.MarginCallUSD
	for k := range f.Events {
		e := &f.Events[k]
		if e.Kind == core.EvDefault {
			kind := ""
			for _, h := range w.Holders {
				if h.ID == e.Agent {
					kind = h.Kind.String()
				}
			}
			s.Defaults = append(s.Defaults, DefaultSummary{Agent: e.Agent, Kind: kind, Tick: f.Tick})
		}
	}
	if f.Tick+1 == c.trigger {
		s.Compression = c.m.Compression()
		s.CompressionIndex = s.Compression.Index
	}
	return nil
}

// End implements Observer.
func (c *Collector) End(m *Model) error {
	s := c.S
	w := m.W
	for i := range w.Assets {
		s.Assets[w.Assets[i].ID].MaxDrawdownPct = 100 * c.dd[i]
	}
	if c.baseN > 0 {
		s.Correlation.BaselineMean = c.baseSum / float64(c.baseN)
	}
	s.ForcedSales.ByKind = map[string]float64{}
	s.ForcedSales.ByReason = map[string]float64{}
	s.ForcedSales.ByAsset = map[string]float64{}
	for k := range c.sold {
		for r := range c.sold[k] {
			v := c.sold[k][r]
			if v == 0 || core.AgentKind(k) == core.Outside {
				continue
			}
			s.ForcedSales.Total += v
			s.ForcedSales.ByKind[core.AgentKind(k).String()] += v
			s.ForcedSales.ByReason[core.Reason(r).String()] += v
		}
	}
	for i, v := range c.soldAsset {
		s.ForcedSales.ByAsset[w.Assets[i].ID] = v
	}
	u := m.Unwound()
	s.UnwoundPct = map[string]float64{}
	for k, v := range u {
		s.UnwoundPct[core.TradeKind(k).String()] = 100 * v
	}
	if h := m.rec.headline; h >= 0 {
		s.HeadlineMove = 100 * c.dd[h]
	}
	return nil
}

// RunSummary builds and runs cfg with the given run seed and returns its
// summary; with amplification it also runs the passive twin (every agent
// passive, same seed) and fills Amplification.
func RunSummary(ctx context.Context, cfg *Config, seed uint64, amplification bool, obs ...Observer) (*Summary, error) {
	m, err := Build(cfg, seed)
	if err != nil {
		return nil, err
	}
	c := NewCollector()
	if err := m.Run(ctx, append([]Observer{c}, obs...)...); err != nil {
		return nil, err
	}
	if amplification {
		p, err := PassiveMove(ctx, cfg, seed)
		if err != nil {
			return nil, err
		}
		c.S.PassiveMove = p
		c.S.Amplification = Amplify(c.S.HeadlineMove, p)
	}
	return c.S, nil
}

// PassiveMove runs cfg from the same starting balance sheets with every
// agent passive and every feedback channel off (the exogenous path: same
// noise, same events) and returns the headline asset's peak-to-trough
// fall, percent.
func PassiveMove(ctx context.Context, cfg *Config, seed uint64) (float64, error) {
	m, err := Build(cfg, seed)
	if err != nil {
		return 0, err
	}
	m.SetChannels(core.AllOff())
	c := NewCollector()
	if err := m.Run(ctx, c); err != nil {
		return 0, err
	}
	return c.S.HeadlineMove, nil
}

// Amplify returns move over passive move (NaN when the passive move is 0).
func Amplify(move, passive float64) float64 {
	if passive <= 0 {
		return math.NaN()
	}
	return move / passive
}
