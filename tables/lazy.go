package tables

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"unsafe"
)

// Late materialization
//
// A table loaded from a regular file does not hold its large values. The
// loader decodes small values (numbers, bools, datetimes, guids, short
// strings) into the column vectors and, for a string or dynamic value whose
// JSON text is at least lazyMin bytes long, records only where that text
// lies in the file. Column.Value reads such a value back with ReadAt and
// applies the conversion the eager path would have applied, so a query sees
// the same values either way. Filters and summarize over the small columns
// decide which rows survive; only the survivors' large values are read.
//
// Column.Take on such a column makes a view: the row numbers of the base
// column, with no value read or copied. A view of a view composes the row
// numbers. Concat of views over one base concatenates row numbers.
//
// Rejected: keeping the whole file in memory and slicing it (the first
// design): peak memory was the file size plus every decoded value, and all
// the large strings were unescaped and validated at load whether a query
// read them or not.

// lazyMin is the length of JSON text from which a string or dynamic value
// is left in the file. Shorter values cost less in memory than a reference
// and a read.
var lazyMin = 64

// maxLazyLen is the longest value a reference can describe; longer ones are
// decoded at load.
const maxLazyLen = 1<<refLenBits - 1

const refLenBits = 24

// source is the file that large values are read back from. The table owns
// its own handle (see openSource), so the caller may close the file it
// passed to Load.
type source struct {
	path string
	f    *os.File
	size int64
}

// openSource reopens the regular file behind r for reading values back, and
// returns nil when r is not such a file.
func openSource(r any, path string) *source {
	f, ok := r.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	g, err := os.Open(f.Name())
	if err != nil {
		return nil
	}
	if st2, err := g.Stat(); err != nil || !os.SameFile(st, st2) {
		g.Close()
		return nil
	}
	// The handle is closed by os.File's cleanup once no table refers to it.
	return &source{path: path, f: g, size: st.Size()}
}

// read returns the JSON text of a reference. The text is checked to start
// and end the way the loaded value did; a file that changed since it was
// loaded is reported by a panic, which the engine turns into an error: a
// wrong value must not pass silently.
func (s *source) read(ref uint64) string {
	buf := s.appendRaw(nil, ref)
	return unsafe.String(&buf[0], len(buf))
}

// appendRaw appends the JSON text of a reference to dst, checked as read
// checks it.
func (s *source) appendRaw(dst []byte, ref uint64) []byte {
	off, n := int64(ref>>refLenBits), int(ref&maxLazyLen)
	start := len(dst)
	dst = slices.Grow(dst, n)[:start+n]
	buf := dst[start:]
	m, err := s.f.ReadAt(buf, off)
	if m == n && validEnds(buf) {
		return dst
	}
	if err == nil {
		err = fmt.Errorf("the file changed since it was loaded")
	}
	panic(&DataError{Path: s.path, Msg: fmt.Sprintf("reading a value back at byte %d: %v", off, err)})
}

// validEnds reports whether b looks like a string, object or array as a
// whole.
func validEnds(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	first, last := b[0], b[len(b)-1]
	return first == '"' && last == '"' || first == '{' && last == '}' || first == '[' && last == ']'
}

// conv is how a column turns a value's JSON text into its stored value, the
// same way the eager path does.
type conv uint8

const (
	// convString: a string's unescaped text; other JSON as written.
	convString conv = iota
	// convDynamic: a declared dynamic column; JSON text inside a string is
	// parsed (see dynamicFromText), other JSON is compacted.
	convDynamic
	// convDynInferred: an inferred dynamic column; a string stays a dynamic
	// string, other JSON is compacted.
	convDynInferred
)

// lazyCells records which rows of a base column are left in the file.
type lazyCells struct {
	src  *source
	conv conv
	// refs holds, per row, the offset of the value's JSON text in the file
	// (upper 40 bits) and its length (lower 24 bits); 0 for a row whose
	// value is in the column's vector.
	refs []uint64
}

func makeRef(off int64, n int) uint64 { return uint64(off)<<refLenBits | uint64(n) }

// value reads row i back and converts it.
func (l *lazyCells) value(t Type, i int) Value {
	return convertRaw(t, l.conv, l.src.read(l.refs[i]))
}

// convertRaw applies a column's conversion to the JSON text of a value.
func convertRaw(t Type, c conv, raw string) Value {
	text := raw
	isStr := raw[0] == '"'
	if isStr {
		body := raw[1 : len(raw)-1]
		text = body
		if strings.IndexByte(body, '\\') >= 0 {
			text = unescape(body)
		}
	}
	switch {
	case c == convString:
		return Value{t: t, s: text}
	case !isStr:
		return NewDynamic(compactJSON(raw))
	case c == convDynamic:
		return dynamicFromText(text, raw)
	}
	return NewDynamic(QuoteJSON(text))
}

// blankish reports whether the body of a JSON string may unescape to
// nothing but white space, which a dynamic column reads as null. The answer
// must be known at load (IsNull never reads the file), so any doubt keeps
// the value eager; real text settles it at its first character.
func blankish(body string) bool {
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		case c == '\\' && i+1 < len(body):
			switch body[i+1] {
			case 'n', 'r', 't', 'f':
				i++
			case 'u':
				return true
			default:
				return false
			}
		case c >= 0x80:
			return true
		default:
			return false
		}
	}
	return true
}

// Lazy reports whether the column is not a plain vector: a view of another
// column's rows, or a column with values left in a file. Strs, Ints and
// Reals then build a new slice (reading every lazy value back), so loops
// over such a column should use Reader or Value.
func (c *Column) Lazy() bool { return c.base != nil || c.lazy != nil }

// view returns rows of the base column b; -1 is a null row.
func view(b *Column, rows []int32) *Column {
	return &Column{typ: b.typ, n: len(rows), base: b, rows: rows}
}

// viewable reports whether Take should make a view of c rather than copy
// rows out: always for a view, a column with lazy values, or a loaded
// column (the catalog keeps its base alive anyway); for another column
// only when the rows taken are many, so that a view does not keep a large
// column alive for a few of its rows.
func (c *Column) viewable(taken int) bool {
	return c.base != nil || c.lazy != nil || c.loaded || (c.n >= 1024 && 2*taken >= c.n)
}

// composeRows returns the base row numbers of rows idx of a column whose
// rows are base rows (nil: the identity).
func composeRows(rows []int32, idx []int) []int32 {
	out := make([]int32, len(idx))
	for j, i := range idx {
		switch {
		case i < 0:
			out[j] = -1
		case rows == nil:
			out[j] = int32(i)
		default:
			out[j] = rows[i]
		}
	}
	return out
}

// takeView is Take as a view: it composes row numbers and reads nothing.
func (c *Column) takeView(idx []int) *Column {
	base, rows := c.viewBase()
	return view(base, composeRows(rows, idx))
}

// viewBase returns the column whose rows a view of c shows, and c's row
// numbers in it (nil for the base itself, meaning all its rows).
func (c *Column) viewBase() (*Column, []int32) {
	if c.base != nil {
		return c.base, c.rows
	}
	return c, nil
}

// lazyBase is viewBase for a column that has lazy values somewhere, and nil
// for one that has none.
func (c *Column) lazyBase() (*Column, []int32) {
	b, rows := c.viewBase()
	if b.lazy == nil {
		return nil, nil
	}
	return b, rows
}

// concatViews concatenates columns that all show rows of one base, as a
// view; false when they do not.
func concatViews(t Type, cols []*Column) (*Column, bool) {
	var base *Column
	n := 0
	for _, c := range cols {
		b, _ := c.viewBase()
		if !c.Lazy() || (base != nil && b != base) || c.typ != t {
			return nil, false
		}
		base = b
		n += c.n
	}
	if base == nil {
		return nil, false
	}
	rows := make([]int32, 0, n)
	for _, c := range cols {
		if _, r := c.viewBase(); r != nil {
			rows = append(rows, r...)
			continue
		}
		for i := 0; i < c.n; i++ {
			rows = append(rows, int32(i))
		}
	}
	return view(base, rows), true
}

// flatten turns a view or a column with lazy cells into an ordinary column,
// reading every value it needs, so that Append can extend it.
func (c *Column) flatten() {
	if !c.Lazy() {
		return
	}
	out := NewColumn(c.typ, c.n)
	read := c.Reader()
	for i := 0; i < c.n; i++ {
		out.Append(read(i))
	}
	*c = *out
}

// AppendText appends to dst the text that row i of a string or dynamic
// column is made from, without converting it: for a value left in the
// file, its JSON text as the file holds it (quotes and escapes included);
// for any other value, its string or JSON text. A filter can test this
// text for something the value must contain before paying to read and
// convert the value; the text holds every character of the value, each
// either as itself or as an escape. A null row appends nothing.
func (c *Column) AppendText(dst []byte, i int) []byte {
	if c.base != nil {
		r := c.rows[i]
		if r < 0 {
			return dst
		}
		return c.base.AppendText(dst, int(r))
	}
	if c.IsNull(i) {
		return dst
	}
	switch storage(c.typ) {
	case storeInts, storeReals:
		return append(dst, c.Value(i).String()...)
	}
	if c.lazy != nil && c.lazy.refs[i] != 0 {
		return c.lazy.src.appendRaw(dst, c.lazy.refs[i])
	}
	return append(dst, c.strs[i]...)
}
