package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/csvtest"
)

// TestEBAGridSweep runs sweeps/eba2018.yaml and checks the README's table
// of failures against its runs, and that the grid's response plots are
// written.
func TestEBAGridSweep(t *testing.T) {
	out := filepath.Join(t.TempDir(), "grid")
	if _, stderr, code := cascade(t, "sweep", "../../../sweeps/eba2018.yaml", "--out", out, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	failureTable(t, out, "../../../README.md", "| government bonds fall |")
	for _, name := range []string{"response_defaults.png", "response_assets_GOVB_max_drawdown_pct.svg"} {
		if _, err := os.Stat(filepath.Join(out, "plots", name)); err != nil {
			t.Error(err)
		}
	}
}

// failureTable checks a table of failures in doc, the one whose header
// begins with head (the shocks, then a row per depth_scale 1, 2, 5, 10),
// against the runs of an eba2018 grid of govb_shock and depth_scale in
// out, and returns the runs by shock (percent, as the table writes it)
// and depth.
func failureTable(t *testing.T, out, doc, head string) map[[2]string][]string {
	t.Helper()
	rows := csvtest.Read(t, filepath.Join(out, "runs.csv"))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	runs := map[[2]string][]string{} // (shock %, depth) → the run's row
	for _, r := range rows[1:] {
		s, _ := strconv.ParseFloat(r[col["govb_shock"]], 64)
		runs[[2]string{strconv.FormatFloat(-100*s, 'g', 4, 64), r[col["depth_scale"]]}] = r
	}
	if len(runs) != 52 {
		t.Fatalf("%d grid points, want 52", len(runs))
	}
	text, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(text), head)
	if !ok {
		t.Fatalf("no table of failures in %s", doc)
	}
	lines := strings.Split(table, "\n")
	var shocks []string
	for _, c := range strings.Split(strings.Trim(lines[0], " |"), "|") {
		shocks = append(shocks, strings.TrimSuffix(strings.TrimSpace(c), "%"))
	}
	checked := 0
	for _, l := range lines[2:6] {
		cells := strings.Split(strings.Trim(l, " |"), "|")
		depth := strings.Fields(strings.ReplaceAll(cells[0], "`", ""))
		d := depth[len(depth)-1]
		if strings.Contains(cells[0], "(the scenario)") {
			d = "5"
		}
		for k, c := range cells[1:] {
			if got := runs[[2]string{shocks[k], d}]; got == nil || got[col["defaults"]] != strings.TrimSpace(c) {
				t.Errorf("%s: depth_scale %s, shock %s%%: %s failures, the sweep %q", doc, d, shocks[k], strings.TrimSpace(c), got)
			}
			checked++
		}
	}
	if checked != 24 {
		t.Errorf("checked %d cells of the table in %s, want 24", checked, doc)
	}
	return runs
}

// TestEBACorporateSweep runs sweeps/eba2018-corporate.yaml, whose
// government bond shock x ties the corporate bond shock to 0.5·x, and
// checks docs/sweeps.md's table of failures against its runs; the
// manifest's record of the tie; that --check shows it; and that run 16
// (x = -0.1 at depth_scale 1), made again by cascade run with the
// corporate shock set to -0.05 as docs/sweeps.md says, gives the run's
// row, and with the corporate shock left at 0 does not.
func TestEBACorporateSweep(t *testing.T) {
	out := filepath.Join(t.TempDir(), "corporate")
	if _, stderr, code := cascade(t, "sweep", "../../../sweeps/eba2018-corporate.yaml", "--out", out, "-q", "--no-plots"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	runs := failureTable(t, out, "../../../docs/sweeps.md", "| government bonds fall (corporate bonds half as far) |")
	man, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `"ties": [
          {
            "path": "events.0.shocks.CORPB",
            "targets": [
              "events.0.shocks.CORPB"
            ],
            "times": 0.5,
            "plus": 0
          }
        ]`; !strings.Contains(string(man), want) {
		t.Errorf("manifest.json records no tie %s", want)
	}
	stdout, _, _ := cascade(t, "sweep", "../../../sweeps/eba2018-corporate.yaml", "--check")
	if want := "govb_shock   events.0.shocks.GOVB, events.0.shocks.CORPB = 0.5 × govb_shock  list [0 -0.025"; !strings.Contains(stdout, want) {
		t.Errorf("--check printed no %q:\n%s", want, stdout)
	}
	row := runs[[2]string{"10", "1"}]
	if row == nil || row[0] != "16" {
		t.Fatalf("run 16 is not x = -0.1 at depth 1: %q", row)
	}
	base := []string{"run", "eba2018", "--seed", row[1], "--set", "events.0.shocks.CORPB=0", "--set", "events.0.shocks.GOVB=-0.1"}
	for _, c := range []struct {
		corporate string
		same      bool
	}{{"-0.05", true}, {"0", false}} {
		dir := filepath.Join(t.TempDir(), "run16")
		args := append(slices.Clone(base), "--set", "events.0.shocks.CORPB="+c.corporate, "--set", "depth_scale=1", "--out", dir, "--no-plots", "--quiet")
		if _, stderr, code := cascade(t, args...); code != 0 {
			t.Fatalf("cascade %v: exit %d: %s", args, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		var sum struct {
			Defaults []json.RawMessage `json:"defaults"`
			Assets   map[string]struct {
				DD float64 `json:"max_drawdown_pct"`
			} `json:"assets"`
		}
		if err := json.Unmarshal(b, &sum); err != nil {
			t.Fatal(err)
		}
		got := []string{strconv.Itoa(len(sum.Defaults)), strconv.FormatFloat(sum.Assets["GOVB"].DD, 'g', -1, 64), strconv.FormatFloat(sum.Assets["CORPB"].DD, 'g', -1, 64)}
		want := row[4:7] // defaults, GOVB's and CORPB's max drawdown
		if same := slices.Equal(got, want); same != c.same {
			t.Errorf("run 16 made again with the corporate shock at %s: %q, the sweep's row %q", c.corporate, got, want)
		}
	}
}

// TestEBADefaultsSweep runs sweeps/eba2018-defaults.yaml and finds the
// lines docs/sweeps.md shows of what it prints (each bank's default
// probability with its Wilson interval) in what it prints, and the
// README's figures in them.
func TestEBADefaultsSweep(t *testing.T) {
	out := filepath.Join(t.TempDir(), "pd")
	stdout, stderr, code := cascade(t, "sweep", "../../../sweeps/eba2018-defaults.yaml", "--out", out, "--no-plots")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	doc, err := os.ReadFile("../../../docs/sweeps.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(doc), "plots included):\n\n```\n")
	if !ok {
		t.Fatal("docs/sweeps.md shows no output of sweeps/eba2018-defaults.yaml")
	}
	block, _, _ = strings.Cut(block, "```")
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		if line != "..." && !strings.Contains(stdout, line+"\n") {
			t.Errorf("docs/sweeps.md shows %q; the sweep printed\n%s", line, stdout)
		}
	}
	never := 0
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "defaulted.") && strings.HasSuffix(line, " 0/200        0.0%  0.0% – 1.9%") {
			never++
		}
	}
	for _, want := range []string{"defaulted.NL33                    189/200       94.5%  90.4% – 96.9%\n", "defaulted.DE21                    192/200       96.0%"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the sweep printed no %q (README)", want)
		}
	}
	if never != 10 {
		t.Errorf("%d banks never fail, the README says ten", never)
	}
}

// TestEBACompare: compare works in a world without a VIX proxy, brokers or
// funds: its undefined quantities (the correlation of bonds that the
// passive side does not move) are null in compare.json, and the rows the
// world cannot have (VIX, margin calls, unwound trades, the compression
// index) are left out. Until they were, compare.json failed to encode.
func TestEBACompare(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	stdout, stderr, code := cascade(t, "compare", "eba2018", "--off", "bank", "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, not := range []string{"VIX", "margin calls", "unwound", "compression"} {
		if strings.Contains(stdout, not) {
			t.Errorf("the table has %q:\n%s", not, stdout)
		}
	}
	rows := compareRows(t, dir)
	found := false
	for _, r := range rows {
		if r.Name == "mean correlation peak over the run" {
			found = true
			if r.A == nil || *r.A < 0.9 || r.B != nil {
				t.Errorf("correlation peak: %v with the banks, want about 0.95; %v without, want null", r.A, r.B)
			}
		}
		if r.Name == "defaults" && (r.A == nil || *r.A != 2) {
			t.Errorf("defaults with the banks: %v, want 2", r.A)
		}
	}
	if !found {
		t.Error("compare.json lacks the correlation row")
	}
}

// TestEBAInertSwitches: in a world of banks alone, the channels that act
// through prime brokers, dealers and links can carry nothing. channels
// leaves them out by default (and so has nothing to take apart unless
// told which kinds), refuses them when named, and compare --off notes that
// switching one off changes nothing.
func TestEBAInertSwitches(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"channels", "eba2018"}, "no channel can act in eba2018: it has no prime brokers, dealers or links; name agent kinds to take apart with --players (its kinds: bank)"},
		{[]string{"channels", "eba2018", "--players", "bank,funding_feedback"}, "funding_feedback can carry nothing in eba2018: it has no dealers"},
	} {
		_, stderr, code := cascade(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 saying %q", c.args, code, stderr, c.want)
		}
	}
	dir := filepath.Join(t.TempDir(), "cmp")
	stdout, stderr, code := cascade(t, "compare", "eba2018", "--off", "valuation_links", "-o", dir)
	if code != 0 {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	if want := "note: valuation_links can carry nothing in eba2018 (it has no links): switching it off changes nothing"; !strings.Contains(stderr, want) {
		t.Errorf("compare's stderr %q lacks %q", stderr, want)
	}
	if !strings.Contains(stdout, "GOVB change %") {
		t.Errorf("compare's table lacks the GOVB row:\n%s", stdout)
	}
	// plot redraws runs; it says what a comparison's directory is rather
	// than that a run's manifest is missing.
	if _, stderr, code := cascade(t, "plot", dir); code != 2 || !strings.Contains(stderr, dir+" holds a comparison (cascade compare draws compare_prices.png as it writes; run it again to redraw), not a run's outputs") {
		t.Errorf("plot of a comparison: exit %d, stderr %q", code, stderr)
	}
}

// TestEBAEditedLabels: with --set events.0.shocks.GOVB=-0.2 the event's
// label, in report.md's events table, events.jsonl (the detail the plots'
// markers take) and the resolved scenario, says what the override set,
// and report.md's description line too; it read "government bonds fall
// 10%" over a 20% shock. A sweep that varies the shock labels its fan
// charts' marker "(varied by the sweep)" rather than with the base's 10%.
func TestEBAEditedLabels(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, stderr, code := cascade(t, "run", "eba2018", "--set", "events.0.shocks.GOVB=-0.2", "-o", dir, "-q", "--no-plots"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	const label = "government bonds fall 10% (edited: shocks.GOVB=-0.2)"
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| 2 Jan 00:00 | " + label + " |\n", "after a 10% fall in government bonds. Edited: events.0.shocks.GOVB=-0.2.\n"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.md lacks %q:\n%s", want, report)
		}
	}
	events, err := os.ReadFile(filepath.Join(dir, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(events), "\n")
	var ev struct{ Kind, Detail string }
	if err := json.Unmarshal([]byte(first), &ev); err != nil || ev.Kind != "scenario" || ev.Detail != label {
		t.Errorf("events.jsonl's first event %s (%v), want the shock labelled %q", first, err, label)
	}

	sweep := filepath.Join(t.TempDir(), "s.yaml")
	src := "name: eba-shocks\nbase: eba2018\nseed: 1\ndesign: grid\nparameters:\n  - {path: events.0.shocks.GOVB, dist: {kind: list, values: [-0.01, -0.1]}}\nmetrics: [defaults]\nseries: [GOVB]\n"
	if err := os.WriteFile(sweep, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "sweep")
	if _, stderr, code := cascade(t, "sweep", sweep, "-o", out, "-q"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	var man struct {
		Plan struct{ Markers []struct{ Label string } }
	}
	js, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &man); err != nil {
		t.Fatal(err)
	}
	if len(man.Plan.Markers) != 1 || man.Plan.Markers[0].Label != "government bonds fall 10% (varied by the sweep)" {
		t.Errorf("sweep plan's markers %+v, want the shock (varied by the sweep)", man.Plan.Markers)
	}
	if svg, err := os.ReadFile(filepath.Join(out, "plots", "fan_GOVB.svg")); err != nil || !strings.Contains(string(svg), "(varied by the sweep)") {
		t.Errorf("fan_GOVB.svg does not label the shock varied by the sweep (%v)", err)
	}
}

// TestEBAAgentDetailRatio: agent_detail's ratio column is a bank's
// leverage ratio as its thresholds read it, equity over assets with cash
// included, where leverage (gross over equity) leaves the cash out: DE21
// starts at 3.4107%, its buffer_ratio 3.41% (AT01 at the EBA's 6.55%),
// and BE04 closes the shock's day at 3.99%, below its 4% buffer, so it
// sells the next day. Other kinds have none (empty).
func TestEBAAgentDetailRatio(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, stderr, code := cascade(t, "run", "eba2018", "--agent-detail", "-o", dir, "-q", "--no-plots"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := csvtest.Read(t, filepath.Join(dir, "agent_detail.csv"))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if n := len(rows[0]); n < 2 || rows[0][n-2] != "ratio" || rows[0][n-1] != "hedge_ratio" {
		t.Fatalf("agent_detail.csv's header %v: want ratio, then hedge_ratio (insurers') last", rows[0])
	}
	got := map[string]float64{}
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[col["ratio"]], 64)
		if r[col["kind"]] != "bank" {
			if r[col["ratio"]] != "" {
				t.Errorf("%s (%s): ratio %q, want none", r[col["agent"]], r[col["kind"]], r[col["ratio"]])
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got[r[col["tick"]]+" "+r[col["agent"]]] = v
	}
	for k, want := range map[string]float64{"0 DE21": 0.034107, "0 AT01": 0.065505, "1 BE04": 0.039945} {
		if v, ok := got[k]; !ok || math.Abs(v-want) > 5e-7 {
			t.Errorf("tick %s: ratio %v, want %v", k, v, want)
		}
	}
	// Leverage leaves the cash out: AT01 starts at 14.50 times, not 1/6.55%.
	if lev := rows[1][col["leverage"]]; rows[1][col["agent"]] != "AT01" || !strings.HasPrefix(lev, "14.50") {
		t.Errorf("first row %v: want AT01 at leverage 14.50", rows[1])
	}
}

// TestEBAStartBelowNote: the reviewer's run, every buffer at 4.5% and no
// shock: the 7 banks that start below it sell on day 0, and the run says
// so on stderr and in manifest.json's notes (it said nothing).
func TestEBAStartBelowNote(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	_, stderr, code := cascade(t, "run", "eba2018", "--set", "agents.*.buffer_ratio=0.045", "--set", "events.0.shocks.GOVB=0", "-o", dir, "-q", "--no-plots")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	const note = "7 banks start at a leverage ratio (equity over assets) below their buffer_ratio, so they deleverage (cash first, then sales) in the first tick, before any event: DE21 (3.41% < 4.5%), NL33 (3.49% < 4.5%)"
	if !strings.Contains(stderr, "note: "+note) {
		t.Errorf("stderr lacks the note:\n%s", stderr)
	}
	var man struct{ Notes []string }
	js, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &man); err != nil || len(man.Notes) != 1 || !strings.HasPrefix(man.Notes[0], note) {
		t.Errorf("manifest.json's notes %q (%v), want the one note", man.Notes, err)
	}
}
