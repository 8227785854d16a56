package sweep

import (
	"errors"
	"path/filepath"

	"github.com/cascade-sim/cascade/output"
)

// lockDir takes an exclusive lock on dir/.lock, so that two processes
// never work on one sweep directory at once. It returns the unlock.
func lockDir(dir string) (func(), error) {
	unlock, err := output.LockFile(filepath.Join(dir, ".lock"))
	if errors.Is(err, output.ErrLocked) {
		return nil, refuse("another cascade process is working in %s (%v)", dir, err)
	}
	return unlock, err
}
