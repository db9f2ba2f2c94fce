package engine

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// Query is a bound query, ready to run.
type Query struct {
	root plan
	// span of the statement that produced the result, for internal errors
	span parser.Span
	// limits are the options' limits, handed to every run.
	limits Options
}

// plan is one bound tabular operator. Its schema is known at bind time;
// run pulls its input and produces a table.
type plan interface {
	schema() tables.Schema
	run(rc *runCtx) (*tables.Table, error)
}

// runCtx carries what every operator needs while a query runs.
type runCtx struct {
	ctx context.Context
	// at is the span of the operator being run, for internal errors.
	at parser.Span
	// limits holds the row limits of Options.
	limits Options
}

// check returns the context's error, if it was cancelled.
func (rc *runCtx) check() error {
	if err := rc.ctx.Err(); err != nil {
		if cause := context.Cause(rc.ctx); cause != nil && cause != err {
			return &parser.Error{Phase: parser.PhaseRuntime, Span: rc.at, Msg: cause.Error()}
		}
		return &parser.Error{Phase: parser.PhaseRuntime, Span: rc.at, Msg: "query cancelled: " + err.Error()}
	}
	return nil
}

// Schema returns the columns of the query's result.
func (q *Query) Schema() tables.Schema { return q.root.schema() }

// Run executes the query. An internal failure (a bug in kql) comes back as
// a *parser.Error of phase PhaseInternal pointing at the operator that was
// running, never as a panic.
func (q *Query) Run(ctx context.Context) (res *tables.Table, err error) {
	rc := &runCtx{ctx: ctx, at: q.span, limits: q.limits}
	defer func() {
		if r := recover(); r != nil {
			err = &InternalError{Err: parser.Errorf(parser.PhaseInternal, rc.at,
				"internal error: %v", r), Stack: debug.Stack()}
		}
	}()
	return q.root.run(rc)
}

// InternalError is a recovered panic: a bug in kql. Err points at the
// operator that was running; Stack is for --debug.
type InternalError struct {
	Err   *parser.Error
	Stack []byte
}

// Error returns the message.
func (e *InternalError) Error() string { return e.Err.Msg }

// Unwrap gives the positioned error.
func (e *InternalError) Unwrap() error { return e.Err }

// Bind resolves a script against a catalog. The error, when there is one, is
// a parser.ErrorList naming every unresolved name and type problem found.
func Bind(script *parser.Script, cat *Catalog, opts Options) (q *Query, err error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	b := &binder{cat: cat, env: &functions.Env{Now: tables.TicksFromTime(now), GeoIP: opts.GeoIP}, aggRefs: map[*parser.CallExpr]int{}}
	b.scope = b.storedScope() // the catalog's stored functions (workspace.go)
	b.opts = opts
	defer func() {
		if r := recover(); r != nil {
			q, err = nil, parser.ErrorList{parser.Errorf(parser.PhaseInternal, script.Span,
				"internal error while binding: %v", r)}
		}
	}()
	q = b.script(script)
	if q != nil {
		q.limits = opts
	}
	if len(b.errs) > 0 {
		return nil, b.errs
	}
	if q == nil {
		return nil, parser.ErrorList{parser.Errorf(parser.PhaseName, script.Span,
			"the query has no tabular statement to run")}
	}
	return q, nil
}

// errorf records a bind error.
func (b *binder) errorf(phase parser.Phase, n parser.Node, format string, args ...any) {
	if len(b.errs) >= 20 {
		return
	}
	b.errs = append(b.errs, &parser.Error{Phase: phase, Span: n.Pos(), Msg: fmt.Sprintf(format, args...)})
}
