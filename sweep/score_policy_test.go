package sweep

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// TestScoreObserverPolicyRates: the observer a sweep scores runs with
// (score.NAME) measures a currency's policy rate and expected rate as
// cascade score does, on the same columns: mini's BOJ hike to 0.25% with
// +50bp of guidance on 31 Jul 2024 leaves policy_JPY_bp at 25, 15bp up on
// the day, and policy_JPY_expected_bp 65bp up, at 95.
func TestScoreObserverPolicyRates(t *testing.T) {
	sc, err := scenarios.Load("mini", nil)
	if err != nil {
		t.Fatal(err)
	}
	to := time.Date(2024, 7, 31, 0, 0, 0, 0, time.UTC)
	obs := []scenarios.Observation{
		{Name: "a", Quantity: "level", Asset: "policy_JPY_bp", To: to, Tolerance: 1},
		{Name: "b", Quantity: "level_change", Asset: "policy_JPY_bp", To: to, Tolerance: 1},
		{Name: "c", Quantity: "level", Asset: "policy_JPY_expected_bp", To: to, Tolerance: 1},
		{Name: "d", Quantity: "level_change", Asset: "policy_JPY_expected_bp", To: to, Tolerance: 1},
		{Name: "e", Quantity: "level", Asset: "policy_USD_bp", To: to, Tolerance: 1},
	}
	want := []float64{25, 15, 95, 65, 530}
	m, err := sim.Build(&sc.File.Config, 1)
	if err != nil {
		t.Fatal(err)
	}
	so := NewScoreObserver(obs, sc.File.Config.Ticks)
	if err := m.Run(context.Background(), so); err != nil {
		t.Fatal(err)
	}
	rows, err := so.Score()
	if err != nil {
		t.Fatal(err)
	}
	for k, r := range rows {
		if math.Abs(r.Simulated-want[k]) > 1e-9 {
			t.Errorf("%s of %s: %v, want %v", obs[k].Quantity, obs[k].Asset, r.Simulated, want[k])
		}
	}
}
