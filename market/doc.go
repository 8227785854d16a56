// Package market moves prices and settles trades.
//
// Each asset's price is a permanent ("fundamental") part plus a temporary
// displacement that decays with a half-life. Within a tick, returns add on
// the price at the open: the exogenous return of the tick (noise and scripted
// shocks, set by package sim) and the impact of every clearing round. Across
// ticks they compound. Impact is a function Φ of the asset's flow memory X,
// the signed net flow of the tick so far (plus, when a flow half-life is set,
// a decaying memory of earlier ticks): a round with net flow q moves the
// price by Φ(X+q) − Φ(X), split into its permanent share, taken on the
// fundamental at the open (so are exogenous returns), and its temporary
// share, taken on the open price; the two differ while earlier temporary
// impact has not decayed. Three forms are provided (Linear, SquareRoot,
// Exponential).
//
// Net flow is absorbed by the dealer sector, whose depth shrinks as its
// balance sheet fills (Basel III leverage constraint), or by the outside
// sector when a scenario has no dealers. Every fill moves units and money on
// both sides, so units and cash are conserved; the P&L ledger (Holder.Book)
// is moved alongside, so the audit in package sim can check equity. Price
// moves are not pushed to every balance sheet: holders are marked lazily
// (core.World.Settle), and every holder in a round is settled before the
// round moves prices.
//
// Bookkeeping conventions (execution price, units or value in the impact
// function, simultaneous or sequential clearing) are switches in
// Conventions; the closed-form tests of package sim pin each of them.
package market
