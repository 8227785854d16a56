// Command losscut is the cascade command with one agent kind of its own,
// loss_cut, registered: a program's own kind becomes nameable in scenario
// and sweep files, with every command of cascade (run, sweep, score,
// validate, schema). See docs/library.md.
//
//	go run ./examples/losscut run examples/losscut/retail.yaml
//	go run ./examples/losscut sweep examples/losscut/sweep.yaml
//
// A loss_cut agent holds an asset priced in USD, bought with its own money
// at the start, and cuts it in stages as the price falls, as retail margin
// accounts' automatic loss cuts do: each time the price is another step
// below where it started, it sells the share cut of what it still holds.
package main

import (
	"errors"
	"fmt"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/cmd/cascade/cli"
	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// lossCut is the kind's spec, filled from a scenario entry by the yaml
// names of its fields; populations (count, vary) and sweeps set them by
// those names too. A range tag gives a field the range the loader checks,
// in the entry and in every draw of a population's vary, and that
// cascade schema states (docs/library.md).
type lossCut struct {
	ID    string  `yaml:"id"`
	Asset string  `yaml:"asset"`                  // an asset priced in USD
	Value float64 `yaml:"value" range:"positive"` // USD bought at set-up
	Step  float64 `yaml:"step" range:"fraction"`  // the fall from the start between cuts: 0.02 is 2%
	Cut   float64 `yaml:"cut" range:"share"`      // the share of the holding each cut sells
}

// Check is the kind's own validation (agents.Checker), for what its ranges
// do not say: the loader reports its error at the field named, with the
// file's line and column.
func (s *lossCut) Check() (field string, err error) {
	switch {
	case s.Asset == "":
		return "asset", errors.New("missing: name the asset held")
	case s.Step == 0:
		return "step", errors.New("must be above 0: the fall between cuts")
	case s.Cut == 0:
		return "cut", errors.New("must be above 0: a cut of 0 never sells")
	}
	return "", nil
}

// Build puts the holder on the books: its money paid in by the outside
// sector, then spent on the asset at the starting price. Its sales are
// counted with the hedge funds' (the kind of its holder), and channels:
// {off: [hedge_fund]} makes it passive with them.
func (s *lossCut) Build(env *agents.Env) (agents.Agent, error) {
	i, err := env.Asset(s.Asset)
	if err != nil {
		return nil, err
	}
	w := env.W
	if w.Assets[i].Currency != core.USD {
		return nil, fmt.Errorf("loss_cut %s: %s is not priced in USD", s.ID, s.Asset)
	}
	h := w.AddHolder(s.ID, core.HedgeFund)
	w.Endow(h, core.USD, s.Value)
	w.SetupTrade(h, 0, i, s.Value/w.NotionalUSD(i, 1))
	return &lossCutter{h: h, asset: i, start: w.Price[i], step: s.Step, cut: s.Cut}, nil
}

type lossCutter struct {
	h                *core.Holder
	asset            int
	start, step, cut float64
	stages           int // cuts made so far
}

func (a *lossCutter) Holder() *core.Holder { return a.h }

// Decide sells, in the first clearing round of a tick in which its market
// trades, one cut for every stage the price has fallen through since the
// last: held·(1 − (1 − cut)^n) units for n new stages.
func (a *lossCutter) Decide(w *core.World) {
	held := a.h.Accounts[0].Units[a.asset]
	if w.Round != 0 || a.h.Passive || held <= 0 || !w.Trades(a.asset) {
		return
	}
	stage := int((a.start - w.Price[a.asset]) / (a.start * a.step))
	if stage <= a.stages {
		return
	}
	keep := 1.0
	for ; a.stages < stage; a.stages++ {
		keep *= 1 - a.cut
	}
	w.Submit(core.Order{Holder: a.h.Index, Asset: a.asset, Units: -held * (1 - keep), Reason: core.StopLoss})
}

func main() {
	sim.Register("loss_cut", func() agents.Maker { return &lossCut{} })
	cli.Main()
}
