package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBasisHalfLifeValidation: basis_half_life_days is a future's, finite
// and > 0; each mistake is reported at its file:line:col with the field's
// path (a copy of mini with the field added to one asset's entry: line 13
// is the future TY, assets[2]; line 14 the equity SPX, assets[3]).
func TestBasisHalfLifeValidation(t *testing.T) {
	src, err := os.ReadFile("builtin/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, value string
		want      []string // none: valid
	}{
		{"TY", "2", nil},
		{"TY", "0.25", nil},
		{"TY", "0", []string{"x.yaml:13:36: assets[2].basis_half_life_days: 0 is not a valid value"}},
		{"TY", "-1", []string{"x.yaml:13:36: assets[2].basis_half_life_days: must be a finite number of trading days > 0"}},
		{"TY", ".inf", []string{"x.yaml:13:36: assets[2].basis_half_life_days: infinity is not allowed"}},
		{"SPX", "2", []string{"x.yaml:14:37: assets[3].basis_half_life_days: basis_half_life_days does not apply to kind equity (its own fields: vol, drift; basis_half_life_days is for future)"}},
	} {
		entry := "  - {id: " + c.id + ", "
		if !strings.Contains(string(src), entry) {
			t.Fatalf("mini has no entry %q", entry)
		}
		text := strings.Replace(string(src), entry, entry+"basis_half_life_days: "+c.value+", ", 1)
		path := filepath.Join(t.TempDir(), "x.yaml")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path, nil)
		if len(c.want) == 0 {
			if err != nil {
				t.Errorf("%s: basis_half_life_days %s: %v", c.id, c.value, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: basis_half_life_days %s: loaded, want %q", c.id, c.value, c.want)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: basis_half_life_days %s: got\n%v\nwant a problem containing %q", c.id, c.value, err, w)
			}
		}
	}
}
