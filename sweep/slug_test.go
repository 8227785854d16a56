package sweep

import "testing"

// TestSlug: a plot's name keeps letters, digits, '-' and '_', makes any
// other character '_', a run of '_' one, and drops a '_' at the end, so a
// pattern's plot reads agents_capital_by_agent_loss_pct, not
// agents_capital_by_agent___loss_pct.
func TestSlug(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"fan_GOVB", "fan_GOVB"},
		{"hist_assets.NKY.max_drawdown_pct", "hist_assets_NKY_max_drawdown_pct"},
		{"hist_score.Nikkei 5 Aug (close to close)", "hist_score_Nikkei_5_Aug_close_to_close"},
		{"agents_capital.by_agent.*.loss_pct", "agents_capital_by_agent_loss_pct"},
		{"sensitivity_defaulted.*", "sensitivity_defaulted"},
		{"levels_agents.*.rebalance_at_vix.peak", "levels_agents_rebalance_at_vix_peak"},
		{"hist_a__b", "hist_a_b"},
		{"levels_scale-2_x", "levels_scale-2_x"},
		{"hist_défaut", "hist_d_faut"},
		{"*.", "_"},
	} {
		if got := slug(c.in); got != c.want {
			t.Errorf("slug(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
