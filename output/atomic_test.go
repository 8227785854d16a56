package output

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// names returns the sorted names of the entries of dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, e := range ents {
		ns = append(ns, e.Name())
	}
	return ns
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	for _, content := range []string{"first\n", "second, longer content\n"} {
		if err := WriteFileAtomic(path, writeString(content)); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, path); got != content {
			t.Errorf("content = %q, want %q", got, content)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("mode = %v, want 0644", fi.Mode().Perm())
		}
		if got, want := names(t, dir), []string{"out.csv"}; !slices.Equal(got, want) {
			t.Errorf("directory holds %q, want %q", got, want)
		}
	}
}

func TestWriteFileAtomicFailure(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name     string
		existing string // content of the file before the write; "" for none
	}{
		{"new file", ""},
		{"existing file", "old content\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.parquet")
			if tt.existing != "" {
				if err := os.WriteFile(path, []byte(tt.existing), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := WriteFileAtomic(path, func(w io.Writer) error {
				// Enough to spill out of the buffer into the temporary file.
				if _, err := w.Write(make([]byte, 1<<20)); err != nil {
					return err
				}
				return errBoom
			})
			if !errors.Is(err, errBoom) {
				t.Fatalf("err = %v, want it to wrap %v", err, errBoom)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the path", err)
			}
			var want []string
			if tt.existing != "" {
				want = []string{"out.parquet"}
				if got := readFile(t, path); got != tt.existing {
					t.Errorf("existing file changed to %d bytes", len(got))
				}
			}
			if got := names(t, dir); !slices.Equal(got, want) {
				t.Errorf("directory holds %q, want %q", got, want)
			}
		})
	}
}

func TestWriteFileAtomicPanic(t *testing.T) {
	dir := t.TempDir()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic was swallowed")
			}
		}()
		WriteFileAtomic(filepath.Join(dir, "x"), func(w io.Writer) error { panic("boom") })
	}()
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("directory holds %q after a panic, want nothing", got)
	}
}

func TestWriteFileAtomicMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "x")
	if err := WriteFileAtomic(path, writeString("x")); err == nil {
		t.Fatal("no error writing into a missing directory")
	}
}

// newStage creates a stage for final and fills it with two files.
func newStage(t *testing.T, final string, force bool) *Stage {
	t.Helper()
	st, err := NewStage(final, force)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.WriteFile("summary.json", writeString("{}\n")); err != nil {
		t.Fatal(err)
	}
	if err := st.MkdirAll("plots"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(st.Path("plots", "price.svg"), []byte("<svg/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestStageCommit(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "runs")
	final := filepath.Join(parent, "base")
	st := newStage(t, final, false)
	defer st.Abort()

	if _, err := os.Stat(final); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("final directory visible before Commit (err = %v)", err)
	}
	if got := filepath.Dir(st.Dir()); got != parent {
		t.Errorf("stage directory in %s, want sibling of final in %s", got, parent)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(final, "plots", "price.svg")); got != "<svg/>" {
		t.Errorf("plots/price.svg = %q", got)
	}
	if got := readFile(t, filepath.Join(final, "summary.json")); got != "{}\n" {
		t.Errorf("summary.json = %q", got)
	}
	fi, err := os.Stat(final)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o755 {
		t.Errorf("final directory mode = %v, want 0755", fi.Mode().Perm())
	}
	if got, want := names(t, parent), []string{"base"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %q, want %q", got, want)
	}

	// Commit is not repeatable, and Abort after Commit changes nothing.
	if err := st.Commit(); err == nil {
		t.Error("second Commit succeeded, want an error")
	}
	st.Abort()
	st.Abort()
	if got := readFile(t, filepath.Join(final, "summary.json")); got != "{}\n" {
		t.Errorf("after second Commit and Abort, summary.json = %q", got)
	}
}

func TestStageAbortLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	st := newStage(t, filepath.Join(parent, "run"), false)
	st.Abort()
	st.Abort() // idempotent
	if got := names(t, parent); len(got) != 0 {
		t.Errorf("parent holds %q after Abort, want nothing", got)
	}
	if err := st.Commit(); err == nil {
		t.Error("Commit after Abort succeeded, want an error")
	}
	if got := names(t, parent); len(got) != 0 {
		t.Errorf("parent holds %q after Commit following Abort, want nothing", got)
	}
}

// makeOld creates final holding the file old.txt.
func makeOld(t *testing.T, final string) {
	t.Helper()
	if err := os.MkdirAll(final, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(final, "old.txt"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestStageExists(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "run")
	makeOld(t, final)

	st, err := NewStage(final, false)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("NewStage on existing directory: err = %v, want ErrExists", err)
	}
	if st != nil {
		t.Error("NewStage returned a stage along with an error")
	}
	if msg := err.Error(); !strings.Contains(msg, "--force") || !strings.Contains(msg, final) {
		t.Errorf("error %q should name the directory and mention --force", msg)
	}
	if got := readFile(t, filepath.Join(final, "old.txt")); got != "old" {
		t.Errorf("old directory changed: old.txt = %q", got)
	}
	if got, want := names(t, parent), []string{"run"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %q, want %q", got, want)
	}
}

func TestStageExistsAtCommit(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "run")
	st := newStage(t, final, false)
	defer st.Abort()
	makeOld(t, final) // another run got there first

	if err := st.Commit(); !errors.Is(err, ErrExists) {
		t.Fatalf("Commit over a directory created meanwhile: err = %v, want ErrExists", err)
	}
	if got, want := names(t, final), []string{"old.txt"}; !slices.Equal(got, want) {
		t.Errorf("final holds %q, want %q", got, want)
	}
	st.Abort()
	if got, want := names(t, parent), []string{"run"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %q, want %q", got, want)
	}
}

func TestStageForce(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "run")
	makeOld(t, final)

	st := newStage(t, final, true)
	defer st.Abort()
	if got, want := names(t, final), []string{"old.txt"}; !slices.Equal(got, want) {
		t.Errorf("before Commit final holds %q, want %q", got, want)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := names(t, final), []string{"plots", "summary.json"}; !slices.Equal(got, want) {
		t.Errorf("final holds %q, want %q", got, want)
	}
	if got, want := names(t, parent), []string{"run"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %q, want %q (no leftovers)", got, want)
	}
}

func TestStageForceRefuses(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(root, "work", "sub")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)

	tests := []struct{ name, final string }{
		{"regular file", file},
		{"root", string(filepath.Separator)},
		{"current directory", "."},
		{"current directory absolute", work},
		{"parent of current directory", ".."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := NewStage(tt.final, true)
			if err == nil {
				st.Abort()
				t.Fatalf("NewStage(%q, true) succeeded", tt.final)
			}
			if errors.Is(err, ErrExists) {
				t.Errorf("err = %v; want a refusal, not ErrExists", err)
			}
		})
	}
	if got := readFile(t, file); got != "x" {
		t.Errorf("file changed to %q", got)
	}
	if got, want := names(t, root), []string{"file", "work"}; !slices.Equal(got, want) {
		t.Errorf("root holds %q, want %q", got, want)
	}
}

func TestStageForceRefusesAtCommit(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "run")
	st := newStage(t, final, true)
	defer st.Abort()
	// A file appears where the directory should go.
	if err := os.WriteFile(final, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); err == nil {
		t.Fatal("Commit replaced a regular file")
	}
	if got := readFile(t, final); got != "x" {
		t.Errorf("file changed to %q", got)
	}
}

// TestStageAbortRemovesCreatedParents: Abort removes the parent
// directories NewStage created for the output, deepest first, and only
// those: not one that existed before, nor one that something else has
// written into meanwhile (nor the directories above it).
func TestStageAbortRemovesCreatedParents(t *testing.T) {
	root := t.TempDir()
	st := newStage(t, filepath.Join(root, "runs", "a", "b", "run"), false)
	st.Abort()
	if got := names(t, root); len(got) != 0 {
		t.Errorf("root holds %q after Abort, want nothing", got)
	}

	if err := os.Mkdir(filepath.Join(root, "runs"), 0o755); err != nil {
		t.Fatal(err)
	}
	st = newStage(t, filepath.Join(root, "runs", "a", "b", "run"), false)
	if err := os.WriteFile(filepath.Join(root, "runs", "a", "other.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	st.Abort()
	if got := names(t, filepath.Join(root, "runs", "a")); !slices.Equal(got, []string{"other.txt"}) {
		t.Errorf("runs/a holds %q after Abort, want [other.txt]", got)
	}
	if err := os.Remove(filepath.Join(root, "runs", "a", "other.txt")); err != nil {
		t.Fatal(err)
	}
	st = newStage(t, filepath.Join(root, "runs", "a", "run"), false)
	st.Abort()
	if got := names(t, root); !slices.Equal(got, []string{"runs"}) {
		t.Errorf("root holds %q after Abort, want [runs] (it existed before)", got)
	}
	if got := names(t, filepath.Join(root, "runs")); !slices.Equal(got, []string{"a"}) {
		t.Errorf("runs holds %q after Abort, want [a] (it existed before)", got)
	}

	// A committed stage keeps its parents.
	st = newStage(t, filepath.Join(root, "new", "run"), false)
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	st.Abort()
	if got := names(t, filepath.Join(root, "new")); !slices.Equal(got, []string{"run"}) {
		t.Errorf("new holds %q after Commit and Abort, want [run]", got)
	}
}
