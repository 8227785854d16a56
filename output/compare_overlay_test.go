package output

import (
	"bytes"
	"testing"
	"time"
)

// overlayFixture returns two runs of two days, hourly, of an equity, a
// currency and a bond yield, with an event both have and one only B has.
func overlayFixture() (a, b *Table, metaA, metaB Meta) {
	t0 := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)
	mk := func(drop float64) *Table {
		n := 48
		tm := make([]time.Time, n)
		nky, jpy, us10 := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range tm {
			tm[i] = t0.Add(time.Duration(i) * time.Hour)
			f := float64(i) / float64(n-1)
			nky[i] = 38000 * (1 - drop*f)
			jpy[i] = 150 * (1 - drop*f/2)
			us10[i] = 4.1 - drop*f
		}
		ts := &Table{}
		ts.Add(TimeCol("time", tm))
		ts.Add(FloatCol("NKY", nky))
		ts.Add(FloatCol("USDJPY", jpy))
		ts.Add(FloatCol("US10Y", us10))
		return ts
	}
	assets := []AssetMeta{
		{ID: "NKY", Kind: "equity", Group: "equity", Currency: "JPY"},
		{ID: "USDJPY", Kind: "fx", Group: "fx", Currency: "JPY"},
		{ID: "US10Y", Kind: "bond", Group: "rates", Currency: "USD"},
	}
	both := Mark{Tick: 10, Time: t0.Add(10 * time.Hour), Label: "BOJ hike"}
	metaA = Meta{Scenario: "mini", Assets: assets, Events: []Mark{both}}
	metaB = metaA
	metaB.Events = []Mark{both, {Tick: 30, Time: t0.Add(30 * time.Hour), Label: "extra"}}
	return mk(0.05), mk(0.12), metaA, metaB
}

// TestOverlayGolden: the overlay of two runs whose labels are short (the
// table heads its columns with them) renders as it did.
func TestOverlayGolden(t *testing.T) {
	a, b, metaA, metaB := overlayFixture()
	fig, err := overlayFigure("baseline", "off: cross_margin", a, b, metaA, metaB)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := fig.Encode(&buf, "svg"); err != nil {
		t.Fatal(err)
	}
	goldenCompare(t, "compare_overlay.svg", buf.Bytes())
}
