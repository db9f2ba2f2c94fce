package engine_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/engine"
)

func TestPercentilesColumns(t *testing.T) {
	got := runText(`range x from 1 to 100 step 1 | extend g = x % 2
| summarize percentiles(x, 50, 99.5), (lo, hi) = percentiles(x, 10, 90) by g | order by g asc`, engine.NewCatalog())
	assert.Equal(t, "g:long | percentile_x_50:long | percentile_x_99_5:long | lo:long | hi:long\n"+
		"0 | 50 | 100 | 10 | 90\n1 | 49 | 99 | 9 | 89\n", got)
	assert.Equal(t, "percentile_x_50:long\nnull\n",
		runText(`datatable(x:long)[] | summarize percentiles(x, 50)`, engine.NewCatalog()))
	assert.Contains(t, runText(`print x=1 | summarize percentiles(x, 101)`, engine.NewCatalog()),
		"between 0 and 100")
	assert.Contains(t, runText(`print x=1 | summarize percentiles(x, x)`, engine.NewCatalog()),
		"must be a constant")
}
