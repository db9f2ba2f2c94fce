package tables

import (
	"strconv"
	"strings"
)

// String returns the value as tostring() prints it: null as "", a datetime
// with seven fractional digits, a timespan as [d.]hh:mm:ss[.fffffff], a
// dynamic string without its quotes, other dynamic values as JSON text.
func (v Value) String() string {
	if v.null {
		return ""
	}
	switch v.t {
	case Bool:
		if v.i != 0 {
			return "true"
		}
		return "false"
	case Int, Long:
		return strconv.FormatInt(v.i, 10)
	case Real, Decimal:
		return formatReal(v.f)
	case DateTime:
		return FormatDateTime(v.i, true)
	case Timespan:
		return FormatTimespan(v.i)
	case Dynamic:
		if s, ok := v.DynString(); ok {
			return s
		}
		return v.s
	}
	return v.s
}

// ParseGUID reads a guid in its usual spellings (with or without hyphens or
// braces, any letter case) and returns its canonical lower-case text.
func ParseGUID(s string) (string, bool) {
	if canonicalGUID(s) {
		return s, true
	}
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	hex := strings.ReplaceAll(s, "-", "")
	if len(hex) != 32 {
		return "", false
	}
	for i := 0; i < 32; i++ {
		c := hex[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return "", false
		}
	}
	hex = strings.ToLower(hex)
	return hex[:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:], true
}

// Convert casts v to type t the way the to*() functions do: text is parsed,
// numbers are widened or truncated, and whatever does not fit gives the
// null of t (the empty string for t == String).
func Convert(v Value, t Type) Value {
	if v.t == t {
		return v
	}
	if v.null {
		return Null(t)
	}
	switch t {
	case String:
		return NewString(v.String())
	case Dynamic:
		if v.t == String {
			return NewDynamic(QuoteJSON(v.s))
		}
		return NewDynamic(ToJSON(v))
	case Bool:
		return toBool(v)
	case Int, Long:
		n, ok := toInt(v)
		if !ok {
			return Null(t)
		}
		if t == Int {
			return NewInt(n)
		}
		return NewLong(n)
	case Real, Decimal:
		f, ok := toFloat(v)
		if !ok {
			return Null(t)
		}
		return Value{t: t, f: f}
	case DateTime:
		return toDateTime(v)
	case Timespan:
		return toTimespan(v)
	case GUID:
		if g, ok := ParseGUID(v.String()); ok {
			return NewGUID(g)
		}
	}
	return Null(t)
}

func toBool(v Value) Value {
	switch v.t {
	case Int, Long:
		return NewBool(v.i != 0)
	case Real, Decimal:
		return NewBool(v.f != 0)
	}
	switch strings.ToLower(strings.TrimSpace(v.String())) {
	case "true", "1":
		return NewBool(true)
	case "false", "0":
		return NewBool(false)
	}
	return Null(Bool)
}

func toInt(v Value) (int64, bool) {
	switch v.t {
	case String:
		s := strings.TrimSpace(v.s)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, true
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, false
		}
		return Value{t: Real, f: f}.AsInt64()
	case DateTime, Timespan:
		return v.i, true
	}
	return v.AsInt64()
}

func toFloat(v Value) (float64, bool) {
	switch v.t {
	case String:
		f, err := strconv.ParseFloat(strings.TrimSpace(v.s), 64)
		return f, err == nil
	case Bool, DateTime, Timespan:
		return float64(v.i), true
	}
	return v.AsFloat()
}

func toDateTime(v Value) Value {
	switch v.t {
	case String, Dynamic:
		if ticks, ok := ParseDateTime(v.String()); ok {
			return NewDateTime(ticks)
		}
	case Long, Int:
		return NewDateTime(v.i)
	}
	return Null(DateTime)
}

func toTimespan(v Value) Value {
	switch v.t {
	case String, Dynamic:
		if ticks, ok := ParseTimespan(v.String()); ok {
			return NewTimespan(ticks)
		}
	case Long, Int:
		return NewTimespan(v.i)
	case Real, Decimal:
		return NewTimespan(int64(v.f))
	}
	return Null(Timespan)
}

// canonicalGUID reports whether s is a guid in canonical form already, the
// form exports write, which ParseGUID then returns without allocating.
func canonicalGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}
