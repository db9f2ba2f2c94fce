package engine

import (
	"math/rand/v2"
	"sort"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// sampleSeed seeds sample's choice of rows. Kusto picks rows at random;
// kql picks them with a fixed seed, so that a query gives the same rows on
// every run over the same input (tests and diffs stay stable).
const sampleSeed = 0x6b716c

// samplePlan is sample N: N rows chosen uniformly at random (with the
// fixed seed), kept in input order. With N at least the row count, every
// row.
type samplePlan struct {
	in    plan
	count *expr
}

func (b *binder) sample(in plan, op *parser.SampleOp) plan {
	return &samplePlan{in: in, count: b.scalarLet(op.Count)}
}

func (p *samplePlan) schema() tables.Schema { return p.in.schema() }

func (p *samplePlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	f, err := p.count.compile(rc, oneRow())
	if err != nil {
		return nil, err
	}
	nv := tables.Convert(f(0), tables.Long)
	if nv.IsNull() || nv.Int64() < 0 {
		return nil, parser.Errorf(parser.PhaseRuntime, rc.at, "sample needs a count of zero or more")
	}
	return t.Take(sampleRows(t.Rows(), nv.Int64())), nil
}

// sampleRows chooses n of the row numbers 0..rows-1, sorted.
func sampleRows(rows int, n int64) []int {
	idx := make([]int, rows)
	for i := range idx {
		idx[i] = i
	}
	if n >= int64(rows) {
		return idx
	}
	r := rand.New(rand.NewPCG(sampleSeed, sampleSeed))
	for i := 0; i < int(n); i++ {
		j := i + r.IntN(rows-i)
		idx[i], idx[j] = idx[j], idx[i]
	}
	idx = idx[:n]
	sort.Ints(idx)
	return idx
}

// sampleDistinctPlan is sample-distinct N of X: N of X's distinct values
// (chosen with sample's fixed seed), in order of first appearance.
type sampleDistinctPlan struct {
	in    plan
	count *expr
	of    *expr
	out   tables.Schema
}

func (b *binder) sampleDistinct(in plan, op *parser.SampleDistinctOp) plan {
	name, of := b.assignment(op.Of, in.schema())
	if name == "" {
		name = "Column1"
	}
	return &sampleDistinctPlan{in: in, count: b.scalarLet(op.Count), of: of,
		out: tables.Schema{{Name: name, Type: colType(of.typ)}}}
}

func (p *sampleDistinctPlan) schema() tables.Schema { return p.out }

func (p *sampleDistinctPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	f, err := p.count.compile(rc, oneRow())
	if err != nil {
		return nil, err
	}
	nv := tables.Convert(f(0), tables.Long)
	if nv.IsNull() || nv.Int64() < 0 {
		return nil, parser.Errorf(parser.PhaseRuntime, rc.at, "sample-distinct needs a count of zero or more")
	}
	_, first, err := groupRows(rc, []*expr{p.of}, t)
	if err != nil {
		return nil, err
	}
	vals, err := evalColumn(rc, p.of, t.Take(first))
	if err != nil {
		return nil, err
	}
	if vals.Type() != p.out[0].Type {
		vals = retype(vals, p.out[0].Type)
	}
	keep := sampleRows(vals.Len(), nv.Int64())
	return tables.NewTable("", p.out, []*tables.Column{vals.Take(keep)}), nil
}
