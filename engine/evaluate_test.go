package engine_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
)

// TestCheckAcceptsColumnsOfDataShapedPlugins checks that Check, which has
// no rows, does not call the columns bag_unpack and pivot would make
// unknown, while it still reports unknown columns before them.
func TestCheckAcceptsColumnsOfDataShapedPlugins(t *testing.T) {
	src := "Events | evaluate bag_unpack(Props) | where X == 1 | project X, Y\n" +
		";\nlet P = Events | evaluate pivot(State);\nP | where WA > 1\n" +
		";\nEvents | where Nope == 1 | evaluate bag_unpack(Props)\n" +
		";\nEvents | evaluate bag_unpack(Props) : (X:long) | where Y == 1"
	assert.Equal(t, []string{
		"6:16 name: unknown column or variable 'Nope'",
		"8:56 name: unknown column or variable 'Y' (did you mean 'X'?)",
	}, checkLines(t, src))
}

// TestBagUnpackBindsFromData checks that binding learns bag_unpack's
// columns from the data, so that later operators can use them.
func TestBagUnpackBindsFromData(t *testing.T) {
	src := `datatable(d:dynamic) [dynamic({"X": 1}), dynamic({"X": 2, "Y": "b"})]
| evaluate bag_unpack(d) | where X == 2 | project Y`
	script, err := parser.Parse(src)
	require.NoError(t, err)
	q, err := engine.Bind(script, engine.NewCatalog(), engine.Options{})
	require.NoError(t, err)
	res, err := q.Run(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, res.Rows())
	assert.Equal(t, "b", res.Row(0)[0].String())
}
