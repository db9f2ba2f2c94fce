package engine

import (
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// holePlan is the input of a subquery that runs once per row (mv-apply):
// its schema is fixed at bind time and its table is set before each run.
type holePlan struct {
	sch tables.Schema
	t   *tables.Table
}

func (h *holePlan) schema() tables.Schema              { return h.sch }
func (h *holePlan) run(*runCtx) (*tables.Table, error) { return h.t, nil }

// mvApplyPlan runs a subquery over the expanded rows of each input row.
// Each result row keeps the input row's columns that the subquery did not
// produce; the subquery's columns follow (or replace input columns of the
// same name in place), as the mv-apply reference describes.
type mvApplyPlan struct {
	in     plan
	expand *mvExpandPlan
	hole   *holePlan
	sub    plan
	// fromSub[i] is the subquery column feeding output column i, or -1
	// for an input column kept from the row.
	fromSub []int
	inCol   []int
	out     tables.Schema
}

func (b *binder) mvApply(in plan, op *parser.MvApplyOp) plan {
	exp, ok := b.mvExpand(in, &parser.MvExpandOp{Span: op.Span, Name: "mv-apply", Params: op.Params,
		Items: op.Items, ItemIndex: op.ItemIndex, Limit: op.Limit}).(*mvExpandPlan)
	if !ok || op.Subquery == nil {
		b.errorf(parser.PhaseType, op, "mv-apply needs items to expand and an on (subquery)")
		return emptyPlan{}
	}
	hole := &holePlan{sch: exp.schema()}
	b.push() // an `as` in the subquery names its rows, not beyond it
	b.perPart++
	defer func() { b.pop(); b.perPart-- }()
	sub := b.subquery(hole, op.Subquery.Ops)
	if failed(sub) {
		return sub
	}
	p := &mvApplyPlan{in: in, expand: exp, hole: hole, sub: sub}
	p.layout(in.schema(), sub.schema())
	return p
}

// layout: input columns first (taken from the subquery when it has a column
// of that name), then the subquery's other columns.
func (p *mvApplyPlan) layout(insch, subsch tables.Schema) {
	used := make([]bool, len(subsch))
	for i, f := range insch {
		j := subsch.Index(f.Name)
		if j >= 0 {
			used[j] = true
			f = subsch[j]
		}
		p.fromSub, p.inCol = append(p.fromSub, j), append(p.inCol, i)
		p.out = append(p.out, f)
	}
	for j, f := range subsch {
		if !used[j] {
			p.fromSub, p.inCol = append(p.fromSub, j), append(p.inCol, -1)
			p.out = append(p.out, f)
		}
	}
}

func (p *mvApplyPlan) schema() tables.Schema { return p.out }

func (p *mvApplyPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	parts := make([][]*tables.Column, len(p.out))
	total := 0
	for r := 0; r < t.Rows(); r++ {
		if err := rc.check(); err != nil {
			return nil, err
		}
		row := t.Take([]int{r})
		exp, err := p.expand.expandTable(rc, row)
		if err != nil {
			return nil, err
		}
		p.hole.t = exp
		res, err := p.sub.run(rc)
		if err != nil {
			return nil, err
		}
		n := res.Rows()
		total += n
		rep := make([]int, n)
		for i := range p.out {
			if j := p.fromSub[i]; j >= 0 {
				parts[i] = append(parts[i], res.Columns[j])
			} else {
				parts[i] = append(parts[i], row.Columns[p.inCol[i]].Take(rep))
			}
		}
	}
	cols := make([]*tables.Column, len(p.out))
	for i, f := range p.out {
		cols[i] = tables.Concat(f.Type, parts[i]...)
	}
	out := tables.NewTable("", p.out, cols)
	out.SetRows(total)
	return out, nil
}

// subquery binds the operators of a per-part subquery (mv-apply's, or
// partition's) over hole, the plan that stands for each part; it stops at
// the first operator that fails.
func (b *binder) subquery(hole plan, ops []parser.Operator) plan {
	sub := hole
	for _, o := range ops {
		if failed(sub) {
			return sub
		}
		sub = b.operator(sub, o)
	}
	return sub
}
