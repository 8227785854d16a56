package output

import "github.com/cascade-sim/cascade/sim"

// PopulationTable is population.csv and .parquet of a run: one row per
// parameter drawn for an agent of a population (a scenario entry's vary),
// with the agent's id, the id of the entry it came from, its kind, the
// field as vary names it, the value its field was set to and the value
// the built agent holds for it (after leverage_scale, say), in the order
// the agents were built. The drawn thresholds and leverages a run's agents
// had are otherwise known only by building the run again.
func PopulationTable(draws []sim.Draw) *Table {
	n := len(draws)
	agent, entry, kind, field := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	value, applied := make([]float64, n), make([]float64, n)
	for i, d := range draws {
		agent[i], entry[i], kind[i], field[i], value[i], applied[i] = d.Agent, d.Entry, d.Kind, d.Field, d.Value, d.Applied
	}
	t := &Table{}
	t.Add(StringCol("agent", agent))
	t.Add(StringCol("entry", entry))
	t.Add(StringCol("kind", kind))
	t.Add(StringCol("field", field))
	t.Add(FloatCol("value", value))
	t.Add(FloatCol("applied", applied))
	return t
}
