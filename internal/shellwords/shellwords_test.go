package shellwords

import (
	"slices"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want []string
	}{
		{"cascade run aug2024 --seed 7", []string{"cascade", "run", "aug2024", "--seed", "7"}},
		{"a  'b c'  d", []string{"a", "b c", "d"}},
		{`--set 'events[it'\''s].off=true'`, []string{"--set", "events[it's].off=true"}},
		{`a\ b ''`, []string{"a b", ""}},
	} {
		got, err := Split(c.cmd)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("Split(%q) = %q, %v; want %q", c.cmd, got, err, c.want)
		}
	}
	if _, err := Split("a 'b"); err == nil {
		t.Error("Split of an unbalanced quote: no error")
	}
}
