package main

import (
	"bytes"
	"io"
)

// lineFitter writes text to a terminal with each line cut to the
// terminal's width, so that a report of long rows (kql diff, kql test)
// stays one screen line per line rather than wrapping into a wall. It
// holds back a line until its end arrives; Close writes what is left.
type lineFitter struct {
	w     io.Writer
	width int
	part  []byte // the start of a line whose end has not come yet
	cut   bool   // some line was cut
}

func newLineFitter(w io.Writer, width int) *lineFitter {
	return &lineFitter{w: w, width: width}
}

func (f *lineFitter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			f.part = append(f.part, p...)
			break
		}
		f.part = append(f.part, p[:i]...)
		if err := f.flushLine(true); err != nil {
			return 0, err
		}
		p = p[i+1:]
	}
	return n, nil
}

func (f *lineFitter) flushLine(newline bool) error {
	line := string(f.part)
	f.part = f.part[:0]
	if fitted := truncate(line, f.width); fitted != line {
		f.cut = true
		line = fitted
	}
	if newline {
		line += "\n"
	}
	_, err := io.WriteString(f.w, line)
	return err
}

// Close writes the last line when it has no line break.
func (f *lineFitter) Close() error {
	if len(f.part) == 0 {
		return nil
	}
	return f.flushLine(false)
}
