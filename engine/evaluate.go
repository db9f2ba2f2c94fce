package engine

import (
	"context"
	"strings"
	"sync"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// supportedPlugins names the evaluate plugins the binder runs; Check's
// walker reports any other as unsupported.
var supportedPlugins = map[string]bool{
	"bag_unpack": true, "pivot": true, "narrow": true, "ipv4_lookup": true,
	"sliding_window_counts": true,
}

// openSchemaPlugins are the plugins whose output columns depend on the
// data when no output schema is declared. Binding runs their input once to
// learn the columns (see bagunpack.go); Check, which has no data, does not
// report unknown columns after them.
var openSchemaPlugins = map[string]bool{"bag_unpack": true, "pivot": true}

// evaluate binds `evaluate plugin(args)`.
func (b *binder) evaluate(in plan, op *parser.EvaluateOp) plan {
	if op.Plugin == nil || op.Plugin.Fun == nil {
		b.errorf(parser.PhaseSyntax, op, "evaluate needs a plugin call")
		return emptyPlan{}
	}
	switch op.Plugin.Fun.Name {
	case "bag_unpack":
		return b.bagUnpack(in, op)
	case "pivot":
		return b.pivot(in, op)
	case "narrow":
		return b.narrow(in, op)
	case "ipv4_lookup":
		return b.ipv4Lookup(in, op)
	case "sliding_window_counts":
		return b.slidingWindowCounts(in, op)
	}
	b.errorf(parser.PhaseUnsupported, op, "evaluate plugin '%s' is not supported yet", op.Plugin.Fun.Name)
	return emptyPlan{}
}

// pluginArgs splits a plugin call's arguments into positional ones and
// name=value ones (names lowercased).
func pluginArgs(c *parser.CallExpr) (pos []parser.Expr, named map[string]parser.Expr) {
	named = map[string]parser.Expr{}
	for _, a := range c.Args {
		if n, ok := a.(*parser.NamedExpr); ok && len(n.Names) == 1 {
			named[strings.ToLower(n.Names[0].Name)] = n.Value
			continue
		}
		pos = append(pos, a)
	}
	return pos, named
}

// constArg binds a plugin argument that must be a constant, reporting it
// when it is not. It returns nil for a missing argument.
func (b *binder) constArg(plugin string, e parser.Expr) *tables.Value {
	if e == nil {
		return nil
	}
	x := b.scalar(e, nil)
	if x.konst == nil {
		if x.build != nil {
			b.errorf(parser.PhaseType, e, "%s: this argument must be a constant", plugin)
		}
		return nil
	}
	return x.konst
}

// runAtBind runs a plan while binding, for the operators whose output
// columns depend on the data, and returns a plan that hands the query's
// first run these rows instead of computing them again. The early run has
// the query's Options (row limits, externaldata) but not the run's
// context, so it cannot be cancelled. An input that
// only exists at run time (the rows of one mv-apply row) gives a nil
// table: its columns cannot be learned, and the caller binds without them.
func (b *binder) runAtBind(at parser.Node, p plan) (plan, *tables.Table, bool) {
	t, err := tryRun(at, p, b.opts)
	if err != nil {
		b.errorf(parser.PhaseRuntime, at, "%s", errMsg(err))
		return p, nil, false
	}
	if t == nil {
		return p, nil, true
	}
	return &bindOnce{plan: p, res: t}, t, true
}

// tryRun runs p, turning a failure of an input that cannot run yet into a
// nil table.
func tryRun(at parser.Node, p plan, opts Options) (t *tables.Table, err error) {
	defer func() {
		if recover() != nil {
			t, err = nil, nil
		}
	}()
	return p.run(&runCtx{ctx: context.Background(), at: at.Pos(), limits: opts})
}

// bindOnce is a plan whose rows were computed while binding: its first run
// returns them; later runs (a second Run of the query, or an mv-apply
// subquery's next row) compute afresh.
type bindOnce struct {
	plan
	mu  sync.Mutex
	res *tables.Table
}

func (o *bindOnce) run(rc *runCtx) (*tables.Table, error) {
	o.mu.Lock()
	t := o.res
	o.res = nil
	o.mu.Unlock()
	if t != nil {
		return t, nil
	}
	return o.plan.run(rc)
}

// errMsg is an error's message without the position a *parser.Error adds.
func errMsg(err error) string {
	if e, ok := err.(*parser.Error); ok {
		return e.Msg
	}
	return err.Error()
}
