package sim

import "testing"

// TestDuplicateSeriesColumn: the first repeated name of a list of
// time-series columns is found, with both its places.
func TestDuplicateSeriesColumn(t *testing.T) {
	cols := []SeriesColumn{{"tick", -1, ""}, {"A", 0, ""}, {"A_ret", 0, ""}, {"A_ret", 1, ""}, {"vix", -1, ""}, {"vix", -1, ""}}
	if i, j, ok := DuplicateSeriesColumn(cols); !ok || i != 2 || j != 3 {
		t.Errorf("got %d, %d, %v; want 2, 3, true", i, j, ok)
	}
	if _, _, ok := DuplicateSeriesColumn(cols[:3]); ok {
		t.Error("a duplicate found in distinct names")
	}
}
