package scenarios

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestYAMLErrorPosition: a YAML syntax error is reported at the line and
// column where the parser stopped, not at the line go.yaml.in/yaml/v3's
// message gives (the construct it was reading, for parser errors the line
// before it: 61, 2 and 24 below); the construct is named with its true
// first line when that is another line. A bracket left open is reported at
// the bracket. Each case edits one line of the built-in mini world.
func TestYAMLErrorPosition(t *testing.T) {
	mini, ok := Builtin("mini")
	if !ok {
		t.Fatal("no built-in mini")
	}
	for _, c := range []struct {
		name string
		line int    // 1-based line of mini.yaml to edit
		has  string // what that line holds
		edit func(string) string
		want string // the problem, after the file name
	}{
		{"list item indented one space", 63, "      - {kind: basis,",
			func(s string) string { return " " + s },
			":63:8: not valid YAML: did not find expected '-' indicator (in the list that starts at line 62)"},
		{"list item dedented one space", 66, "  - {kind: insurer,",
			func(s string) string { return s[1:] },
			":66:2: not valid YAML: did not find expected key (in the mapping that starts at line 3)"},
		{"unclosed { on line 25", 25, "trends: {SPX: 1.2, NKY: 1.0, USDJPY: 1.0}",
			func(s string) string { return strings.TrimSuffix(s, "}") },
			":25:9: not valid YAML: did not find expected ',' or '}'"},
		{"unclosed quote", 4, "description: Small test world",
			func(s string) string { return strings.Replace(s, ": ", `: "`, 1) },
			":4:14: not valid YAML: found unexpected end of stream"},
		{"character that cannot start a token", 7, "horizon: 3d",
			func(s string) string { return "horizon: @3d" },
			":7:10: not valid YAML: found character that cannot start any token"},
		{"a list left open from line 1", 1, "# mini:",
			func(s string) string { return "list: [1,\n  2,\n  3" },
			":3:3: not valid YAML: did not find expected ',' or ']' (in the [...] list that starts at line 1)"},
	} {
		lines := strings.Split(string(mini), "\n")
		if !strings.HasPrefix(lines[c.line-1], c.has) {
			t.Fatalf("%s: mini.yaml line %d is %q, want it to start %q", c.name, c.line, lines[c.line-1], c.has)
		}
		lines[c.line-1] = c.edit(lines[c.line-1])
		path := write(t, t.TempDir(), "broken.yaml", strings.Join(lines, "\n"))
		_, err := Load(path, nil)
		var ps Problems
		if !errors.As(err, &ps) || len(ps) != 1 {
			t.Errorf("%s: got %v, want one problem", c.name, err)
			continue
		}
		if got, want := ps[0].String(), path+c.want; got != want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, strings.TrimPrefix(got, filepath.Dir(path)+"/"), strings.TrimPrefix(want, filepath.Dir(path)+"/"))
		}
	}
}
