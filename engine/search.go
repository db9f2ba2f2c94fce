package engine

import (
	"strings"

	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// searchSourceColumn names the column search adds to say which table a
// row came from.
const searchSourceColumn = "$table"

// searchOp binds `T | search Pred`: a where whose predicate may use bare
// string terms (matched against every column) and Column:"term". The
// piped form keeps T's columns; kql adds no $table column to it.
func (b *binder) searchOp(in plan, op *parser.SearchOp) plan {
	if len(op.Tables) > 0 {
		b.errorf(parser.PhaseType, op, "search over a piped input cannot name tables with in (...)")
		return emptyPlan{}
	}
	cs := caseSensitive(op.Params)
	return &wherePlan{in: in, pred: b.searchPred(op.Pred, in.schema(), cs)}
}

// searchSource binds search at the start of a query: the union (kind
// outer) of the tables named in (...) or, without them, of every table of
// the catalog, with a $table column first, filtered by the predicate.
func (b *binder) searchSource(e *parser.SearchExpr) plan {
	legs := e.Tables
	if len(legs) == 0 {
		for _, n := range b.cat.Names() {
			legs = append(legs, &parser.Ident{Span: e.Span, Name: n})
		}
	}
	if len(legs) == 0 {
		b.errorf(parser.PhaseName, e, "search has no table to read: no tables are loaded")
		return emptyPlan{}
	}
	src := &parser.Property{Span: e.Span, Name: &parser.Ident{Span: e.Span, Name: "withsource"},
		Value: &parser.Ident{Span: e.Span, Name: searchSourceColumn}}
	u := b.union(nil, []*parser.Property{src}, legs, e)
	if failed(u) {
		return u
	}
	return &wherePlan{in: u, pred: b.searchPred(e.Pred, u.schema(), caseSensitive(e.Params))}
}

func caseSensitive(params []*parser.Property) bool {
	for _, p := range params {
		if strings.EqualFold(p.Name.Name, "kind") && strings.EqualFold(identOrString(p.Value), "case_sensitive") {
			return true
		}
	}
	return false
}

// searchPred binds a search predicate. A bare string term matches a row
// when any column (but $table) matches it: "x" with has, "x*" with
// hasprefix, "*x" with hassuffix, "*x*" with contains, and any other
// wildcard pattern as a regular expression; Column:"term" matches in one
// column. and, or, not() and parentheses combine terms with ordinary
// predicates, which bind as in where.
func (b *binder) searchPred(e parser.Expr, sch tables.Schema, cs bool) *expr {
	switch e := e.(type) {
	case *parser.ParenExpr:
		return b.searchPred(e.X, sch, cs)
	case *parser.StarExpr:
		return konst(tables.NewBool(true)) // search *: every row
	case *parser.Literal:
		if e.Kind == parser.LitString {
			return termExpr(e.Text, allColumns(sch), cs)
		}
	case *parser.BinaryExpr:
		switch strings.ToLower(e.Op) {
		case "and", "or":
			x, y := b.searchPred(e.X, sch, cs), b.searchPred(e.Y, sch, cs)
			return boolCombine(strings.ToLower(e.Op) == "and", x, y)
		case ":":
			id, ok := unparen(e.X).(*parser.Ident)
			lit, okl := unparen(e.Y).(*parser.Literal)
			if !ok || !okl {
				b.errorf(parser.PhaseType, e, "search: use Column:\"term\"")
				return bad()
			}
			i := sch.Index(id.Name)
			if i < 0 {
				b.errorf(parser.PhaseName, id, "unknown column '%s'%s", id.Name, suggest(id.Name, sch.Names()))
				return bad()
			}
			return termExpr(lit.Text, []int{i}, cs)
		}
	case *parser.CallExpr:
		if e.Fun.Name == "not" && len(e.Args) == 1 {
			x := b.searchPred(e.Args[0], sch, cs)
			return boolNot(x)
		}
	}
	return b.scalar(e, sch)
}

// allColumns lists the columns a bare term searches: all but $table.
func allColumns(sch tables.Schema) []int {
	var out []int
	for i, f := range sch {
		if f.Name != searchSourceColumn {
			out = append(out, i)
		}
	}
	return out
}

// termMatcher returns the string test of a search term.
func termMatcher(term string, cs bool) func(string) bool {
	with := func(name, needle string) func(string) bool {
		if cs {
			name += "_cs"
		}
		f, _ := functions.StringOp(name)
		return func(s string) bool { return f(s, needle) }
	}
	inner := strings.Trim(term, "*")
	switch {
	case inner == "":
		return func(string) bool { return true }
	case !strings.Contains(term, "*"):
		return with("has", term)
	case strings.Contains(inner, "*"):
		return wildcardMatcher(strings.Split(term, "*"), !cs)
	case strings.HasPrefix(term, "*") && strings.HasSuffix(term, "*"):
		return with("contains", inner)
	case strings.HasSuffix(term, "*"):
		return with("hasprefix", inner)
	default:
		return with("hassuffix", inner)
	}
}

// wildcardMatcher matches a term with * inside it: the text must hold the
// parts in order, anywhere (a*b*c). It compares bytes rather than build a
// regular expression, which invalid UTF-8 in the term would break; fold
// compares case-insensitively.
func wildcardMatcher(parts []string, fold bool) func(string) bool {
	if fold {
		for i := range parts {
			parts[i] = strings.ToLower(parts[i])
		}
	}
	return func(s string) bool {
		if fold {
			s = strings.ToLower(s)
		}
		for _, p := range parts {
			i := strings.Index(s, p)
			if i < 0 {
				return false
			}
			s = s[i+len(p):]
		}
		return true
	}
}

// termExpr is true for a row when one of the columns matches the term.
func termExpr(term string, cols []int, cs bool) *expr {
	match := termMatcher(term, cs)
	return &expr{typ: tables.Bool, build: func(_ *runCtx, in *tables.Table) (rowFn, error) {
		return func(r int) tables.Value {
			for _, c := range cols {
				v := in.Columns[c].Value(r)
				if !v.IsNull() && match(v.String()) {
					return tables.NewBool(true)
				}
			}
			return tables.NewBool(false)
		}, nil
	}}
}

// truth reads a predicate's value: null and non-bool are false.
func truth(v tables.Value) bool {
	if v.Type() != tables.Bool {
		v = asBool(v)
	}
	return !v.IsNull() && v.Bool()
}

// boolCombine is x and y (or x or y), nulls counting as false.
func boolCombine(and bool, x, y *expr) *expr {
	return &expr{typ: tables.Bool, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		fx, err := x.compile(rc, in)
		if err != nil {
			return nil, err
		}
		fy, err := y.compile(rc, in)
		if err != nil {
			return nil, err
		}
		return func(r int) tables.Value {
			if truth(fx(r)) != and {
				return tables.NewBool(!and)
			}
			return tables.NewBool(truth(fy(r)))
		}, nil
	}}
}

// boolNot negates a predicate, null counting as false.
func boolNot(x *expr) *expr {
	return &expr{typ: tables.Bool, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		f, err := x.compile(rc, in)
		if err != nil {
			return nil, err
		}
		return func(r int) tables.Value { return tables.NewBool(!truth(f(r))) }, nil
	}}
}
