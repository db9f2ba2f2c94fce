package engine

import (
	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// Functions with several results (series_stats, series_fit_line) give
// several columns of extend or project, one per result, named as
// Microsoft's analyser (Kusto.Language) names them: f_x_result, where x is
// the first argument's column name (f__result when it has none); (a, b) =
// f(x) names the first results, and the others keep their default names.
// In extend a default name that is already a column gets a number
// (series_stats_x_min1), where a written name replaces the column. The
// reference of series_fit_2lines says extend keeps only the named results;
// the analyser, which reports every result, is followed here.

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

// multiAssign binds an item of extend or project to its columns; sch is
// the extend's columns so far (nil for project, whose duplicate names
// uniqueNames numbers). ok is false when the item is not a call of a
// function with several results.
func (b *binder) multiAssign(e parser.Expr, sch, cols tables.Schema) (items []projItem, ok bool) {
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
	prefix := f.Name + "_" + firstName(args) + "_"
	taken := map[string]bool{}
	for _, c := range cols {
		taken[c.Name] = true
	}
	for k, out := range f.Outputs {
		name := prefix + out.Name
		if k < len(names) {
			name = names[k].Name
		} else {
			for n := 1; taken[name]; n++ {
				name = prefix + out.Name + itoa(n)
			}
		}
		taken[name] = true
		items = append(items, projItem{name: name, x: multiOutput(out.Type, impl, args, k, len(f.Outputs))})
	}
	return items, true
}

// multiOutput is result k of a call: each result's column evaluates the
// call again, which keeps columns independent of the order operators
// build them in (these functions read one short series per row).
func multiOutput(t tables.Type, impl functions.MultiImpl, args []*expr, k, n int) *expr {
	return &expr{typ: t, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		fns, err := compileAll(rc, in, args)
		if err != nil {
			return nil, err
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
