package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMistakeMessages: a misspelt built-in name (on the command line or in
// extends) and a --set path naming no list element exit 2 with a message
// that lists what there is and suggests the nearest; a --set path naming
// no field suggests the fields that hold its word, or the path of the
// field one level down; a --set value of the wrong type names the field
// and what it takes.
func TestMistakeMessages(t *testing.T) {
	dir := t.TempDir()
	ext := filepath.Join(dir, "ext.yaml")
	if err := os.WriteFile(ext, []byte("extends: mni\nname: ext\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "aug2025", "--out", out}, `aug2025: no scenario file "aug2025" and no built-in scenario of that name (did you mean "aug2024"?) (built-ins: apr2025, aug2024, boj2026, `},
		{[]string{"validate", "aug2025"}, `(did you mean "aug2024"?) (built-ins: apr2025, aug2024, boj2026, boj2026-* (24; cascade scenarios lists them), calm, eba2018, mini)`},
		// A path is looked for as a file only: the built-ins are beside the point.
		{[]string{"run", filepath.Join(dir, "nope.yaml"), "--out", out}, `: no scenario file "` + filepath.Join(dir, "nope.yaml") + "\"\n"},
		{[]string{"run", ext, "--out", out}, ext + `:1:10: extends: no scenario file "mni" and no built-in scenario of that name (did you mean "mini"?) (built-ins: apr2025, `},
		{[]string{"validate", ext}, ext + `:1:10: extends: no scenario file "mni" and no built-in scenario of that name (did you mean "mini"?)`},
		{[]string{"run", "aug2024", "--set", "brokers.XX.capital=1e10", "--out", out},
			`--set #1:1:9: brokers.XX.capital: no element with id "XX" (have GS, MS, JPM, jp-retail-brokers, crypto-venues) (did you mean "GS"?)`},
		{[]string{"run", "aug2024", "--set", "assets.SPY.vol=0.2", "--out", out},
			`--set #1:1:8: assets.SPY.vol: no element with id "SPY" (have USDJPY, UST10Y, TY, SPX, NKY, GOLD, BTC, JGB10Y) (did you mean "SPX"?)`},
		{[]string{"run", "aug2024", "--set", "agents.ctaa.target_vol=0.1", "--out", out},
			`--set #1:1:8: agents.ctaa.target_vol: no element with id "ctaa" (have gs-fund, ms-fund, jpm-fund, jp-retail, crypto-lev, lifer, cta, rp, vc, value, jp-dip, rv-fund, mof) (did you mean "cta"?)`},
		{[]string{"run", "apr2025", "--set", "funding.facility=false", "--out", out},
			`--set #1:1:9: funding.facility: unknown field (did you mean "facility_cap", "facility_capacity" or "facility_on"?)` + "\n"},
		{[]string{"run", "apr2025", "--set", "facility_on=false", "--out", out},
			`--set #1:1:1: facility_on: unknown field (did you mean "funding.facility_on"?)` + "\n"},
		{[]string{"run", "apr2025", "--set", "funding.facility_on=maybe", "--out", out},
			`--set #1:1:21: funding.facility_on: want true or false, got the text "maybe"` + "\n"},
	} {
		_, stderr, code := cascade(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr:\n%s\nwant exit 2 and %q", strings.Join(c.args, " "), code, stderr, c.want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output left behind in %s", out)
	}
}

// TestInterrupted: SIGINT stops a run, which says it was interrupted (not
// "context canceled" alone), exits 1 and leaves neither its output
// directory nor a staging directory. Ten thousand days of mini take
// about ten seconds; the signal comes after one.
func TestInterrupted(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "long")
	cmd := exec.Command(bin, "run", "mini", "--set", "horizon=10000d", "--out", out, "--no-plots", "-q")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit %v, want 1; stderr:\n%s", err, stderr.String())
	}
	// The run and its passive twin run side by side: either may be the
	// one stopped.
	if got := stderr.String(); got != "cascade: interrupted (running mini: context canceled)\n" &&
		got != "cascade: interrupted (running the passive twin of mini: context canceled)\n" {
		t.Errorf("stderr %q, want cascade: interrupted (running [the passive twin of] mini: context canceled)", got)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}
