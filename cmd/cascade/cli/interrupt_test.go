package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestInterruptedWhileWriting: a SIGINT or SIGTERM that arrives while a
// run's or a comparison's outputs are being written stops the command
// before they are committed, with the context's error (main then says
// "interrupted"), and leaves nothing behind.
func TestInterruptedWhileWriting(t *testing.T) {
	for _, c := range []struct {
		name string
		do   func(ctx context.Context, out string) error
	}{
		{"run", func(ctx context.Context, out string) error {
			return runScenario(ctx, io.Discard, "mini", &runFlags{out: out, quiet: true})
		}},
		{"compare", func(ctx context.Context, out string) error {
			return (&comparison{out: out, off: "cta"}).run(ctx, io.Discard, []string{"mini"})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			calls := 0
			beforeCommit = func() { calls++; cancel() }
			defer func() { beforeCommit = nil }()
			err := c.do(ctx, filepath.Join(dir, "out"))
			if !errors.Is(err, context.Canceled) || calls != 1 {
				t.Fatalf("error %v after %d commits begun, want context canceled after 1", err, calls)
			}
			if err.Error() != "writing the outputs: context canceled" {
				t.Errorf("error %q", err)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestInterruptLeavesNoDirectories: README: "a failed or interrupted run
// leaves nothing half-written". NewStage creates the output directory's
// missing parents (MkdirAll) before the run; a run stopped by SIGINT
// (here: its context cancelled before the first tick) aborts the stage and
// removes those new parent directories again: they were left behind,
// empty (for the default --out, an empty out/).
func TestInterruptLeavesNoDirectories(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := runScenario(ctx, io.Discard, "mini", &runFlags{out: filepath.Join(dir, "runs", "mini"), quiet: true, noPlots: true})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context canceled", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		var names []string
		for _, e := range left {
			names = append(names, e.Name())
		}
		t.Errorf("interrupted run left behind %v in the output's parent", names)
	}
}
