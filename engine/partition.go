package engine

import (
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// partitionPlan is partition by Column (subquery): the subquery runs over the
// rows of each value of the column, and the results are concatenated, the
// partitions in order of their first row. Kusto leaves that order open; the
// hints (strategy, shufflekey, concurrency...) choose how Kusto spreads the
// work and change no result, so they are accepted and ignored; but the
// legacy strategy, Kusto's default, refuses more than 64 partitions, and so
// does kql.
type partitionPlan struct {
	in     plan
	key    *expr
	hole   *holePlan
	sub    plan
	legacy bool
	at     parser.Span
	// keyVal holds the current partition's key for the { query } form,
	// where the key column's name stands for that value.
	keyVal *tables.Value
}

// maxLegacyPartitions is the legacy strategy's limit on distinct key values.
const maxLegacyPartitions = 64

func (b *binder) partition(in plan, op *parser.PartitionOp) plan {
	legacy := true
	for _, prop := range op.Params {
		name := strings.ToLower(prop.Name.Name)
		if !strings.HasPrefix(name, "hint.") {
			b.errorf(parser.PhaseType, prop, "partition takes hint.* properties, not '%s'", prop.Name.Name)
			return emptyPlan{}
		}
		if name == "hint.strategy" {
			legacy = strings.EqualFold(identOrString(prop.Value), "legacy")
		}
	}
	key := b.scalar(op.By, in.schema())
	if key.col == 0 {
		b.errorf(parser.PhaseType, op.By, "partition by needs a column of the input")
		return emptyPlan{}
	}
	hole := &holePlan{sch: in.schema()}
	b.push() // an `as` in the subquery names the partition, not beyond it
	b.perPart++
	defer func() { b.pop(); b.perPart-- }()
	if op.Subquery == nil {
		return b.partitionQuery(in, op, key, legacy)
	}
	sub := b.subquery(hole, op.Subquery.Ops)
	if failed(sub) {
		return sub
	}
	return &partitionPlan{in: in, key: key, hole: hole, sub: sub, legacy: legacy, at: op.By.Pos()}
}

// partitionQuery binds the { query } form, which the legacy strategy alone
// allows: the query has its own source and sees the partition only through
// the key column's name, a scalar holding the partition's key (the
// partition reference: `partition by x {T | where x == Col}`).
func (b *binder) partitionQuery(in plan, op *parser.PartitionOp, key *expr, legacy bool) plan {
	if !legacy {
		b.errorf(parser.PhaseType, op, "partition with a { query } body needs the legacy strategy")
		return emptyPlan{}
	}
	cur := tables.Null(key.typ)
	keyVal := &cur
	val := &expr{typ: key.typ, name: key.name, build: func(*runCtx, *tables.Table) (rowFn, error) {
		v := *keyVal
		return func(int) tables.Value { return v }, nil
	}}
	b.scope.names[key.name] = &binding{val: val}
	sub := b.tabular(op.Query)
	if failed(sub) {
		return sub
	}
	return &partitionPlan{in: in, key: key, hole: &holePlan{sch: in.schema()}, sub: sub, legacy: true,
		at: op.By.Pos(), keyVal: keyVal}
}

func (p *partitionPlan) schema() tables.Schema { return p.sub.schema() }

func (p *partitionPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	groups, first, err := groupRows(rc, []*expr{p.key}, t)
	if err != nil {
		return nil, err
	}
	if p.legacy && len(first) > maxLegacyPartitions {
		return nil, parser.Errorf(parser.PhaseRuntime, p.at,
			"partition: %d distinct values of the key; the legacy strategy (the default) "+
				"allows %d: use hint.strategy=native or shuffle",
			len(first), maxLegacyPartitions)
	}
	rows := make([][]int, len(first))
	for r, g := range groups {
		rows[g] = append(rows[g], r)
	}
	sch := p.schema()
	parts := make([][]*tables.Column, len(sch))
	total := 0
	for _, idx := range rows {
		if err := rc.check(); err != nil {
			return nil, err
		}
		p.hole.t = t.Take(idx)
		if p.keyVal != nil {
			*p.keyVal = p.hole.t.Columns[p.key.col-1].Value(0)
		}
		res, err := p.sub.run(rc)
		if err != nil {
			return nil, err
		}
		total += res.Rows()
		for i := range sch {
			parts[i] = append(parts[i], res.Columns[i])
		}
	}
	cols := make([]*tables.Column, len(sch))
	for i, f := range sch {
		cols[i] = tables.Concat(f.Type, parts[i]...)
	}
	out := tables.NewTable("", sch, cols)
	out.SetRows(total)
	return out, nil
}
