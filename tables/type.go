// Package tables holds kql's value model: the ten KQL scalar types, the Value
// that carries one cell, typed columns, tables, and the loaders that turn
// JSON, NDJSON and CSV files into tables.
//
// Start with Type and Value; Column and Table build on them. Dynamic values
// are kept as their JSON text and navigated with gjson, which stays inside this
// package: the engine and the functions ask a Value for a member or an element
// and never see the JSON library.
package tables

import "strings"

// Type is one of KQL's scalar types.
type Type uint8

// The KQL scalar types. Unknown is the zero value and marks a type the
// binder could not work out; it is never the type of a stored column.
const (
	Unknown Type = iota
	Bool
	Int
	Long
	Real
	Decimal
	String
	DateTime
	Timespan
	GUID
	Dynamic
)

var typeNames = [...]string{
	Unknown:  "unknown",
	Bool:     "bool",
	Int:      "int",
	Long:     "long",
	Real:     "real",
	Decimal:  "decimal",
	String:   "string",
	DateTime: "datetime",
	Timespan: "timespan",
	GUID:     "guid",
	Dynamic:  "dynamic",
}

// String returns the KQL name of the type, as getschema and the docs spell it.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "unknown"
}

// typeAliases maps every spelling KQL accepts in a declaration to its type.
var typeAliases = map[string]Type{
	"bool": Bool, "boolean": Bool,
	"int": Int, "int32": Int,
	"long": Long, "int64": Long,
	"real": Real, "double": Real, "float": Real,
	"decimal":  Decimal,
	"string":   String,
	"datetime": DateTime, "date": DateTime,
	"timespan": Timespan, "time": Timespan,
	"guid": GUID, "uuid": GUID, "uniqueid": GUID,
	"dynamic": Dynamic,
}

// ParseType returns the type a KQL type name denotes, accepting the aliases
// the language allows (double, boolean, date, time, ...). Names are matched
// case-insensitively because schema exports spell them either way.
func ParseType(name string) (Type, bool) {
	t, ok := typeAliases[strings.ToLower(strings.TrimSpace(name))]
	return t, ok
}

// IsNumeric reports whether values of the type take part in arithmetic as
// numbers.
func (t Type) IsNumeric() bool {
	return t == Int || t == Long || t == Real || t == Decimal
}

// Nullable reports whether the type has a null value. Only string does not:
// an absent string is the empty string.
func (t Type) Nullable() bool { return t != String }
