package functions

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func longs(ns ...int64) [][]tables.Value {
	vals := make([]tables.Value, len(ns))
	for i, n := range ns {
		vals[i] = L(n)
	}
	return col(vals...)
}

func TestAggregatesOverEmptyInput(t *testing.T) {
	// summarize-operator.md#5 and #6: defaults over no rows.
	want := map[string]tables.Value{
		"count": L(0), "dcount": L(0), "sum": L(0), "variance": R(0), "stdev": R(0),
		"max": N(tables.Long), "min": N(tables.Long), "take_any": N(tables.Long),
		"count_distinct": L(0), "arg_max": N(tables.Long),
	}
	for name, w := range want {
		f, _ := Lookup(name)
		newState, err := f.NewAgg(&Call{Types: []tables.Type{tables.Long}})
		assert.NoError(t, err)
		assert.Equal(t, w, newState().Result(), name)
	}
	for _, name := range []string{"make_list", "make_set", "make_bag", "make_list_with_nulls"} {
		f, _ := Lookup(name)
		newState, _ := f.NewAgg(&Call{Types: []tables.Type{tables.Dynamic}})
		assertJSON(t, "[]", newState().Result(), name)
	}
	avg := emptyResult(t, "avg", tables.Long)
	assert.True(t, math.IsNaN(avg.Float()))
	assert.Equal(t, L(0), emptyResult(t, "countif", tables.Bool))
	assert.Equal(t, L(0), emptyResult(t, "sumif", tables.Long, tables.Bool))
	assert.Equal(t, N(tables.Long), emptyResult(t, "percentile", tables.Long, tables.Long))
}

// emptyResult is an aggregate's value over no rows.
func emptyResult(t *testing.T, name string, types ...tables.Type) tables.Value {
	f, _ := Lookup(name)
	consts := make([]*tables.Value, len(types))
	if name == "percentile" {
		consts[1] = ptr(L(50))
	}
	newState, err := f.NewAgg(&Call{Types: types, Consts: consts})
	assert.NoError(t, err)
	return newState().Result()
}

func TestAggregates(t *testing.T) {
	nullR := N(tables.Real)
	y := col(nullR, R(5), R(5), R(5)) // summarize-operator.md#8
	assert.Equal(t, R(15), aggregate(t, "sum", y))
	assert.Equal(t, R(5), aggregate(t, "avg", y))
	assert.Equal(t, L(2), aggregate(t, "count", col(nullR, R(5)))) // count(y) counts rows
	assert.Equal(t, L(6), aggregate(t, "sum", longs(1, 2, 3)))
	assert.Equal(t, L(3), aggregate(t, "dcount", longs(1, 2, 2, 3, 1)))
	assert.Equal(t, L(2), aggregate(t, "dcount", col(S("a"), S("b"), S("a"))))
	assert.Equal(t, L(1), aggregate(t, "count_distinct", col(N(tables.Long), L(4))))
	assert.Equal(t, L(3), aggregate(t, "max", longs(1, 3, 2)))
	assert.Equal(t, L(1), aggregate(t, "min", longs(2, 1, 3)))
	assert.Equal(t, S("b"), aggregate(t, "max", col(S("a"), S("b"))))
	assert.Equal(t, DT(t, "2020-01-02"), aggregate(t, "max", col(DT(t, "2020-01-01"), DT(t, "2020-01-02"))))
	assert.Equal(t, TS(t, "3h"), aggregate(t, "sum", col(TS(t, "1h"), TS(t, "2h"))))
	assert.Equal(t, L(5), aggregate(t, "take_any", col(N(tables.Long), L(5), L(6))))
	assert.Equal(t, S("x"), aggregate(t, "take_any", col(S(""), S("x"))))
	assert.Equal(t, L(3), aggregate(t, "percentile", longs(1, 2, 3, 4, 5), nil, ptr(L(50))))
	assert.Equal(t, L(5), aggregate(t, "percentile", longs(5, 1, 4), nil, ptr(L(100))))
	assert.Equal(t, L(1), aggregate(t, "percentile", longs(5, 1, 4), nil, ptr(L(0))))
	assert.Error(t, compileErr("percentile", L(1), L(101)))

	assert.InDelta(t, 1.58113883008419, aggregate(t, "stdev", longs(1, 2, 3, 4, 5)).Float(), 1e-12)
	assert.InDelta(t, 2.5, aggregate(t, "variance", longs(1, 2, 3, 4, 5)).Float(), 1e-12)
	assert.InDelta(t, 1.4142135623731, aggregate(t, "stdevp", longs(1, 2, 3, 4, 5)).Float(), 1e-12)
	assert.InDelta(t, 2.0, aggregate(t, "variancep", longs(1, 2, 3, 4, 5)).Float(), 1e-12)
	assert.Equal(t, R(0), aggregate(t, "variance", longs(7)))

	var evens, all [][]tables.Value
	for x := int64(1); x <= 100; x++ {
		evens = append(evens, []tables.Value{L(x), B(x%2 == 0)})
		all = append(all, []tables.Value{L(x)})
	}
	assert.InDelta(t, 29.1547594742265, aggregate(t, "stdevif", evens).Float(), 1e-10)
	assert.InDelta(t, 850, aggregate(t, "varianceif", evens).Float(), 1e-9)
	// The docs case variancepif-aggregation-function.md#1 shows 850, the
	// sample variance; the population variance of 2, 4, ..., 100 is 833.
	assert.InDelta(t, 833, aggregate(t, "variancepif", evens).Float(), 1e-9)
	assert.Equal(t, L(2550), aggregate(t, "sumif", evens))
	assert.Equal(t, R(51), aggregate(t, "avgif", evens))
	assert.Equal(t, L(1), aggregate(t, "countif", [][]tables.Value{{B(true)}, {N(tables.Bool)}, {B(false)}}))
	assert.Equal(t, L(100), aggregate(t, "maxif", evens))
	assert.Equal(t, L(2), aggregate(t, "minif", evens))
	assert.Equal(t, L(50), aggregate(t, "dcountif", evens))
	assert.Equal(t, L(100), aggregate(t, "arg_max", all))
}

func ptr(v tables.Value) *tables.Value { return &v }

func TestListAggregates(t *testing.T) {
	names := col(S("John"), S("Paul"), S("George"), S("Ringo"))
	assertJSON(t, `["John","Paul","George","Ringo"]`, aggregate(t, "make_list", names))
	var cond [][]tables.Value
	for _, r := range names {
		cond = append(cond, []tables.Value{r[0], B(len(r[0].Str()) > 4)})
	}
	assertJSON(t, `["George","Ringo"]`, aggregate(t, "make_list_if", cond))
	assertJSON(t, `["George","Ringo"]`, aggregate(t, "make_set_if", cond))
	assertJSON(t, `[null,4,4,5]`, aggregate(t, "make_list_with_nulls", col(N(tables.Int), I(4), I(4), I(5))))
	assertJSON(t, `[4,5]`, aggregate(t, "make_set", col(N(tables.Int), I(4), I(4), I(5))))
	assertJSON(t, `[4,4,5]`, aggregate(t, "makelist", col(N(tables.Int), I(4), I(4), I(5))))
	// make_set flattens array inputs (make-set-aggregation-function.md#2)
	arrs := col(D(`["A1","A2","A3"]`), D(`["A2","C1"]`), D(`["C2","A3"]`), D(`["C2","A1"]`))
	assertJSON(t, `["A1","A2","A3","C1","C2"]`, aggregate(t, "make_set", arrs))
	assertJSON(t, `[1,2]`, aggregate(t, "make_list", longs(1, 2, 3), nil, ptr(L(2))))
	assertJSON(t, `[{"a":1},[2]]`, aggregate(t, "make_list", col(D(`{"a":1}`), D(`[2]`))))

	bags := col(D(`{"prop01":"val_a"}`), D(`{"prop02":"val_b"}`), D(`{"prop03":"val_c"}`), D(`"x"`))
	assertJSON(t, `{"prop01":"val_a","prop02":"val_b","prop03":"val_c"}`, aggregate(t, "make_bag", bags))
	bagsIf := [][]tables.Value{{bags[0][0], B(true)}, {bags[1][0], B(false)}, {bags[2][0], B(true)}}
	assertJSON(t, `{"prop01":"val_a","prop03":"val_c"}`, aggregate(t, "make_bag_if", bagsIf))
	assert.Error(t, compileErr("make_list", L(1), L(0)))
}

func TestBinaryAllAggregates(t *testing.T) {
	assert.Equal(t, S("CAFEF00D"), call(t, "toupper", call(t, "tohex",
		aggregate(t, "binary_all_and", longs(0xFFFFFFFF, 0xFFFFF00F, 0xCFFFFFFD, 0xFAFEFFFF)))))
	assert.Equal(t, S("CAFEF00D"), call(t, "toupper", call(t, "tohex",
		aggregate(t, "binary_all_or", longs(0x88888008, 0x42000000, 0x00767000, 0x00000005)))))
	assert.Equal(t, S("CAFEF00D"), call(t, "toupper", call(t, "tohex",
		aggregate(t, "binary_all_xor", longs(0x44404440, 0x1E1E1E1E, 0x90ABBA09, 0x000B105A)))))
}
