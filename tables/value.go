package tables

import (
	"math"
	"strconv"
)

// Value is one KQL scalar: a type tag, a null flag and the payload. It is a
// small struct passed by value, so that evaluating an expression over a row
// allocates nothing for numbers, datetimes and strings.
//
// The payload lives in one field per representation:
//   - i: bool (0 or 1), int, long, and datetime and timespan as 100 ns ticks
//     (datetimes count from the Unix epoch);
//   - f: real and decimal (decimal is held as a float64; see the README);
//   - s: string, guid (canonical lower-case text) and dynamic (JSON text).
//
// A string is never null: the empty string stands for an absent one.
type Value struct {
	t    Type
	null bool
	i    int64
	f    float64
	s    string
}

// Null returns the null value of type t. The null of string is "".
func Null(t Type) Value {
	if t == String {
		return Value{t: String}
	}
	return Value{t: t, null: true}
}

// NewBool returns a bool value.
func NewBool(b bool) Value {
	if b {
		return Value{t: Bool, i: 1}
	}
	return Value{t: Bool}
}

// NewInt returns an int (32-bit) value; the argument is truncated to 32 bits
// as Kusto's int is.
func NewInt(n int64) Value { return Value{t: Int, i: int64(int32(n))} }

// NewLong returns a long value.
func NewLong(n int64) Value { return Value{t: Long, i: n} }

// NewReal returns a real value. NaN and the infinities are values, not nulls.
func NewReal(f float64) Value { return Value{t: Real, f: f} }

// NewDecimal returns a decimal value.
func NewDecimal(f float64) Value { return Value{t: Decimal, f: f} }

// NewString returns a string value.
func NewString(s string) Value { return Value{t: String, s: s} }

// NewDateTime returns a datetime of the given 100 ns ticks since the Unix epoch.
func NewDateTime(ticks int64) Value { return Value{t: DateTime, i: ticks} }

// NewTimespan returns a timespan of the given 100 ns ticks.
func NewTimespan(ticks int64) Value { return Value{t: Timespan, i: ticks} }

// NewGUID returns a guid value from its canonical text (lower-case, with
// hyphens); use ParseGUID to accept other spellings.
func NewGUID(canonical string) Value { return Value{t: GUID, s: canonical} }

// NewDynamic returns a dynamic value holding the given JSON text. The text is
// trusted to be valid JSON; the JSON literal null and empty text give a
// dynamic null.
func NewDynamic(json string) Value {
	if json == "" || json == "null" {
		return Value{t: Dynamic, null: true}
	}
	return Value{t: Dynamic, s: json}
}

// Type returns the value's KQL type.
func (v Value) Type() Type { return v.t }

// IsNull reports whether the value is null. A string is never null.
func (v Value) IsNull() bool { return v.null }

// Bool returns the payload of a bool value.
func (v Value) Bool() bool { return v.i != 0 }

// Int64 returns the integer payload: the number of an int or long, the ticks
// of a datetime or timespan, 0 or 1 for a bool.
func (v Value) Int64() int64 { return v.i }

// Float returns the payload of a real or decimal value.
func (v Value) Float() float64 { return v.f }

// Str returns the text payload: a string's text, a guid's canonical text, or
// a dynamic value's JSON text.
func (v Value) Str() string { return v.s }

// AsFloat returns a numeric value as float64, and false when v is null or not
// a number.
func (v Value) AsFloat() (float64, bool) {
	if v.null {
		return 0, false
	}
	switch v.t {
	case Int, Long:
		return float64(v.i), true
	case Real, Decimal:
		return v.f, true
	case Dynamic:
		return dynFloat(v.s)
	}
	return 0, false
}

// AsInt64 returns a numeric value as int64 (reals are truncated toward zero),
// and false when v is null, not a number, or a real out of range.
func (v Value) AsInt64() (int64, bool) {
	if v.null {
		return 0, false
	}
	switch v.t {
	case Int, Long, Bool:
		return v.i, true
	case Real, Decimal:
		if math.IsNaN(v.f) || v.f >= 9.3e18 || v.f <= -9.3e18 {
			return 0, false
		}
		return int64(v.f), true
	case Dynamic:
		return dynInt(v.s)
	}
	return 0, false
}

// formatReal prints a real the way Kusto's tostring does for the common
// range: shortest round-trip digits, no exponent for ordinary magnitudes.
func formatReal(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	a := math.Abs(f)
	if a != 0 && (a >= 1e15 || a < 1e-4) {
		s := strconv.FormatFloat(f, 'E', -1, 64)
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
