package scenarios

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/cascade-sim/cascade/sim"
)

// Scenario is a loaded, resolved and validated scenario.
type Scenario struct {
	Name   string // the name it was loaded by (built-in name or path)
	Origin string // the file it came from ("builtin:NAME" for built-ins)
	File   *File  // resolved: ticks computed, event timestamps turned into ticks
	// Resolved is the merged YAML (after extends and --set), for manifests.
	Resolved []byte
	// Sources are the files read, in order: the scenario's own, then each
	// it extends.
	Sources []Source
	// EventLabels are the events' labels (an event's kind when it has
	// none) as a further override addresses them (events[LABEL]): after
	// the overrides it was loaded with, before the loader marks what they
	// edited "(edited: ...)". A sweep's parameter paths read them, so that
	// a path the sweep takes is one its runs' cascade run --set takes.
	EventLabels []string
}

// Source is one file a scenario was read from and the SHA-256 of its
// bytes (hex): a reader of a manifest can tell whether the file of that
// name they hold is the one that was run.
type Source struct {
	Origin string `json:"origin"` // file or builtin:NAME
	SHA256 string `json:"sha256"`
}

// Load reads a scenario by path or built-in name, applies --set overrides
// (each "path.to.field=value") and validates it. Invalid input returns
// Problems listing everything wrong.
func Load(name string, sets []string) (*Scenario, error) {
	return LoadOverrides(name, Overrides{Flag: "--set", Sets: sets})
}

// Overrides are --set overrides given under one flag, which problems
// name with the override's place among them: "--set-b #2:1:15: ...".
type Overrides struct {
	Flag string
	Sets []string
}

// LoadOverrides is Load with overrides from several flags, applied in
// order (a later one wins).
func LoadOverrides(name string, groups ...Overrides) (*Scenario, error) {
	l := &loader{src: map[*yaml.Node]string{}}
	root, origin, err := l.read(name, "", nil)
	if err != nil {
		return nil, err
	}
	events0 := valueOf(root, "events")
	var sets []override
	for _, g := range groups {
		for k, s := range g.Sets {
			l.set(root, g.Flag, k, s)
			path, value, _ := strings.Cut(s, "=")
			sets = append(sets, override{strings.TrimSpace(path), strings.TrimSpace(value)})
		}
	}
	if len(l.probs) > 0 {
		return nil, l.probs.Sorted()
	}
	var labels []string
	if evs := valueOf(root, "events"); evs != nil && evs.Kind == yaml.SequenceNode {
		labels = eventLabels(evs)
	}
	l.editLabels(root, events0, sets)
	d := newDecoder(l.src)
	f := &File{}
	d.decode(root, reflectValue(f), "")
	if len(d.probs) > 0 {
		return nil, l.asAppended(root, l.asReplaced(d.probs)).Sorted()
	}
	v := &validator{d: d, f: f, root: root, origin: origin}
	v.zeros("", reflectValue(f)) // before resolve fills in the tick
	v.resolve()
	v.validate()
	if len(d.probs) > 0 {
		return nil, l.asAppended(root, l.asReplaced(d.probs)).Sorted()
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return &Scenario{Name: name, Origin: origin, File: f, Resolved: buf.Bytes(), Sources: l.sources, EventLabels: labels}, nil
}

type loader struct {
	src   map[*yaml.Node]string
	probs Problems
	// sources are the files read so far, with their hashes.
	sources []Source
	// lead is the column before the path of the --set being applied (the
	// blanks before it): a key the override adds is placed at its
	// segment's column.
	lead int
	// appended holds each entry a file appends with a key ending in +
	// (events+), by its node: where in its file's list it stands
	// ("events+[1]"), for problems to name it as the file has it.
	appended map[*yaml.Node]string
	// replaced holds each list of entries with ids that a file gives
	// outright (brokers:) over its base's list, in the order met: a
	// problem in the base that names an id the new list left out is the
	// replacement's doing (asReplaced).
	replaced []replacedList
}

// replacedList is a list of entries with ids that a file replaced: key is
// the file's key node (brokers:), base the base's list's ids, kept the
// new list's, and from the base's file.
type replacedList struct {
	key        *yaml.Node
	name, from string
	base, kept []string
}

// read loads one source and, recursively, what it extends; chain holds the
// sources being read, to catch cycles. It returns the merged root node.
func (l *loader) read(name, from string, chain []string) (*yaml.Node, string, error) {
	data, origin, err := source(name, from)
	if err != nil {
		var ps Problems
		if from == "" && !errors.As(err, &ps) {
			return nil, "", Problems{{Pos: Pos{File: name}, Msg: err.Error()}}
		}
		return nil, "", err
	}
	for _, c := range chain {
		if c == origin {
			// Reported by the file whose extends closes the cycle, at
			// that field.
			return nil, "", fmt.Errorf("cyclic extends: %s -> %s", strings.Join(chain, " -> "), origin)
		}
	}
	chain = append(chain, origin)
	sum := sha256.Sum256(data)
	l.sources = append(l.sources, Source{Origin: origin, SHA256: hex.EncodeToString(sum[:])})
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, "", Problems{{Pos: Pos{File: origin, Line: 1, Col: 1}, Msg: "empty scenario file"}}
	}
	var doc yaml.Node
	if p := parseOne(origin, data, &doc); p != nil {
		return nil, "", Problems{*p}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, "", Problems{{Pos: Pos{File: origin, Line: 1, Col: 1}, Msg: "empty scenario file"}}
	}
	root := doc.Content[0]
	l.mark(root, origin)
	if dups := duplicates(root, origin, ""); len(dups) > 0 {
		return nil, "", dups
	}
	if err := expandMerges(root, origin); err != nil {
		return nil, "", Problems{*err}
	}
	if root.Kind != yaml.MappingNode {
		return nil, "", Problems{{Pos: Pos{File: origin, Line: root.Line, Col: root.Column}, Msg: "a scenario must be a mapping of fields (name:, assets:, agents: ...)"}}
	}
	ext := valueOf(root, "extends")
	if ext == nil {
		// Nothing to append to: agents+ is the list itself.
		return l.plain(root, ""), origin, nil
	}
	if ext.Kind != yaml.ScalarNode || ext.Tag != "!!str" || ext.Value == "" {
		return nil, "", Problems{{Pos: Pos{File: origin, Line: ext.Line, Col: ext.Column}, Path: "extends", Msg: "want the path or name of the scenario to extend"}}
	}
	base, _, err := l.read(ext.Value, origin, chain)
	if err != nil {
		var ps Problems
		if errors.As(err, &ps) {
			return nil, "", err
		}
		return nil, "", Problems{{Pos: Pos{File: origin, Line: ext.Line, Col: ext.Column}, Path: "extends", Msg: err.Error()}}
	}
	merged := l.merge(l.dropAlternatives(base, root), root, "")
	deleteKey(merged, "extends")
	if from == "" {
		l.nameExtension(merged, root, origin)
	}
	return merged, origin, nil
}

// nameExtension names a scenario file that extends another after itself,
// so that its outputs are not taken for the base's: merged is the merged
// scenario, own the file's own fields. Without a name: of its own, the
// scenario is named after the file's stem (wknofund.yaml extending
// aug2024 runs as wknofund, into out/wknofund); without a description: of
// its own, the base's description is kept and marked "Extended by
// wknofund.yaml." A file that gives either keeps what it gives. Only the
// file named on the command line is renamed: a chain of files is named
// after its last.
func (l *loader) nameExtension(merged, own *yaml.Node, origin string) {
	if strings.HasPrefix(origin, "builtin:") {
		return
	}
	file := filepath.Base(origin)
	if valueOf(own, "name") == nil {
		if n := valueOf(merged, "name"); n != nil && n.Kind == yaml.ScalarNode {
			stem := strings.TrimSuffix(file, filepath.Ext(file))
			if NameProblem(stem) == "" && stem != "" {
				l.replace(merged, "name", l.scalar(n, stem))
			}
		}
	}
	if valueOf(own, "description") == nil {
		if d := valueOf(merged, "description"); d != nil && d.Kind == yaml.ScalarNode && strings.TrimSpace(d.Value) != "" {
			text := strings.TrimSpace(d.Value)
			if strings.HasSuffix(text, ".") {
				text += " Extended by " + file + "."
			} else {
				text += " (extended by " + file + ")"
			}
			l.replace(merged, "description", l.scalar(d, text))
		}
	}
}

// source returns the bytes of a scenario named by path or built-in name;
// from is the file whose extends names it ("" for the command line).
//
// In extends, a path (a value with a / or ending in .yaml or .yml) is a
// file, relative to the directory of the file that extends it (or
// absolute), and must exist: it never falls back to a built-in of the same
// name. A bare name (aug2024) is a file of that name beside the extending
// file if there is one, else a built-in. A built-in's extends names a
// built-in: no file, in the working directory or anywhere, takes its
// place. On the command line, a name is a file relative to the working
// directory, else a built-in.
func source(name, from string) ([]byte, string, error) {
	if strings.HasPrefix(from, "builtin:") {
		if data, ok := Builtin(name); ok {
			return data, "builtin:" + name, nil
		}
		return nil, "", fmt.Errorf("no built-in scenario %q%s", name, DidYouMean(name, BuiltinNames()))
	}
	p := name
	if from != "" && !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(from), p)
	}
	if from != "" && isPath(name) {
		data, err := os.ReadFile(p)
		switch {
		case err == nil:
			return manifestOr(data, p)
		case !errors.Is(err, os.ErrNotExist):
			return nil, "", fmt.Errorf("reading %s: %w", p, err)
		}
		msg := noFile(name, p)
		if base, ok := builtinFileName(name); ok {
			msg += fmt.Sprintf("; to extend the built-in scenario %s, write extends: %s", base, base)
		}
		return nil, "", errors.New(msg)
	}
	// A directory of that name (a run's outputs written with --out aug2024)
	// does not hide the built-in.
	dir := false
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		dir = true
	} else if data, err := os.ReadFile(p); err == nil {
		return manifestOr(data, p)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, "", fmt.Errorf("reading %s: %w", p, err)
	}
	// A file's name that is not there (mini.yaml) is never a built-in's:
	// a mistyped path to an edited copy would silently replay the
	// original. The error names the built-in.
	if base, ok := builtinFileName(name); ok && !dir {
		return nil, "", fmt.Errorf("no scenario file %q; the built-in scenario is named %s", name, base)
	}
	if data, ok := Builtin(name); ok {
		return data, "builtin:" + name, nil
	}
	names := BuiltinNames()
	hint := DidYouMean(strings.TrimSuffix(name, ".yaml"), names)
	man := filepath.Join(p, "manifest.json")
	if h, ok := readSweepHead(man); ok && dir {
		return nil, "", fmt.Errorf("%s is a sweep's output directory, not a scenario file, and there is no built-in scenario of that name%s; %s", p, hint, h.instead(man))
	}
	switch {
	case dir && isFile(man):
		return nil, "", fmt.Errorf("%s is an output directory, not a scenario file, and there is no built-in scenario of that name%s; to run a run's scenario again, name its manifest: %s", p, hint, man)
	case dir:
		return nil, "", fmt.Errorf("%s is a directory, not a scenario file, and there is no built-in scenario of that name%s (built-ins: %s)", p, hint, builtinList(names))
	case strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator):
		// A path, not a name: the built-ins are beside the point.
		return nil, "", errors.New(noFile(name, p))
	}
	return nil, "", fmt.Errorf("no scenario file %q and no built-in scenario of that name%s (built-ins: %s)", name, hint, builtinList(names))
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// RunManifestSchema is the schema of a run's manifest.json (what
// output.RunKind writes). Such a file names the scenario it ran, resolved
// (after extends, --set and --seed): wherever a scenario is read, a run's
// manifest stands for that scenario.
const RunManifestSchema = "cascade.manifest/v1"

// SweepManifestSchema is the schema of a sweep's manifest.json
// (sweep.ManifestSchema), which records a sweep, not a scenario: given
// for a scenario, it is refused with what to give instead.
const SweepManifestSchema = "cascade.sweep/v1"

// sweepHead is what a sweep's manifest says of the sweep that tells what
// to give instead of it.
type sweepHead struct {
	SweepFile string `json:"sweep_file"`
	Base      struct {
		Name string `json:"name"`
	} `json:"base"`
}

// instead says, for a sweep's manifest at p, what to give instead: the
// sweep file to cascade sweep, or its base scenario for a scenario.
func (h *sweepHead) instead(p string) string {
	msg := "to make the sweep again, give cascade sweep its sweep file"
	if h.SweepFile != "" {
		msg += ", " + h.SweepFile
	}
	msg += fmt.Sprintf(" (its text is recorded in the sweep_source of %s)", p)
	if h.Base.Name != "" {
		msg += "; to run its base scenario, name that: " + h.Base.Name
	}
	return msg
}

// readSweepHead reads the manifest at p if it is a sweep's.
func readSweepHead(p string) (*sweepHead, bool) {
	data, err := os.ReadFile(p)
	if err != nil || !LooksJSON(p, data) {
		return nil, false
	}
	var m struct {
		Schema string `json:"schema"`
		sweepHead
	}
	if json.Unmarshal(data, &m) != nil || m.Schema != SweepManifestSchema {
		return nil, false
	}
	return &m.sweepHead, true
}

// manifestOr returns the scenario in data, read from the file at p: data
// itself, or, when p is a run's manifest.json, the scenario it records,
// whose origin is "p#resolved_scenario" (so that a problem's line and
// column are read in that field's text, and a relative extends from p's
// directory). A file that is JSON (LooksJSON) but not valid JSON is
// reported as such, at the line and column of the error.
func manifestOr(data []byte, p string) ([]byte, string, error) {
	if !LooksJSON(p, data) {
		return data, p, nil
	}
	var m struct {
		Schema   string  `json:"schema"`
		Resolved *string `json:"resolved_scenario"`
		sweepHead
	}
	if err := json.Unmarshal(data, &m); err != nil {
		if _, ok := err.(*json.SyntaxError); !ok && !jsonManifest.Match(data) {
			return data, p, nil // not a manifest: read as YAML, which reports what is wrong
		}
		return nil, "", Problems{JSONProblem(p, data, err)}
	}
	switch {
	case m.Schema == "":
		return data, p, nil // not a manifest: read as YAML, which reports what is wrong
	case m.Schema == SweepManifestSchema:
		return nil, "", fmt.Errorf("%s is not a run's manifest (schema %q) but a sweep's: %s", p, m.Schema, m.sweepHead.instead(p))
	case m.Schema != RunManifestSchema:
		return nil, "", fmt.Errorf("%s is not a run's manifest (schema %q): a scenario, or a run's manifest.json, was wanted", p, m.Schema)
	case m.Resolved == nil || strings.TrimSpace(*m.Resolved) == "":
		return nil, "", fmt.Errorf("%s records no resolved_scenario to run", p)
	}
	return []byte(*m.Resolved), p + "#resolved_scenario", nil
}

// jsonManifest is how a manifest.json begins: an object whose first key is
// its schema, as cascade writes both kinds.
var jsonManifest = regexp.MustCompile(`^\s*\{\s*"schema"\s*:`)

// LooksJSON reports whether data, read from the file at p, is meant as
// JSON (a manifest.json, or a copy of one under another name) rather than
// YAML: its name ends in .json and it begins with "{", or it begins as a
// manifest does, with {"schema":. Such a file's syntax errors are JSON's
// (JSONProblem), not YAML's, which JSON's mistakes (a comma too many)
// confuse.
func LooksJSON(p string, data []byte) bool {
	return strings.HasSuffix(p, ".json") && bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) || jsonManifest.Match(data)
}

// JSONProblem turns an error of encoding/json decoding data, read from
// file, into a positioned problem: a syntax error at the character that
// broke it (or after the last one, for a file that ends too soon), a
// value of the wrong type at the end of that value. The column counts
// characters, as a YAML problem's does.
func JSONProblem(file string, data []byte, err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "json: ")
	off := int64(-1)
	switch e := err.(type) {
	case *json.SyntaxError:
		msg, off = "not valid JSON: "+msg, e.Offset-1 // the offset is past the character
		if msg == "not valid JSON: unexpected end of JSON input" {
			off = int64(len(bytes.TrimRight(data, " \t\r\n")))
		}
	case *json.UnmarshalTypeError:
		if e.Field != "" {
			msg = fmt.Sprintf("%s: want a JSON %s, got %s", e.Field, e.Type, e.Value)
		}
		off = e.Offset - 1
	}
	if off < 0 || off > int64(len(data)) {
		return Problem{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: msg}
	}
	before := data[:off]
	start := bytes.LastIndexByte(before, '\n') + 1
	return Problem{Pos: Pos{File: file, Line: bytes.Count(before, []byte("\n")) + 1, Col: utf8.RuneCount(before[start:]) + 1}, Msg: msg}
}

// noFile says that the file name (resolved to path p) is not there,
// naming p only when it is another file than name would be read as from
// the working directory (name relative to the including file's directory).
func noFile(name, p string) string {
	if filepath.Clean(name) == p {
		return fmt.Sprintf("no scenario file %q", name)
	}
	return fmt.Sprintf("no scenario file %q (%s)", name, p)
}

// builtinFileName reports whether name is a built-in's name with a YAML
// file's extension and no directory (mini.yaml), and returns the built-in's
// name: what a missing file of that name is likely to have meant.
func builtinFileName(name string) (string, bool) {
	base := strings.TrimSuffix(strings.TrimSuffix(name, ".yaml"), ".yml")
	if base == name || strings.ContainsRune(base, '/') || strings.ContainsRune(base, filepath.Separator) {
		return "", false
	}
	_, ok := Builtin(base)
	return base, ok
}

// isPath reports whether extends value name is a file's path rather than
// a bare name: it has a directory separator, or a YAML file's extension.
func isPath(name string) bool {
	return strings.ContainsRune(name, '/') || strings.ContainsRune(name, filepath.Separator) ||
		strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// builtinList names the built-ins for an error message, a family of more
// than four that share a first part (the 24 boj2026-* what-ifs) as one
// entry: the message stays readable, and cascade scenarios lists them all.
func builtinList(names []string) string {
	family := map[string]int{}
	for _, n := range names {
		if head, _, ok := strings.Cut(n, "-"); ok {
			family[head]++
		}
	}
	var out []string
	listed := map[string]bool{}
	for _, n := range names {
		head, _, ok := strings.Cut(n, "-")
		switch {
		case !ok || family[head] <= 4:
			out = append(out, n)
		case !listed[head]:
			listed[head] = true
			out = append(out, fmt.Sprintf("%s-* (%d; cascade scenarios lists them)", head, family[head]))
		}
	}
	return strings.Join(out, ", ")
}

// yamlLine is the "line N: " go.yaml.in/yaml/v3 puts before a syntax error.
var yamlLine = regexp.MustCompile(`^line (\d+): `)

// yamlContext names, for each parser problem that go.yaml.in/yaml/v3
// reports while reading a construct, the construct its "line N" points at.
var yamlContext = map[string]string{
	"did not find expected key":           "mapping",
	"did not find expected '-' indicator": "list",
	"did not find expected ',' or '}'":    "{...} mapping",
	"did not find expected ',' or ']'":    "[...] list",
}

// yamlOpener is the bracket left open in each flow problem of yamlContext.
var yamlOpener = map[string]byte{
	"did not find expected ',' or '}'": '{',
	"did not find expected ',' or ']'": '[',
}

// yamlProblem turns a YAML syntax error in data into a positioned problem.
//
// The parser's "line N" is not where it stopped: it is the line of the
// construct it was reading (its context mark), and for parser errors
// counted from 0, so the line before that (a block mapping at line 3 that
// meets a bad line 66 is reported as "line 2"). Where it stopped (the
// problem mark) is not exposed, so yamlStop finds it by parsing prefixes
// of data again. The construct's start is added to the message when it is
// known for certain and is not the line reported.
func yamlProblem(file string, data []byte, err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	ctx := -1 // the parser's "line N"
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		ctx, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	p := Problem{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: "not valid YAML: " + msg}
	line, col, text := yamlStop(data, err.Error())
	if line == 0 { // not reproduced: the parser's line, as it gives it
		if ctx > 0 {
			p.Pos.Line = ctx
		}
		return p
	}
	p.Pos.Line, p.Pos.Col = line, col
	if open, ok := yamlOpener[msg]; ok {
		// A bracket left open fails as the whole file does from a character
		// or two after it on: point at the nearest one before.
		if i := bytes.LastIndexByte(text[:yamlByte(text, col-1)], open); i >= 0 {
			p.Pos.Col = utf8.RuneCount(text[:i]) + 1
		}
	}
	if what, ok := yamlContext[msg]; ok && ctx >= 0 {
		// These are parser errors, which give the construct's line less
		// one; or, when it is on the first line (mark 0), the line before
		// the one the parser stopped at, which is at or after line.
		start := ctx + 1
		if start > line {
			start = 1
		}
		if start < line {
			p.Msg += fmt.Sprintf(" (in the %s that starts at line %d)", what, start)
		}
	}
	return p
}

// yamlLinear is the longest line whose characters yamlStop tries one by
// one; it bisects longer ones.
const yamlLinear = 1000

// yamlStop returns the line and column (1-based, the column in characters)
// at which parsing data stops with the error whose text is want, and that
// line's text: the end of the shortest prefix of data that fails with the
// same text. A prefix that reaches the problem fails as the whole file
// does; a shorter one parses, or fails otherwise, save after an unclosed
// bracket or quote, whose line it then finds. The line is found by
// bisection, the column by trying the line's characters in turn. When only
// the whole line fails (the parser needed its end to decide), the column
// is that of its first non-blank character. It returns 0, 0, nil when no
// prefix fails with want.
func yamlStop(data []byte, want string) (line, col int, text []byte) {
	fails := func(b []byte) bool {
		var n yaml.Node
		err := yaml.Unmarshal(b, &n)
		return err != nil && err.Error() == want
	}
	var ends []int // ends[i]: the end of line i+1, past its newline
	for off := 0; off < len(data); {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			off = len(data)
		} else {
			off += i + 1
		}
		ends = append(ends, off)
	}
	i := sort.Search(len(ends), func(i int) bool { return fails(data[:ends[i]]) })
	if i == len(ends) {
		return 0, 0, nil
	}
	lineAt := func(i int) (start int, text []byte) {
		if i > 0 {
			start = ends[i-1]
		}
		return start, bytes.TrimRight(data[start:ends[i]], "\r\n")
	}
	start, text := lineAt(i)
	// A blank or comment line adds no token: it can only move the end of
	// the stream that an error at the end reports (when the parser gives
	// the line of its problem, not of its construct). The stream ended
	// after the last line with something on it.
	for i > 0 {
		if t := bytes.TrimSpace(text); len(t) > 0 && t[0] != '#' {
			break
		}
		i--
		start, text = lineAt(i)
	}
	var cuts []int // the end of each character of the line
	for off := 0; off < len(text); {
		_, w := utf8.DecodeRune(text[off:])
		off += w
		cuts = append(cuts, off)
	}
	try := func(c int) bool { return fails(data[:start+cuts[c]]) }
	c := len(cuts)
	if len(cuts) > yamlLinear {
		c = sort.Search(len(cuts), try)
	} else {
		for k := range cuts {
			if try(k) {
				c = k
				break
			}
		}
	}
	if c < len(cuts) {
		return i + 1, c + 1, text
	}
	lead := bytes.TrimLeft(text, " \t")
	return i + 1, utf8.RuneCount(text[:len(text)-len(lead)]) + 1, text
}

// yamlByte returns the byte offset in text of its character n (from 0).
func yamlByte(text []byte, n int) int {
	off := 0
	for ; n > 0 && off < len(text); n-- {
		_, w := utf8.DecodeRune(text[off:])
		off += w
	}
	return off
}

// duplicates reports keys that appear twice in one mapping of a file
// (before extends merges files, which would hide them).
func duplicates(n *yaml.Node, file, path string) Problems {
	var ps Problems
	switch n.Kind {
	case yaml.MappingNode:
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if seen[k.Value] && k.Value != "<<" {
				ps = append(ps, Problem{Pos: Pos{File: file, Line: k.Line, Col: k.Column}, Path: join(path, k.Value), Msg: "duplicate key"})
			}
			seen[k.Value] = true
			ps = append(ps, duplicates(n.Content[i+1], file, join(path, k.Value))...)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			ps = append(ps, duplicates(c, file, fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return ps
}

// expandMerges applies YAML merge keys (<<: *anchor, or a list of them)
// throughout a tree: the anchored mappings' pairs join the mapping unless
// it sets the key itself.
func expandMerges(n *yaml.Node, file string) *Problem {
	if n.Kind == yaml.AliasNode {
		return nil // expanded where the anchor is defined
	}
	if n.Kind == yaml.MappingNode {
		var own, merged []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag != "!!merge" && k.Value != "<<" {
				own = append(own, k, v)
				continue
			}
			srcs := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				srcs = v.Content
			}
			for _, src := range srcs {
				for src.Kind == yaml.AliasNode {
					src = src.Alias
				}
				if src.Kind != yaml.MappingNode {
					return &Problem{Pos: Pos{File: file, Line: k.Line, Col: k.Column}, Path: "<<", Msg: "a merge key needs a mapping (or a list of mappings) to merge"}
				}
				if p := expandMerges(src, file); p != nil {
					return p
				}
				merged = append(merged, src.Content...)
			}
		}
		if merged != nil {
			out := own
			for i := 0; i+1 < len(merged); i += 2 {
				if valueOf(&yaml.Node{Kind: yaml.MappingNode, Content: out}, merged[i].Value) == nil {
					out = append(out, merged[i], merged[i+1])
				}
			}
			n.Content = out
		}
	}
	for _, c := range n.Content {
		if p := expandMerges(c, file); p != nil {
			return p
		}
	}
	return nil
}

// mark records the source file of every node of a tree.
func (l *loader) mark(n *yaml.Node, file string) {
	l.src[n] = file
	for _, c := range n.Content {
		l.mark(c, file)
	}
}

func valueOf(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func deleteKey(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

// merge returns base overridden by over: mappings merge key by key, any
// other value (lists included) is replaced, except that a key ending in +
// (agents+, events+) appends its list to base's list of that name (or
// starts it). path names over in messages. Neither input is modified.
func (l *loader) merge(base, over *yaml.Node, path string) *yaml.Node {
	if base.Kind != yaml.MappingNode || over.Kind != yaml.MappingNode {
		return l.plain(over, path)
	}
	out := *base
	l.src[&out] = l.src[base]
	out.Content = append([]*yaml.Node(nil), base.Content...)
	for i := 0; i+1 < len(over.Content); i += 2 {
		k, v := over.Content[i], over.Content[i+1]
		name, add := appendKey(k.Value)
		if add {
			if !l.appendable(over, k, v, path) {
				continue
			}
			k = l.renamed(k, name)
			if l.appended == nil {
				l.appended = map[*yaml.Node]string{}
			}
			for e, n := range v.Content {
				l.appended[n] = fmt.Sprintf("%s+[%d]", join(path, name), e)
			}
		}
		found := false
		for j := 0; j+1 < len(out.Content); j += 2 {
			if out.Content[j].Value != name {
				continue
			}
			found = true
			switch b := out.Content[j+1]; {
			case !add:
				if b.Kind == yaml.SequenceNode && v.Kind == yaml.SequenceNode {
					if base := listIDs(b); len(base) > 0 {
						l.replaced = append(l.replaced, replacedList{key: k, name: join(path, name), from: l.src[b], base: base, kept: listIDs(v)})
					}
				}
				out.Content[j+1] = l.merge(b, v, join(path, name))
			case b.Kind == yaml.SequenceNode:
				list := *b
				l.src[&list] = l.src[b]
				list.Content = append(append([]*yaml.Node(nil), b.Content...), l.plain(v, join(path, name)).Content...)
				out.Content[j+1] = &list
			default:
				l.fail(k, join(path, k.Value+"+"), fmt.Sprintf("%s+ appends to a list, and the %s it extends is not one: write %s to replace it", name, name, name))
			}
			break
		}
		if !found {
			out.Content = append(out.Content, k, l.plain(v, join(path, name)))
		}
	}
	return &out
}

// listIDs returns the ids of a list's entries (mappings with an id).
func listIDs(list *yaml.Node) []string {
	var ids []string
	for _, e := range list.Content {
		if id := valueOf(e, "id"); id != nil && id.Kind == yaml.ScalarNode {
			ids = append(ids, id.Value)
		}
	}
	return ids
}

// asReplaced gathers, in ps, the problems that a list a file replaced
// caused (brokers: of one broker over aug2024's five): each problem
// outside that file whose message names, quoted, an id the base's list
// had and the new one left out ("unknown prime broker \"MS\"") goes, and
// one problem at the file's key says what it replaced and names the
// first reference that broke, with how to add to the list or change one
// entry instead. Other problems are left as they are.
func (l *loader) asReplaced(ps Problems) Problems {
	for _, r := range l.replaced {
		file := l.src[r.key]
		var gone []string
		for _, id := range r.base {
			if !slices.Contains(r.kept, id) {
				gone = append(gone, id)
			}
		}
		var out Problems
		var first *Problem
		n := 0
		for i, p := range ps {
			broke := false
			if p.Pos.File != file {
				for _, id := range gone {
					broke = broke || strings.Contains(p.Msg, strconv.Quote(id))
				}
			}
			if !broke {
				out = append(out, p)
				continue
			}
			if n++; first == nil {
				first = &ps[i]
			}
		}
		if first == nil {
			continue
		}
		more := ""
		if n > 1 {
			more = fmt.Sprintf(", and %d more", n-1)
		}
		what := fmt.Sprintf("%d (%s)", len(r.kept), strings.Join(r.kept, ", "))
		if len(r.kept) == 0 {
			what = "none"
		}
		msg := fmt.Sprintf("this list replaces %s's list of %d (%s) with %s, and the scenario still names those it left out: first %s: %s: %s%s; "+
			"to add entries to %s's list, write %s+: with the new ones only; to change one, --set %s.%s.FIELD=VALUE (or give every entry in this list)",
			r.from, len(r.base), strings.Join(r.base, ", "), what, first.Pos, first.Path, first.Msg, more, r.from, r.name, r.name, r.base[0])
		ps = append(out, Problem{Pos: Pos{File: file, Line: r.key.Line, Col: r.key.Column}, Path: r.name, Msg: msg})
	}
	return ps
}

// asAppended renames, in ps, the entries a file appended (events+): a
// problem of the merged list's events[31] is of the file's events+[1],
// and its message says which entry of the merged list that is, the index
// --set and a sweep's paths use. Other problems are left as they are.
func (l *loader) asAppended(root *yaml.Node, ps Problems) Problems {
	if len(l.appended) == 0 {
		return ps
	}
	merged := map[string]string{} // "events[31]": "events+[1]"
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			p, v := join(path, n.Content[i].Value), n.Content[i+1]
			if v.Kind == yaml.SequenceNode {
				for j, e := range v.Content {
					if own, ok := l.appended[e]; ok {
						merged[fmt.Sprintf("%s[%d]", p, j)] = own
					}
				}
			}
			walk(v, p)
		}
	}
	walk(root, "")
	out := make(Problems, len(ps))
	for i, p := range ps {
		out[i] = p
		head, rest := p.Path, ""
		if j := strings.IndexByte(p.Path, ']'); j >= 0 {
			head, rest = p.Path[:j+1], p.Path[j+1:]
		}
		if own, ok := merged[head]; ok {
			out[i].Path = own + rest
			out[i].Msg += fmt.Sprintf(" (%s is the scenario's %s)", own, head)
		}
	}
	return out
}

// appendKey splits a mapping key that appends (agents+) into its field
// and true; any other key is returned whole, with false.
func appendKey(key string) (string, bool) {
	if len(key) > 1 && strings.HasSuffix(key, "+") {
		return key[:len(key)-1], true
	}
	return key, false
}

// appendable reports whether the append k: v of mapping m can be applied:
// v is a list and m does not give the field outright as well.
func (l *loader) appendable(m, k, v *yaml.Node, path string) bool {
	name, _ := appendKey(k.Value)
	switch {
	case valueOf(m, name) != nil:
		l.fail(k, join(path, k.Value), fmt.Sprintf("give %s (replace the list) or %s+ (append to it), not both", name, name))
	case v.Kind != yaml.SequenceNode:
		l.fail(v, join(path, k.Value), fmt.Sprintf("%s+ appends a list of entries to %s: want a list (- ... or [...])", name, name))
	default:
		return true
	}
	return false
}

// renamed returns a copy of key node k named name, at k's place.
func (l *loader) renamed(k *yaml.Node, name string) *yaml.Node {
	c := *k
	c.Value = name
	l.src[&c] = l.src[k]
	return &c
}

// plain returns n with its appends (agents+) turned into the lists they
// start, where there is nothing to append to: a field the base does not
// have, or a file that extends nothing. In a list's entries an append is
// refused: the list replaces the base's whole, so there is no base entry
// to append to.
func (l *loader) plain(n *yaml.Node, path string) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		empty := *n // n's place and style, none of its fields
		empty.Content = nil
		l.src[&empty] = l.src[n]
		return l.merge(&empty, n, path)
	case yaml.SequenceNode:
		l.refuseAppends(n, path)
	}
	return n
}

// refuseAppends reports every append key in n, a list or what it holds.
func (l *loader) refuseAppends(n *yaml.Node, path string) {
	for i := 0; i+1 < len(n.Content) && n.Kind == yaml.MappingNode; i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if name, add := appendKey(k.Value); add {
			l.fail(k, join(path, k.Value), fmt.Sprintf("%s+ appends to a list of the scenario extended, and an entry of a list has none to append to (a list replaces the base's whole): write %s", name, name))
		}
		l.refuseAppends(v, join(path, k.Value))
	}
	if n.Kind == yaml.SequenceNode {
		for k, e := range n.Content {
			l.refuseAppends(e, fmt.Sprintf("%s[%d]", path, k))
		}
	}
}

// fail records a problem at node n, whose path is path.
func (l *loader) fail(n *yaml.Node, path, msg string) {
	l.probs = append(l.probs, Problem{Pos: Pos{File: l.src[n], Line: n.Line, Col: n.Column}, Path: path, Msg: msg})
}

// Wildcard is the path segment that stands for every element of a list or
// every key of a mapping, in --set overrides and in a sweep's parameter
// paths: brokers.*.capital is every broker's capital, rates.*.expected
// every currency's expected rate. In the list of agent entries it stands
// for every entry whose kind takes the field that follows
// (agents.*.buffer_ratio: every bank's), since the kinds take different
// fields. Each element matched must then have the rest of the path, as an
// explicit path would.
const Wildcard = "*"

// set applies override k of flag, "path.to.field=value": path segments are
// field names, list indices (agents.0 or agents[0]), in lists of entries
// with an id the id (brokers.GS.capital), or the Wildcard. The value is
// YAML.
func (l *loader) set(root *yaml.Node, flag string, k int, s string) {
	file := fmt.Sprintf("%s #%d", flag, k+1)
	eq := strings.IndexByte(s, '=')
	if eq <= 0 {
		l.probs = append(l.probs, Problem{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: fmt.Sprintf("want path.to.field=value, got %q", s)})
		return
	}
	path := strings.TrimSpace(s[:eq])
	l.lead = len(s[:eq]) - len(strings.TrimLeft(s[:eq], " \t"))
	var val yaml.Node
	if err := yaml.Unmarshal([]byte(s[eq+1:]), &val); err != nil || len(val.Content) == 0 {
		if err == nil { // empty value: null
			val = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!null"}}}
		} else {
			l.probs = append(l.probs, Problem{Pos: Pos{File: file, Line: 1, Col: eq + 2}, Path: path, Msg: "value is not valid YAML"})
			return
		}
	}
	v := val.Content[0]
	if _, add := appendKey(path); add {
		// Entries appended from the command line: problems in them are
		// placed where they are written in the value.
		l.markIn(v, file, eq+1)
	} else {
		l.markAt(v, file, eq+2)
	}
	segs, err := SplitPath(path)
	if err != nil {
		l.probs = append(l.probs, Problem{Pos: Pos{File: file, Line: 1, Col: 1}, Path: path, Msg: err.Error()})
		return
	}
	l.setPath(root, segs, 0, v, file, path)
}

// SplitPath splits a field path of --set into its segments: names
// separated by dots, and list indices or ids in brackets, which hold any
// text but a ] (agents[0].equity, assets[BRK.B].vol). A dotted id may also
// be written bare, assets.BRK.B.vol: where a segment names nothing, the
// segments that follow are joined to it with their dots to find the id or
// key (JoinDotted).
func SplitPath(path string) ([]string, error) {
	var segs []string
	rest := path
	for {
		open := strings.IndexAny(rest, ".[")
		if open < 0 {
			return append(segs, rest), nil
		}
		if rest[open] == '.' {
			segs, rest = append(segs, rest[:open]), rest[open+1:]
			continue
		}
		if open > 0 {
			segs = append(segs, rest[:open])
		}
		end := strings.IndexByte(rest[open:], ']')
		if end < 0 {
			return nil, fmt.Errorf("%q opens a [ that no ] closes (want agents[0].equity or assets[BRK.B].vol)", path)
		}
		segs, rest = append(segs, rest[open+1:open+end]), rest[open+end+1:]
		switch {
		case rest == "":
			return segs, nil
		case rest[0] == '.':
			rest = rest[1:]
		case rest[0] != '[':
			return nil, fmt.Errorf("%q: a ] must be followed by a dot, a [ or the end (want assets[BRK.B].vol)", path)
		}
	}
}

// JoinDotted returns segs with segs[i] joined to the segments after it,
// dot by dot, when known says the joined text names something: the
// longest such join, so that an asset BRK.B is found by assets.BRK.B.vol
// (even beside an asset BRK). segs is returned as it is when no join is
// known. --set, sweep parameters and sweep metrics use it.
func JoinDotted(segs []string, i int, known func(string) bool) []string {
	for j := len(segs); j > i+1; j-- {
		if joined := strings.Join(segs[i:j], "."); known(joined) {
			return slices.Concat(segs[:i], []string{joined}, segs[j:])
		}
	}
	return segs
}

// setPath sets what segs[i:] names below cur to v; segs[:i] led to cur.
func (l *loader) setPath(cur *yaml.Node, segs []string, i int, v *yaml.Node, file, path string) {
	fail := func(msg string) {
		// At the segment that failed (i is the loop's, below).
		col := l.lead + segCol(path, segs, min(i, len(segs)-1))
		l.probs = append(l.probs, Problem{Pos: Pos{File: file, Line: 1, Col: col}, Path: path, Msg: msg})
	}
	if i == 0 && len(segs) > 0 && segs[0] == "extends" {
		// extends is resolved while the files are read, before any --set:
		// an override of it would be dropped, and the run the base's.
		base := "NAME"
		if v.Kind == yaml.ScalarNode && v.Value != "" {
			base = v.Value
		}
		fail(fmt.Sprintf("extends cannot be set with --set; write a file that extends %s (a line extends: %s, then the fields to change) and run that file", base, base))
		return
	}
	for ; i < len(segs); i++ {
		// An id or key holding dots, written without brackets.
		switch cur.Kind {
		case yaml.MappingNode:
			segs = JoinDotted(segs, i, func(k string) bool { return valueOf(cur, k) != nil })
		case yaml.SequenceNode:
			events := i == 1 && segs[0] == "events"
			segs = JoinDotted(segs, i, func(id string) bool {
				return slices.ContainsFunc(cur.Content, func(e *yaml.Node) bool {
					return entryField(e, "id") == id || events && eventLabel(e) == id
				})
			})
		}
		seg := segs[i]
		last := i == len(segs)-1
		if seg == Wildcard {
			l.setWildcard(cur, segs, i, v, file, path, fail)
			return
		}
		switch cur.Kind {
		case yaml.MappingNode:
			if name, add := appendKey(seg); add {
				if !last {
					fail(fmt.Sprintf("%s+ appends to the list %s, and nothing can follow it: append with --set '%s+=[...]', or set a field of an entry by its index, id or label (%s.0.FIELD=...)", name, name, join(strings.Join(segs[:i], "."), name), join(strings.Join(segs[:i], "."), name)))
					return
				}
				l.appendSet(cur, segs[:i], name, v, file, path, fail)
				return
			}
			next := valueOf(cur, seg)
			if last && eventTime(segs, i) {
				dropOtherTime(cur, seg)
			}
			if last && i == 0 && slices.Contains(runLength, seg) {
				dropLengths(cur, []string{seg})
			}
			if last {
				if next == nil {
					key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: seg}
					l.markAt(key, file, l.lead+segCol(path, segs, i))
					cur.Content = append(cur.Content, key, v)
				} else {
					for j := 0; j+1 < len(cur.Content); j += 2 {
						if cur.Content[j].Value == seg {
							cur.Content[j+1] = v
						}
					}
				}
				return
			}
			if next == nil {
				next = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
				key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: seg}
				col := l.lead + segCol(path, segs, i)
				l.markAt(key, file, col)
				l.markAt(next, file, col)
				cur.Content = append(cur.Content, key, next)
			} else {
				// Write into a copy: the node may be shared (an anchor merged
				// into several entries, or an alias), and the override is for
				// this path only.
				next = l.own(next)
				for j := 0; j+1 < len(cur.Content); j += 2 {
					if cur.Content[j].Value == seg {
						cur.Content[j+1] = next
					}
				}
			}
			cur = next
		case yaml.SequenceNode:
			ids := make([]string, len(cur.Content))
			for j, e := range cur.Content {
				ids[j] = entryField(e, "id")
			}
			if i == 1 && segs[0] == "events" {
				// An event by label: every event that has it.
				which, err := EventElements(seg, ids, eventLabels(cur))
				if err != nil {
					fail(err.Error())
					return
				}
				for _, idx := range which {
					if last {
						cur.Content[idx] = v
						continue
					}
					cur.Content[idx] = l.own(cur.Content[idx])
					l.setPath(cur.Content[idx], segs, i+1, v, file, path)
				}
				return
			}
			idx, err := Element(seg, ids)
			if err != nil {
				fail(err.Error())
				return
			}
			if last {
				cur.Content[idx] = v
				return
			}
			cur.Content[idx] = l.own(cur.Content[idx])
			cur = cur.Content[idx]
		default:
			fail(fmt.Sprintf("%q is not a mapping or list", strings.Join(segs[:i], ".")))
			return
		}
	}
}

// appendSet appends the entries of the list v to the list name of the
// mapping m, as a file's name+: does (--set 'events+=[...]'), or starts
// the list where m has none; before are the path's segments that led to
// m. Each entry is recorded as appended (events+[0]), for problems to name
// it as the override writes it.
func (l *loader) appendSet(m *yaml.Node, before []string, name string, v *yaml.Node, file, path string, fail func(string)) {
	at := join(strings.Join(before, "."), name)
	if v.Kind != yaml.SequenceNode {
		fail(fmt.Sprintf("%s+= appends a list of entries to %s: want a list, %s+=[...] (one entry is [{...}])", at, at, at))
		return
	}
	list := valueOf(m, name)
	switch {
	case list == nil:
		key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}
		l.markAt(key, file, l.lead+segCol(path, []string{path}, 0))
		m.Content = append(m.Content, key, v)
	case list.Kind != yaml.SequenceNode:
		fail(fmt.Sprintf("%s+= appends to a list, and %s is not one: write %s=... to replace it", at, at, at))
		return
	default:
		c := l.own(list)
		c.Content = append(c.Content, v.Content...)
		l.replace(m, name, c)
	}
	if l.appended == nil {
		l.appended = map[*yaml.Node]string{}
	}
	for e, n := range v.Content {
		l.appended[n] = fmt.Sprintf("%s+[%d]", at, e)
	}
}

// markIn marks n and what it holds as read from file, a --set override
// whose value starts after column col of its line: each node keeps the
// line and column at which the value has it, the first line's columns
// counted from the override's start.
func (l *loader) markIn(n *yaml.Node, file string, col int) {
	l.src[n] = file
	if n.Line <= 1 {
		n.Line, n.Column = 1, n.Column+col
	}
	for _, c := range n.Content {
		l.markIn(c, file, col)
	}
}

// segCol returns the column (from 1) in path at which segs[i] is
// written: the segments are found in order, each after the one before
// (an id in brackets, or joined from dotted parts, is one segment). It
// returns 1 if a segment is not found as written.
func segCol(path string, segs []string, i int) int {
	at := 0
	for j := 0; j <= i && j < len(segs); j++ {
		k := strings.Index(path[at:], segs[j])
		if k < 0 {
			return 1
		}
		if j == i {
			return at + k + 1
		}
		at += k + len(segs[j])
	}
	return 1
}

// runLength is the run's length, one field written three ways: a number
// of ticks, a span (horizon: 18d) or a timestamp (end). A scenario gives
// one of them.
var runLength = []string{"ticks", "horizon", "end"}

// dropAlternatives returns base without the ways of writing the run's
// length that over does not use, when over gives one: a file that extends
// another, or a --set, that says ticks: 48 replaces an inherited horizon:
// 18d, as an event's tick replaces its at (dropOtherTime), rather than
// leaving the scenario with two lengths. base is copied, not modified.
// Two forms in one layer are still refused, by the validator.
func (l *loader) dropAlternatives(base, over *yaml.Node) *yaml.Node {
	if base.Kind != yaml.MappingNode || over.Kind != yaml.MappingNode {
		return base
	}
	var given []string
	for _, k := range runLength {
		if valueOf(over, k) != nil {
			given = append(given, k)
		}
	}
	if len(given) == 0 {
		return base
	}
	out := *base
	l.src[&out] = l.src[base]
	out.Content = append([]*yaml.Node(nil), base.Content...)
	dropLengths(&out, given)
	return &out
}

// dropLengths deletes from the mapping m the ways of writing the run's
// length that are not in keep.
func dropLengths(m *yaml.Node, keep []string) {
	for _, k := range runLength {
		if !slices.Contains(keep, k) {
			deleteKey(m, k)
		}
	}
}

// eventTime reports whether segs[i] is an event's at or tick
// (events.N.at, events.N.tick).
func eventTime(segs []string, i int) bool {
	return i == 2 && segs[0] == "events" && (segs[i] == "at" || segs[i] == "tick")
}

// dropOtherTime deletes from the event entry ev the other of its two
// times when an override sets one of them (seg: at or tick): they are one
// field written two ways, and an override of either moves the event, as
// the sweep parameter events.N.tick does. So --set events.N.tick=T
// reproduces a sweep's row on a scenario that dates its events, and of two
// overrides of an event's time the last wins, as for any field.
func dropOtherTime(ev *yaml.Node, seg string) {
	if seg == "tick" {
		deleteKey(ev, "at")
	} else {
		deleteKey(ev, "tick")
	}
}

// setWildcard sets the rest of the path in every element of the list, or
// under every key of the mapping, that cur is (segs[i] is the Wildcard).
func (l *loader) setWildcard(cur *yaml.Node, segs []string, i int, v *yaml.Node, file, path string, fail func(string)) {
	where := strings.Join(segs[:i], ".")
	if i == 0 {
		fail("the scenario's top-level fields cannot be a wildcard")
		return
	}
	last := i == len(segs)-1
	agents := i == 1 && segs[0] == "agents" && cur.Kind == yaml.SequenceNode
	if last && agents {
		fail("a wildcard in agents stands for entries, and a field must follow it (e.g. agents.*.buffer_ratio)")
		return
	}
	// set sets the rest of the path in the child node c points to.
	set := func(c **yaml.Node) {
		if last {
			*c = v
			return
		}
		*c = l.own(*c)
		l.setPath(*c, segs, i+1, v, file, path)
	}
	switch cur.Kind {
	case yaml.SequenceNode:
		// In the list of agent entries, only the entries whose kind takes
		// the next field.
		var kinds []string
		matched := 0
		for j := range cur.Content {
			if agents {
				kind := entryField(cur.Content[j], "kind")
				if !sim.KindHasField(kind, segs[i+1]) {
					kinds = append(kinds, kind)
					continue
				}
			}
			matched++
			set(&cur.Content[j])
		}
		if matched == 0 {
			if len(cur.Content) == 0 {
				fail(fmt.Sprintf("the wildcard matches nothing: %s is empty", where))
				return
			}
			fail(NoEntryTakes(where, segs[i+1], kinds).Error())
		}
	case yaml.MappingNode:
		if len(cur.Content) == 0 {
			fail(fmt.Sprintf("the wildcard matches nothing: %s has no keys", where))
			return
		}
		for j := 1; j < len(cur.Content); j += 2 {
			set(&cur.Content[j])
		}
	default:
		fail(fmt.Sprintf("a wildcard stands for the elements of a list or the keys of a mapping, and %s is neither", where))
	}
}

// eventLabel returns an event entry's label as the outputs show it: its
// label, else its kind.
func eventLabel(e *yaml.Node) string {
	if l := entryField(e, "label"); l != "" {
		return l
	}
	return entryField(e, "kind")
}

// eventLabels returns the label (eventLabel) of each entry of the events
// list evs.
func eventLabels(evs *yaml.Node) []string {
	labels := make([]string, len(evs.Content))
	for j, e := range evs.Content {
		labels[j] = eventLabel(e)
	}
	return labels
}

// entryField returns the scalar value of a list entry's field ("" when the
// entry is not a mapping or lacks it).
func entryField(e *yaml.Node, key string) string {
	for e.Kind == yaml.AliasNode && e.Alias != nil {
		e = e.Alias
	}
	if e.Kind != yaml.MappingNode {
		return ""
	}
	if n := valueOf(e, key); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

// own returns a shallow copy of n (of what it aliases), to be changed
// without touching anything that shares it.
func (l *loader) own(n *yaml.Node) *yaml.Node {
	src := n
	for src.Kind == yaml.AliasNode && src.Alias != nil {
		src = src.Alias
	}
	c := *src
	c.Content = append([]*yaml.Node(nil), src.Content...)
	l.src[&c] = l.src[src]
	return &c
}

func (l *loader) markAt(n *yaml.Node, file string, col int) {
	l.src[n] = file
	n.Line, n.Column = 1, col
	for _, c := range n.Content {
		l.markAt(c, file, col)
	}
}
