//go:build unix

package output

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// canLock is whether LockFile's locks exclude other processes here.
const canLock = true

// lockTries bounds how often LockFile starts again when the file it locked
// was replaced or removed in the meantime.
const lockTries = 8

// afterFlock, when set (by tests), runs between taking a lock and checking
// that the path still names the locked file.
var afterFlock func(path string)

// LockFile takes an exclusive lock on the file at path, creating it, and
// returns the unlock. When another process holds the lock it returns an
// error wrapping ErrLocked; on a file system without locks, another error.
// The system releases a lock when its process ends, however it ends
// (SIGKILL included), so a lock that can be taken belongs to nobody.
//
// A lock is on a file, not on a name: if the file was removed or replaced
// between the open and the lock (a directory cleared by --force, say), the
// lock would exclude nobody who opens the path now. LockFile therefore checks,
// once it holds the lock, that the path still names the file it locked, and
// starts again when it does not.
func LockFile(path string) (func(), error) {
	for range lockTries {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, fmt.Errorf("%s: %w", path, ErrLocked)
			}
			return nil, fmt.Errorf("locking %s: %w", path, err) // e.g. a file system without locks
		}
		if afterFlock != nil {
			afterFlock(path)
		}
		held, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if now, err := os.Stat(path); err == nil && os.SameFile(held, now) {
			return func() {
				syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		f.Close() // releases the lock on the file the path no longer names
	}
	return nil, fmt.Errorf("locking %s: the file was replaced %d times while it was being locked", path, lockTries)
}
