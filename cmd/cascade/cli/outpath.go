package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// checkOutDir refuses, as invalid input, an output directory out that
// cannot be made because a file stands where one of the directories above
// it would be (--out notes.txt/run): said at once, before any work, rather
// than as the system's "lstat ...: not a directory" after it.
func checkOutDir(out string) error {
	for p := filepath.Dir(filepath.Clean(out)); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p) // a link to a directory is a directory
		switch {
		case err == nil && !fi.IsDir():
			return inputError(fmt.Errorf("--out %s: %s is a file, not a directory: choose another --out", out, p))
		case err == nil:
			return nil
		case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
			return inputError(fmt.Errorf("--out %s: %w", out, err))
		}
		if filepath.Dir(p) == p {
			return nil
		}
	}
}

// checkOutFile refuses, as invalid input, a file out that a command
// cannot write, before the work that makes its contents: its directory
// must exist, and out must not be a directory or anything but a regular
// file (a file there is replaced whole). Messages name it as --out.
func checkOutFile(out string) error { return checkFile("--out "+out, out, "whatif.md") }

// checkFile is checkOutFile for a file named as label says (--out PATH, or
// a command's argument); eg names a file a directory given instead could
// hold.
func checkFile(label, out, eg string) error {
	dir := filepath.Dir(out)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return inputError(fmt.Errorf("%s: no directory %s to write it in", label, dir))
	}
	fi, err := os.Stat(out)
	switch {
	case err == nil && fi.IsDir():
		return inputError(fmt.Errorf("%s is a directory: give the file to write in it (e.g. %s)", label, filepath.Join(out, eg)))
	case err == nil && !fi.Mode().IsRegular():
		return inputError(fmt.Errorf("%s exists and is not a regular file", label))
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return inputError(fmt.Errorf("%s: %w", label, err))
	}
	return nil
}
