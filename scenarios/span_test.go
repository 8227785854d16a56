package scenarios

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSpanPatternAgrees: the schema's pattern for spans and ParseDuration
// accept and refuse the same strings, and ParseDuration reads each accepted
// one as the sum of its parts. Spans too long for a time.Duration match the
// pattern, which cannot count, and are refused as too long.
func TestSpanPatternAgrees(t *testing.T) {
	p, _ := typeSchema(durationType)["pattern"].(string)
	if p != SpanPattern {
		t.Fatalf("the schema's span pattern is %q, want SpanPattern %q", p, SpanPattern)
	}
	re := regexp.MustCompile(p)
	const d, w = 24 * time.Hour, 7 * 24 * time.Hour
	for _, c := range []struct {
		s  string
		ok bool
		v  time.Duration
	}{
		{"1h", true, time.Hour},
		{"90m", true, 90 * time.Minute},
		{"15m", true, 15 * time.Minute},
		{"2d", true, 2 * d},
		{"2.5d", true, 60 * time.Hour},
		{"0.5d", true, 12 * time.Hour},
		{"18d", true, 18 * d},
		{"3w", true, 3 * w},
		{"1.5h", true, 90 * time.Minute},
		{"0s", true, 0},
		{"0h", true, 0},
		{"500ms", true, 500 * time.Millisecond},
		{"10us", true, 10 * time.Microsecond},
		{"10µs", true, 10 * time.Microsecond},
		{"5ns", true, 5},
		// Compound spans add up their parts, days and weeks included.
		{"1d12h", true, 36 * time.Hour},
		{"1w2d", true, 9 * d},
		{"1h30m", true, 90 * time.Minute},
		{"1m30s", true, 90 * time.Second},
		{"2d1h30m", true, 49*time.Hour + 30*time.Minute},
		{"1.5d6h", true, 42 * time.Hour},
		{"1ms5ns", true, time.Millisecond + 5},
		{"12h1d", true, 36 * time.Hour}, // in any order, as time.ParseDuration takes them
		{"1d1d", true, 2 * d},
		// Not spans.
		{"", false, 0},
		{"0", false, 0},
		{"1", false, 0},
		{"1.5", false, 0},
		{"h", false, 0},
		{"d", false, 0},
		{"1y", false, 0},
		{"1D", false, 0},
		{"1H", false, 0},
		{"1.d", false, 0},
		{".5d", false, 0},
		{".5h", false, 0},
		{"1.h", false, 0},
		{"-1h", false, 0},
		{"+1h", false, 0},
		{"-0s", false, 0},
		{" 1h", false, 0},
		{"1h ", false, 0},
		{"1 h", false, 0},
		{"1d 12h", false, 0},
		{"1h30", false, 0},
		{"1hh", false, 0},
		{"1dd", false, 0},
		{"d1", false, 0},
		{"1,5d", false, 0},
		{"1e3d", false, 0},
		{"1e3h", false, 0},
		{"0x10d", false, 0},
		{"1_000d", false, 0},
		{"infd", false, 0},
		{"nand", false, 0},
		{"1d12", false, 0},
		{"1d-12h", false, 0},
	} {
		m := re.MatchString(c.s)
		v, err := ParseDuration(c.s)
		if m != c.ok {
			t.Errorf("pattern on %q: match %v, want %v", c.s, m, c.ok)
		}
		if (err == nil) != c.ok {
			t.Errorf("ParseDuration(%q): error %v, want accepted %v", c.s, err, c.ok)
		}
		if c.ok && err == nil && v != c.v {
			t.Errorf("ParseDuration(%q) = %v, want %v", c.s, v, c.v)
		}
		if !c.ok && err != nil && !strings.Contains(err.Error(), "is not a span (want e.g. 1h, 90m, 2d or 1d12h)") {
			t.Errorf("ParseDuration(%q): %v", c.s, err)
		}
	}
	for _, s := range []string{"110000d", "16000w", "2600000h", "99999999999999999999s", "106751d23h47m16.854775808s", "200000d200000d"} {
		if !re.MatchString(s) {
			t.Errorf("pattern refuses %q", s)
		}
		if _, err := ParseDuration(s); err == nil || !strings.Contains(err.Error(), "is too long a span") {
			t.Errorf("ParseDuration(%q): %v, want too long", s, err)
		}
	}
	// The longest span there is still reads.
	if v, err := ParseDuration("106751d23h47m16.854775807s"); err != nil || v != time.Duration(1<<63-1) {
		t.Errorf("the longest span: %v, %v", v, err)
	}
}

// TestCompoundSpansLoad: a scenario may give its spans in several parts.
func TestCompoundSpansLoad(t *testing.T) {
	sc, err := Load("mini", []string{"horizon=1d12h", "tick=1h30m", "warmup=1w2d"})
	if err != nil {
		t.Fatal(err)
	}
	if c := sc.File.Config; c.Ticks != 24 || c.Tick != 90*time.Minute || c.Warmup != 9*24*time.Hour {
		t.Errorf("ticks %d, tick %v, warmup %v; want 24, 1h30m, 216h", c.Ticks, c.Tick, c.Warmup)
	}
	_, err = Load("mini", []string{"horizon=1d 12h"})
	if want := `--set #1:1:9: horizon: "1d 12h" is not a span (want e.g. 1h, 90m, 2d or 1d12h)`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
