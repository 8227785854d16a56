package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/csvtest"
)

// TestRegisteredKind: examples/losscut registers an agent kind of its own
// (loss_cut, sim.Register) and runs Main. Its scenario and sweep files name
// the kind, which the plain command refuses at the line. Mistakes in the
// kind's entries are reported at file:line:col: an unknown field with the
// field it resembles, and the kind's own Check. Its sales are counted with
// the kind of its holder and the reason it gave, and a sweep over its own
// field moves the result the way the mechanism says: holders that cut
// more at each stage deepen the S&P's fall.
func TestRegisteredKind(t *testing.T) {
	dir := t.TempDir()
	lc := filepath.Join(dir, "losscut")
	if out, err := exec.Command("go", "build", "-o", lc, "../../../examples/losscut").CombinedOutput(); err != nil {
		t.Fatalf("go build ./examples/losscut: %v\n%s", err, out)
	}
	ex := "../../../examples/losscut/"

	_, stderr, code := cascade(t, "validate", ex+"retail.yaml")
	if want := `retail.yaml:9:11: agents[0].kind: unknown agent kind "loss_cut" (want one of hedge_fund, insurer, cta, risk_parity, vol_control, value_investor, bank, central_bank); a kind a program registers (sim.Register) is known only to that program (docs/library.md)`; code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("cascade validate retail.yaml: exit %d, %q; want exit 2 and %q", code, stderr, want)
	}

	for _, c := range []struct{ entry, want string }{
		{"stpe: 0.02, cut: 0.5", `:3:56: agents[0].stpe: unknown field for kind loss_cut (did you mean "step"?)`},
		// The kind's range tags (cut: share, step: fraction)...
		{"step: 0.02, cut: 1.5", ":3:73: agents[0].cut: must be between 0 and 1 (got 1.5)"},
		{"step: 1, cut: 0.5", ":3:62: agents[0].step: must be in [0, 1) (got 1)"},
		// ... checked in a population's draws as well, at load...
		{"step: 0.02, cut: 0.5, count: 3, vary: [{field: cut, dist: {kind: uniform, min: 0.5, max: 1.5}}]", ":3:114: agents[0].vary[0].dist: cut must be between 0 and 1, and this distribution draws up to 1.5 (lower its max to 1)"},
		// ... and its Check for what they do not say.
		{"step: 0, cut: 0.5", ":3:62: agents[0].step: must be above 0: the fall between cuts"},
		{"step: 0.02, cut: 0.5", ""},
	} {
		f := filepath.Join(dir, "entry.yaml")
		src := "extends: mini\nagents:\n  - {kind: loss_cut, id: r, asset: SPX, value: 1.0e+9, " + c.entry + "}\n"
		if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := execute(t, lc, "validate", f)
		switch {
		case c.want == "" && code != 0:
			t.Errorf("%s: exit %d, %s", c.entry, code, stderr)
		case c.want != "" && (code != 2 || !strings.Contains(stderr, f+c.want)):
			t.Errorf("%s: exit %d, %q; want exit 2 and %q", c.entry, code, stderr, f+c.want)
		}
	}

	out := filepath.Join(dir, "run")
	if _, stderr, code := execute(t, lc, "run", ex+"retail.yaml", "-o", out, "-q", "--no-plots"); code != 0 {
		t.Fatalf("losscut run retail.yaml: exit %d\n%s", code, stderr)
	}
	var s struct {
		Sales struct {
			Total    float64            `json:"total"`
			ByKind   map[string]float64 `json:"by_kind"`
			ByReason map[string]float64 `json:"by_reason"`
		} `json:"forced_sales_usd"`
		Amplification float64 `json:"amplification"`
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	// 40 holders of $1bn each: they sell a share of it, all as stop-losses
	// of hedge funds (their holders' kind); the value investor only buys.
	if sold := s.Sales.ByReason["stop_loss"]; !(sold > 1e9 && sold < 40e9) || sold != s.Sales.Total || s.Sales.ByKind["hedge_fund"] != sold {
		t.Errorf("sales: %+v; want stop-losses of hedge funds only, between $1bn and $40bn", s.Sales)
	}
	if !(s.Amplification > 1) {
		t.Errorf("amplification %v: the loss cuts should deepen the fall", s.Amplification)
	}

	sw := filepath.Join(dir, "sweep")
	if _, stderr, code := execute(t, lc, "sweep", ex+"sweep.yaml", "-o", sw, "-q", "--no-plots"); code != 0 {
		t.Fatalf("losscut sweep sweep.yaml: exit %d\n%s", code, stderr)
	}
	rows := csvtest.Read(t, filepath.Join(sw, "levels.csv"))
	mean := map[string]float64{}
	for _, r := range rows[1:] { // parameter,level,metric,runs,n,p5,median,p95,mean
		if r[0] == "cut" && r[2] == "headline_move_pct" {
			if r[3] != "4" {
				t.Errorf("cut %s: %s runs, want 4 of the 8", r[1], r[3])
			}
			mean[r[1]], _ = strconv.ParseFloat(r[8], 64)
		}
	}
	if !(mean["0.9"] > mean["0.1"]) || mean["0.1"] <= 0 {
		t.Errorf("S&P's mean fall %v%% when each cut sells 90%%, %v%% at 10%%: want it deeper at 90%%", mean["0.9"], mean["0.1"])
	}
}
