package scenarios

import (
	"bytes"
	"fmt"
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
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, fmt.Errorf("DecodeYAML needs a non-nil pointer")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Problems{{Pos: Pos{File: name, Line: 1, Col: 1}, Msg: "empty file"}}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, Problems{yamlProblem(name, data, err)}
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
	d := newDecoder(l.src)
	d.decode(root, rv.Elem(), "")
	if len(d.probs) > 0 {
		return d.at, d.probs.Sorted()
	}
	return d.at, nil
}
