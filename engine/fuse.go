package engine

import "github.com/kql-offline/kql/tables"

// Streaming a filter over mv-expand
//
// `mv-expand X = d | where p(X)` first builds a row per element of every
// row's d, then drops most of them. On the flagship the elements are
// slices of large JSON documents read back from the file, so the whole
// expansion kept every surviving agent's documents in memory at once
// (gigabytes on the large set, and the page faults and GC work that go with
// them). Both operators work row by row, so the where runs over the
// expansion of a batch of input rows at a time instead; a batch's documents
// are garbage once its survivors are taken. The result is the same rows in
// the same order.

// expandBatch is how many input rows of mv-expand are expanded at a time
// under a where.
const expandBatch = 4096

// expandChain returns the mv-expand operators directly under a where,
// innermost first, and the plan feeding them; nil when there is none.
func expandChain(in plan) ([]*mvExpandPlan, plan) {
	var chain []*mvExpandPlan
	for {
		p := in
		if s, ok := p.(*spanned); ok {
			p = s.plan
		}
		mv, ok := p.(*mvExpandPlan)
		if !ok {
			break
		}
		chain = append([]*mvExpandPlan{mv}, chain...)
		in = mv.in
	}
	return chain, in
}

// runOverExpand runs the where p over the mv-expand chain in batches; false
// when p's input is not an mv-expand.
func (p *wherePlan) runOverExpand(rc *runCtx) (*tables.Table, bool, error) {
	chain, src := expandChain(p.in)
	if len(chain) == 0 {
		return nil, false, nil
	}
	t, err := src.run(rc)
	if err != nil {
		return nil, true, err
	}
	var parts []*tables.Table
	for lo := 0; lo < t.Rows() || lo == 0; lo += expandBatch {
		hi := min(lo+expandBatch, t.Rows())
		idx := p.prefilter(t, lo, hi)
		b := t.Take(idx)
		for _, mv := range chain {
			if b, err = mv.expandTable(rc, b); err != nil {
				return nil, true, err
			}
		}
		if b, err = p.filter(rc, b); err != nil {
			return nil, true, err
		}
		parts = append(parts, b)
	}
	return concatTables(p.schema(), parts), true, nil
}

// concatTables stacks tables of one schema.
func concatTables(sch tables.Schema, parts []*tables.Table) *tables.Table {
	if len(parts) == 1 {
		return parts[0]
	}
	cols := make([]*tables.Column, len(sch))
	rows := 0
	for _, t := range parts {
		rows += t.Rows()
	}
	for i, f := range sch {
		pieces := make([]*tables.Column, len(parts))
		for k, t := range parts {
			pieces[k] = t.Columns[i]
		}
		cols[i] = tables.Concat(f.Type, pieces...)
	}
	out := tables.NewTable(parts[0].Name, sch, cols)
	out.SetRows(rows)
	return out
}
