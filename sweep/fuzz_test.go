package sweep

import (
	"context"
	"os"
	"testing"

	"github.com/cascade-sim/cascade/internal/fuzzcheck"
)

// FuzzParse feeds Parse arbitrary sweep files. Whatever the bytes, it
// must not panic, and it must either refuse the file with Problems, each
// naming the file, a line and a column (fuzzcheck.Refusal), or accept a
// sweep whose first and last runs (each at its own parameter values and
// seed) run and summarize without an error: a sweep that --check passes
// must not fail at run time on values from its own ranges.
//
// make test runs the seed corpus: testdata/mini.yaml and
// testdata/score.yaml, each of which must be accepted, and any input go
// test saves in testdata/fuzz/FuzzParse when one fails (none has yet). To
// search:
//
//	go test ./sweep -run '^$' -fuzz FuzzParse -fuzztime 5m -fuzzminimizetime 3s
func FuzzParse(f *testing.F) {
	for _, p := range []string{"testdata/mini.yaml", "testdata/score.yaml"} {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if _, err := Parse(p, src); err != nil {
			f.Fatalf("seed %s refused: %v", p, err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		const name = "testdata/fuzzed.yaml"
		sw, err := Parse(name, src)
		if err != nil {
			fuzzcheck.Refusal(t, err, name)
			return
		}
		if sw.Runs < 1 || sw.Plan == nil {
			t.Fatalf("accepted with %d runs and plan %v", sw.Runs, sw.Plan)
		}
		if sw.Base.File.Ticks > 2000 {
			return // a valid but long base: too slow to fuzz
		}
		for _, i := range []int{0, sw.Runs - 1} {
			if _, _, err := sw.runOne(context.Background(), i); err != nil {
				t.Fatalf("run %d: %v", i, err)
			}
		}
	})
}
