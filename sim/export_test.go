package sim

// Exported for the external tests of package sim_test.
var (
	PassiveMoveFull = passiveMove
	LeanTwin        = leanTwin
)
