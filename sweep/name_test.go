package sweep

import (
	"strings"
	"testing"
)

// TestSweepNamePlain: a sweep's name names its output directory, out/NAME:
// a name that is a path is refused at its position (one of "../../x" once
// wrote the sweep two directories above out/); a plain one loads.
func TestSweepNamePlain(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{{"lev-sweep", true}, {"../../escaped", false}, {"/tmp/abs", false}, {"a/b", false}} {
		_, err := writeSweep(t, "name: \""+c.name+"\"\nbase: mini\nseed: 7\nruns: 2\nparameters:\n  - {path: leverage_scale, dist: {kind: uniform, min: 1, max: 2}}\n")
		switch {
		case c.ok && err != nil:
			t.Errorf("name %q: %v", c.name, err)
		case !c.ok && (err == nil || !strings.Contains(err.Error(), `:1:7: name: "`+c.name+`" cannot name the output directory`)):
			t.Errorf("name %q: %v; want it refused at 1:7", c.name, err)
		}
	}
}
