package engine

import (
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// unionPlan concatenates its legs. The output has one column per (name,
// type) that appears in any leg, in order of first appearance from the left
// (kind=outer), or only the columns every leg has (kind=inner). A name that
// appears with two types becomes name_type for each (SEMANTICS.md §11).
type unionPlan struct {
	legs   []plan
	names  []string // leg names for withsource
	source string   // withsource column name, or ""
	out    tables.Schema
	// pick[leg][outCol] is the leg's column feeding the output column, or -1.
	pick [][]int
}

// union binds a union; first is the piped input (nil for a leading union).
func (b *binder) union(first plan, params []*parser.Property, legs []parser.Expr, at parser.Node) plan {
	p := &unionPlan{}
	inner, fuzzy := false, false
	for _, prop := range params {
		v := identOrString(prop.Value)
		switch strings.ToLower(prop.Name.Name) {
		case "kind":
			inner = v == "inner"
		case "withsource", "withsource_column":
			p.source = v
		case "isfuzzy":
			fuzzy = strings.EqualFold(v, "true")
		default:
			// hints change how Kusto runs a union, not its rows.
		}
	}
	if first != nil {
		p.legs = append(p.legs, first)
		p.names = append(p.names, "")
	}
	for _, l := range legs {
		p.addLeg(b, l, fuzzy)
	}
	for _, l := range p.legs {
		if failed(l) {
			return l
		}
	}
	if len(p.legs) == 0 {
		b.errorf(parser.PhaseName, at, "union has no table to read")
		return emptyPlan{}
	}
	p.layout(inner)
	return p
}

// addLeg binds one leg; with isfuzzy=true a leg naming an unknown table is
// left out instead of failing the query.
func (p *unionPlan) addLeg(b *binder, l parser.Expr, fuzzy bool) {
	name := ""
	if src, ok := legSource(l); ok && fuzzy && !strings.Contains(src.Name, "*") && b.scope.lookup(src.Name) == nil {
		if _, ok := b.cat.Table(src.Name); !ok {
			return
		}
	}
	if id, ok := unparen(l).(*parser.Ident); ok {
		name = id.Name
		if strings.Contains(id.Name, "*") {
			for _, v := range b.scope.tableNames() {
				if matchPattern(id.Name, v) {
					p.legs = append(p.legs, b.tabular(&parser.Ident{Span: id.Span, Name: v}))
					p.names = append(p.names, v)
				}
			}
			for _, t := range b.cat.Names() {
				if matchPattern(id.Name, t) && b.scope.lookup(t) == nil {
					tab, _ := b.cat.Table(t)
					p.legs = append(p.legs, &scanPlan{t: tab})
					p.names = append(p.names, t)
				}
			}
			return
		}
	}
	p.legs = append(p.legs, b.tabular(l))
	p.names = append(p.names, name)
}

// wildcardUnion binds a bare table pattern (Sec*) as a union of the matching
// tables.
func (b *binder) wildcardUnion(id *parser.Ident) plan {
	return b.union(nil, nil, []parser.Expr{id}, id)
}

// layout works out the output columns and which leg column feeds each.
func (p *unionPlan) layout(inner bool) {
	type key struct {
		name string
		t    tables.Type
	}
	var order []key
	seen := map[key]bool{}
	types := map[string]map[tables.Type]bool{}
	count := map[key]int{}
	for _, l := range p.legs {
		for _, f := range l.schema() {
			k := key{f.Name, f.Type}
			count[k]++
			if !seen[k] {
				seen[k] = true
				order = append(order, k)
				if types[f.Name] == nil {
					types[f.Name] = map[tables.Type]bool{}
				}
				types[f.Name][f.Type] = true
			}
		}
	}
	var out tables.Schema
	var keys []key
	var suffixed []bool
	if p.source != "" {
		out = append(out, tables.Field{Name: p.source, Type: tables.String})
		keys = append(keys, key{})
		suffixed = append(suffixed, false)
	}
	for _, k := range order {
		if inner && count[k] < len(p.legs) {
			continue
		}
		name := k.name
		if len(types[k.name]) > 1 {
			name = k.name + "_" + k.t.String()
		}
		out = append(out, tables.Field{Name: name, Type: k.t})
		keys = append(keys, k)
		suffixed = append(suffixed, len(types[k.name]) > 1)
	}
	p.out = unionNames(out, suffixed)
	p.pick = make([][]int, len(p.legs))
	for li, l := range p.legs {
		sch := l.schema()
		p.pick[li] = make([]int, len(keys))
		for oi, k := range keys {
			p.pick[li][oi] = -1
			for ci, f := range sch {
				if f.Name == k.name && f.Type == k.t {
					p.pick[li][oi] = ci
				}
			}
		}
	}
}

func (p *unionPlan) schema() tables.Schema { return p.out }

func (p *unionPlan) run(rc *runCtx) (*tables.Table, error) {
	parts := make([][]*tables.Column, len(p.out))
	total := 0
	results, err := runLegs(rc, p.legs)
	if err != nil {
		return nil, err
	}
	for li, t := range results {
		n := t.Rows()
		total += n
		for oi, f := range p.out {
			ci := p.pick[li][oi]
			switch {
			case p.source != "" && oi == 0:
				parts[oi] = append(parts[oi], tables.Constant(tables.String, tables.NewString(p.legName(li, t)), n))
			case ci < 0:
				parts[oi] = append(parts[oi], tables.Constant(f.Type, tables.Null(f.Type), n))
			default:
				parts[oi] = append(parts[oi], t.Columns[ci])
			}
		}
	}
	cols := make([]*tables.Column, len(p.out))
	for i, f := range p.out {
		if len(parts[i]) == 1 {
			cols[i] = parts[i][0]
			continue
		}
		cols[i] = tables.Concat(f.Type, parts[i]...)
	}
	out := tables.NewTable("", p.out, cols)
	out.SetRows(total)
	return out, nil
}

func (p *unionPlan) legName(li int, t *tables.Table) string {
	if p.names[li] != "" {
		return p.names[li]
	}
	return t.Name
}
