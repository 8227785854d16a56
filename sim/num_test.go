package sim

import (
	"encoding/json"
	"math"
	"testing"
)

// TestNumJSON: a Num is written as a number when finite, null when NaN
// (not measured) and "inf" or "-inf" when infinite, and reads back as it
// was. Before, NaN and ±Inf were all null, and an infinite utilization read
// back as not measured.
func TestNumJSON(t *testing.T) {
	for _, c := range []struct {
		x    float64
		json string
	}{
		{1.5, `1.5`},
		{-0.25, `-0.25`},
		{0, `0`},
		{math.NaN(), `null`},
		{math.Inf(1), `"inf"`},
		{math.Inf(-1), `"-inf"`},
	} {
		b, err := json.Marshal(struct {
			V Num `json:"v"`
		}{Num(c.x)})
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"v":` + c.json + `}`; string(b) != want {
			t.Errorf("%v: %s, want %s", c.x, b, want)
		}
		var back struct {
			V Num `json:"v"`
		}
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if got := float64(back.V); got != c.x && !(math.IsNaN(got) && math.IsNaN(c.x)) {
			t.Errorf("%s reads back as %v, want %v", b, got, c.x)
		}
	}
	var n Num
	if err := json.Unmarshal([]byte(`"infinite"`), &n); err == nil {
		t.Errorf(`"infinite" read as %v, want an error`, n)
	}
}
