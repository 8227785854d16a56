// Package fuzzcheck holds what the fuzz tests of the scenarios and sweep
// packages demand of a refused input, so that both demand the same.
package fuzzcheck

import (
	"errors"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
)

// Refusal asserts that err, with which a loader refused an input labelled
// file, is a refusal a user can act on: scenarios.Problems, not empty,
// each problem with a message and a file, and with a line and a column
// when it is in file.
func Refusal(t testing.TB, err error, file string) {
	t.Helper()
	var ps scenarios.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("refused with %T, not Problems: %v", err, err)
	}
	if len(ps) == 0 {
		t.Fatal("refused with no problem listed")
	}
	for _, p := range ps {
		if p.Msg == "" || p.Pos.File == "" {
			t.Errorf("problem without a message or a file: %#v", p)
		}
		if p.Pos.File == file && (p.Pos.Line < 1 || p.Pos.Col < 1) {
			t.Errorf("problem in %s without a line and column: %s", file, p)
		}
	}
}
