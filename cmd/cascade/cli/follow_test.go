package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunFollow: run --follow writes the followed agents' tables and
// summary.json's follow.ID, report.md a section for each, and the
// manifest lists the tables; an unknown id is refused, naming the field.
func TestRunFollow(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, stderr, code := cascade(t, "run", "mini", "--follow", "hf-001", "--follow", "GS", "--no-plots", "-q", "-o", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"follow_trades", "follow_accounts", "follow_positions"} {
		for _, ext := range []string{".csv", ".parquet"} {
			if _, err := os.Stat(filepath.Join(dir, f+ext)); err != nil {
				t.Error(err)
			}
		}
	}
	var sum struct {
		Follow map[string]struct {
			StartEquity float64            `json:"start_equity"`
			PnLPct      float64            `json:"pnl_pct"`
			Calls       int                `json:"margin_calls"`
			Sold        map[string]float64 `json:"sold_usd"`
		} `json:"follow"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	f, ok := sum.Follow["hf-001"]
	if !ok || len(sum.Follow) != 2 {
		t.Fatalf("summary.json follow: %v", sum.Follow)
	}
	// mini's hf-001 at seed 1: $5bn of equity, a stop-loss sale and one call.
	if f.StartEquity != 5e9 || !(f.PnLPct < -1) || f.Calls != 1 || !(f.Sold["stop_loss"] > 1e9) {
		t.Errorf("hf-001: start %v, P&L %v%%, %d calls, sold %v", f.StartEquity, f.PnLPct, f.Calls, f.Sold)
	}
	rep, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	for _, want := range []string{"## Followed: `GS`", "## Followed: `hf-001`", "| stop_loss |"} {
		if !strings.Contains(string(rep), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	man, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if !strings.Contains(string(man), `"follow_positions.parquet"`) || !strings.Contains(string(man), "--follow hf-001 --follow GS") {
		t.Error("manifest.json does not list the follow tables or the --follow flags")
	}
	_, stderr, code := cascade(t, "run", "mini", "--follow", "hf-099", "-q", "-o", filepath.Join(t.TempDir(), "bad"))
	if code != 2 || !strings.Contains(stderr, `report.follow+[0]: unknown agent "hf-099" (did you mean "hf-001"?)`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestFollowFlagError: an id --follow cannot follow is reported under
// --follow and the id, not under the --set override it is turned into;
// a --set beside it keeps its own label.
func TestFollowFlagError(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--follow", "BAD"}, []string{`cascade: --follow BAD: report.follow+[0]: unknown agent "BAD"`}},
		{[]string{"--follow", "hf-001", "--follow", "hf-099"}, []string{`cascade: --follow hf-099: report.follow+[0]: unknown agent "hf-099" (did you mean "hf-001"?)`}},
		{[]string{"--set", "report.follow=[zz]", "--follow", "BAD"}, []string{
			`--follow BAD: report.follow+[0]: unknown agent "BAD"`,
			`--set #1:1:15: report.follow[0]: unknown agent "zz"`,
		}},
	} {
		args := append([]string{"run", "mini", "-q", "-o", filepath.Join(t.TempDir(), "bad")}, c.args...)
		_, stderr, code := cascade(t, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", c.args, code)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr lacks %q; got:\n%s", c.args, w, stderr)
			}
		}
		if strings.Contains(stderr, "--set #") && len(c.want) == 1 {
			t.Errorf("%v: stderr names a --set the user did not write:\n%s", c.args, stderr)
		}
	}
}
