package scenarios_test

import (
	"errors"
	"fmt"

	"github.com/cascade-sim/cascade/scenarios"
)

// Load reads a built-in scenario by name (or a file by path), applies
// overrides as cascade run --set does, and validates the result.
func ExampleLoad() {
	sc, err := scenarios.Load("mini", []string{"noise.scale=0.25", "seed=7"})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := sc.File
	fmt.Printf("%s: %d ticks of %s, %d assets, noise scale %g, seed %d\n", sc.Origin, f.Ticks, f.Tick, len(f.Assets), f.Noise.Scale, f.Seed)
	// Output:
	// builtin:mini: 72 ticks of 1h0m0s, 5 assets, noise scale 0.25, seed 7
}

// Invalid input is a scenarios.Problems error listing everything wrong at
// once, each problem with its file, line, column and field.
func ExampleLoad_problems() {
	_, err := scenarios.Load("testdata/typo.yaml", nil)
	var ps scenarios.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Printf("line %d, column %d, %s: %s\n", p.Pos.Line, p.Pos.Col, p.Path, p.Msg)
		}
	}
	// Output:
	// line 3, column 16, noise.scale: want a number, got the text "half"
	// line 4, column 1, horizn: unknown field (did you mean "horizon"?)
}
