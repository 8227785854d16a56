package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotOutput is returned (wrapped) by [NewStageOf] and [Stage.Commit]
// when replacing an existing directory was requested (--force) but the
// directory is neither empty nor the output of the same command: it is
// never deleted. Test for it with errors.Is.
var ErrNotOutput = errors.New("not the output of this command")

// A Kind is the kind of output folder a command writes, recognised by a
// file at its top holding a JSON object whose "schema" names it. --force
// replaces only an output of the same kind (see [NewStageOf]).
type Kind struct {
	What   string // in messages: "a cascade run's output"
	File   string // the file that marks it: "manifest.json"
	Schema string // that file's "schema": "cascade.manifest/v1"
}

// The kinds of output folder of the cascade commands.
var (
	RunKind     = Kind{What: "a cascade run's output", File: "manifest.json", Schema: "cascade.manifest/v1"}
	CompareKind = Kind{What: "a cascade comparison's output", File: "compare.json", Schema: "cascade.compare/v1"}
	SweepKind   = Kind{What: "a cascade sweep's output", File: "manifest.json", Schema: "cascade.sweep/v1"}
)

// kinds are the kinds a refusal can name as what it found.
var kinds = []Kind{RunKind, CompareKind, SweepKind}

// family is a schema without its version: another version of the same
// format is still that command's output.
func family(schema string) string {
	if i := strings.LastIndex(schema, "/"); i >= 0 {
		return schema[:i]
	}
	return schema
}

// fileSchema returns the "schema" of the JSON file path; found is false when
// the file does not exist.
func fileSchema(path string) (schema string, found bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", true, err
	}
	var doc struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", true, fmt.Errorf("%s is not JSON", filepath.Base(path))
	}
	return doc.Schema, true, nil
}

// checkKind returns nil when the existing directory dir may be replaced
// by an output of kind k: it is empty, or k's file there names k's schema
// (any version). Otherwise it returns an error wrapping ErrNotOutput that
// says what dir holds. The zero Kind accepts any directory (NewStage).
func checkKind(dir string, k Kind) error {
	if k.File == "" {
		return nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if len(ents) == 0 {
		return nil
	}
	schema, found, err := fileSchema(filepath.Join(dir, k.File))
	if found && err == nil && schema != "" && family(schema) == family(k.Schema) {
		return nil
	}
	// Say what is there: another command's output, or something else.
	var what string
	for _, o := range kinds {
		if s, ok, err := fileSchema(filepath.Join(dir, o.File)); ok && err == nil && s != "" && family(s) == family(o.Schema) {
			what = fmt.Sprintf("holds %s (%s has schema %q), not %s", o.What, o.File, s, k.What)
			break
		}
	}
	switch {
	case what != "":
	case !found:
		what = fmt.Sprintf("holds files that are not %s (no %s)", k.What, k.File)
	case err != nil:
		what = fmt.Sprintf("holds files that are not %s (%v)", k.What, err)
	case schema == "":
		what = fmt.Sprintf("holds files that are not %s (%s has no cascade schema)", k.What, k.File)
	default:
		what = fmt.Sprintf("holds files that are not %s (%s has schema %q, not %q)", k.What, k.File, schema, k.Schema)
	}
	return &notOutputError{fmt.Sprintf("output: %s %s; refusing to delete it: choose another --out or remove it yourself", dir, what)}
}

type notOutputError struct{ msg string }

func (e *notOutputError) Error() string        { return e.msg }
func (e *notOutputError) Is(target error) bool { return target == ErrNotOutput }
