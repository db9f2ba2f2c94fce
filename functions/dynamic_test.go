package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestDynamicFunctions(t *testing.T) {
	arr := D(`["this","is","an","example","an","example"]`)
	cases := []struct {
		name string
		args []tables.Value
		want string // JSON of a dynamic result
	}{
		{"pack_array", []tables.Value{L(1), S("2"), TS(t, "2s")}, `[1,"2","00:00:02"]`},
		{"pack_array", []tables.Value{N(tables.Long), D(`{"a":1}`)}, `[null,{"a":1}]`},
		{"bag_pack", []tables.Value{S("Level"), S("Information"), S("ProcessID"), L(1234), S("Data"),
			D(`{"url":"www.bing.com"}`)}, `{"Level":"Information","ProcessID":1234,"Data":{"url":"www.bing.com"}}`},
		{"pack", []tables.Value{S("a"), N(tables.Real)}, `{"a":null}`},
		{"bag_keys", []tables.Value{D(`{"a":"b","c":123}`)}, `["a","c"]`},
		{"bag_keys", []tables.Value{D(`{}`)}, `[]`},
		{"bag_keys", []tables.Value{D(`"a"`)}, `null`},
		{"bag_keys", []tables.Value{D(`[]`)}, `null`},
		{"bag_keys", []tables.Value{N(tables.Dynamic)}, `null`},
		{"bag_merge", []tables.Value{D(`{"A1":12,"B1":2,"C1":3}`), D(`{"A2":81,"B2":82,"A1":1}`)},
			`{"A1":12,"B1":2,"C1":3,"A2":81,"B2":82}`},
		{"bag_remove_keys", []tables.Value{D(`{"key1":123,"key2":"abc"}`), D(`["key2","key4"]`)}, `{"key1":123}`},
		{"bag_set_key", []tables.Value{D(`{"key1":1,"key2":2}`), S("key3"), L(3)}, `{"key1":1,"key2":2,"key3":3}`},
		{"bag_set_key", []tables.Value{D(`{"key1":1,"key3":"abc"}`), S("key3"), L(3)}, `{"key1":1,"key3":3}`},
		{"array_concat", []tables.Value{D("[1,2,4]"), D("[1,2]")}, `[1,2,4,1,2]`},
		{"array_concat", []tables.Value{D("[1]"), D(`"x"`)}, `null`},
		{"array_slice", []tables.Value{D("[1,2,3]"), L(1), L(2)}, `[2,3]`},
		{"array_slice", []tables.Value{D("[1,2,3,4,5]"), L(2), L(-1)}, `[3,4,5]`},
		{"array_slice", []tables.Value{D("[1,2,3,4,5]"), L(-3), L(-2)}, `[3,4]`},
		{"array_slice", []tables.Value{D("[1,2,3]"), L(2), L(1)}, `[]`},
		{"array_reverse", []tables.Value{D(`["this","is","an","example"]`)}, `["example","an","is","this"]`},
		{"array_sort_asc", []tables.Value{D(`[null,"blue","yellow","green",null]`)},
			`["blue","green","yellow",null,null]`},
		{"array_sort_asc", []tables.Value{D(`[null,"blue","yellow","green",null]`), B(false)},
			`[null,null,"blue","green","yellow"]`},
		{"array_sort_desc", []tables.Value{D(`[null,"blue","yellow","green",null]`)},
			`["yellow","green","blue",null,null]`},
		{"array_sort_desc", []tables.Value{D(`[null,"blue","yellow","green",null]`), B(false)},
			`[null,null,"yellow","green","blue"]`},
		{"array_sort_asc", []tables.Value{D(`[10,9,100,1.5]`)}, `[1.5,9,10,100]`},
		{"array_sort_asc", []tables.Value{D(`[1,3,4,5,2]`), D(`["a","b","c","d","e"]`)},
			`[[1,2,3,4,5],["a","e","b","c","d"]]`},
		{"array_sort_desc", []tables.Value{D(`[1,3,4,5,2]`), D(`["a","b","c","d","e"]`)},
			`[[5,4,3,2,1],["d","c","b","e","a"]]`},
		{"set_union", []tables.Value{D("[1,2,1,4]"), D("[1,2]"), D("[8]")}, `[1,2,4,8]`},
		{"set_union", []tables.Value{D(`["A4","A2","A7","A2"]`), D(`["A4","A2","A7","A2"]`)}, `["A4","A2","A7"]`},
		{"set_intersect", []tables.Value{D("[1,2,1,4]"), D("[1,2]"), D("[8,1]")}, `[1]`},
		{"set_intersect", []tables.Value{D("[1,2,3]"), D("[4,5]")}, `[]`},
		{"set_difference", []tables.Value{D("[1,2,1,4]"), D("[1,2]"), D("[1,2,8]")}, `[4]`},
		{"set_difference", []tables.Value{D("[1,2,3]"), D("[1,2,3]")}, `[]`},
		{"zip", []tables.Value{D("[1,3,5]"), D("[2,4,6]")}, `[[1,2],[3,4],[5,6]]`},
		{"zip", []tables.Value{D(`["A",1,1.5]`), D(`[{},"B"]`)}, `[["A",{}],[1,"B"],[1.5,null]]`},
		{"range", []tables.Value{L(1), L(8), L(3)}, `[1,4,7]`},
		{"range", []tables.Value{L(1), L(3)}, `[1,2,3]`},
		{"range", []tables.Value{TS(t, "1h"), TS(t, "5h")},
			`["01:00:00","02:00:00","03:00:00","04:00:00","05:00:00"]`},
		{"parse_url", []tables.Value{S("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")},
			`{"Scheme":"scheme","Host":"host","Port":"1234","Path":"this/is/a/path","Username":"username",
			"Password":"password","Query Parameters":{"k1":"v1","k2":"v2"},"Fragment":"fragment"}`},
		{"parse_urlquery", []tables.Value{S("k1=v1&k2=v2&k3=v3")}, `{"Query Parameters":{"k1":"v1","k2":"v2","k3":"v3"}}`},
	}
	for _, c := range cases {
		assertJSON(t, c.want, call(t, c.name, c.args...), "%s%v", c.name, c.args)
	}
	long := []struct {
		name string
		args []tables.Value
		want tables.Value
	}{
		{"array_length", []tables.Value{D(`[1,2,3,"four"]`)}, L(4)},
		{"array_length", []tables.Value{D(`{"a":1}`)}, N(tables.Long)},
		{"array_length", []tables.Value{N(tables.Dynamic)}, N(tables.Long)},
		{"array_index_of", []tables.Value{arr, S("an")}, L(2)},
		{"array_index_of", []tables.Value{arr, S("example"), L(1), L(3)}, L(3)},
		{"array_index_of", []tables.Value{arr, S("example"), L(1), L(2)}, L(-1)},
		{"array_index_of", []tables.Value{arr, S("is"), L(2), L(4)}, L(-1)},
		{"array_index_of", []tables.Value{arr, S("example"), L(2), L(-1)}, L(3)},
		{"array_index_of", []tables.Value{arr, S("an"), L(1), L(-1), L(2)}, L(4)},
		{"array_index_of", []tables.Value{arr, S("an"), L(1), L(-1), L(3)}, L(-1)},
		{"array_index_of", []tables.Value{arr, S("an"), L(-3)}, L(4)},
		{"array_index_of", []tables.Value{arr, S("is"), L(-4)}, L(-1)},
		{"array_index_of", []tables.Value{D("[1,2,3]"), L(3)}, L(2)},
		{"set_has_element", []tables.Value{D(`["this","is","an","example"]`), S("example")}, B(true)},
		{"set_has_element", []tables.Value{D(`[1,2]`), L(3)}, B(false)},
		{"bag_has_key", []tables.Value{D(`{"key1":123,"key2":"abc"}`), S("key2")}, B(true)},
		{"bag_has_key", []tables.Value{D(`{"key1":123,"key3":"abc"}`), S("key2")}, B(false)},
		{"bag_has_key", []tables.Value{D(`{"key2":{"prop1":"abc"}}`), S("$.key2.prop1")}, B(true)},
		{"array_sum", []tables.Value{D("[1,2,3,4]")}, R(10)},
	}
	for _, c := range long {
		assert.Equal(t, c.want, call(t, c.name, c.args...), "%s%v", c.name, c.args)
	}
	assert.Error(t, compileErr("bag_pack", S("a"), L(1), S("b")))
}

func TestRangeIsCapped(t *testing.T) {
	r := call(t, "range", L(1), L(1000000000))
	assert.Equal(t, 1048576, r.Len())
}

func TestParseURLForms(t *testing.T) {
	cases := map[string]string{
		"https://graph.microsoft.com/v1.0/me": `{"Scheme":"https","Host":"graph.microsoft.com","Port":"","Path":"v1.0/me","Username":"",
			"Password":"","Query Parameters":{},"Fragment":""}`,
		"http://10.0.0.5:8080": `{"Scheme":"http","Host":"10.0.0.5","Port":"8080","Path":"","Username":"","Password":"",
			"Query Parameters":{},"Fragment":""}`,
		"http://[::1]:81/x?a=%20b&c": `{"Scheme":"http","Host":"[::1]","Port":"81","Path":"x","Username":"","Password":"",
			"Query Parameters":{"a":" b","c":""},"Fragment":""}`,
		"http://bad host/x": `{"Scheme":"http","Host":"bad host","Port":"","Path":"x","Username":"","Password":"",
			"Query Parameters":{},"Fragment":""}`,
		"not a url": `null`,
		"":          `null`,
	}
	for in, want := range cases {
		assertJSON(t, want, call(t, "parse_url", S(in)), in)
	}
}
