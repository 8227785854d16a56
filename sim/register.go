package sim

import (
	"fmt"
	"slices"
	"sync"

	"github.com/cascade-sim/cascade/agents"
)

// registry holds the agent kinds Go programs have registered, by name.
var registry struct {
	sync.RWMutex
	kinds map[string]func() agents.Maker
	names []string // sorted
}

// Register makes an agent kind of a Go program's own available to scenario
// files by name, as the built-in kinds are: an entry `kind: name` is
// decoded into the spec newSpec returns (its fields by their yaml names,
// an unknown field refused at its line), populations and sweeps set its
// fields by those names, and `cascade schema` lists them. newSpec returns
// a new, empty spec each call: a pointer to a struct with an exported
// string field ID (see agents.Maker). Call Register from an init function
// or before loading any scenario; cmd/cascade/cli.Main then runs the
// command with the kind known. It panics if name is not a lower-case
// identifier (a–z, 0–9 and _, starting with a letter), is a built-in kind
// or "custom", is already registered, or if newSpec's spec is not a Maker
// of that shape: those are mistakes in the program, not in its input.
func Register(name string, newSpec func() agents.Maker) {
	if !kindName(name) {
		panic(fmt.Sprintf("sim.Register: agent kind %q: want a lower-case name of letters, digits and _, starting with a letter", name))
	}
	if slices.Contains(AgentKinds, name) || name == CustomKind {
		panic(fmt.Sprintf("sim.Register: agent kind %q is built in", name))
	}
	if newSpec == nil {
		panic(fmt.Sprintf("sim.Register: agent kind %q: newSpec is nil", name))
	}
	if err := checkMaker(newSpec()); err != nil {
		panic(fmt.Sprintf("sim.Register: agent kind %q: %v", name, err))
	}
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.kinds[name]; dup {
		panic(fmt.Sprintf("sim.Register: agent kind %q is registered twice", name))
	}
	if registry.kinds == nil {
		registry.kinds = map[string]func() agents.Maker{}
	}
	registry.kinds[name] = newSpec
	registry.names = append(registry.names, name)
	slices.Sort(registry.names)
}

// KindNames returns the agent kinds a scenario file may name: the built-in
// ones (AgentKinds), then the registered ones in alphabetical order. The
// slice is the caller's own, to sort or change.
func KindNames() []string {
	registry.RLock()
	defer registry.RUnlock()
	return slices.Concat(AgentKinds, registry.names)
}

// Registered reports whether kind is a registered (not a built-in) kind.
func Registered(kind string) bool {
	registry.RLock()
	defer registry.RUnlock()
	_, ok := registry.kinds[kind]
	return ok
}

// newRegistered returns a new spec of a registered kind, or nil.
func newRegistered(kind string) agents.Maker {
	registry.RLock()
	f := registry.kinds[kind]
	registry.RUnlock()
	if f == nil {
		return nil
	}
	return f()
}

func kindName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
