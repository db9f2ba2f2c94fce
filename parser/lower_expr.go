package parser

import "strings"

func lowerExpr(g *gExpr) Expr { return g.X }

func lowerExprs(gs []*gExpr) []Expr {
	if len(gs) == 0 {
		return nil
	}
	out := make([]Expr, len(gs))
	for i, g := range gs {
		out[i] = g.X
	}
	return out
}

var typedLitKinds = map[string]LitKind{
	"datetime": LitDateTime, "timespan": LitTimespan, "time": LitTimespan, "guid": LitGUID,
	"int": LitInt, "long": LitLong, "real": LitReal, "double": LitReal,
	"decimal": LitDecimal, "bool": LitBool, "string": LitString,
}

// typedLiteral lowers a literal the lexer kept whole: datetime(...),
// timespan(...), guid(...), long(5), int(null) ... and typeof(T). Text is the
// inside of the parentheses, trimmed; a bool's is lower-cased.
func typedLiteral(sp Span, raw string) Expr {
	open := strings.IndexByte(raw, '(')
	inner := raw[open+1 : len(raw)-1]
	text := strings.TrimSpace(inner)
	if raw[:open] == "typeof" {
		at := sp.Start + open + 1 + strings.Index(inner, text)
		return &TypeofExpr{Span: sp, Type: &Ident{Span: Span{at, at + len(text)}, Name: text}}
	}
	kind := typedLitKinds[raw[:open]]
	if text == "null" {
		return &Literal{Span: sp, Kind: kind, Null: true}
	}
	if kind == LitBool {
		text = strings.ToLower(text)
	}
	return &Literal{Span: sp, Kind: kind, Text: text}
}

func lowerCall(g *gCall) *CallExpr {
	fun := &Ident{Span: g.Fun.span(), Name: g.Fun.Name, Bracketed: g.Fun.Br}
	c := &CallExpr{Span: g.span(), Fun: fun}
	for _, a := range g.Args {
		c.Args = append(c.Args, lowerArg(a))
	}
	return c
}

func lowerArg(g *gArg) Expr {
	if g.Star {
		return &StarExpr{Span: g.span()}
	}
	v := lowerPipe(g.Value)
	if g.Name == nil {
		return v
	}
	return &NamedExpr{Span: g.span(), Names: []*Ident{lowerName(g.Name)}, Value: v}
}

func lowerColumn(g *gColumn) Expr { return g.X }

func lowerColumns(gs []*gColumn) []Expr {
	if len(gs) == 0 {
		return nil
	}
	out := make([]Expr, len(gs))
	for i, g := range gs {
		out[i] = lowerColumn(g)
	}
	return out
}
