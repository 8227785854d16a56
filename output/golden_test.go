package output

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "regenerate golden files")

// goldenCompare compares got with the file testdata/golden/name. With
// -update it writes got to that file instead, so that
//
//	go test ./output -run Golden -update
//
// regenerates every golden file; review the result with git diff.
func goldenCompare(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v\n(create it with: go test ./output -run Golden -update)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	line := 0
	for line < len(gl) && line < len(wl) && gl[line] == wl[line] {
		line++
	}
	at := func(ls []string) string {
		if line < len(ls) {
			return ls[line]
		}
		return "<end of file>"
	}
	t.Errorf("output differs from %s (%d vs %d bytes), first at line %d:\n got: %.200q\nwant: %.200q\n"+
		"If the change is intended, run: go test ./output -run Golden -update",
		path, len(got), len(want), line+1, at(gl), at(wl))
}
