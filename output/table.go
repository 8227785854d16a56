package output

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// ColumnType is the type of the values of a [Column].
type ColumnType int

// The column types. The zero ColumnType is invalid, so a Column whose Type was
// never set is caught by [Table.Validate].
const (
	Float64 ColumnType = iota + 1 // float64; NaN means a missing value
	Int64                         // int64
	String                        // string
	Time                          // time.Time, written as a UTC timestamp with microsecond precision
)

// String returns the lower-case name of the type, such as "float64".
func (t ColumnType) String() string {
	switch t {
	case Float64:
		return "float64"
	case Int64:
		return "int64"
	case String:
		return "string"
	case Time:
		return "time"
	}
	return "ColumnType(" + strconv.Itoa(int(t)) + ")"
}

func (t ColumnType) valid() bool { return t >= Float64 && t <= Time }

// A Column is a named, typed sequence of values. Exactly one of the slices
// F, I, S or T holds the values, chosen by Type; the others are nil.
//
// A Column with no values (all slices nil) describes a column of a schema,
// as taken by [NewCSVStream] and [NewParquetStream].
type Column struct {
	Name string
	Type ColumnType
	F    []float64   // values of a Float64 column; NaN is a missing value
	I    []int64     // values of an Int64 column
	S    []string    // values of a String column
	T    []time.Time // values of a Time column
}

// FloatCol returns a Float64 column holding vals (not a copy).
func FloatCol(name string, vals []float64) Column {
	return Column{Name: name, Type: Float64, F: vals}
}

// IntCol returns an Int64 column holding vals (not a copy).
func IntCol(name string, vals []int64) Column {
	return Column{Name: name, Type: Int64, I: vals}
}

// StringCol returns a String column holding vals (not a copy).
func StringCol(name string, vals []string) Column {
	return Column{Name: name, Type: String, S: vals}
}

// TimeCol returns a Time column holding vals (not a copy).
func TimeCol(name string, vals []time.Time) Column {
	return Column{Name: name, Type: Time, T: vals}
}

// Len returns the number of values in the slice selected by c.Type.
func (c *Column) Len() int {
	switch c.Type {
	case Float64:
		return len(c.F)
	case Int64:
		return len(c.I)
	case String:
		return len(c.S)
	case Time:
		return len(c.T)
	}
	return 0
}

// Value returns the i-th value of c.
func (c *Column) Value(i int) Value {
	switch c.Type {
	case Float64:
		return FloatValue(c.F[i])
	case Int64:
		return IntValue(c.I[i])
	case String:
		return StringValue(c.S[i])
	case Time:
		return TimeValue(c.T[i])
	}
	panic("output: Value of column " + strconv.Quote(c.Name) + " with invalid type " + c.Type.String())
}

// A Table is a set of equally long, uniquely named columns: one row per index.
type Table struct {
	Columns []Column
}

// Add appends col to the table's columns. It does not validate: see
// [Table.Validate].
func (t *Table) Add(col Column) { t.Columns = append(t.Columns, col) }

// Rows returns the number of rows, that is the length of the first column
// (0 for a table with no columns). It is meaningful only for a valid table.
func (t *Table) Rows() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].Len()
}

// Column returns the column called name and true, or a zero Column and false
// if the table has none.
func (t *Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Schema returns the names and types of the table's columns, without their
// values, as taken by [NewCSVStream] and [NewParquetStream].
func (t *Table) Schema() []Column {
	return schemaOf(t.Columns)
}

// Validate reports whether t is well formed: it has at least one column,
// every column has a valid type, a non-empty name unique in the table, no
// values in the slices not selected by its type, and all columns have the
// same length.
func (t *Table) Validate() error {
	if err := validateSchema(t.Columns); err != nil {
		return err
	}
	n := t.Columns[0].Len()
	for i := range t.Columns {
		c := &t.Columns[i]
		other := len(c.F) + len(c.I) + len(c.S) + len(c.T) - c.Len()
		if other != 0 {
			return fmt.Errorf("output: column %q of type %s has values in a slice of another type", c.Name, c.Type)
		}
		if c.Len() != n {
			return fmt.Errorf("output: column %q has %d rows, column %q has %d", c.Name, c.Len(), t.Columns[0].Name, n)
		}
	}
	return nil
}

// validateSchema checks the names and types of cols.
func validateSchema(cols []Column) error {
	if len(cols) == 0 {
		return errors.New("output: table has no columns")
	}
	seen := make(map[string]bool, len(cols))
	for i, c := range cols {
		if c.Name == "" {
			return fmt.Errorf("output: column %d has an empty name", i)
		}
		if seen[c.Name] {
			return fmt.Errorf("output: duplicate column name %q", c.Name)
		}
		seen[c.Name] = true
		if !c.Type.valid() {
			return fmt.Errorf("output: column %q has invalid type %s", c.Name, c.Type)
		}
	}
	return nil
}

// A Value is one typed cell of a row, as passed to [RowWriter.WriteRow].
// Construct it with [FloatValue], [IntValue], [StringValue] or [TimeValue];
// the zero Value is invalid. A Value is small and is passed without
// allocation.
type Value struct {
	typ ColumnType
	num uint64 // float64 bits or int64
	s   string
	t   time.Time
}

// FloatValue returns a Float64 value. NaN is written as a missing value.
func FloatValue(v float64) Value { return Value{typ: Float64, num: math.Float64bits(v)} }

// IntValue returns an Int64 value.
func IntValue(v int64) Value { return Value{typ: Int64, num: uint64(v)} }

// StringValue returns a String value.
func StringValue(v string) Value { return Value{typ: String, s: v} }

// TimeValue returns a Time value.
func TimeValue(v time.Time) Value { return Value{typ: Time, t: v} }

// Type returns the type of v (0 for the zero Value).
func (v Value) Type() ColumnType { return v.typ }

// Float returns the value of a Float64 Value.
func (v Value) Float() float64 { return math.Float64frombits(v.num) }

// Int returns the value of an Int64 Value.
func (v Value) Int() int64 { return int64(v.num) }

// Str returns the value of a String Value.
func (v Value) Str() string { return v.s }

// Time returns the value of a Time Value.
func (v Value) Time() time.Time { return v.t }

// String returns v formatted as in a CSV file written by this package.
func (v Value) String() string { return formatValue(v) }

// A RowWriter writes rows of values matching a fixed schema. It is
// implemented by [CSVStream] and [ParquetStream], so one row can be fed to
// both:
//
//	row := []output.Value{output.IntValue(step), output.FloatValue(price)}
//	for _, w := range []output.RowWriter{csvStream, parquetStream} {
//		if err := w.WriteRow(row...); err != nil {
//			return err
//		}
//	}
type RowWriter interface {
	// WriteRow writes one row: one value per schema column, in schema order,
	// each of the column's type.
	WriteRow(vals ...Value) error
	// Close flushes buffered rows and finishes the output. It does not close
	// the underlying io.Writer.
	Close() error
}

// checkRow reports whether vals match schema.
func checkRow(schema []Column, vals []Value) error {
	if len(vals) != len(schema) {
		return fmt.Errorf("output: row has %d values, schema has %d columns", len(vals), len(schema))
	}
	for i := range vals {
		if vals[i].typ != schema[i].Type {
			return fmt.Errorf("output: column %q: got a %s value, want %s", schema[i].Name, vals[i].typ, schema[i].Type)
		}
	}
	return nil
}

// schemaOf copies the names and types of cols.
func schemaOf(cols []Column) []Column {
	s := make([]Column, len(cols))
	for i, c := range cols {
		s[i] = Column{Name: c.Name, Type: c.Type}
	}
	return s
}
