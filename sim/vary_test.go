package sim

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/core"
)

// TestSetField: dotted yaml paths reach struct fields, slice elements and
// map entries, twice over (the second time through the cached field
// lookups), and bad paths fail with the reason.
func TestSetField(t *testing.T) {
	for pass := 0; pass < 2; pass++ {
		s := &agents.HedgeFundSpec{Trades: []agents.TradeSpec{{Leverage: 1}, {Leverage: 2}}}
		for _, c := range []struct {
			path string
			x    float64
			get  func() float64
		}{
			{"carry_exit", 0.25, func() float64 { return s.CarryExit }},
			{"trades.1.leverage", 7, func() float64 { return s.Trades[1].Leverage }},
			{"margin_buffer", 0.2, func() float64 { return s.MarginBuffer }},
		} {
			if err := SetField(s, c.path, c.x); err != nil {
				t.Fatalf("pass %d, %s: %v", pass, c.path, err)
			}
			if got := c.get(); got != c.x {
				t.Errorf("pass %d, %s = %v, want %v", pass, c.path, got, c.x)
			}
		}
		if s.Trades[0].Leverage != 1 {
			t.Errorf("trades.0.leverage = %v, want it untouched", s.Trades[0].Leverage)
		}
		cfg := &Config{}
		if err := SetField(cfg, "trends.SPX", 1.5); err != nil || cfg.Trends["SPX"] != 1.5 {
			t.Errorf("trends.SPX: %v, map %v", err, cfg.Trends)
		}
		for path, want := range map[string]string{
			"carry_exitt":       `unknown field "carry_exitt" (did you mean "carry_exit"?)`,
			"trades.0.leverge":  `trades.0.leverge: unknown field "leverge" (did you mean "leverage"?)`,
			"zzz":               `unknown field "zzz"`,
			"trades.2.leverage": `index "2" out of range (length 2)`,
			"trades.1.broker":   "is not a number",
			"id":                "is not a number",
		} {
			if err := SetField(s, path, 1); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("pass %d, %s: error %v, want one saying %s", pass, path, err, want)
			}
		}
	}
}

// TestGetField: GetField reads what SetField set, by the same paths
// (struct fields, list elements, map keys holding dots), leaves a map
// without the key it was asked for as it was, and fails on bad paths.
func TestGetField(t *testing.T) {
	s := &agents.HedgeFundSpec{Trades: []agents.TradeSpec{{Leverage: 1}, {Leverage: 2}}}
	b := &agents.BankSpec{Holdings: map[string]float64{"BRK.B": 3}}
	for _, c := range []struct {
		v    any
		path string
		x    float64
	}{{s, "carry_exit", 0.25}, {s, "trades.1.leverage", 7}, {b, "holdings.BRK.B", 5}, {b, "target_leverage", 12}} {
		if err := SetField(c.v, c.path, c.x); err != nil {
			t.Fatal(err)
		}
		if got, err := GetField(c.v, c.path); err != nil || got != c.x {
			t.Errorf("%s = %v (%v), want %v", c.path, got, err, c.x)
		}
	}
	for path, want := range map[string]string{
		"holdings.SPX":     `no key "SPX"`,
		"target_levrage":   `unknown field "target_levrage"`,
		"holdings.BRK.B.x": `cannot descend into "x"`,
		"id":               "is not a number",
	} {
		if _, err := GetField(b, path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one saying %s", path, err, want)
		}
	}
	if len(b.Holdings) != 1 {
		t.Errorf("holdings %v after reading: want only BRK.B", b.Holdings)
	}
}

// TestSetText: SetText reaches text fields by the paths SetField takes
// (struct fields, list elements, nested groups), leaves the rest
// alone, and refuses numbers and bad paths.
func TestSetText(t *testing.T) {
	s := &agents.HedgeFundSpec{Trades: []agents.TradeSpec{{Broker: "GS"}, {Broker: "GS"}}, CarryExit: 0.2}
	cfg := &Config{}
	for _, c := range []struct {
		v          any
		path, text string
		get        func() string
	}{
		{s, "liquidation", "pro_rata", func() string { return s.Liquidation }},
		{s, "trades.1.broker", "MS", func() string { return s.Trades[1].Broker }},
		{cfg, "conventions.execution", "post", func() string { return cfg.Conventions.Execution }},
		{cfg, "conventions.execution", "", func() string { return cfg.Conventions.Execution }},
	} {
		if err := SetText(c.v, c.path, c.text); err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if got := c.get(); got != c.text {
			t.Errorf("%s = %q, want %q", c.path, got, c.text)
		}
	}
	if s.Trades[0].Broker != "GS" || s.CarryExit != 0.2 {
		t.Errorf("other fields changed: trades.0.broker %q, carry_exit %v", s.Trades[0].Broker, s.CarryExit)
	}
	for path, want := range map[string]string{
		"carry_exit":      "carry_exit is not text (it is a float64)",
		"trades.5.broker": `index "5" out of range (length 2)`,
		"brokr":           `unknown field "brokr"`,
	} {
		if err := SetText(s, path, "x"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one saying %s", path, err, want)
		}
	}
}

// TestCloneSharesNothing: a cloned configuration can be changed through
// every slice, map and pointer without touching the original, and keeps
// every value, including the start time's location.
func TestCloneSharesNothing(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	orig := &Config{
		Start:       time.Date(2024, 8, 5, 9, 0, 0, 0, tokyo),
		Assets:      []AssetSpec{{ID: "USDJPY", Price: 150}},
		Correlation: [][]float64{{1}},
		Trends:      map[string]float64{"SPX": 1},
		Agents: []AgentSpec{{Kind: "hedge_fund", Vary: []Vary{{Field: "carry_exit"}},
			HedgeFund: &agents.HedgeFundSpec{ID: "hf", Trades: []agents.TradeSpec{{Leverage: 2}}}}},
	}
	c := orig.Clone()
	if !reflect.DeepEqual(c, orig) || !c.Start.Equal(orig.Start) || c.Start.Location() != tokyo {
		t.Fatalf("clone differs from the original: %+v", c)
	}
	c.Assets[0].Price = 1
	c.Correlation[0][0] = 0
	c.Trends["SPX"] = 2
	c.Agents[0].Vary[0].Field = "x"
	c.Agents[0].HedgeFund.ID = "other"
	c.Agents[0].HedgeFund.Trades[0].Leverage = 9
	if orig.Assets[0].Price != 150 || orig.Correlation[0][0] != 1 || orig.Trends["SPX"] != 1 ||
		orig.Agents[0].Vary[0].Field != "carry_exit" || orig.Agents[0].HedgeFund.ID != "hf" ||
		orig.Agents[0].HedgeFund.Trades[0].Leverage != 2 {
		t.Errorf("changing the clone changed the original: %+v", orig)
	}
}

// TestFlat: the types the deep copy may assign whole.
func TestFlat(t *testing.T) {
	for _, c := range []struct {
		v    any
		flat bool
	}{
		{core.Money{}, true},
		{struct {
			ID string
			X  float64
		}{}, true}, // strings are immutable
		{[3]float64{}, true},
		{time.Time{}, false}, // its location is a pointer
		{agents.HedgeFundSpec{}, false},
		{[]float64{}, false},
		{map[string]float64{}, false},
		{[2][]int{}, false},
	} {
		if got := flat(reflect.TypeOf(c.v)); got != c.flat {
			t.Errorf("flat(%T) = %v, want %v", c.v, got, c.flat)
		}
	}
}

// TestSetFieldDottedKey: a map key may hold dots (an asset BRK.B): a path
// reaches the longest key the map has, and in a map of numbers, where
// nothing can follow the key, a new key is the whole rest of the path.
// Every dot used to split, so holdings.BRK.B failed ("cannot descend").
func TestSetFieldDottedKey(t *testing.T) {
	s := &agents.BankSpec{Holdings: map[string]float64{"BRK.B": 1, "UST10Y": 2}}
	for _, c := range []struct {
		path, key string
		x         float64
	}{
		{"holdings.BRK.B", "BRK.B", 5},
		{"holdings.UST10Y", "UST10Y", 6},
		{"holdings.RDS.A", "RDS.A", 7}, // a new key, whole
	} {
		if err := SetField(s, c.path, c.x); err != nil || s.Holdings[c.key] != c.x {
			t.Errorf("%s: %v; holdings %v, want %s = %v", c.path, err, s.Holdings, c.key, c.x)
		}
	}
	if len(s.Holdings) != 3 {
		t.Errorf("holdings %v: want BRK.B, UST10Y and RDS.A only", s.Holdings)
	}
	// A key the map has, followed by more, is still refused.
	if err := SetField(s, "holdings.UST10Y.x", 1); err == nil || !strings.Contains(err.Error(), `cannot descend into "x"`) {
		t.Errorf("holdings.UST10Y.x: error %v, want a refusal", err)
	}
	// In a map of groups, the longest key it has.
	cfg := &Config{Rates: map[string]RateSpec{"X.Y": {}, "X": {}}}
	if err := SetField(cfg, "rates.X.Y.policy", 0.01); err != nil || cfg.Rates["X.Y"].Policy != 0.01 || cfg.Rates["X"].Policy != 0 {
		t.Errorf("rates.X.Y.policy: %v; rates %+v", err, cfg.Rates)
	}
}
