package core

import (
	"fmt"
	"math"
	"testing"
)

// TestNoteText: a Note's text is fmt.Sprintf of its format and operands, in
// their order; without operands it is the format, verbatim.
func TestNoteText(t *testing.T) {
	for _, x := range []float64{0, -0.0004, 0.12345, 1.5, 37.25, -2.675, 1e9, math.Inf(-1), math.NaN()} {
		for _, c := range []struct {
			n    Note
			want string
		}{
			{Notef("carry/vol %.3f < %.3f", NumArg(x), NumArg(0.5)), fmt.Sprintf("carry/vol %.3f < %.3f", x, 0.5)},
			{Notef("drawdown %.1f%%: cutting every trade %.0f%%", NumArg(x), NumArg(x/3)), fmt.Sprintf("drawdown %.1f%%: cutting every trade %.0f%%", x, x/3)},
			{Notef("accommodation: expected %s rate %+.2f%%", StrArg("JPY"), NumArg(x)), fmt.Sprintf("accommodation: expected %s rate %+.2f%%", "JPY", x)},
		} {
			if got := c.n.String(); got != c.want {
				t.Errorf("%q: %q, want %q", c.n.Format, got, c.want)
			}
		}
	}
	for _, c := range []struct {
		n    Note
		want string
	}{
		{Notef("margin call at %s unmet", StrArg("gs")), "margin call at gs unmet"},
		{Notef("offsets dropped: correlation of %s and %s", StrArg("SPX"), StrArg("NKY")), "offsets dropped: correlation of SPX and NKY"},
		{Notef("BOJ hike to 0.25%"), "BOJ hike to 0.25%"},
		{Note{}, ""},
	} {
		if got := c.n.String(); got != c.want {
			t.Errorf("%q: %q, want %q", c.n.Format, got, c.want)
		}
	}
	e := Event{Detail: "fixed", Note: Notef("not %s", StrArg("this"))}
	if e.Text() != "fixed" {
		t.Errorf("Text %q, want the fixed Detail", e.Text())
	}
	e.Detail = ""
	if e.Text() != "not this" {
		t.Errorf("Text %q, want the Note's text", e.Text())
	}
}

var sinkNote Note

// TestNoteAllocs: making a Note allocates nothing.
func TestNoteAllocs(t *testing.T) {
	id, x := "USDJPY", 0.123
	allocs := testing.AllocsPerRun(100, func() {
		sinkNote = Notef("offsets dropped: correlation of %s and %s", StrArg(id), StrArg(id))
		sinkNote = Notef("carry/vol %.3f < %.3f", NumArg(x), NumArg(x))
	})
	if allocs != 0 {
		t.Errorf("%v allocations, want 0", allocs)
	}
}
