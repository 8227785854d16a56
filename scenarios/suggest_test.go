package scenarios

import "testing"

// TestDidYouMean: a near misspelling is suggested by edit distance, a word
// another tool would use by the synonym table (only when the field it
// stands for is among the candidates), a name holding a field's words by
// them (TestByWords), and nothing when none applies.
func TestDidYouMean(t *testing.T) {
	sweepFields := []string{"name", "description", "base", "set", "runs", "seed", "design", "parameters", "metrics", "series"}
	distFields := []string{"kind", "value", "values", "weights", "min", "max", "mode", "mean", "sd", "mu", "sigma"}
	fileFields := []string{"extends", "name", "start", "tick", "ticks", "horizon", "end", "seed", "assets", "agents"}
	for _, c := range []struct {
		s          string
		candidates []string
		want       string
	}{
		{"paramters", sweepFields, ` (did you mean "parameters"?)`},
		{"params", sweepFields, ` (did you mean "parameters"?)`},
		{"scenario", sweepFields, ` (did you mean "base"?)`},
		{"Samples", sweepFields, ` (did you mean "runs"?)`},
		{"scenario", fileFields, ` (did you mean "extends"?)`},
		{"base", fileFields, ` (did you mean "extends"?)`},
		{"type", distFields, ` (did you mean "kind"?)`},
		{"low", distFields, ` (did you mean "min"?)`},
		{"std", distFields, ` (did you mean "sd"?)`},
		{"duration", fileFields, ` (did you mean "horizon"?)`},
		{"dt", fileFields, ` (did you mean "tick"?)`},
		{"start_date", fileFields, ` (did you mean "start"?)`}, // its words
		{"type", fileFields, ""},                               // no kind among the candidates
		{"zzzzzz", sweepFields, ""},
	} {
		if got := DidYouMean(c.s, c.candidates); got != c.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", c.s, got, c.want)
		}
	}
}
