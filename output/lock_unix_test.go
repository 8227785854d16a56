//go:build unix

package output

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestLockFollowsReplacedFile: the file is removed (as a --force clearing
// the directory would) between LockFile's open and its lock. A lock on the
// removed file would exclude nobody, so a second LockFile of the same path
// would succeed and two processes would each think they own the directory.
// LockFile must notice and lock the file the path names now.
func TestLockFollowsReplacedFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".lock")
	removals := 0
	afterFlock = func(path string) {
		if removals == 0 {
			removals++
			if err := os.Remove(path); err != nil {
				t.Error(err)
			}
		}
	}
	defer func() { afterFlock = nil }()
	unlock, err := LockFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	afterFlock = nil
	if removals != 1 {
		t.Fatalf("the hook removed the file %d times, want 1", removals)
	}
	if u2, err := LockFile(p); !errors.Is(err, ErrLocked) {
		if err == nil {
			u2()
		}
		t.Fatalf("a second lock of %s: err = %v, want ErrLocked: the first lock is on a file the path no longer names", p, err)
	}
}

// TestLockGivesUpOnAFileAlwaysReplaced: a path replaced at every attempt is
// an error after lockTries attempts, not a lock and not a loop.
func TestLockGivesUpOnAFileAlwaysReplaced(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".lock")
	tries := 0
	afterFlock = func(path string) {
		tries++
		os.Remove(path)
	}
	defer func() { afterFlock = nil }()
	if u, err := LockFile(p); err == nil {
		u()
		t.Fatal("locked a file that is replaced at every attempt")
	}
	if tries != lockTries {
		t.Errorf("%d attempts, want %d", tries, lockTries)
	}
}
