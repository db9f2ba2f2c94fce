package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestStringFunctions(t *testing.T) {
	dt := DT(t, "2017-10-15 12:00")
	cases := []struct {
		name string
		args []tables.Value
		want tables.Value
	}{
		{"strlen", []tables.Value{S("hello")}, L(5)},
		{"strlen", []tables.Value{S("⒦⒰⒮⒯⒪")}, L(5)},
		{"strlen", []tables.Value{S("C\u0327edilla")}, L(8)}, // two code points for Ç
		{"strlen", []tables.Value{N(tables.Long)}, L(0)},
		{"string_size", []tables.Value{S("⒦⒰⒮⒯⒪")}, L(15)},
		{"tolower", []tables.Value{S("Hello")}, S("hello")},
		{"toupper", []tables.Value{S("hello")}, S("HELLO")},
		{"tolower", []tables.Value{D(`"ÄB"`)}, S("äb")},
		{"substring", []tables.Value{S("123456"), L(1)}, S("23456")},
		{"substring", []tables.Value{S("123456"), L(2), L(2)}, S("34")},
		{"substring", []tables.Value{S("ABCD"), L(0), L(2)}, S("AB")},
		{"substring", []tables.Value{S("123456"), L(-2), L(2)}, S("56")},
		{"substring", []tables.Value{S("abc"), L(5)}, S("")},
		{"substring", []tables.Value{S("⒦⒰⒮⒯⒪"), L(1), L(2)}, S("⒰⒮")},
		{"strcat", []tables.Value{S("hello"), S(" "), S("world")}, S("hello world")},
		{"strcat", []tables.Value{S("a"), L(1), N(tables.Long), TS(t, "1s")}, S("a100:00:01")},
		{"strcat_delim", []tables.Value{S("-"), L(1), S("2"), S("A"), TS(t, "1s")}, S("1-2-A-00:00:01")},
		{"strcat_array", []tables.Value{D("[1,2,3]"), S("->")}, S("1->2->3")},
		{"strcat_array", []tables.Value{D("[1,2,3]"), S(`"`)}, S(`1"2"3`)},
		{"strcat_array", []tables.Value{D(`["a",null,"b"]`), S(",")}, S("a,,b")},
		{"strrep", []tables.Value{S("ABC"), L(2)}, S("ABCABC")},
		{"strrep", []tables.Value{L(123), L(3), S(".")}, S("123.123.123")},
		{"strrep", []tables.Value{TS(t, "3s"), L(2), S(" ")}, S("00:00:03 00:00:03")},
		{"reverse", []tables.Value{S("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}, S("ZYXWVUTSRQPONMLKJIHGFEDCBA")},
		{"reverse", []tables.Value{L(12345)}, S("54321")},
		{"reverse", []tables.Value{R(123.45)}, S("54.321")},
		{"reverse", []tables.Value{dt}, S("Z0000000.00:00:21T51-01-7102")},
		{"reverse", []tables.Value{TS(t, "3h")}, S("00:00:30")},
		{"reverse", []tables.Value{S("añb")}, S("bña")},
		{"replace_string", []tables.Value{S("A magic trick can turn a cat into a dog"), S("cat"), S("hamster")},
			S("A magic trick can turn a hamster into a dog")},
		{"replace_string", []tables.Value{S("abc"), S(""), S("x")}, S("abc")},
		{"indexof", []tables.Value{S("abcdefg"), S("cde")}, L(2)},
		{"indexof", []tables.Value{S("abcdefg"), S("cde"), L(1), L(4)}, L(2)},
		{"indexof", []tables.Value{S("abcdefg"), S("cde"), L(1), L(2)}, L(-1)},
		{"indexof", []tables.Value{S("abcdefg"), S("cde"), L(3), L(4)}, L(-1)},
		{"indexof", []tables.Value{S("abcdefg"), S("cde"), L(-5)}, L(2)},
		{"indexof", []tables.Value{L(1234567), L(5), L(1), L(4)}, L(4)},
		{"indexof", []tables.Value{S("abcdefg"), S("cde"), L(2), L(-1)}, L(2)},
		{"indexof", []tables.Value{S("abcdefgabcdefg"), S("cde"), L(1), L(10), L(2)}, L(9)},
		{"indexof", []tables.Value{S("abcdefgabcdefg"), S("cde"), L(1), L(-1), L(3)}, L(-1)},
		{"indexof", []tables.Value{S("abc"), S("x"), L(0), L(-2)}, N(tables.Long)},
		{"countof", []tables.Value{S("The cat sat on the mat"), S("at")}, L(3)},
		{"countof", []tables.Value{S("aaa"), S("a")}, L(3)},
		{"countof", []tables.Value{S("aaaa"), S("aa")}, L(3)},
		{"countof", []tables.Value{S("aaaa"), S("aa"), S("regex")}, L(2)},
		{"countof", []tables.Value{S("ababa"), S("ab|ba"), S("regex")}, L(2)},
		{"isascii", []tables.Value{S("some string")}, B(true)},
		{"isascii", []tables.Value{S("é")}, B(false)},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, call(t, c.name, c.args...), "%s%v", c.name, c.args)
	}
}

func TestSplit(t *testing.T) {
	cases := []struct {
		args []tables.Value
		want string
	}{
		{[]tables.Value{S("aa_bb"), S("_")}, `["aa","bb"]`},
		{[]tables.Value{S("aaa_bbb_ccc"), S("_"), L(1)}, `["bbb"]`},
		{[]tables.Value{S(""), S("_")}, `[""]`},
		{[]tables.Value{S("a__b"), S("_")}, `["a","","b"]`},
		{[]tables.Value{S("aabbcc"), S("bb")}, `["aa","cc"]`},
		{[]tables.Value{S("user@host"), S("@"), L(5)}, `[]`},
		{[]tables.Value{S("no-delim"), S("@")}, `["no-delim"]`},
		{[]tables.Value{D(`"a,b"`), S(",")}, `["a","b"]`},
	}
	for _, c := range cases {
		assertJSON(t, c.want, call(t, "split", c.args...), "split%v", c.args)
	}
	// split(s, "@")[1] past the end is a dynamic null, and tostring of it is "".
	out := call(t, "split", S("nodomain"), S("@"))
	assert.True(t, out.Index(1).IsNull())
	assert.Equal(t, S(""), call(t, "tostring", out.Index(1)))
}

func TestRegexFunctions(t *testing.T) {
	cases := []struct {
		name string
		args []tables.Value
		want tables.Value
	}{
		{"trim", []tables.Value{S("--"), S("--https://bing.com--")}, S("https://bing.com")},
		{"trim", []tables.Value{S(`[^\w]+`), S("-  Te st1// $")}, S("Te st1")},
		{"trim", []tables.Value{S(`\s+`), S("    Hello, world!    ")}, S("Hello, world!")},
		{"trim_start", []tables.Value{S("https://"), S("https://bing.com")}, S("bing.com")},
		{"trim_start", []tables.Value{S(`[^\w]+`), S("-  Te st1// $")}, S("Te st1// $")},
		{"trim_end", []tables.Value{S(".com"), S("bing.com")}, S("bing")},
		{"trim_end", []tables.Value{S(`\s+`), S("    Hello, world!    ")}, S("    Hello, world!")},
		{"replace_regex", []tables.Value{S("Number is 1"), S(`is (\d+)`), S(`was: \1`)}, S("Number was: 1")},
		{"replace_regex", []tables.Value{S("a.b.c"), S(`\.`), S("$")}, S("a$b$c")},
		{"replace_regex", []tables.Value{S("abc"), S("b"), S(`[\0]`)}, S("a[b]c")},
		{"replace", []tables.Value{S(`is (\d+)`), S(`was: \1`), S("Number is 7")}, S("Number was: 7")},
		{"extract", []tables.Value{S("User: ([^,]+)"), L(1), S("User: James, Email: James@example.com, Age: 29")}, S("James")},
		{"extract", []tables.Value{S(`Email: (\S+),`), L(1), S("User: David, Age: 35")}, S("")},
		{"extract", []tables.Value{S(`\d+`), L(0), S("User: David, Age: 35")}, S("35")},
		{"extract", []tables.Value{S(`(\d+)`), L(2), S("x 1")}, S("")},
		{"extract", []tables.Value{S(`-(\d{2})-`), L(1), S("15-12-2024"), S("int")}, I(12)},
		{"extract", []tables.Value{S(`-(\d{2})-`), L(1), S("nothing"), S("long")}, N(tables.Long)},
		{"regex_quote", []tables.Value{S("(so$me.Te^xt)")}, S(`\(so\$me\.Te\^xt\)`)},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, call(t, c.name, c.args...), "%s%v", c.name, c.args)
	}
	assert.Error(t, compileErr("extract", S("(bad"), L(1), S("x")))
	assert.Error(t, compileErr("trim", S("[z-a]"), S("x")))
}

func TestExtractAll(t *testing.T) {
	id := S("82b8be2d-dfa7-4bd1-8f63-24ad26d31449")
	assertJSON(t, `["123","567","789"]`,
		call(t, "extract_all", S(`(\d+)`), S("a set of numbers: 123, 567 and 789")))
	assertJSON(t, `["82","b8","be","2d","df","a7","4b","d1","8f","63","24","ad","26","d3","14","49"]`,
		call(t, "extract_all", S(`([\da-f]{2})`), id))
	assertJSON(t, `[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]`,
		call(t, "extract_all", S(`(\w)(\w+)(\w)`), id))
	assertJSON(t, `[["8","d"],["d","7"],["4","1"],["8","3"],["2","9"]]`,
		call(t, "extract_all", S(`(\w)(\w+)(\w)`), D("[1,3]"), id))
	assertJSON(t, `[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]`,
		call(t, "extract_all", S(`(?P<first>\w)(?P<middle>\w+)(?P<last>\w)`), D(`["first",2,"last"]`), id))
	assertJSON(t, "null", call(t, "extract_all", S(`(\d+)`), S("no digits")))
	assertJSON(t, `["ab","ab"]`, call(t, "extract_all", S(`ab`), S("abxab")))
}
