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

// LockFile takes an exclusive lock on the file at path, creating it, and
// returns the unlock. When another process holds the lock it returns an
// error wrapping ErrLocked; on a file system without locks, another error. The system releases a lock when its process
// ends, however it ends (SIGKILL included), so a lock that can be taken
// belongs to nobody.
func LockFile(path string) (func(), error) {
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
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
