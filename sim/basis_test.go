package sim

import (
	"math"
	"testing"
)

// TestFuturesBasis: a future's basis is its price at the cash bond's scale
// (times P0/F0, 100/110 here) over the cash bond's, less 1, in bp:
// positive when the future is rich to cash, 0 when both move together, NaN
// for an asset that is not a future.
func TestFuturesBasis(t *testing.T) {
	m, err := Build(smallWorld("UST10Y", "TY", "SPX"), 1)
	if err != nil {
		t.Fatal(err)
	}
	f := &Frame{Model: m}
	for _, c := range []struct {
		name      string
		cash, fut float64
		want      float64
	}{
		{"at the start prices", 100, 110, 0},
		{"both up 1%", 101, 111.1, 0},
		{"future up 1%", 100, 111.1, 100},
		{"future down 1%", 100, 108.9, -100},
		{"cash down 1%", 99, 110, 1e4 / 99},
		{"cash down 2%, future down 1%", 98, 108.9, 1e4 * (99.0/98 - 1)},
	} {
		f.Price = []float64{c.cash, c.fut, 5400}
		if got := f.FuturesBasis(1); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: basis %.12gbp, want %.12g", c.name, got, c.want)
		}
		for _, i := range []int{0, 2} {
			if got := f.FuturesBasis(i); !math.IsNaN(got) {
				t.Errorf("%s: asset %s, not a future, has basis %g", c.name, m.W.Assets[i].ID, got)
			}
		}
	}
}
