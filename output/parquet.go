package output

import (
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"
)

// DefaultRowGroupRows is the number of rows a [ParquetStream] buffers before
// writing them out as a row group, unless [RowGroupRows] says otherwise.
const DefaultRowGroupRows = 4096

// A ParquetOption configures [WriteParquet] and [NewParquetStream].
type ParquetOption func(*parquetConfig)

type parquetConfig struct {
	rowGroupRows int
}

// RowGroupRows sets the number of rows per row group, which bounds the
// memory used by a writer to about n rows. Values below 1 select
// [DefaultRowGroupRows].
func RowGroupRows(n int) ParquetOption {
	return func(c *parquetConfig) { c.rowGroupRows = n }
}

// parquetNode returns the Parquet schema node of a column of type t.
//
// Floats are optional so that NaN can be stored as NULL, matching the empty
// CSV field; the other columns are required. Strings are dictionary encoded,
// as they typically repeat (scenario, agent kind). Times are
// TIMESTAMP(MICROS, isAdjustedToUTC=true).
func parquetNode(t ColumnType) parquet.Node {
	switch t {
	case Float64:
		return parquet.Optional(parquet.Leaf(parquet.DoubleType))
	case Int64:
		return parquet.Int(64)
	case String:
		return parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
	case Time:
		return parquet.Timestamp(parquet.Microsecond)
	}
	panic("output: invalid column type " + t.String())
}

// newParquetSchema returns the Parquet schema of a valid table schema.
func newParquetSchema(schema []Column) *parquet.Schema {
	g := make(orderedGroup, len(schema))
	for i, c := range schema {
		// A one-field parquet.Group yields a field with the library's own
		// implementation of Name and Value.
		g[i] = parquet.Group{c.Name: parquetNode(c.Type)}.Fields()[0]
	}
	return parquet.NewSchema("cascade", g)
}

// orderedGroup is a Parquet group node whose fields keep the order they were
// given in: parquet.Group is a map and sorts its fields by name, but a file
// should have its columns in table order.
type orderedGroup []parquet.Field

func (g orderedGroup) ID() int                     { return 0 }
func (g orderedGroup) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g orderedGroup) Optional() bool              { return false }
func (g orderedGroup) Repeated() bool              { return false }
func (g orderedGroup) Required() bool              { return true }
func (g orderedGroup) Leaf() bool                  { return false }
func (g orderedGroup) Fields() []parquet.Field     { return g }
func (g orderedGroup) Encoding() encoding.Encoding { return nil }
func (g orderedGroup) Compression() compress.Codec { return nil }
func (g orderedGroup) String() string              { return printNode(g) }

// GoType returns a struct type with one field per column, in order, tagged
// with the column name. It is not used when writing rows, which are built
// directly as parquet.Row values.
func (g orderedGroup) GoType() reflect.Type {
	fields := make([]reflect.StructField, len(g))
	for i, f := range g {
		fields[i] = reflect.StructField{Name: "F" + strconv.Itoa(i), Type: f.GoType()}
		if !strings.Contains(f.Name(), ",") {
			fields[i].Tag = reflect.StructTag("parquet:" + strconv.Quote(f.Name()))
		}
	}
	return reflect.StructOf(fields)
}

func printNode(n parquet.Node) string {
	var b strings.Builder
	parquet.PrintSchema(&b, "", n)
	return b.String()
}

// A ParquetStream writes rows one at a time to a Parquet file with a fixed
// schema, holding at most one row group in memory: every [RowGroupRows]
// rows (default [DefaultRowGroupRows]) the buffered rows are compressed and
// written out. Values are stored as by [WriteParquet]. Close must be called
// to write the file footer; without it the output is not a valid file.
type ParquetStream struct {
	pw       *parquet.Writer
	schema   []Column
	groupMax int
	pending  int // rows in the current row group
	rows     [1]parquet.Row
	strbuf   []byte // backing store for the current row's strings
	err      error  // sticky write error
	closed   bool
}

// NewParquetStream returns a ParquetStream writing to w rows of the given
// schema (only the names and types of its columns are used). Columns are
// stored in schema order and compressed with zstd.
func NewParquetStream(w io.Writer, schema []Column, opts ...ParquetOption) (*ParquetStream, error) {
	if err := validateSchema(schema); err != nil {
		return nil, err
	}
	cfg := parquetConfig{rowGroupRows: DefaultRowGroupRows}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.rowGroupRows < 1 {
		cfg.rowGroupRows = DefaultRowGroupRows
	}
	wcfg, err := parquet.NewWriterConfig(
		newParquetSchema(schema),
		parquet.Compression(&parquet.Zstd),
		parquet.CreatedBy("cascade", "", ""),
	)
	if err != nil {
		return nil, fmt.Errorf("output: parquet: %w", err)
	}
	s := &ParquetStream{
		pw:       parquet.NewWriter(w, wcfg),
		schema:   schemaOf(schema),
		groupMax: cfg.rowGroupRows,
	}
	s.rows[0] = make(parquet.Row, len(schema))
	return s, nil
}

// WriteRow writes one row. vals must hold one value per schema column, of
// the column's type, in schema order.
func (s *ParquetStream) WriteRow(vals ...Value) error {
	switch {
	case s.closed:
		return errors.New("output: WriteRow on closed ParquetStream")
	case s.err != nil:
		return s.err
	}
	if err := checkRow(s.schema, vals); err != nil {
		return err
	}
	// Strings are appended to strbuf first and sliced afterwards, since
	// appending may move the buffer. The writer copies the bytes, so the
	// buffer is reused for the next row.
	s.strbuf = s.strbuf[:0]
	for j := range vals {
		if vals[j].typ == String {
			s.strbuf = append(s.strbuf, vals[j].s...)
		}
	}
	row, off := s.rows[0], 0
	for j := range vals {
		v := &vals[j]
		switch v.typ {
		case Float64:
			if f := v.Float(); math.IsNaN(f) {
				row[j] = parquet.NullValue().Level(0, 0, j)
			} else {
				row[j] = parquet.DoubleValue(f).Level(0, 1, j)
			}
		case Int64:
			row[j] = parquet.Int64Value(v.Int()).Level(0, 0, j)
		case String:
			b := s.strbuf[off : off+len(v.s) : off+len(v.s)]
			off += len(v.s)
			row[j] = parquet.ByteArrayValue(b).Level(0, 0, j)
		case Time:
			row[j] = parquet.Int64Value(v.t.UnixMicro()).Level(0, 0, j)
		}
	}
	if _, err := s.pw.WriteRows(s.rows[:]); err != nil {
		s.err = fmt.Errorf("output: parquet: %w", err)
		return s.err
	}
	if s.pending++; s.pending >= s.groupMax {
		if err := s.pw.Flush(); err != nil {
			s.err = fmt.Errorf("output: parquet: %w", err)
			return s.err
		}
		s.pending = 0
	}
	return nil
}

// Close writes the buffered rows and the file footer. It does not close the
// underlying writer. Calling Close again returns the first result.
func (s *ParquetStream) Close() error {
	if s.closed {
		return s.err
	}
	s.closed = true
	if s.err != nil {
		return s.err
	}
	if err := s.pw.Close(); err != nil {
		s.err = fmt.Errorf("output: parquet: %w", err)
	}
	return s.err
}

// WriteParquet writes t to w as one Parquet file with the columns in table
// order: Float64 as optional DOUBLE with NaN stored as NULL (as the empty
// field of [WriteCSV]), Int64 as INT64, String as UTF-8 BYTE_ARRAY, Time as
// TIMESTAMP(MICROS, isAdjustedToUTC=true) (sub-microsecond digits are
// truncated). Pages are compressed with zstd. Rows are written in row groups
// of [DefaultRowGroupRows] rows unless an option says otherwise.
func WriteParquet(w io.Writer, t *Table, opts ...ParquetOption) error {
	if err := t.Validate(); err != nil {
		return err
	}
	s, err := NewParquetStream(w, t.Columns, opts...)
	if err != nil {
		return err
	}
	row := make([]Value, len(t.Columns))
	for i, n := 0, t.Rows(); i < n; i++ {
		for j := range t.Columns {
			row[j] = t.Columns[j].Value(i)
		}
		if err := s.WriteRow(row...); err != nil {
			return err
		}
	}
	return s.Close()
}

// ReadParquet reads a Parquet file of flat columns, such as those written by
// [WriteParquet] and [ParquetStream], into a Table.
//
// Physical types map back to column types: DOUBLE and FLOAT to Float64 (NULL
// read as NaN), INT64 and INT32 to Int64 except INT64 timestamps, which
// become Time values in UTC, and BYTE_ARRAY to String. Other types, nested
// or repeated columns, and NULLs in non-float columns are errors.
func ReadParquet(r io.ReaderAt, size int64) (*Table, error) {
	f, err := parquet.OpenFile(r, size)
	if err != nil {
		return nil, fmt.Errorf("output: parquet: %w", err)
	}
	leaves := f.Root().Columns()
	if len(leaves) == 0 {
		return nil, errors.New("output: parquet: file has no columns")
	}
	t := &Table{Columns: make([]Column, len(leaves))}
	decoders := make([]func(parquet.Value) error, len(leaves))
	// Preallocate for the row count of the footer, within reason: the
	// count of a damaged file could be anything.
	nrows := int(min(f.NumRows(), 1<<20))
	for k, pc := range leaves {
		col := &t.Columns[k]
		col.Name = pc.Name()
		if !pc.Leaf() || pc.Repeated() {
			return nil, fmt.Errorf("output: parquet: column %q: nested and repeated columns are not supported", col.Name)
		}
		dec, err := decoderOf(col, pc.Type(), nrows)
		if err != nil {
			return nil, fmt.Errorf("output: parquet: column %q: %w", col.Name, err)
		}
		decoders[k] = dec
	}

	buf := make([]parquet.Value, 1024)
	for _, rg := range f.RowGroups() {
		chunks := rg.ColumnChunks()
		for k, pc := range leaves {
			if err := readChunk(chunks[pc.Index()], buf, decoders[k]); err != nil {
				return nil, fmt.Errorf("output: parquet: column %q: %w", t.Columns[k].Name, err)
			}
		}
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

// readChunk passes every value of a column chunk to dec. Values are decoded
// before the next batch is read, as byte arrays point into page buffers that
// are reused.
func readChunk(cc parquet.ColumnChunk, buf []parquet.Value, dec func(parquet.Value) error) error {
	vr := parquet.NewColumnChunkValueReader(cc)
	defer vr.Close()
	for {
		n, err := vr.ReadValues(buf)
		for _, v := range buf[:n] {
			if derr := dec(v); derr != nil {
				return derr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

var errNull = errors.New("unexpected NULL in a column of non-float type")

// decoderOf sets the type of col from the Parquet type typ and returns a
// function appending a value to col.
func decoderOf(col *Column, typ parquet.Type, nrows int) (func(parquet.Value) error, error) {
	var logical format.LogicalTypeValue
	if lt := typ.LogicalType(); lt != nil {
		logical = lt.Value
	}
	switch typ.Kind() {
	case parquet.Double, parquet.Float:
		col.Type, col.F = Float64, make([]float64, 0, nrows)
		isDouble := typ.Kind() == parquet.Double
		return func(v parquet.Value) error {
			switch {
			case v.IsNull():
				col.F = append(col.F, math.NaN())
			case isDouble:
				col.F = append(col.F, v.Double())
			default:
				col.F = append(col.F, float64(v.Float()))
			}
			return nil
		}, nil

	case parquet.Int64, parquet.Int32:
		if ts, ok := logical.(*format.TimestampType); ok && typ.Kind() == parquet.Int64 {
			var toTime func(int64) time.Time
			switch ts.Unit.Value.(type) {
			case *format.MilliSeconds:
				toTime = time.UnixMilli
			case *format.MicroSeconds:
				toTime = time.UnixMicro
			case *format.NanoSeconds:
				toTime = func(n int64) time.Time { return time.Unix(0, n) }
			default:
				return nil, fmt.Errorf("unsupported timestamp unit %v", &ts.Unit)
			}
			col.Type, col.T = Time, make([]time.Time, 0, nrows)
			return func(v parquet.Value) error {
				if v.IsNull() {
					return errNull
				}
				col.T = append(col.T, toTime(v.Int64()).UTC())
				return nil
			}, nil
		}
		if it, ok := logical.(*format.IntType); logical != nil && (!ok || !it.IsSigned && typ.Kind() == parquet.Int64) {
			return nil, fmt.Errorf("unsupported type %v", typ)
		}
		col.Type, col.I = Int64, make([]int64, 0, nrows)
		is64 := typ.Kind() == parquet.Int64
		return func(v parquet.Value) error {
			switch {
			case v.IsNull():
				return errNull
			case is64:
				col.I = append(col.I, v.Int64())
			default:
				col.I = append(col.I, int64(v.Int32()))
			}
			return nil
		}, nil

	case parquet.ByteArray:
		switch logical.(type) {
		case nil, *format.StringType, *format.EnumType, *format.JsonType:
		default:
			return nil, fmt.Errorf("unsupported type %v", typ)
		}
		col.Type, col.S = String, make([]string, 0, nrows)
		return func(v parquet.Value) error {
			if v.IsNull() {
				return errNull
			}
			col.S = append(col.S, string(v.ByteArray()))
			return nil
		}, nil
	}
	return nil, fmt.Errorf("unsupported type %v", typ)
}
