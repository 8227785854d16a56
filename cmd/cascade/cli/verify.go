package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/cascade-sim/cascade/output"
	"github.com/spf13/cobra"
)

func init() { extra = append(extra, newVerifyCmd) }

type verifyFlags struct {
	rerun   bool
	out     string
	force   bool
	against string
}

func newVerifyCmd() *cobra.Command {
	f := &verifyFlags{}
	c := &cobra.Command{
		Use:   "verify DIR",
		Short: "Check a run's or a sweep's outputs against its manifest; with --rerun, make the run again and compare",
		Long: `Check the files of an output directory (a run's or a sweep's; DIR or
DIR/manifest.json) against the SHA-256 sums its manifest.json recorded when
they were written: each file must be there with the same bytes. Exit 0 when
all are, 1 when any is not, 2 for a directory that is not an output or a
manifest without sums. Files the manifest does not list (your own notes) are
not looked at, nor is manifest.json itself: its resolved_scenario is what
--rerun runs. With --rerun or --against, the files of a manifest without
sums (written by an older cascade) are compared by their bytes as they are.

With --rerun (a run's directory), also make the run again from what the
manifest recorded (its resolved scenario and seed, with the same tables and
plots, and the plots cascade plot drew after it) and compare every output with
the recorded one, naming the first line and column that differ in a text
file. Plots drawn by a program built for another target (manifest's "target")
may differ in their pixels and are then reported but not counted
(docs/determinism.md); any other difference exits 1.

With --against OTHER, compare instead with another output directory of the
same kind, each checked against its own manifest: a sweep made again from the
sweep file its manifest names, or a run made on another machine. A shard of a
sweep compares with the same shard only: merge the shards (cascade merge) to
compare them with the whole sweep.`,
		Example: `  cascade verify out/aug2024
  cascade verify out/aug2024 --rerun
  cascade verify out/sweep-aug2024 --against elsewhere/sweep-aug2024`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			return verify(c.Context(), c.OutOrStdout(), a[0], f)
		},
	}
	c.Flags().BoolVar(&f.rerun, "rerun", false, "make the run again and compare its outputs with the recorded ones")
	c.Flags().StringVarP(&f.out, "out", "o", "", "with --rerun, write the new run here and keep it (default: a temporary directory, removed)")
	c.Flags().BoolVar(&f.force, "force", false, "with --out, replace an existing run's output there")
	c.Flags().StringVar(&f.against, "against", "", "compare with the outputs of another directory of the same kind (a sweep made again, say)")
	return c
}

// manifestHead is what verify reads of either kind of manifest.
type manifestHead struct {
	Schema    string            `json:"schema"`
	Version   string            `json:"version"`
	Target    string            `json:"target"`
	Reproduce string            `json:"reproduce"`
	Files     []string          `json:"files"`
	Checksums map[string]string `json:"sha256"`
	// Options are a run's (absent in a sweep's manifest and in runs'
	// written before they were recorded).
	Options *output.RunOptions `json:"options"`
	// Complete and Shard are a sweep's: its outputs are written, and the
	// part of the sweep it holds (count 1: all of it).
	Complete bool       `json:"complete"`
	Shard    sweepShard `json:"shard"`
	// hashed says that the manifest recorded no sums: Checksums are those
	// of its files as they are now (checkOrHash).
	hashed bool
}

func verify(ctx context.Context, w io.Writer, dir string, f *verifyFlags) error {
	dir = outputDir(dir)
	f.against = outputDir(f.against)
	man, err := readHead(dir)
	if err != nil {
		return err
	}
	run := man.Schema == output.RunKind.Schema
	switch {
	case f.rerun && f.against != "":
		return inputError(usageError{errors.New("--rerun and --against each give the outputs to compare with: give one")})
	case f.rerun && !run:
		again := "the command its manifest records as reproduce"
		if man.Reproduce != "" {
			again = man.Reproduce + " --out OTHER"
		}
		return inputError(usageError{fmt.Errorf("--rerun makes a run again; %s is a sweep's output: make the sweep again (%s) and compare with --against OTHER", dir, again)})
	case f.out != "" && !f.rerun:
		return inputError(usageError{errors.New("--out is where --rerun writes the new run; give --rerun too")})
	}
	if man.Checksums == nil && !f.rerun && f.against == "" {
		return noSums(dir, man)
	}
	var other *manifestHead
	if f.against != "" {
		// What cannot be compared is said before anything is checked.
		if other, err = readHead(f.against); err != nil {
			return err
		}
		if err := comparable(dir, man, f.against, other); err != nil {
			return err
		}
	}
	stale, err := checkOrHash(w, dir, man)
	if err != nil {
		return err
	}
	bad, n := len(stale), len(man.Checksums)
	var otherDir, label string
	switch {
	case f.rerun:
		otherDir, label = f.out, "the run made again"
		if otherDir == "" {
			tmp, err := os.MkdirTemp("", "cascade-verify-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			otherDir = filepath.Join(tmp, "run")
		}
		// The outputs the run chose; plots listed that it did not draw
		// were drawn after it by cascade plot, and are drawn so again.
		plotted := slices.ContainsFunc(man.Files, func(f string) bool { return strings.HasPrefix(f, "plots/") })
		opts := output.RunOptions{AgentDetail: slices.Contains(man.Files, "agent_detail.csv"), Plots: plotted}
		if man.Options != nil {
			opts = *man.Options
		}
		rf := &runFlags{
			out:         otherDir,
			force:       f.force,
			quiet:       true,
			agentDetail: opts.AgentDetail,
			noPlots:     !opts.Plots,
			again:       man.Reproduce,
			notes:       io.Discard,
		}
		if err := runScenario(ctx, io.Discard, filepath.Join(dir, "manifest.json"), rf); err != nil {
			return fmt.Errorf("making the run again: %w", err)
		}
		if plotted && !opts.Plots {
			if _, err := replot(otherDir); err != nil {
				return fmt.Errorf("drawing the plots of the run made again: %w", err)
			}
		}
	case f.against != "":
		otherDir, label = f.against, f.against
	default:
		if bad > 0 {
			return fmt.Errorf("%s: %d of %d files are not as recorded", dir, bad, n)
		}
		return nil
	}
	if other == nil { // the run made again
		if other, err = readHead(otherDir); err != nil {
			return err
		}
		if err := comparable(dir, man, otherDir, other); err != nil {
			return err
		}
	}
	obad := 0
	if f.against != "" {
		ostale, err := checkOrHash(w, otherDir, other)
		if err != nil {
			return err
		}
		obad = len(ostale)
		maps.Copy(stale, ostale)
	}
	differ := compareOutputs(w, dir, man, otherDir, other, label, stale)
	if f.out != "" {
		fmt.Fprintf(w, "the run made again is in %s\n", otherDir)
	}
	switch {
	case bad+obad > 0 && differ > 0:
		return fmt.Errorf("%s not as recorded, and %s in %s", areNot(bad+obad), differs(differ), label)
	case bad+obad > 0:
		return fmt.Errorf("%s not as recorded", areNot(bad+obad))
	case differ > 0:
		return fmt.Errorf("%s in %s", differs(differ), label)
	}
	return nil
}

// outputDir returns the output directory named by arg: arg itself, or
// the directory of a manifest.json named instead.
func outputDir(arg string) string {
	if filepath.Base(arg) == "manifest.json" {
		if st, err := os.Stat(arg); err == nil && st.Mode().IsRegular() {
			return filepath.Dir(arg)
		}
	}
	return arg
}

// differs says "1 file differs" or "N files differ".
func differs(n int) string {
	if n == 1 {
		return "1 file differs"
	}
	return fmt.Sprintf("%d files differ", n)
}

// areNot says "1 file is" or "N files are".
func areNot(n int) string {
	if n == 1 {
		return "1 file is"
	}
	return fmt.Sprintf("%d files are", n)
}

// readHead reads the manifest of an output directory that records its
// files' sums.
func readHead(dir string) (*manifestHead, error) {
	path := filepath.Join(dir, "manifest.json")
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil, inputError(fmt.Errorf("%s not found: is %s a run's or a sweep's output directory?", path, dir))
		}
		return nil, err
	}
	var man manifestHead
	if err := json.Unmarshal(b, &man); err != nil {
		return nil, inputError(fmt.Errorf("%s: %w", path, err))
	}
	if man.Schema != output.RunKind.Schema && man.Schema != output.SweepKind.Schema {
		return nil, inputError(fmt.Errorf("%s: not a run's or a sweep's manifest (schema %q)", path, man.Schema))
	}
	return &man, nil
}

// noSums is the error for a manifest of dir that records no sums to check.
func noSums(dir string, man *manifestHead) error {
	path := filepath.Join(dir, "manifest.json")
	if man.Schema == output.SweepKind.Schema && !man.Complete {
		return inputError(fmt.Errorf("%s records no checksums: the sweep is not complete (finish it with cascade sweep --resume)", path))
	}
	return inputError(fmt.Errorf("%s records no checksums: it was written by cascade %s, before manifests recorded them (or by a sweep not yet complete)", path, orUnknown(man.Version)))
}

// checkOrHash checks the files of dir against the sums its manifest
// recorded (checkDir). A manifest that recorded none (written before they
// were) has nothing to check them against: its files, as it lists them,
// are hashed as they are now, to be compared by their bytes, and it is
// said so; those missing are returned, as checkDir returns them.
func checkOrHash(w io.Writer, dir string, man *manifestHead) (map[string]bool, error) {
	if man.Checksums != nil {
		return checkDir(w, dir, man)
	}
	if man.Schema == output.SweepKind.Schema && !man.Complete {
		return nil, noSums(dir, man)
	}
	sums, missing, err := output.FileSums(dir, man.Files)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "note: %s records no checksums (written by cascade %s, before manifests recorded them): its %d files are compared by their bytes as they are now, not checked against it\n",
		filepath.Join(dir, "manifest.json"), orUnknown(man.Version), len(sums)+len(missing))
	stale := map[string]bool{}
	for _, f := range missing {
		fmt.Fprintf(w, "missing  %s\n", filepath.Join(dir, f))
		stale[f] = true
		sums[f] = "missing from " + dir // differs from any file's, and from the other side's missing one
	}
	man.Checksums, man.hashed = sums, true
	return stale, nil
}

// comparable refuses two output directories whose outputs are not of one
// kind: a run's and a sweep's, or a shard of a sweep (cascade sweep
// --shard) and the whole sweep or another shard, which hold other runs.
func comparable(dir string, man *manifestHead, otherDir string, other *manifestHead) error {
	if other.Schema != man.Schema {
		return inputError(fmt.Errorf("%s is %s and %s is %s: nothing to compare", dir, kindOf(man), otherDir, kindOf(other)))
	}
	a, b := man.Shard, other.Shard
	if a.Count <= 1 && b.Count <= 1 || a.Index == b.Index && a.Count == b.Count {
		return nil
	}
	shardOf := func(d string, sh sweepShard) string {
		if sh.Count <= 1 {
			return d + " is a whole sweep"
		}
		return fmt.Sprintf("%s is shard %d/%d of a sweep", d, sh.Index, sh.Count)
	}
	// The shards of a sweep are the subdirectories shard-I-of-N of one
	// directory, which cascade merge takes.
	var merge []string
	for _, x := range []struct {
		dir string
		sh  sweepShard
	}{{dir, a}, {otherDir, b}} {
		if x.sh.Count > 1 {
			merge = append(merge, filepath.Dir(filepath.Clean(x.dir)))
		}
	}
	if len(merge) == 2 && merge[0] == merge[1] {
		merge = merge[:1]
	}
	return inputError(fmt.Errorf("%s and %s: they hold different runs, and their outputs cannot be compared; merge the shards first (cascade merge %s), then compare the merged sweep",
		shardOf(dir, a), shardOf(otherDir, b), strings.Join(merge, " ")))
}

// sweepShard is the shard a sweep's manifest records (absent in a run's).
type sweepShard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

func kindOf(m *manifestHead) string {
	if m.Schema == output.RunKind.Schema {
		return "a run's output"
	}
	return "a sweep's output"
}

// checkDir prints the files of dir that are not as its manifest recorded
// them and a line of the outcome; it returns those files (missing or
// changed), by their names in the manifest.
func checkDir(w io.Writer, dir string, man *manifestHead) (map[string]bool, error) {
	checks, err := output.CheckFiles(dir, man.Checksums)
	if err != nil {
		return nil, err
	}
	stale := map[string]bool{}
	for _, c := range checks {
		switch {
		case c.Got == "":
			fmt.Fprintf(w, "missing  %s\n", filepath.Join(dir, c.File))
		case !c.OK():
			fmt.Fprintf(w, "changed  %s\n", filepath.Join(dir, c.File))
		default:
			continue
		}
		stale[c.File] = true
	}
	path := filepath.Join(dir, "manifest.json")
	if len(stale) == 0 {
		fmt.Fprintf(w, "%d files as recorded in %s\n", len(checks), path)
	} else {
		fmt.Fprintf(w, "%d of %d files are not as recorded in %s\n", len(stale), len(checks), path)
	}
	return stale, nil
}

func orUnknown(v string) string {
	if v == "" {
		return "an unknown version"
	}
	return v
}

// compareOutputs compares the recorded sums of dir's outputs with those of
// other's (a run made again, or another directory), printing each that
// differs, and returns how many do, not counting plots when the two were
// drawn by programs built for different targets. Files in stale are not
// as recorded on one side, so their contents are not compared.
func compareOutputs(w io.Writer, dir string, man *manifestHead, otherDir string, other *manifestHead, label string, stale map[string]bool) int {
	otherTarget := man.Target != other.Target
	if otherTarget {
		fmt.Fprintf(w, "note: %s was made by a program built for %s, %s by one for %s: plots may differ in their pixels (docs/determinism.md)\n",
			dir, orUnknown(man.Target), label, orUnknown(other.Target))
	}
	if man.Version != other.Version {
		fmt.Fprintf(w, "note: %s was made by cascade %s, %s by %s\n", dir, orUnknown(man.Version), label, orUnknown(other.Version))
	}
	names := slices.Sorted(maps.Keys(man.Checksums))
	differ, plots := 0, 0
	for _, f := range names {
		got, ok := other.Checksums[f]
		switch {
		case !ok:
			fmt.Fprintf(w, "absent   %s (not in %s)\n", f, label)
			differ++
		case got != man.Checksums[f]:
			if otherTarget && strings.HasPrefix(f, "plots/") {
				fmt.Fprintf(w, "differs  %s (a plot, drawn for another target: not counted)\n", f)
				plots++
				continue
			}
			fmt.Fprintf(w, "differs  %s\n", f)
			differ++
			if !stale[f] {
				describeDifference(w, dir, otherDir, label, f)
			}
		}
	}
	for _, f := range slices.Sorted(maps.Keys(other.Checksums)) {
		if _, ok := man.Checksums[f]; !ok {
			fmt.Fprintf(w, "extra    %s (in %s only)\n", f, label)
			differ++
		}
	}
	basis := "by the sums each manifest recorded"
	switch {
	case man.hashed && other.hashed:
		basis = "by their bytes (neither manifest records sums)"
	case man.hashed:
		basis = fmt.Sprintf("by their bytes (%s's manifest records no sums)", dir)
	case other.hashed:
		basis = fmt.Sprintf("by their bytes (%s's manifest records no sums)", label)
	}
	if differ == 0 {
		fmt.Fprintf(w, "%d of %d files identical in %s, %s\n", len(names)-plots, len(names), label, basis)
	} else if man.hashed || other.hashed {
		fmt.Fprintf(w, "%s in %s, %s\n", differs(differ), label, basis)
	} else {
		fmt.Fprintf(w, "%s in %s\n", differs(differ), label)
	}
	return differ
}

// describeDifference prints where two text outputs, each as its
// manifest recorded it, first differ; binary files (Parquet, PNG) are only
// said to differ.
func describeDifference(w io.Writer, dirA, dirB, label, f string) {
	switch filepath.Ext(f) {
	case ".csv", ".jsonl", ".json", ".md":
	default:
		return
	}
	line, col, la, lb, err := output.FirstDifference(filepath.Join(dirA, f), filepath.Join(dirB, f), 120)
	if err != nil || line == 0 {
		return
	}
	fmt.Fprintf(w, "    first at line %d, column %d\n    %s: %s\n    %s: %s\n", line, col, dirA, la, label, lb)
}
