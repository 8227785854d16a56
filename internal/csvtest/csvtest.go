// Package csvtest reads CSV files for tests: Read returns a whole file's
// rows, failing the test on any error.
package csvtest

import (
	"encoding/csv"
	"os"
	"testing"
)

// Read reads every row of the CSV file at path, header included.
func Read(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
