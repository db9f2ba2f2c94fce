package parser

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// The token types the hand-written lexer produces. KQL's lexical rules depend
// on context in ways a regular-expression lexer cannot express: `1d` is a
// timespan but `3p_x` is a name, `project-away` is one word but `a-b` is a
// subtraction, `datetime(...)` keeps its raw text, `!has` and `in~` are single
// operators and `matches regex` is one operator written as two words.
const (
	tokIdent    lexer.TokenType = iota + 1 // a name that may appear bare in an expression
	tokKeyword                             // a reserved word: a name only where KQL allows it
	tokInt                                 // 42, 0x1F
	tokReal                                // 1.5, 1e3, 1.
	tokTimespan                            // 1d, 1.5h, 10tick
	tokString                              // "..", '..', @"..", h"..", ```..``` (raw text)
	tokTypedLit                            // datetime(...), timespan(...), guid(...) (raw text)
	tokBool                                // true, false in any letter case
	tokOp                                  // a binary operator: and, ==, +, has, !contains ...
	tokInOp                                // in, !in, in~, !in~, has_any, has_all
	tokBetween                             // between, !between
	tokPunct                               // other punctuation
)

// reserved lists the words Kusto refuses as bare names in an expression
// (checked against Microsoft's parser); they are still matched as keywords
// by the grammar, and allowed as names after '.', in declarations and as
// assignment targets. Words such as kind, source, type, count and title
// are deliberately absent: hunting queries use them as column names.
var reserved = setOf(
	"accumulate", "and", "anomalychart", "areachart", "as", "asc", "barchart",
	"between", "by", "card", "columnchart", "contains", "contains_cs", "containscs",
	"datatable", "datetime", "decimal", "desc", "double", "dynamic", "endswith",
	"endswith_cs", "externaldata", "external_data", "find", "first", "flags",
	"float", "has", "has_all", "has_any", "has_cs", "hasprefix", "hasprefix_cs",
	"hassuffix", "hassuffix_cs", "in", "int", "int64", "invoke", "last", "like",
	"likecs", "linechart", "long", "materialize", "notcontains", "notcontainscs",
	"notlike", "notlikecs", "of", "or", "piechart", "pivotchart", "print",
	"project", "real", "sample", "scatterchart", "search", "set", "simple",
	"startswith", "startswith_cs", "string", "timechart", "timepivot", "timespan",
	"to", "toscalar", "totable", "treemap", "union", "where", "with_itemindex",
	"ladderchart", "boolean", "bagexpansion", "isfuzzy", "relaxed",
	"expandoutput", "decodeblocks",
)

// hyphenated lists the operator words written with a hyphen; the lexer
// joins them into one keyword so that `project-away` is never `project - away`.
var hyphenated = setOf(
	"project-away", "project-keep", "project-rename", "project-reorder", "project-by-names",
	"project-smart", "mv-expand", "mv-apply", "parse-where", "parse-kv",
	"make-series", "make-graph", "top-nested", "top-hitters", "granny-asc",
	"granny-desc", "sample-distinct", "macro-expand", "assert-schema", "graph-match",
)

// negated lists the `!` operators written as one token (`!has`, `!in~` ...).
var negated = setOf(
	"!has", "!has_cs", "!contains", "!contains_cs", "!startswith", "!startswith_cs",
	"!endswith", "!endswith_cs", "!hasprefix", "!hasprefix_cs", "!hassuffix",
	"!hassuffix_cs", "!in", "!between",
)

// binaryOps are the binary operators other than the in and between
// families, which take a parenthesised list. They get their own token type
// so the grammar matches them with one comparison, not forty.
var binaryOps = setOf(
	"or", "and", "==", "!=", "<>", "=~", "!~", "<=", ">=", "<", ">", "+", "-", "*",
	"/", "%", "has", "!has", "has_cs", "!has_cs", "contains", "!contains",
	"contains_cs", "!contains_cs", "startswith", "!startswith", "startswith_cs",
	"!startswith_cs", "endswith", "!endswith", "endswith_cs", "!endswith_cs",
	"hasprefix", "!hasprefix", "hasprefix_cs", "!hasprefix_cs", "hassuffix",
	"!hassuffix", "hassuffix_cs", "!hassuffix_cs", "like", "notlike", "likecs",
	"notlikecs", "matches regex", "notcontains", "notcontainscs", "containscs",
	":", // search's "has" (ActionType:"x"), accepted anywhere as Kusto does
)

// inOps and betweenOps take a parenthesised list instead of an operand.
var (
	inOps      = setOf("in", "!in", "in~", "!in~", "has_any", "has_all")
	betweenOps = setOf("between", "!between")
)

// timespanUnits are the suffixes that turn a number into a timespan literal
// (compared in lower case, as Kusto does).
var timespanUnits = setOf(
	"d", "day", "days", "h", "hr", "hrs", "hour", "hours", "m", "min", "mins",
	"minute", "minutes", "s", "sec", "secs", "second", "seconds", "ms", "milli",
	"millis", "millisecond", "milliseconds", "microsecond", "microseconds",
	"tick", "ticks", "nanosecond", "nanoseconds",
)

// rawLiterals are the typed literals whose parenthesised text is kept as
// written: datetime(2024-01-01 10:00) is not a call with an expression inside.
var rawLiterals = setOf("datetime", "timespan", "time", "guid")

// simpleLiterals are literals written like calls whose inside is one word or
// number: long(5), int(null), real(-inf), bool(true), typeof(string). The
// lexer keeps them whole when the inside is that simple, and leaves them to
// the grammar (which rejects them) otherwise.
var simpleLiterals = setOf("int", "long", "real", "double", "decimal", "bool", "string", "typeof")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// msgStringEOL reports a quoted string cut by a line break; unlike a string
// cut by the end of the text, more input cannot complete it.
const msgStringEOL = "unterminated string literal " +
	"(a quoted string ends on its line; use ``` for several lines)"

// lexError is a lexical problem: an unterminated string or a stray character.
type lexError struct {
	span Span
	msg  string
}

// scanner turns query text into tokens, skipping white space and comments.
// Each token's Pos.Column holds the end offset of the token before it (see
// at in grammar.go); Line is unused.
type scanner struct {
	src     string
	pos     int
	prevEnd int
	toks    []lexer.Token
	err     *lexError
}

// lex splits src into tokens ending with an EOF token. It stops at the first
// lexical error and returns the tokens before it.
func lex(src string) ([]lexer.Token, *lexError) {
	s := &scanner{src: src, toks: make([]lexer.Token, 0, len(src)/6+16)}
	for s.pos < len(s.src) && s.err == nil {
		s.next()
	}
	eof := lexer.Position{Offset: s.pos, Column: s.prevEnd}
	s.toks = append(s.toks, lexer.Token{Type: lexer.EOF, Pos: eof})
	return s.toks, s.err
}

func (s *scanner) emit(t lexer.TokenType, start int) {
	if t == tokPunct {
		t = opType(s.src[start:s.pos], t)
	}
	s.toks = append(s.toks, lexer.Token{
		Type: t, Value: s.src[start:s.pos], Pos: lexer.Position{Offset: start, Column: s.prevEnd},
	})
	s.prevEnd = s.pos
}

func (s *scanner) fail(start, end int, msg string) {
	s.err = &lexError{span: Span{start, end}, msg: msg}
}

func (s *scanner) peekAt(i int) byte {
	if s.pos+i < len(s.src) {
		return s.src[s.pos+i]
	}
	return 0
}

func (s *scanner) next() {
	start := s.pos
	c := s.src[s.pos]
	switch {
	case isASCIISpace(c) || (c >= utf8.RuneSelf && isSpace(s.runeAt(0))):
		s.skipSpace()
	case c == '/' && s.peekAt(1) == '/':
		for s.pos < len(s.src) && s.src[s.pos] != '\n' {
			s.pos++
		}
	case c == '"' || c == '\'':
		s.quoted(start, 0)
	case c == '@' && (s.peekAt(1) == '"' || s.peekAt(1) == '\''):
		s.verbatim(start, 1)
	case c == '`' && strings.HasPrefix(s.src[s.pos:], "```"):
		s.multiline(start)
	case c >= '0' && c <= '9':
		s.number(start)
	case c == '$' && isIdentStart(s.runeAt(1)):
		s.pos++
		s.word(start)
	case c == '_' || isLetter(c), c >= utf8.RuneSelf && isIdentStart(s.runeAt(0)):
		s.word(start)
	default:
		s.punct(start)
	}
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.src) {
		if isASCIISpace(s.src[s.pos]) {
			s.pos++
			continue
		}
		r, n := utf8.DecodeRuneInString(s.src[s.pos:])
		if !isSpace(r) {
			return
		}
		s.pos += n
	}
}

func (s *scanner) runeAt(i int) rune {
	if s.pos+i >= len(s.src) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s.src[s.pos+i:])
	return r
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

// isSpace accepts Unicode spaces and the zero-width characters that queries
// pasted from web pages carry; Kusto skips them too.
func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r) ||
		r == '\u200b' || r == '\ufeff'
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isIdentPart(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// scanWord advances over identifier characters.
func (s *scanner) scanWord() {
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		if c < utf8.RuneSelf {
			if c != '_' && !isLetter(c) && (c < '0' || c > '9') {
				return
			}
			s.pos++
			continue
		}
		r, n := utf8.DecodeRuneInString(s.src[s.pos:])
		if !isIdentPart(r) {
			return
		}
		s.pos += n
	}
}

// word lexes a name and the context-sensitive forms that start like one.
func (s *scanner) word(start int) {
	s.scanWord()
	w := s.src[start:s.pos]
	if s.pos >= len(s.src) || !strings.ContainsRune("\"'@(~ -", rune(s.src[s.pos])) {
		s.emit(wordType(w), start) // the common case: nothing context-sensitive follows
		return
	}
	switch {
	case (w == "h" || w == "H") && s.pos < len(s.src):
		if c := s.src[s.pos]; c == '"' || c == '\'' {
			s.quoted(start, 1)
			return
		} else if c == '@' && (s.peekAt(1) == '"' || s.peekAt(1) == '\'') {
			s.verbatim(start, 2)
			return
		}
	case rawLiterals[w] && s.peekAt(0) == '(':
		s.rawLiteral(start)
		return
	case simpleLiterals[w] && s.peekAt(0) == '(':
		if s.simpleLiteral(start) {
			return
		}
	case w == "in" && s.peekAt(0) == '~':
		s.pos++
		s.emit(tokPunct, start)
		return
	case w == "matches" && strings.HasPrefix(s.src[s.pos:], " regex") &&
		!isIdentPart(runeAfter(s.src, s.pos+6)):
		s.pos += 6
		s.emit(tokPunct, start)
		return
	case s.peekAt(0) == '-' && isLetter(s.peekAt(1)):
		if s.hyphenated(start) {
			return
		}
	}
	s.emit(wordType(w), start)
}

func runeAfter(src string, i int) rune {
	if i >= len(src) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	return r
}

// opType gives operators their own token types, so that the grammar
// matches an operator with one comparison rather than one per spelling.
func opType(v string, t lexer.TokenType) lexer.TokenType {
	if ot, ok := opTypes[v]; ok {
		return ot
	}
	return t
}

// opTypes and wordTypes fold the word lists above into one lookup each: the
// lexer classifies every token, so it pays for each map probe.
var opTypes, wordTypes = buildTypeMaps()

func buildTypeMaps() (ops, words map[string]lexer.TokenType) {
	ops = map[string]lexer.TokenType{}
	for w := range binaryOps {
		ops[w] = tokOp
	}
	for w := range inOps {
		ops[w] = tokInOp
	}
	for w := range betweenOps {
		ops[w] = tokBetween
	}
	words = map[string]lexer.TokenType{}
	for w := range reserved {
		words[w] = tokKeyword
	}
	for w, t := range ops {
		words[w] = t
	}
	return ops, words
}

func wordType(w string) lexer.TokenType {
	if t, ok := wordTypes[w]; ok {
		return t
	}
	if len(w) == 4 || len(w) == 5 {
		if strings.EqualFold(w, "true") || strings.EqualFold(w, "false") {
			return tokBool
		}
	}
	return tokIdent
}

// hyphenated joins `project-away` and friends into one keyword; a keyword
// may have several hyphens (`project-by-names`), so each further -word is
// tried in turn.
func (s *scanner) hyphenated(start int) bool {
	save := s.pos
	for s.peekAt(0) == '-' && isLetter(s.peekAt(1)) {
		s.pos++
		s.scanWord()
		if hyphenated[s.src[start:s.pos]] {
			s.emit(tokKeyword, start)
			return true
		}
	}
	s.pos = save
	return false
}

// rawLiteral keeps datetime(...), timespan(...) and guid(...) whole.
func (s *scanner) rawLiteral(start int) {
	end := strings.IndexAny(s.src[s.pos:], ")\n")
	if end < 0 || s.src[s.pos+end] != ')' {
		s.pos = len(s.src)
		name := s.src[start : start+strings.IndexByte(s.src[start:], '(')]
		s.fail(start, s.pos, "unterminated "+name+" literal")
		return
	}
	s.pos += end + 1
	s.emit(tokTypedLit, start)
}

// simpleLiteral keeps long(5) and friends whole when the inside is one
// signed word or number.
func (s *scanner) simpleLiteral(start int) bool {
	end := strings.IndexByte(s.src[s.pos:], ')')
	if end < 0 {
		return false
	}
	inner := strings.TrimSpace(s.src[s.pos+1 : s.pos+end])
	inner = strings.TrimLeft(inner, "+-")
	if inner == "" || strings.IndexFunc(inner, notLiteralRune) >= 0 {
		return false
	}
	s.pos += end + 1
	s.emit(tokTypedLit, start)
	return true
}

func notLiteralRune(r rune) bool {
	return !isIdentPart(r) && r != '.' && r != '+' && r != '-'
}

// quoted lexes a string with backslash escapes; skip is the length of an
// h or H prefix.
func (s *scanner) quoted(start, skip int) {
	s.pos = start + skip
	q := s.src[s.pos]
	s.pos++
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == q:
			s.pos++
			s.emit(tokString, start)
			return
		case c == '\n':
			s.fail(start, s.pos, msgStringEOL)
			return
		case c == '\\':
			if !s.escape() {
				return
			}
		default:
			s.pos++
		}
	}
	s.fail(start, s.pos, "unterminated string literal")
}

// escape checks one backslash escape; Kusto rejects unknown ones such as \d.
func (s *scanner) escape() bool {
	at := s.pos
	if s.pos+1 >= len(s.src) {
		s.pos = len(s.src)
		return true
	}
	switch c := s.src[s.pos+1]; {
	case strings.IndexByte(`\'"abfnrtv`, c) >= 0 || (c >= '0' && c <= '7'):
		s.pos += 2
	case c == 'x' || c == 'u' || c == 'U':
		s.pos += 2
	default:
		s.fail(at, at+2, `unknown escape sequence '\`+string(c)+`' in string literal`)
		return false
	}
	return true
}

// verbatim lexes @"..." where a doubled quote stands for one quote.
func (s *scanner) verbatim(start, skip int) {
	s.pos = start + skip
	q := s.src[s.pos]
	s.pos++
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == q && s.peekAt(1) == q:
			s.pos += 2
		case c == q:
			s.pos++
			s.emit(tokString, start)
			return
		case c == '\n':
			s.fail(start, s.pos, msgStringEOL)
			return
		default:
			s.pos++
		}
	}
	s.fail(start, s.pos, "unterminated string literal")
}

func (s *scanner) multiline(start int) {
	end := strings.Index(s.src[start+3:], "```")
	if end < 0 {
		s.pos = len(s.src)
		s.fail(start, s.pos, "unterminated multi-line string literal (```)")
		return
	}
	s.pos = start + 3 + end + 3
	s.emit(tokString, start)
}

// number lexes integers, reals and timespans, and names that start with a
// digit such as 3p_observed_Time.
func (s *scanner) number(start int) {
	if s.src[s.pos] == '0' && (s.peekAt(1) == 'x' || s.peekAt(1) == 'X') && isHex(s.peekAt(2)) {
		s.pos += 2
		for s.pos < len(s.src) && isHex(s.src[s.pos]) {
			s.pos++
		}
		s.emit(tokInt, start)
		return
	}
	s.digits()
	typ := tokInt
	if s.peekAt(0) == '.' && s.peekAt(1) != '.' {
		s.pos++
		s.digits()
		typ = tokReal
	}
	if c := s.peekAt(0); c == 'e' || c == 'E' {
		n := 1
		if d := s.peekAt(1); d == '+' || d == '-' {
			n = 2
		}
		if d := s.peekAt(n); d >= '0' && d <= '9' {
			s.pos += n
			s.digits()
			typ = tokReal
		}
	}
	if !isIdentStart(s.runeAt(0)) {
		s.emit(typ, start)
		return
	}
	numEnd := s.pos
	s.scanWord()
	switch {
	case timespanUnits[strings.ToLower(s.src[numEnd:s.pos])]:
		s.emit(tokTimespan, start)
	case typ == tokInt:
		s.emit(tokIdent, start)
	default:
		s.pos = numEnd
		s.emit(typ, start)
	}
}

func (s *scanner) digits() {
	for s.pos < len(s.src) && s.src[s.pos] >= '0' && s.src[s.pos] <= '9' {
		s.pos++
	}
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// puncts are the multi-character operators, longest first.
var puncts = []string{"..", "==", "!=", "<>", "=~", "!~", "<=", ">=", "=>"}

func (s *scanner) punct(start int) {
	c := s.src[s.pos]
	if c == '!' && isLetter(s.peekAt(1)) {
		s.pos++
		s.scanWord()
		if s.src[start:s.pos] == "!in" && s.peekAt(0) == '~' {
			s.pos++
		}
		if w := s.src[start:s.pos]; negated[w] || w == "!in~" {
			s.emit(tokPunct, start)
			return
		}
		s.pos = start
	}
	for _, p := range puncts {
		if strings.HasPrefix(s.src[s.pos:], p) {
			s.pos += len(p)
			s.emit(tokPunct, start)
			return
		}
	}
	if strings.IndexByte("|()[]{},;:=<>+-*/%.!~?", c) >= 0 {
		s.pos++
		s.emit(tokPunct, start)
		return
	}
	r, n := utf8.DecodeRuneInString(s.src[s.pos:])
	s.fail(start, start+n, "unexpected character '"+string(r)+"'")
}

// definition adapts the lexer to participle. Parse feeds the parser
// token slices directly, so Lex only serves participle's own entry points.
type definition struct{}

// Symbols builds the map on each call rather than reading a package variable:
// the parsers are built during package initialisation, possibly before such
// a variable is set.
func (definition) Symbols() map[string]lexer.TokenType {
	return map[string]lexer.TokenType{
		"EOF": lexer.EOF, "Ident": tokIdent, "Keyword": tokKeyword, "Int": tokInt,
		"Real": tokReal, "Timespan": tokTimespan, "String": tokString,
		"TypedLit": tokTypedLit, "Bool": tokBool, "Op": tokOp, "InOp": tokInOp,
		"BetweenOp": tokBetween, "Punct": tokPunct,
	}
}

func (definition) Lex(_ string, r io.Reader) (lexer.Lexer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	toks, lerr := lex(string(b))
	if lerr != nil {
		return nil, &Error{Phase: PhaseSyntax, Span: lerr.span, Msg: lerr.msg}
	}
	return &sliceLexer{toks: toks}, nil
}

// sliceLexer replays already lexed tokens; it ends with eof.
type sliceLexer struct {
	toks []lexer.Token
	i    int
	eof  lexer.Token
}

func (l *sliceLexer) Next() (lexer.Token, error) {
	if l.i >= len(l.toks) {
		return l.eof, nil
	}
	t := l.toks[l.i]
	l.i++
	return t, nil
}
