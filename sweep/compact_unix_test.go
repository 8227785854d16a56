//go:build unix

package sweep

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
)

// TestCompactionOpenFiles: completing a shard compacts its journal by
// a k-way merge. It opened every chunk file at once, so a shard with more
// chunks than the process may open files could not complete: it failed
// with "too many open files", and every --resume failed again the same
// way; it now merges in passes of at most maxOpenChunks files. Chunks come every 1,000 runs or every 10 s, so a shard that runs a
// day writes about 8,640 of them, more than a 4,096-file limit common on
// cluster nodes. Here the test sweep, made 72 runs long, journals every run
// (about 66 chunks) and is stopped; it is then finished under a limit of 64
// open files, in place of a node's 4,096.
func TestCompactionOpenFiles(t *testing.T) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skip(err)
	}
	sw, err := LoadRuns("testdata/mini.yaml", 72)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	// Make most runs with the usual limit, journaling every run.
	ctx, cancel := context.WithCancel(context.Background())
	_, err = Run(ctx, sw, Options{Dir: out, Workers: 1, ChunkRuns: 1, Progress: func(done, total int) {
		if done >= total-6 {
			cancel()
		}
	}})
	cancel()
	if err == nil {
		t.Fatal("the sweep was not interrupted")
	}
	chunks, _ := filepath.Glob(filepath.Join(out, journalDir, "chunk-*.bin"))
	// Finish under a limit of 64 open files (a stand-in for a node's 4,096
	// against a day's 8,640 chunks): a few runs left to make, then compaction.
	low := lim
	low.Cur = 64
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Skip(err)
	}
	_, err = Run(context.Background(), sw, Options{Dir: out, Resume: true, Workers: 1})
	syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	if err != nil {
		t.Errorf("completing a shard of %d journal chunks under a 64-file limit: %v", len(chunks)+1, err)
	}
}
