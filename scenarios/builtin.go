package scenarios

import (
	"embed"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The boj2026-* what-ifs are generated.
//go:generate go run ./internal/genwhatif builtin

// eba2018 is generated from the EBA's 2018 transparency figures.
//go:generate go run ./internal/geneba builtin/eba2018.yaml

// The schema's descriptions are the fields' Go comments (fielddocs_gen.go).
//go:generate go run ./internal/genfielddocs -o fielddocs_gen.go

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Builtin returns the source of a built-in scenario.
func Builtin(name string) ([]byte, bool) {
	data, err := builtinFS.ReadFile("builtin/" + name + ".yaml")
	return data, err == nil
}

// BuiltinNames lists the built-in scenarios, sorted.
func BuiltinNames() []string {
	ents, _ := builtinFS.ReadDir("builtin")
	var names []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// Describe returns a built-in scenario's one-line description (its
// description field up to the first line break).
func Describe(name string) string {
	data, ok := Builtin(name)
	if !ok {
		return ""
	}
	var head struct {
		Description string `yaml:"description"`
		Extends     string `yaml:"extends"`
	}
	_ = yaml.Unmarshal(data, &head)
	d := strings.TrimSpace(head.Description)
	if i := strings.IndexByte(d, '\n'); i >= 0 {
		d = d[:i]
	}
	return d
}
