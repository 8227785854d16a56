package cli

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/sim"
)

// TestBanksCommand: cascade banks writes a scenario from a table that
// validates and runs; the bank that starts below its buffer is named and
// defaults after the shock; the file names a scenario file it extends by
// its path from the file's directory; an existing file is kept without
// --force; a bad table is reported at its line and leaves nothing behind.
func TestBanksCommand(t *testing.T) {
	dir := t.TempDir()
	table := filepath.Join(dir, "my-banks.csv")
	// EUR million. WEAK starts at 3.5%, below the 4% buffer: it repays
	// debt with its cash and sells every bond it holds (250), which leaves
	// it at 35 of 710 (4.9%), with nothing for the shock to hit.
	if err := os.WriteFile(table, []byte("id,_name,equity,cash,GOVB,CORPB,OTHER\nSTRONG,Strong Bank,80,50,120,80,750\nWEAK,Weak Bank,35,40,200,50,710\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := cascade(t, "banks", table, "--scale", "1e6")
	if code != 0 {
		t.Fatalf("banks: exit %d: %s", code, stderr)
	}
	file := filepath.Join(dir, "my-banks.yaml")
	for _, want := range []string{"wrote " + file + ": 2 banks from " + table + " in the markets of eba2018 (replacing its 48 agents)", "1 start below their buffer_ratio and sell at the first tick, before the shock, at calm prices (--buffer-at-start keeps their holdings, so the shock hits them): WEAK"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "# Made with: cascade banks "+table+" --scale 1e+06\n") || !strings.Contains(string(src), "\nextends: eba2018\nname: my-banks\ndescription: \"2 banks from my-banks.csv in the markets, events and report of eba2018.\"\n") {
		t.Errorf("the file's head:\n%.600s", src)
	}
	sum := runSummary(t, file, filepath.Join(dir, "out"))
	if sold := float64(sum.ForcedSales.ByReason["deleveraging"]); sum.Scenario != "my-banks" || sum.Agents["bank"] != 2 || len(sum.Defaults) != 0 || !(sold > 245e6 && sold <= 250e6) {
		t.Errorf("scenario %q, %v agents, defaults %+v, deleveraging sales %.4g: want my-banks, 2 banks, none, 245-250m", sum.Scenario, sum.Agents, sum.Defaults, sold)
	}

	// Into a file of one's own, two directories away: the file extends it
	// by its path from where the file is written.
	base := filepath.Join(dir, "templates", "base.yaml")
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(base, []byte("extends: eba2018\nname: base\ndepth_scale: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "runs")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	file2 := filepath.Join(sub, "deep.yaml")
	if _, stderr, code := cascade(t, "banks", table, file2, "--into", base, "--scale", "1e6", "--buffer-at-start"); code != 0 {
		t.Fatalf("banks --into %s: exit %d: %s", base, code, stderr)
	}
	src2, _ := os.ReadFile(file2)
	if !strings.Contains(string(src2), "\nextends: ../templates/base.yaml\nname: deep\n") || !strings.Contains(string(src2), "buffer_ratio: 0.035,") {
		t.Errorf("--into a file:\n%.900s", src2)
	}
	if _, stderr, code := cascade(t, "validate", file2); code != 0 {
		t.Errorf("validate %s: exit %d: %s", file2, code, stderr)
	}

	// An existing file is kept; a bad table writes nothing.
	if _, stderr, code := cascade(t, "banks", table, "--scale", "1e6", "--min-ratio", "0.02"); code == 0 || !strings.Contains(stderr, "exists: give --force") {
		t.Errorf("over an existing file: exit %d: %s", code, stderr)
	}
	if now, _ := os.ReadFile(file); string(now) != string(src) {
		t.Error("the existing file changed")
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("id,equity,GOVB\nA,12x,100\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := cascade(t, "banks", bad); code == 0 || !strings.Contains(stderr, bad+`:2:3: equity: "12x" is not a number`) {
		t.Errorf("bad table: exit %d: %s", code, stderr)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "bad.csv my-banks.csv my-banks.yaml out runs templates" {
		t.Errorf("the directory holds %v", names)
	}
}

// TestBanksExample: the README's figures for examples/banks.csv, in
// eba2018's markets and in markets sized to the five banks (--depth inet).
func TestBanksExample(t *testing.T) {
	for _, c := range []struct {
		flags    []string
		salesBn  float64
		defaults string
		govbPct  float64
		govb     string // the GOVB line: what the banks hold, in the scenario's currency
	}{
		{nil, 173.9, "BETA GAMMA", 11.7, "GOVB: the banks hold €255.0bn; the market keeps eba2018's depth δ 1.524e+12 units"},
		{[]string{"--depth", "inet"}, 359.5, "BETA GAMMA DELTA", 27.8, "GOVB: depth δ 2.42e+11 units for €255.0bn held"},
		{[]string{"--depth", "inet", "--buffer-at-start"}, 359.6, "GAMMA EPSILON BETA DELTA", 28.1, "GOVB: depth δ 2.42e+11 units for €255.0bn held"},
	} {
		dir := t.TempDir()
		file := filepath.Join(dir, "my-banks.yaml")
		stdout, stderr, code := cascade(t, append([]string{"banks", "../../../examples/banks.csv", file, "--scale", "1e6"}, c.flags...)...)
		if code != 0 {
			t.Fatalf("banks %v: exit %d: %s", c.flags, code, stderr)
		}
		want := "1 start below their buffer_ratio and sell at the first tick, before the shock, at calm prices (--buffer-at-start keeps their holdings, so the shock hits them): EPSILON\n"
		if slices.Contains(c.flags, "--buffer-at-start") {
			want = "1 start below the buffer and manage to their starting ratio: EPSILON\n"
		}
		for _, want := range []string{want, c.govb} {
			if !strings.Contains(stdout, want) {
				t.Errorf("banks %v: stdout lacks %q:\n%s", c.flags, want, stdout)
			}
		}
		sum := runSummary(t, file, filepath.Join(dir, "out"))
		var failed []string
		for _, d := range sum.Defaults {
			failed = append(failed, d.Agent)
		}
		sales, fall := float64(sum.ForcedSales.Total)/1e9, float64(sum.Assets["GOVB"].MaxDrawdownPct)
		if math.Abs(sales-c.salesBn) > 0.05 || strings.Join(failed, " ") != c.defaults || math.Abs(fall-c.govbPct) > 0.05 {
			t.Errorf("banks %v: sales %.1fbn, defaults %v, GOVB %.1f%%; the README says %.1fbn, %s, %.1f%%", c.flags, sales, failed, fall, c.salesBn, c.defaults, c.govbPct)
		}
	}
}

// runSummary runs scenario file into out, without plots, and returns its
// summary.
func runSummary(t *testing.T, file, out string) sim.Summary {
	t.Helper()
	if _, stderr, code := cascade(t, "run", file, "--out", out, "--no-plots", "--quiet"); code != 0 {
		t.Fatalf("run %s: exit %d: %s", file, code, stderr)
	}
	var sum sim.Summary
	if err := readJSON(filepath.Join(out, "summary.json"), &sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestBanksDepthUnits: --depth inet prints δ in the unit of flow the
// exponential law counts (conventions.flow) and the banks' holdings at
// their value, whatever the price. The two banks of the table hold 320m
// of GOVB; δ = 0.1·q/−ln 0.9 for q that flow.
func TestBanksDepthUnits(t *testing.T) {
	const assets = `assets:
  - {id: GOVB, kind: bond, currency: USD, price: 2, vol: 0.05, yield: 0.01, duration: 7, adv: 0, impact: {function: exponential, delta: 1.0e+12, permanent: 1}}
  - {id: CORPB, kind: bond, currency: USD, price: 1, vol: 0.05, yield: 0.02, duration: 5, adv: 0, impact: {function: exponential, delta: 6.0e+11, permanent: 1}}
  - {id: OTHER, kind: illiquid, currency: USD, price: 1, vol: 0, adv: 0}
`
	for _, c := range []struct {
		name, base, want string
	}{
		// 320m at price 2 is 160m units: δ 151.9m units.
		{"units at price 2", "extends: eba2018\nname: base\n" + assets, "GOVB: depth δ 1.519e+08 units for €320.0m held"},
		{"value", "extends: eba2018\nname: base\nconventions: {flow: value}\n", "GOVB: depth δ €303.7m of flow for €320.0m held"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			table := filepath.Join(dir, "my-banks.csv")
			if err := os.WriteFile(table, []byte("id,equity,cash,GOVB,CORPB,OTHER\nSTRONG,80,50,120,80,750\nWEAK,35,40,200,50,710\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			base := filepath.Join(dir, "base.yaml")
			if err := os.WriteFile(base, []byte(c.base), 0o644); err != nil {
				t.Fatal(err)
			}
			stdout, stderr, code := cascade(t, "banks", table, filepath.Join(dir, "out.yaml"), "--into", base, "--scale", "1e6", "--depth", "inet")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			hasAll(t, stdout, c.want)
		})
	}
}
