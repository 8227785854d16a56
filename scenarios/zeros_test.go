package scenarios

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// nodeAt returns the value at path (fields and [i] indices) under the
// mapping n, or nil.
func nodeAt(n *yaml.Node, path string) *yaml.Node {
	cur := n
	for _, seg := range strings.Split(strings.NewReplacer("[", ".", "]", "").Replace(path), ".") {
		switch {
		case cur == nil:
			return nil
		case cur.Kind == yaml.MappingNode:
			cur = valueOf(cur, seg)
		case cur.Kind == yaml.SequenceNode:
			i, err := strconv.Atoi(seg)
			if err != nil || i >= len(cur.Content) {
				return nil
			}
			cur = cur.Content[i]
		default:
			return nil
		}
	}
	return cur
}

// withValue writes the built-in scenario base, with the field at path set
// to the YAML value (added to its mapping if base leaves it out), to a file
// of its own, and returns the file and the position of the value in it.
func withValue(t *testing.T, base, path, value string) (string, Pos) {
	t.Helper()
	src, ok := Builtin(base)
	if !ok {
		t.Fatalf("no built-in %s", base)
	}
	var doc, val yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(value), &val); err != nil {
		t.Fatal(err)
	}
	// Walk to the value's mapping, adding the mappings base leaves out.
	cur := doc.Content[0]
	segs := strings.Split(strings.NewReplacer("[", ".", "]", "").Replace(path), ".")
	for k, seg := range segs {
		last := k == len(segs)-1
		switch cur.Kind {
		case yaml.MappingNode:
			next := valueOf(cur, seg)
			switch {
			case last && next != nil:
				for j := 0; j+1 < len(cur.Content); j += 2 {
					if cur.Content[j].Value == seg {
						cur.Content[j+1] = val.Content[0]
					}
				}
			case last:
				cur.Content = append(cur.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: seg}, val.Content[0])
			case next == nil:
				next = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
				cur.Content = append(cur.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: seg}, next)
			}
			cur = next
		case yaml.SequenceNode:
			i, err := strconv.Atoi(seg)
			if err != nil || i >= len(cur.Content) || last {
				t.Fatalf("%s: no mapping at %s", base, path)
			}
			cur = cur.Content[i]
		default:
			t.Fatalf("%s: no mapping at %s", base, path)
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "zero.yaml")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// Where the value stands in the file as written.
	var back yaml.Node
	if err := yaml.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	n := nodeAt(back.Content[0], path)
	if n == nil {
		t.Fatalf("%s lost %s", file, path)
	}
	return file, Pos{File: file, Line: n.Line, Col: n.Column}
}

// TestZeroDefaults: a 0 written out for a parameter whose 0 the model
// would replace by its default is refused at the 0's file:line:col, with
// the field's path and a message that names the default and what to give
// instead. Every parameter of zeroDefaults has a case. The cases change
// the mini built-in (agents[0] a hedge fund with a basis trade at
// trades[1], then an insurer, a CTA, a risk-parity fund, a vol-control
// fund, a value investor, a bank and a central bank; assets[0] USDJPY with
// sqrt impact, assets[2] the future TY).
func TestZeroDefaults(t *testing.T) {
	const pos = "a value > 0"
	msg := func(def, give string) string {
		return "0 is not a valid value; omit the field for the default " + def + ", or give " + give
	}
	cases := []struct{ key, path, value, want string }{
		{"Config.tick", "tick", "0h", msg("1h", "a span up to a week (e.g. 15m)")},
		{"Config.leverage_scale", "leverage_scale", "0", msg("1", pos)},
		{"Config.depth_scale", "depth_scale", "0", msg("1", pos)},
		{"NoiseSpec.scale", "noise.scale", "0", msg("1", pos) + " (to switch the noise off, set noise.off: true)"},
		{"AssetSpec.beta", "assets[2].beta", "0.0", msg("1", "a value > 0") + " (a future moves with its underlying, times beta)"},
		{"AssetSpec.basis_half_life_days", "assets[2].basis_half_life_days", "0", msg("(no reversion: the basis moves only with the valuation link and flows)", pos)},
		{"Impact.exponent", "assets[0].impact.exponent", "0", msg("0.5 (the square root)", "a value in (0, 2]") + " (a power of 0 would move the price as much for any flow)"},
		{"Impact.volume", "assets[0].impact.volume", "0", msg("the asset's adv", pos)},
		{"PrimeBrokerSpec.var_z", "brokers[0].var_z", "0", msg("2.33", pos)},
		{"PrimeBrokerSpec.horizon_days", "brokers[0].horizon_days", "0", msg("2", pos)},
		{"PrimeBrokerSpec.half_life_days", "brokers[0].half_life_days", "0", msg("10", pos)},
		{"PrimeBrokerSpec.fast_half_life_days", "brokers[0].fast_half_life_days", "0", msg("0.5", pos)},
		{"PrimeBrokerSpec.stress_hold_days", "brokers[0].stress_hold_days", "0", msg("2", pos)},
		{"PrimeBrokerSpec.settle_days", "brokers[0].settle_days", "0", msg("1", pos)},
		{"PrimeBrokerSpec.min_transfer", "brokers[0].min_transfer", "0", msg("1,000", pos)},
		{"PrimeBrokerSpec.remargin_sigma", "brokers[0].remargin_sigma", "0", msg("3", pos)},
		{"PrimeBrokerSpec.liquidation_speed", "brokers[0].liquidation_speed", "0", msg("0.25", "a value in (0, 1]") + " (at 0 the broker would never sell what it seizes)"},
		{"DealerSpec.share", "dealers[0].share", "0", msg("1", pos)},
		{"DealerSpec.floor", "brokers[0].dealer.floor", "0", msg("1 (depth never falls)", "a value in (0, 1]") + " (at 0 a fully used dealer would leave the market no depth, and impact divides by depth)"},
		{"ConventionSpec.max_rounds", "conventions.max_rounds", "0", msg("5", "a whole number from 1 to 10000")},
		{"ReportSpec.correlation_window", "report.correlation_window", "0", msg("48", "a whole number of ticks, at least 3")},
		{"ReportSpec.correlation_horizon", "report.correlation_horizon", "0", msg("1", "a whole number of ticks, at least 1")},
		{"ReportSpec.vix_window", "report.vix_window", "0", msg("24", "a whole number of ticks, at least 1")},
		{"ReportSpec.vix_premium", "report.vix_premium", "0", msg("1.2", pos)},
		{"AgentSpec.count", "agents[1].count", "0", msg("1 (one agent with the id as written)", "a whole number ≥ 1") + " (to run without these agents, remove the entry; channels: {off: [KIND]} makes every agent of a kind passive)"},
		{"TradeSpec.hedge_ratio", "agents[0].trades[1].hedge_ratio", "0", msg("1", pos) + " (futures notional per unit of bond notional)"},
		{"HedgeFundSpec.half_life_days", "agents[0].half_life_days", "0", msg("5", pos)},
		{"HedgeFundSpec.margin_buffer", "agents[0].margin_buffer", "0", msg("0.1", pos)},
		{"HedgeFundSpec.cushion", "agents[0].cushion", "0", msg("1.5", pos)},
		{"HedgeFundSpec.participation", "agents[0].participation", "0", msg("0.2", pos) + " (at 0 the fund could never trade)"},
		{"HedgeFundSpec.derisk_cut", "agents[0].derisk_cut", "0", msg("0.25", "a value in (0, 1]") + " (to switch de-risking off, leave derisk_drawdown out or at 0)"},
		{"InsurerSpec.max_hedge", "agents[1].max_hedge", "0", msg("0.8", "a value in (0, 1]") + " (to stop hedging up, leave hedge_speed out or at 0)"},
		{"CTASpec.lookback_days", "agents[2].lookback_days", "[]", "an empty list is not a valid value; omit the field for the default 30, 90, 365, or give lookbacks in days, each > 0"},
		{"CTASpec.target_vol", "agents[2].target_vol", "0", msg("0.10", pos)},
		{"CTASpec.max_leverage", "agents[2].max_leverage", "0", msg("4", pos)},
		{"CTASpec.speed", "agents[2].speed", "0", msg("0.25", "a value in (0, 1]")},
		{"CTASpec.rebalance_days", "agents[2].rebalance_days", "0", msg("1", pos)},
		{"CTASpec.half_life_days", "agents[2].half_life_days", "0", msg("20", pos)},
		{"RiskParitySpec.target_vol", "agents[3].target_vol", "0", msg("0.10", pos)},
		{"RiskParitySpec.max_leverage", "agents[3].max_leverage", "0", msg("4", pos)},
		{"RiskParitySpec.speed", "agents[3].speed", "0", msg("0.5", "a value in (0, 1]")},
		{"RiskParitySpec.rebalance_days", "agents[3].rebalance_days", "0", msg("1", pos)},
		{"RiskParitySpec.half_life_days", "agents[3].half_life_days", "0", msg("10", pos)},
		{"VolControlSpec.target_vol", "agents[4].target_vol", "0", msg("0.12", pos)},
		{"VolControlSpec.max_leverage", "agents[4].max_leverage", "0", msg("1.5", pos)},
		{"VolControlSpec.speed", "agents[4].speed", "0", msg("1", "a value in (0, 1]")},
		{"VolControlSpec.rebalance_days", "agents[4].rebalance_days", "0", msg("1", pos)},
		{"VolControlSpec.half_life_days", "agents[4].half_life_days", "0", msg("5", pos)},
		{"ValueInvestorSpec.band", "agents[5].band", "0", msg("0.03", pos)},
		{"ValueInvestorSpec.intensity", "agents[5].intensity", "0", msg("0.5", pos)},
		{"ValueInvestorSpec.anchor_days", "agents[5].anchor_days", "0", msg("20", pos)},
		{"ValueInvestorSpec.max_share", "agents[5].max_share", "0", msg("0.5", "a value in (0, 1]")},
		{"ValueInvestorSpec.review_days", "agents[5].review_days", "0", msg("1/24 (an hour)", pos)},
		{"BankSpec.target_leverage", "agents[6].target_leverage", "0", msg("the bank's leverage at the start", pos)},
		{"BankSpec.tolerance", "agents[6].tolerance", "0", msg("1e-12", pos)},
		{"CentralBankSpec.reserves", "agents[7].reserves", "0", msg("10 × amount", pos)},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.key] = true
		file, at := withValue(t, "mini", c.path, c.value)
		_, err := Load(file, nil)
		want := fmt.Sprintf("%s: %s: %s", at, c.path, c.want)
		if err == nil {
			t.Errorf("%s: %s accepted, want %q", c.path, c.value, want)
			continue
		}
		if got := err.Error(); got != want {
			t.Errorf("%s: %s:\n got %s\nwant %s", c.path, c.value, got, want)
		}
	}
	for _, k := range sortedKeys(zeroDefaults) {
		if !covered[k] {
			t.Errorf("%s: no case", k)
		}
	}
	// The same values other than 0 load (the one refusal above is the only
	// problem each case had), and so does every field left out (mini).
	for _, c := range cases[:3] {
		v := "0.5"
		if c.key == "Config.tick" {
			v = "30m"
		}
		file, _ := withValue(t, "mini", c.path, v)
		if _, err := Load(file, nil); err != nil {
			t.Errorf("%s: %s: %v", c.path, v, err)
		}
	}
}

// TestZeroDefaultsNamed: every zeroDefaults key names a field of a
// scenario type, whose comment (the schema's description) says that 0 is
// refused.
func TestZeroDefaultsNamed(t *testing.T) {
	docs := map[string]string{} // by Type.field
	walkScenarioTypes(func(ty reflect.Type) {
		for _, f := range fieldsOf(ty) {
			owner := ty
			if len(f.index) > 1 {
				owner = ty.FieldByIndex(f.index[:len(f.index)-1]).Type
			}
			docs[fieldKey(ty, f)] = fieldDocs[owner.PkgPath()+"."+owner.Name()+"."+ty.FieldByIndex(f.index).Name]
		}
	})
	docs["AgentSpec.count"] = fieldDocs[agentType.PkgPath()+"."+agentType.Name()+".Count"]
	for _, k := range sortedKeys(zeroDefaults) {
		d, ok := docs[k]
		switch {
		case !ok:
			t.Errorf("%s is not a field of a scenario type", k)
		case !strings.Contains(d, "0 is refused") && !strings.Contains(d, "an empty list is refused"):
			t.Errorf("%s: its comment does not say that 0 is refused: %q", k, d)
		}
	}
}

// TestZeroVary: a population may not draw 0 for a parameter whose 0 the
// model replaces by its default.
func TestZeroVary(t *testing.T) {
	for _, c := range []struct {
		set  []string
		want string // "": valid
	}{
		{[]string{"agents[0].vary[0]={field: participation, dist: {kind: list, values: [0, 0.2]}}"},
			"agents[0].vary[0].dist: participation cannot be 0, and this distribution can draw 0 (the model would run the default, 0.2, in its place): leave 0 out of its values"},
		{[]string{"agents[2].vary=[{field: target_vol, dist: {kind: uniform, min: 0, max: 0.2}}]"},
			"agents[2].vary[0].dist: target_vol cannot be 0, and this distribution can draw 0 (the model would run the default, 0.10, in its place): raise its min above 0"},
		{[]string{"agents[0].vary[0]={field: trades.1.hedge_ratio, dist: {kind: fixed, value: 0}}"},
			"agents[0].vary[0].dist: trades.1.hedge_ratio cannot be 0, and this distribution can draw 0 (the model would run the default, 1, in its place): leave 0 out of its values"},
		{[]string{"agents[0].vary[0]={field: participation, dist: {kind: uniform, min: 0.1, max: 0.3}}"}, ""},
		// carry_exit's 0 is its own: never exit.
		{[]string{"agents[0].vary[0]={field: carry_exit, dist: {kind: uniform, min: 0, max: 0.3}}"}, ""},
	} {
		wantLoad(t, c.set, c.want)
	}
}
