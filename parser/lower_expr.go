package parser

import "strings"

// Binary precedence, lowest first. The grammar reads `a op b op c ...` as a
// flat list; fold applies these levels (all left-associative).
const (
	precOr = 1 + iota
	precAnd
	precCompare // comparisons, string operators, in, between
	precAdd
	precMul
)

func precedence(t *gTail) int {
	switch t.Op {
	case "":
		return precCompare // in / between families
	case "or":
		return precOr
	case "and":
		return precAnd
	case "+", "-":
		return precAdd
	case "*", "/", "%":
		return precMul
	}
	return precCompare
}

func lowerExpr(g *gExpr) Expr {
	f := folder{tails: g.Rest}
	return f.climb(lowerOperand(g.First), precOr)
}

func lowerExprs(gs []*gExpr) []Expr {
	out := make([]Expr, len(gs))
	for i, g := range gs {
		out[i] = lowerExpr(g)
	}
	return out
}

// folder applies precedence climbing to a flat operand/operator list.
type folder struct {
	tails []*gTail
	k     int
}

func (f *folder) climb(lhs Expr, minPrec int) Expr {
	for f.k < len(f.tails) {
		t := f.tails[f.k]
		p := precedence(t)
		if p < minPrec {
			break
		}
		f.k++
		if t.Op == "" {
			lhs = lowerSpecial(lhs, t)
			continue
		}
		rhs := lowerOperand(t.Y)
		for f.k < len(f.tails) && precedence(f.tails[f.k]) > p {
			rhs = f.climb(rhs, p+1)
		}
		opSpan := Span{t.Pos.Offset, t.Pos.Offset + len(t.Op)}
		lhs = &BinaryExpr{Span: Span{lhs.Pos().Start, rhs.Pos().End}, Op: t.Op, OpSpan: opSpan, X: lhs, Y: rhs}
	}
	return lhs
}

// lowerSpecial builds the in / has_any / between forms, whose right side is
// a parenthesised list rather than an operand.
func lowerSpecial(lhs Expr, t *gTail) Expr {
	sp := Span{lhs.Pos().Start, t.end()}
	if t.BetweenOp != "" {
		return &BetweenExpr{Span: sp, X: lhs, Lo: lowerExpr(t.Lo), Hi: lowerExpr(t.Hi),
			Not: t.BetweenOp == "!between"}
	}
	in := &InExpr{Span: sp, Op: t.InOp, OpSpan: Span{t.Pos.Offset, t.Pos.Offset + len(t.InOp)}, X: lhs}
	for _, item := range t.List {
		in.List = append(in.List, lowerTable(item))
	}
	return in
}

// lowerOperand applies the suffixes to the primary, then the signs from the
// innermost out.
func lowerOperand(g *gOperand) Expr {
	x := lowerPrimary(g.X)
	for _, s := range g.Suffixes {
		sp := Span{x.Pos().Start, s.end()}
		switch {
		case s.Member != nil:
			x = &MemberExpr{Span: sp, X: x, Name: lowerNameAny(s.Member)}
		case s.BrKey != nil:
			name := &Ident{Span: Span{s.BrKey.Pos.Offset - 1, s.end()}, Name: strLitText(s.BrKey.Parts),
				Bracketed: true}
			x = &MemberExpr{Span: sp, X: x, Name: name}
		case s.DotIdx != nil:
			x = &IndexExpr{Span: sp, X: x, Index: lowerExpr(s.DotIdx)}
		default:
			x = &IndexExpr{Span: sp, X: x, Index: lowerExpr(s.Index)}
		}
	}
	for i := len(g.Signs) - 1; i >= 0; i-- {
		x = &UnaryExpr{Span: Span{g.Signs[i].Pos.Offset, x.Pos().End}, Op: g.Signs[i].Op, X: x}
	}
	return x
}

func lowerPrimary(g *gPrimary) Expr {
	sp := g.span()
	switch {
	case g.Lit != nil:
		return lowerLit(g.Lit)
	case g.Ref != nil:
		return lowerRef(g.Ref)
	case g.Dynamic != nil:
		return &DynamicLit{Span: sp, Value: lowerJSON(g.Dynamic)}
	case g.Paren != nil:
		return &ParenExpr{Span: sp, X: lowerPipe(g.Paren)}
	}
	return &StarExpr{Span: sp}
}

func lowerLit(g *gLit) Expr {
	sp := g.span()
	raw := g.Parts[0]
	switch g.Type {
	case tokString:
		return &Literal{Span: sp, Kind: LitString, Text: strLitText(g.Parts)}
	case tokInt:
		return &Literal{Span: sp, Kind: LitLong, Text: raw}
	case tokReal:
		return &Literal{Span: sp, Kind: LitReal, Text: raw}
	case tokTimespan:
		return &Literal{Span: sp, Kind: LitTimespan, Text: raw}
	case tokBool:
		return &Literal{Span: sp, Kind: LitBool, Text: strings.ToLower(raw)}
	}
	return typedLiteral(sp, raw)
}

func lowerRef(g *gRef) Expr {
	name := &Ident{Span: g.Name.span(), Name: g.Name.Name, Bracketed: g.Name.Br}
	if !g.Call {
		return name
	}
	c := &CallExpr{Span: g.span(), Fun: name}
	for _, a := range g.Args {
		c.Args = append(c.Args, lowerArg(a))
	}
	return c
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
	c := &CallExpr{Span: g.span(), Fun: &Ident{Span: g.Fun.span(), Name: g.Fun.Name, Bracketed: g.Fun.Br}}
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

// lowerColumn lowers [Name =] X and (A, B) = X.
func lowerColumn(g *gColumn) Expr {
	x := lowerExpr(g.X)
	switch {
	case g.Name != nil:
		return &NamedExpr{Span: g.span(), Names: []*Ident{lowerNameAny(g.Name)}, Value: x}
	case len(g.Tuple) > 0:
		n := &NamedExpr{Span: g.span(), Value: x}
		for _, name := range g.Tuple {
			n.Names = append(n.Names, lowerNameAny(name))
		}
		return n
	}
	return x
}

func lowerColumns(gs []*gColumn) []Expr {
	out := make([]Expr, len(gs))
	for i, g := range gs {
		out[i] = lowerColumn(g)
	}
	return out
}

// ---- dynamic literals

func lowerJSON(g *gJSON) Expr {
	sp := g.span()
	switch {
	case g.Null:
		return &Literal{Span: sp, Kind: LitNull}
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
	case g.Typed != "":
		return typedLiteral(sp, g.Typed)
	case g.Arr != nil:
		a := &ArrayLit{Span: sp}
		for _, e := range g.Arr.Elems {
			a.Elems = append(a.Elems, lowerJSON(e))
		}
		return a
	}
	b := &BagLit{Span: sp}
	for _, p := range g.Bag.Pairs {
		b.Keys = append(b.Keys, strLitText(p.Key.Parts))
		b.Values = append(b.Values, lowerJSON(p.Value))
	}
	return b
}
