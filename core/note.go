package core

import "fmt"

// maxNoteArgs is the most operands a Note keeps.
const maxNoteArgs = 2

// Note is the text of an event's detail kept unformatted: a fmt format and
// its operands. Formatting with fmt at the moment of the event would
// allocate in the tick loop (fmt boxes every operand and builds a new
// string); a Note is only copied there, and its text is made when it is
// read (String, Event.Text), after the run. The text is exactly
// fmt.Sprintf(Format, operands...), so it does not matter when it is made.
type Note struct {
	Format string
	args   [maxNoteArgs]NoteArg
	n      uint8
}

// NoteArg is one operand of a Note: a string (StrArg) or a number (NumArg).
type NoteArg struct {
	s     string
	x     float64
	isStr bool
}

// StrArg returns a string operand of a Note.
func StrArg(s string) NoteArg { return NoteArg{s: s, isStr: true} }

// NumArg returns a number operand of a Note.
func NumArg(x float64) NoteArg { return NoteArg{x: x} }

// Notef returns the Note of format with the given operands, at most two.
// A Note without operands is its format, verbatim.
func Notef(format string, args ...NoteArg) Note {
	if len(args) > maxNoteArgs {
		panic(fmt.Sprintf("core.Notef(%q): %d operands, at most %d", format, len(args), maxNoteArgs))
	}
	n := Note{Format: format, n: uint8(len(args))}
	copy(n.args[:], args)
	return n
}

// String returns the Note's text: fmt.Sprintf(Format, operands...), or
// Format itself when the Note has no operands.
func (n Note) String() string {
	if n.n == 0 {
		return n.Format
	}
	var args [maxNoteArgs]any
	for i, a := range n.args[:n.n] {
		if a.isStr {
			args[i] = a.s
		} else {
			args[i] = a.x
		}
	}
	return fmt.Sprintf(n.Format, args[:n.n]...)
}
