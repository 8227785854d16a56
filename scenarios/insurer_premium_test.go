package scenarios

import (
	"strings"
	"testing"
)

// TestInsurerFXRiskPremium: an insurer's fx_risk_premium is an annual
// decimal in [0, 1]; outside it the file is refused at the field's
// line:col (a premium written in percent, 3 for 3%, is above 1).
func TestInsurerFXRiskPremium(t *testing.T) {
	dir := t.TempDir()
	const ins = "{kind: insurer, id: lifer, equity: 3.0e+10, foreign: UST10Y, foreign_value: 1.0e+11, hedge_ratio: 0.44, "
	for k, c := range []struct {
		fields, want string
	}{
		{"fx_risk_premium: 3}", "inspa.yaml:15:126: agents[0].fx_risk_premium: must be between 0 and 1 (got 3)"},
		{"fx_risk_premium: -0.01}", "inspb.yaml:15:126: agents[0].fx_risk_premium: must be between 0 and 1 (got -0.01)"},
		{"fx_risk_premium: 0.03}", ""},
		{"fx_risk_premium: 0}", ""},
	} {
		p := write(t, dir, "insp"+string(rune('a'+k))+".yaml", insurerWorld(ins+c.fields))
		got := loadProblem(t, p)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: want %q, got %q", c.fields, c.want, got)
		}
	}
}
