package core

import (
	"fmt"
	"math"
)

// Fill books q units of asset i bought at price x into account acct of
// holder h: units and money on the holder's side only. The counterparty must
// be filled with -q at the same price. The holder's ledger gains q·(mark − x),
// the trading P&L against mark (the price the balance sheet is marked at when
// the fill happens), in USD at rates fx. FX orders exchange q units of the
// base currency for q·x of the quote currency; futures cost nothing and
// settle variation margin to the mark at once.
func (w *World) Fill(h *Holder, acct, i int, q, x, mark float64, fx *Money) {
	w.Settle(h)
	a := &w.Assets[i]
	acc := &h.Accounts[acct]
	switch a.Kind {
	case FX:
		w.credit(h, acc, a.Base, q)
		w.credit(h, acc, a.Currency, float64(-q*x))
	default:
		// Units move as Account.Add moves them; its common case, a held
		// position that stays held, without its call (see stays).
		if u, ok := stays(acc.Units[i], q); ok {
			acc.keep(i, u)
		} else {
			acc.Add(i, q)
		}
		if a.Kind == Future {
			w.credit(h, acc, a.Currency, float64(q*(mark-x)))
		} else {
			w.credit(h, acc, a.Currency, float64(-q*x))
		}
	}
	pnl := float64(q * (mark - x) * fx[a.Currency])
	h.Book += pnl
	h.PnL[PnLTrading] += pnl
}

// AddHolder appends a new holder of the given kind with one custody account.
func (w *World) AddHolder(id string, kind AgentKind) *Holder {
	h := &Holder{Index: len(w.Holders), ID: id, Kind: kind}
	h.Accounts = []Account{{Owner: h.Index, Lender: Custody, Units: make([]float64, len(w.Assets)), Held: make([]int, 0, len(w.Assets))}}
	w.Holders = append(w.Holders, h)
	w.initLazy(h)
	return h
}

// OpenAccount opens an account for h at lender (a holder index, or Custody
// for a second account held outright) and returns its index. With shared,
// an existing account at the same lender is returned instead.
func (w *World) OpenAccount(h *Holder, lender int, shared bool) int {
	if shared && lender != Custody {
		for k := 1; k < len(h.Accounts); k++ {
			if h.Accounts[k].Lender == lender {
				return k
			}
		}
	}
	h.Accounts = append(h.Accounts, Account{Owner: h.Index, Lender: lender, Units: make([]float64, len(w.Assets)), Held: make([]int, 0, len(w.Assets))})
	k := len(h.Accounts) - 1
	if lender != Custody {
		l := w.Holders[lender]
		l.Clients = append(l.Clients, AcctRef{Holder: h.Index, Acct: k})
	}
	return k
}

// Endow gives h capital: amt of currency c paid into its custody cash by the
// outside sector, booked as a capital transfer on both sides.
func (w *World) Endow(h *Holder, c int, amt float64) {
	w.Pay(w.Holders[0], 0, h, 0, c, amt, PnLTransfer)
}

// SetupTrade buys q units of asset i for account acct of h from the outside
// sector at the current price, without price impact: the way a scenario's
// initial positions are put on the books before the first tick.
func (w *World) SetupTrade(h *Holder, acct, i int, q float64) {
	p := w.Price[i]
	w.Fill(h, acct, i, q, p, p, &w.FXUSD)
	w.Fill(w.Holders[0], 0, i, -q, p, p, &w.FXUSD)
}

// PassAtMark moves q units of asset i out of holder from's custody into
// holder to's custody at the current price, with no impact: the same books
// as Fill(from, 0, i, -q, p, p, ...) and Fill(to, 0, i, q, p, p, ...) at
// p = w.Price[i], without their zero trading P&L. Dealers pass inventory on
// to end investors this way at every close.
func (w *World) PassAtMark(from, to *Holder, i int, q float64) {
	w.Settle(from)
	w.Settle(to)
	w.PassSettledAtMark(from, to, i, q)
}

// PassSettledAtMark is PassAtMark for holders that are settled already
// (nothing moved prices or accrued since the caller settled them): it saves
// a caller passing many assets between the same two holders the checks.
func (w *World) PassSettledAtMark(from, to *Holder, i int, q float64) {
	a := &w.Assets[i]
	x := w.Price[i]
	switch a.Kind {
	case FX:
		from.Cash[a.Base] -= q
		from.Cash[a.Currency] += float64(q * x)
		to.Cash[a.Base] += q
		to.Cash[a.Currency] -= float64(q * x)
	default:
		// Each side's units move as Account.Add moves them. In the close's
		// lay-off both sides hold the asset before and after (a dealer's
		// inventory, the outside sector's holdings), and Add then only
		// stores the sum and raises the flags: that is done here without its
		// call, in the same order (TestPassAndFillAddExact).
		fa := &from.Accounts[0]
		if u, ok := stays(fa.Units[i], -q); ok {
			fa.keep(i, u)
		} else {
			fa.Add(i, -q)
		}
		if a.Kind != Future { // no cash changes hands at a future's mark
			from.Cash[a.Currency] += float64(q * x)
		}
		ta := &to.Accounts[0]
		if u, ok := stays(ta.Units[i], q); ok {
			ta.keep(i, u)
		} else {
			ta.Add(i, q)
		}
		if a.Kind != Future {
			to.Cash[a.Currency] -= float64(q * x)
		}
	}
}

// Exposure writes into e (one entry per asset) the USD exposure of account
// acc to each asset's return: the notional of every position (futures
// included) and, in the slot of each currency's exchange rate, the
// account's net holding of that currency (balances plus positions priced in
// it), signed so that e·r is the account's P&L for returns r.
func (w *World) Exposure(acc *Account, e []float64) {
	clear(e)
	var cur Money
	fx := &w.FXUSD
	// The units, prices and exposures (one per asset each) are cut to the
	// assets' length, so that the asset's bounds check covers them all.
	assets := w.Assets
	n := len(assets)
	units, price, e := acc.Units[:n], w.Price[:n], e[:n]
	for _, i := range acc.Held {
		a := &assets[i]
		u := units[i]
		v := float64(u * price[i] * fx[a.Currency])
		e[i] += v
		if a.Funded() {
			cur[a.Currency] += v
		}
	}
	for c := 1; c < w.NCur; c++ {
		v := cur[c] + float64(acc.Bal[c]*fx[c])
		if v == 0 {
			continue
		}
		p := w.FXPair[c]
		e[p] -= float64(w.FXReturnSign(p, c) * v)
	}
}

// EventKind classifies an entry of the event log.
type EventKind uint8

// Event kinds.
const (
	EvScenario    EventKind = iota // a scripted scenario event took effect
	EvMarginCall                   // a prime broker issued a margin call
	EvDefault                      // a client failed to meet a call and was closed out
	EvLiquidation                  // seized collateral was sold
	EvStress                       // a broker dropped (or restored) its margin offsets
	EvPolicy                       // a central-bank rule fired
	EvTradeExit                    // a fund closed a trade by rule (stop-loss, carry exit)
	EvTradeEntry                   // a fund re-opened a trade
	NumEventKinds
)

var eventKindNames = [NumEventKinds]string{"scenario", "margin_call", "default", "liquidation", "broker_stress", "policy", "trade_exit", "trade_entry"}

func (k EventKind) String() string {
	if k < NumEventKinds {
		return eventKindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", uint8(k))
}

// Event is one entry of the run's event log.
type Event struct {
	Tick    int
	Round   int
	Kind    EventKind
	Agent   string  // who it happened to
	Other   string  // the broker, the counterparty or the scenario event's target
	Amount  float64 // USD where it applies (call size, shortfall, proceeds)
	Detail  string  // what happened, in fixed words (see Text)
	Note    Note    // what happened, with names or numbers: formatted when read (see Text)
	Reason  Reason
	Version int // reserved
}

// Text returns the event's detail as the event log shows it: Detail, or
// when Detail is empty, the text of Note.
func (e *Event) Text() string {
	if e.Detail != "" {
		return e.Detail
	}
	return e.Note.String()
}

// Log appends an event for the current tick and round.
func (w *World) Log(e Event) {
	e.Tick, e.Round = w.Tick, w.Round
	if math.IsNaN(e.Amount) {
		e.Amount = 0
	}
	w.events = append(w.events, e)
}

// Events returns the events logged since the last ResetEvents.
func (w *World) Events() []Event { return w.events }

// ResetEvents empties the event log, keeping its storage.
func (w *World) ResetEvents() { w.events = w.events[:0] }
