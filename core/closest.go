package core

import (
	"fmt"
	"slices"
	"strings"
)

// Closest returns the candidate nearest to s by edit distance (ignoring
// case), or "" when none is within a third of s's length (at least 2):
// what a "did you mean" names. Ties go to the first in sorted order,
// whatever the order of candidates.
func Closest(s string, candidates []string) string {
	cs := slices.Clone(candidates)
	slices.Sort(cs)
	best, bd := "", 1<<30
	for _, c := range cs {
		if d := levenshtein(strings.ToLower(s), strings.ToLower(c)); d < bd {
			best, bd = c, d
		}
	}
	if bd <= max(2, len(s)/3) {
		return best
	}
	return ""
}

// DidYouMean is the suffix a refusal adds for Closest's match:
// ` (did you mean "x"?)`, or "" when there is none.
func DidYouMean(s string, candidates []string) string {
	if m := Closest(s, candidates); m != "" {
		return fmt.Sprintf(" (did you mean %q?)", m)
	}
	return ""
}

// levenshtein is the edit distance between a and b, in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
