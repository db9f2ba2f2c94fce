package engine

import (
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// Skipping documents that cannot match
//
// `mv-expand X = todynamic(Doc) | where tostring(X.a.b) in~ ("k1", "k2")`
// reads, parses and walks every row's Doc, although a row can give a
// matching element only if Doc's text holds one of the keys: every string
// in the parsed document is a piece of that text, each character written
// either as itself or as an escape. So before expanding a row, the where
// over mv-expand (fuse.go) looks at the raw text of Doc (for a value left
// in the file, the bytes there, with no unescaping or parsing; see
// tables.Column.AppendText) and drops the row when the text cannot hold any
// key. The rows kept, and so the result, are the same.
//
// The test must never drop a row that could match, so it gives up (keeps
// the row) whenever the text could spell a key in a way a plain search
// misses: a \u escape anywhere, \/ when a key holds '/', and for a
// case-insensitive test any non-ASCII byte (some non-ASCII letters fold to
// ASCII ones: U+212A to k, U+017F to s). Keys that a non-string value could
// print as (numbers, datetimes, objects and arrays) or that need escapes
// themselves disable it; so do a key "" (null prints as "") and anything in
// the where that is not a conjunction holding such a test.

// textNeed records that a bool expression can be true only if path, an
// expression over its input, gives a string equal to one of keys (in lower
// case when fold: compared case-insensitively).
type textNeed struct {
	path parser.Expr
	keys []string
	fold bool
}

// textFilter is a textNeed traced back to a column of the rows mv-expand
// reads: a row can give a passing expanded row only if the column's text
// may hold one of keys (see mayHold).
type textFilter struct {
	col   int
	keys  []string // no key holds another
	fold  bool
	slash bool // some key holds '/', which JSON may write as \/
}

// needOf returns the need of `tostring(path) <op> keys` for a comparison
// whose left side is x and whose constant operands are vals; nil when the
// test does not have that shape or a key is not safe (see safeKey).
func (b *binder) needOf(x parser.Expr, vals []tables.Value, fold bool) []*textNeed {
	path, ok := b.tostringArg(x)
	if !ok {
		return nil
	}
	n := &textNeed{path: path, fold: fold}
	for _, v := range vals {
		if v.IsNull() && v.Type() != tables.String {
			continue // a null item matches nothing
		}
		if v.Type() == tables.Dynamic && v.DynKind() == tables.DynArray {
			ok := true
			v.Elements(func(_ string, el tables.Value) bool {
				ok = n.addKey(el)
				return ok
			})
			if !ok {
				return nil
			}
			continue
		}
		if !n.addKey(v) {
			return nil
		}
	}
	if len(n.keys) == 0 {
		return nil
	}
	return []*textNeed{n}
}

// addKey adds a string value as a key; false when it is not one that
// needOf can use.
func (n *textNeed) addKey(v tables.Value) bool {
	if v.IsNull() || (v.Type() != tables.String && !(v.Type() == tables.Dynamic && v.DynKind() == tables.DynString)) {
		return false
	}
	k := v.String()
	if !safeKey(k) {
		return false
	}
	if n.fold {
		k = string(appendLower(nil, k))
	}
	n.keys = append(n.keys, k)
	return true
}

// safeKey reports whether only a string value can print as k, and JSON
// text can write k's characters only as themselves or as \u (or \/)
// escapes: printable ASCII but for '"' and '\\', not starting like a
// number, datetime, timespan, object or array, and not a word ParseFloat
// reads (NaN, Inf).
func safeKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	switch c := k[0]; {
	case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == '{', c == '[':
		return false
	}
	_, err := strconv.ParseFloat(k, 64)
	return err != nil
}

// tostringArg returns the argument of a call of the built-in tostring.
func (b *binder) tostringArg(e parser.Expr) (parser.Expr, bool) {
	for {
		p, ok := e.(*parser.ParenExpr)
		if !ok {
			break
		}
		e = p.X
	}
	c, ok := e.(*parser.CallExpr)
	if !ok || c.Fun.Name != "tostring" || len(c.Args) != 1 || !b.builtin(c.Fun.Name) {
		return nil, false
	}
	if _, named := c.Args[0].(*parser.NamedExpr); named {
		return nil, false
	}
	return c.Args[0], true
}

// builtin reports whether a call of name reaches the function registry
// rather than a function the query defines.
func (b *binder) builtin(name string) bool {
	bnd := b.scope.lookup(name)
	return bnd == nil || bnd.fn == nil
}

// parseFuncs are the functions that parse a string as JSON, giving a value
// whose strings are pieces of the text.
var parseFuncs = map[string]bool{"todynamic": true, "parse_json": true, "toobject": true, "parsejson": true}

// pathRoot returns the column of sch that e navigates from: e is the
// column itself, a member or element of a path, or a JSON parse of one.
func (b *binder) pathRoot(e parser.Expr, sch tables.Schema) (int, bool) {
	switch e := e.(type) {
	case *parser.Ident:
		i := sch.Index(e.Name)
		return i, i >= 0
	case *parser.ParenExpr:
		return b.pathRoot(e.X, sch)
	case *parser.MemberExpr:
		return b.pathRoot(e.X, sch)
	case *parser.IndexExpr:
		return b.pathRoot(e.X, sch)
	case *parser.CallExpr:
		if !parseFuncs[e.Fun.Name] || len(e.Args) != 1 || !b.builtin(e.Fun.Name) {
			return 0, false
		}
		if _, named := e.Args[0].(*parser.NamedExpr); named {
			return 0, false
		}
		return b.pathRoot(e.Args[0], sch)
	}
	return 0, false
}

// textFilters traces the needs of a where's predicate through the
// mv-expand chain under it (fuse.go) to columns of the chain's input.
func (b *binder) textFilters(pred *expr, in plan) []textFilter {
	chain, src := expandChain(in)
	if len(chain) == 0 || len(pred.needs) == 0 {
		return nil
	}
	var out []textFilter
	for _, n := range pred.needs {
		col, ok := b.traceChain(n.path, chain)
		if !ok {
			continue
		}
		if t := src.schema()[col].Type; t != tables.String && t != tables.Dynamic {
			continue
		}
		out = append(out, newTextFilter(col, n.keys, n.fold))
	}
	return out
}

// traceChain follows the path's root back through the mv-expand chain,
// last operator first, to a column of the chain's input: an expanded
// column is an element (or property) of its item's value, so its strings
// are pieces of the text of the column that item navigates from.
func (b *binder) traceChain(path parser.Expr, chain []*mvExpandPlan) (int, bool) {
	last := chain[len(chain)-1]
	col, ok := b.pathRoot(path, last.out)
	for j := len(chain) - 1; ok && j >= 0; j-- {
		mv := chain[j]
		if col == mv.itemIndex {
			return 0, false
		}
		for _, it := range mv.items {
			if it.pos != col {
				continue
			}
			if it.to != tables.Dynamic && it.to != tables.String {
				return 0, false
			}
			col, ok = b.pathRoot(it.ast, mv.in.schema())
			break
		}
	}
	return col, ok
}

// newTextFilter builds the filter of keys on column col. A key that holds
// another is dropped: a text that holds it holds the other.
func newTextFilter(col int, keys []string, fold bool) textFilter {
	f := textFilter{col: col, fold: fold}
	for i, k := range keys {
		covered := false
		for j, o := range keys {
			if j != i && strings.Contains(k, o) && (len(o) < len(k) || j < i) {
				covered = true
				break
			}
		}
		if !covered {
			f.keys = append(f.keys, k)
		}
		f.slash = f.slash || strings.IndexByte(k, '/') >= 0
	}
	return f
}

// keep reports whether row i of col may give a row the where keeps; buf
// is scratch space, returned for reuse.
func (f *textFilter) keep(col *tables.Column, i int, buf []byte) (bool, []byte) {
	buf = col.AppendText(buf[:0], i)
	return f.mayHold(buf), buf
}

// mayHold reports whether text may hold a key: it does, or it has an
// escape or byte that could spell one in another way (see the top of the
// file). Each test is a pass of pairIndex, which looks at 16 bytes a step.
func (f *textFilter) mayHold(text []byte) bool {
	if pairIndex(text, '\\', 'u', 0, 0) >= 0 || f.slash && pairIndex(text, '\\', '/', 0, 0) >= 0 {
		return true
	}
	if f.fold && !isASCII(text) {
		return true
	}
	for _, k := range f.keys {
		if f.holds(text, k) {
			return true
		}
	}
	return false
}

// holds reports whether text holds key (ignoring the case of ASCII letters
// when f.fold), looking for the key's first two bytes with pairIndex.
func (f *textFilter) holds(text []byte, key string) bool {
	a, ma := f.pattern(key[0])
	b, mb := byte(0xff), byte(0xff) // a key of one byte: any next byte
	if len(key) > 1 {
		b, mb = f.pattern(key[1])
	}
	for i := 0; ; i++ {
		j := pairIndex(text[i:], a, b, ma, mb)
		if j < 0 {
			return len(key) == 1 && i < len(text) && f.prefix(text[len(text)-1:], key)
		}
		i += j
		if f.prefix(text[i:], key) {
			return true
		}
	}
}

// pattern returns the byte and mask pairIndex matches c with: both cases
// of a letter when f.fold.
func (f *textFilter) pattern(c byte) (byte, byte) {
	if f.fold && 'a' <= c && c <= 'z' {
		return c, 0x20
	}
	return c, 0
}

// isASCII reports whether b has no byte of 0x80 or more, eight bytes at a
// time.
func isASCII(b []byte) bool {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= 0x80 {
			return false
		}
	}
	return true
}

// prefix reports whether text starts with key, ignoring the case of ASCII
// letters when f.fold (key is in lower case then).
func (f *textFilter) prefix(text []byte, key string) bool {
	if len(text) < len(key) {
		return false
	}
	if !f.fold {
		return string(text[:len(key)]) == key
	}
	for j := 0; j < len(key); j++ {
		c := text[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != key[j] {
			return false
		}
	}
	return true
}

// prefilter returns the rows lo to hi of t that may give an expanded row
// the where keeps: all of them when the where has no filters.
func (p *wherePlan) prefilter(t *tables.Table, lo, hi int) []int {
	var buf []byte
	idx := make([]int, 0, hi-lo)
	for r := lo; r < hi; r++ {
		keep := true
		for k := range p.filters {
			f := &p.filters[k]
			if keep, buf = f.keep(t.Columns[f.col], r, buf); !keep {
				break
			}
		}
		if keep {
			idx = append(idx, r)
		}
	}
	return idx
}
