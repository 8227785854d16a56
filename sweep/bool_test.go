package sweep

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/csvtest"
)

// boolSweep sweeps mini's funding facility, a true-or-false field, as
// PARAM writes it.
const boolSweep = `base: mini
seed: 3
design: grid
parameters:
  - {path: funding.facility_on, name: facility, PARAM}
metrics: [vix.peak, defaults]
series: [NKY]
`

// TestBoolForms: a true-or-false field's levels written true and false,
// and its dist values written so, make the sweep its values 1 and 0 make
// (the same fingerprint, the values 1 for true and 0 for false in the
// file's order, with the levels' weights); each run sets the field as
// cascade run --set does. Before, levels: [true, false] and values:
// [true, false] were refused ("want a string, got true").
func TestBoolForms(t *testing.T) {
	for _, c := range []struct {
		name, same string // same: the numeric form of the sweep
		param      string
		values     []float64
		weights    []float64
	}{
		{"levels", "dist: {kind: choice, values: [1, 0]}", "levels: [true, false]", []float64{1, 0}, nil},
		{"levels other order", "dist: {kind: choice, values: [0, 1]}", "levels: [false, true]", []float64{0, 1}, nil},
		{"one level", "dist: {kind: choice, values: [0]}", "levels: [False]", []float64{0}, nil},
		{"list", "dist: {kind: list, values: [1, 0]}", "dist: {kind: list, values: [true, false]}", []float64{1, 0}, nil},
		{"fixed", "dist: {kind: fixed, value: 1}", "dist: {kind: fixed, value: true}", nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(boolSweep, "PARAM", c.param, 1)
			sw, err := Parse("b.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			ref, err := Parse("b.yaml", []byte(strings.Replace(boolSweep, "PARAM", c.same, 1)))
			if err != nil {
				t.Fatal(err)
			}
			if sw.Fingerprint != ref.Fingerprint {
				t.Errorf("fingerprint %.12s, the sweep of %s has %.12s", sw.Fingerprint, c.same, ref.Fingerprint)
			}
			q := sw.Resolved().Parameters[0]
			if q.Levels != nil || !q.Boolean || !reflect.DeepEqual(q.Dist.Values, c.values) || !reflect.DeepEqual(q.Dist.Weights, c.weights) {
				t.Errorf("resolved %+v: want no levels, boolean, values %v", q, c.values)
			}
			vals := make([]float64, 1)
			for i := range sw.Runs {
				sw.Values(i, vals)
				cfg, err := sw.runConfig(vals)
				if err != nil {
					t.Fatal(err)
				}
				if cfg.Funding.FacilityOn != (vals[0] == 1) {
					t.Errorf("run %d, value %v: facility_on %v", i, vals[0], cfg.Funding.FacilityOn)
				}
				if cmd := sw.Reproduce(i, vals); !strings.Contains(cmd, "funding.facility_on="+sw.Params[0].Label(vals[0])) {
					t.Errorf("run %d: %s does not set facility_on to %s", i, cmd, sw.Params[0].Label(vals[0]))
				}
			}
		})
	}
}

// TestBoolWeights: weights beside a true-or-false field's levels weigh
// them as a choice's weights do.
func TestBoolWeights(t *testing.T) {
	sw, err := Parse("b.yaml", []byte(strings.Replace(strings.Replace(boolSweep, "PARAM", "levels: [true, false], weights: [3, 1]", 1), "design: grid", "runs: 8", 1)))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Parse("b.yaml", []byte(strings.Replace(strings.Replace(boolSweep, "PARAM", "dist: {kind: choice, values: [1, 0], weights: [3, 1]}", 1), "design: grid", "runs: 8", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if sw.Fingerprint != ref.Fingerprint {
		t.Errorf("fingerprint %.12s, the numeric choice's %.12s", sw.Fingerprint, ref.Fingerprint)
	}
	if got := Describe(sw.Resolved().Parameters[0], nil); got != "choice true, false; weights 3, 1" {
		t.Errorf("described as %q", got)
	}
}

// TestBoolProblems: a value written true or false where the field does
// not take it, or a true-or-false field's level that is not, is refused
// at the value's file:line:col with the field named.
func TestBoolProblems(t *testing.T) {
	for _, c := range []struct{ param, want string }{
		{`levels: [true, "no"]`, `b.yaml:5:64: parameters[0].levels[1]: funding.facility_on is true or false: its levels are true and false, unquoted, not "no"`},
		{`levels: ["true", false]`, `b.yaml:5:58: parameters[0].levels[0]: funding.facility_on is true or false: its levels are true and false, unquoted, not "true"`},
		{`levels: [true, true]`, `b.yaml:5:64: parameters[0].levels[1]: level "true" is given twice (also levels[0])`},
		{`dist: {kind: list, values: [1, 2]}`, `b.yaml:5:55: parameters[0].dist: funding.facility_on is true or false: values must be true or false (or 1 and 0), not 2`},
		{`dist: {kind: uniform, min: 0, max: 1}`, `b.yaml:5:62: parameters[0].dist.kind: funding.facility_on is true or false: give levels: [true, false] (or a list or choice of true and false), not a uniform distribution`},
	} {
		src := strings.Replace(boolSweep, "design: grid", "runs: 4", 1)
		_, err := Parse("b.yaml", []byte(strings.Replace(src, "PARAM", c.param, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.param, err, c.want)
		}
	}
	// A text or number field written true or false.
	for _, c := range []struct{ param, want string }{
		{`{path: conventions.execution, levels: [pre, true]}`, `b.yaml:6:49: parameters[1].levels[1]: conventions.execution is text, not true or false: write the level "true", quoted, if you mean the text`},
		{`{path: leverage_scale, dist: {kind: list, values: [0.5, FALSE]}}`, `b.yaml:6:61: parameters[1].dist.values[1]: leverage_scale is a number, not true or false: give a number in place of FALSE`},
		{`{path: leverage_scale, dist: {kind: fixed, value: true}}`, `b.yaml:6:55: parameters[1].dist.value: leverage_scale is a number, not true or false: give a number in place of true`},
	} {
		src := strings.Replace(boolSweep, "PARAM", "levels: [true, false]", 1)
		src = strings.Replace(src, "metrics:", "  - "+c.param+"\nmetrics:", 1)
		_, err := Parse("b.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.param, err, c.want)
		}
	}
}

// TestBoolOutputs: runs.csv holds a true-or-false field's 1 or 0 (a
// number column, as for values: [1, 0]), and levels.csv, the report and
// the manifest name the levels true and false.
func TestBoolOutputs(t *testing.T) {
	sw, dir := loadSweep(t, "b.yaml", strings.Replace(boolSweep, "PARAM", "levels: [true, false]", 1))
	out := filepath.Join(dir, "out")
	if _, err := Run(context.Background(), sw, Options{Dir: out, Workers: 1, Plots: true}); err != nil {
		t.Fatal(err)
	}
	runs := csvtest.Read(t, filepath.Join(out, "runs.csv"))
	if runs[0][2] != "facility" || runs[1][2] != "1" || runs[2][2] != "0" {
		t.Errorf("runs.csv: %q, %q, %q: want facility 1, then 0", runs[0][2], runs[1][2], runs[2][2])
	}
	var levels []string
	for _, row := range csvtest.Read(t, filepath.Join(out, "levels.csv"))[1:] {
		if row[2] == "vix.peak" {
			levels = append(levels, row[1])
		}
	}
	if want := []string{"false", "true"}; !reflect.DeepEqual(levels, want) {
		t.Errorf("levels.csv levels %q, want %q", levels, want)
	}
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| facility | funding.facility_on | choice true, false |", "| false | 1 |", "| true | 1 |"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	man := readManifestT(t, out)
	if q := man.Sweep.Parameters[0]; !q.Boolean || !reflect.DeepEqual(q.Dist.Values, []float64{1, 0}) {
		t.Errorf("manifest: %+v, want boolean with values 1, 0", q)
	}
	// A levels chart per metric; no response curve, which would draw the
	// field along an axis of fractions from 0 to 1.
	for stem, want := range map[string]bool{"levels_facility_vix_peak": true, "levels_facility_defaults": true, "response_vix_peak": false} {
		if _, err := os.Stat(filepath.Join(out, "plots", stem+".svg")); (err == nil) != want {
			t.Errorf("plots/%s.svg written: %v, want %v", stem, err == nil, want)
		}
	}
}

// TestBoolOldManifest: which parameters are true or false is a label the
// fingerprint leaves out, so a sweep of a true-or-false field that a
// cascade before the label began (its manifest without "boolean", its
// fingerprint that of the same sweep) resumes, and its report then names
// the levels true and false as a sweep begun now does.
func TestBoolOldManifest(t *testing.T) {
	src := strings.Replace(strings.Replace(boolSweep, "PARAM", "dist: {kind: choice, values: [1, 0]}", 1), "design: grid", "runs: 12", 1)
	sw, err := writeSweep(t, src)
	if err != nil {
		t.Fatal(err)
	}
	old := sw.Resolved()
	old.Parameters[0].Boolean = false
	if fp, err := fingerprintOf(old, sw.Base.Resolved); err != nil || fp != sw.Fingerprint {
		t.Fatalf("fingerprint %.12s without the label, %.12s with it (%v): want the same", fp, sw.Fingerprint, err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	kept := interrupted(t, sw, dir, Whole).Ran
	m := readManifestT(t, dir)
	m.Sweep.Parameters[0].Boolean = false
	if err := m.write(dir); err != nil {
		t.Fatal(err)
	}
	if !resumed(t, sw, dir, kept, false, "") {
		return
	}
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "| facility | funding.facility_on | choice true, false |"; !strings.Contains(string(report), want) {
		t.Errorf("report.md lacks %q", want)
	}
}
