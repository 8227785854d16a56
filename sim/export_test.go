package sim

// Exported for the external tests of package sim_test.
var (
	PassiveMoveFull = passiveMove
	LeanTwin        = leanTwin
)

// TwinChannels are the switches of a run's passive twin.
var TwinChannels = twinChannels
