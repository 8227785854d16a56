package sweep

import (
	"testing"

	"github.com/cascade-sim/cascade/output"
)

// TestSeriesLabelCurrency: money series are labelled in the base
// scenario's report.currency, which the manifest records; a manifest
// written before it was recorded reads as USD.
func TestSeriesLabelCurrency(t *testing.T) {
	cases := []struct{ name, cur, want string }{
		{"margin_posted_usd", "EUR", "margin_posted_usd, EUR"},
		{"margin_posted_usd", "USD", "margin_posted_usd, USD"},
		{"repo_spread_bp", "EUR", "repo_spread_bp, bp"},
		{"vix", "EUR", "VIX proxy, points"},
		{"NKY", "EUR", "NKY"},
	}
	for _, c := range cases {
		if got := seriesLabel(c.name, c.cur); got != c.want {
			t.Errorf("seriesLabel(%q, %q) = %q, want %q", c.name, c.cur, got, c.want)
		}
	}
	if got := output.CurrencyCode((&Manifest{}).Base.Currency); got != "USD" {
		t.Errorf("currency of a manifest without one: %q, want USD", got)
	}
	for name, want := range map[string]bool{"margin_posted_usd": true, "forced_sales_usd.total": true, "forced_sales_usd.by_kind.cta": true, "vix.peak": false, "usd_rate": false,
		"capital.by_agent.DE21.loss": true, "capital.total.start": true, "capital.by_kind.bank.loss_pct": false, "defaulted.DE21": false} {
		if isMoney(name) != want {
			t.Errorf("isMoney(%q) = %v, want %v", name, !want, want)
		}
	}

	for _, c := range []struct{ set, want string }{{"", "USD"}, {"\nset: [report.currency=EUR]", "EUR"}} {
		sw, err := Parse("cur.yaml", []byte("name: cur\nbase: mini\nruns: 2\nseed: 1\nmetrics: [defaults]"+c.set+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		man := sw.manifestHead()
		if man.Base.Currency != c.want || output.CurrencyCode(man.Base.Currency) != c.want {
			t.Errorf("set %q: manifest currency %q, want %q", c.set, man.Base.Currency, c.want)
		}
	}
}
