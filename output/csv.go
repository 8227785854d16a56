package output

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"
)

// CSVTimeLayout is the layout of Time values in CSV files: RFC 3339 in UTC
// with a Z suffix, such as 2006-01-02T15:04:05Z, and a fraction of a second
// only when the time has one (at most microseconds, the precision kept by
// Parquet; finer digits are truncated).
const CSVTimeLayout = "2006-01-02T15:04:05.999999Z07:00"

// formatFloat formats v for CSV: the shortest decimal that parses back to
// the identical float64, an empty field for NaN, and "inf" or "-inf" for the
// infinities, which pandas, R, DuckDB and strconv.ParseFloat all read.
func formatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// formatValue formats v as a CSV field.
func formatValue(v Value) string {
	switch v.typ {
	case Float64:
		return formatFloat(v.Float())
	case Int64:
		return strconv.FormatInt(v.Int(), 10)
	case String:
		return v.s
	case Time:
		return v.t.UTC().Format(CSVTimeLayout)
	}
	return ""
}

// writeRecord writes rec to cw, whose underlying writer is w.
//
// encoding/csv writes a record made of one empty field as an empty line,
// which CSV readers skip. Such a record (a single-column table with a
// missing value) is written as "" instead, which readers take as one empty
// field.
func writeRecord(cw *csv.Writer, w io.Writer, rec []string) error {
	if len(rec) != 1 || rec[0] != "" {
		return cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\"\"\n")
	return err
}

// WriteCSV writes t to w as CSV with a header row of column names.
//
// Floats are written in the shortest form that reads back as the identical
// float64 (strconv.FormatFloat with format 'g' and precision -1), NaN as an
// empty field so that pandas, R and DuckDB read a missing value, and the
// infinities as "inf" and "-inf". Times are written in UTC with
// [CSVTimeLayout]. Fields are quoted as needed by encoding/csv.
func WriteCSV(w io.Writer, t *Table) error {
	if err := t.Validate(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	rec := make([]string, len(t.Columns))
	for j, c := range t.Columns {
		rec[j] = c.Name
	}
	if err := writeRecord(cw, w, rec); err != nil {
		return err
	}
	for i, n := 0, t.Rows(); i < n; i++ {
		for j := range t.Columns {
			rec[j] = formatValue(t.Columns[j].Value(i))
		}
		if err := writeRecord(cw, w, rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// A CSVStream writes CSV rows one at a time, for results that arrive over
// time with a fixed schema. Values are formatted as by [WriteCSV]. Rows are
// buffered: call Flush to push them to the underlying writer, and Close
// when done.
type CSVStream struct {
	w      io.Writer
	cw     *csv.Writer
	schema []Column
	rec    []string
	closed bool
}

// NewCSVStream returns a CSVStream writing to w rows of the given schema
// (only the names and types of its columns are used) and writes the header
// row.
func NewCSVStream(w io.Writer, schema []Column) (*CSVStream, error) {
	if err := validateSchema(schema); err != nil {
		return nil, err
	}
	s := &CSVStream{
		w:      w,
		cw:     csv.NewWriter(w),
		schema: schemaOf(schema),
		rec:    make([]string, len(schema)),
	}
	for j, c := range schema {
		s.rec[j] = c.Name
	}
	if err := writeRecord(s.cw, w, s.rec); err != nil {
		return nil, err
	}
	return s, nil
}

// WriteRow writes one row. vals must hold one value per schema column, of
// the column's type, in schema order.
func (s *CSVStream) WriteRow(vals ...Value) error {
	if s.closed {
		return errors.New("output: WriteRow on closed CSVStream")
	}
	if err := checkRow(s.schema, vals); err != nil {
		return err
	}
	for j := range vals {
		s.rec[j] = formatValue(vals[j])
	}
	return writeRecord(s.cw, s.w, s.rec)
}

// Flush writes any buffered rows to the underlying writer and reports any
// error that occurred while writing.
func (s *CSVStream) Flush() error {
	s.cw.Flush()
	return s.cw.Error()
}

// Close flushes the stream; rows can no longer be written. It does not close
// the underlying writer.
func (s *CSVStream) Close() error {
	s.closed = true
	return s.Flush()
}
