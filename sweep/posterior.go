package sweep

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/scenarios"
)

// A sweep can draw some of its parameters from the runs of an earlier,
// scored sweep that reproduced what markets did (its calibration): the
// posterior of approximate Bayesian computation, carried to another
// question, such as a what-if, as a joint draw. The file names the earlier
// sweep's output directory,
//
//	posterior: {from: ../out/aug2024-score}
//
// and each parameter that takes its value from it names the column,
//
//	- {path: assets.NKY.impact.volume, posterior: nky_impact_volume, scale: 1.2}
//
// Every run takes one of the accepted runs, and all its posterior
// parameters take that run's values (times scale), so their dependence is
// kept. The run is picked by its own draw: with a Latin hypercube, from a
// permutation keyed by the master seed, so that each accepted run is taken
// about equally often; else from the run's own stream.

// Posterior is a sweep file's posterior block.
type Posterior struct {
	// From is the output directory of a sweep that records score.within
	// (relative to the sweep file).
	From string `yaml:"from" json:"from"`
	// Accept says which of its runs are draws: "all" (the default), those
	// that reproduce every observed quantity; "miss_at_most_one", those
	// that miss one at most.
	Accept string `yaml:"accept,omitempty" json:"accept,omitempty"`
}

// The accept rules.
const (
	AcceptAll        = "all"
	AcceptMissAtMost = "miss_at_most_one"
)

// ResolvedPosterior is the posterior as run: where it came from and a hash
// of the accepted values, which the fingerprint covers.
type ResolvedPosterior struct {
	From     string   `json:"from"`
	Accept   string   `json:"accept"`
	Runs     int      `json:"runs"`     // runs in the source sweep with a score
	Accepted int      `json:"accepted"` // of them, those accepted
	Columns  []string `json:"columns"`  // the source's parameters the sweep takes
	SHA256   string   `json:"sha256"`   // of the accepted values, by run and column
}

// posterior holds the accepted runs' values of the columns the sweep's
// parameters take.
type posterior struct {
	res  ResolvedPosterior
	rows [][]float64 // accepted runs, in run order; a value per column
	perm perm        // latin hypercube: strata of the runs
}

// sourcePosterior is a source sweep's runs table, read.
type sourcePosterior struct {
	dir    string
	params []string    // its number parameters
	header []string    // runs.csv's columns
	recs   [][]string  // runs.csv's rows
	keep   []bool      // accepted
	runs   int         // with a score
	vals   [][]float64 // by column of header, filled on demand
}

// loadSource reads the source sweep of a posterior block: its manifest
// (which must be complete and record score.within) and runs.csv.
func loadSource(dir, accept string) (*sourcePosterior, error) {
	man, err := ReadManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("%v: make the scored sweep there first (cascade sweep FILE -o %s)", err, dir)
	}
	if !man.Complete {
		return nil, fmt.Errorf("%s is not complete (%d of %d runs): finish it first (cascade sweep --resume, or cascade merge for shards)", dir, man.Completed.Count, man.ShardRuns)
	}
	if !slices.Contains(man.Sweep.Metrics, "score.within") {
		return nil, fmt.Errorf("%s does not record score.within, so none of its runs is known to reproduce what markets did: add it to that sweep's metrics", dir)
	}
	obs, err := observedList(man)
	if err != nil {
		return nil, err
	}
	need := float64(len(obs))
	if accept == AcceptMissAtMost {
		need--
	}
	fh, err := os.Open(filepath.Join(dir, "runs.csv"))
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, "runs.csv"), err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s is empty", filepath.Join(dir, "runs.csv"))
	}
	s := &sourcePosterior{dir: dir, header: recs[0], recs: recs[1:]}
	s.vals = make([][]float64, len(s.header))
	for _, p := range man.Sweep.Parameters {
		if p.Levels == nil {
			s.params = append(s.params, p.Name)
		}
	}
	w, err := s.column("score.within")
	if err != nil {
		return nil, err
	}
	s.keep = make([]bool, len(w))
	for r, x := range w {
		if !math.IsNaN(x) {
			s.runs++
			s.keep[r] = x >= need
		}
	}
	return s, nil
}

// column returns the values of the named column of runs.csv, NaN where
// empty.
func (s *sourcePosterior) column(name string) ([]float64, error) {
	c := slices.Index(s.header, name)
	if c < 0 {
		return nil, fmt.Errorf("%s has no column %q", filepath.Join(s.dir, "runs.csv"), name)
	}
	if s.vals[c] == nil {
		v := make([]float64, len(s.recs))
		for r, rec := range s.recs {
			v[r] = math.NaN()
			if c < len(rec) && rec[c] != "" {
				x, err := strconv.ParseFloat(rec[c], 64)
				if err != nil {
					return nil, fmt.Errorf("%s row %d, %s: %v", filepath.Join(s.dir, "runs.csv"), r+2, name, err)
				}
				v[r] = x
			}
		}
		s.vals[c] = v
	}
	return s.vals[c], nil
}

// accepted returns the accepted runs' values of a column.
func (s *sourcePosterior) accepted(name string) ([]float64, error) {
	v, err := s.column(name)
	if err != nil {
		return nil, err
	}
	var out []float64
	for r, x := range v {
		if s.keep[r] {
			out = append(out, x)
		}
	}
	return out, nil
}

// build makes the sweep's posterior of the given columns.
func (s *sourcePosterior) build(from, accept string, cols []string) (*posterior, error) {
	p := &posterior{res: ResolvedPosterior{From: from, Accept: accept, Runs: s.runs, Columns: cols}}
	byCol := make([][]float64, len(cols))
	for k, c := range cols {
		v, err := s.accepted(c)
		if err != nil {
			return nil, err
		}
		byCol[k] = v
	}
	h := sha256.New()
	for _, c := range cols {
		h.Write([]byte(c + "\x00"))
	}
	var b [8]byte
	for r := range byCol[0] {
		row := make([]float64, len(cols))
		for k := range cols {
			row[k] = byCol[k][r]
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(row[k]))
			h.Write(b[:])
		}
		p.rows = append(p.rows, row)
	}
	p.res.Accepted = len(p.rows)
	p.res.SHA256 = hex.EncodeToString(h.Sum(nil))
	return p, nil
}

// postRow returns the accepted run that run i of the sweep takes.
func (sw *Sweep) postRow(i int) []float64 {
	p := sw.post
	u := float64(core.Stream(core.RunSeed(sw.File.Seed, i), "posterior").Float64())
	if sw.Design == LatinHypercube {
		u = (float64(p.perm.at(i)) + u) / float64(sw.Runs)
	}
	return p.rows[min(int(u*float64(len(p.rows))), len(p.rows)-1)]
}

// posterior checks the posterior block and, for the parameters that
// name a column, loads the source sweep; it gives each such parameter its
// column and the range of its values (for the scenario's checks).
func (c *checker) posterior(sw *Sweep) {
	f := &sw.File
	if f.Posterior == nil {
		for i := range f.Parameters {
			if c.has(fmt.Sprintf("parameters[%d].posterior", i)) {
				c.fail(fmt.Sprintf("parameters[%d].posterior", i), "posterior names a column of the sweep given as posterior: {from: DIR}, and this file has none")
			}
		}
		return
	}
	accept := f.Posterior.Accept
	switch accept {
	case "":
		accept = AcceptAll
	case AcceptAll, AcceptMissAtMost:
	default:
		c.fail("posterior.accept", "unknown rule %q (want %s or %s)", accept, AcceptAll, AcceptMissAtMost)
		return
	}
	if sw.Design != Random && sw.Design != LatinHypercube {
		c.fail("design", "a sweep with a posterior takes design random or latin_hypercube: the accepted runs are draws, not levels or factors")
	}
	if f.Posterior.From == "" {
		c.fail("posterior.from", "missing from: the output directory of a sweep that records score.within")
		return
	}
	dir := f.Posterior.From
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(filepath.Dir(sw.Path), dir)
	}
	src, err := loadSource(dir, accept)
	if err != nil {
		c.fail("posterior.from", "%v", err)
		return
	}
	var cols []string
	named := false
	for i, p := range f.Parameters {
		at := fmt.Sprintf("parameters[%d]", i)
		if p.Posterior == "" {
			if c.has(at + ".posterior") {
				c.fail(at+".posterior", "posterior must name a number parameter of %s (one of %s)", f.Posterior.From, strings.Join(src.params, ", "))
			}
			continue
		}
		named = true
		if !slices.Contains(src.params, p.Posterior) {
			c.fail(at+".posterior", "%s has no number parameter %q%s (it has %s)", f.Posterior.From, p.Posterior, scenarios.DidYouMean(p.Posterior, src.params), strings.Join(src.params, ", "))
			continue
		}
		for _, k := range []string{"dist", "levels", "weights", "variants"} {
			if c.has(at + "." + k) {
				c.fail(at+"."+k, "a parameter drawn from the posterior takes no %s: its values are the accepted runs' %s", k, p.Posterior)
			}
		}
		if c.has(at+".scale") && !(p.Scale > 0) {
			c.fail(at+".scale", "scale must be positive (it multiplies the accepted runs' values)")
		}
		if !slices.Contains(cols, p.Posterior) {
			cols = append(cols, p.Posterior)
		}
	}
	if !named {
		c.fail("posterior", "no parameter takes its values from the posterior (give one posterior: COLUMN)")
		return
	}
	if len(cols) == 0 {
		return
	}
	post, err := src.build(f.Posterior.From, accept, cols)
	if err != nil {
		c.fail("posterior.from", "%v", err)
		return
	}
	if len(post.rows) == 0 {
		c.fail("posterior.from", "none of the %d runs of %s is accepted (%s): there is nothing to draw from", post.res.Runs, f.Posterior.From, accept)
		return
	}
	sw.post = post
}

// dist returns the range of a column's values over the accepted runs
// (times scale), which the scenario's checks and the report read, and the
// column's index in the rows.
func (p *posterior) dist(column string, scale float64) (lo, hi float64, k int) {
	k = slices.Index(p.res.Columns, column)
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, r := range p.rows {
		lo, hi = min(lo, r[k]*scale), max(hi, r[k]*scale)
	}
	return lo, hi, k
}
