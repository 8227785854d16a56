package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestCompareSetB: compare SCENARIO --set-b runs side B with the override
// and side A without, each the same run as cascade run makes with and
// without it (--set on both sides comes first); its problems name the
// --set-b flag; compare without anything that changes B is refused, and so
// is --off with two scenarios.
func TestCompareSetB(t *testing.T) {
	dir := t.TempDir()
	summary := func(path ...string) map[string]any {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(path...))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	stdout, stderr, code := cascade(t, "compare", "mini", "--set", "noise.scale=0.5", "--set-b", "leverage_scale=2", "--set-b", "agents.*.derisk_drawdown=0.03", "--out", filepath.Join(dir, "cmp"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Side B's label, 53 characters, is headed B and named under the table.
	if head := strings.Fields(strings.SplitN(stdout, "\n", 2)[0]); !reflect.DeepEqual(head, []string{"baseline", "B", "B", "-", "A", "change"}) {
		t.Errorf("header %q: want the baseline and B", head)
	}
	if !strings.Contains(stdout, "\nB: set: leverage_scale=2; agents.*.derisk_drawdown=0.03\noutputs in ") {
		t.Errorf("no legend naming side B's overrides under the table:\n%s", stdout)
	}
	for _, side := range []struct {
		key  string
		sets []string
	}{
		{"a", []string{"--set", "noise.scale=0.5"}},
		{"b", []string{"--set", "noise.scale=0.5", "--set", "leverage_scale=2", "--set", "agents.*.derisk_drawdown=0.03"}},
	} {
		out := filepath.Join(dir, "run-"+side.key)
		if _, stderr, code := cascade(t, append([]string{"run", "mini", "--no-plots", "-q", "--out", out}, side.sets...)...); code != 0 {
			t.Fatalf("run %v: exit %d: %s", side.sets, code, stderr)
		}
		got := summary(dir, "cmp", "compare.json")[side.key].(map[string]any)["summary"]
		if want := summary(out, "summary.json"); !reflect.DeepEqual(got, want) {
			t.Errorf("side %s's summary is not that of cascade run mini %v", side.key, side.sets)
		}
	}
	if a, b := summary(dir, "run-a", "summary.json")["amplification"], summary(dir, "run-b", "summary.json")["amplification"]; reflect.DeepEqual(a, b) {
		t.Errorf("leverage doubled left the amplification at %v", a)
	}

	if _, stderr, code := cascade(t, "compare", "mini", "--set-b", "seed=1", "--out", filepath.Join(dir, "same")); code != 0 || !strings.Contains(stderr, "note: --set-b leaves mini as it was") {
		t.Errorf("--set-b to mini's own seed: exit %d, %q; want the note that both sides are one scenario", code, stderr)
	}
	if _, stderr, _ := cascade(t, "compare", "mini", "--set-b", "seed=2", "--out", filepath.Join(dir, "other")); strings.Contains(stderr, "leaves mini as it was") {
		t.Errorf("--set-b seed=2 noted as no change: %q", stderr)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", "mini", "--set-b", "leverage_scale=-1"}, "--set-b #1:1:16: leverage_scale: must be positive"},
		{[]string{"compare", "mini", "--set-b", "noise.scale=0.5", "--set-b", "agents.*.rebalance_at=noon"}, `--set-b #2:1:23: agents[`},
		{[]string{"compare", "mini"}, "give one scenario and what changes on side B (--off, --set-b), or two scenarios"},
		{[]string{"compare", "mini", "calm", "--off", "cross_margin"}, "--off compares one scenario with itself"},
	} {
		_, stderr, code := cascade(t, append(c.args, "--out", filepath.Join(dir, "refused"))...)
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want a refusal with %q", c.args, code, stderr, c.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "refused")); !os.IsNotExist(err) {
			t.Errorf("%v: wrote its output directory", c.args)
		}
	}
}

// TestSlug: side B's label as the default output directory's name.
func TestSlug(t *testing.T) {
	for _, c := range []struct{ label, want string }{
		{"off: cross_margin", "off-cross_margin"},
		{"off: cross_margin,offset_drop", "off-cross_margin-offset_drop"},
		{"set: agents.*.rebalance_at=close", "set-agents.all.rebalance_at=close"},
		{`off: valuation_links, set: agents.vc.rebalance_at="15:00 America/New_York"`, "off-valuation_links-set-agents.vc.rebalance_at=-15-00-America-New_York"},
		{"set: " + strings.Repeat("x", 100), "set-" + strings.Repeat("x", 76)},
	} {
		if got := slug(c.label); got != c.want {
			t.Errorf("slug(%q) = %q, want %q", c.label, got, c.want)
		}
	}
}

// TestCompareHeads: a side's label is its column's header when it is at
// most 40 characters; a longer one (a --set-b appending an event, or
// naming one by a long label) is headed A or B, with a legend line that
// names it in full. Before, the whole --set-b text headed the column.
func TestCompareHeads(t *testing.T) {
	const appended = "set: events+=[{at: 2024-08-06T00:00:00Z, kind: shock, label: extra, shocks: {NKY: -0.05}}]"
	for _, c := range []struct {
		a, b         string
		headA, headB string
		legend       []string
	}{
		{"baseline", "off: cross_margin", "baseline", "off: cross_margin", nil},
		{"baseline", "set: agents.*.rebalance_at=close", "baseline", "set: agents.*.rebalance_at=close", nil},
		{"baseline", "set: " + strings.Repeat("x", 35), "baseline", "set: " + strings.Repeat("x", 35), nil}, // 40: kept
		{"baseline", "set: " + strings.Repeat("x", 36), "baseline", "B", []string{"B: set: " + strings.Repeat("x", 36)}},
		{"baseline", appended, "baseline", "B", []string{"B: " + appended}},
		{"baseline", "set: events[Uchida - no hikes while markets unstable].off=true", "baseline", "B",
			[]string{"B: set: events[Uchida - no hikes while markets unstable].off=true"}},
		// Two scenarios with long names: each its letter, A's line first.
		{"boj2026-150-hawkish-facility-full-and-more-words", "boj2026-150-hawkish-facility-half (set)", "A", "boj2026-150-hawkish-facility-half (set)",
			[]string{"A: boj2026-150-hawkish-facility-full-and-more-words"}},
		// Characters, not bytes: 40 accented letters are kept.
		{"baseline", strings.Repeat("é", 40), "baseline", strings.Repeat("é", 40), nil},
	} {
		headA, headB, legend := compareHeads(c.a, c.b)
		if headA != c.headA || headB != c.headB || !reflect.DeepEqual(legend, c.legend) {
			t.Errorf("compareHeads(%q, %q) = %q, %q, %q; want %q, %q, %q", c.a, c.b, headA, headB, legend, c.headA, c.headB, c.legend)
		}
	}
}

// TestCompareLongSetB: compare with a --set-b that appends an event heads
// side B's column B, names the override in full under the table, and
// keeps it whole as compare.json's b.label.
func TestCompareLongSetB(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	const extra = "events+=[{tick: 10, kind: shock, label: extra, shocks: {NKY: -0.05}}]"
	stdout, stderr, code := cascade(t, "compare", "mini", "--set-b", extra, "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	if head := strings.Fields(lines[0]); !reflect.DeepEqual(head, []string{"baseline", "B", "B", "-", "A", "change"}) {
		t.Errorf("header %q, want baseline and B", lines[0])
	}
	width := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "B: ") || strings.HasPrefix(l, "outputs in ") {
			break
		}
		width = max(width, len(l))
	}
	if want := "B: set: " + extra; !strings.Contains(stdout, "\n"+want+"\n") {
		t.Errorf("no line %q under the table:\n%s", want, stdout)
	}
	if width > 90 {
		t.Errorf("the table is %d characters wide:\n%s", width, stdout)
	}
	var label string
	if err := json.Unmarshal(compareDoc(t, dir)["b"], &struct {
		Label *string `json:"label"`
	}{&label}); err != nil || label != "set: "+extra {
		t.Errorf("compare.json's b.label %q (%v), want the override whole", label, err)
	}
	// The overlay plot calls B by its head too, and names it in full on
	// a note under its title.
	svg, err := os.ReadFile(filepath.Join(dir, "compare_prices.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">mini: baseline (solid) vs B (dashed)</text>", ">NKY B</text>", ">extra (B)</text>", ">B: set: " + extra + "</text>"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("compare_prices.svg has no text %q", strings.TrimSuffix(strings.TrimPrefix(want, ">"), "</text>"))
		}
	}
	if n := strings.Count(string(svg), extra); n != 1 {
		t.Errorf("compare_prices.svg names the override %d times, want once (the note)", n)
	}
}

// TestCompareSources: compare A.yaml B.yaml names each side's file on a
// line under the table and keeps it in compare.json as the side's source,
// so that two files of one name (both extend mini and say name: same),
// headed A and B, are told apart; a file without a name: of its own is
// headed by its file's stem, a built-in by its name.
func TestCompareSources(t *testing.T) {
	dir := t.TempDir()
	one := filepath.Join(dir, "one.yaml")
	two := filepath.Join(dir, "two.yaml")
	three := filepath.Join(dir, "three.yaml")
	for f, text := range map[string]string{
		one:   "extends: mini\nname: same\n",
		two:   "extends: mini\nname: same\nseed: 8\n",
		three: "extends: mini\nseed: 8\n",
	} {
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		a, b             string
		head             []string
		lines            []string
		sourceA, sourceB string
	}{
		{one, two, []string{"A", "B"}, []string{"A: same, " + one, "B: same, " + two}, one, two},
		{"mini", three, []string{"mini", "three"}, []string{"mini: built-in mini", "three: " + three}, "builtin:mini", three},
	} {
		out := filepath.Join(dir, "cmp")
		stdout, stderr, code := cascade(t, "compare", c.a, c.b, "-o", out, "--force")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		lines := strings.Split(stdout, "\n")
		if head := strings.Fields(lines[0]); !reflect.DeepEqual(head, append(c.head, "B", "-", "A", "change")) {
			t.Errorf("%s %s: header %q, want %q", c.a, c.b, lines[0], c.head)
		}
		if want := "\n" + strings.Join(c.lines, "\n") + "\n"; !strings.Contains(stdout, want) {
			t.Errorf("%s %s: no lines %q under the table:\n%s", c.a, c.b, c.lines, stdout)
		}
		doc := compareDoc(t, out)
		for side, want := range map[string]string{"a": c.sourceA, "b": c.sourceB} {
			var got string
			if err := json.Unmarshal(doc[side], &struct {
				Source *string `json:"source"`
			}{&got}); err != nil || got != want {
				t.Errorf("%s %s: compare.json's %s.source %q (%v), want %q", c.a, c.b, side, got, err, want)
			}
		}
	}
}
