package tables

import (
	"bufio"
	"bytes"
	"io"

	"github.com/tidwall/gjson"
)

// badLineFilter passes NDJSON through line by line and drops the lines
// that are not one JSON object, reporting each to skip. A dropped line
// becomes an empty line, which the loader ignores, so the line numbers of
// later errors stay right.
//
// It decides from the first non-blank line whether the input is NDJSON at
// all: a JSON array or a pretty-printed document has no complete object on
// its first line, and then everything passes unchanged, so the loader
// reports its usual error. Rejected: skipping inside the block decoder,
// which would put a per-row branch on the hot path for a rescue option.
type badLineFilter struct {
	in      *bufio.Reader
	skip    func(line int, msg string)
	line    int
	decided bool
	active  bool
	out     []byte
	err     error
}

func newBadLineFilter(r io.Reader, skip func(line int, msg string)) *badLineFilter {
	return &badLineFilter{in: bufio.NewReaderSize(r, 1<<20), skip: skip}
}

func (f *badLineFilter) Read(p []byte) (int, error) {
	for len(f.out) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		f.fill()
	}
	n := copy(p, f.out)
	f.out = f.out[n:]
	return n, nil
}

// fill reads one line into out, or an empty line in its place.
func (f *badLineFilter) fill() {
	raw, err := f.in.ReadBytes('\n')
	if err != nil {
		f.err = err
	}
	if len(raw) == 0 {
		return
	}
	f.line++
	text := bytes.TrimSpace(raw)
	if f.line == 1 {
		text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	}
	if len(text) == 0 {
		f.out = raw
		return
	}
	ok := text[0] == '{' && gjson.ValidBytes(text)
	if !f.decided {
		f.decided, f.active = true, ok
	}
	if ok || !f.active {
		f.out = raw
		return
	}
	f.skip(f.line, "not a JSON object")
	f.out = []byte("\n")
}
