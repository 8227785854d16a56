// Package cli is the cascade command: run, sweep, score, validate and the
// rest, for cmd/cascade and for Go programs that build the command with
// agent kinds of their own registered (Main, sim.Register).
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/spf13/cobra"
)

// version is set at build time (-ldflags "-X
// github.com/cascade-sim/cascade/cmd/cascade/cli.version=..."), or else
// taken from what the go command recorded of version control
// (output.Version): manifests name the commit that made them.
var version = "dev"

func init() { version = output.Version(version) }

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the run failed
	exitInput   = 2 // usage errors and invalid input
)

// exitError carries an exit code with an error.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// inputError marks err as invalid input (exit 2).
func inputError(err error) error { return &exitError{code: exitInput, err: err} }

// usageError marks err as a mistake in the command line (exit 2, with a hint).
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

// code chooses the exit code of an error.
func code(err error) int {
	var ee *exitError
	var ps scenarios.Problems
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case strings.HasPrefix(err.Error(), "unknown command"):
		return exitInput
	case errors.As(err, &ps), errors.Is(err, output.ErrExists), errors.Is(err, output.ErrNotDir):
		return exitInput
	}
	return exitFailure
}

// Main runs the cascade command with the process's arguments, and exits
// with its code: 0 on success, 1 when a run failed, 2 for a mistake in the
// command line or invalid input. cmd/cascade's main calls it; so may a Go
// program that registers agent kinds of its own (sim.Register) first, to
// get every command (run, sweep, score, validate, schema, ...) with the
// kinds known to scenario and sweep files (docs/library.md).
func Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first SIGINT or SIGTERM asks the command to stop cleanly (a run
	// at its next tick, a sweep after its runs in flight, journaled);
	// a second one, for a step that does not look (checking a file,
	// planning a sweep of millions of runs), ends the process at once, as
	// an uncaught signal does. Outputs are staged and journaled, so even
	// then nothing half-written is published.
	go func() {
		<-ctx.Done()
		stop()
	}()
	root := newRoot()
	err := root.ExecuteContext(ctx)
	if err == nil && ctx.Err() != nil {
		// A step that does not look at the context (checking a file,
		// planning a sweep) ran to its end after the signal. Exit 0 would
		// tell a calling script to go on, which the user asked it not to.
		err = fmt.Errorf("interrupted after the command had finished: %w", ctx.Err())
	}
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// Stopped by SIGINT or SIGTERM: say so, not "context canceled".
		// Staged outputs were removed; a sweep keeps its journal for
		// --resume.
		msg := err.Error()
		if !strings.Contains(msg, "interrupted") {
			msg = "interrupted (" + msg + ")"
		}
		fmt.Fprintf(os.Stderr, "cascade: %s\n", msg)
	} else if err != nil {
		fmt.Fprintf(os.Stderr, "cascade: %v\n", err)
		var u usageError
		if errors.As(err, &u) || strings.HasPrefix(err.Error(), "unknown command") {
			fmt.Fprintln(os.Stderr, "Run 'cascade help' for usage.")
		}
	}
	os.Exit(code(err))
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "cascade",
		Short: "Agent-based simulator of forced-deleveraging cascades in global markets",
		Long: `cascade simulates forced-deleveraging cascades: hedge funds, prime brokers,
Japanese insurers, CTAs and risk-parity funds holding carry, basis and equity
positions on shared, cross-margined collateral, and a market that clears
their forced sales. Scenarios are YAML files; built-ins run by name.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return inputError(usageError{err}) })
	root.AddCommand(newRunCmd(), newValidateCmd(), newScenariosCmd(), newPlotCmd(), newSchemaCmd(), newVersionCmd())
	for _, c := range extra {
		root.AddCommand(c())
	}
	return root
}

// extra holds commands that register themselves from their own files
// (register in an init function).
var extra []func() *cobra.Command

// args wraps a cobra argument check so that its errors exit 2.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(c *cobra.Command, a []string) error {
		if err := check(c, a); err != nil {
			return inputError(usageError{err})
		}
		return nil
	}
}
