package sim_test

import (
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/scentest"
)

// TestGrossNote: a build says which brokers' clients would need more
// margin, margined gross, than their whole equity (they default at the
// first stress that drops their offsets, as apr2025's funds do at twice
// their leverage, 45 defaults of 45), most levered first; none at the
// scenario's own leverage, and none when offsets are never dropped.
func TestGrossNote(t *testing.T) {
	for _, c := range []struct {
		name string
		sets []string
		want string // "" for no such note
	}{
		{"own leverage", nil, ""},
		{"twice", []string{"leverage_scale=2"}, "43 of the brokers' clients need more margin, margined gross (each exposure at its haircut, as a broker margins a book exposed to a factor it considers broken), than their whole equity, so the first stress that drops their offsets calls them for more than they own and they default unless they cut in time (lower their leverage, or the haircuts, to avoid it): ms-fund-013 (1.42×), "},
		{"twice, offsets kept", []string{"leverage_scale=2", "channels.off=[offset_drop]"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := scentest.Build(t, "apr2025", c.sets...)
			var got string
			for _, n := range m.Notes {
				if strings.Contains(n, "margined gross") {
					got = n
				}
			}
			if c.want == "" && got != "" || !strings.HasPrefix(got, c.want) || c.want != "" && strings.Count(got, "×)") != 10 {
				t.Errorf("note %q\nwant one beginning %q (ten funds named)", got, c.want)
			}
		})
	}
}
