package engine

import (
	"sort"
	"strconv"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// unionNames makes a union's output names unique. A column renamed by
// type-suffixing (x becomes x_long when legs disagree on x's type) yields
// to a column that has that name in a leg: the suffixed one takes a number
// (x_long1), as Kusto does. Other duplicates are numbered in order.
func unionNames(sch tables.Schema, suffixed []bool) tables.Schema {
	taken := map[string]bool{}
	for i, f := range sch {
		if !suffixed[i] {
			taken[f.Name] = true
		}
	}
	out := make(tables.Schema, len(sch))
	copy(out, sch)
	for i, f := range sch {
		if !suffixed[i] || !taken[f.Name] {
			continue
		}
		name := f.Name
		for n := 1; taken[name]; n++ {
			name = f.Name + strconv.Itoa(n)
		}
		taken[name] = true
		out[i].Name = name
	}
	return uniqueNames(out)
}

// legSource returns the name of the table or view a union leg reads
// first: the leg itself when it is a name, or the source of its pipe.
func legSource(l parser.Expr) (*parser.Ident, bool) {
	switch e := unparen(l).(type) {
	case *parser.Ident:
		return e, true
	case *parser.PipeExpr:
		return legSource(e.Source)
	}
	return nil, false
}

// tableNames returns the let-bound tabular names visible from s (views
// and tables), for wildcard union legs.
func (s *scope) tableNames() []string {
	seen := map[string]bool{}
	var out []string
	for sc := s; sc != nil; sc = sc.parent {
		for name, bnd := range sc.names {
			if !seen[name] && bnd != nil && (bnd.tab != nil || bnd.fn != nil && bnd.fn.View) {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}
