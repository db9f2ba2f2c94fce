package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestBitsetAndGamma(t *testing.T) {
	assert.Equal(t, L(3), call(t, "bitset_count_ones", L(42)))
	assert.Equal(t, L(64), call(t, "bitset_count_ones", L(-1)))
	assert.Equal(t, N(tables.Long), call(t, "bitset_count_ones", N(tables.Long)))
	assert.Equal(t, R(24), call(t, "gamma", R(5)))
	assert.InEpsilon(t, 1.772453850905516, call(t, "gamma", R(0.5)).Float(), 1e-12)
	assert.Equal(t, N(tables.Real), call(t, "gamma", R(-2)))
	assert.InEpsilon(t, 3.178053830347945, call(t, "loggamma", R(5)).Float(), 1e-12)
	assert.Equal(t, N(tables.Real), call(t, "loggamma", R(0)))

	f, ok := Lookup("make_dictionary")
	assert.True(t, ok)
	assert.Equal(t, "make_bag", f.Name)
	f, ok = Lookup("datepart")
	assert.True(t, ok)
	assert.Equal(t, "datetime_part", f.Name)
}

func TestAroundAndAssert(t *testing.T) {
	assert.Equal(t, B(true), call(t, "around", L(9), L(10), L(1)))
	assert.Equal(t, B(false), call(t, "around", R(8.9), L(10), L(1)))
	center := DT(t, "2021-01-01 01:30")
	assert.Equal(t, B(true), call(t, "around", DT(t, "2021-01-01 01:31"), center, TS(t, "1m")))
	assert.Equal(t, B(false), call(t, "around", DT(t, "2021-01-01 01:32"), center, TS(t, "1m")))
	assert.Equal(t, N(tables.Bool), call(t, "around", N(tables.Long), L(1), L(1)))

	assert.Equal(t, B(true), call(t, "assert", B(true), S("never")))
	assert.EqualError(t, compileErr("assert", B(false), S("Length must be greater than zero")),
		"assertion failed: Length must be greater than zero")
	f, _ := Lookup("assert")
	_, err := f.Compile(&Call{Env: &Env{}, Types: []tables.Type{tables.Bool, tables.String}, Consts: []*tables.Value{nil, nil}})
	assert.Error(t, err, "a row-dependent condition is refused")
}

func TestNewGUID(t *testing.T) {
	a, b := callOnce(t, "new_guid"), callOnce(t, "new_guid")
	assert.Equal(t, tables.GUID, a.Type())
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, a.Str())
	assert.NotEqual(t, a, b)
}

// callOnce runs a scalar function without arguments once (new_guid differs
// per call, so the two-path check of call does not apply).
func callOnce(t *testing.T, name string) tables.Value {
	f, ok := Lookup(name)
	assert.True(t, ok)
	impl, err := f.Compile(&Call{Env: &Env{}})
	assert.NoError(t, err)
	return impl(nil)
}
