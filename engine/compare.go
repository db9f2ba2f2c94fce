package engine

import (
	"encoding/binary"
	"math"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// class groups types that compare with each other directly.
type class uint8

const (
	clsNull class = iota
	clsBool
	clsNum
	clsString
	clsTime
	clsSpan
	clsGUID
	clsDyn
)

func classOf(t tables.Type) class {
	switch t {
	case tables.Bool:
		return clsBool
	case tables.Int, tables.Long, tables.Real, tables.Decimal:
		return clsNum
	case tables.String:
		return clsString
	case tables.DateTime:
		return clsTime
	case tables.Timespan:
		return clsSpan
	case tables.GUID:
		return clsGUID
	case tables.Dynamic:
		return clsDyn
	}
	return clsNull
}

// align brings a dynamic operand to the type of the other operand, the way
// Kusto converts a dynamic value compared with a typed one. A guid compared
// with a string compares as text.
func align(a, b tables.Value) (tables.Value, tables.Value) {
	at, bt := a.Type(), b.Type()
	switch {
	case at == bt:
	case at == tables.Dynamic && bt != tables.Dynamic:
		a = tables.Convert(a, bt)
	case bt == tables.Dynamic && at != tables.Dynamic:
		b = tables.Convert(b, at)
	case at == tables.GUID && bt == tables.String:
		b = tables.Convert(b, tables.GUID)
		if b.IsNull() {
			a = tables.NewString(a.Str())
			b = tables.NewString("")
		}
	case bt == tables.GUID && at == tables.String:
		b, a = align(b, a)
	case at == tables.Bool && bt.IsNumeric():
		a = tables.NewLong(a.Int64())
	case bt == tables.Bool && at.IsNumeric():
		b = tables.NewLong(b.Int64())
	}
	return a, b
}

// compare orders two non-null values: -1, 0 or 1, and false when they cannot
// be ordered (different classes, or NaN).
func compare(a, b tables.Value) (int, bool) {
	a, b = align(a, b)
	ca, cb := classOf(a.Type()), classOf(b.Type())
	if ca != cb {
		return 0, false
	}
	switch ca {
	case clsNum:
		return compareNum(a, b)
	case clsBool, clsTime, clsSpan:
		return cmpInt(a.Int64(), b.Int64()), true
	case clsString, clsGUID:
		return strings.Compare(a.Str(), b.Str()), true
	case clsDyn:
		return compareDyn(a, b)
	}
	return 0, false
}

func cmpInt(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func compareNum(a, b tables.Value) (int, bool) {
	if isIntType(a.Type()) && isIntType(b.Type()) {
		return cmpInt(a.Int64(), b.Int64()), true
	}
	x, _ := a.AsFloat()
	y, _ := b.AsFloat()
	switch {
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	case x == y:
		return 0, true
	}
	return 0, false
}

func isIntType(t tables.Type) bool { return t == tables.Int || t == tables.Long }

// compareDyn compares two dynamic values: numbers by value, strings by text,
// anything else by equality of their JSON text only.
func compareDyn(a, b tables.Value) (int, bool) {
	ka, kb := a.DynKind(), b.DynKind()
	switch {
	case isDynNum(ka) && isDynNum(kb):
		return compareNum(dynNumber(a), dynNumber(b))
	case ka == tables.DynString && kb == tables.DynString:
		return strings.Compare(a.String(), b.String()), true
	case ka == kb && a.Str() == b.Str():
		return 0, true
	}
	return 0, false
}

func isDynNum(k tables.DynKind) bool {
	return k == tables.DynLong || k == tables.DynReal || k == tables.DynBool
}

// dynNumber turns a dynamic number into a long or real value.
func dynNumber(v tables.Value) tables.Value {
	if v.DynKind() == tables.DynReal {
		f, _ := v.AsFloat()
		return tables.NewReal(f)
	}
	n, _ := v.AsInt64()
	return tables.NewLong(n)
}

// equal is KQL's ==: null when either side is null (callers apply the rule
// that one null operand makes == false and != true).
func equal(a, b tables.Value) (eq, null bool) {
	if a.IsNull() || b.IsNull() {
		return false, true
	}
	c, ok := compare(a, b)
	return ok && c == 0, false
}

// appendKey appends a canonical encoding of v for hashing group and join
// keys: values that KQL considers equal encode equally (1 and 1.0 both as a
// number), and a null has its own encoding so that nulls group together.
func appendKey(buf []byte, v tables.Value) []byte {
	if v.IsNull() {
		return append(buf, 0)
	}
	switch classOf(v.Type()) {
	case clsNum:
		if isIntType(v.Type()) {
			return binary.LittleEndian.AppendUint64(append(buf, 'n'), uint64(v.Int64()))
		}
		f := v.Float()
		if f == math.Trunc(f) && math.Abs(f) < 1<<62 {
			return binary.LittleEndian.AppendUint64(append(buf, 'n'), uint64(int64(f)))
		}
		return binary.LittleEndian.AppendUint64(append(buf, 'r'), math.Float64bits(f))
	case clsBool, clsTime, clsSpan:
		return binary.LittleEndian.AppendUint64(append(buf, byte('b'+classOf(v.Type()))), uint64(v.Int64()))
	}
	s := v.Str()
	if v.Type() == tables.Dynamic {
		if t, ok := v.DynString(); ok {
			s = t
		} else {
			buf = append(buf, 'j')
		}
	}
	buf = binary.LittleEndian.AppendUint32(append(buf, 's'), uint32(len(s)))
	return append(buf, s...)
}
