package sim

import (
	"fmt"
	"math"
	"math/bits"
	"sort"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // sessions name time zones: run without a zone database (the host's, if any, is read first: docs/determinism.md)
)

// SessionSpec is when a market trades: between Open and Close local time
// (HH:MM) in Zone, on the given weekdays, except on holidays. Close before
// Open wraps past midnight (Sunday 17:00 to Friday 17:00 is written with
// weekly: true). A tick trades if any part of it falls in the session.
type SessionSpec struct {
	Like string `yaml:"like,omitempty" json:"like,omitempty"` // start from a built-in session
	Zone string `yaml:"zone,omitempty" json:"zone,omitempty"` // IANA time zone, e.g. Asia/Tokyo
	// Open is the local time the market opens, HH:MM in zone (with like
	// and no open, the built-in's open and close apply).
	Open string `yaml:"open,omitempty" json:"open,omitempty"`
	// Close is the local time the market closes, HH:MM in zone; a close
	// before the open wraps past midnight, into the morning after a listed
	// day. Given only with open (with like, the built-in's open and close
	// come together).
	Close string `yaml:"close,omitempty" json:"close,omitempty"`
	// Days are the weekdays the market trades, mon..sun (default mon-fri,
	// or with like the built-in's; an empty list is refused); a weekly
	// session names its first and last day.
	Days     []string `yaml:"days,omitempty" json:"days,omitempty"`
	Holidays []string `yaml:"holidays,omitempty" json:"holidays,omitempty"` // dates (YYYY-MM-DD) the market is closed
	// Weekly: one session a week from Open on the first day to Close on the
	// last (the FX week), instead of one a day (with like, given only with
	// days).
	Weekly bool `yaml:"weekly,omitempty" json:"weekly,omitempty"`
	// Changes are later changes of a daily session's hours, in date order:
	// from each change's date on, its open and close apply (with like and
	// no open, the built-in's changes come with its hours: tokyo closes at
	// 15:30 from 5 Nov 2024).
	Changes []SessionChange `yaml:"changes,omitempty" json:"changes,omitempty"`
}

// SessionChange is a change of a session's hours from a date on, as the
// Tokyo Stock Exchange's close moved from 15:00 to 15:30 on 5 Nov 2024.
type SessionChange struct {
	From  string `yaml:"from" json:"from"`                       // first local date (YYYY-MM-DD) of the new hours
	Open  string `yaml:"open,omitempty" json:"open,omitempty"`   // the new opening time, HH:MM (default: the one before)
	Close string `yaml:"close,omitempty" json:"close,omitempty"` // the new closing time, HH:MM (default: the one before)
}

// BuiltinSessions are the sessions assets may name without defining them.
var BuiltinSessions = map[string]SessionSpec{
	"always":   {},
	"fx":       {Zone: "America/New_York", Open: "17:00", Close: "17:00", Days: []string{"sun", "fri"}, Weekly: true},
	"futures":  {Zone: "America/New_York", Open: "18:00", Close: "17:00", Days: []string{"sun", "fri"}, Weekly: true},
	"tokyo":    {Zone: "Asia/Tokyo", Open: "09:00", Close: "15:00", Changes: []SessionChange{{From: "2024-11-05", Close: "15:30"}}},
	"new_york": {Zone: "America/New_York", Open: "09:30", Close: "16:00"},
	"london":   {Zone: "Europe/London", Open: "08:00", Close: "16:30"},
}

// SessionNames lists the built-in session names.
func SessionNames() []string {
	var n []string
	for k := range BuiltinSessions {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// session is a resolved SessionSpec.
type session struct {
	always      bool
	loc         *time.Location
	open, close int // minutes after local midnight
	days        [7]bool
	first, last time.Weekday
	weekly      bool
	holidays    map[int]bool // local dates as yyyymmdd
	changes     []hours      // later hours, in date order
}

// hours are a daily session's opening and closing minutes from a local
// date (yyyymmdd) on.
type hours struct{ from, open, close int }

// hoursOn returns the opening and closing minutes of the session on the
// local date key (yyyymmdd).
func (s *session) hoursOn(key int) (open, close int) {
	open, close = s.open, s.close
	for _, c := range s.changes {
		if c.from > key {
			break
		}
		open, close = c.open, c.close
	}
	return open, close
}

// resolveSession turns a spec (or a built-in name) into a session.
func resolveSession(name string, custom map[string]SessionSpec) (*session, error) {
	if name == "" {
		return &session{always: true}, nil
	}
	spec, ok := custom[name]
	if !ok {
		spec, ok = BuiltinSessions[name]
	}
	if !ok {
		return nil, fmt.Errorf("unknown session %q (built-ins: %s)", name, strings.Join(SessionNames(), ", "))
	}
	if spec.Like != "" {
		base, ok := BuiltinSessions[spec.Like]
		if !ok {
			return nil, fmt.Errorf("session %s: like: unknown built-in session %q", name, spec.Like)
		}
		if spec.Zone == "" {
			spec.Zone = base.Zone
		}
		if spec.Open == "" {
			spec.Open, spec.Close = base.Open, base.Close
			if spec.Changes == nil {
				spec.Changes = base.Changes
			}
		}
		if spec.Days == nil {
			spec.Days = base.Days
			spec.Weekly = base.Weekly
		}
	}
	if spec.Zone == "" && spec.Open == "" {
		return &session{always: true, holidays: holidays(spec.Holidays)}, nil
	}
	s := &session{weekly: spec.Weekly, holidays: holidays(spec.Holidays)}
	var err error
	if s.loc, err = loadLocation(spec.Zone); err != nil {
		return nil, fmt.Errorf("session %s: zone %q: %v", name, spec.Zone, err)
	}
	if s.open, err = hhmm(spec.Open); err != nil {
		return nil, fmt.Errorf("session %s: open: %v", name, err)
	}
	if s.close, err = hhmm(spec.Close); err != nil {
		return nil, fmt.Errorf("session %s: close: %v", name, err)
	}
	days := spec.Days
	if days == nil {
		days = []string{"mon", "tue", "wed", "thu", "fri"}
	}
	for k, d := range days {
		wd, ok := weekdays[strings.ToLower(d)]
		if !ok {
			return nil, fmt.Errorf("session %s: unknown day %q (want mon..sun)", name, d)
		}
		s.days[wd] = true
		if k == 0 {
			s.first = wd
		}
		s.last = wd
	}
	if s.weekly && len(days) != 2 {
		return nil, fmt.Errorf("session %s: a weekly session names its first and last day", name)
	}
	if len(spec.Changes) > 0 && s.weekly {
		return nil, fmt.Errorf("session %s: changes: a weekly session keeps its hours (changes are for daily sessions)", name)
	}
	if p := CheckChanges(spec.Changes); len(p) > 0 {
		return nil, fmt.Errorf("session %s: %s", name, p[0])
	}
	open, close := s.open, s.close
	for _, c := range spec.Changes { // sound: CheckChanges
		d, _ := time.Parse("2006-01-02", c.From)
		h := hours{from: dateKey(d), open: open, close: close}
		if c.Open != "" {
			h.open, _ = hhmm(c.Open)
		}
		if c.Close != "" {
			h.close, _ = hhmm(c.Close)
		}
		s.changes = append(s.changes, h)
		open, close = h.open, h.close
	}
	return s, nil
}

// ChangeProblem is what is wrong with a session's change of hours: the
// change's index, its field ("" for the change as a whole) and why.
type ChangeProblem struct {
	Index int
	Field string
	Msg   string
}

func (p ChangeProblem) String() string {
	if p.Field == "" {
		return fmt.Sprintf("changes[%d]: %s", p.Index, p.Msg)
	}
	return fmt.Sprintf("changes[%d].%s: %s", p.Index, p.Field, p.Msg)
}

// CheckChanges lists what is wrong with a session's changes of hours, in
// order: a from that is not a date or not after the change before it, a
// change with neither open nor close, a time that is not HH:MM. (Whether
// the session may have changes at all, being daily, is its own check.)
func CheckChanges(cs []SessionChange) []ChangeProblem {
	var probs []ChangeProblem
	var last time.Time
	for k, c := range cs {
		d, err := time.Parse("2006-01-02", c.From)
		switch {
		case err != nil:
			probs = append(probs, ChangeProblem{k, "from", fmt.Sprintf("%q is not a date (YYYY-MM-DD)", c.From)})
		case !last.IsZero() && !d.After(last):
			probs = append(probs, ChangeProblem{k, "from", fmt.Sprintf("%s is not after the change before it (%s): list changes in date order", c.From, last.Format("2006-01-02"))})
		}
		last = d
		if c.Open == "" && c.Close == "" {
			probs = append(probs, ChangeProblem{k, "", "give open, close or both: the hours from " + c.From})
		}
		for _, f := range [2][2]string{{"open", c.Open}, {"close", c.Close}} {
			if f[1] == "" {
				continue
			}
			if _, err := hhmm(f[1]); err != nil {
				probs = append(probs, ChangeProblem{k, f[0], err.Error()})
			}
		}
	}
	return probs
}

// loadLocation is time.LoadLocation with the answers kept: it reads the
// embedded zone database on every call, once per session per build.
func loadLocation(name string) (*time.Location, error) {
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err == nil {
		locations.Store(name, l)
	}
	return l, err
}

var locations sync.Map // zone name → *time.Location

func holidays(ds []string) map[int]bool {
	m := map[int]bool{}
	for _, d := range ds {
		if t, err := time.Parse("2006-01-02", d); err == nil { // validation reports the others
			m[dateKey(t)] = true
		}
	}
	return m
}

func dateKey(t time.Time) int {
	y, mo, d := t.Date()
	return y*10000 + int(mo)*100 + d
}

func hhmm(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a time of day (want HH:MM)", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// openAt reports whether the market trades at instant t.
func (s *session) openAt(t time.Time) bool {
	if s.always {
		return !s.holidays[dateKey(t.UTC())]
	}
	lt := t.In(s.loc)
	if s.holidays[dateKey(lt)] {
		return false
	}
	m := lt.Hour()*60 + lt.Minute()
	wd := lt.Weekday()
	if s.weekly { // from Open on the first day to Close on the last
		minuteOfWeek := func(d time.Weekday, min int) int { return int(d)*1440 + min }
		now := minuteOfWeek(wd, m)
		from, to := minuteOfWeek(s.first, s.open), minuteOfWeek(s.last, s.close)
		if from <= to {
			return now >= from && now < to
		}
		return now >= from || now < to
	}
	open, close := s.open, s.close
	if s.changes != nil {
		open, close = s.hoursOn(dateKey(lt))
	}
	if open <= close {
		return s.days[wd] && m >= open && m < close
	}
	// A session wrapping past midnight belongs to the day it opened: the
	// hours before its close are the previous day's session.
	if m >= open {
		return s.days[wd]
	}
	if s.changes != nil {
		if open, close = s.hoursOn(dateKey(lt.AddDate(0, 0, -1))); open <= close {
			return false // the day before closed before midnight
		}
	}
	return m < close && s.days[(wd+6)%7]
}

// openDuring reports whether the market trades at any moment of [t, t+d).
// A session's state changes only at a local midnight (a holiday begins or
// ends, the weekday changes) or at its opening time, so the market trades
// somewhere in the interval if it trades at its start or at one of those
// instants inside it.
func (s *session) openDuring(t time.Time, d time.Duration) bool {
	if s.always && len(s.holidays) == 0 {
		return true
	}
	if s.openAt(t) {
		return true
	}
	loc := s.loc
	if loc == nil {
		loc = time.UTC
	}
	end := t.Add(d)
	lt := t.In(loc)
	for day := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc); day.Before(end); day = day.AddDate(0, 0, 1) {
		y, m, dd := day.Date()
		open := s.open
		if s.changes != nil {
			open, _ = s.hoursOn(dateKey(day))
		}
		for _, c := range [2]time.Time{day, time.Date(y, m, dd, open/60, open%60, 0, 0, loc)} {
			if c.After(t) && c.Before(end) && s.openAt(c) {
				return true
			}
		}
	}
	return false
}

// calendar holds, per asset, a bit per tick: set when the market trades.
type calendar struct {
	bits   [][]uint64
	always []bool
	ticks  int
	year   []float64 // per asset, the share of the 52 weeks from the start in which it trades
	day    []float64 // per asset, the ticks it trades in one of its trading days
}

// dayMinutes is the length of one trading day of the session on the date
// of at, in minutes: open to close for a daily session; for a weekly one,
// the week's length over its number of days (the FX week, Sunday 17:00 to
// Friday 17:00 New York time, is five days of 24 hours).
func (s *session) dayMinutes(at time.Time) float64 {
	if s.always {
		return 1440
	}
	if !s.weekly {
		open, close := s.hoursOn(dateKey(at.In(s.loc)))
		d := (close - open + 1440) % 1440
		if d == 0 {
			d = 1440
		}
		return float64(d)
	}
	week := (int(s.last-s.first)*1440 + s.close - s.open + 7*1440) % (7 * 1440)
	if week == 0 {
		week = 7 * 1440
	}
	days := math.Max(1, math.Round(float64(week)/1440))
	return float64(week) / days
}

// dayTicks returns how many ticks of the given length one trading day of
// the session spans: a tick trades if any part of it falls in the session,
// so a 6.5-hour day is seven hourly ticks. At least one, at most a day's.
func dayTicks(minutes float64, tick time.Duration) float64 {
	perDay := float64(24*time.Hour) / float64(tick)
	n := math.Ceil(minutes*float64(time.Minute)/float64(tick) - 1e-9)
	return math.Min(perDay, math.Max(1, n))
}

// shareWeeks is the span openShare measures a market's trading share
// over: a whole number of weeks, so that weekends weigh as they do in a
// year, and fixed, so that no quantity at a tick depends on how long the
// run goes on after it.
const shareWeeks = 52

// newCalendar builds the trading calendar of ticks from start on, up to the
// given number of ticks. A trading day's ticks (DayTicks) are those of the
// hours in force at day0, the run's first tick.
func newCalendar(cfg *Config, start, day0 time.Time, tick time.Duration, ticks int, ids []string, sessions []string) (*calendar, error) {
	c := &calendar{bits: make([][]uint64, len(ids)), always: make([]bool, len(ids)), ticks: ticks, year: make([]float64, len(ids)), day: make([]float64, len(ids))}
	yearTicks := int(shareWeeks * 7 * 24 * time.Hour / tick)
	for i, name := range sessions {
		s, err := resolveSession(name, cfg.Sessions)
		if err != nil {
			return nil, fmt.Errorf("assets[%d] (%s): %w", i, ids[i], err)
		}
		c.day[i] = dayTicks(s.dayMinutes(day0), tick)
		if s.always && len(s.holidays) == 0 {
			c.always[i] = true
			continue
		}
		// The key holds the definition itself, the scenario's or the
		// built-in's: a program may change BuiltinSessions between runs.
		def, ok := cfg.Sessions[name]
		if !ok {
			def = BuiltinSessions[name]
		}
		spec := fmt.Sprintf("%q %+v", name, def)
		c.bits[i] = sessionBits.get(calendarKey{spec: spec, start: start.UnixNano(), tick: tick, ticks: ticks}, s, start)
		c.year[i] = 1
		if yearTicks > 0 {
			open := 0
			for _, b := range sessionBits.get(calendarKey{spec: spec, start: start.UnixNano(), tick: tick, ticks: yearTicks}, s, start) {
				open += bits.OnesCount64(b)
			}
			if open > 0 {
				c.year[i] = float64(open) / float64(yearTicks)
			}
		}
	}
	return c, nil
}

// calendarKey names one session's bits: the session's definition (the
// scenario's, or the built-in's as BuiltinSessions holds it), the first
// tick, the span and the number of ticks.
type calendarKey struct {
	spec  string
	start int64
	tick  time.Duration
	ticks int
}

// bitCache keeps the sessions' bits across builds: every run of a sweep,
// and its passive twin, trades on the same calendar, and working it out
// tick by tick in the session's time zone is a large part of a build. The
// bits are shared and never written after they are made.
type bitCache struct {
	mu sync.Mutex
	m  map[calendarKey][]uint64
}

var sessionBits bitCache

func (bc *bitCache) get(k calendarKey, s *session, start time.Time) []uint64 {
	bc.mu.Lock()
	b, ok := bc.m[k]
	bc.mu.Unlock()
	if ok {
		return b
	}
	b = make([]uint64, (k.ticks+63)/64)
	for t := 0; t < k.ticks; t++ {
		if s.openDuring(start.Add(time.Duration(t)*k.tick), k.tick) {
			b[t/64] |= 1 << (t % 64)
		}
	}
	bc.mu.Lock()
	if bc.m == nil || len(bc.m) >= 64 { // a sweep over start dates must not grow it without bound
		bc.m = map[calendarKey][]uint64{}
	}
	bc.m[k] = b
	bc.mu.Unlock()
	return b
}

// openShare returns the share of ticks in which asset i trades, over the
// 52 weeks from the calendar's start (holidays included), whatever the
// run's length.
func (c *calendar) openShare(i int) float64 {
	if c.always[i] {
		return 1
	}
	return c.year[i]
}

// everyTick reports whether every asset trades at every tick.
func (c *calendar) everyTick() bool {
	for _, a := range c.always {
		if !a {
			return false
		}
	}
	return true
}

// open reports whether asset i trades at tick t.
func (c *calendar) open(i, t int) bool {
	if c.always[i] {
		return true
	}
	w := t / 64
	return w < len(c.bits[i]) && c.bits[i][w]&(1<<(t%64)) != 0
}

// CheckSession reports what is wrong with a session definition.
func CheckSession(name string, custom map[string]SessionSpec) error {
	_, err := resolveSession(name, custom)
	return err
}
