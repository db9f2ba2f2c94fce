package parser

import (
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Scalar expressions are parsed by hand, by precedence climbing, inside the
// participle grammar: gExpr implements participle.Parseable (the pattern of
// participle's _examples/precedenceclimbing). Expressions are most of a
// query's tokens, and participle spends a reflective struct, a branch and a
// deferred field assignment on every leaf; as grammar structs they made the
// flagship query cost about 2 ms to parse. Tabular pieces nested in an
// expression (a call argument or parenthesis holding a query, an in-list
// fed by a query) go back to the participle grammar through pipeParser and
// opsParser.

// gExpr is a scalar expression, already lowered to the AST.
type gExpr struct {
	at
	X Expr
}

// gOps is the `| op | op ...` tail of a pipe that started as an expression.
type gOps struct {
	at
	Ops []*gOp `parser:"( '|' @@ )+"`
}

var (
	pipeParser = participle.MustBuild[gPipe](participle.Lexer(definition{}),
		participle.UseLookahead(participle.MaxLookahead))
	opsParser = participle.MustBuild[gOps](participle.Lexer(definition{}),
		participle.UseLookahead(participle.MaxLookahead))
)

// Parse implements participle.Parseable. It reports NextMatch when the next
// token cannot start an expression, so that participle tries its other
// alternatives.
func (g *gExpr) Parse(lex *lexer.PeekingLexer) error {
	return g.parse(lex, false)
}

func (g *gExpr) parse(lex *lexer.PeekingLexer, colon bool) error {
	p := exprParser{lex: lex, colon: colon}
	if !p.startsOperand() {
		return participle.NextMatch
	}
	x, err := p.expr(precOr)
	if err != nil {
		return err
	}
	sp := x.Pos()
	g.X = x
	g.Pos = lexer.Position{Offset: sp.Start}
	g.EndPos = lexer.Position{Offset: sp.End, Column: sp.End}
	return nil
}

// Binary precedence, lowest first; all levels are left-associative.
const (
	precOr = 1 + iota
	precAnd
	precCompare // comparisons, string operators, in, between
	precAdd
	precMul
)

func precedence(t *lexer.Token) int {
	switch t.Type {
	case tokInOp, tokBetween:
		return precCompare
	case tokOp:
	default:
		return 0
	}
	switch t.Value {
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

type exprParser struct {
	lex *lexer.PeekingLexer
	// colon allows search's `Column:"text"` (has) operator. It is only on
	// in predicates: elsewhere ':' separates a name from its type.
	colon bool
}

// gPred is a predicate of where, search or find: an expression in which
// ':' is an operator.
type gPred struct {
	at
	X Expr
}

// Parse implements participle.Parseable.
func (g *gPred) Parse(lex *lexer.PeekingLexer) error {
	var e gExpr
	if err := e.parse(lex, true); err != nil {
		return err
	}
	g.at, g.X = e.at, e.X
	return nil
}

func (p *exprParser) peek() *lexer.Token { return p.lex.Peek() }

func (p *exprParser) is(value string) bool {
	t := p.lex.Peek()
	return t.Value == value && (t.Type == tokPunct || t.Type == tokOp)
}

// expect consumes the punctuation value or fails naming it.
func (p *exprParser) expect(value string) (*lexer.Token, error) {
	if !p.is(value) {
		return nil, p.fail(`"` + value + `"`)
	}
	return p.lex.Next(), nil
}

// fail reports the next token as unexpected; expect is a quoted token or
// a production name that errors.go turns into words.
func (p *exprParser) fail(expect string) error {
	return &participle.UnexpectedTokenError{Unexpected: *p.lex.Peek(), Expect: expect}
}

// expr parses operands joined by operators of precedence minPrec or more.
func (p *exprParser) expr(minPrec int) (Expr, error) {
	lhs, err := p.operand()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		prec := precedence(t)
		if prec == 0 || prec < minPrec || !p.operatorHere(t) {
			return lhs, nil
		}
		p.lex.Next()
		switch t.Type {
		case tokInOp:
			lhs, err = p.inList(lhs, t)
		case tokBetween:
			lhs, err = p.between(lhs, t)
		default:
			lhs, err = p.binary(lhs, t, prec)
		}
		if err != nil {
			return nil, err
		}
	}
}

// operatorHere reports whether t acts as an operator here: `in` without a
// list and ':' outside a predicate end the expression instead.
func (p *exprParser) operatorHere(t *lexer.Token) bool {
	switch t.Value {
	case "in":
		return p.listFollows()
	case ":":
		return p.colon
	}
	return true
}

// listFollows reports whether '(' comes after the next token: `in` without
// a list ends the expression, as in make-series's `on X in range(...)`.
func (p *exprParser) listFollows() bool {
	cp := p.lex.MakeCheckpoint()
	defer p.lex.LoadCheckpoint(cp)
	p.lex.Next()
	return p.is("(")
}

func (p *exprParser) binary(lhs Expr, op *lexer.Token, prec int) (Expr, error) {
	rhs, err := p.expr(prec + 1)
	if err != nil {
		return nil, err
	}
	opSpan := Span{op.Pos.Offset, op.Pos.Offset + len(op.Value)}
	return &BinaryExpr{Span: Span{lhs.Pos().Start, rhs.Pos().End}, Op: op.Value, OpSpan: opSpan,
		X: lhs, Y: rhs}, nil
}

// inList parses the parenthesised list after in, !in, in~, has_any ...
func (p *exprParser) inList(lhs Expr, op *lexer.Token) (Expr, error) {
	in := &InExpr{Op: op.Value, OpSpan: Span{op.Pos.Offset, op.Pos.Offset + len(op.Value)}, X: lhs}
	list, end, err := p.tabularList()
	if err != nil {
		return nil, err
	}
	in.List, in.Span = list, Span{lhs.Pos().Start, end}
	return in, nil
}

// tabularList parses ( item, ... ) where each item may be a query; it
// returns the items and the end offset of ')'.
func (p *exprParser) tabularList() ([]Expr, int, error) {
	if _, err := p.expect("("); err != nil {
		return nil, 0, err
	}
	var list []Expr
	for {
		x, err := p.tabular()
		if err != nil {
			return nil, 0, err
		}
		list = append(list, x)
		if !p.is(",") {
			break
		}
		p.lex.Next()
	}
	closing, err := p.expect(")")
	if err != nil {
		return nil, 0, err
	}
	return list, closing.Pos.Offset + 1, nil
}

func (p *exprParser) between(lhs Expr, op *lexer.Token) (Expr, error) {
	if _, err := p.expect("("); err != nil {
		return nil, err
	}
	lo, err := p.expr(precOr)
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(".."); err != nil {
		return nil, err
	}
	hi, err := p.expr(precOr)
	if err != nil {
		return nil, err
	}
	closing, err := p.expect(")")
	if err != nil {
		return nil, err
	}
	return &BetweenExpr{Span: Span{lhs.Pos().Start, closing.Pos.Offset + 1}, X: lhs, Lo: lo, Hi: hi,
		Not: op.Value == "!between"}, nil
}

// startsOperand reports whether the next token can begin an operand.
func (p *exprParser) startsOperand() bool {
	t := p.peek()
	switch t.Type {
	case tokString, tokInt, tokReal, tokTimespan, tokTypedLit, tokBool, tokIdent:
		return true
	case tokKeyword:
		return t.Value == "dynamic" || callableKeywords[t.Value]
	case tokOp:
		return t.Value == "-" || t.Value == "+" || t.Value == "*"
	case tokPunct:
		return t.Value == "(" || t.Value == "["
	}
	return false
}

// operand parses unary signs, a primary and its suffixes.
func (p *exprParser) operand() (Expr, error) {
	t := p.peek()
	if t.Type == tokOp && (t.Value == "-" || t.Value == "+") {
		p.lex.Next()
		x, err := p.operand()
		if err != nil {
			return nil, err
		}
		return &UnaryExpr{Span: Span{t.Pos.Offset, x.Pos().End}, Op: t.Value, X: x}, nil
	}
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	return p.suffixes(x)
}

// suffixes applies .name, .['name'], .[i] and [i] to x.
func (p *exprParser) suffixes(x Expr) (Expr, error) {
	for {
		switch {
		case p.is("."):
			p.lex.Next()
			var err error
			if x, err = p.member(x); err != nil {
				return nil, err
			}
		case p.is("["):
			open := p.lex.Next()
			idx, end, err := p.index()
			if err != nil {
				return nil, err
			}
			_ = open
			x = &IndexExpr{Span: Span{x.Pos().Start, end}, X: x, Index: idx}
		default:
			return x, nil
		}
	}
}

// member parses what follows '.': a name (keywords allowed), ['name'] or [i].
func (p *exprParser) member(x Expr) (Expr, error) {
	t := p.peek()
	if isMemberName(t) {
		p.lex.Next()
		name := &Ident{Span: tokSpan(t), Name: t.Value}
		if p.is("(") {
			return p.dottedCall(x, name)
		}
		return &MemberExpr{Span: Span{x.Pos().Start, name.End}, X: x, Name: name}, nil
	}
	if !p.is("[") {
		return nil, p.fail("GName")
	}
	open := p.lex.Next()
	idx, end, err := p.index()
	if err != nil {
		return nil, err
	}
	if lit, ok := idx.(*Literal); ok && lit.Kind == LitString {
		name := &Ident{Span: Span{open.Pos.Offset, end}, Name: lit.Text, Bracketed: true}
		return &MemberExpr{Span: Span{x.Pos().Start, end}, X: x, Name: name}, nil
	}
	return &IndexExpr{Span: Span{x.Pos().Start, end}, X: x, Index: idx}, nil
}

func isMemberName(t *lexer.Token) bool {
	switch t.Type {
	case tokIdent, tokKeyword, tokInOp, tokBetween, tokBool:
		return true
	case tokOp:
		return t.Value[0] >= 'a' && t.Value[0] <= 'z' // and, or, has ...
	}
	return false
}

// index parses the inside of [...] after '[' and the closing bracket.
func (p *exprParser) index() (Expr, int, error) {
	idx, err := p.expr(precOr)
	if err != nil {
		return nil, 0, err
	}
	closing, err := p.expect("]")
	if err != nil {
		return nil, 0, err
	}
	return idx, closing.Pos.Offset + 1, nil
}

func tokSpan(t *lexer.Token) Span {
	return Span{t.Pos.Offset, t.Pos.Offset + len(t.Value)}
}

// primary parses a literal, a name, a call, dynamic(...), a parenthesised
// expression or query, or *.
func (p *exprParser) primary() (Expr, error) {
	t := p.peek()
	switch t.Type {
	case tokString:
		return p.stringLit(), nil
	case tokInt, tokReal, tokTimespan, tokBool, tokTypedLit:
		p.lex.Next()
		return tokenLiteral(t), nil
	case tokIdent:
		return p.nameOrCall()
	case tokKeyword:
		if t.Value == "dynamic" {
			return p.dynamic()
		}
		if callableKeywords[t.Value] {
			return p.nameOrCall()
		}
	case tokOp:
		if t.Value == "*" {
			p.lex.Next()
			return &StarExpr{Span: tokSpan(t)}, nil
		}
	case tokPunct:
		switch t.Value {
		case "(":
			return p.paren()
		case "[":
			return p.bracketedName()
		}
	}
	return nil, p.fail("GExpr")
}

// stringLit reads adjacent string literals, which KQL concatenates.
func (p *exprParser) stringLit() *Literal {
	first := p.lex.Next()
	parts := []string{first.Value}
	end := first.Pos.Offset + len(first.Value)
	for t := p.peek(); t.Type == tokString; t = p.peek() {
		parts = append(parts, t.Value)
		end = t.Pos.Offset + len(t.Value)
		p.lex.Next()
	}
	return &Literal{Span: Span{first.Pos.Offset, end}, Kind: LitString, Text: strLitText(parts)}
}

// tokenLiteral lowers a one-token literal.
func tokenLiteral(t *lexer.Token) Expr {
	sp := tokSpan(t)
	switch t.Type {
	case tokInt:
		return &Literal{Span: sp, Kind: LitLong, Text: t.Value}
	case tokReal:
		return &Literal{Span: sp, Kind: LitReal, Text: t.Value}
	case tokTimespan:
		return &Literal{Span: sp, Kind: LitTimespan, Text: t.Value}
	case tokBool:
		return &Literal{Span: sp, Kind: LitBool, Text: strings.ToLower(t.Value)}
	}
	return typedLiteral(sp, t.Value)
}

func (p *exprParser) bracketedName() (Expr, error) {
	var g gName
	if err := parseBracketed(p.lex, &g.at, &g.Ident, &g.Br); err != nil {
		return nil, p.fail("GExpr")
	}
	return &Ident{Span: g.span(), Name: g.Ident, Bracketed: true}, nil
}

func (p *exprParser) nameOrCall() (Expr, error) {
	t := p.lex.Next()
	name := &Ident{Span: tokSpan(t), Name: t.Value}
	if !p.is("(") {
		if t.Type == tokKeyword {
			return nil, p.fail(`"("`)
		}
		return name, nil
	}
	p.lex.Next()
	return p.callArgs(&CallExpr{Fun: name}, t.Pos.Offset)
}

// dottedCall parses X.f(args), as in cluster('c').database('d'): a call
// whose first argument is X. Kusto reads these as entity paths; the binder
// refuses the ones kql cannot reach by the function's name.
func (p *exprParser) dottedCall(x Expr, name *Ident) (Expr, error) {
	p.lex.Next()
	return p.callArgs(&CallExpr{Fun: name, Args: []Expr{x}}, x.Pos().Start)
}

// callArgs parses a call's arguments after its '(' and the closing ')',
// appending them to call, whose span then runs from start.
func (p *exprParser) callArgs(call *CallExpr, start int) (Expr, error) {
	if !p.is(")") {
		for {
			arg, err := p.arg()
			if err != nil {
				return nil, err
			}
			call.Args = append(call.Args, arg)
			if !p.is(",") {
				break
			}
			p.lex.Next()
		}
	}
	closing, err := p.expect(")")
	if err != nil {
		return nil, err
	}
	call.Span = Span{start, closing.Pos.Offset + 1}
	return call, nil
}

// arg parses a call argument: *, Name = value, or a value that may be a
// query (toscalar(T | count)).
func (p *exprParser) arg() (Expr, error) {
	t := p.peek()
	if t.Type == tokOp && t.Value == "*" {
		cp := p.lex.MakeCheckpoint()
		p.lex.Next()
		if p.is(",") || p.is(")") {
			return &StarExpr{Span: tokSpan(t)}, nil
		}
		p.lex.LoadCheckpoint(cp)
	}
	if t.Type == tokIdent {
		cp := p.lex.MakeCheckpoint()
		p.lex.Next()
		if p.is("=") {
			p.lex.Next()
			v, err := p.tabular()
			if err != nil {
				return nil, err
			}
			name := &Ident{Span: tokSpan(t), Name: t.Value}
			return &NamedExpr{Span: Span{t.Pos.Offset, v.Pos().End}, Names: []*Ident{name}, Value: v}, nil
		}
		p.lex.LoadCheckpoint(cp)
	}
	return p.tabular()
}

func (p *exprParser) paren() (Expr, error) {
	open := p.lex.Next()
	x, err := p.tabular()
	if err != nil {
		return nil, err
	}
	closing, err := p.expect(")")
	if err != nil {
		return nil, err
	}
	return &ParenExpr{Span: Span{open.Pos.Offset, closing.Pos.Offset + 1}, X: x}, nil
}

// tabular parses a place that holds a scalar or a query: an expression,
// optionally followed by | operators, or a query that starts with a
// tabular keyword (union, datatable, print, range ...), which the
// participle grammar parses.
func (p *exprParser) tabular() (Expr, error) {
	if p.startsSource() {
		g, err := pipeParser.ParseFromLexer(p.lex, participle.AllowTrailing(true))
		if err != nil {
			return nil, err
		}
		return lowerPipe(g), nil
	}
	if !p.startsOperand() {
		return nil, p.fail("GExpr")
	}
	x, err := p.expr(precOr)
	if err != nil || !p.is("|") {
		return x, err
	}
	g, err := opsParser.ParseFromLexer(p.lex, participle.AllowTrailing(true))
	if err != nil {
		return nil, err
	}
	pipe := &PipeExpr{Span: Span{x.Pos().Start, g.end()}, Source: x}
	for _, op := range g.Ops {
		pipe.Ops = append(pipe.Ops, lowerOp(op))
	}
	return pipe, nil
}

// sourceKeywords start a query that is not an expression.
var sourceKeywords = setOf("union", "datatable", "externaldata", "print", "search", "find")

func (p *exprParser) startsSource() bool {
	t := p.peek()
	if t.Type == tokKeyword && sourceKeywords[t.Value] {
		return true
	}
	if t.Type != tokIdent || t.Value != "range" {
		return false
	}
	cp := p.lex.MakeCheckpoint()
	defer p.lex.LoadCheckpoint(cp)
	p.lex.Next()
	return p.peek().Type == tokIdent
}

// dynamic parses dynamic(...): a JSON-like value whose leaves may also be
// typed literals (datetime(...), long(5)) and timespans.
func (p *exprParser) dynamic() (Expr, error) {
	kw := p.lex.Next()
	if _, err := p.expect("("); err != nil {
		return nil, err
	}
	v, err := p.json()
	if err != nil {
		return nil, err
	}
	closing, err := p.expect(")")
	if err != nil {
		return nil, err
	}
	return &DynamicLit{Span: Span{kw.Pos.Offset, closing.Pos.Offset + 1}, Value: v}, nil
}

func (p *exprParser) json() (Expr, error) {
	t := p.peek()
	switch t.Type {
	case tokString:
		return p.stringLit(), nil
	case tokInt, tokReal, tokTimespan, tokBool, tokTypedLit:
		p.lex.Next()
		return tokenLiteral(t), nil
	case tokIdent:
		if t.Value == "null" {
			p.lex.Next()
			return &Literal{Span: tokSpan(t), Kind: LitNull}, nil
		}
	case tokKeyword:
		if t.Value == "dynamic" { // a nested dynamic(...) stands for its value
			d, err := p.dynamic()
			if err != nil {
				return nil, err
			}
			return d.(*DynamicLit).Value, nil
		}
	case tokOp:
		if t.Value == "-" || t.Value == "+" {
			return p.signedJSON()
		}
	case tokPunct:
		switch t.Value {
		case "[":
			return p.jsonArray()
		case "{":
			return p.jsonBag()
		}
	}
	return nil, p.fail("GJSON")
}

// signedJSON folds a sign into the number after it, as JSON writes -1.
func (p *exprParser) signedJSON() (Expr, error) {
	sign := p.lex.Next()
	t := p.peek()
	if t.Type != tokInt && t.Type != tokReal && t.Type != tokTimespan {
		return nil, p.fail("Int")
	}
	p.lex.Next()
	lit := tokenLiteral(t).(*Literal)
	lit.Span.Start, lit.Text = sign.Pos.Offset, sign.Value+lit.Text
	return lit, nil
}

func (p *exprParser) jsonArray() (Expr, error) {
	open := p.lex.Next()
	arr := &ArrayLit{}
	if !p.is("]") {
		for {
			v, err := p.json()
			if err != nil {
				return nil, err
			}
			arr.Elems = append(arr.Elems, v)
			if !p.is(",") {
				break
			}
			p.lex.Next()
		}
	}
	closing, err := p.expect("]")
	if err != nil {
		return nil, err
	}
	arr.Span = Span{open.Pos.Offset, closing.Pos.Offset + 1}
	return arr, nil
}

func (p *exprParser) jsonBag() (Expr, error) {
	open := p.lex.Next()
	bag := &BagLit{}
	if !p.is("}") {
		for {
			if p.peek().Type != tokString {
				return nil, p.fail("GJSONPair")
			}
			key := p.stringLit()
			if _, err := p.expect(":"); err != nil {
				return nil, err
			}
			v, err := p.json()
			if err != nil {
				return nil, err
			}
			bag.Keys, bag.Values = append(bag.Keys, key.Text), append(bag.Values, v)
			if !p.is(",") {
				break
			}
			p.lex.Next()
		}
	}
	closing, err := p.expect("}")
	if err != nil {
		return nil, err
	}
	bag.Span = Span{open.Pos.Offset, closing.Pos.Offset + 1}
	return bag, nil
}
