package engine

import (
	"sync"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// scanPlan reads a catalog table.
type scanPlan struct{ t *tables.Table }

func (p *scanPlan) schema() tables.Schema              { return p.t.Schema }
func (p *scanPlan) run(*runCtx) (*tables.Table, error) { return p.t, nil }

// emptyPlan stands in for a plan that failed to bind, so that binding can go
// on and report further errors. It never runs: Bind fails first.
type emptyPlan struct{}

func (emptyPlan) schema() tables.Schema { return nil }
func (emptyPlan) run(*runCtx) (*tables.Table, error) {
	return tables.Empty("", nil), nil
}

// cached runs its plan once per query and hands every reader the same
// result. let-bound tables and materialize() use it: KQL allows a let to be
// evaluated at each reference, and evaluating once gives the same rows for
// everything but rand() and sample.
type cached struct {
	plan
	once sync.Once
	res  *tables.Table
	err  error
}

func (c *cached) run(rc *runCtx) (*tables.Table, error) {
	c.once.Do(func() { c.res, c.err = c.plan.run(rc) })
	return c.res, c.err
}

// datatable binds datatable(col:type, ...)[values].
func (b *binder) datatable(d *parser.DatatableExpr) plan {
	sch := make(tables.Schema, len(d.Columns))
	for i, c := range d.Columns {
		sch[i] = tables.Field{Name: c.Name.Name, Type: b.typeName(c.Type)}
	}
	if len(sch) == 0 {
		b.errorf(parser.PhaseType, d, "datatable needs at least one column")
		return emptyPlan{}
	}
	if len(d.Values)%len(sch) != 0 {
		b.errorf(parser.PhaseType, d, "datatable has %d values, not a multiple of its %d columns", len(d.Values), len(sch))
		return emptyPlan{}
	}
	cols := make([]*tables.Column, len(sch))
	for i, f := range sch {
		cols[i] = tables.NewColumn(f.Type, len(d.Values)/len(sch))
	}
	for i, v := range d.Values {
		x := b.scalar(v, nil)
		if x.konst == nil {
			b.errorf(parser.PhaseType, v, "datatable values must be constants")
			continue
		}
		cols[i%len(sch)].Append(*x.konst)
	}
	return &scanPlan{t: tables.NewTable("", sch, cols)}
}

// typeName resolves a type name such as long or datetime.
func (b *binder) typeName(id *parser.Ident) tables.Type {
	if id == nil {
		return tables.Dynamic
	}
	t, ok := tables.ParseType(id.Name)
	if !ok {
		b.errorf(parser.PhaseType, id, "unknown type '%s'", id.Name)
		return tables.Dynamic
	}
	return t
}

// rangePlan binds range x from a to b step s. The bounds may be any
// row-independent expression (toscalar included); they are computed when
// the query runs.
func (b *binder) rangePlan(r *parser.RangeExpr) plan {
	from, to, step := b.scalar(r.From, nil), b.scalar(r.To, nil), b.scalar(r.Step, nil)
	t := from.typ
	if t == tables.Int {
		t = tables.Long
	}
	return &rangeOp{name: r.Name.Name, typ: t, from: from, to: to, step: step, at: r.Span}
}

type rangeOp struct {
	name           string
	typ            tables.Type
	from, to, step *expr
	at             parser.Span
}

func (p *rangeOp) schema() tables.Schema { return tables.Schema{{Name: p.name, Type: p.typ}} }

// bounds computes the three row-independent bound expressions.
func (p *rangeOp) bounds(rc *runCtx) (from, to, step tables.Value, err error) {
	vals := make([]tables.Value, 3)
	for i, x := range []*expr{p.from, p.to, p.step} {
		f, err := x.compile(rc, oneRow())
		if err != nil {
			return from, to, step, err
		}
		vals[i] = f(0)
	}
	return vals[0], vals[1], vals[2], nil
}

func (p *rangeOp) run(rc *runCtx) (*tables.Table, error) {
	from, to, step, err := p.bounds(rc)
	if err != nil {
		return nil, err
	}
	col := tables.NewColumn(p.typ, 0)
	if p.typ == tables.Real {
		a, _ := from.AsFloat()
		z, _ := to.AsFloat()
		s, _ := step.AsFloat()
		if s == 0 {
			return nil, parser.Errorf(parser.PhaseRuntime, p.at, "range step must not be zero")
		}
		for x, n := a, 0; (s > 0 && x <= z) || (s < 0 && x >= z); x, n = a+float64(n+1)*s, n+1 {
			if int64(n) >= rc.rowLimit() {
				return nil, tooManyRows(p.at, "range", rc.rowLimit())
			}
			col.Append(tables.NewReal(x))
		}
	} else {
		a, z, s := from.Int64(), tables.Convert(to, p.typ).Int64(), step.Int64()
		if from.IsNull() || to.IsNull() || step.IsNull() {
			return tables.NewTable("", p.schema(), []*tables.Column{col}), nil
		}
		if s == 0 {
			return nil, parser.Errorf(parser.PhaseRuntime, p.at, "range step must not be zero")
		}
		n := rangeRows(a, z, s)
		if n > uint64(rc.rowLimit()) {
			return nil, tooManyRows(p.at, "range", rc.rowLimit())
		}
		for i := uint64(0); i < n; i++ {
			x := a + int64(i)*s
			if i%65536 == 0 {
				if err := rc.check(); err != nil {
					return nil, err
				}
			}
			col.Append(valueOfType(p.typ, x))
		}
	}
	return tables.NewTable("", p.schema(), []*tables.Column{col}), nil
}

func valueOfType(t tables.Type, n int64) tables.Value {
	switch t {
	case tables.DateTime:
		return tables.NewDateTime(n)
	case tables.Timespan:
		return tables.NewTimespan(n)
	}
	return tables.NewLong(n)
}

// print binds print a = 1, 2: one row of the expressions, named print_N
// when unnamed.
func (b *binder) print(p *parser.PrintExpr) plan {
	one := &scanPlan{t: oneRow()}
	items := make([]projItem, 0, len(p.Cols))
	var sch tables.Schema
	for i, c := range p.Cols {
		if tuple, _, ok := b.sortTuple(c, nil); ok {
			for _, it := range tuple {
				items = append(items, it)
				sch = append(sch, tables.Field{Name: it.name, Type: it.x.typ})
			}
			continue
		}
		name, x := b.assignment(c, nil)
		if !isNamed(c) {
			name = "print_" + itoa(i)
		}
		items = append(items, projItem{name: name, x: x})
		sch = append(sch, tables.Field{Name: name, Type: x.typ})
	}
	return &projectPlan{in: one, items: items, out: uniqueNames(sch)}
}

// oneRow is a table with one row and no columns, the input of print.
func oneRow() *tables.Table {
	t := tables.NewTable("", nil, nil)
	t.SetRows(1)
	return t
}
