package output

import "github.com/cascade-sim/cascade/sim"

// PopulationTable is population.csv and .parquet of a run: one row per
// parameter drawn for an agent of a population (a scenario entry's vary),
// with the agent's id, its kind, the field as vary names it and the value
// its field was set to, in the order the agents were built. The drawn
// thresholds and leverages a run's agents had are otherwise known only by
// building the run again.
func PopulationTable(draws []sim.Draw) *Table {
	agent, kind, field := make([]string, len(draws)), make([]string, len(draws)), make([]string, len(draws))
	value := make([]float64, len(draws))
	for i, d := range draws {
		agent[i], kind[i], field[i], value[i] = d.Agent, d.Kind, d.Field, d.Value
	}
	t := &Table{}
	t.Add(StringCol("agent", agent))
	t.Add(StringCol("kind", kind))
	t.Add(StringCol("field", field))
	t.Add(FloatCol("value", value))
	return t
}
