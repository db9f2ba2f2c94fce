package parser

import (
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar's leaves: productions that read one to three tokens. They
// implement participle.Parseable and decide by token type with a switch,
// where the equivalent participle alternatives would each open a backtracking
// branch; expressions are mostly leaves, so this halves the parse time.

func endOf(t *lexer.Token) lexer.Position {
	end := t.Pos.Offset + len(t.Value)
	return lexer.Position{Offset: end, Column: end}
}

// gName is a name that can stand alone in an expression: a plain name or a
// bracketed ['name'].
type gName struct {
	at
	Ident string
	Br    bool
}

// Parse implements participle.Parseable.
func (g *gName) Parse(lex *lexer.PeekingLexer) error {
	return parseName(lex, &g.at, &g.Ident, &g.Br, false)
}

// gNameAny is a name where keywords are allowed too: after '.', in
// declarations, as assignment targets and type names.
type gNameAny struct {
	at
	Ident string
	Br    bool
}

// Parse implements participle.Parseable.
func (g *gNameAny) Parse(lex *lexer.PeekingLexer) error {
	return parseName(lex, &g.at, &g.Ident, &g.Br, true)
}

func parseName(lex *lexer.PeekingLexer, a *at, name *string, br *bool, keywords bool) error {
	t := lex.Peek()
	switch {
	case t.Type == tokIdent || (keywords && isKeywordName(t)):
		a.Pos, a.EndPos, *name = t.Pos, endOf(t), t.Value
		lex.Next()
		return nil
	case t.Type == tokPunct && t.Value == "[":
		return parseBracketed(lex, a, name, br)
	}
	return participle.NextMatch
}

// isKeywordName reports whether t is a reserved word usable as a name where
// KQL allows keywords.
func isKeywordName(t *lexer.Token) bool {
	return t.Type == tokKeyword || t.Type == tokInOp || t.Type == tokBetween
}

// parseBracketed reads ['name'] or ["name"].
func parseBracketed(lex *lexer.PeekingLexer, a *at, name *string, br *bool) error {
	cp := lex.MakeCheckpoint()
	open := lex.Next()
	s := lex.Next()
	closing := lex.Next()
	if s.Type != tokString || closing.Type != tokPunct || closing.Value != "]" {
		lex.LoadCheckpoint(cp)
		return participle.NextMatch
	}
	a.Pos, a.EndPos = open.Pos, endOf(closing)
	*name, *br = decodeString(s.Value), true
	return nil
}

// callableKeywords are the reserved words that are also functions.
var callableKeywords = setOf("materialize", "toscalar", "totable")

// gCallName is a name in an expression, or a function name: a plain name,
// a bracketed name, or materialize / toscalar / totable before '('.
type gCallName struct {
	at
	Name string
	Br   bool
}

// Parse implements participle.Parseable.
func (g *gCallName) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type == tokKeyword && callableKeywords[t.Value] {
		cp := lex.MakeCheckpoint()
		lex.Next()
		if next := lex.Peek(); next.Type != tokPunct || next.Value != "(" {
			lex.LoadCheckpoint(cp)
			return participle.NextMatch
		}
		g.Pos, g.EndPos, g.Name = t.Pos, endOf(t), t.Value
		return nil
	}
	return parseName(lex, &g.at, &g.Name, &g.Br, false)
}

// gTypeof is typeof(T), which the lexer keeps whole.
type gTypeof struct {
	at
	Raw string
}

// Parse implements participle.Parseable.
func (g *gTypeof) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type != tokTypedLit || !strings.HasPrefix(t.Value, "typeof(") {
		return participle.NextMatch
	}
	g.Pos, g.EndPos, g.Raw = t.Pos, endOf(t), t.Value
	lex.Next()
	return nil
}
