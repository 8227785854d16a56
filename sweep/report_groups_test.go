package sweep

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportGroupsPatterns: report.md's rank-correlation table has one
// column per pattern of several agents, the median of their correlations
// as the heat map has it, and its Sobol table one row, the median of their
// indices; metrics written out keep their own. Before, a pattern over
// eba2018's 48 banks made tables of a hundred columns.
func TestReportGroupsPatterns(t *testing.T) {
	man, smp := groupSweep()
	sens := sensitivity(man, smp)
	nf := len(man.Sweep.Parameters) + 1
	var ix []SobolIndex
	for m, name := range man.Sweep.Metrics {
		for _, f := range []string{"shock", "depth", "seed"} {
			ix = append(ix, SobolIndex{Metric: name, Factor: f, Total: float64(m) / 8, First: float64(m) / 16, N: 5})
		}
	}
	if len(ix) != nf*len(man.Sweep.Metrics) {
		t.Fatalf("%d indices", len(ix))
	}
	dir := t.TempDir()
	if err := writeReport(dir, man, &assembled{sobol: ix}, sens); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	report := string(b)
	for _, want := range []string{
		// The values of TestSensitivityMap.
		"| parameter | defaults | capital.by_agent.\\*.loss_pct (median over 4 agents) | defaulted.\\* (median over 3 agents) | headline_move_pct |\n|---|--:|--:|--:|--:|\n",
		"| shock | 0.97 | 0.80 | 0.79 | -1.00 |\n| depth | 0.67 | 0.30 | 0.64 | -0.80 |\n",
		"A pattern's column is the median of its agents' correlations",
		// m/8 (m/16): the medians of 1–4 and of 5–7.
		"| defaults | 0.00 (0.00) | 0.00 (0.00) | 0.00 (0.00) |\n",
		"| capital.by_agent.\\*.loss_pct (median over 4 agents) | 0.31 (0.16) | 0.31 (0.16) | 0.31 (0.16) |\n",
		"| defaulted.\\* (median over 3 agents) | 0.75 (0.38) | 0.75 (0.38) | 0.75 (0.38) |\n",
		"| headline_move_pct | 1.00 (0.50) | 1.00 (0.50) | 1.00 (0.50) |\n",
		"A pattern's row is the median of its agents' indices",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report.md lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "capital.by_agent.B2") {
		t.Errorf("a pattern's agent has a column or row of its own:\n%s", report)
	}
}
