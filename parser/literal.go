package parser

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// decodeString returns the value of one string token as the lexer found it:
// quotes and prefixes removed, escapes resolved. The lexer has already
// rejected unterminated strings and unknown escapes.
func decodeString(raw string) string {
	if strings.HasPrefix(raw, "```") {
		return raw[3 : len(raw)-3]
	}
	if raw[0] == 'h' || raw[0] == 'H' {
		raw = raw[1:]
	}
	if raw[0] == '@' {
		q := raw[1:2]
		return strings.ReplaceAll(raw[2:len(raw)-1], q+q, q)
	}
	body := raw[1 : len(raw)-1]
	if strings.IndexByte(body, '\\') < 0 {
		return body
	}
	return unescape(body)
}

func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		i += writeEscape(&b, s, i) - 1
	}
	return b.String()
}

var simpleEscapes = map[byte]byte{
	'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v',
	'\\': '\\', '\'': '\'', '"': '"',
}

// writeEscape writes the escape starting at s[i] (just after the backslash)
// and returns how many bytes it used.
func writeEscape(b *strings.Builder, s string, i int) int {
	c := s[i]
	if r, ok := simpleEscapes[c]; ok {
		b.WriteByte(r)
		return 1
	}
	switch {
	case c >= '0' && c <= '7':
		n := 1
		for n < 3 && i+n < len(s) && s[i+n] >= '0' && s[i+n] <= '7' {
			n++
		}
		v, _ := strconv.ParseUint(s[i:i+n], 8, 8)
		b.WriteByte(byte(v))
		return n
	case c == 'x':
		return 1 + writeHex(b, s, i+1, 2)
	case c == 'u':
		return 1 + writeHex(b, s, i+1, 4)
	case c == 'U':
		return 1 + writeHex(b, s, i+1, 8)
	}
	b.WriteByte(c)
	return 1
}

// writeHex reads up to max hex digits and writes the code point they name.
func writeHex(b *strings.Builder, s string, i, max int) int {
	n := 0
	for n < max && i+n < len(s) && isHex(s[i+n]) {
		n++
	}
	if n == 0 {
		return 0
	}
	v, _ := strconv.ParseUint(s[i:i+n], 16, 32)
	if max == 2 {
		b.WriteByte(byte(v))
	} else if utf8.ValidRune(rune(v)) {
		b.WriteRune(rune(v))
	} else {
		b.WriteRune(utf8.RuneError)
	}
	return n
}

// Parse implements participle.Parseable for a column pattern: a name, a
// bracketed name, or words and * wildcards written without spaces between.
func (p *gPattern) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type == tokPunct && t.Value == "[" {
		return p.parseBracketed(lex)
	}
	if !isPatternPart(t) || t.Type == tokInt {
		return participle.NextMatch
	}
	p.Pos = t.Pos
	end := t.Pos.Offset + len(t.Value)
	star := t.Value == "*"
	text := t.Value
	lex.Next()
	for {
		r := lex.RawPeek()
		next := r.Value == "*"
		if r.Pos.Offset != end || !isPatternPart(r) || (!star && !next) {
			break
		}
		text += r.Value
		end += len(r.Value)
		star = next
		lex.Next()
	}
	p.EndPos = lexer.Position{Offset: end, Column: end}
	p.Text = text
	return nil
}

func (p *gPattern) parseBracketed(lex *lexer.PeekingLexer) error {
	cp := lex.MakeCheckpoint()
	open := lex.Next()
	s := lex.Next()
	closing := lex.Next()
	if s.Type != tokString || closing.Value != "]" {
		lex.LoadCheckpoint(cp)
		return participle.NextMatch
	}
	p.Pos = open.Pos
	p.EndPos = endOf(closing)
	p.Text = decodeString(s.Value)
	p.Bracketed = true
	return nil
}

func isPatternPart(t *lexer.Token) bool {
	switch t.Type {
	case tokIdent, tokKeyword, tokBool, tokInt:
		return true
	case tokOp:
		return t.Value == "*"
	}
	return false
}
