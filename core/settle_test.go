package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSettleInterest: deposits grow at the policy rate, debts at policy
// plus spread, compounded per tick at the rate of each tick, from indices:
// a holder settled once after ten ticks gets exactly what ten settlements
// would have given. The outside sector pays and receives.
func TestSettleInterest(t *testing.T) {
	w := newTestWorld(t)
	out := w.Holders[0]
	saver := w.AddHolder("saver", HedgeFund)
	debtor := w.AddHolder("debtor", HedgeFund)
	yen := w.AddHolder("yen", Insurer)
	w.Endow(saver, USD, 1e6)
	w.Endow(debtor, USD, -1e6)
	w.Endow(yen, cJPY, 1.5e8)
	w.Policy[USD], w.Spread[USD] = 0.05, 0.01
	w.Policy[cJPY] = 0.001
	dt := w.DT
	for k := 0; k < 10; k++ {
		if k == 5 {
			w.Policy[USD] = 0.04 // a cut after five ticks
		}
		w.AdvanceAccrual()
	}
	cash0 := out.Cash
	w.SettleAll()
	// Deposits: (1 + 0.05·dt)^5 (1 + 0.04·dt)^5; debt: (1 + 0.06·dt)^5 (1 + 0.05·dt)^5.
	wantS := 1e6 * math.Pow(1+0.05*dt, 5) * math.Pow(1+0.04*dt, 5)
	wantD := -1e6 * math.Pow(1+0.06*dt, 5) * math.Pow(1+0.05*dt, 5)
	wantY := 1.5e8 * math.Pow(1+0.001*dt, 10)
	for _, c := range []struct {
		h         *Holder
		cur       int
		got, want float64
	}{{saver, USD, saver.Cash[USD], wantS}, {debtor, USD, debtor.Cash[USD], wantD}, {yen, cJPY, yen.Cash[cJPY], wantY}} {
		if math.Abs(c.got-c.want) > 1e-9*math.Abs(c.want) {
			t.Errorf("%s: cash %.10f, want %.10f", c.h.ID, c.got, c.want)
		}
	}
	iS, iD, iY := wantS-1e6, wantD+1e6, (wantY-1.5e8)/150
	if !near(saver.PnL[PnLInterest], iS, 1e-9) || !near(debtor.PnL[PnLInterest], iD, 1e-9) || !near(yen.PnL[PnLInterest], iY, 1e-9) {
		t.Errorf("interest booked %v %v %v, want %v %v %v", saver.PnL[PnLInterest], debtor.PnL[PnLInterest], yen.PnL[PnLInterest], iS, iD, iY)
	}
	if d := out.Cash[USD] - cash0[USD]; math.Abs(d+iS+iD) > 1e-6 {
		t.Errorf("outside sector paid %v USD, want %v", -d, iS+iD)
	}
	if !near(out.PnL[PnLInterest], -(iS + iD + iY), 1e-9) {
		t.Errorf("outside sector's interest P&L %v, want %v", out.PnL[PnLInterest], -(iS + iD + iY))
	}
	checkBook(t, w, "interest")
}

// TestSettleCoupons: a bond pays p·y·dt per unit per tick at the price and
// yield of that tick, into custody cash or, for a bond held at a broker,
// into the account's balance (the broker holds the money and owes it).
func TestSettleCoupons(t *testing.T) {
	w := newTestWorld(t)
	client, broker, k := clientAndBroker(w, 2e5, 1e6)
	w.SetupTrade(client, 0, aUST, 1000)
	w.Transfer(client, 0, client, k, USD, 1e5)
	w.SetupTrade(client, k, aUST, 1000)
	// Both cash and the account balance are now 0: no interest, only coupons.
	if client.Cash[USD] != 0 || client.Accounts[k].Bal[USD] != 0 {
		t.Fatalf("cash %v balance %v, want 0", client.Cash[USD], client.Accounts[k].Bal[USD])
	}
	w.Policy[USD] = 0.05
	cashB := broker.Cash[USD]
	for j := 0; j < 10; j++ {
		if j == 5 {
			setPrices(w, map[int]float64{aUST: 95})
		}
		w.AdvanceAccrual()
	}
	w.Settle(client)
	// Per unit: 5·100·0.042·dt + 5·95·0.0484116617984438·dt.
	cp := 1000 * (5*100*0.042 + 5*95*0.0484116617984438) * w.DT
	if math.Abs(client.Cash[USD]-cp) > 1e-12*cp {
		t.Errorf("custody coupons %.12g, want %.12g", client.Cash[USD], cp)
	}
	// At the broker the coupons are credited before the balance accrues,
	// so they earn the period's interest (0.05·10·dt = 5.7e-5 of them): a
	// second-order difference from custody, allowed for here.
	acc := &client.Accounts[k]
	if math.Abs(acc.Bal[USD]-cp) > 1e-4*cp || math.Abs(broker.ClientBal[USD]-acc.Bal[USD]) > 1e-12 {
		t.Errorf("account coupons %.12g (lender's record %.12g), want %.12g", acc.Bal[USD], broker.ClientBal[USD], cp)
	}
	// The lender's cash: its own deposit interest plus the coupons it holds.
	own := cashB * (math.Pow(1+0.05*w.DT, 10) - 1)
	if got := broker.Cash[USD] - cashB - own; math.Abs(got-cp) > 1e-9*cashB {
		t.Errorf("the lender received %v of coupons, want %v", got, cp)
	}
	checkBook(t, w, "coupons")
}

// TestSettleRevaluation: positions and currency balances are revalued from
// the marks they were last settled at: yen cash loses when USDJPY rises,
// a yen equity moves with its price and the yen, a short future pays
// variation margin through its broker account.
func TestSettleRevaluation(t *testing.T) {
	w := newTestWorld(t)
	client, broker, k := clientAndBroker(w, 1e6, 1e7)
	w.Endow(client, cJPY, 1.5e8) // $1m of yen
	w.SetupTrade(client, 0, aNKY, 100)
	w.SetupTrade(client, k, aTY, -100)
	w.SettleAll()
	book, bookB := client.Book, broker.Book
	balB, cbB := broker.Cash[USD], broker.ClientBal[USD]
	setPrices(w, map[int]float64{aUSDJPY: 160, aNKY: 40000, aTY: 111.5})
	// Before settling, the account's value already shows the margin the
	// future has earned: −100 × 1.5 = −150.
	acc := &client.Accounts[k]
	if v := w.AccountValue(client, acc); math.Abs(v+150) > 1e-9 {
		t.Errorf("AccountValue before settling %v, want -150", v)
	}
	w.Settle(client)
	// Yen: (1.5e8 − 100·38000)·(1/160 − 1/150) = 1.462e8·(−1/2400) = −60916.67;
	// NKY: 100·(40000/160 − 38000/150) = −333.33; TY: −150.
	want := 1.462e8*(1.0/160-1.0/150) + 100*(40000.0/160-38000.0/150) - 150
	if d := client.Book - book; math.Abs(d-want) > 1e-6 || math.Abs(client.PnL[PnLRevaluation]-want) > 1e-6 {
		t.Errorf("revaluation %.6f (ledger %.6f), want %.6f", d, client.PnL[PnLRevaluation], want)
	}
	if acc.Bal[USD] != -150 || broker.ClientBal[USD]-cbB != -150 || broker.Cash[USD]-balB != -150 {
		t.Errorf("variation margin: balance %v, lender's record moved %v, lender's cash moved %v; want -150",
			acc.Bal[USD], broker.ClientBal[USD]-cbB, broker.Cash[USD]-balB)
	}
	if broker.Book != bookB {
		t.Errorf("variation margin moved the lender's equity: %v -> %v", bookB, broker.Book)
	}
	if v := w.AccountValue(client, acc); math.Abs(v-acc.Equity(w)) > 1e-9 || math.Abs(v+150) > 1e-9 {
		t.Errorf("after settling AccountValue %v, Equity %v, want -150", v, acc.Equity(w))
	}
	checkBook(t, w, "revaluation")
}

// TestSettleLendersFirst: settling a client settles its lenders first, so
// the variation margin and interest it pays land on an up-to-date lender.
func TestSettleLendersFirst(t *testing.T) {
	w := newTestWorld(t)
	client, broker, k := clientAndBroker(w, 1e6, 1e7)
	w.SetupTrade(client, k, aTY, 100)
	setPrices(w, map[int]float64{aTY: 109})
	w.AdvanceAccrual()
	if broker.lz.markVer == w.acc.priceVer {
		t.Fatal("broker already settled")
	}
	w.Settle(client)
	if broker.lz.markVer != w.acc.priceVer || broker.lz.accStep != w.acc.step {
		t.Error("settling a client left its lender stale")
	}
	checkBook(t, w, "lenders first")
}

// richWorld is a broker and a client holding a bit of everything: USD, yen
// and euro equities, bonds in custody and at the broker, a short future,
// a yen carry trade, a euro deposit and yen debt, at non-zero rates.
func richWorld(t *testing.T) (w *World, client, broker *Holder, k int) {
	w = newTestWorld(t)
	client, broker, k = clientAndBroker(w, 1e8, 1e9)
	w.Policy = Money{0.05, 0.001, 0.03}
	w.Spread = Money{0.005, 0.002, 0.004}
	w.SetupTrade(client, 0, aSPX, 1000)
	w.SetupTrade(client, 0, aUST, 1e5)
	w.SetupTrade(client, 0, aJGB, 1e5)    // bought with borrowed yen
	w.SetupTrade(client, 0, aEURUSD, 1e6) // a euro deposit
	w.SetupTrade(client, 0, aDAX, -50)    // short DAX against it
	w.Transfer(client, 0, client, k, USD, 2e7)
	w.SetupTrade(client, k, aNKY, 1000)   // yen equity on a yen loan
	w.SetupTrade(client, k, aTY, -1e5)    // short futures
	w.SetupTrade(client, k, aUST, 1e5)    // bonds on the broker's money
	w.SetupTrade(client, k, aUSDJPY, 1e7) // yen borrowed and sold for dollars
	w.SetupTrade(broker, 0, aSPX, 200)    // the broker's own inventory
	w.SettleAll()
	return
}

// richPath moves every price of richWorld along a fixed path and accrues
// one tick after each move; settle, when set, is called every tick.
func richPath(w *World, ticks int, settle func()) {
	for j := 1; j <= ticks; j++ {
		x := float64(j)
		setPrices(w, map[int]float64{
			aUSDJPY: 150 * (1 - 0.004*x), aEURUSD: 1.25 * (1 + 0.001*x), aUST: 100 * (1 - 0.002*x), aTY: 110 * (1 - 0.0025*x),
			aNKY: 38000 * (1 - 0.01*x), aSPX: 5400 * (1 - 0.005*x), aJGB: 100 * (1 + 0.0005*x), aDAX: 18000 * (1 + 0.003*x),
		})
		w.AdvanceAccrual()
		if j == 4 {
			w.Policy[cJPY] = 0.0025 // a hike in the middle
		}
		if settle != nil {
			settle()
		}
	}
}

// TestLazyAccounting: after prices move, interest and coupons accrue and a
// futures position earns variation margin, settling brings every ledger to
// assets minus liabilities exactly; NAV is the settled Book; an account's
// value equals its equity once settled; settling again changes nothing;
// units and money are conserved throughout.
func TestLazyAccounting(t *testing.T) {
	w, client, broker, k := richWorld(t)
	units0, _, cash0, _, _, _ := totalsOf(w)
	richPath(w, 8, nil)
	// A price move without an accrual step: AccountValue before settling
	// equals the account's equity after, for funded positions and futures.
	setPrices(w, map[int]float64{aTY: 105, aNKY: 36000, aUSDJPY: 148})
	acc := &client.Accounts[k]
	w.Settle(client) // settles the accruals of the path, at these prices
	setPrices(w, map[int]float64{aTY: 104, aNKY: 35000, aUSDJPY: 145})
	before := w.AccountValue(client, acc)
	if nav := w.NAV(client); nav != client.Book {
		t.Errorf("NAV %v != Book %v", nav, client.Book)
	}
	if d := before - acc.Equity(w); math.Abs(d) > 1e-9*math.Abs(before) {
		t.Errorf("AccountValue before settling %.6f, equity after %.6f", before, acc.Equity(w))
	}
	checkBook(t, w, "settled")
	checkConserved(t, w, units0, cash0, "settled")
	// Settling again changes nothing.
	type snap struct {
		book float64
		pnl  [NumPnL]float64
		cash Money
		cb   Money
		bal  Money
	}
	take := func() []snap {
		var s []snap
		for _, h := range w.Holders {
			s = append(s, snap{h.Book, h.PnL, h.Cash, h.ClientBal, h.Accounts[len(h.Accounts)-1].Bal})
		}
		return s
	}
	s1 := take()
	w.SettleAll()
	w.Settle(client)
	w.Settle(broker)
	s2 := take()
	for i := range s1 {
		if s1[i] != s2[i] {
			t.Errorf("%s: settling twice changed the books: %+v -> %+v", w.Holders[i].ID, s1[i], s2[i])
		}
	}
	if client.PnL[PnLInterest] == 0 || client.PnL[PnLRevaluation] == 0 || broker.PnL[PnLInterest] == 0 {
		t.Error("the path did not exercise interest and revaluation")
	}
}

// TestLazyMatchesEager: a holder settled once after a path ends where one
// settled every tick ends, up to the interest on flows credited within the
// path (coupons and variation margin earn interest from the tick they are
// settled): second order, well under 1e-6 of the balance sheet.
func TestLazyMatchesEager(t *testing.T) {
	lazy, lc, lb, _ := richWorld(t)
	eager, ec, eb, _ := richWorld(t)
	richPath(lazy, 8, nil)
	richPath(eager, 8, eager.SettleAll)
	lazy.SettleAll()
	for _, p := range [][2]*Holder{{lc, ec}, {lb, eb}, {lazy.Holders[0], eager.Holders[0]}} {
		a, l := p[1].AssetsLiabilities(eager)
		if d := math.Abs(p[0].Book - p[1].Book); d > 1e-6*(a+l) {
			t.Errorf("%s: lazy Book %.6f, eager %.6f", p[0].ID, p[0].Book, p[1].Book)
		}
		for c := 0; c < lazy.NCur; c++ {
			if d := math.Abs(p[0].Cash[c] - p[1].Cash[c]); d > 1e-6*(a+l)/lazy.FXUSD[c] {
				t.Errorf("%s: lazy %s cash %.6f, eager %.6f", p[0].ID, lazy.Currencies[c], p[0].Cash[c], p[1].Cash[c])
			}
		}
	}
	checkBook(t, lazy, "lazy")
	checkBook(t, eager, "eager")
}

// TestHedgeBasis: a currency hedge (dollars borrowed and sold for yen)
// pays the cross-currency basis on its notional, Holder.Hedge, each tick,
// to the outside sector, on top of the interest its balances accrue: at a
// basis of −0.30% a $4.4e10 hedge pays 4.4e10 × 0.003 × 24/8760 = $361,644
// a day. SetHedge settles first, so a notional doubled after 12 hours pays
// the old notional for those hours. The peek sees the charge before
// settling does; books balance and money is conserved.
func TestHedgeBasis(t *testing.T) {
	const h0 = 4.4e10
	for _, c := range []struct {
		name      string
		basis     float64
		hedge     float64 // notional for the first 12 ticks
		hedge2    float64 // notional for the next 12
		wantBasis float64 // USD the hedge earns from the basis over the day
	}{
		{"no basis", 0, h0, h0, 0},
		{"dollars dear", -0.003, h0, h0, -h0 * 0.003 * 24 / 8760},
		{"dollars cheap", 0.002, h0, h0, h0 * 0.002 * 24 / 8760},
		{"no hedge", -0.003, 0, 0, 0},
		{"hedge doubled at noon", -0.003, h0, 2 * h0, -3 * h0 * 0.003 * 12 / 8760},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newTestWorld(t)
			out := w.Holders[0]
			lifer := w.AddHolder("lifer", Insurer)
			w.Endow(lifer, USD, -h0)
			w.Endow(lifer, cJPY, h0*150)
			w.SetHedge(lifer, c.hedge)
			units0, _, cash0, _, _, _ := totalsOf(w)
			w.Policy[USD], w.Spread[USD] = 0.036, 0.001
			w.Policy[cJPY] = 0.0075
			w.XCCYBasis = c.basis
			for k := 0; k < 24; k++ {
				if k == 12 {
					w.SetHedge(lifer, c.hedge2)
				}
				w.AdvanceAccrual()
			}
			var p Peek
			w.PeekAll(&p)
			w.SettleAll()
			if !near(p.Book[lifer.Index], lifer.Book, 1e-12) {
				t.Errorf("peek %.6f, settled %.6f", p.Book[lifer.Index], lifer.Book)
			}
			dt := w.DT
			debt := -h0 * math.Pow(1+0.037*dt, 24) // the dollar debt at policy + repo spread
			// SetHedge settles at noon: the morning's charge owes funding after.
			debt += float64(c.basis*c.hedge*12/8760) * (math.Pow(1+0.037*dt, 12) - 1)
			if got := lifer.Cash[USD] - debt; math.Abs(got-c.wantBasis) > 1e-3 {
				t.Errorf("basis paid %.3f USD, want %.3f", got, c.wantBasis)
			}
			if got := -out.PnL[PnLInterest] - lifer.PnL[PnLInterest]; math.Abs(got) > 1e-3 {
				t.Errorf("the outside sector's interest and the hedger's differ by %.3f USD", got)
			}
			// What the hedge pays a year: the insurer decides at the policy
			// differential less the basis (3.6% − 0.75% − basis) and pays
			// the repo spread on top (its yen here is a deposit).
			if c.hedge == c.hedge2 && c.hedge > 0 {
				paid := -lifer.PnL[PnLInterest] / c.hedge * 365
				if want := 0.036 + 0.001 - 0.0075 - c.basis; math.Abs(paid-want) > 2e-6 {
					t.Errorf("the hedge costs %.5f%% a year, want %.5f%%", 100*paid, 100*want)
				}
			}
			checkBook(t, w, c.name)
			checkConserved(t, w, units0, cash0, c.name)
		})
	}
}

// TestReserve: an insurer's policy reserves (¥1.5e12, $1e10 at 150) are a
// liability to the outside sector marked to the JGB's yield with their own
// duration (15 years against the JGB's 9): re-marking moves no cash, the
// policyholders' claim moves the other way, and the fixed rate is paid in
// yen as time passes. The premiums that built the reserve sit in the
// insurer's yen account, so a move of the yen alone leaves its equity
// where it was. Books balance, money is conserved, and the peek sees what
// settling does.
func TestReserve(t *testing.T) {
	const face = 1.5e12 // yen
	for _, c := range []struct {
		name     string
		dy       float64 // JGB yield change
		usdjpy   float64
		rate     float64
		ticks    int
		wantBook float64 // the insurer's equity change, USD
		wantCash float64 // its yen cash change
	}{
		{"yields up 0.5%", 0.005, 150, 0, 0, face * (1 - math.Exp(-15*0.005)) / 150, 0},
		{"yields down 0.5%", -0.005, 150, 0, 0, face * (1 - math.Exp(15*0.005)) / 150, 0},
		{"yen 10% stronger", 0, 135, 0, 0, 0, 0},
		{"a day at 1%", 0, 150, 0.01, 24, -face * 0.01 * 24 / 8760 / 150, -face * 0.01 * 24 / 8760},
		{"yields up and a day at 1%", 0.005, 150, 0.01, 24, (face*(1-math.Exp(-15*0.005)) - face*0.01*24/8760) / 150, -face * 0.01 * 24 / 8760},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newTestWorld(t)
			out := w.Holders[0]
			lifer := w.AddHolder("lifer", Insurer)
			w.AddReserve(lifer, Reserve{Face: face, Cur: cJPY, Asset: aJGB, Duration: 15, Y0: w.Yield(aJGB), Rate: c.rate})
			units0, _, cash0, _, _, _ := totalsOf(w)
			checkBook(t, w, "set-up")
			if lifer.Book != 0 || lifer.Cash[cJPY] != face {
				t.Fatalf("set-up: equity %v, yen %v; want 0 and the face %v", lifer.Book, lifer.Cash[cJPY], face)
			}
			book0, outBook0 := lifer.Book, out.Book
			for k := 0; k < c.ticks; k++ {
				w.AdvanceAccrual()
			}
			setPrices(w, map[int]float64{aJGB: 100 * math.Exp(-9*c.dy), aUSDJPY: c.usdjpy})
			var p Peek
			w.PeekAll(&p)
			w.SettleAll()
			if !near(p.Book[lifer.Index], lifer.Book, 1e-12) || !near(p.Book[0], out.Book, 1e-12) {
				t.Errorf("peek %.6f and %.6f, settled %.6f and %.6f", p.Book[lifer.Index], p.Book[0], lifer.Book, out.Book)
			}
			if d := lifer.Book - book0; math.Abs(d-c.wantBook) > 1e-6*math.Max(math.Abs(c.wantBook), 1) {
				t.Errorf("insurer's equity moved %.6f USD, want %.6f", d, c.wantBook)
			}
			if d := out.Book - outBook0; math.Abs(d+lifer.Book-book0) > 1e-3 {
				t.Errorf("outside sector's equity moved %.6f, the insurer's %.6f: want the opposite", d, lifer.Book-book0)
			}
			if d := lifer.Cash[cJPY] - face; math.Abs(d-c.wantCash) > 1e-3 {
				t.Errorf("yen cash moved %.3f, want %.3f", d, c.wantCash)
			}
			checkBook(t, w, c.name)
			checkConserved(t, w, units0, cash0, c.name)
		})
	}
}

// TestAccountValueWritten: AccountValue, which cuts the units, prices and
// marks to the assets' length and ranges over the balances it reads, is bit
// for bit the sum written out over the held positions in Held's order (a
// future's variation margin since the last mark, a funded position at
// market, nothing for an exchange rate) and then the balances of the
// scenario's currencies, for accounts holding every kind of asset, long and
// short, with balances in three currencies, at prices moved from the marks.
func TestAccountValueWritten(t *testing.T) {
	w := newTestWorld(t)
	client, _, k := clientAndBroker(w, 1e6, 1e9)
	rng := rand.New(rand.NewPCG(5, 6))
	checked := 0
	for trial := range 200 {
		acc := &client.Accounts[k]
		for range 3 {
			i := rng.IntN(nTestAssets)
			w.SetupTrade(client, k, i, float64(rng.IntN(2001)-1000))
		}
		w.Settle(client)
		p := map[int]float64{}
		for i := range nTestAssets {
			p[i] = w.Price[i] * (1 + 0.01*rng.NormFloat64())
		}
		setPrices(w, p)
		want := 0.0
		for _, i := range acc.Held {
			a := &w.Assets[i]
			switch a.Kind {
			case Future:
				want += float64(acc.Units[i] * (w.Price[i] - client.lz.markP[i]) * w.FXUSD[a.Currency])
			case FX:
			default:
				want += float64(acc.Units[i] * w.Price[i] * w.FXUSD[a.Currency])
			}
		}
		for c := 0; c < w.NCur; c++ {
			want += float64(acc.Bal[c] * w.FXUSD[c])
		}
		if got := w.AccountValue(client, acc); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("trial %d: AccountValue %v, written out %v (held %v, balances %v)", trial, got, want, acc.Held, acc.Bal)
		}
		if len(acc.Held) > 3 && acc.Bal[cJPY] != 0 && acc.Bal[cEUR] != 0 {
			checked++
		}
	}
	if checked < 50 {
		t.Errorf("setup: %d accounts with several positions and three balances, want 50", checked)
	}
}

// TestExposureWritten: Exposure, which cuts the units, prices and
// exposures to the assets' length, writes bit for bit what the loop
// written out gives: each held position's notional in USD at its asset,
// and in each exchange rate's slot the account's net holding of the
// currency (balance plus positions priced in it), for accounts holding
// every kind of asset, long and short, with balances in three currencies,
// into a vector holding what an earlier call left.
func TestExposureWritten(t *testing.T) {
	w := newTestWorld(t)
	client, _, k := clientAndBroker(w, 1e6, 1e9)
	rng := rand.New(rand.NewPCG(7, 8))
	got, want := make([]float64, nTestAssets), make([]float64, nTestAssets)
	checked := 0
	for trial := range 200 {
		acc := &client.Accounts[k]
		for range 3 {
			w.SetupTrade(client, k, rng.IntN(nTestAssets), float64(rng.IntN(2001)-1000))
		}
		p := map[int]float64{}
		for i := range nTestAssets {
			p[i] = w.Price[i] * (1 + 0.01*rng.NormFloat64())
		}
		setPrices(w, p)
		clear(want)
		var cur Money
		for _, i := range acc.Held {
			a := &w.Assets[i]
			v := float64(acc.Units[i] * w.Price[i] * w.FXUSD[a.Currency])
			want[i] += v
			if a.Funded() {
				cur[a.Currency] += v
			}
		}
		for c := 1; c < w.NCur; c++ {
			if v := cur[c] + float64(acc.Bal[c]*w.FXUSD[c]); v != 0 {
				p := w.FXPair[c]
				want[p] -= float64(w.FXReturnSign(p, c) * v)
			}
		}
		w.Exposure(acc, got)
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("trial %d: exposure to %s %v, written out %v (held %v, balances %v)", trial, w.Assets[i].ID, got[i], want[i], acc.Held, acc.Bal)
			}
		}
		if len(acc.Held) > 3 && got[aUSDJPY] != 0 && got[aEURUSD] != 0 {
			checked++
		}
		w.Settle(client)
	}
	if checked < 50 {
		t.Errorf("setup: %d accounts with several positions and two currencies' exposures, want 50", checked)
	}
}

// TestRemarkWritten: settle's re-mark (remark, which reads the prices,
// marks and units through locals cut to the assets' length) adds to the
// holder's revaluation P&L bit for bit what the loop written out gives,
// read before the settle: the foreign balances' revaluation, then over
// the accounts in order and each account's Held in order, a future's
// variation margin at its exchange rate, a funded position's change in
// USD from its mark, nothing for an exchange rate. Along richWorld's path
// (every kind of asset, in three currencies, at custody and at the
// broker), settling the client every tick and the broker every other.
func TestRemarkWritten(t *testing.T) {
	w, client, broker, _ := richWorld(t)
	want := func(h *Holder) float64 {
		book := w.fxRevaluation(h)
		for k := range h.Accounts {
			acc := &h.Accounts[k]
			for _, i := range acc.Held {
				a := &w.Assets[i]
				c := a.Currency
				switch a.Kind {
				case Future:
					if dp := w.Price[i] - h.lz.markP[i]; dp != 0 {
						book += float64(acc.Units[i] * dp * w.FXUSD[c])
					}
				case FX:
				default:
					book += float64(acc.Units[i] * (float64(w.Price[i]*w.FXUSD[c]) - float64(h.lz.markP[i]*h.lz.markFX[c])))
				}
			}
		}
		return h.PnL[PnLRevaluation] + book
	}
	tick, futures := 0, 0
	check := func(h *Holder) {
		t.Helper()
		x := want(h)
		w.Settle(h)
		if got := h.PnL[PnLRevaluation]; math.Float64bits(got) != math.Float64bits(x) {
			t.Fatalf("tick %d: %s's revaluation P&L %v, written out %v", tick, h.ID, got, x)
		}
	}
	richPath(w, 20, func() {
		tick++
		if tick%2 == 0 {
			check(broker)
		}
		for _, i := range client.Accounts[1].Held {
			if w.Assets[i].Kind == Future {
				futures++
			}
		}
		check(client)
	})
	if futures == 0 || len(client.Accounts) != 2 || len(client.Accounts[0].Held) < 4 {
		t.Fatalf("setup: the client holds %v at custody and %v at the broker, want every kind", client.Accounts[0].Held, client.Accounts[1].Held)
	}
}
