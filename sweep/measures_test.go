package sweep

import (
	"encoding/json"
	"testing"
)

// TestManifestBaseReport: a sweep's manifest records how its base
// scenario's runs measure what they report (base.report, the fields a
// run's manifest records in its run block), defaults filled in, and the
// sweep's set reaches them. Before, only base.resolved_scenario held
// them, and a default (correlation_rows: every_tick) not at all.
func TestManifestBaseReport(t *testing.T) {
	for _, c := range []struct{ set, want string }{
		{"", `{"correlation":["USDJPY","SPX","NKY"],"correlation_window":24,"correlation_horizon":1,"correlation_rows":"every_tick","trigger_tick":27,"headline":"NKY","vix":{"asset":"SPX","window":24,"premium":1.2,"stress":0,"news":0}}`},
		{"\nset: [report.correlation_rows=trading, report.vix_stress=30]",
			`{"correlation":["USDJPY","SPX","NKY"],"correlation_window":24,"correlation_horizon":1,"correlation_rows":"trading","trigger_tick":27,"headline":"NKY","vix":{"asset":"SPX","window":24,"premium":1.2,"stress":30,"news":0}}`},
	} {
		sw, err := Parse("rows.yaml", []byte("name: rows\nbase: mini\nruns: 2\nseed: 1\nmetrics: [defaults]"+c.set+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(sw.manifestHead().Base.Report)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != c.want {
			t.Errorf("set %q: base.report\n got %s\nwant %s", c.set, b, c.want)
		}
	}
}
