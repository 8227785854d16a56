package sweep

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"go.yaml.in/yaml/v3"
)

// A parameter of variants takes, in each run, one of a list of named sets
// of overrides, applied to the base before the run's other parameters.
// Each combination of the sweep's parameters of variants is loaded and
// validated once, when the file is checked, and every run starts from a
// copy of its combination's configuration.

// MaxCombinations caps the combinations of a sweep's parameters of
// variants: each is a scenario loaded, validated and kept in memory.
const MaxCombinations = 256

// combo is one base the parameters are checked under and runs start from.
type combo struct {
	label string // "noise=student_t, impact=linear"; "" for the base alone
	at    string // the variant a problem of the combination is reported at
	sets  []string
	cfg   *sim.Config
	// labels are the events' labels as an override after sets addresses
	// them (scenarios.Scenario's EventLabels).
	labels []string
}

// under says which combination a problem arose under ("" for the base).
func (cb combo) under() string {
	if cb.label == "" {
		return ""
	}
	return " under " + cb.label
}

// variants checks a parameter of variants and gives q its levels (the
// variants' names), overrides and distribution; it reports whether they
// are sound.
func (c *checker) variants(at string, p *Parameter, q *Param) bool {
	ok := true
	for _, f := range []string{"path", "also", "times_base", "dist", "levels"} {
		if c.has(at + "." + f) {
			c.fail(at+"."+f, "a parameter of variants takes name, variants and weights, not %s: each variant's set gives the fields it changes", f)
			ok = false
		}
	}
	if p.Name == "" {
		c.fail(at+".name", "missing name: a parameter of variants needs one (its column in runs.csv)")
		ok = false
	}
	if len(p.Variants) == 0 {
		c.fail(at+".variants", "variants must list at least one variant ({name: ..., set: [path=value, ...]})")
		return false
	}
	seen := map[string]int{}
	q.Sets = make([][]string, len(p.Variants))
	q.Targets = []string{}
	for k, v := range p.Variants {
		vat := fmt.Sprintf("%s.variants[%d]", at, k)
		switch j, dup := seen[v.Name]; {
		case v.Name == "":
			c.fail(vat+".name", "missing name: each variant needs one (its value in runs.csv)")
			ok = false
		case dup:
			c.fail(vat+".name", "variant %q is given twice (also variants[%d])", v.Name, j)
			ok = false
		}
		seen[v.Name] = k
		for j, s := range v.Set {
			path, found := setPath(s)
			why, fixed := fixedFields[path]
			if path == "horizon" || path == "end" {
				why, fixed = fixedFields["ticks"], true
			}
			switch {
			case !found || path == "":
				c.fail(fmt.Sprintf("%s.set[%d]", vat, j), "want path.to.field=value, got %q", s)
				ok = false
			case fixed:
				c.fail(fmt.Sprintf("%s.set[%d]", vat, j), "a variant cannot set %s: %s", path, why)
				ok = false
			case !slices.Contains(q.Targets, path):
				q.Targets = append(q.Targets, path)
			}
		}
		q.Levels = append(q.Levels, v.Name)
		q.Sets[k] = append([]string{}, v.Set...)
	}
	q.Paths = []string{}
	return c.indexChoice(at, "variants", p.Weights, q) && ok
}

// setPath returns the field path of an override "path=value" and whether
// it has the "=".
func setPath(s string) (string, bool) {
	path, _, found := strings.Cut(s, "=")
	return strings.TrimSpace(path), found
}

// variantCombos loads the base under each combination of the parameters
// of variants (pre[i] for i in sw.vars), checks that each keeps what every
// run must share, and keeps their configurations in sw.bases. It returns
// the combinations, or nil after reporting a problem.
func (c *checker) variantCombos(sw *Sweep, pre []*Param) []combo {
	n := 1
	for _, i := range sw.vars {
		n *= len(pre[i].Levels)
		if n > MaxCombinations {
			c.fail("parameters", "the parameters of variants make more than %d combinations (each is a scenario checked and kept in memory); split the sweep", MaxCombinations)
			return nil
		}
	}
	base := &sw.Base.File.Config
	baseOff := base.Channels.Off
	nset := len(sw.File.Set)
	reported := map[string]bool{} // a bad variant fails every combination it is in: say so once
	once := func(at, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if !reported[at+"\x00"+msg] {
			reported[at+"\x00"+msg] = true
			c.fail(at, "%s", msg)
		}
	}
	type place struct{ param, variant, set int }
	var out []combo
	ok := true
	choice := make([]int, len(sw.vars))
	for k := 0; k < n; k++ {
		r := k
		for j := len(sw.vars) - 1; j >= 0; j-- { // mixed radix, the last parameter fastest
			m := len(pre[sw.vars[j]].Levels)
			choice[j], r = r%m, r/m
		}
		cb := combo{sets: slices.Clone(sw.File.Set)}
		var from []place // the variant set each override after the file's comes from
		var labels []string
		blame := -1 // the last parameter not at its first variant
		// The variants' channels.off lists add to the channels the base
		// (with the file's set) has off, in one override at the end, so
		// that every variant's switches hold together (composeOff).
		off := slices.Clone(baseOff)
		var offFrom []place // the variant override each entry of off past the base's comes from
		for j, i := range sw.vars {
			v := choice[j]
			for s, set := range pre[i].Sets[v] {
				if path, _ := setPath(set); path == channelsOff {
					names, _ := offOverride(set) // checked by offChecks
					for _, name := range names {
						if !slices.Contains(off, name) {
							off = append(off, name)
							offFrom = append(offFrom, place{i, v, s})
						}
					}
					continue
				}
				cb.sets = append(cb.sets, set)
				from = append(from, place{i, v, s})
			}
			labels = append(labels, pre[i].Name+"="+label(pre[i].Levels, float64(v)))
			if v != 0 {
				blame = j
			}
		}
		if blame < 0 {
			blame = 0
		}
		if len(offFrom) > 0 {
			cb.sets = append(cb.sets, offSet(off))
			from = append(from, offFrom[0])
		}
		cb.label = strings.Join(labels, ", ")
		cb.at = fmt.Sprintf("parameters[%d].variants[%d]", sw.vars[blame], choice[blame])
		sc, err := scenarios.Load(sw.BaseName, cb.sets)
		if err != nil {
			ok = false
			var ps scenarios.Problems
			located := false
			if errors.As(err, &ps) {
				for _, p := range ps {
					if s, isSet := setIndex(p.Pos.File); isSet && s >= nset && s-nset < len(from) {
						f := from[s-nset]
						var k int
						if _, err := fmt.Sscanf(p.Path, channelsOff+"[%d]", &k); err == nil && len(offFrom) > 0 && s == len(cb.sets)-1 && k >= len(baseOff) && k-len(baseOff) < len(offFrom) {
							f = offFrom[k-len(baseOff)] // the variant that added the entry
						}
						once(fmt.Sprintf("parameters[%d].variants[%d].set[%d]", f.param, f.variant, f.set), "%s", strings.TrimPrefix(p.String(), p.Pos.String()+": "))
						located = true
					}
				}
			}
			if !located {
				once(cb.at, "with %s the scenario is invalid: %s", cb.label, firstProblem(err))
			}
			continue
		}
		cfg := &sc.File.Config
		if why := sameFrame(base, cfg); why != "" {
			once(cb.at, "%s changes %s", cb.label, why)
			ok = false
			continue
		}
		if !reflect.DeepEqual(sc.File.Observed, sw.Base.File.Observed) {
			once(cb.at, "%s changes the observed list; a sweep scores every run against the base's", cb.label)
			ok = false
			continue
		}
		cb.cfg, cb.labels = cfg, sc.EventLabels
		out = append(out, cb)
	}
	if !ok {
		return nil
	}
	sw.bases = make([]*sim.Config, len(out))
	sw.comboSets = make([][]string, len(out))
	for k := range out {
		sw.bases[k] = out[k].cfg
		sw.comboSets[k] = out[k].sets
	}
	return out
}

// channelsOff is the one field whose overrides compose across variants
// rather than replace one another: a variant's channels.off=[...] switches
// the channels it lists off in addition to those the base (with the file's
// set) has off and to those the run's other variants switch off. A plain
// replacement would let the last variant's list switch back on what the
// base, the file's set or another parameter's variant switched off, and
// the run's labels would misstate its channels.
const channelsOff = "channels.off"

// offVariants reports whether a variant of the sweep sets channels.off.
func (sw *Sweep) offVariants() bool {
	for _, i := range sw.vars {
		for _, sets := range sw.Params[i].Sets {
			for _, s := range sets {
				if path, _ := setPath(s); path == channelsOff {
					return true
				}
			}
		}
	}
	return false
}

// offOverride reads the channel names of an override channels.off=[...].
func offOverride(set string) ([]string, error) {
	_, val, _ := strings.Cut(set, "=")
	var names []string
	if err := yaml.Unmarshal([]byte(val), &names); err != nil || names == nil && strings.TrimSpace(val) != "[]" {
		return nil, fmt.Errorf("want a list")
	}
	return names, nil
}

// offNames lists channels for a message.
func offNames(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// offSet writes the override that switches off the channels named.
func offSet(names []string) string {
	return channelsOff + "=[" + strings.Join(names, ", ") + "]"
}

// offChecks checks the variants' channels.off overrides (pre[i] for i in
// sw.vars) against the channels the base has off (with the file's set):
// a list to add to, not empty, and naming no channel the base already has
// off, since a variant can switch channels off but not on.
func (c *checker) offChecks(sw *Sweep, pre []*Param) bool {
	baseOff := sw.Base.File.Config.Channels.Off
	where := "the base scenario"
	for j := len(sw.File.Set) - 1; j >= 0; j-- {
		if path, _ := setPath(sw.File.Set[j]); path == channelsOff || path == "channels" {
			where = fmt.Sprintf("the file's set[%d]", j)
			break
		}
	}
	ok := true
	for _, i := range sw.vars {
		for k, sets := range pre[i].Sets {
			for j, s := range sets {
				path, _ := setPath(s)
				at := fmt.Sprintf("parameters[%d].variants[%d].set[%d]", i, k, j)
				if path != channelsOff {
					if path == "channels" || strings.HasPrefix(path, channelsOff+".") || strings.HasPrefix(path, channelsOff+"[") {
						c.fail(at, "a variant switches channels with channels.off=[name, ...], which adds to the channels the base has off; not with %s", path)
						ok = false
					}
					continue
				}
				names, err := offOverride(s)
				switch {
				case err != nil:
					c.fail(at, "channels.off takes a list of channels: write channels.off=[cross_margin] (or [cross_margin, valuation_links])")
					ok = false
					continue
				case len(names) == 0:
					c.fail(at, "channels.off=[] switches nothing off: a variant's channels.off adds to the channels the base has off (%s) and cannot switch one on; a variant that leaves the channels as the base has them sets nothing ({name: on})", offNames(baseOff))
					ok = false
					continue
				}
				for _, name := range names {
					if slices.Contains(baseOff, name) {
						c.fail(at, "%s is off in every run already (%s switches it off): a variant's channels.off adds to the channels the base has off and cannot switch one on; to compare %s on and off, leave it on in the base and switch it off in a variant", name, where, name)
						ok = false
					}
				}
			}
		}
	}
	return ok
}

// variantSeries checks that every combination of variants builds and
// reports the series the sweep records.
func (c *checker) variantSeries(series []string) {
	for _, cb := range c.combos {
		if cb.label == "" { // the base, checked already
			continue
		}
		names, err := seriesNames(cb.cfg)
		if err != nil {
			c.fail(cb.at, "with %s the scenario does not build: %v", cb.label, err)
			continue
		}
		for _, s := range series {
			if !slices.Contains(names, s) {
				c.fail(cb.at, "with %s the runs do not report series %q, which the sweep records", cb.label, s)
				break
			}
		}
	}
}

// sameFrame says what of the clock and the assets cfg changes from base
// ("" for nothing): every run of a sweep must cover the same ticks, for
// the bands, and have the same assets, which metrics and series name.
func sameFrame(base, cfg *sim.Config) string {
	switch {
	case !cfg.Start.Equal(base.Start) || cfg.Tick != base.Tick || cfg.Ticks != base.Ticks:
		return fmt.Sprintf("the clock (start %s, tick %s, %d ticks; the base: %s, %s, %d): every run must cover the same ticks for the bands",
			cfg.Start.UTC().Format("2006-01-02T15:04Z"), cfg.Tick, cfg.Ticks, base.Start.UTC().Format("2006-01-02T15:04Z"), base.Tick, base.Ticks)
	case !slices.Equal(assetIDs(cfg), assetIDs(base)):
		return fmt.Sprintf("the assets (%s; the base: %s): metrics and series name them", strings.Join(assetIDs(cfg), ", "), strings.Join(assetIDs(base), ", "))
	case cfg.Report.Headline != base.Report.Headline:
		return fmt.Sprintf("the headline asset (%q; the base: %q): headline_move_pct and amplification measure it", cfg.Report.Headline, base.Report.Headline)
	}
	return ""
}

func assetIDs(cfg *sim.Config) []string {
	ids := make([]string, len(cfg.Assets))
	for i, a := range cfg.Assets {
		ids[i] = a.ID
	}
	return ids
}

// sameTargets checks that a parameter's path names the same fields under
// every combination of the variants as in the base (ts).
func (c *checker) sameTargets(at, path string, ts []target) bool {
	for _, cb := range c.combos {
		if cb.label == "" { // the base itself
			continue
		}
		us, err := resolve(cb.cfg, cb.labels, path)
		if err != nil {
			c.fail(at, "under %s: %v", cb.label, err)
			return false
		}
		if !slices.Equal(targetNames(us), targetNames(ts)) {
			c.fail(at, "under %s, %s names other fields (%s) than in the base (%s): a parameter must name the same fields in every run",
				cb.label, path, FieldList(targetNames(us)), FieldList(targetNames(ts)))
			return false
		}
	}
	return true
}

func targetNames(ts []target) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.String()
	}
	return out
}

// overlaps refuses a variant's override of a field another parameter
// sweeps: the parameter's value would replace the variant's in every run.
func (c *checker) overlaps(sw *Sweep) {
	for _, v := range sw.vars {
		for k, sets := range sw.Params[v].Sets {
			for j, s := range sets {
				path, _ := setPath(s)
				var named []string // the fields the override names, when they are numbers or text
				if ts, err := resolve(&sw.Base.File.Config, sw.Base.EventLabels, path); err == nil {
					named = targetNames(ts)
				}
				for p, q := range sw.Params {
					if q.Sets != nil {
						continue
					}
					if hit := overlap(path, named, q); hit != "" {
						c.fail(fmt.Sprintf("parameters[%d].variants[%d].set[%d]", v, k, j),
							"%s is also swept by parameters[%d] (%s), whose value would replace the variant's in every run: vary it in one place", path, p, hit)
					}
				}
			}
		}
	}
}

// variantClashes refuses an override of a field that an earlier parameter
// of variants also sets (channels.off aside, whose lists add up): in a
// run that takes both variants the later override would replace the
// earlier, and the run's label for the earlier parameter would misstate
// what it ran with.
func (c *checker) variantClashes(sw *Sweep) {
	type over struct {
		at, path string
		named    []string
	}
	overs := make([][]over, len(sw.vars))
	for j, v := range sw.vars {
		for k, sets := range sw.Params[v].Sets {
			for n, s := range sets {
				path, _ := setPath(s)
				if path == channelsOff {
					continue
				}
				o := over{at: fmt.Sprintf("parameters[%d].variants[%d].set[%d]", v, k, n), path: path}
				if ts, err := resolve(&sw.Base.File.Config, sw.Base.EventLabels, path); err == nil {
					o.named = targetNames(ts)
				}
				overs[j] = append(overs[j], o)
			}
		}
	}
	for j := range overs {
		for _, o := range overs[j] {
		earlier:
			for e := 0; e < j; e++ {
				for _, p := range overs[e] {
					if hit := sameField(o.path, o.named, p.path, p.named); hit != "" {
						c.fail(o.at, "%s is also set by %s (%s): in a run that takes both variants the later override replaces the earlier, so the run would be labelled with a value it did not have; set each field in one parameter of variants (one variant per combination, e.g. {name: both, set: [...]})", o.path, p.at, hit)
						break earlier
					}
				}
			}
		}
	}
}

// sameField returns the field that overrides of a and b (naming the
// fields an and bn, when they resolved) both set, or "".
func sameField(a string, an []string, b string, bn []string) string {
	switch {
	case a == b || strings.HasPrefix(b, a+"."):
		return b
	case strings.HasPrefix(a, b+"."):
		return a
	}
	for _, x := range an {
		for _, y := range bn {
			switch {
			case x == y || strings.HasPrefix(y, x+"."):
				return y
			case strings.HasPrefix(x, y+"."):
				return x
			}
		}
	}
	return ""
}

// overlap returns the field of q that an override of path (naming the
// fields named, if it resolved) would also set, or "".
func overlap(path string, named []string, q Param) string {
	for _, p := range q.Paths {
		if p == path || strings.HasPrefix(p, path+".") {
			return p
		}
	}
	for _, t := range q.Targets {
		for _, n := range named {
			if t == n || strings.HasPrefix(t, n+".") {
				return t
			}
		}
	}
	return ""
}

// baseConfig returns the configuration run values start from: the base's,
// or that of the combination of variants the values choose.
func (sw *Sweep) baseConfig(values []float64) *sim.Config {
	if sw.bases == nil {
		return &sw.Base.File.Config
	}
	return sw.bases[sw.combo(values)]
}

// combo returns the index of the combination of variants the values choose.
func (sw *Sweep) combo(values []float64) int {
	k := 0
	for _, i := range sw.vars {
		k = k*len(sw.Params[i].Levels) + int(values[i])
	}
	return k
}
