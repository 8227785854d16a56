package scenarios_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios"
)

// TestSetDottedID: an asset id with a dot (BRK.B) is addressed by --set
// bare (assets.BRK.B.vol) or in brackets (assets[BRK.B].vol), and so is a
// mapping key (trends.BRK.B); the old loader split every dot and refused
// both forms with `no element with id "BRK"`, and read trends.BRK.B as a
// mapping {BRK: {B: ...}}.
func TestSetDottedID(t *testing.T) {
	mini, err := os.ReadFile("builtin/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "brk.yaml")
	text := regexp.MustCompile(`\bNKY\b`).ReplaceAllLiteralString(string(mini), `"BRK.B"`)
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		set   string
		vol   float64 // BRK.B's vol after the override
		trend float64 // its trend
		err   string  // "" for none
		col   int     // the error's column: the segment it is about
	}{
		{"assets.BRK.B.vol=0.3", 0.3, 1, "", 0},
		{"assets[BRK.B].vol=0.35", 0.35, 1, "", 0},
		{"assets.4.vol=0.4", 0.4, 1, "", 0},
		{"trends.BRK.B=0.5", 0.2, 0.5, "", 0},
		{"trends[BRK.B]=0.6", 0.2, 0.6, "", 0},
		{"assets.BRK.C.vol=1", 0, 0, `assets.BRK.C.vol: no element with id "BRK"`, 8},
		{"assets[BRK.B.vol=1", 0, 0, `"assets[BRK.B.vol" opens a [ that no ] closes`, 1},
		{"assets[BRK.B]vol=1", 0, 0, `a ] must be followed by a dot, a [ or the end`, 1},
	} {
		t.Run(c.set, func(t *testing.T) {
			sc, err := scenarios.Load(f, []string{c.set})
			if c.err != "" {
				at := fmt.Sprintf("--set #1:1:%d: ", c.col)
				if err == nil || !strings.Contains(err.Error(), at) || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got %v, want an error at %q holding %q", err, at, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cfg := sc.File.Config
			if a := cfg.Assets[4]; a.ID != "BRK.B" || a.Vol != c.vol {
				t.Errorf("assets[4] %s vol %v, want BRK.B vol %v", a.ID, a.Vol, c.vol)
			}
			if got := cfg.Trends["BRK.B"]; got != c.trend {
				t.Errorf("trends[BRK.B] %v, want %v (trends %v)", got, c.trend, cfg.Trends)
			}
		})
	}
}

// TestSplitPath: dots separate segments, and brackets hold an index or an
// id whole, dots and all.
func TestSplitPath(t *testing.T) {
	for _, c := range []struct {
		path string
		want []string
	}{
		{"brokers.GS.capital", []string{"brokers", "GS", "capital"}},
		{"agents[0].equity", []string{"agents", "0", "equity"}},
		{"agents[0][1]", []string{"agents", "0", "1"}},
		{"assets[BRK.B].vol", []string{"assets", "BRK.B", "vol"}},
		{"trends[日経.225]", []string{"trends", "日経.225"}},
		{"a..b", []string{"a", "", "b"}},
	} {
		got, err := scenarios.SplitPath(c.path)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitPath(%q) = %q, %v; want %q", c.path, got, err, c.want)
		}
	}
}
