package parser

import (
	"errors"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// foundEnd ends the message of every error caused by the text stopping too
// early; IsIncomplete looks for it.
const foundEnd = "found end of query"

// convertError rewords a participle error in KQL terms: what was expected,
// after which token, and what was found instead.
func convertError(err error, toks []lexer.Token, seg segment) *Error {
	var ute *participle.UnexpectedTokenError
	if errors.As(err, &ute) {
		return unexpected(ute.Unexpected, expectedOf(ute.Message()), toks, seg)
	}
	var perr participle.Error
	if errors.As(err, &perr) {
		off := perr.Position().Offset
		return &Error{Phase: PhaseSyntax, Span: Span{off, off}, Msg: perr.Message()}
	}
	return &Error{Phase: PhaseSyntax, Msg: err.Error()}
}

// expectedOf pulls participle's "(expected X)" out of its message.
func expectedOf(msg string) string {
	i := strings.Index(msg, "(expected ")
	if i < 0 {
		return ""
	}
	return strings.TrimSuffix(msg[i+len("(expected "):], ")")
}

func unexpected(tok lexer.Token, expect string, toks []lexer.Token, seg segment) *Error {
	off := tok.Pos.Offset
	sp := Span{off, off + len(tok.Value)}
	prev := previousToken(toks, off)
	found := describeFound(tok, seg)
	if seg.from < len(toks) && off == toks[seg.from].Pos.Offset && tok.Type != lexer.EOF {
		msg := "expected a query or a let, set or declare statement, " + found
		return &Error{Phase: PhaseSyntax, Span: sp, Msg: msg}
	}
	if prev != nil && prev.Value == "|" && isWord(tok) && !operatorNames[tok.Value] {
		return &Error{Phase: PhaseSyntax, Span: sp, Msg: "unknown tabular operator '" + tok.Value + "'"}
	}
	what := describeExpected(expect, prev)
	msg := "expected " + what
	if prev != nil {
		msg += " after '" + prev.Value + "'"
	}
	return &Error{Phase: PhaseSyntax, Span: sp, Msg: msg + ", " + found}
}

func isWord(t lexer.Token) bool {
	return t.Type == tokIdent || t.Type == tokKeyword || t.Type == tokBool
}

// previousToken is the last significant token before offset off.
func previousToken(toks []lexer.Token, off int) *lexer.Token {
	var prev *lexer.Token
	for i := range toks {
		t := &toks[i]
		if t.Pos.Offset >= off || t.Type == lexer.EOF {
			break
		}
		prev = t
	}
	return prev
}

func describeFound(tok lexer.Token, seg segment) string {
	if tok.Type == lexer.EOF {
		if seg.semi {
			return "found ';'"
		}
		return foundEnd
	}
	v := tok.Value
	if len(v) > 24 {
		v = v[:21] + "..."
	}
	return "found '" + v + "'"
}

// describeExpected turns the start of participle's expected production into
// words a KQL user knows.
func describeExpected(expect string, prev *lexer.Token) string {
	if prev != nil && prev.Value == "|" {
		return "a tabular operator"
	}
	first := firstItem(expect)
	if first == "" {
		return "';' or '|'"
	}
	if first[0] == '"' {
		return "'" + strings.Trim(first, `"`) + "'"
	}
	// Parseable productions appear under their Go name (gPattern).
	if first[0] == 'g' && len(first) > 1 {
		first = "G" + first[1:]
	}
	if name, ok := productionNames[first]; ok {
		return name
	}
	return "an expression"
}

// firstItem returns the first element of an EBNF fragment.
func firstItem(e string) string {
	e = strings.TrimLeft(e, "( ")
	if e == "" {
		return ""
	}
	if e[0] == '"' {
		if j := strings.IndexByte(e[1:], '"'); j >= 0 {
			return e[:j+2]
		}
	}
	end := strings.IndexAny(e, " ()|*?+")
	if end < 0 {
		return e
	}
	return e[:end]
}

var productionNames = map[string]string{
	"GExpr": "an expression", "GUnary": "an expression", "GPipe": "an expression",
	"GSource": "a query", "GStmt": "a statement", "GOp": "a tabular operator",
	"GSubquery": "a tabular operator", "GName": "a name", "GNameAny": "a name",
	"GColumn": "an expression", "GColDecl": "a column declaration (name:type)",
	"GParam": "a parameter (name:type)", "GSortKey": "an expression",
	"GPatItem": "a parse pattern", "GJSON": "a JSON value (string, number, array, bag)",
	"GJSONPair": "a property (\"key\": value)", "GCall": "a function call",
	"GUnionItem": "a table", "GPattern": "a column name", "GJoinRight": "a table",
	"GMvItem": "an expression", "GPropValue": "a value", "GKV": "a property (name=value)",
	"GRename": "a rename (NewName = OldName)", "GReorderItem": "a column name",
	"GArg": "an expression", "GMsAgg": "an aggregate", "GTail": "an operator",
	"Ident": "a name", "String": "a string literal", "Int": "a number",
}

// operatorNames are the tabular operators the grammar knows; any other word
// after '|' is reported as an unknown operator.
var operatorNames = setOf(
	"where", "filter", "extend", "project", "summarize", "join", "distinct",
	"sort", "order", "project-reorder", "mv-expand", "mvexpand", "parse",
	"parse-where", "render", "top", "project-away", "project-keep",
	"project-rename", "union", "invoke", "evaluate", "take", "limit", "mv-apply",
	"lookup", "make-series", "parse-kv", "search", "serialize", "as", "count",
	"getschema", "sample", "top-nested", "partition", "scan", "project-by-names", "reduce",
)

// IsIncomplete reports whether err says the text stopped too early: inside
// a string, a bracket or a ``` block, after a trailing '|', or in a let
// statement still waiting for its value. A REPL reads another line then
// instead of printing the error.
func IsIncomplete(err error) bool {
	var list ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			if incomplete(e) {
				return true
			}
		}
		return false
	}
	var e *Error
	return errors.As(err, &e) && incomplete(e)
}

func incomplete(e *Error) bool {
	if e.Phase != PhaseSyntax || e.Msg == msgStringEOL {
		return false
	}
	return strings.HasSuffix(e.Msg, foundEnd) || strings.HasPrefix(e.Msg, "unterminated")
}
