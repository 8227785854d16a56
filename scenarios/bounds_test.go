package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/core"
	"github.com/cascade-sim/cascade/sim"
)

// TestBoundsNameFields: every entry of the bounds table names a numeric
// field of a scenario type, so that a misspelt entry cannot silently
// check nothing.
func TestBoundsNameFields(t *testing.T) {
	known := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for _, f := range fieldsOf(t) {
			ft := t.FieldByIndex(f.index).Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Float64 || ft.Kind() == reflect.Int || ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Float64 {
				owner := t
				if len(f.index) > 1 {
					owner = t.FieldByIndex(f.index[:len(f.index)-1]).Type
				}
				known[owner.Name()+"."+f.name] = true
			}
			walk(t.FieldByIndex(f.index).Type)
		}
	}
	walk(reflect.TypeOf(File{}))
	for _, k := range sim.AgentKinds {
		_, p, _ := sim.NewAgentSpec(k)
		walk(reflect.TypeOf(p))
	}
	var keys []string
	for k := range bounds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !known[k] {
			t.Errorf("bounds: %q is not a numeric field of any scenario type", k)
		}
	}
	if len(keys) < 40 {
		t.Errorf("bounds has %d entries, want the 40 or more it was written with", len(keys))
	}
}

// TestBounds: a value outside a parameter's range, set directly or drawn
// by a population (beyond the one-in-a-million tails of sim.Dist.Range),
// is refused with the field's path; values at the edges of the range are
// accepted.
func TestBounds(t *testing.T) {
	for _, c := range []struct {
		set  []string
		want string // "" for valid
	}{
		{[]string{"report.vix_window=-3"}, "report.vix_window: must not be negative (got -3)"},
		{[]string{"report.vix_premium=-1"}, "report.vix_premium: must not be negative"},
		{[]string{"report.vix_news=-0.5"}, "report.vix_news: must not be negative"},
		{[]string{"report.vix_news=0"}, ""},
		{[]string{"report.vix_news=2"}, ""},
		{[]string{"agents[1].repatriate=1.5"}, "agents[1].repatriate: must be between 0 and 1 (got 1.5)"},
		{[]string{"agents[1].repatriate=1"}, ""},
		{[]string{"agents[1].hedge_speed=-0.1"}, "agents[1].hedge_speed: must not be negative"},
		{[]string{"agents[1].equity=0"}, "agents[1].equity: must be positive (got 0)"},
		{[]string{"agents[0].reentry_days=-1"}, "agents[0].reentry_days: must not be negative"},
		{[]string{"agents[0].trades[1].leverage=-0.5"}, "agents[0].trades[1].leverage: must be positive (got -0.5): a trade is a long position, and short trades (an equity short) are not supported; write a long/short book as its net long (a smaller positive leverage)"},
		{[]string{"agents[0].trades[1].leverage=0"}, "agents[0].trades[1].leverage: must be positive (got 0)"},
		{[]string{"agents[0].trades[0].hedge_ratio=-1"}, "agents[0].trades[0].hedge_ratio: must not be negative"},
		{[]string{"agents[0].trades[0].stop_loss=1.2"}, "agents[0].trades[0].stop_loss: must be between 0 and 1"},
		{[]string{"agents[2].half_life_days=-5"}, "agents[2].half_life_days: must not be negative"},
		{[]string{"agents[5].max_share=2"}, "agents[5].max_share: must be between 0 and 1"},
		{[]string{"agents[6].min_ratio=-0.03"}, "agents[6].min_ratio: must be between 0 and 1"},
		{[]string{"agents[7].cooldown_days=-1"}, "agents[7].cooldown_days: must not be negative"},
		{[]string{"agents[2].lookback_days=[30, 0]"}, "agents[2].lookback_days[1]: must be positive (got 0)"},
		{[]string{"agents[2].lookback_days=[-5]"}, "agents[2].lookback_days[0]: must be positive (got -5)"},
		{[]string{"agents[2].lookback_days=[0.5, 365]"}, ""},
		{[]string{"agents[0].vary[0].dist={kind: uniform, min: -0.1, max: 0.3}"},
			"agents[0].vary[0].dist: carry_exit must not be negative, and this distribution draws down to -0.1 (raise its min to 0)"},
		{[]string{"agents[0].vary[0].dist={kind: normal, mean: 0.2, sd: 0.05}"},
			"agents[0].vary[0].dist: carry_exit must not be negative, and this distribution draws down to -0.037"},
		{[]string{"agents[0].vary[0].dist={kind: normal, mean: 0.2, sd: 0.05, min: 0}"}, ""},
		{[]string{"agents[0].vary[1].dist={kind: list, values: [2, 0, 4]}"},
			"agents[0].vary[1].dist: trades.1.leverage must be positive, and this distribution draws down to 0 (keep its values above 0)"},
		{[]string{"agents[0].vary[1].dist={kind: lognormal, mu: 1, sigma: 0.3}"}, ""},
		{[]string{"agents[0].vary[0].field=derisk_cut", "agents[0].vary[0].dist={kind: triangular, min: 0.2, mode: 0.5, max: 1.1}"},
			"agents[0].vary[0].dist: derisk_cut must be between 0 and 1, and this distribution draws up to 1.1 (lower its max to 1)"},
		{[]string{"agents[0].derisk_drawdown=1"}, "agents[0].derisk_drawdown: must be below 1 (got 1)"},
		{[]string{"agents[0].derisk_drawdown=0.99"}, ""},
		{[]string{"agents[0].vary[0].field=derisk_drawdown", "agents[0].vary[0].dist={kind: list, values: [0.05, 1]}"},
			"agents[0].vary[0].dist: derisk_drawdown must be below 1, and this distribution draws up to 1 (keep its values below 1)"},
		{[]string{"agents[1].foreign_value=-1"}, "agents[1].foreign_value: must not be negative (got -1)"},
		{[]string{"agents[1].domestic=UST10Y", "agents[1].domestic_value=-1"}, "agents[1].domestic_value: must not be negative (got -1)"},
	} {
		wantLoad(t, c.set, c.want)
	}
}

// wantLoad loads mini with the --set overrides set and wants the error to
// contain want, or no error when want is "".
func wantLoad(t *testing.T, set []string, want string) {
	t.Helper()
	_, err := Load("mini", set)
	switch {
	case want == "" && err != nil:
		t.Errorf("%v: %v", set, err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("%v: want %q, got %v", set, want, err)
	}
}

// TestBoundPosition: a number out of its bound in a list is reported at
// its own line and column, not at the agent's or the file's.
func TestBoundPosition(t *testing.T) {
	src, _ := Builtin("mini")
	const was = "lookback_days: [30, 90]"
	i := strings.Index(string(src), was)
	if i < 0 {
		t.Fatalf("%q is not in mini", was)
	}
	line := strings.Count(string(src[:i]), "\n") + 1
	col := i - strings.LastIndex(string(src[:i]), "\n") + len("lookback_days: [")
	p := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(p, []byte(strings.Replace(string(src), was, "lookback_days: [0, 90]", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(p, nil)
	want := fmt.Sprintf("%s:%d:%d: agents[2].lookback_days[0]: must be positive (got 0)", p, line, col)
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestBuildErrPath: an error of the model's own checks that names an
// entry of the scenario is reported at that entry.
func TestBuildErrPath(t *testing.T) {
	for _, c := range []struct {
		set  []string
		want string
	}{
		{[]string{"agents[0].trades[0].funding=USD"}, "builtin:mini:62:9: agents[0].trades[0]: carry trade funded in USD"},
		{[]string{"agents[6].mode=threshold", "agents[6].buffer_ratio=0", "agents[6].min_ratio=0"},
			"builtin:mini:71:5: agents[6]: bank bank: need min_ratio <= buffer_ratio <= target_ratio and buffer_ratio > 0"},
		{[]string{"agents[3].assets=[SPX]"}, "agents[3].assets: risk parity balances at least two sleeves (got 1)"},
		{[]string{"agents[7].rule=acommodation"}, `agents[7].rule: unknown rule "acommodation" (did you mean "accommodation"?)`},
		{[]string{"agents[7].drawdown=1.5"}, "agents[7].drawdown: an accommodation rule needs a drawdown in (0, 1) (got 1.5)"},
		{[]string{"agents[7].rule=fx_intervention", "agents[7].asset=USDJPY", "agents[7].trigger=140"},
			"agents[7].amount: an fx_intervention rule needs a positive amount of USD to trade, sold or, with side: buy_usd, bought (got 0)"},
		{[]string{"agents[7].rule=fx_intervention", "agents[7].asset=USDJPY", "agents[7].trigger=140", "agents[7].amount=1e9", "agents[7].side=buy_yen"},
			`agents[7].side: unknown side "buy_yen" (want sell_usd or buy_usd: sell dollars above trigger, or buy them below it)`},
		{[]string{"agents[7].side=buy_usd"}, "agents[7].side: an accommodation rule does not read side"},
		{[]string{"agents[6].buffer_ratio=0.01"}, "agents[6].buffer_ratio: a threshold bank needs min_ratio <= buffer_ratio <= target_ratio (got 0.03, 0.01, 0.05)"},
	} {
		wantLoad(t, c.set, c.want)
	}
	for _, c := range []struct{ msg, path, rest string }{
		{"agents[2]: cta cta: lookback -1 days must be positive", "agents[2]", "cta cta: lookback -1 days must be positive"},
		{"assets[3] (SPX): impact: y must be positive", "assets[3]", "impact: y must be positive"},
		{"brokers[0]: duplicate id \"GS\"", "brokers[0]", "duplicate id \"GS\""},
		{"links[1]: driver: unknown asset", "links[1]", "driver: unknown asset"},
		{"rates.JPY: rates must be finite", "rates.JPY", "rates must be finite"},
		{"conventions: max_rounds must be positive", "conventions", "max_rounds must be positive"},
		{"correlation[1][2] = 2 is not in [-1, 1]", "", "correlation[1][2] = 2 is not in [-1, 1]"},
		{"ticks must be positive", "", "ticks must be positive"},
		{"hf-001: no broker", "", "hf-001: no broker"},
		{"agents[0]: hedge fund hf-001: trade 3 (equity): equity trade asset TY must be a funded, tradable asset",
			"agents[0].trades[2]", "equity trade asset TY must be a funded, tradable asset"},
		{"brokers[0]: hedge fund x: trade 1 (carry): y", "brokers[0]", "hedge fund x: trade 1 (carry): y"},
		{"events[0] (fx_intervention): SPX is not an exchange rate", "events[0]", "SPX is not an exchange rate"},
		{"report.correlation_horizon must be between 1 and the horizon", "report.correlation_horizon", "must be between 1 and the horizon"},
		{"report.headline: unknown asset \"X\"", "report.headline", "unknown asset \"X\""},
	} {
		path, rest := buildErrPath(c.msg)
		if path != c.path || rest != c.rest {
			t.Errorf("%q: got (%q, %q), want (%q, %q)", c.msg, path, rest, c.path, c.rest)
		}
	}
}

// TestVaryTailDraws: a population's normal draw is checked at its
// one-in-a-million quantiles (sim.Dist.Range) and is kept within them. Of
// derisk_drawdown ~ normal(0.5, 0.105), whose checked range is
// [0.00089, 0.99911], two members' uniforms lie beyond: member 2 at run
// seed 234848 (u = 5.1e-7) and member 4 at run seed 89982 (u = 1 − 7.1e-8),
// where the quantile is outside [0, 1). The file loaded, and the build of
// those runs then failed (a sweep stopped at them); each member now draws
// the nearer end of the checked range and the run builds.
func TestVaryTailDraws(t *testing.T) {
	sc, err := Load("mini", []string{"agents[0].vary[0].field=derisk_drawdown",
		"agents[0].vary[0].dist={kind: normal, mean: 0.5, sd: 0.105}"})
	if err != nil {
		t.Fatal(err)
	}
	d := &sc.File.Agents[0].Vary[0].Dist
	lo, hi := d.Range()
	if n := len(sc.File.Agents[0].Vary); n != 2 {
		t.Fatalf("mini's first population varies %d fields, want the 2 the draw order below counts", n)
	}
	for _, c := range []struct {
		seed   uint64
		member int // 1-based, as in its ID
		want   float64
	}{{234848, 2, lo}, {89982, 4, hi}} {
		// The member's uniform is the first of its two draws from the
		// population stream, and its quantile is out of range.
		pop := core.Stream(c.seed, "population")
		var u float64
		for k := 0; k <= 2*(c.member-1); k++ {
			u = pop.Float64()
		}
		if x := d.Quantile(u); x >= 0 && x < 1 {
			t.Fatalf("seed %d: member %d draws u = %v, whose quantile %v is valid: the case tests nothing", c.seed, c.member, u, x)
		}
		m, err := sim.Build(sc.File.Config.Clone(), c.seed)
		if err != nil {
			t.Fatalf("seed %d: %v", c.seed, err)
		}
		id := fmt.Sprintf("hf-%03d", c.member)
		found := false
		for _, f := range m.Funds {
			if f.Spec.ID == id {
				found = true
				if got := f.Spec.DeriskDrawdown; got != c.want {
					t.Errorf("seed %d: %s draws derisk_drawdown %v, want %v (the end of the checked range [%v, %v])", c.seed, id, got, c.want, lo, hi)
				}
			}
		}
		if !found {
			t.Fatalf("seed %d: no fund %s", c.seed, id)
		}
	}
}

// TestRangeTagMalformed: a range tag naming no bound is the program's
// mistake, and panics naming the field and the tag.
func TestRangeTagMalformed(t *testing.T) {
	type spec struct {
		X float64 `yaml:"x" range:"postive,days"`
	}
	typ := reflect.TypeOf(spec{})
	defer func() {
		if s, _ := recover().(string); !strings.Contains(s, `scenarios.spec.x: range tag "postive,days"`) {
			t.Errorf("panic %q, want one naming the field and its tag", s)
		}
	}()
	boundOf(typ, fieldsOf(typ)[0])
}
