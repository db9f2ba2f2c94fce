package tables

// Column is a typed vector of one column's values, with a bitmap of nulls.
// It has no name: a Table names its columns, so renaming or projecting a
// column never copies its data. Columns are immutable once built, and tables
// share them freely.
//
// Each type uses one backing slice: ints for bool, int, long, datetime and
// timespan; reals for real and decimal; strs for string, guid and dynamic.
type Column struct {
	typ   Type
	n     int
	ints  []int64
	reals []float64
	strs  []string
	nulls []uint64 // bit i set: row i is null; nil when no row is null

	// lazy, when set, marks rows whose values are still in a file (see
	// lazy.go); their strs entries are empty.
	lazy *lazyCells
	// base, when set, makes this column a view: row i is row rows[i] of
	// base (-1: a null row), and the fields above are unused.
	base *Column
	rows []int32
	// loaded marks a column a loader built: Take makes views of it.
	loaded bool
}

// NewColumn returns an empty column of type t with room for capacity rows.
func NewColumn(t Type, capacity int) *Column {
	c := &Column{typ: t}
	switch storage(t) {
	case storeInts:
		c.ints = make([]int64, 0, capacity)
	case storeReals:
		c.reals = make([]float64, 0, capacity)
	default:
		c.strs = make([]string, 0, capacity)
	}
	return c
}

type store uint8

const (
	storeInts store = iota
	storeReals
	storeStrs
)

func storage(t Type) store {
	switch t {
	case Real, Decimal:
		return storeReals
	case String, GUID, Dynamic:
		return storeStrs
	}
	return storeInts
}

// Type returns the column's type.
func (c *Column) Type() Type { return c.typ }

// Len returns the number of rows.
func (c *Column) Len() int { return c.n }

// IsNull reports whether row i is null.
func (c *Column) IsNull(i int) bool {
	if c.base != nil {
		r := c.rows[i]
		if r < 0 {
			return c.typ != String
		}
		return c.base.IsNull(int(r))
	}
	// The bitmap grows only as far as the last null row.
	w := i >> 6
	return w < len(c.nulls) && c.nulls[w]&(1<<(uint(i)&63)) != 0
}

// Ints exposes the backing slice of an integer-like column (bool, int, long,
// datetime, timespan) for loops that want no per-row Value; null rows hold 0.
// On a Lazy column it is a new slice, built at each call.
func (c *Column) Ints() []int64 {
	if !c.Lazy() {
		return c.ints
	}
	flat := *c
	flat.flatten()
	return flat.ints
}

// Reals exposes the backing slice of a real or decimal column. On a Lazy
// column it is a new slice, built at each call.
func (c *Column) Reals() []float64 {
	if !c.Lazy() {
		return c.reals
	}
	flat := *c
	flat.flatten()
	return flat.reals
}

// Strs exposes the backing slice of a string, guid or dynamic column; null
// rows hold "". On a Lazy column it is a new slice for which every row was
// read back from the file: a cost proportional to the column's text, paid
// at each call.
func (c *Column) Strs() []string {
	if !c.Lazy() {
		return c.strs
	}
	out := make([]string, c.n)
	read := c.Reader()
	for i := range out {
		out[i] = read(i).s
	}
	return out
}

// HasNulls reports whether any row is null.
func (c *Column) HasNulls() bool {
	if c.base == nil {
		return c.nulls != nil
	}
	for i := 0; i < c.n; i++ {
		if c.IsNull(i) {
			return true
		}
	}
	return false
}

// Value returns row i as a Value.
func (c *Column) Value(i int) Value {
	if c.base != nil {
		r := c.rows[i]
		if r < 0 {
			return Null(c.typ)
		}
		return c.base.Value(int(r))
	}
	if c.IsNull(i) {
		return Null(c.typ)
	}
	switch storage(c.typ) {
	case storeInts:
		return Value{t: c.typ, i: c.ints[i]}
	case storeReals:
		return Value{t: c.typ, f: c.reals[i]}
	}
	if c.lazy != nil && c.lazy.refs[i] != 0 {
		return c.lazy.value(c.typ, i)
	}
	return Value{t: c.typ, s: c.strs[i]}
}

// Append adds v as the last row. A value of another type is converted to
// the column's type first (see Convert). Appending to a Lazy column first
// reads all its values.
func (c *Column) Append(v Value) {
	c.flatten()
	if v.t != c.typ && !v.null {
		v = Convert(v, c.typ)
	}
	if v.null && c.typ != String {
		c.setNull(c.n)
	}
	switch storage(c.typ) {
	case storeInts:
		c.ints = append(c.ints, v.i)
	case storeReals:
		c.reals = append(c.reals, v.f)
	default:
		c.strs = append(c.strs, v.s)
	}
	c.n++
}

// AppendNull adds a null row (an empty string for a string column).
func (c *Column) AppendNull() { c.Append(Null(c.typ)) }

func (c *Column) setNull(i int) {
	for len(c.nulls) <= i>>6 {
		c.nulls = append(c.nulls, 0)
	}
	c.nulls[i>>6] |= 1 << (uint(i) & 63)
}

// Take returns a new column holding rows idx of c, in that order. An index
// of -1 gives a null row, which is how outer joins and unions fill gaps.
// The result of taking rows of a Lazy column is a view that reads nothing.
func (c *Column) Take(idx []int) *Column {
	if c.viewable(len(idx)) {
		return c.takeView(idx)
	}
	out := NewColumn(c.typ, len(idx))
	for _, i := range idx {
		if i < 0 {
			out.AppendNull()
			continue
		}
		if c.IsNull(i) {
			out.setNull(out.n)
		}
		switch storage(c.typ) {
		case storeInts:
			out.ints = append(out.ints, c.ints[i])
		case storeReals:
			out.reals = append(out.reals, c.reals[i])
		default:
			out.strs = append(out.strs, c.strs[i])
		}
		out.n++
	}
	return out
}

// Slice returns rows [from, to) of c as a new column sharing c's storage
// where it can.
func (c *Column) Slice(from, to int) *Column {
	idx := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		idx = append(idx, i)
	}
	return c.Take(idx)
}

// Concat returns a column holding the rows of cols one after another. All
// must have the column type t; values of other types are converted.
// Columns of type t are copied slice by slice, and views of one Lazy column
// give a view.
func Concat(t Type, cols ...*Column) *Column {
	if v, ok := concatViews(t, cols); ok {
		return v
	}
	n := 0
	plain := true
	for _, c := range cols {
		n += c.n
		plain = plain && c.typ == t && !c.Lazy()
	}
	if plain {
		return concatColumns(t, cols)
	}
	out := NewColumn(t, n)
	for _, c := range cols {
		for i := 0; i < c.n; i++ {
			out.Append(c.Value(i))
		}
	}
	return out
}

// Constant returns a column of n copies of v, typed as t.
func Constant(t Type, v Value, n int) *Column {
	out := NewColumn(t, n)
	for i := 0; i < n; i++ {
		out.Append(v)
	}
	return out
}
