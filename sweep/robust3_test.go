package sweep

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/output"
)

// halfCreated makes what a sweep stopped before writing its manifest (a
// SIGKILL, or a failed write of the manifest) leaves in dir: the journal
// directory, the lock file, and the temporary file of the manifest being
// written.
func halfCreated(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, journalDir), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{".lock", ".manifest.json.tmp-123"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRunHalfCreatedDir: a sweep directory left by a sweep stopped before
// its first run (no manifest yet) no longer needs deleting by hand: a
// rerun, with or without --resume or --force, starts the sweep there and
// makes every run, leaving no temporary file behind. While another process
// holds its lock, the rerun is refused with a message saying so.
func TestRunHalfCreatedDir(t *testing.T) {
	sw := loadTestSweep(t)
	for _, tc := range []struct {
		name string
		opt  Options
	}{
		{"plain", Options{}},
		{"resume", Options{Resume: true}},
		{"force", Options{Force: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "s")
			halfCreated(t, dir)
			opt := tc.opt
			opt.Dir, opt.Workers = dir, 2
			res, err := Run(context.Background(), sw, opt)
			if err != nil {
				t.Fatalf("rerun over a half-created directory: %v", err)
			}
			if res.Ran != sw.Runs || res.Resumed != 0 {
				t.Errorf("made %d runs (%d before), want %d (0 before)", res.Ran, res.Resumed, sw.Runs)
			}
			if m := readManifestT(t, dir); !m.Complete {
				t.Error("manifest not complete")
			}
			if _, err := os.Stat(filepath.Join(dir, ".manifest.json.tmp-123")); !os.IsNotExist(err) {
				t.Errorf("the killed writer's temporary manifest is still there (%v)", err)
			}
		})
	}

	if !canLockHere() {
		return
	}
	dir := filepath.Join(t.TempDir(), "s")
	halfCreated(t, dir)
	unlock, err := output.LockFile(filepath.Join(dir, ".lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, err = Run(context.Background(), sw, Options{Dir: dir, Workers: 1})
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "another cascade process") {
		t.Errorf("while another process holds the lock: %v, want a refusal naming another process", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".manifest.json.tmp-123")); err != nil {
		t.Errorf("a live process's directory was changed: %v", err)
	}
}

// TestRunNotSweepDirMessage: a directory holding someone else's files is
// still refused, with a message that names it once and says why.
func TestRunNotSweepDirMessage(t *testing.T) {
	sw := loadTestSweep(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, opt := range []Options{{}, {Resume: true}, {Force: true}} {
		opt.Dir = dir
		_, err := Run(context.Background(), sw, opt)
		if !errors.Is(err, ErrRefused) {
			t.Fatalf("%+v: err = %v, want a refusal", opt, err)
		}
		if msg := err.Error(); strings.Count(msg, dir) != 1 || !strings.Contains(msg, "no manifest.json") || !strings.Contains(msg, "choose another --out") {
			t.Errorf("message %q: want the directory named once, why, and what to do", msg)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "x" {
		t.Error("the directory's file changed")
	}
}

func readManifestT(t *testing.T, dir string) *Manifest {
	t.Helper()
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// canLockHere reports whether file locks exclude other holders here.
func canLockHere() bool {
	dir, err := os.MkdirTemp("", "lock-")
	if err != nil {
		return false
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "l")
	u1, err := output.LockFile(p)
	if err != nil {
		return false
	}
	defer u1()
	u2, err := output.LockFile(p)
	if err == nil {
		u2()
		return false
	}
	return errors.Is(err, output.ErrLocked)
}
