package sweep

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/internal/csvtest"
	"github.com/cascade-sim/cascade/sim"
)

// tieHead is the head of the sweep files of the tie tests: eba2018 with a
// corporate bond shock for a parameter to tie (the base's event shocks
// government bonds alone).
const tieHead = "base: eba2018\nseed: 1\nruns: 4\nset: [events.0.shocks.CORPB=0]\nparameters:\n"

// miniHead is the head of a sweep file of mini.
const miniHead = "base: mini\nseed: 1\nruns: 4\nset: [noise.scale=1]\nparameters:\n"

// TestTieForms: an also entry is a path or {path, times, plus}; each
// tied field takes times·v + plus (a plain one v itself, and a mapping
// with times 1 and plus 0 is plain), and what cannot be a tie is refused
// at its file:line:col, naming the field, with a suggestion: a factor of
// 0, a factor or an offset on a text or true-or-false field, a fraction
// on a whole-number field, an unknown key, a missing path, and a tied
// value the scenario rejects at either end of the range.
func TestTieForms(t *testing.T) {
	const govb = "  - {path: events.0.shocks.GOVB, name: x, also: [%s], dist: {kind: uniform, min: -0.2, max: -0.05}}\n"
	type field struct {
		target string
		fx     affine
	}
	for _, c := range []struct {
		name, head, src string
		fields          []field // each target and its tie, when the file is valid
		ties            bool    // the parameter records its ties (one is not plain)
		err             string
	}{
		{name: "plain", src: strings.Replace(govb, "%s", "events.0.shocks.CORPB", 1),
			fields: []field{{"events.0.shocks.GOVB", affine{times: 1, plus: 0}}, {"events.0.shocks.CORPB", affine{times: 1, plus: 0}}}},
		{name: "mapping without times or plus", src: strings.Replace(govb, "%s", "{path: events.0.shocks.CORPB}", 1),
			fields: []field{{"events.0.shocks.GOVB", affine{times: 1, plus: 0}}, {"events.0.shocks.CORPB", affine{times: 1, plus: 0}}}},
		{name: "times 1, plus 0", src: strings.Replace(govb, "%s", "{path: events.0.shocks.CORPB, times: 1, plus: 0}", 1),
			fields: []field{{"events.0.shocks.GOVB", affine{times: 1, plus: 0}}, {"events.0.shocks.CORPB", affine{times: 1, plus: 0}}}},
		{name: "half", src: strings.Replace(govb, "%s", "{path: events.0.shocks.CORPB, times: 0.5}", 1), ties: true,
			fields: []field{{"events.0.shocks.GOVB", affine{times: 1, plus: 0}}, {"events.0.shocks.CORPB", affine{times: 0.5, plus: 0}}}},
		{name: "factor and offset", src: strings.Replace(govb, "%s", "{path: events.0.shocks.CORPB, times: -0.5, plus: -0.2}", 1), ties: true,
			fields: []field{{"events.0.shocks.GOVB", affine{times: 1, plus: 0}}, {"events.0.shocks.CORPB", affine{times: -0.5, plus: -0.2}}}},
		{name: "wildcard tie", src: "  - {path: depth_scale, also: [{path: \"agents.*.buffer_ratio\", times: 0.01}], dist: {kind: uniform, min: 3, max: 4.5}}\n", ties: true},
		{name: "times 0", src: strings.Replace(govb, "%s", "{path: events.0.shocks.CORPB, times: 0, plus: -0.05}", 1),
			err: "s.yaml:6:87: parameters[0].also[0].times: times: 0 gives events.0.shocks.CORPB the value -0.05 in every run, whatever the parameter draws: that ties it to nothing; give it that value with the file's set (set: [events.0.shocks.CORPB=-0.05]), or drop times for the parameter's value itself"},
		{name: "unknown key", src: strings.Replace(govb, "%s", "{path: events.0.shocks.CORPB, time: 0.5}", 1),
			err: `s.yaml:6:80: parameters[0].also[0].time: unknown field (did you mean "times"?)`},
		{name: "unknown key plus", src: strings.Replace(govb, "%s", "{path: events.0.shocks.CORPB, add: 0.5}", 1),
			err: `s.yaml:6:80: parameters[0].also[0].add: unknown field`},
		{name: "no path", src: strings.Replace(govb, "%s", "{times: 0.5}", 1),
			err: "s.yaml:6:50: parameters[0].also[0]: missing path: the field to tie, written as its path or as {path: ..., times: ..., plus: ...} (e.g. {path: events.0.shocks.CORPB, times: 0.5})"},
		{name: "a list", src: strings.Replace(govb, "%s", "[events.0.shocks.CORPB]", 1),
			err: "s.yaml:6:50: parameters[0].also[0]: want a mapping of fields, got a list"},
		{name: "times as text", src: strings.Replace(govb, "%s", "{path: events.0.shocks.CORPB, times: half}", 1),
			err: "s.yaml:6:87: parameters[0].also[0].times: want a number, got the text \"half\""},
		{name: "unknown tied field", src: strings.Replace(govb, "%s", "{path: events.0.shocks.CORP, times: 0.5}", 1),
			err: `s.yaml:6:57: parameters[0].also[0].path: no key "CORP" in events.0.shocks (the base scenario has CORPB, GOVB) (did you mean "CORPB"?)`},
		{name: "tied value invalid at the lower end", src: strings.Replace(govb, "%s", "{path: events.0.shocks.CORPB, times: 0.5, plus: -0.9}", 1),
			err: "s.yaml:6:112: parameters[0].dist: at the lower end of its range (events.0.shocks.GOVB = -0.2, events.0.shocks.CORPB = -1) the scenario is invalid: events[0].shocks.CORPB: a return of -1 is not possible (want a decimal above -1, e.g. -0.03)"},
		{name: "tied value invalid at the upper end", src: "  - {path: depth_scale, also: [{path: \"agents.*.buffer_ratio\", times: 0.01}], dist: {kind: uniform, min: 3, max: 5.5}}\n",
			err: "s.yaml:6:85: parameters[0].dist: at the upper end of its range (depth_scale = 5.5, agents.*.buffer_ratio = 0.055) the scenario is invalid: agents[0].buffer_ratio: a threshold bank needs min_ratio <= buffer_ratio <= target_ratio (got 0.03, 0.055, 0.05)"},
		{name: "text field", src: "  - {path: conventions.execution, also: [{path: conventions.flow, times: 2}], levels: [pre, post]}\n",
			err: "s.yaml:6:74: parameters[0].also[0].times: conventions.flow is text: a tie gives it the parameter's level as it is, and times and plus are for number fields (write also: [conventions.flow])"},
		{name: "true or false", src: "  - {path: noise.off, also: [{path: funding.facility_on, plus: 1}], levels: [true, false]}\n",
			err: "s.yaml:6:64: parameters[0].also[0].plus: funding.facility_on is true or false: a tie gives it the parameter's level as it is, and times and plus are for number fields (write also: [funding.facility_on])"},
		{name: "whole number", head: miniHead, src: "  - {path: events.0.tick, also: [{path: events.1.tick, times: 1.5}], dist: {kind: list, values: [20, 30]}}\n",
			err: "s.yaml:6:63: parameters[0].also[0].times: events.1.tick is a whole number: its tie's times must be a whole number too, not 1.5"},
		{name: "whole numbers", head: miniHead, src: "  - {path: events.0.tick, also: [{path: events.1.tick, times: 2, plus: -20}], dist: {kind: list, values: [20, 30]}}\n", ties: true,
			fields: []field{{"events.0.tick", affine{times: 1, plus: 0}}, {"events.1.tick", affine{times: 2, plus: -20}}}},
		{name: "another kind of number", src: "  - {path: conventions.max_rounds, also: [{path: depth_scale, times: 2}], dist: {kind: list, values: [1, 2]}}\n",
			err: "s.yaml:6:50: parameters[0].also[0].path: depth_scale is not the same kind of number as conventions.max_rounds, so they cannot share a value"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sw := parseTieCase(t, c.head, c.src, c.err)
			if sw == nil {
				return
			}
			q := &sw.Params[0]
			if (q.Ties != nil) != c.ties || (sw.Resolved().Parameters[0].Ties != nil) != c.ties {
				t.Errorf("ties %+v, want them recorded: %v", q.Ties, c.ties)
			}
			if c.fields == nil {
				return
			}
			var got []field
			for j, tg := range q.Targets {
				got = append(got, field{tg, q.fx[j]})
			}
			if !reflect.DeepEqual(got, c.fields) {
				t.Errorf("fields %+v, want %+v", got, c.fields)
			}
		})
	}
}

// plainTies is a sweep of plain ties (also: [a, b]) of every sort: a
// matrix cell and its mirror, three map entries, a wildcard over agent
// entries, and a text field. Its fingerprint and resolved sweep are those
// the cascade before ties had factors computed (bfa6b1c: this test,
// less its mapping forms, passes there).
const plainTies = `base: mini
seed: 7
runs: 6
parameters:
  - {path: correlation.3.4, also: [correlation.4.3], dist: {kind: uniform, min: 0.1, max: 0.4}}
  - {path: trends.SPX, name: trend, also: [trends.NKY, trends.USDJPY], dist: {kind: uniform, min: 0.9, max: 1.1}}
  - {path: agents.hf.trades.0.stop_loss, also: ["agents.*.target_vol"], dist: {kind: list, values: [0.06, 0.1]}}
  - {path: agents.cta.rebalance_at, also: [%s], levels: ["", close]}
metrics: [headline_move_pct]
series: [NKY]
`

const (
	plainTiesFingerprint = "664006a96628874de6d8e4b1eef69db19b848f885c9586303c6d43c55754b957"
	plainTiesResolved    = `{"name":"","base":"","runs":6,"seed":7,"design":"random","parameters":[{"name":"correlation.3.4","paths":["correlation.3.4","correlation.4.3"],"targets":["correlation.3.4","correlation.4.3"],"dist":{"kind":"uniform","min":0.1,"max":0.4}},{"name":"trend","paths":["trends.SPX","trends.NKY","trends.USDJPY"],"targets":["trends.SPX","trends.NKY","trends.USDJPY"],"dist":{"kind":"uniform","min":0.9,"max":1.1}},{"name":"agents.hf.trades.0.stop_loss","paths":["agents.hf.trades.0.stop_loss","agents.*.target_vol"],"targets":["agents.0.trades.0.stop_loss","agents.2.target_vol","agents.3.target_vol","agents.4.target_vol"],"dist":{"kind":"list","values":[0.06,0.1]}},{"name":"agents.cta.rebalance_at","paths":["agents.cta.rebalance_at","agents.rp.rebalance_at"],"targets":["agents.2.rebalance_at","agents.3.rebalance_at"],"dist":{"kind":"choice","values":[0,1]},"levels":["","close"]}],"metrics":["headline_move_pct","compression_index"],"series":["NKY"],"passive_twin":false}`
)

// TestPlainTiesFingerprint: a sweep file of plain ties keeps the
// fingerprint and the resolved sweep (manifest.json's sweep, which
// --resume and merge compare) that a cascade before factored ties gave
// it, so sweeps it began resume and merge; so does the same file with its
// ties written as mappings of times 1 and plus 0. The fingerprint also
// hashes the resolved base scenario (built-in mini), so an edit of mini
// changes it (and not the resolved sweep): recompute it then from the
// plain form at the commit that edits mini.
func TestPlainTiesFingerprint(t *testing.T) {
	for _, tie := range []string{
		"agents.rp.rebalance_at",
		"{path: agents.rp.rebalance_at}",
	} {
		src := strings.Replace(plainTies, "%s", tie, 1)
		if strings.HasPrefix(tie, "{") {
			src = strings.Replace(src, "also: [correlation.4.3]", "also: [{path: correlation.4.3, times: 1, plus: 0}]", 1)
			src = strings.Replace(src, "also: [trends.NKY, trends.USDJPY]", "also: [{path: trends.NKY, times: 1}, {path: trends.USDJPY, plus: 0}]", 1)
		}
		sw, err := Parse("p.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal(unlabeled(sw.Resolved()))
		if err != nil {
			t.Fatal(err)
		}
		if string(js) != plainTiesResolved {
			t.Errorf("%s: resolved sweep\n%s\nwant\n%s", tie, js, plainTiesResolved)
		}
		if sw.Fingerprint != plainTiesFingerprint {
			t.Errorf("%s: fingerprint %s, want %s", tie, sw.Fingerprint, plainTiesFingerprint)
		}
	}
}

// tiedShocks shocks eba2018's government bonds by x and its corporate
// bonds by half of x.
const tiedShocks = `base: eba2018
seed: 2018
runs: 8
design: latin_hypercube
set: [events.0.shocks.CORPB=0]
parameters:
  - path: events.0.shocks.GOVB
    name: govb_shock
    also: [{path: events.0.shocks.CORPB, times: 0.5}]
    dist: {kind: uniform, min: -0.2, max: -0.05}
metrics: [defaults, assets.GOVB.max_drawdown_pct, assets.CORPB.max_drawdown_pct]
series: [GOVB, CORPB]
`

// TestTiedShocks: in a sweep of eba2018 whose government bond shock x
// ties the corporate bond shock to 0.5·x, every run's scenario has
// exactly x and 0.5·x (float64(0.5*x), no fused multiply-add), x being
// the run's value in runs.csv; the manifest records the tie's factor and
// offset; and each run's cascade run command gives the corporate shock
// its own value and makes the run again, bit for bit.
func TestTiedShocks(t *testing.T) {
	sw, err := writeSweep(t, tiedShocks)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Run(context.Background(), sw, Options{Dir: dir, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	want := []ResolvedTie{{Path: "events.0.shocks.CORPB", Targets: []string{"events.0.shocks.CORPB"}, Times: 0.5, Plus: 0}}
	if got := readManifestT(t, dir).Sweep.Parameters[0].Ties; !reflect.DeepEqual(got, want) {
		t.Errorf("manifest's ties %+v, want %+v", got, want)
	}
	rows := csvtest.Read(t, filepath.Join(dir, "runs.csv"))
	if len(rows) != sw.Runs+1 || rows[0][2] != "govb_shock" {
		t.Fatalf("runs.csv: %d rows, header %q", len(rows), rows[0])
	}
	for i, r := range rows[1:] {
		x, err := strconv.ParseFloat(r[2], 64)
		if err != nil || x < -0.2 || x > -0.05 {
			t.Fatalf("run %d: govb_shock %q", i, r[2])
		}
		vals := make([]float64, 1)
		sw.Values(i, vals)
		cfg, err := sw.runConfig(vals)
		if err != nil {
			t.Fatal(err)
		}
		half := float64(0.5 * x)
		if g, c := cfg.Events[0].Shocks["GOVB"], cfg.Events[0].Shocks["CORPB"]; g != x || c != half {
			t.Errorf("run %d: shocks GOVB %v, CORPB %v; want %v and %v", i, g, c, x, half)
		}
		_, cmd, sets, _, _ := reproduced(t, sw, i, func(sum *sim.Summary) []float64 {
			return []float64{float64(len(sum.Defaults)), float64(sum.Assets["GOVB"].MaxDrawdownPct), float64(sum.Assets["CORPB"].MaxDrawdownPct)}
		})
		tail := []string{"events.0.shocks.GOVB=" + r[2], "events.0.shocks.CORPB=" + strconv.FormatFloat(half, 'g', -1, 64)}
		if len(sets) < 2 || !reflect.DeepEqual(sets[len(sets)-2:], tail) {
			t.Errorf("run %d: %s sets %q, want it to end with %q", i, cmd, sets, tail)
		}
	}
}

// TestTiedReproduce: the cascade run command of each run of a sweep with
// factored ties gives every tied field its value and makes the run again,
// bit for bit: dated events moved together (the second a fixed number of
// ticks after the first, written as its time), a population's size tied
// to another's, and a wildcard over agent entries.
func TestTiedReproduce(t *testing.T) {
	for _, c := range []struct{ name, params, want string }{
		{"event ticks", "  - {path: events.0.tick, name: hike, also: [{path: events.1.tick, plus: 5}], dist: {kind: list, values: [20, 30]}}\n",
			"--set events.0.at=2024-07-30T20:00:00Z --set events.1.at=2024-07-31T01:00:00Z"},
		{"counts", "  - {path: agents.hf.count, also: [{path: agents.cta.count, times: 2, plus: -1}], dist: {kind: list, values: [3, 5]}}\n",
			"--set agents.hf.count=3 --set agents.cta.count=5"},
		{"wildcard", "  - {path: leverage_scale, also: [{path: \"agents.*.target_vol\", times: 0.1}], dist: {kind: list, values: [0.8, 1.2]}}\n",
			"--set leverage_scale=0.8 --set 'agents.*.target_vol=0.08000000000000002'"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sw, err := writeSweep(t, "base: mini\nseed: 3\ndesign: grid\nparameters:\n"+c.params+"metrics: [headline_move_pct, vix.peak, forced_sales_usd.total]\n")
			if err != nil {
				t.Fatal(err)
			}
			for i := range sw.Runs {
				_, cmd, _, _, _ := reproduced(t, sw, i, func(sum *sim.Summary) []float64 {
					return []float64{float64(sum.HeadlineMove), float64(sum.VIX.Peak), float64(sum.ForcedSales.Total)}
				})
				if i == 0 && !strings.HasSuffix(cmd, c.want) {
					t.Errorf("run 0: %s, want it to end with %s", cmd, c.want)
				}
			}
		})
	}
}

// TestTimesBaseForms: times_base makes the value a factor of each
// field's own base value, recorded by field; it is refused, at
// times_base, on a text, true-or-false or whole-number field, on a field
// whose base value is 0, and in a parameter of variants; and a factor
// whose end the scenario rejects is reported with the fields' values.
func TestTimesBaseForms(t *testing.T) {
	for _, c := range []struct {
		name, head, src string
		base            []float64 // the fields' base values, when the file is valid
		err             string
	}{
		{name: "wildcard", src: "  - {path: \"agents.*.equity\", times_base: true, dist: {kind: uniform, min: 0.9, max: 1.1}}\n"},
		{name: "factored ties", head: miniHead, src: "  - {path: trends.SPX, times_base: true, also: [{path: trends.NKY, times: 2}, {path: brokers.GS.capital, plus: 0.5}], dist: {kind: uniform, min: 0.9, max: 1.1}}\n",
			base: []float64{1.2, 1, 1e11}},
		{name: "text", src: "  - {path: conventions.execution, times_base: true, levels: [pre, post]}\n",
			err: "s.yaml:6:47: parameters[0].times_base: conventions.execution is text: times_base is for number fields"},
		{name: "true or false", src: "  - {path: noise.off, times_base: true, levels: [true, false]}\n",
			err: "s.yaml:6:35: parameters[0].times_base: noise.off is true or false: times_base is for number fields"},
		{name: "whole number", src: "  - {path: conventions.max_rounds, times_base: true, dist: {kind: list, values: [1, 2]}}\n",
			err: "s.yaml:6:48: parameters[0].times_base: conventions.max_rounds is a whole number: a multiple of its base value need not be whole: sweep its values themselves"},
		{name: "zero base", src: "  - {path: events.0.shocks.GOVB, times_base: true, also: [events.0.shocks.CORPB], dist: {kind: uniform, min: 0.5, max: 2}}\n",
			err: "s.yaml:6:46: parameters[0].times_base: events.0.shocks.CORPB is 0 in the base scenario, so times_base would keep it 0 in every run: sweep its values themselves (drop times_base), or give it a base value with the file's set"},
		{name: "variants", src: "  - {name: n, times_base: true, variants: [{name: a}, {name: b, set: [depth_scale=4]}]}\n",
			err: "s.yaml:6:27: parameters[0].times_base: a parameter of variants takes name, variants and weights, not times_base: each variant's set gives the fields it changes"},
		{name: "invalid at the upper end", src: "  - {path: \"agents.*.buffer_ratio\", name: buffer, times_base: true, dist: {kind: uniform, min: 0.9, max: 1.3}}\n",
			err: "s.yaml:6:75: parameters[0].dist: at the upper end of its range (buffer = 1.3, times each field's base value: agents.0.buffer_ratio = 0.052000000000000005, agents.1.buffer_ratio = 0.052000000000000005, ..., agents.46.buffer_ratio = 0.052000000000000005, agents.47.buffer_ratio = 0.052000000000000005 (48 fields)) the scenario is invalid: agents[0].buffer_ratio: a threshold bank needs min_ratio <= buffer_ratio <= target_ratio (got 0.03, 0.052000000000000005, 0.05)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sw := parseTieCase(t, c.head, c.src, c.err)
			if sw == nil {
				return
			}
			q := &sw.Params[0]
			r := sw.Resolved().Parameters[0]
			if !q.TimesBase || !r.TimesBase || len(r.BaseValues) != len(r.Targets) {
				t.Fatalf("times_base %v (resolved %v), base values %v of %d fields", q.TimesBase, r.TimesBase, r.BaseValues, len(r.Targets))
			}
			if c.base != nil && !reflect.DeepEqual(r.BaseValues, c.base) {
				t.Errorf("base values %v, want %v", r.BaseValues, c.base)
			}
		})
	}
}

// TestTimesBaseRuns: a sweep of every eba2018 bank's buffer by one factor
// gives each bank, in every run, its own base buffer times the run's
// factor (as runs.csv has it), bit for bit; each run's cascade run
// command gives every bank its buffer and makes the run again, bit for
// bit.
func TestTimesBaseRuns(t *testing.T) {
	sw, err := writeSweep(t, `base: eba2018
seed: 4
runs: 6
design: latin_hypercube
parameters:
  - {path: "agents.*.buffer_ratio", name: buffer_factor, times_base: true, dist: {kind: uniform, min: 0.9, max: 1.2}}
  - {path: events.0.shocks.GOVB, dist: {kind: uniform, min: -0.15, max: -0.1}}
metrics: [defaults, forced_sales_usd.total, assets.CORPB.max_drawdown_pct]
`)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Run(context.Background(), sw, Options{Dir: dir, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	base := &sw.Base.File.Config
	rows := csvtest.Read(t, filepath.Join(dir, "runs.csv"))
	for i, r := range rows[1:] {
		x, err := strconv.ParseFloat(r[2], 64)
		if err != nil || x < 0.9 || x > 1.2 {
			t.Fatalf("run %d: buffer_factor %q", i, r[2])
		}
		vals := make([]float64, 2)
		sw.Values(i, vals)
		cfg, err := sw.runConfig(vals)
		if err != nil {
			t.Fatal(err)
		}
		for k := range cfg.Agents {
			spec, _ := cfg.Agents[k].Spec()
			own, _ := base.Agents[k].Spec()
			got, _ := sim.GetField(spec, "buffer_ratio")
			b, _ := sim.GetField(own, "buffer_ratio")
			if got != x*b {
				t.Fatalf("run %d: agents[%d]'s buffer %v, want %v × %v", i, k, got, x, b)
			}
		}
		_, cmd, sets, _, _ := reproduced(t, sw, i, func(sum *sim.Summary) []float64 {
			return []float64{float64(len(sum.Defaults)), float64(sum.ForcedSales.Total), float64(sum.Assets["CORPB"].MaxDrawdownPct)}
		})
		if len(sets) != 49 || sets[47] != "agents.47.buffer_ratio="+strconv.FormatFloat(x*0.04, 'g', -1, 64) {
			t.Errorf("run %d: %s: %d overrides, want one for each of the 48 banks and the shock", i, cmd, len(sets))
		}
	}
}

// TestFields: the plan and the report list a parameter's fields with what
// each tied one takes, in terms of the parameter's value, and with
// times_base each field's base value; plain ties as before.
func TestFields(t *testing.T) {
	for _, c := range []struct {
		p    ResolvedParam
		want string
	}{
		{ResolvedParam{Name: "x", Targets: []string{"a", "b"}}, "a, b"},
		{ResolvedParam{Name: "x", Targets: []string{"a", "b", "c"},
			Ties: []ResolvedTie{{Path: "b", Targets: []string{"b"}, Times: 0.5}, {Path: "c", Targets: []string{"c"}, Times: 1}}}, "a, b = 0.5 × x, c"},
		{ResolvedParam{Name: "x", Targets: []string{"a", "b", "c"},
			Ties: []ResolvedTie{{Path: "*", Targets: []string{"b", "c"}, Times: -2, Plus: -0.5}}}, "a, b = -2 × x - 0.5, c = -2 × x - 0.5"},
		{ResolvedParam{Name: "x", Targets: []string{"a", "b"}, Ties: []ResolvedTie{{Path: "b", Targets: []string{"b"}, Times: 1, Plus: 3}}}, "a, b = x + 3"},
		{ResolvedParam{Name: "f", Targets: []string{"a", "b"}, TimesBase: true, BaseValues: []float64{1e11, 2.5}}, "a = 1e+11 × f, b = 2.5 × f"},
		{ResolvedParam{Name: "f", Targets: []string{"a", "b"}, TimesBase: true, BaseValues: []float64{3, 2},
			Ties: []ResolvedTie{{Path: "b", Targets: []string{"b"}, Times: 1.1, Plus: 0.1}}}, "a = 3 × f, b = 2 × (1.1 × f + 0.1)"},
		{ResolvedParam{Name: "f", Targets: []string{"a", "b", "c", "d", "e"}, TimesBase: true, BaseValues: []float64{1, 2, 3, 4, 5}},
			"a = 1 × f, b = 2 × f, ..., d = 4 × f, e = 5 × f (5 fields)"},
	} {
		if got := Fields(c.p); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
}

// parseTieCase parses a sweep file of head (tieHead if empty) and src. With
// wantErr it checks that parsing fails with exactly that error and returns
// nil; otherwise it returns the sweep.
func parseTieCase(t *testing.T, head, src, wantErr string) *Sweep {
	t.Helper()
	if head == "" {
		head = tieHead
	}
	sw, err := Parse("s.yaml", []byte(head+src))
	if wantErr != "" {
		if err == nil || err.Error() != wantErr {
			t.Errorf("got  %v\nwant %s", err, wantErr)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return sw
}
