package sweep

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/cascade-sim/cascade/agents"
	"github.com/cascade-sim/cascade/output"
)

// The journal of a sweep is the directory journal/ of its output: chunk
// files, each holding some completed runs (their rows, sorted by index)
// and the band sketch of those runs' series. A chunk is written to a
// temporary file, synced and renamed into place, so it is either complete
// or absent; its CRC guards against damage after the fact. --resume and
// merge read the journal back; runs.parquet and bands.parquet are built
// from it.
//
// Layout (little-endian):
//
//	"CSWJ" version:u16 fingerprint:[32] width:u32 rows:u32 bandsLen:u64 notesLen:u64
//	rows × (index:u64 seed:u64 values:width×f64)
//	bands:bandsLen bytes (Bands.MarshalBinary)
//	notes:notesLen bytes (the Notes of those runs, as JSON)
//	crc32(IEEE) of all the above:u32
//
// Version 1, which cascade wrote before it counted the notes on the runs'
// set-up, has no notesLen and no notes; it is read, its runs' notes
// counted as unrecorded.

const (
	journalDir   = "journal"
	compactName  = "all.bin" // the journal of a complete shard, in one chunk
	chunkMagic   = "CSWJ"
	chunkVersion = 2
	headerSize   = 4 + 2 + 32 + 4 + 4 + 8 + 8
	headerSizeV1 = headerSize - 8 // without notesLen
)

// row is one completed run: values holds the parameters, then the metrics.
type row struct {
	index  int
	seed   uint64
	values []float64
	// gists are the notes on the run's set-up (sim.Model.Gists), as the
	// run made them; a chunk records them counted over its runs, not by
	// row, so a row read back has none.
	gists []agents.Gist
}

// chunkName is the name of the k-th chunk.
func chunkName(k int) string { return fmt.Sprintf("chunk-%06d.bin", k) }

// writeChunk writes rows (sorted here), encoded bands and notes as chunk k
// of dir.
func writeChunk(dir string, k int, fingerprint string, width int, rows []row, bands, notes []byte) error {
	sort.Slice(rows, func(a, b int) bool { return rows[a].index < rows[b].index })
	return writeChunkFile(filepath.Join(dir, journalDir, chunkName(k)), fingerprint, width, len(rows), func(emit func(*row) error) error {
		for i := range rows {
			if err := emit(&rows[i]); err != nil {
				return err
			}
		}
		return nil
	}, bands, notes)
}

// writeChunkFile writes a chunk file of n rows, which rows hands to emit
// in increasing index order, encoded bands and notes.
func writeChunkFile(path, fingerprint string, width, n int, rows func(emit func(*row) error) error, bands, notes []byte) error {
	fp, err := hex.DecodeString(fingerprint)
	if err != nil || len(fp) != 32 {
		return fmt.Errorf("bad fingerprint %q", fingerprint)
	}
	return output.WriteFileAtomic(path, func(w io.Writer) error {
		crc := crc32.NewIEEE()
		mw := io.MultiWriter(w, crc)
		h := make([]byte, 0, headerSize)
		h = append(h, chunkMagic...)
		h = binary.LittleEndian.AppendUint16(h, chunkVersion)
		h = append(h, fp...)
		h = binary.LittleEndian.AppendUint32(h, uint32(width))
		h = binary.LittleEndian.AppendUint32(h, uint32(n))
		h = binary.LittleEndian.AppendUint64(h, uint64(len(bands)))
		h = binary.LittleEndian.AppendUint64(h, uint64(len(notes)))
		if _, err := mw.Write(h); err != nil {
			return err
		}
		buf := make([]byte, 0, 16+8*width)
		written := 0
		err := rows(func(r *row) error {
			if len(r.values) != width {
				return fmt.Errorf("run %d has %d values, want %d", r.index, len(r.values), width)
			}
			buf = binary.LittleEndian.AppendUint64(buf[:0], uint64(r.index))
			buf = binary.LittleEndian.AppendUint64(buf, r.seed)
			for _, v := range r.values {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
			}
			written++
			_, err := mw.Write(buf)
			return err
		})
		if err != nil {
			return err
		}
		if written != n {
			return fmt.Errorf("chunk of %d rows, %d written", n, written)
		}
		if _, err := mw.Write(bands); err != nil {
			return err
		}
		if _, err := mw.Write(notes); err != nil {
			return err
		}
		return binary.Write(w, binary.LittleEndian, crc.Sum32())
	})
}

// chunk is a verified chunk file.
type chunk struct {
	path     string
	rows     int
	width    int
	start    int64 // where the rows start (the header's size)
	bandsOff int64 // where the encoded bands start
	bandsLen int64
	notes    *Notes // of its runs
}

// chunkFiles lists the chunk files of a directory's journal, in order, and
// the number of the next chunk. A complete shard's journal is compacted
// into all.bin, which then stands for every chunk (chunks left over by an
// interrupted compaction are ignored). With clean, temporary files of
// interrupted writes and such leftovers are removed.
func chunkFiles(dir string, clean bool) ([]string, int, error) {
	jdir := filepath.Join(dir, journalDir)
	ents, err := os.ReadDir(jdir)
	if os.IsNotExist(err) {
		return nil, 1, nil
	}
	if err != nil {
		return nil, 0, err
	}
	var files, tmps []string
	compacted := false
	next := 1
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-") {
			tmps = append(tmps, filepath.Join(jdir, name))
			continue
		}
		if name == compactName {
			compacted = true
			continue
		}
		// chunkName pads to six digits and writes more from chunk 10⁶.
		num, ok := strings.CutPrefix(name, "chunk-")
		num, ok2 := strings.CutSuffix(num, ".bin")
		k, err := strconv.Atoi(num)
		if !ok || !ok2 || err != nil || name != chunkName(k) {
			continue
		}
		files = append(files, filepath.Join(jdir, name))
		next = max(next, k+1)
	}
	if compacted {
		tmps = append(tmps, files...)
		files = []string{filepath.Join(jdir, compactName)}
	}
	if clean {
		for _, f := range tmps {
			os.Remove(f)
		}
	}
	sort.Strings(files)
	return files, next, nil
}

// readChunk verifies a chunk file and calls each with the index of every
// run in it, in order; it returns the chunk and its encoded bands.
func readChunk(path, fingerprint string, width int, each func(index int) error) (chunk, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return chunk{}, nil, err
	}
	bad := func(why string) error {
		return fmt.Errorf("%s: damaged journal chunk (%s); delete it and run again with --resume to redo its runs", path, why)
	}
	if len(data) < headerSizeV1+4 || string(data[:4]) != chunkMagic {
		return chunk{}, nil, bad("not a chunk file")
	}
	body := data[:len(data)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return chunk{}, nil, bad("checksum mismatch")
	}
	v := binary.LittleEndian.Uint16(data[4:])
	if v != 1 && v != chunkVersion {
		return chunk{}, nil, fmt.Errorf("%s: journal chunk version %d, want 1 or %d (made by a later cascade?)", path, v, chunkVersion)
	}
	start, nn := int64(headerSizeV1), uint64(0)
	if v == chunkVersion {
		if len(data) < headerSize+4 {
			return chunk{}, nil, bad("wrong length")
		}
		start, nn = headerSize, binary.LittleEndian.Uint64(data[headerSizeV1:])
	}
	if fp := hex.EncodeToString(data[6:38]); fp != fingerprint {
		return chunk{}, nil, fmt.Errorf("%s belongs to another sweep (fingerprint %s, want %s)", path, fp[:12], fingerprint[:12])
	}
	c := chunk{path: path, start: start, width: int(binary.LittleEndian.Uint32(data[38:])), rows: int(binary.LittleEndian.Uint32(data[42:]))}
	nb := binary.LittleEndian.Uint64(data[46:])
	if c.width != width {
		return chunk{}, nil, bad(fmt.Sprintf("%d values per run, want %d", c.width, width))
	}
	rs := 16 + 8*c.width
	if uint64(len(body)) != uint64(start)+uint64(c.rows)*uint64(rs)+nb+nn {
		return chunk{}, nil, bad("wrong length")
	}
	c.bandsOff, c.bandsLen = start+int64(c.rows*rs), int64(nb)
	c.notes = &Notes{Unrecorded: c.rows}
	if v == chunkVersion {
		n, err := decodeNotes(body[c.bandsOff+c.bandsLen:])
		if err != nil {
			return chunk{}, nil, bad("notes: " + err.Error())
		}
		c.notes = n
	}
	prev := -1
	for k := 0; k < c.rows; k++ {
		i := int(binary.LittleEndian.Uint64(data[start+int64(k*rs):]))
		if i <= prev {
			return chunk{}, nil, bad("runs out of order")
		}
		prev = i
		if err := each(i); err != nil {
			return chunk{}, nil, err
		}
	}
	return c, body[c.bandsOff : c.bandsOff+c.bandsLen], nil
}

// rowReader streams the rows of a verified chunk.
type rowReader struct {
	f   *os.File
	r   *bufio.Reader
	c   chunk
	k   int // rows read
	buf []byte
	cur row // the current row (valid after next returns true)
}

func openRows(c chunk, bufSize int) (*rowReader, error) {
	f, err := os.Open(c.path)
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(c.start, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &rowReader{f: f, r: bufio.NewReaderSize(f, bufSize), c: c, buf: make([]byte, 16+8*c.width),
		cur: row{values: make([]float64, c.width)}}, nil
}

// next reads the next row into cur; it returns false at the end.
func (rr *rowReader) next() (bool, error) {
	if rr.k == rr.c.rows {
		return false, nil
	}
	if _, err := io.ReadFull(rr.r, rr.buf); err != nil {
		return false, fmt.Errorf("%s: %w", rr.c.path, err)
	}
	rr.k++
	rr.cur.index = int(binary.LittleEndian.Uint64(rr.buf))
	rr.cur.seed = binary.LittleEndian.Uint64(rr.buf[8:])
	for j := range rr.cur.values {
		rr.cur.values[j] = math.Float64frombits(binary.LittleEndian.Uint64(rr.buf[16+8*j:]))
	}
	return true, nil
}

func (rr *rowReader) close() { rr.f.Close() }
