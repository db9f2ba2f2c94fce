package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// runWith parses, binds and runs src with opts under ctx.
func runWith(ctx context.Context, t *testing.T, src string, opts engine.Options) (*tables.Table, error) {
	t.Helper()
	script, err := parser.Parse(src)
	require.NoError(t, err)
	q, err := engine.Bind(script, engine.NewCatalog(), opts)
	require.NoError(t, err)
	return q.Run(ctx)
}

// TestOperatorRowLimit checks that range, mv-expand and join stop at the
// operator row limit with an error naming the operator, the limit and the
// flag, and that a query within the limit is untouched.
func TestOperatorRowLimit(t *testing.T) {
	opts := engine.Options{MaxOperatorRows: 1000}
	cases := []struct{ name, src, op string }{
		{"range", "range x from 1 to 1001 step 1", "range"},
		{"range real", "range x from 0.0 to 2000.0 step 1.0", "range"},
		{"mv-expand", "range x from 1 to 40 step 1 | mv-expand y = range(1, 40)", "mv-expand"},
		{"join", "range x from 1 to 40 step 1 | extend k = 1 | join kind=inner (range y from 1 to 40 step 1 | extend k = 1) on k", "join"},
		{"join, small inputs", "range x from 1 to 2 step 1 | extend k = 1 | join kind=inner (range y from 1 to 600 step 1 | extend k = 1) on k", "join"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := runWith(context.Background(), t, c.src, opts)
			require.Error(t, err)
			assert.Equal(t, c.op+" would produce more than 1000 rows (the operator row limit; raise it with --max-operator-rows)", err.Error()[len(errPrefix(err)):])
		})
	}
	ok := []string{
		"range x from 1 to 1000 step 1",
		"range x from 1 to 25 step 1 | mv-expand y = range(1, 40)",
		"range x from 1 to 25 step 1 | extend k = 1 | join kind=inner (range y from 1 to 40 step 1 | extend k = 1) on k",
		// innerunique keeps one left row per key: 1000 pairs, not 40000
		"range x from 1 to 40 step 1 | extend k = 1 | join (range y from 1 to 1000 step 1 | extend k = 1) on k",
	}
	for _, src := range ok {
		res, err := runWith(context.Background(), t, src, opts)
		require.NoError(t, err, src)
		assert.LessOrEqual(t, res.Rows(), 1000)
		assert.Greater(t, res.Rows(), 0)
	}
}

// errPrefix returns the "line:col: " a parser.Error puts before its message.
func errPrefix(err error) string {
	var pe *parser.Error
	if errors.As(err, &pe) {
		return err.Error()[:len(err.Error())-len(pe.Msg)]
	}
	return ""
}

// TestDefaultRangeLimit checks the default limit and that range counts its
// rows without overflow near the ends of long (it used to wrap and loop
// forever).
func TestDefaultRangeLimit(t *testing.T) {
	_, err := runWith(context.Background(), t, "range x from 1 to 1000000000000 step 1", engine.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "range would produce more than 100000000 rows")

	res, err := runWith(context.Background(), t, "range x from 9223372036854775800 to 9223372036854775807 step 5", engine.Options{})
	require.NoError(t, err)
	require.Equal(t, 2, res.Rows())
	assert.Equal(t, int64(9223372036854775805), res.Columns[0].Value(1).Int64())

	res, err = runWith(context.Background(), t, "range x from -9223372036854775807 to -9223372036854775800 step -3", engine.Options{})
	require.NoError(t, err)
	assert.Equal(t, 0, res.Rows())

	_, err = runWith(context.Background(), t, "range x from -9223372036854775807 to 9223372036854775807 step 1", engine.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "range would produce more than")
}

// TestTimeoutCause checks that a context cancelled with a cause reports the
// cause, so that --timeout and the memory watchdog say why a query stopped.
func TestTimeoutCause(t *testing.T) {
	ctx, cancel := context.WithTimeoutCause(context.Background(), time.Nanosecond, errors.New("query timed out after 1ns"))
	defer cancel()
	<-ctx.Done()
	_, err := runWith(ctx, t, "range x from 1 to 10 step 1 | where x > 1", engine.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "query timed out after 1ns")
}

// TestMemoryWatchdog checks that a query growing past the memory limit is
// cancelled with a MemoryLimitError well before it would finish.
func TestMemoryWatchdog(t *testing.T) {
	ctx, cancel := engine.WithMemoryLimit(context.Background(), 64<<20)
	defer cancel()
	start := time.Now()
	// About 3 GB of strings if it ran to the end.
	_, err := runWith(ctx, t, `range x from 1 to 50000000 step 1 | extend s = strcat("row number ", x, " of a long table")`+
		` | mv-expand y = range(1, 3)`, engine.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "memory limit exceeded")
	assert.Contains(t, err.Error(), "--max-memory")
	assert.Less(t, time.Since(start), 20*time.Second)
	var mle *engine.MemoryLimitError
	require.True(t, errors.As(context.Cause(ctx), &mle))
	assert.True(t, errors.Is(context.Cause(ctx), engine.ErrMemoryLimit))
	assert.Equal(t, uint64(64<<20), mle.Limit)
}

// TestMemoryWatchdogQuiet checks that a small query under the limit is not
// disturbed and that cancel stops the watchdog.
func TestMemoryWatchdogQuiet(t *testing.T) {
	ctx, cancel := engine.WithMemoryLimit(context.Background(), 8<<30)
	res, err := runWith(ctx, t, "range x from 1 to 1000 step 1 | summarize count()", engine.Options{})
	require.NoError(t, err)
	assert.Equal(t, int64(1000), res.Columns[0].Value(0).Int64())
	cancel()
	cancel() // a second call is harmless
	assert.ErrorIs(t, ctx.Err(), context.Canceled)
}

func TestFormatBytes(t *testing.T) {
	assert.Equal(t, "512B", engine.FormatBytes(512))
	assert.Equal(t, "1.5KiB", engine.FormatBytes(1536))
	assert.Equal(t, "2.0GiB", engine.FormatBytes(2<<30))
}
