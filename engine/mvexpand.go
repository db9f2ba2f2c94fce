package engine

import (
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// mvItem is one bound expanded column of mv-expand.
type mvItem struct {
	x   *expr
	ast parser.Expr // the expression x was bound from
	to  tables.Type // the column's type: dynamic unless `to typeof(T)`
	pos int         // output position
}

// mvExpandPlan turns each element of a dynamic array (or property of a bag)
// into its own row (SEMANTICS.md §3). Several items expand in parallel,
// padded with nulls to the longest.
type mvExpandPlan struct {
	in        plan
	items     []mvItem
	bagArrays bool // kind=array: bag properties become [key, value]
	itemIndex int  // output position of with_itemindex, or -1
	limit     int64
	out       tables.Schema
}

func (b *binder) mvExpand(in plan, op *parser.MvExpandOp) plan {
	sch := append(tables.Schema(nil), in.schema()...)
	p := &mvExpandPlan{in: in, itemIndex: -1, limit: -1}
	for _, prop := range op.Params {
		b.mvParam(p, prop)
	}
	for _, it := range op.Items {
		x := b.scalar(it.X, in.schema())
		name := x.name
		if it.Name != nil {
			name = it.Name.Name
		}
		if name == "" {
			b.errorf(parser.PhaseType, it, "name the expanded column: Name = expression")
			continue
		}
		t := tables.Dynamic
		if it.To != nil {
			t = b.typeName(it.To)
		}
		pos := sch.Index(name)
		if pos < 0 {
			pos = len(sch)
			sch = append(sch, tables.Field{Name: name, Type: t})
		} else {
			sch[pos].Type = t
		}
		p.items = append(p.items, mvItem{x: x, ast: it.X, to: t, pos: pos})
	}
	if op.ItemIndex != nil {
		p.itemIndex = len(sch)
		sch = append(sch, tables.Field{Name: op.ItemIndex.Name, Type: tables.Long})
	}
	if op.Limit != nil {
		n := b.scalar(op.Limit, nil)
		if v, ok := constInt(n); ok {
			p.limit = v
		} else {
			b.errorf(parser.PhaseType, op.Limit, "the mv-expand limit must be a constant number")
		}
	}
	p.out = sch
	return p
}

func (b *binder) mvParam(p *mvExpandPlan, prop *parser.Property) {
	v := identOrString(prop.Value)
	switch prop.Name.Name {
	case "kind", "bagexpansion":
		switch v {
		case "array":
			p.bagArrays = true
		case "bag":
		default:
			b.errorf(parser.PhaseType, prop, "%s must be bag or array", prop.Name.Name)
		}
	default:
		b.errorf(parser.PhaseUnsupported, prop, "mv-expand parameter '%s' is not supported", prop.Name.Name)
	}
}

// identOrString returns the text of an identifier or string literal.
func identOrString(e parser.Expr) string {
	switch e := e.(type) {
	case *parser.Ident:
		return e.Name
	case *parser.Literal:
		return e.Text
	}
	return ""
}

func (p *mvExpandPlan) schema() tables.Schema { return p.out }

func (p *mvExpandPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	return p.expandTable(rc, t)
}

// expandTable expands the rows of t.
func (p *mvExpandPlan) expandTable(rc *runCtx, t *tables.Table) (*tables.Table, error) {
	var err error
	fns := make([]rowFn, len(p.items))
	for i, it := range p.items {
		if fns[i], err = it.x.compile(rc, t); err != nil {
			return nil, err
		}
	}
	var src []int
	outCols := make([]*tables.Column, len(p.items))
	for i, it := range p.items {
		outCols[i] = tables.NewColumn(it.to, t.Rows())
	}
	var index *tables.Column
	if p.itemIndex >= 0 {
		index = tables.NewColumn(tables.Long, t.Rows())
	}
	elems := make([][]tables.Value, len(p.items))
	for r := 0; r < t.Rows(); r++ {
		if r%4096 == 4095 {
			if err := rc.check(); err != nil {
				return nil, err
			}
		}
		n := 0
		for i, f := range fns {
			elems[i] = p.expand(elems[i][:0], f(r))
			n = max(n, len(elems[i]))
		}
		if p.limit >= 0 && int64(n) > p.limit {
			n = int(p.limit)
		}
		if err := checkExpand(rc, len(src), n); err != nil {
			return nil, err
		}
		for k := 0; k < n; k++ {
			src = append(src, r)
			for i, it := range p.items {
				v := tables.Null(tables.Dynamic)
				if k < len(elems[i]) {
					v = elems[i][k]
				}
				outCols[i].Append(castExpanded(v, it.to))
			}
			if index != nil {
				index.Append(tables.NewLong(int64(k)))
			}
		}
	}
	return p.assemble(t, src, outCols, index), nil
}

// expand lists the values one row's value expands to: the elements of an
// array, the properties of a bag, one null for null, the value itself for a
// scalar, and nothing for an empty array or bag.
func (p *mvExpandPlan) expand(dst []tables.Value, v tables.Value) []tables.Value {
	if v.IsNull() {
		return append(dst, tables.Null(tables.Dynamic))
	}
	if v.Type() != tables.Dynamic {
		return append(dst, v)
	}
	switch v.DynKind() {
	case tables.DynArray:
		v.Elements(func(_ string, el tables.Value) bool {
			dst = append(dst, el)
			return true
		})
	case tables.DynBag:
		v.Elements(func(k string, el tables.Value) bool {
			dst = append(dst, bagEntry(k, el, p.bagArrays))
			return true
		})
	default:
		dst = append(dst, v)
	}
	return dst
}

// bagEntry is one property of an expanded bag: {"k": v}, or [k, v] for
// kind=array.
func bagEntry(k string, v tables.Value, asArray bool) tables.Value {
	val := v.Str()
	if v.IsNull() {
		val = "null"
	}
	if asArray {
		return tables.NewDynamic("[" + tables.QuoteJSON(k) + "," + val + "]")
	}
	return tables.NewDynamic("{" + tables.QuoteJSON(k) + ":" + val + "}")
}

// castExpanded applies `to typeof(T)`: a cast, not a parse; an element
// that does not fit T becomes null.
func castExpanded(v tables.Value, t tables.Type) tables.Value {
	if t == tables.Dynamic || v.Type() == t {
		return v
	}
	if v.Type() == tables.Dynamic {
		switch k := v.DynKind(); {
		case t == tables.String:
			return tables.NewString(v.String())
		case k == tables.DynArray || k == tables.DynBag:
			return tables.Null(t)
		}
	}
	return tables.Convert(v, t)
}

// assemble builds the output: the input's columns repeated for each
// produced row, with the expanded columns in their positions.
func (p *mvExpandPlan) assemble(t *tables.Table, src []int, outCols []*tables.Column, index *tables.Column) *tables.Table {
	cols := make([]*tables.Column, len(p.out))
	for i := range t.Columns {
		cols[i] = nil
	}
	for i, it := range p.items {
		cols[it.pos] = outCols[i]
	}
	if index != nil {
		cols[p.itemIndex] = index
	}
	for i := range t.Columns {
		if cols[i] == nil {
			cols[i] = t.Columns[i].Take(src)
		}
	}
	out := tables.NewTable(t.Name, p.out, cols)
	out.SetRows(len(src))
	return out
}

// constInt returns the value of a constant integer expression.
func constInt(x *expr) (int64, bool) {
	if x.konst == nil || !x.typ.IsNumeric() {
		return 0, false
	}
	return x.konst.AsInt64()
}
