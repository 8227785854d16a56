package output

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cascade-sim/cascade/core/dmath"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// linearTicks places about n labelled ticks at "nice" values (1, 2, 2.5
// or 5 times a power of ten) and formats them compactly: a common number of
// decimals, a true minus sign, k/M/B/T suffixes for large magnitudes and a
// % sign (values ×100) when percent is set.
type linearTicks struct {
	n       int
	percent bool
	// integer places ticks at whole numbers only, for counts: a
	// histogram of 40 runs read "2.5, 7.5, 12.5, 17.5" on its count axis.
	integer bool
}

// Ticks implements plot.Ticker.
func (t linearTicks) Ticks(lo, hi float64) []plot.Tick {
	scale := 1.0
	if t.percent {
		scale = 100
	}
	vals, step := niceTicks(lo*scale, hi*scale, t.n)
	if t.integer && step != math.Round(step) && lo < hi {
		step = max(math.Floor(step), 1) // 0.5 → 1, 2.5 → 2
		vals = vals[:0]
		for v := math.Ceil(lo/step) * step; v <= hi && len(vals) <= 4*t.n; v += step {
			vals = append(vals, v)
		}
	}
	labels := formatTicks(vals, step, t.percent)
	ticks := make([]plot.Tick, len(vals))
	for i, v := range vals {
		ticks[i] = plot.Tick{Value: v / scale, Label: labels[i]}
	}
	return ticks
}

// niceTicks returns the nice values in [lo, hi] for about n ticks and
// their spacing: of the steps 1, 2, 2.5 and 5 times a power of ten, the one
// whose tick count is closest to n (2.5 only when clearly better, the
// smaller step on ties). It returns at least two values whenever lo < hi.
func niceTicks(lo, hi float64, n int) ([]float64, float64) {
	if !(lo < hi) || !isFinite(lo) || !isFinite(hi) {
		if isFinite(lo) {
			return []float64{lo}, 1
		}
		return nil, 1
	}
	n = max(n, 2)
	count := func(step float64) int {
		return int(math.Floor(hi/step+1e-9) - math.Ceil(lo/step-1e-9) + 1)
	}
	mag := dmath.Pow(10, math.Floor(dmath.Log10((hi-lo)/float64(n))))
	best, bestScore := 0.0, math.Inf(1)
	for _, e := range []float64{0.1, 1, 10} {
		for _, m := range []float64{1, 2, 2.5, 5} {
			step := m * mag * e
			k := count(step)
			if k < 2 || k > 2*n+1 {
				continue
			}
			score := math.Abs(float64(k - n))
			if m == 2.5 {
				score += 0.75
			}
			if score < bestScore {
				best, bestScore = step, score
			}
		}
	}
	if best == 0 {
		return []float64{lo, hi}, hi - lo
	}
	var vals []float64
	for i := math.Ceil(lo/best - 1e-9); len(vals) <= 4*n; i++ {
		v := i * best
		if v > hi+float64(best*1e-9) {
			break
		}
		if math.Abs(v) < best*1e-9 {
			v = 0 // avoid "-0" and 1e-17 noise
		}
		vals = append(vals, v)
	}
	return vals, best
}

// formatTicks formats tick values spaced by step with a common precision.
func formatTicks(vals []float64, step float64, percent bool) []string {
	var maxAbs float64
	for _, v := range vals {
		maxAbs = math.Max(maxAbs, math.Abs(v))
	}
	unit, suffix := 1.0, ""
	if !percent {
		unit, suffix = magnitudeSuffix(maxAbs)
	}
	if percent {
		suffix = "%"
	}
	dec := decimalsFor(step / unit)
	labels := make([]string, len(vals))
	for i, v := range vals {
		if v == 0 && unit != 1 {
			labels[i] = "0" // not "0k"
			continue
		}
		labels[i] = formatNumber(v/unit, dec) + suffix
	}
	return labels
}

// magnitudeSuffix picks a unit and suffix for values up to maxAbs: large
// magnitudes (from 10,000 up) get k, M, B or T rather than long digit
// strings, so 2.5e9 reads "2.5B".
func magnitudeSuffix(maxAbs float64) (float64, string) {
	switch {
	case maxAbs >= 1e12:
		return 1e12, "T"
	case maxAbs >= 1e9:
		return 1e9, "B"
	case maxAbs >= 1e6:
		return 1e6, "M"
	case maxAbs >= 1e4:
		return 1e3, "k"
	}
	return 1, ""
}

// decimalsFor returns how many decimals distinguish multiples of step.
func decimalsFor(step float64) int {
	if step <= 0 || !isFinite(step) {
		return 0
	}
	for d := 0; d <= 10; d++ {
		s := float64(step * dmath.Pow(10, float64(d)))
		if math.Abs(s-math.Round(s)) < 1e-6*s {
			return d
		}
	}
	return 10
}

// formatNumber formats v with dec decimals and a typographic minus sign.
// Tiny or huge values that would need more than 10 decimals or digits use
// the shortest exponent form instead.
func formatNumber(v float64, dec int) string {
	var s string
	if dec >= 10 || math.Abs(v) >= 1e15 {
		s = strconv.FormatFloat(v, 'g', 3, 64)
	} else {
		s = strconv.FormatFloat(v, 'f', dec, 64)
	}
	if strings.HasPrefix(s, "-") {
		if strings.Trim(s[1:], "0.") == "" {
			return s[1:] // "-0.00" → "0.00"
		}
		s = "\u2212" + s[1:]
	}
	return s
}

// formatCellValue formats a cell or bar value with dec decimals, or as a
// percentage with two fewer decimals when percent is set.
func formatCellValue(v float64, dec int, percent bool) string {
	if percent {
		return formatNumber(v*100, max(dec-2, 0)) + "%"
	}
	return formatNumber(v, dec)
}

// logTicks labels powers of ten (and 2× and 5× within few decades) on a
// log axis, with unlabelled minor ticks in between. Ranges narrower than
// a decade get linear nice ticks, which read well on a log axis too.
type logTicks struct{ n int }

// Ticks implements plot.Ticker.
func (t logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return linearTicks{n: t.n}.Ticks(lo, hi)
	}
	e0, e1 := math.Floor(dmath.Log10(lo)), math.Ceil(dmath.Log10(hi))
	if e1-e0 <= 1 && hi/lo < 10 {
		return linearTicks{n: t.n}.Ticks(lo, hi)
	}
	mults := []float64{1}
	if e1-e0 <= 2 {
		mults = []float64{1, 2, 5}
	} else if e1-e0 <= 3 {
		mults = []float64{1, 3}
	}
	var ticks []plot.Tick
	for e := e0; e <= e1; e++ {
		p := dmath.Pow(10, e)
		for m := 1; m <= 9; m++ {
			v := float64(m) * p
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			label := ""
			for _, mm := range mults {
				if float64(m) == mm {
					unit, suffix := magnitudeSuffix(v)
					label = formatNumber(v/unit, decimalsFor(v/unit)) + suffix
				}
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: label})
		}
	}
	return ticks
}

// timeTicks labels a Unix-seconds axis at calendar-friendly steps (minutes,
// hours, days, Monday-aligned weeks, months, years), choosing the smallest
// step whose labels fit along an axis of the given length without
// overlapping. Labels are concise: "15:04" within a day with the date at
// midnight, "Jan 02" for day steps, "Feb" with the year at January for month
// steps, "2006" for year steps. A non-empty format overrides the labels.
// All times are UTC.
type timeTicks struct {
	length vg.Length
	style  text.Style
	format string
}

// timeStep is a candidate tick spacing.
type timeStep struct {
	unit int // unitSecond, unitMonth or unitYear
	n    int // multiple of the unit (seconds for unitSecond)
}

const (
	unitSecond = iota
	unitMonth
	unitYear
)

var timeSteps = func() []timeStep {
	var s []timeStep
	for _, n := range []int{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
		3600, 2 * 3600, 3 * 3600, 4 * 3600, 6 * 3600, 12 * 3600,
		86400, 2 * 86400, 3 * 86400, 7 * 86400, 14 * 86400} {
		s = append(s, timeStep{unitSecond, n})
	}
	for _, n := range []int{1, 2, 3, 6} {
		s = append(s, timeStep{unitMonth, n})
	}
	for _, n := range []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000} {
		s = append(s, timeStep{unitYear, n})
	}
	return s
}()

// unixTime converts Unix seconds to a UTC time.
func unixTime(sec float64) time.Time {
	whole := math.Floor(sec)
	return time.Unix(int64(whole), int64((sec-whole)*1e9)).UTC()
}

// approxSeconds returns the nominal length of s in seconds.
func (s timeStep) approxSeconds() float64 {
	switch s.unit {
	case unitMonth:
		return float64(s.n) * 30.44 * 86400
	case unitYear:
		return float64(s.n) * 365.25 * 86400
	}
	return float64(s.n)
}

// values returns the tick times of step s within [lo, hi].
func (s timeStep) values(lo, hi float64) []float64 {
	var vals []float64
	switch s.unit {
	case unitSecond:
		n := float64(s.n)
		off := 0.0
		if s.n == 7*86400 || s.n == 14*86400 {
			off = 4 * 86400 // 1970-01-05 was a Monday
		}
		for v := float64(math.Ceil((lo-off)/n)*n) + off; v <= hi; v += n {
			vals = append(vals, v)
		}
	case unitMonth:
		t := unixTime(lo)
		m := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		if float64(m.Unix()) < lo {
			m = m.AddDate(0, 1, 0)
		}
		for ; float64(m.Unix()) <= hi; m = m.AddDate(0, 1, 0) {
			if (int(m.Month())-1)%s.n == 0 {
				vals = append(vals, float64(m.Unix()))
			}
		}
	case unitYear:
		t := unixTime(lo)
		y := t.Year()
		if float64(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Unix()) < lo {
			y++
		}
		for y%s.n != 0 {
			y++
		}
		for ; ; y += s.n {
			v := float64(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
			if v > hi {
				break
			}
			vals = append(vals, v)
		}
	}
	return vals
}

// label formats tick time v for step s.
func (s timeStep) label(v float64, format string) string {
	t := unixTime(v)
	if format != "" {
		return t.Format(format)
	}
	midnight := t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0
	switch {
	case s.unit == unitYear:
		return t.Format("2006")
	case s.unit == unitMonth:
		if t.Month() == time.January {
			return t.Format("2006")
		}
		return t.Format("Jan")
	case s.n >= 86400:
		return t.Format("Jan 02")
	case midnight:
		return t.Format("Jan 02")
	case s.n < 60:
		return t.Format("15:04:05")
	}
	return t.Format("15:04")
}

// choose returns the smallest step whose labels fit along the axis.
func (t timeTicks) choose(lo, hi float64) timeStep {
	gap := t.style.Width("MM")
	for _, s := range timeSteps {
		if (hi-lo)/s.approxSeconds() > 60 {
			continue
		}
		vals := s.values(lo, hi)
		if len(vals) < 2 && s != timeSteps[len(timeSteps)-1] {
			// Prefer two or more ticks; fall through to larger steps only
			// when they still give at least one.
			if len(vals) == 0 {
				continue
			}
		}
		var w vg.Length
		for _, v := range vals {
			w = vg.Length(math.Max(float64(w), float64(t.style.Width(s.label(v, t.format)))))
		}
		if vg.Length(len(vals))*(w+gap) <= t.length {
			return s
		}
	}
	return timeSteps[len(timeSteps)-1]
}

// Ticks implements plot.Ticker.
func (t timeTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return nil
	}
	s := t.choose(lo, hi)
	vals := s.values(lo, hi)
	ticks := make([]plot.Tick, len(vals))
	for i, v := range vals {
		ticks[i] = plot.Tick{Value: v, Label: s.label(v, t.format)}
	}
	// A tick at the very end of the axis (a run's span ends at midnight
	// when its last tick does) keeps its mark but not its label when
	// others are labelled: centred on the end, the label would reach past
	// the data area, which the layout narrows to make room, and fewer
	// labels then fit ("Jul 29 Aug 05 Aug 12" in place of every third day).
	if n := len(ticks); n > 2 && ticks[n-1].Value == hi {
		ticks[n-1].Label = ""
	}
	return ticks
}

// offsetLabel returns the context that concise tick labels leave out —
// the date of an intraday axis or the year(s) of a day axis — and the
// time zone every label is in, UTC, for use as the axis label when the
// caller gave none: "2024 (UTC)", "Thu 1 Aug 2024 (UTC)", or "UTC" alone
// when the ticks name the years themselves. A day is a UTC day, which
// begins at 09:00 in Tokyo and 20:00 the evening before in New York, so
// even an axis of dates says so.
func (t timeTicks) offsetLabel(lo, hi float64) string {
	if !(hi > lo) || t.format != "" {
		return ""
	}
	s := t.choose(lo, hi)
	a, b := unixTime(lo), unixTime(hi)
	years := a.Format("2006")
	if b.Year() != a.Year() {
		years = fmt.Sprintf("%d\u2013%d", a.Year(), b.Year())
	}
	switch {
	case s.unit == unitYear:
		return "UTC"
	case s.unit == unitMonth:
		for _, v := range s.values(lo, hi) {
			if unixTime(v).Month() == time.January {
				return "UTC"
			}
		}
	case s.n < 86400 && a.YearDay() == b.YearDay() && a.Year() == b.Year():
		return a.Format("Mon 2 Jan 2006") + " (UTC)"
	}
	return years + " (UTC)"
}
