package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeEventsAppend: an event appended from the command line, as
// README shows it: cascade compare aug2024 --set-b 'events+=[...]' gives
// the Nikkei's change the README quotes, and a typo in the appended entry
// is the problem it prints, at the override's column.
func TestReadmeEventsAppend(t *testing.T) {
	const extra = "events+=[{at: 2024-08-06T00:00:00Z, kind: shock, label: extra, shocks: {NKY: -0.05}}]"
	dir := filepath.Join(t.TempDir(), "cmp")
	if _, stderr, code := cascade(t, "compare", "aug2024", "--set-b", extra, "-o", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	compareHas(t, dir, map[string]string{"NKY change %": "-4.77 -9.97"})
	readmeSays(t, "--set-b '"+extra+"'", "the Nikkei ends 9.97% down against 4.77%")

	typo := strings.Replace(extra, "-0.05}", "-0.05, SPY: -0.02}", 1)
	const want = `--set #1:1:90: events+[0].shocks.SPY: unknown asset "SPY" (did you mean "SPX"?) (assets: BTC, GOLD, JGB10Y, NKY, SPX, TY, USDJPY, UST10Y) (events+[0] is the scenario's events[7])`
	_, stderr, code := cascade(t, "run", "aug2024", "--set", typo, "-o", filepath.Join(t.TempDir(), "run"))
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("a typo in the appended entry: exit %d, %s\nwant %s", code, stderr, want)
	}
	readmeSays(t, "--set '"+typo+"'", want)
}
