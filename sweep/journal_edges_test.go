package sweep

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLognormalClampOrder: a lognormal whose clamp has min > max is
// refused, as a normal's is ("normal needs min < max"). It was accepted,
// and every draw was then max (0.5 here): a reversed clamp silently made
// the parameter a constant.
func TestLognormalClampOrder(t *testing.T) {
	src := []byte(`base: mini
runs: 4
seed: 1
parameters:
  - {path: leverage_scale, dist: {kind: lognormal, mu: 0, sigma: 0.2, min: 1.5, max: 0.5}}
`)
	sw, err := Parse("clamp.yaml", src)
	if err == nil {
		vals := make([]float64, 1)
		var got []float64
		for i := 0; i < 4; i++ {
			sw.Values(i, vals)
			got = append(got, vals[0])
		}
		t.Fatalf("a lognormal with min 1.5 > max 0.5 was accepted; runs draw %v", got)
	}
}

// TestChunkMillion: the journal writes its k-th chunk as
// chunkName(k) = "chunk-%06d.bin", which has 7 digits from k = 1,000,000
// on. chunkFiles scanned names with "chunk-%06d.bin" (at most 6 digits),
// so it silently skipped such a chunk: its runs counted as missing at the
// end of the sweep, --resume redid them into a chunk of the same number
// (overwriting it) and skipped it again, and the shard never completed.
func TestChunkMillion(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, journalDir), 0o755); err != nil {
		t.Fatal(err)
	}
	fp := strings.Repeat("ab", 32)
	for _, k := range []int{999_999, 1_000_000} {
		rows := []row{{index: k % 7, seed: 1, values: []float64{1}}}
		if err := writeChunk(dir, k, fp, 1, rows, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	files, next, err := chunkFiles(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || next != 1_000_001 {
		t.Errorf("journal holds %s and %s: chunkFiles lists %d of them %v, next chunk %d (want 2 and 1000001)",
			chunkName(999_999), chunkName(1_000_000), len(files), files, next)
	}
}
