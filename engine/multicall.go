package engine

import (
	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// Functions with several results (series_stats, series_fit_line) give
// several columns of extend or project. As documented for
// series_fit_2lines: unnamed, every result gets a column named
// f_x_result (x is the argument's column); (a, b) = f(x) names the first
// results, and then extend keeps only the named ones while project keeps
// the rest under their default names.

// multiCall returns the call and the names of an item of extend or
// project whose value is a call of a function with several results.
func (b *binder) multiCall(e parser.Expr) (*parser.CallExpr, []*parser.Ident, *functions.Func) {
	var names []*parser.Ident
	if n, ok := e.(*parser.NamedExpr); ok {
		names, e = n.Names, n.Value
	}
	c, ok := unparen(e).(*parser.CallExpr)
	if !ok || c.Fun == nil {
		return nil, nil, nil
	}
	if bnd := b.scope.lookup(c.Fun.Name); bnd != nil && bnd.fn != nil {
		return nil, nil, nil
	}
	f, ok := functions.Lookup(c.Fun.Name)
	if !ok || len(f.Outputs) == 0 {
		return nil, nil, nil
	}
	return c, names, f
}

// multiAssign binds an item of extend (project false) or project to its
// columns; ok is false when the item is not a call of a function with
// several results.
func (b *binder) multiAssign(e parser.Expr, sch tables.Schema, project bool) (items []projItem, ok bool) {
	c, names, f := b.multiCall(e)
	if c == nil {
		return nil, false
	}
	if len(names) > len(f.Outputs) {
		b.errorf(parser.PhaseType, names[len(f.Outputs)], "%s() has %d results, not %d", f.Name, len(f.Outputs), len(names))
		return nil, true
	}
	args := b.args(c, sch)
	if !b.checkArgs(c, f, args) {
		return nil, true
	}
	impl, err := f.CompileMulti(b.callInfo(args))
	if err != nil {
		b.errorf(parser.PhaseType, c, "%s(): %v", f.Name, err)
		return nil, true
	}
	prefix := f.Name + "_"
	if n := firstName(args); n != "" {
		prefix += n + "_"
	}
	for k, out := range f.Outputs {
		name := prefix + out.Name
		switch {
		case k < len(names):
			name = names[k].Name
		case len(names) > 0 && !project:
			return items, true
		}
		items = append(items, projItem{name: name, x: multiOutput(out.Type, impl, args, k, len(f.Outputs))})
	}
	return items, true
}

// multiOutput is result k of a call: each result's column evaluates the
// call again, which keeps columns independent of the order operators
// build them in (these functions read one short series per row).
func multiOutput(t tables.Type, impl functions.MultiImpl, args []*expr, k, n int) *expr {
	return &expr{typ: t, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		fns := make([]rowFn, len(args))
		for i, a := range args {
			f, err := a.compile(rc, in)
			if err != nil {
				return nil, err
			}
			fns[i] = f
		}
		buf := make([]tables.Value, len(args))
		out := make([]tables.Value, n)
		return func(i int) tables.Value {
			for j, f := range fns {
				buf[j] = f(i)
			}
			impl(buf, out)
			return out[k]
		}, nil
	}}
}
