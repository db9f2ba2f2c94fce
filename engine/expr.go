package engine

import (
	"strconv"
	"strings"
	"sync"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// rowFn evaluates a bound expression for row i of the table it was built over.
type rowFn func(i int) tables.Value

// expr is a bound scalar expression. Its type is known at bind time; build
// turns it, once per input table, into a rowFn over that table's columns,
// so the per-row work is a slice index and an operation.
type expr struct {
	typ tables.Type
	// konst is the value of an expression known at bind time.
	konst *tables.Value
	build func(rc *runCtx, in *tables.Table) (rowFn, error)
	// name is the column name the expression gives when it is projected
	// unnamed ("" when it has none).
	name string
	// col is 1 + the input column a plain column reference reads, 0 for any
	// other expression; operators reuse such a column instead of copying it.
	col int
	// needs, for a bool expression, are conditions its being true implies
	// (see prefilter.go).
	needs []*textNeed
}

// compile returns the row function of x over in.
func (x *expr) compile(rc *runCtx, in *tables.Table) (rowFn, error) {
	if x.konst != nil {
		v := *x.konst
		return func(int) tables.Value { return v }, nil
	}
	return x.build(rc, in)
}

// compileAll compiles each of xs over in.
func compileAll(rc *runCtx, in *tables.Table, xs []*expr) ([]rowFn, error) {
	fns := make([]rowFn, len(xs))
	for i, x := range xs {
		f, err := x.compile(rc, in)
		if err != nil {
			return nil, err
		}
		fns[i] = f
	}
	return fns, nil
}

func konst(v tables.Value) *expr {
	return &expr{typ: v.Type(), konst: &v}
}

// bad is the expression bound in place of one that failed; Bind reports the
// error, so it never runs.
func bad() *expr { return konst(tables.Null(tables.Unknown)) }

// onceExpr wraps a row-independent expression that is not constant at bind
// time (toscalar) so that it is computed once per run.
func onceExpr(x *expr) *expr {
	var once sync.Once
	var v tables.Value
	var err error
	return &expr{typ: x.typ, name: x.name, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		once.Do(func() {
			var f rowFn
			if f, err = x.compile(rc, oneRow()); err == nil {
				v = f(0)
			}
		})
		return func(int) tables.Value { return v }, err
	}}
}

// fold evaluates an expression whose operands are all constant.
func fold(x *expr, args ...*expr) *expr {
	if x.konst != nil || x.build == nil {
		return x // already a value, or a bound error
	}
	for _, a := range args {
		if a.konst == nil {
			return x
		}
	}
	f, err := x.build(nil, oneRow())
	if err != nil {
		return x
	}
	v := f(0)
	if v.Type() == tables.Unknown {
		return x
	}
	return &expr{typ: x.typ, konst: &v, name: x.name}
}

// scalar binds a scalar expression over an input schema (nil when the
// expression sees no columns, as in a let).
func (b *binder) scalar(e parser.Expr, sch tables.Schema) *expr {
	switch e := e.(type) {
	case *parser.Ident:
		return b.ident(e, sch)
	case *parser.Literal:
		return b.literal(e)
	case *parser.DynamicLit:
		return b.dynamicLit(e)
	case *parser.ParenExpr:
		x := b.scalar(e.X, sch)
		return &expr{typ: x.typ, konst: x.konst, build: x.build, needs: x.needs}
	case *parser.BinaryExpr:
		return b.binary(e, sch)
	case *parser.UnaryExpr:
		return b.unary(e, sch)
	case *parser.InExpr:
		return b.in(e, sch)
	case *parser.BetweenExpr:
		return b.between(e, sch)
	case *parser.CallExpr:
		return b.call(e, sch)
	case *parser.MemberExpr:
		return b.member(e, sch)
	case *parser.IndexExpr:
		return b.index(e, sch)
	case *parser.TypeofExpr:
		// typeof(T) is an argument of extract() and friends: it reaches the
		// function as the constant name of the type.
		return konst(tables.NewString(b.typeName(e.Type).String()))
	case *parser.PipeExpr:
		b.errorf(parser.PhaseType, e, "a tabular expression is not allowed here; wrap it in toscalar() for a single value")
		return bad()
	}
	b.errorf(parser.PhaseUnsupported, e, "this expression is not supported here")
	return bad()
}

// ident resolves a name in an expression: a column of the input first, then
// a scalar let.
func (b *binder) ident(id *parser.Ident, sch tables.Schema) *expr {
	if i := sch.Index(id.Name); i >= 0 {
		return colExpr(i, sch[i])
	}
	if bnd := b.scope.lookup(id.Name); bnd != nil && bnd.val != nil {
		x := *bnd.val
		x.name = id.Name
		return &x
	}
	if bnd := b.scope.lookup(id.Name); bnd != nil && bnd.tab != nil {
		b.errorf(parser.PhaseType, id, "'%s' is a table; a scalar is needed here (use toscalar(%s))", id.Name, id.Name)
		return bad()
	}
	b.errorf(parser.PhaseName, id, "unknown column or variable '%s'%s", id.Name, suggest(id.Name, sch.Names()))
	return bad()
}

// colExpr reads column i of the input. The type switch happens once per
// input table, not per row.
func colExpr(i int, f tables.Field) *expr {
	return &expr{typ: f.Type, name: f.Name, col: i + 1, build: func(_ *runCtx, in *tables.Table) (rowFn, error) {
		col := in.Columns[i]
		if col.Lazy() {
			return col.Reader(), nil
		}
		if col.Type() == tables.String {
			strs := col.Strs()
			return func(r int) tables.Value { return tables.NewString(strs[r]) }, nil
		}
		return col.Value, nil
	}}
}

// literal converts a literal's text to its value.
func (b *binder) literal(l *parser.Literal) *expr {
	t := litType(l.Kind)
	if l.Null {
		return konst(tables.Null(t))
	}
	switch l.Kind {
	case parser.LitNull:
		return konst(tables.Null(tables.Dynamic))
	case parser.LitString:
		return konst(tables.NewString(l.Text))
	case parser.LitBool:
		return konst(tables.NewBool(strings.EqualFold(l.Text, "true")))
	case parser.LitInt, parser.LitLong:
		return b.intLit(l, t)
	case parser.LitReal, parser.LitDecimal:
		f, err := strconv.ParseFloat(l.Text, 64)
		if err != nil {
			b.errorf(parser.PhaseSyntax, l, "invalid number '%s'", l.Text)
			return bad()
		}
		if t == tables.Decimal {
			return konst(tables.NewDecimal(f))
		}
		return konst(tables.NewReal(f))
	case parser.LitDateTime:
		ticks, ok := tables.ParseDateTimeLiteral(unquote(l.Text))
		if !ok {
			b.errorf(parser.PhaseSyntax, l, "invalid datetime '%s'", l.Text)
			return bad()
		}
		return konst(tables.NewDateTime(ticks))
	case parser.LitTimespan:
		ticks, ok := tables.ParseTimespan(unquote(l.Text))
		if !ok {
			b.errorf(parser.PhaseSyntax, l, "invalid timespan '%s'", l.Text)
			return bad()
		}
		return konst(tables.NewTimespan(ticks))
	case parser.LitGUID:
		g, ok := tables.ParseGUID(unquote(l.Text))
		if !ok {
			b.errorf(parser.PhaseSyntax, l, "invalid guid '%s'", l.Text)
			return bad()
		}
		return konst(tables.NewGUID(g))
	}
	b.errorf(parser.PhaseUnsupported, l, "unsupported literal")
	return bad()
}

func (b *binder) intLit(l *parser.Literal, t tables.Type) *expr {
	n, err := strconv.ParseInt(l.Text, 0, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(l.Text, 64)
		if ferr != nil {
			b.errorf(parser.PhaseSyntax, l, "invalid number '%s'", l.Text)
			return bad()
		}
		n = int64(f)
	}
	if t == tables.Int {
		return konst(tables.NewInt(n))
	}
	return konst(tables.NewLong(n))
}

func litType(k parser.LitKind) tables.Type {
	switch k {
	case parser.LitBool:
		return tables.Bool
	case parser.LitInt:
		return tables.Int
	case parser.LitLong:
		return tables.Long
	case parser.LitReal:
		return tables.Real
	case parser.LitDecimal:
		return tables.Decimal
	case parser.LitString:
		return tables.String
	case parser.LitDateTime:
		return tables.DateTime
	case parser.LitTimespan:
		return tables.Timespan
	case parser.LitGUID:
		return tables.GUID
	}
	return tables.Dynamic
}

// dynamicLit encodes a dynamic(...) literal as JSON text once, at bind time.
func (b *binder) dynamicLit(d *parser.DynamicLit) *expr {
	buf, ok := b.appendDyn(nil, d.Value)
	if !ok {
		return bad()
	}
	return konst(tables.NewDynamic(string(buf)))
}

func (b *binder) appendDyn(buf []byte, e parser.Expr) ([]byte, bool) {
	switch e := e.(type) {
	case *parser.ArrayLit:
		buf = append(buf, '[')
		for i, el := range e.Elems {
			if i > 0 {
				buf = append(buf, ',')
			}
			var ok bool
			if buf, ok = b.appendDyn(buf, el); !ok {
				return nil, false
			}
		}
		return append(buf, ']'), true
	case *parser.BagLit:
		buf = append(buf, '{')
		for i, k := range e.Keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(tables.AppendJSONString(buf, k), ':')
			var ok bool
			if buf, ok = b.appendDyn(buf, e.Values[i]); !ok {
				return nil, false
			}
		}
		return append(buf, '}'), true
	}
	x := b.scalar(e, nil)
	if x.konst == nil {
		b.errorf(parser.PhaseType, e, "a dynamic literal may hold only constants")
		return nil, false
	}
	return tables.AppendJSON(buf, *x.konst), true
}

// member binds X.Name on a dynamic value.
func (b *binder) member(m *parser.MemberExpr, sch tables.Schema) *expr {
	if id, ok := m.X.(*parser.Ident); ok && b.scanSteps != nil && sch.Index(id.Name) < 0 {
		if _, isStep := b.scanSteps[id.Name]; isStep {
			if i := sch.Index(id.Name + "." + m.Name.Name); i >= 0 {
				return colExpr(i, sch[i])
			}
		}
	}
	x := b.scalar(m.X, sch)
	key := m.Name.Name
	return b.dynStep(m, x, konst(tables.NewString(key)), joinName(x.name, key))
}

// index binds X[i] and X['key'].
func (b *binder) index(ix *parser.IndexExpr, sch tables.Schema) *expr {
	x := b.scalar(ix.X, sch)
	k := b.scalar(ix.Index, sch)
	name := x.name
	if k.konst != nil && k.konst.Type() == tables.String {
		name = joinName(x.name, k.konst.Str())
	}
	return b.dynStep(ix, x, k, name)
}

func joinName(base, key string) string {
	if base == "" {
		return key
	}
	return base + "_" + key
}

// dynStep binds one member or index step on a dynamic value. A string key
// reads a property, a number an element; anything else, or a value that is
// not a bag or array, gives dynamic null.
func (b *binder) dynStep(at parser.Node, x, key *expr, name string) *expr {
	if x.typ != tables.Dynamic && x.typ != tables.Unknown {
		b.errorf(parser.PhaseType, at, "member access needs a dynamic value, not %s", x.typ)
		return bad()
	}
	step := func(v, k tables.Value) tables.Value {
		switch k.Type() {
		case tables.String:
			return v.Member(k.Str())
		case tables.Int, tables.Long:
			return v.Index(k.Int64())
		case tables.Dynamic:
			if s, ok := k.DynString(); ok {
				return v.Member(s)
			}
			if n, ok := k.AsInt64(); ok {
				return v.Index(n)
			}
		}
		return tables.Null(tables.Dynamic)
	}
	out := &expr{typ: tables.Dynamic, name: name, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		xf, err := x.compile(rc, in)
		if err != nil {
			return nil, err
		}
		if key.konst != nil {
			k := *key.konst
			if k.Type() == tables.String {
				s := k.Str()
				return func(i int) tables.Value { return xf(i).Member(s) }, nil
			}
			return func(i int) tables.Value { return step(xf(i), k) }, nil
		}
		kf, err := key.compile(rc, in)
		if err != nil {
			return nil, err
		}
		return func(i int) tables.Value { return step(xf(i), kf(i)) }, nil
	}}
	return fold(out, x, key)
}

// unquote strips the quotes of datetime("2015-01-01") and its kin, which
// Kusto accepts as well as the bare form.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
