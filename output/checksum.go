package output

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Checksums returns the SHA-256 (hex) of each of files, paths relative to
// dir with slashes, as a manifest records them under "sha256". A
// directory's entry (ending in "/", as a sweep's journal/) and
// manifest.json itself, which holds the sums, are left out.
func Checksums(dir string, files []string) (map[string]string, error) {
	sums := make(map[string]string, len(files))
	for _, f := range files {
		if strings.HasSuffix(f, "/") || f == "manifest.json" {
			continue
		}
		if !filepath.IsLocal(filepath.FromSlash(f)) {
			return nil, fmt.Errorf("output: %q is not a file inside %s", f, dir)
		}
		s, err := fileSum(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			return nil, fmt.Errorf("output: %w", err)
		}
		sums[f] = s
	}
	return sums, nil
}

// FileSums returns the SHA-256 of each of files, as Checksums takes them
// (a directory's entry and manifest.json left out), that is there now, and
// the names of those that are not: for a manifest that recorded no sums
// (written before they were), the files' bytes hashed as they are.
func FileSums(dir string, files []string) (sums map[string]string, missing []string, err error) {
	sums = make(map[string]string, len(files))
	for _, f := range files {
		if strings.HasSuffix(f, "/") || f == "manifest.json" {
			continue
		}
		if !filepath.IsLocal(filepath.FromSlash(f)) {
			return nil, nil, fmt.Errorf("output: the manifest lists %q, which is not a file inside %s", f, dir)
		}
		s, err := fileSum(filepath.Join(dir, filepath.FromSlash(f)))
		switch {
		case err == nil:
			sums[f] = s
		case errors.Is(err, os.ErrNotExist):
			missing = append(missing, f)
		default:
			return nil, nil, fmt.Errorf("output: %w", err)
		}
	}
	return sums, missing, nil
}

func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// FileCheck is the outcome for one file a manifest lists with its sum.
type FileCheck struct {
	File string // relative to the directory, with slashes
	Want string // the recorded SHA-256
	Got  string // the file's SHA-256 now; "" when it is missing
}

// OK reports whether the file is there with the recorded content.
func (c FileCheck) OK() bool { return c.Got == c.Want }

// CheckFiles compares the files of dir with the sums a manifest recorded,
// in the order of the files' names. A file that is not there has Got "".
func CheckFiles(dir string, sums map[string]string) ([]FileCheck, error) {
	out := make([]FileCheck, 0, len(sums))
	for _, f := range slices.Sorted(maps.Keys(sums)) {
		if !filepath.IsLocal(filepath.FromSlash(f)) {
			return nil, fmt.Errorf("output: the manifest lists %q, which is not a file inside %s", f, dir)
		}
		c := FileCheck{File: f, Want: sums[f]}
		got, err := fileSum(filepath.Join(dir, filepath.FromSlash(f)))
		switch {
		case err == nil:
			c.Got = got
		case !errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("output: %w", err)
		}
		out = append(out, c)
	}
	return out, nil
}

// FirstDifference returns the first line and column (bytes, counted from
// 1) at which two text files differ and the two lines there, each cut to
// a window of at most width bytes around the column ("…" where cut); a
// file that ends first gives "(end of file)". It returns line 0 when
// their lines are the same (they may still differ in a final newline).
func FirstDifference(a, b string, width int) (line, col int, la, lb string, err error) {
	fa, err := os.Open(a)
	if err != nil {
		return 0, 0, "", "", err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return 0, 0, "", "", err
	}
	defer fb.Close()
	sa, sb := bufio.NewScanner(fa), bufio.NewScanner(fb)
	sa.Buffer(nil, 64<<20)
	sb.Buffer(nil, 64<<20)
	// The window starts a third of its width before the column.
	cut := func(s []byte, at int) string {
		lo := max(0, min(at-width/3, len(s)-width))
		hi := min(len(s), lo+width)
		out := string(s[lo:hi])
		if lo > 0 {
			out = "…" + out
		}
		if hi < len(s) {
			out += "…"
		}
		return out
	}
	for n := 1; ; n++ {
		oka, okb := sa.Scan(), sb.Scan()
		if !oka || !okb {
			if err := errors.Join(sa.Err(), sb.Err()); err != nil {
				return 0, 0, "", "", err
			}
			switch {
			case oka:
				return n, 1, cut(sa.Bytes(), 0), "(end of file)", nil
			case okb:
				return n, 1, "(end of file)", cut(sb.Bytes(), 0), nil
			}
			return 0, 0, "", "", nil
		}
		x, y := sa.Bytes(), sb.Bytes()
		if !bytes.Equal(x, y) {
			at := 0
			for at < len(x) && at < len(y) && x[at] == y[at] {
				at++
			}
			return n, at + 1, cut(x, at), cut(y, at), nil
		}
	}
}
