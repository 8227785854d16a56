package core

import (
	"math"

	"github.com/cascade-sim/cascade/core/dmath"
)

// MaxCurrencies bounds the number of currencies of one scenario. Money is a
// fixed-size array so that balance sheets never allocate in the tick loop.
const MaxCurrencies = 6

// USD is the index of the base currency in every scenario.
const USD = 0

// Money is an amount in each of the scenario's currencies.
type Money [MaxCurrencies]float64

// Custody is the Lender of an account held outright (no lender, no margin).
const Custody = -1

// Account is a holder's book at one lender: positions and a cash balance.
// Accounts[0] of every holder is its custody account (Lender == Custody):
// positions held outright, with the holder's free cash in Holder.Cash. Other
// accounts sit at a prime broker: their Bal is a claim on the broker
// (negative when the client owes), mirrored in the broker's ClientBal.
type Account struct {
	// Margin monitoring, kept together (the lender scans these every round).
	Inactive bool    // seized, or its owner defaulted or passive: not margined
	Seized   bool    // the lender has seized the account after a default
	Dirty    bool    // positions or foreign-currency balances changed since the requirement was computed, other than by price: variation margin, interest and coupons leave it, as price moves leave the notionals (the next epoch re-prices both)
	Stale    bool    // money moved other than by variation margin since posted margin was marked
	ReqEpoch int32   // the lender's margin epoch the requirement was computed in
	NExpo    int32   // number of nonzero exposures (more than MaxExpo: always re-mark)
	Req      float64 // margin required, USD
	Call     float64 // open margin call, USD (0 when none)
	// Base is the posted margin extrapolated back to the start of the
	// lender's margin epoch; with the nonzero exposures when the
	// requirement was computed (ExpoUSD[k], k < NExpo) the lender
	// estimates the account's margin from the epoch's price moves without
	// re-marking it. ExpoMove[k] points at the lender's move of the
	// exposure's asset since the epoch started (a vector the lender keeps
	// for the whole run), so that each term is two loads and a product,
	// with no bounds check; the two arrays are kept apart so that the
	// estimate runs over contiguous values.
	Base        float64
	AbsExposure float64 // sum of absolute exposures when the requirement was computed
	// Allow is the skip test's allowance, 0.1·Req + 1e-3·AbsExposure,
	// computed by the lender with them so that each round reads it.
	Allow    float64
	ExpoUSD  [MaxExpo]float64
	ExpoMove [MaxExpo]*float64

	Posted   float64 // margin posted: the account's equity, USD, when last marked
	Gross    float64 // gross requirement (haircuts on gross exposure), USD
	CallTick int     // tick the open call was issued
	CallDue  int     // tick by which the call must be met

	Owner  int       // holder index of the client
	Lender int       // holder index of the prime broker, or Custody
	Units  []float64 // position per asset (futures: contracts; never FX)
	Held   []int     // assets with a nonzero position, in the order they were opened
	Bal    Money     // claim on the lender, by currency (negative: borrowed)
	// Watch, when the lender sets it, is raised whenever Dirty or Stale is:
	// the lender then knows which accounts changed without scanning them.
	Watch *bool
}

// MaxExpo is how many nonzero exposures an account keeps for its lender's
// margin estimate; an account with more is re-marked every round.
const MaxExpo = 6

// Equity returns the account's value in USD: funded positions at the current
// prices plus the balance at the lender. Futures are settled to the current
// price every round, so they add nothing here.
func (a *Account) Equity(w *World) float64 {
	v := 0.0
	for _, i := range a.Held {
		if w.Assets[i].Funded() {
			v += float64(a.Units[i] * w.Price[i] * w.FXUSD[w.Assets[i].Currency])
		}
	}
	for c := 0; c < w.NCur; c++ {
		v += float64(a.Bal[c] * w.FXUSD[c])
	}
	return v
}

// Add changes the position in asset i by q, keeping Held up to date. A
// position that cancels to within 1e-13 of its former size is set to zero.
func (a *Account) Add(i int, q float64) {
	old := a.Units[i]
	u := old + q
	if m := math.Abs(q); u != 0 && math.Abs(u) <= 1e-13*max(math.Abs(old), m) {
		u = 0
	}
	a.Units[i] = u
	a.Dirty, a.Stale = true, true
	if a.Watch != nil {
		*a.Watch = true
	}
	switch {
	case old == 0 && u != 0:
		a.Held = append(a.Held, i)
	case old != 0 && u == 0:
		for k, j := range a.Held {
			if j == i {
				a.Held = append(a.Held[:k], a.Held[k+1:]...)
				break
			}
		}
	}
}

// stays tests for Add's common case, a held position that stays held: it
// returns u = old + q and whether old is nonzero and |u| is above Add's
// cancellation bound. Then u is not zero either, Add's cancellation test
// fails and Held keeps the asset: Add only stores u and raises the
// account's flags, which keep does without Add's call. Fill and
// PassSettledAtMark use the two (TestAddStaysExact, TestPassAndFillAddExact).
func stays(old, q float64) (float64, bool) {
	u := old + q
	return u, old != 0 && math.Abs(u) > 1e-13*max(math.Abs(old), math.Abs(q))
}

// keep stores what stays returned as position i, as Add stores it.
func (a *Account) keep(i int, u float64) {
	a.Units[i] = u
	a.Dirty, a.Stale = true, true
	if a.Watch != nil {
		*a.Watch = true
	}
}

// PnL sources of the holder's ledger.
const (
	PnLRevaluation = iota // prices and exchange rates moving under held positions
	PnLTrading            // execution away from the mark
	PnLInterest           // interest, coupons and funding costs
	PnLCredit             // seizures, write-offs and recoveries after defaults
	PnLTransfer           // capital moved in or out from outside the model
	NumPnL
)

// Holder is one balance sheet: an agent, a dealer or the outside sector.
type Holder struct {
	Index int
	// Calls counts the holder's accounts with an open margin call (its
	// lenders keep it), so an idle agent checks one number.
	Calls int
	ID    string
	Kind  AgentKind

	Cash      Money     // deposits (money); may be negative only where the kind allows
	Accounts  []Account // Accounts[0] is custody
	ClientBal Money     // lenders: the sum of client balances (a liability when positive)
	// Debits (lenders): the sum of client accounts' negative balances per
	// currency, as positive amounts (what the lender has lent), kept as
	// balances change (moveBal); seized accounts leave it.
	Debits  Money
	Clients []AcctRef // lenders: the client accounts held here, in a fixed order
	// Hedge is the USD owed forward on the holder's currency hedge (an
	// insurer's hedge notional): the cross-currency basis accrues on it,
	// paid to the outside sector. Set it with SetHedge.
	Hedge float64
	// Reserve is a liability the holder owes the outside sector, marked
	// to a bond's yield (an insurer's policy reserves); Face 0: none.
	Reserve Reserve

	// Book is the holder's equity in USD carried forward by the P&L ledger;
	// the audit checks it against the balance sheet (Equity) every round.
	Book  float64
	PnL   [NumPnL]float64
	Book0 float64 // Book at the start of the run

	Defaulted   bool
	DefaultTick int
	Passive     bool // takes no decisions (its kind's channel is switched off)

	lz lazy
}

// Reserve is a fixed-rate liability to the outside sector (policyholders)
// with a duration: it is worth Face at the yield Y0 of its Asset, a bond in
// currency Cur, and Face·exp(−Duration·(y − Y0)) at yield y, so rising
// yields lower it. Re-marking it moves no cash; Rate is paid on Face to
// the outside sector as time passes.
type Reserve struct {
	Face     float64 // amount owed at Y0, in Cur
	Cur      int
	Asset    int     // the bond whose yield marks it
	Duration float64 // years
	Y0       float64 // the yield at which it is worth Face
	Rate     float64 // annual rate paid on Face
}

// Value returns the reserve in its currency at price p of its asset.
func (r *Reserve) Value(w *World, p float64) float64 {
	return r.Face * dmath.Exp(-r.Duration*(w.Assets[r.Asset].YieldAt(p)-r.Y0))
}

// usd returns the reserve's USD value at price p and USD value fx of its currency.
func (r *Reserve) usd(w *World, p, fx float64) float64 {
	return float64(r.Value(w, p) * fx)
}

// SetPassive makes the holder passive (it holds its positions and never
// trades; its lenders stop margining it) or active again.
func (h *Holder) SetPassive(p bool) {
	h.Passive = p
	for k := range h.Accounts {
		a := &h.Accounts[k]
		a.Inactive = p || a.Seized || h.Defaulted
	}
}

// AcctRef names one account: holder index and account index.
type AcctRef struct{ Holder, Acct int }

// Acct returns the account a reference names.
func (w *World) Acct(r AcctRef) *Account { return &w.Holders[r.Holder].Accounts[r.Acct] }

// Equity returns the holder's equity in USD from its balance sheet: assets
// minus liabilities, computed from scratch.
func (h *Holder) Equity(w *World) float64 {
	a, l := h.AssetsLiabilities(w)
	return a - l
}

// AssetsLiabilities returns the holder's total assets and total liabilities
// in USD. Long positions and positive balances are assets; short positions,
// negative balances and money owed to clients are liabilities.
func (h *Holder) AssetsLiabilities(w *World) (assets, liabilities float64) {
	add := func(v float64) {
		if v >= 0 {
			assets += v
		} else {
			liabilities -= v
		}
	}
	for k := range h.Accounts {
		acc := &h.Accounts[k]
		for i, u := range acc.Units { // dense on purpose: the audit must not trust Held
			if u != 0 && w.Assets[i].Funded() {
				add(float64(u * w.Price[i] * w.FXUSD[w.Assets[i].Currency]))
			}
		}
		for c := 0; c < w.NCur; c++ {
			add(float64(acc.Bal[c] * w.FXUSD[c]))
		}
	}
	for c := 0; c < w.NCur; c++ {
		add(float64(h.Cash[c] * w.FXUSD[c]))
		add(float64(-h.ClientBal[c] * w.FXUSD[c]))
	}
	if r := &h.Reserve; r.Face != 0 {
		add(-r.usd(w, w.Price[r.Asset], w.FXUSD[r.Cur]))
	}
	if h.Index == 0 { // the outside sector holds every reserve's claim
		for _, g := range w.Holders {
			if r := &g.Reserve; r.Face != 0 {
				add(r.usd(w, w.Price[r.Asset], w.FXUSD[r.Cur]))
			}
		}
	}
	return assets, liabilities
}

// Units returns the holder's total position in asset i over all accounts.
func (h *Holder) Units(i int) float64 {
	u := 0.0
	for k := range h.Accounts {
		u += h.Accounts[k].Units[i]
	}
	return u
}

// FreeCashUSD returns the holder's free USD deposits (custody cash), floored at zero.
func (h *Holder) FreeCashUSD() float64 {
	if h.Cash[USD] > 0 {
		return h.Cash[USD]
	}
	return 0
}

// ClientDebitsUSD returns what lender h has lent its clients, in USD: the
// sum over its client accounts of every negative balance, currency by
// currency (one client's credit does not offset another's debit, nor a
// yen loan the dollars it was sold for).
func (w *World) ClientDebitsUSD(h *Holder) float64 {
	d := 0.0
	for c := 0; c < w.NCur; c++ {
		d += float64(h.Debits[c] * w.FXUSD[c])
	}
	return d
}

// Seize takes client account a of lender l out of the books: its balances
// are extinguished (the lender's liability to the client, and its claims on
// it, go) and it leaves the lender's Debits. It returns the balances.
func (l *Holder) Seize(a *Account) Money {
	var b Money
	for c := range a.Bal {
		if v := a.Bal[c]; v != 0 {
			l.moveBal(a, c, -v)
			b[c] = v
		}
	}
	a.Seized, a.Inactive = true, true
	return b
}

// Credit pays amt of currency c into the holder's account acct. Money comes
// from nowhere here: every Credit must be matched by a Credit of -amt to the
// counterparty (Transfer does both). For a broker account the lender receives
// the money and owes it to its client.
func (w *World) Credit(h *Holder, acct, c int, amt float64) {
	w.Settle(h)
	w.credit(h, &h.Accounts[acct], c, amt)
}

// credit is Credit into account a of h, which must be settled already.
func (w *World) credit(h *Holder, a *Account, c int, amt float64) {
	if a.Lender == Custody {
		h.Cash[c] += amt
		return
	}
	w.creditLender(a, c, amt)
}

// creditLender is credit into an account at a lender.
func (w *World) creditLender(a *Account, c int, amt float64) {
	a.Stale = true
	if c != USD {
		a.Dirty = true
	}
	if a.Watch != nil {
		*a.Watch = true
	}
	l := w.Holders[a.Lender]
	l.moveBal(a, c, amt)
	l.Cash[c] += amt
}

// moveBal changes client account a's balance in currency c by amt, keeping
// the lender l's ClientBal and Debits in step.
func (l *Holder) moveBal(a *Account, c int, amt float64) {
	old := a.Bal[c]
	nb := old + amt
	a.Bal[c] = nb
	l.ClientBal[c] += amt
	if !a.Seized && (old < 0 || nb < 0) {
		l.Debits[c] += max(0, -nb) - max(0, -old)
	}
}

// CreditVM pays variation margin into a broker account: like Credit, but
// it leaves the account's flags alone, since a price move is what its
// lender's headroom bound already allows for.
func (w *World) CreditVM(h *Holder, acct, c int, amt float64) {
	a := &h.Accounts[acct]
	if a.Lender == Custody {
		h.Cash[c] += amt
		return
	}
	l := w.Holders[a.Lender]
	l.moveBal(a, c, amt)
	l.Cash[c] += amt
}

// Transfer moves amt of currency c from (from, fromAcct) to (to, toAcct).
// Neither side's equity changes; it is a movement of money, not income.
func (w *World) Transfer(from *Holder, fromAcct int, to *Holder, toAcct int, c int, amt float64) {
	w.Credit(from, fromAcct, c, -amt)
	w.Credit(to, toAcct, c, amt)
}

// Pay moves amt of currency c as income: the payer's Book falls and the
// payee's rises by its USD value, booked to the P&L source src on both sides.
func (w *World) Pay(from *Holder, fromAcct int, to *Holder, toAcct int, c int, amt float64, src int) {
	w.Transfer(from, fromAcct, to, toAcct, c, amt)
	v := float64(amt * w.FXUSD[c])
	from.Book -= v
	from.PnL[src] -= v
	to.Book += v
	to.PnL[src] += v
}
