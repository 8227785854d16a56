package agents_test

import (
	"testing"
	"time"
)

// TestSettleWeekdaysWeeklyTicks: with settle_weekdays the window counts
// the ticks that start on a weekday. With 90-minute ticks from Friday 12:00,
// 2.5 weekdays are 40 such ticks: 8 on Friday, none until Monday 00:00
// (tick 40), then 32 more, so the call falls due at tick 72. A weekly tick
// that always starts on a Saturday never starts on a weekday: the window is
// then counted in calendar ticks (14 days: 2 ticks). Before, the count ran
// until the tick's time overflowed, 292 years on (tick 15,253).
func TestSettleWeekdaysWeeklyTicks(t *testing.T) {
	for _, c := range []struct {
		name  string
		tick  time.Duration
		start time.Time
		days  float64
		due   int
	}{
		{"2.5 weekdays from Friday noon, 90-minute ticks", 90 * time.Minute, time.Date(2024, 8, 2, 12, 0, 0, 0, time.UTC), 2.5, 72},
		{"weekly ticks on Saturdays", 7 * 24 * time.Hour, time.Date(2024, 8, 3, 0, 0, 0, 0, time.UTC), 14, 2},
	} {
		cfg := spxFund()
		cfg.Start, cfg.Tick, cfg.Ticks = c.start, c.tick, 4
		cfg.Brokers[0].SettleDays, cfg.Brokers[0].SettleWeekdays = c.days, true
		m, _ := build(t, cfg)
		w, pb := m.W, m.Brokers[0]
		step(t, m, 1)
		w.Tick = 0
		done := make(chan struct{})
		go func() {
			pb.ChangeHaircuts(w, nil, 2) // requirement above what is posted: a call
			pb.Margin(w)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: the due tick was still being counted after 20 s", c.name)
		}
		acc := &holder(t, m, "fund").Accounts[1]
		if acc.Call <= 0 || acc.CallDue != c.due {
			t.Errorf("%s: call %v due at tick %d; want due %d", c.name, acc.Call, acc.CallDue, c.due)
		}
	}
}
