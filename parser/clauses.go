package parser

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Operator clauses built on the hand-written expression parser: a column
// with an optional name, a sort key, an mv-expand item and a reorder item.
// They are Parseable for the same reason as gExpr: most queries are made of
// them, and each participle alternative they avoid is a branch and a
// reflective allocation.

// gColumn is [Name =] X, or (A, B) = X: a column of extend, project,
// summarize and print. X is a *NamedExpr when named.
type gColumn struct {
	at
	X Expr
}

// Parse implements participle.Parseable.
func (g *gColumn) Parse(lex *lexer.PeekingLexer) error {
	p := exprParser{lex: lex}
	names, err := p.assignTargets()
	if err != nil {
		return err
	}
	if names == nil && !p.startsOperand() {
		return participle.NextMatch
	}
	x, err := p.expr(precOr)
	if err != nil {
		return err
	}
	if names != nil {
		x = &NamedExpr{Span: Span{names[0].Start, x.Pos().End}, Names: names, Value: x}
	}
	g.X = x
	g.setSpan(x.Pos())
	return nil
}

func (a *at) setSpan(sp Span) {
	a.Pos = lexer.Position{Offset: sp.Start}
	a.EndPos = lexer.Position{Offset: sp.End, Column: sp.End}
}

// assignTargets reads `Name =` or `(A, B) =` and returns the names, or nil
// (consuming nothing) when the column is not named.
func (p *exprParser) assignTargets() ([]*Ident, error) {
	cp := p.lex.MakeCheckpoint()
	if name := p.nameAny(); name != nil {
		if p.isAssign() {
			p.lex.Next()
			return []*Ident{name}, nil
		}
		p.lex.LoadCheckpoint(cp)
		return nil, nil
	}
	if !p.is("(") {
		return nil, nil
	}
	p.lex.Next()
	var names []*Ident
	for {
		name := p.nameAny()
		if name == nil {
			p.lex.LoadCheckpoint(cp)
			return nil, nil
		}
		names = append(names, name)
		if !p.is(",") {
			break
		}
		p.lex.Next()
	}
	if !p.is(")") {
		p.lex.LoadCheckpoint(cp)
		return nil, nil
	}
	p.lex.Next()
	if !p.isAssign() {
		p.lex.LoadCheckpoint(cp)
		return nil, nil
	}
	p.lex.Next()
	return names, nil
}

// isAssign reports whether the next token is a lone '=' (not '==').
func (p *exprParser) isAssign() bool {
	t := p.peek()
	return t.Type == tokPunct && t.Value == "="
}

// nameAny reads a name where keywords are allowed, or returns nil.
func (p *exprParser) nameAny() *Ident {
	var g gNameAny
	if g.Parse(p.lex) != nil {
		return nil
	}
	return &Ident{Span: g.span(), Name: g.Ident, Bracketed: g.Br}
}

// gSortKey is X [asc|desc] [nulls first|last].
type gSortKey struct {
	at
	Key *SortKey
}

// Parse implements participle.Parseable.
func (g *gSortKey) Parse(lex *lexer.PeekingLexer) error {
	p := exprParser{lex: lex}
	if !p.startsOperand() {
		return participle.NextMatch
	}
	x, err := p.expr(precOr)
	if err != nil {
		return err
	}
	k := &SortKey{Span: x.Pos(), X: x}
	if t := p.peek(); t.Type == tokKeyword && (t.Value == "asc" || t.Value == "desc") {
		k.Order, k.End = t.Value, t.Pos.Offset+len(t.Value)
		p.lex.Next()
	}
	if t := p.peek(); t.Type == tokIdent && t.Value == "nulls" {
		p.lex.Next()
		v := p.peek()
		if v.Type != tokKeyword || (v.Value != "first" && v.Value != "last") {
			return p.fail(`"first"`)
		}
		k.Nulls, k.End = v.Value, v.Pos.Offset+len(v.Value)
		p.lex.Next()
	}
	g.Key = k
	g.setSpan(k.Span)
	return nil
}

// gMvItem is [Name =] X [to typeof(T)], an item of mv-expand and mv-apply.
type gMvItem struct {
	at
	Item *MvExpandItem
}

// Parse implements participle.Parseable.
func (g *gMvItem) Parse(lex *lexer.PeekingLexer) error {
	p := exprParser{lex: lex}
	names, err := p.assignTargets()
	if err != nil {
		return err
	}
	if len(names) > 1 {
		return p.fail("GExpr")
	}
	if names == nil && !p.startsOperand() {
		return participle.NextMatch
	}
	x, err := p.expr(precOr)
	if err != nil {
		return err
	}
	it := &MvExpandItem{Span: x.Pos(), X: x}
	if names != nil {
		it.Name, it.Start = names[0], names[0].Start
	}
	if t := p.peek(); t.Type == tokKeyword && t.Value == "to" {
		p.lex.Next()
		var ty gTypeof
		if ty.Parse(lex) != nil {
			return p.fail(`"typeof"`)
		}
		it.To = typedLiteral(ty.span(), ty.Raw).(*TypeofExpr).Type
		it.End = ty.end()
	}
	g.Item = it
	g.setSpan(it.Span)
	return nil
}

// reorderOrders are the orders project-reorder accepts after a pattern.
var reorderOrders = setOf("asc", "desc", "granny-asc", "granny-desc")

// gReorderItem is a column pattern with an optional order.
type gReorderItem struct {
	at
	Item *ReorderItem
}

// Parse implements participle.Parseable.
func (g *gReorderItem) Parse(lex *lexer.PeekingLexer) error {
	var pat gPattern
	if err := pat.Parse(lex); err != nil {
		return err
	}
	it := &ReorderItem{Span: pat.span(), Pattern: lowerPattern(&pat)}
	if t := lex.Peek(); t.Type == tokKeyword && reorderOrders[t.Value] {
		it.Order, it.End = t.Value, t.Pos.Offset+len(t.Value)
		lex.Next()
	}
	g.Item = it
	g.setSpan(it.Span)
	return nil
}
