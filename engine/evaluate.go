package engine

import (
	"context"
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// supportedPlugins names the evaluate plugins the binder runs; Check's
// walker reports any other as unsupported.
var supportedPlugins = map[string]bool{
	"bag_unpack": true, "pivot": true, "narrow": true, "ipv4_lookup": true,
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
// columns depend on the data. The plan is a cached one, so the query's run
// reuses the rows instead of computing them again. Options' limits and the
// run's context do not apply to this early run.
func (b *binder) runAtBind(at parser.Node, p plan) (*tables.Table, bool) {
	rc := &runCtx{ctx: context.Background(), at: at.Pos()}
	t, err := p.run(rc)
	if err != nil {
		b.errorf(parser.PhaseRuntime, at, "%v", errMsg(err))
		return nil, false
	}
	return t, true
}

// errMsg is an error's message without the position a *parser.Error adds.
func errMsg(err error) string {
	if e, ok := err.(*parser.Error); ok {
		return e.Msg
	}
	return err.Error()
}
