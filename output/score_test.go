package output

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestScoreRowJSON: a row whose run gives no value (NaN) is written with
// "simulated": null, which encoding/json refuses for a plain NaN; a value
// is written exactly, and every other field keeps its name.
func TestScoreRowJSON(t *testing.T) {
	for _, c := range []struct {
		sim  float64
		want string
	}{
		{math.NaN(), `"simulated":null`},
		{-12.180671000438847, `"simulated":-12.180671000438847`},
	} {
		b, err := json.Marshal(ScoreRow{Name: "Nikkei 5 Aug", Quantity: "close_change", Asset: "NKY", Observed: -12.4,
			Simulated: c.sim, Tolerance: "[-16, -8]", Pass: c.sim == c.sim, Source: "Nikkei 225"})
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if !strings.Contains(s, c.want) || strings.Count(s, `"simulated"`) != 1 {
			t.Errorf("%v: %s, want one %s", c.sim, s, c.want)
		}
		for _, f := range []string{`"name":"Nikkei 5 Aug"`, `"quantity":"close_change"`, `"asset":"NKY"`, `"observed":-12.4`,
			`"tolerance":"[-16, -8]"`, `"source":"Nikkei 225"`} {
			if !strings.Contains(s, f) {
				t.Errorf("%v: %s lacks %s", c.sim, s, f)
			}
		}
		var back struct{ Simulated *float64 }
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if (back.Simulated == nil) != math.IsNaN(c.sim) || (back.Simulated != nil && *back.Simulated != c.sim) {
			t.Errorf("%v: read back %v", c.sim, back.Simulated)
		}
	}
}
