package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ErrNotOutput is returned (wrapped) by [NewStageOf], [Stage.Commit] and
// [Replaceable] when replacing an existing directory was requested
// (--force) but the directory is neither empty nor the output of the same
// command alone: another command's output, or files the command did not
// write. It is never deleted. Test for it with errors.Is.
var ErrNotOutput = errors.New("not the output of this command")

// A Kind is the kind of output folder a command writes, recognised by a
// file at its top holding a JSON object whose "schema" names it. --force
// replaces only an output of the same kind, and only when everything in it
// is that command's own (see [NewStageOf]).
type Kind struct {
	What   string // in messages: "a cascade run's output"
	File   string // the file that marks it: "manifest.json"
	Schema string // that file's "schema": "cascade.manifest/v1"
	// Writes are the files the command may write into its output folder,
	// as slash-separated paths relative to it, each a path.Match pattern
	// whose directory part holds no wildcard ("plots/fan_*.png"). They,
	// the files the marker file lists in its "files" (if it has that list;
	// an entry ending in / names a directory), the directories above them,
	// and a killed writer's temporary file of any of them (.NAME.tmp-*, as
	// [WriteFileAtomic] names it) are the command's own: anything else in
	// the folder is someone else's, and --force leaves the folder alone.
	Writes []string
}

// The kinds of output folder of the cascade commands.
var (
	RunKind = Kind{What: "a cascade run's output", File: "manifest.json", Schema: "cascade.manifest/v1",
		Writes: append([]string{"manifest.json", "summary.json", "timeseries.csv", "timeseries.parquet",
			"agent_detail.csv", "agent_detail.parquet", "population.csv", "population.parquet", "events.jsonl", "report.md"}, runPlotFiles()...)}
	CompareKind = Kind{What: "a cascade comparison's output", File: "compare.json", Schema: "cascade.compare/v1",
		Writes: []string{"compare.json", "compare_prices.png", "compare_prices.svg"}}
	// A sweep's: the outputs of cascade sweep and cascade merge, the
	// journal (its chunks, and the intermediate files of a merge of
	// them), the lock file of a sweep being run, and the plots, whose
	// names follow the sweep's series, metrics and parameters.
	SweepKind = Kind{What: "a cascade sweep's output", File: "manifest.json", Schema: "cascade.sweep/v1",
		Writes: append([]string{"manifest.json", ".lock", "runs.parquet", "runs.csv", "bands.parquet", "bands.csv",
			"sensitivity.csv", "levels.csv", "calibration.csv", "calibration_metrics.csv", "sobol.csv", "report.md",
			"journal/chunk-*.bin", "journal/all.bin", "journal/.merge-*.tmp-chunk"},
			plotFiles("fan_*", "hist_*", "sensitivity", "compression_drawdown", "response_*", "sobol_total", "sobol_first",
				"levels_*", "calibration_*")...)}
)

// kinds are the kinds a refusal can name as what it found.
var kinds = []Kind{RunKind, CompareKind, SweepKind}

// plotFiles returns the files plots/STEM.png and plots/STEM.svg of the
// plot stems given (patterns allowed).
func plotFiles(stems ...string) []string {
	var out []string
	for _, s := range stems {
		for _, ext := range plotExts {
			out = append(out, "plots/"+s+ext)
		}
	}
	return out
}

// family is a schema without its version: another version of the same
// format is still that command's output.
func family(schema string) string {
	if i := strings.LastIndex(schema, "/"); i >= 0 {
		return schema[:i]
	}
	return schema
}

// marker is what a kind's marker file says: its schema and, for a run or
// a sweep, the files of the output.
type marker struct {
	Schema string   `json:"schema"`
	Files  []string `json:"files"`
}

// readMarker reads the JSON file path; found is false when the file does
// not exist.
func readMarker(path string) (m marker, found bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return m, false, nil
	}
	if err != nil {
		return m, true, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		// Only the schema, then: a files list of the wrong shape does
		// not make the file another command's.
		var doc struct {
			Schema string `json:"schema"`
		}
		if json.Unmarshal(b, &doc) != nil {
			return marker{}, true, fmt.Errorf("%s is not JSON", filepath.Base(path))
		}
		m = marker{Schema: doc.Schema}
	}
	return m, true, nil
}

// Replaceable returns nil when --force may replace the existing directory
// dir with an output of kind k: dir is empty, or k's file there names k's
// schema (any version) and everything in dir is the command's own (see
// [Kind]). Otherwise it returns an error wrapping [ErrNotOutput] that says
// what dir holds: another command's output, or up to a few of the paths
// the command did not write, and how many more. [NewStageOf] and
// [Stage.Commit] check it; a command that replaces its output in place
// (cascade sweep --force) calls it before deleting anything. The zero Kind
// accepts any directory (NewStage).
func Replaceable(dir string, k Kind) error {
	return checkKind(dir, k)
}

// checkKind is [Replaceable].
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
	m, found, err := readMarker(filepath.Join(dir, k.File))
	if found && err == nil && m.Schema != "" && family(m.Schema) == family(k.Schema) {
		foreign, n, err := foreignFiles(dir, k, m.Files)
		if err != nil {
			return fmt.Errorf("output: %w", err)
		}
		if n == 0 {
			return nil
		}
		more := ""
		if n > len(foreign) {
			more = fmt.Sprintf(" (and %d more)", n-len(foreign))
		}
		return &notOutputError{fmt.Sprintf("output: %s holds %s but also files cascade did not write: %s%s; refusing to delete it: move them out of %s, or choose another --out",
			dir, k.What, strings.Join(foreign, ", "), more, dir)}
	}
	// Say what is there: another command's output, or something else.
	var what string
	for _, o := range kinds {
		if om, ok, err := readMarker(filepath.Join(dir, o.File)); ok && err == nil && om.Schema != "" && family(om.Schema) == family(o.Schema) {
			what = fmt.Sprintf("holds %s (%s has schema %q), not %s", o.What, o.File, om.Schema, k.What)
			break
		}
	}
	switch {
	case what != "":
		return &notOutputError{fmt.Sprintf("output: %s %s; refusing to delete it: choose another --out or remove it yourself", dir, what)}
	case !found:
		what = fmt.Sprintf("holds files that are not %s (no %s)", k.What, k.File)
	case err != nil:
		what = fmt.Sprintf("holds files that are not %s (%v)", k.What, err)
	case m.Schema == "":
		what = fmt.Sprintf("holds files that are not %s (%s has no cascade schema)", k.What, k.File)
	default:
		what = fmt.Sprintf("holds files that are not %s (%s has schema %q, not %q)", k.What, k.File, m.Schema, k.Schema)
	}
	// Name what is there, as the case of an output with foreign files
	// does: its first entries (directories with a slash) and how many more.
	named := make([]string, 0, 4)
	for _, e := range ents[:min(4, len(ents))] {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		named = append(named, n)
	}
	if len(ents) > len(named) {
		named[len(named)-1] += fmt.Sprintf(" (and %d more)", len(ents)-len(named))
	}
	return &notOutputError{fmt.Sprintf("output: %s %s: %s; refusing to delete it: choose another --out or remove it yourself", dir, what, strings.Join(named, ", "))}
}

// namedForeign is how many of the paths the command did not write a
// refusal names.
const namedForeign = 4

// foreignFiles walks the output directory dir of kind k, whose marker
// lists listed, and returns the first few paths in it (relative to dir,
// slash-separated, in name order; a directory of none of the command's
// files is one path, with a trailing /) that are not the command's own,
// and how many there are in all.
func foreignFiles(dir string, k Kind, listed []string) (named []string, n int, err error) {
	files, dirs := map[string]bool{}, map[string]bool{}
	addDirs := func(p string) {
		for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	for _, f := range listed {
		f = filepath.ToSlash(f)
		isDir := strings.HasSuffix(f, "/")
		f = path.Clean(f)
		if f == "." || path.IsAbs(f) || f == ".." || strings.HasPrefix(f, "../") {
			continue
		}
		if isDir {
			dirs[f] = true
		} else {
			files[f] = true
		}
		addDirs(f)
	}
	for _, p := range k.Writes {
		addDirs(p)
	}
	own := func(rel string) bool {
		if files[rel] {
			return true
		}
		for _, p := range k.Writes {
			if ok, _ := path.Match(p, rel); ok {
				return true
			}
		}
		// The stage's lock file, should Commit have failed to remove it.
		return rel == stageLock || rel == stageLock+".new"
	}
	var walk func(rel string) error
	walk = func(rel string) error {
		ents, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return err
		}
		for _, e := range ents {
			p := path.Join(rel, e.Name())
			switch {
			case e.IsDir() && dirs[p]:
				if err := walk(p); err != nil {
					return err
				}
				continue
			case e.Type().IsRegular() && (own(p) || tempOf(e.Name()) != "" && own(path.Join(rel, tempOf(e.Name())))):
				continue
			case e.IsDir():
				p += "/"
			}
			if n++; len(named) < namedForeign {
				named = append(named, p)
			}
		}
		return nil
	}
	if err := walk(""); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, 0, err
	}
	return named, n, nil
}

// tempOf returns NAME for the name of a temporary file .NAME.tmp-XXXX of
// [WriteFileAtomic], and "" for any other name.
func tempOf(name string) string {
	i := strings.LastIndex(name, ".tmp-")
	if !strings.HasPrefix(name, ".") || i < 1 {
		return ""
	}
	return name[1:i]
}

type notOutputError struct{ msg string }

func (e *notOutputError) Error() string        { return e.msg }
func (e *notOutputError) Is(target error) bool { return target == ErrNotOutput }
