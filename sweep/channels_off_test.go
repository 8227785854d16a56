package sweep

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestVariantChannelsCompose: a variant's channels.off adds to the
// channels off in the run (the base's own list, the file's set, the run's
// other variants), instead of replacing the list, so that a run labelled
// xmargin=off, links=off has both channels off and a run labelled
// xmargin=off keeps the channel the file's set or the base switched off.
// Each combination's configuration and Reproduce's command say so, and
// the manifest's resolved sweep lists each combination's channels.
func TestVariantChannelsCompose(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nolinks.yaml"), []byte("extends: mini\nchannels: {off: [valuation_links]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const xmargin = "  - name: xmargin\n    variants: [{name: \"on\"}, {name: \"off\", set: [\"channels.off=[cross_margin]\"]}]\n"
	const links = "  - name: links\n    variants: [{name: \"on\"}, {name: \"off\", set: [\"channels.off=[valuation_links]\"]}]\n"
	for _, c := range []struct {
		name, head, params string
		want               [][]string // channels off per combination
	}{
		{"two variants", "base: mini\n", xmargin + links,
			[][]string{nil, {"valuation_links"}, {"cross_margin"}, {"cross_margin", "valuation_links"}}},
		{"file set and variant", "base: mini\nset: [\"channels.off=[valuation_links]\"]\n", xmargin,
			[][]string{{"valuation_links"}, {"valuation_links", "cross_margin"}}},
		{"base list and variant", "base: nolinks.yaml\n", xmargin,
			[][]string{{"valuation_links"}, {"valuation_links", "cross_margin"}}},
	} {
		src := c.head + "seed: 3\ndesign: grid\nparameters:\n" + c.params + "metrics: [vix.peak]\n"
		sw := loadSweepIn(t, dir, "s.yaml", src)
		if len(sw.bases) != len(c.want) {
			t.Fatalf("%s: %d combinations, want %d", c.name, len(sw.bases), len(c.want))
		}
		vals := make([]float64, len(sw.Params))
		for i := 0; i < sw.Runs; i++ {
			sw.Values(i, vals)
			k := sw.combo(vals)
			if got := sw.baseConfig(vals).Channels.Off; !slices.Equal(got, c.want[k]) {
				t.Errorf("%s: run %d (combination %d) has channels off %q, want %q", c.name, i, k, got, c.want[k])
			}
			sets, _ := parseReproduce(t, sw.Reproduce(i, vals))
			var last []string
			for _, s := range sets {
				if strings.HasPrefix(s, "channels.off=") {
					last = []string{s}
				}
			}
			want := []string{offSet(c.want[k])}
			if c.want[k] == nil || (k == 0 && c.head != "base: mini\n") {
				want = nil // the base's list, or the file's set, as written
				if strings.Contains(c.head, "set:") {
					want = []string{"channels.off=[valuation_links]"}
				}
			}
			if !reflect.DeepEqual(last, want) {
				t.Errorf("%s: run %d: Reproduce gives channels %q, want %q", c.name, i, last, want)
			}
		}
		if got := sw.Resolved().ChannelsOff; len(got) != len(c.want) || !slices.Equal(got[len(got)-1], c.want[len(c.want)-1]) {
			t.Errorf("%s: the resolved sweep lists channels off %q, want %q", c.name, got, c.want)
		}
	}
}

// TestVariantClashes: overrides that would silently undo one another are
// refused at the override, saying how to write them: two parameters of
// variants setting one field, a variant switching on (or "off" again) a
// channel the base or the file's set has off, an empty list, and a
// channels.off that is not a list.
func TestVariantClashes(t *testing.T) {
	const head = "base: mini\nseed: 3\ndesign: grid\n"
	for _, c := range []struct{ src, want string }{
		{head + `parameters:
  - name: a
    variants: [{name: lo}, {name: hi, set: [noise.scale=2]}]
  - name: b
    variants: [{name: lo}, {name: hi, set: [noise.scale=3]}]
`, "s.yaml:8:45: parameters[1].variants[1].set[0]: noise.scale is also set by parameters[0].variants[1].set[0] (noise.scale): in a run that takes both variants the later override replaces the earlier"},
		{head + `set: ["channels.off=[valuation_links]"]
parameters:
  - name: x
    variants: [{name: "on"}, {name: "off", set: ["channels.off=[valuation_links, cross_margin]"]}]
`, `s.yaml:7:50: parameters[0].variants[1].set[0]: valuation_links is off in every run already (the file's set[0] switches it off): a variant's channels.off adds to the channels the base has off and cannot switch one on`},
		{head + `parameters:
  - name: x
    variants: [{name: "on", set: ["channels.off=[]"]}, {name: "off", set: ["channels.off=[cross_margin]"]}]
`, `s.yaml:6:35: parameters[0].variants[0].set[0]: channels.off=[] switches nothing off: a variant's channels.off adds to the channels the base has off (none)`},
		{head + `parameters:
  - name: x
    variants: [{name: "on"}, {name: "off", set: ["channels.off=cross_margin"]}]
`, `s.yaml:6:50: parameters[0].variants[1].set[0]: channels.off takes a list of channels: write channels.off=[cross_margin]`},
		{head + `parameters:
  - name: x
    variants: [{name: "on"}, {name: "off", set: ["channels.off=[cross_margn]"]}]
`, `s.yaml:6:50: parameters[0].variants[1].set[0]: channels.off[0]: unknown`},
	} {
		_, err := Parse("s.yaml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s\ngot  %v\nwant %s", c.src, err, c.want)
		}
	}
}
