// Package sweep runs Monte Carlo sweeps of a scenario: many runs of one base
// scenario with parameters drawn from distributions, summarized into a table
// of one row per run and into percentile bands of chosen series over time.
//
// A sweep file (see [Load]) names the base scenario, the number of runs, a
// master seed, the parameters (scenario field paths with a distribution
// each), the design that draws them (random, latin_hypercube, grid or
// sobol), the
// summary metrics to collect and the series to summarize. Validation is as
// strict as for scenarios: every problem is reported at once with
// file:line:col.
//
// [Run] executes a sweep, or one shard of it, on a pool of workers. Run i
// uses the seed [Sweep.RunSeed] gives it (core.RunSeed(master, i); in a
// sobol design that of its block's A or B run; in a grid with pair_seeds
// that of its replicate, shared by every grid point) and draws its parameters
// from the seeds and the master seed only, so results do not depend on the number of
// workers, on shards or on interruptions. Completed runs are written to a
// journal of chunk files (rows plus mergeable quantile sketches of the
// series) that --resume reads back; when the shard is complete the journal
// is assembled into runs.parquet, runs.csv, bands.parquet, bands.csv,
// sensitivity.csv, for a sobol design sobol.csv (first- and total-order
// Sobol indices with bootstrap intervals, the seed a factor), for a
// grid with pair_seeds paired.csv (each parameter's differences measured
// seed by seed), and plots. [Merge] combines the journals of shards into
// one sweep. Memory stays bounded whatever the number of runs.
//
// [Channels] is an ensemble of another shape: one scenario at every on/off
// setting of its contagion channels, over several seeds, taken apart into
// each channel's Shapley value ([Shapley]).
//
// docs/sweeps.md describes the file format, the outputs and the choices
// made; docs/cluster.md shows how to run shards on Slurm and Kubernetes.
package sweep
