package output

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTree creates the files of tree (path relative to dir -> contents)
// under dir.
func writeTree(t *testing.T, dir string, tree map[string]string) {
	t.Helper()
	for rel, s := range tree {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// outTree makes a directory out, in a new temporary parent, holding the
// files of tree, and returns both paths.
func outTree(t *testing.T, tree map[string]string) (parent, final string) {
	t.Helper()
	parent = t.TempDir()
	final = filepath.Join(parent, "out")
	if err := os.Mkdir(final, 0o755); err != nil {
		t.Fatal(err)
	}
	writeTree(t, final, tree)
	return parent, final
}

// TestForceRefusesWhatIsNotItsOutput: --force (NewStageOf with force)
// replaces an empty directory or one holding the output of the same
// command, and refuses anything else: a source tree, the parent of sweep
// shards, another command's output, a manifest that is not JSON. A refusal
// names the directory and what is in it, wraps ErrNotOutput (not
// ErrExists), and deletes and writes nothing.
func TestForceRefusesWhatIsNotItsOutput(t *testing.T) {
	runMan := `{"schema": "cascade.manifest/v1", "scenario": "mini"}`
	sweepMan := `{"schema": "cascade.sweep/v1"}`
	cmpDoc := `{"schema": "cascade.compare/v1"}`
	for _, tc := range []struct {
		name string
		kind Kind
		tree map[string]string // nil: an empty directory
		want []string          // in the refusal; none: replaced
	}{
		{"run over an empty directory", RunKind, nil, nil},
		{"run over a run", RunKind, map[string]string{"manifest.json": runMan, "summary.json": "{}", "plots/prices.svg": "<svg/>"}, nil},
		{"compare over a comparison", CompareKind, map[string]string{"compare.json": cmpDoc, "compare_prices.png": "png"}, nil},
		{"merge over a sweep", SweepKind, map[string]string{"manifest.json": sweepMan, "runs.csv": "index\n", "journal/all.bin": "x"}, nil},
		{"run over a source tree", RunKind, map[string]string{"src/x.go": "package x"},
			[]string{"holds files that are not a cascade run's output (no manifest.json): src/;", "refusing to delete it", "choose another --out or remove it yourself"}},
		{"run over the parent of shards", RunKind, map[string]string{"shard-0-of-2/manifest.json": sweepMan, "shard-1-of-2/manifest.json": sweepMan},
			[]string{"not a cascade run's output (no manifest.json): shard-0-of-2/, shard-1-of-2/;"}},
		{"run over files of one's own", RunKind, map[string]string{"a.txt": "x", "b.txt": "x", "c/d.txt": "x", "e.txt": "x", "f.txt": "x", "g.txt": "x"},
			[]string{"(no manifest.json): a.txt, b.txt, c/, e.txt (and 2 more); refusing"}},
		{"run over a sweep", RunKind, map[string]string{"manifest.json": sweepMan, "runs.csv": "index\n"},
			[]string{`holds a cascade sweep's output (manifest.json has schema "cascade.sweep/v1"), not a cascade run's output`}},
		{"compare over a run", CompareKind, map[string]string{"manifest.json": runMan},
			[]string{"holds a cascade run's output", "not a cascade comparison's output"}},
		{"merge over a run", SweepKind, map[string]string{"manifest.json": runMan},
			[]string{"holds a cascade run's output", "not a cascade sweep's output"}},
		{"run over a foreign manifest", RunKind, map[string]string{"manifest.json": `{"name": "my-npm-thing"}`},
			[]string{`manifest.json has no cascade schema`, "not a cascade run's output"}},
		{"run over a manifest that is not JSON", RunKind, map[string]string{"manifest.json": "<xml/>"},
			[]string{"manifest.json is not JSON", "not a cascade run's output"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent, final := outTree(t, tc.tree)
			st, err := NewStageOf(final, true, tc.kind)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("NewStageOf: %v", err)
				}
				commitNew(t, st, final)
				if got := names(t, parent); !slices.Equal(got, []string{"out"}) {
					t.Errorf("the parent holds %q, want only the output", got)
				}
				return
			}
			if err == nil {
				st.Abort()
				t.Fatal("--force replaced it")
			}
			if !errors.Is(err, ErrNotOutput) || errors.Is(err, ErrExists) {
				t.Errorf("err = %v: want ErrNotOutput, not ErrExists", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, final) {
				t.Errorf("message %q does not name %s", msg, final)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			for rel, s := range tc.tree {
				if got := readFile(t, filepath.Join(final, rel)); got != s {
					t.Errorf("%s changed to %q", rel, got)
				}
			}
			if got := names(t, parent); !slices.Equal(got, []string{"out"}) {
				t.Errorf("the parent holds %q, want only the untouched directory", got)
			}
		})
	}
}

// TestForceRefusesAtCommit: what changes at the final path while the stage
// is written (after NewStageOf accepted it) is seen by Commit, which
// refuses and leaves the directory alone: a directory that is not the
// command's output appearing there, or a user's file added to the output
// being replaced.
func TestForceRefusesAtCommit(t *testing.T) {
	for _, c := range []struct {
		name   string
		before map[string]string // the final path's files before NewStageOf
		added  string            // the file added before Commit
		msg    string            // in the refusal
	}{
		{name: "foreign directory appears", added: "notes.md"},
		{name: "file added to the old output", added: "notes.txt", msg: "did not write: notes.txt;",
			before: map[string]string{"manifest.json": `{"schema": "cascade.manifest/v1", "files": ["summary.json", "manifest.json"]}`, "summary.json": "old"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			parent := t.TempDir()
			final := filepath.Join(parent, "run")
			if c.before != nil {
				writeTree(t, final, c.before)
			}
			st, err := NewStageOf(final, true, RunKind)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Abort()
			if err := st.WriteFile("summary.json", writeString("new")); err != nil {
				t.Fatal(err)
			}
			writeTree(t, final, map[string]string{c.added: "mine"})
			err = st.Commit()
			if !errors.Is(err, ErrNotOutput) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("Commit with %s added: %v, want ErrNotOutput saying %q", c.added, err, c.msg)
			}
			if got := readFile(t, filepath.Join(final, c.added)); got != "mine" {
				t.Errorf("%s = %q", c.added, got)
			}
			if c.before != nil {
				if got := readFile(t, filepath.Join(final, "summary.json")); got != "old" {
					t.Errorf("summary.json = %q, want the old output kept", got)
				}
			}
			st.Abort()
			if got := names(t, parent); !slices.Equal(got, []string{"run"}) {
				t.Errorf("the parent holds %q", got)
			}
		})
	}
}

// TestForceKindRecoversTrash: what a --force killed between its renames
// leaves (the old run output in run.old-XXXX with the commit's lock file,
// the new one staged) is still recovered by the next NewStageOf: the old
// output is back, and --force then replaces it, as it is a run's output.
func TestForceKindRecoversTrash(t *testing.T) {
	if !canLock {
		t.Skip("no file locks here")
	}
	parent := t.TempDir()
	final := filepath.Join(parent, "run")
	trash := final + ".old-4242"
	writeTree(t, filepath.Join(trash, "run"), map[string]string{"manifest.json": `{"schema": "cascade.manifest/v1"}`, "summary.json": "old"})
	writeTree(t, trash, map[string]string{trashLock: "run.tmp-77"})
	writeTree(t, final+".tmp-77", map[string]string{"summary.json": "new"})

	if _, err := NewStageOf(final, false, RunKind); !errors.Is(err, ErrExists) {
		t.Fatalf("without force: %v, want ErrExists (the old output restored)", err)
	}
	if got := readFile(t, filepath.Join(final, "summary.json")); got != "old" {
		t.Errorf("summary.json = %q, want the old output back", got)
	}
	st, err := NewStageOf(final, true, RunKind)
	if err != nil {
		t.Fatalf("with force: %v", err)
	}
	defer st.Abort()
	if err := st.WriteFile("summary.json", writeString("newer")); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := names(t, parent); !slices.Equal(got, []string{"run"}) {
		t.Errorf("the parent holds %q, want only the output", got)
	}
	if got := readFile(t, filepath.Join(final, "summary.json")); got != "newer" {
		t.Errorf("summary.json = %q", got)
	}
}

// commitNew writes new.txt into the stage st, commits it and checks that
// final, the directory it replaced, now holds that alone.
func commitNew(t *testing.T, st *Stage, final string) {
	t.Helper()
	defer st.Abort()
	if err := st.WriteFile("new.txt", writeString("new")); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if got := names(t, final); !slices.Equal(got, []string{"new.txt"}) {
		t.Errorf("after --force the output holds %q, want only the new output", got)
	}
}
