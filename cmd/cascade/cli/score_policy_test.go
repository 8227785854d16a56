package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScorePolicyRates: an observed entry scores a currency's policy rate
// and the rate expected a year ahead (policy_{CUR}_bp,
// policy_{CUR}_expected_bp) with level and level_change, as it does the
// other series of the run. mini's BOJ hikes from 0.10% to 0.25% at 03:00
// UTC on 31 Jul 2024 with hawkish guidance of +50bp on the expected rate,
// which starts at 0.30%: by that day's New York close the policy rate is
// 25bp (15bp up on the day) and the expected rate 95bp (65bp up), while
// the Fed's 5.30% does not move. Before, such an entry was refused as an
// unknown asset or series.
func TestScorePolicyRates(t *testing.T) {
	cases := []struct {
		q, series string
		want      float64
	}{
		{"level", "policy_JPY_bp", 25},
		{"level_change", "policy_JPY_bp", 15},
		{"level", "policy_JPY_expected_bp", 95},
		{"level_change", "policy_JPY_expected_bp", 65},
		{"level", "policy_USD_bp", 530},
		{"level_change", "policy_USD_expected_bp", 0},
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("extends: mini\nobserved:\n")
	for k, c := range cases {
		fmt.Fprintf(&b, "  - {name: q%d, quantity: %s, asset: %s, to: 2024-07-31, observed: %v, tolerance: 1}\n", k, c.q, c.series, c.want)
	}
	file := filepath.Join(dir, "mini-policy.yaml")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, errOut, code := cascade(t, "score", file, "--json")
	if code != 0 {
		t.Fatalf("cascade score: exit %d: %s", code, errOut)
	}
	var score struct {
		Rows []struct {
			Name      string
			Simulated *float64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &score); err != nil {
		t.Fatal(err)
	}
	if len(score.Rows) != len(cases) {
		t.Fatalf("%d rows, want %d", len(score.Rows), len(cases))
	}
	for k, c := range cases {
		r := score.Rows[k]
		if r.Simulated == nil || math.Abs(*r.Simulated-c.want) > 1e-9 {
			t.Errorf("%s of %s: scored %v, want %v", c.q, c.series, r.Simulated, c.want)
		}
	}
}
