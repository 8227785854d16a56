package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"github.com/spf13/cobra"
)

func newValidateCmd() *cobra.Command {
	var sets []string
	c := &cobra.Command{
		Use:   "validate SCENARIO...",
		Short: "Check scenario files and report every problem with file:line:col",
		Args:  args(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			bad := 0
			for _, name := range a {
				if _, err := scenarios.Load(name, sets); err != nil {
					bad++
					fmt.Fprintln(c.ErrOrStderr(), err)
					continue
				}
				fmt.Fprintf(c.OutOrStdout(), "%s: ok\n", name)
			}
			if bad > 0 {
				return inputError(fmt.Errorf("%d of %d scenarios invalid", bad, len(a)))
			}
			return nil
		},
	}
	c.Flags().StringArrayVar(&sets, "set", nil, "override a field: path.to.field=value (repeatable)")
	return c
}

func newScenariosCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios",
		Short: "List the built-in scenarios",
		Long: `List the built-in scenarios, each with the first line of its description.
A built-in runs by name (cascade run aug2024); cascade init --from NAME FILE
writes its source to FILE, to read or edit.`,
		Args: args(cobra.NoArgs),
		RunE: func(c *cobra.Command, a []string) error {
			tw := tabwriter.NewWriter(c.OutOrStdout(), 0, 0, 2, ' ', 0)
			for _, n := range scenarios.BuiltinNames() {
				fmt.Fprintf(tw, "%s\t%s\n", n, scenarios.Describe(n))
			}
			return tw.Flush()
		},
	}
}

func newPlotCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "plot DIR",
		Short: "Re-render the plots of a saved run from its outputs",
		Long: `Re-render the plots of a saved run (into DIR/plots) from its timeseries,
summary and manifest, and list them in the files of its manifest.json (a
run made with --no-plots gains them).`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			dir := a[0]
			// Other outputs of the tool, which plot cannot redraw: say what
			// they are rather than that the run's files are missing.
			for _, o := range []struct{ file, what string }{
				{"compare.json", "a comparison (cascade compare draws compare_prices.png as it writes; run it again to redraw)"},
				{"runs.parquet", "a sweep (cascade sweep draws its plots as it finishes, and cascade merge as it combines shards)"},
			} {
				if _, err := os.Stat(filepath.Join(dir, o.file)); err == nil {
					return inputError(fmt.Errorf("%s holds %s, not a run's outputs", dir, o.what))
				}
			}
			files, err := replot(dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "%d plot files in %s\n", len(files), filepath.Join(dir, "plots"))
			return nil
		},
	}
}

// replot draws the plots of the run in dir from its outputs, as cascade
// plot does, and lists them in its manifest; it returns the files drawn.
func replot(dir string) ([]string, error) {
	var man output.Manifest
	var sum sim.Summary
	if err := readJSON(filepath.Join(dir, "manifest.json"), &man); err != nil {
		return nil, inputError(err)
	}
	if err := readJSON(filepath.Join(dir, "summary.json"), &sum); err != nil {
		return nil, inputError(err)
	}
	f, err := os.Open(filepath.Join(dir, "timeseries.parquet"))
	if err != nil {
		return nil, inputError(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	ts, err := output.ReadParquet(f, st.Size())
	if err != nil {
		return nil, inputError(fmt.Errorf("%s: %w", f.Name(), err))
	}
	if err := os.MkdirAll(filepath.Join(dir, "plots"), 0o755); err != nil {
		return nil, err
	}
	files, err := output.RenderRunPlots(filepath.Join(dir, "plots"), ts, man.Meta, &sum)
	// The manifest lists the run's files: it gains the plots drawn (into a
	// run made with --no-plots, say). Plots drawn before a failure are
	// there too, so it is brought up to date either way.
	if rerr := output.RecordPlots(dir, files); err == nil && rerr != nil {
		err = fmt.Errorf("plots drawn, but updating the manifest failed: %w", rerr)
	}
	return files, err
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s not found: is this a run's output directory?", path)
		}
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func newSchemaCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of scenario files (for editor autocompletion)",
		Args:  args(cobra.NoArgs),
		RunE: func(c *cobra.Command, a []string) error {
			b, err := json.MarshalIndent(scenarios.Schema(), "", "  ")
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(c.OutOrStdout(), string(b))
			return err
		},
	}
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  args(cobra.NoArgs),
		RunE: func(c *cobra.Command, a []string) error {
			gv, _ := output.BuildInfo()
			fmt.Fprintf(c.OutOrStdout(), "cascade %s (%s)\n", version, gv)
			return nil
		},
	}
}
