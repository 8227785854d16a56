package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cascade-sim/cascade/sim"
	"go.yaml.in/yaml/v3"
)

// decoder fills Go values from YAML node trees, collecting every problem
// with its position and field path instead of stopping at the first.
type decoder struct {
	src   map[*yaml.Node]string // source file of every node
	probs Problems
	at    map[string]Pos // field path → position of its value
	// agents counts the agents of the entries decoded so far (a
	// population's count, or 1), against MaxAgents; over is set once
	// that is reported.
	agents int
	over   bool
}

func newDecoder(src map[*yaml.Node]string) *decoder {
	return &decoder{src: src, at: map[string]Pos{}}
}

func (d *decoder) pos(n *yaml.Node) Pos {
	return Pos{File: d.src[n], Line: n.Line, Col: n.Column}
}

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.probs = append(d.probs, Problem{Pos: d.pos(n), Path: path, Msg: fmt.Sprintf(format, args...)})
}

var (
	timeType     = reflect.TypeOf(time.Time{})
	durationType = reflect.TypeOf(time.Duration(0))
	agentType    = reflect.TypeOf(sim.AgentSpec{})
	rateType     = reflect.TypeOf(sim.RateSpec{})
)

// Number bounds: anything beyond is a mistake, not a parameter.
const (
	maxFloat = 1e15
	maxInt   = 1 << 31
)

// MaxAgents is the most agents a scenario holds, counting every member of
// every population. It is checked as the file is read, before validation
// names each member or a run builds one: a count of 100 million took
// validation minutes and 14 GB before it was refused.
const MaxAgents = 100_000

// field is one decodable struct field, found by its yaml name.
type field struct {
	name  string
	index []int
}

var fieldCache sync.Map // reflect.Type → []field

// fieldsOf lists a struct type's yaml fields, flattening inline structs.
func fieldsOf(t reflect.Type) []field {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]field)
	}
	var out []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("yaml")
		parts := strings.Split(tag, ",")
		if parts[0] == "-" {
			continue
		}
		inline := false
		for _, p := range parts[1:] {
			inline = inline || p == "inline"
		}
		if inline {
			for _, sub := range fieldsOf(sf.Type) {
				out = append(out, field{name: sub.name, index: append([]int{i}, sub.index...)})
			}
			continue
		}
		name := parts[0]
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		out = append(out, field{name: name, index: []int{i}})
	}
	fieldCache.Store(t, out)
	return out
}

func fieldNames(fs []field) []string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.name
	}
	return names
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// decode fills v from node n; path names the field in messages.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return
		}
		n = n.Content[0]
	}
	d.at[path] = d.pos(n)
	t := v.Type()
	switch {
	case t == timeType:
		d.decodeTime(n, v, path)
		return
	case t == durationType:
		d.decodeDuration(n, v, path)
		return
	case t == agentType:
		d.decodeAgent(n, v, path)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			v.Set(reflect.Zero(t))
			return
		}
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.decode(n, v.Elem(), path)
	case reflect.Struct:
		if f, ok := shorthand(v); ok && n.Kind == yaml.ScalarNode {
			// The scalar is that field; problems with it are the value's,
			// at path.
			d.decode(n, v.FieldByIndex(f.index), path)
			return
		}
		d.decodeStruct(n, v, path)
	case reflect.Map:
		d.decodeMap(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path, "want a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			d.fail(n, path, "want a string, got %s", describe(n))
			return
		}
		if n.Tag != "!!str" && n.Tag != "!!timestamp" { // a date is fine as text
			d.fail(n, path, "want a string, got %s (quote it if you mean the text)", describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.fail(n, path, "want true or false, got %s", describe(n))
			return
		}
		b, _ := strconv.ParseBool(strings.ToLower(n.Value))
		v.SetBool(b)
	case reflect.Float64, reflect.Float32:
		x, ok := d.number(n, path)
		if ok {
			v.SetFloat(x)
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		x, ok := d.number(n, path)
		if !ok {
			return
		}
		if x != math.Trunc(x) {
			d.fail(n, path, "want a whole number, got %s", n.Value)
			return
		}
		if math.Abs(x) > maxInt {
			d.fail(n, path, "%s is out of range (at most %d)", n.Value, int64(maxInt))
			return
		}
		v.SetInt(int64(x))
	case reflect.Uint64:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.fail(n, path, "want a non-negative whole number, got %s", describe(n))
			return
		}
		u, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
		if err != nil {
			d.fail(n, path, "%s is not a non-negative whole number below 2^64", n.Value)
			return
		}
		v.SetUint(u)
	default:
		d.fail(n, path, "cannot decode into %s", t)
	}
}

// Shorthand is a struct that a file may also write as a scalar, which
// then stands for the field ShorthandField names (its yaml name), the
// others keeping their zero values: a sweep parameter's also entry is a
// path or {path: ..., times: ..., plus: ...}. A problem with the scalar is
// reported at the struct's own path, and only the mapping form records a
// position for the field's path.
type Shorthand interface{ ShorthandField() string }

// shorthand returns the field a scalar stands for when struct v is a
// Shorthand.
func shorthand(v reflect.Value) (field, bool) {
	if !v.CanAddr() {
		return field{}, false
	}
	sh, ok := v.Addr().Interface().(Shorthand)
	if !ok {
		return field{}, false
	}
	return findField(fieldsOf(v.Type()), sh.ShorthandField())
}

// number parses a numeric scalar, rejecting NaN, infinities and absurd magnitudes.
func (d *decoder) number(n *yaml.Node, path string) (float64, bool) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		d.fail(n, path, "want a number, got %s", describe(n))
		return 0, false
	}
	s := strings.ReplaceAll(n.Value, "_", "")
	var x float64
	var err error
	if n.Tag == "!!int" {
		var i int64
		i, err = strconv.ParseInt(s, 0, 64)
		x = float64(i)
		if err != nil { // too large for int64
			x, err = strconv.ParseFloat(s, 64)
		}
	} else {
		x, err = strconv.ParseFloat(strings.TrimPrefix(strings.ToLower(s), "+"), 64)
		if err != nil {
			switch strings.ToLower(s) {
			case ".nan":
				x, err = math.NaN(), nil
			case ".inf", "+.inf":
				x, err = math.Inf(1), nil
			case "-.inf":
				x, err = math.Inf(-1), nil
			}
		}
	}
	switch {
	case err != nil:
		d.fail(n, path, "%s is not a number", n.Value)
		return 0, false
	case math.IsNaN(x):
		d.fail(n, path, "NaN is not allowed")
		return 0, false
	case math.IsInf(x, 0):
		d.fail(n, path, "infinity is not allowed")
		return 0, false
	case math.Abs(x) > maxFloat:
		d.fail(n, path, "%s is absurdly large (at most %g in magnitude)", n.Value, maxFloat)
		return 0, false
	}
	return x, true
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing (null)"
		case "!!str":
			return fmt.Sprintf("the text %q", n.Value)
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return n.Value
		}
		return n.Value
	}
	return "something else"
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping of fields, got %s", describe(n))
		return
	}
	fs := fieldsOf(v.Type())
	d.eachKey(n, path, func(k, val *yaml.Node, name string) {
		f, ok := findField(fs, name)
		if !ok {
			d.fail(k, join(path, name), "unknown field%s%s", unknownHint(v.Type(), name, fieldNames(fs)), commaHint(n, k, val))
			return
		}
		d.decode(val, v.FieldByIndex(f.index), join(path, name))
	})
	// A rate without expected expects no change: the policy rate (carry
	// is priced on the mean of the two, which an expected of 0 halved).
	if v.Type() == rateType && valueOf(n, "expected") == nil {
		v.FieldByName("Expected").Set(v.FieldByName("Policy"))
	}
}

// eachKey calls f for each key of mapping n and its value, in order; a key
// that stands twice is reported at its second place and skipped.
func (d *decoder) eachKey(n *yaml.Node, path string, f func(k, val *yaml.Node, name string)) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		name := k.Value
		if seen[name] {
			d.fail(k, join(path, name), "duplicate key")
			continue
		}
		seen[name] = true
		f(k, val, name)
	}
}

func findField(fs []field, name string) (field, bool) {
	for _, f := range fs {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping, got %s", describe(n))
		return
	}
	t := v.Type()
	if t.Key().Kind() != reflect.String {
		d.fail(n, path, "cannot decode a map keyed by %s", t.Key())
		return
	}
	m := reflect.MakeMapWithSize(t, len(n.Content)/2)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			d.fail(k, path, "keys must be names")
			continue
		}
		if seen[k.Value] {
			d.fail(k, join(path, k.Value), "duplicate key")
			continue
		}
		seen[k.Value] = true
		e := reflect.New(t.Elem()).Elem()
		d.decode(val, e, join(path, k.Value))
		m.SetMapIndex(reflect.ValueOf(k.Value).Convert(t.Key()), e)
	}
	v.Set(m)
}

// Time layouts accepted for timestamps (UTC unless a zone is given).
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"}

// ParseTime parses a scenario timestamp.
func ParseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a timestamp (want e.g. 2024-08-05T13:00:00Z or 2024-08-05)", s)
}

func (d *decoder) decodeTime(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!timestamp") {
		d.fail(n, path, "want a timestamp, got %s", describe(n))
		return
	}
	t, err := ParseTime(n.Value)
	if err != nil {
		d.fail(n, path, "%v", err)
		return
	}
	v.Set(reflect.ValueOf(t))
}

// SpanPattern is the form of a span, as the JSON schema states it: one or
// more parts, each a number and a unit (ns, us, µs, ms, s, m, h, d or w),
// which add up: 1h, 90m, 2.5d, 3w, 1d12h. ParseDuration reads exactly
// these (TestSpanPatternAgrees); it also refuses spans of more than about
// 292 years, which the pattern cannot say.
const SpanPattern = `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h|d|w))+$`

// spanUnits are the units of a span, each before any it begins with
// (ms before m and s).
var spanUnits = []struct {
	name string
	d    time.Duration
}{{"ns", time.Nanosecond}, {"us", time.Microsecond}, {"µs", time.Microsecond}, {"ms", time.Millisecond},
	{"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}, {"d", 24 * time.Hour}, {"w", 7 * 24 * time.Hour}}

// ParseDuration parses a span like 1h, 90m, 2.5d, 3w or 1d12h (SpanPattern).
// A part in days or weeks is its number times the unit; any other is read
// by time.ParseDuration; the parts add up.
func ParseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("%q is not a span (want e.g. 1h, 90m, 2d or 1d12h)", s)
	long := fmt.Errorf("%q is too long a span (at most about 292 years)", s)
	if s == "" {
		return 0, bad
	}
	digits := func(s string) int {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i
	}
	var total time.Duration
	for rest := s; rest != ""; {
		n := digits(rest)
		if n == 0 {
			return 0, bad
		}
		if n < len(rest) && rest[n] == '.' {
			f := digits(rest[n+1:])
			if f == 0 {
				return 0, bad
			}
			n += 1 + f
		}
		num := rest[:n]
		rest = rest[n:]
		unit := -1
		for k, u := range spanUnits {
			if strings.HasPrefix(rest, u.name) {
				unit = k
				break
			}
		}
		if unit < 0 {
			return 0, bad
		}
		u := spanUnits[unit]
		rest = rest[len(u.name):]
		var d time.Duration
		if u.d >= 24*time.Hour {
			x, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, bad
			}
			if x*float64(u.d) >= float64(math.MaxInt64) {
				return 0, long
			}
			d = time.Duration(x * float64(u.d))
		} else {
			var err error
			if d, err = time.ParseDuration(num + u.name); err != nil {
				return 0, long // the form is right: only its size can be wrong
			}
		}
		if total > math.MaxInt64-d {
			return 0, long
		}
		total += d
	}
	return total, nil
}

func (d *decoder) decodeDuration(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		d.fail(n, path, "want a span such as 1h or 2d, got %s", describe(n))
		return
	}
	x, err := ParseDuration(n.Value)
	if err != nil {
		d.fail(n, path, "%v", err)
		return
	}
	v.SetInt(int64(x))
}

// agentCommon are the keys every agent entry has besides its kind's parameters.
var agentCommon = []string{"kind", "count", "vary"}

// decodeAgent reads an agent entry: its kind first, then the common keys
// and the kind's parameters side by side.
func (d *decoder) decodeAgent(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want an agent (a mapping with a kind), got %s", describe(n))
		return
	}
	var kindNode *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "kind" {
			kindNode = n.Content[i+1]
		}
	}
	if kindNode == nil {
		d.fail(n, join(path, "kind"), "missing kind (want one of %s)", strings.Join(sim.KindNames(), ", "))
		return
	}
	if kindNode.Kind != yaml.ScalarNode || kindNode.Tag != "!!str" {
		d.fail(kindNode, join(path, "kind"), "want an agent kind, got %s", describe(kindNode))
		return
	}
	spec, params, err := sim.NewAgentSpec(kindNode.Value)
	if err != nil {
		kinds := sim.KindNames()
		mean, own := didYouMean(kindNode.Value, kinds), ""
		if mean == "" && kindNode.Value != "custom" {
			// Perhaps a kind of a program's own: only that program knows it.
			own = "; a kind a program registers (sim.Register) is known only to that program (docs/library.md)"
		}
		d.fail(kindNode, join(path, "kind"), "unknown agent kind %q%s (want one of %s)%s", kindNode.Value, mean, strings.Join(kinds, ", "), own)
		return
	}
	d.at[join(path, "kind")] = d.pos(kindNode)
	pv := reflect.ValueOf(params).Elem()
	pfs := fieldsOf(pv.Type())
	candidates := append(append([]string{}, agentCommon...), fieldNames(pfs)...)
	d.eachKey(n, path, func(k, val *yaml.Node, name string) {
		switch name {
		case "kind":
		case "count":
			var c int
			d.decode(val, reflect.ValueOf(&c).Elem(), join(path, name))
			spec.Count = c
			if c > MaxAgents {
				d.over = true
				d.fail(val, join(path, name), "%s agents in one population is too many: a scenario holds at most %s agents in all", Thousands(c), Thousands(MaxAgents))
			}
		case "vary":
			d.decode(val, reflect.ValueOf(&spec.Vary).Elem(), join(path, name))
		default:
			f, ok := findField(pfs, name)
			if !ok {
				d.fail(k, join(path, name), "unknown field for kind %s%s%s", kindNode.Value, agentHint(kindNode.Value, name, candidates), commaHint(n, k, val))
				return
			}
			d.decode(val, pv.FieldByIndex(f.index), join(path, name))
		}
	})
	d.countAgents(n, path, spec.Count)
	v.Set(reflect.ValueOf(*spec))
}

// countAgents adds an agent entry of count members (0 or less: one, or
// refused on its own) to the scenario's total, and refuses the entry that
// takes the total over MaxAgents, at its count (or the entry, without one).
func (d *decoder) countAgents(n *yaml.Node, path string, count int) {
	if d.over {
		return
	}
	before := d.agents
	d.agents += max(count, 1)
	if d.agents <= MaxAgents {
		return
	}
	d.over = true
	at, p := n, path
	if c := valueOf(n, "count"); c != nil {
		at, p = c, join(path, "count")
	}
	d.fail(at, p, "this entry brings the scenario to %s agents, more than it may hold (at most %s in all; the entries before it hold %s)",
		Thousands(d.agents), Thousands(MaxAgents), Thousands(before))
}

// Thousands writes n with commas between groups of three digits: 100,000.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
