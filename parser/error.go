package parser

import (
	"fmt"
	"strings"
)

// Phase says which stage of kql found a problem. It is shared by every
// package so that one error type can carry syntax, binding and run-time
// problems to the command that prints them.
type Phase uint8

// The phases, in the order a query meets them.
const (
	PhaseSyntax      Phase = iota // the text is not KQL
	PhaseName                     // an unknown table, column, function or variable
	PhaseType                     // wrong argument count or type
	PhaseUnsupported              // valid KQL that kql cannot run yet
	PhaseRuntime                  // a failure while running
	PhaseData                     // a problem in a table file
	PhaseInternal                 // a bug in kql
)

var phaseNames = [...]string{"syntax", "name", "type", "unsupported", "runtime", "data", "internal"}

// String returns the phase's short name, as kql check's "kind" prints it.
func (p Phase) String() string {
	if int(p) < len(phaseNames) {
		return phaseNames[p]
	}
	return "error"
}

// Error is a problem at a place in the query text.
type Error struct {
	Phase Phase
	Span  Span
	Msg   string
}

// Error returns the message with its byte offset; the command line prints
// file:line:col and the source line instead (see Position).
func (e *Error) Error() string {
	return fmt.Sprintf("%d: %s", e.Span.Start, e.Msg)
}

// Errorf returns an *Error of the phase at the span.
func Errorf(phase Phase, span Span, format string, args ...any) *Error {
	return &Error{Phase: phase, Span: span, Msg: fmt.Sprintf(format, args...)}
}

// ErrorList is several errors found in one pass, in source order.
type ErrorList []*Error

// Error joins the messages.
func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Position converts a byte offset in src to a 1-based line and a 1-based
// column counted in characters (runes), as editors and the caret count them.
func Position(src string, offset int) (line, col int) {
	if offset > len(src) {
		offset = len(src)
	}
	line = 1 + strings.Count(src[:offset], "\n")
	start := strings.LastIndexByte(src[:offset], '\n') + 1
	col = 1 + len([]rune(src[start:offset]))
	return line, col
}
