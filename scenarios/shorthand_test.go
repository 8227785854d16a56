package scenarios

import (
	"reflect"
	"testing"
)

// shortEntry is a Shorthand: a name, or {name: ..., n: ...}.
type shortEntry struct {
	Name string   `yaml:"name"`
	N    *float64 `yaml:"n,omitempty"`
}

func (shortEntry) ShorthandField() string { return "name" }

// TestShorthand: a Shorthand struct reads from a scalar (its field) or a
// mapping, as strictly as any struct: problems with the scalar at the
// entry, with the mapping's keys at the key (an unknown one with a
// suggestion).
func TestShorthand(t *testing.T) {
	two := 2.0
	for _, c := range []struct {
		src  string
		want []shortEntry
		at   []string // paths whose position is recorded
		none string   // a path whose position is not
		err  string
	}{
		{src: "xs: [a, {name: b, n: 2}]", want: []shortEntry{{Name: "a"}, {Name: "b", N: &two}}, at: []string{"xs[0]", "xs[1]", "xs[1].name", "xs[1].n"}, none: "xs[0].name"},
		{src: "xs: [a]", want: []shortEntry{{Name: "a"}}, at: []string{"xs[0]"}, none: "xs[0].name"},
		{src: "xs: [{name: b, m: 2}]", err: `t.yaml:1:16: xs[0].m: unknown field (did you mean "n"?)`},
		{src: "xs: [3]", err: `t.yaml:1:6: xs[0]: want a string, got the number 3 (quote it if you mean the text)`},
		{src: "xs: [~]", err: `t.yaml:1:6: xs[0]: want a string, got nothing (null)`},
		{src: "xs: [[a]]", err: `t.yaml:1:6: xs[0]: want a mapping of fields, got a list`},
	} {
		var v struct {
			Xs []shortEntry `yaml:"xs"`
		}
		at, err := DecodeYAMLBytes("t.yaml", []byte(c.src), &v)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%s: %v, want %s", c.src, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if !reflect.DeepEqual(v.Xs, c.want) {
			t.Errorf("%s: %+v, want %+v", c.src, v.Xs, c.want)
		}
		for _, p := range c.at {
			if _, ok := at[p]; !ok {
				t.Errorf("%s: no position for %s", c.src, p)
			}
		}
		if _, ok := at[c.none]; ok {
			t.Errorf("%s: a position for %s", c.src, c.none)
		}
	}
}
