package output

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFirstDifference: the first differing line and column and the two
// lines there, cut to a window of the width around the column (a digit
// at the end of a long CSV line shows); a file that ends first, and files
// that differ only in a final newline (line 0: the lines are the same).
func TestFirstDifference(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		a, b      string
		line, col int
		la, lb    string
	}{
		{"x\ny\nz\n", "x\ny\nz\n", 0, 0, "", ""},
		{"x\ny\nz\n", "x\nY\nz\n", 2, 1, "y", "Y"},
		{"x\ny\n", "x\ny\nz\n", 3, 1, "(end of file)", "z"},
		{"x\ny\nz", "x\ny\n", 3, 1, "z", "(end of file)"},
		{"x\ny", "x\ny\n", 0, 0, "", ""},
		{"h\n0123456789\n", "h\n0123456780\n", 2, 10, "…56789", "…56780"},
		{"abcdefghijklmnop\n", "abcdefghXjklmnop\n", 1, 9, "…hijkl…", "…hXjkl…"},
		{"ab\n", "abc\n", 1, 3, "ab", "abc"},
	} {
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		os.WriteFile(a, []byte(c.a), 0o644)
		os.WriteFile(b, []byte(c.b), 0o644)
		line, col, la, lb, err := FirstDifference(a, b, 5)
		if err != nil || line != c.line || col != c.col || la != c.la || lb != c.lb {
			t.Errorf("%q vs %q: line %d col %d %q %q (%v), want %d %d %q %q", c.a, c.b, line, col, la, lb, err, c.line, c.col, c.la, c.lb)
		}
	}
	if _, _, _, _, err := FirstDifference(filepath.Join(dir, "none"), filepath.Join(dir, "b"), 5); err == nil {
		t.Error("a missing file gave no error")
	}
}

// TestChecksums: directories' entries and manifest.json are left out; a
// listed file that is not there is an error.
func TestChecksums(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("abc"), 0o644)
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte("{}"), 0o644)
	sums, err := Checksums(dir, []string{"a.csv", "manifest.json", "journal/"})
	// sha256("abc"), FIPS 180-2 appendix B.1.
	if err != nil || len(sums) != 1 || sums["a.csv"] != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("sums %v (%v)", sums, err)
	}
	if _, err := Checksums(dir, []string{"gone.csv"}); err == nil {
		t.Error("a missing file gave no error")
	}
	checks, err := CheckFiles(dir, map[string]string{"b.csv": "x", "a.csv": sums["a.csv"]})
	if err != nil || len(checks) != 2 || !checks[0].OK() || checks[1].File != "b.csv" || checks[1].Got != "" || checks[1].OK() {
		t.Errorf("checks %+v (%v)", checks, err)
	}
	// A manifest naming a file outside the directory is refused.
	for _, f := range []string{"../a.csv", "/etc/hostname"} {
		if _, err := CheckFiles(dir, map[string]string{f: "x"}); err == nil {
			t.Errorf("CheckFiles of %q: no error", f)
		}
		if _, err := Checksums(dir, []string{f}); err == nil {
			t.Errorf("Checksums of %q: no error", f)
		}
	}
}
