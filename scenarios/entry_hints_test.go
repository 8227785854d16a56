package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEntryHints: mistakes written in an entry of events+ (each file
// extends mini, whose events are two) get a hint of what was meant, and
// the problem names the entry as the file has it, events+[0], with the
// merged list's index the message adds. (a) An unquoted comma in a {...}
// entry's text cuts it, leaving the tail a key without a value: the
// refusal shows the quoted text. (b) An asset kind where an asset id
// goes is named a kind, with the ids of that kind (mini's bonds:
// UST10Y; its equities: NKY and SPX; no crypto). (c) A facility event's
// capacity points to funding.facility_capacity. Each message is checked
// whole, after the position.
func TestEntryHints(t *testing.T) {
	const at = "{at: 2024-08-01T00:00:00Z, "
	ev := func(entry string) string { return "events+:\n  - " + at + entry + "}\n" }
	for _, c := range []struct{ name, yaml, want string }{
		{"comma", ev("kind: shock, label: national emergency, testing plan, shocks: {SPX: 0.06}"),
			`events+[0].testing plan: unknown field (in a {...} entry a comma ends a value: label is "national emergency" and "testing plan" is read as a key; a text with a comma needs quotes: label: "national emergency, testing plan") (events+[0] is the scenario's events[2])`},
		// The tail a key of its own, at the end of the entry.
		{"comma last", ev("kind: shock, shocks: {SPX: 0.06}, label: emergency, plan"),
			`events+[0].plan: unknown field (in a {...} entry a comma ends a value: label is "emergency" and "plan" is read as a key; a text with a comma needs quotes: label: "emergency, plan") (events+[0] is the scenario's events[2])`},
		// A key with a value is not a tail of text: no comma hint.
		{"no comma", ev("kind: shock, label: emergency, plan: 1, shocks: {SPX: 0.06}"),
			`events+[0].plan: unknown field (events+[0] is the scenario's events[2])`},
		{"bond", ev("kind: haircut, assets: [bond], multiplier: 0.5"),
			`events+[0].assets[0]: unknown asset "bond": bond is an asset kind, and assets takes asset ids (the bond asset is UST10Y: name it) (events+[0] is the scenario's events[2])`},
		{"equity", ev("kind: haircut, assets: [TY, equity], multiplier: 0.5"),
			`events+[0].assets[1]: unknown asset "equity": equity is an asset kind, and assets takes asset ids (the equity assets are NKY, SPX: name each) (events+[0] is the scenario's events[2])`},
		{"crypto", ev("kind: asset_purchase, asset: crypto, amount: 1.0e+9"),
			`events+[0].asset: unknown asset "crypto": crypto is an asset kind, and asset takes asset ids (the scenario has no crypto asset; assets: NKY, SPX, TY, USDJPY, UST10Y) (events+[0] is the scenario's events[2])`},
		{"capacity", ev("kind: facility, on: true, capacity: 0.5"),
			`events+[0].capacity: unknown field (did you mean "funding.facility_capacity"? a facility event only switches the standing facility on or off (on: true or false); its cap on the repo spread and the room it gives dealers are the scenario's funding.facility_cap and funding.facility_capacity, one setting for the whole run) (events+[0] is the scenario's events[2])`},
	} {
		f := filepath.Join(t.TempDir(), "s.yaml")
		if err := os.WriteFile(f, []byte("extends: mini\n"+c.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(f, nil)
		if err == nil || !strings.Contains(err.Error()+"\n", ":3:") || !strings.Contains(err.Error()+"\n", ": "+c.want+"\n") {
			t.Errorf("%s:\n got %v\nwant %s", c.name, err, c.want)
		}
	}
}

// TestAppendedNames: a problem in an entry a file appends (events+,
// observed+) is named by the entry's place in that file's list, at its
// line, and says which entry of the merged list it is; a problem in an
// entry the file does not append keeps its merged name, and a file
// extending one that appends names that file's entries as it has them,
// at its lines.
func TestAppendedNames(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.yaml", "extends: mini\nevents+:\n  - {at: 2024-08-01T00:00:00Z, kind: shock, shocks: {SPX: -0.01}}\n  - {at: 2024-08-01T00:00:00Z, kind: shock, shocks: {SPXX: -0.01}}\n")
	b := write("b.yaml", "extends: a.yaml\nevents+:\n  - {at: 2024-08-01T12:00:00Z, kind: shok}\n")
	c := write("c.yaml", "extends: a.yaml\nevents:\n  - {at: 2024-08-01T12:00:00Z, kind: shok}\n")
	for _, tc := range []struct {
		name string
		file string
		want []string
	}{
		{"a", a, []string{a + `:4:60: events+[1].shocks.SPXX: unknown asset "SPXX"`, `(events+[1] is the scenario's events[3])`}},
		{"b", b, []string{a + `:4:60: events+[1].shocks.SPXX:`, `(events+[1] is the scenario's events[3])`,
			b + `:3:38: events+[0].kind: unknown event kind "shok"`, `(events+[0] is the scenario's events[4])`}},
		// events: replaces the list: its entries are the scenario's own.
		{"c", c, []string{c + `:3:38: events[0].kind: unknown event kind "shok"`}},
	} {
		_, err := Load(tc.file, nil)
		if err == nil {
			t.Fatalf("%s: no error", tc.name)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: no %q in:\n%v", tc.name, w, err)
			}
		}
		if tc.name == "c" && strings.Contains(err.Error(), "+[") {
			t.Errorf("c: an entry named as appended in:\n%v", err)
		}
	}
}
