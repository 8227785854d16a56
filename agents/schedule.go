package agents

import (
	"fmt"
	"math"
	"strings"
	"time"
	_ "time/tzdata" // rebalance_at names time zones: run without a zone database (the host's, if any, is read first: docs/determinism.md)
)

// rebalanceAt is a parsed rebalance_at: at each market's close, or at a
// clock time in a time zone.
type rebalanceAt struct {
	close bool
	min   int            // the clock time, minutes after midnight in loc
	loc   *time.Location // the clock time's zone
}

// RebalanceAtPattern is the form of a rebalance_at value, as a regular
// expression (for the scenario schema): close, or HH:MM with an optional
// IANA time zone. Whether the zone exists is for CheckRebalanceAt to say.
const RebalanceAtPattern = `^(close|([01]?[0-9]|2[0-3]):[0-5][0-9]( [A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*)?)$`

// CheckRebalanceAt checks a rebalancing fund's rebalance_at
// (CTASpec.RebalanceAt: empty, "close", or a clock time "HH:MM" with an
// optional IANA time zone after a space, "15:45 America/New_York"; UTC
// without one) and, with it, its rebalance_days (0: the default, 1). It
// names the field at fault.
func CheckRebalanceAt(at string, rebalanceDays float64) (field string, err error) {
	if at == "" {
		return "", nil
	}
	_, _, field, err = schedulePlan(at, rebalanceDays)
	return field, err
}

// schedulePlan parses rebalance_at and the rebalance_days that goes with
// it: every how many weekdays or closes the fund rebalances.
func schedulePlan(at string, rebalanceDays float64) (r rebalanceAt, every int, field string, err error) {
	if r, err = parseRebalanceAt(at); err != nil {
		return r, 0, "rebalance_at", err
	}
	days := orDefault(rebalanceDays, 1)
	if !(days >= 1) || days != math.Trunc(days) || days > 1e6 {
		return r, 0, "rebalance_days", fmt.Errorf("with rebalance_at, rebalance_days counts days (weekdays or closes): a whole number at least 1 (got %v)", rebalanceDays)
	}
	return r, int(days), "", nil
}

func parseRebalanceAt(s string) (rebalanceAt, error) {
	if s == "close" {
		return rebalanceAt{close: true}, nil
	}
	clock, zone, _ := strings.Cut(strings.TrimSpace(s), " ")
	t, err := time.Parse("15:04", clock)
	if err != nil {
		return rebalanceAt{}, fmt.Errorf("%q: want close, or a time of day HH:MM with an optional time zone (\"15:45 America/New_York\")", s)
	}
	r := rebalanceAt{min: t.Hour()*60 + t.Minute(), loc: time.UTC}
	if zone = strings.TrimSpace(zone); zone != "" {
		if r.loc, err = time.LoadLocation(zone); err != nil || zone == "Local" {
			return rebalanceAt{}, fmt.Errorf("%q: unknown time zone %q (want an IANA name such as America/New_York)", s, zone)
		}
	}
	return r, nil
}

// clockTicks returns the ticks of [0, ticks) from start that hold the
// clock time r on every every-th weekday (Monday to Friday in r's zone),
// counted from the first in the run, each tick once.
func clockTicks(r rebalanceAt, start time.Time, tick time.Duration, ticks, every int) []int32 {
	var out []int32
	end := start.Add(time.Duration(ticks) * tick)
	s := start.In(r.loc)
	n := 0
	for day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, r.loc); day.Before(end); day = day.AddDate(0, 0, 1) {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		y, m, d := day.Date()
		at := time.Date(y, m, d, r.min/60, r.min%60, 0, 0, r.loc)
		if at.Before(start) || !at.Before(end) {
			continue
		}
		if n%every == 0 {
			t := int32(at.Sub(start) / tick)
			if len(out) == 0 || out[len(out)-1] != t {
				out = append(out, t)
			}
		}
		n++
	}
	return out
}

// closeTicks returns asset i's closes in [0, ticks): the ticks in which
// its market trades and does not trade in the next. A market that does
// not shut at all in a day (UTC) closes that day at its last tick instead:
// a market that trades round the clock, or through the weekdays of a
// weekly session. A market that shuts once a day, whenever that falls,
// closes once a day: a break at 21:00 UTC is its close, and the hour it
// trades after it, before midnight, belongs to the next close. It keeps
// every every-th, from the first. The run's last tick is a close only at
// the end of a day that had no break: the calendar does not say whether
// the market trades after it. trades nil: every market trades at every
// tick.
func closeTicks(trades func(i, t int) bool, start time.Time, tick time.Duration, ticks, i, every int) []int32 {
	open := func(t int) bool { return trades == nil || trades(i, t) }
	day := func(t int) int {
		y, m, d := start.Add(time.Duration(t) * tick).UTC().Date()
		return y*10000 + int(m)*100 + d
	}
	shut := map[int]bool{} // the days with a tick the market does not trade in
	for t := 0; t < ticks; t++ {
		if !open(t) {
			shut[day(t)] = true
		}
	}
	var out []int32
	n := 0
	for t := 0; t < ticks; t++ {
		if !open(t) {
			continue
		}
		shuts := t+1 < ticks && !open(t+1)
		if !shuts && (day(t+1) == day(t) || shut[day(t)]) {
			continue
		}
		if n%every == 0 {
			out = append(out, int32(t))
		}
		n++
	}
	return out
}

// schedule returns the ticks key's schedule, made once per run and shared
// by every book that asks for the same one (a population's members do).
func (e *Env) schedule(key any, make func() []int32) []int32 {
	if e.shared == nil {
		e.shared = map[any]any{}
	}
	if s, ok := e.shared[key].([]int32); ok {
		return s
	}
	s := make()
	e.shared[key] = s
	return s
}
