package engine

import (
	"sort"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// takePlan keeps the first n rows. Without a sort the rows are the input's
// first ones, which makes take deterministic here though Kusto does not
// promise which rows it returns.
type takePlan struct {
	in plan
	n  *expr
}

func (b *binder) take(in plan, count parser.Expr) plan {
	n := b.scalar(count, nil)
	if n.konst == nil || !n.typ.IsNumeric() {
		b.errorf(parser.PhaseType, count, "the row count must be a constant number")
	}
	return &takePlan{in: in, n: n}
}

func (p *takePlan) schema() tables.Schema { return p.in.schema() }

func (p *takePlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	n, _ := p.n.konst.AsInt64()
	if n < 0 {
		n = 0
	}
	if int(n) >= t.Rows() {
		return t, nil
	}
	return t.Take(seq(int(n))), nil
}

// seq returns 0..n-1.
func seq(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// countPlan is `count`: one row, one long column named Count.
type countPlan struct{ in plan }

func (p *countPlan) schema() tables.Schema { return tables.Schema{{Name: "Count", Type: tables.Long}} }

func (p *countPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	col := tables.NewColumn(tables.Long, 1)
	col.Append(tables.NewLong(int64(t.Rows())))
	return tables.NewTable("", p.schema(), []*tables.Column{col}), nil
}

// sortKey is one bound key of sort or top.
type sortKey struct {
	x         *expr
	desc      bool
	nullsLast bool
}

// sortPlan sorts its input (a stable sort, so equal keys keep input order)
// and, for top, keeps the first n rows.
type sortPlan struct {
	in   plan
	keys []sortKey
	n    *expr // nil for sort
}

// sort binds sort by / order by, and top when count is given. The default
// order is descending; nulls come first ascending and last descending
// unless nulls first/last says otherwise.
func (b *binder) sort(in plan, by []*parser.SortKey, count parser.Expr) plan {
	sch := in.schema()
	p := &sortPlan{in: in}
	for _, k := range by {
		desc := k.Order != "asc"
		nullsLast := desc
		switch k.Nulls {
		case "first":
			nullsLast = false
		case "last":
			nullsLast = true
		}
		p.keys = append(p.keys, sortKey{x: b.scalar(k.X, sch), desc: desc, nullsLast: nullsLast})
	}
	if count != nil {
		p.n = b.scalar(count, nil)
		if p.n.konst == nil {
			b.errorf(parser.PhaseType, count, "the row count of top must be a constant")
		}
	}
	return p
}

func (p *sortPlan) schema() tables.Schema { return p.in.schema() }

func (p *sortPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	cols := make([]*tables.Column, len(p.keys))
	for i, k := range p.keys {
		if cols[i], err = evalColumn(rc, k.x, t); err != nil {
			return nil, err
		}
	}
	idx := seq(t.Rows())
	sort.SliceStable(idx, func(a, c int) bool {
		return p.less(cols, idx[a], idx[c])
	})
	if p.n != nil {
		n, _ := p.n.konst.AsInt64()
		if n >= 0 && int(n) < len(idx) {
			idx = idx[:n]
		}
	}
	return t.Take(idx), nil
}

func (p *sortPlan) less(cols []*tables.Column, a, c int) bool {
	for i, k := range p.keys {
		va, vc := cols[i].Value(a), cols[i].Value(c)
		na, nc := va.IsNull(), vc.IsNull()
		switch {
		case na && nc:
			continue
		case na:
			return !k.nullsLast
		case nc:
			return k.nullsLast
		}
		r, ok := compare(va, vc)
		if !ok || r == 0 {
			continue
		}
		return (r < 0) != k.desc
	}
	return false
}

// getSchemaPlan is getschema: one row per input column.
type getSchemaPlan struct{ in plan }

var getSchemaSchema = tables.Schema{
	{Name: "ColumnName", Type: tables.String},
	{Name: "ColumnOrdinal", Type: tables.Int},
	{Name: "DataType", Type: tables.String},
	{Name: "ColumnType", Type: tables.String},
}

// clrNames are the .NET type names getschema reports in DataType.
var clrNames = map[tables.Type]string{
	tables.Bool: "System.SByte", tables.Int: "System.Int32", tables.Long: "System.Int64",
	tables.Real: "System.Double", tables.Decimal: "System.Data.SqlTypes.SqlDecimal",
	tables.String: "System.String", tables.DateTime: "System.DateTime",
	tables.Timespan: "System.TimeSpan", tables.GUID: "System.Guid", tables.Dynamic: "System.Object",
}

func (p *getSchemaPlan) schema() tables.Schema { return getSchemaSchema }

func (p *getSchemaPlan) run(*runCtx) (*tables.Table, error) {
	sch := p.in.schema()
	cols := make([]*tables.Column, 4)
	for i, f := range getSchemaSchema {
		cols[i] = tables.NewColumn(f.Type, len(sch))
	}
	for i, f := range sch {
		cols[0].Append(tables.NewString(f.Name))
		cols[1].Append(tables.NewInt(int64(i)))
		cols[2].Append(tables.NewString(clrNames[f.Type]))
		cols[3].Append(tables.NewString(f.Type.String()))
	}
	return tables.NewTable("", getSchemaSchema, cols), nil
}
