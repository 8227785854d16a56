package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestProblemsSorted: problems are ordered by file, line and column with
// the numbers in a file's name compared as numbers, so a twelfth --set
// comes after the second, not between the first and the second.
func TestProblemsSorted(t *testing.T) {
	at := func(file string, line, col int) Problem { return Problem{Pos: Pos{File: file, Line: line, Col: col}} }
	for _, c := range []struct {
		name string
		in   []Problem
		want []string // positions, in order
	}{
		{"sets by number",
			[]Problem{at("--set #10", 1, 1), at("--set #2", 1, 1), at("--set #1", 1, 1), at("--set #11", 1, 1), at("--set #9", 1, 1)},
			[]string{"--set #1:1:1", "--set #2:1:1", "--set #9:1:1", "--set #10:1:1", "--set #11:1:1"}},
		{"line then column as numbers",
			[]Problem{at("a.yaml", 10, 2), at("a.yaml", 9, 30), at("a.yaml", 10, 10), at("a.yaml", 2, 1), at("a.yaml", 10, 9)},
			[]string{"a.yaml:2:1", "a.yaml:9:30", "a.yaml:10:2", "a.yaml:10:9", "a.yaml:10:10"}},
		{"file first, then line",
			[]Problem{at("bank10.yaml", 1, 1), at("bank2.yaml", 40, 1), at("--set #3", 1, 5), at("bank2.yaml", 7, 3)},
			[]string{"--set #3:1:5", "bank2.yaml:7:3", "bank2.yaml:40:1", "bank10.yaml:1:1"}},
		{"numbers longer than an int",
			[]Problem{at("r100000000000000000000.yaml", 1, 1), at("r99999999999999999999.yaml", 1, 1)},
			[]string{"r99999999999999999999.yaml:1:1", "r100000000000000000000.yaml:1:1"}},
		{"leading zeros",
			[]Problem{at("run010.yaml", 1, 1), at("run9.yaml", 1, 1), at("run09.yaml", 1, 1)},
			[]string{"run09.yaml:1:1", "run9.yaml:1:1", "run010.yaml:1:1"}},
		{"a prefix first",
			[]Problem{at("s.yaml.bak", 1, 1), at("s.yaml", 1, 1), at("s", 1, 1)},
			[]string{"s:1:1", "s.yaml:1:1", "s.yaml.bak:1:1"}},
	} {
		ps := Problems(slices.Clone(c.in)).Sorted()
		got := make([]string, len(ps))
		for k, p := range ps {
			got[k] = p.Pos.String()
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// TestProblemsSortedStable: problems at one position keep the order they
// were found in.
func TestProblemsSortedStable(t *testing.T) {
	ps := Problems{{Pos: Pos{File: "--set #2", Line: 1, Col: 1}, Msg: "b"}, {Pos: Pos{File: "--set #10", Line: 1, Col: 1}, Msg: "c"}, {Pos: Pos{File: "--set #2", Line: 1, Col: 1}, Msg: "a"}}
	var got []string
	for _, p := range ps.Sorted() {
		got = append(got, p.Msg)
	}
	if want := []string{"b", "a", "c"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestLoadSetsInOrder: a scenario refused for twelve bad --set overrides
// names them in the order they were given.
func TestLoadSetsInOrder(t *testing.T) {
	var sets []string
	for k := 1; k <= 12; k++ {
		sets = append(sets, fmt.Sprintf("bogus%d=1", k))
	}
	_, err := Load("mini", sets)
	if err == nil {
		t.Fatal("twelve unknown fields accepted")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 12 {
		t.Fatalf("want 12 problems, got %d:\n%v", len(lines), err)
	}
	for k, l := range lines {
		if want := fmt.Sprintf("--set #%d:1:1: bogus%d: unknown field", k+1, k+1); !strings.HasPrefix(l, want) {
			t.Errorf("problem %d: got %q, want %q...", k+1, l, want)
		}
	}
}
