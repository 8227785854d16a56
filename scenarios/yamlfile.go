package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"

	"go.yaml.in/yaml/v3"
)

// DecodeYAML reads a YAML file into v (a pointer to a struct with yaml
// tags) as strictly as scenario files are read: unknown keys with a
// suggestion, wrong types, NaN, infinities and absurd numbers, duplicate
// keys and merge keys, every problem with its file:line:col and field
// path. It returns the position of every decoded field path, for callers'
// own checks (Problems built with those positions read the same), and
// Problems when the file is invalid.
func DecodeYAML(path string, v any) (map[string]Pos, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Problems{{Pos: Pos{File: path}, Msg: err.Error()}}
	}
	return DecodeYAMLBytes(path, data, v)
}

// DecodeYAMLBytes is DecodeYAML on bytes already read; name labels positions.
func DecodeYAMLBytes(name string, data []byte, v any) (map[string]Pos, error) {
	return DecodeYAMLBytesEdited(name, data, v, nil)
}

// DecodeYAMLBytesEdited is DecodeYAMLBytes with edit (when not nil)
// called on the document's root node before it is decoded, after merge
// keys are expanded: a reader's own spelling of some values rewritten into
// what the fields take (a sweep file's true and false for a boolean
// field's levels). Nodes keep their positions, so problems with an edited
// value are reported where the file wrote it.
func DecodeYAMLBytesEdited(name string, data []byte, v any, edit func(root *yaml.Node)) (map[string]Pos, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, fmt.Errorf("DecodeYAML needs a non-nil pointer")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Problems{{Pos: Pos{File: name, Line: 1, Col: 1}, Msg: "empty file"}}
	}
	var doc yaml.Node
	if p := parseOne(name, data, &doc); p != nil {
		return nil, Problems{*p}
	}
	if len(doc.Content) == 0 { // comments only
		return nil, Problems{{Pos: Pos{File: name, Line: 1, Col: 1}, Msg: "empty file (comments only)"}}
	}
	l := &loader{src: map[*yaml.Node]string{}}
	root := doc.Content[0]
	l.mark(root, name)
	if dups := duplicates(root, name, ""); len(dups) > 0 {
		return nil, dups
	}
	if p := expandMerges(root, name); p != nil {
		return nil, Problems{*p}
	}
	if edit != nil {
		edit(root)
	}
	d := newDecoder(l.src)
	d.decode(root, rv.Elem(), "")
	if len(d.probs) > 0 {
		return d.at, d.probs.Sorted()
	}
	return d.at, nil
}

// parseOne parses data, a file of one YAML document, into doc (left empty
// when the file holds only comments). A second document with anything in
// it, after "---" or "...", is refused at its start, since nothing would
// read it: a file that went on after one ran as if it ended there. A
// closing "---" or "..." is fine.
func parseOne(name string, data []byte, doc *yaml.Node) *Problem {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(doc); err != nil && !errors.Is(err, io.EOF) {
		p := yamlProblem(name, data, err)
		return &p
	}
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			p := yamlProblem(name, data, err)
			return &p
		case len(next.Content) > 0 && next.Content[0].Tag != "!!null":
			at := next.Content[0]
			return &Problem{Pos: Pos{File: name, Line: at.Line, Col: at.Column}, Msg: "a second YAML document (after --- or ...): a file holds one, and the rest would be ignored"}
		}
	}
}
