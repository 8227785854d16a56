package sim

import (
	"fmt"
	"slices"
	"strings"
	"time"
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

// Unpaired says why runs of a and b at one seed do not share their random
// draws, as a comparison of the two (cascade compare) would have them
// share: one line per reason, none when the draws are paired. The noise
// draws, each tick, one normal per asset with a factor of its own (every
// asset but futures) in the order of the assets, after the warm-up's
// ticks: two worlds whose lists of such assets (ids or order), warm-up
// tick counts or shock distributions differ take different shocks for
// every asset from the same seed. Populations draw their members'
// parameters (vary) from one stream in the order of the agent entries: an
// entry both sides have draws the same values when as many draws come
// before it on both sides and it draws the same fields for as many
// members. Parameters (volatilities, correlations, leverage) may differ on
// a paired comparison: they change what the draws do, not the draws.
func Unpaired(a, b *Config) []string {
	var out []string
	switch {
	case a.Noise.Off != b.Noise.Off:
		out = append(out, "the noise is off on one side only")
	case !a.Noise.Off:
		if x, y := noiseAssets(a), noiseAssets(b); !slices.Equal(x, y) {
			out = append(out, fmt.Sprintf("the noise is not paired: each tick draws one shock per asset in the order of the assets (A: %s; B: %s), so the same seed gives every asset different shocks",
				strings.Join(x, " "), strings.Join(y, " ")))
		} else if wa, wb := warmTicks(a), warmTicks(b); wa != wb {
			out = append(out, fmt.Sprintf("the noise is not paired: the warm-up draws %d ticks on A and %d on B before the run, so the run's shocks differ", wa, wb))
		} else if da, db := studentT(a), studentT(b); da != db {
			out = append(out, "the noise is not paired: one side draws Student-t shocks (a chi-squared draw each tick) and the other normal ones")
		} else if da && a.Noise.DF != b.Noise.DF {
			// The chi-squared draw is a rejection sampler (dmath.Gamma)
			// whose shape is df/2: at another df it rejects at other ticks,
			// taking another number of values from the stream.
			out = append(out, fmt.Sprintf("the noise is not paired: the Student-t shocks' chi-squared draw at df %v (A) and %v (B) takes another number of values from the stream at some ticks, so every later shock differs", a.Noise.DF, b.Noise.DF))
		}
	}
	pa, pb := popDraws(a), popDraws(b)
	var moved []string
	for _, e := range pa {
		for _, f := range pb {
			if e.id == f.id && e.n > 0 && f.n > 0 && (e.at != f.at || e.fields != f.fields) {
				moved = append(moved, e.id)
			}
		}
	}
	if len(moved) > 0 {
		out = append(out, fmt.Sprintf("the populations' draws are not paired: at the same seed the members of %s draw different parameters on the two sides (the entries before them draw a different number of values, or they draw other fields)",
			strings.Join(moved, ", ")))
	}
	// Agents of a kind a Go program defines may draw from the run's agent
	// stream as they are built and as they decide, in the order of the
	// agents: any other change to the agents moves their draws.
	if (customs(a) || customs(b)) && !slices.Equal(entryIDs(pa), entryIDs(pb)) {
		out = append(out, "the agents' draws may not be paired: an agent of a kind a Go program defines draws from the run's agent stream, which the other agents' changes move")
	}
	return out
}

func customs(c *Config) bool {
	for k := range c.Agents {
		if c.Agents[k].Custom != nil {
			return true
		}
	}
	return false
}

func entryIDs(p []popDraw) []string {
	ids := make([]string, len(p))
	for k, e := range p {
		ids[k] = e.id
	}
	return ids
}

func noiseAssets(c *Config) []string {
	var ids []string
	for i := range c.Assets {
		if c.Assets[i].Kind != "future" {
			ids = append(ids, c.Assets[i].ID)
		}
	}
	return ids
}

func warmTicks(c *Config) int {
	tick := c.Tick
	if tick <= 0 {
		tick = time.Hour
	}
	return int(c.Warmup / tick)
}

func studentT(c *Config) bool { return c.Noise.Distribution == "student_t" }

// popDraw is one agent entry's place in the population stream: at, the
// values drawn before it; n, the values it draws (members × vary fields,
// with the fields' names, as buildAgents draws them).
type popDraw struct {
	id     string
	at, n  int
	fields string
}

func popDraws(c *Config) []popDraw {
	var out []popDraw
	at := 0
	for k := range c.Agents {
		s := &c.Agents[k]
		id := s.Kind
		if spec, err := s.Spec(); err == nil {
			id = specID(spec)
		}
		count := max(s.Count, 1)
		var fields []string
		for _, v := range s.Vary {
			fields = append(fields, v.Field)
		}
		n := count * len(fields)
		out = append(out, popDraw{id: id, at: at, n: n, fields: strings.Join(fields, ",")})
		at += n
	}
	return out
}
