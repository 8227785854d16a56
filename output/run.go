package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/bits"
	"time"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// Meta describes a run for whoever reads its outputs later: the manifest
// carries it, and `cascade plot` re-renders plots from it and the tables.
type Meta struct {
	Scenario    string      `json:"scenario"`
	Seed        uint64      `json:"seed"`
	Start       time.Time   `json:"start"`
	Tick        string      `json:"tick"`
	Ticks       int         `json:"ticks"`
	Assets      []AssetMeta `json:"assets"`
	Kinds       []string    `json:"kinds"`       // agent kinds present (not the outside sector)
	Reasons     []string    `json:"reasons"`     // reasons with columns in the time series
	Correlation []string    `json:"correlation"` // the report set of the rolling correlation
	Window      int         `json:"correlation_window"`
	Horizon     int         `json:"correlation_horizon,omitempty"` // ticks of each return (0 or 1: one tick)
	Trigger     int         `json:"trigger_tick"`
	Events      []Mark      `json:"scenario_events"`
	Currency    string      `json:"currency,omitempty"` // the account currency's label (report.currency)
	Brokers     []string    `json:"brokers,omitempty"`  // prime brokers' ids, in the order of their columns
	Dealers     []string    `json:"dealers,omitempty"`  // dealers' ids, in the order of their columns

	// Rows is report.correlation_rows: every_tick or trading ("" in
	// manifests written before it was recorded: every_tick).
	Rows string `json:"correlation_rows,omitempty"`
	// Headline is the headline asset (report.headline; "" without one).
	Headline string `json:"headline,omitempty"`
	// VIX is the VIX proxy's settings (nil without a VIX proxy, or in
	// manifests written before they were recorded).
	VIX *sim.VIXSettings `json:"vix,omitempty"`
}

// AssetMeta is one asset as the outputs name it.
type AssetMeta struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Group    string `json:"group"`
	Currency string `json:"currency"`
}

// Mark is a dated scenario event, drawn as a marker on time plots.
type Mark struct {
	Tick  int       `json:"tick"`
	Time  time.Time `json:"time"`
	Label string    `json:"label"`
}

// EventRow is one line of events.jsonl.
type EventRow struct {
	Tick   int       `json:"tick"`
	Time   time.Time `json:"time"`
	Round  int       `json:"round"`
	Kind   string    `json:"kind"`
	Agent  string    `json:"agent,omitempty"`
	Other  string    `json:"other,omitempty"`
	Amount float64   `json:"amount_usd,omitempty"`
	Reason string    `json:"reason,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// Recorder is a sim.Observer that keeps a run's per-tick series, its
// per-agent detail (optional) and its event log in memory.
type Recorder struct {
	AgentDetail bool

	meta  Meta
	names []string
	cols  [][]float64
	// The flows by kind × asset (sim.Model.FlowPairs), the last columns:
	// flows is their number, and col, per kind k and asset i at k*n+i, the
	// index of the pair's sold column (its bought column follows), or -1.
	// Their columns are made a value a tick long, zero, and Observe sets
	// the entries of the pairs that traded: few do in a tick.
	flows  int
	col    []int32
	n      int
	ticks  []int64
	times  []time.Time
	events []loggedEvent
	kinds  []core.AgentKind
	ins    []*agents.Insurer // the world's insurers, in the order of their columns
	detail struct {
		tick    []int64
		time    []time.Time
		agent   []string
		kind    []string
		vals    [10][]float64
		expo    []float64
		holder  []*core.Holder
		bank    []*agents.Bank    // per holder, the bank it is (nil: not a bank)
		insurer []*agents.Insurer // per holder, the insurer it is (nil: not an insurer)
	}
	w *core.World
}

// eventsPerTick is the room the Recorder makes for events, per tick of the
// horizon. The number of events has no bound; the built-in scenarios log at
// most 1.7 a tick (boj2026-125-hawkish-nofacility-full: 743 in 456 ticks at
// its seed, at most 738 at seeds 1 to 12). A run that logs more grows the
// log in the tick loop, an allocation for each growth.
const eventsPerTick = 2

// loggedEvent is an event as the Recorder keeps it during the run: as the
// engine logged it, its detail still unformatted (core.Note), so that
// keeping it allocates nothing. Events formats it.
type loggedEvent struct {
	core.Event
	time time.Time
}

// NewRecorder returns a Recorder; with agentDetail it also keeps one row
// per agent per tick.
func NewRecorder(agentDetail bool) *Recorder { return &Recorder{AgentDetail: agentDetail} }

// Meta returns the run's description (complete after End).
func (r *Recorder) Meta() Meta { return r.meta }

// Begin implements sim.Observer.
func (r *Recorder) Begin(m *sim.Model) error {
	w := m.W
	r.w = w
	ms := m.Measures()
	r.meta = Meta{Scenario: m.Cfg.Name, Seed: m.Seed, Start: m.Cfg.Start, Tick: sim.FormatSpan(w.TickLen), Ticks: m.Cfg.Ticks,
		Correlation: ms.Correlation, Window: ms.Window, Horizon: ms.Horizon, Rows: ms.Rows, Trigger: ms.Trigger,
		Headline: ms.Headline, VIX: ms.VIX, Currency: m.Cfg.AccountCurrency()}
	for i := range w.Assets {
		a := &w.Assets[i]
		r.meta.Assets = append(r.meta.Assets, AssetMeta{ID: a.ID, Kind: a.Kind.String(), Group: a.Group, Currency: w.Currencies[a.Currency]})
	}
	for _, b := range m.Brokers {
		r.meta.Brokers = append(r.meta.Brokers, b.ID())
	}
	r.meta.Dealers = m.DealerIDs()
	if len(r.meta.Dealers) == 0 {
		r.meta.Dealers = nil
	}
	r.kinds = sim.SeriesKinds(w)
	r.ins = m.Insurers()
	for _, k := range r.kinds {
		r.meta.Kinds = append(r.meta.Kinds, k.String())
	}
	for k := core.Reason(0); k < core.NumReasons; k++ {
		r.meta.Reasons = append(r.meta.Reasons, k.String())
	}
	// The columns, tick and time first (Timeseries), then one a value of
	// the frame in the order Observe puts them; validation refuses a
	// scenario whose asset ids make a name twice, so that a run which
	// could not be written is not started.
	cols := sim.SeriesColumns(m)
	if i, j, dup := sim.DuplicateSeriesColumn(cols); dup {
		return fmt.Errorf("output: duplicate time-series column %q (%s, and %s)", cols[j].Name, cols[i].Of, cols[j].Of)
	}
	r.names = make([]string, 0, len(cols)-2)
	for _, c := range cols[2:] {
		r.names = append(r.names, c.Name)
	}
	pairs := m.FlowPairs()
	r.flows, r.n = 2*len(pairs), len(w.Assets)
	r.col = make([]int32, int(core.NumAgentKinds)*r.n)
	for j := range r.col {
		r.col[j] = -1
	}
	first := len(r.names) - r.flows
	for k, p := range pairs {
		r.col[int(p.Kind)*r.n+p.Asset] = int32(first + 2*k)
	}
	// Every series has one value a tick, and the agent detail one row per
	// agent a tick: sized from the horizon, they never grow in the tick loop.
	ticks := m.Cfg.Ticks
	r.ticks, r.times = make([]int64, 0, ticks), make([]time.Time, 0, ticks)
	r.cols = make([][]float64, len(r.names))
	for i := range r.cols[:first] {
		r.cols[i] = make([]float64, 0, ticks)
	}
	buf := make([]float64, r.flows*ticks)
	for i := range r.cols[first:] {
		r.cols[first+i] = buf[i*ticks : (i+1)*ticks : (i+1)*ticks]
	}
	r.events = make([]loggedEvent, 0, eventsPerTick*ticks)
	if r.AgentDetail {
		d := &r.detail
		for _, h := range w.Holders {
			if h.Kind != core.Outside {
				d.holder = append(d.holder, h)
			}
		}
		banks := map[*core.Holder]*agents.Bank{}
		insurers := map[*core.Holder]*agents.Insurer{}
		for _, a := range m.Agents {
			switch a := a.(type) {
			case *agents.Bank:
				banks[a.Holder()] = a
			case *agents.Insurer:
				insurers[a.Holder()] = a
			}
		}
		for _, h := range d.holder {
			d.bank = append(d.bank, banks[h])
			d.insurer = append(d.insurer, insurers[h])
		}
		d.expo = make([]float64, len(w.Assets))
		rows := ticks * len(d.holder)
		d.tick, d.time = make([]int64, 0, rows), make([]time.Time, 0, rows)
		d.agent, d.kind = make([]string, 0, rows), make([]string, 0, rows)
		for j := range d.vals {
			d.vals[j] = make([]float64, 0, rows)
		}
	}
	return nil
}

// Observe implements sim.Observer.
func (r *Recorder) Observe(f *sim.Frame) error {
	w := r.w
	r.ticks = append(r.ticks, int64(f.Tick))
	r.times = append(r.times, f.Time)
	c := 0
	put := func(v float64) {
		r.cols[c] = append(r.cols[c], v)
		c++
	}
	for i := range w.Assets {
		put(f.Price[i])
		switch w.Assets[i].Kind {
		case core.Bond:
			put(100 * f.Yield[i])
		case core.Future:
			put(f.FuturesBasis(i))
		}
		put(f.Return[i])
		put(f.Exo[i])
		put(f.Impact[i])
		put(f.SoldAsset[i])
	}
	put(f.VIX)
	put(f.MeanCorr)
	put(1e4 * f.RepoSpread)
	put(1e4 * f.XCCYBasis)
	for cur := 1; cur < w.NCur; cur++ {
		put(1e4 * f.Funding[cur])
	}
	for cur := 0; cur < w.NCur; cur++ {
		put(1e4 * w.Policy[cur])
		put(1e4 * w.Expected[cur])
	}
	facility := 0.0
	if f.Facility {
		facility = 1
	}
	u := f.Model.Unwound()
	for _, v := range []float64{f.DealerUtil, f.Depth, facility, float64(f.Rounds), float64(f.MarginCalls), f.MarginCallUSD, float64(f.Defaults),
		100 * u[core.CarryTrade], 100 * u[core.BasisTrade], 100 * u[core.EquityTrade]} {
		put(v)
	}
	ks := f.Kinds()
	for _, k := range r.kinds {
		s := &ks[k]
		sold := 0.0
		for _, v := range f.Sold[k] {
			sold += v
		}
		for _, v := range []float64{s.Equity, s.Gross, s.Leverage(), s.MarginReq, s.MarginPosted, sold} {
			put(v)
		}
	}
	for reason := core.Reason(0); reason < core.NumReasons; reason++ {
		v := 0.0
		for k := core.AgentKind(1); k < core.NumAgentKinds; k++ {
			v += f.Sold[k][reason]
		}
		put(v)
	}
	for _, b := range f.Brokers() {
		stressed := 0.0
		if b.Stressed {
			stressed = 1
		}
		for _, v := range []float64{b.Util, stressed, b.HaircutMultiple, b.MarginReq, b.MarginCall, b.Equity} {
			put(v)
		}
	}
	for _, d := range f.Dealers() {
		put(d.Util)
		put(d.Depth)
	}
	for _, n := range r.ins {
		trig := 0.0
		if n.Triggered {
			trig = 1
		}
		ph, pu := n.PickupsAt(w, f.Yield)
		for _, v := range []float64{n.HedgeRatio(w), n.HedgeNotional(), 1e4 * n.HedgeCost(w), 1e4 * ph, 1e4 * pu, trig} {
			put(v)
		}
	}
	if err := r.observeFlows(f, len(r.ticks)-1); err != nil {
		return err
	}
	for k := range f.Events {
		r.events = append(r.events, loggedEvent{Event: f.Events[k], time: f.Time})
	}
	if r.AgentDetail {
		d := &r.detail
		books := f.Books()
		for k, h := range d.holder {
			d.tick = append(d.tick, int64(f.Tick))
			d.time = append(d.time, f.Time)
			d.agent = append(d.agent, h.ID)
			d.kind = append(d.kind, h.Kind.String())
			gross, req, posted, calls := 0.0, 0.0, 0.0, 0.0
			for a := range h.Accounts {
				acc := &h.Accounts[a]
				w.Exposure(acc, d.expo)
				for _, v := range d.expo {
					gross += math.Abs(v)
				}
				if acc.Lender != core.Custody && !acc.Seized {
					req += acc.Req
					posted += w.AccountValue(h, acc) // acc.Posted is as of the broker's last mark
					calls += acc.Call
				}
			}
			eq, cash := books.Book[h.Index], books.CashUSD[h.Index]
			lev := math.NaN()
			if eq > 0 {
				lev = gross / eq
			}
			def := 0.0
			if h.Defaulted {
				def = 1
			}
			// A bank's leverage ratio as its thresholds read it: equity
			// over assets, cash included (leverage leaves the cash out).
			ratio := math.NaN()
			if b := d.bank[k]; b != nil {
				if a := b.Assets(w); a > 0 {
					ratio = eq / a
				}
			}
			// An insurer's hedge ratio: its hedge notional over its
			// foreign bonds' value.
			hedge := math.NaN()
			if n := d.insurer[k]; n != nil {
				hedge = n.HedgeRatio(w)
			}
			for j, v := range []float64{eq, gross, lev, req, posted, calls, cash, def, ratio, hedge} {
				d.vals[j] = append(d.vals[j], v)
			}
		}
	}
	return nil
}

// observeFlows puts the sales and purchases of the kinds and assets that
// traded in the tick into row of their columns; the rest stay zero. The
// outside sector's orders, the scripted interventions, have no columns. A
// flow of a pair without columns is an error: an agent ordered an asset
// its agents.Orderer does not list.
func (r *Recorder) observeFlows(f *sim.Frame, row int) error {
	n := r.n
	for ks := f.TradedKinds &^ (1 << core.Outside); ks != 0; ks &= ks - 1 {
		k := bits.TrailingZeros32(ks)
		sold, bought, col := f.SoldKindAsset[k*n:k*n+n], f.BoughtKindAsset[k*n:k*n+n], r.col[k*n:k*n+n]
		for _, i := range f.Traded {
			s, b := sold[i], bought[i]
			if c := col[i]; c >= 0 {
				r.cols[c][row], r.cols[c+1][row] = s, b
			} else if s != 0 || b != 0 {
				return fmt.Errorf("%s traded %s, which none of its agents lists as an asset it orders (agents.Orderer): the time series has no column for it",
					core.AgentKind(k), r.w.Assets[i].ID)
			}
		}
	}
	return nil
}

// End implements sim.Observer: it marks the scenario's events for plots.
func (r *Recorder) End(*sim.Model) error {
	for k := range r.events {
		if e := &r.events[k]; e.Kind == core.EvScenario {
			r.meta.Events = append(r.meta.Events, Mark{Tick: e.Tick, Time: e.time, Label: e.Text()})
		}
	}
	return nil
}

// Timeseries returns the per-tick table (time series of every recorded quantity).
func (r *Recorder) Timeseries() *Table {
	t := &Table{}
	t.Add(IntCol("tick", r.ticks))
	t.Add(TimeCol("time", r.times))
	for i, n := range r.names {
		t.Add(FloatCol(n, r.cols[i][:len(r.ticks)]))
	}
	return t
}

// Detail returns the per-agent table, or nil without agent detail.
func (r *Recorder) Detail() *Table {
	if !r.AgentDetail {
		return nil
	}
	d := &r.detail
	t := &Table{}
	t.Add(IntCol("tick", d.tick))
	t.Add(TimeCol("time", d.time))
	t.Add(StringCol("agent", d.agent))
	t.Add(StringCol("kind", d.kind))
	for j, n := range []string{"equity", "gross", "leverage", "margin_req", "margin_posted", "margin_call", "cash_usd", "defaulted", "ratio", "hedge_ratio"} {
		t.Add(FloatCol(n, d.vals[j]))
	}
	return t
}

// Events returns the event log, one row per event (made at each call).
// An event's tick is its frame's: the engine logs events with the tick
// being run.
func (r *Recorder) Events() []EventRow {
	rows := make([]EventRow, len(r.events))
	for k := range r.events {
		e := &r.events[k]
		rows[k] = EventRow{Tick: e.Tick, Time: e.time, Round: e.Round, Kind: e.Kind.String(), Agent: e.Agent, Other: e.Other, Amount: e.Amount, Detail: e.Text()}
		if e.Reason != core.Discretionary || e.Kind == core.EvTradeExit {
			rows[k].Reason = e.Reason.String()
		}
	}
	return rows
}

// WriteEvents writes events as JSON lines.
func WriteEvents(w io.Writer, events []EventRow) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for i := range events {
		if err := enc.Encode(&events[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteJSON writes v as indented JSON with a final newline.
func WriteJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// WriteTable writes a table as name.csv and name.parquet into the stage.
func WriteTable(s *Stage, name string, t *Table) error {
	if err := t.Validate(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := s.WriteFile(name+".csv", func(w io.Writer) error { return WriteCSV(w, t) }); err != nil {
		return err
	}
	return s.WriteFile(name+".parquet", func(w io.Writer) error { return WriteParquet(w, t) })
}
