package sim

import (
	"context"
)

// Run runs the model to its horizon, handing every tick to the observers.
// It stops early, with the context's error, when ctx is done.
func (m *Model) Run(ctx context.Context, obs ...Observer) error {
	m.rec.obs = obs
	for _, o := range obs {
		if err := o.Begin(m); err != nil {
			return err
		}
	}
	for !m.Done() {
		if ctx != nil && m.W.Tick%64 == 0 {
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
