package main

import "strings"

// The REPL reads the text before the cursor to decide what Tab offers and
// which function's signature to show. The parser cannot help there: the
// text is unfinished by nature. This scanner knows just enough of KQL's
// tokens to find words, brackets, pipes and the strings and comments that
// hide them.

type tokKind uint8

const (
	tokIdent tokKind = iota
	tokNumber
	tokString
	tokPunct
)

// token is one token of the text, with its byte offsets.
type token struct {
	kind       tokKind
	text       string
	start, end int
}

func (t token) is(s string) bool { return t.kind == tokPunct && t.text == s }

// twoCharOps are the operators whose '=' must not be read as an
// assignment.
var twoCharOps = []string{"==", "!=", "=~", "!~", "<=", ">=", "<>", "..", "=>"}

// scanTokens splits src into tokens. open reports that src ends inside a
// string or a comment, where nothing is completed.
func scanTokens(src string) (toks []token, open bool) {
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], "//"):
			nl := strings.IndexByte(src[i:], '\n')
			if nl < 0 {
				return toks, true
			}
			i += nl + 1
		case strings.HasPrefix(src[i:], "```"):
			end := strings.Index(src[i+3:], "```")
			if end < 0 {
				return toks, true
			}
			toks = append(toks, token{tokString, src[i : i+3+end+3], i, i + 3 + end + 3})
			i += 3 + end + 3
		case c == '\'' || c == '"' || (c == '@' && i+1 < len(src) && (src[i+1] == '\'' || src[i+1] == '"')):
			end, ok := stringEnd(src, i)
			if !ok {
				return toks, true
			}
			toks = append(toks, token{tokString, src[i:end], i, end})
			i = end
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			toks = append(toks, token{tokIdent, src[i:j], i, j})
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(src) && (isIdentPart(src[j]) || src[j] == '.' && !strings.HasPrefix(src[j:], "..")) {
				j++
			}
			toks = append(toks, token{tokNumber, src[i:j], i, j})
			i = j
		default:
			n := 1
			for _, op := range twoCharOps {
				if strings.HasPrefix(src[i:], op) {
					n = 2
					break
				}
			}
			toks = append(toks, token{tokPunct, src[i : i+n], i, i + n})
			i += n
		}
	}
	return toks, false
}

// stringEnd returns the offset just past the string literal starting at i.
// A quoted string ends at its closing quote; backslash escapes apply
// except in verbatim (@) strings, where a doubled quote stands for one.
// ok is false when the text ends first.
func stringEnd(src string, i int) (int, bool) {
	verbatim := src[i] == '@'
	if verbatim {
		i++
	}
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch {
		case src[j] == '\\' && !verbatim:
			j++
		case src[j] == q:
			if verbatim && j+1 < len(src) && src[j+1] == q {
				j++
				continue
			}
			return j + 1, true
		case src[j] == '\n':
			return j, true // KQL strings end at the line; the parser reports it
		}
	}
	return len(src), false
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// isPlainName reports whether a column name can be written without
// brackets.
func isPlainName(s string) bool {
	if s == "" || !isIdentStart(s[0]) || s[0] == '$' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentPart(s[i]) {
			return false
		}
	}
	return true
}

// isOpen reports whether t opens a bracket, and isClose whether it closes
// one.
func isOpen(t token) bool  { return t.is("(") || t.is("[") || t.is("{") }
func isClose(t token) bool { return t.is(")") || t.is("]") || t.is("}") }

// pipelineAt finds, for a cursor after toks, the '|' that feeds the
// operator the cursor is in, and the first token of that pipeline's
// source. It looks back at the cursor's bracket level and then outwards, so
// that the cursor inside strlen( or a parenthesised subquery finds the pipe
// that matters. pipe is -1 when there is none (the cursor is in the source
// itself, or in print).
func pipelineAt(toks []token) (pipe, from int) {
	depth := 0
	pipe = -1
	for i := len(toks) - 1; i >= 0; i-- {
		t := toks[i]
		switch {
		case isClose(t):
			depth++
		case isOpen(t):
			if depth > 0 {
				depth--
			} else if pipe >= 0 {
				return pipe, skipLetHead(toks, i+1)
			}
		case t.is("|") && depth == 0 && pipe < 0:
			pipe = i
		case t.is(";") && depth == 0:
			return pipe, skipLetHead(toks, i+1)
		}
	}
	return pipe, skipLetHead(toks, 0)
}

// skipLetHead skips `let NAME =` at toks[i:], whose value is the pipeline.
func skipLetHead(toks []token, i int) int {
	if i+2 < len(toks) && toks[i].kind == tokIdent && toks[i].text == "let" &&
		toks[i+1].kind == tokIdent && toks[i+2].is("=") {
		return i + 3
	}
	return i
}

// statementStart returns the index of the first token of the statement the
// cursor is in: just after the last ';' outside brackets.
func statementStart(toks []token) int {
	depth, start := 0, 0
	for i, t := range toks {
		switch {
		case isOpen(t):
			depth++
		case isClose(t):
			depth = max(depth-1, 0)
		case t.is(";") && depth == 0:
			start = i + 1
		}
	}
	return start
}

// openCall returns the function name of the innermost call the text ends
// inside, or "".
func openCall(toks []token) string {
	var stack []string
	for i, t := range toks {
		switch {
		case isOpen(t):
			name := ""
			if t.is("(") && i > 0 && toks[i-1].kind == tokIdent && toks[i-1].end == t.start {
				name = toks[i-1].text
			}
			stack = append(stack, name)
		case isClose(t) && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) == 0 {
		return ""
	}
	return stack[len(stack)-1]
}
