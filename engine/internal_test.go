package engine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// A function that fails the way a bug in kql would: by panicking.
func init() {
	functions.Register(&functions.Func{
		Name: "test_panic", Kind: functions.Scalar,
		Params: []functions.Param{{Name: "x", Types: functions.AnyType}},
		Result: functions.Fixed(tables.Long),
		Compile: func(*functions.Call) (functions.Impl, error) {
			return func([]tables.Value) tables.Value { panic("deliberate failure") }, nil
		},
		Doc: "Panics; registered only by the engine's tests.",
	})
}

// TestInternalErrorIsRecovered checks that a panic while a query runs comes
// back as an InternalError naming the operator that was running, with the
// stack kept for --debug, and never reaches the caller as a panic.
func TestInternalErrorIsRecovered(t *testing.T) {
	src := "range x from 1 to 3 step 1\n| extend y = test_panic(x)"
	script, err := parser.Parse(src)
	require.NoError(t, err)
	q, err := engine.Bind(script, engine.NewCatalog(), engine.Options{})
	require.NoError(t, err)
	_, err = q.Run(context.Background())
	var ie *engine.InternalError
	require.True(t, errors.As(err, &ie), "got %v", err)
	assert.Contains(t, ie.Error(), "deliberate failure")
	line, col := parser.Position(src, ie.Err.Span.Start)
	assert.Equal(t, [2]int{2, 3}, [2]int{line, col}, "the error points at the extend operator")
	assert.Contains(t, string(ie.Stack), "engine")
}

// TestCancelledQueryStops checks that a cancelled context stops a query
// with an error instead of running it to the end.
func TestCancelledQueryStops(t *testing.T) {
	script, err := parser.Parse("range x from 1 to 50000000 step 1 | summarize count() by x % 7")
	require.NoError(t, err)
	q, err := engine.Bind(script, engine.NewCatalog(), engine.Options{})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = q.Run(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cancelled")
}
