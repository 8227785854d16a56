package sweep

import (
	"container/heap"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/cascade-sim/cascade/output"
)

// sampleCap bounds the rows kept in memory for the plots, the rank
// correlations and the metric statistics: all runs up to this many, else
// a deterministic subsample of about this many (chosen by hashing the run
// index, so every way of making the sweep picks the same runs).
const sampleCap = 100_000

// BandQuantiles are the quantiles of bands.parquet.
var BandQuantiles = []float64{0.05, 0.25, 0.50, 0.75, 0.95}

// MetricStats summarizes one metric across the runs: all of them, or for
// sweeps of more than 100,000 runs a deterministic sample of about that
// many (Sampled).
type MetricStats struct {
	Name         string
	N            int // runs with a value
	P5, P50, P95 float64
	Mean, Std    float64
	Sampled      bool
	// Constant: at least two runs have a value and every value is the
	// same, so nothing the sweep varied moved the metric.
	Constant bool
	// Indicator: the metric is 0 or 1 in every run (defaulted.ID, see
	// Indicator), so Mean is the share of runs with a 1, an estimate of
	// a probability; Ones counts those runs and Lo, Hi are the Wilson 95%
	// interval of the probability (NaN without runs). The report shows
	// these for it rather than the quantiles.
	Indicator bool
	Ones      int
	Lo, Hi    float64
}

// inSample reports whether run i of a sweep of n runs is in the sample.
func inSample(i, n int) bool {
	return n <= sampleCap || mix64(uint64(i)^0x5a17e5eed)%uint64(n) < sampleCap
}

// sample holds the columns (parameters, then metrics) of the sampled runs.
type sample struct {
	index []int
	cols  [][]float64
}

// assembled is what assemble wrote and found.
type assembled struct {
	files  []string // relative to the directory
	stats  []MetricStats
	levels []levelStats // by parameter, level and metric (levels.csv)
	paired []PairedDiff // a whole paired grid only (paired.csv)
	sobol  []SobolIndex // a whole sobol design only
	calib  *Calibration // a sweep with the metric score.within only
}

// assemble writes the outputs of a complete set of chunks into dir:
// runs.parquet and runs.csv (rows by run index), bands.parquet and
// bands.csv, sensitivity.csv, for a whole sobol design sobol.csv, with
// plots plots/, and report.md.
func assemble(dir string, man *Manifest, chunks []chunk, sh Shard, plots bool) (*assembled, error) {
	width := len(man.Sweep.Parameters) + len(man.Sweep.Metrics)
	smp := &sample{cols: make([][]float64, width)}
	var sa *sobolAcc
	if man.Sweep.Design == Sobol && sh.Count <= 1 {
		sa = newSobolAcc(man)
	}
	if err := writeRuns(dir, man, chunks, sh, smp, sa); err != nil {
		return nil, err
	}
	bands, err := mergeBands(man, chunks)
	if err != nil {
		return nil, err
	}
	if err := writeBands(dir, man, bands); err != nil {
		return nil, err
	}
	sens := sensitivity(man, smp)
	if err := writeSensitivity(dir, sens); err != nil {
		return nil, err
	}
	a := &assembled{files: []string{"runs.parquet", "runs.csv", "bands.parquet", "bands.csv", "sensitivity.csv"},
		stats: metricStats(man, smp, sh.Size(man.Sweep.Runs)), levels: byLevel(man, smp)}
	if len(a.levels) > 0 {
		if err := writeLevels(dir, a.levels); err != nil {
			return nil, err
		}
		a.files = append(a.files, "levels.csv")
	}
	if sh.Count <= 1 {
		if a.paired = pairedDiffs(man, smp); len(a.paired) > 0 {
			if err := writePaired(dir, a.paired); err != nil {
				return nil, err
			}
			a.files = append(a.files, "paired.csv")
		}
	}
	if a.calib, err = calibration(man, smp); err != nil {
		return nil, err
	}
	if a.calib != nil {
		if err := writeCalibration(dir, a.calib); err != nil {
			return nil, err
		}
		if err := writeCalibrationMetrics(dir, a.calib); err != nil {
			return nil, err
		}
		a.files = append(a.files, "calibration.csv", "calibration_metrics.csv")
	}
	if sa != nil {
		a.sobol = sa.indices(man)
		if err := writeSobol(dir, a.sobol); err != nil {
			return nil, err
		}
		a.files = append(a.files, "sobol.csv")
	}
	if plots {
		p, err := renderPlots(dir, man, bands, smp, sens, a.sobol, a.levels, a.calib)
		if err != nil {
			return nil, err
		}
		a.files = append(a.files, p...)
	}
	if err := writeReport(dir, man, a, sens); err != nil {
		return nil, err
	}
	a.files = append(a.files, "report.md")
	return a, nil
}

// runsSchema is the schema of runs.parquet.
func runsSchema(man *Manifest) []output.Column {
	s := []output.Column{{Name: "index", Type: output.Int64}, {Name: "seed", Type: output.String}}
	for _, p := range man.Sweep.Parameters {
		t := output.Float64
		if p.Levels != nil {
			t = output.String // the level
		}
		s = append(s, output.Column{Name: p.Name, Type: t})
	}
	for _, m := range man.Sweep.Metrics {
		s = append(s, output.Column{Name: m, Type: output.Float64})
	}
	return s
}

// writeRuns merges the chunks' rows by run index into runs.parquet and
// runs.csv, checking that they are exactly the shard's runs, and fills the
// sample and, when not nil, the sobol accumulator.
func writeRuns(dir string, man *Manifest, chunks []chunk, sh Shard, smp *sample, sa *sobolAcc) error {
	total := sh.Size(man.Sweep.Runs)
	schema := runsSchema(man)
	params := man.Sweep.Parameters
	return writeTable(dir, "runs", schema, func(write func(...output.Value) error) error {
		vals := make([]output.Value, len(schema))
		k := 0
		err := forRows(chunks, func(r *row) error {
			if k >= total || r.index != sh.Run(k) {
				return fmt.Errorf("journal: found run %d where run %d was expected", r.index, sh.Run(min(k, total-1)))
			}
			k++
			vals[0] = output.IntValue(int64(r.index))
			vals[1] = output.StringValue(strconv.FormatUint(r.seed, 10))
			for j, v := range r.values {
				vals[2+j] = output.FloatValue(v)
				if j < len(params) && params[j].Levels != nil {
					vals[2+j] = output.StringValue(params[j].Label(v))
				}
			}
			if err := write(vals...); err != nil {
				return err
			}
			if sa != nil {
				sa.add(r)
			}
			if sampled(&man.Sweep, r.index) {
				smp.index = append(smp.index, r.index)
				for j, v := range r.values {
					smp.cols[j] = append(smp.cols[j], v)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if k != total {
			return fmt.Errorf("journal: %d of %d runs", k, total)
		}
		return nil
	})
}

// writeTable writes dir/name.parquet and dir/name.csv with one schema, each
// atomically: rows gets a write function that appends one row to both.
func writeTable(dir, name string, schema []output.Column, rows func(write func(...output.Value) error) error) error {
	return output.WriteFileAtomic(filepath.Join(dir, name+".parquet"), func(pw io.Writer) error {
		return output.WriteFileAtomic(filepath.Join(dir, name+".csv"), func(cw io.Writer) error {
			ps, err := output.NewParquetStream(pw, schema)
			if err != nil {
				return err
			}
			cs, err := output.NewCSVStream(cw, schema)
			if err != nil {
				return err
			}
			err = rows(func(vals ...output.Value) error {
				if err := ps.WriteRow(vals...); err != nil {
					return err
				}
				return cs.WriteRow(vals...)
			})
			if err != nil {
				return err
			}
			if err := cs.Close(); err != nil {
				return err
			}
			return ps.Close()
		})
	})
}

// forRows hands each the rows of the chunks in increasing run index order:
// a k-way merge of the chunks, each sorted, reading each a buffer at a time.
func forRows(chunks []chunk, each func(*row) error) error {
	bufSize := min(max(16<<20/max(len(chunks), 1), 4<<10), 256<<10)
	h := &rowHeap{}
	defer func() {
		for _, rr := range *h {
			rr.close()
		}
	}()
	for _, c := range chunks {
		rr, err := openRows(c, bufSize)
		if err != nil {
			return err
		}
		ok, err := rr.next()
		if err != nil || !ok {
			rr.close()
			if err != nil {
				return err
			}
			continue
		}
		heap.Push(h, rr)
	}
	for h.Len() > 0 {
		rr := (*h)[0]
		if err := each(&rr.cur); err != nil {
			return err
		}
		ok, err := rr.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
			rr.close()
		}
	}
	return nil
}

// maxOpenChunks is the most chunk files a merge opens at once.
const maxOpenChunks = 32

// compact writes the chunks, which hold every run of the shard, as the
// single chunk all.bin in dir's journal, and returns it.
func compact(dir string, man *Manifest, chunks []chunk, sh Shard) (chunk, error) {
	bands, err := mergeBands(man, chunks)
	if err != nil {
		return chunk{}, err
	}
	enc, err := bands.MarshalBinary()
	if err != nil {
		return chunk{}, err
	}
	notes, err := json.Marshal(sumNotes(chunks))
	if err != nil {
		return chunk{}, err
	}
	width := len(man.Sweep.Parameters) + len(man.Sweep.Metrics)
	// A journal has no bound on its chunks (a long shard writes one every
	// ChunkEvery), while a process has one on its open files: merge in
	// passes of at most maxOpenChunks files, through intermediate files
	// that a resumed run cleans up if this one is interrupted.
	var tmps []string
	defer func() {
		for _, p := range tmps {
			os.Remove(p)
		}
	}()
	for pass := 0; len(chunks) > maxOpenChunks; pass++ {
		var next []chunk
		for g := 0; g < len(chunks); g += maxOpenChunks {
			group := chunks[g:min(g+maxOpenChunks, len(chunks))]
			rows := 0
			for _, c := range group {
				rows += c.rows
			}
			p := filepath.Join(dir, journalDir, fmt.Sprintf(".merge-%d-%06d.tmp-chunk", pass, len(next)))
			tmps = append(tmps, p)
			if err := writeChunkFile(p, man.Fingerprint, width, rows, func(emit func(*row) error) error { return forRows(group, emit) }, nil, nil); err != nil {
				return chunk{}, err
			}
			next = append(next, chunk{path: p, rows: rows, width: width, start: headerSize})
		}
		chunks = next
	}
	path := filepath.Join(dir, journalDir, compactName)
	n := sh.Size(man.Sweep.Runs)
	if err := writeChunkFile(path, man.Fingerprint, width, n, func(emit func(*row) error) error { return forRows(chunks, emit) }, enc, notes); err != nil {
		return chunk{}, err
	}
	c, _, err := readChunk(path, man.Fingerprint, width, func(int) error { return nil })
	return c, err
}

// rowHeap orders chunk readers by their current run index.
type rowHeap []*rowReader

func (h rowHeap) Len() int           { return len(h) }
func (h rowHeap) Less(i, j int) bool { return h[i].cur.index < h[j].cur.index }
func (h rowHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *rowHeap) Push(x any)        { *h = append(*h, x.(*rowReader)) }
func (h *rowHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// mergeBands adds up the band sketches of the chunks.
func mergeBands(man *Manifest, chunks []chunk) (*Bands, error) {
	anchors := man.Plan.anchors()
	total, part := NewBands(anchors), NewBands(anchors)
	for _, c := range chunks {
		f, err := os.Open(c.path)
		if err != nil {
			return nil, err
		}
		buf := make([]byte, c.bandsLen)
		_, err = f.ReadAt(buf, c.bandsOff)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.path, err)
		}
		if err := part.UnmarshalBinary(buf); err != nil {
			return nil, fmt.Errorf("%s: %w", c.path, err)
		}
		if err := total.Merge(part); err != nil {
			return nil, err
		}
	}
	return total, nil
}

// writeBands writes bands.parquet and bands.csv: one row per series and
// tick with the number of runs with a value there, the base run's value,
// the minimum, the 5, 25, 50, 75 and 95% quantiles, and the maximum.
func writeBands(dir string, man *Manifest, b *Bands) error {
	schema := []output.Column{{Name: "series", Type: output.String}, {Name: "tick", Type: output.Int64},
		{Name: "time", Type: output.Time}, {Name: "n", Type: output.Int64}, {Name: "base", Type: output.Float64},
		{Name: "min", Type: output.Float64}}
	for _, q := range BandQuantiles {
		schema = append(schema, output.Column{Name: fmt.Sprintf("p%d", int(math.Round(100*q))), Type: output.Float64})
	}
	schema = append(schema, output.Column{Name: "max", Type: output.Float64})
	return writeTable(dir, "bands", schema, func(write func(...output.Value) error) error {
		vals := make([]output.Value, len(schema))
		for s, name := range man.Plan.Series {
			for t := 0; t < man.Plan.Ticks; t++ {
				n, _, lo, hi := b.Cell(s, t)
				vals[0], vals[1], vals[2] = output.StringValue(name), output.IntValue(int64(t)), output.TimeValue(man.Plan.Times[t])
				vals[3], vals[4], vals[5] = output.IntValue(int64(n)), output.FloatValue(float64(man.Plan.Base[s][t])), output.FloatValue(lo)
				for j, q := range BandQuantiles {
					vals[6+j] = output.FloatValue(b.Quantile(s, t, q))
				}
				vals[len(vals)-1] = output.FloatValue(hi)
				if err := write(vals...); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// sensRow is the rank correlation of one parameter with one metric.
type sensRow struct {
	param, metric string
	rho           float64
	n             int
}

// sensitivity returns Spearman's rank correlation of every parameter with
// every metric over the sampled runs where both have values. A text
// field's levels have no order past two (then the correlation is NaN, and
// levels.csv compares the levels); with two it ranks the second above the
// first.
func sensitivity(man *Manifest, smp *sample) []sensRow {
	np := len(man.Sweep.Parameters)
	var out []sensRow
	for p, pp := range man.Sweep.Parameters {
		for m, mm := range man.Sweep.Metrics {
			rho, n := spearman(smp.cols[p], smp.cols[np+m])
			if len(pp.Levels) > 2 {
				rho = math.NaN()
			}
			out = append(out, sensRow{param: pp.Name, metric: mm, rho: rho, n: n})
		}
	}
	return out
}

func writeSensitivity(dir string, rows []sensRow) error {
	t := &output.Table{}
	var ps, ms []string
	var rho []float64
	var n []int64
	for _, r := range rows {
		ps, ms, rho, n = append(ps, r.param), append(ms, r.metric), append(rho, r.rho), append(n, int64(r.n))
	}
	t.Add(output.StringCol("parameter", ps))
	t.Add(output.StringCol("metric", ms))
	t.Add(output.FloatCol("spearman", rho))
	t.Add(output.IntCol("n", n))
	if ps == nil { // no parameters: the header alone
		t.Columns[0].S, t.Columns[1].S, t.Columns[2].F, t.Columns[3].I = []string{}, []string{}, []float64{}, []int64{}
	}
	return output.WriteFileAtomic(filepath.Join(dir, "sensitivity.csv"), func(w io.Writer) error { return output.WriteCSV(w, t) })
}

// spearman returns the rank correlation of x and y over the pairs where
// both are finite (NaN with fewer than 3 pairs or a constant side), and
// the number of pairs.
func spearman(x, y []float64) (float64, int) {
	var xs, ys []float64
	for i := range x {
		if finite(x[i]) && finite(y[i]) {
			xs, ys = append(xs, x[i]), append(ys, y[i])
		}
	}
	n := len(xs)
	if n < 3 {
		return math.NaN(), n
	}
	rx, ry := ranks(xs), ranks(ys)
	var mx, my float64
	for i := range rx {
		mx += rx[i]
		my += ry[i]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxy, sxx, syy float64
	for i := range rx {
		dx, dy := rx[i]-mx, ry[i]-my
		sxy += float64(dx * dy)
		sxx += float64(dx * dx)
		syy += float64(dy * dy)
	}
	if sxx == 0 || syy == 0 {
		return math.NaN(), n
	}
	return sxy / math.Sqrt(sxx*syy), n
}

// ranks returns the ranks of xs (1-based, ties averaged).
func ranks(xs []float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	r := make([]float64, len(xs))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && xs[idx[j+1]] == xs[idx[i]] {
			j++
		}
		avg := float64(float64(i+j)/2) + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// metricStats summarizes each metric over the sample.
func metricStats(man *Manifest, smp *sample, total int) []MetricStats {
	np := len(man.Sweep.Parameters)
	var out []MetricStats
	for m, name := range man.Sweep.Metrics {
		s := stats(smp.cols[np+m], nil)
		s.Name, s.Sampled = name, len(smp.index) < total
		if Indicator(name) {
			s.Indicator, s.Ones = true, int(math.Round(s.Mean*float64(s.N)))
			s.Lo, s.Hi = Wilson(s.Ones, s.N)
		}
		out = append(out, s)
	}
	return out
}

// z95 is the standard normal quantile of 0.975.
const z95 = 1.959963984540054

// Wilson returns the Wilson score interval at 95% for a probability of
// which k of n trials were successes: unlike the normal approximation it
// stays within [0, 1] and is not empty at k = 0 or k = n (0 of 100 runs:
// 0 to 3.7%). NaN, NaN for n = 0.
func Wilson(k, n int) (lo, hi float64) {
	if n <= 0 {
		return math.NaN(), math.NaN()
	}
	nf := float64(n)
	p, z2 := float64(k)/nf, z95*z95
	d := 1 + z2/nf
	mid := (p + z2/(2*nf)) / d
	half := float64(z95 / d * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)))
	lo, hi = max(0, mid-half), min(1, mid+half)
	if k == 0 {
		lo = 0 // not a rounding residue
	}
	if k == n {
		hi = 1
	}
	return lo, hi
}

// stats summarizes the finite values of xs at the rows where keep is true
// (every row when keep is nil): quantiles by nearest lower rank, mean and
// standard deviation.
func stats(xs []float64, keep []bool) MetricStats {
	var v []float64
	for i, x := range xs {
		if finite(x) && (keep == nil || keep[i]) {
			v = append(v, x)
		}
	}
	s := MetricStats{N: len(v), P5: math.NaN(), P50: math.NaN(), P95: math.NaN(), Mean: math.NaN(), Std: math.NaN()}
	if len(v) == 0 {
		return s
	}
	sort.Float64s(v)
	s.Constant = len(v) > 1 && v[0] == v[len(v)-1]
	q := func(p float64) float64 { return v[int(p*float64(len(v)-1))] }
	s.P5, s.P50, s.P95 = q(0.05), q(0.5), q(0.95)
	sum := 0.0
	for _, x := range v {
		sum += x
	}
	s.Mean = sum / float64(len(v))
	ss := 0.0
	for _, x := range v {
		ss += float64((x - s.Mean) * (x - s.Mean))
	}
	if len(v) > 1 {
		s.Std = math.Sqrt(ss / float64(len(v)-1))
	}
	return s
}
