package sweep

import (
	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// A ScoreObserver records, tick by tick, only the series that a replay's
// observed quantities are measured on (output.ScoreColumns), and scores
// the run on them as cascade score does on the run's whole time series
// (output.Score). A sweep's score metrics, cascade channels --metric
// score.NAME and cascade compare's scored rows read it.
type ScoreObserver struct {
	obs []scenarios.Observation
	rec *seriesObserver
}

// NewScoreObserver returns an observer of one run of ticks ticks, to be
// scored against obs.
func NewScoreObserver(obs []scenarios.Observation, ticks int) *ScoreObserver {
	return &ScoreObserver{obs: obs, rec: newSeriesObserver(output.ScoreColumns(obs), ticks, true)}
}

// Begin implements sim.Observer; it fails when the run does not report a
// series an observation reads.
func (s *ScoreObserver) Begin(m *sim.Model) error { return s.rec.Begin(m) }

// Observe implements sim.Observer.
func (s *ScoreObserver) Observe(f *sim.Frame) error { return s.rec.Observe(f) }

// End implements sim.Observer.
func (s *ScoreObserver) End(m *sim.Model) error { return s.rec.End(m) }

// Score returns the run's score: one row per observation, in order.
func (s *ScoreObserver) Score() ([]output.ScoreRow, error) { return output.Score(s.obs, s.rec.table()) }
