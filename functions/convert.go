package functions

import (
	"strconv"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// epochTicks is the Unix epoch in .NET ticks (since 0001-01-01). Kusto's
// tolong(datetime) gives .NET ticks; we keep datetimes relative to the Unix
// epoch, so the offset is added on the way out and removed on the way in.
const epochTicks int64 = 621355968000000000

func init() {
	scalar("tostring", params(req("value", AnyType)), Fixed(tables.String),
		"Converts a value to its string form; null gives \"\".",
		func(a []tables.Value) tables.Value { return tables.NewString(a[0].String()) })

	registerCast("toint", tables.Int, "Converts a value to int; null when it does not convert.")
	registerCast("tolong", tables.Long, "Converts a value to long; null when it does not convert.")
	registerCast("todouble", tables.Real, "Converts a value to real; null when it does not convert.",
		"toreal")
	registerCast("todecimal", tables.Decimal, "Converts a value to decimal (held as a real).")
	registerCast("tobool", tables.Bool, "Converts a value to bool: \"true\"/\"false\", non-zero numbers.",
		"toboolean")
	registerCast("todatetime", tables.DateTime, "Converts a value to datetime; null when it does not parse.",
		"todate")
	registerCast("totimespan", tables.Timespan, "Converts a value to timespan; null when it does not parse.",
		"totime")
	registerCast("toguid", tables.GUID, "Converts a value to guid; null when it does not parse.")

	scalar("parse_json", params(req("json", AnyType)), Fixed(tables.Dynamic),
		"Parses JSON text into a dynamic value; invalid JSON gives a dynamic string.",
		func(a []tables.Value) tables.Value { return parseJSON(a[0]) },
		"todynamic", "toobject", "parsejson")

	scalar("gettype", params(req("value", AnyType)), Fixed(tables.String),
		"Returns the runtime type of a value (\"int\", \"dictionary\", \"null\", ...).",
		func(a []tables.Value) tables.Value { return tables.NewString(getType(a[0])) })

	scalar("tohex", params(req("value", Integer), opt("minLength", Integer)), Fixed(tables.String),
		"Converts an integer to hex (two's complement for negatives), padded to minLength.", toHex)
}

// registerCast registers one of the to<type>() conversions.
func registerCast(name string, t tables.Type, doc string, aliases ...string) {
	scalar(name, params(req("value", AnyType)), Fixed(t), doc,
		func(a []tables.Value) tables.Value { return cast(a[0], t) }, aliases...)
}

// cast is tables.Convert plus the two places where Kusto's ticks differ
// from ours: a datetime as a number is .NET ticks, and back.
func cast(v tables.Value, t tables.Type) tables.Value {
	if v.IsNull() || v.Type() == t {
		return tables.Convert(v, t)
	}
	switch {
	case v.Type() == tables.DateTime && (t == tables.Long || t == tables.Int):
		return tables.Convert(tables.NewLong(v.Int64()+epochTicks), t)
	case v.Type() == tables.DateTime && (t == tables.Real || t == tables.Decimal):
		return tables.Convert(tables.NewLong(v.Int64()+epochTicks), t)
	case t == tables.DateTime && (v.Type() == tables.Long || v.Type() == tables.Int):
		return tables.NewDateTime(v.Int64() - epochTicks)
	case t == tables.Bool && v.Type() == tables.Dynamic:
		if b, ok := toB(v); ok {
			return tables.NewBool(b)
		}
		return tables.Null(tables.Bool)
	}
	return tables.Convert(v, t)
}

// parseJSON is parse_json: dynamic passes through, text is parsed, other
// scalars become their dynamic form.
func parseJSON(v tables.Value) tables.Value {
	switch v.Type() {
	case tables.Dynamic:
		return v
	case tables.String:
		return tables.ParseJSON(v.Str())
	}
	return asDynamic(v)
}

// getType names the runtime type of v as gettype() does; a dynamic value
// reports the kind of what it holds.
func getType(v tables.Value) string {
	if v.Type() != tables.Dynamic {
		if v.Type() == tables.Unknown {
			return "null"
		}
		return v.Type().String()
	}
	switch v.DynKind() {
	case tables.DynBool:
		return "bool"
	case tables.DynLong:
		n, ok := v.AsInt64()
		if ok && n == int64(int32(n)) {
			return "int"
		}
		return "long"
	case tables.DynReal:
		return "real"
	case tables.DynString:
		return "string"
	case tables.DynArray:
		return "array"
	case tables.DynBag:
		return "dictionary"
	}
	return "null"
}

func toHex(a []tables.Value) tables.Value {
	n, ok := toI(a[0])
	if !ok {
		return tables.Null(tables.String)
	}
	var s string
	if a[0].Type() == tables.Int {
		s = strconv.FormatUint(uint64(uint32(n)), 16)
	} else {
		s = strconv.FormatUint(uint64(n), 16)
	}
	if len(a) > 1 {
		if w, ok := toI(a[1]); ok && int(w) > len(s) && w <= 1<<24 { // no 16 MB+ padding
			s = strings.Repeat("0", int(w)-len(s)) + s
		}
	}
	return tables.NewString(s)
}
