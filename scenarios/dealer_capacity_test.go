package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDealerCapacityValidation: a dealer_capacity event in a file that
// extends mini (dealers: GS, a prime broker with a dealing arm, and
// dealers, a standalone dealer; agents hf-001 ... and lifer) names only
// dealers and prime brokers, each once, and a positive multiplier; each
// mistake is reported at its file:line:col with the field's path. In a
// scenario with neither dealers nor prime brokers the event has nothing
// to change and is refused.
func TestDealerCapacityValidation(t *testing.T) {
	for _, c := range []struct {
		base  string // the scenario extended (default mini)
		event string
		want  []string // none: valid
	}{
		{"", "{at: 2024-07-31T06:00:00Z, kind: dealer_capacity, multiplier: 1.25}", nil},
		{"", "{at: 2024-07-31T06:00:00Z, kind: dealer_capacity, multiplier: 0.8, dealers: [GS, dealers]}", nil},
		{"", "{at: 2024-07-31T06:00:00Z, kind: dealer_capacity, multiplier: 1.25, dealers: [GSX]}",
			[]string{`x.yaml:3:83: events+[0].dealers[0]: unknown dealer or prime broker "GSX" (did you mean "GS"?)`}},
		{"", "{at: 2024-07-31T06:00:00Z, kind: dealer_capacity, multiplier: 1.25, dealers: [lifer]}",
			[]string{"x.yaml:3:83: events+[0].dealers[0]: lifer is an agent, not a dealer or a prime broker (GS, dealers)"}},
		{"", "{at: 2024-07-31T06:00:00Z, kind: dealer_capacity, multiplier: 1.25, dealers: [GS, outside]}",
			[]string{"x.yaml:3:87: events+[0].dealers[1]: outside is the outside sector, not a dealer or a prime broker (GS, dealers)"}},
		{"", "{at: 2024-07-31T06:00:00Z, kind: dealer_capacity, multiplier: 1.25, dealers: [GS, GS]}",
			[]string{"x.yaml:3:87: events+[0].dealers[1]: GS is named twice"}},
		{"", "{at: 2024-07-31T06:00:00Z, kind: dealer_capacity, multiplier: 0}",
			[]string{"x.yaml:3:67: events+[0].multiplier: must be positive"}},
		{"", "{at: 2024-07-31T06:00:00Z, kind: dealer_capacity, multiplier: -1.25, dealers: [GS]}",
			[]string{"x.yaml:3:67: events+[0].multiplier: must be positive"}},
		{"", "{at: 2024-07-31T06:00:00Z, kind: dealer_capacity, dealers: [GS]}",
			[]string{"x.yaml:3:5: events+[0].multiplier: missing multiplier"}},
		{"", "{at: 2024-07-31T06:00:00Z, kind: dealer_capacity, multiplier: 1.25, broker: GS}",
			[]string{"x.yaml:3:81: events+[0].broker: broker does not apply to kind dealer_capacity (its own fields: dealers, multiplier; broker is for haircut)"}},
		{"", "{at: 2024-07-31T06:00:00Z, kind: haircut, multiplier: 1.25, dealers: [GS]}",
			[]string{"x.yaml:3:74: events+[0].dealers: dealers does not apply to kind haircut (its own fields: broker, assets, multiplier; dealers is for dealer_capacity)"}},
		// eba2018 has banks and neither dealers nor prime brokers.
		{"eba2018", "{tick: 1, kind: dealer_capacity, multiplier: 1.25}",
			[]string{"x.yaml:3:21: events+[0].kind: a dealer_capacity event needs a dealer or a prime broker, and the scenario has none"}},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "x.yaml")
		base := c.base
		if base == "" {
			base = "mini"
		}
		if err := os.WriteFile(path, []byte("extends: "+base+"\nevents+:\n  - "+c.event+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path, nil)
		if len(c.want) == 0 {
			if err != nil {
				t.Errorf("%s: %v", c.event, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: accepted, want %q", c.event, c.want)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: want %q in:\n%v", c.event, w, err)
			}
		}
	}
}
