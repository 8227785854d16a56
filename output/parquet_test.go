package output

import (
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

func writeParquet(t *testing.T, tab *Table, opts ...ParquetOption) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, tab, opts...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readParquet(t *testing.T, data []byte) *Table {
	t.Helper()
	got, err := ReadParquet(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestParquetRoundTrip(t *testing.T) {
	for _, tt := range sampleTables() {
		t.Run(tt.name, func(t *testing.T) {
			data := writeParquet(t, tt.table)
			checkTable(t, readParquet(t, data), tt.table)

			// The CSV of the same table holds the same values.
			var csvBuf bytes.Buffer
			if err := WriteCSV(&csvBuf, tt.table); err != nil {
				t.Fatal(err)
			}
			checkTable(t, parseCSV(t, csvBuf.Bytes(), tt.table.Schema()), readParquet(t, data))
		})
	}
}

// TestParquetSchema checks the file layout with the library's own view of it.
func TestParquetSchema(t *testing.T) {
	tab := &Table{Columns: []Column{
		StringCol("z_agent", []string{"fund", "bank"}),
		FloatCol("a_price", []float64{1, math.NaN()}),
		TimeCol("m_time", []time.Time{time.Unix(1, 0), time.Unix(2, 0)}),
		IntCol("b_step", []int64{1, 2}),
	}}
	data := writeParquet(t, tab)
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	cols := f.Root().Columns()
	want := []struct {
		name     string
		kind     parquet.Kind
		optional bool
	}{
		{"z_agent", parquet.ByteArray, false},
		{"a_price", parquet.Double, true},
		{"m_time", parquet.Int64, false},
		{"b_step", parquet.Int64, false},
	}
	if len(cols) != len(want) {
		t.Fatalf("file has %d columns, want %d", len(cols), len(want))
	}
	for i, w := range want {
		c := cols[i]
		if c.Name() != w.name || c.Type().Kind() != w.kind || c.Optional() != w.optional {
			t.Errorf("column %d: %s %v optional=%v, want %s %v optional=%v",
				i, c.Name(), c.Type().Kind(), c.Optional(), w.name, w.kind, w.optional)
		}
	}
	ts, ok := cols[2].Type().LogicalType().Value.(*format.TimestampType)
	if !ok {
		t.Fatalf("time column has logical type %v, want TIMESTAMP", cols[2].Type().LogicalType())
	}
	if _, micros := ts.Unit.Value.(*format.MicroSeconds); !micros || !ts.IsAdjustedToUTC {
		t.Errorf("time column is %v, want TIMESTAMP(MICROS, isAdjustedToUTC=true)", ts)
	}
	if _, ok := cols[0].Type().LogicalType().Value.(*format.StringType); !ok {
		t.Errorf("string column has logical type %v, want STRING", cols[0].Type().LogicalType())
	}
	for _, rg := range f.Metadata().RowGroups {
		for _, cc := range rg.Columns {
			if cc.MetaData.Codec != format.Zstd {
				t.Errorf("column %v compressed with %v, want ZSTD", cc.MetaData.PathInSchema, cc.MetaData.Codec)
			}
		}
	}
	// NaN is stored as NULL.
	if n := f.RowGroups()[0].ColumnChunks()[1].NumValues(); n != 2 {
		t.Errorf("price chunk has %d values, want 2", n)
	}
	if nulls := f.Metadata().RowGroups[0].Columns[1].MetaData.Statistics.NullCount; nulls != 1 {
		t.Errorf("price chunk has %d NULLs, want 1", nulls)
	}
}

func TestParquetStream(t *testing.T) {
	const (
		n         = 20_000
		groupRows = 1000
	)
	schema := []Column{
		{Name: "step", Type: Int64},
		{Name: "time", Type: Time},
		{Name: "price", Type: Float64},
		{Name: "agent", Type: String},
	}
	want := &Table{Columns: schemaOf(schema)}
	step, tm, price, agent := &want.Columns[0], &want.Columns[1], &want.Columns[2], &want.Columns[3]
	r := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		step.I = append(step.I, int64(i))
		tm.T = append(tm.T, t0.Add(time.Duration(i)*1357*time.Microsecond))
		v := math.Float64frombits(r.Uint64()) // any bit pattern, NaN included
		if i%2 == 0 {
			v = r.NormFloat64()
		}
		price.F = append(price.F, v)
		agent.S = append(agent.S, "agent-"+strconv.Itoa(r.IntN(50))+strings.Repeat("x", i%7))
	}

	var pq, csvBuf bytes.Buffer
	ps, err := NewParquetStream(&pq, schema, RowGroupRows(groupRows))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := NewCSVStream(&csvBuf, schema)
	if err != nil {
		t.Fatal(err)
	}
	row := make([]Value, len(schema))
	for i := range n {
		for j := range want.Columns {
			row[j] = want.Columns[j].Value(i)
		}
		for _, w := range []RowWriter{ps, cs} {
			if err := w.WriteRow(row...); err != nil {
				t.Fatal(err)
			}
		}
		if i == n/2 && pq.Len() == 0 {
			t.Fatal("nothing written after half the rows: row groups are not flushed")
		}
	}
	for _, w := range []RowWriter{ps, cs} {
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := ps.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	f, err := parquet.OpenFile(bytes.NewReader(pq.Bytes()), int64(pq.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(f.RowGroups()); got != n/groupRows {
		t.Errorf("file has %d row groups, want %d", got, n/groupRows)
	}
	for i, rg := range f.RowGroups() {
		if rg.NumRows() != groupRows {
			t.Errorf("row group %d has %d rows, want %d", i, rg.NumRows(), groupRows)
		}
	}
	checkTable(t, readParquet(t, pq.Bytes()), want)
	checkTable(t, parseCSV(t, csvBuf.Bytes(), schema), want)
}

func TestParquetStreamDefaultRowGroups(t *testing.T) {
	tab := &Table{Columns: []Column{IntCol("i", make([]int64, 2*DefaultRowGroupRows+1))}}
	data := writeParquet(t, tab)
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(f.RowGroups()); got != 3 {
		t.Errorf("file has %d row groups, want 3", got)
	}
	checkTable(t, readParquet(t, data), tab)
}

func TestReadParquetErrors(t *testing.T) {
	type boolRow struct {
		OK bool `parquet:"ok"`
	}
	var boolFile bytes.Buffer
	if err := parquet.Write(&boolFile, []boolRow{{true}}); err != nil {
		t.Fatal(err)
	}
	type nullRow struct {
		N *int64 `parquet:"n,optional"`
	}
	var nullFile bytes.Buffer
	if err := parquet.Write(&nullFile, []nullRow{{nil}}); err != nil {
		t.Fatal(err)
	}
	good := writeParquet(t, &Table{Columns: []Column{FloatCol("x", []float64{1, 2, 3})}})

	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not parquet", []byte("step,x\n1,2\n")},
		{"truncated", good[:len(good)-10]},
		{"boolean column", boolFile.Bytes()},
		{"null int", nullFile.Bytes()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ReadParquet(bytes.NewReader(tt.data), int64(len(tt.data))); err == nil {
				t.Error("ReadParquet succeeded")
			}
		})
	}
}

// TestReadParquetOtherWriters reads types this package does not write but
// other tools do: INT32, FLOAT, millisecond timestamps.
func TestReadParquetOtherWriters(t *testing.T) {
	type row struct {
		I  int32     `parquet:"i"`
		F  float32   `parquet:"f"`
		TS time.Time `parquet:"ts,timestamp(millisecond)"`
		S  string    `parquet:"s"`
	}
	ts := time.Date(2024, 5, 6, 7, 8, 9, 123_000_000, time.UTC)
	var buf bytes.Buffer
	if err := parquet.Write(&buf, []row{{-3, 1.5, ts, "x"}}); err != nil {
		t.Fatal(err)
	}
	got := readParquet(t, buf.Bytes())
	want := &Table{Columns: []Column{
		IntCol("i", []int64{-3}),
		FloatCol("f", []float64{1.5}),
		TimeCol("ts", []time.Time{ts}),
		StringCol("s", []string{"x"}),
	}}
	checkTable(t, got, want)
}

// TestWriteReaderCheckFiles writes CSV/Parquet pairs of the sample tables
// for the independent readers in .ci/parquet-check (DuckDB and arrow-rs),
// into the directory named by $CASCADE_PARQUET_CHECK_DIR. Without it the
// test is skipped.
func TestWriteReaderCheckFiles(t *testing.T) {
	dir := os.Getenv("CASCADE_PARQUET_CHECK_DIR")
	if dir == "" {
		t.Skip("CASCADE_PARQUET_CHECK_DIR not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	stream := &Table{Columns: []Column{
		IntCol("step", nil), TimeCol("time", nil), FloatCol("price", nil), StringCol("agent", nil),
	}}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 20_000 {
		stream.Columns[0].I = append(stream.Columns[0].I, int64(i))
		stream.Columns[1].T = append(stream.Columns[1].T, t0.Add(time.Duration(i)*1357*time.Microsecond))
		stream.Columns[2].F = append(stream.Columns[2].F, math.Float64frombits(r.Uint64()))
		stream.Columns[3].S = append(stream.Columns[3].S, "agent-"+strconv.Itoa(r.IntN(50)))
	}
	tables := append(sampleTables(), struct {
		name  string
		table *Table
	}{"random 20k", stream})
	for _, tt := range tables {
		base := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_"))
		err := WriteFileAtomic(base+".csv", func(w io.Writer) error { return WriteCSV(w, tt.table) })
		if err != nil {
			t.Fatal(err)
		}
		err = WriteFileAtomic(base+".parquet", func(w io.Writer) error {
			return WriteParquet(w, tt.table, RowGroupRows(1000))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkParquetStreamWriteRow(b *testing.B) {
	s, err := NewParquetStream(discard{}, []Column{
		{Name: "step", Type: Int64}, {Name: "time", Type: Time},
		{Name: "price", Type: Float64}, {Name: "agent", Type: String},
	})
	if err != nil {
		b.Fatal(err)
	}
	row := []Value{IntValue(1), TimeValue(time.Unix(0, 0)), FloatValue(1.5), StringValue("fund")}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.WriteRow(row...); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
}
