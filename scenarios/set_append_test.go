package scenarios

import (
	"strings"
	"testing"
)

// extraShock is an event appended from the command line.
const extraShock = "events+=[{at: 2024-08-01T00:00:00Z, kind: shock, label: extra, shocks: {NKY: -0.05}}]"

// TestSetAppend: --set 'LIST+=[...]' appends entries to a list of the
// scenario, as a file's LIST+: does (events+, agents+, observed+ and any
// other list), or starts the list where there is none; the base's entries
// keep their places and labels, a later override reaches an appended event
// by its label, and an appended event marks the description, not a label.
func TestSetAppend(t *testing.T) {
	base, err := Load("mini", nil)
	if err != nil {
		t.Fatal(err)
	}
	nEvents, nAgents := len(base.File.Events), len(base.File.Agents)
	for _, c := range []struct {
		name  string
		sets  []string
		check func(f *File) string // "" when f is as it should be
	}{
		{"an event", []string{extraShock}, func(f *File) string {
			if len(f.Events) != nEvents+1 || f.Events[nEvents].Label != "extra" || f.Events[nEvents].Shocks["NKY"] != -0.05 || f.Events[nEvents].Tick != 48 {
				return "want the base's events, then the extra shock at tick 48"
			}
			for j, e := range base.File.Events {
				if f.Events[j].Label != e.Label || f.Events[j].Tick != e.Tick {
					return "a base event changed"
				}
			}
			if !strings.HasSuffix(f.Description, " Edited: "+extraShock+".") {
				return "the description is not marked"
			}
			return ""
		}},
		{"two events, then one off by its label", []string{
			"events+=[{tick: 10, kind: shock, label: a, shocks: {SPX: -0.01}}, {tick: 20, kind: volatility, multiplier: 2, half_life_days: 1}]",
			"events[a].off=true"}, func(f *File) string {
			if len(f.Events) != nEvents+2 || f.Events[nEvents].Label != "a (edited: off=true)" || !f.Events[nEvents].Off || f.Events[nEvents+1].Kind != "volatility" {
				return "want the base's events, then a (off, and its label marked so) and the volatility event"
			}
			return ""
		}},
		{"nothing", []string{"events+=[]"}, func(f *File) string {
			if len(f.Events) != nEvents || f.Description != base.File.Description {
				return "want the base's events and description"
			}
			return ""
		}},
		{"an agent", []string{"agents+=[{kind: central_bank, id: boj-etf, rule: asset_purchase, asset: NKY, drawdown: 0.05, amount: 7.0e+11, cooldown_days: 1}]"}, func(f *File) string {
			if len(f.Agents) != nAgents+1 || f.Agents[nAgents].CentralBank == nil || f.Agents[nAgents].CentralBank.ID != "boj-etf" {
				return "want the base's agents, then boj-etf"
			}
			return ""
		}},
		{"a nested list", []string{"report.correlation_assets+=[UST10Y]"}, func(f *File) string {
			if got := strings.Join(f.Report.CorrelationAssets, ","); got != "USDJPY,SPX,NKY,UST10Y" {
				return "correlation assets " + got
			}
			return ""
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := Load("mini", c.sets)
			if err != nil {
				t.Fatal(err)
			}
			if msg := c.check(sc.File); msg != "" {
				t.Errorf("%q: %s", c.sets, msg)
			}
		})
	}
}

// TestSetAppendProblems: a problem in an entry --set appends is placed
// where the override writes it, --set #N:line:col, and named as the
// override has it (events+[0]), with the entry's place in the scenario; an
// append needs a list, to a list, at the end of the path.
func TestSetAppendProblems(t *testing.T) {
	for _, c := range []struct {
		flag string
		sets []string
		want string
	}{
		{"--set", []string{"events+=[{at: 2024-08-01T00:00:00Z, kind: shock, labl: extra, shocks: {NKY: -0.05}}]"},
			`--set #1:1:50: events+[0].labl: unknown field (did you mean "label"?) (events+[0] is the scenario's events[2])`},
		{"--set-b", []string{"leverage_scale=1", "events+=[{tick: 10, kind: shock, shocks: {SPX: -0.01}}, {tick: 20, kind: shock, shocks: {SPY: -0.01}}]"},
			`--set-b #2:1:95: events+[1].shocks.SPY: unknown asset "SPY" (did you mean "SPX"?) (assets: NKY, SPX, TY, USDJPY, UST10Y) (events+[1] is the scenario's events[3])`},
		{"--set", []string{"events+=[{tick: 80, kind: shock, shocks: {SPX: -0.01}}]"},
			`--set #1:1:17: events+[0].tick: event is outside the horizon`},
		{"--set", []string{"observed+=[{asset: NKY}]"},
			`--set #1:1:12: observed+[0].quantity: unknown quantity ""`},
		{"--set", []string{"events+={tick: 10, kind: shock, shocks: {SPX: -0.01}}"},
			`--set #1:1:1: events+: events+= appends a list of entries to events: want a list, events+=[...] (one entry is [{...}])`},
		{"--set", []string{"events+.0.off=true"},
			`--set #1:1:1: events+.0.off: events+ appends to the list events, and nothing can follow it`},
		{"--set", []string{"description+=[x]"},
			`--set #1:1:1: description+: description+= appends to a list, and description is not one: write description=... to replace it`},
	} {
		t.Run(c.want, func(t *testing.T) {
			_, err := LoadOverrides("mini", Overrides{Flag: c.flag, Sets: c.sets})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s %q: error\n%v\nwant\n%s", c.flag, c.sets, err, c.want)
			}
		})
	}
}
