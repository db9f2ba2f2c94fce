package tables

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// appendJSONValue appends a scanned JSON value (its kind and raw text, and
// a string's unescaped text) to a column whose type a schema declared, and
// reports false when the value does not fit that type. Strings are read as text (see parseText);
// numbers, bools, objects and arrays must match the type, except that any
// of them fits a string column as its JSON text and a dynamic column as
// itself.
func appendJSONValue(c *Column, kind uint8, raw, text string) bool {
	switch kind {
	case kNull:
		c.pushNull()
		return true
	case kStr:
		if c.typ == Dynamic {
			c.pushValue(dynamicFromText(text, raw))
			return true
		}
		return c.pushParsed(parseText(c.typ, text))
	}
	isNum := kind == kInt || kind == kReal
	switch c.typ {
	case String:
		c.pushValue(NewString(compactJSON(raw)))
	case Dynamic:
		c.pushValue(NewDynamic(compactJSON(raw)))
	case Bool:
		return kind != kJSON && c.pushParsed(parseBool(raw))
	case Int, Long:
		return isNum && c.pushParsed(parseInteger(c.typ, raw))
	case Real, Decimal:
		if !isNum {
			return false
		}
		f, err := strconv.ParseFloat(raw, 64)
		return c.pushParsed(Value{t: c.typ, f: f}, err == nil)
	default:
		return false
	}
	return true
}

// pushParsed appends v when ok.
func (c *Column) pushParsed(v Value, ok bool) bool {
	if ok {
		c.pushValue(v)
	}
	return ok
}

// parseText reads text (a CSV field or a JSON string) as a value of type t,
// as ingestion does: surrounding spaces are ignored and empty text is null
// for every type but string. A dynamic column parses JSON text into the
// value it denotes and keeps other text as a dynamic string. False means
// the text does not fit the type.
func parseText(t Type, s string) (Value, bool) {
	if t == String {
		return NewString(s), true
	}
	if t == Dynamic {
		return dynamicFromText(s, ""), true
	}
	ts := strings.TrimSpace(s)
	if ts == "" {
		return Null(t), true
	}
	switch t {
	case Bool:
		return parseBool(ts)
	case Int, Long:
		return parseInteger(t, ts)
	case Real, Decimal:
		f, err := strconv.ParseFloat(ts, 64)
		return Value{t: t, f: f}, err == nil
	case DateTime:
		if ticks, ok := parseISO(ts); ok {
			return NewDateTime(ticks), true
		}
		ticks, ok := ParseDateTime(ts)
		return NewDateTime(ticks), ok
	case Timespan:
		ticks, ok := ParseTimespan(ts)
		return NewTimespan(ticks), ok
	case GUID:
		g, ok := ParseGUID(ts)
		return NewGUID(g), ok
	}
	return Value{}, false
}

// parseBool accepts true/false in any case, and 1/0.
func parseBool(s string) (Value, bool) {
	switch {
	case s == "1" || strings.EqualFold(s, "true"):
		return NewBool(true), true
	case s == "0" || strings.EqualFold(s, "false"):
		return NewBool(false), true
	}
	return Value{}, false
}

// parseInteger reads an integer, or a number with an integral value such as
// 3.0 or 1e3, and checks that it fits t (int is 32-bit).
func parseInteger(t Type, s string) (Value, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
			return Value{}, false
		}
		n = int64(f)
	}
	if t == Int {
		if n < math.MinInt32 || n > math.MaxInt32 {
			return Value{}, false
		}
		return NewInt(n), true
	}
	return NewLong(n), true
}

// dynamicFromText turns the text stored for a dynamic column into its
// value. Exports write a dynamic value as its JSON text inside a string;
// Kusto's ingestion parses it, so that form and nested JSON give the same
// value. Text that is not JSON is a dynamic string; empty text is null.
// raw, when not empty, is the JSON string literal the text came from,
// reused to avoid quoting the text again when it has no escapes.
func dynamicFromText(s, raw string) Value {
	t := strings.TrimSpace(s)
	if t == "" {
		return Null(Dynamic)
	}
	if ok, compact := validJSON(t); ok {
		if !compact {
			t = compactJSON(t)
		}
		return NewDynamic(t)
	}
	if raw != "" && len(raw) == len(s)+2 && utf8.ValidString(raw) {
		return NewDynamic(raw)
	}
	return NewDynamic(QuoteJSON(s))
}

// compactJSON removes the whitespace between the tokens of valid JSON text,
// so that one dynamic value has one text however it was written. Text that
// is already compact is returned as is, without allocating.
func compactJSON(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			end, _ := skipString(s, i+1)
			i = end - 1
		case ' ', '\t', '\n', '\r':
			return compactFrom(s, i)
		}
	}
	return s
}

// compactFrom finishes compactJSON from the first whitespace at s[i].
func compactFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		switch c {
		case '"':
			end, _ := skipString(s, i+1)
			b.WriteString(s[i:end])
			i = end
			continue
		case ' ', '\t', '\n', '\r':
		default:
			b.WriteByte(c)
		}
		i++
	}
	return b.String()
}
