package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/output"
)

func loadTestSweep(t *testing.T) *Sweep {
	t.Helper()
	sw, err := Load("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sw
}

// TestRunCancelResume: a cancelled sweep keeps the runs it journaled and
// says how to finish; resuming makes the rest, and the outputs equal those
// of an uninterrupted sweep, byte for byte.
func TestRunCancelResume(t *testing.T) {
	sw := loadTestSweep(t)
	ref := filepath.Join(t.TempDir(), "ref")
	if _, err := Run(context.Background(), sw, Options{Dir: ref, Workers: 1}); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	res, err := Run(ctx, sw, Options{Dir: out, Workers: 3, ChunkRuns: 2, Progress: func(done, total int) {
		if done >= 7 {
			cancel()
		}
	}})
	cancel()
	if err == nil || !strings.Contains(err.Error(), "finish with --resume") || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sweep: %v", err)
	}
	if res.Ran < 7 || res.Ran >= sw.Runs {
		t.Fatalf("cancelled sweep journaled %d runs", res.Ran)
	}
	if _, err := Run(context.Background(), sw, Options{Dir: out}); !errors.Is(err, ErrRefused) {
		t.Errorf("without Resume: %v, want a refusal", err)
	}
	res2, err := Run(context.Background(), sw, Options{Dir: out, Resume: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Resumed != res.Ran || res2.Ran != sw.Runs-res.Ran {
		t.Errorf("resume: %d kept and %d made, want %d and %d", res2.Resumed, res2.Ran, res.Ran, sw.Runs-res.Ran)
	}
	for _, f := range []string{"runs.csv", "bands.csv", "sensitivity.csv"} {
		a, _ := os.ReadFile(filepath.Join(ref, f))
		b, _ := os.ReadFile(filepath.Join(out, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs from the uninterrupted sweep's", f)
		}
	}
}

// interrupted makes part of the test sweep (shard sh) in dir: it cancels
// once at least 5 runs are done, journaling 2 runs a chunk.
func interrupted(t *testing.T, sw *Sweep, dir string, sh Shard) *Result {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := Run(ctx, sw, Options{Dir: dir, Workers: 1, Shard: sh, ChunkRuns: 2, Progress: func(done, total int) {
		if done >= 5 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted sweep: %v", err)
	}
	return res
}

// TestJournalDamage: a damaged chunk is detected, named, and refused;
// deleting it, as the message says, redoes its runs.
func TestJournalDamage(t *testing.T) {
	sw := loadTestSweep(t)
	out := filepath.Join(t.TempDir(), "out")
	kept := interrupted(t, sw, out, Whole).Ran
	chunks, _ := filepath.Glob(filepath.Join(out, "journal", "chunk-*.bin"))
	if len(chunks) < 2 {
		t.Fatalf("%d chunks, want several", len(chunks))
	}
	b, _ := os.ReadFile(chunks[1])
	b[len(b)/2] ^= 0x40
	os.WriteFile(chunks[1], b, 0o644)
	_, err := Run(context.Background(), sw, Options{Dir: out, Resume: true})
	if err == nil || !strings.Contains(err.Error(), "damaged journal chunk (checksum mismatch)") || !strings.Contains(err.Error(), chunks[1]) {
		t.Errorf("damaged chunk: %v", err)
	}
	os.Remove(chunks[1])
	res, err := Run(context.Background(), sw, Options{Dir: out, Resume: true})
	if err != nil || res.Ran != sw.Runs-kept+2 {
		t.Errorf("after deleting the damaged chunk: %v, %d runs made, want %d", err, res.Ran, sw.Runs-kept+2)
	}
}

// TestCompaction: a complete sweep keeps its journal as one file, which
// --resume and merge read; chunks left beside it by an interrupted
// compaction are ignored and removed.
func TestCompaction(t *testing.T) {
	sw := loadTestSweep(t)
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Run(context.Background(), sw, Options{Dir: out, ChunkRuns: 5}); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Join(out, "journal"))
	if len(ents) != 1 || ents[0].Name() != compactName {
		t.Fatalf("journal of a complete sweep: %v", ents)
	}
	before, _ := os.ReadFile(filepath.Join(out, "runs.csv"))
	os.WriteFile(filepath.Join(out, "journal", chunkName(1)), []byte("left over"), 0o644)
	res, err := Run(context.Background(), sw, Options{Dir: out, Resume: true})
	if err != nil || res.Ran != 0 {
		t.Fatalf("resume of a complete sweep: %v, %d runs made", err, res.Ran)
	}
	after, _ := os.ReadFile(filepath.Join(out, "runs.csv"))
	if !bytes.Equal(before, after) {
		t.Error("runs.csv changed")
	}
	if _, err := os.Stat(filepath.Join(out, "journal", chunkName(1))); err == nil {
		t.Error("the leftover chunk was not removed")
	}
}

// TestMergeIncomplete: merge refuses a shard whose runs are not all done,
// and says how to finish it.
func TestMergeIncomplete(t *testing.T) {
	sw := loadTestSweep(t)
	base := t.TempDir()
	dir0 := filepath.Join(base, Shard{Index: 0, Count: 2}.Dir())
	if _, err := Run(context.Background(), sw, Options{Dir: dir0, Shard: Shard{Index: 0, Count: 2}}); err != nil {
		t.Fatal(err)
	}
	dir1 := filepath.Join(base, Shard{Index: 1, Count: 2}.Dir())
	kept := interrupted(t, sw, dir1, Shard{Index: 1, Count: 2}).Ran
	_, err := Merge([]string{dir0, dir1}, MergeOptions{Out: filepath.Join(base, "merged")})
	want := fmt.Sprintf("is incomplete: %d of the 12 runs of shard 1/2 are done; finish it with cascade sweep --resume", kept)
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), want) {
		t.Errorf("merge of an incomplete shard: %v", err)
	}
	if _, err := os.Stat(filepath.Join(base, "merged")); err == nil {
		t.Error("a refused merge wrote its output")
	}
}

// TestReproduce: the command that makes one run alone.
func TestReproduce(t *testing.T) {
	sw := loadTestSweep(t)
	got := sw.Reproduce(3, []float64{1.25, 9e10, 0.1, 0.35})
	want := "cascade run mini --seed "
	if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "--set leverage_scale=1.25 --set brokers.GS.capital=9e+10 --set agents.cta.target_vol=0.1 --set agents.hf.vary.0.dist.max=0.35") {
		t.Errorf("got %q", got)
	}
}

// TestBandsMatchRuns: the bands of a sweep are the quantiles of the runs'
// series, tick by tick, within the sketch's accuracy (relative to the
// distance from the base path), with exact counts, minimum and maximum.
func TestBandsMatchRuns(t *testing.T) {
	sw := loadTestSweep(t)
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Run(context.Background(), sw, Options{Dir: out, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(out, "bands.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	bands, err := output.ReadParquet(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	paths := make([][][]float64, sw.Runs) // run, series, tick
	for i := range paths {
		_, series, err := sw.runOne(context.Background(), i)
		if err != nil {
			t.Fatal(err)
		}
		paths[i] = series
	}
	col := func(name string) output.Column { c, _ := bands.Column(name); return c }
	n, base, lo, hi := col("n"), col("base"), col("min"), col("max")
	qs := map[float64]output.Column{0.05: col("p5"), 0.25: col("p25"), 0.5: col("p50"), 0.75: col("p75"), 0.95: col("p95")}
	row := 0
	for s := range sw.Series {
		for tick := 0; tick < sw.Plan.Ticks; tick++ {
			var xs []float64
			for i := range paths {
				if x := paths[i][s][tick]; !math.IsNaN(x) {
					xs = append(xs, x)
				}
			}
			sort.Float64s(xs)
			if int(n.I[row]) != len(xs) {
				t.Fatalf("%s tick %d: n %d, want %d", sw.Series[s], tick, n.I[row], len(xs))
			}
			if len(xs) > 0 && (lo.F[row] != xs[0] || hi.F[row] != xs[len(xs)-1]) {
				t.Fatalf("%s tick %d: min/max %v/%v, want %v/%v", sw.Series[s], tick, lo.F[row], hi.F[row], xs[0], xs[len(xs)-1])
			}
			for q, c := range qs {
				if len(xs) == 0 {
					continue
				}
				exact := xs[int(q*float64(len(xs)-1))]
				a := base.F[row]
				if math.IsNaN(a) {
					a = 0
				}
				if tol := relAcc*math.Abs(exact-a) + 1e-9*math.Abs(exact); math.Abs(c.F[row]-exact) > tol {
					t.Fatalf("%s tick %d q%v: %v, exact %v", sw.Series[s], tick, q, c.F[row], exact)
				}
			}
			row++
		}
	}
}

// TestMadeBy: a sweep's manifest lists every program that worked on it:
// the one that started it and the one that resumed it (whose version the
// manifest then carries), and in a merged sweep each shard's, with its
// directory, then the merge; each with its target.
func TestMadeBy(t *testing.T) {
	sw := loadTestSweep(t)
	base := t.TempDir()
	sh0, sh1 := Shard{Index: 0, Count: 2}, Shard{Index: 1, Count: 2}
	dir0, dir1 := filepath.Join(base, sh0.Dir()), filepath.Join(base, sh1.Dir())
	if _, err := Run(context.Background(), sw, Options{Dir: dir0, Shard: sh0, Version: "v-a", Command: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Run(ctx, sw, Options{Dir: dir1, Shard: sh1, Workers: 1, ChunkRuns: 2, Version: "v-b", Command: []string{"b"}, Progress: func(done, total int) {
		if done >= 3 {
			cancel()
		}
	}})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted shard: %v", err)
	}
	if _, err := Run(context.Background(), sw, Options{Dir: dir1, Shard: sh1, Resume: true, Workers: 2, Version: "v-c", Command: []string{"c"}}); err != nil {
		t.Fatal(err)
	}
	m1 := readManifestT(t, dir1)
	if len(m1.MadeBy) != 2 || m1.MadeBy[0].Version != "v-b" || m1.MadeBy[1].Version != "v-c" || m1.MadeBy[1].Workers != 2 || m1.Version != "v-c" || m1.Command[0] != "c" {
		t.Errorf("resumed shard: version %s, command %v, made by %+v; want v-b then v-c, the manifest v-c's", m1.Version, m1.Command, m1.MadeBy)
	}
	out := filepath.Join(base, "merged")
	if _, err := Merge([]string{dir0, dir1}, MergeOptions{Out: out, Version: "v-m", Command: []string{"m"}}); err != nil {
		t.Fatal(err)
	}
	m := readManifestT(t, out)
	var got []string
	for _, e := range m.MadeBy {
		got = append(got, e.Version+"@"+filepath.Base(e.Shard))
		if e.Target == "" || e.GoVersion == "" || e.At.IsZero() {
			t.Errorf("entry %+v lacks its target, Go version or time", e)
		}
	}
	want := []string{"v-a@" + sh0.Dir(), "v-b@" + sh1.Dir(), "v-c@" + sh1.Dir(), "v-m@."}
	if !slices.Equal(got, want) || m.Version != "v-m" || m.Target == "" {
		t.Errorf("merged: version %s, target %q, made by %v; want %v", m.Version, m.Target, got, want)
	}
}
