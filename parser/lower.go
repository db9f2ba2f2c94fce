package parser

import (
	"strings"
)

// lower.go turns grammar structs into AST nodes. Each function takes a
// non-nil grammar node; participle guarantees the fields a production
// requires are set.

func lowerStmt(g *gStmt) Stmt {
	switch {
	case g.Let != nil:
		return lowerLet(g.Let)
	case g.Set != nil:
		s := &SetStmt{Span: g.span(), Name: lowerNameAny(g.Set.Name)}
		if g.Set.Value != nil {
			s.Value = lowerExpr(g.Set.Value)
		}
		return s
	case g.Declare != nil && g.Declare.Pattern != nil:
		return lowerPatternStmt(g.Declare.Pattern, g.span())
	case g.Declare != nil:
		return &DeclareStmt{Span: g.span(), Params: lowerParams(g.Declare.Params)}
	default:
		return &ExprStmt{Span: g.span(), X: lowerPipe(g.Expr)}
	}
}

func lowerPatternStmt(g *gPatternDecl, sp Span) *PatternStmt {
	s := &PatternStmt{Span: sp, Name: lowerName(g.Name), Defined: g.Defined, Params: lowerParams(g.Params)}
	if g.Path != nil {
		s.Path = lowerParams([]*gParam{g.Path})[0]
	}
	for _, r := range g.Rules {
		rule := &PatternRule{Span: r.span(), Args: lowerExprs(r.Args), Body: lowerPipe(r.Body)}
		if r.Path != nil {
			rule.Path = lowerExpr(r.Path)
		}
		s.Rules = append(s.Rules, rule)
	}
	return s
}

func lowerLet(g *gLet) *LetStmt {
	s := &LetStmt{Span: g.span(), Name: lowerName(g.Name)}
	switch {
	case g.Func != nil:
		s.Value = lowerFunc(g.Func, false, g.Func.span())
	case g.View != nil:
		s.Value = lowerFunc(g.View.Func, true, g.View.span())
	default:
		s.Value = lowerPipe(g.X)
	}
	return s
}

func lowerFunc(g *gFunc, view bool, sp Span) *FuncLit {
	f := &FuncLit{Span: sp, Params: lowerParams(g.Params), View: view}
	for _, st := range g.Body {
		f.Body = append(f.Body, lowerStmt(st))
	}
	return f
}

func lowerParams(gs []*gParam) []*Param {
	var out []*Param
	for _, g := range gs {
		p := &Param{Span: g.span(), Name: lowerName(g.Name), Star: g.Star}
		switch {
		case g.Type != nil:
			p.Type = lowerNameAny(g.Type)
		default:
			p.Tabular = true
			p.Columns = lowerColDecls(g.Columns)
		}
		if g.Default != nil {
			p.Default = lowerExpr(g.Default)
		}
		out = append(out, p)
	}
	return out
}

func lowerColDecls(gs []*gColDecl) []*ColumnDecl {
	if len(gs) == 0 {
		return nil
	}
	out := make([]*ColumnDecl, len(gs))
	for i, g := range gs {
		out[i] = &ColumnDecl{Span: g.span(), Name: lowerNameAny(g.Name), Type: lowerNameAny(g.Type)}
	}
	return out
}

// ---- tabular

func lowerPipe(g *gPipe) Expr {
	src := lowerSource(g.Source)
	if len(g.Ops) == 0 {
		return src
	}
	p := &PipeExpr{Span: g.span(), Source: src}
	for _, op := range g.Ops {
		p.Ops = append(p.Ops, lowerOp(op))
	}
	return p
}

// lowerTable lowers a tabular argument (a join's right side, a union leg,
// an in-list item): parentheses around a pipe are only grouping there.
func lowerTable(g *gPipe) Expr {
	return lowerPipe(g)
}

func lowerSource(g *gSource) Expr {
	switch {
	case g.Union != nil:
		u := g.Union
		return &UnionExpr{Span: u.span(), Params: lowerUnionProps(u.Props),
			Tables: lowerUnionItems(u.Tables)}
	case g.Datatable != nil:
		d := g.Datatable
		return &DatatableExpr{Span: d.span(), Columns: lowerColDecls(d.Columns),
			Values: lowerExprs(d.Values)}
	case g.External != nil:
		e := g.External
		return &ExternalDataExpr{Span: e.span(), Columns: lowerColDecls(e.Columns),
			URIs: lowerExprs(e.URIs), Params: lowerKVs(e.Props)}
	case g.Range != nil:
		r := g.Range
		return &RangeExpr{Span: r.span(), Name: lowerName(r.Name), From: lowerExpr(r.From),
			To: lowerExpr(r.To), Step: lowerExpr(r.Step)}
	case g.Print != nil:
		return &PrintExpr{Span: g.Print.span(), Cols: lowerColumns(g.Print.Cols)}
	case g.Search != nil:
		s := g.Search
		return &SearchExpr{Span: s.span(), Params: kindProp(s.Kind), Tables: lowerUnionItems(s.Tables),
			Pred: s.Pred.X}
	case g.Find != nil:
		return lowerFind(g.Find)
	default:
		return lowerExpr(g.Expr)
	}
}

func lowerFind(g *gFind) *FindExpr {
	f := &FindExpr{Span: g.span(), Params: lowerUnionProps(g.Props), Tables: lowerUnionItems(g.Tables),
		Pred: g.Pred.X, ProjectSmart: g.Smart}
	for _, c := range g.Project {
		x := lowerColumn(c.X)
		if id, ok := x.(*Ident); ok && c.Type != nil {
			x = &ParseCapture{Span: c.span(), Name: id, Type: lowerNameAny(c.Type)}
		}
		f.Project = append(f.Project, x)
	}
	return f
}

func lowerUnionItems(gs []*gUnionItem) []Expr {
	var out []Expr
	for _, g := range gs {
		switch {
		case g.Paren != nil:
			out = append(out, lowerTable(g.Paren))
		case g.Call != nil && g.Member != nil:
			out = append(out, &MemberExpr{Span: g.span(), X: lowerCall(g.Call), Name: lowerNameAny(g.Member)})
		case g.Call != nil:
			out = append(out, lowerCall(g.Call))
		default:
			out = append(out, lowerPattern(g.Pattern))
		}
	}
	return out
}

func lowerPattern(g *gPattern) *Ident {
	return &Ident{Span: g.span(), Name: g.Text, Bracketed: g.Bracketed}
}

func lowerPatterns(gs []*gPattern) []*Ident {
	if len(gs) == 0 {
		return nil
	}
	out := make([]*Ident, len(gs))
	for i, g := range gs {
		out[i] = lowerPattern(g)
	}
	return out
}

// ---- names

func lowerName(g *gName) *Ident {
	return &Ident{Span: g.span(), Name: g.Ident, Bracketed: g.Br}
}

func lowerNameAny(g *gNameAny) *Ident {
	return &Ident{Span: g.span(), Name: g.Ident, Bracketed: g.Br}
}

// strLitText decodes adjacent string tokens and joins them.
func strLitText(parts []string) string {
	if len(parts) == 1 {
		return decodeString(parts[0])
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(decodeString(p))
	}
	return b.String()
}

// ---- properties

func propName(a at, name string) *Ident {
	return &Ident{Span: Span{a.Pos.Offset, a.Pos.Offset + len(name)}, Name: name}
}

func lowerPropValue(g *gPropValue) Expr {
	sp := g.span()
	switch {
	case g.Str != nil:
		return &Literal{Span: sp, Kind: LitString, Text: strLitText(g.Str.Parts)}
	case g.Int != "":
		return &Literal{Span: sp, Kind: LitLong, Text: g.Sign + g.Int}
	case g.Real != "":
		return &Literal{Span: sp, Kind: LitReal, Text: g.Sign + g.Real}
	case g.Timespan != "":
		return &Literal{Span: sp, Kind: LitTimespan, Text: g.Sign + g.Timespan}
	case g.Bool != "":
		return &Literal{Span: sp, Kind: LitBool, Text: strings.ToLower(g.Bool)}
	}
	return &Ident{Span: sp, Name: g.Name}
}

func prop(a at, name string, v *gPropValue) *Property {
	return &Property{Span: a.span(), Name: propName(a, name), Value: lowerPropValue(v)}
}

func lowerHintProps(gs []*gHintProp) []*Property {
	var out []*Property
	for _, g := range gs {
		out = append(out, prop(g.at, g.Name, g.Value))
	}
	return out
}

func lowerJoinProps(gs []*gJoinProp) []*Property {
	var out []*Property
	for _, g := range gs {
		out = append(out, prop(g.at, g.Name, g.Value))
	}
	return out
}

func lowerUnionProps(gs []*gUnionProp) []*Property {
	var out []*Property
	for _, g := range gs {
		out = append(out, prop(g.at, g.Name+g.Hint, g.Value))
	}
	return out
}

func lowerParseProps(gs []*gParseProp) []*Property {
	var out []*Property
	for _, g := range gs {
		out = append(out, prop(g.at, g.Name, g.Value))
	}
	return out
}

func kindProp(g *gKindProp) []*Property {
	if g == nil {
		return nil
	}
	return []*Property{prop(g.at, g.Name, g.Value)}
}

// lowerMvProps splits mv-expand's properties: with_itemindex names a
// column and has its own field.
func lowerMvProps(gs []*gMvProp) (props []*Property, index *Ident) {
	for _, g := range gs {
		if g.Name == "with_itemindex" {
			index = &Ident{Span: g.Value.span(), Name: g.Value.Name}
			if g.Value.Str != nil {
				index.Name, index.Bracketed = strLitText(g.Value.Str.Parts), true
			}
			continue
		}
		props = append(props, prop(g.at, g.Name, g.Value))
	}
	return props, index
}

// lowerKVs lowers name = value pairs; a list value (ycolumns = a, b)
// becomes an *ArrayLit of its items.
func lowerKVs(gs []*gKV) []*Property {
	var out []*Property
	for _, g := range gs {
		var v Expr = lowerExpr(g.Value)
		if len(g.More) > 0 {
			arr := &ArrayLit{Elems: []Expr{v}}
			for _, m := range g.More {
				arr.Elems = append(arr.Elems, lowerNameAny(m))
			}
			arr.Span = Span{v.Pos().Start, g.end()}
			v = arr
		}
		out = append(out, &Property{Span: g.span(), Name: lowerNameAny(g.Name), Value: v})
	}
	return out
}
