package engine

import (
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// projectByNames binds project-by-names: each specifier is a constant
// string (a column name or a * pattern) or a dynamic array of them, as
// column_names_of(T) gives. The output columns follow the specifiers in the
// order written, and within a pattern the table order; a column already
// taken is not repeated, and a name that matches nothing is ignored, as the
// project-by-names reference says.
func (b *binder) projectByNames(in plan, op *parser.ProjectByNamesOp) plan {
	sch := in.schema()
	used := make([]bool, len(sch))
	var idx []int
	for _, e := range op.Cols {
		names, ok := b.columnSpecifier(e)
		if !ok {
			return emptyPlan{}
		}
		for _, name := range names {
			for i, f := range sch {
				if !used[i] && matchPattern(name, f.Name) {
					used[i] = true
					idx = append(idx, i)
				}
			}
		}
	}
	return newSelect(in, idx, nil)
}

// columnSpecifier evaluates one project-by-names specifier while binding,
// since the output schema depends on it.
func (b *binder) columnSpecifier(e parser.Expr) ([]string, bool) {
	x := b.scalar(e, nil)
	if x.konst == nil {
		b.errorf(parser.PhaseType, e,
			"project-by-names needs constant column names: a string, or a dynamic array of strings")
		return nil, false
	}
	v := *x.konst
	switch {
	case v.IsNull():
		return nil, true
	case v.Type() == tables.String:
		return []string{v.Str()}, true
	case v.Type() == tables.Dynamic && v.DynKind() == tables.DynArray:
		var names []string
		ok := true
		v.Elements(func(_ string, el tables.Value) bool {
			s, isStr := el.DynString()
			if !isStr {
				ok = false
				return false
			}
			names = append(names, s)
			return true
		})
		if ok {
			return names, true
		}
	}
	b.errorf(parser.PhaseType, e, "project-by-names takes strings or dynamic arrays of strings, not %s",
		v.Type())
	return nil, false
}
