package engine

import (
	"strings"

	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// binder walks the AST once, resolving names against the let scope and the
// catalog, and builds the plan. Errors are collected, not returned early, so
// that one run reports every problem it can find.
type binder struct {
	cat   *Catalog
	env   *functions.Env
	errs  parser.ErrorList
	scope *scope
	// aggRefs maps an aggregate call nested in a summarize expression to
	// the hidden column that holds its value after grouping.
	aggRefs map[*parser.CallExpr]int
	// inFunc counts the let-function bodies being bound: a scalar let
	// inside one may depend on the parameters, so it is not computed once.
	inFunc int
	// opts are the query's options, for plans run while binding (an
	// externaldata input of pivot needs Options.ExternalData).
	opts Options
	// extendInput is the input schema of the extend being bound, if any:
	// pack_all() there packs the row as it came in, not the columns the
	// same extend adds before it (the pack_all reference's example).
	extendInput tables.Schema
	// scanSteps names the steps of the scan being bound: there Step.Column
	// reads the environment column of that name (see seqScanPlan).
	scanSteps map[string]int
	// sets holds the values of the set statements bin_auto() reads, by
	// lower-case name.
	sets map[string]parser.Expr
	// perPart counts the subqueries being bound that run once per part of
	// their input (partition, mv-apply): there toscalar() may read the part
	// (through an `as` name), so it is computed at each run of the
	// subquery rather than once per query.
	perPart int
	// patterns holds the patterns the script declares, by name.
	patterns map[string]*pattern
	// expanding holds the let-function bodies being bound, so that a
	// function that calls itself, directly or through another, is refused
	// instead of expanding without end (see enterFunc).
	expanding map[parser.Node]bool
}

// set records a set statement bin_auto() depends on.
func (b *binder) set(st *parser.SetStmt) {
	name := strings.ToLower(st.Name.Name)
	if name != "query_bin_auto_size" && name != "query_bin_auto_at" || st.Value == nil {
		return
	}
	if b.sets == nil {
		b.sets = map[string]parser.Expr{}
	}
	b.sets[name] = st.Value
}

// scope is one level of let bindings; a let function's body gets its own.
type scope struct {
	parent *scope
	names  map[string]*binding
}

// binding is what a let name stands for: a tabular plan, a scalar, or a
// function to be bound at each call.
type binding struct {
	tab plan
	val *expr
	fn  *parser.FuncLit
	env *scope // the scope a function was defined in
}

func (s *scope) lookup(name string) *binding {
	for ; s != nil; s = s.parent {
		if b, ok := s.names[name]; ok {
			return b
		}
	}
	return nil
}

func (b *binder) push() { b.scope = &scope{parent: b.scope, names: map[string]*binding{}} }
func (b *binder) pop()  { b.scope = b.scope.parent }

// script binds every statement and returns the last tabular one as the query.
func (b *binder) script(s *parser.Script) *Query {
	b.push()
	var q *Query
	for _, st := range s.Stmts {
		switch st := st.(type) {
		case *parser.LetStmt:
			b.let(st)
		case *parser.ExprStmt:
			if p := b.stmtExpr(st); p != nil {
				q = &Query{root: p, span: st.Span}
			}
		case *parser.PatternStmt:
			b.declarePattern(st)
		case *parser.SetStmt:
			// Request properties change nothing kql computes, but for
			// the two that bin_auto() reads.
			b.set(st)
		default:
			b.errorf(parser.PhaseUnsupported, st, "this statement is not supported")
		}
	}
	return q
}

func (b *binder) stmtExpr(st *parser.ExprStmt) plan {
	if !b.isTabular(st.X) {
		b.errorf(parser.PhaseUnsupported, st, "a query statement must be tabular; use print to show a scalar")
		return nil
	}
	return b.tabular(st.X)
}

// let binds one let statement in the current scope.
func (b *binder) let(st *parser.LetStmt) {
	bnd := &binding{}
	switch v := unparen(st.Value).(type) {
	case *parser.FuncLit:
		bnd.fn, bnd.env = v, b.scope
	default:
		if b.isTabular(v) {
			bnd.tab = b.tabular(v)
			if !failed(bnd.tab) {
				bnd.tab = &cached{plan: bnd.tab}
			}
		} else {
			bnd.val = b.scalarLet(v)
		}
	}
	b.scope.names[st.Name.Name] = bnd
}

// scalarLet binds a scalar let value. It sees no columns; if it is constant
// it is folded now, otherwise (toscalar) it is computed once per run.
func (b *binder) scalarLet(e parser.Expr) *expr {
	x := b.scalar(e, nil)
	if x.konst == nil && b.inFunc == 0 {
		x = onceExpr(x)
	}
	return x
}

func unparen(e parser.Expr) parser.Expr {
	for {
		p, ok := e.(*parser.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

// isTabular tells a tabular expression from a scalar one. The text alone
// does not always say (a bare name may be a table or a scalar let), so the
// scope and the catalog are consulted.
func (b *binder) isTabular(e parser.Expr) bool {
	if _, _, _, ok := b.patternCall(unparen(e)); ok {
		return true
	}
	switch e := unparen(e).(type) {
	case *parser.PipeExpr, *parser.DatatableExpr, *parser.RangeExpr,
		*parser.PrintExpr, *parser.UnionExpr, *parser.SearchExpr, *parser.FindExpr,
		*parser.ExternalDataExpr:
		return true
	case *parser.Ident:
		if bnd := b.scope.lookup(e.Name); bnd != nil {
			return bnd.tab != nil || (bnd.fn != nil && bnd.fn.View)
		}
		_, ok := b.cat.Table(e.Name)
		return ok || strings.Contains(e.Name, "*")
	case *parser.MemberExpr:
		return isArgCall(e.X)
	case *parser.CallExpr:
		switch e.Fun.Name {
		case "materialize", "view", "_GetWatchlist", "table":
			return true
		}
		if bnd := b.scope.lookup(e.Fun.Name); bnd != nil && bnd.fn != nil {
			return b.funcIsTabular(bnd.fn)
		}
	}
	return false
}

// funcIsTabular reports whether a let function's body ends in a tabular
// expression, without binding it.
func (b *binder) funcIsTabular(f *parser.FuncLit) bool {
	if len(f.Body) == 0 {
		return false
	}
	last, ok := f.Body[len(f.Body)-1].(*parser.ExprStmt)
	if !ok {
		return false
	}
	switch unparen(last.X).(type) {
	case *parser.PipeExpr, *parser.DatatableExpr, *parser.RangeExpr,
		*parser.PrintExpr, *parser.UnionExpr, *parser.SearchExpr, *parser.FindExpr,
		*parser.ExternalDataExpr:
		return true
	}
	return false
}

// tabular binds a tabular expression to a plan. It never returns nil: on an
// error it records it and returns an empty plan so binding can go on.
func (b *binder) tabular(e parser.Expr) plan {
	if p, call, path, ok := b.patternCall(e); ok {
		return b.invokePattern(e, p, call, path)
	}
	switch e := e.(type) {
	case *parser.ParenExpr:
		return b.tabular(e.X)
	case *parser.PipeExpr:
		p := b.tabular(e.Source)
		for _, op := range e.Ops {
			if failed(p) {
				// The error is reported; binding on would only report
				// columns the failed operator would have made.
				return p
			}
			p = b.operator(p, op)
		}
		return p
	case *parser.Ident:
		return b.tableRef(e)
	case *parser.DatatableExpr:
		return b.datatable(e)
	case *parser.RangeExpr:
		return b.rangePlan(e)
	case *parser.PrintExpr:
		return b.print(e)
	case *parser.UnionExpr:
		return b.union(nil, e.Params, e.Tables, e)
	case *parser.CallExpr:
		return b.tabularCall(e)
	case *parser.MemberExpr:
		if isArgCall(e.X) {
			return b.argTable(e)
		}
	case *parser.ExternalDataExpr:
		return b.externalData(e)
	case *parser.SearchExpr:
		return b.searchSource(e)
	case *parser.FindExpr:
		return b.find(e)
	}
	b.errorf(parser.PhaseName, e, "expected a tabular expression (a table, a let-bound table or a query)")
	return emptyPlan{}
}

// tableRef resolves a name at the start of a pipeline: a let-bound table
// first (lets shadow tables), then the catalog.
func (b *binder) tableRef(id *parser.Ident) plan {
	if bnd := b.scope.lookup(id.Name); bnd != nil {
		switch {
		case bnd.tab != nil:
			return bnd.tab
		case bnd.fn != nil:
			return b.callFunc(id, bnd, nil)
		}
		b.errorf(parser.PhaseName, id, "'%s' is a scalar, not a table", id.Name)
		return emptyPlan{}
	}
	if t, ok := b.cat.Table(id.Name); ok {
		return &scanPlan{t: t}
	}
	if strings.Contains(id.Name, "*") {
		return b.wildcardUnion(id)
	}
	b.errorf(parser.PhaseName, id, "unknown table '%s'%s", id.Name, suggest(id.Name, b.tableNames()))
	return emptyPlan{}
}

func (b *binder) tableNames() []string {
	names := b.cat.Names()
	for s := b.scope; s != nil; s = s.parent {
		for n, bnd := range s.names {
			if bnd.tab != nil {
				names = append(names, n)
			}
		}
	}
	return names
}

// tabularCall binds materialize(T), view-less let function calls and the
// tabular built-ins.
func (b *binder) tabularCall(c *parser.CallExpr) plan {
	if p, ok := b.workspaceCall(c); ok { // _GetWatchlist (workspace.go)
		return p
	}
	switch c.Fun.Name {
	case "table":
		return b.tableCall(c)
	case "materialize":
		if len(c.Args) != 1 {
			b.errorf(parser.PhaseType, c, "materialize() takes one tabular argument")
			return emptyPlan{}
		}
		p := b.tabular(c.Args[0])
		if failed(p) {
			return p // reported; a cache of nothing would hide the failure
		}
		return &cached{plan: p}
	}
	if bnd := b.scope.lookup(c.Fun.Name); bnd != nil && bnd.fn != nil {
		return b.callFunc(c.Fun, bnd, c.Args)
	}
	b.errorf(parser.PhaseUnsupported, c, "tabular function '%s' is not supported", c.Fun.Name)
	return emptyPlan{}
}

// callFunc binds a call of a let function returning a table. Each call is
// bound afresh with its arguments in a new scope whose parent is the scope
// the function was defined in, so the body sees its own lets and the
// caller's arguments.
func (b *binder) callFunc(at parser.Node, bnd *binding, args []parser.Expr) plan {
	f := bnd.fn
	if !b.enterFunc(at, f) {
		return emptyPlan{}
	}
	defer b.leaveFunc(f)
	if len(args) > len(f.Params) {
		b.errorf(parser.PhaseType, at, "too many arguments: the function takes %d", len(f.Params))
		return emptyPlan{}
	}
	vals := b.funcArgs(at, f, args)
	saved := b.scope
	b.scope = &scope{parent: bnd.env, names: vals}
	defer func() { b.scope = saved }()
	defer b.storedErrors(at, f)() // errors inside a stored function (workspace.go)
	var result plan
	for _, st := range f.Body {
		switch st := st.(type) {
		case *parser.LetStmt:
			b.let(st)
		case *parser.ExprStmt:
			result = b.tabular(st.X)
		}
	}
	if result == nil {
		b.errorf(parser.PhaseType, at, "the function has no tabular result")
		return emptyPlan{}
	}
	return result
}

// funcArgs binds call arguments (in the caller's scope) to parameter names.
func (b *binder) funcArgs(at parser.Node, f *parser.FuncLit, args []parser.Expr) map[string]*binding {
	vals := map[string]*binding{}
	matched := matchArgs(f, args)
	for i, p := range f.Params {
		arg := matched[i]
		placed := func() {}
		if arg == nil && p.Default != nil {
			arg = p.Default
			placed = b.storedDefaultErrors(at, f, p) // a stored function's default (workspace.go)
		}
		if arg == nil {
			b.errorf(parser.PhaseType, at, "missing argument '%s'", p.Name.Name)
			continue
		}
		if p.Tabular {
			vals[p.Name.Name] = &binding{tab: b.tabular(arg)}
		} else {
			vals[p.Name.Name] = &binding{val: b.scalarLet(arg)}
		}
		placed()
	}
	return vals
}

// failed reports whether a plan stands in for one that did not bind.
func failed(p plan) bool {
	_, bad := p.(emptyPlan)
	return bad
}

// isArgCall reports whether e is arg(...), the Azure Resource Graph of
// arg("").Resources.
func isArgCall(e parser.Expr) bool {
	c, ok := unparen(e).(*parser.CallExpr)
	return ok && c.Fun != nil && c.Fun.Name == "arg"
}

// argTable binds arg("").T, a table of Azure Resource Graph, to the loaded
// table T: Resource Graph's tables live outside any workspace, so their
// rows come from local files like any other table's. Resource Graph's
// table names ignore case (resources is Resources), so a table that
// differs from T only in case is taken when it is the only one.
func (b *binder) argTable(m *parser.MemberExpr) plan {
	c := unparen(m.X).(*parser.CallExpr)
	if len(c.Args) != 1 {
		b.errorf(parser.PhaseType, c, "arg() takes one argument, the empty string: arg(\"\").Resources")
		return emptyPlan{}
	}
	v := b.scalar(c.Args[0], nil)
	if v.konst == nil || v.typ != tables.String || v.konst.Str() != "" {
		b.errorf(parser.PhaseUnsupported, c.Args[0], "arg(): only arg(\"\"), the current tenant's Resource Graph, is supported")
		return emptyPlan{}
	}
	name := m.Name.Name
	if _, ok := b.cat.Table(name); !ok {
		if only := b.foldedTable(name); only != "" {
			name = only
		}
	}
	if t, ok := b.cat.Table(name); ok {
		return &scanPlan{t: t}
	}
	b.errorf(parser.PhaseName, m.Name, "unknown table '%s' (Azure Resource Graph's arg(\"\").%s reads the loaded table %s; "+
		"load it, for example -t %s=%s.json)%s", name, name, name, name, name, suggest(name, b.cat.Names()))
	return emptyPlan{}
}

// foldedTable returns the one catalog table whose name equals name but
// for case, or "".
func (b *binder) foldedTable(name string) string {
	found := ""
	for _, n := range b.cat.Names() {
		if strings.EqualFold(n, name) {
			if found != "" {
				return ""
			}
			found = n
		}
	}
	return found
}

// tableCall binds table("Name"): the table (or let-bound table) of that
// name, as if written bare. Names of other databases are not supported.
func (b *binder) tableCall(c *parser.CallExpr) plan {
	if len(c.Args) != 1 {
		b.errorf(parser.PhaseType, c, "table() takes the table's name as one constant string")
		return emptyPlan{}
	}
	name := b.scalar(c.Args[0], nil)
	if name.konst == nil || name.typ != tables.String {
		b.errorf(parser.PhaseType, c.Args[0], "table(): the table name must be a constant string")
		return emptyPlan{}
	}
	return b.tableRef(&parser.Ident{Span: c.Args[0].Pos(), Name: name.konst.Str()})
}

// enterFunc marks f's body (a let function's, or a pattern rule's) as being
// bound, or reports a recursive call at at and returns false. Kusto's user-defined functions cannot be recursive;
// kql binds a call by expanding the body, so recursion would never end.
func (b *binder) enterFunc(at parser.Node, f parser.Node) bool {
	if b.expanding[f] {
		name := "a function"
		switch n := at.(type) {
		case *parser.CallExpr:
			name = "'" + n.Fun.Name + "'"
		case *parser.Ident:
			name = "'" + n.Name + "'"
		}
		b.errorf(parser.PhaseType, at, "%s calls itself: recursive functions are not supported (as in Kusto)", name)
		return false
	}
	if b.expanding == nil {
		b.expanding = map[parser.Node]bool{}
	}
	b.expanding[f] = true
	return true
}

func (b *binder) leaveFunc(f parser.Node) { delete(b.expanding, f) }
