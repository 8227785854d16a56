// Package sim runs cascade's model: it builds a world from a Config and
// steps it tick by tick, handing what happens to observers.
//
// The user's view is small:
//
//   - a scenario is a Config (package scenarios fills one from a YAML file
//     and validates it; a Go program may also write one);
//   - Build puts it on the books at a seed: assets, rates, prime brokers,
//     dealers, the agents and populations, the dated events, the noise;
//   - Model.Step advances one tick, and Model.Run steps to the horizon,
//     calling every Observer after each tick (Collector builds the summary;
//     package output's recorder writes the files);
//   - an ensemble is the same Config at several seeds (core.Seeds,
//     core.RunSeed); package sweep varies parameters across runs as well.
//
// # One tick
//
// Step follows MODEL.md §5: events and policy rules; the exogenous move
// (correlated noise, scripted shocks, valuation links; a closed market's
// news waits for its open); interest and carry accrue; estimators update;
// then clearing rounds, each one: brokers compute requirements and calls,
// overdue calls and insolvent clients default, agents decide (forced orders
// in any round, discretionary ones in the first), the market clears
// against the dealers, until no forced order is left or the cap of rounds
// is reached; then the close (temporary impact decays, dealers lay off
// inventory, depth and funding rates follow utilization) and the record.
// Agents act on the state at the start of the round and in a fixed order,
// so the order in which they are called changes nothing.
//
// # Switches
//
// Every contagion channel and every agent kind can be switched off
// (ChannelSpec, Model.SetChannels): cross-margining, the brokers' dropping
// of offsets under stress, procyclical haircuts, the dealer constraint,
// broker-capital feedback, funding feedback, valuation links. PassiveMove
// runs a model's passive twin (every agent passive, every feedback channel
// off, valuation links as in the run, the same noise and events), whose
// move is the denominator of amplification.
//
// # Guarantees
//
// A run is a function of its Config and seed: one random stream per purpose
// derived from the seed by hashing, no map order in any result, and
// portable numerics (core/dmath), so the recorded series are the same bit
// for bit on every machine. Units and money are conserved: Audit checks the
// identities after every clearing round without changing the run. The tick
// loop allocates nothing once the model is built.
//
// # Agents of one's own
//
// A Go program can add agents of kinds it defines: a spec implementing
// agents.Maker, in an AgentSpec of kind "custom" (CustomKind), or under a
// name it registers (Register), which scenario and sweep files then name
// like a built-in kind (cmd/cascade/cli.Main runs the command). Such agents
// trade through the same market, are audited, counted and switched with the
// kind their holder takes, and form populations like the built-in kinds.
// The Examples show a run, an observer, a counterfactual, an ensemble and a
// custom agent; docs/library.md is the guide.
package sim
