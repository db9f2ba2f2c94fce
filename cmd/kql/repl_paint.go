package main

import (
	"fmt"

	"github.com/kql-offline/kql/functions"
)

// newlineGlyph stands for a line break inside a query recalled from the
// history, which the line editor shows on one line.
const newlineGlyph = '↵'

// painter decorates the line being edited without changing it: line
// breaks of a recalled or pasted multi-line query are shown as ↵, and when the
// cursor is at the end of the line inside a function call, the function's
// signature is shown dimmed after it.
type painter struct{ s *session }

// Paint returns what the terminal shows for line. The line editor places
// the cursor by counting runes back from the end of line, so anything
// added after it moves the cursor back over itself.
func (p *painter) Paint(line []rune, pos int) []rune {
	n := len(line)
	out := line
	for i, r := range line {
		// A final '\n' is the Enter that submits the line: leave it be.
		if r == '\n' && i < n-1 || r == pasteBreak {
			if &out[0] == &line[0] {
				out = append([]rune(nil), line...)
			}
			out[i] = newlineGlyph
		}
	}
	if hint := p.s.signatureHint(line, pos); hint != "" {
		if &out[0] == &line[0] {
			out = append([]rune(nil), line...)
		}
		out = append(out, []rune(hint)...)
	}
	return out
}

// signatureHint returns the dimmed signature to show after the line, with
// the escape that brings the cursor back, or "" when the cursor is not at
// the end of a one-line entry inside a known function's call, or the
// signature does not fit on the terminal line.
func (s *session) signatureHint(line []rune, pos int) string {
	if pos != len(line) || len(line) == 0 {
		return ""
	}
	for _, r := range line {
		if r == '\n' || r == pasteBreak {
			return ""
		}
	}
	width := s.width()
	if width <= 0 {
		return ""
	}
	text := string(line)
	toks, open := scanTokens(text)
	if open {
		return ""
	}
	name := openCall(toks)
	if name == "" {
		return ""
	}
	f, ok := functions.Lookup(name)
	if !ok {
		return ""
	}
	sig := "  " + f.Signature()
	used := textWidth(promptFirst) + textWidth(text)
	if used+textWidth(sig) >= width-1 {
		return ""
	}
	return fmt.Sprintf("\033[2m%s\033[0m\033[%dD", sig, textWidth(sig))
}
