package output

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists is returned (wrapped) by [NewStage] and [Stage.Commit] when the
// final output directory already exists and replacing it was not requested.
// Test for it with errors.Is.
var ErrExists = errors.New("output directory already exists (use --force to replace it)")

// ErrLocked is returned (wrapped) by [LockFile] when another process holds
// the lock.
var ErrLocked = errors.New("locked by another process")

// stageLock is the file in a stage directory whose lock the writing
// process holds until the stage is committed or aborted.
const stageLock = ".stage.lock"

// WriteFileAtomic writes a file so that path either keeps its previous state
// or holds the complete new contents, never a partial file.
//
// The contents are produced by write, which receives a buffered writer on a
// temporary file created in the directory of path. When write succeeds the
// buffer is flushed, the temporary file is synced to disk, closed, given mode
// 0644 and renamed over path. If any step fails (or write panics) the
// temporary file is removed and the error is returned, wrapped with path.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("output: write %s: %w", path, err)
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	wrap := func(err error) error { return fmt.Errorf("output: write %s: %w", path, err) }

	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return wrap(err)
	}
	if err := bw.Flush(); err != nil {
		return wrap(err)
	}
	if err := f.Sync(); err != nil {
		return wrap(err)
	}
	if err := f.Close(); err != nil {
		return wrap(err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return wrap(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return wrap(err)
	}
	done = true
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable where the platform supports it.
// Errors are ignored: some systems cannot sync directories, and the rename
// itself has already succeeded.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// A Stage is a temporary directory in which a whole output folder is
// assembled before it is published under its final name.
//
// All writes go to the stage directory ([Stage.Dir], [Stage.Path]) and become
// visible under the final name only when [Stage.Commit] renames the stage
// into place, so a run that fails half-way leaves no partial output folder:
// call [Stage.Abort] (typically deferred) to remove the stage.
//
//	st, err := output.NewStage("runs/base", force)
//	if err != nil {
//		return err
//	}
//	defer st.Abort() // no-op after a successful Commit
//	// ... write files under st.Path(...) ...
//	return st.Commit()
//
// A Stage is not safe for concurrent use by multiple goroutines, but files
// inside it may of course be written concurrently.
type Stage struct {
	final     string
	dir       string
	force     bool
	committed bool
	aborted   bool
	unlock    func() // releases the stage's lock
	// created lists the ancestors of final that NewStage created, deepest
	// first: Abort removes those left empty.
	created []string
}

// NewStage creates a stage for the output directory final.
//
// If final already exists and force is false, NewStage returns an error
// wrapping [ErrExists] and leaves final untouched. If force is true, final
// must be a directory; it is replaced by Commit. The stage is a sibling
// directory named final+".tmp-XXXX", created in the parent of final (which is
// created if needed, and removed again by Abort if left empty), so that
// Commit is a rename within one file system.
//
// The writing process holds a lock on the stage until Commit or Abort. A
// stage whose process was killed outright (SIGKILL, a lost node) keeps its
// directory but loses its lock: the next NewStage for the same final name
// removes such stages (see RemoveStale).
func NewStage(final string, force bool) (*Stage, error) {
	if final == "" {
		return nil, errors.New("output: empty output directory name")
	}
	final = filepath.Clean(final)
	if err := checkReplaceable(final, force); err != nil {
		return nil, err
	}
	parent := filepath.Dir(final)
	created := missingDirs(parent)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		removeEmpty(created)
		return nil, fmt.Errorf("output: %w", err)
	}
	RemoveStale(final)
	dir, err := os.MkdirTemp(parent, filepath.Base(final)+".tmp-")
	if err != nil {
		removeEmpty(created)
		return nil, fmt.Errorf("output: %w", err)
	}
	// MkdirTemp creates mode 0700; the published folder should look like
	// one made by mkdir.
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		removeEmpty(created)
		return nil, fmt.Errorf("output: %w", err)
	}
	// The lock file is locked under another name and then renamed, so
	// that a stage's lock file, once there, is locked until its process
	// ends: RemoveStale cannot take a stage being created for abandoned.
	lock, taking := filepath.Join(dir, stageLock), filepath.Join(dir, stageLock+".new")
	unlock, err := LockFile(taking)
	if err == nil {
		if err = os.Rename(taking, lock); err != nil {
			unlock()
		}
	}
	if err != nil {
		// A file system without locks: the stage goes unlocked, and
		// without its lock file, so that nobody takes it for abandoned.
		os.Remove(taking)
		unlock = func() {}
	}
	return &Stage{final: final, dir: dir, force: force, unlock: unlock, created: created}, nil
}

// missingDirs returns dir and those of its ancestors that do not exist,
// deepest first: the directories os.MkdirAll(dir) would create.
func missingDirs(dir string) []string {
	var out []string
	for {
		if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
			return out
		}
		out = append(out, dir)
		up := filepath.Dir(dir)
		if up == dir {
			return out
		}
		dir = up
	}
}

// removeEmpty removes the directories dirs, in order, each if it is empty
// (os.Remove does not remove a directory with anything in it): another
// process's output made meanwhile stays, with the directories above it.
func removeEmpty(dirs []string) {
	for _, d := range dirs {
		if os.Remove(d) != nil {
			return
		}
	}
}

// RemoveStale removes the stage directories of final (final.tmp-*) left by
// processes that were killed before they could commit or abort, and
// returns their names. A stage is stale when nobody holds its lock: the
// system releases a lock when its process ends. Stages of a live process,
// and directories without a lock file (a stage being created, or one made
// by an older version), are left alone, as is everything on a system
// without file locks.
func RemoveStale(final string) []string {
	if !canLock {
		return nil
	}
	final = filepath.Clean(final)
	matches, _ := filepath.Glob(final + ".tmp-*")
	var removed []string
	for _, dir := range matches {
		lock := filepath.Join(dir, stageLock)
		if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
			continue
		}
		if _, err := os.Lstat(lock); err != nil {
			continue
		}
		unlock, err := LockFile(lock)
		if err != nil {
			continue
		}
		err = os.RemoveAll(dir)
		unlock()
		if err == nil {
			removed = append(removed, dir)
		}
	}
	return removed
}

// checkReplaceable reports whether the output directory final may be
// created (it does not exist) or replaced (force is set and it is a
// directory that is safe to remove).
func checkReplaceable(final string, force bool) error {
	fi, err := os.Lstat(final)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if !force {
		return fmt.Errorf("output: %s: %w", final, ErrExists)
	}
	if !fi.IsDir() {
		return fmt.Errorf("output: %s exists and is not a directory; refusing to replace it", final)
	}
	abs, err := filepath.Abs(final)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if filepath.Dir(abs) == abs {
		return fmt.Errorf("output: refusing to replace root directory %s", abs)
	}
	if wd, err := os.Getwd(); err == nil {
		if within(abs, wd) {
			return fmt.Errorf("output: refusing to replace %s: it contains the current directory", final)
		}
	}
	return nil
}

// within reports whether path is dir or lies inside it. Both must be
// absolute and clean.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return false
	}
	return rel == "." || rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Dir returns the path of the stage directory. Files written there appear
// under the final name after Commit.
func (s *Stage) Dir() string { return s.dir }

// Final returns the (cleaned) path the stage is published to by Commit.
func (s *Stage) Final() string { return s.final }

// Path returns the path of rel inside the stage directory; its elements are
// joined as by filepath.Join. Path does not create any directory: see
// [Stage.MkdirAll].
func (s *Stage) Path(rel ...string) string {
	return filepath.Join(append([]string{s.dir}, rel...)...)
}

// MkdirAll creates the directory rel (for instance "plots") inside the
// stage, along with any necessary parents.
func (s *Stage) MkdirAll(rel string) error {
	if err := os.MkdirAll(s.Path(rel), 0o755); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// WriteFile writes the file rel inside the stage with [WriteFileAtomic],
// creating its parent directories first.
func (s *Stage) WriteFile(rel string, write func(w io.Writer) error) error {
	p := s.Path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return WriteFileAtomic(p, write)
}

// Commit publishes the stage under its final name.
//
// If the final directory exists, Commit fails with an error wrapping
// [ErrExists] unless the stage was created with force, in which case the old
// directory is replaced. Commit refuses to replace a path that is not a
// directory, the root directory, or a directory containing the current
// working directory. The old directory is first moved aside, so it is
// restored if publishing the new one fails.
//
// Commit may be called only once: calling it again, or after Abort,
// returns an error and changes nothing.
func (s *Stage) Commit() error {
	switch {
	case s.committed:
		return fmt.Errorf("output: %s: stage already committed", s.final)
	case s.aborted:
		return fmt.Errorf("output: %s: stage was aborted", s.final)
	}
	if err := checkReplaceable(s.final, s.force); err != nil {
		return err
	}
	parent := filepath.Dir(s.final)

	// Move an existing final directory out of the way, into a freshly made
	// unique directory, so that a failed rename below can put it back.
	var trash, old string
	if _, err := os.Lstat(s.final); err == nil {
		trash, err = os.MkdirTemp(parent, filepath.Base(s.final)+".old-")
		if err != nil {
			return fmt.Errorf("output: %w", err)
		}
		old = filepath.Join(trash, filepath.Base(s.final))
		if err := os.Rename(s.final, old); err != nil {
			os.Remove(trash)
			return fmt.Errorf("output: %w", err)
		}
	}
	// The lock file goes before the rename, so that it is not published;
	// the lock itself is held until the stage is renamed or aborted.
	os.Remove(filepath.Join(s.dir, stageLock))
	if err := os.Rename(s.dir, s.final); err != nil {
		if trash != "" {
			os.Rename(old, s.final)
			os.Remove(trash)
		}
		return fmt.Errorf("output: %w", err)
	}
	s.committed = true
	s.unlock()
	syncDir(parent)
	if trash != "" {
		if err := os.RemoveAll(trash); err != nil {
			return fmt.Errorf("output: new output committed to %s but removing the old one failed: %w", s.final, err)
		}
	}
	return nil
}

// Abort removes the stage directory and everything written to it, and the
// parent directories NewStage created for it that are left empty, deepest
// first. It is a no-op after a successful Commit and may be called any
// number of times, so it is meant to be deferred right after NewStage.
func (s *Stage) Abort() {
	if s.committed || s.aborted {
		return
	}
	s.aborted = true
	os.RemoveAll(s.dir)
	s.unlock()
	removeEmpty(s.created)
}
