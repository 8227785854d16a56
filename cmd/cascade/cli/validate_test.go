package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSetExtendsRefused: `cascade run mini --set extends=aug2024` exits 2
// and writes nothing: the override would be silently dropped (the loader
// resolves extends only while reading files), and the run be one of mini
// whose manifest's resolved scenario says it extends aug2024.
func TestSetExtendsRefused(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	_, stderr, code := cascade(t, "run", "mini", "--set", "extends=aug2024", "--out", out, "--no-plots", "--quiet")
	if code != 2 {
		manifest, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
		t.Errorf("exit %d, want 2 (stderr %q); manifest mentions extends aug2024: %v",
			code, stderr, strings.Contains(string(manifest), "extends: aug2024"))
	}
	if ents, _ := os.ReadDir(parent); code == 2 && len(ents) != 0 {
		t.Errorf("output left behind: %v", ents)
	}
}

// TestBuildErrorPosition: problems the model's own checks would find are
// printed where the value was given, with the field (once a bad --set was
// reported as builtin:mini:3:1, the base file's document root, or at the
// entry, without the field).
func TestBuildErrorPosition(t *testing.T) {
	for _, c := range []struct{ set, want string }{
		{"assets.2.beta=-1", "--set #1:1:15: assets[2].beta: "},
		{"report.correlation_horizon=1000", "--set #1:1:28: report.correlation_horizon: "},
		{"agents.1.foreign_value=-1e11", "--set #1:1:24: agents[1].foreign_value: "},
	} {
		_, stderr, code := cascade(t, "validate", "mini", "--set", c.set)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("validate mini --set %s: exit %d, want 2 and %q; stderr:\n%s", c.set, code, c.want, stderr)
		}
	}
}

// TestAssetIDCollidesWithColumn: an asset whose id is also the name of a
// market-wide time-series column (here "vix", as for a VIX future) is
// refused up front as invalid input (exit 2) at the field where it is
// written. It once passed `cascade validate`, ran the whole simulation,
// and only then failed while writing timeseries.csv with `duplicate
// column name "vix"`, exit 1 and no file:line:col.
func TestAssetIDCollidesWithColumn(t *testing.T) {
	src, err := os.ReadFile("../../../scenarios/builtin/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	y := strings.ReplaceAll(string(src), "SPX", "vix")
	y = strings.Replace(y, "name: mini", "name: vixasset", 1)
	dir := t.TempDir()
	file := filepath.Join(dir, "vixasset.yaml")
	if err := os.WriteFile(file, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	loc := regexp.MustCompile(`vixasset\.yaml:\d+:\d+`)

	_, vstderr, vcode := cascade(t, "validate", file)
	if vcode != 2 || !loc.MatchString(vstderr) {
		t.Errorf("validate: exit %d, want 2 with file:line:col; stderr:\n%s", vcode, vstderr)
	}
	if want := `assets[3].id: asset id "vix" clashes with the time series`; !strings.Contains(vstderr, want) {
		t.Errorf("validate: stderr lacks %q:\n%s", want, vstderr)
	}
	_, stderr, code := cascade(t, "run", file, "--out", filepath.Join(dir, "out"), "-q", "--no-plots")
	if code != 2 || !loc.MatchString(stderr) {
		t.Errorf("run: exit %d, want 2 with file:line:col; stderr:\n%s", code, stderr)
	}
}
