package core

import (
	"fmt"
	"strings"
)

// AssetKind is the economic kind of an asset (MODEL.md §1).
type AssetKind uint8

// Asset kinds.
const (
	FX        AssetKind = iota // exchange rate: price is quote currency per unit of base currency
	Bond                       // cash bond: yield derived from price and modified duration
	Future                     // future on a bond: own price and liquidity, same fundamental factor
	Equity                     // equity index
	Commodity                  // commodity (gold)
	Crypto                     // crypto asset
	Illiquid                   // non-marketable holdings (loans): marked, never traded
	NumAssetKinds
)

var assetKindNames = [NumAssetKinds]string{"fx", "bond", "future", "equity", "commodity", "crypto", "illiquid"}

func (k AssetKind) String() string {
	if k < NumAssetKinds {
		return assetKindNames[k]
	}
	return fmt.Sprintf("AssetKind(%d)", uint8(k))
}

// AssetKindNames lists the asset kinds as they are spelled in scenario files.
func AssetKindNames() []string { return assetKindNames[:] }

// ParseAssetKind is the inverse of AssetKind.String.
func ParseAssetKind(s string) (AssetKind, error) {
	for i, n := range assetKindNames {
		if n == s {
			return AssetKind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown asset kind %q (want one of %s)", s, strings.Join(assetKindNames[:], ", "))
}

// AgentKind is the kind of a holder. The outside sector is a kind so that
// every balance sheet has one.
type AgentKind uint8

// Agent kinds.
const (
	Outside       AgentKind = iota // money-market lenders, rest of the world, issuers
	PrimeBroker                    // margin lender; may also deal
	Dealer                         // takes the other side of net flow
	HedgeFund                      // carry, basis and equity trades at prime brokers
	Insurer                        // Japanese life insurer
	CTA                            // trend follower
	RiskParity                     // inverse-volatility sleeves at a target volatility
	VolControl                     // equity exposure = target vol / estimated vol
	ValueInvestor                  // buys below an anchor with limited capital
	Bank                           // Cont–Schaanning leverage-threshold bank
	CentralBank                    // rule-following central bank or finance ministry
	NumAgentKinds
)

var agentKindNames = [NumAgentKinds]string{"outside", "prime_broker", "dealer", "hedge_fund", "insurer", "cta", "risk_parity", "vol_control", "value_investor", "bank", "central_bank"}

func (k AgentKind) String() string {
	if k < NumAgentKinds {
		return agentKindNames[k]
	}
	return fmt.Sprintf("AgentKind(%d)", uint8(k))
}

// AgentKindNames lists the agent kinds as they are spelled in scenario files.
func AgentKindNames() []string { return agentKindNames[:] }

// ParseAgentKind is the inverse of AgentKind.String.
func ParseAgentKind(s string) (AgentKind, error) {
	for i, n := range agentKindNames {
		if n == s {
			return AgentKind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown agent kind %q (want one of %s)", s, strings.Join(agentKindNames[:], ", "))
}

// Reason says why an order was sent. Sales are reported by reason (MODEL.md §6).
type Reason uint8

// Reasons.
const (
	Discretionary       Reason = iota // none of the below
	MarginCall                        // raising cash or cutting exposure to meet a margin call
	DefaultLiquidation                // a broker selling a defaulted client's collateral
	StopLoss                          // a trade's loss limit was hit
	CarryExit                         // carry-to-volatility fell below the fund's threshold
	CTASignal                         // trend signal
	RiskParityRebalance               // risk-parity rebalancing
	Repatriation                      // insurer selling foreign assets and bringing the proceeds home
	Deleveraging                      // leverage target or threshold (banks)
	VolTarget                         // volatility-control rebalancing
	ValueBuying                       // value investor buying below its anchor or selling above
	Reentry                           // a fund re-opening a trade
	Intervention                      // official intervention: FX, or an asset purchase
	InsurerHedge                      // insurer raising its hedge ratio (dollars sold for its home currency)
	NumReasons
)

var reasonNames = [NumReasons]string{"discretionary", "margin_call", "default_liquidation", "stop_loss", "carry_exit", "cta_signal", "risk_parity_rebalance", "insurer_repatriation", "deleveraging", "vol_target", "value_buying", "reentry", "intervention", "insurer_hedge"}

func (r Reason) String() string {
	if r < NumReasons {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// ReasonNames lists the reasons as they appear in outputs.
func ReasonNames() []string { return reasonNames[:] }

// Forced reports whether orders for this reason are forced (they may be sent
// in every clearing round) rather than discretionary (first round only).
func (r Reason) Forced() bool {
	switch r {
	case MarginCall, DefaultLiquidation, StopLoss, Deleveraging:
		return true
	}
	return false
}

// TradeKind is the kind of a hedge-fund trade.
type TradeKind uint8

// Trade kinds.
const (
	CarryTrade  TradeKind = iota // borrow JPY, sell it for USD, hold a USD asset
	BasisTrade                   // long cash Treasuries on repo, short futures
	EquityTrade                  // long equity on margin
	NumTradeKinds
)

var tradeKindNames = [NumTradeKinds]string{"carry", "basis", "equity"}

func (k TradeKind) String() string {
	if k < NumTradeKinds {
		return tradeKindNames[k]
	}
	return fmt.Sprintf("TradeKind(%d)", uint8(k))
}

// TradeKindNames lists trade kinds as spelled in scenario files.
func TradeKindNames() []string { return tradeKindNames[:] }

// ParseTradeKind is the inverse of TradeKind.String.
func ParseTradeKind(s string) (TradeKind, error) {
	for i, n := range tradeKindNames {
		if n == s {
			return TradeKind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown trade kind %q (want one of %s)", s, strings.Join(tradeKindNames[:], ", "))
}
