package engine

import (
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// findPlan is find: the rows of several tables that match a predicate,
// laid out in one schema. A table lacking a column the predicate needs
// takes no part. Output: the source column (source_ unless withsource=
// names it), then with project-smart (the default) the predicate's
// columns, then the columns every taking-part table has, then pack_, a
// bag of each row's other non-empty columns; with project, the listed
// columns (pack_ among them meaning that bag).
type findPlan struct {
	legs  []findLeg
	out   tables.Schema
	pack  int // output index of pack_, or -1
	names []string
}

// findLeg is one table of find: its filtered plan and, per output
// column, the input column it reads (-1: null).
type findLeg struct {
	name string
	in   plan
	cols []int
	rest []int // input columns packed into pack_
}

func (b *binder) find(e *parser.FindExpr) plan {
	source := "source_"
	for _, p := range e.Params {
		if strings.EqualFold(p.Name.Name, "withsource") {
			source = identOrString(p.Value)
		}
	}
	type cand struct {
		name string
		in   plan
		pred *expr
	}
	var cands []cand
	legs, ok := b.findTables(e)
	if !ok {
		return emptyPlan{} // reported; the columns after find would only cascade
	}
	for _, l := range legs {
		mark := len(b.errs)
		pred := b.searchPred(e.Pred, l.in.schema(), false)
		if len(b.errs) > mark {
			b.errs = b.errs[:mark] // this table lacks a column the predicate uses
			continue
		}
		cands = append(cands, cand{name: l.name, in: &wherePlan{in: l.in, pred: pred}})
	}
	p := &findPlan{pack: -1}
	p.out = tables.Schema{{Name: source, Type: tables.String}}
	has := func(c cand, name string) int { return c.in.schema().Index(name) }
	addCol := func(name string, t tables.Type) {
		if p.out.Index(name) < 0 {
			p.out = append(p.out, tables.Field{Name: name, Type: t})
		}
	}
	firstType := func(name string) tables.Type {
		for _, c := range cands {
			if i := has(c, name); i >= 0 {
				return c.in.schema()[i].Type
			}
		}
		return tables.Dynamic
	}
	if len(e.Project) > 0 {
		for _, x := range e.Project {
			switch x := x.(type) {
			case *parser.Ident:
				addCol(x.Name, firstType(x.Name))
			case *parser.ParseCapture:
				addCol(x.Name.Name, b.typeName(x.Type))
			default:
				b.errorf(parser.PhaseType, x, "find: project takes column names")
			}
		}
	} else {
		parser.Inspect(e.Pred, func(n parser.Node) bool {
			if id, ok := n.(*parser.Ident); ok && anyHas(cands, id.Name, has) {
				addCol(id.Name, firstType(id.Name))
			}
			return true
		})
		if len(cands) > 0 {
			for _, f := range cands[0].in.schema() {
				all := true
				for _, c := range cands[1:] {
					if j := has(c, f.Name); j < 0 || c.in.schema()[j].Type != f.Type {
						all = false
					}
				}
				if all {
					addCol(f.Name, f.Type)
				}
			}
		}
		addCol("pack_", tables.Dynamic)
	}
	p.pack = p.out.Index("pack_")
	for _, c := range cands {
		leg := findLeg{name: c.name, in: c.in}
		used := map[int]bool{}
		for _, f := range p.out {
			i := has(c, f.Name)
			if f.Name == "pack_" || f.Name == source {
				i = -1
			}
			leg.cols = append(leg.cols, i)
			used[i] = true
		}
		for i := range c.in.schema() {
			if !used[i] {
				leg.rest = append(leg.rest, i)
			}
		}
		p.legs = append(p.legs, leg)
	}
	return p
}

func anyHas[T any](cands []T, name string, has func(T, string) int) bool {
	for _, c := range cands {
		if has(c, name) >= 0 {
			return true
		}
	}
	return false
}

// findTables lists find's tables: those of in (...), wildcards expanded,
// or every table of the catalog. It reports false when one did not bind.
func (b *binder) findTables(e *parser.FindExpr) ([]findLeg, bool) {
	var out []findLeg
	ok := true
	add := func(name string, x parser.Expr) {
		p := b.tabular(x)
		if failed(p) {
			ok = false
			return
		}
		out = append(out, findLeg{name: name, in: p})
	}
	if len(e.Tables) == 0 {
		for _, n := range b.cat.Names() {
			add(n, &parser.Ident{Span: e.Span, Name: n})
		}
		return out, ok
	}
	for _, t := range e.Tables {
		id, isID := unparen(t).(*parser.Ident)
		switch {
		case isID && strings.Contains(id.Name, "*"):
			for _, n := range b.cat.Names() {
				if matchPattern(id.Name, n) {
					add(n, &parser.Ident{Span: id.Span, Name: n})
				}
			}
		case isID:
			add(id.Name, id)
		default:
			add("", t)
		}
	}
	return out, ok
}

func (p *findPlan) schema() tables.Schema { return p.out }

func (p *findPlan) run(rc *runCtx) (*tables.Table, error) {
	cols := make([]*tables.Column, len(p.out))
	for i, f := range p.out {
		cols[i] = tables.NewColumn(f.Type, 0)
	}
	n := 0
	for _, leg := range p.legs {
		t, err := leg.in.run(rc)
		if err != nil {
			return nil, err
		}
		for r := 0; r < t.Rows(); r++ {
			for i, c := range leg.cols {
				switch {
				case i == 0:
					cols[i].Append(tables.NewString(leg.name))
				case i == p.pack:
					cols[i].Append(packRest(t, leg.rest, r))
				case c < 0:
					cols[i].Append(tables.Null(p.out[i].Type))
				default:
					cols[i].Append(tables.Convert(t.Columns[c].Value(r), p.out[i].Type))
				}
			}
		}
		n += t.Rows()
	}
	out := tables.NewTable("", p.out, cols)
	out.SetRows(n)
	return out, nil
}

// packRest is the bag of row r's non-empty values in the given columns.
func packRest(t *tables.Table, cols []int, r int) tables.Value {
	buf := []byte{'{'}
	for _, c := range cols {
		v := t.Columns[c].Value(r)
		if v.IsNull() || (v.Type() == tables.String && v.Str() == "") {
			continue
		}
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		buf = append(tables.AppendJSONString(buf, t.Schema[c].Name), ':')
		buf = tables.AppendJSON(buf, v)
	}
	return tables.NewDynamic(string(append(buf, '}')))
}
