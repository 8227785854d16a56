package output

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	nan    = math.NaN()
	inf    = math.Inf(1)
	negZ   = math.Copysign(0, -1)
	zoneNY = time.FixedZone("EST", -5*3600)
)

// sampleTables are the round-trip cases shared by the CSV and Parquet tests.
func sampleTables() []struct {
	name  string
	table *Table
} {
	t0 := time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
	return []struct {
		name  string
		table *Table
	}{
		{"mixed", &Table{Columns: []Column{
			IntCol("step", []int64{0, 1, 2}),
			TimeCol("time", []time.Time{t0, t0.Add(time.Second), t0.Add(90 * time.Minute)}),
			FloatCol("price", []float64{100, 99.5, 1.0 / 3}),
			StringCol("agent", []string{"fund", "bank", "fund"}),
		}}},
		{"special floats", &Table{Columns: []Column{FloatCol("x", []float64{
			nan, inf, -inf, 0, negZ, 1, -1, 0.1, 1.0 / 3,
			math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64,
			2.2250738585072014e-308, // smallest normal
			1e21, 1e-7, 123456789012345678, 9007199254740993,
		})}}},
		{"special ints", &Table{Columns: []Column{IntCol("n", []int64{
			math.MinInt64, -1, 0, 1, math.MaxInt64,
		})}}},
		{"times", &Table{Columns: []Column{TimeCol("t", []time.Time{
			{}, // the zero time, year 1
			time.Unix(0, 0),
			time.Date(1969, 12, 31, 23, 59, 59, 999_999_000, time.UTC),
			time.Date(2024, 2, 29, 12, 0, 0, 123_456_000, zoneNY),
			time.Date(2024, 2, 29, 12, 0, 0, 123_456_789, time.UTC), // truncated to µs
			time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		})}}},
		{"strings", &Table{Columns: []Column{
			StringCol("s", []string{"", "plain", "a,b", `say "hi"`, "two\nlines", " lead", "ünï ✓", `\.`, "NULL", "nan"}),
			FloatCol("v", []float64{1, nan, 3, 4, 5, 6, 7, 8, 9, 10}),
		}}},
		{"single column missing", &Table{Columns: []Column{FloatCol("x", []float64{1, nan, nan, 2})}}},
		{"single column empty string", &Table{Columns: []Column{StringCol("s", []string{"", "a", ""})}}},
		{"no rows", &Table{Columns: []Column{
			IntCol("step", nil), FloatCol("x", []float64{}), StringCol("s", nil), TimeCol("t", nil),
		}}},
		{"odd names", &Table{Columns: []Column{
			FloatCol("z, last", []float64{1}), FloatCol("a \"quoted\"", []float64{2}), FloatCol("m", []float64{3}),
		}}},
	}
}

// sameFloat reports whether a and b are the same float64: bit-identical, or
// both NaN.
func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

// checkTable reports differences between got and want, with want's times
// truncated to microseconds, as they are written.
func checkTable(t *testing.T, got, want *Table) {
	t.Helper()
	if len(got.Columns) != len(want.Columns) {
		t.Fatalf("got %d columns, want %d", len(got.Columns), len(want.Columns))
	}
	for j := range want.Columns {
		g, w := &got.Columns[j], &want.Columns[j]
		if g.Name != w.Name || g.Type != w.Type {
			t.Errorf("column %d is %q %s, want %q %s", j, g.Name, g.Type, w.Name, w.Type)
			continue
		}
		if g.Len() != w.Len() {
			t.Errorf("column %q has %d values, want %d", w.Name, g.Len(), w.Len())
			continue
		}
		for i := 0; i < w.Len(); i++ {
			var ok bool
			switch w.Type {
			case Float64:
				ok = sameFloat(g.F[i], w.F[i])
			case Int64:
				ok = g.I[i] == w.I[i]
			case String:
				ok = g.S[i] == w.S[i]
			case Time:
				ok = g.T[i].Equal(w.T[i].Truncate(time.Microsecond)) && g.T[i].Location() == time.UTC
			}
			if !ok {
				t.Errorf("column %q row %d = %v, want %v", w.Name, i, g.Value(i), w.Value(i))
			}
		}
	}
}

// parseCSV reads CSV text written for schema back into a table, the way an
// independent reader would: strconv.ParseFloat for floats (an empty field
// is NaN) and RFC 3339 for times.
func parseCSV(t *testing.T, data []byte, schema []Column) *Table {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reading CSV: %v\n%s", err, data)
	}
	if len(recs) == 0 {
		t.Fatal("CSV has no header")
	}
	tab := &Table{}
	for j, c := range schema {
		if recs[0][j] != c.Name {
			t.Fatalf("CSV header %q, want %q", recs[0][j], c.Name)
		}
		tab.Add(Column{Name: c.Name, Type: c.Type})
	}
	for _, rec := range recs[1:] {
		if len(rec) != len(schema) {
			t.Fatalf("CSV record %q has %d fields, want %d", rec, len(rec), len(schema))
		}
		for j, f := range rec {
			c := &tab.Columns[j]
			switch c.Type {
			case Float64:
				v := math.NaN()
				if f != "" {
					if v, err = strconv.ParseFloat(f, 64); err != nil {
						t.Fatal(err)
					}
				}
				c.F = append(c.F, v)
			case Int64:
				v, err := strconv.ParseInt(f, 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				c.I = append(c.I, v)
			case String:
				c.S = append(c.S, f)
			case Time:
				v, err := time.Parse(time.RFC3339Nano, f)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasSuffix(f, "Z") {
					t.Errorf("time %q is not in UTC", f)
				}
				c.T = append(c.T, v)
			}
		}
	}
	return tab
}

func TestWriteCSVRoundTrip(t *testing.T) {
	for _, tt := range sampleTables() {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCSV(&buf, tt.table); err != nil {
				t.Fatal(err)
			}
			checkTable(t, parseCSV(t, buf.Bytes(), tt.table.Schema()), tt.table)
		})
	}
}

func TestWriteCSVText(t *testing.T) {
	tenth := 0.1 // a variable, so that tenth+0.2 is float64 arithmetic
	tab := &Table{Columns: []Column{
		TimeCol("time", []time.Time{
			time.Date(2024, 3, 1, 10, 30, 0, 0, time.FixedZone("CET", 3600)),
			time.Date(2024, 3, 1, 9, 30, 1, 250_000_000, time.UTC),
		}),
		FloatCol("x", []float64{nan, tenth + 0.2}),
		FloatCol("y", []float64{inf, -inf}),
		IntCol("n", []int64{-7, 1 << 62}),
		StringCol("s", []string{"a,b", ""}),
	}}
	want := "time,x,y,n,s\n" +
		"2024-03-01T09:30:00Z,,inf,-7,\"a,b\"\n" +
		"2024-03-01T09:30:01.25Z,0.30000000000000004,-inf,4611686018427387904,\n"
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tab); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != want {
		t.Errorf("WriteCSV wrote\n%s\nwant\n%s", got, want)
	}
}

func TestWriteCSVSingleColumnMissing(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, &Table{Columns: []Column{FloatCol("x", []float64{1, nan, 2})}}); err != nil {
		t.Fatal(err)
	}
	// A bare empty line would be skipped by CSV readers.
	if got, want := buf.String(), "x\n1\n\"\"\n2\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		table   Table
		wantErr string // "" for a valid table
	}{
		{"valid", Table{Columns: []Column{FloatCol("a", []float64{1}), IntCol("b", []int64{2})}}, ""},
		{"valid empty columns", Table{Columns: []Column{FloatCol("a", nil), StringCol("b", []string{})}}, ""},
		{"no columns", Table{}, "no columns"},
		{"empty name", Table{Columns: []Column{FloatCol("", []float64{1})}}, "empty name"},
		{"duplicate name", Table{Columns: []Column{FloatCol("a", []float64{1}), IntCol("a", []int64{1})}}, "duplicate"},
		{"unequal lengths", Table{Columns: []Column{FloatCol("a", []float64{1, 2}), IntCol("b", []int64{1})}}, "rows"},
		{"invalid type", Table{Columns: []Column{{Name: "a", F: []float64{1}}}}, "invalid type"},
		{"wrong slice", Table{Columns: []Column{{Name: "a", Type: Int64, I: []int64{1}, F: []float64{1}}}}, "another type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.table.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.wantErr)
			}
			if tt.wantErr != "" {
				if err := WriteCSV(new(bytes.Buffer), &tt.table); err == nil {
					t.Error("WriteCSV accepted an invalid table")
				}
			}
		})
	}
}

func TestTableAccessors(t *testing.T) {
	var tab Table
	if n := tab.Rows(); n != 0 {
		t.Errorf("empty table has %d rows", n)
	}
	tab.Add(IntCol("step", []int64{1, 2, 3}))
	tab.Add(FloatCol("x", []float64{4, 5, 6}))
	if n := tab.Rows(); n != 3 {
		t.Errorf("Rows() = %d, want 3", n)
	}
	c, ok := tab.Column("x")
	if !ok || c.F[2] != 6 {
		t.Errorf("Column(%q) = %v, %v", "x", c, ok)
	}
	if _, ok := tab.Column("nope"); ok {
		t.Error("Column found a missing name")
	}
	s := tab.Schema()
	if len(s) != 2 || s[1].Name != "x" || s[1].Type != Float64 || s[1].F != nil {
		t.Errorf("Schema() = %+v", s)
	}
	for ct, want := range map[ColumnType]string{Float64: "float64", Int64: "int64", String: "string", Time: "time", 0: "ColumnType(0)"} {
		if got := ct.String(); got != want {
			t.Errorf("ColumnType(%d).String() = %q, want %q", int(ct), got, want)
		}
	}
}

// rowsOf returns the rows of a valid table.
func rowsOf(tab *Table) [][]Value {
	rows := make([][]Value, tab.Rows())
	for i := range rows {
		for j := range tab.Columns {
			rows[i] = append(rows[i], tab.Columns[j].Value(i))
		}
	}
	return rows
}

func TestCSVStreamMatchesWriteCSV(t *testing.T) {
	for _, tt := range sampleTables() {
		t.Run(tt.name, func(t *testing.T) {
			var want, got bytes.Buffer
			if err := WriteCSV(&want, tt.table); err != nil {
				t.Fatal(err)
			}
			s, err := NewCSVStream(&got, tt.table.Schema())
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range rowsOf(tt.table) {
				if err := s.WriteRow(row...); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("CSVStream wrote\n%s\nWriteCSV wrote\n%s", got.String(), want.String())
			}
		})
	}
}

func TestStreamRowErrors(t *testing.T) {
	schema := []Column{{Name: "step", Type: Int64}, {Name: "x", Type: Float64}}
	cs, err := NewCSVStream(new(bytes.Buffer), schema)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := NewParquetStream(new(bytes.Buffer), schema)
	if err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name string
		row  []Value
	}{
		{"too few", []Value{IntValue(1)}},
		{"too many", []Value{IntValue(1), FloatValue(2), FloatValue(3)}},
		{"wrong type", []Value{FloatValue(1), FloatValue(2)}},
		{"zero value", []Value{IntValue(1), {}}},
	}
	for _, w := range []RowWriter{cs, ps} {
		for _, b := range bad {
			if err := w.WriteRow(b.row...); err == nil {
				t.Errorf("%T.WriteRow accepted a row with %s values", w, b.name)
			}
		}
		if err := w.WriteRow(IntValue(1), FloatValue(2)); err != nil {
			t.Errorf("%T.WriteRow: %v", w, err)
		}
		if err := w.Close(); err != nil {
			t.Errorf("%T.Close: %v", w, err)
		}
		if err := w.WriteRow(IntValue(1), FloatValue(2)); err == nil {
			t.Errorf("%T.WriteRow after Close succeeded", w)
		}
	}
	for _, s := range [][]Column{nil, {{Name: "a", Type: Float64}, {Name: "a", Type: Int64}}, {{Name: "a"}}} {
		if _, err := NewCSVStream(new(bytes.Buffer), s); err == nil {
			t.Errorf("NewCSVStream accepted schema %+v", s)
		}
		if _, err := NewParquetStream(new(bytes.Buffer), s); err == nil {
			t.Errorf("NewParquetStream accepted schema %+v", s)
		}
	}
}

func TestCSVStreamAllocs(t *testing.T) {
	s, err := NewCSVStream(discard{}, []Column{
		{Name: "step", Type: Int64}, {Name: "x", Type: Float64}, {Name: "agent", Type: String},
	})
	if err != nil {
		t.Fatal(err)
	}
	row := []Value{IntValue(7), FloatValue(0.25), StringValue("fund")}
	// One allocation for the formatted float; the rest is reused.
	if n := testing.AllocsPerRun(100, func() { s.WriteRow(row...) }); n > 1 {
		t.Errorf("WriteRow allocates %v times per row, want at most 1", n)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func ExampleWriteCSV() {
	tenth := 0.1
	t0 := time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
	tab := &Table{Columns: []Column{
		IntCol("step", []int64{0, 1, 2}),
		TimeCol("time", []time.Time{t0, t0.Add(time.Second), t0.Add(1500 * time.Millisecond)}),
		FloatCol("price", []float64{100, tenth + 0.2, math.NaN()}),
		FloatCol("leverage", []float64{1.5, math.Inf(1), -2e-9}),
		StringCol("agent", []string{"fund", "bank, large", ""}),
	}}
	if err := WriteCSV(os.Stdout, tab); err != nil {
		fmt.Println(err)
	}
	// Output:
	// step,time,price,leverage,agent
	// 0,2024-03-01T09:30:00Z,100,1.5,fund
	// 1,2024-03-01T09:30:01Z,0.30000000000000004,inf,"bank, large"
	// 2,2024-03-01T09:30:01.5Z,,-2e-09,
}
