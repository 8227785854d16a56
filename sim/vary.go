package sim

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/cascade-sim/cascade/core"
)

// SetField sets the number at a dotted path of yaml field names inside the
// struct v points to ("carry_exit", "trades.0.leverage", "holdings.UST10Y").
// Population draws and sweeps use it; it fails on unknown names, indices out
// of range and non-numeric targets.
func SetField(v any, path string, x float64) error {
	return walkSet(v, path, "SetField", leaf{x: x})
}

// SetText sets the text field at a dotted path, as SetField sets a number
// (a sweep's levels: "liquidation", "conventions.execution"). It fails on
// unknown names, indices out of range and fields that are not text.
func SetText(v any, path, s string) error {
	return walkSet(v, path, "SetText", leaf{s: s, text: true})
}

// GetField returns the number at a dotted path of yaml field names inside
// the struct v points to, as SetField names it: a whole number or a flag
// (1 for true) as a float64. It reads without changing v (a map key that
// is not there is an error, not a new entry), and fails where SetField
// would, or on a nil pointer along the path.
func GetField(v any, path string) (float64, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return 0, fmt.Errorf("GetField needs a non-nil pointer")
	}
	return getPath(rv.Elem(), strings.Split(path, "."), path)
}

func getPath(v reflect.Value, parts []string, full string) (float64, error) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return 0, fmt.Errorf("%s: nothing is set there", full)
		}
		v = v.Elem()
	}
	if len(parts) == 0 {
		switch v.Kind() {
		case reflect.Float64, reflect.Float32:
			return v.Float(), nil
		case reflect.Int, reflect.Int64, reflect.Int32:
			return float64(v.Int()), nil
		case reflect.Uint64, reflect.Uint32, reflect.Uint:
			return float64(v.Uint()), nil
		case reflect.Bool:
			if v.Bool() {
				return 1, nil
			}
			return 0, nil
		}
		return 0, fmt.Errorf("%s is not a number (it is a %s)", full, v.Kind())
	}
	p := parts[0]
	switch v.Kind() {
	case reflect.Struct:
		f, ok := FieldByTag(v, p)
		if !ok {
			return 0, fmt.Errorf("%s: unknown field %q", full, p)
		}
		return getPath(f, parts[1:], full)
	case reflect.Slice:
		k, err := strconv.Atoi(p)
		if err != nil || k < 0 || k >= v.Len() {
			return 0, fmt.Errorf("%s: index %q out of range (length %d)", full, p, v.Len())
		}
		return getPath(v.Index(k), parts[1:], full)
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return 0, fmt.Errorf("%s: map keys are not names", full)
		}
		n := keyParts(v, parts)
		e := v.MapIndex(reflect.ValueOf(strings.Join(parts[:n], ".")).Convert(v.Type().Key()))
		if !e.IsValid() {
			return 0, fmt.Errorf("%s: no key %q", full, strings.Join(parts[:n], "."))
		}
		return getPath(e, parts[n:], full)
	}
	return 0, fmt.Errorf("%s: cannot descend into %q", full, p)
}

// leaf is the value SetField or SetText puts at the end of the path (a
// value, not a closure: population draws set fields at every build).
type leaf struct {
	x    float64
	s    string
	text bool
}

func (l leaf) set(v reflect.Value, full string) error {
	if !l.text {
		return setNumber(v, l.x, full)
	}
	if v.Kind() != reflect.String {
		return fmt.Errorf("%s is not text (it is a %s)", full, v.Kind())
	}
	v.SetString(l.s)
	return nil
}

func walkSet(v any, path, fn string, l leaf) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("%s needs a non-nil pointer", fn)
	}
	return setPath(rv.Elem(), strings.Split(path, "."), l, path)
}

func setNumber(v reflect.Value, x float64, full string) error {
	switch v.Kind() {
	case reflect.Float64, reflect.Float32:
		v.SetFloat(x)
	case reflect.Int, reflect.Int64, reflect.Int32:
		if x != float64(int64(x)) {
			return fmt.Errorf("%s: %v is not a whole number", full, x)
		}
		v.SetInt(int64(x))
	case reflect.Uint64, reflect.Uint32, reflect.Uint:
		if x < 0 || x != float64(uint64(x)) {
			return fmt.Errorf("%s: %v is not a non-negative whole number", full, x)
		}
		v.SetUint(uint64(x))
	case reflect.Bool:
		v.SetBool(x != 0)
	default:
		return fmt.Errorf("%s is not a number (it is a %s)", full, v.Kind())
	}
	return nil
}

func setPath(v reflect.Value, parts []string, l leaf, full string) error {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	if len(parts) == 0 {
		return l.set(v, full)
	}
	p := parts[0]
	switch v.Kind() {
	case reflect.Struct:
		f, ok := FieldByTag(v, p)
		if !ok {
			return fmt.Errorf("%s: unknown field %q%s", full, p, core.DidYouMean(p, YAMLNames(v.Type())))
		}
		return setPath(f, parts[1:], l, full)
	case reflect.Slice:
		k, err := strconv.Atoi(p)
		if err != nil || k < 0 || k >= v.Len() {
			return fmt.Errorf("%s: index %q out of range (length %d)", full, p, v.Len())
		}
		return setPath(v.Index(k), parts[1:], l, full)
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("%s: map keys are not names", full)
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		n := keyParts(v, parts)
		key := reflect.ValueOf(strings.Join(parts[:n], ".")).Convert(v.Type().Key())
		e := reflect.New(v.Type().Elem()).Elem()
		if old := v.MapIndex(key); old.IsValid() {
			e.Set(old)
		}
		if err := setPath(e, parts[n:], l, full); err != nil {
			return err
		}
		v.SetMapIndex(key, e)
		return nil
	}
	return fmt.Errorf("%s: cannot descend into %q", full, p)
}

// keyParts returns how many of parts name a key of map v: keys may hold
// dots (an asset BRK.B in holdings.BRK.B). It is the most parts that join
// to a key v has; else, for a map of plain values (numbers, text) that
// has no key parts[0], all of them, since nothing can follow the key (a
// new key BRK.B); else one.
func keyParts(v reflect.Value, parts []string) int {
	for n := len(parts); n > 0; n-- {
		if v.MapIndex(reflect.ValueOf(strings.Join(parts[:n], ".")).Convert(v.Type().Key())).IsValid() {
			return n
		}
	}
	switch v.Type().Elem().Kind() {
	case reflect.Struct, reflect.Map, reflect.Slice, reflect.Pointer, reflect.Interface:
		return 1
	}
	return len(parts)
}

// FieldByTag returns the field of struct v whose yaml name is name.
func FieldByTag(v reflect.Value, name string) (reflect.Value, bool) {
	k := tagKey{v.Type(), name}
	i, ok := fieldIndex.Load(k)
	if !ok {
		i = fieldByTag(k.t, name)
		fieldIndex.Store(k, i)
	}
	if i.(int) < 0 {
		return reflect.Value{}, false
	}
	return v.Field(i.(int)), true
}

// fieldIndex caches FieldByTag's answers: every agent a population draw
// varies, in every run of a sweep, looks its fields up again.
var fieldIndex sync.Map // tagKey → int (-1: no such field)

type tagKey struct {
	t    reflect.Type
	name string
}

func fieldByTag(t reflect.Type, name string) int {
	for i := 0; i < t.NumField(); i++ {
		if n, ok := YAMLName(t.Field(i)); ok && n == name {
			return i
		}
	}
	return -1
}

// YAMLNames lists the names a scenario file gives the fields of struct
// type t, in their order.
func YAMLNames(t reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumField(); i++ {
		if n, ok := YAMLName(t.Field(i)); ok {
			names = append(names, n)
		}
	}
	return names
}

// YAMLName returns the name a scenario file gives struct field f, and
// false for fields files cannot set (unexported, or tagged "-").
func YAMLName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
	switch tag {
	case "-":
		return "", false
	case "":
		return strings.ToLower(f.Name), true
	}
	return tag, true
}

// deepCopy returns a copy of the value x points to that shares no slices,
// maps or pointers with it. x is a pointer, or an interface holding one (a
// custom agent's spec): the copy has its dynamic type.
func deepCopy[P any](x P) P {
	v := reflect.ValueOf(x)
	c := reflect.New(v.Type().Elem())
	copyInto(c.Elem(), v.Elem())
	return c.Interface().(P)
}

func copyInto(dst, src reflect.Value) {
	if flat(src.Type()) {
		dst.Set(src)
		return
	}
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		n := reflect.New(src.Type().Elem())
		copyInto(n.Elem(), src.Elem())
		dst.Set(n)
	case reflect.Struct:
		dst.Set(src) // unexported fields (time.Time) by value
		for i := 0; i < src.NumField(); i++ {
			if dst.Field(i).CanSet() {
				copyInto(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		n := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			copyInto(n.Index(i), src.Index(i))
		}
		dst.Set(n)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		n := reflect.MakeMapWithSize(src.Type(), src.Len())
		it := src.MapRange()
		for it.Next() {
			e := reflect.New(src.Type().Elem()).Elem()
			copyInto(e, it.Value())
			n.SetMapIndex(it.Key(), e)
		}
		dst.Set(n)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		e := reflect.New(src.Elem().Type()).Elem()
		copyInto(e, src.Elem())
		dst.Set(e)
	default:
		dst.Set(src)
	}
}

// flat reports whether values of type t hold no pointers, slices, maps,
// interfaces, channels or functions (strings are immutable), so that
// assignment copies them deeply. Answers are cached per type.
func flat(t reflect.Type) bool {
	if f, ok := flatTypes.Load(t); ok {
		return f.(bool)
	}
	f := true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		f = false
	case reflect.Array:
		f = flat(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if !flat(t.Field(i).Type) {
				f = false
				break
			}
		}
	}
	flatTypes.Store(t, f)
	return f
}

var flatTypes sync.Map // reflect.Type → bool

// Clone returns a deep copy of the configuration that shares no slices,
// maps or pointers with it, so that a run (a sweep's, say) may change its
// copy freely.
func (c *Config) Clone() *Config { return deepCopy(c) }
