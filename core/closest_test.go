package core

import "testing"

func TestClosest(t *testing.T) {
	chans := []string{"cross_margin", "offset_drop", "dealer_constraint", "all"}
	for _, c := range []struct{ s, want string }{
		{"crossmargin", "cross_margin"}, // one deletion
		{"CROSS_MARGN", "cross_margin"}, // case ignored
		{"offset_dorp", "offset_drop"},  // a swap is two edits: within 11/3
		{"dealer", ""},                  // 11 edits from dealer_constraint
		{"al", "all"},                   // short names allow 2
		{"xyz", ""},                     // nothing near
		{"bll", "all"},                  // one substitution
	} {
		if got := Closest(c.s, chans); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.s, got, c.want)
		}
	}
	if got := Closest("ab", []string{"ac", "aa"}); got != "aa" {
		t.Errorf("tie: got %q, want the first in sorted order, aa", got)
	}
}
