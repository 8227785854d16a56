package output

import (
	"encoding/json"
	"testing"

	"github.com/cascade-sim/cascade/internal/scentest"
)

// TestMetaMeasures: the run block of manifest.json records how mean_corr,
// amplification and vix were measured, defaults filled in:
// report.correlation_rows, the headline asset and the VIX proxy's
// settings (asset, window, premium, stress, news). Before, it recorded
// the correlation's set, window and horizon but not its rows, so two runs
// of different mean_corr had the same run block.
func TestMetaMeasures(t *testing.T) {
	for _, c := range []struct {
		name string
		sets []string
		want string // the run block's fields that sim.Measures adds, as JSON
	}{
		{"defaults", nil,
			`{"correlation_rows":"every_tick","headline":"NKY","vix":{"asset":"SPX","window":24,"premium":1.2,"stress":0,"news":0}}`},
		{"trading rows", []string{"report.correlation_rows=trading"},
			`{"correlation_rows":"trading","headline":"NKY","vix":{"asset":"SPX","window":24,"premium":1.2,"stress":0,"news":0}}`},
		{"vix set", []string{"report.headline=SPX", "report.vix_asset=NKY", "report.vix_window=12", "report.vix_premium=1.5", "report.vix_stress=40", "report.vix_news=0.3"},
			`{"correlation_rows":"every_tick","headline":"SPX","vix":{"asset":"NKY","window":12,"premium":1.5,"stress":40,"news":0.3}}`},
		// news defaults to 1 − noise.scale².
		{"noise scale", []string{"noise.scale=0.5"},
			`{"correlation_rows":"every_tick","headline":"NKY","vix":{"asset":"SPX","window":24,"premium":1.2,"stress":0,"news":0.75}}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := scentest.Build(t, "mini", c.sets...)
			rec := NewRecorder(false)
			if err := rec.Begin(m); err != nil {
				t.Fatal(err)
			}
			meta := rec.Meta()
			b, err := json.Marshal(struct {
				Rows     string `json:"correlation_rows"`
				Headline string `json:"headline"`
				VIX      any    `json:"vix"`
			}{meta.Rows, meta.Headline, meta.VIX})
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != c.want {
				t.Errorf("run block\n got %s\nwant %s", b, c.want)
			}
			// The whole block, as manifest.json writes it, names them.
			all, _ := json.Marshal(meta)
			var keys map[string]any
			json.Unmarshal(all, &keys)
			for _, k := range []string{"correlation_rows", "headline", "vix", "correlation", "correlation_window", "correlation_horizon", "trigger_tick"} {
				if _, ok := keys[k]; !ok {
					t.Errorf("the run block lacks %q: %s", k, all)
				}
			}
		})
	}
}
