package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/internal/scentest"
	"github.com/cascade-sim/cascade/sim"
)

// baseRun runs a built-in scenario with overrides at its own seed and
// returns its summary and the names of its world, as a sweep's check of
// its metrics sees them.
func baseRun(t *testing.T, name string, sets ...string) (*sim.Summary, baseNames) {
	t.Helper()
	m := scentest.Build(t, name, sets...)
	cfg := m.Cfg
	col := sim.NewCollector()
	if err := m.Run(context.Background(), col); err != nil {
		t.Fatal(err)
	}
	var assets []string
	for _, a := range cfg.Assets {
		assets = append(assets, a.ID)
	}
	return col.S, namesOf(m, assets)
}

// TestAgentMetrics: defaulted.ID reads 1 for an agent in the run's
// defaults and 0 for one that is not; capital.by_agent.ID and by_kind read
// the summary's capital. An id the base scenario does not have, or one the
// summary does not list by id, is refused with what to write instead.
func TestAgentMetrics(t *testing.T) {
	eba, ebaNames := baseRun(t, "eba2018", "events.0.shocks.GOVB=-0.2")
	mini, miniNames := baseRun(t, "mini")
	failed := func(id string) bool {
		return slices.ContainsFunc(eba.Defaults, func(d sim.DefaultSummary) bool { return d.Agent == id })
	}
	if !failed("DE21") || !failed("UK46") || failed("FR12") {
		t.Fatalf("eba2018 at a 20%% shock: defaults %v, want DE21 and UK46 and not FR12", eba.Defaults)
	}
	fund := ""
	for i, k := range miniNames.kinds {
		if k == core.HedgeFund {
			fund = miniNames.agents[i]
			break
		}
	}
	for _, c := range []struct {
		path string
		sum  *sim.Summary
		n    baseNames
		want float64
		err  string
	}{
		{"defaulted.DE21", eba, ebaNames, 1, ""},
		{"defaulted.UK46", eba, ebaNames, 1, ""},
		{"defaulted.FR12", eba, ebaNames, 0, ""},
		{"capital.by_agent.UK46.loss", eba, ebaNames, float64(eba.Capital.ByAgent["UK46"].Loss), ""},
		{"capital.by_agent.UK46.loss_pct", eba, ebaNames, float64(eba.Capital.ByAgent["UK46"].LossPct), ""},
		{"capital.by_kind.bank.loss_pct", eba, ebaNames, float64(eba.Capital.ByKind["bank"].LossPct), ""},
		{"capital.total.shortfall", eba, ebaNames, float64(eba.Capital.Total.Shortfall), ""},
		{"defaulted." + fund, mini, miniNames, 0, ""},
		{"defaulted.XX21", eba, ebaNames, 0, `unknown metric "defaulted.XX21": no agent "XX21" in the base scenario (did you mean "DE21"?) (it has AT01, AT02, BE03, ..., UK48: 48 agents)`},
		{"defaulted", eba, ebaNames, 0, `metric "defaulted" is a group: add an agent's id (defaulted.AT01: 1 in a run where it defaulted, 0 where it did not)`},
		{"defaulted.", eba, ebaNames, 0, "is a group"},
		{"capital.by_agent.XX21.loss", eba, ebaNames, 0, `unknown metric "capital.by_agent.XX21.loss": no bank, prime broker or dealer "XX21" in the base scenario (did you mean "DE21"?) (it has AT01, AT02, BE03, ..., UK48: 48 such agents)`},
		{"capital.by_agent." + fund + ".loss", mini, miniNames, 0, fmt.Sprintf("capital.by_agent lists banks, prime brokers and dealers, and %s is a hedge_fund: read its kind's (capital.by_kind.hedge_fund.loss) or whether it defaulted (defaulted.%s), or follow it (report.follow: [%s]) and read its own P&L (follow.%s.pnl, follow.%s.pnl_pct)", fund, fund, fund, fund, fund)},
		{"capital.by_agent", eba, ebaNames, 0, "add a key"},
		{"capital.by_kind.bank.kind", eba, ebaNames, 0, "not a number"},
		{"defaultd", eba, ebaNames, 0, "have schema, "},
		{"defaulted.*", eba, ebaNames, 0, `metric "defaulted.*": a * stands for many metrics, which a sweep file's metrics may list (defaulted.*, capital.by_agent.*.loss): name one here`},
	} {
		t.Run(c.path, func(t *testing.T) {
			if _, ok := resolved(t, c.sum, c.path, c.n, c.want, c.err); !ok {
				return
			}
			if Indicator(c.path) != strings.HasPrefix(c.path, "defaulted.") {
				t.Errorf("Indicator(%q) = %v", c.path, Indicator(c.path))
			}
		})
	}
}

// TestUnknownAgentMetricAt: a sweep file naming an agent its base does
// not have is refused at the metric's line and column.
func TestUnknownAgentMetricAt(t *testing.T) {
	src := "base: eba2018\nseed: 1\nruns: 10\nparameters:\n  - {path: depth_scale, dist: {kind: uniform, min: 2, max: 8}}\nmetrics:\n  - defaults\n  - defaulted.DE21\n  - defaulted.XX21\n  - capital.by_agent.NL34.loss\n"
	_, err := Parse(filepath.Join(t.TempDir(), "pd.yaml"), []byte(src))
	for _, want := range []string{
		`pd.yaml:9:5: metrics[2]: unknown metric "defaulted.XX21": no agent "XX21" in the base scenario (did you mean "DE21"?)`,
		`pd.yaml:10:5: metrics[3]: unknown metric "capital.by_agent.NL34.loss": no bank, prime broker or dealer "NL34" in the base scenario (did you mean`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error\n%v\nwant one containing\n%s", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), "metrics[1]") {
		t.Errorf("defaulted.DE21 refused: %v", err)
	}
}

// TestWilson: the Wilson score interval at 95% against published values
// (Newcombe 1998, Table I: 0/10, 1/10, 5/10 and 81/263), within [0, 1]
// at the ends.
func TestWilson(t *testing.T) {
	for _, c := range []struct {
		k, n   int
		lo, hi float64
	}{
		{0, 10, 0, 0.2775},
		{1, 10, 0.0179, 0.4042},
		{5, 10, 0.2366, 0.7634},
		{10, 10, 0.7225, 1},
		{81, 263, 0.2553, 0.3662},
	} {
		lo, hi := Wilson(c.k, c.n)
		if math.Abs(lo-c.lo) > 5e-5 || math.Abs(hi-c.hi) > 5e-5 {
			t.Errorf("Wilson(%d, %d) = %.4f – %.4f, want %.4f – %.4f", c.k, c.n, lo, hi, c.lo, c.hi)
		}
	}
	if lo, hi := Wilson(0, 0); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("Wilson(0, 0) = %v – %v, want NaN", lo, hi)
	}
}

// pdSweep gives banks' default probabilities in eba2018 under an
// uncertain government bond shock.
const pdSweep = `name: pd
base: eba2018
seed: 7
runs: 24
parameters:
  - {path: events.0.shocks.GOVB, name: govb_shock, dist: {kind: uniform, min: -0.25, max: -0.05}}
metrics: [defaulted.DE21, defaulted.UK46, capital.by_agent.UK46.loss_pct, defaults]
`

// TestDefaultProbabilities: each run's defaulted.ID is whether the agent
// is among the defaults of the run its cascade run command makes, and
// capital.by_agent its loss there; the report gives a 0/1 metric as the
// share of runs with a 1 and its Wilson interval, not by quantiles nor a
// histogram; and the outputs are the same, byte for byte, with 1 and 2
// workers.
func TestDefaultProbabilities(t *testing.T) {
	sw, dir := loadSweep(t, "pd.yaml", pdSweep)
	read := func(s *sim.Summary) []float64 {
		has := func(id string) float64 {
			for _, d := range s.Defaults {
				if d.Agent == id {
					return 1
				}
			}
			return 0
		}
		return []float64{has("DE21"), has("UK46"), float64(s.Capital.ByAgent["UK46"].LossPct), float64(len(s.Defaults))}
	}
	for i := range 4 {
		reproduced(t, sw, i, read)
	}
	outs := map[int][]byte{}
	var rows [][]string
	for _, workers := range []int{1, 2} {
		out := filepath.Join(dir, fmt.Sprint("out", workers))
		if _, err := Run(context.Background(), sw, Options{Dir: out, Workers: workers, Plots: true}); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"runs.csv", "report.md", "sensitivity.csv"} {
			b, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			outs[workers] = append(outs[workers], b...)
			if f == "runs.csv" && workers == 1 {
				if rows, err = csv.NewReader(bytes.NewReader(b)).ReadAll(); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for stem, want := range map[string]bool{"hist_defaulted_UK46": false, "hist_capital_by_agent_UK46_loss_pct": true} {
		if _, err := os.Stat(filepath.Join(dir, "out1", "plots", stem+".png")); (err == nil) != want {
			t.Errorf("plots/%s.png written: %v, want %v (a 0/1 metric has no histogram)", stem, err == nil, want)
		}
	}
	if !bytes.Equal(outs[1], outs[2]) {
		t.Error("the outputs differ between 1 and 2 workers")
	}
	report := string(outs[1])
	p := func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
	for _, id := range []string{"DE21", "UK46"} {
		col := slices.Index(rows[0], "defaulted."+id)
		ones := 0
		for _, r := range rows[1:] {
			switch r[col] {
			case "1":
				ones++
			case "0":
			default:
				t.Fatalf("defaulted.%s reads %q", id, r[col])
			}
		}
		if ones == 0 || ones == len(rows)-1 {
			t.Fatalf("%s defaults in %d of %d runs: want some and not all, for the test to test", id, ones, len(rows)-1)
		}
		lo, hi := Wilson(ones, 24)
		if want := fmt.Sprintf("| defaulted.%s | 24 | %d | %s | %s – %s |\n", id, ones, p(float64(ones)/24), p(lo), p(hi)); !strings.Contains(report, want) {
			t.Errorf("report.md has no\n%s\nin\n%s", want, report)
		}
	}
	for _, want := range []string{
		"## Probabilities\n",
		"| metric | runs with a value | runs with 1 | probability | 95% interval |\n|---|--:|--:|--:|--:|\n| defaulted.DE21 | 24 |",
		"| capital.by_agent.UK46.loss_pct | 24 |",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report.md has no\n%s\nin\n%s", want, report)
		}
	}
	if _, quantiles, _ := strings.Cut(report, "## Metrics"); strings.Contains(strings.Split(quantiles, "## Probabilities")[0], "defaulted.") {
		t.Errorf("report.md gives quantiles of a 0/1 metric:\n%s", report)
	}
}
