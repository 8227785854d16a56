package main

import (
	"context"
	"fmt"

	"github.com/cascade-sim/cascade/output"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
	"github.com/spf13/cobra"
)

func init() { extra = append(extra, newScoreCmd) }

func newScoreCmd() *cobra.Command {
	var seed uint64
	var sets []string
	c := &cobra.Command{
		Use:   "score SCENARIO",
		Short: "Run a replay and score it against what markets did (its observed: list)",
		Long: `Run a replay scenario and compare it, on daily closes at the New York close
as market data are quoted, with what markets did (the scenario's observed:
entries). Prints quantity, observed, simulated, tolerance and pass/fail; exits
0 when every quantity is within tolerance and 1 otherwise.`,
		Example: "  cascade score aug2024\n  cascade score apr2025 --seed 11",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			rows, name, err := scoreScenario(c.Context(), a[0], sets, seed, c.Flags().Changed("seed"))
			if err != nil {
				return err
			}
			if pass := output.PrintScore(c.OutOrStdout(), name, rows); pass < len(rows) {
				return fmt.Errorf("%d of %d quantities outside tolerance", len(rows)-pass, len(rows))
			}
			return nil
		},
	}
	c.Flags().Uint64Var(&seed, "seed", 0, "random seed (default: the scenario's)")
	c.Flags().StringArrayVar(&sets, "set", nil, "override a field: path.to.field=value (repeatable)")
	return c
}

// scoreScenario runs a scenario and scores it against its observed list.
func scoreScenario(ctx context.Context, name string, sets []string, seed uint64, seedSet bool) ([]output.ScoreRow, string, error) {
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		return nil, "", err
	}
	if len(sc.File.Observed) == 0 {
		return nil, "", inputError(fmt.Errorf("%s has no observed: entries to score against", name))
	}
	cfg := &sc.File.Config
	if seedSet {
		cfg.Seed = seed
	}
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		return nil, "", err
	}
	rec := output.NewRecorder(false)
	if err := m.Run(ctx, rec); err != nil {
		return nil, "", err
	}
	rows, err := output.Score(sc.File.Observed, rec.Timeseries())
	return rows, cfg.Name, err
}
