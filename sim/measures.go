package sim

import "math"

// Measures are how a run measures what it reports, with every default of
// report: filled in: the rolling correlation's set, window, horizon and
// rows, the trigger of the compression index, the headline asset and the
// VIX proxy's settings. A run's manifest.json records them in its run
// block, a sweep's in base.report, so that a reader knows how mean_corr,
// amplification and vix were measured without the defaults at hand.
type Measures struct {
	Correlation []string `json:"correlation"`         // the report set of the rolling correlation
	Window      int      `json:"correlation_window"`  // rows of its window
	Horizon     int      `json:"correlation_horizon"` // ticks of each return
	// Rows is report.correlation_rows: every_tick or trading.
	Rows     string `json:"correlation_rows"`
	Trigger  int    `json:"trigger_tick"`       // -1 without one
	Headline string `json:"headline,omitempty"` // "" without an equity or report.headline
	// VIX is nil without a VIX proxy (no equity and no report.vix_asset).
	VIX *VIXSettings `json:"vix,omitempty"`
}

// VIXSettings are the VIX proxy's settings as the run used them.
type VIXSettings struct {
	Asset   string  `json:"asset"`   // report.vix_asset
	Window  int     `json:"window"`  // report.vix_window
	Premium float64 `json:"premium"` // report.vix_premium
	Stress  float64 `json:"stress"`  // report.vix_stress
	News    float64 `json:"news"`    // report.vix_news
}

// CorrelationRows returns report.correlation_rows, every_tick by default.
func (m *Model) CorrelationRows() string {
	if m.rec.trading {
		return "trading"
	}
	return "every_tick"
}

// Measures returns how the run measures what it reports.
func (m *Model) Measures() Measures {
	ms := Measures{Correlation: m.CorrelationSet(), Window: m.CorrelationWindow(), Horizon: m.CorrelationHorizon(),
		Rows: m.CorrelationRows(), Trigger: m.TriggerTick(), Headline: m.Headline()}
	if r := &m.rec; r.vix >= 0 {
		ms.VIX = &VIXSettings{Asset: m.W.Assets[r.vix].ID, Window: r.vixW, Premium: r.vixPrem, Stress: r.vixStress,
			News: vixNews(r.vixScale, &m.Cfg.Report)}
	}
	return ms
}

// vixNews is the VIX proxy's expected news variance, as a share of the
// calm variance: report.vix_news, else 1 − scale² (noise.scale), at least 0.
func vixNews(scale float64, rep *ReportSpec) float64 {
	if rep.VIXNews != nil {
		return *rep.VIXNews
	}
	return math.Max(0, 1-float64(scale*scale))
}
