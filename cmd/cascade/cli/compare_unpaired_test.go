package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompareUnpaired: compare says under its table when the two sides'
// draws are not paired (an asset added changes every asset's noise at
// the same seed), lists the assets only one side has with their moves
// (the table keeps the assets both have), and gives each side's passive
// move beside amplification, with a note when the two differ; a paired
// comparison with the same passive twin has none of these notes.
func TestCompareUnpaired(t *testing.T) {
	dir := t.TempDir()
	mxn := filepath.Join(dir, "minimxn.yaml")
	if err := os.WriteFile(mxn, []byte(`extends: mini
name: minimxn
assets+:
  - {id: USDMXN, kind: fx, base: USD, currency: MXN, price: 18.6, vol: 0.12, adv: 1.0e+11, impact: {function: sqrt, y: 1, permanent: 0.5, half_life_days: 1, flow_half_life_days: 0.5}}
rates:
  MXN: {policy: 0.1075}
correlation:
  - [1, -0.2, -0.2, 0.05, 0.2, 0]
  - [-0.2, 1, 0.99, -0.2, 0, 0]
  - [-0.2, 0.99, 1, -0.2, 0, 0]
  - [0.05, -0.2, -0.2, 1, 0.25, 0]
  - [0.2, 0, 0, 0.25, 1, 0]
  - [0, 0, 0, 0, 0, 1]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	const noise = "note: the noise is not paired: each tick draws one shock per asset in the order of the assets (A: USDJPY UST10Y SPX NKY; B: USDJPY UST10Y SPX NKY USDMXN)"
	for _, c := range []struct {
		name     string
		args     []string
		notes    []string // the starts of the notes under the table, in order
		only     string   // the block of assets only one side has
		passiveB float64  // side B's passive move, summary.json's passive_move_pct
	}{
		{"an asset added", []string{"mini", mxn}, []string{noise, "note: the passive twins moved 1.57% and 2.3%:"},
			"assets only minimxn has (not in the table):\n            max drawdown %  change %  yield change bp\n    USDMXN            2.12      -0.2                 \n", 2.3025},
		{"paired, one twin", []string{"mini", "--set-b", "leverage_scale=2"}, nil, "", 1.5673},
		{"paired, the twin's noise doubled", []string{"mini", "--set-b", "noise.scale=2"}, []string{"note: the passive twins moved 1.57% and 3.12%:"}, "", 3.1160},
	} {
		out := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-"))
		stdout, stderr, code := cascade(t, append([]string{"compare", "--out", out}, c.args...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, code, stderr)
		}
		var notes []string
		for _, l := range strings.Split(stdout, "\n") {
			if strings.HasPrefix(l, "note: ") {
				notes = append(notes, l)
			}
		}
		if len(notes) != len(c.notes) {
			t.Errorf("%s: notes %q, want %d starting %q", c.name, notes, len(c.notes), c.notes)
		}
		for i := range min(len(notes), len(c.notes)) {
			if !strings.HasPrefix(notes[i], c.notes[i]) {
				t.Errorf("%s: note %q, want it to start %q", c.name, notes[i], c.notes[i])
			}
		}
		if got := strings.Contains(stdout, "assets only"); got != (c.only != "") || !strings.Contains(stdout, c.only) {
			t.Errorf("%s: want the block %q:\n%s", c.name, c.only, stdout)
		}
		b, err := os.ReadFile(filepath.Join(out, "compare.json"))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Notes []string `json:"notes"`
			Only  []struct {
				ID, Side string
				Change   float64 `json:"change_pct"`
			} `json:"only_one_side"`
			Rows []struct {
				Name string
				A, B float64
			}
			B struct {
				Summary struct {
					Passive float64 `json:"passive_move_pct"`
				}
			}
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Notes) != len(c.notes) {
			t.Errorf("%s: compare.json's notes %q", c.name, doc.Notes)
		}
		if (len(doc.Only) == 1 && doc.Only[0].ID == "USDMXN" && doc.Only[0].Side == "b" && doc.Only[0].Change < 0) != (c.only != "") {
			t.Errorf("%s: compare.json's only_one_side %+v", c.name, doc.Only)
		}
		var passive float64
		for _, r := range doc.Rows {
			if r.Name == "passive move %" {
				passive = r.B
			}
		}
		if passive != doc.B.Summary.Passive || passive < c.passiveB-1e-4 || passive > c.passiveB+1e-4 {
			t.Errorf("%s: passive move row %v, summary's %v, want %v", c.name, passive, doc.B.Summary.Passive, c.passiveB)
		}
	}
}
