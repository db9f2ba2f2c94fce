package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/tables"
)

func TestParseSize(t *testing.T) {
	total := uint64(16 << 30)
	for in, want := range map[string]uint64{
		"0": 0, "1024": 1024, "512MiB": 512 << 20, "2GiB": 2 << 30, "2gib": 2 << 30, "1.5GiB": 3 << 29,
		"500MB": 500e6, "3GB": 3e9, "64M": 64 << 20, "1G": 1 << 30, "10KB": 10e3, "75%": 12 << 30, "50 %": 8 << 30,
	} {
		got, err := parseSize(in, total)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "lots", "12XB", "-1GB", "0%", "101%", "GB"} {
		_, err := parseSize(in, total)
		assert.Error(t, err, in)
	}
	_, err := parseSize("50%", 0)
	assert.ErrorContains(t, err, "unknown")
}

func TestMemTotal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meminfo")
	require.NoError(t, os.WriteFile(path, []byte("MemFree:   100 kB\nMemTotal:       24683792 kB\n"), 0o644))
	assert.Equal(t, uint64(24683792*1024), memTotal(path))
	assert.Equal(t, uint64(0), memTotal(filepath.Join(t.TempDir(), "none")))

	// The default limit is 75% of it; without it there is no default.
	f := limitFlags{maxOperRows: 10, memTotalFile: path}
	lim, err := f.resolve(&engine.Options{})
	require.NoError(t, err)
	assert.Equal(t, uint64(24683792*1024)*3/4, lim.maxMemory)
	f.memTotalFile = filepath.Join(t.TempDir(), "none")
	lim, err = f.resolve(&engine.Options{})
	require.NoError(t, err)
	assert.Equal(t, uint64(0), lim.maxMemory)
	f.maxMemory = "0"
	f.memTotalFile = path
	lim, err = f.resolve(&engine.Options{})
	require.NoError(t, err)
	assert.Equal(t, uint64(0), lim.maxMemory, "--max-memory 0 turns the watchdog off")
}

// TestResolvePutsRowLimitInOptions checks that --max-operator-rows
// reaches the engine.
func TestResolvePutsRowLimitInOptions(t *testing.T) {
	var opts engine.Options
	f := limitFlags{maxOperRows: 1234, maxMemory: "1GiB"}
	lim, err := f.resolve(&opts)
	require.NoError(t, err)
	assert.Equal(t, int64(1234), opts.MaxOperatorRows)
	assert.Equal(t, uint64(1<<30), lim.maxMemory)
}

// TestTimeoutStopsStuckQuery checks that --timeout answers even when the
// query never looks at its context (a bug in some loop): kql reports the
// timeout instead of hanging.
func TestTimeoutStopsStuckQuery(t *testing.T) {
	t.Cleanup(func() { debug.SetMemoryLimit(math.MaxInt64) })
	saved := queryRunner
	release := make(chan struct{})
	t.Cleanup(func() { queryRunner = saved; close(release) })
	queryRunner = func(context.Context, *querySource, *engine.Catalog, engine.Options) (*tables.Table, error) {
		<-release // ignores its context, as a buggy loop would
		return nil, nil
	}
	start := time.Now()
	r := runCLI(t, "", "run", "--timeout", "100ms", "-q", "print 1")
	took := time.Since(start)
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "kql: query timed out after 100ms (raise the limit with --timeout)\n", r.stderr)
	assert.Less(t, took, stopGrace+2*time.Second)
	assert.GreaterOrEqual(t, took, stopGrace)
}

// TestTimeoutNotReachedIsSilent checks that a generous --timeout changes
// nothing for a quick query.
func TestTimeoutNotReachedIsSilent(t *testing.T) {
	t.Cleanup(func() { debug.SetMemoryLimit(math.MaxInt64) })
	r := runCLI(t, "", "run", "--timeout", "1m", "--max-memory", "4GiB", "-f", "csv", "-q", "range x from 1 to 3 step 1")
	assert.Equal(t, cliResult{stdout: "x\n1\n2\n3\n"}, r)
}

// TestMaxRowsMultiQuery checks that the truncation notice names the file
// when several queries run, and that results under the limit are left
// alone.
func TestMaxRowsMultiQuery(t *testing.T) {
	t.Cleanup(func() { debug.SetMemoryLimit(math.MaxInt64) })
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.kql"), []byte("range x from 1 to 10 step 1"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.kql"), []byte("print y = 1"), 0o644))
	r := runCLI(t, "", "run", "--max-rows", "3", "-f", "jsonl", dir)
	require.Equal(t, 0, r.code)
	assert.Equal(t, "kql: the result of "+filepath.Join(dir, "a.kql")+" has 10 rows; printed the first 3 (--max-rows)\n", r.stderr)
	assert.Contains(t, r.stdout, `"x":3`)
	assert.NotContains(t, r.stdout, `"x":4`)
	assert.Contains(t, r.stdout, `"y":1`)
}

// TestREPLTimeout checks that the REPL honours --timeout: the query stops
// with the timeout's message and the session goes on.
func TestREPLTimeout(t *testing.T) {
	s := testSession(t)
	out := s.a.stdout.(*bytes.Buffer)
	s.a.limits = &runLimits{timeout: 200 * time.Millisecond}
	s.dotCommand(".timing off")
	start := time.Now()
	s.submit("range x from 1 to 100000000 step 1 | summarize count() by x % 7")
	assert.Less(t, time.Since(start), stopGrace+time.Second)
	assert.Contains(t, out.String(), "query timed out after 200ms (raise the limit with --timeout)")
	out.Reset()
	s.submit("print y = 1")
	assert.Equal(t, "y\n-\n1\n(1 row)\n", out.String())
}
