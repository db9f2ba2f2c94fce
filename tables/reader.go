package tables

import (
	"runtime"
	"sync"
)

// maxWindow is the most rows a Reader reads ahead at once: enough to keep
// every core busy, few enough that the values read ahead stay small.
const maxWindow = 256

// Reader returns a function reading rows of c, for a loop over many rows
// of one column. On a column with lazy values (see Lazy) it reads ahead:
// while rows are asked for in increasing order, the lazy values of the next
// rows are read back and converted on all cores, a window of rows at a time
// (growing from one row to maxWindow); any other order reads one row at a
// time, as Value does. On other columns it is Value itself.
//
// The function is not safe for concurrent use; each loop takes its own.
func (c *Column) Reader() func(i int) Value {
	if b, _ := c.lazyBase(); b == nil {
		return c.Value
	}
	r := &readAhead{c: c}
	return r.value
}

// readAhead is the state of one Reader over a lazy column.
type readAhead struct {
	c      *Column
	lo, hi int // the window: rows [lo, hi) are in vals
	vals   []Value
	size   int // the next window's size
}

func (r *readAhead) value(i int) Value {
	if i >= r.lo && i < r.hi {
		return r.vals[i-r.lo]
	}
	if i == r.hi && r.size > 0 {
		r.size = min(2*r.size, maxWindow)
	} else {
		r.size = 1
	}
	if r.size == 1 {
		r.lo, r.hi = 0, 0
		return r.c.Value(i)
	}
	r.lo, r.hi = i, min(i+r.size, r.c.n)
	r.vals = r.c.values(r.vals[:0], r.lo, r.hi)
	return r.vals[0]
}

// values appends rows [lo, hi) of c to dst, reading their lazy values in
// parallel.
func (c *Column) values(dst []Value, lo, hi int) []Value {
	base, rows := c.lazyBase()
	var pending []int // positions in dst of lazy values not read yet
	for i := lo; i < hi; i++ {
		p := i
		if rows != nil {
			p = int(rows[i])
		}
		if p >= 0 && !base.IsNull(p) && base.lazy.refs[p] != 0 {
			pending = append(pending, len(dst))
			dst = append(dst, Value{t: c.typ, i: int64(p)})
			continue
		}
		dst = append(dst, c.Value(i))
	}
	workers := min(runtime.GOMAXPROCS(0), len(pending))
	read := func(w int) {
		for k := w; k < len(pending); k += workers {
			d := &dst[pending[k]]
			*d = base.lazy.value(c.typ, int(d.i))
		}
	}
	if workers <= 1 {
		if len(pending) > 0 {
			read(0)
		}
		return dst
	}
	var wg sync.WaitGroup
	var failure any // a panic of a worker (a changed file), raised again here
	var once sync.Once
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					once.Do(func() { failure = p })
				}
			}()
			read(w)
		}()
	}
	read(0)
	wg.Wait()
	if failure != nil {
		panic(failure)
	}
	return dst
}
