package engine

import (
	"strings"

	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// aggItem is one bound aggregate of summarize.
type aggItem struct {
	args []*expr
	// newState makes a fresh state per group for registry aggregates.
	newState func() functions.Agg
	// arg names an arg_max / arg_min: keep the row where args[0] is largest
	// (or smallest) and output the columns in take.
	arg  *argPick
	outs int         // number of output columns
	typ  tables.Type // the output type of a registry aggregate
}

// argPick is the bound form of arg_max / arg_min, and of take_any over
// several columns (first set: the group's first row is chosen).
type argPick struct {
	max   bool
	first bool
	take  []*expr // columns returned from the chosen row
}

// summarizePlan groups its input by key expressions and aggregates each
// group. Groups come out in order of first appearance, which keeps results
// stable from run to run.
type summarizePlan struct {
	in   plan
	keys []*expr
	aggs []aggItem
	out  tables.Schema
}

func (b *binder) summarize(in plan, op *parser.SummarizeOp) plan {
	sch := in.schema()
	p := &summarizePlan{in: in}
	var out tables.Schema
	byNames := map[string]bool{}
	unnamedKeys := 0
	for _, e := range op.By {
		name, x := b.assignment(e, sch)
		if name == "" {
			unnamedKeys++
			name = "Column" + itoa(unnamedKeys)
		}
		byNames[name] = true
		p.keys = append(p.keys, x)
		out = append(out, tables.Field{Name: name, Type: colType(x.typ)})
	}
	var computed []parser.Expr // aggregate expressions that are not a plain call
	var visible []int          // output column -> internal column, or -1 - computed index
	for i := range out {
		visible = append(visible, i)
	}
	for _, e := range op.Aggs {
		if !b.isAggCall(e) {
			for _, c := range b.innerAggs(e) {
				item, fields := b.aggregate(c, sch, byNames)
				if item == nil {
					continue
				}
				b.aggRefs[c] = len(out)
				p.aggs = append(p.aggs, *item)
				fields[0].Name = "__agg" + itoa(len(out))
				out = append(out, fields...)
			}
			computed = append(computed, e)
			visible = append(visible, -len(computed))
			continue
		}
		item, fields := b.aggregate(e, sch, byNames)
		if item == nil {
			continue
		}
		p.aggs = append(p.aggs, *item)
		for range fields {
			visible = append(visible, len(out))
			out = append(out, fields[0])
			fields = fields[1:]
		}
	}
	p.out = uniqueNames(out)
	if len(computed) == 0 {
		return p
	}
	return b.summarizeComputed(p, computed, visible)
}

// isAggCall reports whether e is (name =) one aggregate call, the common
// case that needs no projection after the grouping.
func (b *binder) isAggCall(e parser.Expr) bool {
	if n, ok := e.(*parser.NamedExpr); ok {
		e = n.Value
	}
	c, ok := unparen(e).(*parser.CallExpr)
	if !ok {
		return false
	}
	if isArgExtreme(c.Fun.Name) {
		return true
	}
	f, ok := functions.Lookup(c.Fun.Name)
	return ok && f.Kind == functions.Aggregate
}

// isArgExtreme reports whether name is arg_max or arg_min, or their
// deprecated aliases argmax and argmin, which the docs list as the same
// functions.
func isArgExtreme(name string) bool {
	switch name {
	case "arg_max", "arg_min", "argmax", "argmin":
		return true
	}
	return false
}

// innerAggs lists the aggregate calls inside an expression such as
// round(avg(x), 2) or count() * 2.
func (b *binder) innerAggs(e parser.Expr) []*parser.CallExpr {
	var out []*parser.CallExpr
	parser.Inspect(e, func(n parser.Node) bool {
		if c, ok := n.(*parser.CallExpr); ok && b.isAggCall(c) {
			out = append(out, c)
			return false
		}
		return true
	})
	return out
}

// summarizeComputed projects the grouped table: plain aggregates and keys
// pass through, and expressions over aggregates are evaluated on the
// aggregated rows, each aggregate call reading its hidden column.
func (b *binder) summarizeComputed(p *summarizePlan, computed []parser.Expr, visible []int) plan {
	items := make([]projItem, 0, len(visible))
	var out tables.Schema
	unnamed := 0
	for _, v := range visible {
		if v >= 0 {
			f := p.out[v]
			items = append(items, projItem{name: f.Name, x: colExpr(v, f)})
			out = append(out, f)
			continue
		}
		e := computed[-v-1]
		name, x := b.assignment(e, p.out)
		if !isNamed(e) {
			unnamed++
			name = "Column" + itoa(unnamed)
		}
		items = append(items, projItem{name: name, x: x})
		out = append(out, tables.Field{Name: name, Type: colType(x.typ)})
	}
	return &projectPlan{in: p, items: items, out: uniqueNames(out)}
}

// aggregate binds one aggregate expression of summarize and returns its
// output columns.
func (b *binder) aggregate(e parser.Expr, sch tables.Schema, byNames map[string]bool) (*aggItem, []tables.Field) {
	var names []*parser.Ident
	if n, ok := e.(*parser.NamedExpr); ok {
		names, e = n.Names, n.Value
	}
	c, ok := unparen(e).(*parser.CallExpr)
	if !ok {
		b.errorf(parser.PhaseUnsupported, e, "summarize needs an aggregate function call here (expressions over aggregates are not supported yet)")
		return nil, nil
	}
	switch c.Fun.Name {
	case "arg_max", "arg_min", "argmax", "argmin":
		return b.argAggregate(c, names, sch, byNames)
	case "take_any", "any":
		if len(c.Args) > 1 || hasStar(c.Args) {
			return b.anyAggregate(c, names, sch, byNames)
		}
	case "percentiles":
		return b.percentilesAggregate(c, names, sch)
	}
	f, ok := functions.Lookup(c.Fun.Name)
	if !ok {
		b.unknownFunction(c.Fun)
		return nil, nil
	}
	if f.Kind != functions.Aggregate {
		b.errorf(parser.PhaseType, c.Fun, "'%s' is not an aggregate function", c.Fun.Name)
		return nil, nil
	}
	args := b.aggArgs(c, sch)
	if !b.checkArgs(c, f, args) {
		return nil, nil
	}
	call := b.callInfo(args)
	newState, err := f.NewAgg(call)
	if err != nil {
		b.errorf(parser.PhaseType, c, "%s(): %v", f.Name, err)
		return nil, nil
	}
	name := aggName(f, args)
	if len(names) > 0 {
		name = names[0].Name
	}
	t := colType(f.ResultType(call))
	return &aggItem{args: args, newState: newState, outs: 1, typ: t}, []tables.Field{{Name: name, Type: t}}
}

// aggArgs binds aggregate arguments; count(*) and similar stars are dropped.
func (b *binder) aggArgs(c *parser.CallExpr, sch tables.Schema) []*expr {
	var out []*expr
	for _, a := range c.Args {
		if _, star := a.(*parser.StarExpr); star {
			continue
		}
		if n, ok := a.(*parser.NamedExpr); ok {
			a = n.Value
		}
		out = append(out, b.scalar(a, sch))
	}
	return out
}

// aggName is an unnamed aggregate's column name: count_, sum_x, set_x ...
func aggName(f *functions.Func, args []*expr) string {
	if f.KeepName && len(args) > 0 && args[0].name != "" {
		return args[0].name
	}
	prefix := f.Column
	if prefix == "" {
		prefix = f.Name + "_"
	}
	if !strings.HasSuffix(prefix, "_") {
		return prefix
	}
	if len(args) > 0 && args[0].name != "" {
		name := prefix + args[0].name
		for i := 1; i < f.NameArgs && i < len(args) && args[i].name != ""; i++ {
			name += "_" + args[i].name
		}
		return name
	}
	return prefix
}

// argAggregate binds arg_max / arg_min. With *, the output is the maximized
// expression, then every input column that is neither a by column nor the
// maximized column, in input order (SEMANTICS.md §2).
func (b *binder) argAggregate(c *parser.CallExpr, names []*parser.Ident, sch tables.Schema, byNames map[string]bool) (*aggItem, []tables.Field) {
	if len(c.Args) < 1 {
		b.errorf(parser.PhaseType, c, "%s() needs the expression to maximize and the columns to return", c.Fun.Name)
		return nil, nil
	}
	key := b.scalar(c.Args[0], sch)
	keyName := key.name
	isMax := c.Fun.Name == "arg_max" || c.Fun.Name == "argmax"
	prefix := map[bool]string{true: "max_", false: "min_"}[isMax]
	// The deprecated argmax/argmin name their columns max_T and max_T_X
	// (Microsoft's analyser): rename gives each default name.
	rename := func(n string) string { return n }
	if c.Fun.Name == "argmax" || c.Fun.Name == "argmin" {
		rename = func(n string) string { return prefix + key.name + "_" + n }
		keyName = prefix + key.name
	}
	if len(names) > 0 {
		keyName = names[0].Name
	}
	if keyName == "" {
		keyName = prefix
	}
	pick := &argPick{max: isMax}
	fields := []tables.Field{{Name: keyName, Type: colType(key.typ)}}
	for i, a := range c.Args[1:] {
		if _, star := a.(*parser.StarExpr); star {
			for ci, f := range sch {
				if byNames[f.Name] || f.Name == key.name {
					continue
				}
				pick.take = append(pick.take, colExpr(ci, f))
				fields = append(fields, tables.Field{Name: rename(f.Name), Type: f.Type})
			}
			continue
		}
		name, x := b.assignment(a, sch)
		name = rename(name)
		if len(names) > i+1 {
			name = names[i+1].Name
		}
		if name == "" {
			name = "Column" + itoa(i+1)
		}
		pick.take = append(pick.take, x)
		fields = append(fields, tables.Field{Name: name, Type: colType(x.typ)})
	}
	return &aggItem{args: []*expr{key}, arg: pick, outs: len(fields)}, fields
}

func (p *summarizePlan) schema() tables.Schema { return p.out }

func (p *summarizePlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	groups, first, err := groupRows(rc, p.keys, t)
	if err != nil {
		return nil, err
	}
	ngroups := len(first)
	if len(p.keys) == 0 && ngroups == 0 {
		// No by clause over no rows: one row of default values.
		ngroups = 1
	}
	cols := make([]*tables.Column, 0, len(p.out))
	if len(p.keys) > 0 {
		// The keys are evaluated again on each group's first row only.
		firsts := t.Take(first)
		for _, k := range p.keys {
			kc, err := evalColumn(rc, k, firsts)
			if err != nil {
				return nil, err
			}
			cols = append(cols, kc)
		}
	}
	for _, a := range p.aggs {
		out, err := p.runAgg(rc, a, t, groups, ngroups)
		if err != nil {
			return nil, err
		}
		cols = append(cols, out...)
	}
	for i, f := range p.out {
		if cols[i].Type() != f.Type {
			cols[i] = retype(cols[i], f.Type)
		}
	}
	return tables.NewTable("", p.out, cols), nil
}

// retype converts a column to type t, value by value.
func retype(c *tables.Column, t tables.Type) *tables.Column {
	out := tables.NewColumn(t, c.Len())
	for i := 0; i < c.Len(); i++ {
		out.Append(c.Value(i))
	}
	return out
}

// groupRows assigns each row a group number. first holds each group's first
// row, in order of appearance.
func groupRows(rc *runCtx, keys []*expr, t *tables.Table) (groups []int32, first []int, err error) {
	n := t.Rows()
	groups = make([]int32, n)
	if len(keys) == 0 {
		if n > 0 {
			first = []int{0}
		}
		return groups, first, nil
	}
	fns := make([]rowFn, len(keys))
	for i, k := range keys {
		if fns[i], err = k.compile(rc, t); err != nil {
			return nil, nil, err
		}
	}
	// Room for n/8 groups at first: growing a map of 100,000 keys from empty
	// rehashes it many times.
	index := make(map[string]int32, min(n/8, 1<<20))
	var buf []byte
	for r := 0; r < n; r++ {
		if r%checkEvery == checkEvery-1 {
			if err := rc.check(); err != nil {
				return nil, nil, err
			}
		}
		buf = buf[:0]
		for _, f := range fns {
			buf = appendKey(buf, f(r))
		}
		g, ok := index[string(buf)]
		if !ok {
			g = int32(len(first))
			index[string(buf)] = g
			first = append(first, r)
		}
		groups[r] = g
	}
	return groups, first, nil
}

// runAgg computes one aggregate for every group.
func (p *summarizePlan) runAgg(rc *runCtx, a aggItem, t *tables.Table, groups []int32, ngroups int) ([]*tables.Column, error) {
	fns := make([]rowFn, len(a.args))
	for i, x := range a.args {
		f, err := x.compile(rc, t)
		if err != nil {
			return nil, err
		}
		fns[i] = f
	}
	if a.arg != nil && a.arg.first {
		return runFirst(rc, a.arg, t, groups, ngroups)
	}
	if a.arg != nil {
		return runArg(rc, a.arg, fns[0], a.args[0], t, groups, ngroups)
	}
	states := make([]functions.Agg, ngroups)
	for g := range states {
		states[g] = a.newState()
	}
	buf := make([]tables.Value, len(fns))
	for r := 0; r < t.Rows(); r++ {
		if r%checkEvery == checkEvery-1 {
			if err := rc.check(); err != nil {
				return nil, err
			}
		}
		for i, f := range fns {
			buf[i] = f(r)
		}
		states[groups[r]].Add(buf)
	}
	if a.outs > 1 {
		return multiColumns(a, states), nil
	}
	col := tables.NewColumn(a.typ, ngroups)
	for _, s := range states {
		col.Append(s.Result())
	}
	return []*tables.Column{col}, nil
}

// runArg picks, per group, the row whose key is largest (arg_max) or
// smallest (arg_min). A non-null key beats a null one; among equal keys the
// first row wins. A group whose keys are all null keeps its first row.
func runArg(rc *runCtx, a *argPick, key rowFn, kx *expr, t *tables.Table, groups []int32, ngroups int) ([]*tables.Column, error) {
	best := make([]int, ngroups)
	vals := make([]tables.Value, ngroups)
	for g := range best {
		best[g] = -1
	}
	for r := 0; r < t.Rows(); r++ {
		if r%checkEvery == checkEvery-1 {
			if err := rc.check(); err != nil {
				return nil, err
			}
		}
		g := groups[r]
		v := key(r)
		switch {
		case best[g] < 0:
		case v.IsNull():
			continue
		case !vals[g].IsNull():
			c, ok := compare(v, vals[g])
			if !ok || c == 0 || (c > 0) != a.max {
				continue
			}
		}
		best[g], vals[g] = r, v
	}
	keyCol, err := evalColumn(rc, kx, t)
	if err != nil {
		return nil, err
	}
	cols := []*tables.Column{keyCol.Take(best)}
	for _, x := range a.take {
		c, err := evalColumn(rc, x, t)
		if err != nil {
			return nil, err
		}
		cols = append(cols, c.Take(best))
	}
	return cols, nil
}

// distinct binds distinct cols (or *): the distinct combinations, in order
// of first appearance.
func (b *binder) distinct(in plan, op *parser.DistinctOp) plan {
	sch := in.schema()
	var by []parser.Expr
	for _, c := range op.Cols {
		if _, star := c.(*parser.StarExpr); star {
			for _, f := range sch {
				by = append(by, &parser.Ident{Span: c.Pos(), Name: f.Name})
			}
			continue
		}
		by = append(by, c)
	}
	return b.summarize(in, &parser.SummarizeOp{Span: op.Span, By: by})
}

func hasStar(args []parser.Expr) bool {
	for _, a := range args {
		if _, ok := a.(*parser.StarExpr); ok {
			return true
		}
	}
	return false
}

// anyAggregate binds take_any(a, b, ...) and take_any(*): the columns of one
// row of each group, all from the same row. kql takes the group's first row.
func (b *binder) anyAggregate(c *parser.CallExpr, names []*parser.Ident, sch tables.Schema, byNames map[string]bool) (*aggItem, []tables.Field) {
	pick := &argPick{first: true}
	var fields []tables.Field
	for i, a := range c.Args {
		if _, star := a.(*parser.StarExpr); star {
			for ci, f := range sch {
				if !byNames[f.Name] {
					pick.take = append(pick.take, colExpr(ci, f))
					fields = append(fields, f)
				}
			}
			continue
		}
		name, x := b.assignment(a, sch)
		if len(names) > i {
			name = names[i].Name
		}
		if name == "" {
			name = "any_"
		}
		pick.take = append(pick.take, x)
		fields = append(fields, tables.Field{Name: name, Type: colType(x.typ)})
	}
	return &aggItem{arg: pick, outs: len(fields)}, fields
}

// runFirst returns the chosen columns of each group's first row.
func runFirst(rc *runCtx, a *argPick, t *tables.Table, groups []int32, ngroups int) ([]*tables.Column, error) {
	first := make([]int, ngroups)
	for g := range first {
		first[g] = -1
	}
	for r := 0; r < t.Rows(); r++ {
		if g := groups[r]; first[g] < 0 {
			first[g] = r
		}
	}
	var cols []*tables.Column
	for _, x := range a.take {
		c, err := evalColumn(rc, x, t)
		if err != nil {
			return nil, err
		}
		cols = append(cols, c.Take(first))
	}
	return cols, nil
}
