package sweep

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// TestBankMetrics: banks.ID.FIELD reads bank ID's entry of summary.json's
// banks (a number, or 1 and 0 for defaulted, below_min and passive, which
// the sweep reports as probabilities); a run that does not list the bank
// reads n/a. An id that is no bank, a field that is no number and a bank
// without a field are refused with what to write instead. Before, every
// banks.* path was refused: "banks is a list, counted as a whole".
func TestBankMetrics(t *testing.T) {
	eba, names := baseRun(t, "eba2018", "events.0.shocks.GOVB=-0.2")
	_, miniNames := baseRun(t, "mini")
	entry := func(id string) sim.BankSummary {
		k := slices.IndexFunc(eba.Banks, func(b sim.BankSummary) bool { return b.ID == id })
		if k < 0 {
			t.Fatalf("no bank %s in the summary", id)
		}
		return eba.Banks[k]
	}
	de21, fr12 := entry("DE21"), entry("FR12")
	if !de21.Defaulted || fr12.Defaulted || !(de21.Sold > 0) {
		t.Fatalf("eba2018 at a 20%% shock: DE21 %+v, FR12 %+v; want DE21 failed after selling, FR12 not", de21, fr12)
	}
	fund := miniNames.agents[slices.Index(miniNames.kinds, core.HedgeFund)]
	for _, c := range []struct {
		path      string
		want      float64
		indicator bool
		err       string
	}{
		{"banks.DE21.defaulted", 1, true, ""},
		{"banks.FR12.defaulted", 0, true, ""},
		{"banks.DE21.below_min", 1, true, ""},
		{"banks.FR12.passive", 0, true, ""},
		{"banks.DE21.ratio_min", float64(de21.RatioMin), false, ""},
		{"banks.FR12.ratio_end", float64(fr12.RatioEnd), false, ""},
		{"banks.DE21.sold", float64(de21.Sold), false, ""},
		{"banks.DE21.default_tick", float64(de21.DefaultTick), false, ""},
		{"banks.FR12.min_ratio", fr12.MinRatio, false, ""},
		{"banks", float64(len(eba.Banks)), false, ""},
		{"banks.XX21.below_min", 0, false, `unknown metric "banks.XX21.below_min": no bank "XX21" in the base scenario (did you mean "DE21"?) (it has AT01, AT02, BE03, ..., UK48: 48 banks)`},
		{"banks.DE21", 0, false, `metric "banks.DE21" is a group: pick one of banks.DE21.{id,name,mode,ratio_start,`},
		{"banks.DE21.mode", 0, false, "is string, not a number"},
		{"banks.DE21.ratio_mn", 0, false, `no "ratio_mn" in banks.DE21 (did you mean "ratio_min"?)`},
	} {
		t.Run(c.path, func(t *testing.T) {
			g, ok := resolved(t, eba, c.path, names, c.want, c.err)
			if !ok {
				return
			}
			if Indicator(c.path) != c.indicator {
				t.Errorf("Indicator(%q) = %v, want %v", c.path, !c.indicator, c.indicator)
			}
			// A run whose summary does not list the bank has no value.
			if c.path != "banks" {
				if got := g.value(&sim.Summary{}); !math.IsNaN(got) {
					t.Errorf("read %v from a summary without banks, want NaN", got)
				}
			}
		})
	}
	// mini's agents are no banks.
	mini, _ := baseRun(t, "mini")
	if _, err := resolveMetric(mini, "banks."+fund+".below_min", miniNames); err == nil || !strings.Contains(err.Error(), "banks lists the banks, and "+fund+" is a hedge_fund (whether it defaulted: defaulted."+fund+")") {
		t.Errorf("banks.%s.below_min in mini: %v", fund, err)
	}

	// Patterns: banks.*.FIELD stands for every bank's, banks.DE*.FIELD for
	// those whose id begins with DE.
	var bad []string
	got := expandMetrics([]string{"banks.DE*.below_min", "banks.*.ratio_min", "banks.*", "banks.*.ratio*"}, names, func(i int, err error) { bad = append(bad, err.Error()) })
	var paths []string
	for _, m := range got {
		paths = append(paths, m.path)
	}
	if len(paths) != 8+48 || paths[0] != "banks.DE15.below_min" || paths[7] != "banks.DE22.below_min" || paths[8] != "banks.AT01.ratio_min" || paths[55] != "banks.UK48.ratio_min" {
		t.Errorf("expanded to %d metrics %v: want DE15-DE22's below_min, then the 48 banks' ratio_min", len(paths), paths)
	}
	for k, want := range []string{
		`metric pattern "banks.*" is a group: add a field (banks.*.below_min; the fields are ratio_start, ratio_min, ratio_min_tick, ratio_end, min_ratio, buffer_ratio, target_ratio, sold, defaulted, default_tick, below_min, passive)`,
		`metric "banks.*.ratio*": a * stands for agent ids, in defaulted.*, capital.by_agent.*.FIELD and banks.*.FIELD`,
	} {
		if k >= len(bad) || !strings.Contains(bad[k], want) {
			t.Errorf("problems %q: want %q", bad, want)
		}
	}
}
