package sim

// Exported for the external tests of package sim_test.
var (
	PassiveMoveFull = passiveMove
	LeanTwin        = leanTwin
)

// TwinChannels are the switches of a run's passive twin.
var TwinChannels = twinChannels

// PairCorr returns the pairwise correlations of the correlation set as of
// the last frame (k×k, row-major; recorder.pairCorr).
func PairCorr(m *Model) []float64 {
	k := len(m.rec.set)
	dst := make([]float64, k*k)
	m.rec.pairCorr(dst)
	return dst
}
