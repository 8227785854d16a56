// Command cascade runs forced-deleveraging cascade scenarios: replays of
// dated episodes, what-ifs and Monte Carlo sweeps. Run `cascade help`.
// The command itself is package cli, which a Go program with agent kinds
// of its own calls in the same way (docs/library.md).
package main

import "github.com/cascade-sim/cascade/cmd/cascade/cli"

func main() { cli.Main() }
