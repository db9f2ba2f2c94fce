package engine

import (
	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// volatile functions give a new value at each call and are never folded.
var volatile = map[string]bool{"rand": true, "new_guid": true}

// call binds a function call in a scalar context.
func (b *binder) call(c *parser.CallExpr, sch tables.Schema) *expr {
	name := c.Fun.Name
	if i, ok := b.aggRefs[c]; ok && i < len(sch) {
		return colExpr(i, sch[i])
	}
	switch name {
	case "column_ifexists", "columnifexists":
		return b.columnIfExists(c, sch)
	case "toscalar":
		return b.toscalar(c)
	case "pack_all":
		return b.packAll(c, sch)
	case "bin_auto":
		return b.binAuto(c, sch)
	}
	if x, ok := b.rowFunc(c, sch); ok {
		return x
	}
	if bnd := b.scope.lookup(name); bnd != nil && bnd.fn != nil {
		return b.callScalarFunc(c, bnd, sch)
	}
	f, ok := functions.Lookup(name)
	if !ok {
		b.unknownFunction(c.Fun)
		return bad()
	}
	if len(f.Outputs) > 0 {
		b.errorf(parser.PhaseType, c.Fun, "%s() returns several columns, so it cannot be part of an expression; "+
			"use it alone in extend or project: extend (a, b) = %s(...)", name, name)
		return bad()
	}
	if f.Kind == functions.Aggregate {
		b.errorf(parser.PhaseType, c.Fun, "aggregate function '%s' can only be used in summarize (or make-series)", name)
		return bad()
	}
	args := b.args(c, sch)
	if !b.checkArgs(c, f, args) {
		return bad()
	}
	call := b.callInfo(args)
	impl, err := f.Compile(call)
	if err != nil {
		b.errorf(parser.PhaseType, c, "%s(): %v", name, err)
		return bad()
	}
	out := applyImpl(f.ResultType(call), impl, args)
	out.name = functions.ResultName(name, f.Name, argNames(args))
	if volatile[name] {
		return out
	}
	return fold(out, args...)
}

// argNames returns the names the arguments give when projected unnamed.
func argNames(args []*expr) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a.name
	}
	return out
}

// firstName is the name a call gives when summarized by or projected
// unnamed: its first argument's column name, as Kusto names bin(Timestamp, 1h)
// "Timestamp".
func firstName(args []*expr) string {
	if len(args) > 0 {
		return args[0].name
	}
	return ""
}

// args binds the arguments of a call; named arguments bind their values.
func (b *binder) args(c *parser.CallExpr, sch tables.Schema) []*expr {
	out := make([]*expr, len(c.Args))
	for i, a := range c.Args {
		if n, ok := a.(*parser.NamedExpr); ok {
			a = n.Value
		}
		out[i] = b.scalar(a, sch)
	}
	return out
}

// checkArgs checks a call's argument count and types against the
// function's declaration. A dynamic or unknown argument fits any parameter
// (it is converted when the query runs), and any number fits a numeric one.
func (b *binder) checkArgs(c *parser.CallExpr, f *functions.Func, args []*expr) bool {
	min, max := f.Arity()
	if len(args) < min || (max >= 0 && len(args) > max) {
		b.errorf(parser.PhaseType, c, "%s() takes %s, not %d; usage: %s", f.Name, arityText(min, max), len(args), f.Signature())
		return false
	}
	ok := true
	for i, a := range args {
		p := f.ParamFor(i)
		if p.Const && a.konst == nil {
			b.errorf(parser.PhaseType, c.Args[i], "%s(): argument %d (%s) must be a constant", f.Name, i+1, p.Name)
			ok = false
		}
		if fits(p.Types, a.typ) {
			continue
		}
		b.errorf(parser.PhaseType, c.Args[i], "%s(): argument %d (%s) cannot be %s", f.Name, i+1, p.Name, a.typ)
		ok = false
	}
	return ok
}

func fits(ts functions.TypeSet, t tables.Type) bool {
	switch {
	case t == tables.Dynamic || t == tables.Unknown || ts.Has(t):
		return true
	case t.IsNumeric():
		return ts&functions.Numeric != 0
	}
	return false
}

func arityText(min, max int) string {
	switch {
	case max < 0:
		return "at least " + itoa(min) + " arguments"
	case min == max && min == 1:
		return "1 argument"
	case min == max:
		return itoa(min) + " arguments"
	}
	return itoa(min) + " to " + itoa(max) + " arguments"
}

func (b *binder) callInfo(args []*expr) *functions.Call {
	call := &functions.Call{Env: b.env, Types: make([]tables.Type, len(args)), Consts: make([]*tables.Value, len(args))}
	for i, a := range args {
		call.Types[i] = a.typ
		call.Consts[i] = a.konst
	}
	return call
}

// applyImpl builds the per-row evaluation of a scalar function: evaluate
// the arguments into a reused buffer, then call the implementation.
func applyImpl(t tables.Type, impl functions.Impl, args []*expr) *expr {
	return &expr{typ: t, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		fns, err := compileAll(rc, in, args)
		if err != nil {
			return nil, err
		}
		buf := make([]tables.Value, len(args))
		switch len(fns) {
		case 1:
			f0 := fns[0]
			return func(i int) tables.Value {
				buf[0] = f0(i)
				return impl(buf)
			}, nil
		}
		return func(i int) tables.Value {
			for k, f := range fns {
				buf[k] = f(i)
			}
			return impl(buf)
		}, nil
	}}
}

// columnIfExists binds column_ifexists(name, default): the column when the
// input has it, the default otherwise. Decided at bind time, as in Kusto.
func (b *binder) columnIfExists(c *parser.CallExpr, sch tables.Schema) *expr {
	if len(c.Args) != 2 {
		b.errorf(parser.PhaseType, c, "column_ifexists() takes 2 arguments: a column name and a default value")
		return bad()
	}
	name := b.scalar(c.Args[0], nil)
	if name.konst == nil || name.typ != tables.String {
		b.errorf(parser.PhaseType, c.Args[0], "column_ifexists(): the column name must be a constant string")
		return bad()
	}
	if i := sch.Index(name.konst.Str()); i >= 0 {
		return colExpr(i, sch[i])
	}
	return b.scalar(c.Args[1], sch)
}

// toscalar binds toscalar(T): the first column of the first row, computed
// once per run.
func (b *binder) toscalar(c *parser.CallExpr) *expr {
	if len(c.Args) != 1 {
		b.errorf(parser.PhaseType, c, "toscalar() takes one argument")
		return bad()
	}
	if !b.isTabular(c.Args[0]) {
		return b.scalar(c.Args[0], nil)
	}
	p := b.tabular(c.Args[0])
	sch := p.schema()
	if len(sch) == 0 {
		return bad()
	}
	t := sch[0].Type
	once := onceExpr
	if b.perPart > 0 {
		once = func(x *expr) *expr { return x }
	}
	return once(&expr{typ: t, build: func(rc *runCtx, _ *tables.Table) (rowFn, error) {
		res, err := p.run(rc)
		if err != nil {
			return nil, err
		}
		v := tables.Null(t)
		if res.Rows() > 0 && len(res.Columns) > 0 {
			v = res.Columns[0].Value(0)
		}
		return func(int) tables.Value { return v }, nil
	}})
}

// packAll binds pack_all([ignore_null_empty]): a bag of every column of the
// row. Inside extend that is the operator's input row: the columns an
// earlier item of the same extend adds are left out.
func (b *binder) packAll(c *parser.CallExpr, sch tables.Schema) *expr {
	if in := b.extendInput; in != nil && len(in) <= len(sch) && samePrefix(sch, in) {
		sch = sch[:len(in)]
	}
	skipEmpty := false
	if len(c.Args) == 1 {
		x := b.scalar(c.Args[0], nil)
		skipEmpty = x.konst != nil && x.konst.Bool()
	}
	return &expr{typ: tables.Dynamic, build: func(_ *runCtx, in *tables.Table) (rowFn, error) {
		return func(i int) tables.Value {
			buf := []byte{'{'}
			n := 0
			for ci, f := range sch {
				v := in.Columns[ci].Value(i)
				if skipEmpty && (v.IsNull() || (v.Type() == tables.String && v.Str() == "")) {
					continue
				}
				if n > 0 {
					buf = append(buf, ',')
				}
				n++
				buf = append(tables.AppendJSONString(buf, f.Name), ':')
				buf = tables.AppendJSON(buf, v)
			}
			return tables.NewDynamic(string(append(buf, '}')))
		}, nil
	}}
}

// binAuto binds bin_auto(value) as bin(value, size), or bin_at(value, size,
// at) when the query sets query_bin_auto_at, with size from set
// query_bin_auto_size: the bin_auto reference's definition.
func (b *binder) binAuto(c *parser.CallExpr, sch tables.Schema) *expr {
	if len(c.Args) != 1 {
		b.errorf(parser.PhaseType, c, "bin_auto() takes 1 argument, not %d", len(c.Args))
		return bad()
	}
	size, ok := b.sets["query_bin_auto_size"]
	if !ok {
		b.errorf(parser.PhaseType, c, "bin_auto() needs the bin size: set query_bin_auto_size=... before the query")
		return bad()
	}
	call := &parser.CallExpr{Span: c.Span, Fun: &parser.Ident{Span: c.Fun.Span, Name: "bin"},
		Args: []parser.Expr{c.Args[0], size}}
	if at, ok := b.sets["query_bin_auto_at"]; ok {
		call.Fun.Name = "bin_at"
		call.Args = append(call.Args, at)
	}
	return b.call(call, sch)
}

// samePrefix reports whether sch starts with the columns of in, by name: a
// subquery bound inside an extend has a schema of its own.
func samePrefix(sch, in tables.Schema) bool {
	for i, f := range in {
		if sch[i].Name != f.Name {
			return false
		}
	}
	return true
}

// callScalarFunc binds a call of a let function with a scalar body. Its
// parameters are bound to the caller's argument expressions, so they
// evaluate per row of the caller's input.
func (b *binder) callScalarFunc(c *parser.CallExpr, bnd *binding, sch tables.Schema) *expr {
	f := bnd.fn
	if b.funcIsTabular(f) {
		b.errorf(parser.PhaseType, c, "'%s' returns a table; a scalar is needed here", c.Fun.Name)
		return bad()
	}
	if !b.enterFunc(c, f) {
		return bad()
	}
	defer b.leaveFunc(f)
	vals := map[string]*binding{}
	args := matchArgs(f, c.Args)
	for i, p := range f.Params {
		arg := args[i]
		if arg == nil {
			arg = p.Default
		}
		if arg == nil {
			b.errorf(parser.PhaseType, c, "%s(): missing argument '%s'", c.Fun.Name, p.Name.Name)
			return bad()
		}
		x := b.scalar(arg, sch)
		vals[p.Name.Name] = &binding{val: x}
	}
	saved := b.scope
	b.scope = &scope{parent: bnd.env, names: vals}
	b.inFunc++
	defer func() { b.scope = saved; b.inFunc-- }()
	var result *expr
	for _, st := range f.Body {
		switch st := st.(type) {
		case *parser.LetStmt:
			b.let(st)
		case *parser.ExprStmt:
			result = b.scalar(st.X, nil)
		}
	}
	if result == nil {
		b.errorf(parser.PhaseType, c, "%s() has no result expression", c.Fun.Name)
		return bad()
	}
	return result
}

// itoa formats a small int.
func itoa(n int) string {
	return formatInt(n)
}

// matchArgs lines up a call's arguments with a let function's parameters:
// positional ones first, then name = value ones by name.
func matchArgs(f *parser.FuncLit, args []parser.Expr) []parser.Expr {
	out := make([]parser.Expr, len(f.Params))
	for i, a := range args {
		n, named := a.(*parser.NamedExpr)
		if !named || len(n.Names) != 1 {
			if i < len(out) {
				out[i] = a
			}
			continue
		}
		for k, p := range f.Params {
			if p.Name.Name == n.Names[0].Name {
				out[k] = n.Value
			}
		}
	}
	return out
}

// unknownFunction reports a call of a function kql lacks: a Kusto function
// it does not implement yet is unsupported; any other name is unknown.
func (b *binder) unknownFunction(id *parser.Ident) {
	if functions.IsKustoName(id.Name) {
		b.errorf(parser.PhaseUnsupported, id, "function '%s' is not supported yet", id.Name)
		return
	}
	b.errorf(parser.PhaseName, id, "unknown function '%s'%s", id.Name, suggest(id.Name, functions.Names()))
}
