package sweep

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelpfulMessages: mistakes from a walkthrough get messages that say
// what is wrong and how to write it: weights beside a dist (they were
// blamed on levels the file did not have), a scenario file given as a
// sweep file (18 "unknown field" lines), a list swept as a path
// parameter, an unbounded normal past a field's range, and a relative
// base that is not there (the path tried, and where it is read from).
func TestHelpfulMessages(t *testing.T) {
	dir := t.TempDir()
	scen, err := os.ReadFile(filepath.Join("..", "scenarios", "builtin", "mini.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, src, want, not string }{
		{"weights beside a grid's dist", "base: mini\nseed: 1\ndesign: grid\nparameters:\n  - {path: noise.scale, dist: {kind: list, values: [0.5, 1, 2]}, weights: [1, 2, 1]}\n",
			"s.yaml:5:75: parameters[0].weights: weights have no place here: a grid takes every value once (remove them)", "levels or dist"},
		{"weights beside a random design's dist", "base: mini\nseed: 1\nruns: 10\nparameters:\n  - {path: noise.scale, dist: {kind: list, values: [0.5, 1, 2]}, weights: [1, 2, 1]}\n",
			"parameters[0].weights: weights beside dist are for levels (a text field's values): a number's weights go inside its dist, as a choice: dist: {kind: choice, values: [...], weights: [...]}", "levels or dist"},
		{"a scenario file", string(scen),
			"s.yaml:3:1: this is a scenario file (it has start, assets, brokers, dealers, agents, events and no base:), not a sweep file: a sweep file names the scenario to sweep and says how", "unknown field"},
		{"channels.off with levels", "base: mini\nseed: 1\nruns: 10\nparameters:\n  - {path: channels.off, levels: [cross_margin, valuation_links]}\n",
			`s.yaml:5:12: parameters[0].path: channels.off is a list, not a number or text: sweep it with a parameter of variants, each setting the list (name: ..., variants: [{name: base}, {name: other, set: ["channels.off=[cross_margin]"]}]`, ""},
		{"an unbounded normal", "base: mini\nseed: 1\nruns: 10\nparameters:\n  - {path: leverage_scale, dist: {kind: normal, mean: 1, sd: 1}}\n",
			"the scenario is invalid: leverage_scale: must be positive (got -3.7534243088228987); a normal distribution is unbounded (its range here is its one-in-a-million quantiles): bound it with min and max", ""},
		{"a missing relative base", "base: ../scen/mini-mine.yaml\nseed: 1\nruns: 10\nparameters:\n  - {path: leverage_scale, dist: {kind: uniform, min: 0.5, max: 1}}\n",
			`s.yaml:1:7: base: no scenario file "../scen/mini-mine.yaml": a relative base is read from the sweep file's directory, and ` + filepath.Join(filepath.Dir(dir), "scen", "mini-mine.yaml") + " does not exist", ""},
	} {
		_, err := Parse(filepath.Join(dir, "s.yaml"), []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) || (c.not != "" && strings.Contains(err.Error(), c.not)) {
			t.Errorf("%s:\ngot  %v\nwant %s", c.name, err, c.want)
		}
	}
}
