package tables

import (
	"math/bits"
	"slices"
)

// Helpers the loaders use to fill columns without a Value per cell.

// grow makes room for n more rows.
func (c *Column) grow(n int) {
	switch storage(c.typ) {
	case storeInts:
		c.ints = slices.Grow(c.ints, n)
	case storeReals:
		c.reals = slices.Grow(c.reals, n)
	default:
		c.strs = slices.Grow(c.strs, n)
	}
}

// pushNull appends a null row (the empty string in a string column).
func (c *Column) pushNull() {
	if c.typ != String {
		c.setNull(c.n)
	}
	c.pushZero()
}

func (c *Column) pushZero() {
	switch storage(c.typ) {
	case storeInts:
		c.ints = append(c.ints, 0)
	case storeReals:
		c.reals = append(c.reals, 0)
	default:
		c.strs = append(c.strs, "")
		if c.lazy != nil {
			c.lazy.refs = append(c.lazy.refs, 0)
		}
	}
	c.n++
}

// pushLazy appends a row whose value stays in src at ref, converted by cv
// when it is read. Columns get their lazy cells at their first such row.
func (c *Column) pushLazy(src *source, cv conv, ref uint64) {
	if c.lazy == nil {
		c.lazy = &lazyCells{src: src, conv: cv, refs: make([]uint64, c.n, cap(c.strs))}
	}
	c.strs = append(c.strs, "")
	c.lazy.refs = append(c.lazy.refs, ref)
	c.n++
}

// pushValue appends v, which already has the column's type (or is null).
func (c *Column) pushValue(v Value) {
	if v.null {
		c.pushNull()
		return
	}
	switch storage(c.typ) {
	case storeInts:
		c.ints = append(c.ints, v.i)
	case storeReals:
		c.reals = append(c.reals, v.f)
	default:
		c.strs = append(c.strs, v.s)
		if c.lazy != nil {
			c.lazy.refs = append(c.lazy.refs, 0)
		}
	}
	c.n++
}

// nullColumn returns n null rows of type t.
func nullColumn(t Type, n int) *Column {
	c := &Column{typ: t, n: n}
	switch storage(t) {
	case storeInts:
		c.ints = make([]int64, n)
	case storeReals:
		c.reals = make([]float64, n)
	default:
		c.strs = make([]string, n)
	}
	if t != String && n > 0 {
		c.nulls = make([]uint64, (n+63)/64)
		for i := range c.nulls {
			c.nulls[i] = ^uint64(0)
		}
	}
	return c
}

// concatColumns joins columns of type t end to end, copying whole slices
// (Concat converts value by value, which the loaders do not need). Parts
// with lazy cells must all read from one source with one conversion.
func concatColumns(t Type, parts []*Column) *Column {
	if len(parts) == 1 {
		return parts[0]
	}
	n := 0
	anyNull := false
	var lazy *lazyCells
	for _, p := range parts {
		n += p.n
		anyNull = anyNull || p.nulls != nil
		if p.lazy != nil && lazy == nil {
			lazy = &lazyCells{src: p.lazy.src, conv: p.lazy.conv}
		}
	}
	if lazy != nil {
		lazy.refs = make([]uint64, 0, n)
	}
	out := NewColumn(t, n)
	if anyNull {
		out.nulls = make([]uint64, (n+63)/64)
	}
	for _, p := range parts {
		out.ints = append(out.ints, p.ints...)
		out.reals = append(out.reals, p.reals...)
		out.strs = append(out.strs, p.strs...)
		if lazy != nil {
			if p.lazy != nil {
				lazy.refs = append(lazy.refs, p.lazy.refs...)
			} else {
				lazy.refs = append(lazy.refs, make([]uint64, p.n)...)
			}
		}
		for w, word := range p.nulls {
			for word != 0 {
				b := bits.TrailingZeros64(word)
				word &^= 1 << b
				if i := w*64 + b; i < p.n {
					out.setNull(out.n + i)
				}
			}
		}
		out.n += p.n
	}
	out.lazy = lazy
	return out
}
