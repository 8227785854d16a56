package sweep

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// runConfig returns run's configuration: a deep copy of the base (of its
// combination of variants) with the run's parameter values applied. The
// run (runOne) and the check of the runs (CheckRuns) both start from it.
func (sw *Sweep) runConfig(values []float64) (*sim.Config, error) {
	cfg := sw.baseConfig(values).Clone()
	for p := range sw.Params {
		q := &sw.Params[p]
		for j, t := range q.ts {
			if err := t.apply(cfg, q.fx[j].of(values[p]), q.Levels); err != nil {
				return nil, err
			}
		}
	}
	return cfg, nil
}

// checkRun sets run i up as the run will, without simulating it: its
// values applied to its base (runConfig), and the model built from that at
// the run's seed (sim.Build, which a population's vary draws depend on), so
// every check of a spec's Build (a bank's min_ratio <= buffer_ratio <=
// target_ratio), of the markets, dealers, brokers and events. A custom
// agent kind's own Check, which the loader calls and Build does not, is
// called too. It returns the notes on the run's set-up (sim.Model.Gists).
func (sw *Sweep) checkRun(i int, values []float64) ([]agents.Gist, error) {
	sw.Values(i, values)
	cfg, err := sw.runConfig(values)
	if err != nil {
		return nil, err
	}
	for k := range cfg.Agents {
		a := &cfg.Agents[k]
		if a.Custom == nil {
			continue
		}
		if c, ok := a.Custom.(agents.Checker); ok {
			if field, err := c.Check(); err != nil {
				if field != "" {
					return nil, fmt.Errorf("agents[%d].%s: %w", k, field, err)
				}
				return nil, fmt.Errorf("agents[%d]: %w", k, err)
			}
		}
	}
	m, err := sim.Build(cfg, sw.RunSeed(i))
	if err != nil {
		return nil, err
	}
	return m.Gists, nil
}

// RunFailure is a run that does not set up: its index, its parameter
// values and what refused it.
type RunFailure struct {
	Index  int
	Values []float64
	Err    error
}

// checkShown is how many failing runs a check names.
const checkShown = 3

// CheckRuns sets up every run of the shard (sh; the zero value: every run)
// as it will be made, without simulating it (checkRun): the parameters'
// ranges are checked one at a time when the file is loaded, and limits
// that hold one at a time can break in combination (a bank's buffer_ratio
// drawn above its target_ratio). It returns the notes on the runs' set-up,
// counted over them, as the sweep counts them; or scenarios.Problems
// naming the first failing runs with their values and how many fail.
// workers builds at once (0: GOMAXPROCS); progress, if set, is called
// with the runs checked and their total, now and then. Cancelling ctx
// stops it with ctx's error.
func (sw *Sweep) CheckRuns(ctx context.Context, sh Shard, workers int, progress func(done, total int)) (*Notes, error) {
	if sh.Count == 0 {
		sh = Whole
	}
	sh = sw.ShardOf(sh)
	n := sh.Size(sw.Runs)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	var (
		next, done atomic.Int64
		mu         sync.Mutex
		failed     int
		first      []RunFailure // the checkShown lowest failing runs
		wg         sync.WaitGroup
		notes      = newNoteTally()
	)
	const every = 256
	if progress != nil {
		progress(0, n)
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			values := make([]float64, len(sw.Params))
			mine := newNoteTally() // this worker's runs' notes
			defer func() {
				mu.Lock()
				notes.addNotes(mine.notes())
				mu.Unlock()
			}()
			for ctx.Err() == nil {
				k := int(next.Add(1)) - 1
				if k >= n {
					return
				}
				i := sh.Run(k)
				gists, err := sw.checkRun(i, values)
				mine.add(i, gists)
				if err != nil {
					mu.Lock()
					failed++
					if len(first) < checkShown || i < first[len(first)-1].Index {
						first = append(first, RunFailure{Index: i, Values: append([]float64(nil), values...), Err: err})
						sort.Slice(first, func(a, b int) bool { return first[a].Index < first[b].Index })
						first = first[:min(len(first), checkShown)]
					}
					mu.Unlock()
				}
				if d := done.Add(1); progress != nil && (d%every == 0 || int(d) == n) {
					mu.Lock()
					progress(int(d), n)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("interrupted while checking the runs (%d of %d set up), before any was made: %w", done.Load(), n, context.Cause(ctx))
	}
	if failed == 0 {
		return notes.notes(), nil
	}
	return nil, sw.runProblems(first, failed, n, sh)
}

// runProblems reports the failing runs a check found: one problem per run
// shown, at the file's parameters, and one that counts them, gives the
// command that makes the first alone, and says what to do.
func (sw *Sweep) runProblems(first []RunFailure, failed, n int, sh Shard) scenarios.Problems {
	pos := scenarios.Pos{File: sw.Path, Line: 1, Col: 1}
	if p, ok := sw.paramsPos(); ok {
		pos = p
	}
	var ps scenarios.Problems
	for _, f := range first {
		ps = append(ps, scenarios.Problem{Pos: pos, Path: "parameters",
			Msg: fmt.Sprintf("run %d (%s): %s", f.Index, sw.valuesText(f.Values), f.Err)})
	}
	of := fmt.Sprintf("%d of the %d runs", failed, n)
	switch {
	case failed == n && n == 1:
		of = "the only run"
	case failed == n:
		of = fmt.Sprintf("all %d runs", n)
	}
	if sh.Count > 1 {
		of += " of shard " + sh.String()
	}
	msg := fmt.Sprintf("%s %s not set up, so the sweep would stop at the first (run %d alone: %s)",
		of, plural(failed, "does", "do"), first[0].Index, sw.Reproduce(first[0].Index, first[0].Values))
	ps = append(ps, scenarios.Problem{Pos: pos, Path: "parameters", Msg: msg + "; " + sw.combinationHint()})
	return ps
}

// combinationHint says why runs fail whose parameters each pass the check
// of their range, and what to do.
func (sw *Sweep) combinationHint() string {
	if len(sw.Params) < 2 {
		return "the parameter's range passed its check at both ends, and fails between them or at the run's seed (a population's vary draws): narrow the range"
	}
	return "each parameter's range passed its check on its own, so their limits break in combination (a field drawn above one it must stay below): " +
		"draw ranges that hold together (e.g. one's max at or below the other's min), tie one field to the other with also: " +
		"(the same value, or with times and plus one in proportion: also: [{path: ..., plus: 0.01}]), " +
		"or sweep the combinations that hold as variants (each variant a set: of both fields)"
}

// valuesText writes a run's parameter values: "buffer_ratio 0.04951,
// target_ratio 0.04685".
func (sw *Sweep) valuesText(values []float64) string {
	parts := make([]string, len(sw.Params))
	for p := range sw.Params {
		q := &sw.Params[p]
		v := fmt.Sprintf("%.4g", values[p])
		if q.Levels != nil {
			v = q.Label(values[p])
		}
		parts[p] = q.Name + " " + v
	}
	return strings.Join(parts, ", ")
}

// paramsPos returns the position of the file's parameters.
func (sw *Sweep) paramsPos() (scenarios.Pos, bool) {
	p, ok := sw.at["parameters"]
	return p, ok
}
