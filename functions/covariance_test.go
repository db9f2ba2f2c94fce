package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestCovariance(t *testing.T) {
	var rows [][]tables.Value
	for i, y := range []float64{14, 10, 17, 20, 50} {
		rows = append(rows, []tables.Value{R(float64(i + 1)), R(y)})
	}
	rows = append(rows, []tables.Value{N(tables.Real), R(1000)}) // skipped
	assert.InEpsilon(t, 20.5, aggregate(t, "covariance", rows).Float(), 1e-12)
	assert.InEpsilon(t, 16.4, aggregate(t, "covariancep", rows).Float(), 1e-12)
	assert.Equal(t, R(0), aggregate(t, "covariance", rows[:1]))
	assert.Equal(t, R(0), aggregate(t, "covariancep", nil))

	var ifRows [][]tables.Value
	for x := int64(1); x <= 100; x++ {
		y := x * 3
		if x%2 == 0 {
			y = x * 2
		}
		ifRows = append(ifRows, []tables.Value{L(x), L(y), B(x%3 == 0)})
	}
	assert.InEpsilon(t, 2142.0, aggregate(t, "covarianceif", ifRows).Float(), 1e-12)
	assert.InEpsilon(t, 2077.09090909091, aggregate(t, "covariancepif", ifRows).Float(), 1e-12)
	f, _ := Lookup("covariance")
	assert.Equal(t, 2, f.NameArgs)
}
