package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCommitKilledBetweenRenames: a --force commit killed after moving the
// old output aside and before renaming the stage into place leaves no
// output directory, only final.old-XXXX (holding the old output) and the
// stage. The next stage for the same output puts the old output back and
// removes both leftovers; the one after replaces it cleanly.
func TestCommitKilledBetweenRenames(t *testing.T) {
	if !canLock {
		t.Skip("no file locks on this system")
	}
	parent := t.TempDir()
	final := filepath.Join(parent, "out")
	makeOld(t, final)

	line, kill := startChild(t, "TestCommitKillChild", "CASCADE_COMMIT_CHILD="+final)
	if strings.TrimSpace(line) != "moved" {
		t.Fatalf("the child did not reach the window between the renames: %q", line)
	}
	kill()

	// What the kill leaves: no out, a trash directory and the stage.
	left := names(t, parent)
	if slices.Contains(left, "out") || len(left) != 2 {
		t.Fatalf("after the kill the parent holds %q, want out.old-* and out.tmp-*", left)
	}

	// The next stage (without --force) finds the old output back in place.
	st, err := NewStage(final, false)
	if err == nil {
		st.Abort()
		t.Fatal("NewStage without force succeeded: the old output was not restored")
	}
	if !errors.Is(err, ErrExists) {
		t.Fatalf("NewStage: err = %v, want ErrExists (the old output restored)", err)
	}
	if got, want := names(t, parent), []string{"out"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %q, want %q (leftovers cleaned up)", got, want)
	}
	if got := readFile(t, filepath.Join(final, "old.txt")); got != "old" {
		t.Errorf("restored old.txt = %q", got)
	}

	st = newStage(t, final, true)
	defer st.Abort()
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := names(t, parent), []string{"out"}; !slices.Equal(got, want) {
		t.Errorf("after a forced commit parent holds %q, want %q", got, want)
	}
	if got, want := names(t, final), []string{"plots", "summary.json"}; !slices.Equal(got, want) {
		t.Errorf("final holds %q, want %q", got, want)
	}
}

// TestCommitKillChild is TestCommitKilledBetweenRenames's child: it commits
// a stage over an existing output and waits to be killed between the
// renames.
func TestCommitKillChild(t *testing.T) {
	final := os.Getenv("CASCADE_COMMIT_CHILD")
	if final == "" {
		t.Skip("run by TestCommitKilledBetweenRenames")
	}
	st := newStage(t, final, true)
	afterMoveAside = func() {
		os.Stdout.WriteString("moved\n")
		time.Sleep(time.Minute)
	}
	st.Commit()
}

// trashLeftover makes what a commit killed just after publishing the new
// output leaves: final (new) and final.old-XXXX holding the old output and
// the trash lock, which nobody holds.
func trashLeftover(t *testing.T, final string) string {
	t.Helper()
	if err := os.MkdirAll(final, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(final, "new.txt"), []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	trash := final + ".old-123"
	makeOld(t, filepath.Join(trash, filepath.Base(final)))
	if err := os.WriteFile(filepath.Join(trash, trashLock), []byte(filepath.Base(final)+".tmp-456"), 0o644); err != nil {
		t.Fatal(err)
	}
	return trash
}

// TestCommitLeftoverTrashRemoved: the trash directory of a commit killed
// after publishing is removed by the next commit to the same output; one
// whose lock is held (a commit in progress), and a directory that is not a
// trash directory of ours, are left alone.
func TestCommitLeftoverTrashRemoved(t *testing.T) {
	if !canLock {
		t.Skip("no file locks on this system")
	}
	parent := t.TempDir()
	final := filepath.Join(parent, "out")
	trash := trashLeftover(t, final)
	// Someone's own directory that happens to match the pattern.
	foreign := final + ".old-mine"
	if err := os.MkdirAll(foreign, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}

	// While a live process holds its lock, the trash stays.
	unlock, err := LockFile(filepath.Join(trash, trashLock))
	if err != nil {
		t.Fatal(err)
	}
	if got := RecoverTrash(final); len(got) != 0 {
		t.Errorf("removed %q while its lock is held", got)
	}
	unlock()

	st := newStage(t, final, true)
	defer st.Abort()
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := names(t, parent), []string{"out", "out.old-mine"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %q, want %q", got, want)
	}
	if got := readFile(t, filepath.Join(foreign, "notes.txt")); got != "keep" {
		t.Errorf("foreign directory changed: %q", got)
	}
}

// TestStageNotDirConsistent: an output path that is a regular file is
// refused the same way with and without force, with an error naming the
// path and saying why (not "use --force", which would be refused too),
// and nothing is left behind.
func TestStageNotDirConsistent(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "result")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, force := range []bool{false, true} {
		st, err := NewStage(file, force)
		if err == nil {
			st.Abort()
			t.Fatalf("force=%v: NewStage over a regular file succeeded", force)
		}
		if !errors.Is(err, ErrNotDir) || errors.Is(err, ErrExists) {
			t.Errorf("force=%v: err = %v, want ErrNotDir and not ErrExists", force, err)
		}
		if msg := err.Error(); !strings.Contains(msg, file) || !strings.Contains(msg, "not a directory") || strings.Contains(msg, "--force") {
			t.Errorf("force=%v: error %q should name %s, say it is not a directory, and not suggest --force", force, msg, file)
		}
	}
	if got := readFile(t, file); got != "x" {
		t.Errorf("file changed to %q", got)
	}
	if got, want := names(t, parent), []string{"result"}; !slices.Equal(got, want) {
		t.Errorf("parent holds %q, want %q", got, want)
	}
}

// TestRecordPlots: the manifest's files after a redraw are the run's other
// files still present, the plots drawn (in the order drawn), any other run
// plot file present (by name: one an earlier drawing left), then
// manifest.json; hidden temporary files, files gone and files in plots/
// that are not run plots (a user's: the list is what --force may delete)
// are not listed, and the other fields are kept.
func TestRecordPlots(t *testing.T) {
	dir := t.TempDir()
	man := Manifest{Schema: "cascade.manifest/v1", Scenario: "s", Seed: 7,
		Files: []string{"summary.json", "gone.csv", filepath.Join("plots", "old.png"), "manifest.json"}}
	if err := WriteFileAtomic(filepath.Join(dir, "manifest.json"), func(w io.Writer) error { return WriteJSON(w, &man) }); err != nil {
		t.Fatal(err)
	}
	plots := filepath.Join(dir, "plots")
	for _, f := range []string{"summary.json", "plots/sales_by_kind.svg", "plots/correlation.png", "plots/attribution.png", "plots/.correlation.png.tmp-1", "plots/mine.pdf", "plots/extra.png"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	drawn := []string{filepath.Join(plots, "sales_by_kind.svg"), filepath.Join(plots, "correlation.png")}
	if err := RecordPlots(dir, drawn); err != nil {
		t.Fatal(err)
	}
	var got Manifest
	b, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"summary.json", filepath.Join("plots", "sales_by_kind.svg"), filepath.Join("plots", "correlation.png"), filepath.Join("plots", "attribution.png"), "manifest.json"}
	if !slices.Equal(got.Files, want) {
		t.Errorf("files = %q, want %q", got.Files, want)
	}
	if got.Scenario != "s" || got.Seed != 7 {
		t.Errorf("other fields changed: %+v", got)
	}
	if left := names(t, dir); !slices.Equal(left, []string{"manifest.json", "plots", "summary.json"}) {
		t.Errorf("dir holds %q (a temporary file of the manifest left?)", left)
	}
}

// TestRecordPlotsSums: after a redraw the manifest's sums are the new
// plots' and, for the run's other files still listed, those recorded when
// the run wrote them (a redraw does not bless a file changed since); a
// manifest written before sums were recorded stays without them.
func TestRecordPlotsSums(t *testing.T) {
	for _, recorded := range []bool{true, false} {
		dir := t.TempDir()
		man := Manifest{Schema: "cascade.manifest/v1", Files: []string{"summary.json", "gone.csv", "plots/old.png", "manifest.json"}}
		if recorded {
			man.Checksums = map[string]string{"summary.json": "as-written", "gone.csv": "g", "plots/old.png": "o"}
		}
		if err := WriteFileAtomic(filepath.Join(dir, "manifest.json"), func(w io.Writer) error { return WriteJSON(w, &man) }); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"summary.json", "plots/correlation.png", "plots/prices.svg"} {
			p := filepath.Join(dir, filepath.FromSlash(f))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := RecordPlots(dir, []string{filepath.Join(dir, "plots", "correlation.png")}); err != nil {
			t.Fatal(err)
		}
		var got Manifest
		b, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		var want map[string]string
		if recorded {
			// Each file's content is its name.
			want = map[string]string{"summary.json": "as-written",
				"plots/correlation.png": shaHex("plots/correlation.png"),
				"plots/prices.svg":      shaHex("plots/prices.svg")}
		}
		if !maps.Equal(got.Checksums, want) {
			t.Errorf("recorded %v: sums %v, want %v", recorded, got.Checksums, want)
		}
	}
}

func shaHex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
