// Package fstree lets tests check that a command left a directory as it
// found it: Snapshot lists everything under it, and two snapshots differ
// when anything in it was added, removed or rewritten.
package fstree

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Snapshot lists every path under dir (dir itself included, as ".")
// with its mode, size and modification time, in lexical order.
func Snapshot(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, fmt.Sprintf("%s %v %d %d", rel, fi.Mode(), fi.Size(), fi.ModTime().UnixNano()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
