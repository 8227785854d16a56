// Package core holds the types every other package of cascade shares: asset
// and agent kinds, the reasons a trade happens, balance sheets (holders and
// their accounts), the world state agents read, orders, EWMA estimators and
// the deterministic random streams.
//
// Nothing in core decides anything. Markets (package market) move prices and
// settle trades, agents (package agents) decide orders, and the tick loop
// (package sim) calls both. Keeping the shared vocabulary here lets those
// packages stay independent of each other: arrows point down, into core.
//
// # Money
//
// Every unit of every asset and every unit of cash sits on some holder's
// balance sheet. Cash ("money") is a holder's deposit in a currency; the
// outside sector (holder 0) stands for money-market lenders, the rest of the
// world and central banks, and its cash may be negative. Claims between
// holders (a client's balance at its prime broker) are recorded on both
// sides: Account.Bal on the client's side, Holder.ClientBal on the lender's.
// The transfer helpers in this package always move both sides, so the sums
// over all holders are conserved; package sim audits that every round.
package core
