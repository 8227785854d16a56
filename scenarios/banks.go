package scenarios

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cascade-sim/cascade/sim"
	"go.yaml.in/yaml/v3"
)

// BankImport says how ImportBanks turns a table of banks into a scenario.
type BankImport struct {
	// Into is the scenario the banks are put into, as loaded; its assets,
	// markets, events and report are the new scenario's.
	Into *Scenario
	// Extends is how the new file names Into: a built-in's name, or a
	// path relative to the directory the new file is written in.
	Extends string
	// Name is the new scenario's name.
	Name string
	// Scale multiplies every amount of the table (equity, cash, holdings):
	// 1e6 reads a table in millions. 0 means 1.
	Scale float64
	// MinRatio, BufferRatio and TargetRatio are the leverage-ratio
	// thresholds (equity over assets) of banks whose row leaves them empty.
	MinRatio, BufferRatio, TargetRatio float64
	// BufferAtStart lowers the buffer of a bank that starts below it to
	// its starting ratio (to 0.01bp, rounded down), as eba2018 does: at the
	// given buffer it would fire-sell before any shock.
	BufferAtStart bool
	// Depth is "keep" (the default: Into's impact laws as they are) or
	// "inet": the depth δ of each exponential-impact asset the banks hold
	// is set so that selling a tenth of their holdings lowers its price a
	// tenth, the convention of the INET Oxford model and of eba2018.
	Depth string
	// Add keeps Into's agents and adds the banks to them; without it the
	// banks replace Into's agents, which must then all be banks.
	Add bool
	// Command is the command line that made the file, for its first lines.
	Command string
}

// BankTable is what ImportBanks read.
type BankTable struct {
	Banks []BankRow
	// Assets are the table's asset columns, the order of BankRow.Holdings.
	Assets []string
	// Below lists the banks whose leverage ratio at the start is below
	// their buffer (after BufferAtStart) but not their min_ratio, in the
	// table's order: they sell at the first tick, before any event.
	Below []string
	// Failing lists the banks that start below their min_ratio, with their
	// ratio: they fail in the first tick, before any event (often a sign
	// of amounts in the wrong unit or a decimal separator misread).
	Failing []string
	// Lowered lists the banks whose buffer BufferAtStart lowered to their
	// starting ratio.
	Lowered []string
	// Replaced is the number of Into's agent entries the banks replace.
	Replaced int
	// Depths are the impact depths set with Depth "inet", by asset, in
	// Into's asset order.
	Depths []AssetDepth
}

// AssetDepth is an asset's exponential depth δ set from the banks'
// holdings Held (in the flow unit of conventions.flow).
type AssetDepth struct {
	ID          string
	Held, Delta float64
}

// BankRow is one bank of the table, amounts scaled.
type BankRow struct {
	Line int
	ID   string
	// Name is the bank's display name, from the _name column ("": none).
	Name                               string
	Equity, Cash                       float64
	Holdings                           []float64 // by the table's asset columns
	MinRatio, BufferRatio, TargetRatio float64
}

// bankColumns are the columns of a bank table that are not assets (and
// _name, the bank's display name, which begins as a note's does).
var bankColumns = []string{"id", "equity", "cash", "min_ratio", "buffer_ratio", "target_ratio"}

// ImportBanks reads a table of banks (CSV, one bank per row: id, equity,
// optional cash and thresholds, and one column per asset of opt.Into
// holding the value held) from data, read from file, and returns a
// scenario file that extends opt.Into with these banks, and what it read.
// A problem in the table is reported with file:line:col and the column.
// The separator is the first of , ; or tab in the header line.
func ImportBanks(file string, data []byte, opt BankImport) ([]byte, *BankTable, error) {
	if opt.Into == nil {
		return nil, nil, errors.New("scenarios: ImportBanks without a scenario to put the banks into")
	}
	if opt.Scale == 0 {
		opt.Scale = 1
	}
	if opt.Depth == "" {
		opt.Depth = "keep"
	}
	if opt.Depth != "keep" && opt.Depth != "inet" {
		return nil, nil, fmt.Errorf("depth %q: want keep or inet", opt.Depth)
	}
	if !(opt.Scale > 0) || math.IsInf(opt.Scale, 0) {
		return nil, nil, fmt.Errorf("scale %v: want a positive number", opt.Scale)
	}
	if p := ratioProblem(opt.MinRatio, opt.BufferRatio, opt.TargetRatio); p != "" {
		return nil, nil, fmt.Errorf("the default thresholds: %s", p)
	}
	cfg := &opt.Into.File.Config
	t := &BankTable{}
	if !opt.Add {
		for _, a := range cfg.Agents {
			if a.Kind != "bank" {
				return nil, nil, fmt.Errorf("%s has agents other than banks (the first: %s %s), which the banks would replace: give --add to keep its agents and add the banks to them", opt.Into.Name, a.Kind, agentID(&a))
			}
		}
		t.Replaced = len(cfg.Agents)
	}
	r := &tableReader{file: file}
	if err := r.read(data, opt, t); err != nil {
		return nil, nil, err
	}
	t.Assets = r.assets
	if opt.Depth == "inet" {
		if err := inetDepths(opt.Into, r.assets, t, opt.Add); err != nil {
			return nil, nil, err
		}
	}
	src, err := writeBanks(file, opt, r.assets, t)
	if err != nil {
		return nil, nil, err
	}
	return src, t, nil
}

// tableReader reads a bank table, collecting its problems.
type tableReader struct {
	file   string
	assets []string // the asset columns, in the table's order
	probs  Problems
}

func (r *tableReader) fail(line, col int, column, format string, a ...any) {
	r.probs = append(r.probs, Problem{Pos: Pos{File: r.file, Line: line, Col: col}, Path: column, Msg: fmt.Sprintf(format, a...)})
}

// separator is the first of , ; and tab in the header line, the first
// line that is neither blank nor a # comment (, if none).
func separator(data []byte) rune {
	for rest := data; len(rest) > 0; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		if t := bytes.TrimSpace(line); len(t) == 0 || t[0] == '#' {
			continue
		}
		if i := bytes.IndexAny(line, ",;\t"); i >= 0 {
			return rune(line[i])
		}
		break
	}
	return ','
}

func (r *tableReader) read(data []byte, opt BankImport, t *BankTable) error {
	cfg := &opt.Into.File.Config
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")) {
		return Problems{{Pos: Pos{File: r.file}, Msg: "a spreadsheet file (xlsx or xls), not a table of text: save it as CSV (comma- or semicolon-separated, UTF-8)"}}
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:invalidAt(data)], []byte("\n"))
		return Problems{{Pos: Pos{File: r.file, Line: line, Col: 1}, Msg: "not UTF-8 text (a Latin-1 or Windows-1252 export?): save the table as CSV UTF-8, or its ids and names read wrong"}}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // a spreadsheet's byte-order mark
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = separator(data)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1 // a row of the wrong length is reported with its line
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return Problems{{Pos: Pos{File: r.file}, Msg: "empty: want a header line (id, equity, cash, the thresholds and one column per asset) and one bank per line"}}
		}
		return r.csvError(err)
	}
	kinds := map[string]string{}
	var ids []string
	for _, a := range cfg.Assets {
		kinds[a.ID] = a.Kind
		ids = append(ids, a.ID)
	}
	col := map[string]int{}
	var assetCol []int
	for k, h := range head {
		h = strings.TrimSpace(h)
		line, c := cr.FieldPos(k)
		switch {
		case h == "":
			r.fail(line, c, fmt.Sprintf("column %d", k+1), "no name: every column needs one (id, equity, cash, min_ratio, buffer_ratio, target_ratio, or an asset of %s)", opt.Into.Name)
			continue
		case h == "_name":
			// The bank's display name: into its entry's name.
			if _, dup := col[h]; dup {
				r.fail(line, c, h, "a second column of this name")
			}
			col[h] = k
			continue
		case strings.HasPrefix(h, "_"):
			continue // a note for the table's reader: ignored
		}
		if _, dup := col[h]; dup {
			r.fail(line, c, h, "a second column of this name")
			continue
		}
		if kind, ok := kinds[h]; ok {
			if kind == "fx" || kind == "future" {
				r.fail(line, c, h, "%s is %s asset, which banks do not hold (they hold bonds, equities, commodities, crypto and illiquid assets)", h, article(kind))
				continue
			}
			col[h] = k
			r.assets = append(r.assets, h)
			assetCol = append(assetCol, k)
			continue
		}
		if !slices.Contains(bankColumns, h) {
			r.fail(line, c, h, "unknown column%s: a column is id, equity, cash, min_ratio, buffer_ratio, target_ratio, or an asset of %s (%s); begin a column's name with _ to keep it as a note", didYouMean(h, append(slices.Clone(bankColumns), ids...)), opt.Into.Name, strings.Join(ids, ", "))
			continue
		}
		col[h] = k
	}
	for _, need := range []string{"id", "equity"} {
		if _, ok := col[need]; !ok {
			r.fail(1, 1, need, "no %s column: a bank table needs id and equity", need)
		}
	}
	if len(r.assets) == 0 && len(r.probs) == 0 {
		r.fail(1, 1, "", "no asset column: give the value each bank holds of %s's assets (%s) in a column named after the asset", opt.Into.Name, strings.Join(ids, ", "))
	}
	if len(r.probs) > 0 {
		return r.probs
	}
	// Ids already taken: the agents kept, the assets, the brokers and
	// dealers (agent ids share one namespace).
	taken := map[string]string{}
	for _, b := range cfg.Brokers {
		taken[foldID(b.ID)] = "prime broker " + b.ID
	}
	for _, d := range cfg.Dealers {
		taken[foldID(d.ID)] = "dealer " + d.ID
	}
	if opt.Add {
		for i := range cfg.Agents {
			if id := agentID(&cfg.Agents[i]); id != "" {
				taken[foldID(id)] = cfg.Agents[i].Kind + " " + id
			}
		}
	}
	for k, row := 0, []string(nil); ; k++ {
		row, err = cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return r.csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if !slices.ContainsFunc(row, func(f string) bool { return strings.TrimSpace(f) != "" }) {
			continue // a row of empty cells, as spreadsheets export after the last
		}
		nr0 := len(r.probs)
		b := BankRow{Line: line, MinRatio: opt.MinRatio, BufferRatio: opt.BufferRatio, TargetRatio: opt.TargetRatio, Holdings: make([]float64, len(assetCol))}
		at := func(name string) (string, int, bool) {
			c, ok := col[name]
			if !ok || c >= len(row) {
				return "", 0, false
			}
			_, cc := cr.FieldPos(c)
			return strings.TrimSpace(row[c]), cc, true
		}
		if len(row) != len(head) {
			r.fail(line, 1, "", "%d fields, but the header has %d", len(row), len(head))
			continue
		}
		id, c, _ := at("id")
		switch {
		case id == "":
			r.fail(line, c, "id", "missing id")
		case IDProblem(id) != "":
			r.fail(line, c, "id", "%s", IDProblem(id))
		case taken[foldID(id)] != "":
			r.fail(line, c, "id", "%q is taken by %s", id, taken[foldID(id)])
		default:
			taken[foldID(id)] = fmt.Sprintf("the bank of line %d", line)
			if _, asset := kinds[id]; asset {
				r.fail(line, c, "id", "%q names an asset of %s", id, opt.Into.Name)
			}
		}
		b.ID = id
		if name, c, ok := at("_name"); ok && name != "" {
			if p := DisplayNameProblem(name); p != "" {
				r.fail(line, c, "_name", "%s", p)
			}
			b.Name = name
		}
		num := func(name string, dst *float64, scaled bool, what string) {
			s, c, ok := at(name)
			if !ok || s == "" {
				return
			}
			v, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				r.fail(line, c, name, "%q is not a number%s", s, numberHint(s, scaled))
				return
			}
			if scaled && opt.Scale != 1 {
				v = scaleExact(strings.ReplaceAll(s, "_", ""), v, opt.Scale)
			}
			if !(v >= 0) {
				r.fail(line, c, name, "%s is negative: want %s", s, what)
				return
			}
			*dst = v
		}
		if s, c, _ := at("equity"); s == "" {
			r.fail(line, c, "equity", "missing equity")
		}
		num("equity", &b.Equity, true, "the capital at the start, positive")
		num("cash", &b.Cash, true, "cash held, 0 or more")
		for j, name := range r.assets {
			num(name, &b.Holdings[j], true, "the value held, 0 or more")
		}
		nr := len(r.probs)
		num("min_ratio", &b.MinRatio, false, "a leverage ratio (equity over assets) in [0, 1)")
		num("buffer_ratio", &b.BufferRatio, false, "a leverage ratio (equity over assets) in (0, 1)")
		num("target_ratio", &b.TargetRatio, false, "a leverage ratio (equity over assets) in (0, 1)")
		assets := b.Cash
		for _, v := range b.Holdings {
			assets += v
		}
		_, c = cr.FieldPos(col["equity"])
		switch {
		case b.Equity == 0 && len(r.probs) == nr0:
			r.fail(line, c, "equity", "0: a bank needs positive capital")
		case b.Equity > assets && len(r.probs) == nr0:
			r.fail(line, c, "equity", "%s exceeds the bank's assets (cash and holdings, %s): it would have negative debt", fmtNum(b.Equity), fmtNum(assets))
		}
		start := math.Floor(b.Equity/assets*1e6) / 1e6
		failing := len(r.probs) == nr0 && assets > 0 && b.Equity/assets < b.MinRatio
		if failing {
			t.Failing = append(t.Failing, fmt.Sprintf("%s (%.2f%%)", b.ID, 100*b.Equity/assets))
		} else if opt.BufferAtStart && assets > 0 && start < b.BufferRatio {
			b.BufferRatio = start
			t.Lowered = append(t.Lowered, b.ID)
		}
		if len(r.probs) == nr {
			if p := ratioProblem(b.MinRatio, b.BufferRatio, b.TargetRatio); p != "" {
				c := 1
				for _, name := range []string{"min_ratio", "buffer_ratio", "target_ratio"} {
					if k, ok := col[name]; ok {
						_, c = cr.FieldPos(k)
						break
					}
				}
				r.fail(line, c, "thresholds", "%s", p)
			}
		}
		if !failing && assets > 0 && b.Equity/assets < b.BufferRatio {
			t.Below = append(t.Below, b.ID)
		}
		t.Banks = append(t.Banks, b)
	}
	if len(r.probs) > 0 {
		return r.probs
	}
	if len(t.Banks) == 0 {
		return Problems{{Pos: Pos{File: r.file, Line: 1, Col: 1}, Msg: "no banks: the header is followed by no rows"}}
	}
	return nil
}

// scaleExact is the number written s (read as v) times scale, rounded
// once: 131375.665474 millions is 131375665474 exactly, where the product
// of the two nearest floats is 131375665474.00002.
func scaleExact(s string, v, scale float64) float64 {
	x, ok := new(big.Rat).SetString(s)
	if !ok {
		return float64(v * scale)
	}
	f, _ := x.Mul(x, new(big.Rat).SetFloat64(scale)).Float64()
	return f
}

// csvError reports a CSV syntax error at its place.
func (r *tableReader) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line := pe.StartLine // where the record began: a quote left open runs to the end
		if line == 0 {
			line = pe.Line
		}
		col := pe.Column
		if line != pe.Line {
			col = 1
		}
		r.fail(line, col, "", "%v (the record that begins here)", pe.Err)
	} else {
		r.probs = append(r.probs, Problem{Pos: Pos{File: r.file}, Msg: err.Error()})
	}
	return r.probs
}

// numberHint guesses why s, which is not a number, was written so.
func numberHint(s string, amount bool) string {
	switch {
	case strings.HasSuffix(s, "%"):
		return ": write a ratio as a fraction (0.04 for 4%)"
	case amount && strings.Contains(s, ","):
		return ": a thousands separator or a decimal comma? write 28000 or 28.5 (the separator between columns is the header's)"
	case amount && strings.ContainsAny(s, " \u00a0'"):
		return ": write a number without spaces or apostrophes between its digits"
	}
	return ""
}

// invalidAt is the offset of the first byte of data that is not UTF-8.
func invalidAt(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// ratioProblem says why thresholds min, buffer and target (leverage
// ratios, equity over assets) do not make a threshold bank, or "".
func ratioProblem(min, buffer, target float64) string {
	if !(min >= 0 && min <= buffer && buffer > 0 && buffer <= target && target < 1) {
		hint := ""
		if min >= 1 || buffer >= 1 || target >= 1 {
			hint = " (a percentage? write 0.045 for 4.5%)"
		}
		return fmt.Sprintf("min_ratio %v, buffer_ratio %v, target_ratio %v: want 0 <= min_ratio <= buffer_ratio <= target_ratio < 1, buffer_ratio > 0%s", min, buffer, target, hint)
	}
	return ""
}

func article(kind string) string {
	if kind == "fx" {
		return "an fx"
	}
	return "a " + kind
}

// inetDepths sets t.Depths: for each exponential-impact asset the banks
// hold, δ = 0.1·q / −ln 0.9 for q held (flow units), so that selling a
// tenth of it lowers the price a tenth.
func inetDepths(into *Scenario, assets []string, t *BankTable, add bool) error {
	cfg := &into.File.Config
	held := map[string]float64{}
	for _, b := range t.Banks {
		for j, v := range b.Holdings {
			held[assets[j]] += v
		}
	}
	// With --add, the banks kept sell in the same markets: what they hold
	// counts too, every member of a population.
	for i := range cfg.Agents {
		a := &cfg.Agents[i]
		if !add || a.Kind != "bank" || a.Bank == nil {
			continue
		}
		if len(a.Vary) > 0 {
			return fmt.Errorf("--depth inet with --add: the bank entry %s draws parameters (vary), so what it holds is not known before a run; size the markets with depth_scale instead", a.Bank.ID)
		}
		for id, v := range a.Bank.Holdings {
			held[id] += float64(v * float64(max(a.Count, 1)))
		}
	}
	for _, a := range cfg.Assets {
		if a.Impact.Function != "exponential" || !(held[a.ID] > 0) || a.Kind == "illiquid" {
			continue
		}
		if a.Currency != "USD" {
			return fmt.Errorf("--depth inet: %s is quoted in %s; the importer sets depths only for assets quoted in the account currency (USD)", a.ID, a.Currency)
		}
		q := held[a.ID]
		if cfg.Conventions.Flow != "value" {
			q /= a.Price // units
		}
		t.Depths = append(t.Depths, AssetDepth{ID: a.ID, Held: q, Delta: 0.1 * q / -math.Log(0.9)})
	}
	return nil
}

// agentID is the id of an agent entry ("" for a kind without one).
func agentID(a *sim.AgentSpec) string {
	s, err := a.Spec()
	if err != nil {
		return ""
	}
	v := reflect.ValueOf(s)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	if f := v.FieldByName("ID"); f.IsValid() && f.Kind() == reflect.String {
		return f.String()
	}
	return ""
}

// fmtNum writes v exactly (the shortest form that reads back as v).
func fmtNum(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e21 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// plainID matches the ids and paths written bare in a flow mapping.
var plainID = regexp.MustCompile(`^[A-Za-z_./][A-Za-z0-9_./\-]*$`)

// yamlString writes s as a YAML scalar a flow mapping reads back as s.
func yamlString(s string) string {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "y", "n":
	default:
		if _, err := strconv.ParseFloat(s, 64); err != nil && plainID.MatchString(s) {
			return s
		}
	}
	q, _ := json.Marshal(s) // a JSON string is a YAML double-quoted scalar
	return string(q)
}

// writeBanks writes the scenario file.
func writeBanks(file string, opt BankImport, assets []string, t *BankTable) ([]byte, error) {
	var w bytes.Buffer
	into := opt.Extends
	file = filepath.Base(file)
	fmt.Fprintf(&w, "# %d banks read from %s by cascade banks, in the markets of %s.\n", len(t.Banks), file, into)
	if opt.Command != "" {
		fmt.Fprintf(&w, "# Made with: %s\n", opt.Command)
	}
	if opt.Scale != 1 {
		fmt.Fprintf(&w, "# The table's amounts are multiplied by %s.\n", fmtNum(opt.Scale))
	}
	if opt.Add {
		fmt.Fprintf(&w, "# The banks are added to %s's agents.\n", into)
	} else {
		fmt.Fprintf(&w, "# The banks replace %s's %d agents.\n", into, t.Replaced)
	}
	if len(t.Depths) > 0 {
		fmt.Fprintf(&w, "# Depths (--depth inet): selling a tenth of what the banks hold of an\n# asset lowers its price a tenth, before %s's depth_scale.\n", into)
	}
	if len(t.Lowered) > 0 {
		fmt.Fprintf(&w, "# %d start below the buffer_ratio and manage to their starting ratio\n# instead (--buffer-at-start): %s.\n", len(t.Lowered), strings.Join(t.Lowered, ", "))
	}
	if len(t.Below) > 0 {
		fmt.Fprintf(&w, "# %d start below their buffer_ratio and sell at the first tick: %s.\n", len(t.Below), strings.Join(t.Below, ", "))
	}
	if len(t.Failing) > 0 {
		fmt.Fprintf(&w, "# %d start below their min_ratio and fail at the first tick: %s.\n", len(t.Failing), strings.Join(t.Failing, ", "))
	}
	fmt.Fprintf(&w, "extends: %s\nname: %s\n", yamlString(opt.Extends), yamlString(opt.Name))
	desc := fmt.Sprintf("%d banks from %s in the markets, events and report of %s.", len(t.Banks), file, into)
	if opt.Add {
		desc = fmt.Sprintf("%s with %d banks from %s added.", into, len(t.Banks), file)
	}
	q, _ := json.Marshal(desc)
	fmt.Fprintf(&w, "description: %s\n", q)
	if len(t.Depths) > 0 {
		if err := writeAssets(&w, opt.Into, t.Depths); err != nil {
			return nil, err
		}
	}
	if opt.Add {
		w.WriteString("\nagents+:\n")
	} else {
		w.WriteString("\nagents:\n")
	}
	for _, b := range t.Banks {
		fmt.Fprintf(&w, "  - {kind: bank, id: %s", yamlString(b.ID))
		if b.Name != "" {
			fmt.Fprintf(&w, ", name: %s", yamlString(b.Name))
		}
		fmt.Fprintf(&w, ", equity: %s", fmtNum(b.Equity))
		if b.Cash > 0 {
			fmt.Fprintf(&w, ", cash: %s", fmtNum(b.Cash))
		}
		w.WriteString(", holdings: {")
		sep := ""
		for j, v := range b.Holdings {
			if v > 0 {
				fmt.Fprintf(&w, "%s%s: %s", sep, yamlString(assets[j]), fmtNum(v))
				sep = ", "
			}
		}
		fmt.Fprintf(&w, "}, min_ratio: %s, buffer_ratio: %s, target_ratio: %s}  # line %d\n", fmtNum(b.MinRatio), fmtNum(b.BufferRatio), fmtNum(b.TargetRatio), b.Line)
	}
	return w.Bytes(), nil
}

// writeAssets writes into's assets, as its files resolve them, with the
// depths d: a file that extends another replaces its lists whole.
func writeAssets(w *bytes.Buffer, into *Scenario, d []AssetDepth) error {
	var root yaml.Node
	if err := yaml.Unmarshal(into.Resolved, &root); err != nil {
		return err
	}
	list := valueOf(root.Content[0], "assets")
	if list == nil || list.Kind != yaml.SequenceNode {
		return fmt.Errorf("%s: no list of assets", into.Name)
	}
	for _, e := range list.Content {
		id := valueOf(e, "id")
		if id == nil {
			continue
		}
		for _, x := range d {
			if x.ID != id.Value {
				continue
			}
			imp := valueOf(e, "impact")
			delta := valueOf(imp, "delta")
			if imp == nil || delta == nil {
				return fmt.Errorf("%s: asset %s has no impact.delta to set", into.Name, x.ID)
			}
			delta.Value, delta.Tag, delta.Style = strconv.FormatFloat(x.Delta, 'g', -1, 64), "!!float", 0
			e.LineComment = fmt.Sprintf("delta: 0.1 x %s held / -ln 0.9", fmtNum(x.Held))
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "assets"}, list}}); err != nil {
		return err
	}
	w.WriteString("\n")
	w.Write(buf.Bytes())
	return nil
}
