package main

import (
	"io"
	"strings"
)

// KQL is written with a '|' at the start of each line, and a query copied
// from a rule or a notebook comes in that form. Typed into the REPL line by
// line, its first line would run on its own. So the REPL asks the terminal
// for bracketed paste: the terminal then sends a paste between
// pasteStart and pasteEnd, and pasteReader turns the line breaks inside it
// into pasteBreak runes, which the line editor keeps as text (shown as ↵,
// as the line breaks of a recalled entry are) and the session turns into
// line breaks when the user presses Enter: the pasted query runs as one.
// (They cannot become line breaks in the editor's buffer at once: there a
// line break at the end of the line is the Enter that submits it.)

const (
	bracketedPasteOn  = "\033[?2004h"
	bracketedPasteOff = "\033[?2004l"
	pasteStart        = "\033[200~"
	pasteEnd          = "\033[201~"
	// pasteBreak stands for a line break inside a paste, in the private
	// use area so that no typed text holds it.
	pasteBreak = '\uE000'
)

// pasteReader passes the terminal's input through, dropping the paste
// brackets and rewriting what a paste holds: a line break (\r, \n or \r\n)
// becomes pasteBreak, a tab a space (a tab would ask for completion), and
// line breaks at the end of the paste are dropped, so that the user sees the
// query and runs it with Enter.
type pasteReader struct {
	r       io.Reader
	in      []byte // read from r, not yet looked at
	out     []byte // ready for Read
	pasting bool
	breaks  int  // line breaks seen in the paste and not written yet
	lastCR  bool // the previous byte of the paste was \r
	err     error
}

func newPasteReader(r io.Reader) *pasteReader { return &pasteReader{r: r} }

func (p *pasteReader) Read(b []byte) (int, error) {
	for len(p.out) == 0 {
		if p.err != nil {
			if len(p.in) > 0 { // a lone ESC or a cut-off bracket: pass it on
				p.out, p.in = p.in, nil
				break
			}
			return 0, p.err
		}
		buf := make([]byte, 4096)
		n, err := p.r.Read(buf)
		p.in = append(p.in, buf[:n]...)
		p.err = err
		p.scan()
	}
	n := copy(b, p.out)
	p.out = p.out[n:]
	return n, nil
}

// scan moves what it can from in to out. A prefix of a bracket at the end
// of in stays there until more input decides it.
func (p *pasteReader) scan() {
	for len(p.in) > 0 {
		if p.in[0] == '\033' {
			switch rest := string(p.in); {
			case strings.HasPrefix(rest, pasteStart):
				p.in = p.in[len(pasteStart):]
				p.pasting, p.breaks, p.lastCR = true, 0, false
				continue
			case strings.HasPrefix(rest, pasteEnd):
				p.in = p.in[len(pasteEnd):]
				p.pasting, p.breaks = false, 0 // trailing line breaks are dropped
				continue
			case p.err == nil && (strings.HasPrefix(pasteStart, rest) || strings.HasPrefix(pasteEnd, rest)):
				return // wait for the rest of the bracket
			}
		}
		c := p.in[0]
		p.in = p.in[1:]
		if !p.pasting {
			p.out = append(p.out, c)
			continue
		}
		switch {
		case c == '\n' && p.lastCR:
			p.lastCR = false // the \n of \r\n
		case c == '\r' || c == '\n':
			p.breaks++
			p.lastCR = c == '\r'
		default:
			p.lastCR = false
			for ; p.breaks > 0; p.breaks-- {
				p.out = append(p.out, string(pasteBreak)...)
			}
			if c == '\t' {
				c = ' '
			}
			p.out = append(p.out, c)
		}
	}
}

// pastedText turns the pasteBreak runes of an entry into line breaks.
func pastedText(line string) string {
	return strings.ReplaceAll(line, string(pasteBreak), "\n")
}
