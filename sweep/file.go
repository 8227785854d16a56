package sweep

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"go.yaml.in/yaml/v3"
)

// File is a sweep file as written. See docs/sweeps.md for the format.
type File struct {
	// Name labels the sweep (default: the file's base name without .yaml).
	Name        string `yaml:"name,omitempty" json:"name,omitempty"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Base is the scenario every run starts from: a built-in name or a path
	// (relative to the sweep file).
	Base string `yaml:"base" json:"base"`
	// Set overrides fields of the base, as cascade run --set does.
	Set []string `yaml:"set,omitempty" json:"set,omitempty"`
	// Runs is the number of runs (for a grid: the grid size or a multiple;
	// for sobol: a multiple of the number of parameters plus 3).
	Runs int `yaml:"runs,omitempty" json:"runs,omitempty"`
	// Seed is the master seed: run i has seed core.RunSeed(Seed, i) (in a
	// sobol design, the seed of its base sample's A or B run).
	Seed       uint64      `yaml:"seed" json:"seed"`
	Design     string      `yaml:"design,omitempty" json:"design,omitempty"` // random (default), latin_hypercube, grid, sobol
	Parameters []Parameter `yaml:"parameters,omitempty" json:"parameters,omitempty"`
	// Metrics are paths into the run summary (summary.json), e.g.
	// assets.NKY.max_drawdown_pct, vix.peak, amplification, defaults.
	Metrics []string `yaml:"metrics,omitempty" json:"metrics,omitempty"`
	// Series are time-series columns (as in timeseries.csv) whose
	// percentile bands are kept per tick, e.g. NKY, vix, mean_corr.
	Series []string `yaml:"series,omitempty" json:"series,omitempty"`
}

// Parameter is one swept scenario field.
type Parameter struct {
	// Path is the field in the base scenario: yaml field names, list
	// elements by index or id (brokers.GS.capital, agents.hf.carry_exit,
	// events.0.rate).
	Path string `yaml:"path" json:"path"`
	// Also lists more fields that take the same value (e.g. both cells of
	// a correlation, or every broker's capital).
	Also []string `yaml:"also,omitempty" json:"also,omitempty"`
	// Name is the parameter's column in runs.parquet (default: Path).
	Name string   `yaml:"name,omitempty" json:"name,omitempty"`
	Dist sim.Dist `yaml:"dist" json:"dist"`
}

// The designs.
const (
	Random         = "random"          // independent draws from each run's own stream
	LatinHypercube = "latin_hypercube" // stratified per parameter
	Grid           = "grid"            // full factorial over list, choice and fixed values
	Sobol          = "sobol"           // Saltelli's design for variance-based (Sobol) sensitivity indices
)

// Designs lists the design names.
var Designs = []string{Random, LatinHypercube, Grid, Sobol}

// DefaultMetrics are collected when a sweep file lists none (less vix.peak
// in a world without a VIX proxy, margin_calls.count in one without prime
// brokers and compression_index in one without the levered sector).
var DefaultMetrics = []string{"headline_move_pct", "vix.peak", "correlation.peak_mean", "compression_index",
	"forced_sales_usd.total", "margin_calls.count", "defaults"}

// Sweep is a loaded and validated sweep.
type Sweep struct {
	File   File
	Path   string // the sweep file
	Source []byte // its text
	// Base is the base scenario, loaded with the file's set overrides;
	// BaseName is the name it was loaded by (for cascade run).
	Base     *scenarios.Scenario
	BaseName string
	Name     string
	Runs     int
	Design   string
	Params   []Param
	Metrics  []Metric
	Series   []string
	GridSize int  // grid: number of points
	Block    int  // sobol: runs per base sample (parameters + 3)
	Twin     bool // a metric needs the passive twin of each run
	// ScoreSeries are the time-series columns the base scenario's observed
	// list is measured on, recorded in every run when a metric is a score
	// (score.within, score.NAME); nil otherwise.
	ScoreSeries []string
	// Plan is what every run shares, from one run of the base scenario.
	Plan *Plan
	// Fingerprint identifies the sweep: a hash of the resolved base
	// scenario and of everything in the file that changes results.
	Fingerprint string

	perms []perm // latin hypercube: one permutation per parameter; sobol: A's, then B's
}

// Param is a resolved parameter.
type Param struct {
	Name    string
	Paths   []string // Path, then Also
	Targets []string // the fields as index paths ("brokers.0.capital")
	Dist    sim.Dist
	ts      []target
}

// Load reads and validates a sweep file. Invalid input returns
// scenarios.Problems listing every problem with file:line:col.
func Load(path string) (*Sweep, error) { return LoadRuns(path, 0) }

// LoadRuns is Load with the file's runs replaced by runs (0: the file's),
// as cascade sweep --runs does for a trial. The sweep is then another
// sweep, with its own fingerprint: a random design's first runs are the
// full sweep's, but a Latin hypercube of fewer runs has other points.
func LoadRuns(path string, runs int) (*Sweep, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, scenarios.Problems{{Pos: scenarios.Pos{File: path}, Msg: err.Error()}}
	}
	return parse(path, src, runs)
}

// Parse is Load on a file already read; name labels positions and is the
// directory a relative base is looked up in.
func Parse(name string, src []byte) (*Sweep, error) { return parse(name, src, 0) }

func parse(name string, src []byte, runs int) (*Sweep, error) {
	// A file of comments only has no document (scenarios.DecodeYAMLBytes
	// does not expect that).
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) == nil && len(doc.Content) == 0 {
		return nil, scenarios.Problems{{Pos: scenarios.Pos{File: name, Line: 1, Col: 1}, Msg: "empty file"}}
	}
	var f File
	at, err := scenarios.DecodeYAMLBytes(name, src, &f)
	if err != nil {
		return nil, err
	}
	c := &checker{file: name, at: at, runsFlag: runs}
	sw := &Sweep{File: f, Path: name, Source: src}
	c.sweep(sw)
	if len(c.probs) > 0 {
		return nil, c.probs.Sorted()
	}
	fp, err := sw.fingerprint()
	if err != nil {
		return nil, err
	}
	sw.Fingerprint = fp
	sw.initDesign()
	return sw, nil
}

// checker collects problems at the positions the decoder recorded.
type checker struct {
	file     string
	at       map[string]scenarios.Pos
	probs    scenarios.Problems
	runsFlag int // runs given on the command line, in place of the file's (0: none)
}

// pos returns the position of path or of its nearest recorded ancestor.
func (c *checker) pos(path string) scenarios.Pos {
	for p := path; p != ""; {
		if pos, ok := c.at[p]; ok {
			return pos
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	if pos, ok := c.at[""]; ok {
		return pos
	}
	return scenarios.Pos{File: c.file, Line: 1, Col: 1}
}

func (c *checker) has(path string) bool { _, ok := c.at[path]; return ok }

func (c *checker) fail(path, format string, args ...any) {
	c.probs = append(c.probs, scenarios.Problem{Pos: c.pos(path), Path: path, Msg: fmt.Sprintf(format, args...)})
}

// sweep checks everything and fills sw.
func (c *checker) sweep(sw *Sweep) {
	f := &sw.File
	sw.Name = f.Name
	if sw.Name == "" {
		sw.Name = strings.TrimSuffix(filepath.Base(sw.Path), filepath.Ext(sw.Path))
	}
	baseOK := c.base(sw)
	sw.Design = f.Design
	switch f.Design {
	case "":
		sw.Design = Random
	case Random, LatinHypercube, Grid, Sobol:
	default:
		c.fail("design", "unknown design %q%s (want one of %s)", f.Design, scenarios.DidYouMean(f.Design, Designs), strings.Join(Designs, ", "))
	}
	if !c.has("seed") {
		c.fail("seed", "missing seed: the master seed every run's seed derives from")
	}
	var cfg *sim.Config
	if baseOK {
		cfg = &sw.Base.File.Config
	}
	c.params(sw, cfg)
	c.runs(sw)
	if baseOK {
		c.outputs(sw)
	}
}

// base loads the base scenario; it reports whether that worked.
func (c *checker) base(sw *Sweep) bool {
	f := &sw.File
	if f.Base == "" {
		c.fail("base", "missing base: the scenario to sweep (a built-in name or a path)")
		return false
	}
	name := f.Base
	if !filepath.IsAbs(name) {
		if p := filepath.Join(filepath.Dir(sw.Path), name); fileExists(p) {
			name = p
		}
	}
	sc, err := scenarios.Load(name, f.Set)
	if err != nil {
		var ps scenarios.Problems
		if !errors.As(err, &ps) {
			c.fail("base", "%v", err)
			return false
		}
		own := false
		for _, p := range ps {
			if k, ok := setIndex(p.Pos.File); ok {
				c.fail(fmt.Sprintf("set[%d]", k), "%s", strings.TrimPrefix(p.String(), p.Pos.String()+": "))
				own = true
				continue
			}
			if p.Pos.File == name && p.Pos.Line == 0 { // no such scenario
				c.fail("base", "%s", p.Msg)
				own = true
				continue
			}
			c.probs = append(c.probs, p)
		}
		if !own {
			c.fail("base", "scenario %q is invalid (see its problems)", f.Base)
		}
		return false
	}
	sw.Base, sw.BaseName = sc, name
	return true
}

// setIndex recognizes the position label of a --set override ("--set #2").
func setIndex(file string) (int, bool) {
	s, ok := strings.CutPrefix(file, "--set #")
	if !ok {
		return 0, false
	}
	k, err := strconv.Atoi(s)
	return k - 1, err == nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// params resolves and checks the parameters (against cfg when the base loaded).
func (c *checker) params(sw *Sweep, cfg *sim.Config) {
	seen := map[string]string{}
	for i, p := range sw.File.Parameters {
		at := fmt.Sprintf("parameters[%d]", i)
		q := Param{Name: p.Name, Paths: append([]string{p.Path}, p.Also...), Dist: p.Dist}
		if q.Name == "" {
			q.Name = p.Path
		}
		ok := true
		if p.Path == "" {
			c.fail(at+".path", "missing path: the scenario field to sweep (e.g. leverage_scale, brokers.GS.capital)")
			ok = false
		}
		scenarios.CheckDist(c.has, c.fail, at+".dist", &p.Dist)
		if field, err := p.Dist.Validate(); err != nil {
			c.fail(at+".dist."+field, "%v", err)
			ok = false
		}
		if ok && sw.Design == Grid {
			switch p.Dist.Kind {
			case "fixed", "list":
			case "choice":
				if len(p.Dist.Weights) > 0 {
					c.fail(at+".dist.weights", "a grid takes every value once: weights have no meaning in a grid")
					ok = false
				}
			default:
				c.fail(at+".dist.kind", "a grid needs list, choice or fixed values; %s is continuous (use design: latin_hypercube or random)", p.Dist.Kind)
				ok = false
			}
		}
		if ok && cfg != nil {
			for k, path := range q.Paths {
				pat := at + ".path"
				if k > 0 {
					pat = fmt.Sprintf("%s.also[%d]", at, k-1)
				}
				ts, err := resolve(cfg, path)
				if err != nil {
					c.fail(pat, "%v", err)
					ok = false
					continue
				}
				for _, t := range ts {
					if prev, dup := seen[t.String()]; dup {
						c.fail(pat, "the same field as %s (%s)", prev, t)
						ok = false
					}
					seen[t.String()] = pat
					if len(q.ts) > 0 && (t.kind != q.ts[0].kind || t.eventTick != q.ts[0].eventTick) {
						c.fail(pat, "%s is not the same kind of number as %s, so they cannot share a value", field(path, t), field(p.Path, q.ts[0]))
						ok = false
					}
					q.ts = append(q.ts, t)
					q.Targets = append(q.Targets, t.String())
				}
			}
		}
		if ok && cfg != nil {
			c.values(sw, at, &q)
		}
		sw.Params = append(sw.Params, q)
	}
}

// field names a parameter's field as the file wrote it or, for a path with
// a wildcard, as the field the wildcard stood for.
func field(path string, t target) string {
	if slices.Contains(strings.Split(path, "."), scenarios.Wildcard) {
		return t.String()
	}
	return path
}

// values checks that the values a distribution can take suit its field:
// whole numbers for whole-number fields, and the scenario stays valid at
// both ends of the distribution's range.
func (c *checker) values(sw *Sweep, at string, q *Param) {
	d := &q.Dist
	path, t := q.Paths[0], q.ts[0]
	discrete := d.Kind == "fixed" || d.Kind == "list" || d.Kind == "choice"
	switch t.kind {
	case kindInt:
		if !discrete {
			c.fail(at+".dist.kind", "%s is a whole number: use a fixed, list or choice distribution, not %s", path, d.Kind)
			return
		}
		for _, v := range levels(d) {
			if v != math.Trunc(v) {
				c.fail(at+".dist", "%s is a whole number, and %v is not", path, v)
				return
			}
		}
	case kindBool:
		if !discrete {
			c.fail(at+".dist.kind", "%s is true or false: use a list or choice of 0 and 1, not %s", path, d.Kind)
			return
		}
		for _, v := range levels(d) {
			if v != 0 && v != 1 {
				c.fail(at+".dist", "%s is true or false: values must be 0 or 1, not %v", path, v)
				return
			}
		}
	}
	lo, hi := d.Range()
	for _, end := range []struct {
		name string
		v    float64
	}{{"lower", lo}, {"upper", hi}} {
		// An event tick too: --set events.N.tick replaces the event's at,
		// as the parameter does, so the loader checks the tick as it
		// checks cascade run --set events.N.tick.
		val := formatValue(t.kind, end.v)
		sets := append([]string(nil), sw.File.Set...)
		for _, p := range q.Paths {
			sets = append(sets, p+"="+val)
		}
		if _, err := scenarios.Load(sw.BaseName, sets); err != nil {
			msg := err.Error()
			var ps scenarios.Problems
			if errors.As(err, &ps) && len(ps) > 0 {
				msg = ps[0].Msg
				if ps[0].Path != "" {
					msg = ps[0].Path + ": " + msg
				}
			}
			c.fail(at+".dist", "at the %s end of its range (%s = %s) the scenario is invalid: %s", end.name, path, val, msg)
			return
		}
		if lo == hi {
			break
		}
	}
}

// formatValue writes a parameter value as --set takes it.
func formatValue(kind int, v float64) string {
	if kind == kindBool {
		return strconv.FormatBool(v != 0)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// levels returns the values of a discrete distribution, in order.
func levels(d *sim.Dist) []float64 {
	if d.Kind == "fixed" {
		return []float64{d.Value}
	}
	return d.Values
}

// runs checks the number of runs (the file's, or the command line's
// runsFlag in its place) against the design.
func (c *checker) runs(sw *Sweep) {
	f := &sw.File
	if c.runsFlag == 0 && c.has("runs") && f.Runs <= 0 {
		c.fail("runs", "runs must be at least 1 (got %d)", f.Runs)
		return
	}
	if sw.Design == Grid {
		g := c.gridSize(sw)
		if g == 0 {
			return
		}
		sw.GridSize = g
		switch {
		case c.runsFlag > 0 && c.runsFlag%g != 0:
			c.probs = append(c.probs, scenarios.Problem{Pos: scenarios.Pos{File: c.file},
				Msg: fmt.Sprintf("--runs %d: a grid of %d points needs %d runs or a multiple of it", c.runsFlag, g, g)})
		case c.runsFlag > 0:
			sw.Runs = c.runsFlag
		case !c.has("runs"):
			sw.Runs = g
		case f.Runs%g != 0:
			c.fail("runs", "a grid of %d points needs runs to be %d or a multiple of it (each point repeated with other seeds), not %d", g, g, f.Runs)
		default:
			sw.Runs = f.Runs
		}
		return
	}
	if sw.Design == Sobol {
		c.sobolRuns(sw)
		return
	}
	switch {
	case c.runsFlag > 0:
		sw.Runs = c.runsFlag
	case !c.has("runs"):
		c.fail("runs", "missing runs: how many runs to make")
	default:
		sw.Runs = f.Runs
	}
}

// sobolRuns checks the runs of a sobol design: whole base samples of
// Block runs each (A, B, one run per parameter with that parameter from B,
// and one with B's seed), and at least two of them.
func (c *checker) sobolRuns(sw *Sweep) {
	np := len(sw.Params)
	if np == 0 {
		c.fail("design", "a sobol design needs at least one parameter to vary")
		return
	}
	b := np + 3
	sw.Block = b
	n := sw.File.Runs
	switch {
	case c.runsFlag > 0:
		n = c.runsFlag
	case !c.has("runs"):
		c.fail("runs", "missing runs: how many runs to make (a multiple of %d for this sobol design)", b)
		return
	}
	if n%b == 0 && n >= 2*b {
		sw.Runs = n
		return
	}
	fix := fmt.Sprintf("%d", 2*b)
	if n > 2*b {
		fix = fmt.Sprintf("%d or %d", n/b*b, (n/b+1)*b)
	}
	why := fmt.Sprintf("a sobol design of %d %s makes %d runs per base sample (A, B, one per parameter, one with B's seed) and needs at least two",
		np, plural(np, "parameter", "parameters"), b)
	if c.runsFlag > 0 {
		c.probs = append(c.probs, scenarios.Problem{Pos: scenarios.Pos{File: c.file},
			Msg: fmt.Sprintf("--runs %d: %s: make %s runs", n, why, fix)})
		return
	}
	c.fail("runs", "%s: runs must be a multiple of %d and at least %d, not %d (%s)", why, b, 2*b, n, fix)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// gridSize returns the number of points of a grid design, or 0 when a
// parameter's problem is already reported or the grid is too large.
func (c *checker) gridSize(sw *Sweep) int {
	g := 1
	for _, p := range sw.Params {
		if p.Dist.Kind == "" || (p.Dist.Kind != "fixed" && len(p.Dist.Values) == 0) {
			return 0 // reported already
		}
		g *= len(levels(&p.Dist))
		if g > 1<<31 {
			c.fail("parameters", "the grid has more than 2^31 points")
			return 0
		}
	}
	return g
}

// outputs checks the metrics and series against a run of the base
// scenario, and records that run as the sweep's plan.
func (c *checker) outputs(sw *Sweep) {
	before := len(c.probs)
	cfg := &sw.Base.File.Config
	names, err := seriesNames(cfg)
	if err != nil {
		c.fail("base", "the base scenario does not build: %v", err)
		return
	}
	series := sw.File.Series
	seriesAt := "series"
	if len(series) == 0 {
		series = defaultSeries(cfg)
	}
	seen := map[string]bool{}
	var good []string // the series that check out: the base run below records them
	for i, s := range series {
		at := fmt.Sprintf("%s[%d]", seriesAt, i)
		switch {
		case !contains(names, s):
			c.fail(at, "unknown series %q%s (series are timeseries.csv columns: asset IDs, vix, mean_corr, dealer_util, ...)", s, scenarios.DidYouMean(s, names))
		case seen[s]:
			c.fail(at, "series %q listed twice", s)
		default:
			good = append(good, s)
		}
		seen[s] = true
	}
	// A bad series does not stop the metrics' check: every problem is
	// reported at once.
	sw.Series = good
	if len(c.probs) == before {
		sw.Series = series
	}
	plan, sum, err := basePlan(sw)
	if err != nil {
		c.fail("base", "the base scenario does not run: %v", err)
		return
	}
	sw.Plan = plan
	// The compression index measures the levered sector (hedge funds,
	// CTAs, risk-parity and vol-control funds): without it the index is
	// null in every run.
	levered := sum.Has(sim.Levered...)
	metrics := sw.File.Metrics
	if len(metrics) == 0 {
		// The defaults, less what the world cannot have: a VIX proxy
		// without an equity or a vix_asset, margin calls without brokers,
		// a compression index without the levered sector.
		for _, m := range DefaultMetrics {
			if (m == "vix.peak" && !sum.HasVIX()) || (m == "margin_calls.count" && !sum.Has("prime_broker")) ||
				(m == "compression_index" && !levered) {
				continue
			}
			metrics = append(metrics, m)
		}
	}
	assets := make([]string, len(cfg.Assets))
	for i, a := range cfg.Assets {
		assets[i] = a.ID
	}
	for i, m := range metrics {
		at := fmt.Sprintf("metrics[%d]", i)
		if m == "score" || strings.HasPrefix(m, "score.") {
			k, err := resolveScore(m, sw.Base.File.Observed, sw.BaseName)
			switch {
			case err != nil:
				c.fail(at, "%v", err)
			case sw.hasMetric(m):
				c.fail(at, "metric %q listed twice", m)
			default:
				sw.Metrics = append(sw.Metrics, Metric{Name: m, Path: m, score: k})
			}
			continue
		}
		g, err := resolveMetric(sum, m, assets)
		if err != nil {
			c.fail(at, "%v", err)
			continue
		}
		if sw.hasMetric(m) {
			c.fail(at, "metric %q listed twice", m)
			continue
		}
		sw.Metrics = append(sw.Metrics, Metric{Name: m, Path: m, get: g})
		sw.Twin = sw.Twin || g.twin
	}
	for _, m := range sw.Metrics {
		if m.score != 0 {
			sw.ScoreSeries = output.ScoreColumns(sw.Base.File.Observed)
			break
		}
	}
	for _, col := range sw.ScoreSeries {
		if !contains(names, col) {
			c.fail("metrics", "the base scenario's observed list reads series %q, which its runs do not report", col)
		}
	}
	// The compression plot needs these two; collect them if not asked for
	// (and the world has a levered sector to draw).
	for _, m := range []string{"compression_index", "headline_move_pct"} {
		if !sw.hasMetric(m) && (levered || m != "compression_index") {
			g, err := resolveMetric(sum, m, assets)
			if err != nil {
				c.fail("metrics", "%v", err)
				continue
			}
			sw.Metrics = append(sw.Metrics, Metric{Name: m, Path: m, get: g})
		}
	}
	cols := map[string]string{"index": "a fixed column", "seed": "a fixed column"}
	for i, p := range sw.Params {
		at := fmt.Sprintf("parameters[%d].name", i)
		if prev, ok := cols[p.Name]; ok {
			c.fail(at, "column %q is already %s", p.Name, prev)
		}
		cols[p.Name] = fmt.Sprintf("the name of parameters[%d]", i)
	}
	for i, m := range sw.Metrics {
		at := "metrics"
		if i < len(sw.File.Metrics) {
			at = fmt.Sprintf("metrics[%d]", i)
		}
		if prev, ok := cols[m.Name]; ok {
			c.fail(at, "column %q is already %s", m.Name, prev)
		}
		cols[m.Name] = fmt.Sprintf("metrics[%d]", i)
	}
}

func (sw *Sweep) hasMetric(path string) bool {
	for _, m := range sw.Metrics {
		if m.Path == path {
			return true
		}
	}
	return false
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// Columns returns the columns of runs.parquet: index, seed, the parameters
// and the metrics.
func (sw *Sweep) Columns() []string {
	cols := []string{"index", "seed"}
	for _, p := range sw.Params {
		cols = append(cols, p.Name)
	}
	for _, m := range sw.Metrics {
		cols = append(cols, m.Name)
	}
	return cols
}

// Resolved is the sweep as run: what the manifest records and the
// fingerprint hashes (with the resolved base scenario).
type Resolved struct {
	Name       string          `json:"name"`
	Base       string          `json:"base"`
	Runs       int             `json:"runs"`
	Seed       uint64          `json:"seed"`
	Design     string          `json:"design"`
	GridSize   int             `json:"grid_size,omitempty"`
	Parameters []ResolvedParam `json:"parameters"`
	Metrics    []string        `json:"metrics"`
	Series     []string        `json:"series"`
	Twin       bool            `json:"passive_twin"`
}

// ResolvedParam is one parameter as run.
type ResolvedParam struct {
	Name    string   `json:"name"`
	Paths   []string `json:"paths"`
	Targets []string `json:"targets"` // the fields, as index paths
	Dist    sim.Dist `json:"dist"`
}

// Resolved returns the sweep as run.
func (sw *Sweep) Resolved() Resolved {
	r := Resolved{Name: sw.Name, Base: sw.File.Base, Runs: sw.Runs, Seed: sw.File.Seed, Design: sw.Design, GridSize: sw.GridSize,
		Parameters: []ResolvedParam{}, Series: sw.Series, Twin: sw.Twin}
	for _, p := range sw.Params {
		r.Parameters = append(r.Parameters, ResolvedParam{Name: p.Name, Paths: p.Paths, Targets: p.Targets, Dist: p.Dist})
	}
	for _, m := range sw.Metrics {
		r.Metrics = append(r.Metrics, m.Path)
	}
	return r
}

// fingerprint hashes what determines the sweep's results: the resolved
// base scenario (without comments) and the resolved sweep, less its name.
func (sw *Sweep) fingerprint() (string, error) {
	base, err := stripComments(sw.Base.Resolved)
	if err != nil {
		return "", err
	}
	r := sw.Resolved()
	r.Name, r.Base = "", ""
	js, err := json.Marshal(struct {
		Schema   string   `json:"schema"`
		Sweep    Resolved `json:"sweep"`
		Scenario string   `json:"scenario"`
	}{ManifestSchema, r, string(base)})
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(js)
	return hex.EncodeToString(h[:]), nil
}

// stripComments re-encodes YAML without its comments.
func stripComments(src []byte) ([]byte, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(src, &n); err != nil {
		return nil, err
	}
	var clear func(*yaml.Node)
	clear = func(n *yaml.Node) {
		n.HeadComment, n.LineComment, n.FootComment = "", "", ""
		for _, c := range n.Content {
			clear(c)
		}
	}
	clear(&n)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
