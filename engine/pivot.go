package engine

import (
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// pivotPlan turns the distinct values of one column into columns. It runs
// as a summarize by (keys..., pivot column), computed while binding because
// the output columns are the pivot values found in the data (like
// bag_unpack, see bagunpack.go), unless an output schema is declared.
// Pivot columns come in order of first appearance, as in the documented
// examples; a key combination without rows for a pivot value gets the
// aggregate of no rows (0 for count, sum and dcount, null otherwise).
type pivotPlan struct {
	in    plan // the cached summarize
	nkeys int
	names []string // pivot column names, sorted
	empty tables.Value
	out   tables.Schema
}

func (b *binder) pivot(in plan, op *parser.EvaluateOp) plan {
	args := op.Plugin.Args
	sch := in.schema()
	if len(args) == 0 {
		b.errorf(parser.PhaseType, op.Plugin, "pivot() needs the column to pivot")
		return emptyPlan{}
	}
	pivotID, ok := unparen(args[0]).(*parser.Ident)
	if !ok || sch.Index(pivotID.Name) < 0 {
		b.errorf(parser.PhaseType, args[0], "pivot(): the first argument must be a column of the input")
		return emptyPlan{}
	}
	rest := args[1:]
	var agg parser.Expr = &parser.CallExpr{Span: op.Plugin.Span, Fun: &parser.Ident{Span: op.Plugin.Span, Name: "count"}}
	aggName := "count"
	if len(rest) > 0 {
		if c, ok := unparen(rest[0]).(*parser.CallExpr); ok {
			agg, aggName, rest = c, c.Fun.Name, rest[1:]
		}
	}
	used := map[string]bool{pivotID.Name: true}
	parser.Inspect(agg, func(n parser.Node) bool {
		if id, ok := n.(*parser.Ident); ok {
			used[id.Name] = true
		}
		return true
	})
	var by []parser.Expr
	if len(rest) > 0 {
		by = append(by, rest...)
	} else {
		for _, f := range sch {
			if !used[f.Name] {
				by = append(by, &parser.Ident{Span: op.Plugin.Span, Name: f.Name})
			}
		}
	}
	nkeys := len(by)
	by = append(by, pivotID)
	sum := b.summarize(in, &parser.SummarizeOp{Span: op.Span, Aggs: []parser.Expr{agg}, By: by})
	if failed(sum) || len(sum.schema()) != nkeys+2 {
		if !failed(sum) {
			b.errorf(parser.PhaseType, agg, "pivot(): the aggregation must give one column")
		}
		return emptyPlan{}
	}
	valType := sum.schema()[nkeys+1].Type
	empty := tables.Null(valType)
	switch aggName {
	case "count", "sum", "dcount", "countif", "sumif", "dcountif":
		empty = tables.Convert(tables.NewLong(0), valType)
	}
	if op.Schema != nil {
		return b.pivotDeclared(op, sum, nkeys, empty)
	}
	cs, t, ok := b.runAtBind(op, sum)
	if !ok {
		return emptyPlan{}
	}
	p := &pivotPlan{in: cs, nkeys: nkeys, empty: empty}
	seen := map[string]bool{}
	for r := 0; t != nil && r < t.Rows(); r++ {
		name := t.Columns[nkeys].Value(r).String()
		if !seen[name] {
			seen[name] = true
			p.names = append(p.names, name)
		}
	}
	p.out = append(p.out, cs.schema()[:nkeys]...)
	for _, n := range p.names {
		p.out = append(p.out, tables.Field{Name: n, Type: valType})
	}
	p.out = uniqueNames(p.out)
	return p
}

// pivotDeclared binds pivot with an output schema: its first columns are
// the keys, the rest name the pivot values to output, in that order.
func (b *binder) pivotDeclared(op *parser.EvaluateOp, sum plan, nkeys int, empty tables.Value) plan {
	if len(op.Schema) < nkeys {
		b.errorf(parser.PhaseType, op, "pivot(): the output schema must start with the %d key columns", nkeys)
		return emptyPlan{}
	}
	p := &pivotPlan{in: sum, nkeys: nkeys, empty: empty}
	for i, d := range op.Schema {
		p.out = append(p.out, tables.Field{Name: d.Name.Name, Type: b.typeName(d.Type)})
		if i >= nkeys {
			p.names = append(p.names, d.Name.Name)
		}
	}
	return p
}

func (p *pivotPlan) schema() tables.Schema { return p.out }

func (p *pivotPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	keys := make([]rowFn, p.nkeys)
	for i := range keys {
		keys[i] = t.Columns[i].Value
	}
	col := map[string]int{}
	for i, n := range p.names {
		col[n] = i
	}
	index := map[string]int{}
	var first []int
	var cells [][]tables.Value
	var buf []byte
	for r := 0; r < t.Rows(); r++ {
		buf = buf[:0]
		for _, k := range keys {
			buf = appendKey(buf, k(r))
		}
		g, ok := index[string(buf)]
		if !ok {
			g = len(first)
			index[string(buf)] = g
			first = append(first, r)
			row := make([]tables.Value, len(p.names))
			for i := range row {
				row[i] = p.empty
			}
			cells = append(cells, row)
		}
		if c, ok := col[t.Columns[p.nkeys].Value(r).String()]; ok {
			cells[g][c] = t.Columns[p.nkeys+1].Value(r)
		}
	}
	cols := make([]*tables.Column, 0, len(p.out))
	for i := 0; i < p.nkeys; i++ {
		kc := t.Columns[i].Take(first)
		if kc.Type() != p.out[i].Type {
			kc = retype(kc, p.out[i].Type)
		}
		cols = append(cols, kc)
	}
	for c := range p.names {
		typ := p.out[p.nkeys+c].Type
		out := tables.NewColumn(typ, len(first))
		for g := range cells {
			out.Append(tables.Convert(cells[g][c], typ))
		}
		cols = append(cols, out)
	}
	res := tables.NewTable("", p.out, cols)
	res.SetRows(len(first))
	return res, nil
}

// narrowPlan unpivots a table into Row, Column and Value: one row per cell,
// the value as its string.
type narrowPlan struct{ in plan }

var narrowSchema = tables.Schema{
	{Name: "Row", Type: tables.Int},
	{Name: "Column", Type: tables.String},
	{Name: "Value", Type: tables.String},
}

func (b *binder) narrow(in plan, op *parser.EvaluateOp) plan {
	if len(op.Plugin.Args) > 0 {
		b.errorf(parser.PhaseType, op.Plugin, "narrow() takes no arguments")
		return emptyPlan{}
	}
	return &narrowPlan{in: in}
}

func (p *narrowPlan) schema() tables.Schema { return narrowSchema }

func (p *narrowPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	n := t.Rows() * len(t.Schema)
	if int64(n) > rc.rowLimit() {
		return nil, tooManyRows(rc.at, "narrow", rc.rowLimit())
	}
	rows := tables.NewColumn(tables.Int, n)
	names := tables.NewColumn(tables.String, n)
	vals := tables.NewColumn(tables.String, n)
	for r := 0; r < t.Rows(); r++ {
		for c, f := range t.Schema {
			rows.Append(tables.NewInt(int64(r)))
			names.Append(tables.NewString(f.Name))
			vals.Append(tables.NewString(t.Columns[c].Value(r).String()))
		}
	}
	return tables.NewTable("", narrowSchema, []*tables.Column{rows, names, vals}), nil
}
