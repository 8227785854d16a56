package sweep

import (
	"context"
	"encoding/json"
	"math"
	"time"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// Plan is what every run of a sweep shares, taken from one run of the base
// scenario (its own seed, no parameter changed): the clock, the series and
// their path in that run, which anchors the band sketches, and the
// scenario's dated events for plot markers. Shards and resumed sweeps
// must have the same plan, bit for bit but for the events' labels
// (equal).
type Plan struct {
	Scenario string        `json:"scenario"`
	Seed     uint64        `json:"seed"` // of the base run
	Headline string        `json:"headline"`
	Ticks    int           `json:"ticks"`
	Times    []time.Time   `json:"times"`
	Series   []string      `json:"series"`
	Base     [][]sim.Num   `json:"base_paths"` // per series, per tick
	Markers  []output.Mark `json:"markers"`
}

// basePlan runs the base scenario once and returns the plan, its summary
// and the names its metrics may take (the scenario's assets, the world's
// agents).
func basePlan(sw *Sweep) (*Plan, *sim.Summary, baseNames, error) {
	cfg := sw.Base.File.Config.Clone()
	sw.markVaried(cfg)
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		return nil, nil, baseNames{}, err
	}
	col := sim.NewCollector()
	rec := output.NewRecorder(false)
	obs := newSeriesObserver(sw.Series, cfg.Ticks, true)
	if err := m.Run(context.Background(), col, rec, obs); err != nil {
		return nil, nil, baseNames{}, err
	}
	p := &Plan{Scenario: cfg.Name, Seed: cfg.Seed, Headline: m.Headline(), Ticks: cfg.Ticks, Times: obs.times,
		Series: sw.Series, Markers: rec.Meta().Events}
	if p.Markers == nil {
		p.Markers = []output.Mark{}
	}
	for _, vs := range obs.vals {
		ns := make([]sim.Num, len(vs))
		for t, v := range vs {
			ns[t] = sim.Num(v)
		}
		p.Base = append(p.Base, ns)
	}
	assets := make([]string, len(cfg.Assets))
	for i, a := range cfg.Assets {
		assets[i] = a.ID
	}
	return p, col.S, namesOf(m, assets), nil
}

// anchors returns the base paths as floats (NaN where missing).
func (p *Plan) anchors() [][]float64 {
	out := make([][]float64, len(p.Base))
	for s, ns := range p.Base {
		out[s] = make([]float64, len(ns))
		for t, v := range ns {
			out[s][t] = float64(v)
			if math.IsInf(out[s][t], 0) {
				out[s][t] = math.NaN()
			}
		}
	}
	return out
}

// equal reports whether two plans are the same, bit for bit, but for the
// markers' labels: a label names an event on the fan charts, and nothing a
// run computes reads it, while the events' ticks and times, the clock and
// the base paths must match. Labels change from one version of cascade to
// the next (since c7b7591 a plan labels the events the sweep varies
// "(varied by the sweep)"), and a sweep an earlier version began must
// still resume and merge.
func (p *Plan) equal(q *Plan) bool {
	a, err1 := json.Marshal(p.unlabelled())
	b, err2 := json.Marshal(q.unlabelled())
	return err1 == nil && err2 == nil && string(a) == string(b)
}

// unlabelled returns a copy of the plan whose markers have no label.
func (p *Plan) unlabelled() *Plan {
	c := *p
	c.Markers = make([]output.Mark, len(p.Markers))
	for k, m := range p.Markers {
		m.Label = ""
		c.Markers[k] = m
	}
	return &c
}

// markVaried appends " (varied by the sweep)" to the labels, in cfg, of
// the events whose fields (other than the label) the sweep's parameters
// change: the plan's markers, taken from the base run, label the bands of
// every run, and the base's "government bonds fall 5%" would misdescribe
// runs that shock them by 1% to 10%. An event without a label shows its
// kind, which stays true. An event off in the base run has no marker and
// keeps its label: a wildcard parameter (events.*.shocks.NKY) names it
// without changing it.
func (sw *Sweep) markVaried(cfg *sim.Config) {
	n := len(cfg.Events)
	varied := make([]bool, n)
	for _, q := range sw.Params {
		for _, t := range q.Targets {
			segs, err := scenarios.SplitPath(t)
			if err != nil || len(segs) == 0 || segs[0] != "events" || (len(segs) > 2 && segs[2] == "label") {
				continue
			}
			if len(segs) == 1 || segs[1] == scenarios.Wildcard {
				for j := range varied {
					varied[j] = true
				}
				continue
			}
			if j, err := scenarios.Element(segs[1], make([]string, n)); err == nil {
				varied[j] = true
			}
		}
	}
	for j, v := range varied {
		if v && !cfg.Events[j].Off && cfg.Events[j].Label != "" {
			cfg.Events[j].Label += " (varied by the sweep)"
		}
	}
}
