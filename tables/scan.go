package tables

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// A validating JSON scanner for the loaders' hot path.
//
// The loaders first walked rows with gjson's ForEach after checking them
// with gjson.Valid. Profiles of the generator's data showed most of the time
// in scanning every string twice (once to validate, once to parse) and in
// unescaping every escaped string, including those of columns a projection
// skips. This scanner validates and splits a row in one pass, finds string
// ends with IndexByte, and leaves unescaping to the values that are kept.
// gjson still reads dynamic values after loading.
//
// It follows RFC 8259 except that control characters inside strings are
// accepted, as gjson's readers accept them.

// maxDepth bounds the nesting of objects and arrays, as encoding/json
// does, so hostile input cannot make later recursive readers overflow.
const maxDepth = 10000

// scanString returns the index after the closing quote of the string whose
// body starts at s[i], and whether the body has escapes, each of which it
// checks. It jumps to the first quote or backslash eight bytes at a time
// (see quoteOrBackslash); past a backslash it scans 64 bytes at a time
// (scanEscaped), since a string with one escape usually has many.
func scanString(s string, i int) (end int, esc, ok bool) {
	b := quoteOrBackslash(s, i)
	if b < len(s) && s[b] == '"' {
		return b + 1, false, true
	}
	end, ok = scanEscaped(s, b)
	return end, true, ok
}

// scanStringTail is scanString's byte-at-a-time loop past i, for the last
// bytes of s, where no block of 64 is left; it jumps from one quote or
// backslash to the next.
func scanStringTail(s string, i int) (end int, ok bool) {
	for j := quoteOrBackslash(s, i); j < len(s); j = quoteOrBackslash(s, j+1) {
		if s[j] == '"' {
			return j + 1, true
		}
		j++
		if j >= len(s) {
			return j, false
		}
		switch s[j] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		case 'u':
			if j+5 > len(s) || !isHex4(s[j+1:j+5]) {
				return j, false
			}
			j += 4
		default:
			return j, false
		}
	}
	return len(s), false
}

func isHex4(s string) bool {
	for i := 0; i < 4; i++ {
		c := s[i]
		if !(isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// scanNumber returns the end of the JSON number at s[i] and whether it has
// neither fraction nor exponent.
func scanNumber(s string, i int) (end int, isInt, ok bool) {
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = digitsEnd(s, i)
	default:
		return i, false, false
	}
	isInt = true
	if i < len(s) && s[i] == '.' {
		j := digitsEnd(s, i+1)
		if j == i+1 {
			return j, false, false
		}
		i, isInt = j, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digitsEnd(s, i)
		if j == i {
			return j, false, false
		}
		i, isInt = j, false
	}
	return i, isInt, true
}

func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// scanValue validates the JSON value starting at s[i] and returns its end
// and kind; esc tells whether a string has escapes. Objects and arrays are
// checked without recursion, with stack holding the open brackets.
func scanValue(s string, i int, stack *[]byte) (end int, kind uint8, esc, ok bool) {
	if i >= len(s) {
		return i, 0, false, false
	}
	switch s[i] {
	case '{', '[':
		end, ok, _ = scanComposite(s, i, stack)
		return end, kJSON, false, ok
	case '"':
		end, esc, ok = scanString(s, i+1)
		return end, kStr, esc, ok
	case 't':
		return literal(s, i, "true", kTrue)
	case 'f':
		return literal(s, i, "false", kFalse)
	case 'n':
		return literal(s, i, "null", kNull)
	}
	end, isInt, ok := scanNumber(s, i)
	if isInt {
		return end, kInt, false, ok
	}
	return end, kReal, false, ok
}

func literal(s string, i int, word string, kind uint8) (int, uint8, bool, bool) {
	if strings.HasPrefix(s[i:], word) {
		return i + len(word), kind, false, true
	}
	return i, kind, false, false
}

// scanComposite validates the object or array at s[i]. spaced tells
// whether whitespace separates any of its tokens, which spares compactJSON
// a pass over values that are compact already.
func scanComposite(s string, i int, stack *[]byte) (end int, ok, spaced bool) {
	st := (*stack)[:0]
	defer func() { *stack = st[:0] }()
	skip := func(j int) int {
		k := skipSpace(s, j)
		spaced = spaced || k != j
		return k
	}
value:
	for {
		if i >= len(s) {
			return i, false, spaced
		}
		if c := s[i]; c == '{' || c == '[' {
			closer := byte('}')
			if c == '[' {
				closer = ']'
			}
			i = skip(i + 1)
			if i < len(s) && s[i] == closer {
				i++
			} else {
				if len(st) >= maxDepth {
					return i, false, spaced
				}
				st = append(st, closer)
				if closer == '}' {
					if i, ok = scanKey(s, i, skip); !ok {
						return i, false, spaced
					}
				}
				continue
			}
		} else {
			end, _, _, ok := scanValue(s, i, nil)
			if !ok {
				return end, false, spaced
			}
			i = end
		}
		for len(st) > 0 {
			i = skip(i)
			if i >= len(s) {
				return i, false, spaced
			}
			top := st[len(st)-1]
			switch s[i] {
			case ',':
				i = skip(i + 1)
				if top == '}' {
					if i, ok = scanKey(s, i, skip); !ok {
						return i, false, spaced
					}
				}
				continue value
			case top:
				st = st[:len(st)-1]
				i++
			default:
				return i, false, spaced
			}
		}
		return i, true, spaced
	}
}

// scanKey reads `"key" :` at s[i] and returns the start of the value,
// skipping whitespace with skip.
func scanKey(s string, i int, skip func(int) int) (int, bool) {
	if i >= len(s) || s[i] != '"' {
		return i, false
	}
	end, _, ok := scanString(s, i+1)
	if !ok {
		return end, false
	}
	i = skip(end)
	if i >= len(s) || s[i] != ':' {
		return i, false
	}
	return skip(i + 1), true
}

// validJSON reports whether s is one JSON value with optional surrounding
// whitespace, and whether that value is compact: without whitespace between
// its tokens, so compactJSON would return it unchanged.
func validJSON(s string) (ok, compact bool) {
	i := skipSpace(s, 0)
	if i == len(s) {
		return false, false
	}
	end, spaced := 0, false
	if s[i] == '{' || s[i] == '[' {
		var stack []byte
		end, ok, spaced = scanComposite(s, i, &stack)
	} else {
		end, _, _, ok = scanValue(s, i, nil)
	}
	return ok && skipSpace(s, end) == len(s), !spaced
}

// IsCompactJSON reports whether s is one JSON value with no white space
// outside its strings, so that compacting it would give s back.
func IsCompactJSON(s string) bool {
	ok, compact := validJSON(s)
	return ok && compact && !isSpace(s[0]) && !isSpace(s[len(s)-1])
}

// SWAR constants: one in every byte, the high bit of every byte.
const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// quoteOrBackslash returns the index of the first '"' or '\\' in s at or
// after i, or len(s). It tests eight bytes per step (a byte equals c where
// x^(c*lows) has a zero byte, and the lowest set bit of the zero-byte test
// marks the first one); text inside JSON strings that hold JSON text has
// an escape every few bytes, too often for IndexByte's start-up cost.
func quoteOrBackslash(s string, i int) int {
	b := stringBytes(s)
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q := x ^ ('"' * lows)
		e := x ^ ('\\' * lows)
		m := (q - lows) &^ q & highs
		m |= (e - lows) &^ e & highs
		if m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if b[i] == '"' || b[i] == '\\' {
			return i
		}
	}
	return len(b)
}

// backslash returns the index of the first '\\' in s at or after i, or
// len(s), eight bytes per step as quoteOrBackslash does; unescaping JSON
// text held in a string meets a backslash every few bytes.
func backslash(s string, i int) int {
	b := stringBytes(s)
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:]) ^ ('\\' * lows)
		if m := (x - lows) &^ x & highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b) && b[i] != '\\'; i++ {
	}
	return i
}

// stringText returns the text of a JSON string literal (quotes included)
// that scanString accepted: a slice of raw when it has no escapes.
func stringText(raw string, esc bool) string {
	body := raw[1 : len(raw)-1]
	if !esc {
		return body
	}
	return unescape(body)
}

// unescape decodes the escapes of a string body. A lone surrogate becomes
// U+FFFD, as encoding/json decodes it. The result is built in one buffer
// that is then used as the string's memory.
func unescape(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		j := backslash(s, i)
		b = append(b, s[i:j]...)
		if j+1 >= len(s) {
			break
		}
		c := s[j+1]
		i = j + 2
		switch c {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			var r rune
			r, i = unicodeEscape(s, i)
			b = utf8.AppendRune(b, r)
		default:
			b = append(b, c)
		}
	}
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// unicodeEscape reads the hex digits after a \u that ends at s[i], and a
// second \uXXXX when the first is the high half of a surrogate pair. It
// returns the rune and where the escape ends.
func unicodeEscape(s string, i int) (rune, int) {
	if i+4 > len(s) || !isHex4(s[i:i+4]) {
		return utf8.RuneError, i
	}
	r := hexRune(s[i : i+4])
	i += 4
	if !utf16.IsSurrogate(r) {
		return r, i
	}
	if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' && isHex4(s[i+2:i+6]) {
		if pair := utf16.DecodeRune(r, hexRune(s[i+2:i+6])); pair != utf8.RuneError {
			return pair, i + 6
		}
	}
	return utf8.RuneError, i
}

func hexRune(s string) rune {
	var r rune
	for i := 0; i < 4; i++ {
		c := s[i]
		switch {
		case isDigit(c):
			c -= '0'
		case c >= 'a':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// stringBytes returns the bytes of s without copying them; they must not be
// written.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
