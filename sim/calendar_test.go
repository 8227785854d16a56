package sim

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/core"
)

func mustSession(t *testing.T, name string, custom map[string]SessionSpec) *session {
	t.Helper()
	s, err := resolveSession(name, custom)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSessionHours: the built-in sessions at known instants (UTC), across a
// US daylight-saving change and a Tokyo holiday.
func TestSessionHours(t *testing.T) {
	custom := map[string]SessionSpec{
		"tse":   {Like: "tokyo", Holidays: []string{"2024-08-12"}},
		"fixed": {Like: "tokyo", Open: "09:00", Close: "15:00"}, // hours given: the built-in's changes do not apply
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		session, at string
		open        bool
	}{
		{"tokyo", "2024-08-05T00:00:00Z", true},  // 09:00 JST Monday
		{"tokyo", "2024-08-05T05:59:00Z", true},  // 14:59 JST
		{"tokyo", "2024-08-05T06:00:00Z", false}, // 15:00 JST: closed
		{"tokyo", "2024-08-04T01:00:00Z", false}, // Sunday
		{"tse", "2024-08-12T01:00:00Z", false},   // Mountain Day (observed)
		{"tse", "2024-08-13T01:00:00Z", true},
		{"tokyo", "2024-11-01T06:00:00Z", false}, // Friday 15:00 JST, before the TSE's longer day
		{"tokyo", "2024-11-05T06:00:00Z", true},  // Tuesday 15:00 JST: the close is 15:30 from 5 Nov 2024
		{"tokyo", "2024-11-05T06:29:00Z", true},
		{"tokyo", "2024-11-05T06:30:00Z", false},
		{"tse", "2025-04-07T06:15:00Z", true},
		{"fixed", "2025-04-07T06:15:00Z", false},
		{"fixed", "2025-04-07T05:59:00Z", true},
		{"new_york", "2024-08-05T13:30:00Z", true},  // 09:30 EDT
		{"new_york", "2024-08-05T13:29:00Z", false}, // 09:29 EDT
		{"new_york", "2024-08-05T19:59:00Z", true},  // 15:59 EDT
		{"new_york", "2024-08-05T20:00:00Z", false}, // 16:00 EDT
		{"new_york", "2024-11-04T14:30:00Z", true},  // 09:30 EST, after the change
		{"new_york", "2024-11-04T14:29:00Z", false},
		{"fx", "2024-08-02T20:59:00Z", true},  // Friday 16:59 EDT
		{"fx", "2024-08-02T21:00:00Z", false}, // Friday 17:00 EDT: the week ends
		{"fx", "2024-08-03T12:00:00Z", false}, // Saturday
		{"fx", "2024-08-04T20:59:00Z", false}, // Sunday 16:59 EDT
		{"fx", "2024-08-04T21:00:00Z", true},  // Sunday 17:00 EDT: the week starts
		{"futures", "2024-08-04T21:30:00Z", false},
		{"futures", "2024-08-04T22:00:00Z", true}, // Sunday 18:00 EDT
		{"always", "2024-08-03T12:00:00Z", true},
	} {
		if got := mustSession(t, c.session, custom).openAt(at(c.at)); got != c.open {
			t.Errorf("%s at %s: open %v, want %v", c.session, c.at, got, c.open)
		}
	}
}

// TestOpenDuring: whether a market trades at any moment of a tick agrees
// with checking every minute of it, for every built-in session, a session
// with holidays and one that wraps past midnight, at random instants and
// tick lengths through a year with daylight-saving changes.
func TestOpenDuring(t *testing.T) {
	custom := map[string]SessionSpec{
		"tse":   {Like: "tokyo", Holidays: []string{"2024-08-12", "2024-09-16", "2024-12-31"}},
		"night": {Zone: "Europe/London", Open: "22:00", Close: "03:00", Days: []string{"mon", "tue", "wed", "thu", "fri"}},
		"hol":   {Holidays: []string{"2024-03-10", "2024-11-03"}},
		// Hours that change twice: the night session closes earlier from
		// June, and from September is a day session.
		"moved": {Zone: "Europe/London", Open: "22:00", Close: "03:00", Changes: []SessionChange{{From: "2024-06-01", Close: "01:00"}, {From: "2024-09-01", Open: "09:00", Close: "17:00"}}},
	}
	names := append(SessionNames(), "tse", "night", "hol", "moved")
	r := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range names {
		s := mustSession(t, name, custom)
		for k := 0; k < 3000; k++ {
			at := start.Add(time.Duration(r.IntN(366*24*60)) * time.Minute)
			d := []time.Duration{time.Hour, 15 * time.Minute, 4 * time.Hour, 24 * time.Hour}[r.IntN(4)]
			want := false
			for x := time.Duration(0); x < d; x += time.Minute {
				if s.openAt(at.Add(x)) {
					want = true
					break
				}
			}
			if got := s.openDuring(at, d); got != want {
				t.Fatalf("%s: [%s, +%s): open %v, minute by minute %v", name, at.Format(time.RFC3339), d, got, want)
			}
		}
	}
}

// TestClosedMarketGap: a shock while an asset's market is closed moves
// nothing until it opens, and then all at once; orders while it is closed
// are refused.
func TestClosedMarketGap(t *testing.T) {
	cfg := smallWorld("SPX", "NKY", "USDJPY")
	cfg.Start = time.Date(2024, 8, 2, 0, 0, 0, 0, time.UTC) // Friday
	cfg.Ticks = 80
	cfg.Assets[1].Session = "tokyo"
	cfg.Events = []EventSpec{{Tick: 12, Kind: "shock", Shocks: map[string]float64{"NKY": -0.05}}} // Friday 12:00 UTC
	var nky []float64
	var trading []bool
	m := run(t, cfg, func(m *Model, f *Frame) {
		nky = append(nky, f.Price[1])
		trading = append(trading, m.W.Trading[1])
	})
	p0 := nky[5] // closed from 06:00 UTC Friday
	for tick := 6; tick < 72; tick++ {
		if nky[tick] != p0 || trading[tick] {
			t.Fatalf("tick %d: NKY %v (trading %v) while Tokyo is closed, want %v", tick, nky[tick], trading[tick], p0)
		}
	}
	// Monday 00:00 UTC is 09:00 in Tokyo: the weekend's news arrives.
	if !trading[72] || !closeRel(nky[72]/p0-1, -0.05, 1e-9) {
		t.Errorf("at Monday's open NKY moved %.6f (trading %v), want the -5%% shock", nky[72]/p0-1, trading[72])
	}
	// An order to a closed market is refused.
	w := m.W
	w.Trading[1] = false
	before := w.Rejected
	w.Submit(core.Order{Holder: 1, Asset: 1, Units: 1})
	if w.Rejected != before+1 || len(w.Orders()) != 0 {
		t.Errorf("an order to a closed market was accepted (rejected %d, queued %d)", w.Rejected-before, len(w.Orders()))
	}
}

func closeRel(a, b, tol float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= tol*(1+abs(b))
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestCalendarShared: builds share a session's bits only when the session,
// the first tick, the span and the number of ticks all agree; a scenario
// that redefines a built-in session's name gets its own bits, as does a
// program that changes a built-in in BuiltinSessions. Each
// calendar agrees tick by tick with the session itself.
func TestCalendarShared(t *testing.T) {
	start := time.Date(2024, 8, 2, 0, 0, 0, 0, time.UTC)
	ids, names := []string{"NKY"}, []string{"tokyo"}
	build := func(cfg *Config, start time.Time, tick time.Duration, ticks int) *calendar {
		t.Helper()
		c, err := newCalendar(cfg, start, start, tick, ticks, ids, names)
		if err != nil {
			t.Fatal(err)
		}
		s := mustSession(t, "tokyo", cfg.Sessions)
		for k := 0; k < ticks; k++ {
			if got, want := c.open(0, k), s.openDuring(start.Add(time.Duration(k)*tick), tick); got != want {
				t.Fatalf("tick %d: open %v, session says %v", k, got, want)
			}
		}
		return c
	}
	base := build(&Config{}, start, time.Hour, 200)
	same := build(&Config{}, start, time.Hour, 200)
	if &base.bits[0][0] != &same.bits[0][0] {
		t.Error("a second build of the same calendar did not share its bits")
	}
	late := &Config{Sessions: map[string]SessionSpec{"tokyo": {Like: "tokyo", Open: "12:30", Close: "15:00"}}}
	for name, c := range map[string]*calendar{
		"redefined session": build(late, start, time.Hour, 200),
		"later start":       build(&Config{}, start.Add(24*time.Hour), time.Hour, 200),
		"shorter tick":      build(&Config{}, start, 30*time.Minute, 200),
		"more ticks":        build(&Config{}, start, time.Hour, 300),
	} {
		if &c.bits[0][0] == &base.bits[0][0] {
			t.Errorf("%s: shares the base calendar's bits", name)
		}
	}
	// A program that changes a built-in session (Tokyo's close moved to
	// 15:30 in November 2024) gets calendars of the changed session.
	builtin := BuiltinSessions["tokyo"]
	defer func() { BuiltinSessions["tokyo"] = builtin }()
	changed := builtin
	changed.Open = "12:30"
	BuiltinSessions["tokyo"] = changed
	if c := build(&Config{}, start, time.Hour, 200); &c.bits[0][0] == &base.bits[0][0] {
		t.Error("changed built-in session: shares the base calendar's bits")
	}
}

// TestDayTicks: the ticks one trading day of each built-in session spans,
// which rates stated per day of trading are spread over (ODD N8, N9). A tick
// trades if any part of it falls in the session, so New York's 6.5 hours
// are seven hourly ticks; the FX and futures weeks are five days. Tokyo's
// close moved from 15:00 to 15:30 on 5 Nov 2024: six hourly ticks before,
// seven from then on.
func TestDayTicks(t *testing.T) {
	before := time.Date(2024, 8, 5, 0, 0, 0, 0, time.UTC)
	after := time.Date(2025, 4, 3, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		session string
		tick    time.Duration
		want    float64
		at      time.Time
	}{
		{"tokyo", time.Hour, 7, after},
		{"tokyo", 30 * time.Minute, 13, after},
		{"tokyo", 30 * time.Minute, 12, before},
		{"tokyo", time.Hour, 6, time.Date(2024, 11, 4, 14, 59, 0, 0, time.UTC)}, // 23:59 on the 4th in Tokyo
		{"tokyo", time.Hour, 7, time.Date(2024, 11, 4, 15, 0, 0, 0, time.UTC)},  // midnight of the 5th in Tokyo
		{"always", time.Hour, 24, time.Time{}},
		{"fx", time.Hour, 24, time.Time{}},
		{"futures", time.Hour, 24, time.Time{}}, // Sunday 18:00 to Friday 17:00: 119 hours over five days
		{"tokyo", time.Hour, 6, time.Time{}},
		{"new_york", time.Hour, 7, time.Time{}},
		{"new_york", 30 * time.Minute, 13, time.Time{}},
		{"london", time.Hour, 9, time.Time{}},
		{"tokyo", 24 * time.Hour, 1, time.Time{}},
		{"fx", 4 * time.Hour, 6, time.Time{}},
	} {
		s, err := resolveSession(c.session, nil)
		if err != nil {
			t.Fatal(err)
		}
		at := c.at
		if at.IsZero() {
			at = before
		}
		if got := dayTicks(s.dayMinutes(at), c.tick); got != c.want {
			t.Errorf("%s at %v ticks on %s: %v ticks a trading day, want %v", c.session, c.tick, at.Format(time.RFC3339), got, c.want)
		}
	}
}

// TestSessionChanges: a session's later hours apply from their date on,
// carry the hours before them where a half is left out, and are refused
// out of date order, empty, on a weekly session, or not dates and times.
func TestSessionChanges(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	s := mustSession(t, "x", map[string]SessionSpec{"x": {Zone: "UTC", Open: "09:00", Close: "17:00", Changes: []SessionChange{{From: "2025-01-01", Close: "18:00"}, {From: "2025-02-01", Open: "08:00"}}}})
	for _, c := range []struct {
		at   string
		open bool
	}{
		{"2024-12-31T17:30:00Z", false},
		{"2025-01-01T17:30:00Z", true},
		{"2025-01-31T08:30:00Z", false},
		{"2025-02-03T08:30:00Z", true},  // the open from February on
		{"2025-02-03T17:30:00Z", true},  // the close of January carried on
		{"2025-02-03T18:00:00Z", false}, // closed at 18:00
	} {
		if got := s.openAt(at(c.at)); got != c.open {
			t.Errorf("at %s: open %v, want %v", c.at, got, c.open)
		}
	}
	for _, c := range []struct {
		spec SessionSpec
		want string
	}{
		{SessionSpec{Zone: "UTC", Open: "09:00", Close: "17:00", Changes: []SessionChange{{From: "2025-02-01", Close: "18:00"}, {From: "2025-01-01", Close: "16:00"}}}, "session x: changes[1].from: 2025-01-01 is not after the change before it (2025-02-01): list changes in date order"},
		{SessionSpec{Zone: "UTC", Open: "09:00", Close: "17:00", Changes: []SessionChange{{From: "2025-02-01"}}}, "session x: changes[0]: give open, close or both: the hours from 2025-02-01"},
		{SessionSpec{Zone: "UTC", Open: "09:00", Close: "17:00", Changes: []SessionChange{{From: "1 Feb 2025", Close: "18:00"}}}, `session x: changes[0].from: "1 Feb 2025" is not a date (YYYY-MM-DD)`},
		{SessionSpec{Zone: "UTC", Open: "09:00", Close: "17:00", Changes: []SessionChange{{From: "2025-02-01", Close: "6pm"}}}, `session x: changes[0].close: "6pm" is not a time of day (want HH:MM)`},
		{SessionSpec{Like: "fx", Changes: []SessionChange{{From: "2025-02-01", Close: "16:00"}}}, "session x: changes: a weekly session keeps its hours (changes are for daily sessions)"},
	} {
		err := CheckSession("x", map[string]SessionSpec{"x": c.spec})
		if err == nil || err.Error() != c.want {
			t.Errorf("%+v: error %v, want %q", c.spec.Changes, err, c.want)
		}
	}
}
