package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestBuildSchema(t *testing.T) {
	rows := col(
		D(`{"x":1,"y":3.5}`),
		D(`{"x":"somevalue","z":[1,2,3]}`),
		N(tables.Dynamic),
		D(`{"y":{"w":"zzz"},"t":["aa","bb"],"z":["foo"]}`),
	)
	got := aggregate(t, "buildschema", rows)
	assert.Equal(t, `{"x":["long","string"],"y":["double",{"w":"string"}],"z":{"`+"`indexer`"+`":["long","string"]},"t":{"`+"`indexer`"+`":"string"}}`, got.Str())
	assert.Equal(t, `"bool"`, aggregate(t, "buildschema", col(D("true"), D("false"))).Str())
	assert.Equal(t, N(tables.Dynamic), aggregate(t, "buildschema", col(N(tables.Dynamic))))
	assert.Equal(t, N(tables.Dynamic), aggregate(t, "buildschema", nil))
}
