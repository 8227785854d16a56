package sim

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestUnpairedNoiseSettings: of the noise's settings, those that change how
// many values each tick takes from the stream (the distribution, and a
// Student-t's df, whose chi-squared draw rejects at other ticks) give other
// unit normals over 200 ticks, and Unpaired says so; those that only put
// the same normals to other use (scale, volatility clustering) give the
// same normals, and Unpaired says nothing. The draws are the noise's unit
// normals z, taken tick by tick from one seed on each side.
func TestUnpairedNoiseSettings(t *testing.T) {
	normals := func(cfg *Config) []float64 {
		m, err := Build(cfg, 7)
		if err != nil {
			t.Fatal(err)
		}
		nz := m.noise
		nz.r = rand.New(rand.NewPCG(7, 7))
		x := make([]float64, len(m.W.Price))
		var out []float64
		for range 2000 {
			nz.draw(x)
			out = append(out, nz.z...)
		}
		return out
	}
	base := func(edit func(*Config)) *Config {
		c := testWorld(2)
		c.Noise.Distribution, c.Noise.DF = "student_t", 5
		if edit != nil {
			edit(c)
		}
		return c
	}
	for _, c := range []struct {
		name   string
		edit   func(*Config)
		paired bool
		note   string // the start of Unpaired's note; "" when paired
	}{
		{"same", nil, true, ""},
		{"df", func(c *Config) { c.Noise.DF = 4 }, false, "the noise is not paired: the Student-t shocks' chi-squared draw at df 5 (A) and 4 (B)"},
		{"distribution", func(c *Config) { c.Noise.Distribution, c.Noise.DF = "", 0 }, false, "the noise is not paired: one side draws Student-t shocks"},
		{"scale", func(c *Config) { c.Noise.Scale = 0.5 }, true, ""},
		{"garch", func(c *Config) { c.Noise.Garch = GarchSpec{Alpha: 0.05, HalfLifeDays: 5} }, true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, b := base(nil), base(c.edit)
			if same := slices.Equal(normals(a), normals(b)); same != c.paired {
				t.Errorf("the two sides' normals equal: %v, want %v", same, c.paired)
			}
			notes := Unpaired(base(nil), base(c.edit))
			switch {
			case c.note == "" && len(notes) > 0:
				t.Errorf("notes %q, want none", notes)
			case c.note != "" && (len(notes) != 1 || !strings.HasPrefix(notes[0], c.note)):
				t.Errorf("notes %q, want one beginning %q", notes, c.note)
			}
		})
	}
}
