// Command geneba writes the built-in scenario eba2018 from the EBA's 2018
// transparency figures (package eba).
//
// Run it with go generate ./scenarios (from the module root).
package main

import (
	"fmt"
	"os"

	"github.com/cascade-sim/cascade/scenarios/internal/eba"
)

func main() {
	out := "builtin/eba2018.yaml"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	b, err := eba.Generate(eba.CSV)
	if err == nil {
		err = os.WriteFile(out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "geneba:", err)
		os.Exit(1)
	}
}
