package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/tables"
)

func TestReplaceStrings(t *testing.T) {
	msg := S("This is an example")
	assert.Equal(t, S("This was an example"), call(t, "replace_strings", msg, D(`["This","is"]`), D(`["This","was"]`)))
	assert.Equal(t, S("Thwas was an example"), call(t, "replace_strings", msg, D(`["is","This"]`), D(`["was","This"]`)))
	assert.Equal(t, S("This was an example"), call(t, "replace_strings", msg, D(`["This","is"]`), D(`[12345,"was"]`)))
	assert.Equal(t, S("a dog into a pigeon"), call(t, "replace_strings", S("a cat into a dog"), D(`["cat","dog"]`), D(`["dog","pigeon"]`)))
	assert.Equal(t, S("héllo wörld"), call(t, "replace_strings", S("héllo world"), D(`["o wo"]`), D(`["o wö"]`)))
	assert.Equal(t, S("héllo wörld"), call(t, "replace_strings", S("héllo wörld"), D(`[]`), D(`[]`)))
}

func TestStrcmpIndexofRegex(t *testing.T) {
	assert.Equal(t, L(0), call(t, "strcmp", S("ABC"), S("ABC")))
	assert.Equal(t, L(1), call(t, "strcmp", S("abc"), S("ABC")))
	assert.Equal(t, L(-1), call(t, "strcmp", S("ABC"), S("abc")))
	assert.Equal(t, L(1), call(t, "strcmp", S("abcde"), S("abc")))

	assert.Equal(t, L(0), call(t, "indexof_regex", S("abcabc"), S("a.c")))
	assert.Equal(t, L(3), call(t, "indexof_regex", S("abcabcdefg"), S("a.c"), L(0), L(9), L(2)))
	assert.Equal(t, L(-1), call(t, "indexof_regex", S("abcabc"), S("a.c"), L(1), L(-1), L(2)))
	assert.Equal(t, L(-1), call(t, "indexof_regex", S("ababaa"), S("a.a"), L(0), L(-1), L(2)))
	assert.Equal(t, N(tables.Long), call(t, "indexof_regex", S("abcabc"), S("a|ab"), L(-1)))
	assert.Equal(t, L(2), call(t, "indexof_regex", S("ééxy"), S("x")), "positions count characters")
	require.Error(t, compileErr("indexof_regex", S("a"), S("(")))
}

func TestParseCSVAndVersion(t *testing.T) {
	assertJSON(t, `["aa","b,b,b","cc","Escaping quotes: \"Title\"","line1\nline2"]`,
		call(t, "parse_csv", S("aa,\"b,b,b\",cc,\"Escaping quotes: \"\"Title\"\"\",\"line1\nline2\"")))
	assertJSON(t, `["record1","a","b","c"]`, call(t, "parse_csv", S("record1,a,b,c\nrecord2,x,y,z")))
	assertJSON(t, `[""]`, call(t, "parse_csv", S("")))

	assert.Equal(t, tables.NewDecimal(5), call(t, "parse_version", S("0.0.0.5")))
	assert.Equal(t, tables.NewDecimal(700000000), call(t, "parse_version", S("0.0.7.0")))
	assert.Equal(t, tables.NewDecimal(1e24), call(t, "parse_version", S("1")))
	assert.Equal(t, tables.NewDecimal(2e16), call(t, "parse_version", S("0.2")))
	for _, bad := range []string{"", "1.2.3.4.5", "a.b", "1..2", "123456789.0", "-1.0"} {
		assert.Equal(t, N(tables.Decimal), call(t, "parse_version", S(bad)), bad)
	}
}

func TestHasAnyIndexAndMore(t *testing.T) {
	src := S("this is an example")
	assert.Equal(t, L(0), call(t, "has_any_index", src, D(`["this","example"]`)))
	assert.Equal(t, L(1), call(t, "has_any_index", src, D(`["not","example"]`)))
	assert.Equal(t, L(-1), call(t, "has_any_index", src, D(`["exam"]`)), "whole terms only")
	assert.Equal(t, L(1), call(t, "has_any_index", S("Example number 2"), D(`[1,2,3]`)))
	assert.Equal(t, L(-1), call(t, "has_any_index", src, D(`[]`)))

	// The reference's example: repeat(1, 3) is [1, 1, 1].
	assertJSON(t, "[1,1,1]", call(t, "repeat", L(1), L(3)))
	assertJSON(t, `["ab","ab"]`, call(t, "repeat", S("ab"), L(2)))
	assertJSON(t, "[]", call(t, "repeat", S("ab"), L(0)))
	assert.Equal(t, N(tables.Dynamic), call(t, "repeat", S("ab"), L(-1)))

	assert.Equal(t, B(true), call(t, "isutf8", S("héllo")))
	assert.Equal(t, B(false), call(t, "isutf8", S("\xff")))
	assertJSON(t, "[104,195,169]", call(t, "to_utf8", S("hé")))
	assert.Equal(t, S("Kusto"), call(t, "make_string", L(75), D("[117,115]"), L(116), L(111)))
	assert.Equal(t, N(tables.String), call(t, "make_string", L(-5)))
}

func TestDynamicToJSON(t *testing.T) {
	assert.Equal(t, S(`{"A1":12,"B":{"a":6,"c":1},"Z":[3,1]}`),
		call(t, "dynamic_to_json", D(`{"Z":[3,1],"B":{"c":1,"a":6},"A1":12}`)))
	assert.Equal(t, S(`"<a&b>"`), call(t, "dynamic_to_json", D(`"<a&b>"`)))
	assert.Equal(t, S("1.50"), call(t, "dynamic_to_json", D(`1.50`)))
	assert.Equal(t, S(""), call(t, "dynamic_to_json", N(tables.Dynamic)))
}
