package sim

import (
	"fmt"
	"math"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/market"
)

// recorder fills the Frame of each tick: close-to-close returns, the rolling
// correlation of the report set, the VIX proxy, flows and counts.
type recorder struct {
	f     Frame
	obs   []Observer
	close []float64 // previous close
	bonds []int     // the assets with a yield (the others' stays NaN)

	// Rolling correlation of the report set, over H-tick returns. Which
	// ticks are rows is report.correlation_rows: every tick (the default),
	// or, when trading is set, the ticks at which a market's return counts
	// (corrTrading).
	set      []int
	W, n     int       // n: rows in the window (every tick), or rows of returns recorded (trading), up to W
	H        int       // return horizon, ticks
	hist     []float64 // H+1 closes per set asset (ring), for H-tick returns
	hpos, hn int
	hret     []float64
	trading  bool

	// every_tick: one window of the last W ticks for every pair, as
	// running sums over a ring of returns, rebuilt every W ticks against
	// drift.
	head      int
	ring      []float64 // W × len(set)
	sx, sxx   []float64
	sxy       []float64 // upper triangle, pair p = (a, b) with a < b
	corrVar   []float64 // scratch: n × each set asset's variance
	corrEvery int
	// Whether an asset's returns vary within the window is decided exactly,
	// not from the running sums, whose rounding residue has either sign
	// once a closed market's zeros fill the window: rows counts the rows
	// ever added, and changed[a] is the last row whose return for a differed
	// from the row before.
	rows    int
	changed []int
	prevRet []float64

	// trading: a row of H-tick returns counts for an asset when its market
	// traded in the span and has been shut, up to the row's tick, no
	// longer than its ordinary daily closure (limit); each pair keeps its
	// own window of the last W rows in which both its assets count, as
	// running sums rebuilt every W of its rows against drift.
	cal    *calendar
	limit  []int // per set asset: the most consecutive shut ticks with which a return counts (-1: a 24/7 market, always counts)
	shut   []int // per set asset: consecutive shut ticks up to the last tick
	counts []bool
	pairs  []corrPair
	pring  []float64 // per pair, W rows of its two returns
	varied []bool    // scratch for pairCorr

	vix         int // asset index of the VIX proxy (-1: none)
	vixW        int
	vixRing     []float64
	vixHead     int
	vixN        int
	vixSum      float64
	vixPrem     float64
	vixStress   float64
	vixFillVar  float64 // the run's noise variance of one trading tick: fills the unobserved part of the window
	vixNewsVar  float64 // expected news variance of one trading tick
	vixScale    float64 // noise.scale: warm-up returns (at calm volatility) are scaled to the run's noise
	vixYear     float64 // trading ticks of the VIX asset a year
	vixBase     float64 // the realized part at the last trading tick
	uStar       float64
	defaults    int
	headline    int
	triggerTick int

	// dense, when set (by tests), lists every asset and turns the
	// recorder's shortcuts off: every yield is computed afresh, and frames
	// report every asset, kind and reason as traded, so that observers
	// read the per-tick flow arrays in full rather than skipping by the
	// market's lists.
	dense []int
}

func (r *recorder) init(m *Model) error {
	w := m.W
	rep := &m.Cfg.Report
	n := len(w.Assets)
	f := &r.f
	f.Model = m
	f.Price = w.Price
	f.brokers = make([]BrokerStats, len(m.Brokers))
	for k, b := range m.Brokers {
		f.brokers[k].ID = b.ID()
	}
	f.dealers = make([]DealerStats, 0, len(m.M.Dealers))
	for _, id := range m.DealerIDs() {
		f.dealers = append(f.dealers, DealerStats{ID: id})
	}
	f.Yield = make([]float64, n)
	for i := range w.Assets {
		if w.Assets[i].Kind == core.Bond {
			r.bonds = append(r.bonds, i)
		} else {
			f.Yield[i] = math.NaN()
		}
	}
	f.Return = make([]float64, n)
	f.Exo = make([]float64, n)
	f.expo = make([]float64, n)
	r.close = make([]float64, n)
	copy(r.close, w.Price)
	if len(rep.CorrelationAssets) == 0 {
		for i := range w.Assets {
			if w.Assets[i].Tradable() && w.Assets[i].Vol > 0 {
				r.set = append(r.set, i)
			}
		}
	} else {
		for _, id := range rep.CorrelationAssets {
			i, err := m.env.Asset(id)
			if err != nil {
				return fmt.Errorf("report.correlation_assets: %w", err)
			}
			r.set = append(r.set, i)
		}
	}
	r.W = rep.CorrelationWindow
	if r.W == 0 {
		r.W = 48
	}
	if r.W < 3 {
		return fmt.Errorf("report.correlation_window must be at least 3 ticks")
	}
	r.H = rep.CorrelationHorizon
	if r.H == 0 {
		r.H = 1
	}
	if r.H < 0 || (r.H > 1 && r.H >= m.Cfg.Ticks) {
		return fmt.Errorf("report.correlation_horizon must be between 1 and the horizon")
	}
	k := len(r.set)
	r.hist = make([]float64, (r.H+1)*k)
	r.hret = make([]float64, k)
	for a, i := range r.set {
		r.hist[a] = w.Price[i]
	}
	r.hn = 1
	if err := CheckCorrelationRows(rep.CorrelationRows); err != nil {
		return fmt.Errorf("report.correlation_rows: %w", err)
	}
	r.trading = rep.CorrelationRows == "trading"
	if r.trading {
		r.cal = m.cal
		r.limit, r.shut, r.counts, r.varied = make([]int, k), make([]int, k), make([]bool, k), make([]bool, k)
		for a, i := range r.set {
			r.limit[a] = shutLimit(m.cal, i, r.H, w.PerDay)
		}
		r.pairs = make([]corrPair, 0, k*(k-1)/2)
		for a := 0; a < k; a++ {
			for b := a + 1; b < k; b++ {
				r.pairs = append(r.pairs, corrPair{a: a, b: b, c: math.NaN()})
			}
		}
		r.pring = make([]float64, 2*r.W*len(r.pairs))
	} else {
		r.ring = make([]float64, r.W*k)
		r.sx, r.sxx = make([]float64, k), make([]float64, k)
		r.sxy = make([]float64, k*(k-1)/2)
		r.corrVar = make([]float64, k)
		r.changed, r.prevRet = make([]int, k), make([]float64, k)
	}

	r.vix = -1
	if rep.VIXAsset != "" {
		i, err := m.env.Asset(rep.VIXAsset)
		if err != nil {
			return fmt.Errorf("report.vix_asset: %w", err)
		}
		r.vix = i
	} else if i, err := m.env.Asset("SPX"); err == nil {
		r.vix = i
	} else {
		r.vix = firstOfKind(w, core.Equity)
	}
	r.vixW = rep.VIXWindow
	if r.vixW == 0 {
		r.vixW = 24
	}
	r.vixRing = make([]float64, r.vixW)
	r.vixPrem = rep.VIXPremium
	if r.vixPrem == 0 {
		r.vixPrem = 1.2
	}
	r.vixStress = rep.VIXStress
	r.uStar = m.Cfg.Funding.UStar
	if r.vix >= 0 {
		// Realized volatility over the asset's own trading ticks (a closed
		// market's flat hours say nothing; its overnight news arrives in
		// the opening tick), annualized by its trading ticks a year.
		r.vixYear = w.PerYear * m.cal.openShare(r.vix)
		v := w.Assets[r.vix].Vol / math.Sqrt(r.vixYear)
		calmVar := v * v // calm variance of one trading tick
		r.vixScale = 1
		if sc := m.Cfg.Noise.Scale; sc > 0 {
			r.vixScale = sc
		}
		r.vixFillVar = float64(float64(r.vixScale*r.vixScale) * calmVar)
		news := vixNews(r.vixScale, rep)
		r.vixNewsVar = float64(news * calmVar)
		r.vixBase = float64(100*r.vixPrem*w.Assets[r.vix].Vol) * math.Sqrt(float64(r.vixScale*r.vixScale)+news)
	}
	r.headline = -1
	if rep.Headline != "" {
		i, err := m.env.Asset(rep.Headline)
		if err != nil {
			return fmt.Errorf("report.headline: %w", err)
		}
		r.headline = i
	} else {
		r.headline = firstOfKind(w, core.Equity)
	}
	r.triggerTick = -1 // in frame ticks (from the scenario's start)
	if rep.Trigger != nil {
		r.triggerTick = *rep.Trigger
	} else if len(m.events) > 0 {
		r.triggerTick = m.events[0].tick
	}
	f.Sold, f.Bought = &m.M.Sold, &m.M.Bought
	f.SoldAsset = m.M.SoldAsset
	f.SoldKindAsset, f.BoughtKindAsset = m.M.SoldKindAsset, m.M.BoughtKindAsset
	f.AttrKind, f.AttrReason = m.M.AttrKind, m.M.AttrReason
	f.Impact = m.M.Impact
	f.Link = m.lx
	return nil
}

func firstOfKind(w *core.World, k core.AssetKind) int {
	for i := range w.Assets {
		if w.Assets[i].Kind == k {
			return i
		}
	}
	return -1
}

// record fills the frame for the tick just run and hands it to the observers.
func (r *recorder) record(m *Model) {
	w := m.W
	f := &r.f
	f.Tick = w.Tick
	f.Time = w.Now()
	ret, cl, exo := f.Return[:len(w.Price)], r.close[:len(w.Price)], f.Exo[:len(w.Price)]
	for i, p := range w.Price {
		ret[i] = p/cl[i] - 1
		cl[i] = p
		exo[i] = m.M.Exogenous(i)
	}
	// The engine took every bond's yield after the exogenous move, at the
	// prices it keeps in m.mark: a bond that no trade has moved since has
	// that yield still (the same function of the same price).
	for _, i := range r.bonds {
		if w.Price[i] == m.mark[i] && r.dense == nil {
			f.Yield[i] = w.Yields[i]
		} else {
			f.Yield[i] = w.Yield(i)
		}
	}
	f.MeanCorr = r.corr(f.Price, m.Warm+w.Tick)
	f.VIX = math.NaN()
	if r.vix >= 0 {
		f.VIX = r.vixProxy(f.Return[r.vix], w.Trades(r.vix), w.DealerUtil)
	}
	f.RepoSpread = w.Spread[core.USD]
	f.Funding = w.Spread
	f.XCCYBasis = w.XCCYBasis
	f.Facility = w.Facility
	f.DealerUtil = w.DealerUtil
	f.Depth = m.M.Depth
	f.Rounds = m.M.Rounds
	f.Events = w.Events()
	f.MarginCalls, f.MarginCallUSD = 0, 0
	for k := range f.Events {
		switch f.Events[k].Kind {
		case core.EvMarginCall:
			f.MarginCalls++
			f.MarginCallUSD += f.Events[k].Amount
		case core.EvDefault:
			r.defaults++
		}
	}
	f.Defaults = r.defaults
	f.Traded, f.TradedKinds, f.TradedReasons = m.M.Traded, m.M.Kinds, m.M.Reasons
	if r.dense != nil {
		f.Traded, f.TradedKinds, f.TradedReasons = r.dense, 1<<core.NumAgentKinds-1, 1<<core.NumReasons-1
	}
	f.kindsDone = false
	f.brokersDone = false
	f.peekDone = false
	for _, o := range r.obs {
		if err := o.Observe(f); err != nil && m.obsErr == nil {
			m.obsErr = fmt.Errorf("tick %d (%s): observer %T: %w", f.Tick, f.Time.Format("2006-01-02 15:04"), o, err)
		}
	}
}

// seedClose replaces the close the first H-tick return is taken against
// (the starting prices, set by init) with p(i) for each asset i of the
// correlation set. It must come before the first corr.
func (r *recorder) seedClose(p func(i int) float64) {
	for a, i := range r.set {
		r.hist[a] = p(i)
	}
}

// shutLimit returns the most consecutive ticks, up to and including a
// return's, that asset i's market may have been shut for the return over
// the h ticks to it to count: its ordinary daily closure, perDay − d ticks
// of a day of perDay (d its DayTicks; 0 for a market open every hour of
// its weekdays), and fewer than h, so that the market traded at some tick
// of the span. A weekend or a holiday runs past it; an overnight does not.
// It is −1, no condition, for a market that never closes.
func shutLimit(c *calendar, i, h int, perDay float64) int {
	if c == nil || c.always[i] {
		return -1
	}
	p := max(1, int(math.Round(perDay)))
	d := min(p, max(1, int(math.Round(c.day[i]))))
	return min(h-1, p-d)
}

// corrPair is one pair (a, b), a < b, of the correlation set: its window of
// the last W rows in which the returns of both a and b count, as running
// sums, and the correlation over it.
type corrPair struct {
	a, b    int
	n, head int // rows in the window, and the slot of the next (the sums are rebuilt when it comes back to 0)
	// Whether a return varies within the window is decided exactly, not
	// from the running sums, whose rounding residue has either sign once a
	// constant return fills the window: rows counts the rows ever added,
	// and chA (chB) is the last row whose return of a (b) differed from
	// the row before.
	rows, chA, chB int
	prevA, prevB   float64
	sa, sb         float64
	saa, sbb, sab  float64
	// c is the correlation over the window: NaN with fewer than 3 rows or
	// when either return is constant over them; varA and varB say which
	// varied.
	c          float64
	varA, varB bool
}

// returns puts the closes of the correlation set at this tick into the
// ring of the last H+1 and the H-tick returns to them into hret; false
// while the ring does not yet reach H ticks back.
func (r *recorder) returns(price []float64) bool {
	k := len(r.set)
	// H-tick returns from a ring of the last H+1 closes: the slot after
	// this tick's holds the close H ticks back.
	if r.hpos++; r.hpos > r.H {
		r.hpos = 0
	}
	old := r.hpos + 1
	if old > r.H {
		old = 0
	}
	now, then := r.hist[r.hpos*k:r.hpos*k+k], r.hist[old*k:old*k+k]
	hret := r.hret[:k]
	if r.hn <= r.H {
		for a, i := range r.set {
			now[a] = price[i]
		}
		r.hn++
		if r.hn <= r.H { // not yet H returns back
			return false
		}
		for a := range hret {
			hret[a] = now[a]/then[a] - 1
		}
	} else {
		for a, i := range r.set {
			p := price[i]
			now[a] = p
			hret[a] = p/then[a] - 1
		}
	}
	return true
}

// corr updates the rolling correlation with the closes of calendar tick t
// (the warm-up's first is 0) and returns the mean off-diagonal correlation
// (NaN until defined), every tick a row unless report.correlation_rows is
// trading (corrTrading).
func (r *recorder) corr(price []float64, t int) float64 {
	if r.trading {
		return r.corrTrading(price, t)
	}
	k := len(r.set)
	if k < 2 || !r.returns(price) {
		return math.NaN()
	}
	hret := r.hret[:k]
	changed, prev := r.changed[:k], r.prevRet[:k]
	for a, x := range hret {
		if r.rows > 0 && x != prev[a] {
			changed[a] = r.rows
		}
		prev[a] = x
	}
	r.rows++
	row := r.ring[r.head*k : r.head*k+k]
	sx, sxx, sxy := r.sx[:k], r.sxx[:k], r.sxy
	if r.n == r.W {
		// Remove the oldest row (the one being overwritten) and add the
		// new one, element by element: each sum first loses its old term,
		// then gains its new one. Entry a of the row takes its new value
		// once the pairs (a, b > a) have used its old one.
		p := 0
		for a, o := range row {
			x := hret[a]
			sx[a] -= o
			sx[a] += x
			sxx[a] -= float64(o * o)
			sxx[a] += float64(x * x)
			for b := a + 1; b < k; b++ {
				sxy[p] -= float64(o * row[b])
				sxy[p] += float64(x * hret[b])
				p++
			}
			row[a] = x
		}
	} else {
		copy(row, hret)
		r.addRow(row)
		r.n++
	}
	if r.head++; r.head == r.W {
		r.head = 0
	}
	r.corrEvery++
	if r.corrEvery >= r.W { // rebuild the sums exactly
		r.corrEvery = 0
		clear(r.sx)
		clear(r.sxx)
		clear(r.sxy)
		for t := 0; t < r.n; t++ {
			r.addRow(r.ring[t*k : t*k+k])
		}
	}
	if r.n < 3 {
		return math.NaN()
	}
	nn := float64(r.n)
	v := r.corrVar[:k]
	first := r.rows - r.n + 1 // the earliest row whose change lies in the window
	for a := range v {
		v[a] = sxx[a] - sx[a]*sx[a]/nn
		if changed[a] < first {
			v[a] = 0 // constant over the window: no pair with it counts
		}
	}
	sum, cnt := 0.0, 0
	p := 0
	for a, va := range v {
		if !(va > 0) { // no pair (a, b) counts
			p += k - 1 - a
			continue
		}
		sa := sx[a]
		for b := a + 1; b < k; b++ {
			if vb := v[b]; vb > 0 {
				sum += (sxy[p] - sa*sx[b]/nn) / math.Sqrt(va*vb)
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

// corrTrading is corr under report.correlation_rows: trading: each pair
// takes a row when both its assets' returns count, and the mean is over the
// pairs that count (NaN when none does).
func (r *recorder) corrTrading(price []float64, t int) float64 {
	k := len(r.set)
	if k < 2 {
		return math.NaN()
	}
	// How long each market has been shut, up to and including tick t.
	limit, shut, counts := r.limit[:k], r.shut[:k], r.counts[:k]
	for a, i := range r.set {
		if limit[a] < 0 {
			counts[a] = true
			continue
		}
		if r.cal.open(i, t) {
			shut[a] = 0
		} else {
			shut[a]++
		}
		counts[a] = shut[a] <= limit[a]
	}
	if !r.returns(price) {
		return math.NaN()
	}
	hret := r.hret[:k]
	if r.n < r.W {
		r.n++
	}
	W := r.W
	sum, cnt := 0.0, 0
	pairs := r.pairs
	for p := range pairs {
		q := &pairs[p]
		if !counts[q.a] || !counts[q.b] {
			if c := q.c; c == c {
				sum += c
				cnt++
			}
			continue
		}
		// Put the row (x, y) into the pair's window ring (W rows of two),
		// dropping the oldest once the window is full; every W rows, when
		// the ring comes back to its first slot, rebuild the sums exactly;
		// and work out the correlation over the window afresh.
		x, y := hret[q.a], hret[q.b]
		if q.rows > 0 {
			if x != q.prevA {
				q.chA = q.rows
			}
			if y != q.prevB {
				q.chB = q.rows
			}
		}
		q.prevA, q.prevB = x, y
		q.rows++
		sa, sb, saa, sbb, sab := q.sa, q.sb, q.saa, q.sbb, q.sab
		ring := r.pring[2*W*p : 2*W*p+2*W]
		row := ring[2*q.head : 2*q.head+2]
		if q.n == W {
			// Each sum loses the oldest row's term, then gains the new one's.
			o, ob := row[0], row[1]
			sa -= o
			sa += x
			saa -= float64(o * o)
			saa += float64(x * x)
			sab -= float64(o * ob)
			sab += float64(x * y)
			sb -= ob
			sb += y
			sbb -= float64(ob * ob)
			sbb += float64(y * y)
		} else {
			sa += x
			saa += float64(x * x)
			sab += float64(x * y)
			sb += y
			sbb += float64(y * y)
			q.n++
		}
		row[0], row[1] = x, y
		if q.head++; q.head == W {
			q.head = 0
			sa, sb, saa, sbb, sab = 0, 0, 0, 0, 0
			for t := 0; t < 2*q.n; t += 2 {
				x, y := ring[t], ring[t+1]
				sa += x
				saa += float64(x * x)
				sab += float64(x * y)
				sb += y
				sbb += float64(y * y)
			}
		}
		q.sa, q.sb, q.saa, q.sbb, q.sab = sa, sb, saa, sbb, sab
		q.c, q.varA, q.varB = math.NaN(), false, false
		n := q.n
		if n < 3 {
			continue
		}
		nn := float64(n)
		first := q.rows - n + 1 // the earliest row whose change lies in the window
		va := saa - sa*sa/nn
		vb := sbb - sb*sb/nn
		q.varA = q.chA >= first && va > 0
		q.varB = q.chB >= first && vb > 0
		if q.varA && q.varB {
			c := (sab - sa*sb/nn) / math.Sqrt(va*vb)
			q.c = c
			sum += c
			cnt++
		}
	}
	if cnt == 0 {
		return math.NaN()
	}
	return sum / float64(cnt)
}

// pairCorr writes into dst (k×k, row-major, k the size of the set) the
// correlation of each pair over the window of the last corr, the terms
// whose mean corr returned, computed as corr computes them: NaN for a pair
// with an asset whose returns did not vary over the window, and
// everywhere before the window holds 3 returns; 1 on the diagonal of the
// assets that varied. It changes nothing of the recorder. Under
// report.correlation_rows: trading it is pairCorrTrading.
func (r *recorder) pairCorr(dst []float64) {
	k := len(r.set)
	dst = dst[:k*k]
	for i := range dst {
		dst[i] = math.NaN()
	}
	if r.trading {
		r.pairCorrTrading(dst, k)
		return
	}
	if k < 2 || r.n < 3 {
		return
	}
	nn := float64(r.n)
	sx, sxx, sxy := r.sx[:k], r.sxx[:k], r.sxy
	first := r.rows - r.n + 1
	v := r.corrVar[:k]
	for a := range v {
		v[a] = sxx[a] - sx[a]*sx[a]/nn
		if r.changed[a] < first {
			v[a] = 0
		}
		if v[a] > 0 {
			dst[a*k+a] = 1
		}
	}
	p := 0
	for a, va := range v {
		sa := sx[a]
		for b := a + 1; b < k; b++ {
			if vb := v[b]; va > 0 && vb > 0 {
				c := (sxy[p] - sa*sx[b]/nn) / math.Sqrt(va*vb)
				dst[a*k+b], dst[b*k+a] = c, c
			}
			p++
		}
	}
}

// addRow adds one row of returns of the set to the running sums.
func (r *recorder) addRow(row []float64) {
	k := len(row)
	sx, sxx, sxy := r.sx[:k], r.sxx[:k], r.sxy
	p := 0
	for a, x := range row {
		sx[a] += x
		sxx[a] += float64(x * x)
		for b := a + 1; b < k; b++ {
			sxy[p] += float64(x * row[b])
			p++
		}
	}
}

// pairCorrTrading is pairCorr under report.correlation_rows: trading, into
// dst already NaN: each pair's correlation over its own window, NaN for a
// pair that does not count (fewer than 3 rows, or an asset whose returns
// did not vary over the pair's window); 1 on the diagonal of an asset
// whose returns varied over the window of one of its pairs.
func (r *recorder) pairCorrTrading(dst []float64, k int) {
	varied := r.varied[:k]
	clear(varied)
	for p := range r.pairs {
		q := &r.pairs[p]
		dst[q.a*k+q.b], dst[q.b*k+q.a] = q.c, q.c
		varied[q.a] = varied[q.a] || q.varA
		varied[q.b] = varied[q.b] || q.varB
	}
	for a, v := range varied {
		if v {
			dst[a*k+a] = 1
		}
	}
}

// vixProxy adds return x of the VIX asset to the window (when its market
// trades) and returns the annualized volatility realized over the window
// (the noise's variance filling the part not yet observed) plus the
// expected news variance (report.vix_news), times the risk premium, plus
// the dealer-stress add-on at utilization u, in points.
func (r *recorder) vixProxy(x float64, trading bool, u float64) float64 {
	stress := 0.0
	if r.vixStress > 0 {
		// The stress the funding spreads price (market.Funding): it
		// saturates a balance sheet past u_star, so a sector with no
		// capital left (u = +Inf) adds vix_stress points, not +Inf.
		stress = float64(r.vixStress * min(max(0, u-r.uStar), market.MaxStress))
	}
	if !trading {
		return r.vixBase + stress // not quoted while its market is closed: the last level
	}
	if r.vixN == r.vixW {
		old := r.vixRing[r.vixHead]
		r.vixSum -= float64(old * old)
	} else {
		r.vixN++
	}
	r.vixRing[r.vixHead] = x
	r.vixSum += float64(x * x)
	if r.vixHead++; r.vixHead == r.vixW { // wrap, and rebuild against drift
		r.vixHead = 0
		r.vixSum = 0
		for _, v := range r.vixRing[:r.vixN] {
			r.vixSum += float64(v * v)
		}
	}
	v := (max(r.vixSum, 0)+float64(float64(r.vixW-r.vixN)*r.vixFillVar))/float64(r.vixW) + r.vixNewsVar
	r.vixBase = float64(100 * r.vixPrem * math.Sqrt(v*r.vixYear))
	return r.vixBase + stress
}

// CorrelationSet returns the IDs of the assets whose mean rolling
// correlation is reported.
func (m *Model) CorrelationSet() []string {
	var ids []string
	for _, i := range m.rec.set {
		ids = append(ids, m.W.Assets[i].ID)
	}
	return ids
}

// CorrelationWindow returns the rolling correlation window in ticks.
func (m *Model) CorrelationWindow() int { return m.rec.W }

// CorrelationHorizon returns the return horizon of the rolling correlation, in ticks.
func (m *Model) CorrelationHorizon() int { return m.rec.H }

// TriggerTick returns the tick of the trigger event (-1 without one).
func (m *Model) TriggerTick() int { return m.rec.triggerTick }

// Headline returns the headline asset's ID ("" without one).
func (m *Model) Headline() string {
	if m.rec.headline < 0 {
		return ""
	}
	return m.W.Assets[m.rec.headline].ID
}
