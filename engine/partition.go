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
	if op.Subquery == nil {
		b.errorf(parser.PhaseUnsupported, op, "partition with a { query } body is not supported yet; use the ( subquery ) form")
		return emptyPlan{}
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
	var sub plan = hole
	for _, o := range op.Subquery.Ops {
		if failed(sub) {
			return sub
		}
		sub = b.operator(sub, o)
	}
	if failed(sub) {
		return sub
	}
	return &partitionPlan{in: in, key: key, hole: hole, sub: sub, legacy: legacy, at: op.By.Pos()}
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
			"partition: %d distinct values of the key; the legacy strategy (the default) allows %d: use hint.strategy=native or shuffle",
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
