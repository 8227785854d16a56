package sweep

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMatchID: in an id pattern * stands for any run of characters, none
// included, and any other character for itself.
func TestMatchID(t *testing.T) {
	for _, c := range []struct {
		pattern, id string
		want        bool
	}{
		{"*", "DE21", true},
		{"*", "", true},
		{"DE*", "DE21", true},
		{"DE*", "NL33", false},
		{"*1", "DE21", true},
		{"*1", "DE22", false},
		{"D*2*", "DE21", true},
		{"*E*E*", "DE21", false},
		{"DE21", "DE21", true},
		{"DE2", "DE21", false},
		{"a*a", "a", false},
		{"a*a", "aa", true},
		{"hf-*", "hf-3", true},
		{"**", "x", true},
		{"a*b*c", "abxc", true},
		{"a*b*c", "acb", false},
	} {
		if got := matchID(c.pattern, c.id); got != c.want {
			t.Errorf("matchID(%q, %q) = %v, want %v", c.pattern, c.id, got, c.want)
		}
	}
}

// defaulted writes defaulted.ID for each id.
func defaultedOf(ids ...string) []string { return prefixed("defaulted.", ids, "") }

// TestExpandMetrics: a pattern stands for the metric of each agent of the
// base world whose id it matches, in the world's order, less the metrics
// the list writes out anywhere or an earlier pattern has; defaulted.* for
// the agents that can default (banks, the brokers' clients, an agent a
// default event names), capital.by_agent.* for those summary.json lists by
// id. A pattern malformed, matching nothing, more than MaxPatternMetrics or
// only metrics listed already is refused at its entry.
func TestExpandMetrics(t *testing.T) {
	_, eba := baseRun(t, "eba2018")
	if len(eba.fails) != 48 || eba.fails[0] != "AT01" || eba.fails[14] != "DE15" || eba.fails[47] != "UK48" {
		t.Fatalf("eba2018: %d agents that can default (%v), want its 48 banks in its order", len(eba.fails), eba.fails)
	}
	// mini with a default event on the value investor, which has no broker.
	dir := t.TempDir()
	ev := filepath.Join(dir, "ev.yaml")
	if err := os.WriteFile(ev, []byte("extends: mini\nevents+:\n  - {at: 2024-08-01T00:00:00Z, kind: default, agent: value}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, mini := baseRun(t, "mini")
	_, miniEv := baseRun(t, ev)
	hfs := []string{"hf-001", "hf-002", "hf-003", "hf-004", "hf-005", "hf-006", "hf-007", "hf-008"}
	many := baseNames{}
	for k := range MaxPatternMetrics + 1 {
		many.fails = append(many.fails, fmt.Sprintf("hf-%d", k))
	}
	hf99 := []string{"hf-99"}
	for k := 990; k < 1000; k++ {
		hf99 = append(hf99, fmt.Sprintf("hf-%d", k))
	}
	all := defaultedOf(eba.fails...)
	without := func(xs []string, drop ...string) []string {
		return slices.DeleteFunc(slices.Clone(xs), func(x string) bool { return slices.Contains(drop, x) })
	}
	for _, c := range []struct {
		name    string
		names   baseNames
		metrics []string
		want    []string       // the paths
		errs    map[int]string // by entry
	}{
		{"every bank", eba, []string{"defaults", "defaulted.*"}, append([]string{"defaults"}, all...), nil},
		{"one written out first", eba, []string{"defaulted.DE21", "defaulted.*"},
			append([]string{"defaulted.DE21"}, without(all, "defaulted.DE21")...), nil},
		{"one written out after", eba, []string{"defaulted.*", "defaulted.UK48", "defaulted.AT01"},
			append(without(all, "defaulted.UK48", "defaulted.AT01"), "defaulted.UK48", "defaulted.AT01"), nil},
		{"a prefix, then what another adds", eba, []string{"defaulted.NL3*", "defaulted.*3"},
			defaultedOf("NL30", "NL31", "NL32", "NL33", "BE03", "FR13", "HU23", "SE43"), nil},
		{"capital", eba, []string{"capital.by_agent.DE*.loss", "capital.by_agent.DE2*.loss_pct"},
			[]string{"capital.by_agent.DE15.loss", "capital.by_agent.DE16.loss", "capital.by_agent.DE17.loss", "capital.by_agent.DE18.loss",
				"capital.by_agent.DE19.loss", "capital.by_agent.DE20.loss", "capital.by_agent.DE21.loss", "capital.by_agent.DE22.loss",
				"capital.by_agent.DE20.loss_pct", "capital.by_agent.DE21.loss_pct", "capital.by_agent.DE22.loss_pct"}, nil},
		{"mini: the clients and the bank", mini, []string{"defaulted.*"}, defaultedOf(append(hfs, "cta", "rp", "vc", "bank")...), nil},
		{"mini: and whom a default event names", miniEv, []string{"defaulted.*"}, defaultedOf(append(hfs, "cta", "rp", "vc", "value", "bank")...), nil},
		{"mini: capital by agent", mini, []string{"capital.by_agent.*.shortfall"},
			[]string{"capital.by_agent.GS.shortfall", "capital.by_agent.dealers.shortfall", "capital.by_agent.bank.shortfall"}, nil},
		{"refused", eba, []string{"defaulted.XX*", "capital.by_agent.*", "assets.*.max_drawdown_pct", "capital.by_agent.DE*.*", "defaulted.DE2*", "defaulted.DE2*", "defaulted.DE21", "defaulted.DE21*", "defaulted.DE*"},
			defaultedOf("DE20", "DE22", "DE21", "DE15", "DE16", "DE17", "DE18", "DE19"), map[int]string{
				0: `metric pattern "defaulted.XX*" matches no agent that can default (a bank, a prime broker's client or an agent a default event names) in the base scenario (it has AT01, AT02, BE03, ..., UK48: 48 such agents)`,
				1: `metric pattern "capital.by_agent.*" is a group: add a field (capital.by_agent.*.loss; the fields are start, end, loss, loss_pct, shortfall)`,
				2: `metric "assets.*.max_drawdown_pct": a * stands for agent ids, in defaulted.*, capital.by_agent.*.FIELD and banks.*.FIELD (defaulted.DE*, capital.by_agent.*.loss, banks.*.below_min) only`,
				3: `metric "capital.by_agent.DE*.*": a * stands for agent ids`,
				5: `metric "defaulted.DE2*" listed twice`,
				7: `metric pattern "defaulted.DE21*" adds nothing: the metrics it stands for (defaulted.DE21) are listed already`,
			}},
		{"nothing to match", baseNames{}, []string{"defaulted.*", "capital.by_agent.*.loss"}, nil, map[int]string{
			0: `metric pattern "defaulted.*" matches nothing: the base scenario has no agent that can default`,
			1: `metric pattern "capital.by_agent.*.loss" matches nothing: the base scenario has no bank, prime broker or dealer`,
		}},
		{"too many", many, []string{"defaulted.*", "defaulted.hf-99*"}, defaultedOf(hf99...), map[int]string{
			0: fmt.Sprintf(`metric pattern "defaulted.*" matches 1001 agents, more than the %d metrics a pattern may stand for`, MaxPatternMetrics),
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			errs := map[int]string{}
			got := expandMetrics(c.metrics, c.names, func(i int, err error) {
				if _, ok := errs[i]; ok {
					t.Errorf("entry %d refused twice", i)
				}
				errs[i] = err.Error()
			})
			var paths []string
			for _, l := range got {
				paths = append(paths, l.path)
				if want := c.metrics[l.at]; (l.pattern == "") != (want == l.path) || (l.pattern != "" && l.pattern != want) {
					t.Errorf("%s: from entry %d (%q), pattern %q", l.path, l.at, want, l.pattern)
				}
			}
			if !slices.Equal(paths, c.want) {
				t.Errorf("metrics\n%q\nwant\n%q", paths, c.want)
			}
			for i, e := range errs {
				if want, ok := c.errs[i]; !ok || !strings.Contains(e, want) {
					t.Errorf("entry %d refused: %s\nwant %q", i, e, want)
				}
			}
			for i := range c.errs {
				if _, ok := errs[i]; !ok {
					t.Errorf("entry %d (%q) not refused, want %q", i, c.metrics[i], c.errs[i])
				}
			}
		})
	}
}

// TestPatternMetricsAt: a pattern refused is named at its entry's line and
// column; so is one whose metric's column a parameter's name takes.
func TestPatternMetricsAt(t *testing.T) {
	src := `base: eba2018
seed: 1
runs: 10
parameters:
  - {path: depth_scale, name: defaulted.DE21, dist: {kind: uniform, min: 2, max: 8}}
metrics:
  - defaults
  - defaulted.*
  - defaulted.XX*
  - capital.by_agent.*.lss
  - capital.by_agent.DE*.loss
`
	_, err := Parse(filepath.Join(t.TempDir(), "pat.yaml"), []byte(src))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`pat.yaml:8:5: metrics[1]: column "defaulted.DE21" is already the name of parameters[0]`,
		`pat.yaml:9:5: metrics[2]: metric pattern "defaulted.XX*" matches no agent that can default`,
		`pat.yaml:10:5: metrics[3]: metric pattern "capital.by_agent.*.lss": unknown metric "capital.by_agent.AT01.lss": no "lss" in capital.by_agent.AT01 (did you mean "loss"?)`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error\n%v\nwant one containing\n%s", err, want)
		}
	}
	if n := strings.Count(err.Error(), "pat.yaml:"); n != 3 {
		t.Errorf("%d problems, want 3 (one a pattern):\n%v", n, err)
	}
}

// patternSweep is a sweep of eba2018 whose metrics are those listed.
func patternSweep(metrics ...string) string {
	return `base: eba2018
seed: 11
runs: 12
parameters:
  - {path: events.0.shocks.GOVB, name: govb_shock, dist: {kind: uniform, min: -0.25, max: -0.05}}
metrics: [` + strings.Join(metrics, ", ") + `]
series: [GOVB]
`
}

// TestPatternSweeps: a pattern is the metrics it stands for, written out:
// the same sweep, fingerprint included, so that a sweep begun with one
// resumes with the other; a pattern beside one of its metrics written out
// collects that metric once; and a sweep of patterns sharded and merged
// is the sweep made at once.
func TestPatternSweeps(t *testing.T) {
	_, eba := baseRun(t, "eba2018")
	written := loadSweepIn(t, t.TempDir(), "p.yaml", patternSweep(append([]string{"defaults"}, defaultedOf(eba.fails...)...)...))
	dir := t.TempDir()
	wild := loadSweepIn(t, dir, "p.yaml", patternSweep("defaults", "defaulted.*"))
	if !slices.Equal(wild.Resolved().Metrics, written.Resolved().Metrics) || wild.Fingerprint != written.Fingerprint {
		t.Fatalf("defaulted.* gives metrics %v (fingerprint %.12s), the banks written out %v (%.12s)",
			wild.Resolved().Metrics, wild.Fingerprint, written.Resolved().Metrics, written.Fingerprint)
	}
	at := filepath.Join(dir, "at-once")
	if _, err := Run(context.Background(), wild, Options{Dir: at, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	resumed := filepath.Join(dir, "resumed")
	interrupted(t, written, resumed, Whole)
	if _, err := Run(context.Background(), wild, Options{Dir: resumed, Resume: true, Workers: 2}); err != nil {
		t.Fatalf("a sweep begun with the banks written out, resumed with defaulted.*: %v", err)
	}
	sameFiles(t, at, resumed, "runs.csv", "report.md")

	mixed := loadSweepIn(t, dir, "m.yaml", patternSweep("defaulted.UK46", "capital.by_agent.UK4*.loss", "defaulted.*", "capital.by_agent.*.loss", "defaulted.DE21"))
	cols := mixed.Columns()
	for _, id := range eba.fails {
		for _, m := range []string{"defaulted." + id, "capital.by_agent." + id + ".loss"} {
			if n := slices.Index(cols, m); n < 0 || slices.Index(cols[n+1:], m) >= 0 {
				t.Errorf("column %s: want it once in %v", m, cols)
			}
		}
	}
	if cols[3] != "defaulted.UK46" || cols[4] != "capital.by_agent.UK45.loss" || cols[len(cols)-2] != "defaulted.DE21" {
		t.Errorf("columns %v: want defaulted.UK46, then UK45-UK48's losses, ..., defaulted.DE21 where the file lists them", cols)
	}
	whole := filepath.Join(dir, "mixed")
	if _, err := Run(context.Background(), mixed, Options{Dir: whole, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	var shards []string
	for k := range 2 {
		sh := Shard{Index: k, Count: 2}
		d := filepath.Join(dir, "shards", sh.Dir())
		if _, err := Run(context.Background(), mixed, Options{Dir: d, Shard: sh, Workers: 2}); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, d)
	}
	merged := filepath.Join(dir, "merged")
	if _, err := Merge(shards, MergeOptions{Out: merged}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, whole, merged, "runs.csv", "report.md")
}
