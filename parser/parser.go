// Package parser turns KQL text into the syntax tree of ast.go.
//
// Start at Parse. The pipeline is: lex (lexer.go, hand-written because
// KQL's tokens depend on context), split the tokens into statements at the
// top-level semicolons, parse each statement with the participle grammar
// (grammar.go), and lower the grammar structs into AST nodes (lower*.go).
// Parsing statement by statement lets one bad statement be reported
// without hiding the errors of the others. Errors are an ErrorList of
// *Error values in KQL terms (errors.go). Inspect walks the tree.
package parser

import (
	"fmt"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// maxErrors bounds the error list: past ten, more messages rarely help.
const maxErrors = 10

// stmtParser parses one statement. Lookahead is unbounded so that ordered
// alternatives backtrack fully (a let function and a parenthesised query
// both start with '(').
var stmtParser = participle.MustBuild[gStmt](
	participle.Lexer(definition{}),
	participle.UseLookahead(participle.MaxLookahead),
)

// Parse parses a whole query text: statements separated by semicolons, an
// optional trailing semicolon. On failure it returns an ErrorList of syntax
// errors (with the statements that did parse, for completion); it never
// panics.
func Parse(src string) (script *Script, err error) {
	defer func() {
		if r := recover(); r != nil {
			script = nil
			err = ErrorList{{Phase: PhaseInternal, Span: Span{0, len(src)},
				Msg: fmt.Sprintf("internal parser error: %v", r)}}
		}
	}()
	toks, lerr := lex(src)
	var errs ErrorList
	if lerr != nil {
		errs = append(errs, &Error{Phase: PhaseSyntax, Span: lerr.span, Msg: lerr.msg})
		toks = toks[:len(toks)-1] // parse what came before, without its EOF
	}
	script = &Script{Span: Span{0, len(src)}}
	p := &stmtSplitter{src: src, toks: toks, truncated: lerr != nil}
	for _, seg := range p.split() {
		if seg.last && lerr != nil {
			seg.end = lerr.span.Start
		}
		st, e := parseStmt(toks, seg)
		if e != nil && seg.last && lerr != nil && e.Span.Start >= lerr.span.Start {
			continue // the text stopped at the lexical error, which says it better
		}
		if e != nil {
			errs = appendError(errs, e)
			continue
		}
		if st != nil {
			script.Stmts = append(script.Stmts, st)
		}
	}
	if len(errs) > 0 {
		sortErrors(errs)
		return script, errs
	}
	return script, nil
}

// segment is the tokens of one statement: toks[from:to], ended by the
// semicolon at toks[to] or by the end of the text.
type segment struct {
	from, to int
	end      int  // the offset where the statement's text ends
	semi     bool // ended by ';'
	last     bool // the final segment of the text
}

type stmtSplitter struct {
	src       string
	toks      []lexer.Token
	truncated bool // the lexer stopped early; the text has no EOF token
}

// split cuts the tokens at semicolons outside brackets. An unbalanced
// bracket keeps the rest of the text in one statement, which then reports
// the missing bracket.
func (p *stmtSplitter) split() []segment {
	var segs []segment
	depth, from := 0, 0
	for i, t := range p.toks {
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			if depth > 0 {
				depth--
			}
		case ";":
			if depth == 0 {
				segs = append(segs, segment{from: from, to: i, end: t.Pos.Offset, semi: true})
				from = i + 1
			}
		}
	}
	end := len(p.toks)
	if !p.truncated {
		end-- // leave the EOF token out
	}
	return append(segs, segment{from: from, to: end, end: len(p.src), last: true})
}

// parseStmt parses one segment. A blank segment is a statement only when it
// is the empty tail after a final ';' (or an empty text).
func parseStmt(toks []lexer.Token, seg segment) (Stmt, *Error) {
	body := toks[seg.from:seg.to]
	if len(body) == 0 {
		if seg.last {
			return nil, nil
		}
		semi := toks[seg.to]
		return nil, &Error{Phase: PhaseSyntax, Span: Span{semi.Pos.Offset, semi.Pos.Offset + 1},
			Msg: "expected a statement before ';', found ';'"}
	}
	eofAt := seg.end
	last := body[len(body)-1]
	lastEnd := last.Pos.Offset + len(last.Value)
	eof := lexer.Token{Type: lexer.EOF, Pos: lexer.Position{Offset: eofAt, Column: lastEnd}}
	sl := &sliceLexer{toks: body, eof: eof}
	peek, err := lexer.Upgrade(sl)
	if err != nil {
		return nil, &Error{Phase: PhaseInternal, Span: Span{eofAt, eofAt}, Msg: err.Error()}
	}
	g, err := stmtParser.ParseFromLexer(peek)
	if err != nil {
		return nil, convertError(err, toks, seg)
	}
	return lowerStmt(g), nil
}

// appendError adds e unless the list is full.
func appendError(errs ErrorList, e *Error) ErrorList {
	if len(errs) >= maxErrors {
		return errs
	}
	return append(errs, e)
}

func sortErrors(errs ErrorList) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && errs[j].Span.Start < errs[j-1].Span.Start; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}
