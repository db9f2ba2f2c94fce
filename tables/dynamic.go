package tables

import (
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// DynKind is the JSON kind of a dynamic value, as gettype() distinguishes it.
type DynKind uint8

// The kinds of dynamic values.
const (
	DynNull DynKind = iota
	DynBool
	DynLong
	DynReal
	DynString
	DynArray
	DynBag
)

// DynKind returns the JSON kind of a dynamic value. Non-dynamic values
// report DynNull.
func (v Value) DynKind() DynKind {
	if v.t != Dynamic || v.null {
		return DynNull
	}
	return kindOf(gjson.Parse(v.s))
}

func kindOf(r gjson.Result) DynKind {
	switch r.Type {
	case gjson.True, gjson.False:
		return DynBool
	case gjson.Number:
		if strings.ContainsAny(r.Raw, ".eE") {
			return DynReal
		}
		return DynLong
	case gjson.String:
		return DynString
	case gjson.JSON:
		if r.IsArray() {
			return DynArray
		}
		return DynBag
	}
	return DynNull
}

// Member returns property key of a dynamic bag. A missing key, or a value
// that is not a bag, gives a dynamic null, which keeps propagating through
// further member and index steps (see SEMANTICS.md §4).
func (v Value) Member(key string) Value {
	if v.t != Dynamic || v.null || len(v.s) == 0 || v.s[0] != '{' {
		return Null(Dynamic)
	}
	raw, ok := memberRaw(v.s, key)
	if !ok {
		return Null(Dynamic)
	}
	return fromRaw(raw)
}

// Index returns element i of a dynamic array; a negative index counts from
// the end. Out of range, or a value that is not an array, gives dynamic null.
func (v Value) Index(i int64) Value {
	if v.t != Dynamic || v.null || len(v.s) == 0 || v.s[0] != '[' {
		return Null(Dynamic)
	}
	if i < 0 {
		n := int64(v.Len())
		i += n
		if i < 0 {
			return Null(Dynamic)
		}
	}
	out := Null(Dynamic)
	var k int64
	eachElement(v.s, func(e string) bool {
		if k == i {
			out = fromRaw(e)
			return false
		}
		k++
		return true
	})
	return out
}

// Len returns the number of elements of a dynamic array or properties of a
// bag, and -1 for anything else.
func (v Value) Len() int {
	if v.t != Dynamic || v.null || len(v.s) == 0 || (v.s[0] != '[' && v.s[0] != '{') {
		return -1
	}
	n := 0
	if v.s[0] == '[' {
		eachElement(v.s, func(string) bool {
			n++
			return true
		})
		return n
	}
	eachMember(v.s, func(string, string) bool {
		n++
		return true
	})
	return n
}

// Elements calls fn for each element of a dynamic array (key is empty) or
// each property of a bag, in document order, until fn returns false. The
// values handed to fn are slices of v's text: nothing is copied.
func (v Value) Elements(fn func(key string, elem Value) bool) {
	if v.t != Dynamic || v.null || len(v.s) == 0 || (v.s[0] != '[' && v.s[0] != '{') {
		return
	}
	if v.s[0] == '[' {
		eachElement(v.s, func(e string) bool { return fn("", fromRaw(e)) })
		return
	}
	eachMember(v.s, func(k, e string) bool { return fn(keyText(k), fromRaw(e)) })
}

// DynString returns the text of a dynamic string without its JSON quotes,
// and false when the value is not a dynamic string.
func (v Value) DynString() (string, bool) {
	if v.t != Dynamic || v.null || len(v.s) == 0 || v.s[0] != '"' {
		return "", false
	}
	return gjson.Parse(v.s).Str, true
}

func dynFloat(s string) (float64, bool) {
	r := gjson.Parse(s)
	switch r.Type {
	case gjson.Number:
		return r.Float(), true
	case gjson.String:
		f, err := strconv.ParseFloat(strings.TrimSpace(r.Str), 64)
		return f, err == nil
	case gjson.True:
		return 1, true
	case gjson.False:
		return 0, true
	}
	return 0, false
}

func dynInt(s string) (int64, bool) {
	r := gjson.Parse(s)
	switch r.Type {
	case gjson.Number:
		if n, err := strconv.ParseInt(r.Raw, 10, 64); err == nil {
			return n, true
		}
		return int64(r.Float()), true
	case gjson.String:
		n, err := strconv.ParseInt(strings.TrimSpace(r.Str), 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(strings.TrimSpace(r.Str), 64)
			return int64(f), ferr == nil
		}
		return n, true
	case gjson.True:
		return 1, true
	case gjson.False:
		return 0, true
	}
	return 0, false
}

// ParseJSON is parse_json(): valid JSON text becomes a dynamic value holding
// that text (trimmed); empty text is a dynamic null; anything else becomes a
// dynamic string holding the original text, as Kusto does.
func ParseJSON(text string) Value {
	t := strings.TrimSpace(text)
	if t == "" {
		return Null(Dynamic)
	}
	if gjson.Valid(t) {
		return NewDynamic(t)
	}
	return NewDynamic(QuoteJSON(text))
}

// QuoteJSON returns s as a JSON string literal.
func QuoteJSON(s string) string {
	b := make([]byte, 0, len(s)+2)
	return string(AppendJSONString(b, s))
}

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s to b as a JSON string literal. Invalid UTF-8
// bytes become U+FFFD so that the output is always valid JSON.
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[r>>4], hexDigits[r&0xf])
		default:
			b = append(b, string(r)...)
		}
	}
	return append(b, '"')
}

// ToJSON returns the JSON text that a value takes inside a dynamic value:
// numbers and bools as themselves, datetimes, timespans and guids as strings,
// dynamic as its own text, null as null.
func ToJSON(v Value) string {
	return string(AppendJSON(nil, v))
}

// AppendJSON appends the JSON form of v (see ToJSON) to b.
func AppendJSON(b []byte, v Value) []byte {
	if v.null {
		return append(b, "null"...)
	}
	switch v.t {
	case Bool:
		return strconv.AppendBool(b, v.i != 0)
	case Int, Long:
		return strconv.AppendInt(b, v.i, 10)
	case Real, Decimal:
		return appendJSONFloat(b, v.f)
	case DateTime:
		return AppendJSONString(b, FormatDateTime(v.i, true))
	case Timespan:
		return AppendJSONString(b, FormatTimespan(v.i))
	case Dynamic:
		return append(b, v.s...)
	default:
		return AppendJSONString(b, v.s)
	}
}

// appendJSONFloat writes a real; NaN and the infinities, which JSON lacks,
// are written as the strings Kusto uses for them.
func appendJSONFloat(b []byte, f float64) []byte {
	s := formatReal(f)
	switch s {
	case "NaN", "Infinity", "-Infinity":
		return AppendJSONString(b, s)
	}
	return append(b, s...)
}
