//go:build !unix

package output

// canLock is whether LockFile's locks exclude other processes here.
const canLock = false

// LockFile does not lock on systems without flock: it returns a no-op
// unlock.
func LockFile(path string) (func(), error) { return func() {}, nil }
