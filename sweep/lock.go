package sweep

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

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

// removeStaleTemps removes from a sweep directory the temporary files a
// killed sweep left: .NAME.tmp-DIGITS, as output.WriteFileAtomic names
// them, where NAME is a file a sweep writes there (output.SweepKind), and
// journal/.merge-*.tmp-chunk, the intermediate files of a compaction. It
// is called with the directory's lock held, so no live writer owns them;
// any other file is left alone.
func removeStaleTemps(dir string) {
	for _, sub := range []string{"", "plots", journalDir} {
		ents, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			continue
		}
		for _, e := range ents {
			if e.IsDir() || !staleTemp(path.Join(filepath.ToSlash(sub), e.Name())) {
				continue
			}
			os.Remove(filepath.Join(dir, sub, e.Name()))
		}
	}
}

// staleTemp reports whether rel, a slash-separated path in a sweep
// directory, names a temporary file of one of the sweep's own files.
func staleTemp(rel string) bool {
	sub, name := path.Split(rel)
	if ok, _ := path.Match(journalDir+"/.merge-*.tmp-chunk", rel); ok {
		return true
	}
	i := strings.LastIndex(name, ".tmp-")
	if !strings.HasPrefix(name, ".") || i < 2 {
		return false
	}
	if digits := name[i+len(".tmp-"):]; digits == "" || strings.Trim(digits, "0123456789") != "" {
		return false
	}
	own := sub + name[1:i]
	for _, w := range output.SweepKind.Writes {
		if ok, _ := path.Match(w, own); ok {
			return true
		}
	}
	return false
}

// removeUnlisted removes from a sweep directory the files an earlier
// assembly wrote and listed in its manifest (old) that this one does not
// write (now): plots under names an older version gave them, or every plot
// when this assembly draws none. Otherwise plots/ would mix charts of two
// assemblies, and the ones the manifest no longer lists could hold another
// set of runs. Files the manifest never listed are left alone.
func removeUnlisted(dir string, old, now []string) {
	for _, f := range old {
		if strings.HasSuffix(f, "/") || slices.Contains(now, f) || !filepath.IsLocal(f) {
			continue
		}
		os.Remove(filepath.Join(dir, filepath.FromSlash(f)))
	}
}
