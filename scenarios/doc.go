// Package scenarios reads scenario files: YAML documents that set up a
// world (assets, rates, brokers, agents and populations, dated events,
// channel switches, output options) and that package sim runs.
//
// A file may extend another (extends: base.yaml, or a built-in name) and
// override any field; the command line may override more (--set
// path.to.field=value). Loading is strict and reports every problem at
// once, each with the file, line and column and the field's path: unknown
// keys (with a suggestion), wrong types, out-of-range values, a correlation
// matrix that is not positive semi-definite, references to unknown assets,
// brokers or agents, duplicate IDs, events outside the horizon, NaN or Inf,
// and cyclic extends.
//
// The built-in scenarios are embedded in the binary and load by name.
package scenarios
