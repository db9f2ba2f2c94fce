package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestArrayReshaping(t *testing.T) {
	arr := D("[1,2,3,4,5]")
	assertJSON(t, "[1,5,3]", call(t, "array_iff", D("[true,false,true]"), D("[1,2,3]"), D("[4,5,6]")))
	assertJSON(t, `["yes","no","yes"]`, call(t, "array_iif", D("[1,0,50]"), S("yes"), S("no")))
	assertJSON(t, "[null,null]", call(t, "array_iff", D(`["s",null]`), L(1), L(0)))
	assertJSON(t, "[1,2,null]", call(t, "array_iff", D("[true,true,true]"), D("[1,2]"), D("[3,4]")))
	assertJSON(t, "null", call(t, "array_iff", D(`{"a":1}`), L(1), L(0)))

	assertJSON(t, "[3,4,5,1,2]", call(t, "array_rotate_left", arr, L(2)))
	assertJSON(t, "[4,5,1,2,3]", call(t, "array_rotate_left", arr, L(-2)))
	assertJSON(t, "[4,5,1,2,3]", call(t, "array_rotate_right", arr, L(7)))
	assertJSON(t, "[]", call(t, "array_rotate_right", D("[]"), L(3)))
	assertJSON(t, "null", call(t, "array_rotate_left", arr, N(tables.Long)))

	assertJSON(t, "[3,4,5,null,null]", call(t, "array_shift_left", arr, L(2)))
	assertJSON(t, "[-1,-1,1,2,3]", call(t, "array_shift_left", arr, L(-2), L(-1)))
	assertJSON(t, "[-1,-1,1,2,3]", call(t, "array_shift_right", arr, L(2), L(-1)))
	assertJSON(t, "[null,null,null,null,null]", call(t, "array_shift_right", arr, L(9)))

	assertJSON(t, "[[1,2],[3,4,5]]", call(t, "array_split", arr, L(2)))
	assertJSON(t, "[[1],[2,3],[4,5]]", call(t, "array_split", arr, D("[1,3]")))
	assertJSON(t, "[[1,2,3,4],[5]]", call(t, "array_split", arr, L(-1)))
	assertJSON(t, "null", call(t, "array_split", S("x"), L(1)))
}

func TestBagZipJaccardTreepath(t *testing.T) {
	assertJSON(t, `{"a":1,"b":"2","c":3.4}`, call(t, "bag_zip", D(`["a","b","c"]`), D(`[1,"2",3.4]`)))
	assertJSON(t, `{"a":1,"b":"2","c":null}`, call(t, "bag_zip", D(`["a","b","c"]`), D(`[1,"2"]`)))
	assertJSON(t, `{"a":1,"b":2.5}`, call(t, "bag_zip", D(`["a",8,"b"]`), D(`[1,"2",2.5]`)))
	assertJSON(t, `{"a":null}`, call(t, "bag_zip", D(`["a"]`), D(`1`)))
	assertJSON(t, "null", call(t, "bag_zip", D(`"a"`), D(`[1]`)))

	assert.Equal(t, R(0.75), call(t, "jaccard_index", D("[1,2,3]"), D("[1,2,3,4]")))
	assert.Equal(t, R(0.5), call(t, "jaccard_index", D(`["a","a","b"]`), D(`["a"]`)))
	assert.Equal(t, R(0), call(t, "jaccard_index", D("[]"), D("[]")))
	assert.Equal(t, N(tables.Real), call(t, "jaccard_index", N(tables.Dynamic), D("[1]")))

	assertJSON(t, `["['a']","['c']"]`, call(t, "treepath", D(`{"a":"b","c":123}`)))
	assertJSON(t, `["['l']","['l'][0]","['l'][0]['x']"]`, call(t, "treepath", D(`{"l":[1,{"x":"y"},2]}`)))
	assertJSON(t, "[]", call(t, "treepath", D(`5`)))
	assertJSON(t, "null", call(t, "treepath", N(tables.Dynamic)))
}

func TestBagPathKeys(t *testing.T) {
	in := D(`{"key1":123,"key2":{"prop1":"abc","prop2":"xyz"},"key3":[100,200]}`)
	assertJSON(t, `{"key1":123,"key2":{"prop2":"xyz"}}`, call(t, "bag_remove_keys", in, D(`["$.key2.prop1","key3"]`)))
	assertJSON(t, `{"key1":123,"key2":{"prop1":"abc","prop2":"xyz"},"key3":[100,200]}`,
		call(t, "bag_remove_keys", in, D(`["$.key1.x","nokey"]`)), "paths that lead nowhere change nothing")
	assertJSON(t, `{"key1":123,"key2":{"prop1":"new","prop2":"xyz"},"key3":[100,200]}`,
		call(t, "bag_set_key", in, S("$.key2.prop1"), S("new")))
	assertJSON(t, `{"key1":123,"key2":{"prop1":"abc"}}`, call(t, "bag_set_key", D(`{"key1":123}`), S("$.key2.prop1"), S("abc")))
	assertJSON(t, `{"key1":{"a":1}}`, call(t, "bag_set_key", D(`{"key1":123}`), S("$.key1.a"), L(1)))
	assertJSON(t, `{"k":2}`, call(t, "bag_set_key", D(`{"k":1}`), S("k"), L(2)))
	assertJSON(t, "null", call(t, "bag_set_key", D(`[1]`), S("k"), L(2)))
}
