package sim

import (
	"context"
	"fmt"
)

// Run runs a model just built to its horizon, handing every tick to the
// observers. It stops early, with the context's error, when ctx is done, at
// the start of the next tick: in a world of many agents a tick takes
// seconds, and a check every 64 of them left cascade run deaf to Ctrl-C for
// minutes. A model already stepped or run is refused: its observers would
// see only the rest of the run and summarize that as the whole; build
// another (Build is cheap) or go on with Step.
func (m *Model) Run(ctx context.Context, obs ...Observer) error {
	if err := m.built(); err != nil {
		return err
	}
	if m.W.Tick != 0 {
		return fmt.Errorf("sim: Run needs a model at its first tick, and this one is at tick %d of %d (stepped or run already): build another", m.W.Tick, m.Cfg.Ticks)
	}
	m.rec.obs = obs
	for _, o := range obs {
		if err := o.Begin(m); err != nil {
			return err
		}
	}
	for !m.Done() {
		if ctx != nil {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := m.Step(); err != nil {
			return err
		}
		if m.obsErr != nil {
			return m.obsErr
		}
	}
	for _, o := range obs {
		if err := o.End(m); err != nil {
			return err
		}
	}
	return nil
}
