package functions

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/tables"
)

func TestMathFunctions(t *testing.T) {
	cases := []struct {
		name string
		args []tables.Value
		want tables.Value
	}{
		{"abs", []tables.Value{L(-5)}, L(5)},
		{"abs", []tables.Value{R(-2.5)}, R(2.5)},
		{"abs", []tables.Value{TS(t, "-1h")}, TS(t, "1h")},
		{"abs", []tables.Value{N(tables.Long)}, N(tables.Long)},
		{"round", []tables.Value{R(2.98765), L(3)}, R(2.988)},
		{"round", []tables.Value{R(2.15), L(1)}, R(2.2)},
		{"round", []tables.Value{R(2.15)}, R(2)},
		{"round", []tables.Value{R(-50.55), L(-2)}, R(-100)},
		{"round", []tables.Value{R(21.5), L(-1)}, R(20)},
		{"round", []tables.Value{R(2.5)}, R(3)},
		{"round", []tables.Value{L(7)}, L(7)},
		{"ceiling", []tables.Value{R(-1.1)}, R(-1)},
		{"ceiling", []tables.Value{L(0)}, L(0)},
		{"ceiling", []tables.Value{R(0.9)}, R(1)},
		{"sign", []tables.Value{L(-42)}, L(-1)},
		{"sign", []tables.Value{R(11.2)}, R(1)},
		{"pow", []tables.Value{L(2), L(3)}, R(8)},
		{"sqrt", []tables.Value{L(16)}, R(4)},
		{"sqrt", []tables.Value{L(-1)}, N(tables.Real)},
		{"log", []tables.Value{L(5)}, R(1.6094379124341003)},
		{"log2", []tables.Value{L(5)}, R(2.321928094887362)},
		{"exp", []tables.Value{L(0)}, R(1)},
		{"cos", []tables.Value{L(1)}, R(0.5403023058681398)},
		{"isnan", []tables.Value{R(math.NaN())}, B(true)},
		{"isnan", []tables.Value{R(1)}, B(false)},
		{"isnan", []tables.Value{N(tables.Real)}, N(tables.Bool)},
		{"isfinite", []tables.Value{R(math.Inf(1))}, B(false)},
		{"isfinite", []tables.Value{L(1)}, B(true)},
		{"isinf", []tables.Value{R(math.Inf(-1))}, B(true)},
		{"binary_or", []tables.Value{L(5), L(3)}, L(7)},
		{"binary_and", []tables.Value{L(5), L(3)}, L(1)},
		{"binary_xor", []tables.Value{L(5), L(3)}, L(6)},
		{"abs", []tables.Value{D("-3")}, R(3)},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, call(t, c.name, c.args...), "%s%v", c.name, c.args)
	}
	// Go's log10 can differ from the documented value in the last digit.
	assert.InDelta(t, 0.6989700043360189, call(t, "log10", L(5)).Float(), 1e-15)
	assert.InDelta(t, 7.38905609893065, call(t, "exp", L(2)).Float(), 1e-12)
	assert.InDelta(t, math.Pi/4, call(t, "atan2", L(1), L(1)).Float(), 1e-12)
	assert.InDelta(t, 270.0, call(t, "degrees", R(math.Pi*1.5)).Float(), 1e-12)
	assert.InDelta(t, math.Pi, call(t, "pi").Float(), 0)
}

func TestRand(t *testing.T) {
	f, _ := Lookup("rand")
	impl, err := f.Compile(&Call{})
	require.NoError(t, err)
	for range 100 {
		r := impl(nil).Float()
		assert.True(t, r >= 0 && r < 1)
	}
}
