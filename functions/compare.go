package functions

import (
	"cmp"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// compareValues orders two non-null values of one type (min, max, min_of,
// percentile); it returns <0, 0 or >0.
func compareValues(a, b tables.Value) int {
	switch a.Type() {
	case tables.Real, tables.Decimal:
		return cmp.Compare(a.Float(), b.Float())
	case tables.String, tables.GUID:
		return strings.Compare(a.Str(), b.Str())
	case tables.Dynamic:
		return compareDyn(a, b)
	}
	if a.Type() != b.Type() && b.Type().IsNumeric() {
		fa, _ := toF(a)
		fb, _ := toF(b)
		return cmp.Compare(fa, fb)
	}
	return cmp.Compare(a.Int64(), b.Int64())
}

// compareDyn orders dynamic values: numbers by value, strings by text,
// numbers before strings before anything else, which compares by JSON text.
func compareDyn(a, b tables.Value) int {
	fa, na := a.AsFloat()
	fb, nb := b.AsFloat()
	_, sa := a.DynString()
	_, sb := b.DynString()
	na, nb = na && !sa, nb && !sb
	switch {
	case na && nb:
		return cmp.Compare(fa, fb)
	case na != nb:
		if na {
			return -1
		}
		return 1
	case sa && sb:
		return strings.Compare(a.String(), b.String())
	case sa != sb:
		if sa {
			return -1
		}
		return 1
	}
	return strings.Compare(a.Str(), b.Str())
}
