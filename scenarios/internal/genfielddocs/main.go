// Command genfielddocs writes scenarios/fielddocs_gen.go: the Go comments
// of the scenario types' yaml fields, which the schema (cascade schema)
// shows as descriptions. Edit the comments on the fields, not that file.
//
// Run it with go generate ./scenarios (from the module root).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cascade-sim/cascade/scenarios/internal/fielddocs"
)

func main() {
	out := flag.String("o", "", "file to write (default: scenarios/"+fielddocs.Output+" under the module root)")
	root := flag.String("root", "", "module root (default: the nearest directory up with a go.mod)")
	flag.Parse()
	if err := run(*out, *root); err != nil {
		fmt.Fprintln(os.Stderr, "genfielddocs:", err)
		os.Exit(1)
	}
}

func run(out, root string) error {
	if root == "" {
		var err error
		if root, err = moduleRoot(); err != nil {
			return err
		}
	}
	if out == "" {
		out = filepath.Join(root, "scenarios", fielddocs.Output)
	}
	src, err := fielddocs.Generate(root)
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}

// moduleRoot is the nearest directory, from the working one up, with a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = up
	}
}
