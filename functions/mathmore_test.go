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
