package agents

import (
	"slices"
	"testing"
	"time"
)

// TestCloseTicks: a market's closes, one a day. Hourly ticks from Monday 29
// July 2024 00:00 UTC; each market is shut in the UTC hours listed (of
// every day, or of the week's hours from Monday 00:00).
func TestCloseTicks(t *testing.T) {
	start := time.Date(2024, 7, 29, 0, 0, 0, 0, time.UTC)
	daily := func(shut ...int) func(i, t int) bool {
		return func(_, t int) bool { return !slices.Contains(shut, t%24) }
	}
	for _, c := range []struct {
		name   string
		trades func(i, t int) bool
		from   time.Duration // the run's start after Monday 00:00
		ticks  int
		every  int
		want   []int32
	}{
		{"round the clock: each day's last tick", nil, 0, 72, 1, []int32{23, 47, 71}},
		{"every second close", nil, 0, 96, 2, []int32{23, 71}},
		{"New York's day (13:00–19:00 UTC ticks)", func(_, t int) bool { return t%24 >= 13 && t%24 <= 19 }, 0, 72, 1, []int32{19, 43, 67}},
		// A break at 21:00 is the day's close; the hours after it, to
		// midnight, trade toward the next (they once closed the day a
		// second time, at 23:00).
		{"a daily break at 21:00", daily(21), 0, 72, 1, []int32{20, 44, 68}},
		// A break after midnight closes the day before it, once.
		{"a daily break at 01:00", daily(1), 0, 72, 1, []int32{0, 24, 48}},
		// A weekly session (shut from Friday 21:00 to Sunday 22:00 UTC)
		// closes at midnight on the days it trades through, at 20:00 on
		// Friday, and not on Sunday: its two hours belong to Monday.
		{"a weekly session", func(_, t int) bool { h := t % 168; return h < 4*24+21 || h >= 6*24+22 }, 0, 200, 1,
			[]int32{23, 47, 71, 95, 116, 191}},
		// The run ends within a day: its last tick is no close.
		{"the run ends at 01:00", nil, 22 * time.Hour, 4, 1, []int32{1}},
		{"the run ends at 23:00", nil, 22 * time.Hour, 2, 1, []int32{1}},
		{"the run ends at 23:00 after a break", daily(21), 20 * time.Hour, 4, 1, []int32{0}},
	} {
		trades := c.trades
		if trades != nil {
			off := int(c.from / time.Hour)
			inner := trades
			trades = func(i, t int) bool { return inner(i, t+off) }
		}
		got := closeTicks(trades, start.Add(c.from), time.Hour, c.ticks, 0, c.every)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: closes %v, want %v", c.name, got, c.want)
		}
	}
}
