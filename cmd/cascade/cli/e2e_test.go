package cli

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/output"
)

var update = flag.Bool("update", false, "regenerate golden files")

// bin is the cascade binary built for these tests.
var bin string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "cascade-test-")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "cascade")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cascade runs the binary and returns its output and exit code.
func cascade(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return execute(t, bin, args...)
}

// execute runs the binary at path and returns its output and exit code.
func execute(t *testing.T, path string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

// wants returns the expected messages of an invalid scenario: its
// "# want:" lines, or the lines of FILE.want.
func wants(t *testing.T, path string) []string {
	t.Helper()
	if b, err := os.ReadFile(strings.TrimSuffix(path, ".yaml") + ".want"); err == nil {
		return strings.Split(strings.TrimSpace(string(b)), "\n")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if w, ok := strings.CutPrefix(sc.Text(), "# want: "); ok {
			out = append(out, w)
		}
	}
	return out
}

// TestInvalidScenarios: every file of the corpus exits 2, prints its
// expected messages with file:line:col, and leaves no output behind.
func TestInvalidScenarios(t *testing.T) {
	invalidCorpus(t, "testdata/invalid/*.yaml", "run", func(f string) []string { return []string{"validate", f} })
}

// invalidCorpus runs `cascade cmd FILE --out DIR` on every file of glob
// (at least 20): each must exit 2, print the messages the file declares
// with file:line:col, and leave nothing in DIR's parent; the check
// command check(FILE) must exit 2 with the first message as well.
func invalidCorpus(t *testing.T, glob, cmd string, check func(file string) []string) {
	t.Helper()
	files, err := filepath.Glob(glob)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("only %d invalid files in %s", len(files), glob)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			ws := wants(t, f)
			if len(ws) == 0 {
				t.Fatalf("%s declares no expected message", f)
			}
			parent := t.TempDir()
			_, stderr, code := cascade(t, cmd, f, "--out", filepath.Join(parent, "out"))
			if code != 2 {
				t.Errorf("exit code %d, want 2; stderr:\n%s", code, stderr)
			}
			for _, w := range ws {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q; got:\n%s", w, stderr)
				}
			}
			if ents, _ := os.ReadDir(parent); len(ents) != 0 {
				t.Errorf("output left behind: %v", ents)
			}
			args := check(f)
			if _, cstderr, ccode := cascade(t, args...); ccode != 2 || !strings.Contains(cstderr, ws[0]) {
				t.Errorf("%s: exit %d, stderr:\n%s", strings.Join(args, " "), ccode, cstderr)
			}
		})
	}
}

// TestSummaryGolden: summary.json of the mini scenario matches its golden
// file byte for byte (regenerate with go test ./cmd/cascade/cli -update).
func TestSummaryGolden(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	if _, stderr, code := cascade(t, "run", "mini", "--out", out, "--no-plots", "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "summary.json", got, "mini_summary.json")
}

// checkGolden compares an output with testdata/golden/name, which -update
// rewrites.
func checkGolden(t *testing.T, what string, got []byte, name string) {
	t.Helper()
	golden := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (run with -update after reviewing):\n%s", what, golden, firstDiff(string(want), string(got)))
	}
}

// TestReportGolden: report.md of the mini scenario, byte for byte (run with
// -update after reviewing a change), and report.md of a run with plots
// shows each plot it names.
func TestReportGolden(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	if _, stderr, code := cascade(t, "run", "mini", "--out", out, "--no-plots", "--quiet", "--set", "noise.scale=1.1"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "report.md", got, "mini_report.md")
	if !strings.Contains(string(got), "Reproduce it with `cascade run mini --seed ") || !strings.Contains(string(got), "--set noise.scale=1.1 --no-plots`") {
		t.Errorf("report.md does not say how to make the run again")
	}

	withPlots := filepath.Join(t.TempDir(), "plots")
	if _, stderr, code := cascade(t, "run", "mini", "--out", withPlots, "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep, err := os.ReadFile(filepath.Join(withPlots, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(rep), "\n") {
		if _, link, ok := strings.Cut(line, "]("); ok && strings.HasPrefix(line, "![") {
			n++
			if _, err := os.Stat(filepath.Join(withPlots, strings.TrimSuffix(link, ")"))); err != nil {
				t.Errorf("report.md shows %s: %v", link, err)
			}
		}
	}
	if n < 6 {
		t.Errorf("report.md shows %d plots, want at least 6", n)
	}
	man, err := os.ReadFile(filepath.Join(withPlots, "manifest.json"))
	if err != nil || !strings.Contains(string(man), `"report.md"`) {
		t.Errorf("manifest.json does not list report.md (%v)", err)
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "lengths differ"
}

func itoa(i int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + func() string { return fmtInt(i) }())
}

func fmtInt(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}

// TestRunOutputs: a run writes every output, plots are non-empty images of
// the expected size, and an existing directory is kept without --force.
func TestRunOutputs(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	stdout, stderr, code := cascade(t, "run", "mini", "--out", out, "--agent-detail")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "amplification") {
		t.Errorf("no summary on the terminal:\n%s", stdout)
	}
	for _, f := range []string{"summary.json", "timeseries.csv", "timeseries.parquet", "events.jsonl", "manifest.json", "agent_detail.csv", "agent_detail.parquet"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty (%v)", f, err)
		}
	}
	sizes := map[string][2]int{"prices": {1050, 1050}, "leverage_margin": {1050, 900}, "sales_by_kind": {1050, 900}, "sales_by_reason": {1050, 900}}
	for _, p := range output.RunPlots {
		f, err := os.Open(filepath.Join(out, "plots", p+".png"))
		if err != nil {
			t.Errorf("%s.png: %v", p, err)
			continue
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Errorf("%s.png: %v", p, err)
			continue
		}
		want := [2]int{1050, 675}
		if s, ok := sizes[p]; ok {
			want = s
		}
		if p == "correlation_heatmaps" {
			want = [2]int{cfg.Width, cfg.Height} // square cells: size follows the matrix
			if cfg.Width < 600 || cfg.Height < 300 {
				t.Errorf("%s.png is %dx%d", p, cfg.Width, cfg.Height)
			}
		}
		if cfg.Width != want[0] || cfg.Height != want[1] {
			t.Errorf("%s.png is %dx%d, want %dx%d", p, cfg.Width, cfg.Height, want[0], want[1])
		}
		svg, err := os.ReadFile(filepath.Join(out, "plots", p+".svg"))
		if err != nil || !bytes.Contains(svg, []byte("<svg")) {
			t.Errorf("%s.svg missing or not SVG (%v)", p, err)
		}
	}
	_, stderr, code = cascade(t, "run", "mini", "--out", out)
	if code != 2 || !strings.Contains(stderr, "already exists") {
		t.Errorf("existing directory: exit %d, stderr %q", code, stderr)
	}
	if _, _, code = cascade(t, "run", "mini", "--out", out, "--force", "--quiet"); code != 0 {
		t.Errorf("--force: exit %d", code)
	}
	if _, stderr, code := cascade(t, "plot", out); code != 0 {
		t.Errorf("plot: exit %d: %s", code, stderr)
	}
}

// TestUsage: usage mistakes exit 2.
func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"run"}, {"run", "a", "b"}, {"frobnicate"}, {"run", "mini", "--bogus"}, {"run", "no-such-scenario"},
		{"whatif", "--out", filepath.Join(t.TempDir(), "no-such-dir", "whatif.md")}, {"whatif", "--seeds", "0", "--out", filepath.Join(t.TempDir(), "w.md")}} {
		if _, stderr, code := cascade(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr)
		}
	}
	// A misspelt channel is the flag's mistake, not an override the user never typed.
	if _, stderr, code := cascade(t, "compare", "mini", "--off", "crossmargin", "--out", filepath.Join(t.TempDir(), "cmp")); code != 2 ||
		!strings.Contains(stderr, `--off: unknown channel "crossmargin" (did you mean "cross_margin"?)`) || strings.Contains(stderr, "--set") {
		t.Errorf("compare --off crossmargin: exit %d, stderr:\n%s", code, stderr)
	}
	for _, args := range [][]string{{"version"}, {"scenarios"}, {"schema"}, {"validate", "mini", "aug2024"}} {
		if _, stderr, code := cascade(t, args...); code != 0 {
			t.Errorf("%v: exit %d (%s)", args, code, stderr)
		}
	}
}

// duckdbChecker returns the path of the independent Parquet readers'
// script, .ci/parquet-check/check.mjs, which reads a Parquet file with
// DuckDB and with arrow-rs (parquet-wasm and apache-arrow), all from npm.
// It skips the test when node or one of those modules is not installed,
// and fails it instead when CASCADE_REQUIRE_DUCKDB=1 (as in CI).
func duckdbChecker(t *testing.T) string {
	t.Helper()
	check, _ := filepath.Abs("../../../.ci/parquet-check/check.mjs")
	var errMod error
	for _, m := range []string{"@duckdb", "parquet-wasm", "apache-arrow"} {
		if _, err := os.Stat(filepath.Join(filepath.Dir(check), "node_modules", m)); err != nil && errMod == nil {
			errMod = err
		}
	}
	_, errNode := exec.LookPath("node")
	if errMod != nil || errNode != nil {
		if os.Getenv("CASCADE_REQUIRE_DUCKDB") == "1" {
			t.Fatalf("independent readers not installed (node: %v, module: %v): run npm ci in .ci/parquet-check", errNode, errMod)
		}
		t.Skip("independent Parquet readers (DuckDB, arrow-rs) not installed (cd .ci/parquet-check && npm ci)")
	}
	return check
}

// TestParquetIndependentReader: two independent readers, DuckDB and
// arrow-rs (through parquet-wasm; both from npm, in .ci/parquet-check),
// each read timeseries.parquet and agent_detail.parquet back and find them
// equal, value by value, to the CSV files. CI installs the readers and sets
// CASCADE_REQUIRE_DUCKDB=1; elsewhere the test skips without them.
func TestParquetIndependentReader(t *testing.T) {
	check := duckdbChecker(t)
	out := filepath.Join(t.TempDir(), "run")
	if _, stderr, code := cascade(t, "run", "mini", "--out", out, "--no-plots", "--quiet", "--agent-detail"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"timeseries", "agent_detail"} {
		cmd := exec.Command("node", check, filepath.Join(out, name+".parquet"), filepath.Join(out, name+".csv"))
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", name, err, b)
			continue
		}
		t.Logf("%s: %s", name, strings.TrimSpace(string(b)))
	}
}

// TestCompareSpans: comparing two scenarios that cover different spans says
// so, since changes over the run then measure different things; the same
// span says nothing.
func TestCompareSpans(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, "long.yaml")
	if err := os.WriteFile(long, []byte("extends: mini\nname: long\nhorizon: 4d\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := cascade(t, "compare", "mini", long, "--out", filepath.Join(dir, "a"))
	if code != 0 || !strings.Contains(stderr, "note: mini runs 2024-07-30 to 2024-08-02 and long 2024-07-30 to 2024-08-03: changes over the run, drawdowns and sales cover different spans") {
		t.Errorf("different spans: exit %d, stderr:\n%s", code, stderr)
	}
	if _, stderr, code := cascade(t, "compare", "mini", "--off", "cross_margin", "--out", filepath.Join(dir, "b")); code != 0 || strings.Contains(stderr, "different spans") {
		t.Errorf("same span: exit %d, stderr:\n%s", code, stderr)
	}
}

// TestSweepCombination: a sweep whose parameters each pass the check of
// their range, but break the scenario together (a bank's buffer_ratio
// drawn above its target_ratio in runs 0, 1 and 37). --check sets every
// run up and refuses it, exit 2, naming the runs; the sweep, which checks
// only the ranges (setting every run up would cost it a fifth of its
// time), stops at run 0, exit 1, naming its values and --check.
func TestSweepCombination(t *testing.T) {
	f := "testdata/sweep/combination.yaml"
	ws := wants(t, f)
	if _, stderr, code := cascade(t, "sweep", f, "--check"); code != 2 || !strings.Contains(stderr, ws[0]) || !strings.Contains(stderr, ws[1]) {
		t.Errorf("--check: exit %d, want 2 and %q; stderr:\n%s", code, ws, stderr)
	}
	_, stderr, code := cascade(t, "sweep", f, "--out", filepath.Join(t.TempDir(), "out"), "--workers", "1")
	for _, w := range []string{"run 0 failed: agents[0]: bank AT01: need min_ratio <= buffer_ratio <= target_ratio",
		"its values: buffer_ratio 0.04951, target_ratio 0.04685", "cascade sweep --check"} {
		if code != 1 || !strings.Contains(stderr, w) {
			t.Errorf("sweep: exit %d, want 1 and %q; stderr:\n%s", code, w, stderr)
		}
	}
}
