package engine

import (
	"sort"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// operator binds one tabular operator over its input plan.
func (b *binder) operator(in plan, op parser.Operator) plan {
	var p plan
	switch op := op.(type) {
	case *parser.WhereOp:
		p = b.where(in, op)
	case *parser.ExtendOp:
		p = b.extend(in, op)
	case *parser.ProjectOp:
		p = b.project(in, op)
	case *parser.ProjectAwayOp:
		p = b.projectAway(in, op.Cols, false)
	case *parser.ProjectKeepOp:
		p = b.projectAway(in, op.Cols, true)
	case *parser.ProjectRenameOp:
		p = b.projectRename(in, op)
	case *parser.ProjectReorderOp:
		p = b.projectReorder(in, op)
	case *parser.ProjectByNamesOp:
		p = b.projectByNames(in, op)
	case *parser.ScanOp:
		p = b.scanOp(in, op)
	case *parser.PartitionOp:
		p = b.partition(in, op)
	case *parser.SummarizeOp:
		p = b.summarize(in, op)
	case *parser.DistinctOp:
		p = b.distinct(in, op)
	case *parser.MvExpandOp:
		p = b.mvExpand(in, op)
	case *parser.MvApplyOp:
		p = b.mvApply(in, op)
	case *parser.ParseOp:
		p = b.parse(in, op)
	case *parser.ParseKvOp:
		p = b.parseKv(in, op)
	case *parser.UnionOp:
		p = b.union(in, op.Params, op.Tables, op)
	case *parser.TakeOp:
		p = b.take(in, op.Count)
	case *parser.CountOp:
		p = &countPlan{in: in}
	case *parser.SortOp:
		p = b.sort(in, op.By, nil)
	case *parser.TopOp:
		p = b.sort(in, op.By, op.Count)
	case *parser.GetSchemaOp:
		p = &getSchemaPlan{in: in}
	case *parser.JoinOp:
		p = b.join(in, op.Params, op.Right, op.On, op, false)
	case *parser.LookupOp:
		p = b.join(in, op.Params, op.Right, op.On, op, true)
	case *parser.AsOp:
		p = b.as(in, op)
	case *parser.InvokeOp:
		p = b.invoke(in, op)
	case *parser.EvaluateOp:
		p = b.evaluate(in, op)
	case *parser.MakeSeriesOp:
		p = b.makeSeries(in, op)
	case *parser.TopNestedOp:
		p = b.topNested(in, op)
	case *parser.SearchOp:
		p = b.searchOp(in, op)
	case *parser.SampleOp:
		p = b.sample(in, op)
	case *parser.SampleDistinctOp:
		p = b.sampleDistinct(in, op)
	case *parser.SerializeOp, *parser.RenderOp:
		// serialize marks the rows ordered and render draws them: neither
		// changes the rows.
		return in
	default:
		b.errorf(parser.PhaseUnsupported, op, "operator '%s' is not supported yet", op.OpName())
		return emptyPlan{}
	}
	if failed(p) {
		return p
	}
	return &spanned{plan: p, at: op.Pos()}
}

// spanned records which operator is running, so that a cancellation or an
// internal error names it.
type spanned struct {
	plan
	at parser.Span
}

func (s *spanned) run(rc *runCtx) (*tables.Table, error) {
	if err := rc.check(); err != nil {
		return nil, err
	}
	saved := rc.at
	rc.at = s.at
	t, err := s.plan.run(rc)
	rc.at = saved
	return t, err
}

// checkEvery is how many rows a long loop processes between checks of the
// context.
const checkEvery = 1 << 16

// evalColumn evaluates x for every row of in. A plain column reference
// returns the input column itself.
func evalColumn(rc *runCtx, x *expr, in *tables.Table) (*tables.Column, error) {
	if x.col > 0 {
		return in.Columns[x.col-1], nil
	}
	f, err := x.compile(rc, in)
	if err != nil {
		return nil, err
	}
	t := x.typ
	if t == tables.Unknown {
		t = tables.Dynamic
	}
	n := in.Rows()
	col := tables.NewColumn(t, n)
	for i := 0; i < n; i++ {
		if i%checkEvery == checkEvery-1 {
			if err := rc.check(); err != nil {
				return nil, err
			}
		}
		col.Append(f(i))
	}
	return col, nil
}

// wherePlan keeps the rows whose predicate is true.
type wherePlan struct {
	in   plan
	pred *expr
	// filters drop rows of an mv-expand chain's input that cannot give a
	// row the where keeps (prefilter.go).
	filters []textFilter
}

func (b *binder) where(in plan, op *parser.WhereOp) plan {
	pred := b.scalar(op.Pred, in.schema())
	if pred.typ != tables.Bool && pred.typ != tables.Dynamic && pred.typ != tables.Unknown {
		b.errorf(parser.PhaseType, op.Pred, "the where predicate must be bool, not %s", pred.typ)
	}
	return &wherePlan{in: in, pred: pred, filters: b.textFilters(pred, in)}
}

func (p *wherePlan) schema() tables.Schema { return p.in.schema() }

func (p *wherePlan) run(rc *runCtx) (*tables.Table, error) {
	if t, ok, err := p.runOverExpand(rc); ok {
		return t, err
	}
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	return p.filter(rc, t)
}

// filter keeps the rows of t whose predicate is true.
func (p *wherePlan) filter(rc *runCtx, t *tables.Table) (*tables.Table, error) {
	f, err := p.pred.compile(rc, t)
	if err != nil {
		return nil, err
	}
	n := t.Rows()
	idx := make([]int, 0, n/4+1)
	for i := 0; i < n; i++ {
		if i%checkEvery == checkEvery-1 {
			if err := rc.check(); err != nil {
				return nil, err
			}
		}
		v := f(i)
		if v.Type() != tables.Bool {
			v = asBool(v)
		}
		if !v.IsNull() && v.Bool() {
			idx = append(idx, i)
		}
	}
	if len(idx) == n {
		return t, nil
	}
	return t.Take(idx), nil
}

// projItem is one output column of project, extend or print.
type projItem struct {
	name string
	x    *expr
}

// assignment binds `name = x`, or a bare x whose name is its own (a column)
// or "" when it has none.
func (b *binder) assignment(e parser.Expr, sch tables.Schema) (string, *expr) {
	if n, ok := e.(*parser.NamedExpr); ok {
		if len(n.Names) != 1 {
			b.errorf(parser.PhaseUnsupported, n, "assigning to several names at once is not supported")
			return "", bad()
		}
		return n.Names[0].Name, b.scalar(n.Value, sch)
	}
	x := b.scalar(e, sch)
	return x.name, x
}

// projectPlan computes a new set of columns from its input.
type projectPlan struct {
	in    plan
	items []projItem
	out   tables.Schema
}

func (b *binder) project(in plan, op *parser.ProjectOp) plan {
	sch := in.schema()
	items := make([]projItem, 0, len(op.Cols))
	out := make(tables.Schema, 0, len(op.Cols))
	unnamed := 0
	for _, c := range op.Cols {
		if multi, ok := b.multiAssign(c, sch, nil); ok {
			for _, it := range multi {
				items = append(items, it)
				out = append(out, tables.Field{Name: it.name, Type: colType(it.x.typ)})
			}
			continue
		}
		if tuple, _, ok := b.sortTuple(c, sch); ok {
			for _, it := range tuple {
				items = append(items, it)
				out = append(out, tables.Field{Name: it.name, Type: it.x.typ})
			}
			continue
		}
		name, x := b.assignment(c, sch)
		if x.col == 0 && !isNamed(c) && name == "" {
			unnamed++
			name = "Column" + itoa(unnamed)
		}
		items = append(items, projItem{name: name, x: x})
		out = append(out, tables.Field{Name: name, Type: colType(x.typ)})
	}
	return &projectPlan{in: in, items: items, out: uniqueNames(out)}
}

func isNamed(e parser.Expr) bool {
	_, ok := e.(*parser.NamedExpr)
	return ok
}

// colType is the type a column built from an expression of type t gets.
func colType(t tables.Type) tables.Type {
	if t == tables.Unknown {
		return tables.Dynamic
	}
	return t
}

func (p *projectPlan) schema() tables.Schema { return p.out }

func (p *projectPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	cols := make([]*tables.Column, len(p.items))
	for i, it := range p.items {
		if cols[i], err = evalColumn(rc, it.x, t); err != nil {
			return nil, err
		}
	}
	out := tables.NewTable("", p.out, cols)
	out.SetRows(t.Rows())
	return out, nil
}

// extendPlan adds or replaces columns one at a time; each item sees the
// columns the earlier ones made. A name that exists keeps its position and
// takes the new value, as Microsoft's analyser reports (SEMANTICS.md §10).
type extendPlan struct {
	in    plan
	items []projItem
	pos   []int // output position of each item
	out   tables.Schema
}

func (b *binder) extend(in plan, op *parser.ExtendOp) plan {
	sch := append(tables.Schema(nil), in.schema()...)
	p := &extendPlan{in: in}
	saved := b.extendInput
	b.extendInput = in.schema()
	defer func() { b.extendInput = saved }()
	unnamed := 0
	for _, c := range op.Cols {
		tuple, ok := b.multiAssign(c, sch, sch)
		if !ok {
			var named int
			if tuple, named, ok = b.sortTuple(c, sch); ok {
				tuple = uniqueItems(tuple, named, sch)
			}
		}
		if !ok {
			name, x := b.assignment(c, sch)
			if !isNamed(c) && x.col == 0 && name == "" {
				unnamed++
				name = "Column" + itoa(unnamed)
			}
			tuple = []projItem{{name: name, x: x}}
		}
		for _, it := range tuple {
			f := tables.Field{Name: it.name, Type: colType(it.x.typ)}
			i := sch.Index(it.name)
			if i < 0 {
				i = len(sch)
				sch = append(sch, f)
			} else {
				sch[i] = f
			}
			p.items = append(p.items, it)
			p.pos = append(p.pos, i)
		}
	}
	p.out = sch
	return p
}

// uniqueItems gives the columns of one extend item that have no written
// name (those after the first `named`) a name that neither sch nor the
// item's other columns have, with a numeric suffix as uniqueNames adds: so
// Microsoft's analyser names extend array_sort_asc(x, x) over a table with
// x_sorted. Written names replace a column of that name, as in any extend.
func uniqueItems(items []projItem, named int, sch tables.Schema) []projItem {
	taken := map[string]bool{}
	for _, f := range sch {
		taken[f.Name] = true
	}
	for i := range items {
		if i < named {
			taken[items[i].name] = true
			continue
		}
		base, name := items[i].name, items[i].name
		for n := 1; taken[name]; n++ {
			name = base + itoa(n)
		}
		taken[name] = true
		items[i].name = name
	}
	return items
}

func (p *extendPlan) schema() tables.Schema { return p.out }

func (p *extendPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	cols := append([]*tables.Column(nil), t.Columns...)
	sch := append(tables.Schema(nil), t.Schema...)
	cur := t
	for k, it := range p.items {
		col, err := evalColumn(rc, it.x, cur)
		if err != nil {
			return nil, err
		}
		if i := p.pos[k]; i < len(cols) {
			cols[i] = col
			sch[i] = p.out[i]
		} else {
			cols = append(cols, col)
			sch = append(sch, p.out[i])
		}
		cur = tables.NewTable(t.Name, sch, cols)
		cur.SetRows(t.Rows())
		cols = append([]*tables.Column(nil), cols...)
		sch = append(tables.Schema(nil), sch...)
	}
	return cur, nil
}

// selectPlan picks and renames input columns without touching their data:
// project-away, project-keep, project-rename and project-reorder.
type selectPlan struct {
	in  plan
	idx []int
	out tables.Schema
}

func (p *selectPlan) schema() tables.Schema { return p.out }

func (p *selectPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	cols := make([]*tables.Column, len(p.idx))
	for i, k := range p.idx {
		cols[i] = t.Columns[k]
	}
	out := tables.NewTable(t.Name, p.out, cols)
	out.SetRows(t.Rows())
	return out, nil
}

func newSelect(in plan, idx []int, names []string) *selectPlan {
	sch := in.schema()
	out := make(tables.Schema, len(idx))
	for i, k := range idx {
		out[i] = sch[k]
		if names != nil {
			out[i].Name = names[i]
		}
	}
	return &selectPlan{in: in, idx: idx, out: out}
}

// projectAway binds project-away (keep false) and project-keep (keep true).
// Survivors keep their table order in both (SEMANTICS.md §10).
func (b *binder) projectAway(in plan, pats []*parser.Ident, keep bool) plan {
	sch := in.schema()
	hit := make([]bool, len(sch))
	for _, p := range pats {
		found := false
		for i, f := range sch {
			if matchPattern(p.Name, f.Name) {
				hit[i], found = true, true
			}
		}
		if !found && !hasWildcard(p.Name) {
			b.errorf(parser.PhaseName, p, "unknown column '%s'%s", p.Name, suggest(p.Name, sch.Names()))
		}
	}
	var idx []int
	for i := range sch {
		if hit[i] == keep {
			idx = append(idx, i)
		}
	}
	return newSelect(in, idx, nil)
}

func hasWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' {
			return true
		}
	}
	return false
}

// projectRename binds project-rename new = old, ...
func (b *binder) projectRename(in plan, op *parser.ProjectRenameOp) plan {
	sch := in.schema()
	idx := make([]int, len(sch))
	names := sch.Names()
	for i := range idx {
		idx[i] = i
	}
	for _, c := range op.Cols {
		old, ok := c.Value.(*parser.Ident)
		if !ok || len(c.Names) != 1 {
			b.errorf(parser.PhaseType, c, "project-rename takes NewName = ExistingColumn")
			continue
		}
		i := sch.Index(old.Name)
		if i < 0 {
			b.errorf(parser.PhaseName, old, "unknown column '%s'%s", old.Name, suggest(old.Name, sch.Names()))
			continue
		}
		names[i] = c.Names[0].Name
	}
	return newSelect(in, idx, names)
}

// projectReorder binds project-reorder: the named columns and patterns move
// to the front in the order written; the rest follow in table order.
func (b *binder) projectReorder(in plan, op *parser.ProjectReorderOp) plan {
	sch := in.schema()
	used := make([]bool, len(sch))
	var idx []int
	for _, it := range op.Cols {
		var group []int
		for i, f := range sch {
			if !used[i] && matchPattern(it.Pattern.Name, f.Name) {
				group = append(group, i)
			}
		}
		if len(group) == 0 && !hasWildcard(it.Pattern.Name) && sch.Index(it.Pattern.Name) < 0 {
			b.errorf(parser.PhaseName, it.Pattern, "unknown column '%s'%s", it.Pattern.Name, suggest(it.Pattern.Name, sch.Names()))
		}
		orderGroup(group, sch, it.Order)
		for _, i := range group {
			used[i] = true
		}
		idx = append(idx, group...)
	}
	for i := range sch {
		if !used[i] {
			idx = append(idx, i)
		}
	}
	return newSelect(in, idx, nil)
}

// orderGroup sorts the columns matched by one project-reorder pattern by
// name when asc or desc is given (granny orders compare digit runs by value).
func orderGroup(group []int, sch tables.Schema, order string) {
	if order == "" {
		return
	}
	less := func(a, c string) bool { return a < c }
	if order == "granny-asc" || order == "granny-desc" {
		less = grannyLess
	}
	desc := order == "desc" || order == "granny-desc"
	sort.SliceStable(group, func(i, j int) bool {
		a, c := sch[group[i]].Name, sch[group[j]].Name
		if desc {
			return less(c, a)
		}
		return less(a, c)
	})
}

// grannyLess compares names with runs of digits compared by value (a2 < a10).
func grannyLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := trimZeros(a[:da]), trimZeros(b[:db])
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

// as binds `as Name`: the rows pass unchanged, and Name stands for them in
// the rest of the query, as a let would (the as reference), including in
// subqueries: toscalar(Name | summarize ...). A reference runs the input
// again, as a let without materialize does; hint.materialized changes
// nothing kql returns and is ignored, since a cache would be wrong inside
// partition and mv-apply, whose subqueries run once per input part.
func (b *binder) as(in plan, op *parser.AsOp) plan {
	p := &asPlan{plan: in, name: op.Name.Name}
	b.scope.names[op.Name.Name] = &binding{tab: p}
	return p
}

// asPlan is `as Name`: the rows unchanged, the table named Name (which a
// union's withsource column reports).
type asPlan struct {
	plan
	name string
}

func (p *asPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.plan.run(rc)
	if err != nil {
		return nil, err
	}
	out := tables.NewTable(p.name, t.Schema, t.Columns)
	out.SetRows(t.Rows())
	return out, nil
}
