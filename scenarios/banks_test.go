package scenarios

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cascade-sim/cascade/scenarios/internal/eba"
)

// importInto imports table into the scenario into, writes the file in a
// temporary directory and loads it.
func importInto(t *testing.T, into, table string, opt BankImport) (*Scenario, *BankTable, string) {
	t.Helper()
	sc, err := Load(into, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt.Into, opt.Extends = sc, into
	if opt.Name == "" {
		opt.Name = "imported"
	}
	src, tab, err := ImportBanks("banks.csv", []byte(table), opt)
	if err != nil {
		t.Fatalf("ImportBanks: %v", err)
	}
	file := filepath.Join(t.TempDir(), "imported.yaml")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Load(file, nil)
	if err != nil {
		t.Fatalf("the file made does not load: %v\n%s", err, src)
	}
	return got, tab, string(src)
}

// ebaThresholds are the thresholds of eba2018 (eba.Min, eba.Target).
var ebaThresholds = BankImport{MinRatio: eba.Min, BufferRatio: eba.Buffer, TargetRatio: eba.Target}

// TestImportBanksEBA: the EBA's 48 banks, as a table of balance sheets in
// EUR million, imported into eba2018 with --scale 1e6, --buffer-at-start
// and --depth inet give eba2018 exactly: every bank, both markets' depths
// and everything else, bit for bit, but the name and description.
func TestImportBanksEBA(t *testing.T) {
	banks, err := eba.Parse(eba.CSV)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("id;equity;cash;GOVB;CORPB;OTHER;_leverage ratio\n") // semicolons, as a European spreadsheet writes
	for _, k := range banks {
		s := k.Sheet()
		fmt.Fprintf(&b, "%s;%v;%v;%v;%v;%v;%v%%\n", k.ID, s.Equity/1e6, s.Cash/1e6, s.Gov/1e6, s.Corp/1e6, s.Other/1e6, k.Leverage)
	}
	opt := ebaThresholds
	opt.Scale, opt.BufferAtStart, opt.Depth = 1e6, true, "inet"
	got, tab, src := importInto(t, "eba2018", b.String(), opt)
	want, err := Load("eba2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Banks) != 48 || tab.Replaced != 48 || len(tab.Lowered) != 2 || len(tab.Below) != 0 {
		t.Errorf("%d banks, %d replaced, lowered %v, below %v; want 48, 48, [DE21 NL33], []", len(tab.Banks), tab.Replaced, tab.Lowered, tab.Below)
	}
	g, w := got.File.Config, want.File.Config
	g.Name, g.Description, w.Name, w.Description = "", "", "", ""
	for i := range min(len(g.Agents), len(w.Agents)) {
		if !reflect.DeepEqual(g.Agents[i].Bank, w.Agents[i].Bank) {
			t.Errorf("bank %d: %+v, want %+v", i, *g.Agents[i].Bank, *w.Agents[i].Bank)
		}
	}
	for i := range min(len(g.Assets), len(w.Assets)) {
		if g.Assets[i].Impact.Delta != w.Assets[i].Impact.Delta {
			t.Errorf("%s: delta %v, want %v", g.Assets[i].ID, g.Assets[i].Impact.Delta, w.Assets[i].Impact.Delta)
		}
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("the imported scenario differs from eba2018 besides its name and description:\n%.3000s", src)
	}
	// Without --depth inet the file leaves the assets to eba2018.
	opt.Depth = "keep"
	_, tab, src = importInto(t, "eba2018", b.String(), opt)
	if strings.Contains(src, "assets:") || len(tab.Depths) != 0 {
		t.Errorf("--depth keep wrote assets (%d depths):\n%.800s", len(tab.Depths), src)
	}
}

// TestImportBanksSmall: a table in millions, with comments, notes, blank
// cells and a byte-order mark, read as written; the thresholds come from
// the row or the defaults; a bank below its buffer is listed; --depth inet
// sets δ = 0.1·q/−ln 0.9 from the holdings; --add keeps eba2018's banks.
func TestImportBanksSmall(t *testing.T) {
	table := "\uFEFFid,_country,equity,cash,GOVB,CORPB,buffer_ratio\n" +
		"# amounts in EUR million\n" +
		"A,FR,40,50,120,,\n" +
		"B,DE,30,40,200,50,0.03\n" +
		"C,IT,12,10,90,40,\n"
	opt := ebaThresholds
	opt.Scale, opt.Depth = 1e6, "inet"
	got, tab, src := importInto(t, "eba2018", table, opt)
	agents := got.File.Config.Agents
	if len(agents) != 3 {
		t.Fatalf("%d agents, want 3:\n%s", len(agents), src)
	}
	a, b, c := agents[0].Bank, agents[1].Bank, agents[2].Bank
	if a.ID != "A" || a.Equity != 40e6 || a.Cash != 50e6 || !reflect.DeepEqual(a.Holdings, map[string]float64{"GOVB": 120e6}) || a.BufferRatio != 0.04 {
		t.Errorf("A: %+v", *a)
	}
	if b.BufferRatio != 0.03 || b.MinRatio != 0.03 || b.TargetRatio != 0.05 || b.Holdings["CORPB"] != 50e6 {
		t.Errorf("B: %+v", *b)
	}
	// C: 12 of 140 = 8.6%: above; B: 30 of 290 = 10.3%; none below.
	if len(tab.Below) != 0 {
		t.Errorf("below: %v, want none", tab.Below)
	}
	if c.Equity != 12e6 {
		t.Errorf("C: %+v", *c)
	}
	wantDelta := map[string]float64{"GOVB": 0.1 * 410e6 / -math.Log(0.9), "CORPB": 0.1 * 90e6 / -math.Log(0.9)}
	for _, as := range got.File.Config.Assets {
		if d, ok := wantDelta[as.ID]; ok && as.Impact.Delta != d {
			t.Errorf("%s: delta %v, want %v", as.ID, as.Impact.Delta, d)
		}
	}
	if !strings.Contains(src, "# line 3\n") || !strings.Contains(src, "# line 5\n") {
		t.Errorf("the banks' lines do not name the table's lines:\n%s", src)
	}
	// A bank below its buffer, and the banks added to eba2018's.
	opt = ebaThresholds
	opt.Add = true
	got, tab, src = importInto(t, "eba2018", "id,equity,GOVB\nLOW,3,100\n", opt)
	if n := len(got.File.Config.Agents); n != 49 || !reflect.DeepEqual(tab.Below, []string{"LOW"}) || !strings.Contains(src, "agents+:") {
		t.Errorf("--add: %d agents (want 49), below %v (want [LOW]):\n%s", n, tab.Below, src)
	}
}

// TestImportBanksProblems: every problem of a table is reported at its
// place (banks.csv:line:col) with its column, all of them at once.
func TestImportBanksProblems(t *testing.T) {
	into, err := Load("eba2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	mini, err := Load("mini", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, table string
		opt         BankImport
		want        []string
	}{
		{"unknown column", "id,equty,GOVB\nA,1,2\n", BankImport{}, []string{`banks.csv:1:4: equty: unknown column (did you mean "equity"?)`, "banks.csv:1:1: equity: no equity column"}},
		{"unknown asset", "id,equity,GOVT\nA,1,2\n", BankImport{}, []string{`banks.csv:1:11: GOVT: unknown column (did you mean "GOVB"?)`}},
		{"no asset", "id,equity,cash\nA,1,2\n", BankImport{}, []string{"banks.csv:1:1: no asset column"}},
		{"second column", "id,equity,GOVB,GOVB\nA,1,2,3\n", BankImport{}, []string{"banks.csv:1:16: GOVB: a second column of this name"}},
		{"values", "id,equity,cash,GOVB\nA,x,1,2\nB,1,-1,2\n,1,0,2\nb,1,0,2\nB2,5,1,2\n", BankImport{}, []string{
			`banks.csv:2:3: equity: "x" is not a number`,
			"banks.csv:3:5: cash: -1 is negative",
			"banks.csv:4:1: id: missing id",
			`banks.csv:5:1: id: "b" is taken by the bank of line 3`,
			"banks.csv:6:4: equity: 5 exceeds the bank's assets (cash and holdings, 3)",
		}},
		{"fields", "id,equity,GOVB\nA,1\n", BankImport{}, []string{"banks.csv:2:1: 2 fields, but the header has 3"}},
		{"quote", "id,equity,GOVB\nA,\"1,2\n", BankImport{}, []string{"banks.csv:2:8: extraneous or missing \" in quoted-field"}},
		{"thresholds", "id,equity,GOVB,buffer_ratio\nA,1,100,0.06\n", BankImport{}, []string{"banks.csv:2:9: thresholds: min_ratio 0.03, buffer_ratio 0.06, target_ratio 0.05"}},
		{"no rows", "id,equity,GOVB\n", BankImport{}, []string{"banks.csv:1:1: no banks"}},
		{"empty", "", BankImport{}, []string{"banks.csv: empty"}},
		{"asset id", "id,equity,GOVB\nGOVB,1,100\n", BankImport{}, []string{`banks.csv:2:1: id: "GOVB" names an asset of eba2018`}},
		{"fx column", "id,equity,USDJPY\nA,1,100\n", BankImport{Into: mini, Add: true}, []string{"banks.csv:1:11: USDJPY: USDJPY is an fx asset, which banks do not hold"}},
		{"broker id", "id,equity,NKY\nGS,1,100\n", BankImport{Into: mini, Add: true}, []string{`banks.csv:2:1: id: "GS" is taken by prime broker GS`}},
		{"open quote", "id,equity,GOVB\n\"A,1,100\nB,1,100\n", BankImport{}, []string{"banks.csv:2:1: extraneous or missing \" in quoted-field (the record that begins here)"}},
		{"xlsx", "PK\x03\x04\x14\x00", BankImport{}, []string{"banks.csv: a spreadsheet file (xlsx or xls)"}},
		{"name with a line break", "id,_name,equity,GOVB\nA,\"Alpha\nBank\",1,100\n", BankImport{}, []string{`banks.csv:2:3: _name: name "Alpha\nBank" holds the invisible or control character U+000A`}},
		{"second name column", "id,_name,equity,GOVB,_name\nA,x,1,100,y\n", BankImport{}, []string{"banks.csv:1:22: _name: a second column of this name"}},
		{"latin-1", "id,equity,GOVB\nA,1,100\nFN\xd602,1,100\n", BankImport{}, []string{"banks.csv:3:1: not UTF-8 text"}},
		{"hints", "id;equity;GOVB;buffer_ratio\nA;28,000;100;\nB;1;100;4%\nC;1;7 500;\nD;1;100;4.5\n", BankImport{}, []string{
			`banks.csv:2:3: equity: "28,000" is not a number: a thousands separator or a decimal comma?`,
			`banks.csv:3:9: buffer_ratio: "4%" is not a number: write a ratio as a fraction (0.04 for 4%)`,
			`banks.csv:4:5: GOVB: "7 500" is not a number: write a number without spaces`,
			"banks.csv:5:9: thresholds: min_ratio 0.03, buffer_ratio 4.5, target_ratio 0.05: want 0 <= min_ratio <= buffer_ratio <= target_ratio < 1, buffer_ratio > 0 (a percentage? write 0.045 for 4.5%)",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			opt := c.opt
			opt.MinRatio, opt.BufferRatio, opt.TargetRatio = 0.03, 0.04, 0.05
			if opt.Into == nil {
				opt.Into = into
			}
			_, _, err := ImportBanks("banks.csv", []byte(c.table), opt)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if n := strings.Count(err.Error(), "\n") + 1; n != len(c.want) {
				t.Errorf("%d problems, want %d:\n%v", n, len(c.want), err)
			}
		})
	}
	// Replacing the agents of a scenario that has more than banks.
	_, _, err = ImportBanks("banks.csv", []byte("id,equity,NKY\nA,1,100\n"), BankImport{Into: mini, MinRatio: 0.03, BufferRatio: 0.04, TargetRatio: 0.05})
	if err == nil || !strings.Contains(err.Error(), "give --add") {
		t.Errorf("replacing mini's agents: %v, want a refusal naming --add", err)
	}
}

// TestImportBanksEdges: the separator is read past comment lines; rows of
// empty cells are skipped; a bank below its min_ratio is listed as failing,
// not as selling, and --buffer-at-start leaves its buffer alone; with --add,
// --depth inet sizes each market to every bank that sells in it, those
// kept and those added.
func TestImportBanksEdges(t *testing.T) {
	opt := ebaThresholds
	opt.BufferAtStart = true
	got, tab, _ := importInto(t, "eba2018", "# Fictonia, EUR\n\nid;equity;cash;GOVB\nOK;10;20;100\n;;;\nTINY;0.01;0;100\n", opt)
	if n := len(got.File.Config.Agents); n != 2 || !reflect.DeepEqual(tab.Failing, []string{"TINY (0.01%)"}) || len(tab.Below) != 0 || len(tab.Lowered) != 0 {
		t.Errorf("%d agents, failing %v, below %v, lowered %v; want 2, [TINY (0.01%%)], none, none", n, tab.Failing, tab.Below, tab.Lowered)
	}
	if b := got.File.Config.Agents[1].Bank; b.BufferRatio != 0.04 {
		t.Errorf("TINY's buffer %v, want 0.04", b.BufferRatio)
	}
	want, err := Load("eba2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]float64{"GOVB": 100}
	for _, a := range want.File.Config.Agents {
		for id, v := range a.Bank.Holdings {
			held[id] += v
		}
	}
	opt = ebaThresholds
	opt.Add, opt.Depth = true, "inet"
	got, _, _ = importInto(t, "eba2018", "id,equity,GOVB\nNEW,10,100\n", opt)
	for _, a := range got.File.Config.Assets {
		if d := 0.1 * held[a.ID] / -math.Log(0.9); a.Impact.Function == "exponential" && a.Impact.Delta != d {
			t.Errorf("%s: delta %v, want %v (the 48 banks kept and the one added)", a.ID, a.Impact.Delta, d)
		}
	}
}

// TestImportBanksNames: a table's _name column becomes each bank's name,
// written into its entry, read back by the loader as it was in the table
// (commas, quotes, accents, words YAML would read as a boolean, a null or
// a number, a # that would start a comment) and left out for a row
// without one; other columns beginning with _ stay notes. The run then
// shows the name in summary.json's banks and capital.
func TestImportBanksNames(t *testing.T) {
	names := []string{"Alpha Bank", `Crédit "Mutuel", SA`, "yes", "null", "1e3", "Bank # 2", "", "A: B"}
	var b strings.Builder
	b.WriteString("id,_name,equity,GOVB,OTHER,_note\n")
	for k, n := range names {
		fmt.Fprintf(&b, "B%d,\"%s\",%d,100,900,a note\n", k, strings.ReplaceAll(n, `"`, `""`), 40+k)
	}
	got, tab, src := importInto(t, "eba2018", b.String(), ebaThresholds)
	if len(got.File.Config.Agents) != len(names) || len(tab.Banks) != len(names) {
		t.Fatalf("%d agents, %d rows; want %d", len(got.File.Config.Agents), len(tab.Banks), len(names))
	}
	for k, want := range names {
		a := got.File.Config.Agents[k].Bank
		if a.Name != want || tab.Banks[k].Name != want {
			t.Errorf("bank %s: name %q read back (%q in the table), want %q", a.ID, a.Name, tab.Banks[k].Name, want)
		}
	}
	// Seven names, and the scenario's own name: line.
	if strings.Contains(src, "note") || strings.Count(src, "name: ") != 8 {
		t.Errorf("the file writes a note or a name too many or few:\n%s", src)
	}
}
