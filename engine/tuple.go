package engine

import (
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// sortTuple binds an item of print, project or extend that is
// array_sort_asc or array_sort_desc over several arrays: Kusto makes one
// column of each sorted array. Names written as (a, b) = ... or a = ... name
// the first columns; the others are the argument's own name + "_sorted", or
// "array<i>_sorted" for an argument without one, as Microsoft's analyser
// names them. ok is false when e is not such an item; the first `named`
// items have the names written.
func (b *binder) sortTuple(e parser.Expr, sch tables.Schema) (items []projItem, named int, ok bool) {
	var names []*parser.Ident
	if n, isNamed := e.(*parser.NamedExpr); isNamed {
		names, e = n.Names, n.Value
	}
	c, isCall := e.(*parser.CallExpr)
	if !isCall || c.Fun == nil {
		return nil, 0, false
	}
	if fn := strings.ToLower(c.Fun.Name); fn != "array_sort_asc" && fn != "array_sort_desc" {
		return nil, 0, false
	}
	if bnd := b.scope.lookup(c.Fun.Name); bnd != nil {
		return nil, 0, false // a let function of that name hides the built-in
	}
	args := make([]*expr, len(c.Args))
	for i, a := range c.Args {
		args[i] = b.scalar(a, sch)
	}
	arrays := len(args)
	if arrays > 1 && args[arrays-1].typ == tables.Bool {
		arrays-- // the nulls_last flag
	}
	if arrays < 2 {
		return nil, 0, false
	}
	if len(names) > arrays {
		b.errorf(parser.PhaseType, e, "%s() makes %d columns, but %d names are given",
			c.Fun.Name, arrays, len(names))
		return []projItem{{name: names[0].Name, x: bad()}}, 1, true
	}
	whole := b.call(c, sch)
	for i := 0; i < arrays; i++ {
		name := args[i].name + "_sorted"
		switch {
		case i < len(names):
			name = names[i].Name
		case args[i].name == "":
			name = "array" + itoa(i) + "_sorted"
		}
		items = append(items, projItem{name: name, x: elementExpr(whole, i)})
	}
	return items, len(names), true
}

// elementExpr is element i of the dynamic array x gives.
func elementExpr(x *expr, i int) *expr {
	return &expr{typ: tables.Dynamic, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		f, err := x.compile(rc, in)
		if err != nil {
			return nil, err
		}
		return func(r int) tables.Value {
			v := f(r)
			if v.IsNull() {
				return v
			}
			return v.Index(int64(i))
		}, nil
	}}
}
