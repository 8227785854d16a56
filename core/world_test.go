package core

import (
	"math"
	"testing"
	"time"
)

// TestUpdateFX: USDJPY quotes yen per dollar, so a yen is worth 1/price
// dollars; EURUSD quotes dollars per euro, so a euro is worth the price.
func TestUpdateFX(t *testing.T) {
	w := newTestWorld(t)
	if w.FXUSD[USD] != 1 || w.FXUSD[cJPY] != 1.0/150 || w.FXUSD[cEUR] != 1.25 {
		t.Fatalf("FXUSD at the start = %v, want [1 1/150 1.25]", w.FXUSD[:3])
	}
	w.Price[aUSDJPY], w.Price[aEURUSD] = 160, 1.0625
	w.UpdateFX()
	if w.FXUSD[USD] != 1 || w.FXUSD[cJPY] != 0.00625 || w.FXUSD[cEUR] != 1.0625 {
		t.Errorf("FXUSD after USDJPY 160, EURUSD 1.0625 = %v, want [1 0.00625 1.0625]", w.FXUSD[:3])
	}
}

// TestFXReturnSign: a rise of USDJPY cheapens the yen (+1), a rise of
// EURUSD makes the euro dearer (−1); pairs not involving a currency, and
// assets that are not exchange rates, give 0.
func TestFXReturnSign(t *testing.T) {
	w := newTestWorld(t)
	for _, c := range []struct {
		asset, cur int
		want       float64
	}{
		{aUSDJPY, cJPY, 1},
		{aEURUSD, cEUR, -1},
		{aUSDJPY, cEUR, 0},
		{aEURUSD, cJPY, 0},
		{aUSDJPY, USD, 0},
		{aEURUSD, USD, 0},
		{aNKY, cJPY, 0},
		{aDAX, cEUR, 0},
	} {
		if got := w.FXReturnSign(c.asset, c.cur); got != c.want {
			t.Errorf("FXReturnSign(%s, %s) = %v, want %v", w.Assets[c.asset].ID, w.Currencies[c.cur], got, c.want)
		}
	}
	// The sign is the direction of the currency's USD value: check it
	// against UpdateFX for a 1% rise of each pair.
	for _, c := range []struct{ asset, cur int }{{aUSDJPY, cJPY}, {aEURUSD, cEUR}} {
		before := w.FXUSD[c.cur]
		w.Price[c.asset] *= 1.01
		w.UpdateFX()
		d := w.FXUSD[c.cur] - before
		if s := w.FXReturnSign(c.asset, c.cur); s*d >= 0 {
			t.Errorf("%s up 1%%: %s value moved by %v, sign %v says it should move the other way", w.Assets[c.asset].ID, w.Currencies[c.cur], d, s)
		}
		w.Price[c.asset] /= 1.01
		w.UpdateFX()
	}
}

// TestNotionalUSD: positions at market in USD, futures at their notional,
// FX in units of the base currency.
func TestNotionalUSD(t *testing.T) {
	w := newTestWorld(t)
	for _, c := range []struct {
		asset int
		units float64
		want  float64
	}{
		{aUSDJPY, 1e6, 1e6},          // a million dollars
		{aEURUSD, 1e6, 1.25e6},       // a million euros at 1.25
		{aSPX, 10, 54000},            // 10 × 5400
		{aNKY, 15, 3800},             // 15 × 38000 / 150
		{aTY, -100, -11000},          // short 100 futures at 110
		{aDAX, 2, 45000},             // 2 × 18000 × 1.25
		{aJGB, 1500, 1000},           // 1500 × 100 / 150
		{aUST, -1000, -100000},       // short 1000 bonds at 100
		{aSPX, 0, 0},                 // nothing
		{aUSDJPY, -3e6, -3e6},        // dollars sold for yen
		{aEURUSD, -8e5, -8e5 * 1.25}, // euros sold
	} {
		if got := w.NotionalUSD(c.asset, c.units); math.Abs(got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
			t.Errorf("NotionalUSD(%s, %v) = %v, want %v", w.Assets[c.asset].ID, c.units, got, c.want)
		}
	}
}

// TestYields: UpdateYields fills bond yields from prices and leaves NaN
// elsewhere; Yield gives the yield at the current price.
func TestYields(t *testing.T) {
	w := newTestWorld(t)
	if w.Yields[aUST] != 0.042 || w.Yields[aJGB] != 0.01 || !math.IsNaN(w.Yields[aSPX]) || !math.IsNaN(w.Yields[aTY]) {
		t.Fatalf("yields at the start %v", w.Yields)
	}
	w.Price[aUST] = 95
	if y := w.Yield(aUST); math.Abs(y-0.0484116617984438) > 1e-14 {
		t.Errorf("Yield at 95 = %v", y)
	}
	if w.Yields[aUST] != 0.042 {
		t.Error("Yields changed before UpdateYields")
	}
	w.UpdateYields()
	if math.Abs(w.Yields[aUST]-0.0484116617984438) > 1e-14 {
		t.Errorf("Yields after UpdateYields = %v", w.Yields[aUST])
	}
}

// exposureCase is one account set-up of TestExposureSigns: units per asset
// and balances per currency, and the expected exposures.
type exposureCase struct {
	name  string
	units map[int]float64
	bal   Money
	want  map[int]float64
}

// TestExposureSigns checks the sign and size of every exposure against
// hand computations at USDJPY 150, EURUSD 1.25.
func TestExposureSigns(t *testing.T) {
	w := newTestWorld(t)
	for _, c := range []exposureCase{
		{name: "NKY funded in yen has no FX exposure",
			units: map[int]float64{aNKY: 100}, bal: Money{0, -3.8e6},
			want: map[int]float64{aNKY: 3.8e6 / 150}},
		{name: "yen loan sold for dollars is long USDJPY",
			bal:  Money{1e6, -1.5e8},
			want: map[int]float64{aUSDJPY: 1e6}},
		{name: "yen deposit is short USDJPY",
			bal:  Money{0, 1.5e8},
			want: map[int]float64{aUSDJPY: -1e6}},
		{name: "euro deposit is long EURUSD",
			bal:  Money{0, 0, 1e6},
			want: map[int]float64{aEURUSD: 1.25e6}},
		{name: "euro loan sold for dollars is short EURUSD",
			bal:  Money{1.25e6, 0, -1e6},
			want: map[int]float64{aEURUSD: -1.25e6}},
		{name: "DAX funded in euros has no FX exposure",
			units: map[int]float64{aDAX: 100}, bal: Money{0, 0, -1.8e6},
			want: map[int]float64{aDAX: 2.25e6}},
		{name: "DAX bought with dollars is long EURUSD",
			units: map[int]float64{aDAX: 100}, bal: Money{-2.25e6},
			want: map[int]float64{aDAX: 2.25e6, aEURUSD: 2.25e6}},
		{name: "NKY bought with dollars is short USDJPY",
			units: map[int]float64{aNKY: 150}, bal: Money{-38000},
			want: map[int]float64{aNKY: 38000, aUSDJPY: -38000}},
		{name: "futures count at notional and carry no FX",
			units: map[int]float64{aTY: -1000, aUST: 1100}, bal: Money{-110000},
			want: map[int]float64{aTY: -110000, aUST: 110000}},
		{name: "USD assets only",
			units: map[int]float64{aSPX: 10}, bal: Money{-54000},
			want: map[int]float64{aSPX: 54000}},
	} {
		acc := Account{Units: make([]float64, nTestAssets)}
		for i, u := range c.units {
			acc.Add(i, u)
		}
		acc.Bal = c.bal
		e := make([]float64, nTestAssets)
		for i := range e {
			e[i] = 99 // Exposure must clear the vector
		}
		w.Exposure(&acc, e)
		for i := range e {
			if want := c.want[i]; math.Abs(e[i]-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%s: exposure to %s = %v, want %v", c.name, w.Assets[i].ID, e[i], want)
			}
		}
	}
}

// TestExposureIsFirstOrderPnL: for a mixed account and small returns r of
// every asset, the change of the account's value (funded positions and
// balances revalued, futures' variation margin added) is e·r to first
// order: the definition Exposure documents.
func TestExposureIsFirstOrderPnL(t *testing.T) {
	w := newTestWorld(t)
	acc := Account{Units: make([]float64, nTestAssets)}
	acc.Add(aNKY, 300)
	acc.Add(aDAX, -40)
	acc.Add(aUST, 5000)
	acc.Add(aTY, -3000)
	acc.Add(aSPX, 20)
	acc.Add(aJGB, 7e4)
	acc.Bal = Money{-2e5, -1.9e7, 4e5}
	e := make([]float64, nTestAssets)
	w.Exposure(&acc, e)
	v0 := acc.Equity(w)
	p0 := append([]float64(nil), w.Price...)
	r := []float64{3e-6, -2e-6, 1e-6, 1.5e-6, -4e-6, 2.5e-6, -1e-6, 3.5e-6}
	want := 0.0
	for i := range r {
		w.Price[i] = p0[i] * (1 + r[i])
		want += e[i] * r[i]
	}
	w.UpdateFX()
	got := acc.Equity(w) - v0 + acc.Units[aTY]*(w.Price[aTY]-p0[aTY])*w.FXUSD[USD]
	if math.Abs(got-want) > 1e-4*math.Abs(want) {
		t.Errorf("P&L for small returns %v, exposure says %v", got, want)
	}
}

// TestSubmit: orders of zero or non-finite size are dropped; ResetOrders
// empties the queue.
func TestSubmit(t *testing.T) {
	w := newTestWorld(t)
	for _, u := range []float64{0, math.NaN(), math.Inf(1), math.Inf(-1), 5, -2} {
		w.Submit(Order{Asset: aSPX, Units: u})
	}
	if o := w.Orders(); len(o) != 2 || o[0].Units != 5 || o[1].Units != -2 {
		t.Fatalf("orders %v, want the two finite non-zero ones", o)
	}
	w.ResetOrders()
	if len(w.Orders()) != 0 {
		t.Error("ResetOrders left orders")
	}
}

// TestLogAndClock: Log stamps events with the tick and round and zeroes a
// NaN amount; Now is the start plus ticks times the tick length.
func TestLogAndClock(t *testing.T) {
	w := newTestWorld(t)
	w.Tick, w.Round = 7, 2
	w.Log(Event{Kind: EvMarginCall, Tick: 99, Amount: math.NaN()})
	w.Log(Event{Kind: EvDefault, Amount: 5})
	ev := w.Events()
	if len(ev) != 2 || ev[0].Tick != 7 || ev[0].Round != 2 || ev[0].Amount != 0 || ev[1].Amount != 5 {
		t.Errorf("events %+v", ev)
	}
	w.ResetEvents()
	if len(w.Events()) != 0 {
		t.Error("ResetEvents left events")
	}
	if got, want := w.Now(), w.Start.Add(7*time.Hour); !got.Equal(want) {
		t.Errorf("Now = %v, want %v", got, want)
	}
	if w.FundingRate(USD) != w.Policy[USD]+w.Spread[USD] {
		t.Error("FundingRate is not policy plus spread")
	}
}

// TestChannels: AllOn switches every channel and kind on, AllOff all off.
func TestChannels(t *testing.T) {
	on, off := AllOn(), AllOff()
	if !(on.CrossMargin && on.OffsetDrop && on.ProcyclicalHaircuts && on.DealerConstraint && on.BrokerCapital && on.FundingFeedback) {
		t.Errorf("AllOn: %+v", on)
	}
	if off.CrossMargin || off.OffsetDrop || off.ProcyclicalHaircuts || off.DealerConstraint || off.BrokerCapital || off.FundingFeedback {
		t.Errorf("AllOff: %+v", off)
	}
	for k := range on.Kinds {
		if !on.Kinds[k] || off.Kinds[k] {
			t.Errorf("kind %s: AllOn %v AllOff %v", AgentKind(k), on.Kinds[k], off.Kinds[k])
		}
	}
}

// TestClientDebits: a lender's financing is the sum of its clients'
// negative balances, currency by currency: one client's dollar credit does
// not offset another's dollar debit (their ClientBal nets to zero), nor a
// yen loan the dollars it was sold for; seized accounts are gone.
func TestClientDebits(t *testing.T) {
	w := newTestWorld(t)
	pb := w.AddHolder("pb", PrimeBroker)
	a, b := w.AddHolder("a", HedgeFund), w.AddHolder("b", HedgeFund)
	ka, kb := w.OpenAccount(a, pb.Index, true), w.OpenAccount(b, pb.Index, true)
	w.Credit(a, ka, USD, 5e9)
	w.Credit(b, kb, USD, -5e9)
	w.Credit(a, ka, cJPY, -150e9) // $1e9 of yen borrowed
	w.Credit(a, ka, USD, 1e9)     // and sold for dollars
	if pb.ClientBal[USD] != 1e9 {
		t.Fatalf("client balances net to %v, want 1e9", pb.ClientBal[USD])
	}
	if got := w.ClientDebitsUSD(pb); !near(got, 6e9, 1e-12) {
		t.Errorf("client debits %v, want 6e9 (b's dollars and a's yen)", got)
	}
	bal := pb.Seize(&b.Accounts[kb])
	if got := w.ClientDebitsUSD(pb); !near(got, 1e9, 1e-12) || bal[USD] != -5e9 || pb.ClientBal[USD] != 6e9 {
		t.Errorf("with b seized: client debits %v (want 1e9), its balance %v (want -5e9), client balances %v (want 6e9)", got, bal[USD], pb.ClientBal[USD])
	}
	// Kept in step: the sum over accounts equals the running total.
	w.Credit(a, ka, cJPY, 75e9) // half the yen repaid
	if got := w.ClientDebitsUSD(pb); !near(got, 0.5e9, 1e-12) {
		t.Errorf("after repaying half the yen: client debits %v, want 5e8", got)
	}
}
