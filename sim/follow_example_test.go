package sim_test

import (
	"context"
	"fmt"

	"github.com/cascade-sim/cascade/scenarios"
	"github.com/cascade-sim/cascade/sim"
)

// Following one fund of mini (report.follow): its first fill, the names
// of its accounts, and its summary.json entry. A carry trade is long
// USDJPY: its stop-loss sells dollars for yen, at a fill price below the
// price before the round (the impact of the round's sales).
func ExampleModel_Followed() {
	sc, err := scenarios.Load("mini", []string{"report.follow=[hf-001]"})
	if err != nil {
		panic(err)
	}
	cfg := &sc.File.Config
	m, err := sim.Build(cfg, cfg.Seed)
	if err != nil {
		panic(err)
	}
	col := sim.NewCollector()
	if err := m.Run(context.Background(), col); err != nil {
		panic(err)
	}
	trades, accounts, _ := m.Followed()
	fmt.Printf("tick %d: %s sold %.0fm units of %s at %s for %s, at %.2f (mark %.2f)\n", trades.Tick[0], trades.Agent[0],
		trades.UnitsSold[0]/1e6, trades.Asset[0], trades.Account[0], trades.Reason[0], trades.Price[0], trades.Mark[0])
	fmt.Printf("accounts: %v\n", accounts.Account[:len(accounts.Account)/cfg.Ticks])
	f := col.S.Follow["hf-001"]
	fmt.Printf("P&L %.2f%%, worst drawdown %.2f%%, %d margin call(s), sold $%.2fbn on stop-losses\n", f.PnLPct, f.MaxDrawdownPct, f.MarginCalls, f.SoldUSD["stop_loss"]/1e9)
	// Output:
	// tick 55: hf-001 sold 10305m units of USDJPY at GS for stop_loss, at 145.37 (mark 145.56)
	// accounts: [custody GS]
	// P&L -7.20%, worst drawdown 8.97%, 1 margin call(s), sold $10.29bn on stop-losses
}
