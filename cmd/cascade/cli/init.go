package cli

import (
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
)

func init() { extra = append(extra, newInitCmd) }

// starter is the scenario cascade init writes: a small world with every
// contagion channel alive, each line commented (TestInitStarter keeps it
// valid and cascading).
//
//go:embed starter.yaml
var starter []byte

// starterFile is the file the starter's comments name: init names the
// file it writes instead.
const starterFile = "starter.yaml"

func newInitCmd() *cobra.Command {
	var from string
	var force bool
	c := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a starter scenario to edit (every line commented), or a copy of a built-in",
		Long: `Write a starter scenario to FILE (default scenario.yaml; - writes it to
standard output): a small world of a few markets, a prime broker with a
dealing arm, a dealer, six hedge funds holding the yen carry, the Treasury
basis and equities in one cross-margined account, a Japanese insurer, a CTA
and a risk-parity fund, hit by a BOJ hike. Every line says what it means and
its unit, and every contagion channel has what it needs to act (impact laws
with their scale and permanent share, a broker that raises haircuts with
volatility, drops offsets under stress and tightens on losses, dealers whose
depth shrinks as they fill). It runs in under a second, and the crash it
makes is mostly the agents' own: cascade run reports the headline's fall
several times the fall with every agent passive.

--from NAME writes a copy of the built-in scenario NAME instead (cascade
scenarios lists them), to edit rather than extend: a file that changes a few
fields is shorter as "extends: NAME" and the fields changed (README, "A tour
of a scenario file").

Either way the scenario is named after FILE (my.yaml: name my, so its
outputs go to out/my; written to standard output, it keeps its own). An existing FILE is replaced only with --force; the
file appears whole or not at all.`,
		Example: `  cascade init my.yaml && cascade run my.yaml
  cascade init --from aug2024 my-aug.yaml
  cascade init - | less`,
		Args: args(cobra.MaximumNArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			file := "scenario.yaml"
			if len(a) == 1 {
				file = a[0]
			}
			src, what, err := initSource(from)
			if err != nil {
				return err
			}
			if file == "-" {
				_, err := c.OutOrStdout().Write(src)
				return err
			}
			if err := writeInit(file, named(src, file, from == ""), force); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "wrote %s, %s: check it with cascade validate %s, run it with cascade run %s\n", file, what, file, file)
			return nil
		},
	}
	c.Flags().StringVar(&from, "from", "", "copy the built-in scenario `NAME` instead of writing the starter")
	c.Flags().BoolVar(&force, "force", false, "replace an existing FILE")
	return c
}

// initSource returns what init writes: the starter, or with from a copy of
// that built-in, headed by a line saying so; and how to describe it.
func initSource(from string) ([]byte, string, error) {
	if from == "" {
		return starter, "a starter scenario (every line commented)", nil
	}
	data, ok := scenarios.Builtin(from)
	if !ok {
		return nil, "", inputError(fmt.Errorf("--from %s: no built-in scenario of that name%s (cascade scenarios lists them)", from, scenarios.DidYouMean(from, scenarios.BuiltinNames())))
	}
	head := fmt.Sprintf("# Written by cascade init --from %s: a copy of the built-in scenario %s,\n# yours to edit (the comments below are the built-in's).\n", from, from)
	return append([]byte(head), data...), "a copy of the built-in " + from, nil
}

// nameLine is a scenario's top-level name: its value, then the spaces
// and comment after it.
var nameLine = regexp.MustCompile(`(?m)^name:[ \t]*([^\s#][^#\n]*?)([ \t]*)(#.*)?$`)

// named gives the scenario src the name of file (my.yaml: my), so that
// its outputs go to out/my, not to the starter's or the built-in's; the
// starter's comments, which name its file, name file instead. A file whose
// base name cannot name a scenario leaves src as it is.
func named(src []byte, file string, isStarter bool) []byte {
	base := filepath.Base(file)
	name := strings.TrimSuffix(base, filepath.Ext(base))
	m := nameLine.FindSubmatchIndex(src)
	if name == "" || scenarios.NameProblem(name) != "" || m == nil {
		return src
	}
	q, err := yaml.Marshal(name)
	if err != nil {
		return src
	}
	value := strings.TrimSuffix(string(q), "\n")
	// A comment after the name stays in its column if it can.
	pad := m[5] - m[4]
	if m[6] >= 0 {
		pad = max(1, pad+(m[3]-m[2])-len(value))
	}
	out := slices.Concat(src[:m[2]], []byte(value+strings.Repeat(" ", pad)), src[m[5]:])
	if isStarter {
		out = []byte(strings.ReplaceAll(string(out), starterFile, base))
	}
	return out
}

// writeInit writes src to file, whole or not at all, refusing to replace
// an existing file without force, or anything but a regular file.
func writeInit(file string, src []byte, force bool) error {
	if err := checkFile(file, file, "scenario.yaml"); err != nil {
		return err
	}
	if _, err := os.Stat(file); err == nil && !force {
		return inputError(fmt.Errorf("%s exists: give --force to replace it", file))
	}
	return output.WriteFileAtomic(file, func(w io.Writer) error {
		_, err := w.Write(src)
		return err
	})
}
