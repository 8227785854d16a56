package sim

import (
	"fmt"
	"strings"
)

// SeedDraws lists what a run of c draws from its seed: the noise (unless
// noise.off), each agent entry whose population draws a parameter per
// member with vary (from a distribution of more than one value), and each
// entry of a custom or registered kind, whose Build and decisions may draw
// from agents.Env.Rand. Nothing else in a run reads the seed, so when the
// list is empty runs of c at any two seeds are the same run, to the bit
// (TestSeedFreeRunsIdentical): averaging over seeds repeats one run.
func (c *Config) SeedDraws() []string {
	var out []string
	if !c.Noise.Off {
		out = append(out, "the noise")
	}
	for k := range c.Agents {
		a := &c.Agents[k]
		id := a.Kind
		if spec, err := a.Spec(); err == nil {
			id = specID(spec)
		}
		if a.Custom != nil {
			out = append(out, fmt.Sprintf("agents[%d] (%s), of a kind a Go program defines", k, id))
			continue
		}
		var fields []string
		for _, v := range a.Vary {
			if _, err := v.Dist.Validate(); err != nil || !oneValue(&v.Dist) {
				fields = append(fields, v.Field)
			}
		}
		if len(fields) > 0 {
			out = append(out, fmt.Sprintf("agents[%d] (%s), whose members draw %s", k, id, strings.Join(fields, ", ")))
		}
	}
	return out
}

// SeedFree reports whether runs of c at different seeds are all the same
// run: SeedDraws is empty.
func (c *Config) SeedFree() bool { return len(c.SeedDraws()) == 0 }

// oneValue reports whether a valid distribution can take one value only.
func oneValue(d *Dist) bool {
	lo, hi := d.Range()
	return lo == hi
}
