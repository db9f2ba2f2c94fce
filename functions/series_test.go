package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestSeriesArithmetic(t *testing.T) {
	x, y := D("[1,2,3]"), D("[4,5,6,7]")
	assertJSON(t, "[5,7,9,null]", call(t, "series_add", x, y))
	assertJSON(t, "[-3,-3,-3,null]", call(t, "series_subtract", x, y))
	assertJSON(t, "[2,4,6]", call(t, "series_multiply", x, L(2)))
	assertJSON(t, "[0.5,1,1.5]", call(t, "series_divide", x, R(2)))
	assertJSON(t, "[1,4,9]", call(t, "series_pow", x, L(2)))
	assertJSON(t, `[null,3]`, call(t, "series_add", D(`["a",1]`), L(2)))
	assertJSON(t, "null", call(t, "series_add", L(1), L(2)))
	assertJSON(t, `["Infinity"]`, call(t, "series_divide", D("[1]"), L(0)))

	assertJSON(t, "[false,true,true]", call(t, "series_greater_equals", x, L(2)))
	assertJSON(t, "[true,false,false,null]", call(t, "series_less", D("[1,5,6]"), D("[2,5,1,9]")))
	assertJSON(t, "[false,true,false]", call(t, "series_equals", x, L(2)))
	assertJSON(t, "[1,2,null]", call(t, "series_abs", D(`[-1,2,"x"]`)))
	assertJSON(t, "[-1,0,1]", call(t, "series_sign", D(`[-4,0,3]`)))
	assertJSON(t, "null", call(t, "series_abs", L(1)))
}

func TestSeriesAggregates(t *testing.T) {
	assert.Equal(t, R(6), call(t, "series_sum", D("[1,2,3]")))
	assert.Equal(t, N(tables.Real), call(t, "series_sum", D("[1,null]")))
	assert.Equal(t, R(5), call(t, "series_magnitude", D("[3,4]")))
	assert.Equal(t, R(32), call(t, "series_dot_product", D("[1,2,3]"), D("[4,5,6]")))
	assert.Equal(t, R(12), call(t, "series_dot_product", D("[1,2,3]"), L(2)))

	stats := call(t, "series_stats_dynamic", D("[23,46,23,87,4,8,3,75,2,56,13,75,32,16,29]"))
	assert.InEpsilon(t, 812.45714285714291, mustF(stats.Member("variance")), 1e-12)
	assert.Equal(t, "8", stats.Member("min_idx").Str())
	assert.Equal(t, "3", stats.Member("max_idx").Str())
	assert.Equal(t, "32.8", stats.Member("avg").Str())
	assert.Equal(t, "15", stats.Member("len").Str())
	assert.InEpsilon(t, 28.503633853548269, mustF(stats.Member("stdev")), 1e-12)
	assertJSON(t, "null", call(t, "series_stats_dynamic", D("[1,null,3]")))
	withNull := call(t, "series_stats_dynamic", D("[1,null,3]"), B(true))
	assert.Equal(t, "2", withNull.Member("max_idx").Str())
	assert.Equal(t, "3", withNull.Member("len").Str())
}

func mustF(v tables.Value) float64 {
	f, _ := v.AsFloat()
	return f
}

func TestSeriesFill(t *testing.T) {
	s := D("[null,1,null,null,4,null]")
	assertJSON(t, "[0,1,0,0,4,0]", call(t, "series_fill_const", s, L(0)))
	assertJSON(t, "[null,1,1,1,4,4]", call(t, "series_fill_forward", s))
	assertJSON(t, "[1,1,4,4,4,null]", call(t, "series_fill_backward", s))
	assertJSON(t, "[1,1,9,1]", call(t, "series_fill_const", D("[1,-1,9,-1]"), L(1), L(-1)))
	assertJSON(t, "[5,5,9,9]", call(t, "series_fill_forward", D("[5,-1,9,-1]"), L(-1)))
	assertJSON(t, "null", call(t, "series_fill_forward", L(1)))
}

func TestPercentilesArray(t *testing.T) {
	rows := col(L(5), L(1), N(tables.Long), L(4), L(2), L(3))
	p50, p100 := R(50), R(100)
	assertJSON(t, "[3,5]", aggregate(t, "percentiles_array", rows, nil, &p50, &p100))
	arr := D("[20,80]")
	assertJSON(t, "[1,4]", aggregate(t, "percentiles_array", rows, nil, &arr))
	assertJSON(t, "null", aggregate(t, "percentiles_array", nil, nil, &arr))
	bad := R(120)
	f, _ := Lookup("percentiles")
	_, err := f.NewAgg(&Call{Types: []tables.Type{tables.Long, tables.Real}, Consts: []*tables.Value{nil, &bad}})
	assert.Error(t, err)
}

// TestSeriesPearsonCorrelation checks the documented example (a perfect
// correlation), an inverse one, and the documented nulls.
func TestSeriesPearsonCorrelation(t *testing.T) {
	assert.Equal(t, R(1), call(t, "series_pearson_correlation", D("[1,2,3,4,5]"), D("[2,4,6,8,10]")))
	assert.Equal(t, R(-1), call(t, "series_pearson_correlation", D("[1,2,3]"), D("[3,2,1]")))
	r := call(t, "series_pearson_correlation", D("[1,2,3,4]"), D("[1,3,2,4]"))
	assert.InDelta(t, 0.8, r.Float(), 1e-12)
	for _, b := range []string{"[1,2]", `[1,"x",3]`, "[1,null,3]"} {
		assert.Equal(t, N(tables.Real), call(t, "series_pearson_correlation", D("[1,2,3]"), D(b)), b)
	}
}
