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

// ErrNotDir is returned (wrapped) by [NewStage] and [Stage.Commit] when the
// final output path exists and is not a directory (a regular file, a
// symbolic link, ...). Such a path is never replaced, with or without
// force: it is not an output folder this package made. Test for it with
// errors.Is.
var ErrNotDir = errors.New("exists and is not a directory; refusing to replace it (choose another output directory, or remove it)")

// ErrLocked is returned (wrapped) by [LockFile] when another process holds
// the lock.
var ErrLocked = errors.New("locked by another process")

// stageLock is the file in a stage directory whose lock the writing
// process holds until the stage is committed or aborted.
const stageLock = ".stage.lock"

// trashLock is the file in a trash directory (final.old-XXXX, where Commit
// moves the output it replaces) whose lock the committing process holds
// until the commit is over. It holds the base name of the stage being
// committed. A trash directory with this file and nobody holding its lock
// was left by a process killed during a commit: see [RecoverTrash].
const trashLock = ".trash.lock"

// afterMoveAside, when set (by tests), is called by Commit right after the
// old output was moved into its trash directory, before the stage is
// renamed into place: the window in which a killed process leaves no
// output directory at all.
var afterMoveAside func()

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
	kind      Kind // what force may replace
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
// wrapping [ErrExists] and leaves final untouched. If force is true, it is
// replaced by Commit, whatever it holds: commands use [NewStageOf], whose
// force replaces only their own outputs. A final path that exists and is
// not a directory is refused, force or not, with an error wrapping
// [ErrNotDir]. The stage is a sibling
// directory named final+".tmp-XXXX", created in the parent of final (which is
// created if needed, and removed again by Abort if left empty), so that
// Commit is a rename within one file system.
//
// The writing process holds a lock on the stage until Commit or Abort. A
// stage whose process was killed outright (SIGKILL, a lost node) keeps its
// directory but loses its lock: the next NewStage for the same final name
// removes such stages (see RemoveStale), and recovers from a Commit to the
// same final name that was killed half-way (see RecoverTrash).
func NewStage(final string, force bool) (*Stage, error) {
	return NewStageOf(final, force, Kind{})
}

// NewStageOf is [NewStage] for an output of kind k: force replaces an
// existing final directory only if it is empty or holds an output of the
// same kind (k.File there, with k.Schema in any version) and nothing else:
// every file in it is one the command writes (see [Kind] and
// [Replaceable]). With force, anything else is refused by an error
// wrapping [ErrNotOutput] that says what the directory holds (without
// force, any existing directory is refused with [ErrExists]); nothing is
// deleted or written. Commit checks again, for a directory that appeared
// or files added meanwhile.
func NewStageOf(final string, force bool, k Kind) (*Stage, error) {
	if final == "" {
		return nil, errors.New("output: empty output directory name")
	}
	final = filepath.Clean(final)
	// A commit to final killed half-way is finished first (its old output
	// restored if that is all there is), so that final is seen as it was.
	RecoverTrash(final)
	if err := checkReplaceable(final, force, k); err != nil {
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
	return &Stage{final: final, dir: dir, force: force, kind: k, unlock: unlock, created: created}, nil
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

// RecoverTrash cleans up after commits to final whose process was killed
// during the commit, and returns the trash directories it removed.
//
// Commit replaces an existing output in steps: it moves the old output into
// a trash directory final.old-XXXX (locked while the commit lasts), renames
// the stage to final and removes the trash. A process killed between the
// steps leaves the trash directory behind, with no lock held on it:
//
//   - if final exists, the new output was published: the trash is removed;
//   - if final is missing, the kill came between the two renames: the old
//     output is put back under final (the command did not complete, so the
//     output is as it was before it), and the stage it was replacing it
//     with is removed.
//
// Only trash directories that prove to be Commit's are touched: those
// holding the lock file, and nothing but it and the old output, and whose
// lock nobody holds (a commit in progress keeps its lock). Everything is
// left alone on a system without file locks. NewStage and Commit call
// RecoverTrash, so the next output to the same final path cleans up.
func RecoverTrash(final string) []string {
	if !canLock {
		return nil
	}
	final = filepath.Clean(final)
	base, parent := filepath.Base(final), filepath.Dir(final)
	matches, _ := filepath.Glob(final + ".old-*")
	var removed []string
	for _, trash := range matches {
		if fi, err := os.Lstat(trash); err != nil || !fi.IsDir() {
			continue
		}
		ents, err := os.ReadDir(trash)
		if err != nil {
			continue
		}
		if !isTrash(ents, base) {
			continue
		}
		lock := filepath.Join(trash, trashLock)
		stage, err := os.ReadFile(lock)
		if err != nil {
			continue
		}
		unlock, err := LockFile(lock)
		if err != nil {
			continue // a commit in progress
		}
		old := filepath.Join(trash, base)
		if _, err := os.Lstat(final); errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Lstat(old); err == nil {
				if err := os.Rename(old, final); err != nil {
					unlock()
					continue
				}
				syncDir(parent)
			}
			// The stage that was to replace it, complete but without
			// its lock file (Commit removes it just before the rename).
			if name := string(stage); strings.HasPrefix(name, base+".tmp-") && filepath.Base(name) == name {
				removeUnlockedStage(filepath.Join(parent, name))
			}
		}
		err = os.RemoveAll(trash)
		unlock()
		if err == nil {
			removed = append(removed, trash)
		}
	}
	return removed
}

// isTrash reports whether the entries of a directory are those of a trash
// directory of Commit for the output named base: its lock file and at most
// the old output.
func isTrash(ents []fs.DirEntry, base string) bool {
	lock := false
	for _, e := range ents {
		switch {
		case e.Name() == trashLock && e.Type().IsRegular():
			lock = true
		case e.Name() == base && e.IsDir():
		default:
			return false
		}
	}
	return lock
}

// removeUnlockedStage removes the stage directory dir unless a live
// process holds its lock.
func removeUnlockedStage(dir string) {
	lock := filepath.Join(dir, stageLock)
	if _, err := os.Lstat(lock); err == nil {
		unlock, err := LockFile(lock)
		if err != nil {
			return
		}
		defer unlock()
	}
	os.RemoveAll(dir)
}

// checkReplaceable reports whether the output directory final may be
// created (it does not exist) or replaced (force is set and it is a
// directory that is safe to remove: not the root, not holding the current
// directory, and empty or an output of kind k and nothing else: see
// [Replaceable]). A path that is not a
// directory is refused with [ErrNotDir] whether or not force is set, so that the error
// without force does not suggest a --force that would be refused too.
func checkReplaceable(final string, force bool, k Kind) error {
	fi, err := os.Lstat(final)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("output: %s %w", final, ErrNotDir)
	}
	if !force {
		return fmt.Errorf("output: %s: %w", final, ErrExists)
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
	return checkKind(final, k)
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
// directory, the root directory, a directory containing the current
// working directory, or (for [NewStageOf]) one that is neither empty nor
// an output of the stage's kind holding nothing but the command's files.
// The old directory is first moved aside,
// so it is restored if publishing the new one fails.
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
	RecoverTrash(s.final)
	if err := checkReplaceable(s.final, s.force, s.kind); err != nil {
		return err
	}
	parent := filepath.Dir(s.final)

	// Move an existing final directory out of the way, into a freshly made
	// unique directory, so that a failed rename below can put it back. The
	// trash directory is locked while the commit lasts: should the process
	// be killed before it is over, the next stage for final recovers the
	// trash (RecoverTrash).
	var trash, old string
	unlockTrash := func() {}
	defer func() { unlockTrash() }()
	if _, err := os.Lstat(s.final); err == nil {
		trash, err = os.MkdirTemp(parent, filepath.Base(s.final)+".old-")
		if err != nil {
			return fmt.Errorf("output: %w", err)
		}
		unlockTrash = lockTrash(trash, filepath.Base(s.dir))
		old = filepath.Join(trash, filepath.Base(s.final))
		if err := os.Rename(s.final, old); err != nil {
			os.RemoveAll(trash)
			return fmt.Errorf("output: %w", err)
		}
		if afterMoveAside != nil {
			afterMoveAside()
		}
	}
	// The lock file goes before the rename, so that it is not published;
	// the lock itself is held until the stage is renamed or aborted.
	os.Remove(filepath.Join(s.dir, stageLock))
	if err := os.Rename(s.dir, s.final); err != nil {
		if trash != "" {
			if os.Rename(old, s.final) == nil {
				os.RemoveAll(trash)
			}
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

// lockTrash gives the trash directory its lock file, naming the stage being
// committed, and returns the unlock. As for a stage's, the lock file is
// locked under another name and then renamed, so that once there it is
// locked until the process ends. On a system without locks the trash gets
// no lock file (and is never recovered: nobody could tell it abandoned).
func lockTrash(trash, stage string) func() {
	taking := filepath.Join(trash, trashLock+".new")
	if err := os.WriteFile(taking, []byte(stage), 0o644); err != nil {
		os.Remove(taking)
		return func() {}
	}
	unlock, err := LockFile(taking)
	if err == nil {
		if err = os.Rename(taking, filepath.Join(trash, trashLock)); err != nil {
			unlock()
		}
	}
	if err != nil {
		os.Remove(taking)
		return func() {}
	}
	return unlock
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
