package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/kql-offline/kql/parser"
)

// DefaultMaxOperatorRows is the most rows range, mv-expand or join may
// produce when Options.MaxOperatorRows is zero. It is high enough for any
// real export and low enough that a typo (range to 1e12, a join on a
// constant key) fails in seconds rather than exhausting memory.
const DefaultMaxOperatorRows = 100_000_000

// tooManyRows is the error of an operator that would pass the row limit.
// The message names the limit and the flag that raises it, so that the
// user knows the query is not wrong, only larger than allowed.
func tooManyRows(at parser.Span, op string, limit int64) error {
	return parser.Errorf(parser.PhaseRuntime, at,
		"%s would produce more than %d rows (the operator row limit; raise it with --max-operator-rows)", op, limit)
}

// rowLimit returns the operator row limit of the running query.
func (rc *runCtx) rowLimit() int64 {
	if rc.limits.MaxOperatorRows > 0 {
		return rc.limits.MaxOperatorRows
	}
	return DefaultMaxOperatorRows
}

// ErrMemoryLimit is the cause of a query context cancelled by the memory
// watchdog (see WithMemoryLimit).
var ErrMemoryLimit = errors.New("memory limit exceeded")

// MemoryLimitError says how much memory was in use when the watchdog
// stopped the query, and what the limit was.
type MemoryLimitError struct {
	Used, Limit uint64
}

// Error names the limit and the flag that raises it.
func (e *MemoryLimitError) Error() string {
	return fmt.Sprintf("memory limit exceeded: the query used %s of the %s allowed (raise it with --max-memory)",
		FormatBytes(e.Used), FormatBytes(e.Limit))
}

// Is makes errors.Is(err, ErrMemoryLimit) true.
func (e *MemoryLimitError) Is(target error) bool { return target == ErrMemoryLimit }

// watchInterval is how often the watchdog reads the heap size.
const watchInterval = 100 * time.Millisecond

// WithMemoryLimit returns a context that is cancelled, with a
// *MemoryLimitError as its cause, when the Go heap grows past limit bytes.
// The operators check their context every few thousand rows, so a query
// that grows without bound stops with a clear error instead of meeting the
// kernel's OOM killer. The watchdog stops when the returned cancel function
// is called (any number of times). A zero limit watches nothing.
func WithMemoryLimit(parent context.Context, limit uint64) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	if limit == 0 {
		return ctx, func() { cancel(context.Canceled) }
	}
	done := make(chan struct{})
	go watchMemory(ctx, limit, cancel, done)
	var once sync.Once
	return ctx, func() {
		once.Do(func() { close(done) })
		cancel(context.Canceled)
	}
}

// watchMemory polls the heap until ctx ends or done is closed. Above the
// limit it collects garbage once and looks again, so that garbage waiting
// for collection does not count as use.
func watchMemory(ctx context.Context, limit uint64, cancel context.CancelCauseFunc, done <-chan struct{}) {
	tick := time.NewTicker(watchInterval)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if heapInUse() <= limit {
			continue
		}
		runtime.GC()
		if used := heapInUse(); used > limit {
			cancel(&MemoryLimitError{Used: used, Limit: limit})
			return
		}
	}
}

// heapMetric is the runtime/metrics sample the watchdog reads: the bytes
// of heap objects, live or not yet collected.
const heapMetric = "/memory/classes/heap/objects:bytes"

func heapInUse() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// FormatBytes writes a size the way --max-memory reads it (512MiB, 3.5GiB).
func FormatBytes(n uint64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	f := float64(n)
	i := 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%dB", n)
	}
	return fmt.Sprintf("%.1f%s", f, units[i])
}

// checkExpand is called before mv-expand adds n rows to the have it has
// produced: it enforces the row limit and checks the context each time
// the output passes a multiple of checkEvery rows, since one input row
// may expand to millions.
func checkExpand(rc *runCtx, have, n int) error {
	if int64(have+n) > rc.rowLimit() {
		return tooManyRows(rc.at, "mv-expand", rc.rowLimit())
	}
	if have/checkEvery != (have+n)/checkEvery {
		return rc.check()
	}
	return nil
}

// checkSize refuses a join whose output would pass the row limit before
// any of it is built: it counts the matching pairs from the key lists,
// which costs one map of the right side's keys.
func (p *joinPlan) checkSize(rc *runCtx, lkeys, rkeys []string) error {
	switch p.kind {
	case "leftsemi", "leftanti", "rightsemi", "rightanti":
		return nil // at most one side's rows
	}
	counts := make(map[string]int64, len(rkeys))
	for _, k := range rkeys {
		if k != "" {
			counts[k]++
		}
	}
	seen := map[string]bool{}
	// Only matched pairs are counted: the unmatched rows an outer join
	// adds are at most its inputs, which are already in memory.
	var total int64
	for _, k := range lkeys {
		if p.kind == "innerunique" {
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		total += counts[k]
		if total > rc.rowLimit() {
			return tooManyRows(rc.at, "join", rc.rowLimit())
		}
	}
	return nil
}

// rangeRows counts the rows of range from a to z step s (s is not zero)
// in unsigned arithmetic, so that bounds near the ends of long neither
// overflow the count nor make the loop wrap around forever.
func rangeRows(a, z, s int64) uint64 {
	switch {
	case s > 0 && z >= a:
		return (uint64(z)-uint64(a))/uint64(s) + 1
	case s < 0 && z <= a:
		return (uint64(a)-uint64(z))/(0-uint64(s)) + 1
	}
	return 0
}
