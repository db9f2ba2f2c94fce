package functions

import (
	"math"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// The helpers below keep the registration files short: parameter
// constructors, a Compile for functions that need no call-site work, and
// the run-time conversions every Impl uses for dynamic arguments (the binder
// lets a dynamic value reach any parameter).

func req(name string, ts TypeSet) Param  { return Param{Name: name, Types: ts} }
func opt(name string, ts TypeSet) Param  { return Param{Name: name, Types: ts, Optional: true} }
func many(name string, ts TypeSet) Param { return Param{Name: name, Types: ts, Variadic: true} }

// optMany is a variadic parameter that may also be left out.
func optMany(name string, ts TypeSet) Param {
	return Param{Name: name, Types: ts, Variadic: true, Optional: true}
}

// konst marks a parameter as needing a constant argument.
func konst(p Param) Param {
	p.Const = true
	return p
}

// params is a shorthand for a parameter list.
func params(ps ...Param) []Param { return ps }

// More parameter type sets, for the declarations in this package.
var (
	// NumOrTime accepts numbers, datetimes and timespans (bin's value).
	NumOrTime = Numeric | TimeLike
	// NumOrSpan accepts numbers and timespans (bin's size).
	NumOrSpan = Numeric | Of(tables.Timespan)
	// BoolType accepts bool (predicates).
	BoolType = Of(tables.Bool)
	// DateOnly accepts datetime.
	DateOnly = Of(tables.DateTime)
	// SpanOnly accepts timespan.
	SpanOnly = Of(tables.Timespan)
)

// fixed is the Compile of a function that does no call-site work.
func fixed(impl Impl) func(*Call) (Impl, error) {
	return func(*Call) (Impl, error) { return impl, nil }
}

// scalar registers a scalar function whose Impl needs no call-site work.
func scalar(name string, ps []Param, result func([]tables.Type) tables.Type, doc string,
	impl Impl, aliases ...string) {
	Register(&Func{Name: name, Aliases: aliases, Kind: Scalar, Params: ps, Result: result,
		Compile: fixed(impl), Doc: doc})
}

// numResult gives the type of a numeric argument, or real when the
// argument's type is only known at run time.
func numResult(i int) func([]tables.Type) tables.Type {
	return func(args []tables.Type) tables.Type {
		if i < len(args) && args[i].IsNumeric() {
			return args[i]
		}
		return tables.Real
	}
}

// widen returns the type two branches or arguments share: the wider
// numeric type for two numbers, the known type when one is unknown, and
// otherwise the first.
func widen(a, b tables.Type) tables.Type {
	switch {
	case a == tables.Unknown:
		return b
	case b == tables.Unknown || a == b:
		return a
	case a.IsNumeric() && b.IsNumeric():
		return numRank(a, b)
	}
	return a
}

func numRank(a, b tables.Type) tables.Type {
	rank := func(t tables.Type) int {
		switch t {
		case tables.Int:
			return 1
		case tables.Long:
			return 2
		case tables.Decimal:
			return 4
		}
		return 3
	}
	if rank(a) >= rank(b) {
		return a
	}
	return b
}

// common widens over every argument from index from on.
func common(from int) func([]tables.Type) tables.Type {
	return func(args []tables.Type) tables.Type {
		t := tables.Unknown
		for i := from; i < len(args); i++ {
			t = widen(t, args[i])
		}
		if t == tables.Unknown {
			return tables.Dynamic
		}
		return t
	}
}

// toF reads a number (or a dynamic or text number) as float64.
func toF(v tables.Value) (float64, bool) {
	if v.IsNull() {
		return 0, false
	}
	switch v.Type() {
	case tables.String:
		c := tables.Convert(v, tables.Real)
		return c.Float(), !c.IsNull()
	case tables.DateTime, tables.Timespan:
		return float64(v.Int64()), true
	}
	return v.AsFloat()
}

// toI reads a number (or a dynamic or text number) as int64; reals are
// truncated.
func toI(v tables.Value) (int64, bool) {
	if v.IsNull() {
		return 0, false
	}
	switch v.Type() {
	case tables.String:
		c := tables.Convert(v, tables.Long)
		return c.Int64(), !c.IsNull()
	case tables.DateTime, tables.Timespan:
		return v.Int64(), true
	}
	return v.AsInt64()
}

// toB reads a bool; a dynamic true/false, a number (non-zero is true) and
// the text "true"/"false" count too. ok is false for null and for anything
// else.
func toB(v tables.Value) (b, ok bool) {
	if v.IsNull() {
		return false, false
	}
	switch v.Type() {
	case tables.Bool:
		return v.Bool(), true
	case tables.Dynamic:
		switch v.Str() {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	c := tables.Convert(v, tables.Bool)
	return c.Bool(), !c.IsNull()
}

// truthy is how iff, case and the *if aggregates read a predicate: only a
// true value is true; null and false are not.
func truthy(v tables.Value) bool {
	b, ok := toB(v)
	return ok && b
}

// toTicks reads a datetime or timespan argument (or a dynamic holding one)
// as ticks.
func toTicks(v tables.Value, t tables.Type) (int64, bool) {
	if v.IsNull() {
		return 0, false
	}
	if v.Type() == t {
		return v.Int64(), true
	}
	c := tables.Convert(v, t)
	return c.Int64(), !c.IsNull()
}

// numberOf builds a value of numeric type t from f; integer types are
// truncated, and a non-finite value for them gives null.
func numberOf(t tables.Type, f float64) tables.Value {
	switch t {
	case tables.Int, tables.Long:
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) >= 9.3e18 {
			return tables.Null(t)
		}
		if t == tables.Int {
			return tables.NewInt(int64(f))
		}
		return tables.NewLong(int64(f))
	case tables.Decimal:
		return tables.NewDecimal(f)
	}
	return tables.NewReal(f)
}

// str is tostring(): null gives "", a dynamic string its bare text.
func str(v tables.Value) string { return v.String() }

// lowerName folds a part or kind name for case-insensitive lookups.
func lowerName(v *tables.Value) string {
	if v == nil {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(v.String()))
}
