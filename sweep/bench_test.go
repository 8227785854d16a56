package sweep

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// BenchmarkSweepScaling makes sweeps/aug2024.yaml cut to 400 runs (aug2024
// with its passive twins, four parameters, four series) with 1 and then 2
// workers, b.N times each, alternating, and reports the runs per second of
// the fastest sweep of each (the least disturbed by other processes) and
// the speedup. Writing the outputs (tables, no plots) is not timed.
func BenchmarkSweepScaling(b *testing.B) {
	const runs = 400
	src, err := os.ReadFile("../sweeps/aug2024.yaml")
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Replace(string(src), "runs: 10000", "runs: 400", 1)
	if text == string(src) {
		b.Fatal("sweeps/aug2024.yaml no longer says runs: 10000")
	}
	sw, err := Parse("../sweeps/aug2024.yaml", []byte(text))
	if err != nil {
		b.Fatal(err)
	}
	var best [3]time.Duration
	for i := 0; i < b.N; i++ {
		for _, w := range []int{1, 2} {
			// One worker on one core against two on two: the runtime's own
			// threads (the garbage collector) would otherwise lend the
			// single worker the second core.
			prev := runtime.GOMAXPROCS(w)
			res, err := Run(context.Background(), sw, Options{Dir: filepath.Join(b.TempDir(), "out"), Workers: w})
			runtime.GOMAXPROCS(prev)
			if err != nil {
				b.Fatal(err)
			}
			if best[w] == 0 || res.RunTime < best[w] {
				best[w] = res.RunTime
			}
		}
	}
	r1 := runs / best[1].Seconds()
	r2 := runs / best[2].Seconds()
	b.ReportMetric(r1, "runs/s-1worker")
	b.ReportMetric(r2, "runs/s-2workers")
	b.ReportMetric(r2/r1, "speedup")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkSweepRun times one run of the aug2024 sweep as a worker makes
// it: the configuration with the run's parameters applied, the build, the
// run, the passive twin for the amplification and the summary. It reports
// time, bytes and allocations per run; the build's share is what
// BenchmarkStandardRun leaves out.
func BenchmarkSweepRun(b *testing.B) {
	src, err := os.ReadFile("../sweeps/aug2024.yaml")
	if err != nil {
		b.Fatal(err)
	}
	sw, err := Parse("../sweeps/aug2024.yaml", src)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := sw.runOne(context.Background(), i); err != nil {
			b.Fatal(err)
		}
		runDone()
	}
}

// runDone marks the end of a benchmarked sweep run for
// .ci/bench/instructions.sh, which counts from the entry of runOne to the
// entry of runDone (see sim's runDone for why not to runOne's return).
//
//go:noinline
func runDone() {}
