package engine

import (
	"sort"

	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// topNestedPlan is top-nested: each level groups the rows its parent group
// kept by one expression, aggregates each group, and keeps the top N
// groups by that aggregate; the next level works inside each kept group.
// Output rows come in hierarchy order: level one's groups by their
// aggregate (descending unless asc), each followed by its own nested rows.
// With `with others = X`, the groups beyond N form one more row whose key
// is X and whose aggregate is over all their rows; the deeper levels of
// that row are null (kql does not nest inside others).
type topNestedPlan struct {
	in     plan
	levels []nestLevel
	out    tables.Schema
}

// nestLevel is one bound level of top-nested.
type nestLevel struct {
	count  *expr // nil: every group
	of     *expr
	others *tables.Value
	agg    aggItem
	asc    bool
}

func (b *binder) topNested(in plan, op *parser.TopNestedOp) plan {
	sch := in.schema()
	p := &topNestedPlan{in: in}
	for _, l := range op.Levels {
		var lv nestLevel
		if l.Count != nil {
			lv.count = b.scalarLet(l.Count)
		}
		name, of := b.assignment(l.Of, sch)
		if name == "" {
			name = "Column" + itoa(len(p.out)+1)
		}
		lv.of = of
		if l.Others != nil {
			x := b.scalar(l.Others, nil)
			if x.konst == nil {
				b.errorf(parser.PhaseType, l.Others, "the others value of top-nested must be a constant")
				return emptyPlan{}
			}
			v := tables.Convert(*x.konst, colType(of.typ))
			lv.others = &v
		}
		item, fields := b.aggregate(l.By, sch, nil)
		if item == nil {
			return emptyPlan{}
		}
		if item.outs != 1 || item.arg != nil {
			b.errorf(parser.PhaseType, l.By, "top-nested needs an aggregate with one result")
			return emptyPlan{}
		}
		lv.agg = *item
		lv.asc = l.Order == "asc"
		aggName := fields[0].Name
		if !isNamed(l.By) {
			aggName = "aggregated_" + name
		}
		p.levels = append(p.levels, lv)
		p.out = append(p.out, tables.Field{Name: name, Type: colType(of.typ)},
			tables.Field{Name: aggName, Type: fields[0].Type})
	}
	p.out = uniqueNames(p.out)
	return p
}

func (p *topNestedPlan) schema() tables.Schema { return p.out }

// nestRun holds what the levels of one run share: each level's key column
// and aggregate argument functions over the whole input.
type nestRun struct {
	rc     *runCtx
	p      *topNestedPlan
	keys   []*tables.Column
	args   [][]rowFn
	counts []int64 // -1: no limit
	rows   [][]tables.Value
}

func (p *topNestedPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	nr := &nestRun{rc: rc, p: p}
	for _, lv := range p.levels {
		kc, err := evalColumn(rc, lv.of, t)
		if err != nil {
			return nil, err
		}
		nr.keys = append(nr.keys, kc)
		fns := make([]rowFn, len(lv.agg.args))
		for i, x := range lv.agg.args {
			if fns[i], err = x.compile(rc, t); err != nil {
				return nil, err
			}
		}
		nr.args = append(nr.args, fns)
		n := int64(-1)
		if lv.count != nil {
			f, err := lv.count.compile(rc, oneRow())
			if err != nil {
				return nil, err
			}
			if v := f(0); !v.IsNull() {
				n = tables.Convert(v, tables.Long).Int64()
			}
		}
		nr.counts = append(nr.counts, n)
	}
	all := make([]int, t.Rows())
	for i := range all {
		all[i] = i
	}
	if err := nr.nest(0, all, nil); err != nil {
		return nil, err
	}
	cols := make([]*tables.Column, len(p.out))
	for i, f := range p.out {
		cols[i] = tables.NewColumn(f.Type, len(nr.rows))
	}
	for _, row := range nr.rows {
		for i, v := range row {
			cols[i].Append(tables.Convert(v, p.out[i].Type))
		}
	}
	out := tables.NewTable("", p.out, cols)
	out.SetRows(len(nr.rows))
	return out, nil
}

// nestGroup is one group of a level: its key, aggregate and rows.
type nestGroup struct {
	key  tables.Value
	agg  tables.Value
	rows []int
}

// nest emits the rows of level l over the given input rows, each prefixed
// with the values of the enclosing levels.
func (nr *nestRun) nest(l int, rows []int, prefix []tables.Value) error {
	if err := nr.rc.check(); err != nil {
		return err
	}
	lv := nr.p.levels[l]
	groups := nr.group(l, rows)
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i].agg, groups[j].agg
		if a.IsNull() || b.IsNull() {
			return !a.IsNull() && b.IsNull()
		}
		c, _ := compare(a, b)
		if lv.asc {
			return c < 0
		}
		return c > 0
	})
	kept := groups
	if n := nr.counts[l]; n >= 0 && int64(len(groups)) > n {
		kept = groups[:n]
	}
	for _, g := range kept {
		row := append(append([]tables.Value(nil), prefix...), g.key, g.agg)
		if l+1 < len(nr.p.levels) {
			if err := nr.nest(l+1, g.rows, row); err != nil {
				return err
			}
			continue
		}
		nr.rows = append(nr.rows, row)
	}
	if lv.others != nil && len(kept) < len(groups) {
		var rest []int
		for _, g := range groups[len(kept):] {
			rest = append(rest, g.rows...)
		}
		row := append(append([]tables.Value(nil), prefix...), *lv.others, nr.aggregate(l, rest))
		for k := l + 1; k < len(nr.p.levels); k++ {
			row = append(row, tables.Null(tables.Unknown), tables.Null(tables.Unknown))
		}
		nr.rows = append(nr.rows, row)
	}
	return nil
}

// group splits rows by level l's key, in order of first appearance, and
// aggregates each group.
func (nr *nestRun) group(l int, rows []int) []nestGroup {
	index := map[string]int{}
	var groups []nestGroup
	var buf []byte
	for _, r := range rows {
		v := nr.keys[l].Value(r)
		buf = appendKey(buf[:0], v)
		g, ok := index[string(buf)]
		if !ok {
			g = len(groups)
			index[string(buf)] = g
			groups = append(groups, nestGroup{key: v})
		}
		groups[g].rows = append(groups[g].rows, r)
	}
	for i := range groups {
		groups[i].agg = nr.aggregate(l, groups[i].rows)
	}
	return groups
}

// aggregate computes level l's aggregate over the rows.
func (nr *nestRun) aggregate(l int, rows []int) tables.Value {
	var s functions.Agg = nr.p.levels[l].agg.newState()
	fns := nr.args[l]
	buf := make([]tables.Value, len(fns))
	for _, r := range rows {
		for i, f := range fns {
			buf[i] = f(r)
		}
		s.Add(buf)
	}
	return s.Result()
}
