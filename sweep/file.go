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
	Seed   uint64 `yaml:"seed" json:"seed"`
	Design string `yaml:"design,omitempty" json:"design,omitempty"` // random (default), latin_hypercube, grid, sobol
	// PairSeeds (grid only) gives replicate r of every grid point the seed
	// core.RunSeed(Seed, r), so that runs differing in their parameters
	// share their noise path and draws (common random numbers); the report
	// then gives each parameter's paired differences (paired.csv).
	PairSeeds  bool        `yaml:"pair_seeds,omitempty" json:"pair_seeds,omitempty"`
	Parameters []Parameter `yaml:"parameters,omitempty" json:"parameters,omitempty"`
	// Metrics are paths into the run summary (summary.json), e.g.
	// assets.NKY.max_drawdown_pct, vix.peak, amplification, defaults, or
	// defaulted.ID; a * in an agent's id stands for every agent's
	// (defaulted.*, capital.by_agent.*.loss), expanded against the base.
	Metrics []string `yaml:"metrics,omitempty" json:"metrics,omitempty"`
	// Series are time-series columns (as in timeseries.csv) whose
	// percentile bands are kept per tick, e.g. NKY, vix, mean_corr.
	Series []string `yaml:"series,omitempty" json:"series,omitempty"`
	// Posterior is an earlier scored sweep whose accepted runs some
	// parameters take their values from, jointly (see Parameter.Posterior).
	Posterior *Posterior `yaml:"posterior,omitempty" json:"posterior,omitempty"`
}

// Parameter is one swept scenario field.
type Parameter struct {
	// Path is the field in the base scenario: yaml field names, list
	// elements by index or id (brokers.GS.capital, agents.hf.carry_exit,
	// events.0.rate).
	Path string `yaml:"path" json:"path"`
	// Also lists more fields the parameter sets: each takes the same value
	// (e.g. both cells of a correlation, or every broker's capital), or
	// with times and plus, times·value + plus (corporate bonds shocked by
	// half the government bonds' shock).
	Also []Tie `yaml:"also,omitempty" json:"also,omitempty"`
	// TimesBase makes the value a factor: each field the parameter sets
	// takes its own base value times what it would take without it (v,
	// or a tie's times·v + plus), so one parameter scales fields of
	// different sizes together (every broker's capital, each its own).
	TimesBase bool `yaml:"times_base,omitempty" json:"times_base,omitempty"`
	// Name is the parameter's column in runs.parquet (default: Path).
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// Dist draws a number field's values.
	Dist sim.Dist `yaml:"dist,omitempty" json:"dist,omitempty"`
	// Levels are the values a text field takes, in place of Dist
	// (conventions.execution: [pre, mid, post]), or a true-or-false
	// field's, written true and false (funding.facility_on: [true,
	// false]); each run takes one, equally likely or by Weights.
	Levels []string `yaml:"levels,omitempty" json:"levels,omitempty"`
	// Variants are named sets of overrides, in place of Path and Dist or
	// Levels: each run takes one variant and starts from the base with
	// its overrides applied (noise: normal, or student_t with
	// noise.distribution=student_t and noise.df=4). They vary what one
	// field cannot: a model choice that brings fields of its own.
	Variants []Variant `yaml:"variants,omitempty" json:"variants,omitempty"`
	// Weights are the relative weights of the levels or variants
	// (default: equal).
	Weights []float64 `yaml:"weights,omitempty" json:"weights,omitempty"`
	// Posterior names a number parameter of the file's posterior sweep,
	// in place of Dist: each run takes its value in one of that sweep's
	// accepted runs, the same run for every such parameter.
	Posterior string `yaml:"posterior,omitempty" json:"posterior,omitempty"`
	// Scale multiplies a posterior value (default 1): a depth measured in
	// one world carried to a deeper one.
	Scale float64 `yaml:"scale,omitempty" json:"scale,omitempty"`
}

// Tie is an entry of a parameter's also: a field the parameter sets,
// written as its path alone (it takes the parameter's value v) or as
// {path: P, times: a, plus: b}, which takes a·v + b.
type Tie struct {
	Path string `yaml:"path" json:"path"`
	// Times is the factor a (default 1; not 0), Plus the offset b
	// (default 0). A whole-number field needs whole numbers; a text or
	// true-or-false field takes neither.
	Times *float64 `yaml:"times,omitempty" json:"times,omitempty"`
	Plus  *float64 `yaml:"plus,omitempty" json:"plus,omitempty"`
}

// ShorthandField lets a file write a tie as its path alone.
func (Tie) ShorthandField() string { return "path" }

// affine returns the tie's factor and offset, with their defaults.
func (t Tie) affine() affine {
	a := affine{times: 1}
	if t.Times != nil {
		a.times = *t.Times
	}
	if t.Plus != nil {
		a.plus = *t.Plus
	}
	return a
}

// affine is how a field follows its parameter's value v: it takes
// times·v + plus, and with times_base (scaled) that times its base value.
type affine struct {
	times, plus float64
	scaled      bool
	base        float64
}

// plain reports whether the field takes v itself.
func (a affine) plain() bool { return a.times == 1 && a.plus == 0 && !a.scaled }

// of returns the field's value at the parameter's value v: v itself for
// a plain tie (bit for bit, as before ties had a factor), else
// times·v + plus, rounded once after the product (no fused multiply-add,
// whatever the platform: docs/determinism.md), then times the base value
// with times_base.
func (a affine) of(v float64) float64 {
	w := v
	if a.times != 1 || a.plus != 0 {
		w = float64(a.times*v) + a.plus
	}
	if a.scaled {
		w *= a.base
	}
	return w
}

// Variant is one value of a parameter of variants: a name and the
// overrides it makes, written as cascade run --set takes them.
type Variant struct {
	// Name labels the variant in the runs table, the report and the plots.
	Name string `yaml:"name" json:"name"`
	// Set lists the variant's overrides ("noise.df=4"); none: the base as
	// it is.
	Set []string `yaml:"set,omitempty" json:"set,omitempty"`
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
	// bases are the base configurations of the combinations of the
	// parameters of variants (vars, in order; the last varies fastest);
	// nil without variants.
	bases []*sim.Config
	vars  []int
	// comboSets are the overrides each combination's configuration was
	// loaded with: the file's set, the variants' own, and the channels
	// the variants switch off added to the base's in one channels.off.
	comboSets [][]string
	post      *posterior // nil without a posterior block
	// at are the positions of the file's fields, for problems found
	// after loading (CheckRuns).
	at map[string]scenarios.Pos
}

// Param is a resolved parameter.
type Param struct {
	Name    string
	Paths   []string // Path, then Also's paths
	Targets []string // the fields as index paths ("brokers.0.capital")
	// Ties are the also entries with their factors and offsets, one per
	// entry (Paths[1:]); nil when every one takes the value itself.
	Ties []ResolvedTie
	// TimesBase makes the value a factor of each field's base value,
	// BaseValues (by Targets).
	TimesBase  bool
	BaseValues []float64
	// Dist draws the value; for a text field, the index of its level (a
	// choice of 0, 1, ... len(Levels)-1).
	Dist   sim.Dist
	Levels []string // a text field's values, or the variants' names; nil for a number
	// Boolean marks a true-or-false field: Dist draws 1 (true) or 0
	// (false), and Label writes them true and false.
	Boolean bool
	// Sets are the overrides of each variant (a parameter of variants:
	// Paths is then empty and Targets lists the fields the overrides
	// name); nil for a field.
	Sets [][]string
	// Posterior is the column of the posterior sweep the parameter takes
	// (times Scale); "" for a drawn parameter. Dist then spans the
	// accepted runs' values.
	Posterior string
	Scale     float64
	ts        []target
	fx        []affine // how each of ts follows the value
	pk        []int    // the index in Paths of the path that names each of ts
	postCol   int      // Posterior's column in the posterior's rows
}

// Label writes value v of the parameter as the runs table shows it: a
// text field's level (the empty level as "", written out), or the number.
func (p *Param) Label(v float64) string { return labelOf(p.Levels, p.Boolean, v) }

// label writes v as a level of levels or, with none, as a number (NaN
// and infinities as "NaN", "+Inf", "-Inf"). The empty level is written
// `""`, as in the sweep file: in CSV an empty field reads as missing.
func label(levels []string, v float64) string { return labelOf(levels, false, v) }

// labelOf is label, and for a true-or-false field (boolean) writes 1 as
// true and 0 as false.
func labelOf(levels []string, boolean bool, v float64) string {
	if boolean && (v == 0 || v == 1) {
		return strconv.FormatBool(v == 1)
	}
	if l, ok := level(levels, v); ok {
		if l == "" {
			return `""`
		}
		return l
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// level returns the level with index v.
func level(levels []string, v float64) (string, bool) {
	if k := int(v); float64(k) == v && k >= 0 && k < len(levels) {
		return levels[k], true
	}
	return "", false
}

// setValue formats v as cascade run --set takes the parameter's fields.
func (p *Param) setValue(v float64) string {
	if l, ok := level(p.Levels, v); ok {
		return yamlText(l)
	}
	return formatValue(p.ts[0].kind, v)
}

// yamlText writes s so that --set reads it back as the text s: as it is
// when YAML takes it as that string, else double-quoted.
func yamlText(s string) string {
	var n yaml.Node
	if yaml.Unmarshal([]byte(s), &n) == nil && len(n.Content) == 1 {
		if v := n.Content[0]; v.Kind == yaml.ScalarNode && v.Tag == "!!str" && v.Value == s && v.Style == 0 {
			return s
		}
	}
	return strconv.Quote(s)
}

// Load reads and validates a sweep file. Invalid input returns
// scenarios.Problems listing every problem with file:line:col.
func Load(path string) (*Sweep, error) { return LoadRuns(path, 0) }

// LoadRuns is Load with the file's runs replaced by runs (0: the file's),
// as cascade sweep --runs does for a trial. The sweep is then another
// sweep, with its own fingerprint: a random design's first runs are the
// full sweep's, but a Latin hypercube of fewer runs has other points.
func LoadRuns(path string, runs int) (*Sweep, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, scenarios.Problems{{Pos: scenarios.Pos{File: path}, Msg: dirNotSweep(path)}}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, scenarios.Problems{{Pos: scenarios.Pos{File: path}, Msg: err.Error()}}
	}
	return parse(path, src, runs)
}

// dirNotSweep says that dir, given as a sweep file, is a directory: a
// sweep's or a run's output directory (by its manifest), or another.
func dirNotSweep(dir string) string {
	man := filepath.Join(dir, "manifest.json")
	if src, err := os.ReadFile(man); err == nil {
		switch m, ok := readManifestHead(man, src); {
		case ok && m.Schema == ManifestSchema:
			return "a sweep's output directory, not a sweep file: " + m.instead(man)
		case ok && m.Schema == scenarios.RunManifestSchema:
			return fmt.Sprintf("a run's output directory, not a sweep file: a sweep file names the scenario to sweep (base: %s stands for the scenario that run ran) and says how to vary it (docs/sweeps.md)", man)
		}
	}
	return "a directory, not a sweep file"
}

// manifestHead is what a manifest.json given for a sweep file says of
// itself: its schema, and a sweep's file and reproduce command.
type manifestHead struct {
	Schema    string `json:"schema"`
	SweepFile string `json:"sweep_file"`
	Reproduce string `json:"reproduce"`
}

// readManifestHead reads src, the file at p, as a manifest, if it is
// JSON (scenarios.LooksJSON) with a schema.
func readManifestHead(p string, src []byte) (*manifestHead, bool) {
	if !scenarios.LooksJSON(p, src) {
		return nil, false
	}
	var m manifestHead
	if json.Unmarshal(src, &m) != nil || m.Schema == "" {
		return nil, false
	}
	return &m, true
}

// instead says, for a sweep's manifest at p, what to give cascade sweep
// instead.
func (m *manifestHead) instead(p string) string {
	msg := "give cascade sweep the sweep file it was made from"
	if m.SweepFile != "" {
		msg += ", " + m.SweepFile
	}
	msg += fmt.Sprintf(" (its text is recorded in the sweep_source of %s)", p)
	if m.Reproduce != "" {
		msg += "; the command that made it: " + m.Reproduce
	}
	return msg
}

// manifestNotSweep recognizes a manifest.json given as a sweep file,
// which would otherwise be refused key by key as unknown fields: a
// sweep's says which sweep file to give instead, a run's how a sweep file
// names it; JSON that is not valid is reported as JSON.
func manifestNotSweep(name string, src []byte) (scenarios.Problem, bool) {
	if !scenarios.LooksJSON(name, src) {
		return scenarios.Problem{}, false
	}
	var m manifestHead
	if err := json.Unmarshal(src, &m); err != nil {
		if _, ok := err.(*json.SyntaxError); ok {
			return scenarios.JSONProblem(name, src, err), true
		}
		return scenarios.Problem{}, false
	}
	at := scenarios.Pos{File: name, Line: 1, Col: 1}
	switch m.Schema {
	case ManifestSchema:
		return scenarios.Problem{Pos: at, Msg: "this is a sweep's manifest, not a sweep file: " + m.instead(name)}, true
	case scenarios.RunManifestSchema:
		return scenarios.Problem{Pos: at, Msg: fmt.Sprintf("this is a run's manifest, not a sweep file: a sweep file names the scenario to sweep (base: %s stands for the scenario that run ran) and says how to vary it (docs/sweeps.md)", name)}, true
	}
	return scenarios.Problem{}, false
}

// Parse is Load on a file already read; name labels positions and is the
// directory a relative base is looked up in.
func Parse(name string, src []byte) (*Sweep, error) { return parse(name, src, 0) }

func parse(name string, src []byte, runs int) (*Sweep, error) {
	if p, ok := manifestNotSweep(name, src); ok {
		return nil, scenarios.Problems{p}
	}
	// A file of comments only has no document (scenarios.DecodeYAMLBytes
	// does not expect that).
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) == nil && len(doc.Content) == 0 {
		return nil, scenarios.Problems{{Pos: scenarios.Pos{File: name, Line: 1, Col: 1}, Msg: "empty file"}}
	}
	if p, ok := scenarioNotSweep(name, &doc); ok {
		return nil, scenarios.Problems{p}
	}
	var f File
	bools := map[string]string{}
	at, err := scenarios.DecodeYAMLBytesEdited(name, src, &f, func(root *yaml.Node) { readBools(root, bools) })
	if err != nil {
		return nil, runsRange(err)
	}
	c := &checker{file: name, at: at, runsFlag: runs, bools: bools}
	sw := &Sweep{File: f, Path: name, Source: src, at: at}
	c.sweep(sw)
	if len(c.probs) == 0 {
		sw.initDesign()
		c.tails(sw)
	}
	if len(c.probs) > 0 {
		return nil, c.probs.Sorted()
	}
	fp, err := sw.fingerprint()
	if err != nil {
		return nil, err
	}
	sw.Fingerprint = fp
	return sw, nil
}

// scenarioNotSweep recognizes a scenario file given as a sweep file (it
// has no base: and has a scenario's own keys), which would otherwise be
// refused key by key as unknown fields, and says what a sweep file is.
func scenarioNotSweep(name string, doc *yaml.Node) (scenarios.Problem, bool) {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return scenarios.Problem{}, false
	}
	m := doc.Content[0]
	var own []string
	for k := 0; k+1 < len(m.Content); k += 2 {
		switch key := m.Content[k].Value; key {
		case "base":
			return scenarios.Problem{}, false
		case "assets", "agents", "brokers", "dealers", "events", "extends", "start", "ticks", "channels", "observed":
			own = append(own, key)
		}
	}
	if len(own) == 0 {
		return scenarios.Problem{}, false
	}
	return scenarios.Problem{Pos: scenarios.Pos{File: name, Line: m.Line, Col: m.Column},
		Msg: fmt.Sprintf("this is a scenario file (it has %s and no base:), not a sweep file: a sweep file names the scenario to sweep and says how, e.g.\n  base: %s\n  seed: 1\n  runs: 200\n  parameters:\n    - {path: leverage_scale, dist: {kind: uniform, min: 0.5, max: 1.0}}\n(docs/sweeps.md); run a scenario itself with cascade run %s",
			strings.Join(own, ", "), filepath.Base(name), name)}, true
}

// readBools lets a parameter write a true-or-false field's values as
// true and false: each parameter's levels written so become the text
// "true" or "false", and its dist's value and values the numbers 1 and 0,
// which the decoder then takes. bools records the path of every value
// rewritten, with the spelling the file gave it, for the checker: only a
// true-or-false field takes them (checker.boolLevels, checker.numbers).
func readBools(root *yaml.Node, bools map[string]string) {
	ps := mapValue(root, "parameters")
	if ps == nil || ps.Kind != yaml.SequenceNode {
		return
	}
	rewrite := func(n *yaml.Node, path string, text bool) {
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return
		}
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err != nil {
			return
		}
		bools[path] = n.Value
		n.Style = 0
		switch {
		case text:
			n.Tag, n.Value = "!!str", strconv.FormatBool(b)
		case b:
			n.Tag, n.Value = "!!int", "1"
		default:
			n.Tag, n.Value = "!!int", "0"
		}
	}
	for i, p := range ps.Content {
		at := fmt.Sprintf("parameters[%d]", i)
		if ls := mapValue(p, "levels"); ls != nil && ls.Kind == yaml.SequenceNode {
			for k, l := range ls.Content {
				rewrite(l, fmt.Sprintf("%s.levels[%d]", at, k), true)
			}
		}
		d := mapValue(p, "dist")
		if v := mapValue(d, "value"); v != nil {
			rewrite(v, at+".dist.value", false)
		}
		if vs := mapValue(d, "values"); vs != nil && vs.Kind == yaml.SequenceNode {
			for k, v := range vs.Content {
				rewrite(v, fmt.Sprintf("%s.dist.values[%d]", at, k), false)
			}
		}
	}
}

// mapValue returns the value of key in mapping m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for k := 0; k+1 < len(m.Content); k += 2 {
		if m.Content[k].Value == key {
			return m.Content[k+1]
		}
	}
	return nil
}

// checker collects problems at the positions the decoder recorded.
type checker struct {
	file string
	at   map[string]scenarios.Pos
	// bools are the values the file wrote as true or false (readBools),
	// by path, with their spelling.
	bools    map[string]string
	probs    scenarios.Problems
	runsFlag int // runs given on the command line, in place of the file's (0: none)
	// bare is the base scenario without the file's set, once addsKey
	// needs it.
	bare       *sim.Config
	bareLoaded bool
	// combos are the base scenarios the parameters are checked under: the
	// base with the file's set, or each combination of the variants;
	// nil when the base did not load.
	combos []combo
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
	} else if p := scenarios.NameProblem(sw.Name); p != "" {
		c.fail("name", "%s", p)
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
	if f.PairSeeds && sw.Design != Grid {
		why := fmt.Sprintf("each run of a %s design has values of its own, so no two runs differ in one parameter only", strings.ReplaceAll(sw.Design, "_", " "))
		if sw.Design == Sobol {
			why = "a sobol design pairs its own seeds: the seed is one of its factors"
		}
		c.fail("pair_seeds", "pair_seeds needs design: grid, whose replicate r runs every grid point at one seed; %s", why)
	}
	var cfg *sim.Config
	if baseOK {
		cfg = &sw.Base.File.Config
	}
	c.posterior(sw)
	c.params(sw, cfg)
	c.fileSets(sw, cfg)
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
				msg := p.Msg
				if strings.HasPrefix(msg, "no scenario file") && !filepath.IsAbs(f.Base) && strings.ContainsAny(f.Base, `/\`) {
					tried, _ := filepath.Abs(filepath.Join(filepath.Dir(sw.Path), f.Base))
					msg = fmt.Sprintf("no scenario file %q: a relative base is read from the sweep file's directory, and %s does not exist", f.Base, tried)
				}
				c.fail("base", "%s", msg)
				own = true
				continue
			}
			c.probs = append(c.probs, p)
		}
		switch {
		case own:
		case len(f.Set) > 0 && validBase(name):
			// The base's own lines are listed, but the overrides broke
			// them: set: [ticks=48] leaves aug2024's events past the end.
			c.fail("set", "scenario %q is valid as it is, and these overrides make it invalid (see its problems)", f.Base)
		default:
			c.fail("base", "scenario %q is invalid (see its problems)", f.Base)
		}
		return false
	}
	sw.Base, sw.BaseName = sc, name
	return true
}

// fileSets refuses overrides in the file's set that no run keeps, which
// were ignored without a word: seed (each run's seed derives from the
// sweep's seed and the run index) and a field a parameter sweeps (the
// parameter's value replaces the set's in every run). The set's fields
// are resolved against cfg, the base (nil when it did not load), so that
// agents.0.carry_exit meets agents.hf.carry_exit.
func (c *checker) fileSets(sw *Sweep, cfg *sim.Config) {
	for j, s := range sw.File.Set {
		at := fmt.Sprintf("set[%d]", j)
		path, _ := setPath(s)
		if path == "seed" {
			c.fail(at, "a sweep's set cannot set seed: %s, so it would be ignored; change the file's seed: (the master seed) instead", fixedFields["seed"])
			continue
		}
		if cfg == nil {
			continue
		}
		var named []string
		if ts, err := resolve(cfg, sw.Base.EventLabels, path); err == nil {
			named = targetNames(ts)
		}
		for p, q := range sw.Params {
			if q.Sets != nil {
				continue // a parameter of variants: the set holds where a variant leaves it
			}
			if hit := overlap(path, named, q); hit != "" && !c.addsKey(sw, named, q) {
				c.fail(at, "%s is also swept by parameters[%d] (%s), whose value replaces the set's in every run: set it or sweep it, not both", path, p, hit)
			}
		}
	}
}

// addsKey reports whether a set override that names the fields named
// (index paths) only adds what parameter q sweeps: every field of q it
// names is a key the base lacks without the file's set (a shock on an
// asset the base's event does not shock, events.0.shocks.CORPB=0), which
// the parameter could not name without it. The set's value is replaced in
// every run, but the set is what makes the field.
func (c *checker) addsKey(sw *Sweep, named []string, q Param) bool {
	if len(named) == 0 {
		return false
	}
	if !c.bareLoaded {
		c.bareLoaded = true
		if sc, err := scenarios.Load(sw.BaseName, nil); err == nil {
			c.bare = &sc.File.Config
		}
	}
	if c.bare == nil {
		return false // the base is invalid without the set: its fields are unknown
	}
	hits := 0
	for _, t := range q.Targets {
		for _, n := range named {
			if t != n && !strings.HasPrefix(t, n+".") {
				continue
			}
			if _, err := resolve(c.bare, nil, t); err == nil {
				return false // the base has it: the set's value would be lost
			}
			hits++
		}
	}
	return hits > 0
}

// validBase reports whether the scenario name loads without overrides.
func validBase(name string) bool {
	_, err := scenarios.Load(name, nil)
	return err == nil
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
	// The parameters of variants first: every other parameter is checked
	// under each combination of them.
	pre := make([]*Param, len(sw.File.Parameters))
	vok := true
	for i := range sw.File.Parameters {
		at := fmt.Sprintf("parameters[%d]", i)
		if !c.has(at + ".variants") {
			continue
		}
		pre[i] = &Param{Name: sw.File.Parameters[i].Name}
		vok = c.variants(at, &sw.File.Parameters[i], pre[i]) && vok
		sw.vars = append(sw.vars, i)
	}
	if cfg != nil {
		c.combos = []combo{{sets: sw.File.Set, cfg: cfg, labels: sw.Base.EventLabels}}
		if len(sw.vars) > 0 && vok {
			vok = c.offChecks(sw, pre)
		}
		if len(sw.vars) > 0 && vok {
			if cs := c.variantCombos(sw, pre); cs != nil {
				c.combos = cs
			}
		}
	}
	seen := map[string]string{}
	for i, p := range sw.File.Parameters {
		at := fmt.Sprintf("parameters[%d]", i)
		if pre[i] != nil {
			sw.Params = append(sw.Params, *pre[i])
			continue
		}
		q := Param{Name: p.Name, Paths: []string{p.Path}, Dist: p.Dist}
		if q.Name == "" {
			q.Name = p.Path
		}
		ok := true
		if p.Path == "" {
			c.fail(at+".path", "missing path: the scenario field to sweep (e.g. leverage_scale, brokers.GS.capital)")
			ok = false
		}
		tok := c.tieForms(at, &p, &q)
		switch {
		case p.Posterior != "":
			if sw.post == nil || !slices.Contains(sw.post.res.Columns, p.Posterior) {
				ok = false // reported with the posterior block
				break
			}
			q.Posterior, q.Scale = p.Posterior, p.Scale
			if c.has(at + ".scale") {
				ok = ok && p.Scale > 0 // else reported with the posterior block
			} else {
				q.Scale = 1
			}
			var lo, hi float64
			lo, hi, q.postCol = sw.post.dist(p.Posterior, q.Scale)
			q.Dist = sim.Dist{Kind: "uniform", Min: &lo, Max: &hi}
			if lo == hi {
				q.Dist = sim.Dist{Kind: "fixed", Value: lo}
			}
		case c.has(at+".weights") && !c.has(at+".levels") && c.has(at+".dist"):
			// weights beside a dist: they are the levels' weights, not the dist's
			if sw.Design == Grid {
				c.fail(at+".weights", "weights have no place here: a grid takes every value once (remove them); in a random or latin_hypercube design a number's weights go inside its dist, as a choice: dist: {kind: choice, values: [...], weights: [...]}")
			} else {
				c.fail(at+".weights", "weights beside dist are for levels (a text field's values): a number's weights go inside its dist, as a choice: dist: {kind: choice, values: [...], weights: [...]} (a list draws its values equally often)")
			}
			ok = false
		case c.has(at+".levels") || c.has(at+".weights"):
			ok = c.levels(at, &p, &q) && ok
		default:
			scenarios.CheckDist(c.has, c.fail, at+".dist", &p.Dist)
			if field, err := p.Dist.Validate(); err != nil {
				c.fail(at+".dist."+field, "%v", err)
				ok = false
			}
		}
		if ok && sw.Design == Grid {
			switch q.Dist.Kind {
			case "fixed", "list":
			case "choice":
				if len(q.Dist.Weights) > 0 {
					w := at + ".dist.weights"
					if q.Levels != nil {
						w = at + ".weights"
					}
					c.fail(w, "a grid takes every value once: weights have no meaning in a grid")
					ok = false
				}
			default:
				c.fail(at+".dist.kind", "a grid needs list, choice or fixed values; %s is continuous (use design: latin_hypercube or random)", q.Dist.Kind)
				ok = false
			}
		}
		if ok && cfg != nil {
			for k, path := range q.Paths {
				pat, fx := at+".path", affine{times: 1}
				if k > 0 {
					pat, fx = c.tieAt(at, k-1), p.Also[k-1].affine()
				}
				if path == "" {
					ok = false // reported by tieForms
					continue
				}
				ts, err := resolve(cfg, sw.Base.EventLabels, path)
				if err != nil {
					c.fail(pat, "%v", err)
					ok = false
					continue
				}
				if !c.sameTargets(pat, path, ts) {
					ok = false
					continue
				}
				for _, t := range ts {
					if prev, dup := seen[t.String()]; dup {
						c.fail(pat, "the same field as %s (%s)", prev, t)
						ok = false
					}
					seen[t.String()] = pat
					switch {
					case len(q.ts) > 0 && (t.kind == kindText) != (q.ts[0].kind == kindText):
						c.fail(pat, "%s is %s and %s is %s, so they cannot share a value", field(path, t), kindNames[t.kind], field(p.Path, q.ts[0]), kindNames[q.ts[0].kind])
						ok = false
					case len(q.ts) > 0 && (t.kind != q.ts[0].kind || t.eventTick != q.ts[0].eventTick):
						c.fail(pat, "%s is not the same kind of number as %s, so they cannot share a value", field(path, t), field(p.Path, q.ts[0]))
						ok = false
					}
					q.ts = append(q.ts, t)
					q.fx = append(q.fx, fx)
					q.pk = append(q.pk, k)
					q.Targets = append(q.Targets, t.String())
					if k > 0 && q.Ties != nil {
						q.Ties[k-1].Targets = append(q.Ties[k-1].Targets, t.String())
					}
				}
			}
		}
		ok = ok && tok
		if ok && cfg != nil {
			ok = c.tieKinds(at, &p, &q) && c.timesBase(at, &p, &q, cfg)
		}
		if ok && cfg != nil {
			switch kind := q.ts[0].kind; {
			case q.Posterior != "" && kind != kindFloat:
				c.fail(at+".posterior", "%s is %s: a posterior value goes to a number field", p.Path, kindNames[kind])
			case kind == kindText && q.Levels == nil:
				c.fail(at+".dist", "%s is text: give the values it takes as levels (e.g. levels: [%s]), not a distribution", p.Path, levelExample(p.Path))
			case kind == kindText:
				if c.textLevels(at, p.Path, &q) {
					c.textValues(sw, at, &q)
				}
			case kind == kindBool && q.Levels != nil:
				if c.boolLevels(at, p.Path, &q) {
					c.values(sw, at, &q)
				}
			case q.Levels != nil:
				c.fail(at+".levels", "%s is %s: draw it with dist (list or choice for set values); levels are for text fields and fields of true or false", p.Path, kindNames[kind])
			case kind != kindBool:
				if c.numbers(at, p.Path, kind) {
					c.values(sw, at, &q)
				}
			default:
				q.Boolean = true
				c.values(sw, at, &q)
			}
		}
		sw.Params = append(sw.Params, q)
	}
	if cfg != nil {
		c.overlaps(sw)
		c.variantClashes(sw)
		c.labelsSwept(sw)
		c.offEventsVaried(sw)
	}
}

// offEventsVaried refuses a parameter that varies a field of an event
// that is off (off: true) in every run: an event switched off is not
// applied, so the parameter would change nothing while its column in
// runs.csv looked like an input. An event is on in some runs when a
// parameter varies its off, or when a variant (or the file's set) switches
// it on; a wildcard (events.*.shocks.NKY) names every event, off ones
// included, and is left alone.
func (c *checker) offEventsVaried(sw *Sweep) {
	if len(sw.Params) != len(sw.File.Parameters) || len(c.combos) == 0 {
		return // reported already
	}
	// The events whose off a parameter varies.
	switched := map[string]bool{}
	for _, q := range sw.Params {
		for _, t := range q.Targets {
			if ev, field, ok := eventField(t); ok && field == "off" {
				switched[ev] = true
			}
		}
	}
	for p, q := range sw.Params {
		if q.Sets != nil { // a parameter of variants: its combinations are c.combos
			continue
		}
		at := fmt.Sprintf("parameters[%d]", p)
		for k, path := range q.Paths {
			if segs, err := scenarios.SplitPath(path); err != nil || len(segs) < 2 || segs[0] != "events" || segs[1] == scenarios.Wildcard {
				continue
			}
			for j, t := range q.Targets {
				ev, field, ok := eventField(t)
				if !ok || q.pk[j] != k || field == "off" || switched[ev] {
					continue
				}
				n, err := strconv.Atoi(ev)
				if err != nil {
					continue
				}
				on := false
				for _, cb := range c.combos {
					on = on || (n < len(cb.cfg.Events) && !cb.cfg.Events[n].Off)
				}
				if on {
					continue
				}
				pat := at + ".path"
				if k > 0 {
					pat = c.tieAt(at, k-1)
				}
				// The label as an override addresses it (without the
				// set's "(edited: ...)").
				name := c.combos[0].cfg.Events[n].Kind
				if ls := c.combos[0].labels; n < len(ls) && ls[n] != "" {
					name = ls[n]
				}
				c.fail(pat, "%s varies %s of event %d (%s), which is off (off: true) in every run: an event switched off is not applied, so the parameter would change nothing; switch the event on in the file's set (set: [events.%d.off=false]), vary its off too, or drop the parameter",
					path, field, n, name, n)
				break
			}
		}
	}
}

// eventField splits an index path of an event's field ("events.3.shocks.NKY")
// into the event's index ("3") and the field ("shocks.NKY").
func eventField(t string) (ev, field string, ok bool) {
	rest, ok := strings.CutPrefix(t, "events.")
	if !ok {
		return "", "", false
	}
	ev, field, ok = strings.Cut(rest, ".")
	return ev, field, ok
}

// labelsSwept refuses a path that addresses events by label after a
// parameter that sweeps an event's label: a run's cascade run command
// sets the parameters' fields in order, and the path's label would then
// name no event, or another.
func (c *checker) labelsSwept(sw *Sweep) {
	if len(sw.Params) != len(sw.File.Parameters) {
		return // reported already
	}
	swept := "" // the first parameter that sweeps an event's label, and the field
	for p, q := range sw.Params {
		at := fmt.Sprintf("parameters[%d]", p)
		if swept != "" {
			for k, path := range q.Paths {
				if !byLabel(path) {
					continue
				}
				pat := at + ".path"
				if k > 0 {
					pat = c.tieAt(at, k-1)
				}
				var targets []string
				for j, t := range q.Targets {
					if q.pk[j] == k {
						targets = append(targets, t)
					}
				}
				c.fail(pat, "%s addresses events by label, and %s: a run's cascade run command would set the label before this path looks for it; address the event by its index (%s), or put this parameter first", path, swept, FieldList(targets))
			}
		}
		for _, t := range q.Targets {
			if segs := strings.Split(t, "."); swept == "" && len(segs) == 3 && segs[0] == "events" && segs[2] == "label" {
				swept = fmt.Sprintf("%s sweeps %s", at, t)
			}
		}
	}
}

// byLabel reports whether path addresses events by label (events[L]...).
func byLabel(path string) bool {
	segs, err := scenarios.SplitPath(path)
	if err != nil || len(segs) < 2 || segs[0] != "events" || segs[1] == scenarios.Wildcard {
		return false
	}
	_, err = strconv.Atoi(segs[1])
	return err != nil
}

// tieAt is the position of a parameter's also entry k: its path, when
// the file wrote it as a mapping, else the entry.
func (c *checker) tieAt(at string, k int) string {
	e := fmt.Sprintf("%s.also[%d]", at, k)
	if c.has(e + ".path") {
		return e + ".path"
	}
	return e
}

// tieForms checks the also entries of parameter p as written, adds their
// paths to q's and, when one has a factor or an offset, gives q its Ties.
// It reports whether they are sound.
func (c *checker) tieForms(at string, p *Parameter, q *Param) bool {
	ok, plain := true, true
	for k, e := range p.Also {
		eat := fmt.Sprintf("%s.also[%d]", at, k)
		q.Paths = append(q.Paths, e.Path)
		plain = plain && e.affine().plain()
		if e.Path == "" {
			c.fail(eat, "missing path: the field to tie, written as its path or as {path: ..., times: ..., plus: ...} (e.g. {path: events.0.shocks.CORPB, times: 0.5})")
			ok = false
		}
		if e.Times != nil && *e.Times == 0 {
			plus := 0.0
			if e.Plus != nil {
				plus = *e.Plus
			}
			c.fail(eat+".times", "times: 0 gives %s the value %v in every run, whatever the parameter draws: that ties it to nothing; give it that value with the file's set (set: [%s=%v]), or drop times for the parameter's value itself",
				orField(e.Path), plus, orField(e.Path), plus)
			ok = false
		}
	}
	if !plain {
		for _, e := range p.Also {
			a := e.affine()
			q.Ties = append(q.Ties, ResolvedTie{Path: e.Path, Times: a.times, Plus: a.plus})
		}
	}
	return ok
}

// timesBase makes parameter q, when p asks for times_base, a factor of
// each of its fields' base values in cfg, which must be numbers (not
// whole numbers: a multiple of one need not be whole) and not 0. It
// reports whether they are.
func (c *checker) timesBase(at string, p *Parameter, q *Param, cfg *sim.Config) bool {
	if !p.TimesBase {
		return true
	}
	tat := at + ".times_base"
	if kind := q.ts[0].kind; kind != kindFloat {
		why := "a multiple of its base value need not be whole: sweep its values themselves"
		if kind != kindInt {
			why = "times_base is for number fields"
		}
		c.fail(tat, "%s is %s: %s", p.Path, kindNames[kind], why)
		return false
	}
	ok := true
	q.BaseValues = make([]float64, len(q.ts))
	for j, t := range q.ts {
		name := q.fieldName(j)
		b, err := t.get(cfg)
		switch {
		case err != nil:
			c.fail(tat, "%s has no base value to multiply: %v", name, err)
			ok = false
		case b == 0:
			c.fail(tat, "%s is 0 in the base scenario, so times_base would keep it 0 in every run: sweep its values themselves (drop times_base), or give it a base value with the file's set", name)
			ok = false
		}
		q.BaseValues[j] = b
		q.fx[j].scaled, q.fx[j].base = true, b
	}
	q.TimesBase = ok
	return ok
}

// orField names a tie's path, or "the field" when it has none.
func orField(path string) string {
	if path == "" {
		return "the field"
	}
	return path
}

// tieKinds refuses a factor or an offset on an also entry whose field
// takes none: text and true-or-false fields (a level has no multiple),
// and whole-number fields unless both are whole numbers. It reports
// whether the ties suit their fields.
func (c *checker) tieKinds(at string, p *Parameter, q *Param) bool {
	kind := q.ts[0].kind
	ok := true
	for k, e := range p.Also {
		if e.Times == nil && e.Plus == nil {
			continue
		}
		eat := fmt.Sprintf("%s.also[%d]", at, k)
		switch kind {
		case kindText, kindBool:
			key := "times"
			if e.Times == nil {
				key = "plus"
			}
			c.fail(eat+"."+key, "%s is %s: a tie gives it the parameter's level as it is, and times and plus are for number fields (write also: [%s])", e.Path, kindNames[kind], e.Path)
			ok = false
		case kindInt:
			for _, f := range []struct {
				key string
				x   *float64
			}{{"times", e.Times}, {"plus", e.Plus}} {
				if f.x != nil && *f.x != math.Trunc(*f.x) {
					c.fail(eat+"."+f.key, "%s is a whole number: its tie's %s must be a whole number too, not %v", e.Path, f.key, *f.x)
					ok = false
				}
			}
		}
	}
	return ok
}

// levels checks a text parameter's levels and weights and gives q its
// distribution: a choice of the levels' indices. It reports whether they
// are sound.
func (c *checker) levels(at string, p *Parameter, q *Param) bool {
	if c.has(at + ".dist") {
		c.fail(at+".dist", "give levels or dist, not both: levels are the values of a text field, dist draws a number")
		return false
	}
	if len(p.Levels) == 0 {
		c.fail(at+".levels", "levels must list at least one value (the values the text field takes)")
		return false
	}
	ok := true
	seen := map[string]int{}
	for k, l := range p.Levels {
		if j, dup := seen[l]; dup {
			c.fail(fmt.Sprintf("%s.levels[%d]", at, k), "level %q is given twice (also levels[%d])", l, j)
			ok = false
		}
		seen[l] = k
	}
	q.Levels = p.Levels
	return c.indexChoice(at, "levels", p.Weights, q) && ok
}

// indexChoice gives q, whose Levels are set, its distribution: a choice of
// the levels' indices with weights; what names the levels ("levels",
// "variants") in a problem with the weights. It reports whether the
// weights are sound.
func (c *checker) indexChoice(at, what string, weights []float64, q *Param) bool {
	q.Dist = sim.Dist{Kind: "choice", Weights: weights}
	for k := range q.Levels {
		q.Dist.Values = append(q.Dist.Values, float64(k))
	}
	if _, err := q.Dist.Validate(); err != nil {
		c.fail(at+".weights", "%s", strings.Replace(err.Error(), "values", what, 1))
		return false
	}
	return true
}

// textLevels refuses the levels of a text field that the file wrote as
// true or false (readBools made them text), as the decoder would have:
// the text is quoted. It reports whether there were none.
func (c *checker) textLevels(at, path string, q *Param) bool {
	ok := true
	for k := range q.Levels {
		lat := fmt.Sprintf("%s.levels[%d]", at, k)
		if b, written := c.bools[lat]; written {
			c.fail(lat, "%s is text, not true or false: write the level \"%s\", quoted, if you mean the text", path, b)
			ok = false
		}
	}
	return ok
}

// boolLevels gives a true-or-false field's parameter, whose levels the
// file wrote as true and false, its distribution: a choice of 1 (true)
// and 0 (false) in the order of the levels, with their weights, the
// sweep dist: {kind: choice, values: [1, 0]} makes. It reports whether
// every level is true or false.
func (c *checker) boolLevels(at, path string, q *Param) bool {
	vals := make([]float64, len(q.Levels))
	ok := true
	for k, l := range q.Levels {
		lat := fmt.Sprintf("%s.levels[%d]", at, k)
		if _, written := c.bools[lat]; !written {
			c.fail(lat, "%s is true or false: its levels are true and false, unquoted, not %s", path, strconv.Quote(l))
			ok = false
			continue
		}
		if l == "true" {
			vals[k] = 1
		}
	}
	if !ok {
		return false
	}
	q.Dist = sim.Dist{Kind: "choice", Values: vals, Weights: q.Dist.Weights}
	q.Levels, q.Boolean = nil, true
	return true
}

// numbers refuses a number field's dist values that the file wrote as
// true or false (readBools made them 1 and 0). It reports whether there
// were none.
func (c *checker) numbers(at, path string, kind int) bool {
	ok := true
	for _, v := range append([]string{at + ".dist.value"}, c.indexed(at+".dist.values")...) {
		if b, written := c.bools[v]; written {
			c.fail(v, "%s is %s, not true or false: give a number in place of %s", path, kindNames[kind], b)
			ok = false
		}
	}
	return ok
}

// indexed lists the paths of the elements of the list at path that the
// decoder recorded: path[0], path[1], ...
func (c *checker) indexed(path string) []string {
	var out []string
	for k := 0; ; k++ {
		p := fmt.Sprintf("%s[%d]", path, k)
		if !c.has(p) {
			return out
		}
		out = append(out, p)
	}
}

// levelExample suggests levels for a text field, by its name.
func levelExample(path string) string {
	switch path[strings.LastIndexByte(path, '.')+1:] {
	case "execution":
		return "pre, mid, post"
	case "liquidation":
		return "most_liquid_first, pro_rata"
	case "rebalance_at":
		return `"", close, "15:00 America/New_York"`
	case "function":
		return "linear, sqrt, exponential"
	case "distribution":
		return "normal, student_t"
	}
	return "a, b"
}

// textValues checks that the scenario stays valid at each of a text
// parameter's levels.
func (c *checker) textValues(sw *Sweep, at string, q *Param) {
	for k := range q.Levels {
		for _, cb := range c.combos {
			sets := slices.Clone(cb.sets)
			for _, p := range q.Paths {
				sets = append(sets, p+"="+q.setValue(float64(k)))
			}
			if _, err := scenarios.Load(sw.BaseName, sets); err != nil {
				c.fail(fmt.Sprintf("%s.levels[%d]", at, k), "with %s = %q%s the scenario is invalid: %s", q.Paths[0], q.Levels[k], cb.under(), firstProblem(err))
				break
			}
		}
	}
}

// firstProblem writes the first problem of a load error, with its field.
func firstProblem(err error) string {
	var ps scenarios.Problems
	if errors.As(err, &ps) && len(ps) > 0 {
		if ps[0].Path != "" {
			return ps[0].Path + ": " + ps[0].Msg
		}
		return ps[0].Msg
	}
	return err.Error()
}

// fieldName names the parameter's field j (of ts) as field does, and by
// its index path when its path names other fields too, as an event label
// several events share does (events[JPY].rate): an override by that path
// would set them all.
func (q *Param) fieldName(j int) string {
	n := 0
	for _, k := range q.pk {
		if k == q.pk[j] {
			n++
		}
	}
	if n > 1 {
		return q.ts[j].String()
	}
	return field(q.Paths[q.pk[j]], q.ts[j])
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
			c.fail(at+".dist.kind", "%s is true or false: give levels: [true, false] (or a list or choice of true and false), not a %s distribution", path, d.Kind)
			return
		}
		for _, v := range levels(d) {
			if v != 0 && v != 1 {
				c.fail(at+".dist", "%s is true or false: values must be true or false (or 1 and 0), not %v", path, v)
				return
			}
		}
	}
	lo, hi := d.Range()
	hint := ""
	if (d.Kind == "normal" || d.Kind == "lognormal") && (d.Min == nil || d.Max == nil) {
		// its range is its one-in-a-million quantiles: the fix is a bound
		hint = fmt.Sprintf("; a %s distribution is unbounded (its range here is its one-in-a-million quantiles): bound it with min and max inside the field's valid range, e.g. dist: {kind: %s, ..., min: ..., max: ...}", d.Kind, d.Kind)
	}
	if c.valid(sw, at, q, "at the lower end of its range", lo, hint) && lo != hi {
		c.valid(sw, at, q, "at the upper end of its range", hi, hint)
	}
}

// valid loads the base scenario, under each combination of variants, with
// the parameter at v, and reports whether every one is valid; at the
// first that is not, it reports the problem at the parameter's
// distribution. what says where v lies ("at the lower end of its range"),
// hint what to do about it.
func (c *checker) valid(sw *Sweep, at string, q *Param, what string, v float64, hint string) bool {
	// An event tick too: --set events.N.tick replaces the event's at, as
	// the parameter does, so the loader checks the tick as it checks
	// cascade run --set events.N.tick.
	own := q.assign(v)
	for _, cb := range c.combos {
		sets := append(slices.Clone(cb.sets), own...)
		if _, err := scenarios.Load(sw.BaseName, sets); err != nil {
			c.fail(at+".dist", "%s (%s)%s the scenario is invalid: %s%s", what, q.assignText(v, own), cb.under(), firstProblem(err), hint)
			return false
		}
	}
	return true
}

// assign returns the overrides, as cascade run --set takes them, that
// give a number parameter's fields their values at v: its path and each
// also entry's, each at the value its tie gives.
//
// With times_base each field has a value of its own, and gets an override
// of its own: by the path that names it, or when the path names several
// (a wildcard, a label several events share), by the field's index path
// (brokers.0.capital).
func (q *Param) assign(v float64) []string {
	kind := q.ts[0].kind
	if q.TimesBase {
		out := make([]string, len(q.ts))
		for j := range q.ts {
			out[j] = q.fieldName(j) + "=" + formatValue(kind, q.fx[j].of(v))
		}
		return out
	}
	out := make([]string, len(q.Paths))
	for k, p := range q.Paths {
		w := v
		if k > 0 && q.Ties != nil {
			w = affine{times: q.Ties[k-1].Times, plus: q.Ties[k-1].Plus}.of(v)
		}
		out[k] = p + "=" + formatValue(kind, w)
	}
	return out
}

// assignText writes the overrides of assign, made at v, as a problem
// names them: the path's alone when the ties take its value
// ("leverage_scale = -0.43"), else every field's (the middle ones elided
// past four), after the factor for times_base.
func (q *Param) assignText(v float64, sets []string) string {
	if q.Ties == nil && !q.TimesBase {
		sets = sets[:1]
	}
	out := make([]string, len(sets))
	for k, s := range sets {
		out[k] = strings.Replace(s, "=", " = ", 1)
	}
	if q.TimesBase {
		return fmt.Sprintf("%s = %s, times each field's base value: %s", q.Name, strconv.FormatFloat(v, 'g', -1, 64), FieldList(out))
	}
	return FieldList(out)
}

// tails checks the scenario at the most extreme value the sweep's runs
// draw of each normal or lognormal parameter, where that lies beyond the
// one-in-a-million quantile its range was checked at (values): a Latin
// hypercube of a million runs or more always draws there, and a random
// design of n runs does so with a chance of about 2n·10⁻⁶ a parameter.
// Without it, a sweep could pass its check and fail at such a run, hours
// into a cluster job. It needs the design (initDesign) and costs one
// Values a run.
func (c *checker) tails(sw *Sweep) {
	// A parameter's least and greatest value over the runs, and the runs
	// that draw them.
	type extremes struct {
		p, loRun, hiRun int
		lo, hi          float64
	}
	var xs []extremes
	for p := range sw.Params {
		q := &sw.Params[p]
		if q.Posterior == "" && q.Levels == nil && len(q.ts) > 0 && (q.Dist.Kind == "normal" || q.Dist.Kind == "lognormal") {
			xs = append(xs, extremes{p: p, lo: math.Inf(1), hi: math.Inf(-1)})
		}
	}
	if len(xs) == 0 || c.combos == nil {
		return
	}
	dst := make([]float64, len(sw.Params))
	for i := 0; i < sw.Runs; i++ {
		sw.Values(i, dst)
		for k := range xs {
			x := &xs[k]
			v := dst[x.p]
			if v < x.lo {
				x.lo, x.loRun = v, i
			}
			if v > x.hi {
				x.hi, x.hiRun = v, i
			}
		}
	}
	const hint = "; bound the distribution with min and max"
	for _, x := range xs {
		q := &sw.Params[x.p]
		at := fmt.Sprintf("parameters[%d]", x.p)
		a, b := q.Dist.Range()
		if x.lo < a && !c.valid(sw, at, q, fmt.Sprintf("at the value run %d draws, below its one-in-a-million quantile", x.loRun), x.lo, hint) {
			continue
		}
		if x.hi > b {
			c.valid(sw, at, q, fmt.Sprintf("at the value run %d draws, above its one-in-a-million quantile", x.hiRun), x.hi, hint)
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

// MaxRuns is the most runs a sweep makes, by its file's runs or --runs.
// Checking a sweep works out every run's values (0.2 to 0.4 s a million
// runs): the 2^31 runs a file once allowed took --check over ten minutes,
// deaf to Ctrl-C, and --runs had no bound at all.
const MaxRuns = 100_000_000

// maxRunsText is MaxRuns as messages write it.
var maxRunsText = scenarios.Thousands(MaxRuns)

// RunsProblem says what is wrong with n runs, or "": the one message for
// the file's runs and --runs.
func RunsProblem(n int) string {
	if n >= 1 && n <= MaxRuns {
		return ""
	}
	return runsMessage(strconv.Itoa(n))
}

func runsMessage(got string) string {
	return fmt.Sprintf("runs must be from 1 to %s (got %s)", maxRunsText, got)
}

// runsRange gives a file's runs beyond what the decoder takes as a whole
// number (2^31, and 1e15 for any number) the message of RunsProblem.
func runsRange(err error) error {
	var ps scenarios.Problems
	if !errors.As(err, &ps) {
		return err
	}
	for k := range ps {
		if p := &ps[k]; p.Path == "runs" && (strings.Contains(p.Msg, "out of range") || strings.Contains(p.Msg, "absurdly large")) {
			got, _, _ := strings.Cut(p.Msg, " ")
			p.Msg = runsMessage(got)
		}
	}
	return ps
}

// runs checks the number of runs (the file's, or the command line's
// runsFlag in its place) against the design.
func (c *checker) runs(sw *Sweep) {
	f := &sw.File
	if c.runsFlag != 0 {
		if p := RunsProblem(c.runsFlag); p != "" {
			c.probs = append(c.probs, scenarios.Problem{Pos: scenarios.Pos{File: c.file}, Msg: "--runs: " + p})
			return
		}
	} else if c.has("runs") {
		if p := RunsProblem(f.Runs); p != "" {
			c.fail("runs", "%s", p)
			return
		}
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
		if g > MaxRuns {
			c.fail("parameters", "the grid has more than %s points, the most runs a sweep makes", maxRunsText)
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
	plan, sum, world, err := basePlan(sw)
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
	list := make([]listedMetric, 0, len(metrics))
	if len(sw.File.Metrics) == 0 {
		for _, m := range metrics {
			list = append(list, listedMetric{path: m, at: -1})
		}
	} else {
		list = expandMetrics(metrics, world, func(i int, err error) { c.fail(fmt.Sprintf("metrics[%d]", i), "%v", err) })
	}
	unresolved := map[int]bool{} // the patterns one of whose metrics did not resolve
	for _, l := range list {
		m, at := l.path, metricAt(l.at)
		if m == "score" || strings.HasPrefix(m, "score.") {
			k, err := resolveScore(m, sw.Base.File.Observed, "the base scenario "+sw.BaseName, true)
			switch {
			case err != nil:
				c.fail(at, "%v", err)
			case sw.hasMetric(m):
				c.fail(at, "metric %q listed twice", m)
			default:
				sw.Metrics = append(sw.Metrics, Metric{Name: m, Path: m, score: k, at: l.at})
			}
			continue
		}
		if l.pattern != "" && unresolved[l.at] {
			continue
		}
		g, err := resolveMetric(sum, m, world)
		if err != nil {
			if l.pattern != "" {
				// One error a pattern, not one an agent.
				unresolved[l.at] = true
				c.fail(at, "metric pattern %q: %v", l.pattern, err)
				continue
			}
			c.fail(at, "%v", err)
			continue
		}
		if sw.hasMetric(m) {
			c.fail(at, "metric %q listed twice", m)
			continue
		}
		sw.Metrics = append(sw.Metrics, Metric{Name: m, Path: m, get: g, at: l.at})
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
	c.variantSeries(append(slices.Clone(sw.Series), sw.ScoreSeries...))
	// The compression plot needs these two; collect them if not asked for
	// (and the world has a levered sector to draw).
	for _, m := range []string{"compression_index", "headline_move_pct"} {
		if !sw.hasMetric(m) && (levered || m != "compression_index") {
			g, err := resolveMetric(sum, m, world)
			if err != nil {
				c.fail("metrics", "%v", err)
				continue
			}
			sw.Metrics = append(sw.Metrics, Metric{Name: m, Path: m, get: g, at: -1})
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
	for _, m := range sw.Metrics {
		at := metricAt(m.at)
		if prev, ok := cols[m.Name]; ok {
			c.fail(at, "column %q is already %s", m.Name, prev)
		}
		cols[m.Name] = at
	}
}

// metricAt is the path of entry i of the file's metrics ("metrics[2]"),
// or "metrics" for a metric the sweep adds (i < 0).
func metricAt(i int) string {
	if i < 0 {
		return "metrics"
	}
	return fmt.Sprintf("metrics[%d]", i)
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
	PairSeeds  bool            `json:"pair_seeds,omitempty"`
	Parameters []ResolvedParam `json:"parameters"`
	Metrics    []string        `json:"metrics"`
	Series     []string        `json:"series"`
	Twin       bool            `json:"passive_twin"`
	// Posterior is the earlier sweep some parameters take their values
	// from, and a hash of them.
	Posterior *ResolvedPosterior `json:"posterior,omitempty"`
	// ChannelsOff lists, when a variant switches channels off, the
	// channels off under each combination of the parameters of variants
	// (the first parameter's variants slowest): the base's and those the
	// combination's variants add.
	ChannelsOff [][]string `json:"channels_off,omitempty"`
}

// ResolvedParam is one parameter as run.
type ResolvedParam struct {
	Name    string   `json:"name"`
	Paths   []string `json:"paths"`
	Targets []string `json:"targets"` // the fields, as index paths
	Dist    sim.Dist `json:"dist"`
	// Levels are a text field's values, or the variants' names; Dist then
	// draws a level's index.
	Levels []string `json:"levels,omitempty"`
	// Sets are the overrides of each variant, for a parameter of variants
	// (Paths is then empty and Targets lists the fields they name).
	Sets [][]string `json:"sets,omitempty"`
	// Posterior is the column of the posterior sweep the parameter takes,
	// times Scale (Dist then spans the accepted values).
	Posterior string  `json:"posterior,omitempty"`
	Scale     float64 `json:"scale,omitempty"`
	// Ties are the also entries (Paths[1:]) with their factors and
	// offsets, when one has either; absent when every tied field takes
	// the value itself, so that the manifest and fingerprint of such a
	// sweep are those an earlier cascade wrote.
	Ties []ResolvedTie `json:"ties,omitempty"`
	// TimesBase makes the value (Dist's, the runs table's) a factor:
	// each field takes its base value, BaseValues (by Targets), times the
	// value (or a tie's times·value + plus).
	TimesBase  bool      `json:"times_base,omitempty"`
	BaseValues []float64 `json:"base_values,omitempty"`
	// Boolean marks a true-or-false field: Dist draws 1 (true) or 0
	// (false), which the journal and the runs table hold, and the report,
	// levels.csv and paired.csv write as true and false. A label only:
	// the fingerprint leaves it out, so a sweep begun before it was
	// recorded resumes and merges.
	Boolean bool `json:"boolean,omitempty"`
}

// ResolvedTie is an also entry as run: its path, the fields it names (as
// index paths), and the factor and offset by which they follow the
// parameter's value v: each takes Times·v + Plus.
type ResolvedTie struct {
	Path    string   `json:"path"`
	Targets []string `json:"targets"`
	Times   float64  `json:"times"`
	Plus    float64  `json:"plus"`
}

// Label writes value v of the parameter as the report and levels.csv
// show it: a text field's level, true or false, or the number.
func (p *ResolvedParam) Label(v float64) string { return labelOf(p.Levels, p.Boolean, v) }

// Resolved returns the sweep as run.
func (sw *Sweep) Resolved() Resolved {
	r := Resolved{Name: sw.Name, Base: sw.File.Base, Runs: sw.Runs, Seed: sw.File.Seed, Design: sw.Design, GridSize: sw.GridSize, PairSeeds: sw.File.PairSeeds,
		Parameters: []ResolvedParam{}, Series: sw.Series, Twin: sw.Twin}
	for _, p := range sw.Params {
		r.Parameters = append(r.Parameters, ResolvedParam{Name: p.Name, Paths: p.Paths, Targets: p.Targets, Dist: p.Dist, Levels: p.Levels, Sets: p.Sets,
			Posterior: p.Posterior, Scale: p.Scale, Ties: p.Ties, TimesBase: p.TimesBase, BaseValues: p.BaseValues, Boolean: p.Boolean})
	}
	if sw.post != nil {
		r.Posterior = &sw.post.res
	}
	if sw.offVariants() {
		for _, cfg := range sw.bases {
			r.ChannelsOff = append(r.ChannelsOff, append([]string{}, cfg.Channels.Off...))
		}
	}
	for _, m := range sw.Metrics {
		r.Metrics = append(r.Metrics, m.Path)
	}
	return r
}

// fingerprint hashes what determines the sweep's results: the resolved
// base scenario (without comments) and the resolved sweep, less its name.
func (sw *Sweep) fingerprint() (string, error) {
	return fingerprintOf(sw.Resolved(), sw.Base.Resolved)
}

// fingerprintOf is the fingerprint of the resolved sweep r of the resolved
// base scenario src.
func fingerprintOf(r Resolved, src []byte) (string, error) {
	base, err := stripComments(src)
	if err != nil {
		return "", err
	}
	js, err := json.Marshal(struct {
		Schema   string   `json:"schema"`
		Sweep    Resolved `json:"sweep"`
		Scenario string   `json:"scenario"`
	}{ManifestSchema, unlabeled(r), string(base)})
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(js)
	return hex.EncodeToString(h[:]), nil
}

// unlabeled is r less what only labels it, which neither the
// fingerprint nor a comparison of two sweeps' runs (sameRuns) counts:
// its name and base as written, and which parameters are true or false.
func unlabeled(r Resolved) Resolved {
	r.Name, r.Base = "", ""
	r.Parameters = slices.Clone(r.Parameters)
	for k := range r.Parameters {
		r.Parameters[k].Boolean = false
	}
	return r
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
