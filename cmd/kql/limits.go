package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/tables"
)

// limitFlags are the flags that bound what one query may cost: wall time,
// memory, rows per operator and rows printed.
type limitFlags struct {
	timeout      time.Duration
	maxMemory    string
	maxRows      int
	maxOperRows  int64
	memTotalFile string // /proc/meminfo; tests point it elsewhere
}

// register adds the limit flags to a command's flag set; --max-rows only
// when the command prints whole results (run).
func (f *limitFlags) register(fl *pflag.FlagSet, withMaxRows bool) {
	fl.DurationVar(&f.timeout, "timeout", 0, "stop each query after `DURATION` (e.g. 30s, 5m; default: no limit)")
	fl.StringVar(&f.maxMemory, "max-memory", "",
		"stop a query whose memory passes `SIZE` (e.g. 2GiB, 500MB, 50%; default: 75% of the machine's memory; 0: no limit)")
	if withMaxRows {
		fl.IntVar(&f.maxRows, "max-rows", 0, "print at most `N` rows of each result, with a notice on stderr (default: all)")
	}
	fl.Int64Var(&f.maxOperRows, "max-operator-rows", engine.DefaultMaxOperatorRows,
		"let one range, mv-expand or join produce at most `N` rows")
	f.memTotalFile = "/proc/meminfo"
}

// runLimits are the checked limits of one run.
type runLimits struct {
	timeout   time.Duration
	maxMemory uint64 // bytes; 0: no watchdog
	maxRows   int
}

// resolve checks the flags, puts the row limit in opts and returns the
// limits the CLI enforces itself.
func (f *limitFlags) resolve(opts *engine.Options) (*runLimits, error) {
	if f.timeout < 0 {
		return nil, usagef("--timeout %s: want a positive duration such as 30s", f.timeout)
	}
	if f.maxRows < 0 {
		return nil, usagef("--max-rows %d: want a positive number of rows", f.maxRows)
	}
	if f.maxOperRows <= 0 {
		return nil, usagef("--max-operator-rows %d: want a positive number of rows", f.maxOperRows)
	}
	opts.MaxOperatorRows = f.maxOperRows
	lim := &runLimits{timeout: f.timeout, maxRows: f.maxRows}
	total := memTotal(f.memTotalFile)
	spec := f.maxMemory
	if spec == "" {
		if total == 0 {
			return lim, nil // no way to know the machine's memory: no default
		}
		spec = "75%"
	}
	n, err := parseSize(spec, total)
	if err != nil {
		return nil, usagef("--max-memory %q: %v", f.maxMemory, err)
	}
	lim.maxMemory = n
	return lim, nil
}

// apply starts the watchdog and tells the Go runtime the memory limit, so
// that it collects garbage harder before the watchdog has to stop a query.
func (l *runLimits) apply() {
	if l.maxMemory > 0 {
		debug.SetMemoryLimit(int64(min(l.maxMemory, 1<<62)))
	}
}

// queryContext bounds one query: the timeout, with a cause that names the
// flag, and the memory watchdog.
func (l *runLimits) queryContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if l == nil {
		return ctx, func() {}
	}
	cancelTimeout := func() {}
	if l.timeout > 0 {
		ctx, cancelTimeout = context.WithTimeoutCause(ctx, l.timeout,
			fmt.Errorf("query timed out after %s (raise the limit with --timeout)", l.timeout))
	}
	ctx, cancelWatch := engine.WithMemoryLimit(ctx, l.maxMemory)
	return ctx, func() {
		cancelWatch()
		cancelTimeout()
	}
}

// truncate cuts a result to --max-rows rows and says so on w: nothing is
// dropped without a notice.
func (l *runLimits) truncate(t *tables.Table, name string, w io.Writer) *tables.Table {
	if l == nil || l.maxRows == 0 || t.Rows() <= l.maxRows {
		return t
	}
	idx := make([]int, l.maxRows)
	for i := range idx {
		idx[i] = i
	}
	what := "the result"
	if name != "" && !strings.HasPrefix(name, "<") {
		what = "the result of " + name
	}
	fmt.Fprintf(w, "kql: %s has %d rows; printed the first %d (--max-rows)\n", what, t.Rows(), l.maxRows)
	return t.Take(idx)
}

// parseSize reads a memory size: a number of bytes with an optional unit
// (B, KB, MB, GB, TB powers of 1000; KiB, MiB, GiB, TiB and K, M, G, T
// powers of 1024), or a percentage of total. "0" turns the limit off.
func parseSize(s string, total uint64) (uint64, error) {
	s = strings.TrimSpace(s)
	if p, ok := strings.CutSuffix(s, "%"); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || f <= 0 || f > 100 {
			return 0, fmt.Errorf("want a percentage between 0 and 100")
		}
		if total == 0 {
			return 0, fmt.Errorf("the machine's memory size is unknown; give a size such as 4GiB")
		}
		return uint64(float64(total) * f / 100), nil
	}
	i := len(s)
	for i > 0 && (s[i-1] < '0' || s[i-1] > '9') && s[i-1] != '.' {
		i--
	}
	num, unit := s[:i], strings.ToUpper(strings.TrimSpace(s[i:]))
	mult, ok := sizeUnits[unit]
	if !ok {
		return 0, fmt.Errorf("unknown unit %q (use B, KB, MB, GB, KiB, MiB, GiB or a percentage)", s[i:])
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("want a size such as 2GiB or 500MB")
	}
	return uint64(f * float64(mult)), nil
}

var sizeUnits = map[string]uint64{
	"": 1, "B": 1,
	"KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
	"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40,
	"KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30, "TIB": 1 << 40,
}

// memTotal reads MemTotal from a /proc/meminfo-style file, in bytes; 0
// when it cannot (then the default memory limit is off).
func memTotal(path string) uint64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			return 0
		}
		kb, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}

// stopGrace is how long runBounded waits, once the query's context is
// done, for the engine to notice and return its own error (which points at
// the operator that was running).
const stopGrace = 2 * time.Second

// runBounded runs one query with runGuarded on its own goroutine and
// returns when it ends or, at the latest, stopGrace after its context is
// done: a loop that does not check the context (a bug) cannot keep kql
// from answering. The abandoned goroutine ends with the process.
func runBounded(ctx context.Context, src *querySource, cat *engine.Catalog, opts engine.Options) (*tables.Table, error) {
	type result struct {
		t   *tables.Table
		err error
	}
	done := make(chan result, 1)
	go func() {
		t, err := runGuarded(ctx, src, cat, opts)
		done <- result{t, err}
	}()
	select {
	case r := <-done:
		return r.t, r.err
	case <-ctx.Done():
	}
	select {
	case r := <-done:
		return r.t, r.err
	case <-time.After(stopGrace):
		return nil, context.Cause(ctx)
	}
}
