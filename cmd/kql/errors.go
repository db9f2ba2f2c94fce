package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// excerptWidth is the most cells of a source line an error excerpt shows
// when stderr is not a terminal; longer lines are windowed around the caret.
const excerptWidth = 100

// printError reports one failure on stderr. Errors with a place in a query
// (src is non-nil) are printed as FILE:LINE:COL: message followed by the
// source line and a caret under the span; data errors as they are; anything
// else as "kql: message".
func (a *app) printError(src *querySource, err error) {
	var (
		perr  *parser.Error
		plist parser.ErrorList
		data  *tables.DataError
		ierr  *internalError
		eierr *engine.InternalError
	)
	switch {
	case src != nil && errors.As(err, &eierr):
		a.printDiagnostic(src, eierr.Err, "; run with --debug for the stack")
		if a.debug {
			a.stderr.Write(eierr.Stack)
		}
	case src != nil && errors.As(err, &plist) && len(plist) > 0:
		// A second error at the same place is a consequence of the first
		// (an unknown name, then the constant it was meant to be): one
		// caret there says all.
		at := map[int]bool{}
		for _, e := range plist {
			if at[e.Span.Start] {
				continue
			}
			at[e.Span.Start] = true
			a.printDiagnostic(src, e, "")
		}
	case src != nil && errors.As(err, &perr):
		a.printDiagnostic(src, perr, "")
	case errors.As(err, &data):
		fmt.Fprintln(a.stderr, data.Error())
	case errors.As(err, &ierr):
		a.printInternal(ierr.value, ierr.stack)
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(a.stderr, "kql: interrupted")
	default:
		fmt.Fprintf(a.stderr, "kql: %v\n", err)
	}
}

// printDiagnostic prints one error at its place in the file. An internal
// error asks to be reported; stackHint says how to see its stack, when it
// has one.
func (a *app) printDiagnostic(src *querySource, e *parser.Error, stackHint string) {
	start := src.fileOffset(e.Span.Start)
	end := start
	if e.Span.End > e.Span.Start {
		end = src.fileOffset(e.Span.End-1) + 1
	}
	line, col := parser.Position(src.file, start)
	msg := e.Msg
	if e.Phase == parser.PhaseInternal {
		msg += " (please report this" + stackHint + ")"
	}
	fmt.Fprintf(a.stderr, "%s:%d:%d: %s\n", src.name, line, col, msg)
	width := excerptWidth
	if tw := a.termWidth(); tw > 0 {
		width = tw
	}
	writeExcerpt(a.stderr, src.file, start, end, line, width)
}

// writeExcerpt prints the line holding byte offset start with a line-number
// gutter, and a caret line under [start, end) (clipped to that line; one
// caret for an empty span), after the FILE:LINE:COL line printDiagnostic
// writes:
//
//	query.kql:2:9: unknown column 'Stat'
//	   2 | | where Stat == "WA"
//	     |         ^^^^
//
// Tabs are shown as four spaces and wide characters as two cells, and the
// caret moves with them. A line wider than width is shown as a window
// around the caret, with '…' where it was cut.
func writeExcerpt(w io.Writer, file string, start, end, line, width int) {
	lineStart := strings.LastIndexByte(file[:start], '\n') + 1
	lineEnd := len(file)
	if nl := strings.IndexByte(file[start:], '\n'); nl >= 0 {
		lineEnd = start + nl
	}
	text := strings.TrimSuffix(file[lineStart:lineEnd], "\r")
	end = min(max(end, start), lineStart+len(text))

	cells := displayCells(text)
	from := cellIndex(text, start-lineStart)
	to := max(cellIndex(text, end-lineStart), from+1)

	num := fmt.Sprint(line)
	gutter := max(4, len(num))
	room := max(width-gutter-3, 20)
	shown, caretFrom, caretTo := window(cells, from, to, room)
	fmt.Fprintf(w, "%*s | %s\n", gutter, num, strings.TrimRight(shown, " "))
	fmt.Fprintf(w, "%*s | %s%s\n", gutter, "",
		strings.Repeat(" ", caretFrom), strings.Repeat("^", caretTo-caretFrom))
}

// displayCells splits a line into what each terminal cell shows: a tab is
// four one-space cells, a wide rune is its text plus an empty second cell,
// and a zero-width rune joins the cell before it.
func displayCells(text string) []string {
	var cells []string
	for _, r := range text {
		switch w := runeWidth(r); {
		case r == '\t':
			cells = append(cells, " ", " ", " ", " ")
		case w == 0 && len(cells) > 0:
			cells[len(cells)-1] += string(r)
		case w == 2:
			cells = append(cells, string(r), "")
		default:
			cells = append(cells, string(r))
		}
	}
	return cells
}

// cellIndex converts a byte offset in text to the index of the first cell
// at or after it.
func cellIndex(text string, off int) int {
	n := 0
	for i, r := range text {
		if i >= off {
			break
		}
		switch w := runeWidth(r); {
		case r == '\t':
			n += 4
		default:
			n += w
		}
	}
	return n
}

// window returns at most room cells of the line, containing the caret's
// start and as much of the caret as fits, with the caret's position in the
// returned text. Cut ends are marked '…' (one cell each). A third of the
// window is kept before the caret for context.
func window(cells []string, from, to, room int) (string, int, int) {
	n := len(cells)
	if max(n, to) <= room {
		return strings.Join(cells, ""), from, to
	}
	first := 0
	if to > room-1 {
		first = max(min(from-room/3, n-(room-1)), 1)
	}
	// A wide rune's second cell is "": never cut a rune in two.
	for first > 0 && first < n && cells[first] == "" {
		first--
	}
	lead := 0
	if first > 0 {
		lead = 1
	}
	last := min(n, first+room-lead)
	if last < n {
		last-- // room for the closing '…'
		if cells[last] == "" {
			last--
		}
	}

	var b strings.Builder
	if first > 0 {
		b.WriteString("…")
	}
	b.WriteString(strings.Join(cells[first:last], ""))
	if last < n {
		b.WriteString("…")
	}
	to = min(to, max(last, from+1))
	return b.String(), from - first + lead, to - first + lead
}
