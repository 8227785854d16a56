package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/cascade-sim/cascade/core"
)

// Num is a float64 that marshals to JSON as every JSON output of cascade
// writes a number (JSON has no NaN or infinity): a finite value as a
// number, NaN (not measured, undefined) as null, +Inf and -Inf as the
// strings "inf" and "-inf", as the CSV outputs and the tables write them,
// so that a reader can tell a quantity that could not be measured from one
// that is infinite (a utilization with no capital left). Python's float
// and R's as.numeric read both the numbers and the strings.
type Num float64

// MarshalJSON implements json.Marshaler.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return []byte("null"), nil
	case math.IsInf(f, 1):
		return []byte(`"inf"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-inf"`), nil
	}
	return json.Marshal(f)
}

// UnmarshalJSON implements json.Unmarshaler: null reads as NaN, "inf"
// and "-inf" as the infinities.
func (n *Num) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "null":
		*n = Num(math.NaN())
		return nil
	case `"inf"`:
		*n = Num(math.Inf(1))
		return nil
	case `"-inf"`:
		*n = Num(math.Inf(-1))
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = Num(f)
	return nil
}

// Summary is what one run reports at its end: the fields of summary.json.
type Summary struct {
	Schema   string    `json:"schema"`
	Scenario string    `json:"scenario"`
	Seed     uint64    `json:"seed"`
	Start    time.Time `json:"start"`
	Tick     string    `json:"tick"`
	Ticks    int       `json:"ticks"`
	// Currency labels the amounts (report.currency; default USD).
	Currency string `json:"currency"`
	// Agents counts the world's agents by kind, population members one by
	// one, prime brokers and dealers included, the outside sector not.
	Agents map[string]int `json:"agents"`

	Assets      map[string]*AssetSummary `json:"assets"`
	Correlation CorrSummary              `json:"correlation"`
	VIX         VIXSummary               `json:"vix"`
	ForcedSales SalesSummary             `json:"forced_sales_usd"`
	// Bought is ForcedSales' twin for purchases: what agents bought over
	// the run, by kind, reason, asset and kind × asset, valued as the
	// sales are, so that bought less sold is each one's net purchase.
	Bought      SalesSummary `json:"bought_usd"`
	MarginCalls struct {
		Count    int `json:"count"`
		TotalUSD Num `json:"total_usd"`
	} `json:"margin_calls"`
	Defaults []DefaultSummary `json:"defaults"`
	// Capital is the equity each kind of agent, and each bank, prime
	// broker and dealer, lost over the run.
	Capital CapitalSummary `json:"capital"`
	// Banks is each bank's leverage ratio over the run, its thresholds,
	// sales and end, in the scenario's order (left out in a world without
	// banks); BanksBelowMin counts the banks that end below their
	// min_ratio (BankSummary.BelowMin), failed or passive, and
	// BanksLeftOut the rows past MaxBankRows.
	Banks         []BankSummary `json:"banks,omitempty"`
	BanksBelowMin *int          `json:"banks_below_min,omitempty"`
	BanksLeftOut  int           `json:"banks_left_out,omitempty"`
	// OrdersRefused counts the orders sent to a market while it was
	// closed, which are dropped (core.World.Rejected). The built-in agents
	// wait for the open instead, so any here mean a rule that does not.
	OrdersRefused int `json:"orders_refused"`
	// UnwoundPct is the share of the hedge funds' trades unwound by the
	// end, percent, by trade kind: carry, basis and equity, the last the
	// directional longs on margin whatever they hold (an equity index, a
	// Treasury, gold, bitcoin).
	UnwoundPct map[string]Num `json:"unwound_pct"`
	// UnwoundLongPct splits unwound_pct.equity by the kind of the asset
	// each long holds (equity, bond, commodity, crypto, ...): only the
	// kinds some long holds; absent without directional longs.
	UnwoundLongPct map[string]Num `json:"unwound_long_pct,omitempty"`
	// Headline is the asset whose move defines amplification; HeadlineMove
	// its largest peak-to-trough fall, percent.
	Headline     string `json:"headline"`
	HeadlineMove Num    `json:"headline_move_pct"`
	// Amplification is the headline move with every channel on over the
	// move with every agent passive (null when not computed): the ratio of
	// the two largest falls, each over its own window. PassiveMove is the
	// twin's largest fall, percent, from PassivePeakTick to
	// PassiveTroughTick (frame ticks; −1 is the start price, and both are
	// −1 when the twin was not run or did not fall).
	Amplification     Num `json:"amplification"`
	PassiveMove       Num `json:"passive_move_pct"`
	PassivePeakTick   int `json:"passive_peak_tick"`
	PassiveTroughTick int `json:"passive_trough_tick"`
	// PassiveSameWindow is the twin's fall over the run's own window, from
	// the headline's attribution peak_tick to its trough_tick, percent of
	// the twin's close at the run's peak (negative if the twin rose);
	// AmplificationSameWindow is HeadlineMove over it (null when the twin
	// was not run or did not fall over the window).
	PassiveSameWindow       Num         `json:"passive_same_window_move_pct"`
	AmplificationSameWindow Num         `json:"amplification_same_window"`
	CompressionIndex        Num         `json:"compression_index"`
	Compression             Compression `json:"compression"`
	// VulnerabilityAV is the Greenwood–Landier–Thesmar one-round aggregate
	// vulnerability of the starting balance sheets under the scenario's
	// scripted shocks (all of them), as `cascade vulnerability` computes it
	// with its defaults (null when nothing is scripted).
	VulnerabilityAV Num `json:"vulnerability_av"`
	// Attribution is each asset's largest peak-to-trough fall split by
	// source: the exogenous path, valuation links and the price impact of
	// each kind's and each reason's orders. AttributionRise splits its
	// largest trough-to-peak rise the same way.
	Attribution     map[string]*Attribution `json:"attribution,omitempty"`
	AttributionRise map[string]*Attribution `json:"attribution_rise,omitempty"`
	// Brokers is each prime broker's stress over the run, by id (left out
	// in a world without prime brokers).
	Brokers map[string]*BrokerSummary `json:"brokers,omitempty"`
	// Funding is the funding rates over the run and the dealer sector's
	// utilization they price off (left out when the scenario sets no
	// funding).
	Funding *FundingSummary `json:"funding,omitempty"`
	// Dealers is each dealer's utilization and depth factor over the run,
	// by id (left out in a world without dealers).
	Dealers map[string]*DealerSummary `json:"dealers,omitempty"`
	// Insurers is each insurer's hedge and foreign holdings over the run,
	// by id (left out in a world without insurers).
	Insurers map[string]*InsurerSummary `json:"insurers,omitempty"`
	// Follow is each agent the scenario follows (report.follow) over the
	// run, by id (left out when it follows none).
	Follow map[string]*FollowSummary `json:"follow,omitempty"`
}

// PeakSummary is a series in brief: its value at tick 0, its highest
// (first at PeakTick; −1 when it never had a value) and its value at the
// last tick.
type PeakSummary struct {
	Start    Num `json:"start"`
	Peak     Num `json:"peak"`
	PeakTick int `json:"peak_tick"`
	End      Num `json:"end"`
}

// TroughSummary is a series in brief by its lowest value (first at
// TroughTick; −1 when it never had a value): a quantity that widens
// downwards, as the cross-currency basis does.
type TroughSummary struct {
	Start      Num `json:"start"`
	Trough     Num `json:"trough"`
	TroughTick int `json:"trough_tick"`
	End        Num `json:"end"`
}

func newPeak() PeakSummary { return PeakSummary{Start: nan, Peak: nan, PeakTick: -1, End: nan} }
func newTrough() TroughSummary {
	return TroughSummary{Start: nan, Trough: nan, TroughTick: -1, End: nan}
}

var nan = Num(math.NaN())

// add follows the series with its value v at the given tick, the first
// frame's when first.
func (s *PeakSummary) add(v float64, tick int, first bool) {
	if first {
		s.Start = Num(v)
	}
	s.End = Num(v)
	if v == v && (s.PeakTick < 0 || Num(v) > s.Peak) {
		s.Peak, s.PeakTick = Num(v), tick
	}
}

// add follows the series with its value v at the given tick, the first
// frame's when first.
func (s *TroughSummary) add(v float64, tick int, first bool) {
	if first {
		s.Start = Num(v)
	}
	s.End = Num(v)
	if v == v && (s.TroughTick < 0 || Num(v) < s.Trough) {
		s.Trough, s.TroughTick = Num(v), tick
	}
}

// FundingSummary is the funding market over the run, as the time series'
// repo_spread_bp, funding_CUR_bp, xccy_basis_bp, dealer_util and facility
// columns show it tick by tick.
type FundingSummary struct {
	// RepoSpread is the USD repo spread over the policy rate, bp.
	RepoSpread PeakSummary `json:"repo_spread_bp"`
	// OtherSpread is the funding spread over the policy rate of each
	// currency but USD, bp, by currency code.
	OtherSpread map[string]*PeakSummary `json:"other_spread_bp,omitempty"`
	// XCCYBasis is the cross-currency basis, bp: negative, and widest at
	// its trough.
	XCCYBasis TroughSummary `json:"xccy_basis_bp"`
	// DealerUtil is the dealer sector's utilization, which the spreads and
	// the basis price off (+Inf, "inf" in JSON, when no dealer has capital
	// left).
	DealerUtil PeakSummary `json:"dealer_util"`
	// FacilityCap is the cap a central-bank facility puts on the repo
	// spread while it is on (funding.facility_cap), bp.
	FacilityCap Num `json:"facility_cap_bp"`
	// FacilityTicks counts the ticks the facility was on; CappedTicks
	// those in which it held the repo spread at its cap (the spread the
	// utilization priced was above it), the first of them FirstCappedTick
	// (−1: never).
	FacilityTicks   int `json:"facility_ticks"`
	CappedTicks     int `json:"capped_ticks"`
	FirstCappedTick int `json:"first_capped_tick"`
}

// DealerSummary is one dealer's state over the run, as the time series'
// dealer_ID_ columns show it tick by tick (DealerStats).
type DealerSummary struct {
	// UtilStart and UtilPeak are its utilization at tick 0 and at its
	// highest (first at UtilPeakTick); +Inf ("inf" in JSON) once it has no
	// capital left.
	UtilStart    Num `json:"util_start"`
	UtilPeak     Num `json:"util_peak"`
	UtilPeakTick int `json:"util_peak_tick"`
	// DepthStart and DepthMin are its depth factor at tick 0 and at its
	// lowest (first at DepthMinTick).
	DepthStart   Num `json:"depth_start"`
	DepthMin     Num `json:"depth_min"`
	DepthMinTick int `json:"depth_min_tick"`
}

// BrokerSummary is one prime broker's state over the run, as the
// time series' broker_ID_ columns show it tick by tick (BrokerStats).
type BrokerSummary struct {
	// UtilStart and UtilPeak are its utilization at tick 0 and at its
	// highest (first at UtilPeakTick).
	UtilStart    Num `json:"util_start"`
	UtilPeak     Num `json:"util_peak"`
	UtilPeakTick int `json:"util_peak_tick"`
	// StressedTicks counts the ticks it ended margining some accounts
	// gross (offsets dropped), the first of them FirstStressedTick (−1:
	// never).
	StressedTicks     int `json:"stressed_ticks"`
	FirstStressedTick int `json:"first_stressed_tick"`
	// HaircutMultiplePeak is the highest of its haircuts over the
	// scenario's, averaged over the risk factors its clients held.
	HaircutMultiplePeak Num `json:"haircut_multiple_peak"`
}

// Has reports whether the world held agents of any of the kinds (by
// name: "prime_broker", "hedge_fund", ...). A summary without the count
// (read from an older summary.json) holds them all.
func (s *Summary) Has(kinds ...string) bool {
	if s.Agents == nil {
		return true
	}
	for _, k := range kinds {
		if s.Agents[k] > 0 {
			return true
		}
	}
	return false
}

// Levered lists, by name, the kinds of the levered sector, which the
// compression index measures.
var Levered = func() []string {
	var names []string
	for _, k := range leveredKinds {
		names = append(names, k.String())
	}
	return names
}()

// HasVIX reports whether the world had a VIX proxy (an equity or a
// vix_asset).
func (s *Summary) HasVIX() bool {
	return s.VIX.PeakTick >= 0 || !math.IsNaN(float64(s.VIX.Start))
}

// AssetSummary is one asset's path in brief.
type AssetSummary struct {
	Start   Num `json:"start"`
	End     Num `json:"end"`
	Min     Num `json:"min"`
	Max     Num `json:"max"`
	MinTick int `json:"min_tick"` // frame tick of Min; −1 when it is the start price
	MaxTick int `json:"max_tick"` // frame tick of Max; −1 when it is the start price
	// MaxDrawdownPct is the largest peak-to-trough fall, percent of the
	// peak; MaxRisePct the largest trough-to-peak rise, percent of the
	// trough.
	MaxDrawdownPct Num           `json:"max_drawdown_pct"`
	MaxRisePct     Num           `json:"max_rise_pct"`
	Yield          *YieldSummary `json:"yield,omitempty"`
	// Returns are the stylized facts of the asset's tick returns: tails
	// and volatility clustering.
	Returns ReturnStats `json:"returns"`
}

// YieldSummary is a bond's yield path in percent.
type YieldSummary struct {
	Start Num `json:"start"`
	End   Num `json:"end"`
	Min   Num `json:"min"`
	Max   Num `json:"max"`
}

// CorrSummary is the mean off-diagonal rolling correlation of the report set.
type CorrSummary struct {
	Assets       []string `json:"assets"`
	WindowTicks  int      `json:"window_ticks"`
	BaselineMean Num      `json:"baseline_mean"` // mean before the trigger
	PeakMean     Num      `json:"peak_mean"`
	PeakTick     int      `json:"peak_tick"`
	// CalmTick is the last tick before the trigger, at least the window's
	// last (W−1): the calm the run plots show against the peak. CalmMatrix
	// and PeakMatrix are the pairwise correlations (rows and columns in
	// the order of Assets) at CalmTick and PeakTick whose off-diagonal
	// mean is mean_corr there; null where an asset's returns did not vary
	// over the window (under correlation_rows: trading, for a pair that
	// does not count there: fewer than 3 rows in its window, or a return
	// that did not vary over them; and on the diagonal for an asset that
	// varied in none of its pairs' windows). Left out when the run has no
	// such tick.
	CalmTick   int     `json:"calm_tick"`
	CalmMatrix [][]Num `json:"calm_matrix,omitempty"`
	PeakMatrix [][]Num `json:"peak_matrix,omitempty"`
}

// VIXSummary is the VIX proxy's path in brief.
type VIXSummary struct {
	Start    Num `json:"start"`
	Peak     Num `json:"peak"`
	PeakTick int `json:"peak_tick"` // -1 without a peak (no VIX asset)
	End      Num `json:"end"`
}

// SalesSummary is what agents sold over the run (forced_sales_usd), or
// bought (bought_usd), USD: every order valued at the price and exchange
// rate before its clearing round. The outside sector is left out, and so
// are zero entries.
type SalesSummary struct {
	// Total is every agent's sales (purchases), for every reason:
	// rule-driven ones (carry exits, CTA signals, rebalancing, ...) as
	// well as forced ones.
	Total Num `json:"total"`
	// Forced is the part sold (bought) for a forced reason
	// (core.Reason.Forced: margin call, default liquidation, stop-loss,
	// deleveraging).
	Forced   Num            `json:"forced"`
	ByKind   map[string]Num `json:"by_kind"`
	ByReason map[string]Num `json:"by_reason"`
	ByAsset  map[string]Num `json:"by_asset"`
	// ByKindAsset: what each agent kind sold (bought) of each asset.
	ByKindAsset map[string]map[string]Num `json:"by_kind_asset"`
}

// flowSummary sums up the agents' sales, or purchases, over the run: by
// kind and reason from byReason, by asset and kind × asset from
// byKindAsset (kind k, asset i at k*n+i). The outside sector is left out.
func flowSummary(w *core.World, byReason *[core.NumAgentKinds][core.NumReasons]float64, byKindAsset []float64) SalesSummary {
	s := SalesSummary{ByKind: map[string]Num{}, ByReason: map[string]Num{}, ByAsset: map[string]Num{}, ByKindAsset: map[string]map[string]Num{}}
	total, forced := 0.0, 0.0
	for k := range byReason {
		for r := range byReason[k] {
			v := byReason[k][r]
			if v == 0 || core.AgentKind(k) == core.Outside {
				continue
			}
			total += v
			if core.Reason(r).Forced() {
				forced += v
			}
			s.ByKind[core.AgentKind(k).String()] += Num(v)
			s.ByReason[core.Reason(r).String()] += Num(v)
		}
	}
	s.Total, s.Forced = Num(total), Num(forced)
	n := len(w.Assets)
	for k := core.AgentKind(1); k < core.NumAgentKinds; k++ { // the outside sector's orders are scripted interventions
		for i := range w.Assets {
			v := byKindAsset[int(k)*n+i]
			if v == 0 {
				continue
			}
			s.ByAsset[w.Assets[i].ID] += Num(v)
			if s.ByKindAsset[k.String()] == nil {
				s.ByKindAsset[k.String()] = map[string]Num{}
			}
			s.ByKindAsset[k.String()][w.Assets[i].ID] = Num(v)
		}
	}
	return s
}

// DefaultSummary is one default.
type DefaultSummary struct {
	Agent string `json:"agent"`
	Kind  string `json:"kind"`
	Tick  int    `json:"tick"`
}

// Attribution splits an asset's move between its peak and its trough:
// the share (percent) carried by the price impact of each agent kind's
// and each reason's orders, by the exogenous path (noise and scripted
// shocks) and by valuation links (other markets' moves carried into this
// one's fundamental). It books each order to whoever placed it: an
// accounting, not a counterfactual. Shares of a fall are positive for
// sellers; of a rise (Summary.AttributionRise: from TroughTick to the
// later PeakTick, MovePct > 0), for buyers.
type Attribution struct {
	PeakTick   int            `json:"peak_tick"`
	TroughTick int            `json:"trough_tick"`
	MovePct    Num            `json:"move_pct"`
	Exogenous  Num            `json:"exogenous_pct"`
	Links      Num            `json:"links_pct"`
	Other      Num            `json:"other_pct"` // decay of earlier temporary impact and compounding
	ByKind     map[string]Num `json:"by_kind"`
	ByReason   map[string]Num `json:"by_reason"`
}

// Collector is an Observer that builds the run's Summary as it goes, with
// memory that does not grow with the horizon (but for one entry per
// default): even the attribution of each asset's largest fall is followed
// online, without per-tick history.
type Collector struct {
	S *Summary

	m                 *Model
	n                 int
	refused0          int       // World.Rejected when the run began (after the warm-up)
	start             []float64 // the start prices (the attribution follows the rest of each path)
	bonds             []int     // the assets with a yield
	ystart, yend      []float64
	ymin, ymax        []float64
	vixStart, vixPeak float64
	vixEnd            float64
	vixPeakTick       int
	baseSum           float64
	baseN             int
	corrPeak          float64
	corrPeakTick      int
	corrCalmTick      int
	corrCalm, corrTop []float64 // pairwise correlations at the calm tick and at the peak (k×k)
	corrCalmSet       bool
	sold, bought      [core.NumAgentKinds][core.NumReasons]float64
	soldKindAsset     []float64
	boughtKindAsset   []float64
	calls             int
	callUSD           float64
	defaults          []DefaultSummary
	kindOf            map[string]string // holder id → kind, for the defaults
	trigger           int
	comp              Compression
	vulnAV            float64
	attr              *attribution
	// Each frame's returns and trading flags (frame k's at k*n), for
	// ReturnStats, and two scratch slices with room for one return a tick.
	rets       []float64
	trading    []bool
	frames     int
	kept, devs []float64
	brokers    []BrokerSummary // in the order of Model.Brokers
	funding    *FundingSummary // nil when the scenario sets no funding
	other      []PeakSummary   // the funding spread of currency c at c-1
	dealers    []DealerSummary // in the order of Frame.Dealers
	banks      []bankTrack     // the world's banks, in holder order
	bankRows   []BankSummary   // their rows, as banks
	bankPeek   core.Peek       // scratch for their books (World.PeekBook)
	insurers   []insurerTrack  // the world's insurers, in decision order
}

// NewCollector returns a Collector; read its S after the run.
func NewCollector() *Collector { return &Collector{} }

// Begin implements Observer.
func (c *Collector) Begin(m *Model) error {
	c.m = m
	w := m.W
	n := len(w.Assets)
	c.n = n
	c.refused0 = w.Rejected
	// One allocation for the per-asset start prices, yields, and sales and
	// purchases by kind.
	nk := int(core.NumAgentKinds)
	buf := make([]float64, (5+2*nk)*n)
	mk := func() []float64 {
		s := buf[:n:n]
		buf = buf[n:]
		return s
	}
	c.start = mk()
	c.ystart, c.yend, c.ymin, c.ymax = mk(), mk(), mk(), mk()
	c.soldKindAsset, c.boughtKindAsset = buf[:nk*n:nk*n], buf[nk*n:]
	c.bonds = c.bonds[:0]
	for i := range w.Assets {
		p := w.Price[i]
		c.start[i] = p
		if w.Assets[i].Kind == core.Bond {
			c.bonds = append(c.bonds, i)
			y := 100 * w.Yield(i)
			c.ystart[i], c.yend[i], c.ymin[i], c.ymax[i] = y, y, y, y
		}
	}
	c.vixStart, c.vixPeak, c.vixPeakTick = math.NaN(), math.NaN(), -1
	c.corrPeak, c.corrPeakTick = math.NaN(), -1
	c.trigger = m.rec.triggerTick
	c.corrCalmTick = max(c.trigger-1, m.rec.W-1)
	k := len(m.rec.set)
	c.corrCalm, c.corrTop, c.corrCalmSet = make([]float64, k*k), make([]float64, k*k), false
	if c.trigger <= 0 {
		c.comp = m.Compression()
	}
	c.vulnAV = m.vulnAV // measured by Build on the starting books
	c.attr = newAttribution(m)
	ticks := m.Cfg.Ticks
	buf = make([]float64, (n+2)*ticks)
	c.rets, c.kept, c.devs = buf[:n*ticks], buf[n*ticks:(n+1)*ticks], buf[(n+1)*ticks:]
	c.trading = make([]bool, n*ticks)
	c.frames = 0
	// A holder defaults at most once: room for all of them, so that the
	// tick loop does not grow the list.
	c.defaults = make([]DefaultSummary, 0, len(w.Holders))
	// Each default's kind by a map made here, outside the tick loop: a
	// scan of the holders for each default took a tick in which 100,000
	// funds defaulted minutes.
	c.kindOf = make(map[string]string, len(w.Holders))
	for _, h := range w.Holders {
		c.kindOf[h.ID] = h.Kind.String()
	}
	c.brokers = make([]BrokerSummary, len(m.Brokers))
	for k := range c.brokers {
		nan := Num(math.NaN())
		c.brokers[k] = BrokerSummary{UtilStart: nan, UtilPeak: nan, UtilPeakTick: -1, FirstStressedTick: -1, HaircutMultiplePeak: nan}
	}
	c.funding, c.other = nil, nil
	if f := m.Cfg.Funding; f != (FundingSpec{}) {
		c.funding = &FundingSummary{RepoSpread: newPeak(), XCCYBasis: newTrough(), DealerUtil: newPeak(),
			FacilityCap: Num(1e4 * f.FacilityCap), FirstCappedTick: -1}
		c.other = make([]PeakSummary, w.NCur-1)
		for k := range c.other {
			c.other[k] = newPeak()
		}
	}
	c.beginBanks(m)
	c.beginInsurers(m)
	c.dealers = make([]DealerSummary, len(m.M.Dealers))
	for k := range c.dealers {
		c.dealers[k] = DealerSummary{UtilStart: nan, UtilPeak: nan, UtilPeakTick: -1, DepthStart: nan, DepthMin: nan, DepthMinTick: -1}
	}
	return nil
}

// observeFunding follows the funding rates, the sector's utilization and
// the facility, and each dealer's utilization and depth factor, as the
// frame reports them (nothing is computed for it but whether the facility
// capped the repo spread).
func (c *Collector) observeFunding(f *Frame) {
	first := c.frames == 0
	if s := c.funding; s != nil {
		s.RepoSpread.add(1e4*f.RepoSpread, f.Tick, first)
		for k := range c.other {
			c.other[k].add(1e4*f.Funding[k+1], f.Tick, first)
		}
		s.XCCYBasis.add(1e4*f.XCCYBasis, f.Tick, first)
		s.DealerUtil.add(f.DealerUtil, f.Tick, first)
		if f.Facility {
			s.FacilityTicks++
		}
		if f.RepoCapped() {
			if s.CappedTicks == 0 {
				s.FirstCappedTick = f.Tick
			}
			s.CappedTicks++
		}
	}
	for k, d := range f.Dealers() {
		s := &c.dealers[k]
		if first {
			s.UtilStart, s.DepthStart = Num(d.Util), Num(d.Depth)
		}
		if d.Util == d.Util && (s.UtilPeakTick < 0 || Num(d.Util) > s.UtilPeak) {
			s.UtilPeak, s.UtilPeakTick = Num(d.Util), f.Tick
		}
		if d.Depth == d.Depth && (s.DepthMinTick < 0 || Num(d.Depth) < s.DepthMin) {
			s.DepthMin, s.DepthMinTick = Num(d.Depth), f.Tick
		}
	}
}

// observeBrokers follows each prime broker's utilization, stress and
// haircuts (read from the broker: no books are peeked for it).
func (c *Collector) observeBrokers(tick int) {
	for k, b := range c.m.Brokers {
		s := &c.brokers[k]
		if u := Num(b.Util); u == u {
			if tick == 0 {
				s.UtilStart = u
			}
			if s.UtilPeak != s.UtilPeak || u > s.UtilPeak {
				s.UtilPeak, s.UtilPeakTick = u, tick
			}
		}
		if b.Stressed {
			if s.StressedTicks == 0 {
				s.FirstStressedTick = tick
			}
			s.StressedTicks++
		}
		if h := Num(b.HaircutMultiple()); h == h && (s.HaircutMultiplePeak != s.HaircutMultiplePeak || h > s.HaircutMultiplePeak) {
			s.HaircutMultiplePeak = h
		}
	}
}

// Observe implements Observer.
func (c *Collector) Observe(f *Frame) error {
	for _, i := range c.bonds {
		if y := 100 * f.Yield[i]; y == y {
			c.yend[i] = y
			if y < c.ymin[i] {
				c.ymin[i] = y
			}
			if y > c.ymax[i] {
				c.ymax[i] = y
			}
		}
	}
	// Few kinds sell few assets in a tick, for few reasons: only the
	// entries of the kinds (f.TradedKinds), reasons (f.TradedReasons) and
	// assets (f.Traded) that traded can be non-zero. Skipping the rest and
	// the zeros saves most of the additions and changes no bit of the sums
	// (see attrSums.addFlows); each sum gains at most one term a tick.
	n := c.n
	for ks := f.TradedKinds; ks != 0; ks &= ks - 1 {
		k := bits.TrailingZeros32(ks)
		row, sold := f.SoldKindAsset[k*n:k*n+n], c.soldKindAsset[k*n:k*n+n]
		brow, bought := f.BoughtKindAsset[k*n:k*n+n], c.boughtKindAsset[k*n:k*n+n]
		for _, i := range f.Traded {
			if v := row[i]; v != 0 {
				sold[i] += v
			}
			if v := brow[i]; v != 0 {
				bought[i] += v
			}
		}
		for rs := f.TradedReasons; rs != 0; rs &= rs - 1 {
			r := bits.TrailingZeros32(rs)
			if v := f.Sold[k][r]; v != 0 {
				c.sold[k][r] += v
			}
			if v := f.Bought[k][r]; v != 0 {
				c.bought[k][r] += v
			}
		}
	}
	if c.vixStart != c.vixStart {
		c.vixStart = f.VIX
	}
	c.vixEnd = f.VIX
	// A NaN proxy (no VIX asset) is no peak: the tick stays -1, as the
	// correlation's does, rather than the last tick's.
	if f.VIX == f.VIX && (c.vixPeak != c.vixPeak || f.VIX > c.vixPeak) {
		c.vixPeak, c.vixPeakTick = f.VIX, f.Tick
	}
	if f.MeanCorr == f.MeanCorr && c.m.rec.n >= c.m.rec.W {
		if c.trigger < 0 || f.Tick < c.trigger {
			c.baseSum += f.MeanCorr
			c.baseN++
		}
		if c.corrPeak != c.corrPeak || f.MeanCorr > c.corrPeak {
			c.corrPeak, c.corrPeakTick = f.MeanCorr, f.Tick
			c.m.rec.pairCorr(c.corrTop)
		}
	}
	if f.Tick == c.corrCalmTick {
		c.m.rec.pairCorr(c.corrCalm)
		c.corrCalmSet = true
	}
	c.calls += f.MarginCalls
	c.callUSD += f.MarginCallUSD
	for k := range f.Events {
		e := &f.Events[k]
		if e.Kind == core.EvDefault {
			c.defaults = append(c.defaults, DefaultSummary{Agent: e.Agent, Kind: c.kindOf[e.Agent], Tick: f.Tick})
		}
	}
	if f.Tick+1 == c.trigger {
		c.comp = c.m.Compression()
	}
	c.attr.observe(f) // also follows each price's last close and extremes
	c.observeBrokers(f.Tick)
	c.observeFunding(f)
	c.observeBanks(f)
	c.observeInsurers(f)
	k := c.frames * n
	copy(c.rets[k:k+n], f.Return)
	copy(c.trading[k:k+n], c.m.W.Trading)
	c.frames++
	return nil
}

// End implements Observer: it fills S.
func (c *Collector) End(m *Model) error {
	w := m.W
	s := &Summary{Schema: "cascade.summary/v1", Scenario: m.Cfg.Name, Seed: m.Seed, Start: m.Cfg.Start, Tick: FormatSpan(w.TickLen),
		Ticks: m.Cfg.Ticks, Currency: m.Cfg.AccountCurrency(), Assets: map[string]*AssetSummary{}, Amplification: Num(math.NaN()), PassiveMove: Num(math.NaN()),
		PassivePeakTick: -1, PassiveTroughTick: -1, PassiveSameWindow: Num(math.NaN()), AmplificationSameWindow: Num(math.NaN())}
	s.Agents = map[string]int{}
	s.OrdersRefused = w.Rejected - c.refused0
	for _, h := range w.Holders {
		if h.Kind != core.Outside {
			s.Agents[h.Kind.String()]++
		}
	}
	for i := range w.Assets {
		p := &c.attr.paths[i]
		a := &AssetSummary{Start: Num(c.start[i]), End: Num(p.last), Min: Num(p.low), Max: Num(p.peakP),
			MinTick: p.lowT, MaxTick: p.maxT, MaxDrawdownPct: Num(100 * p.best), MaxRisePct: Num(100 * p.bestUp)}
		if w.Assets[i].Kind == core.Bond {
			a.Yield = &YieldSummary{Start: Num(c.ystart[i]), End: Num(c.yend[i]), Min: Num(c.ymin[i]), Max: Num(c.ymax[i])}
		}
		a.Returns = c.returnStats(i, int(math.Round(w.PerDay)))
		s.Assets[w.Assets[i].ID] = a
	}
	for _, i := range m.rec.set {
		s.Correlation.Assets = append(s.Correlation.Assets, w.Assets[i].ID)
	}
	s.Correlation.WindowTicks = m.rec.W
	s.Correlation.BaselineMean = Num(math.NaN())
	if c.baseN > 0 {
		s.Correlation.BaselineMean = Num(c.baseSum / float64(c.baseN))
	}
	s.Correlation.PeakMean, s.Correlation.PeakTick = Num(c.corrPeak), c.corrPeakTick
	s.Correlation.CalmTick = c.corrCalmTick
	k := len(m.rec.set)
	if c.corrCalmSet {
		s.Correlation.CalmMatrix = numMatrix(c.corrCalm, k)
	}
	if c.corrPeakTick >= 0 {
		s.Correlation.PeakMatrix = numMatrix(c.corrTop, k)
	}
	s.VIX = VIXSummary{Start: Num(c.vixStart), Peak: Num(c.vixPeak), PeakTick: c.vixPeakTick, End: Num(c.vixEnd)}
	s.ForcedSales = flowSummary(w, &c.sold, c.soldKindAsset)
	s.Bought = flowSummary(w, &c.bought, c.boughtKindAsset)
	s.MarginCalls.Count, s.MarginCalls.TotalUSD = c.calls, Num(c.callUSD)
	if len(m.Brokers) > 0 {
		s.Brokers = make(map[string]*BrokerSummary, len(m.Brokers))
		for k, b := range m.Brokers {
			s.Brokers[b.ID()] = &c.brokers[k]
		}
	}
	if c.funding != nil {
		s.Funding = c.funding
		for k := range c.other {
			if s.Funding.OtherSpread == nil {
				s.Funding.OtherSpread = map[string]*PeakSummary{}
			}
			s.Funding.OtherSpread[w.Currencies[k+1]] = &c.other[k]
		}
	}
	if ids := m.DealerIDs(); len(ids) > 0 {
		s.Dealers = make(map[string]*DealerSummary, len(ids))
		for k, id := range ids {
			s.Dealers[id] = &c.dealers[k]
		}
	}
	s.Insurers = c.endInsurers()
	s.Defaults = c.defaults
	if s.Defaults == nil {
		s.Defaults = []DefaultSummary{}
	}
	s.Capital = capitalSummary(w)
	c.nameBanks(&s.Capital)
	s.Banks, s.BanksBelowMin, s.BanksLeftOut = c.endBanks(m)
	s.UnwoundPct = map[string]Num{}
	for k, v := range m.Unwound() {
		s.UnwoundPct[core.TradeKind(k).String()] = Num(100 * v)
	}
	if longs, held := m.UnwoundLongs(); slices.Contains(held[:], true) {
		s.UnwoundLongPct = map[string]Num{}
		for k, v := range longs {
			if held[k] {
				s.UnwoundLongPct[core.AssetKind(k).String()] = Num(100 * v)
			}
		}
	}
	s.HeadlineMove = Num(math.NaN())
	if h := m.rec.headline; h >= 0 {
		s.Headline = w.Assets[h].ID
		s.HeadlineMove = Num(100 * c.attr.drawdown(h))
	}
	s.Compression = c.comp
	s.CompressionIndex = c.comp.Index
	s.VulnerabilityAV = Num(c.vulnAV)
	s.Attribution, s.AttributionRise = c.attr.summarize()
	if m.follow != nil {
		s.Follow = m.follow.summary()
	}
	c.S = s
	return nil
}

// numMatrix returns the k×k row-major matrix v as rows of Nums.
func numMatrix(v []float64, k int) [][]Num {
	out := make([][]Num, k)
	for i := range out {
		out[i] = make([]Num, k)
		for j := range out[i] {
			out[i][j] = Num(v[i*k+j])
		}
	}
	return out
}

// returnStats computes asset i's ReturnStats from the returns of the
// frames in which its market traded, opening frames left out (the start is
// no opening).
func (c *Collector) returnStats(i, lags int) ReturnStats {
	n, kept, open := c.n, c.kept[:0], true
	rets, trading := c.rets[:c.frames*n], c.trading[:c.frames*n]
	for j := i; j < len(rets); j += n {
		if trading[j] && open {
			kept = append(kept, rets[j])
		}
		open = trading[j]
	}
	return returnStats(kept, c.devs, lags)
}

// RunSummary builds and runs cfg with the given run seed and returns its
// summary; with amplification it also runs the passive twin (every agent
// passive, same seed) and fills Amplification and the twin's fields.
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
		tw, err := PassiveTwin(ctx, cfg, seed)
		if err != nil {
			return nil, err
		}
		c.S.SetTwin(tw)
	}
	return c.S, nil
}

// SetPassive records the passive twin's headline move and the
// amplification (and none of the twin's window: SetTwin records it too).
func (s *Summary) SetPassive(passive float64) {
	s.PassiveMove = Num(passive)
	s.Amplification = Num(Amplify(float64(s.HeadlineMove), passive))
}

// SetTwin records the passive twin: its headline move and window, the
// amplification, and the twin's fall over the run's own window of the
// headline's largest fall with the amplification over that window.
func (s *Summary) SetTwin(tw *Twin) {
	s.SetPassive(tw.Move)
	s.PassivePeakTick, s.PassiveTroughTick = tw.PeakTick, tw.TroughTick
	s.PassiveSameWindow, s.AmplificationSameWindow = Num(math.NaN()), Num(math.NaN())
	if a := s.Attribution[s.Headline]; a != nil {
		f := tw.Fall(a.PeakTick, a.TroughTick)
		s.PassiveSameWindow = Num(f)
		s.AmplificationSameWindow = Num(Amplify(float64(s.HeadlineMove), f))
	}
}

// Twin is the passive twin's headline asset: its largest peak-to-trough
// fall and the path of its closes.
type Twin struct {
	// Move is the largest fall, percent of its peak, from PeakTick to
	// TroughTick (frame ticks, −1 for the start price; both −1 without a
	// fall).
	Move                 float64
	PeakTick, TroughTick int
	closes               []float64 // [0] the start price, [k+1] frame tick k's close
}

// Fall returns the twin's fall from the close of frame tick from to that
// of frame tick to (−1: the start price), percent of the first: negative
// when it rose, NaN when a tick is outside the run.
func (tw *Twin) Fall(from, to int) float64 {
	if from < -1 || to < -1 || from+1 >= len(tw.closes) || to+1 >= len(tw.closes) {
		return math.NaN()
	}
	return 100 * (1 - tw.closes[to+1]/tw.closes[from+1])
}

// PassiveMove runs the passive twin of cfg (PassiveTwin) and returns its
// headline asset's peak-to-trough fall, percent.
func PassiveMove(ctx context.Context, cfg *Config, seed uint64) (float64, error) {
	tw, err := PassiveTwin(ctx, cfg, seed)
	if err != nil {
		return 0, err
	}
	return tw.Move, nil
}

// PassiveTwin runs cfg from the same starting balance sheets with every
// agent passive and every feedback channel off, valuation links as cfg
// has them (the exogenous path: same noise, same events, each market's
// news carried to the markets it drives), and returns the headline asset's
// largest peak-to-trough fall with its window, and its closes.
//
// A passive agent never trades, so nothing in the agent population can
// move a price in the twin. The twin is therefore built
// without it (markets, dealers, prime brokers, events and noise only),
// which halves the cost of a sweep's twin; a scenario whose events name an
// agent of the population (a scripted default) keeps it.
// TestPassiveTwinLean checks that both builds give the same move, bit for
// bit, on every built-in scenario.
func PassiveTwin(ctx context.Context, cfg *Config, seed uint64) (*Twin, error) {
	return passiveTwin(ctx, leanTwin(cfg), seed)
}

// leanTwin returns cfg without its agent population when no event needs
// it (an event switched off needs nothing): a shallow copy that shares
// everything else with cfg.
func leanTwin(cfg *Config) *Config {
	for k := range cfg.Events {
		if cfg.Events[k].Agent != "" && !cfg.Events[k].Off {
			return cfg
		}
	}
	lean := *cfg
	lean.Agents = nil
	return &lean
}

func passiveMove(ctx context.Context, cfg *Config, seed uint64) (float64, error) {
	tw, err := passiveTwin(ctx, cfg, seed)
	if err != nil {
		return 0, err
	}
	return tw.Move, nil
}

func passiveTwin(ctx context.Context, cfg *Config, seed uint64) (*Twin, error) {
	if len(cfg.Report.Follow) > 0 { // nobody to follow in the twin (its agents may be left out)
		c := *cfg
		c.Report.Follow = nil
		cfg = &c
	}
	m, err := Build(cfg, seed)
	if err != nil {
		return nil, err
	}
	m.SetChannels(twinChannels(m.W.Channels))
	c := NewCollector()
	cl := &closes{}
	if err := m.Run(ctx, c, cl); err != nil {
		return nil, err
	}
	tw := &Twin{Move: float64(c.S.HeadlineMove), PeakTick: -1, TroughTick: -1, closes: cl.p}
	if a := c.S.Attribution[c.S.Headline]; a != nil {
		tw.PeakTick, tw.TroughTick = a.PeakTick, a.TroughTick
	}
	return tw, nil
}

// closes is an Observer that keeps the headline asset's closes: the start
// price, then each frame's (none without a headline asset).
type closes struct {
	i int
	p []float64
}

func (o *closes) Begin(m *Model) error {
	o.i = m.rec.headline
	if o.i >= 0 {
		o.p = make([]float64, 1, m.Cfg.Ticks+1)
		o.p[0] = m.W.Price[o.i]
	}
	return nil
}

func (o *closes) Observe(f *Frame) error {
	if o.i >= 0 && len(o.p) < cap(o.p) {
		o.p = append(o.p, f.Price[o.i])
	}
	return nil
}

func (o *closes) End(*Model) error { return nil }

// twinChannels returns the switches of the passive twin of a run with
// switches run: every agent passive and every feedback channel off, but
// valuation links as in the run. Links are how one market's news reaches
// another's fundamentals (a stronger yen lowers exporters' value); in the
// twin they carry only the scripted news, so what they carry there is part
// of the exogenous move, and what they carry of the agents' selling stays
// in the run's move, as amplification.
func twinChannels(run core.Channels) core.Channels {
	c := core.AllOff()
	c.ValuationLinks = run.ValuationLinks
	return c
}

// TwinFields are the summary's fields that only the passive twin fills
// (JSON names): a sweep that collects one of them runs each run's twin.
var TwinFields = []string{"amplification", "passive_move_pct", "passive_peak_tick", "passive_trough_tick",
	"passive_same_window_move_pct", "amplification_same_window"}

// Amplify returns move over passive move (NaN when the passive move is 0).
func Amplify(move, passive float64) float64 {
	if passive <= 0 {
		return math.NaN()
	}
	return move / passive
}

// FormatSpan writes a span the way scenario files do: 1h, 15m, 1d, 1h30m.
func FormatSpan(d time.Duration) string {
	if d <= 0 {
		return d.String()
	}
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	h, m := d/time.Hour, (d%time.Hour)/time.Minute
	if d%time.Minute != 0 {
		return d.String() // seconds: no shorter form than Go's
	}
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%dm", h, m)
}
