package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func init() { extra = append(extra, newBanksCmd) }

func newBanksCmd() *cobra.Command {
	opt := scenarios.BankImport{MinRatio: 0.03, BufferRatio: 0.04, TargetRatio: 0.05, Scale: 1, Depth: "keep"}
	var into, name string
	var force bool
	c := &cobra.Command{
		Use:   "banks TABLE.csv [FILE]",
		Short: "Make a stress-test scenario from a table of banks' balance sheets (CSV), in the markets of eba2018 or another scenario",
		Long: `Read a table of banks, one per row, and write a scenario (FILE; default the
table's name with .yaml, - for standard output) that puts them in the
markets of another scenario (--into, default eba2018): its assets, impact
laws, events and report, with these banks as its agents.

The table is CSV with a header line (the separator is the first of , ; or
tab in it; lines beginning with # are skipped). Columns:

  id             the bank's id (required)
  equity         its capital at the start (required, positive)
  cash           cash held besides the holdings (default 0)
  an asset's id  the value held of that asset of --into's scenario, in its
                 account currency (eba2018: GOVB, CORPB, OTHER); at least one
  min_ratio, buffer_ratio, target_ratio
                 the bank's leverage-ratio thresholds (equity over assets:
                 cash and holdings); an empty cell or no column takes the flags
  _anything      a note, ignored (a name, a country)

Each bank's debt is its assets less its equity. Threshold banks (Cont and
Schaanning) do nothing above buffer_ratio, sell pro rata down to
target_ratio below it, and fail below min_ratio. --scale multiplies every
amount (1e6 reads a table in millions). --buffer-at-start lowers the buffer
of a bank that starts below it to its starting ratio, as eba2018 does
(otherwise it sells at the first tick, before any shock). --depth inet sets
the depth of each exponential-impact asset the banks hold so that selling
a tenth of their holdings lowers its price a tenth (eba2018's convention);
the default keeps --into's depths.

The file extends --into and lists the banks under agents (replacing its
agents, which must all be banks) or, with --add, under agents+ (added to
them). Each bank's line ends with the table's line it came from. A problem
in the table is reported with table:line:col and the column; the file is
checked as cascade validate would before it is written, whole or not at all.`,
		Example: `  cascade banks my-banks.csv --scale 1e6 && cascade run my-banks.yaml
  cascade banks my-banks.csv - --into eba2018 --depth inet --buffer-at-start | less
  cascade banks extra.csv with-extra.yaml --add
  cascade sweep my-sweep.yaml   # base: my-banks.yaml`,
		Args: args(cobra.RangeArgs(1, 2)),
		RunE: func(c *cobra.Command, a []string) error {
			if c.Flags().Changed("scale") && !(opt.Scale > 0) {
				return inputError(usageError{fmt.Errorf("--scale %v: want a positive factor (1e6 reads a table in millions)", opt.Scale)})
			}
			table := a[0]
			file := strings.TrimSuffix(table, filepath.Ext(table)) + ".yaml"
			if len(a) == 2 {
				file = a[1]
			}
			if file == table {
				return inputError(fmt.Errorf("FILE %s is the table itself", file))
			}
			data, err := os.ReadFile(table)
			if err != nil {
				return inputError(fmt.Errorf("banks: %w", err))
			}
			sc, err := scenarios.Load(into, nil)
			if err != nil {
				return err
			}
			dir := "."
			if file != "-" {
				if err := checkFile(file, file, "banks.yaml"); err != nil {
					return err
				}
				if _, err := os.Stat(file); err == nil && !force {
					return inputError(fmt.Errorf("%s exists: give --force to replace it", file))
				}
				dir = filepath.Dir(file)
			}
			opt.Into = sc
			if opt.Extends, err = extendsFrom(sc, dir); err != nil {
				return err
			}
			opt.Name = name
			if opt.Name == "" {
				base := filepath.Base(table)
				if file != "-" {
					base = filepath.Base(file)
				}
				opt.Name = strings.TrimSuffix(base, filepath.Ext(base))
			}
			if p := scenarios.NameProblem(opt.Name); p != "" {
				return inputError(fmt.Errorf("--name: %s", p))
			}
			opt.Command = banksCommand(c, a)
			src, t, err := scenarios.ImportBanks(table, data, opt)
			if err != nil {
				var ps scenarios.Problems
				if errors.As(err, &ps) {
					return err
				}
				return inputError(fmt.Errorf("banks: %w", err))
			}
			// A file that extends a built-in loads the same anywhere: it
			// is checked in the temporary directory, not beside FILE
			// (standard output's is the working directory).
			check := dir
			if strings.HasPrefix(sc.Origin, "builtin:") {
				check = os.TempDir()
			}
			if err := writeChecked(check, file, src, c); err != nil {
				return err
			}
			if file == "-" {
				return nil
			}
			w := c.OutOrStdout()
			how := fmt.Sprintf("replacing its %d agents", t.Replaced)
			if opt.Add {
				how = "added to its agents"
			}
			fmt.Fprintf(w, "wrote %s: %d banks from %s in the markets of %s (%s)\n", file, len(t.Banks), table, sc.Name, how)
			cur := sc.File.Config.Report.Currency
			flow := sc.File.Config.Conventions.Flow
			for _, d := range t.Depths {
				held := d.Held // in the flow unit
				if flow != "value" {
					held *= priceOf(sc, d.ID)
				}
				fmt.Fprintf(w, "  %s: depth δ %s for %s held\n", d.ID, depthIn(cur, flow, d.Delta), output.Money(cur, held))
			}
			if opt.Depth == "keep" {
				held := map[string]float64{}
				for _, b := range t.Banks {
					for j, v := range b.Holdings {
						held[t.Assets[j]] += v
					}
				}
				for _, as := range sc.File.Config.Assets {
					if as.Impact.Function == "exponential" && held[as.ID] > 0 {
						fmt.Fprintf(w, "  %s: the banks hold %s; the market keeps %s's depth δ %s (--depth inet sizes it to what the banks hold)\n", as.ID, output.Money(cur, held[as.ID]), sc.Name, depthIn(cur, flow, as.Impact.Delta))
					}
				}
			}
			if len(t.Lowered) > 0 {
				fmt.Fprintf(w, "  %d start below the buffer and manage to their starting ratio: %s\n", len(t.Lowered), strings.Join(t.Lowered, ", "))
			}
			// When the first tick comes against the scenario's events (an
			// event switched off is none), as the run's note says it.
			when := sim.FirstTick(sc.File.Config.Events)
			if len(t.Below) > 0 {
				prices := "before the shock, at calm prices (--buffer-at-start keeps their holdings, so the shock hits them)"
				switch {
				case when != "before any event":
					prices = "in the tick of the first event, " + when + " (--buffer-at-start keeps their holdings, so the shock hits them)"
				case !slices.ContainsFunc(sc.File.Config.Events, func(e sim.EventSpec) bool { return !e.Off }):
					prices = "at calm prices, with no event on in the scenario (--buffer-at-start keeps their holdings)"
				}
				fmt.Fprintf(w, "  %d start below their buffer_ratio and sell at the first tick, %s: %s\n", len(t.Below), prices, strings.Join(t.Below, ", "))
			}
			if len(t.Failing) > 0 {
				fmt.Fprintf(w, "  %d start below their min_ratio and fail at the first tick, %s (amounts in another unit than the rest, or a decimal separator misread?): %s\n", len(t.Failing), when, strings.Join(t.Failing, ", "))
			}
			fmt.Fprintf(w, "run it with cascade run %s\n", file)
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&into, "into", "eba2018", "the scenario (built-in name or file) whose markets, events and report the banks are put in")
	f.StringVar(&name, "name", "", "the scenario's name (default FILE's name without .yaml)")
	f.Float64Var(&opt.Scale, "scale", 1, "multiply every amount of the table by this (1e6: a table in millions)")
	f.Float64Var(&opt.MinRatio, "min-ratio", opt.MinRatio, "leverage ratio below which a bank fails, where its row gives none")
	f.Float64Var(&opt.BufferRatio, "buffer-ratio", opt.BufferRatio, "leverage ratio below which a bank sells, where its row gives none")
	f.Float64Var(&opt.TargetRatio, "target-ratio", opt.TargetRatio, "leverage ratio a bank's sales restore, where its row gives none")
	f.BoolVar(&opt.BufferAtStart, "buffer-at-start", false, "lower the buffer of a bank that starts below it to its starting ratio")
	f.StringVar(&opt.Depth, "depth", "keep", "keep: the markets' depths as they are; inet: set from the banks' holdings (a tenth sold, a tenth off)")
	f.BoolVar(&opt.Add, "add", false, "add the banks to the scenario's agents instead of replacing them")
	f.BoolVar(&force, "force", false, "replace an existing FILE")
	return c
}

// extendsFrom is how a file in dir names scenario sc: a built-in by its
// name, a file by its path relative to dir (with a / in it, so that it
// reads as a path).
func extendsFrom(sc *scenarios.Scenario, dir string) (string, error) {
	if n, ok := strings.CutPrefix(sc.Origin, "builtin:"); ok {
		return n, nil
	}
	from, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	to, err := filepath.Abs(sc.Origin)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(from, to)
	if err != nil {
		return to, nil
	}
	rel = filepath.ToSlash(rel)
	if !strings.Contains(rel, "/") {
		rel = "./" + rel
	}
	return rel, nil
}

// banksCommand is the command line as the file's header gives it: the
// arguments and the flags set, in the order the help lists them.
func banksCommand(c *cobra.Command, a []string) string {
	parts := append([]string{"cascade banks"}, a...)
	c.Flags().VisitAll(func(f *pflag.Flag) {
		switch {
		case !f.Changed || f.Name == "force":
		case f.Value.Type() == "bool":
			parts = append(parts, "--"+f.Name)
		default:
			parts = append(parts, "--"+f.Name+" "+f.Value.String())
		}
	})
	return strings.Join(parts, " ")
}

// writeChecked loads src as a scenario file in dir before it is written to
// file (standard output for -), so that what is written is valid; the file
// appears whole or not at all.
func writeChecked(dir, file string, src []byte, c *cobra.Command) error {
	tmp, err := os.CreateTemp(dir, ".banks-*.yaml")
	if err != nil {
		return fmt.Errorf("banks: %w", err)
	}
	name := tmp.Name()
	defer os.Remove(name)
	_, err = tmp.Write(src)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("banks: %w", err)
	}
	if _, err := scenarios.Load(name, nil); err != nil {
		label := file
		if file == "-" {
			label = "the scenario made"
		}
		return inputError(fmt.Errorf("%s would not load (the line comments give the table's lines):\n%s", label, strings.ReplaceAll(err.Error(), name, label)))
	}
	if file == "-" {
		_, err := c.OutOrStdout().Write(src)
		return err
	}
	return output.WriteFileAtomic(file, func(w io.Writer) error {
		_, err := w.Write(src)
		return err
	})
}

func fmtG(v float64) string { return fmt.Sprintf("%.4g", v) }

// depthIn writes an exponential depth δ in the unit of flow its law counts
// (conventions.flow): money in the scenario's currency cur, or units.
func depthIn(cur, flow string, delta float64) string {
	if flow == "value" {
		return output.Money(cur, delta) + " of flow"
	}
	return fmtG(delta) + " units"
}

// priceOf is asset id's starting price in scenario sc (0 if it has none).
func priceOf(sc *scenarios.Scenario, id string) float64 {
	for _, a := range sc.File.Config.Assets {
		if a.ID == id {
			return a.Price
		}
	}
	return 0
}
