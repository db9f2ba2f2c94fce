package tables

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// How JSON rows are decoded
//
// The input is one string (the whole file). Rows are spans of it, decoded in
// parallel chunks: each worker walks its rows once with the validating
// scanner of scan.go and fills a fragment, one column per key it meets. A column whose type the
// schema declares is converted at once, where the value's position is still
// known for an error; any other column keeps each value's kind and text
// (unescaped strings are slices of the input), so that its type can be
// inferred over all rows. After all workers finish, the fragments are merged
// in order: the column set is the union in order of first appearance, the
// inferred types are decided, each fragment converts its cells to typed
// columns (again in parallel) and the pieces are concatenated.
//
// Rejected: decoding into map[string]any (an allocation per row and per
// value) and encoding/json (several times slower and copies every string).

// span is one row's text, data[start:end].
type span struct{ start, end int }

// chunk is one worker's share of the rows: text, with either explicit
// spans of it (JSON array elements) or nil spans meaning its lines
// (NDJSON). start is where text begins in the loader's data (0 for a
// streamed block), off where it begins in the file, for lazy references.
type chunk struct {
	text  string
	start int
	off   int64
	spans []span
}

// jsonPlan is the read-only configuration all workers share.
type jsonPlan struct {
	*loader
	declared map[string]Type // schema types by column name
	pre      []Field         // columns every fragment starts with; Unknown = infer
	project  map[string]bool // nil: decode every key
}

func (ld *loader) jsonPlan() *jsonPlan {
	p := &jsonPlan{loader: ld, declared: ld.opts.declaredTypes()}
	if ld.opts.Columns == nil {
		p.pre = ld.opts.Schema
		return p
	}
	p.project = map[string]bool{}
	for _, name := range ld.opts.Columns {
		if !p.project[name] {
			p.project[name] = true
			p.pre = append(p.pre, Field{Name: name, Type: p.declared[name]})
		}
	}
	return p
}

// decode runs the workers over the chunks of the loader's data and
// assembles the table.
func (p *jsonPlan) decode(chunks []chunk) (*Table, error) {
	frags := make([]*fragment, len(chunks))
	var fail firstError
	parallel(len(chunks), func(i int) {
		if fail.before(i) {
			return
		}
		f := p.newFragment()
		if err := f.decodeChunk(chunks[i]); err != nil {
			fail.set(i, err)
			return
		}
		p.progress(len(chunks[i].text), f.rows)
		frags[i] = f
	})
	if fail.err != nil {
		if de, ok := fail.err.(*DataError); ok && de.Line > 0 {
			de.Line += strings.Count(p.data[:chunks[fail.idx].start], "\n")
		}
		return nil, fail.err
	}
	return p.assemble(frags), nil
}

// firstError keeps the error of the earliest failing chunk, so the error
// reported is the first one in the file whatever order workers finish in.
type firstError struct {
	mu  sync.Mutex
	idx int
	err error
}

func (e *firstError) set(i int, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil || i < e.idx {
		e.idx, e.err = i, err
	}
}

// before reports whether a chunk before i has failed already, in which case
// chunk i need not be decoded.
func (e *firstError) before(i int) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err != nil && e.idx < i
}

// parallel calls fn(0..n-1) on GOMAXPROCS goroutines.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// chunkSize picks how many bytes one work item covers: a few items per
// worker so that uneven rows still balance, but not so small that per-chunk
// costs show.
func chunkSize(total int) int {
	size := total / (runtime.GOMAXPROCS(0) * 4)
	return min(max(size, minChunk), 64<<20)
}

// minChunk is the smallest chunk in bytes; tests lower it to exercise the
// merging of many fragments on small inputs.
var minChunk = 1 << 20

// fragment is the columns one worker decoded from one chunk. The chunk's
// text is a buffer that is reused or dropped afterwards, so every string a
// column keeps is copied out of it (see own).
type fragment struct {
	p     *jsonPlan
	cols  []*fragCol
	index map[string]int // key -> column, -1 for a key not decoded
	rows  int
	lines int // newlines in an NDJSON chunk
	// expect is the number of rows of the chunk being decoded, so that a
	// column first met in its middle gets room for the rest at once.
	expect int
	next   int // the column the next key probably names
	fill   int // columns filled by the current row
	err    error
	stack  []byte // scratch for scanValue
	text   string // the chunk being decoded
	off    int64  // file offset of text[0]
	arena  []byte // memory for short strings copied out of text
}

func (p *jsonPlan) newFragment() *fragment {
	f := &fragment{p: p, index: map[string]int{}}
	for _, fd := range p.pre {
		f.addColumn(fd.Name, fd.Type)
	}
	return f
}

func (f *fragment) addColumn(name string, t Type) int {
	name = strings.Clone(name)
	c := &fragCol{name: name}
	if t != Unknown {
		c.col = NewColumn(t, max(f.expect, f.rows))
		for i := 0; i < f.rows; i++ {
			c.col.pushNull()
		}
	} else {
		c.cells.grow(max(f.expect, f.rows))
		c.cells.nulls(f.rows)
	}
	f.index[name] = len(f.cols)
	f.cols = append(f.cols, c)
	return len(f.cols) - 1
}

// decodeChunk decodes every row of c.
func (f *fragment) decodeChunk(c chunk) error {
	f.text, f.off = c.text, c.off
	defer func() { f.text = "" }()
	spans := c.spans
	if spans == nil {
		spans, f.lines = lineSpans(c.text, 0, len(c.text))
	}
	f.expect = f.rows + len(spans)
	for _, c := range f.cols {
		c.grow(len(spans))
	}
	for _, sp := range spans {
		if err := f.row(sp); err != nil {
			return err
		}
	}
	return nil
}

// row decodes one object, validating it on the way: a truncated or
// otherwise malformed row is an error, never a shorter row.
func (f *fragment) row(sp span) error {
	raw := f.text[sp.start:sp.end]
	i := skipSpace(raw, 0)
	if i == len(raw) {
		return f.errAt(sp.start, "expected a JSON object")
	}
	if raw[i] != '{' {
		if _, _, _, ok := scanValue(raw, i, &f.stack); !ok {
			return f.syntaxError(raw, sp.start)
		}
		return f.errAt(sp.start+i, "expected a JSON object, found %s", preview(raw[i:]))
	}
	f.fill = 0
	end, ok := f.members(raw, i+1, sp.start)
	if f.err != nil {
		return f.err
	}
	if !ok || skipSpace(raw, end) < len(raw) {
		return f.syntaxError(raw, sp.start)
	}
	f.rows++
	if f.fill < len(f.cols) {
		for _, c := range f.cols {
			if c.len() < f.rows {
				c.appendNull()
			}
		}
	}
	return nil
}

// members walks the members of the object whose body starts at raw[i] and
// returns the index after its closing brace. The key is looked up before
// its value is read, so that the value of a skipped key is only validated,
// and a kept string is validated and unescaped in one pass.
func (f *fragment) members(raw string, i, base int) (int, bool) {
	i = skipSpace(raw, i)
	if i < len(raw) && raw[i] == '}' {
		return i + 1, true
	}
	for {
		if i >= len(raw) || raw[i] != '"' {
			return i, false
		}
		kend, kesc, ok := scanString(raw, i+1)
		if !ok {
			return kend, false
		}
		key := stringText(raw[i:kend], kesc)
		i = skipSpace(raw, kend)
		if i >= len(raw) || raw[i] != ':' {
			return i, false
		}
		i = skipSpace(raw, i+1)
		end, ok := f.value(f.column(key), raw, i, base)
		if !ok {
			return end, false
		}
		i = skipSpace(raw, end)
		switch {
		case i >= len(raw):
			return i, false
		case raw[i] == ',':
			i = skipSpace(raw, i+1)
		case raw[i] == '}':
			return i + 1, true
		default:
			return i, false
		}
	}
}

// value reads the value at raw[i] into column idx (-1: skip it) of the
// current row. False means malformed JSON, or a value that does not fit
// its column's declared type (then f.err says why).
func (f *fragment) value(idx int, raw string, i, base int) (int, bool) {
	var c *fragCol
	if idx >= 0 && f.cols[idx].len() == f.rows {
		c = f.cols[idx] // else a repeated key: the first one wins
	}
	if c == nil {
		end, _, _, ok := scanValue(raw, i, &f.stack)
		return end, ok
	}
	end, kind, esc, ok := scanValue(raw, i, &f.stack)
	if !ok {
		return end, false
	}
	f.fill++
	v := raw[i:end]
	if f.lazy(c, kind, v) {
		return end, true
	}
	var text string
	if kind == kStr {
		text = stringText(v, esc)
	}
	if c.col == nil {
		if kind == kStr {
			text = f.own(text)
		} else {
			v = f.own(v)
		}
		c.cells.add(kind, v, text)
		return end, true
	}
	if !appendJSONValue(c.col, kind, v, text) {
		f.err = f.errAt(base+i, "column '%s': cannot read %s as %s", c.name, preview(v), c.col.Type())
		return end, false
	}
	if storage(c.col.typ) == storeStrs && c.col.n > 0 {
		last := &c.col.strs[c.col.n-1]
		*last = f.own(*last)
	}
	return end, true
}

// lazy leaves a large string or JSON value of a string or dynamic column in
// the file (see lazy.go), and reports whether it did.
func (f *fragment) lazy(c *fragCol, kind uint8, raw string) bool {
	if f.p.src == nil || len(raw) < lazyMin || len(raw) > maxLazyLen || (kind != kStr && kind != kJSON) {
		return false
	}
	off := f.off + int64(uintptr(unsafe.Pointer(unsafe.StringData(raw)))-uintptr(unsafe.Pointer(unsafe.StringData(f.text))))
	ref := makeRef(off, len(raw))
	if c.col == nil {
		c.cells.addLazy(kind, raw, ref)
		return true
	}
	switch c.col.typ {
	case String:
		c.col.pushLazy(f.p.src, convString, ref)
	case Dynamic:
		if kind == kStr && blankish(raw[1:len(raw)-1]) {
			return false
		}
		c.col.pushLazy(f.p.src, convDynamic, ref)
	default:
		return false
	}
	return true
}

// own returns s, copied when it lies in the chunk's text: short strings
// into the fragment's arena, long ones on their own, so that no column
// keeps a chunk buffer alive.
func (f *fragment) own(s string) string {
	if s == "" {
		return ""
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	lo := uintptr(unsafe.Pointer(unsafe.StringData(f.text)))
	if p < lo || p >= lo+uintptr(len(f.text)) {
		return s
	}
	if len(s) > arenaBlock/8 {
		return strings.Clone(s)
	}
	if cap(f.arena)-len(f.arena) < len(s) {
		f.arena = make([]byte, 0, arenaBlock)
	}
	start := len(f.arena)
	f.arena = append(f.arena, s...)
	return unsafe.String(&f.arena[start], len(s))
}

// arenaBlock is the size of the blocks short strings are copied into.
const arenaBlock = 32 << 10

// errAt returns a DataError at offset off of the chunk's text; decode adds
// the lines before the chunk.
func (f *fragment) errAt(off int, format string, args ...any) *DataError {
	line, col := lineCol(f.text, off)
	return &DataError{Path: f.p.path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// column returns the column index of key, adding a column for a key not
// seen before. Rows usually list their keys in the same order, so the
// column after the previous key is tried before the map.
func (f *fragment) column(key string) int {
	if n := f.next; n < len(f.cols) && f.cols[n].name == key {
		f.next = n + 1
		return n
	}
	idx, ok := f.index[key]
	if !ok {
		idx = -1
		if f.p.project == nil {
			idx = f.addColumn(key, f.p.declared[key])
		} else {
			f.index[key] = -1
		}
	}
	if idx >= 0 {
		f.next = idx + 1
	}
	return idx
}

// fragCol is one column of a fragment: a typed column when the schema
// declares its type, cells awaiting inference otherwise.
type fragCol struct {
	name  string
	col   *Column
	cells cells
}

func (c *fragCol) len() int {
	if c.col != nil {
		return c.col.Len()
	}
	return len(c.cells.kinds)
}

func (c *fragCol) appendNull() {
	if c.col != nil {
		c.col.pushNull()
		return
	}
	c.cells.nulls(1)
}

func (c *fragCol) grow(n int) {
	if c.col != nil {
		c.col.grow(n)
		return
	}
	c.cells.grow(n)
}

// syntaxError locates and describes the first syntax error of a row the
// scanner rejected, with encoding/json's wording; this runs only on the
// error path.
func (f *fragment) syntaxError(raw string, base int) error {
	raw = strings.TrimRight(raw, " \t\r\n")
	if skipSpace(raw, 0) == len(raw) {
		return f.errAt(base, "unexpected end of JSON input")
	}
	var m json.RawMessage
	err := json.Unmarshal([]byte(raw), &m)
	se, ok := err.(*json.SyntaxError)
	if !ok {
		return f.errAt(base, "invalid JSON")
	}
	off := int(se.Offset) - 1
	if strings.HasPrefix(se.Error(), "unexpected end") {
		off = len(raw)
	}
	return f.errAt(base+off, "%s", se.Error())
}

// preview quotes the start of a raw value for an error message.
func preview(s string) string {
	const limit = 40
	if len(s) > limit {
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// assemble merges the fragments into a table (see the comment at the top).
func (p *jsonPlan) assemble(frags []*fragment) *Table {
	merged := p.mergeColumns(frags)
	schema := make(Schema, len(merged))
	for i, m := range merged {
		schema[i] = Field{Name: m.name, Type: m.finalType()}
	}
	parts := make([][]*Column, len(frags))
	parallel(len(frags), func(i int) {
		parts[i] = frags[i].typed(schema, p.src)
	})
	cols := make([]*Column, len(schema))
	parallel(len(schema), func(c int) {
		pieces := make([]*Column, len(frags))
		for i := range frags {
			pieces[i] = parts[i][c]
		}
		cols[c] = concatColumns(schema[c].Type, pieces)
	})
	rows := 0
	for _, f := range frags {
		rows += f.rows
	}
	t := NewTable(p.name, schema, cols)
	t.SetRows(rows)
	return t
}

// mergedCol is one column of the union of the fragments.
type mergedCol struct {
	name     string
	declared Type
	stats    kindStats
}

func (m *mergedCol) finalType() Type {
	if m.declared != Unknown {
		return m.declared
	}
	return m.stats.infer()
}

// mergeColumns returns the union of the fragments' columns, in order of
// first appearance (fragments are in file order), with their kind
// statistics combined. Without fragments it is the planned columns.
func (p *jsonPlan) mergeColumns(frags []*fragment) []*mergedCol {
	var out []*mergedCol
	index := map[string]int{}
	add := func(name string, t Type) *mergedCol {
		if i, ok := index[name]; ok {
			return out[i]
		}
		m := &mergedCol{name: name, declared: t}
		index[name] = len(out)
		out = append(out, m)
		return m
	}
	for _, fd := range p.pre {
		add(fd.Name, fd.Type)
	}
	for _, f := range frags {
		for _, c := range f.cols {
			m := add(c.name, p.declared[c.name])
			if c.col == nil {
				m.stats.merge(c.cells.stats)
			}
		}
	}
	return out
}

// typed returns the fragment's columns in schema order and types, with a
// null column for a column the fragment never saw.
func (f *fragment) typed(schema Schema, src *source) []*Column {
	out := make([]*Column, len(schema))
	for i, fd := range schema {
		idx, ok := f.index[fd.Name]
		switch {
		case !ok || idx < 0:
			out[i] = nullColumn(fd.Type, f.rows)
		case f.cols[idx].col != nil:
			out[i] = f.cols[idx].col
		default:
			out[i] = f.cols[idx].cells.build(fd.Type, src)
			f.cols[idx].cells = cells{}
		}
	}
	return out
}

// loadJSONArray reads a file holding one JSON array of objects. Finding
// where each element ends is one sequential scan of the bytes; decoding the
// elements is parallel.
func (ld *loader) loadJSONArray() (*Table, error) {
	spans, err := ld.arraySpans()
	if err != nil {
		return nil, err
	}
	p := ld.jsonPlan()
	var chunks []chunk
	size := chunkSize(len(ld.data))
	for len(spans) > 0 {
		n := 1
		for n < len(spans) && spans[n].end-spans[0].start < size {
			n++
		}
		chunks = append(chunks, chunk{text: ld.data, off: ld.base, spans: spans[:n:n]})
		spans = spans[n:]
	}
	return p.decode(chunks)
}

// arraySpans finds the elements of the top-level array. It checks the
// array's punctuation; each element is validated when it is decoded.
func (ld *loader) arraySpans() ([]span, error) {
	d := ld.data
	i := skipSpace(d, 0)
	if i == len(d) {
		return nil, nil
	}
	if d[i] != '[' {
		return nil, ld.errAt(i, "expected a JSON array, found %s", preview(d[i:]))
	}
	var spans []span
	open := i
	i = skipSpace(d, i+1)
	if i < len(d) && d[i] == ']' {
		return nil, ld.trailing(i + 1)
	}
	for {
		if i == len(d) {
			return nil, ld.errAt(i, "unexpected end of input: the array opened at line %d is not closed",
				line(d, open))
		}
		end, ok := skipValue(d, i)
		if ok && end == i {
			return nil, ld.errAt(i, "expected an array element, found %s", preview(d[i:]))
		}
		if !ok {
			return nil, ld.errAt(end,
				"unexpected end of input: the array element starting at line %d is not closed",
				line(d, i))
		}
		spans = append(spans, span{i, end})
		i = skipSpace(d, end)
		switch {
		case i == len(d):
			return nil, ld.errAt(i, "unexpected end of input: the array opened at line %d is not closed",
				line(d, open))
		case d[i] == ',':
			i = skipSpace(d, i+1)
		case d[i] == ']':
			return spans, ld.trailing(i + 1)
		default:
			return nil, ld.errAt(i, "expected ',' or ']' after an array element, found %s", preview(d[i:]))
		}
	}
}

// trailing rejects anything but whitespace after the array.
func (ld *loader) trailing(i int) error {
	i = skipSpace(ld.data, i)
	if i < len(ld.data) {
		return ld.errAt(i, "unexpected %s after the JSON array", preview(ld.data[i:]))
	}
	return nil
}

func line(data string, off int) int {
	l, _ := lineCol(data, off)
	return l
}

// skipValue returns the end of the JSON value starting at s[i], tracking
// only strings and bracket depth; false means the input ended first (and
// the offset is len(s)). A scalar ends at the next delimiter.
func skipValue(s string, i int) (int, bool) {
	depth := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			end, ok := skipString(s, i+1)
			if !ok {
				return len(s), false
			}
			i = end
		case c == '{' || c == '[':
			depth++
			i++
		case c == '}' || c == ']':
			if depth == 0 {
				return i, true
			}
			depth--
			i++
		case depth == 0 && (c == ',' || isSpace(c)):
			return i, true
		default:
			i++
		}
		if depth == 0 && (c == '"' || c == '}' || c == ']') {
			return i, true
		}
	}
	return len(s), depth == 0
}

// skipString returns the index after the closing quote of the string whose
// body starts at s[i], stepping over escapes without checking them.
func skipString(s string, i int) (int, bool) {
	for {
		i = quoteOrBackslash(s, i)
		switch {
		case i >= len(s):
			return len(s), false
		case s[i] == '"':
			return i + 1, true
		}
		i += 2
	}
}
