package cli

import (
	"fmt"
	"math"
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
	var entries []string
	for k, c := range cases {
		entries = append(entries, fmt.Sprintf("{name: q%d, quantity: %s, asset: %s, to: 2024-07-31, observed: %v, tolerance: 1}", k, c.q, c.series, c.want))
	}
	_, rows := scoreEntries(t, t.TempDir(), "mini", entries)
	for k, c := range cases {
		r := rows[k]
		if r.Simulated == nil || math.Abs(*r.Simulated-c.want) > 1e-9 {
			t.Errorf("%s of %s: scored %v, want %v", c.q, c.series, r.Simulated, c.want)
		}
	}
}
