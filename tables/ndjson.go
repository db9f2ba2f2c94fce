package tables

import "strings"

// loadNDJSON reads one JSON object per line; blank lines are skipped. The
// file is cut into chunks at newlines and the chunks are decoded in
// parallel, so no pass over the whole file happens before the workers
// start.
//
// A file that starts with '{' but whose first line is not a whole object
// may be one object printed over several lines; when the whole file is one
// valid value it is read as a table of one row.
func (ld *loader) loadNDJSON() (*Table, error) {
	p := ld.jsonPlan()
	d := ld.data
	if single, ok := ld.multiLineObject(); ok {
		return p.decode([]chunk{{text: d, off: ld.base, spans: []span{single}}})
	}
	var chunks []chunk
	size := chunkSize(len(d))
	for start := 0; start < len(d); {
		end := min(start+size, len(d))
		if nl := strings.IndexByte(d[end:], '\n'); nl >= 0 {
			end += nl + 1
		} else {
			end = len(d)
		}
		chunks = append(chunks, chunk{text: d[start:end], start: start, off: ld.base + int64(start)})
		start = end
	}
	return p.decode(chunks)
}

// multiLineObject reports whether the data is one JSON value spread over
// several lines.
func (ld *loader) multiLineObject() (span, bool) {
	d := ld.data
	start := skipSpace(d, 0)
	nl := strings.IndexByte(d[start:], '\n')
	if nl < 0 || skipSpace(d, start+nl) == len(d) {
		return span{}, false
	}
	if ok, _ := validJSON(d[start : start+nl]); ok {
		return span{}, false
	}
	if ok, _ := validJSON(d[start:]); !ok {
		return span{}, false
	}
	return span{start, len(d)}, true
}

// lineSpans returns the non-blank lines of data[start:end] and the number
// of newlines there. It does not count the lines first: that was a second
// pass over every byte of the input.
func lineSpans(data string, start, end int) ([]span, int) {
	d := data[:end]
	var spans []span
	newlines := 0
	for start < end {
		stop := end
		if nl := strings.IndexByte(d[start:], '\n'); nl >= 0 {
			stop = start + nl
			newlines++
		}
		if skipSpace(d[:stop], start) < stop {
			spans = append(spans, span{start, stop})
		}
		start = stop + 1
	}
	return spans, newlines
}
