package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestScoreJSONInf: cascade score --json writes a simulated value that is
// infinite (the peak utilization of a dealer left with no capital) as
// "inf", and one that could not be measured (a level_change between two
// infinite values) as null; summary.json writes the dealer's util_peak as
// "inf" too. Before, both rows read null.
func TestScoreJSONInf(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "inf.yaml")
	os.WriteFile(file, []byte(`extends: mini
dealers:
  - {id: dealers, capital: 1.0e+6, lev_limit: 10, share: 2, u_star: 0.5, floor: 0.2, layoff_days: 3}
observed:
  - {name: dealer peak, quantity: peak, asset: dealer_dealers_util, from: 2024-07-30, to: 2024-08-01, observed: 0.5, min: 0.2}
  - {name: dealer change, quantity: level_change, asset: dealer_dealers_util, from: 2024-07-31, to: 2024-08-01, observed: 0.1, tolerance: 1}
  - {name: SPX change, quantity: close_change, asset: SPX, from: 2024-07-30, to: 2024-08-01, observed: -1, tolerance: 3}
`), 0o644)
	out, e, code := cascade(t, "score", file, "--json")
	if code != 1 { // the level_change is outside tolerance
		t.Fatalf("exit %d: %s", code, e)
	}
	var doc struct {
		Rows []struct {
			Name      string          `json:"name"`
			Simulated json.RawMessage `json:"simulated"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	want := map[string]string{"dealer peak": `"inf"`, "dealer change": `null`, "SPX change": `-1.3728259849078661`}
	if len(doc.Rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%s", len(doc.Rows), len(want), out)
	}
	for _, r := range doc.Rows {
		if got := string(r.Simulated); got != want[r.Name] {
			t.Errorf("%s: simulated %s, want %s", r.Name, got, want[r.Name])
		}
	}

	run := filepath.Join(dir, "run")
	if _, e, code := cascade(t, "run", file, "--out", run, "--quiet", "--no-plots"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, e)
	}
	b, err := os.ReadFile(filepath.Join(run, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Dealers map[string]map[string]json.RawMessage `json:"dealers"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if got := string(sum.Dealers["dealers"]["util_peak"]); got != `"inf"` {
		t.Errorf("summary.json dealers.dealers.util_peak = %s, want \"inf\"", got)
	}
}
