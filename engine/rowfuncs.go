package engine

import (
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// Row functions read other rows of the serialized input: prev and next look
// at a row a fixed distance away, and the running functions (row_number,
// row_cumsum, row_rank_min, row_rank_dense, row_window_session) depend on
// every earlier row. An expression is compiled once over a whole table, so
// the running ones are computed for all rows at compile time and each row
// reads its own result; evaluation order does not matter.
//
// Kusto refuses these functions over input that is not serialized; kql
// accepts any input and uses its current row order.

// rowFuncNames are the row functions the binder handles here.
var rowFuncNames = map[string]bool{
	"prev": true, "next": true, "row_number": true, "row_cumsum": true,
	"row_rank_min": true, "row_rank_dense": true, "row_window_session": true,
}

// The calls bound here are engine specials: kql check must not report them
// as unsupported functions.
func init() {
	for name := range rowFuncNames {
		engineSpecials[name] = true
	}
	engineSpecials["bag_pack_columns"] = true
	engineSpecials["column_names_of"] = true
}

// rowFunc binds a row function call, bag_pack_columns (which needs the
// input's column names) or column_names_of (which needs a tabular
// argument's schema); ok is false for any other name.
func (b *binder) rowFunc(c *parser.CallExpr, sch tables.Schema) (x *expr, ok bool) {
	name := c.Fun.Name
	if !rowFuncNames[name] && name != "bag_pack_columns" && name != "column_names_of" {
		return nil, false
	}
	if bnd := b.scope.lookup(name); bnd != nil {
		return nil, false // a let of the same name wins
	}
	switch name {
	case "bag_pack_columns":
		return b.bagPackColumns(c, sch), true
	case "column_names_of":
		return b.columnNamesOf(c), true
	}
	args := b.args(c, sch)
	switch name {
	case "prev", "next":
		return b.prevNext(c, args, name == "next"), true
	case "row_number":
		return b.rowNumber(c, args), true
	case "row_window_session":
		return b.rowWindowSession(c, args), true
	}
	return b.rowRunning(c, args), true
}

// rowArity reports a call whose argument count is outside min..max.
func (b *binder) rowArity(c *parser.CallExpr, args []*expr, min, max int, usage string) bool {
	if len(args) < min || len(args) > max {
		b.errorf(parser.PhaseType, c, "%s() takes %d to %d arguments; usage: %s", c.Fun.Name, min, max, usage)
		return false
	}
	return true
}

// constInt reads a constant integer argument.
func (b *binder) constInt(c *parser.CallExpr, args []*expr, i int, def int64) (int64, bool) {
	if i >= len(args) {
		return def, true
	}
	a := args[i]
	if a.konst == nil {
		b.errorf(parser.PhaseType, c.Args[i], "%s(): argument %d must be a constant integer", c.Fun.Name, i+1)
		return 0, false
	}
	n, ok := a.konst.AsInt64()
	if !ok {
		b.errorf(parser.PhaseType, c.Args[i], "%s(): argument %d must be an integer", c.Fun.Name, i+1)
		return 0, false
	}
	return n, true
}

// prevNext is prev(column, [offset], [default]) and next(...): the value
// offset rows before (after) the current one, or default (null) past the
// table's edge.
func (b *binder) prevNext(c *parser.CallExpr, args []*expr, forward bool) *expr {
	if !b.rowArity(c, args, 1, 3, c.Fun.Name+"(column, [offset], [default_value])") {
		return bad()
	}
	off, ok := b.constInt(c, args, 1, 1)
	if !ok {
		return bad()
	}
	if forward {
		off = -off
	}
	val := args[0]
	t := val.typ
	var def *expr
	if len(args) > 2 {
		def = args[2]
	}
	return &expr{typ: t, name: val.name, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		f, err := val.compile(rc, in)
		if err != nil {
			return nil, err
		}
		var d rowFn
		if def != nil {
			if d, err = def.compile(rc, in); err != nil {
				return nil, err
			}
		}
		n := int64(in.Rows())
		return func(i int) tables.Value {
			j := int64(i) - off
			if j >= 0 && j < n {
				return f(int(j))
			}
			if d == nil {
				return tables.Null(t)
			}
			v := d(i)
			if v.Type() != t && t != tables.Unknown {
				v = tables.Convert(v, t)
			}
			return v
		}, nil
	}}
}

// precomputed builds an expression whose values for a whole table are
// computed at once by fill from the compiled arguments.
func precomputed(t tables.Type, args []*expr, fill func(fns []rowFn, n int) []tables.Value) *expr {
	return &expr{typ: t, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		fns, err := compileAll(rc, in, args)
		if err != nil {
			return nil, err
		}
		vals := fill(fns, in.Rows())
		return func(i int) tables.Value { return vals[i] }, nil
	}}
}

// restarts reads the optional restart predicate at argument i.
func restarts(fns []rowFn, i, row int) bool {
	if i >= len(fns) {
		return false
	}
	v := fns[i](row)
	return v.Type() == tables.Bool && !v.IsNull() && v.Bool()
}

// rowNumber is row_number([start], [restart]): start, start+1, ... and
// back to start where restart is true.
func (b *binder) rowNumber(c *parser.CallExpr, args []*expr) *expr {
	if !b.rowArity(c, args, 0, 2, "row_number([start_index], [restart])") {
		return bad()
	}
	start, ok := b.constInt(c, args, 0, 1)
	if !ok {
		return bad()
	}
	return precomputed(tables.Long, args, func(fns []rowFn, n int) []tables.Value {
		out := make([]tables.Value, n)
		k := start
		for i := range out {
			if i > 0 && restarts(fns, 1, i) {
				k = start
			}
			out[i] = tables.NewLong(k)
			k++
		}
		return out
	})
}

// rowRunning binds row_cumsum(term, [restart]), row_rank_min(term,
// [restart]) and row_rank_dense(term, [restart]).
func (b *binder) rowRunning(c *parser.CallExpr, args []*expr) *expr {
	name := c.Fun.Name
	if !b.rowArity(c, args, 1, 2, name+"(term, [restart])") {
		return bad()
	}
	if name == "row_cumsum" {
		t := args[0].typ
		if !t.IsNumeric() && t != tables.Timespan {
			b.errorf(parser.PhaseType, c.Args[0], "row_cumsum(): the term must be a number or timespan, not %s", t)
			return bad()
		}
		return precomputed(t, args, func(fns []rowFn, n int) []tables.Value {
			return cumsum(fns, n, t)
		})
	}
	dense := name == "row_rank_dense"
	return precomputed(tables.Long, args, func(fns []rowFn, n int) []tables.Value {
		out := make([]tables.Value, n)
		var rank, pos int64
		var last tables.Value
		for i := range out {
			v := fns[0](i)
			pos++
			switch {
			case i == 0 || restarts(fns, 1, i):
				pos, rank = 1, 1
			case !sameValue(v, last):
				if dense {
					rank++
				} else {
					rank = pos
				}
			}
			last = v
			out[i] = tables.NewLong(rank)
		}
		return out
	})
}

// sameValue compares two values of one column for the rank functions:
// nulls equal each other.
func sameValue(a, b tables.Value) bool {
	if a.IsNull() || b.IsNull() {
		return a.IsNull() == b.IsNull()
	}
	return tables.ToJSON(a) == tables.ToJSON(b)
}

// cumsum is the running sum of a numeric or timespan column; a null term
// adds nothing.
func cumsum(fns []rowFn, n int, t tables.Type) []tables.Value {
	out := make([]tables.Value, n)
	var si int64
	var sf float64
	for i := range out {
		if i > 0 && restarts(fns, 1, i) {
			si, sf = 0, 0
		}
		v := fns[0](i)
		if !v.IsNull() {
			switch t {
			case tables.Real, tables.Decimal:
				f, _ := v.AsFloat()
				sf += f
			default:
				si += v.Int64()
			}
		}
		switch t {
		case tables.Real:
			out[i] = tables.NewReal(sf)
		case tables.Decimal:
			out[i] = tables.NewDecimal(sf)
		case tables.Int:
			out[i] = tables.NewInt(si)
		case tables.Timespan:
			out[i] = tables.NewTimespan(si)
		default:
			out[i] = tables.NewLong(si)
		}
	}
	return out
}

// rowWindowSession is row_window_session(expr, maxDistanceFromFirst,
// maxDistanceBetweenNeighbors, [restart]): the value of the first row of
// the current session, where a session ends when a row is more than
// maxDistanceFromFirst after the session's first row or more than
// maxDistanceBetweenNeighbors after the previous row.
func (b *binder) rowWindowSession(c *parser.CallExpr, args []*expr) *expr {
	if !b.rowArity(c, args, 3, 4, "row_window_session(expr, maxDistanceFromFirst, maxDistanceBetweenNeighbors, [restart])") {
		return bad()
	}
	if args[0].typ != tables.DateTime {
		b.errorf(parser.PhaseType, c.Args[0], "row_window_session(): the expression must be a datetime, not %s", args[0].typ)
		return bad()
	}
	for i := 1; i <= 2; i++ {
		if args[i].konst == nil || args[i].typ != tables.Timespan {
			b.errorf(parser.PhaseType, c.Args[i], "row_window_session(): argument %d must be a constant timespan", i+1)
			return bad()
		}
	}
	maxFirst, maxGap := args[1].konst.Int64(), args[2].konst.Int64()
	return precomputed(tables.DateTime, args, func(fns []rowFn, n int) []tables.Value {
		out := make([]tables.Value, n)
		var start, prev tables.Value
		for i := range out {
			v := fns[0](i)
			if v.IsNull() {
				out[i] = v
				continue
			}
			t := v.Int64()
			if start.Type() != tables.DateTime || start.IsNull() || restarts(fns, 3, i) ||
				t-start.Int64() > maxFirst || t-prev.Int64() > maxGap {
				start = v
			}
			prev = v
			out[i] = start
		}
		return out
	})
}

// bagPackColumns binds bag_pack_columns(col1, col2, ...): a bag of the
// named columns, keyed by their names. Each argument must be a column.
func (b *binder) bagPackColumns(c *parser.CallExpr, sch tables.Schema) *expr {
	if len(c.Args) == 0 {
		b.errorf(parser.PhaseType, c, "bag_pack_columns() needs at least one column")
		return bad()
	}
	cols := make([]int, len(c.Args))
	for k, a := range c.Args {
		id, ok := a.(*parser.Ident)
		if !ok || sch.Index(id.Name) < 0 {
			b.errorf(parser.PhaseType, a, "bag_pack_columns(): argument %d must be a column of the input", k+1)
			return bad()
		}
		cols[k] = sch.Index(id.Name)
	}
	return &expr{typ: tables.Dynamic, build: func(_ *runCtx, in *tables.Table) (rowFn, error) {
		return func(i int) tables.Value {
			buf := []byte{'{'}
			for k, ci := range cols {
				if k > 0 {
					buf = append(buf, ',')
				}
				buf = append(tables.AppendJSONString(buf, sch[ci].Name), ':')
				buf = tables.AppendJSON(buf, in.Columns[ci].Value(i))
			}
			return tables.NewDynamic(string(append(buf, '}')))
		}, nil
	}}
}

// columnNamesOf binds column_names_of(T): the column names of a tabular
// expression, known at bind time, as a dynamic array of strings.
func (b *binder) columnNamesOf(c *parser.CallExpr) *expr {
	if len(c.Args) != 1 || !b.isTabular(c.Args[0]) {
		b.errorf(parser.PhaseType, c, "column_names_of() takes one tabular expression")
		return bad()
	}
	p := b.tabular(c.Args[0])
	if failed(p) {
		return bad()
	}
	buf := []byte{'['}
	for i, name := range p.schema().Names() {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = tables.AppendJSONString(buf, name)
	}
	return konst(tables.NewDynamic(string(append(buf, ']'))))
}
