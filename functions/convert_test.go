package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestConversions(t *testing.T) {
	dt := DT(t, "2017-10-15 12:00")
	cases := []struct {
		name string
		arg  tables.Value
		want tables.Value
	}{
		{"tostring", L(123), S("123")},
		{"tostring", R(123.45), S("123.45")},
		{"tostring", N(tables.Long), S("")},
		{"tostring", dt, S("2017-10-15T12:00:00.0000000Z")},
		{"tostring", TS(t, "1s"), S("00:00:01")},
		{"tostring", D(`"hello"`), S("hello")},
		{"tostring", D(`{"a":1}`), S(`{"a":1}`)},
		{"tostring", N(tables.Dynamic), S("")},
		{"tostring", B(true), S("true")},
		{"toint", S("123"), I(123)},
		{"toint", R(2.3), I(2)},
		{"toint", S("abc"), N(tables.Int)},
		{"toint", D(`"42"`), I(42)},
		{"tolong", S("123"), L(123)},
		{"tolong", D("7"), L(7)},
		{"tolong", N(tables.String), N(tables.Long)},
		{"tolong", DT(t, "1970-01-01"), L(621355968000000000)},
		{"tolong", TS(t, "1s"), L(10000000)},
		{"todouble", S("123.4"), R(123.4)},
		{"toreal", S("x"), N(tables.Real)},
		{"toreal", L(3), R(3)},
		{"tobool", S("true"), B(true)},
		{"tobool", S("false"), B(false)},
		{"tobool", L(1), B(true)},
		{"tobool", L(123), B(true)},
		{"tobool", L(0), B(false)},
		{"tobool", S("maybe"), N(tables.Bool)},
		{"tobool", D("true"), B(true)},
		{"toboolean", D(`"false"`), B(false)},
		{"todatetime", S("2014-05-25T08:20:03.123456Z"), DT(t, "2014-05-25T08:20:03.123456Z")},
		{"todatetime", S("2014-11-08 15:55"), DT(t, "2014-11-08T15:55:00Z")},
		{"todatetime", S("not a date"), N(tables.DateTime)},
		{"todatetime", D(`"2015-01-01"`), DT(t, "2015-01-01")},
		{"todatetime", L(621355968000000000), tables.NewDateTime(0)},
		{"totimespan", S("1.02:03:04"), TS(t, "1.02:03:04")},
		{"totimespan", S("10m"), TS(t, "10m")},
		{"totimespan", S("x"), N(tables.Timespan)},
		{"toguid", S("12E8B78D-55B4-46AE-B068-26D7A0080254"), tables.NewGUID("12e8b78d-55b4-46ae-b068-26d7a0080254")},
		{"toguid", S("nope"), N(tables.GUID)},
		{"gettype", S("a"), S("string")},
		{"gettype", L(111), S("long")},
		{"gettype", B(true), S("bool")},
		{"gettype", dt, S("datetime")},
		{"gettype", TS(t, "1s"), S("timespan")},
		{"gettype", R(123.45), S("real")},
		{"gettype", tables.NewGUID("12e8b78d-55b4-46ae-b068-26d7a0080254"), S("guid")},
		{"gettype", N(tables.Long), S("long")},
		{"tohex", L(256), S("100")},
		{"tohex", L(-256), S("ffffffffffffff00")},
		{"tohex", I(-256), S("ffffff00")},
		{"tohex", N(tables.Long), S("")},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, call(t, c.name, c.arg), "%s(%v)", c.name, c.arg)
	}
	assert.Equal(t, S("00000100"), call(t, "tohex", L(256), L(8)))
	assert.Equal(t, S("100"), call(t, "tohex", L(256), L(2)))
}

func TestParseJSONAndGettype(t *testing.T) {
	cases := []struct {
		text, kind string
	}{
		{"1", "int"},
		{` "abc" `, "string"},
		{` {"abc":1} `, "dictionary"},
		{` [1, 2, 3] `, "array"},
		{"", "null"},
		{"1.5", "real"},
		{"5000000000", "long"},
		{"true", "bool"},
		{"null", "null"},
	}
	for _, c := range cases {
		for _, name := range []string{"parse_json", "todynamic", "parsejson", "toobject"} {
			d := call(t, name, S(c.text))
			assert.Equal(t, S(c.kind), call(t, "gettype", d), "%s(%q)", name, c.text)
		}
	}
	assert.True(t, call(t, "parse_json", S("")).IsNull())
	assertJSON(t, `"not json{"`, call(t, "parse_json", S("not json{")))
	d := D(`{"a":1}`)
	assert.Equal(t, d, call(t, "parse_json", d))
	assertJSON(t, "5", call(t, "todynamic", L(5)))
	// parse_json(tostring(parse_json(d).b)).c (parse-json-function.md#3)
	outer := call(t, "parse_json", S(`{"a":123, "b":"{\"c\":456}"}`))
	inner := call(t, "parse_json", call(t, "tostring", outer.Member("b")))
	assertJSON(t, "456", inner.Member("c"))
}

func TestToStringOfDynamicDoesNotAllocate(t *testing.T) {
	f, _ := Lookup("tostring")
	impl, _ := f.Compile(&Call{Types: []tables.Type{tables.Dynamic}, Consts: []*tables.Value{nil}})
	args := []tables.Value{D(`"some text"`)}
	n := testing.AllocsPerRun(100, func() { impl(args) })
	assert.Zero(t, n)
	lower, _ := Lookup("tolower")
	impl, _ = lower.Compile(&Call{Types: []tables.Type{tables.String}, Consts: []*tables.Value{nil}})
	args = []tables.Value{S("already lower case")}
	assert.Zero(t, testing.AllocsPerRun(100, func() { impl(args) }))
}
