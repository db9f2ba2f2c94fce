package engine_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
)

// TestNewOperatorErrors checks that misuse of invoke, evaluate, make-series
// and sample gives an error naming the problem, at bind or run time.
func TestNewOperatorErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"print x = 1 | make-series count() on x step 0", "the step of make-series must be positive"},
		{"range x from 1 to 10 step 1 | make-series count() on x from 0 to 100000000 step 1", "the limit is 1048576"},
		{"print x = 'a' | make-series count() on x step 1", "the axis of make-series must be"},
		{"print x = 1 | evaluate pivot()", "pivot() needs the column to pivot"},
		{"print x = 1 | evaluate bag_unpack(y)", "must be a column of the input"},
		{`print d = dynamic({"x": 1}), x = 2 | evaluate bag_unpack(d)`, "collides with the input column 'x'"},
		{"print d = dynamic({}) | evaluate bag_unpack(d, columnsConflict = 'merge')", "columnsConflict must be"},
		{"print x = 1 | evaluate narrow(1)", "narrow() takes no arguments"},
		{"print x = 1 | evaluate ipv4_lookup(Nope, x, y)", "unknown table 'Nope'"},
		{"print x = 1 | evaluate ipv4_lookup(print y = 1)", "needs the lookup table"},
		{"print x = 1 | evaluate autocluster()", "evaluate plugin 'autocluster' is not supported yet"},
		{"print x = 1 | invoke f()", "unknown function 'f' (invoke takes a function defined with let"},
		{"let f = (a:long) { print a }; print x = 1 | invoke f()", "first parameter of 'f' must be tabular"},
		{"let f = (T:(*)) { T }; print x = 1 | invoke f(1)", "too many arguments"},
		{"print x = 1 | sample -1", "sample needs a count of zero or more"},
		{"print x = 1 | top-nested 2 of x by arg_max(x, *)", "top-nested needs an aggregate with one result"},
		{"print x = 1 | search in (T) 'a'", "cannot name tables"},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			script, err := parser.Parse(c.src)
			require.NoError(t, err)
			_, err = engine.Run(context.Background(), script, engine.NewCatalog(), engine.Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error()+errorMessages(err), c.want)
		})
	}
}

func errorMessages(err error) string {
	var out string
	if list, ok := err.(parser.ErrorList); ok {
		for _, e := range list {
			out += "\n" + e.Msg
		}
	}
	return out
}

// TestDataShapedPlanRunsTwice checks that a query whose columns were
// learned while binding gives the same rows on a second run.
func TestDataShapedPlanRunsTwice(t *testing.T) {
	src := `datatable(k:string, d:dynamic) ["a", dynamic({"X": 1}), "b", dynamic({"Y": 2})]
| evaluate bag_unpack(d) | evaluate pivot(k, sum(X))`
	script, err := parser.Parse(src)
	require.NoError(t, err)
	q, err := engine.Bind(script, engine.NewCatalog(), engine.Options{})
	require.NoError(t, err)
	first, err := q.Run(context.Background())
	require.NoError(t, err)
	second, err := q.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"Y", "a", "b"}, first.Schema.Names())
	assert.Equal(t, first.Rows(), second.Rows())
	for r := 0; r < first.Rows(); r++ {
		assert.Equal(t, first.Row(r), second.Row(r))
	}
}
