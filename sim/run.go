package sim

import (
	"context"
)

// Run runs the model to its horizon, handing every tick to the observers.
// It stops early, with the context's error, when ctx is done, at the start
// of the next tick: in a world of many agents a tick takes seconds, and a
// check every 64 of them left cascade run deaf to Ctrl-C for minutes.
func (m *Model) Run(ctx context.Context, obs ...Observer) error {
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
