// Package agents holds the decision makers of cascade, one file per kind:
// prime brokers, hedge funds, Japanese insurers, CTAs, risk-parity funds,
// dealers, volatility-control funds, value investors, Cont–Schaanning banks
// and rule-following central banks.
//
// An agent is a balance sheet (a core.Holder) plus a Decide method that,
// given the world at the start of a clearing round, queues market orders
// with core.World.Submit. Agents read prices, estimators and rates from the
// world, never from each other, except that clients ask their prime broker
// what a position would require (Requirement); they iterate in a fixed order
// and act on the state at the start of the round, so the order in which they
// are called does not change what they do.
//
// Every agent kind is configured by a plain Spec struct (HedgeFundSpec,
// PrimeBrokerSpec, ...) that a scenario loader fills and whose Build method
// puts the agent's initial balance sheet on the books.
package agents
