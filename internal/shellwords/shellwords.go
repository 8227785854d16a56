// Package shellwords splits a command line into the words a POSIX shell
// makes of what output.ShellQuote writes, for tests that run a printed
// command again: bare words, backslash escapes outside quotes, and
// single-quoted words (a quote inside one is written as four characters:
// the quote that closes the word, a backslash-escaped quote, and the quote
// that reopens it).
package shellwords

import (
	"fmt"
	"strings"
)

// Split returns the words of cmd, or an error for an unbalanced quote.
func Split(cmd string) ([]string, error) {
	var words []string
	var w strings.Builder
	in, started := false, false
	for i := 0; i < len(cmd); i++ {
		switch ch := cmd[i]; {
		case ch == '\'':
			in, started = !in, true
		case ch == '\\' && !in && i+1 < len(cmd):
			i++
			w.WriteByte(cmd[i])
		case ch == ' ' && !in:
			if started {
				words = append(words, w.String())
				w.Reset()
				started = false
			}
		default:
			w.WriteByte(ch)
			started = true
		}
	}
	if in {
		return nil, fmt.Errorf("unbalanced quote in %s", cmd)
	}
	if started {
		words = append(words, w.String())
	}
	return words, nil
}
