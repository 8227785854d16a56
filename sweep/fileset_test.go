package sweep

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileSetIgnored: the file's set may not give the seed or a field a
// parameter sweeps: neither would reach a run (each run's seed derives
// from the master seed and its index; the parameter's value replaces the
// set's), and both were ignored without a word. Each is refused at the
// override, whether the set names the field as the parameter does, by
// index, or through a wildcard; a set of a field no parameter sweeps, or
// one that a variant may leave as the set gave it, is fine.
func TestFileSetIgnored(t *testing.T) {
	const head = "base: mini\nruns: 4\nseed: 1\n"
	const params = `parameters:
  - {path: leverage_scale, dist: {kind: uniform, min: 0.5, max: 1.0}}
  - {path: agents.hf.reentry, dist: {kind: uniform, min: 1, max: 2}}
  - {path: brokers.GS.capital, dist: {kind: uniform, min: 5.0e+10, max: 2.0e+11}}
  - name: noise
    variants: [{name: normal}, {name: t, set: [noise.distribution=student_t, noise.df=4]}]
`
	for _, c := range []struct{ set, want string }{
		{"[seed=99]", "s.yaml:4:7: set[0]: a sweep's set cannot set seed: each run's seed derives from the sweep's seed and the run index, so it would be ignored; change the file's seed: (the master seed) instead"},
		{"[noise.scale=1.2, leverage_scale=0.7]", "s.yaml:4:24: set[1]: leverage_scale is also swept by parameters[0] (leverage_scale), whose value replaces the set's in every run: set it or sweep it, not both"},
		{"[agents.0.reentry=1.2]", "s.yaml:4:7: set[0]: agents.0.reentry is also swept by parameters[1] (agents.0.reentry), whose value replaces the set's in every run: set it or sweep it, not both"},
		{`["brokers.*.capital=2.0e+11"]`, "s.yaml:4:7: set[0]: brokers.*.capital is also swept by parameters[2] (brokers.0.capital), whose value replaces the set's in every run: set it or sweep it, not both"},
		{"[noise.scale=1.2, agents.hf.carry_exit=0.3, brokers.GS.lev_limit=20, noise.distribution=normal]", ""},
	} {
		src := head + "set: " + c.set + "\n" + params
		_, err := Parse("s.yaml", []byte(src))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("set: %s: %v", c.set, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("set: %s:\ngot  %v\nwant %s", c.set, err, c.want)
		}
	}
}

// TestFileSetBreaksBase: when the file's set makes a valid base invalid
// without a problem of its own (set: [ticks=48] leaves aug2024's events
// past the run's end, reported at the built-in's lines), the sweep says so
// at the set, not "scenario is invalid" at base; a base invalid without the
// set is still blamed at base.
func TestFileSetBreaksBase(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("extends: mini\nleverage_scale: -1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ base, set, want string }{
		{"aug2024", "[ticks=48]", `s.yaml:4:6: set: scenario "aug2024" is valid as it is, and these overrides make it invalid (see its problems)`},
		{"aug2024", "[end=2024-08-06]", `s.yaml:4:6: set: scenario "aug2024" is valid as it is, and these overrides make it invalid (see its problems)`},
		{bad, "[noise.scale=1.2]", `s.yaml:1:7: base: scenario "` + bad + `" is invalid (see its problems)`},
	} {
		src := "base: " + c.base + "\nruns: 4\nseed: 1\nset: " + c.set + "\nparameters:\n  - {path: noise.scale, dist: {kind: uniform, min: 0.5, max: 1.0}}\n"
		_, err := Parse(filepath.Join(dir, "s.yaml"), []byte(src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s with set %s:\ngot  %v\nwant %s", c.base, c.set, err, c.want)
		}
	}
}

// TestFileSetAddsKey: a parameter may sweep a key the base lacks (a shock
// on an asset the base's event does not shock) when the file's set adds
// it: the set's value is replaced in every run, but without the set the
// path names nothing, and the path's error says so. A set of a key the
// base has, or of the whole map, is still refused.
func TestFileSetAddsKey(t *testing.T) {
	const param = "  - {path: events.0.shocks.CORPB, dist: {kind: uniform, min: -0.1, max: 0}}\n"
	for _, c := range []struct{ set, param, want string }{
		{"[events.0.shocks.CORPB=0]", param, ""},
		{"[depth_scale=4, events.0.shocks.CORPB=-0.05]", param, ""},
		{"[]", param, `s.yaml:6:12: parameters[0].path: no key "CORPB" in events.0.shocks (the base scenario has GOVB); to sweep a key the base lacks, add it with the sweep file's set (set: [events.0.shocks.CORPB=0]) and sweep that`},
		{"[]", "  - {path: events.0.shocks.GOV, dist: {kind: uniform, min: -0.1, max: 0}}\n", `s.yaml:6:12: parameters[0].path: no key "GOV" in events.0.shocks (the base scenario has GOVB) (did you mean "GOVB"?)`},
		{"[events.0.shocks.GOVB=-0.2]", "  - {path: events.0.shocks.GOVB, dist: {kind: uniform, min: -0.1, max: 0}}\n",
			"s.yaml:4:7: set[0]: events.0.shocks.GOVB is also swept by parameters[0] (events.0.shocks.GOVB), whose value replaces the set's in every run: set it or sweep it, not both"},
		{`["events.0.shocks={GOVB: -0.1, CORPB: 0}"]`, param,
			"s.yaml:4:7: set[0]: events.0.shocks is also swept by parameters[0] (events.0.shocks.CORPB), whose value replaces the set's in every run: set it or sweep it, not both"},
	} {
		src := "base: eba2018\nruns: 4\nseed: 1\nset: " + c.set + "\nparameters:\n" + c.param
		_, err := Parse("s.yaml", []byte(src))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("set: %s: %v", c.set, err)
		case c.want != "" && (err == nil || !strings.HasSuffix(err.Error(), c.want)):
			t.Errorf("set: %s:\ngot  %v\nwant %s", c.set, err, c.want)
		}
	}
}
